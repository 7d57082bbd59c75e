import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from assurance.cli import main
from assurance.db.engine import get_engine
from assurance.db.models import Concern, Partner, ReportingPeriod

ROOT = Path(__file__).resolve().parents[1]


def test_help_lists_the_commands():
    out = subprocess.run([sys.executable, "-m", "assurance", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0
    for cmd in ("demo", "init-db", "partners"):
        assert cmd in out.stdout


def test_usage_error_exits_2(capsys):
    try:
        main(["partners", "--format", "xml"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_init_db_creates_board_without_facts(databases, monkeypatch, capsys, board):
    url = databases.new()
    monkeypatch.setenv("ASSURANCE_DATABASE_URL", url)
    assert main(["init-db"]) == 0
    assert "Partners: 12 added" in capsys.readouterr().out
    with get_engine(url).connect() as c:
        assert c.scalar(select(func.count()).select_from(Partner)) == len(board.partners)
        assert c.scalar(select(func.count()).select_from(Concern)) == 0
        assert c.scalar(select(func.min(ReportingPeriod.label))) == board.first_period
    assert main(["init-db"]) == 0  # running again upgrades in place and adds nothing
    assert "Partners: 0 added, 0 updated" in capsys.readouterr().out


def test_partners_json(db_url, capsys, board):
    assert main(["partners", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"code": p.code, "name": p.name, "type": p.type} for p in board.partners]
    assert all(set(r) == {"code", "name", "type"} for r in rows)


def test_partners_table(db_url, capsys):
    assert main(["partners"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["code", "name", "type"]
    assert "Demo Shire Police" in out


def test_partners_without_a_database_is_a_clear_error(databases, monkeypatch, capsys):
    monkeypatch.setenv("ASSURANCE_DATABASE_URL", databases.new())
    assert main(["partners"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error:") and "init-db" in err and "Traceback" not in err


def test_demo_command_builds_and_if_empty_keeps(databases, monkeypatch, capsys):
    url = databases.new()
    monkeypatch.setenv("ASSURANCE_DATABASE_URL", url)
    assert main(["demo", "--seed", "3", "--quarters", "4", "--concerns-per-quarter", "50", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Synthetic demo Board built" in out
    with get_engine(url).connect() as c:
        n = c.scalar(select(func.count()).select_from(Concern))
        assert c.scalar(select(func.count()).select_from(ReportingPeriod)) >= 4
    assert 150 <= n <= 260
    assert main(["demo", "--if-empty"]) == 0
    assert "already holds data" in capsys.readouterr().out
    with get_engine(url).connect() as c:
        assert c.scalar(select(func.count()).select_from(Concern)) == n


def test_demo_rejects_nonsense_sizes(db_url, capsys):
    assert main(["demo", "--quarters", "1"]) == 1
    assert "--quarters" in capsys.readouterr().err


def test_demo_if_empty_never_fills_a_real_boards_database(db_url, config_copy, capsys):
    from sqlalchemy import func, select

    from assurance.cli import main
    from assurance.db.engine import get_engine
    from assurance.db.models import Submission

    board_path, _ = config_copy
    board_path.write_text(board_path.read_text().replace("demo = true", "demo = false"))
    assert main(["demo", "--if-empty", "--quiet"]) == 0
    assert "not in demo mode" in capsys.readouterr().out
    assert main(["demo", "--quiet"]) == 1  # asked for outright: refused in plain words
    assert "never built into a real Board's database" in capsys.readouterr().err
    with get_engine(db_url).connect() as c:
        assert c.scalar(select(func.count()).select_from(Submission)) == 0
