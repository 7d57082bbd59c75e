import io
import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from assurance.access import audit
from assurance.access.accounts import authenticate, find_user
from assurance.access.demo_accounts import DEMO_ACCOUNTS
from assurance.access.settings import AuthSettings
from assurance.cli import main
from assurance.db.models import User

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"


def run(argv, stdin: str | None = None, monkeypatch=None) -> int:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        return main(argv)
    except SystemExit as exc:  # argparse usage errors
        return exc.code


def test_create_admin_then_sign_in(engine, monkeypatch, capsys):
    assert run(["create-admin", "boss", "--name", "Big Boss", "--email", "Boss@Board.Example", "--password-stdin"],
               PASSWORD + "\n", monkeypatch) == 0
    assert "Administrator boss created (1 active administrator in all)." in capsys.readouterr().out
    boss = find_user(engine, "boss")
    assert (boss.role, boss.name, boss.email, boss.partner_code) == ("admin", "Big Boss", "boss@board.example", None)
    assert authenticate(engine, "boss", PASSWORD, settings=AuthSettings()).user.username == "boss"
    # The same name again, a short password, no password without a terminal: exit 1, nothing changed.
    assert run(["create-admin", "boss", "--password-stdin"], PASSWORD + "\n", monkeypatch) == 1
    assert "already exists" in capsys.readouterr().err
    assert run(["create-admin", "ada", "--password-stdin"], "short\n", monkeypatch) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert run(["create-admin", "ada"], "", monkeypatch) == 1
    assert "--password-stdin" in capsys.readouterr().err
    with engine.connect() as c:
        assert list(c.scalars(select(User.username))) == ["boss"]


def test_users_add_set_list_and_exit_codes(engine, monkeypatch, capsys):
    assert run(["users", "add", "ann", "--role", "analyst", "--partner", "pol", "--name", "Ann Lyst"]) == 0
    assert "User ann added as analyst for POL." in capsys.readouterr().out
    assert run(["users", "add", "lee", "--role", "partner_lead"]) == 1  # needs a partner
    assert "must be linked to one partner" in capsys.readouterr().err
    assert run(["users", "add", "zed", "--role", "emperor"]) == 2  # usage error
    assert run(["users"]) == 2
    assert run(["users", "set", "ann", "--partner", "LA"]) == 0
    assert "analyst for LA, active" in capsys.readouterr().out
    assert run(["users", "set", "ann", "--role", "chair"]) == 0  # the partner goes with a Board-wide role
    assert "chair, active" in capsys.readouterr().out
    assert run(["users", "set", "ann", "--disable"]) == 0
    assert run(["users", "set", "nobody", "--role", "qa"]) == 1
    assert "no user called 'nobody'" in capsys.readouterr().err
    assert run(["users", "set", "ann", "--password-stdin"], PASSWORD + "\n", monkeypatch) == 0
    capsys.readouterr()
    assert run(["users", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["username"], r["role"], r["partner"], r["active"], r["local password"]) for r in rows] == [
        ("ann", "chair", None, False, True)]
    assert run(["users", "list"]) == 0
    assert "ann" in capsys.readouterr().out


def test_changing_commands_are_audited_without_passwords(engine, monkeypatch, capsys):
    run(["create-admin", "boss", "--password-stdin"], PASSWORD + "\n", monkeypatch)
    run(["users", "add", "ann", "--role", "qa"])
    run(["users", "add", "ann", "--role", "qa"])  # fails: exit 1, still recorded
    run(["users", "list"])  # reading is not recorded
    events = audit.search(engine)
    assert (events["Source"] == "cli").all() and (events["From"] == "cli").all()
    assert (events["Who"] == audit.cli_actor()).all()
    commands = events[events["Action"] == audit.COMMAND]
    assert list(commands["Target"]) == ["users", "users", "create-admin"]
    assert [json.loads(d)["exit code"] for d in commands["Details"]] == [1, 0, 0]
    assert list(events[events["Action"] == audit.USER_CREATED]["Target"]) == ["ann", "boss"]
    assert PASSWORD not in events.to_csv()


def test_init_db_and_demo_are_audited(databases, monkeypatch):
    url = databases.new()
    monkeypatch.setenv("ASSURANCE_DATABASE_URL", url)
    assert main(["init-db"]) == 0
    from assurance.db.engine import get_engine

    events = audit.search(get_engine(url)).iloc[::-1]
    commands = events[events["Action"] == audit.COMMAND]
    assert list(commands["Target"]) == ["init-db"] and (commands["Source"] == "cli").all()
    # On a demo Board, init-db also makes the demo accounts (so an older demo database gets them).
    created = events[events["Action"] == audit.USER_CREATED]
    assert list(created["Target"]) == [u for u, *_ in DEMO_ACCOUNTS]


