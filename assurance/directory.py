"""The Board's partners and reporting periods as stored in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select

from assurance.db.models import Partner, ReportingPeriod
from assurance.periods import Period


@dataclass(frozen=True)
class PartnerInfo:
    id: int
    code: str
    name: str
    type: str
    returns: tuple[str, ...]


@dataclass(frozen=True)
class PeriodInfo:
    id: int
    label: str
    start: date
    end: date
    due: date

    @property
    def period(self) -> Period:
        return Period.parse(self.label)


def list_partners(engine: Engine, include_inactive: bool = False) -> list[PartnerInfo]:
    stmt = select(Partner).order_by(Partner.id)
    if not include_inactive:
        stmt = stmt.where(Partner.active)
    with engine.connect() as conn:
        rows = conn.execute(stmt.with_only_columns(Partner.id, Partner.code, Partner.name, Partner.type, Partner.returns))
        return [PartnerInfo(r.id, r.code, r.name, r.type, tuple(x for x in r.returns.split(",") if x)) for r in rows]


def list_periods(engine: Engine) -> list[PeriodInfo]:
    """Reporting periods, oldest first."""
    stmt = select(ReportingPeriod.id, ReportingPeriod.label, ReportingPeriod.start_date, ReportingPeriod.end_date, ReportingPeriod.due_date)
    with engine.connect() as conn:
        rows = conn.execute(stmt.order_by(ReportingPeriod.start_date)).all()
    return [PeriodInfo(r.id, r.label, r.start_date, r.end_date, r.due_date) for r in rows]


def find_period(engine: Engine, period: str | int) -> PeriodInfo:
    """A reporting period by label or id; KeyError when the database has no such period."""
    for p in list_periods(engine):
        if p.label == period or p.id == period:
            return p
    raise KeyError(f"No reporting period {period!r} in the database.")


def periods_with_data(engine: Engine) -> list[PeriodInfo]:
    """Periods that have at least one accepted submission, oldest first."""
    from assurance.db.models import Submission

    stmt = (
        select(ReportingPeriod.id, ReportingPeriod.label, ReportingPeriod.start_date, ReportingPeriod.end_date, ReportingPeriod.due_date)
        .where(ReportingPeriod.id.in_(select(Submission.period_id).where(Submission.status == "accepted")))
        .order_by(ReportingPeriod.start_date)
    )
    with engine.connect() as conn:
        return [PeriodInfo(r.id, r.label, r.start_date, r.end_date, r.due_date) for r in conn.execute(stmt)]
