"""What an administrator changes in the product: partners, the population baseline, publication mode, framework
targets and reporting periods' due dates.

The Board configuration (board.toml) and the framework file (framework.toml) in the instance folder stay the one
home of these settings: changes are written into them (keeping their comments and layout), checked by the same readers the
product uses before the file is replaced, and recorded in the audit trail with what changed. Partners are then
synchronised to the database in one transaction.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import date
from pathlib import Path

import tomlkit
from sqlalchemy import Engine

from assurance import config
from assurance.access import audit
from assurance.access.roles import require
from assurance.config import RETURN_TYPES, ConfigError, load_board_config
from assurance.db.bootstrap import sync_partners
from assurance.db.engine import session_scope
from assurance.errors import AssuranceError
from assurance.measures.framework import framework_path, load_framework
from assurance.reference import population

PARTNER_CODE = re.compile(r"^[A-Z][A-Z0-9_-]{0,19}$")
ADMIN_CHANGE = "admin change"


class AdminError(AssuranceError, ValueError):
    """A change an administrator asked for cannot be made; the message says why. Nothing was changed."""


def _write_checked(path: Path, document: tomlkit.TOMLDocument, check) -> None:
    """Write `document` to a temporary file beside `path`, check it with `check(temp_path)`, then replace atomically."""
    text = tomlkit.dumps(document)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        try:
            check(Path(tmp))
        except ConfigError as exc:
            raise AdminError(str(exc)) from None
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _read(path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AdminError(f"Cannot read {path}: {exc.strerror}.") from None


def _record(engine: Engine, by, what: str, target: str, changes: dict, source: str, address: str | None) -> None:
    audit.record(engine, by.actor, ADMIN_CHANGE, f"{what}: {target}", changes, source, address)


# --- partners -----------------------------------------------------------------------------------------------


def _partner_tables(doc) -> list:
    return doc.get("partners") or []


def save_partner(engine: Engine, by, code: str, name: str, type_: str, returns: list[str], active: bool = True,
                 source: str = "app", address: str | None = None) -> str:
    """Add a partner, or change one (matched by code). Returns "added", "changed" or "unchanged"."""
    require(by, "manage_partners")
    code = (code or "").strip().upper()
    if not PARTNER_CODE.match(code):
        raise AdminError("A partner code is 1 to 20 capital letters, digits, dash or underscore, starting with a letter "
                         "(e.g. POL): it appears in file names and stored data.")
    if not (name or "").strip():
        raise AdminError("Give the partner's name.")
    unknown = [r for r in returns if r not in RETURN_TYPES]
    if unknown:
        raise AdminError(f"Unknown return types {unknown}; use {', '.join(RETURN_TYPES)}.")
    path = config.board_config_path()
    doc = _read(path)
    tables = _partner_tables(doc)
    existing = next((t for t in tables if str(t.get("code", "")).strip().upper() == code), None)
    wanted = {"name": name.strip(), "type": type_.strip(), "returns": [r for r in RETURN_TYPES if r in returns]}
    if existing is None:
        table = tomlkit.table()
        table.add("code", code)
        for k, v in wanted.items():
            table.add(k, v)
        if not active:
            table.add("active", False)
        if "partners" not in doc:
            doc["partners"] = tomlkit.aot()
        doc["partners"].append(table)
        changes, outcome = {"added": {"code": code, **wanted, "active": active}}, "added"
    else:
        changes = {}
        for k, v in wanted.items():
            before = list(existing.get(k, [])) if k == "returns" else existing.get(k)
            if before != v:
                changes[k] = [before, v]
                existing[k] = v
        was_active = bool(existing.get("active", True))
        if was_active != active:
            changes["active"] = [was_active, active]
            if active:
                del existing["active"]
            else:
                existing["active"] = False
        outcome = "changed" if changes else "unchanged"
    if outcome == "unchanged":
        return outcome
    _write_checked(path, doc, load_board_config)
    sync_partners_now(engine)
    _record(engine, by, "partner", code, changes, source, address)
    return outcome


def sync_partners_now(engine: Engine) -> None:
    """Make the database's partners match the Board configuration (one transaction)."""
    with session_scope(engine) as s:
        sync_partners(s, config.board())


# --- the Board's settings -----------------------------------------------------------------------------------


def set_population_baseline(engine: Engine, by, area: str, note: str, source: str = "app",
                            address: str | None = None) -> bool:
    """Choose the population baseline (an area of the population files) and the note shown with it."""
    require(by, "manage_baseline")
    if area not in population.areas():
        raise AdminError(f"There is no population baseline for {area!r}; choose one of: {', '.join(population.areas())}.")
    return _set_board(engine, by, "population baseline", {"population_area": area, "population_note": note.strip()},
                      source, address)


