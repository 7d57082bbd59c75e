import pandas as pd
import pytest

from assurance import disclosure as d


@pytest.mark.parametrize("n,shown", [(0, 0), (1, "[c]"), (4, "[c]"), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15), (702, 700), (None, "[x]")])
def test_counts(n, shown):
    assert d.publish_count(n) == shown


@pytest.mark.parametrize(
    "num,den,shown",
    [(3, 9, "[c]"), (3, 10, "[c]"), (5, 10, 50.0), (7, 11, 63.6), (0, 0, "[x]"), (0, 50, 0.0), (None, 50, "[x]"),
     (426, 701, 60.8)],
)
def test_percentages_use_unrounded_counts_and_withhold_small_denominators_and_numerators(num, den, shown):
    assert d.publish_percent(num, den) == shown


def test_rates_hide_small_counts():
    assert d.publish_rate(3, 155_454) == "[c]"
    assert d.publish_rate(701, 155_454) == 450.9


def test_secondary_suppression_in_rows_and_columns():
    #            A   B   C
    # Male       3  20  40     -> 3 is primary; 20 (smallest other in the row) is secondary
    # Female    12  30  50     -> column A then has one hidden cell (3): 12 is hidden too
    body = pd.DataFrame({"Group": ["Male", "Female"], "A": [3, 12], "B": [20, 30], "C": [40, 50]})
    out = d.publish_table(body, ["A", "B", "C"])
    assert out["A"].tolist() == ["[c]", "[c]"]
    assert out["B"].tolist() == ["[c]", "[c]"]  # row Female then has two hidden cells, column B needs a second
    assert out["C"].tolist() == [40, 50]
    assert not d.reveals_hidden_cell(out[["A", "B", "C"]])


def test_no_secondary_needed_when_two_small_cells_share_a_line():
    body = pd.DataFrame({"Age": ["18-64"], "X": [2], "Y": [3], "Z": [100]})
    out = d.publish_table(body, ["X", "Y", "Z"], column_totals=False)
    assert out.iloc[0].tolist() == ["18-64", "[c]", "[c]", 100]


def test_totals_from_unrounded_counts():
    body = pd.DataFrame({"Type": ["Physical", "Neglect"], "Q1": [12, 23], "Q2": [8, 17]})
    out = d.publish_table(body, ["Q1", "Q2"], add_totals=True)
    assert out.iloc[-1].tolist() == ["Total", 35, 25, 60]  # 35, 25 and 60 from 12+23, 8+17, 60
    assert out["Total"].tolist()[:2] == [20, 40]  # 20 and 40 rounded from 20 and 40


def test_zero_cells_do_not_protect_a_hidden_one():
    body = pd.DataFrame({"g": ["a"], "X": [2], "Y": [0], "Z": [9]})
    out = d.publish_table(body, ["X", "Y", "Z"], column_totals=False)
    assert out.iloc[0].tolist() == ["a", "[c]", 0, "[c]"]


def test_a_percentage_is_withheld_with_its_hidden_count():
    body = pd.DataFrame({"Outcome": ["Removed", "Reduced", "Remained"], "Enquiries": [3, 40, 9], "%": [5.8, 76.9, 17.3]})
    out = d.publish_table(body, ["Enquiries"], percent_columns={"%": "Enquiries"})
    # 3 is hidden, and 9 with it (else the total less the rest gives 3 back); their percentages go too.
    assert out["Enquiries"].tolist() == ["[c]", 40, "[c]"] and out["%"].tolist() == ["[c]", 76.9, "[c]"]


def test_a_single_count_column_gets_a_total_row_but_no_total_column():
    out = d.publish_table(pd.DataFrame({"Group": ["a", "b", "c"], "n": [3, 6, 7]}), ["n"], add_totals=True)
    assert "Total" not in out.columns and out["n"].tolist() == ["[c]", "[c]", 5, 15]


def test_hidden_in_breakdown_adds_secondary_suppression():
    assert d.hidden_in_breakdown([3, 40, 9]) == [True, False, True]
    assert d.hidden_in_breakdown([3, 2, 40]) == [True, True, False] and d.hidden_in_breakdown([]) == []
