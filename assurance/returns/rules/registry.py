"""The rule registry: what a rule is, where rules are kept, and what they see (the Context).

Rule modules import from here, never from the package, so registering a rule does not import the package.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from assurance.returns.issues import ERROR, QUERY, Issue

MAX_ISSUES_PER_RULE_AND_COLUMN = 1000
MAX_VALUE_SHOWN = 200  # characters of a cell kept with its issue


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str  # short, for the summary: "Age under 18"
    fix: str = ""  # the usual fix, when the issue gives no better one
    check: Callable | None = None  # check(ctx, sheet, **params) or check(ctx, **params); None: raised while cleaning
    needs: tuple[str, ...] = ()  # database facts the check reads from ctx.facts (see assurance.returns.facts)
    scope: str = "sheet"  # "sheet": run on each sheet that names it; "return": on the return as a whole

    @property
    def params(self) -> tuple[str, ...]:
        """The parameters a spec may give the check (its keyword arguments)."""
        if self.check is None:
            return ()
        skip = {"ctx", "sheet"}
        return tuple(p.name for p in inspect.signature(self.check).parameters.values()
                     if p.name not in skip and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))


RULES: dict[str, Rule] = {}


def declare(code: str, severity: str, title: str, fix: str = "") -> Rule:
    """A rule raised while reading or cleaning (it has no check of its own)."""
    RULES[code] = Rule(code, severity, title, fix)
    return RULES[code]


def rule(code: str, severity: str, title: str, fix: str = "", needs: tuple[str, ...] = (), scope: str = "sheet"):
    """Register the decorated function as the check of rule `code`. A check is pure: what it needs from the
    database it names in `needs`, and finds in ctx.facts."""
    def register(fn: Callable) -> Callable:
        RULES[code] = Rule(code, severity, title, fix, fn, tuple(needs), scope)
        return fn

    return register


@dataclass
class Context:
    """What rules see: the file, the cleaned sheets, the chosen partner and period, and where issues go."""

    file_name: str
    spec: object  # ReturnSpec
    sheets: dict = field(default_factory=dict)  # spec sheet name -> CleanSheet
    period: object = None  # Period
    period_id: int | None = None
    partner: object = None  # PartnerInfo
    partners: tuple = ()
    facts: dict = field(default_factory=dict)  # what the database said, for the rules that need it (by name)
    issues: list[Issue] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    _per_key: Counter = field(default_factory=Counter)

    def add(self, code: str, message: str, suggestion: str | None = None, *, sheet: str | None = None,
            row: int | None = None, column: str | None = None, field_name: str | None = None,
            value: object = None, severity: str | None = None) -> None:
        r = RULES[code]
        severity = severity or r.severity
        self.counts[(code, severity)] += 1
        key = (code, sheet, column)
        self._per_key[key] += 1
        n = self._per_key[key]
        if n > MAX_ISSUES_PER_RULE_AND_COLUMN:
            return
        if n == MAX_ISSUES_PER_RULE_AND_COLUMN:
            message = f"{message} (further rows with this problem in this column are counted in the summary but not listed)"
        self.issues.append(Issue(
            severity=severity, rule=code, message=message, suggestion=suggestion if suggestion is not None else r.fix,
            file=self.file_name, sheet=sheet, row=row, column=column, field=field_name,
            value=None if value is None else _clip(display(value)),
        ))

    def add_cells(self, code: str, sheet, field_name: str, mask: np.ndarray,
                  message: Callable[[object, int], str], suggestion: Callable[[object, int], str | None] | None = None,
                  severity: str | None = None, values: np.ndarray | None = None) -> int:
        """One issue per row where `mask` is true, in the column of `field_name`; message(value, row index)."""
        idx = np.flatnonzero(mask)
        if not len(idx):
            return 0
        col = sheet.spec.column(field_name)
        raw = sheet.raw[field_name] if values is None else values
        letter = sheet.letters.get(field_name)
        r = RULES[code]
        sev = severity or r.severity
        for k, i in enumerate(idx):
            if k >= MAX_ISSUES_PER_RULE_AND_COLUMN:
                self.counts[(code, sev)] += len(idx) - k
                self._per_key[(code, sheet.name, letter)] += len(idx) - k
                break
            v = raw[i]
            self.add(code, message(v, i), suggestion(v, i) if suggestion else None, sheet=sheet.name, row=int(sheet.rows[i]),
                     column=letter, field_name=col.header, value=v, severity=sev)
        return len(idx)

    @property
    def error_count(self) -> int:
        return sum(n for (_c, sev), n in self.counts.items() if sev == ERROR)

    @property
    def query_count(self) -> int:
        return sum(n for (_c, sev), n in self.counts.items() if sev == QUERY)


def display(value: object) -> str:
    """A cell value as the user would recognise it."""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M") if (value.hour or value.minute) else value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, np.datetime64):
        return "" if np.isnat(value) else value.astype("datetime64[D]").item().strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (tuple, list)):
        return "; ".join(map(str, value))
    return str(value)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_VALUE_SHOWN else text[:MAX_VALUE_SHOWN] + "..."


def spec_rules(spec, with_facts: bool) -> list[tuple[Rule, dict, str | None]]:
    """(rule, its parameters, the spec sheet it runs on or None for the whole return) for every rule the spec
    names: with_facts=False, those that need nothing from the database; True, those that do."""
    out = []
    for sheet in spec.sheets:
        for entry in sheet.rules:
            r = RULES[entry["code"]]
            if bool(r.needs) == with_facts:
                out.append((r, {k: v for k, v in entry.items() if k != "code"}, sheet.name))
    for entry in spec.rules:
        r = RULES[entry["code"]]
        if bool(r.needs) == with_facts:
            out.append((r, {k: v for k, v in entry.items() if k != "code"}, None))
    return out


def run_rules(ctx: Context, with_facts: bool) -> None:
    """Run the spec's rules over the cleaned sheets (a sheet the file lacks is skipped)."""
    for r, params, sheet_name in spec_rules(ctx.spec, with_facts):
        if sheet_name is None:
            r.check(ctx, **params)
        elif sheet_name in ctx.sheets:
            r.check(ctx, ctx.sheets[sheet_name], **params)


def isin(values: np.ndarray, collection) -> np.ndarray:
    """Hash-based membership for object arrays (numpy's isin sorts objects, which is very slow)."""
    return pd.Series(values, dtype=object).isin(set(collection)).to_numpy(bool) if len(values) else np.zeros(0, bool)


def plain_list(values: Iterable[str], limit: int = 12) -> str:
    values = list(values)
    shown = ", ".join(f"\u201c{v}\u201d" for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
