"""A small hand-made Board for checking measures against figures worked out by hand (see the test file)."""

from datetime import date, datetime

from sqlalchemy import select

from assurance.db.engine import session_scope
from assurance.db.models import (
    AssuranceMeasure, AuditResult, BoardAction, Concern, Enquiry, Partner, ReportingPeriod, SarReview, Submission,
)
from assurance.measures.figures import refresh_figures

Q3 = "2025-26 Q3"


def build(engine) -> None:
    with session_scope(engine) as s:
        partner = {p.code: p.id for p in s.scalars(select(Partner))}
        period = {p.label: p.id for p in s.scalars(select(ReportingPeriod))}

        def submission(code, label, rtype, status="accepted"):
            sub = Submission(partner_id=partner[code], period_id=period[label], return_type=rtype, file_name="x.xlsx",
                             sha256="0" * 64, submitted_by="test", submitted_at=datetime(2026, 1, 20), status=status,
                             source="cli", row_count=0, error_count=0, query_count=0)
            s.add(sub)
            s.flush()
            return sub.id

        def concern(sub_id, label, ref, person, received, decided, broad, outcome):
            s.add(Concern(submission_id=sub_id, partner_id=partner["LA"], period_id=period[label], concern_ref=ref,
                          person_id=person, date_received=received, decision_date=decided, referral_source="Police",
                          age_band="65-74", gender="Female", ethnicity_detailed=None, ethnicity_broad=broad,
                          primary_support_reason="Physical Support", outcome=outcome))

        q3 = submission("LA", Q3, "activity")
        concern(q3, Q3, "C1", "P1", date(2025, 12, 24), date(2025, 12, 29), "White", "Section 42 enquiry")
        concern(q3, Q3, "C2", "P1", date(2025, 12, 24), date(2025, 12, 31), "Refused", "No enquiry")
        concern(q3, Q3, "C3", "P2", date(2025, 10, 3), date(2025, 10, 7), "Undeclared / Not Known", "Other enquiry")
        concern(q3, Q3, "C4", "P2", date(2025, 11, 20), None, "White", "No enquiry")
        concern(q3, Q3, "C5", "P3", date(2025, 11, 3), date(2025, 11, 3), "Asian / Asian British", "Section 42 enquiry")
        concern(q3, Q3, "C6", "P4", date(2025, 11, 10), date(2025, 11, 14), "Black / African / Caribbean / Black British", "No enquiry")
        concern(q3, Q3, "C7", "P5", date(2025, 11, 10), date(2025, 11, 11), "Mixed / Multiple", "No enquiry")
        old = submission("LA", Q3, "activity", status="superseded")
        concern(old, Q3, "C99", "P9", date(2025, 11, 1), date(2025, 11, 1), "White", "Section 42 enquiry")
        q1 = submission("LA", "2025-26 Q1", "activity")
        concern(q1, "2025-26 Q1", "C0", "P3", date(2025, 5, 1), date(2025, 5, 1), "White", "No enquiry")
        prev = submission("LA", "2024-25 Q3", "activity")
        concern(prev, "2024-25 Q3", "C-4", "P4", date(2024, 11, 9), date(2024, 11, 11), "White", "No enquiry")
        concern(prev, "2024-25 Q3", "C-5", "P5", date(2024, 11, 10), date(2024, 11, 11), "White", "No enquiry")

        def enquiry(ref, etype, started, concluded, asked, achieved, rao, ro, lacked, support, felt):
            s.add(Enquiry(submission_id=q3, partner_id=partner["LA"], period_id=period[Q3], enquiry_ref=ref,
                          concern_ref="C1", person_id="P1", enquiry_type=etype, date_started=started,
                          date_concluded=concluded, risk_assessment_outcome=rao, risk_outcome=ro, lacked_capacity=lacked,
                          capacity_support=support, msp_asked=asked, msp_achieved=achieved, felt_safer=felt))

        expressed = "Yes they were asked and outcomes were expressed"
        enquiry("E1", "Section 42", date(2025, 10, 1), date(2025, 11, 30), expressed, "Fully achieved",
                "Risk identified and action taken", "Risk reduced", "Yes, they lacked capacity", "Yes", "Yes")
        enquiry("E2", "Section 42", date(2025, 10, 1), date(2025, 12, 1), "Yes they were asked but no outcomes were expressed",
                None, "Risk identified and no action taken", "Risk remained", "Yes, they lacked capacity", "No", "No")
        enquiry("E3", "Section 42", date(2025, 11, 1), date(2025, 11, 15), "No", None,
                "No risk identified and no action taken", None, "No, they did not lack capacity", None, "Not asked")
        enquiry("E4", "Section 42", date(2025, 10, 10), date(2025, 10, 20), expressed, "Not achieved",
                "Risk identified and action taken", "Risk removed", "Don't know", None, None)
        enquiry("E5", "Other", date(2025, 10, 10), date(2025, 10, 11), expressed, "Fully achieved",
                "Risk identified and action taken", "Risk removed", "Yes, they lacked capacity", "Yes", "Yes")

        for code, num, den, status in (("POL", 90, 100, "accepted"), ("ACU", 170, 200, "accepted"), ("POL", 10, 100, "superseded")):
            sid = submission(code, Q3, "assurance", status)
            s.add(AssuranceMeasure(submission_id=sid, partner_id=partner[code], period_id=period[Q3],
                                   measure_code="staff_trained", numerator=num, denominator=den,
                                   commentary="On track" if code == "POL" else None))

        audit = submission("SAB", Q3, "audit")
        for ref, agency, overall in (("A1", "POL", "Good"), ("A1", "ACU", "Inadequate"), ("A2", "POL", "Outstanding")):
            s.add(AuditResult(submission_id=audit, partner_id=partner["SAB"], period_id=period[Q3], audit_ref=ref,
                              case_ref="CASE-1", audit_date=date(2025, 11, 5), theme="Self-neglect", agency=agency,
                              agency_partner_id=partner[agency], grade_msp="Good", grade_risk="Inadequate",
                              grade_capacity="Not applicable", grade_partnership="Good", grade_recording="Good",
                              grade_outcome="Good", overall_grade=overall, findings="Finding",
                              action_required="Do better" if overall == "Inadequate" else None))

        review = SarReview(reference="SAR-T", title="Test review")
        s.add(review)
        s.flush()
        for due, done in ((date(2025, 11, 30), date(2025, 11, 30)), (date(2025, 12, 15), date(2025, 12, 20))):
            s.add(BoardAction(source="SAR", review_id=review.id, action="Act", owner_partner_id=partner["LA"], owner="LA",
                              due_date=due, status="Completed", completed_date=done, updated_by="t", updated_at=datetime(2026, 1, 1)))
    with engine.begin() as conn:
        refresh_figures(conn)
