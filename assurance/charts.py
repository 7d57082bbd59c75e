"""Chart descriptions, drawn by Plotly for the screen (here) and by matplotlib for print (chart_images.py).

A chart is described once, as a small dataclass holding its data and what it marks (target, RAG, special cause);
the pages show `plotly_figure(chart)` and the board pack prints `chart_images.png(chart)`. Both use the colours,
marker shapes and line styles defined here, so the screen and the pack look alike. Okabe-Ito colours throughout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import singledispatch

import plotly.graph_objects as go

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
RAG_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", None: "#7F7F7F"}
LINE_GREY = "#4C6272"  # target lines, limits and interval bars
POINT_GREY = "#7F7F7F"

RAG_MARKERS = {  # shape as well as colour, so red and amber differ for everyone and in black and white
    "green": ("circle", "Green: on target"),
    "amber": ("diamond", "Amber: just short of target"),
    "red": ("square", "Red: off target"),
    None: ("circle-open", "Not rated"),
}

SPC_POINT_COLOURS = {"special_cause_improvement": "#005EB8", "special_cause_concern": "#B04A00",
                     "special_cause_neutral_high": "#7C2855", "special_cause_neutral_low": "#7C2855"}  # as the icons
SPC_POINT_NAMES = {"special_cause_improvement": "Special cause improving",
                   "special_cause_concern": "Special cause concerning",
                   "special_cause_neutral_high": "Special cause", "special_cause_neutral_low": "Special cause"}
SPC_MEANINGS = tuple(dict.fromkeys(SPC_POINT_NAMES.values()))  # one legend entry per meaning, high and low as one
SPC_LINES = (("mean", "mean", "solid"), ("upper", "upper limit", "dot"), ("lower", "lower limit", "dot"))

GRADE_COLOURS = {"Outstanding": OKABE_ITO[2], "Good": OKABE_ITO[4], "Requires improvement": OKABE_ITO[1],
                 "Inadequate": OKABE_ITO[3], "Not applicable": "#BBBBBB"}


# --- the descriptions -----------------------------------------------------------------------------


@dataclass
class Trend:
    """A measure over time: a line with RAG-marked points (shape and colour) and the target dashed."""

    periods: list[str]
    values: list[float | None]
    title: str
    unit: str
    target: float | None = None
    rags: list[str | None] | None = None  # None or all None: an unrated measure, plain points

    @property
    def rated(self) -> bool:
        return bool(self.rags) and any(self.rags)

    def y_range(self) -> tuple[float, float] | None:
        levels = [v for v in self.values if v is not None] + ([self.target] if self.target is not None else [])
        return percent_range(levels, self.unit)

    def points(self, rag: str | None) -> tuple[list[int], list[float]]:
        """Positions and values of the points with this RAG (quarters with no figure left out)."""
        found = [(i, v) for i, (v, r) in enumerate(zip(self.values, self.rags or [])) if r == rag and v is not None]
        return [i for i, _ in found], [v for _, v in found]


@dataclass
class Spc:
    """An XmR chart as Making Data Count draws it: the series, each segment's mean and limits, special causes."""

    periods: list[str]
    values: list[float]
    title: str
    unit: str
    spc: object | None  # assurance.analysis.spc.SpcResult
    target: float | None = None
    breaks: list[tuple[str, str]] | None = None

    @property
    def point_types(self) -> list[str]:
        return list(self.spc.point_types) if self.spc else ["common_cause"] * len(self.values)

    def special(self, meaning: str) -> tuple[list[int], list[float]]:
        """Positions and values of the special-cause points with this meaning (a name in SPC_POINT_NAMES)."""
        found = [(i, v) for i, (v, t) in enumerate(zip(self.values, self.point_types))
                 if SPC_POINT_NAMES.get(t) == meaning]
        return [i for i, _ in found], [v for _, v in found]

    def line(self, attr: str) -> list[tuple[int, int, float]]:
        """(first point, last point + 1, level) of the mean or a limit, one piece per segment; a percentage's
        limits are bounded by 0 and 100 (Making Data Count: a proportion's limits never pass its bounds)."""
        if not self.spc:
            return []
        return [(s.start, s.end, bounded(getattr(s, attr), self.unit)) for s in self.spc.segments
                if getattr(s, attr) is not None]

    def y_range(self) -> tuple[float, float] | None:
        """The value axis of a percentage, never past 0 or 100; None for other units (the library chooses)."""
        levels = [v for v in self.values if v is not None] + [y for a in ("mean", "upper", "lower")
                                                               for _, _, y in self.line(a)]
        return percent_range(levels + ([self.target] if self.target is not None else []), self.unit)

    def fresh_limits(self) -> list[tuple[int, str]]:
        """Where the limits are worked out afresh: the first point of each later segment, and the reason given."""
        if not self.spc:
            return []
        reasons = dict(self.breaks or [])
        return [(s.start, ("Limits afresh" + (f": {reasons[self.periods[s.start]]}"
                                              if reasons.get(self.periods[s.start]) else ""))[:60])
                for s in self.spc.segments[1:]]


