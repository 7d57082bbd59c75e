"""SPC as Making Data Count does it. Expected values are worked by hand (shown in the comments) or taken from the
snapshots of NHS-R's NHSRplotthedots test suite (tests/testthat/_snaps/ptd_spc*.md)."""

import pytest

from assurance.analysis.spc import icon, icon_svg, xmr

# R: set.seed(123); rnorm(20), the series behind NHSRplotthedots' own snapshots.
RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
             -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
             0.49785048, -1.96661716, 0.70135590, -0.47279141]


def test_limits_by_hand():
    values = [10, 12, 11, 13, 12]
    # mean 11.6; moving ranges 2, 1, 2, 1 -> mean 1.5; limits 11.6 +/- 3.99
    r = xmr(values)
    assert r.mean == pytest.approx(11.6)
    assert (r.lower, r.upper) == (pytest.approx(7.61), pytest.approx(15.59))
    assert not any(r.special)
    assert r.variation == "common_cause"
    assert r.describe().startswith("Common cause")


def test_limits_match_the_reference_package():
    # ptd_spc_standard.md snapshot r1: mean 0.1416238, lpl -3.01138, upl 3.294627; ptd_spc.md: 20 common cause.
    r = xmr(RNORM_123, "higher", target=0.5)
    assert (r.mean, r.lower, r.upper) == (pytest.approx(0.1416238), pytest.approx(-3.01138), pytest.approx(3.294627))
    assert not any(r.special)
    assert r.assurance == "inconsistent"  # 0.5 lies between the limits


def test_moving_ranges_are_screened_as_the_reference_package_does():
    # Snapshot r2 (y[15] <- 10, screened): mean 0.6694159, lpl -2.383666, upl 3.722497.
    # Snapshot r3 (not screened) would be -4.596625 and 5.935457: the two ranges either side of 10 are left out.
    values = list(RNORM_123)
    values[14] = 10
    r = xmr(values)
    assert (r.mean, r.lower, r.upper) == (pytest.approx(0.6694159), pytest.approx(-2.383666), pytest.approx(3.722497))
    assert r.causes[14] == "above the upper limit"


def test_recalculation_point_works_the_limits_out_afresh():
    # ptd_spc.md snapshot with two groups of ten: 0.0746 (-2.60, 2.75) and 0.209 (-3.28, 3.70).
    r = xmr(RNORM_123, recalculate_at=[10])
    first, second = r.segments
    assert (first.start, first.end, second.start, second.end) == (0, 10, 10, 20)
    assert (first.mean, first.lower, first.upper) == (pytest.approx(0.0746, abs=5e-5), pytest.approx(-2.60, abs=5e-3),
                                                      pytest.approx(2.75, abs=5e-3))
    assert (second.mean, second.lower, second.upper) == (pytest.approx(0.209, abs=5e-4), pytest.approx(-3.28, abs=5e-3),
                                                         pytest.approx(3.70, abs=5e-3))
    assert (r.mean, r.lower, r.upper) == (second.mean, second.lower, second.upper)
    assert "afresh from quarter 11" in r.describe(), r.describe()


# Seven rising: 1, 2, 3, 4, 5, 6, 7 after a zig-zag. Mean 49/12 = 4.083; moving ranges 2, 2, 2, 2, 4 and six 1s,
# mean 18/11 = 1.636; limits 4.083 +/- 4.352 = (-0.27, 8.44); two-thirds band (1.18, 6.98). The 1 and the 7 are in
# the band but each alone in its three; sides + - + - + - - - - + + + give no run of 7.
SEVEN_RISING = [5, 3, 5, 3, 5, 1, 2, 3, 4, 5, 6, 7]
# Six rising: 2 .. 7. Mean 51/12 = 4.25; moving ranges five 2s and six 1s, mean 16/11 = 1.455; limits (0.38, 8.12).
SIX_RISING = [5, 3, 5, 3, 5, 3, 2, 3, 4, 5, 6, 7]


def test_a_trend_is_seven_points_not_six():
    r = xmr(SEVEN_RISING, "higher")
    assert r.causes == ("",) * 5 + ("rising",) * 7
    assert r.variation == "special_cause_improvement"
    assert r.describe().startswith(
        "Special cause improving (high): 7 quarters in a row rising (quarter 6 to quarter 12)")
    assert not any(xmr(SIX_RISING, "higher").special)


def test_a_tie_breaks_a_trend():
    # 1, 2, 3, 3, 4, 5, 6, 7: the repeated 3 splits it into runs of 3 and 5. Mean 52/13 = 4; moving ranges
    # 2, 2, 2, 2, 4, 1, 1, 0, 1, 1, 1, 1 (18/12 = 1.5); limits (0.01, 7.99), band (1.34, 6.66): only the 1 and the 7
    # are in the band, each alone in its three; the 4 sits on the mean.
    r = xmr([5, 3, 5, 3, 5, 1, 2, 3, 3, 4, 5, 6, 7], "higher")
    assert not any(r.special)


