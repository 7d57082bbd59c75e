"""Chart descriptions (assurance.charts) drawn as PNG images by matplotlib, for the board pack: no browser needed.

The drawings follow the Plotly ones on the screen: the same colours, marker shapes, dashed target lines, limits and
legends below the chart, on a white background with light grid lines. Only matplotlib's object API is used (no
pyplot), so drawing is safe in a server thread, and the PNG carries no timestamp: the same chart gives the same bytes.
"""

from __future__ import annotations

import io
import threading
from functools import lru_cache, singledispatch

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from assurance.charts import (
    GRADE_COLOURS,
    LINE_GREY,
    OKABE_ITO,
    POINT_GREY,
    RAG_COLOURS,
    RAG_MARKERS,
    SPC_LINES,
    SPC_POINT_COLOURS,
    SPC_POINT_NAMES,
    TEXT_SIZE,
    TITLE_WIDTH,
    Bars,
    Grades,
    Representation,
    Spc,
    Trend,
    axis_title,
    quarter_ticks,
    target_label,
    value_suffix,
    wrap,
)

_DRAWING = threading.Lock()  # the look is set in matplotlib's global settings: one drawing at a time (pages run in threads)
PX = 0.72  # points per Plotly pixel (100 to the inch), so sizes given in pixels match the screen's
GRID = "#EBF0F8"  # plotly_white's grid lines
TEXT = "#2A3F5F"  # plotly_white's text colour
MARKERS = {"circle": "o", "circle-open": "o", "diamond": "D", "square": "s"}  # Plotly symbol -> matplotlib marker
DASHES = {"solid": "-", "dash": "--", "dot": ":"}


@lru_cache(maxsize=1)
def font_family() -> str:
    """Arial as on the screen where installed, else a metric twin, else matplotlib's own font (no warnings).

    One family, not a list: matplotlib then looks up one font for each piece of text, not one for each name.
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in ("Arial", "Liberation Sans", "Arimo") if name in installed), "DejaVu Sans")


def raster(chart, width: int, height: int, scale: float = 2) -> Image.Image:
    """The chart as an RGB image of `width` x `height` Plotly pixels, drawn at `scale` times that resolution."""
    with _DRAWING, rc_context(_look(chart)):
        fig = _figure(chart, width, height, scale)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
    return Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")


def png(image: Image.Image) -> bytes:
    """A drawn chart as PNG bytes (no timestamp or software tag: the same chart gives the same bytes)."""
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=1)  # the slides' zip compresses it again
    return buf.getvalue()


def draw(chart, width: int = 760, height: int = 370, scale: float = 1) -> Figure:
    """The matplotlib Figure for a chart description, sized in Plotly pixels (100 to the inch)."""
    with _DRAWING, rc_context(_look(chart)):
        return _figure(chart, width, height, scale)


def _figure(chart, width: int, height: int, scale: float) -> Figure:
    fig = Figure(figsize=(width / 100, height / 100), dpi=100 * scale, facecolor="white")
    _draw(chart, fig, fig.add_subplot())
    return fig


def _look(chart) -> dict:
    """plotly_white, set once for the whole drawing (cheaper than styling each label): no frame, light grid lines
    behind the data, grey-blue text, the screen's font at the screen's sizes."""
    size = (TEXT_SIZE[True] - 1 if isinstance(chart, Trend) else 12) * PX
    return {
        "font.family": font_family(), "font.size": size, "text.color": TEXT, "axes.labelcolor": TEXT,
        "axes.labelsize": size, "xtick.labelsize": size, "ytick.labelsize": size, "legend.fontsize": size,
        "xtick.color": TEXT, "ytick.color": TEXT, "xtick.major.size": 0, "ytick.major.size": 0,
        "axes.grid": True, "grid.color": GRID, "grid.linewidth": 1, "axes.axisbelow": True,
        "axes.spines.left": False, "axes.spines.right": False, "axes.spines.top": False, "axes.spines.bottom": False,
        "axes.titlecolor": TEXT, "legend.frameon": False,
        "axes.titley": 1.0,  # a fixed place above the plot: matplotlib need not measure the axis to place it
    }


def _title(fig: Figure, ax, text: str, size_px: float, width: int) -> None:
    ax.set_title(wrap(text, width), loc="left", fontsize=size_px * PX, pad=10)


def _legend(fig: Figure, ax, size_px: float, rows_below: float = 0.0) -> None:
    """A horizontal legend under the chart, from the left edge, as Plotly's 'h' legend."""
    handles, labels = ax.get_legend_handles_labels()
    if len(handles) < 1:
        return
    # as many entries to a row as fit the chart's width (Plotly wraps its legend the same way)
    room = fig.get_figwidth() * 72 * (fig.subplotpars.right - fig.subplotpars.left)
    size = size_px * PX
    ncol, used = 0, 0.0
    for label in labels:
        need = (len(label) * 0.55 + 4.5) * size  # the text at an average character width, the mark and the gap
        if ncol and used + need > room:
            break
        ncol, used = ncol + 1, used + need
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(0, -0.12 - rows_below), ncol=ncol,
              handlelength=1.8, columnspacing=1.2, borderaxespad=0)


