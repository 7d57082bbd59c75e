"""The tables the Admin pages show, in plain words: sentence-case headers, names rather than codes, blank where
nothing applies (never "None"); the audit trail's details in words rather than the JSON they are stored as."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

POLARITY = {"higher": "Higher is better", "lower": "Lower is better", "information": "Information only (not rated)"}
POLARITY_SHORT = {**POLARITY, "information": "Not rated"}  # in the table, whose caption says what it means
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def number(x) -> str:
    """A target or tolerance as the framework file writes it (80, 2.5), or blank."""
    return "" if x is None or (isinstance(x, float) and pd.isna(x)) else f"{x:g}"


def framework_targets(fw) -> pd.DataFrame:
    """Every measure with its latest target, amber tolerance and the quarter it has been in force from."""
    from assurance.measures.framework import BASIS_NAMES, STRAND_NAMES

    rows = []
    for m in fw.measures:
        rated = m.polarity != "information"
        rows.append({"Measure": m.name, "Strand": STRAND_NAMES[m.strand], "Polarity": POLARITY_SHORT[m.polarity],
                     "Latest target": number(m.target), "Amber tolerance": number(m.tolerance) if rated else "",
                     "Since": (m.spells[-1].from_period or "the start") if rated else "",
                     "Unit": m.unit, "Measured over": BASIS_NAMES[m.basis], "id": m.id})
    return pd.DataFrame(rows)


def target_history(measure) -> pd.DataFrame:
    """The targets a measure has had, oldest first."""
    return pd.DataFrame([{"In force from": s.from_period or "the start", "Target": number(s.target),
                          "Amber tolerance": number(s.tolerance)} for s in measure.spells])


# --- the audit trail in words ------------------------------------------------------------------------------------

# Every action the product writes, as the trail shows it (tests/pages/test_admin_layout_text.py finds each action in
# the source: one written without words here fails there).
ACTION_WORDS = {
    "sign-in": "Sign-in", "sign-in failed": "Sign-in failed", "account locked": "Account locked",
    "sign-out": "Sign-out", "signed out (idle)": "Signed out (idle)", "export": "Export",
    "user created": "User created", "user changed": "User changed",
    "challenge raised": "Challenge raised", "challenge responded": "Challenge responded",
    "challenge closed": "Challenge closed", "challenge reopened": "Challenge reopened",
    "access refused": "Access refused", "return loaded": "Return loaded", "return rejected": "Return rejected",
    "submission superseded": "Submission superseded", "load failed": "Load failed", "upload refused": "Upload refused",
    "cli command": "Command run", "admin change": "Admin change", "commentary added": "Commentary added",
    "commentary confirmed": "Commentary confirmed", "board pack issued": "Board pack issued",
    "action updated": "Action updated", "actions imported": "Actions imported",
    "spc recalculation recorded": "SPC limits worked out afresh",
}

# The keys the product writes in events' details, in words (a key not here reads with its underscores as spaces).
KEY_WORDS = {
    "method": "Signed in with", "email": "E-mail", "reason": "Reason", "failures": "Failed attempts",
    "minutes": "Minutes", "after failures": "After failed attempts", "locked until": "Locked until",
    "rows": "Rows", "file": "File", "role": "Role", "partner": "Partner", "partner_id": "Partner",
    "local password": "Local password", "name": "Name", "active": "Active", "password": "Password",
    "unlocked": "Lockout cleared", "source": "Raised from", "outcome": "Outcome", "note": "Note",
    "status": "Status", "changes": "Changes", "new": "New", "updated": "Updated", "sha256": "SHA-256",
    "bytes": "Size (bytes)", "publication mode": "Publication mode", "publication_mode": "Publication mode",
    "population_area": "Population area", "population_note": "Note shown with it", "needs": "Needs permission",
    "message": "Message", "operator": "Operator", "as (refused)": "As (refused)", "return": "Return",
    "period": "Period", "submitted by": "Submitted by", "errors": "Errors", "queries": "Queries",
    "by": "Superseded by submission", "size": "Size (bytes)", "added": "Added", "code": "Code", "type": "Type",
    "returns": "Returns", "from": "In force from", "target": "Target", "tolerance": "Amber tolerance",
    "due": "Due date", "groups": "Ethnic groups", "adults": "Adults", "residents": "Residents",
    "exit code": "Exit code", "reset": "Reset", "signed_out": "Browsers signed out",
}
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


@dataclass(frozen=True)
class Names:
    """What turns the codes stored in the trail into names: partners by code and by id, measures by id, and pages
    by script (app.py's titles, given by the page)."""

    partners: dict = field(default_factory=dict)
    partner_ids: dict = field(default_factory=dict)
    measures: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)


def audit_names(engine, pages: dict | None = None) -> Names:
    """The names in use: every partner the database holds (inactive ones too) and the framework's measures."""
    from sqlalchemy import select

    from assurance.db.models import Partner
    from assurance.measures.framework import framework

    with engine.connect() as c:
        rows = c.execute(select(Partner.id, Partner.code, Partner.name)).all()
    try:
        measures = {m.id: m.name for m in framework().measures}
    except Exception:  # noqa: BLE001 - a framework file that cannot be read: the ids stand
        measures = {}
    return Names({r.code: r.name for r in rows}, {r.id: r.name for r in rows}, measures, dict(pages or {}))


