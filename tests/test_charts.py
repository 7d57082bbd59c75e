"""Chart details a reader notices, and the printed charts (matplotlib) drawn like the screen's (Plotly)."""

from matplotlib.colors import to_hex

from assurance.analysis.spc import xmr
from assurance.chart_images import draw, png, raster
from assurance.charts import Bars, Grades, Representation, Spc, Trend, plotly_figure, stacked_grades

PERIODS = ["2024-25 Q3", "2024-25 Q4", "2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4", "2026-27 Q1", "2026-27 Q2"]
TREND = Trend(PERIODS, [82.0, 85.0, 79.0, None, 70.0, None, 60.7, 62.0], "Concern decisions within 2 working days",
              "%", 80, ["green", "green", "amber", None, "red", None, "red", "red"])


def test_a_handful_of_audits_gets_whole_number_ticks():
    few = stacked_grades(["Recording", "Risk assessment"], {"Good": [2, 3], "Inadequate": [1, 0]}, "Grades")
    assert (few.layout.xaxis.dtick, few.layout.xaxis.tick0) == (1, 0)
    many = stacked_grades(["Recording"], {"Good": [30], "Inadequate": [4]}, "Grades")
    assert many.layout.xaxis.dtick is None  # plotly chooses the spacing


def printed_lines(fig):
    return {line.get_label(): line for line in fig.axes[0].get_lines() if not line.get_label().startswith("_")}


def test_printed_trend_marks_the_points_as_the_screen_does():
    screen = {t.name: t for t in plotly_figure(TREND, print_size=True).data if t.name}
    printed = printed_lines(draw(TREND))
    # the same legend entries: each RAG with its shape and colour, and the target
    assert set(printed) == {"Green: on target", "Amber: just short of target", "Red: off target", "Target 80%"}
    assert set(printed) <= set(screen)
    expected = {"Green: on target": ("circle", "o", "#009e73", [0, 1]),
                "Amber: just short of target": ("diamond", "D", "#e69f00", [2]),
                "Red: off target": ("square", "s", "#d55e00", [4, 6, 7])}
    for name, (symbol, marker, colour, at) in expected.items():
        assert screen[name].marker.symbol == symbol and screen[name].marker.color.lower() == colour
        assert list(screen[name].x) == [PERIODS[i] for i in at]
        line = printed[name]
        assert line.get_marker() == marker and to_hex(line.get_markerfacecolor()) == colour
        assert list(line.get_xdata()) == at and line.get_linestyle() == "None"
    target = printed["Target 80%"]
    assert screen["Target 80%"].line.dash == "dash" and target.get_linestyle() == "--"
    assert to_hex(target.get_color()) == screen["Target 80%"].line.color.lower() == "#4c6272"
    assert set(target.get_ydata()) == {80}
    labels = [t.get_text() for t in draw(TREND).axes[0].get_xticklabels()]
    assert labels == [p.replace(" ", "\n", 1) for p in PERIODS]  # eight quarters across without turning


def test_printed_spc_colours_special_causes_as_the_screen_does():
    values = [50, 52, 49, 51, 50, 48, 51, 50, 49, 30]
    quarters = [f"Q{i}" for i in range(10)]
    result = xmr(values, "higher", 45, [], quarters)
    assert result.point_types[-1] == "special_cause_concern"
    chart = Spc(quarters, values, "Good or better", "%", result, 45)
    screen = {t.name: t for t in plotly_figure(chart).data if t.name}
    printed = printed_lines(draw(chart))
    concern = printed["Special cause concerning"]
    assert to_hex(concern.get_color()) == screen["Special cause concerning"].marker.color.lower() == "#b04a00"
    assert concern.get_marker() == "D" and screen["Special cause concerning"].marker.symbol == "diamond"
    assert list(concern.get_xdata()) == [9]
    assert {"mean", "upper limit", "lower limit", "target"} <= set(printed) & set(screen)
    assert printed["upper limit"].get_linestyle() == ":" and printed["target"].get_linestyle() == "--"


def test_every_kind_of_chart_prints_without_a_browser_at_the_size_asked():
    charts = [TREND, Spc(PERIODS, [1, 2, 3, 4, 5, 6, 7, 8], "Counts", "count", None),
              Bars(["A", "B"], [10, 5], "Bars", "%", {"A": 8}),
              Representation(["A", "B", "C"], [1.3, 0.7, None], [1.1, 0.5, None], [1.5, 0.9, None], "Ratios"),
              Grades(["Recording", "Risk"], {"Good": [2, 3], "Inadequate": [1, 0]}, "Grades")]
    for chart in charts:
        image = raster(chart, 760, 370, 1.5)
        assert image.size == (1140, 555) and image.mode == "RGB"
        content = png(image)
        assert content.startswith(b"\x89PNG") and png(raster(chart, 760, 370, 1.5)) == content  # repeatable
    bars = printed_lines(draw(charts[2]))
    assert to_hex(bars["England"].get_color()) == "#d55e00"  # the comparator mark, as on screen
    rep = draw(charts[3]).axes[0]
    dots = [to_hex(line.get_color()) for line in rep.get_lines() if line.get_marker() == "o"]
    assert dots == ["#d55e00", "#0072b2"]  # over-represented orange, under-represented blue, as on screen


def test_charts_drawn_at_once_in_several_threads_come_out_as_drawn_alone():
    """Pages run in threads, and the printed look is set in matplotlib's global settings."""
    from concurrent.futures import ThreadPoolExecutor

    bars = Bars(["A", "B", "C"], [10, 5, 3], "Bars", "%", {"A": 8})
    alone = {id(c): png(raster(c, 760, 370, 1)) for c in (TREND, bars)}
    work = [TREND, bars] * 6
    with ThreadPoolExecutor(4) as pool:
        drawn = list(pool.map(lambda c: png(raster(c, 760, 370, 1)), work))
    assert all(d == alone[id(c)] for d, c in zip(drawn, work))
