"""What an installation changes lives in its instance folder (ASSURANCE_INSTANCE_DIR), outside the code: the
checkout's own files are never written, and an earlier installation's data/board.toml is carried over once."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from assurance import config, paths
from assurance.measures.framework import framework_path
from tests.pages.helpers import open_page

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """A fresh instance folder of its own, with no configuration named in the environment."""
    folder = tmp_path / "instance"
    monkeypatch.setenv("ASSURANCE_INSTANCE_DIR", str(folder))
    monkeypatch.delenv("ASSURANCE_BOARD_CONFIG", raising=False)
    monkeypatch.delenv("ASSURANCE_FRAMEWORK", raising=False)
    monkeypatch.delenv("ASSURANCE_POPULATION_DIR", raising=False)
    return folder


def _checkout_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--ignored", "--", "data", "assurance"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout


def test_a_new_installation_copies_the_defaults_into_its_instance_folder(instance):
    assert config.board_config_path() == instance / "board.toml"
    assert framework_path() == instance / "framework.toml"
    for name in ("board.toml", "framework.toml"):
        assert (instance / name).read_bytes() == (paths.DEFAULTS_DIR / name).read_bytes()
    (instance / "board.toml").write_text("# the administrator's own\n", encoding="utf-8")
    config.board_config_path()  # an installation's copy is never replaced by the defaults
    assert (instance / "board.toml").read_text(encoding="utf-8") == "# the administrator's own\n"


def test_an_earlier_installations_configuration_is_carried_over_once(instance, tmp_path, monkeypatch):
    earlier = tmp_path / "checkout-data"
    earlier.mkdir()
    (earlier / "board.toml").write_text("# edited in data/ before the instance folder\n", encoding="utf-8")
    monkeypatch.setattr(paths, "DATA_DIR", earlier)
    assert config.board_config_path().read_text(encoding="utf-8") == "# edited in data/ before the instance folder\n"
    assert framework_path().read_bytes() == (paths.DEFAULTS_DIR / "framework.toml").read_bytes()  # none to carry
    (earlier / "board.toml").write_text("# changed later in the old place\n", encoding="utf-8")
    assert config.board_config_path().read_text(encoding="utf-8") == "# edited in data/ before the instance folder\n"


def test_the_default_instance_folder_is_ignored_by_git():
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.delenv("ASSURANCE_INSTANCE_DIR", raising=False)
    try:
        folder = paths.instance_dir()
    finally:
        monkeypatch.undo()
    assert ROOT not in folder.resolve().parents or subprocess.run(
        ["git", "check-ignore", "-q", str(folder / "board.toml")], cwd=ROOT).returncode == 0


def test_an_admin_change_on_the_page_leaves_the_checkout_untouched(demo_copy_url, instance):
    before = _checkout_status()
    at = open_page("pages/admin_partners.py", role="admin")
    next(t for t in at.text_input if t.label == "Code").input("HOSP")
    next(t for t in at.text_input if t.label == "Name").input("Demo Hospice")
    next(s for s in at.selectbox if s.label == "Type").select("Voluntary")
    next(b for b in at.button if b.label == "Save partner").click()
    at.run()
    assert not at.exception and at.success[0].value == "Partner added."
    assert "HOSP" in (instance / "board.toml").read_text(encoding="utf-8")
    assert config.board().partner("HOSP").name == "Demo Hospice"
    assert _checkout_status() == before


def test_a_loaded_population_baseline_goes_to_the_instance_folder(db_url, instance):
    from assurance import administration
    from assurance.access.accounts import UserInfo
    from assurance.db.engine import get_engine
    from assurance.reference import ethnicity_by_age as eba

    before = _checkout_status()
    shipped = (paths.DATA_DIR / "population" / eba.FOLDER / "luton-synthetic.csv").read_bytes()
    admin = UserInfo(None, "operator", "operator", "admin")
    administration.load_ethnicity_by_age(get_engine(db_url), admin, shipped.replace(b"synthetic", b"loaded"), "Luton",
                                         "luton.csv", source="cli")
    assert (instance / "population" / eba.FOLDER / "luton.csv").exists()
    assert eba.load("Luton").synthetic is False  # the loaded file comes before the shipped synthetic one
    assert _checkout_status() == before