def action_words(action) -> str:
    return ACTION_WORDS.get(action, str(action or "").replace("_", " ").capitalize())


def _key_words(key: str) -> str:
    return KEY_WORDS.get(key, str(key).replace("_", " ").capitalize())


def _value(x, key: str | None = None, names: Names = Names()) -> str:
    """One value in words: blank as "none", yes/no, dates dd/mm/yyyy, codes as names."""
    from assurance.access.roles import role_label
    from assurance.config import RETURN_TYPES

    if key in ("partner", "partner_id") and x is None:
        return "all partners"  # the Board as a whole, or a role that sees every partner
    if x is None or x == "":
        return "none"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if key in ("partner", "partner_id") and not isinstance(x, (list, dict)):
        return (names.partner_ids if key == "partner_id" else names.partners).get(x, str(x))
    if key == "role" and isinstance(x, str):
        return role_label(x)
    if key in ("return", "returns") and isinstance(x, str):
        return ", ".join(RETURN_TYPES.get(r.strip(), r.strip()) for r in x.split(","))
    if isinstance(x, float):
        return f"{x:g}"
    if isinstance(x, str) and _ISO_DATE.match(x):
        try:
            return f"{date.fromisoformat(x):%d/%m/%Y}"
        except ValueError:
            return x
    if isinstance(x, str) and _DATE_TIME.match(x):
        try:
            return f"{datetime.fromisoformat(x):%d/%m/%Y %H:%M}"
        except ValueError:
            return x
    if isinstance(x, dict):
        return _pairs(x, names)
    if isinstance(x, list):
        return "; ".join(_value(v, key, names) for v in x) or "none"
    return str(x)


def _pairs(d: dict, names: Names = Names()) -> str:
    out = []
    for k, v in d.items():
        if isinstance(v, list) and len(v) == 2 and not any(isinstance(x, (list, dict)) for x in v) and k != "changes":
            out.append(f"{_key_words(k)}: {_value(v[0], k, names)} → {_value(v[1], k, names)}")  # [before, after]
        elif isinstance(v, dict):
            out.append(f"{_key_words(k)}: {_pairs(v, names)}")
        else:
            out.append(f"{_key_words(k)}: {_value(v, k, names)}")
    return "; ".join(out)


def _command_line(target, details: dict) -> str:
    """A command's details as the command line that ran it: `python -m assurance demo --quarters 12 (exit code 0)`."""
    from assurance.cli import build_parser

    options = _cli_options(build_parser())
    words = ["python -m assurance", str(target or "")]
    tail = []
    for k, v in details.items():
        if k == "exit code":
            continue
        flag = options.get(k)
        if k == "active":
            words.append("--enable" if v else "--disable")
        elif flag is None and k in ("action", "kind"):
            words.append(str(v))  # a sub-command (users add, audit verify)
        elif flag is None:
            tail.append(f"{_key_words(k).lower()}: {_value(v)}")
        elif flag == "":
            words.append(str(v))  # a positional argument
        elif v is True:
            words.append(flag)
        elif v is not False:
            words.append(f"{flag} {' '.join(map(str, v)) if isinstance(v, list) else v}")
    if "exit code" in details:
        tail.insert(0, f"exit code {details['exit code']}")
    return " ".join(w for w in words if w) + (f" ({'; '.join(tail)})" if tail else "")


def _cli_options(parser) -> dict[str, str]:
    """Each option's destination -> how it is typed ("" for a positional argument), across every command."""
    import argparse

    out: dict[str, str] = {}
    for a in parser._actions:
        if isinstance(a, argparse._SubParsersAction):
            for sub in a.choices.values():
                out.update({k: v for k, v in _cli_options(sub).items() if k not in out})
        elif a.dest not in ("help", "command", "action"):
            longest = max(a.option_strings, key=len) if a.option_strings else ""
            out.setdefault(a.dest, longest)
    return out


def readable_details(details, action: str | None = None, target=None, names: Names = Names()) -> str:
    """An audit event's details as words: {"due": ["2026-07-30", "2026-08-06"]} reads "Due date: 30/07/2026 →
    06/08/2026"; {"rows": 12} reads "Rows: 12"; a command reads as the command line; plain text stays as it is."""
    if details is None or (isinstance(details, float) and pd.isna(details)) or details == "":
        return ""
    value = details
    if isinstance(details, str):
        try:
            value = json.loads(details)
        except ValueError:
            return details
    if action == "cli command" and isinstance(value, dict):
        return _command_line(target, value)
    return _pairs(value, names) if isinstance(value, dict) else _value(value, None, names)


