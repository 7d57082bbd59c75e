"""Loading: one transaction, rejected loads change nothing, resubmissions supersede, big returns, concurrency."""

from datetime import date

import pytest
from sqlalchemy import func, select

from assurance.db.engine import get_engine
from assurance.db.models import (Concern, Enquiry, EnquiryRisk, ReportingPeriod, StoredFile, Submission,
                                 ValidationIssue)
from assurance.returns.load import load_bytes
from tests.conftest import BACKEND
from tests.returns.builders import (CONCERN_HEADERS, ENQUIRY_HEADERS, activity_sheets, at_once, concern_rows,
                                    enquiry_rows, fast_xlsx, measure_sheets, xlsx)
from tests.returns.conftest import snapshot


def test_clean_activity_return_loads_rows_like_the_demo(load, engine):
    sheets = activity_sheets(10)
    result = load(sheets)
    assert result.loaded and result.rows_loaded == 10 + 4
    with engine.connect() as c:
        first = c.execute(select(Concern).where(Concern.concern_ref == "C0000003")).one()
        assert (first.person_id, first.date_received, first.decision_date, first.referral_source, first.age_band,
                first.gender, first.ethnicity_detailed, first.ethnicity_broad, first.primary_support_reason,
                first.outcome) == ("P0000005", date(2025, 7, 3), date(2025, 7, 5), "Acute hospital", "18-64",
                                   "Female", "Caribbean", "Black / African / Caribbean / Black British",
                                   "Support with Memory and Cognition", "Section 42 enquiry")
        enq = c.execute(select(Enquiry).where(Enquiry.enquiry_ref == "E0000001")).one()
        assert (enq.concern_ref, enq.enquiry_type, enq.risk_outcome, enq.capacity_support, enq.msp_achieved,
                enq.felt_safer) == ("C0000003", "Section 42", "Risk reduced", "Yes", "Fully achieved", "Not asked")
        risks = c.execute(select(EnquiryRisk.dimension, EnquiryRisk.category).where(EnquiryRisk.enquiry_id == enq.id)
                          .order_by(EnquiryRisk.id)).all()
        assert [tuple(r) for r in risks] == [("type", "Neglect and Acts of Omission"), ("type", "Financial or Material Abuse"),
                                             ("location", "Own Home"), ("source", "Other - Known to individual")]
        sub = c.execute(select(Submission)).one()
        assert (sub.status, sub.row_count, sub.error_count, sub.submitted_by, sub.file_name) == \
            ("accepted", 14, 0, "tester", "LA 2025-26 Q2.xlsx")
        stored = c.execute(select(StoredFile)).one()
        assert stored.sha256 == sub.sha256 and stored.size == len(stored.content) > 0
        assert __import__("hashlib").sha256(stored.content).hexdigest() == sub.sha256


def test_rejected_load_changes_nothing_but_keeps_the_attempt(load, engine):
    assert load(activity_sheets(10)).loaded
    before = snapshot(engine)
    bad = activity_sheets(12)
    bad["Concerns"][3][5] = 12
    result = load(bad)
    assert result.status == "rejected"
    after = snapshot(engine)
    for table in ("concerns", "enquiries", "enquiry_risks", "assurance_measures", "audit_results", "accepted"):
        assert after[table] == before[table], table
    assert after["submissions"] == before["submissions"] + 1
    with engine.connect() as c:
        row = c.execute(select(Submission.status, Submission.error_count).where(Submission.id == result.submission_id)).one()
        assert tuple(row) == ("rejected", 1)
        issue = c.execute(select(ValidationIssue).where(ValidationIssue.submission_id == result.submission_id)).one()
        assert (issue.rule, issue.sheet, issue.row, issue.column, issue.value) == ("AGE_UNDER_18", "Concerns", 4, "F", "12")


def test_resubmission_supersedes_and_only_accepted_facts_count(load, engine):
    first = load(activity_sheets(10))
    second = load(activity_sheets(15), "LA 2025-26 Q2 v2.xlsx")
    assert second.superseded == [first.submission_id]
    with engine.connect() as c:
        rows = {r.id: (r.status, r.superseded_by_id) for r in c.execute(select(Submission))}
        assert rows == {first.submission_id: ("superseded", second.submission_id), second.submission_id: ("accepted", None)}
        assert c.scalar(select(func.count()).select_from(Concern)) == 25  # both kept
        live = c.scalar(select(func.count()).select_from(Concern).join(Submission, Submission.id == Concern.submission_id)
                        .where(Submission.status == "accepted"))
        assert live == 15


def test_measure_loads_and_same_file_is_stored_once(load, engine):
    data = xlsx(measure_sheets())
    assert load(data, "POL 2025-26 Q2.xlsx").loaded
    assert load(data, "POL 2025-26 Q2 again.xlsx").loaded
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(StoredFile)) == 1
        assert c.scalar(select(func.count()).select_from(Submission).where(Submission.status == "accepted")) == 1


