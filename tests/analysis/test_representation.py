import math

import pandas as pd
import pytest

from assurance.analysis import representation as rep


def test_ratio_and_interval_by_hand():
    # 30 of 100 adults in safeguarding are 85+, against 3,943 of 155,454 adults in the population.
    rows = rep.representation({"young": 70, "old": 30}, {"young": 151_511, "old": 3_943})
    old = rows[1]
    expected = (30 / 100) / (3943 / 155454)
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 3943 - 1 / 155454)
    assert old.ratio == pytest.approx(expected)
    assert old.lower == pytest.approx(expected * math.exp(-1.959964 * se))
    assert old.upper == pytest.approx(expected * math.exp(1.959964 * se))
    assert old.finding == "over-represented" and rows[0].finding == "under-represented"
    assert old.share == pytest.approx(30.0) and old.population_share == pytest.approx(100 * 3943 / 155454)


def test_in_line_and_empty_groups():
    rows = rep.representation({"a": 50, "b": 50, "c": 0}, {"a": 1000, "b": 1000, "c": 10})
    assert rows[0].finding == "in line with the population"
    assert rows[2].ratio == 0 and rows[2].lower is None and rows[2].finding == "too few to say"


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
    assert table.iloc[1]["Share %"] == round(100 * 97 / 140, 1)