@dataclass
class Bars:
    """Horizontal bars, largest at the top; an optional comparator (e.g. England %) as a mark on each bar.
    Given each bar's count of cases and the minimum, a bar resting on fewer cases is hatched, with a note."""

    labels: list[str]
    values: list[float]
    title: str
    value_name: str = "number"
    comparator: dict[str, float] | None = None
    counts: list[int | None] | None = None
    minimum: int | None = None

    @property
    def small(self) -> list[bool]:
        if not self.counts or not self.minimum:
            return [False] * len(self.labels)
        return [c is not None and c < self.minimum for c in self.counts]

    @property
    def small_note(self) -> str:
        return f"Fewer than {self.minimum} cases: read with care"

    def part(self, small: bool) -> tuple[list[str], list[float]]:
        found = [(label, v) for label, v, s in zip(self.labels, self.values, self.small) if s == small]
        return [label for label, _ in found], [v for _, v in found]


@dataclass
class Representation:
    """Representation ratios with 95% intervals; 1 = in line with the population."""

    groups: list[str]
    ratios: list[float | None]
    lows: list[float | None]
    highs: list[float | None]
    title: str

    @property
    def colours(self) -> list[str]:
        """Over-represented (interval above 1) orange, under-represented blue, otherwise grey."""
        return [OKABE_ITO[3] if lo is not None and lo > 1 else OKABE_ITO[0] if h is not None and h < 1 else POINT_GREY
                for lo, h in zip(self.lows, self.highs)]


@dataclass
class Grades:
    """Audit grades stacked, one bar per category."""

    categories: list[str]
    grades: dict[str, list[int]] = field(default_factory=dict)
    title: str = ""

    @property
    def whole_ticks(self) -> bool:
        """A handful of audits: whole-number ticks, never 0.5 of an audit."""
        widest = max((sum(v or 0 for v in bar) for bar in zip(*self.grades.values())), default=0)
        return widest < 10


def bounded(level: float, unit: str) -> float:
    """A level on a percentage chart held within 0 to 100."""
    return min(max(level, 0.0), 100.0) if unit == "%" else level


def percent_range(levels: list[float], unit: str) -> tuple[float, float] | None:
    """A percentage axis fitting the levels with a little room, never below 0 or above 100."""
    if unit != "%" or not levels:
        return None
    low, high = min(levels), max(levels)
    room = max((high - low) * 0.08, 2.0)
    return max(low - room, 0.0), min(high + room, 100.0)


MOST_TICKS = 16  # more quarters than this: every other one labelled, counting back from the latest


def quarter_ticks(periods: list[str], newline: str) -> list[str]:
    """'2026-27 Q2' on two lines, so the quarters fit across a chart without slanting (and none is cut); past
    MOST_TICKS quarters, every other label, always the latest."""
    last = len(periods) - 1
    return [p.replace(" ", newline, 1) if len(periods) <= MOST_TICKS or (last - i) % 2 == 0 else ""
            for i, p in enumerate(periods)]


