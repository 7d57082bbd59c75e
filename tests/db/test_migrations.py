from sqlalchemy import inspect

from assurance.db.engine import current_revision, get_engine, head_revision, schema_ready, upgrade
from assurance.db.models import Base
from tests.conftest import BACKEND


def test_upgrade_from_empty_to_head_creates_the_schema(databases):
    engine = get_engine(databases.new())
    assert engine.dialect.name == BACKEND
    assert not schema_ready(engine)
    upgrade(engine)
    insp = inspect(engine)
    tables = set(insp.get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert current_revision(engine) == head_revision(engine)
    assert schema_ready(engine)
    concern_indexes = {ix["name"] for ix in insp.get_indexes("concerns")}
    assert {"ix_concerns_period_partner", "ix_concerns_person"} <= concern_indexes
    cols = {c["name"] for c in insp.get_columns("enquiries")}
    assert {"msp_asked", "msp_achieved", "felt_safer", "lacked_capacity", "capacity_support"} <= cols


def test_upgrade_is_idempotent_and_downgrade_removes_everything(databases):
    engine = get_engine(databases.new())
    upgrade(engine)
    upgrade(engine)  # already at head: nothing to do
    from alembic import command

    from assurance.db.engine import alembic_config

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    leftover = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert leftover == set()


def test_models_match_the_migrations(databases):
    """Autogenerate finds nothing to add: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = get_engine(databases.new())
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_an_existing_audit_trail_upgrades_in_place_to_the_hash_chain(databases):
    """0008 back-fills the chain over the events already there and closes the REPLACE route; 0007's rules stay."""
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from assurance.access import audit

    engine = get_engine(databases.new())
    upgrade(engine, "0007_access")
    with engine.begin() as c:  # events written before the chain existed, with a gap in the ids
        for i, who in ((1, "ann"), (2, "bob"), (4, "cat")):
            c.execute(text("INSERT INTO audit_events (id, at, actor, action, target, details, source, address) "
                           "VALUES (:i, :at, :who, 'sign-in', :who, :d, 'app', '192.0.2.1')"),
                      {"i": i, "at": f"2026-11-0{i} 09:00:00", "who": who, "d": '{"note": "été"}' if i == 2 else None})
    upgrade(engine)
    check = audit.verify(engine)
    assert check.message == "The audit trail is intact: 3 events, chain checked from 1 to 4."
    audit.record(engine, "dan", audit.SIGN_IN, "dan")
    assert audit.verify(engine).last_id == 5 and audit.verify(engine).intact
    for sql in ("UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as c:
                c.execute(text(sql))
    if BACKEND == "sqlite":
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as c:
                c.execute(text("REPLACE INTO audit_events (id, at, actor, action, source, address, chain_hash) "
                               "VALUES (1, '2026-01-01 00:00:00', 'x', 'y', 'app', 'local', 'z')"))
    from alembic import command

    from assurance.db.engine import alembic_config

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007_access")
    assert "chain_hash" not in {c["name"] for c in inspect(engine).get_columns("audit_events")}
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as c:
            c.execute(text("DELETE FROM audit_events"))


def test_an_issued_pack_cannot_be_changed_or_deleted(databases):
    """0009: the database itself keeps an issued board pack as issued."""
    import pytest
    from datetime import datetime
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    engine = get_engine(databases.new())
    upgrade(engine)
    with engine.begin() as c:
        c.execute(text("INSERT INTO issued_packs (period_label, issued_at, issued_by, file_name, media_type, content, "
                       "sha256, publication_mode, figures) VALUES ('2025-26 Q4', :at, 'chair', 'pack.pdf', "
                       "'application/pdf', :content, :sha, :pub, '[]')"),
                  {"at": datetime(2026, 5, 1), "content": b"%PDF", "sha": "0" * 64, "pub": True})
    for sql in ("UPDATE issued_packs SET issued_by = 'someone else'", "DELETE FROM issued_packs"):
        with pytest.raises(DBAPIError, match="kept as issued"), engine.begin() as c:
            c.execute(text(sql))
    with engine.connect() as c:
        assert c.execute(text("SELECT issued_by FROM issued_packs")).scalar_one() == "chair"
