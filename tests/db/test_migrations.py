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
