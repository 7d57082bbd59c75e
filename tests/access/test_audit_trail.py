from datetime import date, datetime

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from assurance.access import audit
from assurance.db.models import AuditEvent
from tests.conftest import BACKEND


def _count(engine) -> int:
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(AuditEvent))


def _older_event(engine, at: datetime, actor: str, action: str, target=None, details=None, address="local"):
    """An event from an earlier day, chained as the product chains it (record() always takes the server's time)."""
    with engine.begin() as c:
        last = c.execute(select(AuditEvent.id, AuditEvent.chain_hash).order_by(AuditEvent.id.desc()).limit(1)).first()
        row = {"id": last.id + 1 if last else 1, "at": at, "actor": actor, "action": action, "target": target,
               "details": details, "source": "app", "address": address}
        row["chain_hash"] = audit.chain_hash(last.chain_hash if last else audit.GENESIS, row)
        c.execute(insert(AuditEvent), row)


def test_record_and_search(engine):
    _older_event(engine, datetime(2026, 11, 1, 9, 30), "ann", audit.EXPORT, "overview.csv", '{"rows": 12}',
                 "192.0.2.4")
    _older_event(engine, datetime(2026, 11, 20, 8, 0), "bob", audit.SIGN_IN, "bob")
    _older_event(engine, datetime(2026, 11, 21, 8, 0), "bob", audit.EXPORT, "Challenge log.csv", "all partners")
    audit.record_cli(engine, audit.COMMAND, "init-db", {"exit code": 0})
    everything = audit.search(engine)
    assert len(everything) == 4 and list(everything.columns) == audit.COLUMNS
    cli = everything[everything["Source"] == "cli"].iloc[0]
    assert cli["From"] == "cli" and cli["Who"] == audit.cli_actor() and cli["Target"] == "init-db"
    first = everything.iloc[-1]  # oldest last
    assert (first["Who"], first["Action"], first["Target"], first["Details"], first["From"]) == (
        "ann", "export", "overview.csv", '{"rows": 12}', "192.0.2.4")
    assert list(audit.search(engine, actor="bob")["Action"]) == ["export", "sign-in"]
    assert list(audit.search(engine, action="export")["Who"]) == ["bob", "ann"]
    assert list(audit.search(engine, start=date(2026, 11, 20), end=date(2026, 11, 20))["Who"]) == ["bob"]
    assert audit.verify(engine).intact
    assert list(audit.search(engine, text="CHALLENGE")["Target"]) == ["Challenge log.csv"]
    assert list(audit.search(engine, text="ALL PARTNERS")["Who"]) == ["bob"]  # details are searched too
    assert audit.search(engine, text="'; drop table audit_events; --").empty  # bound parameters, not SQL
    assert _count(engine) == 4
    actors, actions = audit.actors_and_actions(engine)
    assert {"ann", "bob"} <= set(actors) and actions == sorted({"export", "sign-in", "cli command"})


def test_the_time_and_the_order_come_from_the_server(engine):
    before = datetime.now().replace(microsecond=0)
    audit.record(engine, "ann", audit.SIGN_IN, "ann")
    with pytest.raises(TypeError):
        audit.record(engine, "ann", audit.SIGN_IN, "ann", at=datetime(2020, 1, 1))  # no back-dating
    with engine.connect() as c:
        row = c.execute(select(AuditEvent.id, AuditEvent.at)).one()
    assert row.id == 1 and before <= row.at <= datetime.now()


def test_long_values_are_clipped_not_refused(engine):
    audit.record(engine, "x" * 500, "y" * 100, "z" * 500)
    row = audit.search(engine).iloc[0]
    assert len(row["Who"]) == 120 and len(row["Action"]) == 60 and len(row["Target"]) == 200


@pytest.mark.parametrize("statement", [
    update(AuditEvent).values(actor="someone else"),
    delete(AuditEvent),
    text("UPDATE audit_events SET details = 'rewritten' WHERE id = 1"),
    text("DELETE FROM audit_events WHERE id = 1"),
])
def test_the_trail_is_append_only(engine, statement):
    audit.record(engine, "ann", audit.SIGN_IN, "ann")
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as c:
            c.execute(statement)
    row = audit.search(engine).iloc[0]
    assert _count(engine) == 1 and row["Who"] == "ann" and row["Details"] is None


def test_emptying_the_table_is_refused(engine):
    """PostgreSQL's TRUNCATE; on SQLite an unconditional DELETE (its truncate optimisation must not bypass the trigger)."""
    audit.record(engine, "ann", audit.SIGN_IN, "ann")
    sql = "TRUNCATE audit_events" if BACKEND == "postgresql" else "DELETE FROM audit_events"
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as c:
            c.execute(text(sql))
    assert _count(engine) == 1


