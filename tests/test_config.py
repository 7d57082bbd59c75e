"""The Board configuration: what an administrator writes in board.toml is checked when it is read."""

import re

import pytest

from assurance import config


def _board_file(tmp_path, population_area: str):
    text = (config.DEFAULTS_DIR / "board.toml").read_text(encoding="utf-8")
    text, n = re.subn(r'(?m)^population_area = ".*"$', f'population_area = "{population_area}"', text)
    assert n == 1
    path = tmp_path / "board.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_mistyped_population_area_is_refused_with_the_areas_to_choose_from(tmp_path):
    with pytest.raises(config.ConfigError) as err:
        config.load_board_config(_board_file(tmp_path, "Bedford"))
    message = str(err.value)
    assert "'Bedford'" in message and "population_area" in message
    assert "England, Luton, Leicester" in message


def test_the_population_area_is_matched_ignoring_case(tmp_path):
    board = config.load_board_config(_board_file(tmp_path, "leicester"))
    assert board.population_area == "Leicester"


def test_partners_keep_their_active_flag():
    board = config.load_board_config(config.DEFAULTS_DIR / "board.toml")
    assert all(isinstance(p.active, bool) for p in board.partners)


def _with_auth(tmp_path, old: str, new: str):
    text = (config.DEFAULTS_DIR / "board.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "board.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_the_sign_in_settings_are_read_with_the_board():
    board = config.load_board_config()
    assert (board.auth.mode, board.auth.max_failed_sign_ins, board.auth.lockout_minutes, board.auth.idle_minutes) == \
        ("local", 5, 15, 30)
    assert board.auth.demo_accounts == board.demo


@pytest.mark.parametrize("old, new, words", [
    ('mode = "local"', 'mode = "ldap"', "[auth] mode in board.toml is 'ldap'"),
    ("idle_minutes = 30", 'idle_minutes = "half an hour"', "[auth] idle_minutes in board.toml is 'half an hour'"),
    ("max_failed_sign_ins = 5", "max_failed_sign_ins = 0", "[auth] max_failed_sign_ins in board.toml is 0"),
])
def test_a_wrong_sign_in_setting_is_refused_in_plain_words(tmp_path, old, new, words):
    with pytest.raises(config.ConfigError) as err:
        config.load_board_config(_with_auth(tmp_path, old, new))
    assert words in str(err.value)


def test_tests_and_the_commands_they_run_never_use_the_installations_configuration():
    import subprocess
    import sys
    from pathlib import Path

    from assurance.measures.framework import framework_path

    from tests.conftest import outside_live_data

    script = ("from assurance import config; from assurance.measures.framework import framework_path; "
              "print(config.board_config_path()); print(framework_path())")
    shown = subprocess.run([sys.executable, "-c", script], cwd=config.PROJECT_ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    for path in [config.board_config_path(), framework_path(), *map(Path, shown)]:
        assert outside_live_data(path)
    assert config.board_config_path().read_bytes() == (config.DEFAULTS_DIR / "board.toml").read_bytes()


def test_no_test_names_the_installations_configuration_files():
    live = [f'{a} / "{b}"' for a in ("DATA_DIR", '"data"') for b in ("board.toml", "framework.toml")]
    tests = config.PROJECT_ROOT / "tests"
    found = [(p.relative_to(tests).as_posix(), name) for p in tests.rglob("*.py")
             for name in live if name in p.read_text(encoding="utf-8")]
    assert found == []
