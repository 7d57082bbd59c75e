"""The Board configuration: what an administrator writes in board.toml is checked when it is read."""

import re

import pytest

from assurance import config


def _board_file(tmp_path, population_area: str):
    text = (config.DATA_DIR / "board.toml").read_text(encoding="utf-8")
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
    board = config.load_board_config(config.DATA_DIR / "board.toml")
    assert all(isinstance(p.active, bool) for p in board.partners)
