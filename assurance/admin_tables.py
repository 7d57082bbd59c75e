"""The tables the Admin pages show, in plain words: blank where nothing applies, never "None"; the audit trail's
details as "key: value" text rather than the JSON they are stored as."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd

POLARITY = {"higher": "Higher is better", "lower": "Lower is better", "information": "Information only (not rated)"}
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
        rows.append({"Measure": m.name, "Strand": STRAND_NAMES[m.strand], "Polarity": POLARITY[m.polarity],
                     "Latest target": number(m.target), "Amber tolerance": number(m.tolerance) if rated else "",
                     "Since": (m.spells[-1].from_period or "the start") if rated else "",
                     "Unit": m.unit, "Measured over": BASIS_NAMES[m.basis], "id": m.id})
    return pd.DataFrame(rows)


def target_history(measure) -> pd.DataFrame:
    """The targets a measure has had, oldest first."""
    return pd.DataFrame([{"In force from": s.from_period or "the start", "Target": number(s.target),
                          "Amber tolerance": number(s.tolerance)} for s in measure.spells])


def _value(x) -> str:
    if x is None or x == "":
        return "blank"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:g}"
    if isinstance(x, str) and _ISO_DATE.match(x):
        try:
            return f"{date.fromisoformat(x):%d/%m/%Y}"
        except ValueError:
            return x
    if isinstance(x, dict):
        return "(" + _pairs(x) + ")"
    if isinstance(x, list):
        return ", ".join(_value(v) for v in x) or "none"
    return str(x)


def _pairs(d: dict) -> str:
    out = []
    for k, v in d.items():
        if isinstance(v, list) and len(v) == 2 and not any(isinstance(x, (list, dict)) for x in v):
            out.append(f"{k}: {_value(v[0])} → {_value(v[1])}")  # a change: [before, after]
        else:
            out.append(f"{k}: {_value(v)}")
    return "; ".join(out)


def readable_details(details) -> str:
    """An audit event's details as words: {"due": ["2026-07-30", "2026-08-06"]} reads "due: 30/07/2026 → 06/08/2026";
    {"rows": 12} reads "rows: 12"; plain text stays as it is."""
    if details is None or (isinstance(details, float) and pd.isna(details)) or details == "":
        return ""
    value = details
    if isinstance(details, str):
        try:
            value = json.loads(details)
        except ValueError:
            return details
    return _pairs(value) if isinstance(value, dict) else _value(value)


def audit_events(events: pd.DataFrame) -> pd.DataFrame:
    """The audit trail as the page shows it: details in words, empty cells blank."""
    out = events.copy()
    out["Details"] = [readable_details(d) for d in out["Details"]]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].where(out[column].notna(), "")
    return out
