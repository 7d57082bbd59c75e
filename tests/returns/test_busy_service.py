"""Users sign in and browse while several returns load at once in processes of their own: nobody sees an error,
every load lands (one after another), on SQLite and PostgreSQL. The full-size run is benchmarks/busy_service.py."""

from benchmarks.busy_service import run


def test_users_see_no_error_while_loads_run(db_url, tmp_path):
    result = run(db_url, tmp_path, concerns=15_000, loads=3, users=8)
    assert result.errors == [], result.report()
    assert result.failed_loads == [], result.report()
    assert len(result.rounds) >= 8, result.report()
