"""Figures exactly right: RAG on the unrounded value, halves rounded up for display, and "not collected" kept apart
from 0. Expected values are worked out here by hand (fractions), not by the code under test."""

from __future__ import annotations

import json
from datetime import datetime
from fractions import Fraction

import pytest
from sqlalchemy import select, text

from assurance.db.engine import session_scope
from assurance.db.models import AssuranceMeasure, Partner, ReportingPeriod, Submission
from assurance.measures.compute import Figure, compute_figures
from assurance.measures.framework import Framework, MeasureDef

Q3 = "2024-25 Q3"


def measure(id_, unit="%", polarity="higher", target=90.0, tolerance=5.0, basis="quarter", applies_to="assurance"):
    return MeasureDef(id=id_, name=id_.replace("_", " ").capitalize(), strand="quality", numerator="n",
                      denominator=None if unit == "count" else "d", polarity=polarity, unit=unit,
                      applies_to=applies_to, basis=basis, definition=id_, target=target if polarity != "information" else None,
                      tolerance=tolerance)


FRAMEWORK = Framework((measure("mca_training"), measure("staff_trained"),
                       measure("dols_applications", unit="count", polarity="information"),
                       measure("concerns_raised", unit="count", polarity="information")), min_denominator=10)


def assurance_returns(engine, rows: list[tuple[str, str, str, int, int | None]]) -> None:
    """rows: (partner code, period, measure code, numerator, denominator); one accepted return per partner and period."""
    with session_scope(engine) as s:
        partner = {p.code: p.id for p in s.scalars(select(Partner))}
        period = {p.label: p.id for p in s.scalars(select(ReportingPeriod))}
        subs: dict[tuple[str, str], int] = {}
        for code, label, mcode, num, den in rows:
            if (code, label) not in subs:
                sub = Submission(partner_id=partner[code], period_id=period[label], return_type="assurance",
                                 file_name="x.xlsx", sha256="0" * 64, submitted_by="test",
                                 submitted_at=datetime(2025, 1, 20), status="accepted", source="cli", row_count=0,
                                 error_count=0, query_count=0)
                s.add(sub)
                s.flush()
                subs[(code, label)] = sub.id
            s.add(AssuranceMeasure(submission_id=subs[(code, label)], partner_id=partner[code], period_id=period[label],
                                   measure_code=mcode, numerator=num, denominator=den))


# --- RAG on the unrounded value --------------------------------------------------------------------------------


def test_rag_is_judged_on_the_unrounded_value(engine):
    # MHT's MCA training: 2,307 of 2,564 = 89.976...%, shown as 90.0 once rounded, but short of a target of 90
    assurance_returns(engine, [("MHT", Q3, "mca_training", 2307, 2564)])
    f = compute_figures(engine, "MHT", fw=FRAMEWORK).get("mca_training", Q3)
    assert f.value == pytest.approx(float(Fraction(230_700, 2564)), abs=1e-9)
    assert f.value < 90
    assert f.rag == "amber"
    board = compute_figures(engine, fw=FRAMEWORK).get("mca_training", Q3)
    assert board.rag == "amber"


def test_measures_json_carries_the_unrounded_value_and_the_rag_from_it(engine, capsys, monkeypatch, tmp_path):
    from assurance.cli import main

    framework_file = tmp_path / "framework.toml"
    framework_file.write_text(
        '[settings]\nmin_denominator = 10\n\n[[measure]]\nid = "mca_training"\nname = "MCA training"\nstrand = "quality"\n'
        'numerator = "n"\ndenominator = "d"\npolarity = "higher"\ntarget = 90.0\ntolerance = 5.0\nunit = "%"\n'
        'applies_to = "assurance"\n\n[[measure]]\nid = "dols_applications"\nname = "DoLS applications"\n'
        'strand = "data"\nnumerator = "n"\npolarity = "information"\nunit = "count"\napplies_to = "assurance"\n',
        encoding="utf-8")
    monkeypatch.setenv("ASSURANCE_FRAMEWORK", str(framework_file))
    assurance_returns(engine, [("MHT", Q3, "mca_training", 2307, 2564)])
    assert main(["measures", "--period", Q3, "--partner", "MHT", "--format", "json"]) == 0
    rows = {r["measure"]: r for r in json.loads(capsys.readouterr().out)}
    mca = rows["mca_training"]
    assert (mca["numerator"], mca["denominator"], mca["target"], mca["rag"]) == (2307, 2564, 90.0, "amber")
    assert mca["value"] == pytest.approx(230_700 / 2564, abs=1e-9) and mca["value"] != 90.0
    assert mca["value_shown"] == 90.0  # rounded half up to one decimal place, for display
    dols = rows["dols_applications"]  # MHT's return has no DoLS row: not collected, so null, never 0
    assert (dols["numerator"], dols["value"], dols["rag"]) == (None, None, None)


