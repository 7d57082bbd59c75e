"""Measures against figures worked out by hand from tests/measures/dataset.py.

Concerns received in 2025-26 Q3 (7; a superseded return's concern is ignored):
  C1 P1 Wed 24 Dec, decided Mon 29 Dec: 25 and 26 Dec are bank holidays, 27-28 a weekend -> 1 working day (within)
  C2 P1 24 Dec, decided Wed 31 Dec -> 3 working days (not within); same day as C1, so not a repeat; Refused
  C3 P2 Fri 3 Oct, decided Tue 7 Oct -> 2 (within); Other enquiry; Not Known
  C4 P2 20 Nov, no decision (not within); P2 had C3 on 3 Oct -> repeat
  C5 P3 3 Nov, decided same day -> 0 (within); P3 had C0 on 1 May 2025 -> repeat
  C6 P4 10 Nov, decided Fri 14 Nov -> 4 (not within); P4's last concern was 366 days before -> not a repeat
  C7 P5 10 Nov, decided 11 Nov -> 1 (within); P5's last concern exactly 365 days before -> repeat
So: conversion 3/7, decisions 4/7, repeats 3/7, ethnicity recorded 5/7.
S42 enquiries concluded (E1-E4; E5 is an Other enquiry): within 60 days E1 (60), E3, E4 -> 3/4 (E2 took 61);
asked E1 E2 E4 -> 3/4; achieved: E1 fully, E4 not -> 1/2; risk: E1 reduced, E2 remained, E4 removed -> 2/3;
lacked capacity E1 (supported), E2 (not) -> 1/2; felt safer: E1 yes, E2 no -> 1/2.
Staff trained: POL 90/100, ACU 170/200, Board 260/300 (POL's superseded 10/100 ignored).
Audits: POL Good, ACU Inadequate, POL Outstanding -> 2/3. SAR actions due in Q3: one on time, one late -> 1/2.
"""

import dataclasses
import json

import pytest

from assurance.cli import main
from assurance.measures.compute import compute_figures, period_figures
from assurance.measures.framework import framework
from assurance.measures.rag import rag
from tests.measures import dataset

EXPECTED = {
    "concerns": (7, None, 7),
    "concern_rate": (7, 155_454, 4.5),
    "conversion": (3, 7, 42.9),
    "decision_timeliness": (4, 7, 57.1),
    "repeat_concerns": (3, 7, 42.9),
    "ethnicity_recorded": (5, 7, 71.4),
    "enquiry_timeliness": (3, 4, 75.0),
    "msp_asked": (3, 4, 75.0),
    "msp_achieved": (1, 2, 50.0),
    "risk_reduced_removed": (2, 3, 66.7),
    "capacity_supported": (1, 2, 50.0),
    "felt_safer": (1, 2, 50.0),
    "staff_trained": (260, 300, 86.7),
    "audit_good": (2, 3, 66.7),
    "audit_good_risk": (0, 3, 0.0),
    "audit_good_capacity": (0, 0, None),
    "audit_actions": (1, None, 1),
    "sar_actions_on_time": (1, 2, 50.0),
}


@pytest.fixture
def board_engine(engine):
    dataset.build(engine)
    return engine


def test_board_figures_match_the_hand_count(board_engine):
    figures = {f.measure: f for f in period_figures(board_engine, dataset.Q3)}
    for measure, (num, den, value) in EXPECTED.items():
        f = figures[measure]
        assert (f.numerator, f.denominator, f.value_shown) == (num, den, value), measure
        if value is not None and f.unit != "count":  # kept unrounded; rounded only where shown
            scale = 100_000 if f.unit == "per 100,000" else 100
            assert f.value == pytest.approx(scale * num / den, abs=1e-9), measure
    # Every percentage here rests on fewer than 10 cases: marked small and not rated.
    assert figures["msp_asked"].small and figures["msp_asked"].rag is None
    assert not figures["staff_trained"].small and figures["staff_trained"].rag == "amber"  # 86.7 vs 90, tolerance 5


def test_partner_figures(board_engine):
    pol = {f.measure: f for f in period_figures(board_engine, dataset.Q3, "POL")}
    assert (pol["staff_trained"].numerator, pol["staff_trained"].denominator, pol["staff_trained"].value) == (90, 100, 90.0)
    assert pol["staff_trained"].rag == "green"  # exactly on target
    assert (pol["audit_good"].numerator, pol["audit_good"].denominator) == (2, 2)
    assert "concerns" not in pol  # the police do not make the activity return
    acu = {f.measure: f for f in period_figures(board_engine, dataset.Q3, "ACU")}
    assert acu["staff_trained"].value == 85.0 and acu["staff_trained"].rag == "amber"  # on the edge of tolerance
    la = {f.measure: f for f in period_figures(board_engine, dataset.Q3, "LA")}
    assert la["concerns"].numerator == 7 and la["staff_trained"].numerator is None  # no assurance return: no data


def test_rolling_basis_and_no_data(board_engine):
    fs = compute_figures(board_engine)
    assert fs.get("audit_good", "2025-26 Q2").numerator is None  # before the audits
    assert fs.get("audit_good", "2026-27 Q2").numerator == 2  # Q3's audits still inside the four quarters to Q2
    assert fs.get("concerns", "2025-26 Q4").numerator is None and fs.get("concerns", "2025-26 Q4").value is None


