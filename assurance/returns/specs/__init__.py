"""Declarative return specs (one TOML file per return type) and the documentation page made from them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from assurance.config import RETURN_TYPES
from assurance.reference.codelists import Codelist, codelist

SPEC_DIR = Path(__file__).parent
COLUMN_TYPES = ("id", "text", "date", "integer", "age", "code", "codes", "ethnicity", "partner")
TYPE_WORDS = {
    "id": "reference",
    "text": "text",
    "date": "date (dd/mm/yyyy)",
    "integer": "whole number",
    "age": "age in years or age band",
    "code": "one value from the list",
    "codes": "one or more values from the list, separated by ;",
    "ethnicity": "ethnic group from the list",
    "partner": "partner code or name",
}


class SpecError(ValueError):
    """A spec file is inconsistent; the message says which file and what to fix."""


@dataclass(frozen=True)
class ColumnSpec:
    field: str
    header: str
    type: str
    synonyms: tuple[str, ...] = ()
    codelist: str | None = None
    mandatory: bool = True  # the column must be present
    blank_ok: bool = False  # cells may be left blank (only matters for mandatory columns)
    unique: bool = False
    dimension: str | None = None  # enquiry_risks dimension for `codes` columns
    example: str = ""
    help: str = ""
    max_length: int | None = None
    not_offered: tuple[str, ...] = ()  # codelist values the template's drop-down leaves out (still recognised)

    @property
    def required_cells(self) -> bool:
        return self.mandatory and not self.blank_ok

    @property
    def fill_in(self) -> str:
        """When a cell must be filled in, in plain words: 'Every row', 'When it applies' or 'Optional'."""
        return "Every row" if self.required_cells else ("When it applies" if self.mandatory else "Optional")

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    table: str
    columns: tuple[ColumnSpec, ...]
    synonyms: tuple[str, ...] = ()
    description: str = ""
    rules: tuple[dict, ...] = ()
    unique_together: tuple[str, ...] = ()

    def column(self, field_name: str) -> ColumnSpec:
        for c in self.columns:
            if c.field == field_name:
                return c
        raise KeyError(f"sheet {self.name} has no column {field_name}")


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    label: str
    kind: str  # rate / count
    help: str = ""


@dataclass(frozen=True)
class ReturnSpec:
    type: str
    title: str
    version: str
    sheets: tuple[SheetSpec, ...]
    made_by: str = ""
    description: str = ""
    file_name_words: tuple[str, ...] = ()
    period_from: tuple[tuple[str, str], ...] = ()
    volume_tolerance: float = 0.5
    measures: tuple[MeasureSpec, ...] = ()
    local_codelists: dict[str, Codelist] = field(default_factory=dict, hash=False, compare=False)
    framework_measures: str | None = None  # applies_to value of the framework measures this return collects

    def sheet(self, name: str) -> SheetSpec:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(f"{self.type} return has no sheet {name}")

    def codelist(self, key: str) -> Codelist:
        return self.local_codelists.get(key) or codelist(key)

    def measure(self, code: str) -> MeasureSpec | None:
        return next((m for m in self.measures if m.code == code), None)


def _build(path: Path) -> ReturnSpec:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    rtype = raw.get("type")
    if rtype not in RETURN_TYPES:
        raise SpecError(f"{path.name}: type must be one of {', '.join(RETURN_TYPES)}")
    measures = tuple(MeasureSpec(m["code"], m["label"], m.get("kind", "rate"), m.get("help", "")) for m in raw.get("measures", []))
    local = {}
    for key, cl in raw.get("codelists", {}).items():
        values = tuple(cl.get("values", ())) or tuple(m.code for m in measures)
        synonyms = dict(cl.get("synonyms", {}))
        if key == "measure_code":
            synonyms.update({m.label: m.code for m in measures})
        local[key] = Codelist(key, cl.get("name", key), values, synonyms)
    sheets = []
    for s in raw.get("sheets", []):
        cols = []
        for c in s.get("columns", []):
            col = ColumnSpec(
                field=c["field"], header=c["header"], type=c["type"], synonyms=tuple(c.get("synonyms", ())),
                codelist=c.get("codelist"), mandatory=c.get("mandatory", True), blank_ok=c.get("blank_ok", False),
                unique=c.get("unique", False), dimension=c.get("dimension"), example=str(c.get("example", "")),
                help=c.get("help", ""), max_length=c.get("max_length"), not_offered=tuple(c.get("not_offered", ())),
            )
            if col.type not in COLUMN_TYPES:
                raise SpecError(f"{path.name}: column {col.header} has unknown type {col.type}")
            if col.type in ("code", "codes", "ethnicity") and not col.codelist:
                raise SpecError(f"{path.name}: column {col.header} needs a codelist")
            if col.codelist and col.codelist not in local:
                codelist(col.codelist)  # raises KeyError naming the known lists
            if col.not_offered and col.codelist and col.codelist not in local:
                unknown = set(col.not_offered) - set(codelist(col.codelist).values)
                if unknown:
                    raise SpecError(f"{path.name}: column {col.header} leaves out {sorted(unknown)}, which are not in "
                                    f"the {col.codelist} list")
            cols.append(col)
        sheets.append(
            SheetSpec(
                name=s["name"], table=s["table"], columns=tuple(cols), synonyms=tuple(s.get("synonyms", ())),
                description=s.get("description", ""), rules=tuple(s.get("rules", ())),
                unique_together=tuple(s.get("unique_together", ())),
            )
        )
    return ReturnSpec(
        type=rtype, title=raw["title"], version=str(raw["version"]), sheets=tuple(sheets), made_by=raw.get("made_by", ""),
        description=raw.get("description", ""), file_name_words=tuple(raw.get("file_name_words", ())),
        period_from=tuple((p["sheet"], p["field"]) for p in raw.get("period_from", [])),
        volume_tolerance=float(raw.get("volume_tolerance", 0.5)), measures=measures, local_codelists=local,
        framework_measures=raw.get("framework_measures"),
    )


def get_spec(return_type: str) -> ReturnSpec:
    """The return's spec. For a return that collects framework measures (`framework_measures` in its file), the
    measures and the measure codes accepted are the framework's measures for it (data/framework.toml, re-read
    when it changes) followed by any the spec file lists that the framework does not (yet) define."""
    if return_type not in RETURN_TYPES:
        raise KeyError(f"Unknown return type {return_type!r}; use {', '.join(RETURN_TYPES)}.")
    base = _base_spec(return_type)
    if not base.framework_measures:
        return base
    return _with_framework(return_type, _framework_measures(base.framework_measures))


@lru_cache(maxsize=None)
def _base_spec(return_type: str) -> ReturnSpec:
    return _build(SPEC_DIR / f"{return_type}.toml")


def _framework_measures(applies_to: str) -> tuple[MeasureSpec, ...]:
    from assurance.config import ConfigError
    from assurance.measures.framework import framework

    try:
        fw = framework()
    except ConfigError:  # the framework file is broken: the dashboards say so; returns keep the spec's own list
        return ()
    out = []
    for m in fw.measures:
        if m.applies_to != applies_to:
            continue
        rate = m.unit == "%" and bool(m.denominator)
        help_text = f"Numerator: {m.numerator}." + (f" Denominator: {m.denominator}." if rate else
                                                     " Leave the denominator blank.")
        out.append(MeasureSpec(m.id, m.name, "rate" if rate else "count", help_text))
    return tuple(out)


@lru_cache(maxsize=16)
def _with_framework(return_type: str, from_framework: tuple[MeasureSpec, ...]) -> ReturnSpec:
    base = _base_spec(return_type)
    own = {m.code: m for m in base.measures}
    codes = {m.code for m in from_framework}
    measures = tuple(
        MeasureSpec(m.code, m.label, m.kind, own[m.code].help if m.code in own and own[m.code].help else m.help)
        for m in from_framework
    ) + tuple(m for m in base.measures if m.code not in codes)
    local = dict(base.local_codelists)
    cl = local.get("measure_code")
    if cl is not None:
        synonyms = dict(cl.synonyms)  # the spec's own labels and synonyms stay accepted
        synonyms.update({m.label: m.code for m in measures})
        local["measure_code"] = Codelist(cl.key, cl.name, tuple(m.code for m in measures), synonyms)
    return replace(base, measures=measures, local_codelists=local)


def all_specs() -> list[ReturnSpec]:
    return [get_spec(t) for t in RETURN_TYPES]


def version_tuple(version: str) -> tuple[int, ...]:
    out = []
    for part in str(version).replace("-", ".").split("."):
        try:
            out.append(int(part))
        except ValueError:
            out.append(0)
    return tuple(out)


def spec_markdown(spec: ReturnSpec) -> str:
    """The return's documentation page, made from its spec."""
    from assurance.returns.rules import RULES

    lines = [f"### {spec.title}", "", f"**Who makes it:** {spec.made_by}  ", f"**Template version:** {spec.version}", ""]
    lines.append(spec.description)
    for sheet in spec.sheets:
        lines += ["", f"#### Sheet `{sheet.name}`", sheet.description, "",
                  "| Column | Fill in | Type | Allowed values / notes |", "|---|---|---|---|"]
        for c in sheet.columns:
            notes = []
            if c.codelist:
                cl = spec.codelist(c.codelist)
                notes.append(", ".join(f"`{v}`" for v in cl.values))
            if c.unique:
                notes.append("each value once")
            if c.help:
                notes.append(c.help)
            lines.append(f"| {c.header} | {c.fill_in} | {TYPE_WORDS[c.type]} | {' · '.join(notes)} |")
        if sheet.rules:
            lines += ["", "Checks on this sheet: " + "; ".join(
                f"**{r['code']}** {RULES[r['code']].title}" for r in sheet.rules if r["code"] in RULES) + "."]
    if spec.measures:
        lines += ["", "#### Measures", "", "| Code | Measure | Kind | What to enter |", "|---|---|---|---|"]
        lines += [f"| `{m.code}` | {m.label} | {m.kind} | {m.help} |" for m in spec.measures]
    return "\n".join(lines)