def value_suffix(unit: str) -> str:
    return "%" if unit == "%" else ""


def axis_title(unit: str) -> str:
    return "" if unit == "%" else "number" if unit == "count" else unit


def target_label(target: float, unit: str) -> str:
    return f"Target {target:g}{value_suffix(unit)}"


def wrap(text: str, width: int, newline: str = "\n") -> str:
    """Break a long chart title onto a second line at a space (neither library wraps titles)."""
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text if cut <= 0 else text[:cut] + newline + text[cut + 1:]


TITLE_WIDTH = {False: 90, True: 58}  # characters on a title line, on screen and in print
TEXT_SIZE = {False: 12, True: 17}  # px: print is larger, as the image is shrunk onto a page


# --- Plotly, for the screen -----------------------------------------------------------------------


@singledispatch
def plotly_figure(chart, print_size: bool = False) -> go.Figure:
    raise TypeError(f"No Plotly drawing for {type(chart).__name__}")


def _layout(fig: go.Figure, title: str, **kw) -> go.Figure:
    fig.update_layout(title={"text": title, "font": {"size": 15}}, template="plotly_white",
                      margin={"l": 10, "r": 20, "t": 50, "b": 40}, font={"family": "Arial, sans-serif", "size": 12}, **kw)
    return fig


@plotly_figure.register
def _(chart: Trend, print_size: bool = False) -> go.Figure:
    text = TEXT_SIZE[print_size]
    periods, values, unit = chart.periods, chart.values, chart.unit
    pct = " %" if unit == "%" else ""
    fig = go.Figure(go.Scatter(
        x=periods, y=values, mode="lines" if chart.rated else "lines+markers", name=chart.title, showlegend=False,
        line={"color": OKABE_ITO[0], "width": 2.5}, marker={"color": OKABE_ITO[0], "size": 9},
        hovertemplate="%{x}: %{y:,.1f}" + pct + "<extra></extra>",
    ))
    if chart.rated:
        for rag in ("green", "amber", "red", None):
            xs, ys = chart.points(rag)
            if not xs:
                continue
            symbol, name = RAG_MARKERS[rag]
            fig.add_trace(go.Scatter(
                x=[periods[i] for i in xs], y=ys, mode="markers", name=name,
                marker={"symbol": symbol, "color": RAG_COLOURS[rag], "size": 12 if print_size else 11,
                        "line": {"color": RAG_COLOURS[rag] if rag is None else "white", "width": 1.5 if rag is None else 1}},
                hovertemplate="%{x}: %{y:,.1f}" + pct + f" ({name})<extra></extra>",
            ))
    if chart.target is not None and periods:
        # a trace, not an annotation: it goes in the legend, so its label never sits on the axis labels
        fig.add_trace(go.Scatter(
            x=periods, y=[chart.target] * len(periods), mode="lines", name=target_label(chart.target, unit),
            line={"dash": "dash", "color": LINE_GREY, "width": 1.5}, hoverinfo="skip",
        ))
    heading = wrap(chart.title, TITLE_WIDTH[print_size], "<br>")
    fig.update_layout(
        title={"text": heading, "font": {"size": text + 3}}, template="plotly_white", showlegend=len(fig.data) > 1,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.2, "yanchor": "top", "font": {"size": text - 1}},
        margin={"l": 60, "r": 20, "t": 80 if "<br>" in heading else 55, "b": 20}, font={"family": "Arial, sans-serif", "size": text},
    )
    fig.update_xaxes(tickfont={"size": text - 1}, type="category", tickvals=periods,
                     ticktext=quarter_ticks(periods, "<br>"), tickangle=0)
    fig.update_yaxes(tickfont={"size": text - 1}, ticksuffix=value_suffix(unit), title_text=axis_title(unit),
                     range=chart.y_range())
    fig.update_traces(cliponaxis=False)  # a point at 100% sits on the axis's edge, drawn whole
    return fig