# --- halves rounded up for display ------------------------------------------------------------------------------


def figure(num, den, unit="%", value=None):
    scale = 100 if unit == "%" else 100_000
    v = value if value is not None else (num if unit == "count" else scale * num / den)
    return Figure("m", "M", "data", Q3, None, num, den if unit != "count" else None, v, unit, None, "information",
                  None, False, "quarter")


@pytest.mark.parametrize("num,den,shown", [
    (39, 48, "81.3%"),   # 81.25: a half, rounded up (Python's round gives 81.2)
    (13, 16, "81.3%"),   # 81.25 again
    (1, 8, "12.5%"),
    (2307, 2564, "90.0%"),
    (7, 40, "17.5%"),
    (27, 80, "33.8%"),   # 33.75
])
def test_percentages_show_halves_rounded_up(num, den, shown):
    from assurance.disclosure import figure_text

    assert figure_text(figure(num, den), False) == shown


def test_published_percentages_and_rates_round_halves_up():
    from assurance.disclosure import publish_percent, publish_rate

    # published percentages come from the rounded counts: 65 / 80 = 81.25; 27 rounds to 25: 25 / 80 = 31.25
    assert publish_percent(65, 80) == 81.3
    assert publish_percent(27, 80) == 31.3
    assert publish_rate(5, 400_000) == 1.3  # 1.25 per 100,000


def test_rates_per_100000_show_halves_rounded_up():
    from assurance.disclosure import figure_text

    # 5 of 400,000 adults = 1.25 per 100,000
    assert figure_text(figure(5, 400_000, unit="per 100,000"), False) == "1.3"


def test_round_half_up_helper():
    from assurance.numbers import fmt, round_half_up, share

    assert round_half_up(81.25, 1) == 81.3 and round_half_up(2.675, 2) == 2.68 and round_half_up(-0.25, 1) == -0.3
    assert round_half_up(None) is None and round_half_up(float("nan")) is None
    assert share(39, 48) == 81.3 and share(1, 3) == 33.3 and share(2, 3) == 66.7 and share(5, 0) is None
    assert fmt(1234.25) == "1,234.3" and fmt(1.25, sign=True) == "+1.3"


def test_scorecard_changes_round_halves_up():
    from assurance.measures.compute import ScorecardRow

    # 81.25% now, 80.0% before: a change of 1.25 points, shown as +1.3
    assert ScorecardRow.change(figure(39, 48), figure(8, 10)) == 1.25
    from assurance.measures.compute import change_text

    assert change_text(figure(39, 48), figure(8, 10), 1.25, publish=False) == "+1.3 pts"


# --- not collected is not 0 ---------------------------------------------------------------------------------------


def test_a_measure_a_partner_does_not_report_is_not_collected(engine):
    assurance_returns(engine, [
        ("POL", Q3, "staff_trained", 90, 100),  # the police report training but no DoLS applications
        ("ACU", Q3, "staff_trained", 170, 200), ("ACU", Q3, "dols_applications", 5, None),
        ("MHT", Q3, "dols_applications", 0, None),  # a true zero, reported
    ])
    pol = compute_figures(engine, "POL", fw=FRAMEWORK)
    assert pol.get("dols_applications", Q3).numerator is None and pol.get("dols_applications", Q3).value is None
    assert pol.get("dols_applications", Q3).not_collected  # a return, but no DoLS row: not collected
    assert not pol.get("dols_applications", "2024-25 Q2").not_collected  # no return at all that quarter
    assert pol.get("staff_trained", Q3).numerator == 90
    mht = compute_figures(engine, "MHT", fw=FRAMEWORK)
    assert mht.get("dols_applications", Q3).value == 0  # reported as 0: a real zero
    assert mht.get("staff_trained", Q3).numerator is None  # MHT did not report training
    board = compute_figures(engine, fw=FRAMEWORK)
    assert board.get("dols_applications", Q3).numerator == 5  # ACU 5 + MHT 0; the police are not counted as 0
    assert board.get("concerns_raised", Q3).numerator is None  # nobody reports it
    assert (board.get("staff_trained", Q3).numerator, board.get("staff_trained", Q3).denominator) == (260, 300)