def test_a_clean_100000_row_activity_return_loads_completely(engine):
    concerns = concern_rows(100_000)
    enquiries = enquiry_rows(concerns)
    data = fast_xlsx({"Concerns": [CONCERN_HEADERS, *concerns], "Enquiries": [ENQUIRY_HEADERS, *enquiries]})
    result = load_bytes(data, "LA 2025-26 Q2.xlsx", engine, "tester")
    assert result.loaded, result.report.issues[:5]
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(Concern)) == 100_000
        assert c.scalar(select(func.count()).select_from(Enquiry)) == len(enquiries) == 40_000
        assert c.scalar(select(func.count()).select_from(EnquiryRisk)) == 40_000 * 3 + 8_000
        last = c.execute(select(Concern.concern_ref, Concern.date_received).where(Concern.concern_ref == "C0100000")).one()
        assert tuple(last) == ("C0100000", date(2025, 9, 26))  # row 99,999: 1 July + (99,999 mod 92) days


def test_two_loads_at_once_never_leave_two_accepted(db_url):
    data = [xlsx(measure_sheets()), xlsx({"Measures": [r[:] for r in measure_sheets()["Measures"]][:4]})]
    engine = get_engine(db_url)
    results, errors = at_once(*(lambda k=k: load_bytes(data[k], f"POL 2025-26 Q2 copy {k}.xlsx", engine, f"user{k}")
                                for k in range(2)))
    assert errors == []
    assert all(r.loaded for r in results)
    engine = get_engine(db_url)
    with engine.connect() as c:
        subs = c.execute(select(Submission.id, Submission.status, Submission.superseded_by_id).order_by(Submission.id)).all()
    assert [s.status for s in subs] == ["superseded", "accepted"]  # in order: the later one supersedes the earlier
    assert subs[0].superseded_by_id == subs[1].id
    assert BACKEND in ("sqlite", "postgresql")


def test_partial_unique_index_forbids_two_accepted(engine):
    from sqlalchemy.exc import IntegrityError

    with engine.connect() as c:
        pid = c.scalar(select(ReportingPeriod.id).where(ReportingPeriod.label == "2025-26 Q2"))
    values = dict(partner_id=2, period_id=pid, return_type="assurance", file_name="x", sha256="0" * 64, submitted_by="t",
                  submitted_at=__import__("datetime").datetime(2025, 10, 1), status="accepted", source="cli",
                  row_count=0, error_count=0, query_count=0)
    with engine.begin() as c:
        c.execute(Submission.__table__.insert().values(**values))
    with pytest.raises(IntegrityError):
        with engine.begin() as c:
            c.execute(Submission.__table__.insert().values(**values))


def test_loads_and_resubmissions_move_the_framework_figures(load, engine):
    from assurance.measures.compute import period_figures

    assert load(activity_sheets(10)).loaded
    figures = {f.measure: f for f in period_figures(engine, "2025-26 Q2")}
    assert figures["concerns"].numerator == 10
    assert load(activity_sheets(14)).loaded  # the resubmission supersedes the first return
    figures = {f.measure: f for f in period_figures(engine, "2025-26 Q2")}
    assert figures["concerns"].numerator == 14
    with engine.connect() as c:
        pid = c.scalar(select(ReportingPeriod.id).where(ReportingPeriod.label == "2025-26 Q2"))
        conv = c.scalar(select(func.count()).select_from(Concern).join(Submission, Submission.id == Concern.submission_id)
                        .where(Submission.status == "accepted", Concern.period_id == pid, Concern.outcome != "No enquiry"))
    assert figures["conversion"].numerator == conv


def test_a_messy_100000_row_activity_return_loads_like_the_clean_one(engine):
    from tests.returns.builders import messy_activity_sheets

    sheets = messy_activity_sheets(100_000, seed=3)
    result = load_bytes(fast_xlsx(sheets), "LA 2025-26 Q2.xlsx", engine, "tester")
    assert result.loaded and result.report.issues == [], result.report.issues[:5]
    clean = concern_rows(100_000)
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(Concern)) == 100_000
        assert c.scalar(select(func.count()).select_from(Enquiry)) == 40_000
        got = c.execute(select(Concern.concern_ref, Concern.person_id, Concern.date_received, Concern.decision_date,
                               Concern.gender, Concern.ethnicity_detailed).order_by(Concern.concern_ref)).all()
        enquiry_concerns = set(c.execute(select(Enquiry.concern_ref)).scalars())
    assert [tuple(r) for r in got] == [(r[0], r[1], r[2], r[3], r[6], r[7]) for r in clean]
    assert enquiry_concerns <= {r[0] for r in clean}