def test_help_lists_the_access_commands():
    out = subprocess.run([sys.executable, "-m", "assurance", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and "create-admin" in out.stdout and "users" in out.stdout


def _make(engine, username, role, partner=None):
    from assurance.access.accounts import UserInfo, create_user

    create_user(engine, UserInfo(None, "setup", "setup", "admin"), username, username, role, partner)


def test_as_a_user_the_role_limits_the_command(demo_copy_url, tmp_path, capsys):
    from assurance.db.engine import get_engine
    from assurance.directory import periods_with_data
    from assurance.measures.compute import period_figures
    from tests.returns.builders import measure_sheets, xlsx

    engine = get_engine(demo_copy_url)
    label = periods_with_data(engine)[-1].label
    # An analyst of POL: POL's figures only, in publication mode; never the council's, never a board pack.
    assert main(["--as", "analyst.police", "measures", "--period", label, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    truth = {f.measure: f for f in period_figures(engine, label, "POL")}
    assert {r["partner"] for r in rows} == {"POL"} and rows
    raised = next(r for r in rows if r["measure"] == "concerns_raised")
    n = truth["concerns_raised"].numerator
    assert raised["numerator"] == raised["value"] == ("[c]" if 1 <= n <= 4 else (n + 2) // 5 * 5)
    trained = next(r for r in rows if r["measure"] == "staff_trained")  # staff, not people at risk: as they are
    assert trained["numerator"] == truth["staff_trained"].numerator
    assert main(["--as", "analyst.police", "measures", "--period", label, "--partner", "LA"]) == 1
    assert "lets you see POL only" in capsys.readouterr().err
    assert main(["--as", "analyst.police", "report", "--period", label, "--out", str(tmp_path / "p.pdf")]) == 1
    assert "does not allow you to produce board packs" in capsys.readouterr().err
    assert not (tmp_path / "p.pdf").exists()
    # Loading: their own partner's return loads; the council's is refused before anything is written.
    (tmp_path / "LA 2025-26 Q2.xlsx").write_bytes(xlsx(measure_sheets()))
    assert main(["--as", "analyst.police", "load", str(tmp_path / "LA 2025-26 Q2.xlsx"), "--period", "2025-26 Q2"]) == 1
    assert "for this partner" in capsys.readouterr().err
    # Submissions: their own partner's rows only.
    assert main(["--as", "analyst.police", "submissions", "--period", label]) == 0
    listed = capsys.readouterr().out
    assert " POL " in listed and " LA " not in listed
    # Managing users needs an administrator; an unknown name is refused.
    assert main(["--as", "qa", "users", "add", "zoe", "--role", "qa"]) == 1
    assert main(["--as", "nobody", "partners"]) == 1
    assert "'nobody' is not an active user who may act now" in capsys.readouterr().err
    refused = audit.search(engine, action=audit.ACCESS_REFUSED)
    assert list(refused["Who"])[:4] == ["qa", "analyst.police", "analyst.police", "analyst.police"]
    # The operator (no --as) has every right and sees unrounded figures.
    assert main(["measures", "--period", label, "--partner", "POL", "--format", "json"]) == 0
    full = {r["measure"]: r for r in json.loads(capsys.readouterr().out)}
    assert full["staff_trained"]["numerator"] == truth["staff_trained"].numerator


def test_as_a_user_the_table_shows_suppressed_figures(demo_url, capsys):
    from assurance.db.engine import get_engine
    from assurance.directory import periods_with_data

    from assurance.disclosure import publish_count
    from assurance.measures.compute import period_figures

    label = periods_with_data(get_engine(demo_url))[-1].label
    truth = {f.measure: f for f in period_figures(get_engine(demo_url), label, "AMB")}
    assert main(["--as", "lead.ambulance", "measures", "--period", label]) == 0
    lines = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[2:]}
    trained = truth["staff_trained"]  # staff counts are published as they are
    assert lines["staff_trained"][-6:-4] == [str(trained.numerator), str(trained.denominator)]
    raised = truth["concerns_raised"].numerator  # a count about people is rounded
    assert str(publish_count(raised)) in lines["concerns_raised"]


def test_as_matches_any_case_refuses_disabled_and_locked_and_records_the_stored_name(engine, monkeypatch, capsys):
    from datetime import datetime, timedelta

    from sqlalchemy import update

    from assurance.access.accounts import UserInfo, create_user, update_user

    admin = UserInfo(None, "setup", "setup", "admin")
    create_user(engine, admin, "ada", "Ada", "admin")
    create_user(engine, admin, "dee", "Dee", "admin")
    create_user(engine, admin, "lou", "Lou", "admin")
    update_user(engine, admin, "dee", active=False)
    with engine.begin() as c:  # lou is locked after failed sign-ins
        c.execute(update(User).where(User.username == "lou").values(locked_until=datetime.now() + timedelta(minutes=9)))
    assert run(["--as", " ADA ", "users", "add", "zoe", "--role", "qa"]) == 0
    capsys.readouterr()
    refusals = set()
    for name in ("nobody", "dee", "LOU"):
        assert run(["--as", name, "users", "add", "zed", "--role", "qa"]) == 1
        refusals.add(capsys.readouterr().err.replace(repr(name), "NAME"))
    assert len(refusals) == 1 and "not an active user who may act now" in refusals.pop()  # one message for all
    assert find_user(engine, "zed") is None
    commands = audit.search(engine, action=audit.COMMAND).iloc[::-1]
    assert list(commands["Who"]) == ["ada"] + [audit.cli_actor()] * 3  # the stored name, never what was typed
    assert [json.loads(d).get("as (refused)") for d in commands["Details"]] == [None, "nobody", "dee", "LOU"]
    assert json.loads(commands["Details"].iloc[0])["operator"] == audit.cli_actor()
    created = audit.search(engine, action=audit.USER_CREATED)
    assert created.iloc[0]["Who"] == "ada" and created.iloc[0]["Target"] == "zoe"
