"""Commentary: partners' own (from their assurance return) and the QA subgroup's per measure and period."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, select

from assurance.db.engine import session_scope
from assurance.db.models import AssuranceMeasure, Commentary, Partner, Submission


class CommentaryError(ValueError):
    pass


def add_commentary(engine: Engine, measure: str, period_label: str, text: str, author: str,
                   partner_id: int | None = None, now: datetime | None = None) -> int:
    text = (text or "").strip()
    if not text:
        raise CommentaryError("Write the commentary before saving it.")
    with session_scope(engine) as s:
        row = Commentary(measure=measure, period_label=period_label, partner_id=partner_id, text=text, author=author,
                         written_at=(now or datetime.now()).replace(microsecond=0))
        s.add(row)
        s.flush()
        return row.id


def qa_commentary(engine: Engine, period_label: str, partner_id: int | None = None) -> dict[str, list[tuple[str, str, datetime]]]:
    """{measure: [(text, author, when), ...]} newest first, for the Board (partner_id None) or one partner."""
    stmt = select(Commentary).where(Commentary.period_label == period_label)
    stmt = stmt.where(Commentary.partner_id.is_(None) if partner_id is None else Commentary.partner_id == partner_id)
    out: dict[str, list] = {}
    with session_scope(engine) as s:
        for c in s.scalars(stmt.order_by(Commentary.written_at.desc(), Commentary.id.desc())):
            out.setdefault(c.measure, []).append((c.text, c.author, c.written_at))
    return out


def partner_commentary(engine: Engine, period_id: int, partner_id: int | None = None) -> pd.DataFrame:
    """What partners wrote beside their figures in the accepted assurance returns for the period."""
    stmt = (
        select(Partner.code, Partner.name, AssuranceMeasure.measure_code, AssuranceMeasure.commentary)
        .join(Partner, Partner.id == AssuranceMeasure.partner_id)
        .join(Submission, Submission.id == AssuranceMeasure.submission_id)
        .where(AssuranceMeasure.period_id == period_id, Submission.status == "accepted",
               AssuranceMeasure.commentary.is_not(None), AssuranceMeasure.commentary != "")
        .order_by(Partner.code, AssuranceMeasure.measure_code)
    )
    if partner_id is not None:
        stmt = stmt.where(AssuranceMeasure.partner_id == partner_id)
    with engine.connect() as c:
        return pd.DataFrame(c.execute(stmt).all(), columns=["Partner", "Partner name", "Measure", "Commentary"])