def load_ethnicity_by_age(engine: Engine, by, content: bytes, area: str, file_name: str = "", source: str = "app",
                          address: str | None = None):
    """Check and store a Census 2021 ethnic group by age table for an area (replacing the area's file atomically:
    nothing is half-loaded). Returns the baseline stored."""
    from assurance.reference import ethnicity_by_age

    require(by, "manage_baseline")
    canonical = population.canonical_area(area)
    if canonical is None:
        raise AdminError(f"There is no population baseline for {area!r}; choose one of: {', '.join(population.areas())}.")
    note = f"{ethnicity_by_age.RM032_SOURCE}, from {file_name}" if file_name else None
    try:
        baseline = ethnicity_by_age.parse(content, canonical, note)
    except ethnicity_by_age.BaselineFileError as exc:
        raise AdminError(f"{file_name or 'The file'} was not loaded: {exc}") from None
    path = ethnicity_by_age.save(baseline)
    adults = sum(n for (_, band), n in baseline.residents.items() if band in ethnicity_by_age.ADULT_BANDS)
    _record(engine, by, "population baseline by age and ethnic group", canonical,
            {"file": file_name or path.name, "groups": len({g for g, _ in baseline.residents}), "adults": adults,
             "residents": sum(baseline.residents.values())}, source, address)
    return baseline


def set_publication_mode(engine: Engine, by, on: bool, source: str = "app", address: str | None = None) -> bool:
    """Turn publication mode (small-number suppression for everyone) on or off."""
    require(by, "manage_baseline")
    return _set_board(engine, by, "publication mode", {"publication_mode": bool(on)}, source, address)


def _set_board(engine: Engine, by, what: str, values: dict, source: str, address: str | None) -> bool:
    path = config.board_config_path()
    doc = _read(path)
    board = doc.setdefault("board", tomlkit.table())
    changes = {k: [board.get(k), v] for k, v in values.items() if board.get(k) != v}
    if not changes:
        return False
    for k, v in values.items():
        board[k] = v
    _write_checked(path, doc, load_board_config)
    _record(engine, by, what, config.board().name, changes, source, address)
    return True


# --- framework targets ----------------------------------------------------------------------------------------


def set_target(engine: Engine, by, measure_id: str, target: float, tolerance: float | None, from_period: str | None = None,
               source: str = "app", address: str | None = None) -> bool:
    """Change a framework measure's target and amber tolerance from a quarter (default: the latest reporting period).

    Earlier quarters keep the target and tolerance they were rated against: the change is added to the measure's
    `target_history` in the framework file, and lasts until the next recorded change. A tolerance of None keeps
    the one in force for that quarter.
    """
    from assurance.directory import list_periods
    from assurance.periods import Period, PeriodError

    require(by, "manage_targets")
    if target is None:
        raise AdminError("Give the target.")
    if tolerance is not None and tolerance < 0:
        raise AdminError("The amber tolerance must be zero or more.")
    if from_period is None:
        periods = list_periods(engine)
        if not periods:
            raise AdminError("There are no reporting periods yet: run `python -m assurance init-db` first.")
        start = Period.parse(periods[-1].label)
    else:
        try:
            start = Period.parse(from_period)
        except PeriodError:
            raise AdminError(f"{from_period!r} is not a quarter; write it like \"2026-27 Q2\".") from None
    path = framework_path()
    doc = _read(path)
    table = next((m for m in doc.get("measure", []) if m.get("id") == measure_id), None)
    if table is None:
        raise AdminError(f"The framework has no measure {measure_id!r}.")
    if table.get("unit") == "%" and not 0 <= target <= 100:
        raise AdminError("A percentage target is between 0 and 100.")
    try:
        before = load_framework(path).get(measure_id).target_for(start.label)
    except ConfigError as exc:
        raise AdminError(str(exc)) from None
    after = (float(target), float(before[1] if tolerance is None else tolerance))
    changes = {k: [was, now] for k, was, now in zip(("target", "tolerance"), before, after) if was != now}
    if not changes:
        return False
    kept = [dict(e) for e in table.get("target_history", []) if Period.parse(str(e.get("from"))) != start]
    kept.append({"from": start.label, "target": after[0], "tolerance": after[1]})
    history = tomlkit.array()
    for entry in sorted(kept, key=lambda e: Period.parse(str(e["from"]))):
        line = tomlkit.inline_table()
        line.update({"from": str(entry["from"]), "target": float(entry["target"]),
                     "tolerance": float(entry.get("tolerance", 0.0))})
        history.append(line)
    table["target_history"] = history.multiline(True)
    _write_checked(path, doc, load_framework)
    _record(engine, by, "framework target", measure_id, {"from": start.label, **changes}, source, address)
    return True


# --- reporting periods -----------------------------------------------------------------------------------------


def set_due_date(engine: Engine, by, period_label: str, due: date, source: str = "app",
                 address: str | None = None) -> bool:
    """Change when a quarter's returns are due (the submissions tracker's late and missing follow it)."""
    from assurance.directory import find_period
    from assurance.returns.tracker import set_due_date as store_due_date

    require(by, "manage_periods")
    before = find_period(engine, period_label).due
    if before == due:
        return False
    try:
        store_due_date(engine, period_label, due)
    except ValueError as exc:
        raise AdminError(str(exc)) from None
    _record(engine, by, "due date", period_label, {"due": [before, due]}, source, address)
    return True
