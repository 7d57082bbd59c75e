import pandas as pd
import pytest

from assurance import disclosure as d


@pytest.mark.parametrize("n,shown", [(0, 0), (1, "[c]"), (4, "[c]"), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15), (702, 700), (None, "[x]")])
def test_counts(n, shown):
    assert d.publish_count(n) == shown


@pytest.mark.parametrize(
    "num,den,shown",
    [(3, 9, "[c]"), (3, 10, "[c]"), (5, 10, 50.0), (0, 0, "[x]"), (0, 50, 0.0), (None, 50, "[x]"),
     # from the rounded counts: 425 / 700 = 60.714..., 45 / 50 = 90.0 (not 45/52's 86.5)
     (426, 701, 60.7), (45, 52, 90.0),
     # the remainder is 1 to 4: 20 of 21 would say 1 adult was not asked; 7 of 11 that 4 were not
     (20, 21, "[c]"), (7, 11, "[c]"), (96, 100, "[c]"), (95, 100, 95.0),
     # halves go up: 65 / 80 = 81.25
     (65, 80, 81.3)],
)
def test_percentages_come_from_the_rounded_counts_and_hide_small_counts_and_small_remainders(num, den, shown):
    assert d.publish_percent(num, den) == shown


def test_rates_come_from_the_rounded_count_and_hide_small_counts():
    assert d.publish_rate(3, 155_454) == "[c]"
    assert d.publish_rate(701, 155_454) == 450.3  # 100,000 x 700 / 155,454 = 450.294...


@pytest.mark.parametrize("x,shown", [(81.25, 81.3), (0.05, 0.1), (2.675, 2.7), (-1.25, -1.3), (89.98, 90.0)])
def test_round_half_up(x, shown):
    assert d.round_half_up(x, 1) == shown


@pytest.mark.parametrize("role,board_mode,destination,published", [
    ("qa", False, "screen", False), ("qa", True, "screen", True), ("qa", False, "cli", False),
    ("qa", True, "cli", True), ("qa", False, "download", True), ("qa", False, "pack", True),
    ("partner_lead", False, "screen", True), ("partner_lead", False, "cli", True), ("chair", False, "screen", False), ("analyst", False, "screen", True),
    (None, False, "cli", False), (None, True, "cli", True),
])
def test_one_function_decides_whether_figures_are_published(role, board_mode, destination, published):
    from assurance.access.accounts import UserInfo

    user = None if role is None else UserInfo(1, role, role, role)
    assert d.publish_for(user, board_mode, destination) is published


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
    # 40 of 52 is worked out from the rounded counts: 40 / 50 = 80.0
    assert out["Enquiries"].tolist() == ["[c]", 40, "[c]"] and out["%"].tolist() == ["[c]", 80.0, "[c]"]


def test_a_single_count_column_gets_a_total_row_but_no_total_column():
    out = d.publish_table(pd.DataFrame({"Group": ["a", "b", "c"], "n": [3, 6, 7]}), ["n"], add_totals=True)
    assert "Total" not in out.columns and out["n"].tolist() == ["[c]", "[c]", 5, 15]


def test_hidden_in_breakdown_adds_secondary_suppression():
    assert d.hidden_in_breakdown([3, 40, 9]) == [True, False, True]
    assert d.hidden_in_breakdown([3, 2, 40]) == [True, True, False] and d.hidden_in_breakdown([]) == []
