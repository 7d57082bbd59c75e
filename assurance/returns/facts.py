"""What the rules need to know from the database, fetched before they run, so that every rule stays pure.

A rule names the facts it needs (`@rule(..., needs=("recent_row_counts",))`) and reads them from ctx.facts; each
fact is one named query here. The facts are fetched inside the loading transaction, so what is loaded is what was
checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from assurance.db.models import Concern, ReportingPeriod, Submission
from assurance.returns.rules import Context, spec_rules

FACTS: dict[str, Callable[[Connection, Context], object]] = {}
CHUNK = 500  # references per query


def fact(name: str):
    def register(fn: Callable[[Connection, Context], object]):
        FACTS[name] = fn
        return fn

    return register


def fetch(conn: Connection, ctx: Context) -> dict[str, object]:
    """Every fact the spec's rules need, by name (nothing when the partner or the quarter is not known)."""
    if ctx.partner is None or ctx.period is None:
        return {}
    names = sorted({n for r, _params, _sheet in spec_rules(ctx.spec, with_facts=True) for n in r.needs})
    return {n: FACTS[n](conn, ctx) for n in names}


@dataclass(frozen=True)
class RowCount:
    label: str  # the quarter
    rows: int


@fact("recent_row_counts")
def recent_row_counts(conn: Connection, ctx: Context) -> list[RowCount]:
    """Rows in the partner's last 4 accepted returns of this type before this quarter, newest first."""
    rows = conn.execute(
        select(ReportingPeriod.label, Submission.row_count).join(ReportingPeriod, ReportingPeriod.id == Submission.period_id)
        .where(Submission.partner_id == ctx.partner.id, Submission.return_type == ctx.spec.type,
               Submission.status == "accepted", ReportingPeriod.start_date < ctx.period.start)
        .order_by(ReportingPeriod.start_date.desc()).limit(4)
    ).all()
    return [RowCount(r.label, r.row_count) for r in rows]


@dataclass(frozen=True)
class LoadedConcerns:
    earliest: date  # the start of the earliest quarter of the partner's loaded activity returns (or this quarter)
    refs: frozenset[str]  # the concern IDs this return refers to that are loaded for the partner in other quarters


@fact("loaded_concerns")
def loaded_concerns(conn: Connection, ctx: Context) -> LoadedConcerns:
    starts = conn.execute(
        select(ReportingPeriod.start_date).join(Submission, Submission.period_id == ReportingPeriod.id).where(
            Submission.partner_id == ctx.partner.id, Submission.return_type == ctx.spec.type,
            Submission.status == "accepted", Submission.period_id != ctx.period_id)
    ).scalars().all()
    wanted: set[str] = set()
    for sheet in ctx.sheets.values():  # references to concerns, not the concerns' own IDs
        if "concern_ref" in sheet.present and not sheet.spec.column("concern_ref").unique:
            wanted.update(sheet.values["concern_ref"][sheet.ok("concern_ref")].tolist())
    wanted_list = sorted(wanted)
    found: set[str] = set()
    for k in range(0, len(wanted_list), CHUNK):
        found.update(conn.execute(
            select(Concern.concern_ref).join(Submission, Submission.id == Concern.submission_id).where(
                Concern.partner_id == ctx.partner.id, Concern.concern_ref.in_(wanted_list[k:k + CHUNK]),
                Submission.status == "accepted", Submission.period_id != ctx.period_id)
        ).scalars())
    return LoadedConcerns(min([*starts, ctx.period.start]), frozenset(found))