def test_the_triggers_exist_on_this_backend(engine):
    with engine.connect() as c:
        if BACKEND == "sqlite":
            names = set(c.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
            assert {"audit_events_no_update", "audit_events_no_delete", "audit_events_no_replace"} <= names
        else:
            names = set(c.scalars(text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass")))
            assert {"audit_events_no_change", "audit_events_no_truncate"} <= names


def _user(engine, username, role, partner=None):
    from assurance.access.accounts import UserInfo, create_user

    return create_user(engine, UserInfo(None, "setup", "setup", "admin"), username, username, role, partner)


def test_loads_rejections_and_supersessions_are_recorded_with_the_load(engine):
    from assurance.returns.load import load_bytes
    from tests.returns.builders import measure_sheets, xlsx

    data = xlsx(measure_sheets())
    ann = _user(engine, "ann", "qa")
    first = load_bytes(data, "POL.xlsx", engine, "ann", "POL", "2025-26 Q2", source="upload", address="198.51.100.7",
                       by=ann)
    second = load_bytes(data, "POL again.xlsx", engine, "bob", "POL", "2025-26 Q2", source="cli")
    bad = measure_sheets()
    bad["Measures"][1][1] = 5000  # numerator above denominator: an error
    rejected = load_bytes(xlsx(bad), "POL bad.xlsx", engine, "bob", "POL", "2025-26 Q2", source="cli")
    assert first.loaded and second.loaded and not rejected.loaded
    events = audit.search(engine).iloc[::-1]
    events = events[events["Action"] != audit.USER_CREATED]
    operator = audit.cli_actor()  # "bob" was typed for the record, so the operator is the one named
    assert list(zip(events["Who"], events["Action"], events["Target"], events["Source"], events["From"])) == [
        ("ann", audit.RETURN_LOADED, f"submission {first.submission_id}", "app", "198.51.100.7"),
        (operator, audit.RETURN_LOADED, f"submission {second.submission_id}", "cli", "cli"),
        (operator, audit.SUBMISSION_SUPERSEDED, f"submission {first.submission_id}", "cli", "cli"),
        (operator, audit.RETURN_REJECTED, f"submission {rejected.submission_id}", "cli", "cli"),
    ]
    import json

    details = json.loads(events.iloc[0]["Details"])
    assert details["partner"] == "POL" and details["period"] == "2025-26 Q2" and details["rows"] == 5
    assert json.loads(events.iloc[1]["Details"])["submitted by"] == "bob"
    assert len(details["sha256"]) == 64 and json.loads(events.iloc[2]["Details"])["by"] == second.submission_id


def test_a_load_the_role_does_not_allow_changes_nothing(engine):
    from assurance.access.roles import AccessDenied
    from assurance.db.models import Submission
    from assurance.returns.load import load_bytes
    from tests.returns.builders import measure_sheets, xlsx

    analyst = _user(engine, "pat", "analyst", "POL")
    lead = _user(engine, "lee", "partner_lead", "POL")
    for who in (analyst, lead):
        partner = "LA" if who is analyst else "POL"  # another partner; a role that never uploads
        with pytest.raises(AccessDenied):
            load_bytes(xlsx(measure_sheets()), "x.xlsx", engine, who.actor, partner, "2025-26 Q2", by=who)
    with engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(Submission)) == 0
    assert _count(engine) == 2  # the two users created, nothing else
    assert load_bytes(xlsx(measure_sheets()), "x.xlsx", engine, "pat", "POL", "2025-26 Q2", by=analyst).loaded


REWRITES = {
    "sqlite": [
        "REPLACE INTO audit_events (id, at, actor, action, source, address, chain_hash) "
        "VALUES (1, '2026-01-01 00:00:00', 'mallory', 'sign-in', 'app', 'local', 'forged')",
        "INSERT OR REPLACE INTO audit_events (id, at, actor, action, source, address, chain_hash) "
        "VALUES (1, '2026-01-01 00:00:00', 'mallory', 'sign-in', 'app', 'local', 'forged')",
        "INSERT INTO audit_events (id, at, actor, action, source, address, chain_hash) "
        "VALUES (1, '2026-01-01 00:00:00', 'mallory', 'sign-in', 'app', 'local', 'forged') "
        "ON CONFLICT (id) DO UPDATE SET actor = excluded.actor",
        "UPDATE OR REPLACE audit_events SET actor = 'mallory' WHERE id = 1",
    ],
    "postgresql": [
        "INSERT INTO audit_events (id, at, actor, action, source, address, chain_hash) "
        "VALUES (1, '2026-01-01 00:00:00', 'mallory', 'sign-in', 'app', 'local', 'forged') "
        "ON CONFLICT (id) DO UPDATE SET actor = excluded.actor",
        "TRUNCATE audit_events",
        "TRUNCATE audit_events RESTART IDENTITY CASCADE",
    ],
}


@pytest.mark.parametrize("sql", REWRITES[BACKEND])
def test_no_route_rewrites_or_removes_an_event(engine, sql):
    """REPLACE, INSERT OR REPLACE and UPSERT on an existing id, and TRUNCATE, are refused like UPDATE and DELETE."""
    audit.record(engine, "ann", audit.SIGN_IN, "ann")
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as c:
            c.execute(text(sql))
    row = audit.search(engine).iloc[0]
    assert _count(engine) == 1 and row["Who"] == "ann"
