"""A database server that cannot be reached is said so, on the pages as on the command line: it is not a
database without a schema (whose fix, init-db, would not help)."""

from streamlit.testing.v1 import AppTest

from tests.pages.helpers import APP, read

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/postgres"  # nothing listens on port 1


def test_the_app_says_the_database_cannot_be_reached(monkeypatch):
    import streamlit as st

    monkeypatch.setenv("ASSURANCE_DATABASE_URL", UNREACHABLE)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    errors = read(" ".join(e.value for e in at.error))
    assert "cannot be reached" in errors and "127.0.0.1:1" in errors
    assert "no schema yet" not in errors
