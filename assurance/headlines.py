"""Headline activity for a period: counts computed in SQL over the latest accepted returns."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, case, func, select

from assurance.db.models import Concern, Enquiry, Submission


@dataclass(frozen=True)
class Headlines:
    concerns: int
    s42_from_concerns: int
    other_from_concerns: int
    s42_concluded: int
    other_concluded: int

    @property
    def conversion(self) -> float | None:
        """National definition: (S42 + other enquiries) / concerns x 100."""
        if not self.concerns:
            return None
        return 100.0 * (self.s42_from_concerns + self.other_from_concerns) / self.concerns


def accepted_submission_ids():
    return select(Submission.id).where(Submission.status == "accepted")


def period_headlines(engine: Engine, period_id: int, partner_id: int | None = None) -> Headlines:
    c = (
        select(
            func.count(),
            func.coalesce(func.sum(case((Concern.outcome == "Section 42 enquiry", 1), else_=0)), 0),
            func.coalesce(func.sum(case((Concern.outcome == "Other enquiry", 1), else_=0)), 0),
        )
        .where(Concern.period_id == period_id, Concern.submission_id.in_(accepted_submission_ids()))
    )
    e = (
        select(
            func.coalesce(func.sum(case((Enquiry.enquiry_type == "Section 42", 1), else_=0)), 0),
            func.coalesce(func.sum(case((Enquiry.enquiry_type == "Other", 1), else_=0)), 0),
        )
        .where(Enquiry.period_id == period_id, Enquiry.submission_id.in_(accepted_submission_ids()))
    )
    if partner_id is not None:
        c = c.where(Concern.partner_id == partner_id)
        e = e.where(Enquiry.partner_id == partner_id)
    with engine.connect() as conn:
        n, s42, other = conn.execute(c).one()
        s42_done, other_done = conn.execute(e).one()
    return Headlines(int(n), int(s42), int(other), int(s42_done), int(other_done))
