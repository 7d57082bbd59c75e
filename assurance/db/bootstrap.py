"""Bring a database to the configured Board: schema, partners and reporting periods (no facts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, func, select

from assurance.config import BoardConfig
from assurance.db.engine import bulk_insert, session_scope, upgrade
from assurance.db.models import CalendarDay, Partner, ReportingPeriod
from assurance.measures.figures import ensure_current
from assurance.reference.calendar import calendar_rows
from assurance.periods import Period, period_range


@dataclass
class InitResult:
    partners_added: int
    partners_updated: int
    periods_added: int
    first_period: str
    last_period: str


def sync_partners(session, board: BoardConfig) -> tuple[int, int]:
    existing = {p.code: p for p in session.scalars(select(Partner))}
    added = updated = 0
    for pc in board.partners:
        returns = ",".join(pc.returns)
        p = existing.get(pc.code)
        if p is None:
            session.add(Partner(code=pc.code, name=pc.name, type=pc.type, returns=returns, active=pc.active))
            added += 1
        elif (p.name, p.type, p.returns, p.active) != (pc.name, pc.type, returns, pc.active):
            p.name, p.type, p.returns, p.active = pc.name, pc.type, returns, pc.active
            updated += 1
    configured = {pc.code for pc in board.partners}
    for code, p in existing.items():
        if code not in configured and p.active:
            p.active = False  # kept for history, hidden from new work
            updated += 1
    return added, updated


def ensure_periods(session, first: Period, last: Period, due_days: int) -> int:
    have = set(session.scalars(select(ReportingPeriod.label)))
    added = 0
    for p in period_range(first, last):
        if p.label not in have:
            session.add(
                ReportingPeriod(
                    label=p.label, start_date=p.start, end_date=p.end, due_date=p.end + timedelta(days=due_days)
                )
            )
            added += 1
    return added


def init_database(engine: Engine, board: BoardConfig, today: date | None = None, first: Period | None = None) -> InitResult:
    """Upgrade the schema and make partners and periods match the Board configuration."""
    upgrade(engine)
    first = first or Period.parse(board.first_period)
    last = max(Period.last_complete(today), first)
    with engine.begin() as conn:
        if not conn.scalar(select(func.count()).select_from(CalendarDay.__table__)):
            bulk_insert(conn, CalendarDay.__table__, ["day", "is_working_day", "working_day_index"], calendar_rows())
    with session_scope(engine) as s:
        added, updated = sync_partners(s, board)
        periods_added = ensure_periods(s, first, last, board.return_due_days)
    ensure_current(engine)  # stored figures built from older definitions (or before they were kept) are rebuilt
    return InitResult(added, updated, periods_added, first.label, last.label)
