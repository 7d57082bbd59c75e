"""Engine and sessions, schema upgrade (Alembic) and fast bulk inserts shared by loaders and the demo."""

from __future__ import annotations

import fcntl
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine, Table, create_engine, event, inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from assurance import config
from assurance.errors import DatabaseUnreachable

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str | None = None) -> Engine:
    url = url or config.database_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """One engine per database URL for the life of the process."""
    return make_engine(url or config.database_url())


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = sessionmaker(engine, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# --- writers on SQLite: loads queue, short writes go between them ---------------------------------
# SQLite lets one connection write at a time and its busy handler is not fair: a sign-in waiting for the write
# lock can lose to one large load after another. So loads take turns through a lock file (they queue rather than
# fail), and before each load starts writing it lets any short write that is waiting (a sign-in's bookkeeping)
# go first. A short write waits for at most the load that is writing. PostgreSQL needs none of this.

def _lock_path(engine: Engine, suffix: str) -> Path | None:
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).with_name(Path(database).name + suffix)


@contextmanager
def _file_lock(path: Path | None, mode: int) -> Iterator[None]:
    if path is None:
        yield
        return
    with open(path, "a+b") as f:
        fcntl.flock(f, mode)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


LOAD_YIELDS_SECONDS = 5.0  # the longest a load lets short writes go first (sign-ins cannot hold it off for ever)


@contextmanager
def load_turn(engine: Engine) -> Iterator[None]:
    """Hold while a load writes: one load at a time per SQLite database, waiting sign-ins first (for a while)."""
    with _file_lock(_lock_path(engine, ".loads.lock"), fcntl.LOCK_EX):
        waiting = _lock_path(engine, ".writers.lock")
        if waiting is not None:
            with open(waiting, "a+b") as f:
                deadline = time.monotonic() + LOAD_YIELDS_SECONDS
                while time.monotonic() < deadline:  # a short write holds this shared while it waits and writes
                    try:
                        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        time.sleep(0.02)
                        continue
                    fcntl.flock(f, fcntl.LOCK_UN)
                    break
        yield


@contextmanager
def short_write(engine: Engine) -> Iterator[None]:
    """Hold around a short write transaction (a sign-in's bookkeeping): no new load starts writing meanwhile."""
    with _file_lock(_lock_path(engine, ".writers.lock"), fcntl.LOCK_SH):
        yield


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision` (Alembic)."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def schema_ready(engine: Engine) -> bool:
    """True when the database's schema is at the latest migration; False when it has no schema yet (or an older
    one). A database that cannot be reached at all raises DatabaseUnreachable: that is not "no schema yet"."""
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("partners"):
                return False
    except DBAPIError as exc:
        where = engine.url.render_as_string(hide_password=True)
        reason = " ".join(str(exc.orig).split()) if exc.orig is not None else type(exc).__name__
        raise DatabaseUnreachable(f"The database at {where} cannot be reached ({reason[:200]}). Check "
                                  "ASSURANCE_DATABASE_URL and that the database server is running.") from None
    return current_revision(engine) == head_revision(engine)


def _sqlite_value(v):
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    return v


def bulk_insert(conn, table: Table, columns: Sequence[str], rows: Iterable[Sequence], chunk: int = 50_000) -> int:
    """Insert many rows fast inside the caller's transaction: executemany on SQLite, COPY on PostgreSQL.

    `rows` are tuples in `columns` order; dates may be `date` objects. Returns the row count. The driver's own
    errors (a full disk, a lost connection) come out as SQLAlchemy's, like every other statement's.
    """
    try:
        return _bulk_insert(conn, table, columns, rows, chunk)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(f'INSERT INTO "{table.name}" (bulk)', None, exc,
                                  conn.dialect.loaded_dbapi.Error) from exc


def _bulk_insert(conn, table: Table, columns: Sequence[str], rows: Iterable[Sequence], chunk: int) -> int:
    dialect = conn.dialect.name
    raw = conn.connection.driver_connection
    count = 0
    if dialect == "postgresql":
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor() as cur:
            with cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    placeholders = ", ".join("?" for _ in columns)
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({placeholders})'
    cur = raw.cursor()
    rows = iter(rows)
    try:  # dates are turned into ISO text by the adapters registered below, not value by value here
        while batch := list(islice(rows, chunk)):
            cur.executemany(sql, batch)
            count += len(batch)
    finally:
        cur.close()
    return count


sqlite3.register_adapter(date, _sqlite_value)
sqlite3.register_adapter(datetime, _sqlite_value)


def reset_sequences(conn, tables: Iterable[Table]) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the largest id."""
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{t.name}\"), 0) + 1, false)"
        )
