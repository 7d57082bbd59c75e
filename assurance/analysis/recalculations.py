"""SPC recalculation points: a known change in process, from which a measure's limits are worked out afresh.

The QA subgroup records them (permission write_commentary), with the reason, for the Board or one partner; every one
is written to the audit trail in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select

from assurance.access import audit
from assurance.config import ConfigError
from assurance.access.roles import require
from assurance.db.engine import session_scope, short_write
from assurance.db.models import SpcRecalculation
from assurance.errors import AssuranceError
from assurance.periods import Period

RECALCULATION_RECORDED = "spc recalculation recorded"


class RecalculationError(AssuranceError, ValueError):
    """A recalculation point could not be recorded; the message says why."""


def add_recalculation(engine: Engine, by, measure: str, period: str, reason: str, partner_id: int | None = None,
                      source: str = "app", address: str | None = None, now: datetime | None = None) -> int:
    """Record that the measure's process changed from `period` (for the Board, or one partner)."""
    from assurance.measures.framework import framework

    require(by, "write_commentary")
    reason = (reason or "").strip()
    if not reason:
        raise RecalculationError("Say what changed in the process: the reason is shown on the chart.")
    try:
        framework().get(measure)
    except ConfigError as exc:
        raise RecalculationError(str(exc)) from exc
    try:
        label = Period.parse(period).label
    except ValueError as exc:
        raise RecalculationError(str(exc)) from exc
    with short_write(engine), session_scope(engine) as s:
        taken = s.scalar(select(SpcRecalculation.id).where(
            SpcRecalculation.measure == measure, SpcRecalculation.period_label == label,
            SpcRecalculation.partner_id.is_(None) if partner_id is None else SpcRecalculation.partner_id == partner_id))
        if taken is not None:
            raise RecalculationError(f"The limits of this measure are already worked out afresh from {label}.")
        row = SpcRecalculation(measure=measure, partner_id=partner_id, period_label=label, reason=reason,
                               recorded_by=by.actor, recorded_at=(now or datetime.now()).replace(microsecond=0))
        s.add(row)
        s.flush()
        audit.record(engine, by.actor, RECALCULATION_RECORDED, f"{measure} from {label}",
                     {"partner_id": partner_id, "reason": reason}, source, address, conn=s.connection())
        return row.id


def recalculations(engine: Engine, partner_id: int | None = None) -> dict[str, list[tuple[str, str]]]:
    """{measure: [(period label, reason), ...]} oldest first, for the Board (None) or one partner."""
    stmt = select(SpcRecalculation.measure, SpcRecalculation.period_label, SpcRecalculation.reason)
    stmt = stmt.where(SpcRecalculation.partner_id.is_(None) if partner_id is None
                      else SpcRecalculation.partner_id == partner_id)
    out: dict[str, list[tuple[str, str]]] = {}
    with engine.connect() as c:
        for measure, label, reason in c.execute(stmt):
            out.setdefault(measure, []).append((label, reason))
    for points in out.values():
        points.sort(key=lambda p: Period.parse(p[0]).start)
    return out
