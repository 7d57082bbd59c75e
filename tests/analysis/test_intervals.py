"""Confidence intervals against published or hand-worked values.

Exact Poisson limits: chi-square quantiles, lower = chi2(0.025, 2k) / 2 and upper = chi2(0.975, 2k + 2) / 2.
Byar's limits for 65 and 50 worked by hand from Breslow and Day's formula:
  lower = O (1 - 1/(9O) - z/(3 sqrt O))^3, upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3, z = 1.959964.
Wilson: Newcombe (1998), Statistics in Medicine 17: 857-872, example 81/263 -> 0.2553 to 0.3662.
Dobson: two age bands worked by hand (see the test).
"""

import pytest

from assurance.analysis import intervals
from assurance.numbers import fmt


@pytest.mark.parametrize("count,lower,upper", [
    (0, 0.0, 3.688879), (1, 0.025318, 5.571643), (3, 0.618672, 8.767273), (9, 4.115373, 17.084803),
])
def test_small_counts_use_the_exact_poisson_interval(count, lower, upper):
    ci = intervals.byar(count)
    assert (ci.lower, ci.upper) == (pytest.approx(lower, abs=1e-5), pytest.approx(upper, abs=1e-5))


def test_byars_method_from_10_events():
    ci = intervals.byar(65)
    assert (ci.lower, ci.upper) == (pytest.approx(50.1632, abs=1e-3), pytest.approx(82.8491, abs=1e-3))
    # and close to the exact interval (50.166, 82.848), which it approximates
    assert abs(ci.lower - 50.1656) < 0.01 and abs(ci.upper - 82.8478) < 0.01
    ten = intervals.byar(10)
    assert (ten.lower, ten.upper) == (pytest.approx(4.7874, abs=1e-3), pytest.approx(18.3915, abs=1e-3))


def test_a_rate_per_100000_scales_the_count_interval():
    ci = intervals.rate(65, 200_000)  # 32.5 per 100,000
    assert (ci.lower, ci.upper) == (pytest.approx(50.1632 / 2, abs=1e-3), pytest.approx(82.8491 / 2, abs=1e-3))
    assert intervals.rate(None, 1000) is None and intervals.rate(5, 0) is None
    assert "Byar" in ci.method


def test_wilson_score_interval():
    ci = intervals.wilson(81, 263)
    assert (ci.lower, ci.upper) == (pytest.approx(25.53, abs=0.005), pytest.approx(36.62, abs=0.005))
    none = intervals.wilson(0, 10)  # stays inside 0 to 100
    assert none.lower == 0.0 and none.upper == pytest.approx(27.75, abs=0.01)
    assert intervals.wilson(10, 10).upper == pytest.approx(100.0) and intervals.wilson(3, 0) is None
    assert intervals.wilson(5, 10).method == "Wilson score method"


def test_dobson_interval_for_a_directly_standardised_rate():
    # bands a, b: 20 events in 10,000 people and 30 in 5,000; standard weights 0.8 and 0.2
    # DSR = 0.8 x 20/10,000 + 0.2 x 30/5,000 = 0.0028 = 280 per 100,000
    # variance = (0.8/10,000)^2 x 20 + (0.2/5,000)^2 x 30 = 1.76e-7; O = 50, Byar's (37.1081, 65.9202)
    # limits = 0.0028 + sqrt(1.76e-7 / 50) x (limit - 50), per 100,000: 203.51 and 374.45
    value, ci = intervals.dobson({"a": 20, "b": 30}, {"a": 10_000, "b": 5_000}, {"a": 0.8, "b": 0.2})
    assert value == pytest.approx(280.0)
    assert (ci.lower, ci.upper) == (pytest.approx(203.51, abs=0.01), pytest.approx(374.45, abs=0.01))
    assert ci.method == "Dobson's method"
    # weights given as a standard population, not shares, give the same answer
    value2, ci2 = intervals.dobson({"a": 20, "b": 30}, {"a": 10_000, "b": 5_000}, {"a": 76_500, "b": 19_125})
    assert value2 == pytest.approx(280.0) and ci2.lower == pytest.approx(ci.lower)
    assert intervals.dobson({"a": 0}, {"a": 100}, {"a": 1.0}) == (0.0, None)


def test_described_with_halves_rounded_up():
    ci = intervals.Interval(1.25, 2.35, "Wilson score method")
    assert intervals.describe(ci) == "95% CI 1.3 to 2.4, Wilson score method"
    assert intervals.describe(None) == ""


def _depth(text: str) -> int:
    """How deep the brackets nest (0 with none); -1 when they do not pair up."""
    deepest = level = 0
    for ch in text:
        level += {"(": 1, ")": -1}.get(ch, 0)
        if level < 0:
            return -1
        deepest = max(deepest, level)
    return deepest if level == 0 else -1


def test_an_interval_reads_without_brackets_so_it_can_sit_in_one_pair():
    assert intervals.describe(intervals.rate(433, 100_000)) == (
        f"95% CI {fmt(intervals.rate(433, 100_000).lower)} to {fmt(intervals.rate(433, 100_000).upper)}, "
        "Byar's method, exact Poisson below 10")
    for ci in (intervals.rate(433, 100_000), intervals.rate(4, 100_000), intervals.wilson(5, 10),
               intervals.dobson({"a": 20, "b": 30}, {"a": 10_000, "b": 5_000}, {"a": 0.8, "b": 0.2})[1]):
        assert _depth(intervals.describe(ci)) == 0


def test_the_adults_per_100000_line_has_one_pair_of_brackets_at_most():
    from assurance.views import adults_per_100k

    line = adults_per_100k({"18-64": 900, "65-74": 300, "75-84": 300, "85-94": 150, "95+": 20}, "Luton", False)
    assert "95% CI" in line and "Byar's method" in line
    assert _depth(line) == 1, line
