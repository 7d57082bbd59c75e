import math

import pandas as pd
import pytest

from assurance.analysis import representation as rep


def test_ratio_and_wilson_interval_by_hand():
    # 30 of 100 adults in safeguarding are 85+, against 3,943 of 155,454 adults in the population. The Wilson score
    # interval for 30 of 100 is 0.2189 to 0.3958 (published tables); the population share is taken as exact.
    rows = rep.representation({"young": 70, "old": 30}, {"young": 151_511, "old": 3_943})
    old, pop_share = rows[1], 3943 / 155454
    assert old.ratio == pytest.approx(0.30 / pop_share)
    assert old.lower * pop_share == pytest.approx(0.2189, abs=1e-4)
    assert old.upper * pop_share == pytest.approx(0.3958, abs=1e-4)
    assert old.finding == "over-represented" and rows[0].finding == "under-represented"
    assert old.share == pytest.approx(30.0) and old.population_share == pytest.approx(100 * 3943 / 155454)
    assert "Wilson" in rep.INTERVAL_METHOD


def test_the_finding_follows_the_interval_not_the_point_value():
    # 6 of 20 (30%) against a population share of 20%: ratio 1.5, but Wilson 6/20 is 0.1455 to 0.5190, so the
    # interval 0.73 to 2.60 includes 1. A log-method interval would say the same here; at 0 adults it cannot.
    rows = rep.representation({"a": 6, "b": 14}, {"a": 200, "b": 800})
    assert rows[0].ratio == pytest.approx(1.5)
    assert rows[0].lower == pytest.approx(0.1455 / 0.2, abs=1e-3) and rows[0].upper == pytest.approx(0.5190 / 0.2, abs=1e-3)
    assert rows[0].finding == "in line with the population"


def test_in_line_and_empty_groups():
    rows = rep.representation({"a": 50, "b": 50, "c": 0}, {"a": 1000, "b": 1000, "c": 10})
    assert rows[0].finding == "in line with the population"
    # None of 100: Wilson gives 0 to 0.0370, so a group with no adults still has an interval (0 to 7.4 here).
    assert rows[2].ratio == 0 and rows[2].lower == 0
    assert rows[2].upper == pytest.approx(0.0370 / (10 / 2010), abs=1e-2)
    assert rows[2].finding == "in line with the population"
    # None of 100 from a group that is half the population: under-represented, though the point value alone is 0.
    rows = rep.representation({"a": 100, "b": 0}, {"a": 1000, "b": 1000})
    assert rows[1].finding == "under-represented"


def test_age_bands_combine_85_plus_and_leave_out_unknown():
    counts = pd.DataFrame({"Age band": ["18-64", "65-74", "75-84", "85-94", "95+", "Not known"],
                           "Individuals": [390, 140, 200, 220, 50, 7]})
    rows, unknown = rep.by_age(counts, "Luton")
    assert [r.group for r in rows] == ["18-64", "65-74", "75-84", "85+"]
    assert rows[3].count == 270 and unknown == 7


def test_age_standardised_rate_by_hand():
    counts = {"18-64": 128, "65-74": 28, "75-84": 36, "85+": 39}
    pop = {"18-64": 128_482, "65-74": 14_040, "75-84": 8_989, "85+": 3_943}
    w = {"18-64": 0.765, "65-74": 0.126, "75-84": 0.078, "85+": 0.032}
    expected = sum(w[b] * 100_000 * counts[b] / pop[b] for b in w) / sum(w.values())
    assert rep.age_standardised_rate(counts, pop) == pytest.approx(expected)


def test_publication_mode_hides_small_groups():
    rows = rep.representation({"a": 3, "b": 97}, {"a": 100, "b": 900})
    table = rep.representation_frame(rows, "Group", publish=True)
    assert table.iloc[0].tolist()[1:] == ["[c]", "[c]", 10.0, "[c]", "[c]", "[c]"]
    # With two groups the shares add to 100%: b would give a away, so it is hidden as well.
    assert table.iloc[1]["Adults in safeguarding"] == "[c]" and table.iloc[1]["Ratio"] == "[c]"
    rows = rep.representation({"a": 3, "b": 97, "c": 40}, {"a": 100, "b": 900, "c": 500})
    table = rep.representation_frame(rows, "Group", publish=True)
    assert table["Adults in safeguarding"].tolist() == ["[c]", 95, "[c]"]  # the smallest other group goes with a
    assert table.iloc[1]["Share %"] == 67.9  # from the rounded counts: 95 / (5 + 95 + 40)
