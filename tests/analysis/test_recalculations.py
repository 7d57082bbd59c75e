"""SPC recalculation points and SPC on each quarter's own figure, through the figures the pages and the pack use."""

from datetime import datetime

import pytest
from sqlalchemy import select

from assurance.access.accounts import UserInfo
from assurance.access.audit import search
from assurance.access.roles import AccessDenied
from assurance.analysis.recalculations import RecalculationError, add_recalculation, recalculations
from assurance.db.models import AuditResult, ReportingPeriod, Submission
from assurance.measures.compute import compute_figures, scorecard, scorecard_frame
from tests.measures import dataset

QA = UserInfo(7, "quinn", "Quinn QA", "qa")
ANALYST = UserInfo(8, "ann", "Ann Analyst", "analyst", 1, "LA")


def test_qa_records_a_recalculation_point_and_it_is_audited(engine, config_copy):
    add_recalculation(engine, QA, "decision_timeliness", "2025-26 q3", "New triage team from October.",
                      now=datetime(2026, 1, 5, 9, 30))
    add_recalculation(engine, QA, "decision_timeliness", "2024-25 Q1", "Front door moved to the hub.")
    assert recalculations(engine) == {"decision_timeliness": [("2024-25 Q1", "Front door moved to the hub."),
                                                              ("2025-26 Q3", "New triage team from October.")]}
    assert recalculations(engine, partner_id=1) == {}
    events = search(engine, action="spc recalculation recorded")
    assert sorted(events["Target"]) == ["decision_timeliness from 2024-25 Q1", "decision_timeliness from 2025-26 Q3"]
    assert set(events["Who"]) == {"quinn"}


@pytest.mark.parametrize("by, measure, period, reason, error", [
    (ANALYST, "decision_timeliness", "2025-26 Q3", "A reason.", AccessDenied),
    (QA, "decision_timeliness", "2025-26 Q3", "  ", RecalculationError),
    (QA, "no_such_measure", "2025-26 Q3", "A reason.", RecalculationError),
    (QA, "decision_timeliness", "next spring", "A reason.", RecalculationError),
])
def test_refused(engine, config_copy, by, measure, period, reason, error):
    with pytest.raises(error):
        add_recalculation(engine, by, measure, period, reason)
    assert recalculations(engine) == {}


def test_one_point_per_quarter(engine, config_copy):
    add_recalculation(engine, QA, "felt_safer", "2025-26 Q3", "New survey.")
    with pytest.raises(RecalculationError, match="already"):
        add_recalculation(engine, QA, "felt_safer", "2025-26 Q3", "Again.")


def test_a_rolling_measure_is_charted_on_each_quarters_own_figure(engine, config_copy):
    # The hand-made Board has audits in 2025-26 Q3 only (2 of 3 good or better). The four-quarter figure repeats
    # them in the four quarters to 2026-27 Q2; each quarter's own figure has them once.
    dataset.build(engine)
    fs = compute_figures(engine)
    rolling = [(x.period, x.numerator, x.denominator) for x in fs.series("audit_good", "2026-27 Q2", 8) if x.has_data]
    assert rolling == [("2025-26 Q3", 2, 3), ("2025-26 Q4", 2, 3), ("2026-27 Q1", 2, 3), ("2026-27 Q2", 2, 3)]
    quarters = [(x.period, x.numerator, x.denominator) for x in fs.quarter_series("audit_good", "2026-27 Q2")
                if x.has_data]
    assert quarters == [("2025-26 Q3", 2, 3)]
    row = next(r for r in scorecard(fs, "2026-27 Q2") if r.measure.id == "audit_good")
    frame = scorecard_frame([row], publish=False)
    assert (frame["Variation"].iloc[0], frame["Assurance"].iloc[0]) == ("Too few quarters", "")


def test_demo_quarters_add_up_to_the_four_quarter_figures(demo_engine):
    # Independently of the figure machinery: count the demo's graded audits per quarter from the audit table.
    with demo_engine.connect() as c:
        rows = c.execute(select(ReportingPeriod.label, AuditResult.overall_grade)
                         .join(Submission, Submission.id == AuditResult.submission_id)
                         .join(ReportingPeriod, ReportingPeriod.id == AuditResult.period_id)
                         .where(Submission.status == "accepted")).all()
    fs = compute_figures(demo_engine)
    last = fs.periods[-1]
    quarters = {x.period: x for x in fs.quarter_series("audit_good", last) if x.has_data}
    assert len(quarters) >= 8
    for label, x in quarters.items():
        graded = [g for p, g in rows
                  if p == label and g in ("Outstanding", "Good", "Requires improvement", "Inadequate")]
        assert (x.numerator, x.denominator) == (sum(g in ("Outstanding", "Good") for g in graded), len(graded)), label


def test_a_recalculation_point_splits_the_scorecards_spc(demo_copy_url, config_copy):
    from assurance.db.engine import get_engine

    engine = get_engine(demo_copy_url)
    fs = compute_figures(engine)
    last = fs.periods[-1]
    point = fs.periods[-6]
    add_recalculation(engine, QA, "staff_trained", point, "Training moved online.")
    fs = compute_figures(engine)
    row = next(r for r in scorecard(fs, last) if r.measure.id == "staff_trained")
    assert row.recalculate_from == [(point, "Training moved online.")]
    # The latest limits come from the last six quarters alone: their mean, by hand from the figures' values.
    values = [x.value for x in row.quarters if x.value is not None]
    from assurance.measures.variation import measure_spc

    spc = measure_spc(row.quarters, row.measure, row.recalculate_from, publish=False)
    assert [s.start for s in spc.result.segments] == [0, len(values) - 6]
    assert spc.result.mean == pytest.approx(sum(values[-6:]) / 6)
    assert f"Limits worked out afresh from {point} (Training moved online)." in spc.describe()


def test_publication_mode_charts_the_published_figures(engine, config_copy):
    import dataclasses

    from assurance.measures.variation import measure_spc

    dataset.build(engine)
    fs = compute_figures(engine)
    real = fs.get("concerns", dataset.Q3)
    labels = ["2024-25 Q4", "2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4"]

    def series(counts):
        return [dataclasses.replace(real, period=p, numerator=n, value=n) for p, n in zip(labels, counts)]

    m = fs.framework.get("concerns")
    # 12, 3, 18, 23, 7 are published as 10, [c], 20, 25, 5: the [c] quarter is left out, the others rounded.
    spc = measure_spc(series([12, 3, 18, 23, 7]), m, [], publish=True)
    assert (spc.periods, spc.values) == ([labels[0], *labels[2:]], [10, 20, 25, 5])
    assert spc.result.mean == pytest.approx(15)
    assert spc.labels() == {"Variation": "Common cause", "Assurance": ""}
    unrounded = measure_spc(series([12, 3, 18, 23, 7]), m, [], publish=False)
    assert unrounded.values == [12, 3, 18, 23, 7]
    # The latest quarter withheld: variation is judged on the latest quarter, so none is given.
    assert measure_spc(series([12, 30, 18, 23, 2]), m, [], publish=True).labels() == {"Variation": "", "Assurance": ""}