def _percent_axis(ax, y_range: tuple[float, float] | None) -> None:
    """A percentage axis within 0 to 100, as on the screen; the points on its edge drawn whole."""
    if y_range is None:
        return
    ax.set_ylim(*y_range)
    for line in ax.get_lines():
        line.set_clip_on(False)


@singledispatch
def _draw(chart, fig: Figure, ax) -> None:
    raise TypeError(f"No printed drawing for {type(chart).__name__}")


@_draw.register
def _(chart: Trend, fig: Figure, ax) -> None:
    text = TEXT_SIZE[True]  # printed charts are always drawn at print size
    xs = list(range(len(chart.periods)))
    line = [float("nan") if v is None else v for v in chart.values]
    ax.plot(xs, line, color=OKABE_ITO[0], linewidth=2.5 * PX, marker=None if chart.rated else "o",
            markersize=9 * PX, zorder=2)
    if chart.rated:
        for rag in ("green", "amber", "red", None):
            at, ys = chart.points(rag)
            if not at:
                continue
            symbol, name = RAG_MARKERS[rag]
            hollow = rag is None
            size = 12 * PX * (0.85 if symbol == "diamond" else 1)  # a matplotlib diamond is drawn larger
            ax.plot(at, ys, linestyle="none", marker=MARKERS[symbol], markersize=size, label=name, zorder=3,
                    markerfacecolor="white" if hollow else RAG_COLOURS[rag],
                    markeredgecolor=RAG_COLOURS[rag] if hollow else "white", markeredgewidth=1.5 if hollow else 1)
    if chart.target is not None and xs:
        ax.plot([xs[0], xs[-1]], [chart.target] * 2, linestyle="--", color=LINE_GREY, linewidth=1.5 * PX,
                label=target_label(chart.target, chart.unit), zorder=1)
    ax.set_xticks(xs, quarter_ticks(chart.periods, "\n"))
    ax.set_xlim(-0.4, max(len(xs) - 0.6, 0.4))
    _percent_axis(ax, chart.y_range())
    suffix = value_suffix(chart.unit)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}{suffix}")
    ax.set_ylabel(axis_title(chart.unit))
    _title(fig, ax, chart.title, text + 3, TITLE_WIDTH[True])
    fig.subplots_adjust(left=0.09, right=0.97, top=0.80 if "\n" in ax.get_title(loc="left") else 0.86, bottom=0.30)
    _legend(fig, ax, text - 1, rows_below=0.1)


@_draw.register
def _(chart: Spc, fig: Figure, ax) -> None:
    xs = list(range(len(chart.periods)))
    ax.plot(xs, chart.values, color=POINT_GREY, linewidth=2 * PX, marker="o", markersize=9 * PX, zorder=2)
    drawn = set()
    for kind, colour in SPC_POINT_COLOURS.items():
        meaning = SPC_POINT_NAMES[kind]
        at, ys = chart.special(meaning)
        if at and meaning not in drawn:  # high and low: one set of points, one legend entry
            drawn.add(meaning)
            concern = kind == "special_cause_concern"
            ax.plot(at, ys, linestyle="none", marker="D" if concern else "o", markersize=12 * PX * (0.85 if concern else 1),
                    color=colour, label=meaning, zorder=3, clip_on=False)
    for attr, name, dash in SPC_LINES:
        for k, (start, end, y) in enumerate(chart.line(attr)):
            ax.plot([start, end - 1] if end - start > 1 else [start - 0.2, start + 0.2], [y, y], color=LINE_GREY,
                    linestyle=DASHES[dash], linewidth=1, label=name if k == 0 else None, zorder=1)
    for start, note in chart.fresh_limits():
        ax.axvline(start - 0.5, color=LINE_GREY, linestyle="--", linewidth=1)
        ax.annotate(note, (start - 0.5, 1), xycoords=("data", "axes fraction"), fontsize=10 * PX, va="bottom",
                    color=TEXT)
    if chart.target is not None and xs:
        ax.plot([xs[0], xs[-1]], [chart.target] * 2, color=OKABE_ITO[3], linestyle="--", linewidth=1.5 * PX,
                label="target", zorder=1)
    ax.set_xticks(xs, quarter_ticks(chart.periods, "\n"))
    ax.set_ylabel(axis_title(chart.unit) if chart.unit != "%" else "%")
    _percent_axis(ax, chart.y_range())
    _title(fig, ax, chart.title, 15, 90)
    fig.subplots_adjust(left=0.09, right=0.97, top=0.86, bottom=0.30)
    _legend(fig, ax, 12, rows_below=0.1)


