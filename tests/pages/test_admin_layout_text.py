"""The Admin pages as a new user reads them at 1366x768: sentence-case headers, blanks rather than "None", names
rather than codes, and every action the product writes to the audit trail in plain words."""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

from assurance import config
from assurance.access import audit
from assurance.access.accounts import list_users
from assurance import admin_tables
from assurance.db.engine import get_engine
from assurance.measures.framework import framework
from tests.pages.helpers import open_page, texts

ROOT = Path(__file__).resolve().parents[2]
NOT_SHOWN = ("None", "nan", "NaN", "NaT", "<NA>")
DATE_TIME = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")


def _sentence_case(header: str) -> bool:
    return header[:1].isupper() and header[1:] == header[1:].lower() or header in ("E-mail", "SPC")


def _shown_columns(df_element) -> list[str]:
    """The columns a grid shows (those its column settings do not hide)."""
    settings = json.loads(df_element.proto.columns or "{}")
    hidden = {k.removeprefix("col:") for k, v in settings.items() if isinstance(v, dict) and v.get("hidden")}
    return [c for c in df_element.value.columns if c not in hidden]


def test_users_table_reads_in_words(demo_url):
    at = open_page("pages/admin_users.py", role="admin")
    grid = at.dataframe[0]
    shown = grid.value
    assert all(_sentence_case(c) for c in shown.columns), list(shown.columns)
    assert {"Username", "Name", "Role", "Partner", "Local password", "Last sign-in"} <= set(shown.columns)
    assert not any(str(v) in NOT_SHOWN for v in shown.to_numpy().ravel())
    users = {u["username"]: u for u in list_users(get_engine(demo_url))}
    names = {p.code: p.name for p in config.board().partners}
    by_user = shown.set_index("Username")
    for username, u in users.items():
        assert by_user.loc[username, "Partner"] == (names[u["partner"]] if u["partner"] else "")
        when = u["last sign-in"]
        assert by_user.loc[username, "Last sign-in"] == (f"{when:%d/%m/%Y %H:%M}" if when else "")
    assert all(DATE_TIME.match(v) or v == "" for v in by_user["Last sign-in"])


def test_audit_trail_reads_in_words(demo_copy_url):
    engine = get_engine(demo_copy_url)
    fw = framework()
    audit.record(engine, "qa", "commentary confirmed", "repeat_concerns 2024-25 Q3", {"partner": "POL"})
    audit.record(engine, "root", audit.COMMAND, "demo", {"concerns_per_quarter": 600, "if_empty": False, "quarters": 12,
                                                         "exit code": 0}, source="cli", address="cli")
    audit.record(engine, "admin", "admin change", "framework target: msp_asked",
                 {"from": "2026-27 Q1", "target": [80.0, 90.0]})
    at = open_page("pages/admin_audit.py", role="admin")
    grid = at.dataframe[0]
    shown = grid.value
    assert all(_sentence_case(c) for c in shown.columns), list(shown.columns)
    assert not any(str(v) in NOT_SHOWN for v in shown.to_numpy().ravel())
    on_screen = _shown_columns(grid)
    assert on_screen[:4] == ["When", "Who", "Action", "Target"]
    rows = shown.set_index("Target", drop=False)
    commentary = rows.loc[f"{fw.get('repeat_concerns').name}, 2024-25 Q3"]
    assert commentary["Action"] == "Commentary confirmed"
    assert commentary["Details"] == f"Partner: {config.board().partner('POL').name}"
    assert f"Framework target: {fw.get('msp_asked').name}" in rows.index
    target = rows.loc[f"Framework target: {fw.get('msp_asked').name}"]
    assert target["Details"] == "In force from: 2026-27 Q1; Target: 80 → 90"
    command = shown[shown["Action"] == "Command run"].iloc[0]
    assert command["Details"] == "python -m assurance demo --concerns-per-quarter 600 --quarters 12 (exit code 0)"
    for column in ("Action", "Target", "Details"):
        assert not any("_" in v for v in shown[column]), shown[column].tolist()
    # The whole event, source and address included, below the table for the row picked.
    at.session_state["audit-events"] = {"selection": {"rows": [list(shown["Action"]).index("Command run")],
                                                      "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    detail = texts(at)
    assert "python -m assurance demo --concerns-per-quarter 600 --quarters 12 (exit code 0)" in detail
    assert "Command line" in detail


def _product_files():
    for folder in ("assurance", "ui", "pages"):
        yield from sorted(p for p in (ROOT / folder).rglob("*.py")
                          if p.name != "__main__.py" and "migrations" not in p.parts)  # neither runs on import


def _actions_written() -> set[str]:
    """Every action name the product passes to the audit trail, read from its source: each UPPER_CASE constant given
    to an audit-recording call, or to a function whose `action` parameter it hands on to one."""
    recorders = {"record", "record_cli", "_audit", "audit", "_record"}
    trees = {}
    for path in _product_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        trees[module] = tree
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and "action" in [a.arg for a in fn.args.args]:
                if any(isinstance(c, ast.Call) and _name(c.func) in recorders for c in ast.walk(fn)):
                    recorders.add(fn.name)
    found = set()
    for module, tree in trees.items():
        namespace = importlib.import_module(module) if not module.startswith("pages") else None
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n.func) in recorders):
            for arg in [*call.args, *[k.value for k in call.keywords if k.arg == "action"]]:
                value = _resolve(arg, namespace, tree)
                if isinstance(value, str):
                    found.add(value)
    return found


