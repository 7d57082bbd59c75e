"""Quarter-by-partner figures: one grouped query per source computes every measure on that source.

Figures over the large fact tables (concerns, enquiries) are kept in quarterly_figures and rebuilt
for the periods a load touches; the small tables (assurance returns, audits, SAR actions) are
summed live. Each stored source's build is fingerprinted (figure_builds): a new or changed definition
is built for every quarter at first use, on start-up, at the next load or by `refresh-figures`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import CompileError

from assurance.db.engine import bulk_insert, load_turn
from assurance.db.models import FigureBuild, QuarterlyFigure, ReportingPeriod
from assurance.measures.definitions import DEFINITIONS, SOURCES
from assurance.periods import Period

qf = QuarterlyFigure.__table__
fb = FigureBuild.__table__
FIGURES_LOCK = 7_301_542  # PostgreSQL advisory lock: one writer of quarterly_figures at a time


@dataclass(frozen=True)
class QuarterFigure:
    definition: str
    period_id: int
    partner_id: int | None
    numerator: int
    denominator: int | None


def _definitions_on(source: str) -> list[str]:
    return [name for name, d in DEFINITIONS.items() if d.source == source]


def stored_sources() -> list[str]:
    return [name for name, spec in SOURCES.items() if spec.stored]


def fingerprint(source: str, dialect) -> str:
    """sha256 of everything a stored source's figures depend on: its tables and joins, and each definition's name
    and SQL (numerator, denominator, what counts as reported), as the database's dialect writes it."""
    def sql(expr) -> str:
        if expr is None:
            return ""
        try:
            return str(expr.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        except CompileError:  # a value the dialect cannot write inline (a date, say): the SQL and its values
            compiled = expr.compile(dialect=dialect)
            return f"{compiled} {sorted((k, repr(v)) for k, v in compiled.params.items())}"

    src = SOURCES[source]
    parts = [sql(src.from_), sql(src.period), sql(src.partner), sql(src.where)]
    for name in sorted(_definitions_on(source)):
        d = DEFINITIONS[name]
        parts += [name, sql(d.numerator), sql(d.denominator), sql(d.reported)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def stale_sources(conn: Connection) -> list[str]:
    """The stored sources whose figures were built from other definitions than today's (or never recorded)."""
    built = dict(conn.execute(select(fb.c.source, fb.c.fingerprint)).all())
    return [s for s in stored_sources() if built.get(s) != fingerprint(s, conn.dialect)]


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


def _one_writer(conn: Connection) -> None:
    """On PostgreSQL, hold the figures' lock to the end of the transaction (SQLite writes one at a time anyway)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": FIGURES_LOCK})


def _rebuild(conn: Connection, source: str, period_ids: list[int] | None) -> int:
    """Replace `source`'s stored figures for `period_ids` (every period when None, and record the build)."""
    names = _definitions_on(source)
    stmt = delete(qf).where(qf.c.definition.in_(names))
    if period_ids is not None:
        stmt = stmt.where(qf.c.period_id.in_(period_ids))
    conn.execute(stmt)
    rows = [(f.period_id, f.partner_id, f.definition, f.numerator, f.denominator)
            for f in compute_source(conn, source, period_ids) if f.partner_id is not None]
    n = bulk_insert(conn, qf, ["period_id", "partner_id", "definition", "numerator", "denominator"], rows)
    if period_ids is None:  # the figures of a definition taken out of the code go too
        conn.execute(delete(qf).where(qf.c.definition.not_in([n for s in stored_sources() for n in _definitions_on(s)])))
        values = dict(source=source, fingerprint=fingerprint(source, conn.dialect), built_at=datetime.now().replace(microsecond=0))
        upsert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(fb).values(**values)
        conn.execute(upsert.on_conflict_do_update(index_elements=["source"], set_=values))
    return n


def refresh_figures(conn: Connection, period_ids: Iterable[int] | None = None) -> int:
    """Rebuild the stored quarter figures for `period_ids` (all periods when None), inside the caller's transaction.
    A source whose definitions changed since its last build is rebuilt for every period whatever `period_ids` says."""
    _one_writer(conn)
    ids = None if period_ids is None else sorted(set(period_ids))
    stale = stale_sources(conn)
    return sum(_rebuild(conn, source, None if source in stale else ids) for source in stored_sources())


@dataclass(frozen=True)
class Rebuilt:
    source: str
    quarters: int
    figures: int
    changed: bool  # the definitions had changed since the last build


def rebuild_all(engine: Engine) -> list[Rebuilt]:
    """Rebuild every stored source for every period (the `refresh-figures` command), one load's turn."""
    with load_turn(engine), engine.connect() as conn:
        _begin_writing(conn)
        stale = set(stale_sources(conn))
        quarters = conn.scalar(select(func.count()).select_from(ReportingPeriod.__table__))
        out = [Rebuilt(s, quarters, _rebuild(conn, s, None), s in stale) for s in stored_sources()]
        conn.commit()
    return out


def ensure_current(engine: Engine) -> list[str]:
    """Rebuild the stored sources whose definitions changed since their last build; the sources rebuilt.
    A read when nothing changed; otherwise one writer (waiting its turn behind loads) rebuilds, the others find it done."""
    with engine.connect() as conn:
        if not stale_sources(conn):
            return []
    with load_turn(engine), engine.connect() as conn:
        _begin_writing(conn)
        stale = stale_sources(conn)  # again, now no one else is writing: another process may have rebuilt them
        for source in stale:
            _rebuild(conn, source, None)
        conn.commit()
    return stale


def _begin_writing(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    _one_writer(conn)


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
    labels = dict(conn.execute(select(ReportingPeriod.label, ReportingPeriod.id)).all())
    loaded = Period.parse(next(label for label, pid in labels.items() if pid == period_id))
    affected = [labels[p.label] for k in range(5) if (p := loaded.shift(k)).label in labels]
    return refresh_figures(conn, affected)