# Seven above then seven below: 12, 14, ... then 8, 10, ...; mean 152/14 = 10.857; moving ranges twelve 2s and a 4
# (28/13 = 2.154); limits 10.857 +/- 5.729 = (5.13, 16.59); band (7.04, 14.68): no point in it, no trend.
SHIFT = [12, 14, 12, 14, 12, 14, 12, 8, 10, 8, 10, 8, 10, 8]


@pytest.mark.parametrize("polarity, variation, label", [
    ("higher", "special_cause_concern", "Special cause concerning (low)"),
    ("lower", "special_cause_improvement", "Special cause improving (low)"),
    ("information", "special_cause_neutral_low", "Special cause low"),
])
def test_a_shift_of_seven_by_polarity(polarity, variation, label):
    r = xmr(SHIFT, polarity)
    assert r.causes == ("above the mean",) * 7 + ("below the mean",) * 7
    assert (r.variation, r.variation_label) == (variation, label)
    assert r.describe().startswith(f"{label}: 7 quarters in a row below the mean (quarter 8 to quarter 14).")
    assert "Earlier special cause: 7 quarters in a row above the mean (quarter 1 to quarter 7)" in r.describe()
    assert "point" not in r.describe()


def test_six_on_one_side_is_not_a_shift():
    # mean 11; limits 11 +/- 6.29; band (6.81, 15.19): nothing in it.
    assert not any(xmr([12, 14, 12, 14, 12, 14, 8, 10, 8, 10, 8, 10], "higher").special)


def test_two_of_three_close_to_a_limit():
    # Mean 144/13 = 11.077; moving ranges nine 1s, 2.5, 1.5, 1.5 (14.5/12 = 1.208); limits 11.077 +/- 3.214 =
    # (7.86, 14.29); band beyond 11.077 +/- 2.143 = (8.93, 13.22). Both 13.5s are in the upper band, with the 12
    # between them above the mean: 2 of 3, the 13.5s flagged. The first ten (10 and 11) are all below the mean.
    r = xmr([10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 13.5, 12, 13.5], "higher", labels=[f"P{i}" for i in range(13)])
    assert r.causes == ("below the mean",) * 10 + ("near the upper limit", "", "near the upper limit")
    assert r.variation == "special_cause_improvement"
    assert "2 of 3 quarters in a row close to the upper limit" in r.describe()


def test_two_of_three_needs_all_three_on_one_side():
    # Mean 143.5/13 = 11.04; moving ranges nine 1s, 3, 3.5, 3.5 (19/12 = 1.583); limits (6.83, 15.25); band beyond
    # (8.23, 13.85). Both 14s are in the band but the 10.5 between them is below the mean: not 2 of 3.
    r = xmr([10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 14, 10.5, 14], "higher")
    assert r.causes[-3:] == ("", "", "")


@pytest.mark.parametrize("polarity, target, assurance, label", [
    ("higher", 20, "consistent_fail", "Consistently failing"),  # above the upper limit 16.59
    ("higher", 3, "consistent_pass", "Consistently passing"),  # below the lower limit 5.13
    ("higher", 10, "inconsistent", "Hit and miss"),
    ("lower", 20, "consistent_pass", "Consistently passing"),
    ("lower", 3, "consistent_fail", "Consistently failing"),
    ("higher", None, None, ""),
    ("information", 20, None, ""),
])
def test_assurance_from_where_the_target_sits(polarity, target, assurance, label):
    r = xmr(SHIFT, polarity, target)
    assert (r.assurance, r.assurance_label) == (assurance, label)


def test_a_point_beyond_the_limits_comes_first():
    # Mean 170/7 = 24.29; moving ranges five 10s and 60 (110/6 = 18.33); 60 >= 3.267 x 18.33 = 59.9 is screened
    # out, leaving 10; limits 24.29 +/- 26.6 = (-2.31, 50.89): the 80 is above. Six below the mean are not a shift.
    r = xmr([10, 20, 10, 20, 10, 20, 80], "lower")
    assert r.causes == ("",) * 6 + ("above the upper limit",)
    assert r.variation == "special_cause_concern"
    assert r.describe().startswith("Special cause concerning (high): quarter 7 was above the upper limit.")


def test_a_single_quarter_after_a_recalculation_has_no_limits():
    r = xmr(SHIFT, "higher", target=10, recalculate_at=[13])
    assert r.segments[-1].upper is None and r.assurance is None
    assert r.variation == "common_cause"


def test_icons():
    assert icon("special_cause_concern", "higher") == ("#B04A00", "L")
    assert icon("special_cause_improvement", "lower") == ("#005EB8", "L")
    assert icon("common_cause") == ("#5E6E7A", "")
    assert icon("consistent_fail") == ("#B04A00", "F")
    assert icon(None) is None and icon_svg(None) == ""
    assert icon_svg("inconsistent").startswith("data:image/svg+xml;base64,")


def test_too_short():
    assert xmr([5]) is None
