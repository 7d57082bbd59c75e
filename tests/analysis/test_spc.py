import pytest

from assurance.analysis.spc import xmr


def test_limits_by_hand():
    values = [10, 12, 11, 13, 12]
    # mean 11.6; moving ranges 2, 1, 2, 1 -> mean 1.5; limits 11.6 +/- 3.99
    r = xmr(values)
    assert r.mean == pytest.approx(11.6)
    assert (r.lower, r.upper) == (pytest.approx(7.61), pytest.approx(15.59))
    assert not any(r.special)
    assert r.describe().startswith("Common-cause")


def test_point_outside_the_limits():
    r = xmr([10, 11, 10, 11, 10, 11, 10, 30])
    assert r.outside[-1] and not any(r.outside[:-1])


def test_run_of_seven_on_one_side():
    values = [20, 20, 20, 20, 20, 20, 20, 5, 5, 5, 5, 5, 5, 5]  # mean 12.5: first seven above, last seven below
    r = xmr(values)
    assert all(r.run)
    assert "run of 7" in r.describe()
    r6 = xmr([20] * 6 + [5] * 6)
    assert not any(r6.run)


def test_trend_of_six():
    values = [10, 11, 12, 13, 14, 15, 12, 11]
    r = xmr(values)
    assert r.trend[:6] == (True,) * 6 and not any(r.trend[6:])
    assert not any(xmr([10, 11, 12, 13, 14, 12, 13]).trend)  # five rising points are not a trend


def test_too_short():
    assert xmr([5]) is None
