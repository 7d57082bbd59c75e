"""Quarter-by-partner figures: one grouped query per source computes every measure on that source.

Figures over the large fact tables (concerns, enquiries) are kept in quarterly_figures and rebuilt
for the periods a load touches; the small tables (assurance returns, audits, SAR actions) are
summed live.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select

from assurance.db.engine import bulk_insert
from assurance.db.models import QuarterlyFigure
from assurance.measures.definitions import DEFINITIONS, SOURCES

qf = QuarterlyFigure.__table__


@dataclass(frozen=True)
class QuarterFigure:
    definition: str
    period_id: int
    partner_id: int | None
    numerator: int
    denominator: int | None


def _definitions_on(source: str) -> list[str]:
    return [name for name, d in DEFINITIONS.items() if d.source == source]


def stored_definitions(source: str) -> set[str]:
    """The definitions kept in quarterly_figures for a stored source."""
    return set(_definitions_on(source))


def compute_source(conn: Connection, source: str, period_ids: Iterable[int] | None = None,
                   partner_id: int | None = None) -> list[QuarterFigure]:
    """Sum every definition on `source` by quarter and partner, straight from the facts."""
    src = SOURCES[source]
    names = _definitions_on(source)
    cols = [src.period.label("period_id"), src.partner.label("partner_id")]
    for i, name in enumerate(names):
        d = DEFINITIONS[name]
        cols.append(func.coalesce(func.sum(d.numerator), 0).label(f"n{i}"))
        cols.append((func.sum(d.denominator) if d.denominator is not None else func.count()).label(f"d{i}"))
        cols.append((func.sum(d.reported) if d.reported is not None else func.count()).label(f"r{i}"))
    stmt = select(*cols).select_from(src.from_).group_by(src.period, src.partner)
    if src.where is not None:
        stmt = stmt.where(src.where)
    if period_ids is not None:
        stmt = stmt.where(src.period.in_(list(period_ids)))
    if partner_id is not None:
        stmt = stmt.where(src.partner == partner_id)
    out = []
    for row in conn.execute(stmt).mappings():
        for i, name in enumerate(names):
            if not row[f"r{i}"]:  # not collected by this partner this quarter: no figure, not a 0
                continue
            den = row[f"d{i}"] if DEFINITIONS[name].denominator is not None else None
            out.append(QuarterFigure(name, row["period_id"], row["partner_id"], int(row[f"n{i}"]), None if den is None else int(den)))
    return out


def refresh_figures(conn: Connection, period_ids: Iterable[int] | None = None) -> int:
    """Rebuild the stored quarter figures for `period_ids` (all periods when None), inside the caller's transaction."""
    ids = None if period_ids is None else sorted(set(period_ids))
    stmt = delete(qf)
    if ids is not None:
        stmt = stmt.where(qf.c.period_id.in_(ids))
    conn.execute(stmt)
    rows = []
    for source in (s for s, spec in SOURCES.items() if spec.stored):
        rows += [(f.period_id, f.partner_id, f.definition, f.numerator, f.denominator)
                 for f in compute_source(conn, source, ids) if f.partner_id is not None]
    return bulk_insert(conn, qf, ["period_id", "partner_id", "definition", "numerator", "denominator"], rows)


def stored_figures(conn: Connection, partner_id: int | None = None) -> list[QuarterFigure]:
    stmt = select(qf.c.definition, qf.c.period_id, qf.c.partner_id, qf.c.numerator, qf.c.denominator)
    if partner_id is not None:
        stmt = stmt.where(qf.c.partner_id == partner_id)
    return [QuarterFigure(*r) for r in conn.execute(stmt)]


def all_quarter_figures(conn: Connection, partner_id: int | None = None) -> list[QuarterFigure]:
    """Every definition's quarter figures: stored ones read back, small sources summed now."""
    out = stored_figures(conn, partner_id)
    for source in (s for s, spec in SOURCES.items() if not spec.stored):
        out += compute_source(conn, source, partner_id=partner_id)
    return out


def refresh_after_load(conn: Connection, period_id: int) -> int:
    """Rebuild the figures a load for `period_id` changes: its quarter and, through repeat concerns, the next four."""
    from assurance.db.models import ReportingPeriod
    from assurance.periods import Period

    labels = dict(conn.execute(select(ReportingPeriod.label, ReportingPeriod.id)).all())
    loaded = Period.parse(next(label for label, pid in labels.items() if pid == period_id))
    affected = [labels[p.label] for k in range(5) if (p := loaded.shift(k)).label in labels]
    return refresh_figures(conn, affected)