@plotly_figure.register
def _(chart: Spc, print_size: bool = False) -> go.Figure:
    periods, values = chart.periods, chart.values
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=periods, y=values, mode="lines+markers", name=chart.title, showlegend=False,
                             line={"color": POINT_GREY, "width": 2}, marker={"size": 9, "color": POINT_GREY},
                             hovertemplate="%{x}: %{y:,.1f}<extra></extra>"))
    for kind, colour in SPC_POINT_COLOURS.items():
        meaning = SPC_POINT_NAMES[kind]
        xs, ys = chart.special(meaning)
        if xs and meaning not in {t.name for t in fig.data}:  # high and low: one trace, one legend entry
            fig.add_trace(go.Scatter(x=[periods[i] for i in xs], y=ys, mode="markers",
                                     name=meaning, hovertemplate="%{x}: %{y:,.1f}<extra></extra>",
                                     marker={"size": 12, "color": colour,
                                             "symbol": "diamond" if kind == "special_cause_concern" else "circle"}))
    for attr, name, dash in SPC_LINES:
        xs, ys = [], []
        for start, end, y in chart.line(attr):  # one line per segment, broken where the limits are worked out afresh
            xs += periods[start:end] + [None]
            ys += [y] * (end - start) + [None]
        if xs:
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=name, hoverinfo="skip",
                                     line={"color": LINE_GREY, "dash": dash, "width": 1}))
    for start, note in chart.fresh_limits():
        fig.add_shape(type="line", x0=start - 0.5, x1=start - 0.5, y0=0, y1=1, yref="paper",
                      line={"color": LINE_GREY, "dash": "dash", "width": 1})
        fig.add_annotation(x=start - 0.5, y=1, yref="paper", xanchor="left", yanchor="bottom", showarrow=False,
                           text=note, font={"size": 10})
    if chart.target is not None:
        fig.add_trace(go.Scatter(x=periods, y=[chart.target] * len(periods), mode="lines", name="target",
                                 line={"color": OKABE_ITO[3], "dash": "dash", "width": 1.5}, hoverinfo="skip"))
    fig.update_xaxes(type="category", tickvals=periods, ticktext=quarter_ticks(periods, "<br>"), tickangle=0)
    fig.update_yaxes(range=chart.y_range())
    fig.update_traces(cliponaxis=False)  # a point at 100% sits on the axis's edge, drawn whole
    return _layout(fig, chart.title, yaxis_title=chart.unit if chart.unit != "count" else "number", height=380,
                   legend={"orientation": "h", "y": -0.25})


@plotly_figure.register
def _(chart: Bars, print_size: bool = False) -> go.Figure:
    labels, values = chart.part(small=False)
    fig = go.Figure(go.Bar(y=labels, x=values, orientation="h", marker_color=OKABE_ITO[0],
                           name=chart.value_name, hovertemplate="%{y}: %{x:,}<extra></extra>"))
    small_labels, small_values = chart.part(small=True)
    if small_labels:  # hatched and pale: a share of a handful of cases is not read as a plain bar
        fig.add_trace(go.Bar(y=small_labels, x=small_values, orientation="h", name=chart.small_note,
                             marker={"color": "white", "line": {"color": OKABE_ITO[0], "width": 1},
                                     "pattern": {"shape": "/", "fgcolor": OKABE_ITO[0], "size": 6}},
                             hovertemplate="%{y}: %{x:,} (" + chart.small_note.lower() + ")<extra></extra>"))
        fig.update_yaxes(categoryorder="array", categoryarray=chart.labels)
    if chart.comparator:
        fig.add_trace(go.Scatter(y=list(chart.comparator), x=list(chart.comparator.values()), mode="markers",
                                 name="England", marker={"symbol": "line-ns-open", "size": 18, "color": OKABE_ITO[3],
                                                         "line": {"width": 3}}))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, chart.title, xaxis_title=chart.value_name, height=max(260, 28 * len(chart.labels) + 90),
                   showlegend=bool(chart.comparator) or any(chart.small), legend={"orientation": "h", "y": -0.3})


