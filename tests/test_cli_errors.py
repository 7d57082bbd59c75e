"""Every command of `python -m assurance`, given bad input, exits 1 or 2 with one plain line and no traceback.

The commands are read from the parser itself, so a command added later is covered without touching this file.
"""

from __future__ import annotations

import argparse

import pytest

from assurance.cli import build_parser, main
from assurance.db.engine import get_engine, schema_ready
from assurance.errors import AssuranceError, DatabaseUnreachable

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/postgres"  # nothing listens on port 1
NONSENSE = "/no/such/folder/nonsense.xlsx"  # not a period, partner, user, measure, file or writable place


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command words, parser) for every command that runs, nested ones (users add, audit verify) included."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
        return
    for name, child in subs[0].choices.items():
        yield from _leaves(child, (*path, name))


COMMANDS = dict(_leaves(build_parser()))


def _filled(words: tuple[str, ...]) -> list[str]:
    """The command with every required argument given: a listed choice where there is a list, else nonsense."""
    argv = list(words)
    for a in COMMANDS[words]._actions:
        if isinstance(a, argparse._HelpAction) or not (a.required or not a.option_strings):
            continue
        value = str(a.choices[0] if a.choices else NONSENSE) if a.choices else NONSENSE
        argv += [value] if not a.option_strings else [a.option_strings[-1], value]
    return argv


def _run(argv, capsys) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own exit
        code = exc.code
    return code, capsys.readouterr().err


def _one_plain_line(err: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith(("Error:", "Refused:")), err
    assert "Traceback" not in err and "sqlalchemy" not in err.lower()


def test_every_command_is_found():
    assert {"demo", "init-db", "report", "load", "target"} <= {w[0] for w in COMMANDS}
    assert ("users", "add") in COMMANDS and ("audit", "verify") in COMMANDS


@pytest.mark.parametrize("words", sorted(COMMANDS), ids=" ".join)
def test_an_unknown_option_is_one_line_and_exit_2(words, db_url, capsys):
    code, err = _run([*words, "--no-such-option"], capsys)
    assert code == 2
    _one_plain_line(err)


@pytest.mark.parametrize("words", sorted(w for w, p in COMMANDS.items()
                                         if any(a.required for a in p._actions)), ids=" ".join)
def test_missing_required_input_is_one_line_and_exit_2(words, db_url, capsys):
    code, err = _run(list(words), capsys)
    assert code == 2
    _one_plain_line(err)


@pytest.mark.parametrize("words", sorted(w for w in COMMANDS if _filled(w) != list(w)), ids=" ".join)
def test_nonsense_values_are_one_line_and_exit_1_or_2(words, db_url, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", _NoTerminal())  # a command that asks for a password gets nothing
    code, err = _run(_filled(words), capsys)
    assert code in (1, 2)
    _one_plain_line(err)


@pytest.mark.parametrize("words", sorted(COMMANDS), ids=" ".join)
def test_an_unreachable_database_is_one_line_and_exit_1_or_2(words, monkeypatch, capsys):
    monkeypatch.setenv("ASSURANCE_DATABASE_URL", UNREACHABLE)
    monkeypatch.setattr("sys.stdin", _NoTerminal())
    code, err = _run(_filled(words), capsys)
    assert code in (1, 2)
    _one_plain_line(err)


def test_schema_ready_says_an_unreachable_database_cannot_be_reached():
    with pytest.raises(DatabaseUnreachable, match="cannot be reached") as caught:
        schema_ready(get_engine(UNREACHABLE))
    assert isinstance(caught.value, AssuranceError)
    assert "127.0.0.1:1" in str(caught.value)


def test_schema_ready_is_false_for_a_reachable_database_without_a_schema(databases):
    assert schema_ready(get_engine(databases.new())) is False


class _NoTerminal:
    """Standard input with nothing on it and no terminal."""

    def read(self, *_):
        return ""

    def readline(self, *_):
        return ""

    def isatty(self):
        return False
