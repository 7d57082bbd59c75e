"""The validation pipeline: read, work out type, partner and quarter (detection), clean and run the rules
(checking).

`prepare` does everything that needs only the file (and the partner/period lists); `check` fetches the facts the
remaining rules need from the database and runs them (again inside the loading transaction, so what is loaded is
what was checked). Which returns there are comes from the spec files; `specs=` gives another set (a return type
being written, or a Board's own).
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from assurance.directory import PartnerInfo, list_partners, list_periods
from assurance.errors import AssuranceError
from assurance.periods import Period, PeriodError, find_period
from assurance.reference.codelists import normalise
from assurance.returns.clean import CleanSheet, clean_workbook, match_sheets
from assurance.returns.facts import fetch
from assurance.returns.issues import ERROR, QUERY, Issue, issues_frame, screen_frame, summary_by_rule
from assurance.returns.read import RawWorkbook, read_bytes
from assurance.returns.rules import RULES, Context, run_rules
from assurance.returns.specs import ReturnSpec, all_specs, version_tuple

Progress = Callable[[float, str], None]


class UsageError(AssuranceError, ValueError):
    """A partner code, period or return type given by the user that does not exist (CLI exit 2)."""

    exit_code = 2


@dataclass
class Prepared:
    file_name: str
    data: bytes
    sha256: str
    spec: ReturnSpec | None
    partner: PartnerInfo | None
    period: Period | None
    period_id: int | None
    ctx: Context
    template_version: str | None = None
    detected: dict[str, str] = field(default_factory=dict)  # what was worked out, and from where

    @property
    def sheets(self) -> dict[str, CleanSheet]:
        return self.ctx.sheets

    @property
    def row_count(self) -> int:
        return sum(s.n for s in self.ctx.sheets.values())

    @property
    def can_record(self) -> bool:
        """A submission record needs a partner, a period in the database and a return type."""
        return self.spec is not None and self.partner is not None and self.period_id is not None


@dataclass
class Report:
    file_name: str
    return_type: str | None
    partner: PartnerInfo | None
    period: Period | None
    rows: dict[str, int]
    issues: list[Issue]
    counts: Counter
    detected: dict[str, str] = field(default_factory=dict)
    records: dict[str, str] = field(default_factory=dict)  # sheet as named in the file -> the spec's sheet name
    title: str | None = None  # the return's title, from its spec

    @property
    def error_count(self) -> int:
        return sum(n for (_c, s), n in self.counts.items() if s == ERROR)

    @property
    def query_count(self) -> int:
        return sum(n for (_c, s), n in self.counts.items() if s == QUERY)

    @property
    def status(self) -> str:
        return "errors" if self.error_count else ("queries" if self.query_count else "clean")

    def frame(self, readable: bool = True) -> pd.DataFrame:
        return issues_frame(self.issues, readable)

    def screen(self, shown: pd.DataFrame | None = None) -> pd.DataFrame:
        """The issues (or the readable rows `shown` of them) as the upload page lists them."""
        return screen_frame(self.frame() if shown is None else shown)

    def summary(self) -> pd.DataFrame:
        return summary_by_rule(self.issues, {code: r.title for code, r in RULES.items()}, self.counts)

    @staticmethod
    def rule_title(code: str) -> str:
        """A rule as people read it: its title, not its code."""
        return RULES[code].title if code in RULES else code

    def csv_bytes(self) -> bytes:
        return self.frame().to_csv(index=False).encode("utf-8-sig")

    def headline(self) -> str:
        what = self.title or "A return of unknown type"
        who = f"{self.partner.code} " if self.partner else ""
        when = f"{self.period.label} " if self.period else ""
        rows = ", ".join(_how_many(n, self.records.get(s, s).lower()) for s, n in self.rows.items()) or "no rows read"
        return (f"{what} {who}{when}from {self.file_name}: {rows}; "
                f"{self.error_count:,} error{'s' if self.error_count != 1 else ''}, "
                f"{self.query_count:,} quer{'ies' if self.query_count != 1 else 'y'}.")


def _how_many(n: int, plural: str) -> str:
    """'1 enquiry', '5 enquiries', '1 concern' from a sheet name in the plural."""
    if n != 1:
        return f"{n:,} {plural}"
    return f"1 {plural[:-3] + 'y' if plural.endswith('ies') else plural[:-1] if plural.endswith('s') else plural}"


# --- detection: type, partner and period -------------------------------------------------------------

def detect_type(wb: RawWorkbook, file_name: str, specs: Sequence[ReturnSpec] | None = None) -> tuple[str | None, str]:
    specs = all_specs() if specs is None else specs
    info = wb.template_info
    if info.get("return type") in {s.type for s in specs}:
        return info["return type"], "template"
    best, best_score = None, 0
    for spec in specs:
        matched = match_sheets(wb, spec)
        score = len(matched) * 2 - (len(spec.sheets) - len(matched))
        if matched and score > best_score:
            best, best_score = spec.type, score
    if best:
        return best, "sheets"
    name = normalise(file_name)
    for spec in specs:
        if any(re.search(rf"\b{re.escape(normalise(w))}\b", name) for w in spec.file_name_words):
            return spec.type, "file name"
    return None, ""


def partners_in_name(file_name: str, partners: list[PartnerInfo]) -> list[PartnerInfo]:
    """Every partner the file name names, as whole words: by code, by full name, or by type when only one
    partner has it. A word inside a longer match for another partner does not count ('Demo Integrated Care
    Board' names ICB only, though CARE is a code and Board a type)."""
    stem = normalise(re.sub(r"\.[A-Za-z0-9]{2,5}$", "", file_name).replace("_", " "))
    found: list[tuple[int, int, PartnerInfo]] = []  # (start, end, partner) in `stem`

    def find(words: str, p: PartnerInfo) -> None:
        if words:
            for m in re.finditer(rf"(?<![a-z0-9+]){re.escape(words)}(?![a-z0-9+])", stem):
                found.append((m.start(), m.end(), p))

    for p in partners:
        find(normalise(p.name), p)
        find(normalise(p.code), p)
    by_type: dict[str, list[PartnerInfo]] = {}
    for p in partners:
        by_type.setdefault(normalise(p.type), []).append(p)
    for t, ps in by_type.items():
        if len(ps) == 1:
            find(t, ps[0])
    def inside_another(f) -> bool:
        return any(o[2].id != f[2].id and o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0] for o in found)

    kept = [f for f in found if not inside_another(f)]
    out: list[PartnerInfo] = []
    for _start, _end, p in sorted(kept, key=lambda f: f[0]):
        if all(p.id != q.id for q in out):
            out.append(p)
    return out


