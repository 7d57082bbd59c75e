"""Tamper evidence: every event is chained to the one before by a hash, and verify names the first broken event.

Tampering here goes behind the triggers, as someone holding the database owner's rights could."""

import threading
from contextlib import contextmanager
from datetime import datetime

import pytest
from sqlalchemy import insert, select, text

from assurance.access import audit
from assurance.db.models import AuditEvent
from tests.conftest import BACKEND


@contextmanager
def behind_the_triggers(engine):
    """A transaction in which the append-only triggers do not fire."""
    with engine.begin() as c:
        if BACKEND == "sqlite":
            triggers = c.execute(text("SELECT name, sql FROM sqlite_master "
                                      "WHERE type = 'trigger' AND tbl_name = 'audit_events'")).all()
            for name, _sql in triggers:
                c.exec_driver_sql(f"DROP TRIGGER {name}")
            yield c
            for _name, sql in triggers:
                c.exec_driver_sql(sql)
        else:
            c.exec_driver_sql("SET LOCAL session_replication_role = replica")  # ordinary triggers off
            yield c


def _three_events(engine):
    for who in ("ann", "bob", "cat"):
        audit.record(engine, who, audit.SIGN_IN, who)


def _append_raw(c, row: dict, previous_hash: str | None = None) -> None:
    """Insert an event with its hash chained to previous_hash (default: a hash no event has)."""
    row = {"at": datetime(2026, 11, 23, 9, 0), "action": audit.SIGN_IN, "target": None, "details": None,
           "source": "app", "address": "local", **row}
    row["chain_hash"] = audit.chain_hash(previous_hash or "f" * 64, row)
    c.execute(insert(AuditEvent), row)


def test_an_untouched_trail_is_intact(engine):
    assert audit.verify(engine).message == "The audit trail is intact: it holds no events yet."
    _three_events(engine)
    check = audit.verify(engine)
    assert check.intact and (check.events, check.first_id, check.last_id) == (3, 1, 3)
    assert check.message == "The audit trail is intact: 3 events, chain checked from 1 to 3."
    with engine.connect() as c:
        hashes = list(c.scalars(select(AuditEvent.chain_hash).order_by(AuditEvent.id)))
    assert len(set(hashes)) == 3 and all(len(h) == 64 for h in hashes) and check.last_hash == hashes[-1]


def test_an_altered_event_is_named(engine):
    _three_events(engine)
    with behind_the_triggers(engine) as c:
        c.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE id = 2"))
    check = audit.verify(engine)
    assert (check.intact, check.broken_id, check.problem) == (False, 2, audit.ALTERED)
    assert check.message.startswith("The audit trail is broken at event 2 (recorded ")
    assert check.message.endswith("): it was altered after it was written.")


def test_an_altered_event_with_a_recomputed_hash_breaks_the_next_link(engine):
    _three_events(engine)
    with engine.connect() as c:
        first, second = c.execute(select(AuditEvent.__table__).order_by(AuditEvent.id).limit(2)).all()
    forged = dict(second._mapping)
    forged["actor"] = "mallory"
    with behind_the_triggers(engine) as c:
        c.execute(text("UPDATE audit_events SET actor = 'mallory', chain_hash = :h WHERE id = 2"),
                  {"h": audit.chain_hash(first.chain_hash, forged)})
    check = audit.verify(engine)
    assert (check.broken_id, check.problem) == (3, audit.UNMATCHED)  # event 3 was chained to the real event 2


@pytest.mark.parametrize("removed, missing, said", [
    ("id = 2", (2, 2), ": event 2 was removed before it."),
    ("id < 3", (1, 2), ": events 1 to 2 were removed before it."),
], ids=["a gap", "the first events"])
def test_removed_events_are_named(engine, removed, missing, said):
    _three_events(engine)
    with behind_the_triggers(engine) as c:
        c.execute(text(f"DELETE FROM audit_events WHERE {removed}"))
    check = audit.verify(engine)
    assert (check.broken_id, check.problem, check.missing) == (3, audit.REMOVED, missing)
    assert check.message.endswith(said)


def test_an_event_inserted_into_a_gap_is_named(engine):
    """An older trail may have gaps in its ids (PostgreSQL skips ids a rolled-back insert took)."""
    with engine.begin() as c:
        _append_raw(c, {"id": 1, "actor": "ann"}, audit.GENESIS)
        first = c.scalar(select(AuditEvent.chain_hash))
        _append_raw(c, {"id": 3, "actor": "bob"}, first)
    assert audit.verify(engine).intact  # a gap the chain was built over is no break
    with engine.begin() as c:
        _append_raw(c, {"id": 2, "actor": "mallory"})  # INSERT is allowed; its hash cannot fit the chain
    check = audit.verify(engine)
    assert (check.broken_id, check.problem) == (2, audit.INSERTED)
    assert check.message.endswith(": it was inserted out of chain (not written by the product).")


def test_an_event_added_at_the_end_outside_the_product_is_named(engine):
    _three_events(engine)
    with engine.begin() as c:
        _append_raw(c, {"id": 4, "actor": "mallory"})
    check = audit.verify(engine)
    assert (check.broken_id, check.problem) == (4, audit.UNMATCHED)
    assert check.message.endswith("does not match the chain (altered, or added outside the product).")


def test_writers_at_the_same_time_keep_one_chain(engine):
    """Each writer reads the last event only once it holds the lock, so no two chain to the same predecessor."""
    errors = []

    def write(who):
        try:
            for i in range(15):
                audit.record(engine, who, audit.EXPORT, f"{who} {i}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in ("ann", "bob", "cat")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    check = audit.verify(engine)
    assert check.intact and check.events == 45 and check.last_id == 45


def test_an_event_written_inside_a_caller_transaction_is_chained(engine):
    """As loads and account changes do: the event goes in with the caller's own writes."""
    with engine.begin() as c:
        audit.record(engine, "ann", audit.RETURN_LOADED, "submission 1", conn=c)
        audit.record(engine, "ann", audit.SUBMISSION_SUPERSEDED, "submission 0", conn=c)
    audit.record(engine, "bob", audit.SIGN_IN, "bob")
    assert audit.verify(engine).message == "The audit trail is intact: 3 events, chain checked from 1 to 3."


def test_audit_verify_on_the_command_line(engine, capsys):
    from assurance.access.accounts import UserInfo, create_user
    from assurance.cli import main

    admin = UserInfo(None, "setup", "setup", "admin")
    create_user(engine, admin, "ann", "Ann", "analyst", "POL")
    create_user(engine, admin, "ada", "Ada", "admin")
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "The audit trail is intact: 2 events, chain checked from 1 to 2."
    assert main(["--as", "ADA", "audit", "verify"]) == 0  # an administrator may read the trail
    assert capsys.readouterr().out.startswith("The audit trail is intact")
    assert main(["--as", "ann", "audit", "verify"]) == 1  # an analyst may not
    assert "does not allow you to search the audit trail" in capsys.readouterr().err
    with behind_the_triggers(engine) as c:
        c.execute(text("UPDATE audit_events SET target = 'someone else' WHERE id = 1"))
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("The audit trail is broken at event 1 (recorded ") and "altered" in out
