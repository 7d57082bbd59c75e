"""Validate and load a return in ONE transaction; keep the original file; record the submission.

A resubmission for the same partner, period and return type supersedes the earlier one: its facts stay
in the database, but measures only use facts whose submission is `accepted`. Loads for the same partner
are serialised (a row lock on PostgreSQL, an immediate write lock on SQLite) and a partial unique index
guarantees at most one accepted submission per partner, period and return type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from assurance.access import audit
from assurance.access.roles import require
from assurance.db.engine import bulk_insert, load_turn
from assurance.errors import AssuranceError
from assurance.measures.figures import refresh_after_load
from assurance.db.models import Base, Partner, StoredFile, Submission, ValidationIssue
from assurance.returns.clean import CleanSheet
from assurance.returns.validate import Prepared, Progress, Report, check, prepare

ISSUE_COLUMNS = ["submission_id", "severity", "rule", "sheet", "row", "column", "field", "value", "message", "suggestion"]


class LoadFailed(AssuranceError):
    """The database could not take the load (full disk, lost connection); nothing was changed."""


@dataclass
class LoadResult:
    status: str  # accepted / rejected
    submission_id: int | None
    superseded: list[int]
    report: Report
    rows_loaded: int = 0

    @property
    def loaded(self) -> bool:
        return self.status == "accepted"


def load_bytes(data: bytes, file_name: str, engine: Engine, user: str, partner: str | None = None,
               period: str | None = None, return_type: str | None = None, source: str = "cli",
               progress: Progress | None = None, by=None, address: str | None = None) -> LoadResult:
    """prepare + load_prepared. Raises ReadError (unreadable/hostile file) or UsageError (bad choices)."""
    prepared = prepare(data, file_name, engine, partner, period, return_type, progress)
    return load_prepared(prepared, engine, user, source, progress, by, address)


def load_prepared(prepared: Prepared, engine: Engine, user: str, source: str = "upload",
                  progress: Progress | None = None, by=None, address: str | None = None) -> LoadResult:
    """Check again inside the transaction and load if there are no errors; otherwise record the rejection.

    `by` (a signed-in user, or None for the command line's operator) must be allowed to upload for the partner
    (AccessDenied otherwise, before anything is written). The audit trail records the outcome, and every
    submission superseded, in the same transaction.
    """
    report_progress = progress or (lambda _f, _m: None)
    if by is not None and prepared.partner is not None:
        require(by, "upload_returns", prepared.partner.id)
    trail = {"file": prepared.file_name, "sha256": prepared.sha256, "return": prepared.spec.type if prepared.spec else None,
             "partner": prepared.partner.code if prepared.partner else None,
             "period": prepared.period.label if prepared.period else None, "submitted by": user}
    actor = audit_actor(by)
    where = dict(source="cli" if source == "cli" else "app", address=address)
    if not prepared.can_record:  # no partner/period to record against: nothing is written
        with engine.connect() as conn:
            report = check(prepared, conn)
        audit.record(engine, actor, audit.RETURN_REJECTED, prepared.file_name, {**trail, "errors": report.error_count},
                     **where)
        return LoadResult("rejected", None, [], report)
    try:
        return _load(prepared, engine, user, actor, source, report_progress, trail, where)
    except (SQLAlchemyError, OSError) as exc:  # a full disk, a lost connection, a crash of the database
        reason = getattr(exc, "orig", None) or exc
        message = str(reason).splitlines()[0] if str(reason) else type(reason).__name__
        try:
            audit.record(engine, actor, audit.LOAD_FAILED, prepared.file_name, {**trail, "reason": message}, **where)
        except (SQLAlchemyError, OSError):
            pass  # the database cannot take even the record: the message below still goes to the user
        raise LoadFailed(f"{prepared.file_name} could not be stored ({message}). Nothing was changed: the returns "
                         "loaded before stay in use. Try again later, or tell the administrator.") from exc


def _load(prepared: Prepared, engine: Engine, user: str, actor: str, source: str, report_progress, trail: dict,
          where: dict) -> LoadResult:
    """The load itself, in one transaction: rolled back whole if anything fails before the commit."""
    report_progress(0.86, "Waiting for the database (returns are written one at a time)")
    with load_turn(engine), engine.connect() as conn:
        _lock(conn, prepared.partner.id)
        now = datetime.now().replace(microsecond=0)
        report_progress(0.88, "Checking against returns already loaded")
        report = check(prepared, conn)
        _store_file(conn, prepared, now)
        status = "rejected" if report.error_count else "loading"
        sub_id = conn.execute(insert(Submission).values(
            partner_id=prepared.partner.id, period_id=prepared.period_id, return_type=prepared.spec.type,
            file_name=prepared.file_name[:255], sha256=prepared.sha256, submitted_by=(user or "unknown")[:120],
            submitted_at=now, status=status, source=source, template_version=prepared.template_version,
            row_count=prepared.row_count, error_count=report.error_count, query_count=report.query_count,
        ).returning(Submission.id)).scalar_one()
        superseded: list[int] = []
        rows = 0
        if status == "loading":
            superseded = list(conn.execute(select(Submission.id).where(
                Submission.partner_id == prepared.partner.id, Submission.period_id == prepared.period_id,
                Submission.return_type == prepared.spec.type, Submission.status == "accepted")).scalars())
            if superseded:
                conn.execute(update(Submission).where(Submission.id.in_(superseded)).values(
                    status="superseded", superseded_by_id=sub_id, superseded_at=now))
            conn.execute(update(Submission).where(Submission.id == sub_id).values(status="accepted"))
            report_progress(0.9, "Writing the rows")
            rows = _insert_facts(conn, prepared, sub_id)
            if prepared.spec.type == "activity":
                report_progress(0.97, "Updating the quarterly figures")
                refresh_after_load(conn, prepared.period_id)
        _insert_issues(conn, report, sub_id)
        outcome = {**trail, "rows": rows, "errors": report.error_count, "queries": report.query_count}
        if status == "loading":
            audit.record(engine, actor, audit.RETURN_LOADED, f"submission {sub_id}", outcome, conn=conn, **where)
            for old in superseded:
                audit.record(engine, actor, audit.SUBMISSION_SUPERSEDED, f"submission {old}", {**trail, "by": sub_id},
                             conn=conn, **where)
        else:
            audit.record(engine, actor, audit.RETURN_REJECTED, f"submission {sub_id}", outcome, conn=conn, **where)
        conn.commit()
    report_progress(1.0, "Done")
    return LoadResult("accepted" if status == "loading" else "rejected", sub_id, superseded, report, rows)


def audit_actor(by) -> str:
    """Who the audit trail names: the signed-in (or --as) user, else whoever runs the command; never a name the
    caller typed (that is kept as "submitted by")."""
    return by.actor if by is not None else audit.cli_actor()


def record_rejection(prepared: Prepared, engine: Engine, user: str, source: str = "upload", by=None,
                     address: str | None = None) -> LoadResult:
    """Same as load_prepared for a return with errors: the attempt and its issues are kept, no facts."""
    return load_prepared(prepared, engine, user, source, by=by, address=address)


# --- pieces of the transaction -------------------------------------------------------------------------

def _lock(conn, partner_id: int) -> None:
    """Serialise loads for one partner: SQLite takes the write lock now; PostgreSQL locks the partner row."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.execute(select(Partner.id).where(Partner.id == partner_id).with_for_update())


def _store_file(conn, prepared: Prepared, now: datetime) -> None:
    values = dict(sha256=prepared.sha256, size=len(prepared.data), content=prepared.data, stored_at=now)
    dialect_insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(dialect_insert(StoredFile).values(**values).on_conflict_do_nothing(index_elements=["sha256"]))


def _column(sheet: CleanSheet, name: str) -> list:
    values = sheet.values[name]
    if values.dtype.kind == "M":
        out = np.datetime_as_string(values, unit="D").astype(object)
        out[np.isnat(values)] = None
        return out.tolist()
    return values.tolist()


def _insert_facts(conn, prepared: Prepared, sub_id: int) -> int:
    """Each sheet's rows into the table its spec names, each value into the columns its column's `store` names;
    lists of codes into their child tables, one row per code, hung from the row's id."""
    total = 0
    base = (sub_id, prepared.partner.id, prepared.period_id)
    for spec_sheet in prepared.spec.sheets:
        sheet = prepared.sheets.get(spec_sheet.name)
        if sheet is None or not sheet.n:
            continue
        table = Base.metadata.tables[spec_sheet.table]
        stored = [name for c in spec_sheet.columns for name in c.store]
        columns = ["submission_id", "partner_id", "period_id", *stored]
        rows = zip(*([v] * sheet.n for v in base), *(_column(sheet, name) for name in stored))
        total += bulk_insert(conn, table, columns, rows)
        children = [c for c in spec_sheet.columns if c.child_table and c.field in sheet.present]
        if children:
            _insert_children(conn, sheet, table, children, sub_id)
    return total


def _insert_children(conn, sheet: CleanSheet, table, columns, sub_id: int) -> None:
    """Rows of (parent id, dimension, code) for each code in each list-of-codes column."""
    key = sheet.spec.id_column.field
    ids = dict(conn.execute(select(table.c[key], table.c.id).where(table.c.submission_id == sub_id)).all())
    refs = sheet.values[key].tolist()
    by_table: dict[str, list[tuple]] = {}
    for c in columns:
        out = by_table.setdefault(c.child_table, [])
        for ref, labels in zip(refs, sheet.values[c.field].tolist()):
            if labels:
                out.extend((ids[ref], c.dimension, label) for label in labels)
    for name, rows in by_table.items():
        child = Base.metadata.tables[name]
        parent = next(fk.parent.name for fk in child.foreign_keys if fk.column.table is table)
        bulk_insert(conn, child, [parent, "dimension", "category"], rows)


def _insert_issues(conn, report: Report, sub_id: int) -> None:
    rows = ((sub_id, i.severity, i.rule, i.sheet, i.row, i.column, i.field, i.value, i.message, i.suggestion)
            for i in report.issues)
    bulk_insert(conn, ValidationIssue.__table__, ISSUE_COLUMNS, rows)