def test_small_denominator_threshold_from_the_framework(board_engine):
    fw = dataclasses.replace(framework(), min_denominator=2)
    figures = compute_figures(board_engine, fw=fw)
    f = figures.get("decision_timeliness", dataset.Q3)
    assert not f.small and f.rag == "red"  # 57.1 against 80 with 5 tolerance
    assert figures.get("repeat_concerns", dataset.Q3).rag == "red"  # lower is better: 42.9 against 20 + 3
    assert figures.get("conversion", dataset.Q3).rag is None  # information only, never rated
    assert figures.get("msp_achieved", dataset.Q3).rag == "red"
    assert figures.get("capacity_supported", dataset.Q3).rag == "red"


@pytest.mark.parametrize(
    "value,polarity,target,tol,expected",
    [
        (80.0, "higher", 80, 5, "green"), (79.9, "higher", 80, 5, "amber"), (75.0, "higher", 80, 5, "amber"),
        (74.9, "higher", 80, 5, "red"), (20.0, "lower", 20, 3, "green"), (23.0, "lower", 20, 3, "amber"),
        (23.1, "lower", 20, 3, "red"), (50.0, "information", None, 0, None), (None, "higher", 80, 5, None),
        (99.0, "higher", 100, 0, "red"), (100.0, "higher", 100, 0, "green"),
    ],
)
def test_rag_edges(value, polarity, target, tol, expected):
    assert rag(value, polarity, target, tol) == expected


def test_measures_command_json(board_engine, capsys):
    assert main(["measures", "--period", "2025/26 Q3", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    keys = {"measure", "name", "period", "partner", "numerator", "denominator", "value", "unit", "target", "polarity", "rag",
            "value_shown", "quarters_with_data", "window_quarters", "not_collected", "published"}
    assert all(set(r) == keys for r in rows)
    by = {r["measure"]: r for r in rows}
    assert by["decision_timeliness"] == {
        "measure": "decision_timeliness", "name": "Concern decisions within 2 working days", "period": "2025-26 Q3",
        "partner": None, "numerator": 4, "denominator": 7, "value": pytest.approx(400 / 7), "value_shown": 57.1,
        "unit": "%", "target": 80.0, "polarity": "higher", "rag": None, "quarters_with_data": 1, "window_quarters": 1,
        "not_collected": False, "published": False,
    }
    assert by["concern_rate"]["unit"] == "per 100,000" and by["concerns"]["unit"] == "count"
    assert main(["measures", "--period", "2025-26 Q3", "--partner", "POL", "--format", "json"]) == 0
    pol = {r["measure"]: r for r in json.loads(capsys.readouterr().out)}
    assert pol["staff_trained"]["partner"] == "POL" and pol["staff_trained"]["rag"] == "green"


def test_measures_command_errors(board_engine, capsys):
    assert main(["measures", "--period", "2015-16 Q1"]) == 1
    assert "no reporting period 2015-16 Q1" in capsys.readouterr().err
    assert main(["measures", "--period", "2025-26 Q3", "--partner", "NOPE"]) == 1
    assert main(["measures", "--period", "not a period"]) == 1
    assert main(["measures", "--period", "2025-26 Q3", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("measure,name,period,partner,numerator,denominator,value,unit,target,polarity,rag,value_shown,"
                      "quarters_with_data,window_quarters,not_collected,published")


def test_demo_figures_agree_with_the_facts(demo_engine):
    """The stored quarterly figures agree with a direct count over the demo's facts."""
    from sqlalchemy import text

    fs = compute_figures(demo_engine)
    with demo_engine.connect() as c:
        pid = c.execute(text("SELECT id FROM periods WHERE label = '2026-27 Q1'")).scalar()
        n, s42 = c.execute(text(
            "SELECT count(*), sum(CASE WHEN outcome <> 'No enquiry' THEN 1 ELSE 0 END) FROM concerns WHERE period_id = :p"
        ), {"p": pid}).one()
    f = fs.get("conversion", "2026-27 Q1")
    assert (f.numerator, f.denominator) == (s42, n)


def test_changes_read_as_whole_numbers_for_counts_and_points_for_percentages():
    from assurance.measures.compute import Figure, change_text

    def fig(value, numerator, unit="count", denominator=None):
        return Figure("m", "M", "data", "2026-27 Q2", None, numerator, denominator, value, unit, None, "information",
                      None, False, "quarter")

    assert change_text(fig(701.0, 701), fig(653.0, 653), 48.0, publish=False) == "+48"
    assert change_text(fig(650.0, 650), fig(681.0, 681), -31.0, publish=False) == "-31"
    assert change_text(fig(701.0, 701), fig(698.0, 698), 3.0, publish=True) == "+0"  # 700 and 700 once rounded
    assert change_text(fig(12.5, 125, "per 100,000", 1000), fig(12.0, 120, "per 100,000", 1000), 0.5, False) == "+0.5"
    assert change_text(fig(60.5, 121, "%", 200), fig(58.0, 116, "%", 200), 2.5, publish=False) == "+2.5 pts"
