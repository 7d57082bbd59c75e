"""The audit trail: who did what, when, to what, and from where. Append-only (the database refuses changes), and
each event is chained to the one before by a hash, so a change made behind the database's back shows (verify)."""

from __future__ import annotations

import getpass
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, String, cast, func, insert, or_, select, text

from assurance.db.engine import short_write
from assurance.db.models import AuditEvent

# Action names used across the product (others may add their own: short, lower case, dotted).
SIGN_IN = "sign-in"
SIGN_IN_FAILED = "sign-in failed"
LOCKED_OUT = "account locked"
SIGN_OUT = "sign-out"
SIGNED_OUT_IDLE = "signed out (idle)"
EXPORT = "export"
USER_CREATED = "user created"
USER_CHANGED = "user changed"
CHALLENGE_RAISED = "challenge raised"
CHALLENGE_RESPONDED = "challenge responded"
CHALLENGE_CLOSED = "challenge closed"
CHALLENGE_REOPENED = "challenge reopened"
ACCESS_REFUSED = "access refused"
RETURN_LOADED = "return loaded"
RETURN_REJECTED = "return rejected"
SUBMISSION_SUPERSEDED = "submission superseded"
LOAD_FAILED = "load failed"  # the database could not take it: rolled back, nothing changed
UPLOAD_REFUSED = "upload refused"  # not a readable, safe workbook: nothing was recorded but this
COMMAND = "cli command"

COLUMNS = ["When", "Who", "Action", "Target", "Details", "Source", "From"]


def _clip(text: str | None, n: int | None = None) -> str | None:
    """Text as stored: cut to n characters, and anything that is not text (a file name's stray bytes) as '?'."""
    return None if text is None else str(text).encode("utf-8", "replace").decode("utf-8")[:n]


def record(engine: Engine, actor: str, action: str, target: str | None = None, details=None, source: str = "app",
           address: str | None = None, conn=None) -> None:
    """Append one event, timed by the server's clock. details may be text or anything JSON can hold. Pass conn
    to write inside a transaction (the chain lock is then held until that transaction ends)."""
    if details is not None and not isinstance(details, str):
        details = json.dumps(details, default=str, sort_keys=True)
    row = {
        "actor": _clip(actor or "unknown", 120),
        "action": _clip(action, 60),
        "target": _clip(target, 200),
        "details": _clip(details),
        "source": _clip(source, 10),
        "address": _clip(address or ("cli" if source == "cli" else "local"), 64),
    }
    if conn is not None:
        _append(conn, row)
        return
    with short_write(engine), engine.begin() as c:
        _append(c, row)


# --- the hash chain -----------------------------------------------------------------------------

GENESIS = "0" * 64  # what the first event is chained to
_PG_CHAIN_LOCK = 7_406_118_905  # pg_advisory_xact_lock key: one writer at a time extends the chain


def chain_hash(previous: str, row) -> str:
    """sha256 over the previous event's hash and this event's fields, in a fixed form.
    (Migration 0008 holds a copy for its back-fill: change both or neither.)"""
    get = row.get if isinstance(row, dict) else (lambda k: getattr(row, k))
    fields = [get("id"), get("at").isoformat(sep=" "), get("actor"), get("action"), get("target"), get("details"),
              get("source"), get("address")]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


