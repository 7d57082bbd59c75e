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


# --- percentages stay within 0 to 100 (Making Data Count: the limits of a proportion are bounded) -----------------

AUDIT_GOOD = [67.0, 100.0, 100.0, 75.0, 83.0, 50.0, 83.0, 60.0, 83.0, 92.0, 92.0, 100.0]
QUARTERS = [f"{2023 + (i + 2) // 4}-{(24 + (i + 2) // 4) % 100:02d} Q{(i + 2) % 4 + 1}" for i in range(12)]


def test_limits_of_a_percentage_are_bounded_on_screen_and_in_print():
    result = xmr(AUDIT_GOOD, "higher", 70, [], QUARTERS)
    upper = result.segments[-1].upper
    assert upper > 100  # worked out unbounded, as the rules give it
    chart = Spc(QUARTERS, AUDIT_GOOD, "Good or better, each quarter's audits", "%", result, 70)
    screen = {t.name: t for t in plotly_figure(chart).data if t.name}
    assert max(y for y in screen["upper limit"].y if y is not None) == 100
    bottom, top = plotly_figure(chart).layout.yaxis.range
    assert top <= 100 and bottom >= 0
    assert top >= 100  # the points at 100% are on the chart
    printed = draw(chart).axes[0]
    assert max(printed_lines(draw(chart))["upper limit"].get_ydata()) == 100
    low, high = printed.get_ylim()
    assert high <= 100 and low >= 0 and high >= 100


def test_a_lower_limit_below_zero_percent_is_drawn_at_zero():
    values = [3.0, 40.0, 2.0, 1.0, 35.0, 5.0, 2.0, 4.0]
    result = xmr(values, "higher", None, [], QUARTERS[:8])
    assert result.segments[-1].lower < 0
    chart = Spc(QUARTERS[:8], values, "Share", "%", result)
    screen = {t.name: t for t in plotly_figure(chart).data if t.name}
    assert min(y for y in screen["lower limit"].y if y is not None) == 0
    assert plotly_figure(chart).layout.yaxis.range[0] >= 0
    assert min(printed_lines(draw(chart))["lower limit"].get_ydata()) == 0
    assert draw(chart).axes[0].get_ylim()[0] >= 0


def test_a_count_keeps_its_limits_as_worked_out():
    values = [30.0, 125.0, 125.0, 30.0, 35.0, 30.0, 30.0, 40.0]
    result = xmr(values, "information", None, [], QUARTERS[:8])
    chart = Spc(QUARTERS[:8], values, "Concerns", "count", result)
    screen = {t.name: t for t in plotly_figure(chart).data if t.name}
    assert max(y for y in screen["upper limit"].y if y is not None) == result.segments[-1].upper > 100


def test_a_percentage_trend_axis_never_passes_100():
    trend = Trend(PERIODS, [99.0, 100.0, 98.0, 100.0, 97.0, 100.0, 99.0, 100.0], "Staff trained", "%", 95)
    for fig in (plotly_figure(trend), plotly_figure(trend, print_size=True)):
        assert fig.layout.yaxis.range[1] <= 100 <= fig.layout.yaxis.range[1] + 1e-9
    assert draw(trend).axes[0].get_ylim()[1] == 100


# --- one legend entry per meaning; readable quarter labels --------------------------------------------------------

POLICE = [30.0, 25.0, 25.0, 30.0, 35.0, 30.0, 30.0, 40.0, 40.0, 35.0, 40.0, 40.0]


def test_special_causes_high_and_low_share_one_legend_entry():
    result = xmr(POLICE, "information", None, [], QUARTERS)
    assert {"special_cause_neutral_high", "special_cause_neutral_low"} <= set(result.point_types)
    chart = Spc(QUARTERS, POLICE, "Concerns raised", "count", result)
    names = [t.name for t in plotly_figure(chart).data if t.showlegend is not False and t.name]
    assert len(names) == len(set(names)), names
    special = [t for t in plotly_figure(chart).data if t.name == "Special cause"]
    assert len(special) == 1
    assert sorted(special[0].x) == sorted(q for q, k in zip(QUARTERS, result.point_types) if k.startswith("special"))
    _, labels = draw(chart).axes[0].get_legend_handles_labels()
    assert len(labels) == len(set(labels)), labels


def test_quarter_labels_on_screen_are_on_two_lines():
    result = xmr(POLICE, "information", None, [], QUARTERS)
    for fig in (plotly_figure(Spc(QUARTERS, POLICE, "Concerns", "count", result)),
                plotly_figure(Trend(QUARTERS, POLICE, "Concerns", "count"))):
        assert list(fig.layout.xaxis.tickvals) == QUARTERS
        assert list(fig.layout.xaxis.ticktext) == [q.replace(" ", "<br>") for q in QUARTERS]
        assert fig.layout.xaxis.tickangle == 0  # never slanted (and so never cut)
    labels = [t.get_text() for t in draw(Spc(QUARTERS, POLICE, "Concerns", "count", result)).axes[0].get_xticklabels()]
    assert labels == [q.replace(" ", "\n") for q in QUARTERS]


# --- a share of a small group is marked, not drawn as a plain bar ----------------------------------------------------

def test_a_share_of_fewer_than_the_minimum_is_hatched_with_a_note():
    chart = Bars(["18-64", "65-74", "Not known"], [79.9, 81.0, 100.0], "Asked, by group", "% asked",
                 counts=[333, 96, 1], minimum=10)
    traces = {t.name: t for t in plotly_figure(chart).data}
    plain = traces["% asked"]
    assert list(plain.y) == ["18-64", "65-74"]
    small = next(t for name, t in traces.items() if name and name.startswith("Fewer than 10"))
    assert list(small.y) == ["Not known"] and small.marker.pattern.shape == "/"
    assert plotly_figure(chart).layout.showlegend is True
    printed = draw(chart).axes[0]
    hatched = [p for p in printed.patches if p.get_hatch()]
    assert len(hatched) == 1 and hatched[0].get_width() == 100.0
    assert any(label.startswith("Fewer than 10") for label in printed.get_legend_handles_labels()[1])


def test_a_long_series_labels_every_other_quarter_and_always_the_latest():
    quarters = [f"{2021 + i // 4}-{(22 + i // 4) % 100:02d} Q{i % 4 + 1}" for i in range(20)]
    values = [30.0 + (i % 3) for i in range(20)]
    ticks = plotly_figure(Spc(quarters, values, "Concerns", "count", xmr(values, "information", None, [], quarters))
                          ).layout.xaxis.ticktext
    assert ticks[-1] == "2025-26<br>Q4" and ticks[-2] == "" and ticks[-3] == "2025-26<br>Q2"
    assert sum(bool(t) for t in ticks) == 10
