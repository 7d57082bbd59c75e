"""Administrator changes: written into the configuration files, checked first, synchronised and audited."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from assurance import administration as adm
from assurance import config
from assurance.access import audit
from assurance.access.accounts import UserInfo
from assurance.access.roles import AccessDenied
from assurance.db.models import Partner
from assurance.directory import list_periods
from assurance.measures.compute import period_figures
from assurance.measures.framework import framework
from assurance.reference import population

ADMIN = UserInfo(1, "ada", "Ada", "admin")
CHAIR = UserInfo(2, "chris", "Chris", "chair")


def _changes(engine):
    events = audit.search(engine, action=adm.ADMIN_CHANGE)
    return [(r.Who, r.Target, json.loads(r.Details)) for r in events.itertuples()]


def test_adding_and_changing_a_partner(engine, config_copy):
    board_path, _ = config_copy
    assert adm.save_partner(engine, ADMIN, "vcs", "Demo Voluntary Alliance", "Voluntary", ["assurance"]) == "added"
    text = board_path.read_text()
    assert 'code = "VCS"' in text and "# Board configuration" in text  # comments kept
    assert config.board().partner("VCS").returns == ("assurance",)
    with engine.connect() as c:
        assert c.execute(select(Partner.name, Partner.type, Partner.returns, Partner.active)
                         .where(Partner.code == "VCS")).one() == ("Demo Voluntary Alliance", "Voluntary", "assurance", True)
    # Rename, then retire: kept for history, hidden from new work.
    assert adm.save_partner(engine, ADMIN, "VCS", "Demo Voluntary Sector Alliance", "Voluntary", ["assurance"]) == "changed"
    assert adm.save_partner(engine, ADMIN, "VCS", "Demo Voluntary Sector Alliance", "Voluntary", ["assurance"],
                            active=False) == "changed"
    assert adm.save_partner(engine, ADMIN, "VCS", "Demo Voluntary Sector Alliance", "Voluntary", ["assurance"],
                            active=False) == "unchanged"
    with engine.connect() as c:
        assert c.execute(select(Partner.name, Partner.active).where(Partner.code == "VCS")).one() == (
            "Demo Voluntary Sector Alliance", False)
    assert [(who, target) for who, target, _ in _changes(engine)] == [("ada", "partner: VCS")] * 3
    assert _changes(engine)[0][2] == {"active": [True, False]}
    assert _changes(engine)[1][2] == {"name": ["Demo Voluntary Alliance", "Demo Voluntary Sector Alliance"]}


@pytest.mark.parametrize("code,name,type_,returns,message", [
    ("9X", "Name", "Police", [], "partner code is 1 to 20"),
    ("NEW", " ", "Police", [], "Give the partner's name"),
    ("NEW", "Name", "Spaceship", [], "has type 'Spaceship'"),
    ("NEW", "Name", "Police", ["gossip"], "Unknown return types"),
])
def test_a_bad_partner_changes_nothing(engine, config_copy, code, name, type_, returns, message):
    board_path, _ = config_copy
    before = board_path.read_bytes()
    with pytest.raises(adm.AdminError, match=message):
        adm.save_partner(engine, ADMIN, code, name, type_, returns)
    assert board_path.read_bytes() == before and not list(board_path.parent.glob(".board.toml.*"))
    assert _changes(engine) == []


def test_only_administrators_change_the_board(engine, config_copy):
    board_path, framework_file = config_copy
    before = (board_path.read_bytes(), framework_file.read_bytes())
    for change in (lambda: adm.save_partner(engine, CHAIR, "VCS", "V", "Voluntary", []),
                   lambda: adm.set_target(engine, CHAIR, "msp_asked", 95.0, 5.0),
                   lambda: adm.set_population_baseline(engine, CHAIR, "England", ""),
                   lambda: adm.set_publication_mode(engine, CHAIR, True),
                   lambda: adm.set_due_date(engine, CHAIR, list_periods(engine)[-1].label, date(2030, 1, 1))):
        with pytest.raises(AccessDenied):
            change()
    assert (board_path.read_bytes(), framework_file.read_bytes()) == before


def test_a_target_change_moves_the_rag(demo_copy_url, config_copy):
    from assurance.db.engine import get_engine

    engine = get_engine(demo_copy_url)
    label = list_periods(engine)[-1].label
    asked = next(f for f in period_figures(engine, label) if f.measure == "msp_asked")
    assert asked.value is not None and asked.value < 99
    assert adm.set_target(engine, ADMIN, "msp_asked", 99.0, 0.5)
    assert framework().get("msp_asked").target == 99.0 and framework().get("msp_asked").tolerance == 0.5
    assert next(f for f in period_figures(engine, label) if f.measure == "msp_asked").rag == "red"
    assert not adm.set_target(engine, ADMIN, "msp_asked", 99.0, 0.5)  # nothing to change
    with pytest.raises(adm.AdminError, match="between 0 and 100"):
        adm.set_target(engine, ADMIN, "msp_asked", 120.0, 1.0)
    with pytest.raises(adm.AdminError, match="no measure"):
        adm.set_target(engine, ADMIN, "happiness", 50.0, 1.0)
    assert _changes(engine)[0][:2] == ("ada", "framework target: msp_asked")


def test_the_baseline_sets_the_rate_per_100000(demo_copy_url, config_copy):
    from assurance.db.engine import get_engine

    engine = get_engine(demo_copy_url)
    label = list_periods(engine)[-1].label
    before = next(f for f in period_figures(engine, label) if f.measure == "concern_rate")
    assert before.denominator == population.adults("Luton")
    assert adm.set_population_baseline(engine, ADMIN, "Leicester", "Leicester's adults, for comparison")
    after = next(f for f in period_figures(engine, label) if f.measure == "concern_rate")
    adults = population.adults("Leicester")
    assert after.denominator == adults and after.value == pytest.approx(100_000 * after.numerator / adults)  # unrounded
    assert config.board().population_note == "Leicester's adults, for comparison"
    with pytest.raises(adm.AdminError, match="no population baseline for 'Atlantis'"):
        adm.set_population_baseline(engine, ADMIN, "Atlantis", "")


def test_publication_mode_and_due_dates(engine, config_copy):
    assert not config.board().publication_mode
    assert adm.set_publication_mode(engine, ADMIN, True) and config.board().publication_mode
    period = list_periods(engine)[-1]
    due = period.end + timedelta(days=45)
    assert adm.set_due_date(engine, ADMIN, period.label, due)
    assert list_periods(engine)[-1].due == due
    with pytest.raises(adm.AdminError, match="on or after the end"):
        adm.set_due_date(engine, ADMIN, period.label, period.end - timedelta(days=1))
    targets = [t for _, t, _ in _changes(engine)]
    assert targets == [f"due date: {period.label}", f"publication mode: {config.board().name}"]


def _shipped_target(measure_id):
    import tomllib

    shipped = tomllib.loads((config.DEFAULTS_DIR / "framework.toml").read_text(encoding="utf-8"))
    m = next(m for m in shipped["measure"] if m["id"] == measure_id)
    return m["target"], m.get("tolerance", 0.0)


def test_a_target_change_leaves_earlier_quarters_as_they_were_rated(demo_copy_url, config_copy):
    from assurance.db.engine import get_engine
    from assurance.measures.compute import compute_figures

    engine = get_engine(demo_copy_url)
    labels = [p.label for p in list_periods(engine)]
    before = compute_figures(engine)
    old_target, _ = _shipped_target("msp_asked")
    assert adm.set_target(engine, ADMIN, "msp_asked", 99.0, 0.5)  # from the latest quarter, by default
    after = compute_figures(engine)
    for label in labels[:-1]:
        was, now = before.get("msp_asked", label), after.get("msp_asked", label)
        assert (now.target, now.rag) == (was.target, was.rag) == (old_target, was.rag)
    latest = after.get("msp_asked", labels[-1])
    assert latest.target == 99.0 and latest.value < 98.5 and latest.rag == "red"
    assert framework().get("msp_asked").target == 99.0  # the target in force now
    from assurance.measures.compute import scorecard, scorecard_frame

    shown = {label: scorecard_frame(scorecard(after, label), False).set_index("id").loc["msp_asked", "Target"]
             for label in labels[-2:]}
    assert shown == {labels[-2]: f"{old_target:g}", labels[-1]: "99"}  # the scorecard shows the target it rated against


def test_a_target_change_from_a_chosen_quarter_is_kept_in_the_framework_file(demo_copy_url, config_copy):
    import tomllib

    from assurance.db.engine import get_engine
    from assurance.measures.compute import compute_figures

    engine = get_engine(demo_copy_url)
    labels = [p.label for p in list_periods(engine)]
    old_target, old_tolerance = _shipped_target("msp_asked")
    assert adm.set_target(engine, ADMIN, "msp_asked", 99.0, 0.5, from_period=labels[-3])
    assert adm.set_target(engine, ADMIN, "msp_asked", 80.0, 2.0, from_period=labels[-1])
    assert not adm.set_target(engine, ADMIN, "msp_asked", 80.0, 2.0, from_period=labels[-1])  # nothing to change
    fs = compute_figures(engine)
    assert [fs.get("msp_asked", p).target for p in labels[-4:]] == [old_target, 99.0, 99.0, 80.0]
    m = framework().get("msp_asked")
    assert m.target_for(labels[-4]) == (old_target, old_tolerance)
    assert m.target_for(labels[-2]) == (99.0, 0.5) and m.target_for(labels[-1]) == (80.0, 2.0)
    # The file keeps the history; the top-level target stays the one in force from the start.
    _, framework_file = config_copy
    written = next(x for x in tomllib.loads(framework_file.read_text())["measure"] if x["id"] == "msp_asked")
    assert written["target"] == old_target
    assert written["target_history"] == [{"from": labels[-3], "target": 99.0, "tolerance": 0.5},
                                         {"from": labels[-1], "target": 80.0, "tolerance": 2.0}]
    assert [(w, t, json.loads(json.dumps(c))) for w, t, c in _changes(engine)][-1] == (
        "ada", "framework target: msp_asked",
        {"from": labels[-3], "target": [old_target, 99.0], "tolerance": [old_tolerance, 0.5]})
    with pytest.raises(adm.AdminError, match="is not a quarter"):
        adm.set_target(engine, ADMIN, "msp_asked", 90.0, 1.0, from_period="next spring")


def test_the_target_command_changes_a_target_from_a_quarter_and_is_audited(demo_copy_url, config_copy, capsys):
    from assurance.cli import main
    from assurance.db.engine import get_engine
    from assurance.measures.compute import compute_figures

    engine = get_engine(demo_copy_url)
    labels = [p.label for p in list_periods(engine)]
    old_target, old_tolerance = _shipped_target("msp_asked")
    assert main(["--as", "qa", "target", "msp_asked", "--value", "99", "--from", labels[-2]]) == 1  # not QA's to set
    assert "does not allow you to set framework targets" in capsys.readouterr().err
    assert main(["--as", "admin", "target", "msp_asked", "--value", "99", "--from", labels[-2]]) == 0
    out = capsys.readouterr().out
    assert f"from {labels[-2]}" in out and "target 99, amber within 5" in out
    fs = compute_figures(engine)
    assert [fs.get("msp_asked", p).target for p in labels[-3:]] == [old_target, 99.0, 99.0]
    assert fs.get("msp_asked", labels[-2]).rag == "red"
    assert _changes(engine) == [("admin", "framework target: msp_asked", {"from": labels[-2], "target": [old_target, 99.0]})]
    commands = audit.search(engine, action=audit.COMMAND)
    assert "target" in set(commands["Target"]) and old_tolerance == 5.0
    assert main(["--as", "admin", "target", "msp_asked", "--value", "99", "--from", labels[-2]]) == 0
    assert "Nothing to change." in capsys.readouterr().out
    for label, target in ((labels[-3], old_target), (labels[-2], 99.0)):  # measures --format json says so too
        assert main(["measures", "--period", label, "--format", "json"]) == 0
        [asked] = [r for r in json.loads(capsys.readouterr().out) if r["measure"] == "msp_asked"]
        assert asked["target"] == target
