"""The MSP and risk outcomes tables tell "not applicable" (blank by design) from "not recorded" (blank by omission).
Expected tables are worked out by hand from the enquiries below."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from sqlalchemy import select

from assurance.analysis import breakdowns as bd
from assurance.db.engine import session_scope
from assurance.db.models import Enquiry, Partner, ReportingPeriod, Submission

Q3 = "2025-26 Q3"
EXPRESSED = "Yes they were asked and outcomes were expressed"
NO_OUTCOMES = "Yes they were asked but no outcomes were expressed"
LACKED, DID_NOT = "Yes, they lacked capacity", "No, they did not lack capacity"

# (risk assessment outcome, risk outcome, asked, achieved, lacked capacity, support)
ENQUIRIES = [
    ("Risk identified and action taken", "Risk reduced", EXPRESSED, "Fully achieved", LACKED, "Yes"),
    ("Risk identified and action taken", None, EXPRESSED, None, LACKED, None),  # risk outcome, achieved, support missing
    ("Risk identified and no action taken", "Risk remained", NO_OUTCOMES, None, LACKED, "No"),
    ("No risk identified and no action taken", None, "No", None, DID_NOT, None),  # nothing applies
    ("No risk identified and action taken", None, NO_OUTCOMES, None, DID_NOT, None),
    ("Risk assessment inconclusive and no action taken", None, EXPRESSED, "Not achieved", "Don't know", None),
    ("Risk identified and action taken", "Risk removed", None, None, None, None),  # asked and capacity not recorded
]


@pytest.fixture
def q3(engine):
    with session_scope(engine) as s:
        la = s.scalar(select(Partner.id).where(Partner.code == "LA"))
        pid = s.scalar(select(ReportingPeriod.id).where(ReportingPeriod.label == Q3))
        sub = Submission(partner_id=la, period_id=pid, return_type="activity", file_name="x.xlsx", sha256="0" * 64,
                         submitted_by="test", submitted_at=datetime(2026, 1, 20), status="accepted", source="cli",
                         row_count=0, error_count=0, query_count=0)
        s.add(sub)
        s.flush()
        for i, (rao, ro, asked, achieved, lacked, support) in enumerate(ENQUIRIES, start=1):
            s.add(Enquiry(submission_id=sub.id, partner_id=la, period_id=pid, enquiry_ref=f"E{i}", concern_ref=f"C{i}",
                          person_id=f"P{i}", enquiry_type="Section 42", date_started=date(2025, 10, 1),
                          date_concluded=date(2025, 11, 1), risk_assessment_outcome=rao, risk_outcome=ro,
                          msp_asked=asked, msp_achieved=achieved, lacked_capacity=lacked, capacity_support=support))
    return engine, pid


def rows(frame) -> dict:
    return {label: (n, None if pd.isna(pct) else pct) for label, n, pct in frame.itertuples(index=False)}


def test_capacity_support_not_applicable_where_the_adult_did_not_lack_capacity(q3):
    engine, pid = q3
    out = rows(bd.outcome_breakdown(engine, "capacity_support", pid))
    # 3 lacked capacity: supported 1, not supported 1, not recorded 1; the other 4 are not applicable
    assert out == {"Yes": (1, 33.3), "No": (1, 33.3), "Not recorded": (1, 33.3),
                   "Not applicable: not recorded as lacking capacity": (4, None)}


def test_risk_outcome_not_applicable_where_no_risk_was_identified(q3):
    engine, pid = q3
    out = rows(bd.outcome_breakdown(engine, "risk_outcome", pid))
    # 4 with a risk identified: reduced, not recorded, remained, removed; 3 with none identified or inconclusive
    assert out == {"Risk reduced": (1, 25.0), "Risk remained": (1, 25.0), "Risk removed": (1, 25.0),
                   "Not recorded": (1, 25.0), "Not applicable: no risk identified": (3, None)}


def test_achieved_not_applicable_where_no_outcomes_were_expressed(q3):
    engine, pid = q3
    out = rows(bd.outcome_breakdown(engine, "msp_achieved", pid))
    # 3 expressed outcomes: fully, not recorded, not achieved; 4 did not express any (or were not asked)
    assert out == {"Fully achieved": (1, 33.3), "Not achieved": (1, 33.3), "Not recorded": (1, 33.3),
                   "Not applicable: no outcomes expressed": (4, None)}


def test_a_question_for_every_enquiry_has_no_not_applicable(q3):
    engine, pid = q3
    out = rows(bd.outcome_breakdown(engine, "msp_asked", pid))
    assert out["Not recorded"] == (1, 14.3)  # 1 of 7
    assert not any(label.startswith("Not applicable") for label in out)
    assert sum(n for n, _ in out.values()) == 7


def test_enquiries_by_counts_not_recorded_only_where_the_question_applied(q3):
    engine, pid = q3
    out = bd.enquiries_by(engine, "capacity_support", pid)
    counts = dict(zip(out.iloc[:, 0], out["Enquiries"]))
    assert counts["Not recorded"] == 1  # not 5: four adults did not lack capacity (or it is not known)
    assert counts["Not applicable: not recorded as lacking capacity"] == 4
