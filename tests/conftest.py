"""Shared fixtures. The suite runs against SQLite by default and against PostgreSQL when
ASSURANCE_TEST_DATABASE_URL names a server (an admin URL such as
postgresql+psycopg://postgres@127.0.0.1:5433/postgres): each test database is created there.
In CI (CI=true) nothing is skipped: a missing browser or database server fails the run.

The tests never read or write the installation's configuration (its instance folder, or data/ where earlier versions
kept it): an administrator's change in a running install must not change a test. At start-up they get an instance
folder of their own (ASSURANCE_INSTANCE_DIR) and private copies of the shipped defaults (assurance/defaults/), named
in ASSURANCE_BOARD_CONFIG and ASSURANCE_FRAMEWORK, so that `python -m assurance` run by a test reads them too.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from assurance import config, paths
from assurance.db.bootstrap import init_database
from assurance.db.engine import get_engine
from assurance.demo import DemoSpec, build_demo

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_ADMIN_URL = os.environ.get("ASSURANCE_TEST_DATABASE_URL", "")
BACKEND = "postgresql" if PG_ADMIN_URL else "sqlite"
TODAY = date(2026, 11, 23)  # fixed so figures do not move with the calendar
DEMO_SPEC = DemoSpec(seed=11, quarters=12, concerns_per_quarter=400, today=TODAY)


PRISTINE = Path(tempfile.mkdtemp(prefix="assurance-test-config-"))


def pytest_configure():
    pristine = PRISTINE
    os.environ["ASSURANCE_INSTANCE_DIR"] = str(pristine / "instance")
    for name, variable in (("board.toml", "ASSURANCE_BOARD_CONFIG"), ("framework.toml", "ASSURANCE_FRAMEWORK")):
        shutil.copy(config.DEFAULTS_DIR / name, pristine / name)
        os.environ[variable] = str(pristine / name)


def pytest_unconfigure():
    shutil.rmtree(PRISTINE, ignore_errors=True)


LIVE = (paths.DATA_DIR.resolve(), paths.DEFAULT_INSTANCE_DIR.resolve())


def outside_live_data(path: Path) -> bool:
    resolved = Path(path).resolve()
    return not any(live == resolved or live in resolved.parents for live in LIVE)


def _configuration_in_use() -> list[str]:
    """Where the configuration would be read from and written to now, without making anything."""
    problems = []
    instance = os.environ.get("ASSURANCE_INSTANCE_DIR")
    if not instance or not outside_live_data(Path(instance)):
        problems.append(f"ASSURANCE_INSTANCE_DIR is {instance!r}: the test would use the installation's own folder")
    for variable in ("ASSURANCE_BOARD_CONFIG", "ASSURANCE_FRAMEWORK"):
        value = os.environ.get(variable)
        if value and not outside_live_data(Path(value)):
            problems.append(f"{variable} is {value!r}: the test would use the installation's configuration")
    return problems


@pytest.fixture(autouse=True)
def _never_the_live_configuration(monkeypatch):
    """Fails a test that would read or write the installation's own configuration (checked again at the end,
    before the test's own monkeypatching is undone)."""
    assert _configuration_in_use() == []
    yield
    assert _configuration_in_use() == []


def require(condition: bool, reason: str) -> None:
    """Skip when something optional is missing on a developer's machine; fail in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: nothing may be skipped)")
    pytest.skip(reason)


class Databases:
    """Creates throwaway databases on the backend under test."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.created: list[str] = []
        if PG_ADMIN_URL:
            self.admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            try:
                with self.admin.connect() as c:
                    c.execute(text("SELECT 1"))
            except Exception as exc:  # noqa: BLE001
                pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {exc}")

    def new(self, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`), as a URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        if PG_ADMIN_URL:
            tmpl = f" TEMPLATE {make_url(template).database}" if template else ""
            with self.admin.connect() as c:
                if template:  # pooled connections left by earlier tests would block the copy
                    c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": make_url(template).database})
                c.execute(text(f'CREATE DATABASE "{name}"{tmpl}'))
            self.created.append(name)
            return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        path = self.tmp / f"{name}.db"
        if template:
            import sqlite3

            with sqlite3.connect(make_url(template).database) as src, sqlite3.connect(path) as dst:
                src.backup(dst)  # includes pages still in the write-ahead log
        return f"sqlite:///{path}"

    def release(self, url: str) -> None:
        """Close pooled connections (PostgreSQL will not copy or drop a database in use)."""
        get_engine(url).dispose()

    def drop_all(self) -> None:
        if PG_ADMIN_URL:
            get_engine.cache_clear()
            with self.admin.connect() as c:
                for name in self.created:
                    c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self.admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    dbs = Databases(tmp_path_factory.mktemp("db"))
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def board():
    return config.load_board_config(config.DEFAULTS_DIR / "board.toml")


@pytest.fixture(scope="session")
def _initialised_template(databases, board):
    url = databases.new()
    init_database(get_engine(url), board, today=TODAY)
    databases.release(url)
    return url


@pytest.fixture
def db_url(databases, _initialised_template, monkeypatch):
    """A fresh database with the schema, partners and periods, and no facts; set as the app's database."""
    url = databases.new(template=_initialised_template)
    monkeypatch.setenv("ASSURANCE_DATABASE_URL", url)
    return url


@pytest.fixture
def engine(db_url):
    return get_engine(db_url)


@pytest.fixture(scope="session")
def demo_db(databases, board):
    """A small synthetic demo Board built once per run. Read-only: tests must not change it."""
    url = databases.new()
    summary = build_demo(get_engine(url), board, DEMO_SPEC)
    return url, summary


@pytest.fixture
def demo_url(demo_db, monkeypatch):
    url, _ = demo_db
    monkeypatch.setenv("ASSURANCE_DATABASE_URL", url)
    return url


@pytest.fixture
def demo_engine(demo_url):
    return get_engine(demo_url)


@pytest.fixture
def demo_copy_url(databases, demo_db, monkeypatch):
    """A private copy of the demo Board that a test may change."""
    databases.release(demo_db[0])
    url = databases.new(template=demo_db[0])
    monkeypatch.setenv("ASSURANCE_DATABASE_URL", url)
    return url


@pytest.fixture
def config_copy(tmp_path, monkeypatch):
    """Private copies of the Board configuration and the framework file, for tests that change them."""
    board_path, framework_file = tmp_path / "board.toml", tmp_path / "framework.toml"
    shutil.copy(config.DEFAULTS_DIR / "board.toml", board_path)
    shutil.copy(config.DEFAULTS_DIR / "framework.toml", framework_file)
    monkeypatch.setenv("ASSURANCE_BOARD_CONFIG", str(board_path))
    monkeypatch.setenv("ASSURANCE_FRAMEWORK", str(framework_file))
    return board_path, framework_file


@pytest.fixture
def population_copy(tmp_path, monkeypatch):
    """A private copy of the population baselines (data/population/), for tests that load or change them."""
    import shutil

    from assurance.reference import population

    folder = tmp_path / "population"
    shutil.copytree(population.POP_DIR, folder)
    monkeypatch.setenv("ASSURANCE_POPULATION_DIR", str(folder))
    return folder
