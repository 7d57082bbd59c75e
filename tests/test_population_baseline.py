"""Loading an ethnic group by age baseline from the command line: checked like a return, nothing half-loaded."""

import json

import pytest

from assurance.access import audit
from assurance.cli import main
from assurance.db.engine import get_engine
from assurance.reference import ethnicity_by_age as eba
from assurance.reference import population
from tests.reference.test_ethnicity_by_age import _set, rm032


def test_the_cli_loads_a_good_file_and_refuses_a_bad_one_leaving_the_good_one(db_url, population_copy, tmp_path,
                                                                              capsys):
    good, bad = tmp_path / "rm032_luton.csv", tmp_path / "broken.csv"
    good.write_bytes(rm032())
    bad.write_bytes(rm032(edit=_set(7, "Observation", "n/a")))
    assert main(["population", "load", str(good), "--area", "luton"]) == 0
    out = capsys.readouterr().out
    assert "Ethnic group by age baseline for Luton loaded from rm032_luton.csv: 19 ethnic groups" in out
    stored = population_copy / eba.FOLDER / "luton.csv"
    before = stored.read_bytes()
    assert eba.load("Luton") == eba.parse(rm032(), "Luton", eba.load("Luton").source)

    assert main(["population", "load", str(bad), "--area", "Luton"]) == 1
    err = capsys.readouterr().err
    assert "broken.csv was not loaded: Row 8, column 'Observation': 'n/a' is not a whole number" in err
    assert stored.read_bytes() == before  # nothing half-loaded
    assert not (population.POP_DIR / eba.FOLDER / "luton.csv").exists()  # the live data/ is untouched

    changes = audit.search(get_engine(db_url), action="admin change")
    assert list(changes["Target"]) == ["population baseline by age and ethnic group: Luton"]
    details = json.loads(changes["Details"].iloc[0])
    assert details["file"] == "rm032_luton.csv" and details["groups"] == 19
    commands = audit.search(get_engine(db_url), action=audit.COMMAND)
    exits = [json.loads(d)["exit code"] for d in commands[commands["Target"] == "population"]["Details"]]
    assert sorted(exits) == [0, 1]  # the refused attempt is on the record too


@pytest.mark.parametrize("args, message", [
    (["population", "load", "missing.csv", "--area", "Luton"], "Cannot read missing.csv"),
    (["population", "load", "FILE", "--area", "Atlantis"], "no population baseline for 'Atlantis'"),
])
def test_the_cli_says_what_is_wrong_and_exits_1(db_url, population_copy, tmp_path, capsys, args, message):
    (tmp_path / "FILE").write_bytes(rm032())
    args = [str(tmp_path / "FILE") if a == "FILE" else a for a in args]
    assert main(args) == 1
    assert message in capsys.readouterr().err
    assert not (population_copy / eba.FOLDER / "luton.csv").exists()


def test_the_cli_refuses_a_user_who_may_not_set_the_baseline_and_needs_an_area(db_url, population_copy, tmp_path,
                                                                             capsys):
    from tests.pages.helpers import user_for_role

    user = user_for_role("analyst")
    (tmp_path / "f.csv").write_bytes(rm032())
    assert main(["--as", user.username, "population", "load", str(tmp_path / "f.csv"), "--area", "Luton"]) == 1
    assert "Refused" in capsys.readouterr().err
    assert not (population_copy / eba.FOLDER / "luton.csv").exists()
    with pytest.raises(SystemExit) as exc:
        main(["population", "load", str(tmp_path / "f.csv")])
    assert exc.value.code == 2