def _period_from_dates(spec: ReturnSpec, sheets: dict[str, CleanSheet]) -> tuple[Period | None, float, str]:
    """The quarter most of the dates fall in, the share that do, and which column was used."""
    for sheet_name, field_name in spec.period_from:
        sheet = sheets.get(sheet_name)
        if sheet is None or field_name not in sheet.present:
            continue
        days = sheet.values[field_name][sheet.ok(field_name)]
        if not len(days):
            continue
        months = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
        fy_quarter = (months - 3) // 3  # quarters since April 1970 (Q1 = Apr-Jun)
        values, counts = np.unique(fy_quarter, return_counts=True)
        top = int(values[np.argmax(counts)])
        period = Period(1970 + top // 4, top % 4 + 1)
        return period, float(counts.max() / counts.sum()), f"{sheet_name} {sheet.spec.column(field_name).header}"
    return None, 0.0, ""


def prepare(data: bytes, file_name: str, engine: Engine, partner: str | None = None, period: str | None = None,
            return_type: str | None = None, progress: Progress | None = None,
            specs: Sequence[ReturnSpec] | None = None) -> Prepared:
    """Read and check a return without touching the database's data. Raises ReadError for unreadable or
    hostile files and UsageError for a partner code, period or type that does not exist."""
    report = progress or (lambda _f, _m: None)
    report(0.02, "Reading the file")
    specs = {s.type: s for s in (all_specs() if specs is None else specs)}
    partners = list_partners(engine)
    choice = Choice(_chosen_partner(partner, partners), _chosen_period(period), _chosen_type(return_type, specs))
    wb = read_bytes(data, file_name)
    ctx = Context(file_name=wb.file_name, spec=None, partners=tuple(partners))
    detected: dict[str, str] = {}
    spec = detect_return(wb, ctx, choice, specs, detected)
    sha = hashlib.sha256(data).hexdigest()
    if spec is None:
        return Prepared(wb.file_name, data, sha, None, choice.partner, choice.period, None, ctx, None, detected)
    ctx.partner = detect_partner(ctx, choice, partners, spec, detected)
    version = check_template(wb, ctx, spec)
    report(0.1, "Cleaning the sheets")
    clean_workbook(wb, spec, ctx, partners, progress)
    ctx.period, ctx.period_id = detect_period(ctx, choice, {p.label: p for p in list_periods(engine)}, detected)
    report(0.75, "Running the checks")
    run_rules(ctx, with_facts=False)
    report(0.85, "Checks done")
    return Prepared(wb.file_name, data, sha, spec, ctx.partner, ctx.period, ctx.period_id, ctx, version, detected)


@dataclass(frozen=True)
class Choice:
    """What the user chose (None: work it out from the file)."""

    partner: PartnerInfo | None
    period: Period | None
    return_type: str | None


def detect_return(wb: RawWorkbook, ctx: Context, choice: Choice, specs: dict[str, ReturnSpec],
                  detected: dict[str, str]) -> ReturnSpec | None:
    """The return's spec: chosen, else from the template, the sheets or the file name; None if none fits."""
    rtype, how = detect_type(wb, ctx.file_name, list(specs.values()))
    chosen = choice.return_type
    if chosen and rtype and rtype != chosen and how in ("template", "sheets"):
        ctx.add("TYPE_MISMATCH", f"You chose the {specs[chosen].title.lower()}, but the file looks like the "
                f"{specs[rtype].title.lower()} (from its {how}).")
    if chosen:
        rtype = chosen
        detected["type"] = "chosen"
    elif rtype:
        detected["type"] = f"from the {how}"
    if rtype is None:
        ctx.add("TYPE_UNKNOWN", f"{ctx.file_name} does not look like any of the returns (its sheets are "
                f"{', '.join(wb.sheet_names) or 'none'}).")
        return None
    ctx.spec = specs[rtype]
    return ctx.spec


def detect_partner(ctx: Context, choice: Choice, partners: list[PartnerInfo], spec: ReturnSpec,
                   detected: dict[str, str]) -> PartnerInfo | None:
    """The partner: chosen, or from the file name, or the only partner that makes this return."""
    name = ctx.file_name
    in_name = partners_in_name(name, partners)
    named = in_name[0] if len(in_name) == 1 else None
    chosen = choice.partner
    the_partner = chosen or named
    if chosen and in_name and all(p.id != chosen.id for p in in_name):
        ctx.add("PARTNER_MISMATCH", f"You chose {chosen.code} ({chosen.name}), but the file name "
                f"{name} names {_partner_words(in_name)}.")
    if the_partner is None and len(in_name) > 1:
        ctx.add("PARTNER_UNKNOWN", f"The file name {name} names more than one partner ({_partner_words(in_name)}), "
                "so the partner was not guessed.", "Choose the partner (on the upload form, or --partner CODE), or "
                "rename the file so that it names only one partner, e.g. \u201cPOL 2025-26 Q2.xlsx\u201d.")
    elif the_partner is None:
        makers = [p for p in partners if spec.type in p.returns]
        if len(makers) == 1:
            the_partner = makers[0]
            detected["partner"] = f"the only partner that makes the {spec.title.lower()}"
        else:
            ctx.add("PARTNER_UNKNOWN", f"No partner was chosen and none is named in the file name {name}.")
    else:
        detected["partner"] = "chosen" if chosen else "from the file name"
    if the_partner is not None and spec.type not in the_partner.returns:
        makes = ", ".join(the_partner.returns) or "none"
        ctx.add("RETURN_NOT_EXPECTED", f"{the_partner.code} ({the_partner.name}) does not make the "
                f"{spec.title.lower()}; it makes: {makes}.")
    return the_partner


def detect_period(ctx: Context, choice: Choice, periods: dict[str, Period], detected: dict[str, str]
                  ) -> tuple[Period | None, int | None]:
    """The quarter and its id in the database: chosen, the file name and the dates inside must agree."""
    name = ctx.file_name
    named_period = find_period(name)
    chosen = choice.period
    if chosen and named_period and chosen != named_period:
        ctx.add("PERIOD_MISMATCH", f"You chose {chosen.label}, but the file name {name} says {named_period.label}.")
    the_period = chosen or named_period
    detected["period"] = "chosen" if chosen else ("from the file name" if named_period else "")
    inside, share, used = _period_from_dates(ctx.spec, ctx.sheets)
    if inside is not None:
        if the_period is None:
            the_period = inside
            detected["period"] = f"from the dates in {used}"
        elif inside != the_period and share >= 0.5:
            ctx.add("PERIOD_MISMATCH", f"The return is for {the_period.label}, but {share:.0%} of the dates in "
                    f"{used} fall in {inside.label}.")
    if the_period is None:
        ctx.add("PERIOD_UNKNOWN", f"No quarter was chosen, none is in the file name {name}, and the file has no dates "
                "to work it out from.")
        return None, None
    if the_period.label not in periods:
        known = sorted(periods, key=lambda lbl: Period.parse(lbl))
        span = f" (periods run from {known[0]} to {known[-1]})" if known else ""
        ctx.add("PERIOD_NOT_OPEN", f"{the_period.label} is not a reporting period in the database{span}.")
        return the_period, None
    return the_period, periods[the_period.label].id


# --- checking ----------------------------------------------------------------------------------------

def check_template(wb: RawWorkbook, ctx: Context, spec: ReturnSpec) -> str | None:
    """The template version the file was made from (queried when older than the spec's), and macros (ignored)."""
    version = wb.template_info.get("template version")
    if version and version_tuple(version) < version_tuple(spec.version):
        ctx.add("OLD_TEMPLATE", f"The file was made from template version {version}; the current version is "
                f"{spec.version}.", value=version)
    if wb.has_macros:
        ctx.add("MACROS_IGNORED", f"{ctx.file_name} contains macros. They were not run: only the cell values were read.")
    return version


def check(prepared: Prepared, conn) -> Report:
    """All issues: the file's own plus those that need the database (loaded concerns, history)."""
    ctx = copy.copy(prepared.ctx)
    ctx.issues, ctx.counts, ctx._per_key = list(ctx.issues), Counter(ctx.counts), Counter(ctx._per_key)
    if prepared.spec is not None and prepared.can_record:
        ctx.facts = fetch(conn, ctx)
        run_rules(ctx, with_facts=True)
    return Report(prepared.file_name, prepared.spec.type if prepared.spec else None, prepared.partner, prepared.period,
                  {s.name: s.n for s in ctx.sheets.values()}, ctx.issues, ctx.counts, prepared.detected,
                  {s.name: s.spec.name for s in ctx.sheets.values()}, prepared.spec.title if prepared.spec else None)


def preview(prepared: Prepared, engine: Engine) -> Report:
    with engine.connect() as conn:
        return check(prepared, conn)


def _partner_words(ps: list[PartnerInfo]) -> str:
    text = [f"{p.code} ({p.name})" for p in ps]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]


def _chosen_partner(code: str | None, partners: list[PartnerInfo]) -> PartnerInfo | None:
    if not code:
        return None
    for p in partners:
        if p.code.upper() == code.strip().upper():
            return p
    raise UsageError(f"No partner with code {code!r}; the partners are {', '.join(p.code for p in partners)}.")


def _chosen_type(return_type: str | None, specs: dict[str, ReturnSpec]) -> str | None:
    if return_type is not None and return_type not in specs:
        raise UsageError(f"Unknown return type {return_type!r}; use one of {', '.join(specs)}.")
    return return_type


def _chosen_period(text: str | None) -> Period | None:
    if not text:
        return None
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise UsageError(str(exc)) from None
