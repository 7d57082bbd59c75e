"""Submission history: every upload as recorded, newest first."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from assurance.config import RETURN_TYPES
from assurance.db.models import Partner, ReportingPeriod, Submission

COLUMNS = ["Partner", "Return", "Period", "File", "Submitted by", "Submitted at", "Status", "Rows", "Errors", "Queries"]


def submissions_frame(engine: Engine, period_id: int | None = None, partner_id: int | None = None) -> pd.DataFrame:
    stmt = (
        select(
            Partner.code, Submission.return_type, ReportingPeriod.label, Submission.file_name, Submission.submitted_by,
            Submission.submitted_at, Submission.status, Submission.row_count, Submission.error_count, Submission.query_count,
        )
        .join(Partner, Partner.id == Submission.partner_id)
        .join(ReportingPeriod, ReportingPeriod.id == Submission.period_id)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
    )
    if period_id is not None:
        stmt = stmt.where(Submission.period_id == period_id)
    if partner_id is not None:
        stmt = stmt.where(Submission.partner_id == partner_id)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["Return"] = df["Return"].map(RETURN_TYPES).fillna(df["Return"])
    return df