@_draw.register
def _(chart: Bars, fig: Figure, ax) -> None:
    ys = list(range(len(chart.labels)))
    small = chart.small
    plain = [i for i in ys if not small[i]]
    ax.barh(plain, [chart.values[i] for i in plain], color=OKABE_ITO[0], label=chart.value_name, zorder=2)
    hatched = [i for i in ys if small[i]]
    if hatched:  # hatched and pale: a share of a handful of cases is not read as a plain bar
        ax.barh(hatched, [chart.values[i] for i in hatched], color="white", edgecolor=OKABE_ITO[0], hatch="//",
                linewidth=1, label=chart.small_note, zorder=2)
    if chart.comparator:
        place = {label: i for i, label in enumerate(chart.labels)}
        at = [(place[k], v) for k, v in chart.comparator.items() if k in place]
        ax.plot([v for _, v in at], [i for i, _ in at], linestyle="none", marker="|", markersize=18 * PX,
                markeredgewidth=3 * PX, color=OKABE_ITO[3], label="England", zorder=3)
    ax.set_yticks(ys, chart.labels)
    ax.invert_yaxis()  # largest at the top, as the data come
    ax.grid(False, axis="y")
    ax.set_xlabel(chart.value_name)
    _title(fig, ax, chart.title, 15, 90)
    fig.subplots_adjust(left=0.3, right=0.97, top=0.88, bottom=0.2)
    if chart.comparator or hatched:
        _legend(fig, ax, 12)


@_draw.register
def _(chart: Representation, fig: Figure, ax) -> None:
    for i, (r, lo, hi, colour) in enumerate(zip(chart.ratios, chart.lows, chart.highs, chart.colours)):
        if r is None:
            continue
        if lo is not None and hi is not None:
            ax.plot([lo, hi], [i, i], color=LINE_GREY, linewidth=1, zorder=2)
        ax.plot([r], [i], linestyle="none", marker="o", markersize=11 * PX, color=colour, zorder=3)
    ax.axvline(1, color=LINE_GREY, linestyle="--", linewidth=1)
    ax.set_yticks(range(len(chart.groups)), chart.groups)
    ax.invert_yaxis()
    ax.set_xlabel("representation ratio (1 = as in the population)")
    _title(fig, ax, chart.title, 15, 90)
    fig.subplots_adjust(left=0.3, right=0.97, top=0.88, bottom=0.2)


@_draw.register
def _(chart: Grades, fig: Figure, ax) -> None:
    ys = list(range(len(chart.categories)))
    left = [0.0] * len(ys)
    for grade, counts in chart.grades.items():
        widths = [c or 0 for c in counts]
        ax.barh(ys, widths, left=left, color=GRADE_COLOURS.get(grade, POINT_GREY), label=grade, zorder=2)
        left = [a + b for a, b in zip(left, widths)]
    if chart.whole_ticks:
        from matplotlib.ticker import MultipleLocator

        ax.xaxis.set_major_locator(MultipleLocator(1))
    ax.set_yticks(ys, chart.categories)
    ax.invert_yaxis()
    ax.grid(False, axis="y")
    ax.set_xlabel("audits")
    _title(fig, ax, chart.title, 15, 90)
    fig.subplots_adjust(left=0.3, right=0.97, top=0.88, bottom=0.3)
    _legend(fig, ax, 12, rows_below=0.05)