def _hold_chain_lock(conn) -> None:
    """Make this transaction the only one extending the chain until it ends, before the last event is read."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_CHAIN_LOCK})
    elif conn.dialect.name == "sqlite" and not conn.connection.driver_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now (a transaction that has written holds it)


def _append(conn, row: dict) -> None:
    _hold_chain_lock(conn)
    last = conn.execute(select(AuditEvent.id, AuditEvent.chain_hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    row = {"id": last.id + 1 if last else 1, "at": datetime.now().replace(microsecond=0), **row}
    row["chain_hash"] = chain_hash(last.chain_hash if last else GENESIS, row)
    conn.execute(insert(AuditEvent), row)


ALTERED = "altered"
REMOVED = "removed"
INSERTED = "inserted out of chain"
UNMATCHED = "altered or added outside the product"


@dataclass(frozen=True)
class ChainCheck:
    """What verify found: the events checked and, when the chain is broken, the first event where it breaks."""

    events: int
    first_id: int | None = None
    last_id: int | None = None
    last_hash: str | None = None
    broken_id: int | None = None
    broken_at: datetime | None = None
    problem: str | None = None  # ALTERED, REMOVED, INSERTED or UNMATCHED
    missing: tuple[int, int] | None = None  # the ids missing before broken_id, when REMOVED

    @property
    def intact(self) -> bool:
        return self.broken_id is None

    @property
    def message(self) -> str:
        if self.intact:
            if not self.events:
                return "The audit trail is intact: it holds no events yet."
            return (f"The audit trail is intact: {self.events:,} events, chain checked from {self.first_id} "
                    f"to {self.last_id}.")
        where = f"The audit trail is broken at event {self.broken_id} (recorded {self.broken_at:%d/%m/%Y %H:%M:%S})"
        if self.problem == REMOVED:
            lo, hi = self.missing
            gone = f"event {lo} was" if lo == hi else f"events {lo} to {hi} were"
            return f"{where}: {gone} removed before it."
        if self.problem == INSERTED:
            return f"{where}: it was inserted out of chain (not written by the product)."
        if self.problem == ALTERED:
            return f"{where}: it was altered after it was written."
        return f"{where}: it does not match the chain (altered, or added outside the product)."


def verify(engine: Engine) -> ChainCheck:
    """Walk the trail in id order, recomputing each event's hash from the one before; name the first break."""
    columns = [AuditEvent.id, AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.target,
               AuditEvent.details, AuditEvent.source, AuditEvent.address, AuditEvent.chain_hash]
    count, first, previous, suspect = 0, None, None, None
    with engine.connect() as c:
        for row in c.execution_options(yield_per=2000).execute(select(*columns).order_by(AuditEvent.id)):
            count += 1
            first = first or row
            expected_previous = previous.chain_hash if previous else GENESIS
            if suspect is not None:  # the event after a bad one tells which kind of bad it was
                bad, before = suspect
                if row.chain_hash == chain_hash(before, row):
                    return _broken(count, first, bad, INSERTED)
                return _broken(count, first, bad, ALTERED if row.chain_hash == chain_hash(bad.chain_hash, row)
                               else UNMATCHED)
            if row.chain_hash != chain_hash(expected_previous, row):
                previous_id = previous.id if previous else 0
                if row.id > previous_id + 1:
                    return _broken(count, first, row, REMOVED, (previous_id + 1, row.id - 1))
                suspect = (row, expected_previous)
                continue
            previous = row
    if suspect is not None:
        return _broken(count, first, suspect[0], UNMATCHED)
    return ChainCheck(count, first.id if first else None, previous.id if previous else None,
                      previous.chain_hash if previous else None)


def _broken(count: int, first, row, problem: str, missing: tuple[int, int] | None = None) -> ChainCheck:
    return ChainCheck(count, first.id, None, None, row.id, row.at, problem, missing)


def cli_actor() -> str:
    """Who runs a command: the operating-system user."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers)
        return "unknown"


def record_cli(engine: Engine, action: str, target: str | None = None, details=None) -> None:
    record(engine, cli_actor(), action, target, details, source="cli", address="cli")


def search(engine: Engine, actor: str | None = None, action: str | None = None, start: date | None = None,
           end: date | None = None, text: str | None = None, limit: int = 5000) -> pd.DataFrame:
    """Events newest first. actor/action match exactly; text is a case-insensitive match on target and details."""
    q = select(AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.target, AuditEvent.details,
               AuditEvent.source, AuditEvent.address)
    if actor:
        q = q.where(AuditEvent.actor == actor)
    if action:
        q = q.where(AuditEvent.action == action)
    if start:
        q = q.where(AuditEvent.at >= datetime.combine(start, datetime.min.time()))
    if end:
        q = q.where(AuditEvent.at < datetime.combine(end + timedelta(days=1), datetime.min.time()))
    if text and text.strip():
        like = f"%{text.strip().lower()}%"
        q = q.where(or_(func.lower(AuditEvent.target).like(like), func.lower(cast(AuditEvent.details, String)).like(like),
                        func.lower(AuditEvent.actor).like(like)))
    q = q.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    with engine.connect() as c:
        rows = c.execute(q).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=COLUMNS)


def actors_and_actions(engine: Engine) -> tuple[list[str], list[str]]:
    """The distinct actors and actions in the trail (for search filters)."""
    with engine.connect() as c:
        actors = c.scalars(select(AuditEvent.actor).distinct().order_by(AuditEvent.actor)).all()
        actions = c.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return list(actors), list(actions)