@plotly_figure.register
def _(chart: Representation, print_size: bool = False) -> go.Figure:
    err_plus = [(h - r) if r is not None and h is not None else 0 for r, h in zip(chart.ratios, chart.highs)]
    err_minus = [(r - lo) if r is not None and lo is not None else 0 for r, lo in zip(chart.ratios, chart.lows)]
    fig = go.Figure(go.Scatter(
        y=chart.groups, x=chart.ratios, mode="markers", marker={"size": 11, "color": chart.colours},
        error_x={"type": "data", "array": err_plus, "arrayminus": err_minus, "color": LINE_GREY},
        hovertemplate="%{y}: %{x:.2f}<extra></extra>"))
    fig.add_vline(x=1, line={"dash": "dash", "color": LINE_GREY})
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, chart.title, xaxis_title="representation ratio (1 = as in the population)",
                   height=max(260, 30 * len(chart.groups) + 90), showlegend=False)


@plotly_figure.register
def _(chart: Grades, print_size: bool = False) -> go.Figure:
    fig = go.Figure([go.Bar(y=chart.categories, x=v, name=g, orientation="h", marker_color=GRADE_COLOURS.get(g))
                     for g, v in chart.grades.items()])
    fig.update_yaxes(autorange="reversed")
    if chart.whole_ticks:
        fig.update_xaxes(dtick=1, tick0=0)
    return _layout(fig, chart.title, barmode="stack", xaxis_title="audits",
                   height=max(260, 30 * len(chart.categories) + 110), legend={"orientation": "h", "y": -0.25})


# --- the builders the pages call ------------------------------------------------------------------


def trend_chart(periods: list[str], values: list[float | None], title: str, unit: str,
                target: float | None = None, rags: list[str | None] | None = None, print_size: bool = False) -> go.Figure:
    return plotly_figure(Trend(periods, values, title, unit, target, rags), print_size)


def spc_chart(periods: list[str], values: list[float], title: str, unit: str, spc, target: float | None = None,
              breaks: list[tuple[str, str]] | None = None) -> go.Figure:
    return plotly_figure(Spc(periods, values, title, unit, spc, target, breaks))


def bar_chart(labels: list[str], values: list[float], title: str, value_name: str = "number",
              comparator: dict[str, float] | None = None, counts: list[int | None] | None = None,
              minimum: int | None = None) -> go.Figure:
    return plotly_figure(Bars(labels, values, title, value_name, comparator, counts, minimum))


def representation_chart(groups: list[str], ratios: list[float | None], lows: list[float | None],
                         highs: list[float | None], title: str) -> go.Figure:
    return plotly_figure(Representation(groups, ratios, lows, highs, title))


def stacked_grades(categories: list[str], grades: dict[str, list[int]], title: str) -> go.Figure:
    return plotly_figure(Grades(categories, grades, title))


def describe_trend(periods: list[str], values: list[float | None], unit: str, target: float | None = None,
                   polarity: str | None = None) -> str:
    """One sentence on what a trend chart shows (and, given the target, where the latest figure stands against it)."""
    from assurance.numbers import fmt

    points = [(p, v) for p, v in zip(periods, values) if v is not None]
    if not points:
        return "No figures yet." if not periods else "No figure can be shown: every quarter has fewer than 10 cases."
    suffix = "%" if unit == "%" else ""
    (p0, v0), (p1, v1) = points[0], points[-1]
    against = ""
    if target is not None and polarity in ("higher", "lower"):
        met = v1 >= target if polarity == "higher" else v1 <= target
        against = f" The latest is {'on or better than' if met else 'short of'} the {target:g}{suffix} target."
    if len(points) == 1:
        return f"{p1}: {fmt(v1)}{suffix}.{against}"
    direction = "up" if v1 > v0 else "down" if v1 < v0 else "unchanged"
    hi = max(points, key=lambda x: x[1])
    return (f"From {fmt(v0)}{suffix} in {p0} to {fmt(v1)}{suffix} in {p1} ({direction}); "
            f"highest {fmt(hi[1])}{suffix} in {hi[0]}.{against}")
