"""Declarative return specs (one TOML file per return type) and the documentation page made from them.

A spec is the whole truth for its return: sheets, columns and their types (converters), where each value is stored
(columns, or rows of a child table), and which rules run on each sheet and on the return as a whole. A key the
loader does not know is refused with the file and the key named, so a misspelt key never goes unnoticed.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from assurance.config import ConfigError
from assurance.measures.framework import framework
from assurance.reference.codelists import Codelist, codelist
from assurance.returns.catalogue import RETURN_TYPES, SPEC_DIR, SpecError, read_spec_file, spec_files
from assurance.returns.convert import CONVERTERS
from assurance.returns.rules import RULES
from assurance.returns.specs.model import ColumnSpec, MeasureSpec, ReturnSpec, SheetSpec

__all__ = ["ColumnSpec", "MeasureSpec", "ReturnSpec", "SheetSpec", "SpecError", "SPEC_DIR", "COLUMN_TYPES",
           "TYPE_WORDS", "RETURN_TYPES", "load_spec", "get_spec", "all_specs", "spec_markdown", "version_tuple"]

COLUMN_TYPES = tuple(CONVERTERS)
TYPE_WORDS = {name: c.words for name, c in CONVERTERS.items()}

RETURN_KEYS = {"type", "title", "version", "made_by", "description", "file_name_words", "period_from", "rules",
               "measures", "codelists", "framework_measures", "sheets"}
SHEET_KEYS = {"name", "table", "synonyms", "description", "rules", "unique_together", "columns"}
COLUMN_KEYS = {"field", "header", "type", "synonyms", "codelist", "mandatory", "blank_ok", "unique", "dimension",
               "example", "help", "max_length", "not_offered", "store", "child_table"}
MEASURE_KEYS = {"code", "label", "kind", "help"}
CODELIST_KEYS = {"name", "values", "synonyms"}
PERIOD_FROM_KEYS = {"sheet", "field"}


def _keys(path: Path, table: dict, allowed: set[str], where: str) -> dict:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise SpecError(f"{path.name}: unknown key {unknown[0]!r} in {where}; the keys allowed there are "
                        f"{', '.join(sorted(allowed))}.")
    return table


def _rules(path: Path, entries: list, scope: str, where: str) -> tuple[dict, ...]:
    """The rules a sheet (scope 'sheet') or the return (scope 'return') runs, each known, in its place, with
    parameters its check takes."""
    out = []
    for entry in entries:
        code = entry.get("code")
        r = RULES.get(code)
        if r is None or r.check is None:
            raise SpecError(f"{path.name}: {where} names the rule {code!r}, which is not a rule that can be run.")
        if r.scope != scope:
            raise SpecError(f"{path.name}: {code} is a rule about the {r.scope if r.scope == 'return' else 'sheet'}"
                            f"{' as a whole' if r.scope == 'return' else ''}; list it "
                            f"{'at the top of the file' if r.scope == 'return' else 'under a sheet'}.")
        _keys(path, entry, {"code", *r.params}, f"{where}, rule {code}")
        out.append(dict(entry))
    return tuple(out)


def _column(path: Path, c: dict, sheet: str, local: dict) -> ColumnSpec:
    where = f"sheet {sheet}, column {c.get('header', c.get('field', '?'))}"
    _keys(path, c, COLUMN_KEYS, where)
    for key in ("field", "header", "type"):
        if key not in c:
            raise SpecError(f"{path.name}: {where} needs {key!r}.")
    conv = CONVERTERS.get(c["type"])
    if conv is None:
        raise SpecError(f"{path.name}: {where} has unknown type {c['type']!r}; the types are "
                        f"{', '.join(CONVERTERS)}.")
    if conv.output == "labels":
        if not c.get("child_table") or "store" in c:
            raise SpecError(f"{path.name}: {where} holds a list of codes: name the child_table that takes one row "
                            "per code (and no store).")
        store = ()
    else:
        store = tuple(c.get("store", (c["field"],) if conv.parts == 1 else ()))
        if len(store) != conv.parts:
            raise SpecError(f"{path.name}: {where} gives {conv.parts} value{'s' if conv.parts > 1 else ''} "
                            f"({conv.words}), so store needs {conv.parts} database column name"
                            f"{'s' if conv.parts > 1 else ''}; it has {len(store)}.")
        if c.get("child_table"):
            raise SpecError(f"{path.name}: {where}: only a list of codes (type codes) goes to a child_table.")
    col = ColumnSpec(
        field=c["field"], header=c["header"], type=c["type"], synonyms=tuple(c.get("synonyms", ())),
        codelist=c.get("codelist"), mandatory=c.get("mandatory", True), blank_ok=c.get("blank_ok", False),
        unique=c.get("unique", False), dimension=c.get("dimension"), example=str(c.get("example", "")),
        help=c.get("help", ""), max_length=c.get("max_length"), not_offered=tuple(c.get("not_offered", ())),
        store=store, child_table=c.get("child_table"),
    )
    if conv.needs_codelist and not col.codelist:
        raise SpecError(f"{path.name}: column {col.header} needs a codelist")
    if col.codelist and col.codelist not in local:
        codelist(col.codelist)  # raises KeyError naming the known lists
    if col.not_offered and col.codelist and col.codelist not in local:
        unknown = set(col.not_offered) - set(codelist(col.codelist).values)
        if unknown:
            raise SpecError(f"{path.name}: column {col.header} leaves out {sorted(unknown)}, which are not in "
                            f"the {col.codelist} list")
    return col


def _sheet(path: Path, s: dict, local: dict) -> SheetSpec:
    where = f"sheet {s.get('name', '?')}"
    _keys(path, s, SHEET_KEYS, where)
    for key in ("name", "table", "columns"):
        if key not in s:
            raise SpecError(f"{path.name}: {where} needs {key!r}.")
    cols = tuple(_column(path, c, s["name"], local) for c in s["columns"])
    sheet = SheetSpec(
        name=s["name"], table=s["table"], columns=cols, synonyms=tuple(s.get("synonyms", ())),
        description=s.get("description", ""), rules=_rules(path, s.get("rules", []), "sheet", where),
        unique_together=tuple(s.get("unique_together", ())),
    )
    fields = {c.field for c in cols}
    if set(sheet.unique_together) - fields:
        raise SpecError(f"{path.name}: {where}: unique_together names {sorted(set(sheet.unique_together) - fields)}, "
                        "which are not its columns.")
    if (any(c.unique for c in cols) or sheet.unique_together) and \
            "DUPLICATE_ID" not in {r["code"] for r in sheet.rules}:
        raise SpecError(f"{path.name}: {where} has columns whose values must be unique: add "
                        "{ code = \"DUPLICATE_ID\" } to its rules.")
    if any(c.child_table for c in cols) and sheet.id_column is None:
        raise SpecError(f"{path.name}: {where} stores codes in a child table, so it needs a unique id column for "
                        "the child rows to hang from.")
    return sheet


def load_spec(path: Path) -> ReturnSpec:
    """The spec in `path`, checked: SpecError names the file and what to fix."""
    path = Path(path)
    raw = _keys(path, read_spec_file(path), RETURN_KEYS, "the return")
    for key in ("version", "sheets"):
        if key not in raw:
            raise SpecError(f"{path.name}: the return needs {key!r}.")
    measures = tuple(MeasureSpec(m["code"], m["label"], m.get("kind", "rate"), m.get("help", ""))
                     for m in (_keys(path, m, MEASURE_KEYS, "a measure") for m in raw.get("measures", [])))
    local = {}
    for key, cl in raw.get("codelists", {}).items():
        _keys(path, cl, CODELIST_KEYS, f"codelist {key}")
        values = tuple(cl.get("values", ())) or tuple(m.code for m in measures)
        synonyms = dict(cl.get("synonyms", {}))
        if key == "measure_code":
            synonyms.update({m.label: m.code for m in measures})
        local[key] = Codelist(key, cl.get("name", key), values, synonyms)
    sheets = tuple(_sheet(path, s, local) for s in raw["sheets"])
    period_from = []
    for p in raw.get("period_from", []):
        _keys(path, p, PERIOD_FROM_KEYS, "period_from")
        sheet = next((s for s in sheets if s.name == p.get("sheet")), None)
        if sheet is None or p.get("field") not in {c.field for c in sheet.columns}:
            raise SpecError(f"{path.name}: period_from names {p.get('sheet')!r} {p.get('field')!r}, which is not a "
                            "sheet and column of the return.")
        period_from.append((p["sheet"], p["field"]))
    return ReturnSpec(
        type=raw["type"], title=raw["title"], version=str(raw["version"]), sheets=sheets,
        made_by=raw.get("made_by", ""), description=raw.get("description", ""),
        file_name_words=tuple(raw.get("file_name_words", ())), period_from=tuple(period_from),
        rules=_rules(path, raw.get("rules", []), "return", "the return"), measures=measures, local_codelists=local,
        framework_measures=raw.get("framework_measures"),
    )


def get_spec(return_type: str) -> ReturnSpec:
    """The return's spec. For a return that collects framework measures (`framework_measures` in its file), the
    measures and the measure codes accepted are the framework's measures for it (framework.toml, re-read
    when it changes) followed by any the spec file lists that the framework does not (yet) define."""
    if return_type not in RETURN_TYPES:
        raise KeyError(f"Unknown return type {return_type!r}; use {', '.join(RETURN_TYPES)}.")
    base = _base_spec(return_type)
    if not base.framework_measures:
        return base
    return _with_framework(return_type, _framework_measures(base.framework_measures))


@lru_cache(maxsize=None)
def _base_spec(return_type: str) -> ReturnSpec:
    return load_spec(spec_files()[return_type])


def _framework_measures(applies_to: str) -> tuple[MeasureSpec, ...]:
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
        out.append(MeasureSpec(m.id, m.name, "rate" if rate else "count", help_text, m.partner_types))
    return tuple(out)


@lru_cache(maxsize=16)
def _with_framework(return_type: str, from_framework: tuple[MeasureSpec, ...]) -> ReturnSpec:
    base = _base_spec(return_type)
    own = {m.code: m for m in base.measures}
    codes = {m.code for m in from_framework}
    measures = tuple(
        MeasureSpec(m.code, m.label, m.kind, own[m.code].help if m.code in own and own[m.code].help else m.help,
                    m.partner_types)
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
            lines += ["", "Checks on this sheet: " + "; ".join(RULES[r["code"]].title for r in sheet.rules) + "."]
    if spec.rules:
        lines += ["", "Checks on the whole return: " + "; ".join(RULES[r["code"]].title for r in spec.rules) + "."]
    if spec.measures:
        lines += ["", "#### Measures", "", "| Code | Measure | Kind | What to enter |", "|---|---|---|---|"]
        lines += [f"| `{m.code}` | {m.label} | {m.kind} | {m.help} |" for m in spec.measures]
    return "\n".join(lines)