def readable_target(action, target, names: Names = Names()) -> str:
    """What an event was done to, in words: a measure by its name, a partner by its name, a page by its title."""
    if target is None or (isinstance(target, float) and pd.isna(target)):
        return ""
    target = str(target)
    if action in ("commentary added", "commentary confirmed", "spc recalculation recorded"):
        measure, _, rest = target.partition(" ")
        if measure in names.measures:
            return f"{names.measures[measure]}{', ' if action.startswith('commentary') else ' '}{rest}".strip()
    if action == "admin change" and ": " in target:
        what, value = target.split(": ", 1)
        if what == "partner" and value in names.partners:
            value = f"{names.partners[value]} ({value})"
        elif what == "framework target":
            value = names.measures.get(value, value)
        return f"{what[:1].upper()}{what[1:]}: {value}"
    if action == "access refused" and target in names.pages:
        return f"{names.pages[target]} page"
    if re.match(r"^(challenge|submission|action) \d+$", target):
        return target[:1].upper() + target[1:]
    return target


def _source(source, address) -> str:
    if source == "cli":
        return "Command line"
    where = "" if address in (None, "", "local") or (isinstance(address, float) and pd.isna(address)) else address
    return f"App ({where})" if where else "App"


# Sized for a 1366x768 laptop (a table about 900 pixels wide beside the sidebar): rows tall enough for three lines,
# so text wraps rather than being cut; in the trail, when, who, what and to what show whole, and an event's details
# beyond three lines are shown in full under the table for the row picked.
WRAP_ROW_HEIGHT = 66
AUDIT_WIDTHS = {"When": 150, "Who": 150, "Action": 130, "Target": 220, "Details": 220}
USER_WIDTHS = {"Username": 120, "Name": 150, "Role": 105, "Partner": 165, "Active": 60, "Local password": 110,
               "Locked until": 95, "Last sign-in": 95}
TARGET_WIDTHS = {"Measure": 440, "Polarity": 125, "Latest target": 95, "Amber tolerance": 115, "Since": 95}


def audit_events(events: pd.DataFrame, names: Names = Names()) -> pd.DataFrame:
    """The audit trail as the page shows it: when (a time, so the table sorts by it), the action, target and
    details in words, and where it came from (the app and the address, or the command line); never "None"."""
    rows = []
    for e in events.itertuples(index=False):
        rows.append({"When": pd.Timestamp(e.When), "Who": e.Who or "",
                     "Action": action_words(e.Action), "Target": readable_target(e.Action, e.Target, names),
                     "Details": readable_details(e.Details, e.Action, e.Target, names),
                     "From": _source(e.Source, e.From)})
    return pd.DataFrame(rows, columns=["When", "Who", "Action", "Target", "Details", "From"])


def audit_event_detail(shown_row: pd.Series) -> list[tuple[str, str]]:
    """One event, every field whole, for the area under the table: (label, words) pairs."""
    def words(v) -> str:
        return f"{v:%d/%m/%Y %H:%M:%S}" if isinstance(v, pd.Timestamp) else str(v) or "none"

    return [(c, words(shown_row[c])) for c in shown_row.index]


# --- the users --------------------------------------------------------------------------------------------------

def _when(x) -> str:
    return "" if x is None or pd.isna(x) else f"{pd.Timestamp(x):%d/%m/%Y %H:%M}"


def users_table(users: list[dict], partner_names: dict[str, str]) -> pd.DataFrame:
    """Every user as the Users page shows them: sentence-case headers, the partner by name, dates dd/mm/yyyy hh:mm,
    blank where nothing applies. "Locked until" only when someone is locked out (the column is otherwise empty)."""
    rows = [{"Username": u["username"], "Name": u["name"] or "", "Role": u["role_label"],
             "Partner": partner_names.get(u["partner"], u["partner"]) if u["partner"] else "",
             "Active": bool(u["active"]), "Local password": bool(u["local password"]),
             "Locked until": _when(u["locked until"]), "Last sign-in": _when(u["last sign-in"]),
             "E-mail": u["email"] or ""} for u in users]
    frame = pd.DataFrame(rows, columns=["Username", "Name", "Role", "Partner", "Active", "Local password",
                                        "Locked until", "Last sign-in", "E-mail"])
    if not frame["Locked until"].astype(bool).any():
        frame = frame.drop(columns="Locked until")
    return frame


# --- the population baseline --------------------------------------------------------------------------------------

def _count(n) -> str:
    return "" if n is None else f"{n:,}"


def baseline_by_age(ages: dict) -> pd.DataFrame:
    """Adults by age band, counts written 128,482."""
    return pd.DataFrame({"Age band": list(ages), "Adults": [_count(n) for n in ages.values()]})


def baseline_by_ethnicity(groups: dict) -> pd.DataFrame:
    """Residents by broad ethnic group, counts written 101,798."""
    return pd.DataFrame({"Ethnic group (broad)": list(groups), "Residents": [_count(n) for n in groups.values()]})


def baseline_ethnicity_by_age(adults: dict) -> pd.DataFrame:
    """Adults by broad ethnic group (rows) and age band (columns)."""
    return pd.DataFrame([{"Ethnic group (broad)": g, **{b: _count(n) for b, n in bands.items()}}
                         for g, bands in adults.items()])