def test_not_collected_shows_as_x():
    from assurance.disclosure import figure_text

    assert figure_text(figure(None, None, unit="count", value=None), False) == "[x]"
    assert figure_text(figure(None, None, unit="count", value=None), True) == "[x]"


def test_demo_dols_applications_not_reported_are_null_not_zero(demo_engine):
    """Every partner-quarter with an assurance return but no DoLS row is null, not 0; counted straight from the facts."""
    with demo_engine.connect() as c:
        missing = c.execute(text(
            "SELECT p.code, per.label FROM submissions s JOIN partners p ON p.id = s.partner_id "
            "JOIN periods per ON per.id = s.period_id "
            "WHERE s.return_type = 'assurance' AND s.status = 'accepted' AND NOT EXISTS ("
            "  SELECT 1 FROM assurance_measures a WHERE a.submission_id = s.id AND a.measure_code = 'dols_applications')"
        )).all()
        reported = c.execute(text(
            "SELECT p.code, per.label, a.numerator FROM assurance_measures a JOIN submissions s ON s.id = a.submission_id "
            "JOIN partners p ON p.id = a.partner_id JOIN periods per ON per.id = a.period_id "
            "WHERE s.status = 'accepted' AND a.measure_code = 'dols_applications'"
        )).all()
    assert len(missing) > 0
    codes = {code for code, _ in missing}
    assert {"POL", "FIRE", "ICB", "PROB", "HSG", "AMB"} <= codes
    for code in sorted(codes):
        fs = compute_figures(demo_engine, code)
        for c_code, label in missing:
            if c_code == code:
                f = fs.get("dols_applications", label)
                if f is None:  # not a measure this partner's type makes (the framework's partner_types)
                    assert fs.framework.get("dols_applications").partner_types, code
                    continue
                assert f.numerator is None and f.value is None, (code, label)
    by_partner = {(code, label): n for code, label, n in reported}
    for code in sorted({code for code, _ in by_partner}):
        fs = compute_figures(demo_engine, code)
        for (c_code, label), n in by_partner.items():
            if c_code == code:
                assert fs.get("dols_applications", label).numerator == n
    board = compute_figures(demo_engine)
    totals: dict[str, int] = {}
    for (_, label), n in by_partner.items():
        totals[label] = totals.get(label, 0) + n
    for label, n in totals.items():
        assert board.get("dols_applications", label).numerator == n


def test_a_value_that_rounds_onto_its_target_shows_enough_places_to_tell_them_apart():
    from dataclasses import replace

    from assurance.disclosure import figure_text

    f = replace(figure(2307, 2564), target=90.0)  # 89.976...%: "90.0%" beside Amber would contradict itself
    assert figure_text(f, False) == "89.98%"
    assert figure_text(replace(figure(9, 10), target=90.0), False) == "90.0%"  # exactly on target
    assert figure_text(replace(figure(2307, 2564), target=85.0), False) == "90.0%"  # nowhere near: one place


def test_partner_figure_sets_read_once_equal_each_partner_computed_alone(demo_engine):
    """The board pack reads every partner's quarter figures in one go: each set equals that partner's own."""
    from assurance.directory import list_partners
    from assurance.measures.compute import partner_figure_sets

    codes = [p.code for p in list_partners(demo_engine)]
    together = partner_figure_sets(demo_engine, codes)
    for code in codes:
        alone = compute_figures(demo_engine, code)
        assert together[code].figures == alone.figures, code
        assert together[code].quarterly.figures == alone.quarterly.figures, code
        assert together[code].recalculations == alone.recalculations, code
    with pytest.raises(Exception, match="no partner with code 'NOPE'"):
        partner_figure_sets(demo_engine, ["NOPE"])