def _name(node) -> str | None:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def _resolve(node, namespace, tree):
    """An UPPER_CASE constant's value (a module global, or an attribute of an imported module)."""
    name = _name(node)
    if not name or not name.isupper():
        return None
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = _imported(node.value.id, namespace, tree)
        return getattr(owner, name, None)
    if namespace is not None:
        return getattr(namespace, name, None)
    owner = _imported(name, None, tree)
    return owner


def _imported(name, namespace, tree):
    if namespace is not None and hasattr(namespace, name):
        return getattr(namespace, name)
    for node in ast.walk(tree):  # a page: resolve from its imports
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    module = importlib.import_module(node.module)
                    return getattr(module, alias.name, None) or importlib.import_module(f"{node.module}.{alias.name}")
    return None


def test_every_action_the_product_writes_has_words():
    written = _actions_written()
    assert {audit.SIGN_IN, audit.EXPORT, audit.COMMAND, "admin change", "commentary added", "commentary confirmed",
            "board pack issued", "action updated", "spc recalculation recorded"} <= written  # the scan finds them
    missing = sorted(written - set(admin_tables.ACTION_WORDS))
    assert not missing, f"actions with no words on the Audit trail page: {missing}"
    words = admin_tables.ACTION_WORDS.values()
    assert all(_sentence_case(w.split(" (")[0]) or w.startswith("SPC") for w in words), list(words)


def test_targets_table_reads_in_words(demo_url, config_copy):
    at = open_page("pages/admin_targets.py", role="admin")
    grid = at.dataframe[0]
    shown = grid.value
    assert all(_sentence_case(c) for c in _shown_columns(grid)), _shown_columns(grid)
    assert not any(str(v) in NOT_SHOWN for v in shown.to_numpy().ravel())
    assert set(shown["Polarity"]) <= {"Higher is better", "Lower is better", "Not rated"}


def test_every_admin_table_has_sentence_case_headers_and_no_none(demo_url, config_copy):
    for script in ("admin_partners", "admin_periods", "admin_targets", "admin_baseline", "admin_users", "admin_audit"):
        at = open_page(f"pages/{script}.py", role="admin")
        assert at.dataframe, script
        for grid in at.dataframe:
            headers = [h for h in _shown_columns(grid) if not h[:1].isdigit()]  # age bands: 18-64, 85+
            assert all(_sentence_case(h) for h in headers), (script, headers)
            assert not any(str(v) in NOT_SHOWN for v in grid.value.to_numpy().ravel()), script


def test_population_baseline_counts_read_with_thousands_separators(demo_url, config_copy):
    from assurance.reference import population

    at = open_page("pages/admin_baseline.py", role="admin")
    area = config.board().population_area
    ages = population.adults_by_age_band(area)
    shown = at.dataframe[0].value
    assert list(shown["Adults"]) == [f"{n:,}" for n in ages.values()]
    residents = at.dataframe[1].value
    assert list(residents["Residents"]) == [f"{n:,}" for n in population.population_by_broad_ethnicity(area).values()]


def test_users_forms_offer_partners_by_name(demo_url):
    at = open_page("pages/admin_users.py", role="admin")
    partner = next(s for s in at.selectbox if s.label.startswith("Partner ("))
    assert partner.format_func("POL") == f"{config.board().partner('POL').name} (POL)"
