"""Spec-driven cleaning: find sheets and header rows, match headings, convert types and codes.

Real-world mess is cleaned, not rejected: title rows above the header, blank rows (including cells holding
only spaces), a trailing Total row and note rows after the data ('Source: Mosaic extract 03/10/2025'), numbers
with commas or '.0', IDs with stray spaces or lower case, UK dates written as text (with or without a time).
Conversion is vectorised: each column is factorised and only its distinct values are examined in
Python, so a 100,000-row sheet with 90 distinct dates parses 90 dates, not 100,000.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from assurance.reference.codelists import Codelist, broad_ethnicity, codelist, normalise
from assurance.returns.read import TEMPLATE_INFO_SHEET, RawSheet, RawWorkbook
from assurance.returns.rules import Context, display, plain_list
from assurance.returns.specs import ColumnSpec, ReturnSpec, SheetSpec

HEADER_SCAN_ROWS = 30
MAX_ID_LENGTH = 60
# The largest count a quarterly return may hold: more is a slip (an extra digit, a pasted reference), and it keeps
# every count, and any sum of them, far inside the 64-bit integer columns.
MAX_COUNT = 10_000_000
EXCEL_MAX_CELL = 32_767  # characters an Excel cell can hold
MAX_EXACT_FLOAT = 1e15  # Excel keeps 15 significant digits: a number ID this big has lost some
# A number as typed: digits with commas only between groups of three, an optional decimal part and exponent.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?", re.ASCII)
_SPACE_BETWEEN_DIGITS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d)")
_PAREN = re.compile(r"\([^)]*\)")
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b", re.IGNORECASE)
_SPLIT_CODES = re.compile(r"[;|\n]+|,(?!\s*they)")  # 'Yes, they lacked capacity' keeps its comma
_TOTAL = re.compile(r"^(grand )?totals?\b")
EXCEL_EPOCH = date(1899, 12, 30)
_TIME_OF_DAY = re.compile(  # a time after a date: '2025-10-03 00:00:00.000' (SQL), '03/10/2025 14:05', ISO with a zone
    r"(?<=\d)(?:[ T]|\s*-\s*)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?m\.?|z|utc|gmt|bst|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_DAY_MONTH_YEAR = re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4}|\d{2})")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
DATE_FORMATS = (
    "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d-%m-%y", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%Y/%m/%d",
    "%d %B %Y", "%d %b %Y", "%d %B %y", "%d %b %y", "%d-%b-%Y", "%d-%b-%y", "%d-%B-%Y", "%B %d %Y",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y%m%d",
)
# Extra outputs for column types that fill two database columns.
TWIN_FIELDS = {"ethnicity": ("ethnicity_detailed", "ethnicity_broad"), "partner": (None, "_partner_id")}


@dataclass
class CleanSheet:
    name: str  # as the user sees it in the workbook
    spec: SheetSpec
    rows: np.ndarray  # Excel row number of each data row
    values: dict[str, np.ndarray] = field(default_factory=dict)
    raw: dict[str, np.ndarray] = field(default_factory=dict)
    blank: dict[str, np.ndarray] = field(default_factory=dict)
    bad: dict[str, np.ndarray] = field(default_factory=dict)  # blank-but-needed, wrong type or unknown code
    letters: dict[str, str] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)
    header_row: int = 0

    @property
    def n(self) -> int:
        return len(self.rows)

    def ok(self, *fields: str) -> np.ndarray:
        """Rows where every named field is present, filled and valid."""
        mask = np.ones(self.n, dtype=bool)
        for f in fields:
            if f not in self.present:
                return np.zeros(self.n, dtype=bool)
            mask &= ~self.blank[f] & ~self.bad[f]
        return mask


def header_key(text: object) -> str:
    """Headings compared without case, notes in brackets, asterisks, spaces or punctuation:
    'Person I.D.', 'PERSON  ID', 'PersonID' and 'Person-ID' all match 'Person ID'."""
    s = _PAREN.sub(" ", str(text)).replace("*", " ")
    return normalise(s).replace(" ", "")


def is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and np.isnan(v))


# --- sheets and headers ----------------------------------------------------------------------------

def match_sheets(wb: RawWorkbook, spec: ReturnSpec) -> dict[str, str]:
    """Spec sheet name -> workbook sheet name, by name (or synonym), else by recognisable headings."""
    candidates = [n for n in wb.sheet_names if n != TEMPLATE_INFO_SHEET and n not in wb.hidden]
    by_key = {header_key(n): n for n in candidates}
    out: dict[str, str] = {}
    for s in spec.sheets:
        for name in (s.name, *s.synonyms):
            hit = by_key.get(header_key(name))
            if hit and hit not in out.values():
                out[s.name] = hit
                break
    for s in spec.sheets:
        if s.name in out:
            continue
        best, best_score = None, 1
        for n in candidates:
            if n in out.values():
                continue
            _, _, score = find_header(wb.sheet(n).head(HEADER_SCAN_ROWS), s)
            if score > best_score:
                best, best_score = n, score
        if best:
            out[s.name] = best
    return out


def _lookup(sheet: SheetSpec) -> dict[str, ColumnSpec]:
    lookup: dict[str, ColumnSpec] = {}
    for c in sheet.columns:
        lookup.setdefault(header_key(c.header), c)
    for c in sheet.columns:
        for syn in c.synonyms:
            lookup.setdefault(header_key(syn), c)
    return lookup


def find_header(rows: list[list], sheet: SheetSpec) -> tuple[int | None, dict[int, ColumnSpec], int]:
    """(index of the header row, {column index: column}, how many distinct columns it names)."""
    lookup = _lookup(sheet)
    best_i, best_map, best_score = None, {}, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping = {j: lookup[k] for j, v in enumerate(row) if isinstance(v, str) and (k := header_key(v)) in lookup}
        score = len({c.field for c in mapping.values()})
        if score > best_score:
            best_i, best_map, best_score = i, mapping, score
    needed = min(2, len(sheet.columns))
    return (best_i, best_map, best_score) if best_score >= needed else (None, {}, best_score)


# --- the whole workbook ----------------------------------------------------------------------------

def clean_workbook(wb: RawWorkbook, spec: ReturnSpec, ctx: Context, partners=(), progress=None) -> dict[str, CleanSheet]:
    sheet_map = match_sheets(wb, spec)
    out = {}
    for k, s in enumerate(spec.sheets):
        if progress:
            progress(0.25 + 0.45 * k / len(spec.sheets), f"Checking sheet {s.name}")
        if s.name not in sheet_map and wb.kind == "csv":
            names = " and ".join(x.name for x in spec.sheets)
            ctx.add("MISSING_SHEET", f"The {spec.title.lower()} has {len(spec.sheets)} sheets ({names}), and a CSV file "
                    f"holds only one, so this file cannot carry the {s.name.lower()}.",
                    f"Send the return as an .xlsx workbook: fill in the template's {names} sheets.", sheet=s.name)
            continue
        if s.name not in sheet_map:
            found = ", ".join(n for n in wb.sheet_names if n != TEMPLATE_INFO_SHEET) or "none"
            ctx.add("MISSING_SHEET", f"The return needs a sheet called {s.name} ({s.description.lower()}); "
                    f"the workbook has: {found}.", f"Add a sheet called {s.name}, or rename the sheet that holds "
                    f"the {s.name.lower()}, or use the latest template.", sheet=s.name)
            continue
        sheet = clean_sheet(wb.sheet(sheet_map[s.name]), s, spec, ctx, partners)
        if sheet is not None:
            out[s.name] = sheet
    ctx.sheets = out
    return out


def clean_sheet(raw: RawSheet, s: SheetSpec, spec: ReturnSpec, ctx: Context, partners=()) -> CleanSheet | None:
    head = raw.head(HEADER_SCAN_ROWS)
    header_i, mapping, _ = find_header(head, s)
    if header_i is None:
        ctx.add("HEADER_NOT_FOUND", f"Sheet {raw.name} has no row of column headings we recognise in its first "
                f"{HEADER_SCAN_ROWS} rows (we look for {plain_list(c.header for c in s.columns if c.mandatory)}).",
                sheet=raw.name)
        return None
    header_row = raw.row_offset + header_i + 1
    letter = lambda j: get_column_letter(raw.col_offset + j + 1)  # noqa: E731
    header = head[header_i]
    arr = raw.body(header_i + 1, len(header))  # read only: rows are chosen below by indexing, never changed
    keep = ~_blank_rows(arr)
    _drop_totals_and_notes(arr, keep, header, mapping, spec)
    idx = np.flatnonzero(keep)
    arr = arr[idx]
    rows = header_row + 1 + idx
    sheet = CleanSheet(raw.name, s, rows.astype(np.int64), header_row=header_row)

    seen: dict[str, int] = {}
    for j, col in sorted(mapping.items()):
        if col.field in seen:
            ctx.add("DUPLICATE_COLUMN", f"The heading {col.header} appears twice on sheet {raw.name}: in column "
                    f"{letter(seen[col.field])} and column {letter(j)}.", sheet=raw.name, row=header_row,
                    column=letter(j), field_name=col.header, value=header[j])
            continue
        seen[col.field] = j
    for j, v in enumerate(header):
        if is_blank(v) and j not in mapping and len(arr) and not np.all(_IS_BLANK(arr[:, j]).astype(bool)):
            ctx.add("EMPTY_HEADER", f"Column {letter(j)} on sheet {raw.name} holds data but has no heading, so it was "
                    "ignored.", sheet=raw.name, row=header_row, column=letter(j))
    for col in s.columns:
        if col.field not in seen and col.mandatory:
            ctx.add("MISSING_COLUMN", f"Sheet {raw.name} has no {col.header} column (headings are in row {header_row}).",
                    f"Add a column headed {col.header}" + (f" ({col.help})" if col.help else "") + ".",
                    sheet=raw.name, row=header_row, field_name=col.header)
    if not len(arr):
        ctx.add("NO_DATA", f"Sheet {raw.name} has its headings (row {header_row}) but no rows of data.",
                sheet=raw.name, row=header_row)
    for col in s.columns:
        j = seen.get(col.field)
        if j is None:
            _absent(sheet, col)
            continue
        sheet.present.add(col.field)
        sheet.letters[col.field] = letter(j)
        convert_column(sheet, col, arr[:, j] if len(arr) else np.empty(0, dtype=object), spec, ctx, partners)
    return sheet


_IS_BLANK = np.frompyfunc(is_blank, 1, 1)
_NOTE_WORDS = re.compile(r"^(source|sources|note|notes|nb|data|extract|extracted|prepared|produced|generated|"
                         r"compiled|printed|run|report|figures|caveat|please)\b")
MAX_TRAILING_NOTES = 20


def _blank_rows(arr: np.ndarray) -> np.ndarray:
    """Rows that look empty: readers give '' for an empty cell, and a cell holding only spaces (or non-breaking
    spaces) looks empty too. A row can only be blank if its first cell is, so only those rows are examined
    cell by cell (a 100,000-row sheet costs one pass over its first column)."""
    if not arr.size:
        return np.ones(len(arr), bool)
    first = arr[:, 0]
    rows = np.flatnonzero(np.fromiter((type(v) is str and not v.strip() for v in first), bool, count=len(first)))
    blank = np.zeros(len(arr), bool)
    if len(rows):
        blank[rows] = _IS_BLANK(arr[rows]).astype(bool).all(axis=1)
    return blank


def _is_total(row) -> bool:
    first = next((v for v in row if not is_blank(v)), "")
    return isinstance(first, str) and bool(_TOTAL.match(normalise(first)))


def _recognised(value: str, col: ColumnSpec | None, spec: ReturnSpec) -> bool:
    """Whether `value` is a valid entry for a code column (so the row is data, not a note)."""
    if col is None:
        return False
    if col.type in ("code", "codes") and col.codelist:
        return spec.codelist(col.codelist).match(value) is not None
    if col.type == "ethnicity":
        return broad_ethnicity(value)[1] is not None
    return False


def _note_text(row, first_col: int, mapping: dict[int, ColumnSpec], spec: ReturnSpec) -> str | None:
    """The text of a row that holds only a note: one or two text cells at the start of the row, every other
    cell (so every other mandatory column) blank. None for anything else."""
    filled = [(j, v) for j, v in enumerate(row) if not is_blank(v)]
    if not filled or len(filled) > 2:
        return None
    if any(not isinstance(v, str) or j > first_col + 1 for j, v in filled):
        return None
    if any(_recognised(v, mapping.get(j), spec) for j, v in filled):
        return None
    return " ".join(v.strip() for _, v in filled)


def _looks_like_note(text: str) -> bool:
    """Without a Total row above it, a row is only taken for a note if it reads like one ('Source: Mosaic extract
    03/10/2025', 'Note: figures are provisional'): an ID or a code left alone on a row is unfinished data."""
    key = normalise(text)
    return bool(_NOTE_WORDS.match(key) or text.lstrip().startswith("*")) or len(text.split()) >= 3


def _drop_totals_and_notes(arr: np.ndarray, keep: np.ndarray, header: list, mapping: dict[int, ColumnSpec],
                           spec: ReturnSpec) -> None:
    """Unmark (in `keep`) the summary and note rows after the data: Total rows, and text-only note rows below
    a Total row or at the very end (e.g. a Total row followed by 'Source: Mosaic extract 03/10/2025')."""
    first_col = next((j for j, v in enumerate(header) if not is_blank(v)), 0)
    notes: list[tuple[int, str]] = []
    i = len(arr) - 1
    while i >= 0 and len(notes) <= MAX_TRAILING_NOTES:
        if not keep[i]:
            i -= 1
            continue
        row = arr[i]
        if _is_total(row):
            keep[i] = False
            for k, _text in notes:
                keep[k] = False
            notes = []
            i -= 1
            continue
        text = _note_text(row, first_col, mapping, spec)
        if text is None:
            break
        notes.append((i, text))
        i -= 1
    if len(notes) > MAX_TRAILING_NOTES:  # that many text-only rows are data, however sparse
        return
    # Trailing rows with no Total row above them: drop only the ones that read like notes.
    for k, text in notes:
        if _looks_like_note(text):
            keep[k] = False


def _absent(sheet: CleanSheet, col: ColumnSpec) -> None:
    n = sheet.n
    empty = np.full(n, None, dtype=object)
    sheet.values[col.field] = empty
    sheet.raw[col.field] = empty
    sheet.blank[col.field] = np.ones(n, bool)
    sheet.bad[col.field] = np.zeros(n, bool)
    if col.type == "date":
        sheet.values[col.field] = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    for twin in _twins(col):
        sheet.values[twin] = empty


def _twins(col: ColumnSpec) -> list[str]:
    if col.type == "ethnicity":
        return list(TWIN_FIELDS["ethnicity"])
    if col.type == "partner":
        return [col.field + "_partner_id"]
    return []


# --- converting one column -------------------------------------------------------------------------

def convert_column(sheet: CleanSheet, col: ColumnSpec, raw: np.ndarray, spec: ReturnSpec, ctx: Context, partners=()) -> None:
    cl = spec.codelist(col.codelist) if col.codelist else None
    fn = _converter(col, cl, partners)
    if col.type == "id":
        _convert_ids(sheet, col, raw, ctx, fn)
        return
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    results = [_converted(u, col, fn) for u in uniques]
    n_u = len(uniques)
    blank_u = np.array([r is _BLANK for r in results] + [True], dtype=bool)  # last slot: NA sentinel -1
    problem_u = [None if r is _BLANK or not isinstance(r, Problem) else r for r in results] + [None]
    codes = np.where(codes < 0, n_u, codes)
    blank = blank_u[codes]
    sheet.raw[col.field] = raw
    sheet.blank[col.field] = blank

    def value_of(r):
        return None if r is _BLANK or isinstance(r, Problem) else r

    if col.type == "date":
        vals_u = np.array([r if isinstance(r, np.datetime64) else np.datetime64("NaT") for r in results]
                          + [np.datetime64("NaT")], dtype="datetime64[D]")
        sheet.values[col.field] = vals_u[codes]
    elif col.type in ("ethnicity", "partner"):
        pairs = [value_of(r) or (None, None) for r in results] + [(None, None)]
        first = np.array([p[0] for p in pairs] + [None], dtype=object)[:-1]
        second = np.array([p[1] for p in pairs] + [None], dtype=object)[:-1]
        names = _twins(col)
        if col.type == "ethnicity":
            sheet.values[col.field] = first[codes]
            sheet.values[names[0]], sheet.values[names[1]] = first[codes], second[codes]
        else:
            sheet.values[col.field] = first[codes]
            sheet.values[names[0]] = second[codes]
    else:
        vals_u = np.empty(n_u + 1, dtype=object)
        if col.type == "codes":  # tuples: assign one by one so numpy does not unpack them
            for k, r in enumerate(results):
                vals_u[k] = value_of(r)
        else:
            vals_u[:n_u] = [value_of(r) for r in results]
        vals_u[n_u] = None
        sheet.values[col.field] = vals_u[codes]

    kinds = {}
    for k, p in enumerate(problem_u[:-1]):
        if p is not None:
            kinds.setdefault(p.code, []).append(k)
    by_value = {uniques[k]: problem_u[k] for ks in kinds.values() for k in ks}
    _report(sheet, col, cl, ctx, {code: np.isin(codes, ks) for code, ks in kinds.items()}, by_value)


def _converted(u: object, col: ColumnSpec, fn):
    return _over_long(u, col) if type(u) is str and len(u) > EXCEL_MAX_CELL else fn(u)


def _report(sheet: CleanSheet, col: ColumnSpec, cl: Codelist | None, ctx: Context, masks: dict[str, np.ndarray],
            by_value: dict) -> None:
    """Blank mandatory cells and each kind of problem (masks: code -> rows; by_value: raw value -> Problem) become
    issues, and the rows they mark are bad."""
    blank = sheet.blank[col.field]
    bad = np.zeros(len(blank), bool)
    if col.required_cells and blank.any():
        bad |= blank
        ctx.add_cells("MANDATORY_BLANK", sheet, col.field, blank, lambda v, i: f"{col.header} is blank.",
                      lambda v, i: _blank_fix(col, cl))
    for code, mask in masks.items():
        bad |= mask
        ctx.add_cells(code, sheet, col.field, mask, lambda v, i: by_value[v].message, lambda v, i: by_value[v].fix)
    sheet.bad[col.field] = bad


_INNER_SPACE = re.compile(r"\s")


def _convert_ids(sheet: CleanSheet, col: ColumnSpec, raw: np.ndarray, ctx: Context, fn) -> None:
    """IDs are nearly all distinct, so hashing them to convert each distinct value once saves nothing: each cell is
    stripped and upper-cased in one pass over the column, and only the unusual cells (blank, not text, spaces inside,
    too long) go through the full converter."""
    n = len(raw)
    values = np.empty(n, dtype=object)
    values[:] = [v.strip().upper() if type(v) is str else None for v in raw]
    odd = pd.isna(values) | (values == "")
    text = values[~odd]
    # Spaces inside or too long: one scan of the whole column finds whether any cell needs a closer look.
    if len(text) and _INNER_SPACE.search("\x00".join(text)):
        odd[~odd] = np.fromiter((_INNER_SPACE.search(v) is not None for v in text), bool, count=len(text))
        text = values[~odd]
    if len(text):
        odd[~odd] = np.fromiter(map(len, text), np.int64, count=len(text)) > MAX_ID_LENGTH
    blank = np.zeros(n, bool)
    masks: dict[str, np.ndarray] = {}
    by_value: dict = {}
    for i in np.flatnonzero(odd):
        r = _converted(raw[i], col, fn)
        if r is _BLANK:
            blank[i], values[i] = True, None
        elif isinstance(r, Problem):
            values[i] = None
            masks.setdefault(r.code, np.zeros(n, bool))[i] = True
            by_value[raw[i]] = r
        else:
            values[i] = r
    sheet.raw[col.field], sheet.values[col.field], sheet.blank[col.field] = raw, values, blank
    _report(sheet, col, None, ctx, masks, by_value)


def _over_long(u: str, col: ColumnSpec) -> Problem:
    return Problem("CELL_TOO_LONG", f"{col.header} holds {len(u):,} characters, more than the {EXCEL_MAX_CELL:,} an "
                   "Excel cell can hold, so it cannot have come from Excel as it is.",
                   f"Check what is in the cell and enter the {col.header.lower()} again (the template's cell, at most "
                   f"{EXCEL_MAX_CELL:,} characters).")


class Problem:
    __slots__ = ("code", "message", "fix")

    def __init__(self, code: str, message: str, fix: str | None = None):
        self.code, self.message, self.fix = code, message, fix


_BLANK = object()


def _blank_fix(col: ColumnSpec, cl: Codelist | None) -> str:
    if col.type == "ethnicity":
        return "Enter the ethnic group, or “Undeclared / Not known” if it was not recorded."
    if col.type == "age":
        return "Enter the age in whole years, or “Not known”."
    if col.type == "date":
        return f"Enter the {col.header.lower()} as dd/mm/yyyy."
    if col.type == "integer":
        return "Enter a whole number (0 if there were none)."
    if cl is not None:
        return f"Choose one of {plain_list(cl.values)}."
    return f"Enter the {col.header.lower()}."


def _converter(col: ColumnSpec, cl: Codelist | None, partners):
    header = col.header
    if col.type == "id":
        def conv(u):
            if type(u) is str:  # the usual case, kept fast: IDs are nearly all distinct
                s = u.strip().upper()
                if " " in s or "\t" in s or "\n" in s or "\xa0" in s:
                    s = " ".join(s.split())
            elif is_blank(u):
                return _BLANK
            elif isinstance(u, float) and not abs(u) < MAX_EXACT_FLOAT:  # infinite, or digits lost
                return Problem("BAD_ID", f"{header} “{display(u)}” is a number too large to be an ID.",
                               "Format the column as Text in Excel and type the ID again (Excel keeps only 15 digits "
                               "of a number).")
            else:
                s = str(int(u)) if isinstance(u, float) and u.is_integer() else display(u).strip().upper()
            if len(s) > MAX_ID_LENGTH:
                return Problem("TOO_LONG", f"{header} “{s[:40]}...” is {len(s)} characters long; IDs can be at most "
                               f"{MAX_ID_LENGTH}.", "Use the short reference from your system, not a description.")
            return s or _BLANK
        return conv
    if col.type == "text":
        def text(u):
            if is_blank(u):
                return _BLANK
            s = display(u).strip()
            if col.max_length and len(s) > col.max_length:
                return Problem("TOO_LONG", f"{header} is {len(s)} characters long; at most {col.max_length} fit.",
                               "Shorten the text.")
            return s
        return text
    if col.type == "date":
        return lambda u: _BLANK if is_blank(u) else parse_date(u, header)
    if col.type == "integer":
        return lambda u: _BLANK if is_blank(u) else parse_whole(u, header)
    if col.type == "age":
        bands = codelist("age_band")
        return lambda u: _BLANK if is_blank(u) else parse_age(u, bands)
    if col.type == "code":
        return lambda u: _BLANK if is_blank(u) else _code(u, cl, header)
    if col.type == "codes":
        return lambda u: _BLANK if is_blank(u) else _codes(u, cl, header)
    if col.type == "ethnicity":
        return lambda u: _BLANK if is_blank(u) else _ethnicity(u, header)
    if col.type == "partner":
        index = _partner_index(partners)
        return lambda u: _BLANK if is_blank(u) else _partner(u, index, partners)
    raise ValueError(col.type)


# Letters from other scripts that look like plain letters (Cyrillic and Greek), with the plain letter they mimic.
_LOOK_ALIKES = str.maketrans(
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0423\u0425\u0405\u0406\u0408"
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0455\u0456\u0458\u0501\u051b\u051d"
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7"
    "\u03b1\u03b9\u03ba\u03bd\u03bf\u03c1\u03c5",
    "ABEKMHOPCTYXSIJaeopcyxsijdqwABEZHIKMNOPTYXaikvopu",
)


def foreign_digits(text: str) -> str | None:
    """The digits in `text` that are not 0 to 9 (Arabic-Indic, fullwidth, Devanagari...), each once, or None."""
    if text.isascii():
        return None
    found = list(dict.fromkeys(c for c in text if c.isdigit() and not c.isascii()))
    return " ".join(f"“{c}”" for c in found) if found else None


def _letter_name(c: str) -> str:
    name = unicodedata.name(c, "").lower()
    for word in ("cyrillic", "greek", "latin"):
        name = name.replace(word, word.capitalize())
    return name or f"U+{ord(c):04X}"


def look_alikes(text: str) -> tuple[str, list[str]]:
    """(`text` with look-alike letters replaced by the plain letters they mimic, the look-alike characters)."""
    if text.isascii():
        return text, []
    plain = unicodedata.normalize("NFKC", text.translate(_LOOK_ALIKES))
    odd = [c for c in dict.fromkeys(text) if not c.isascii() and c.isalnum()
           and unicodedata.normalize("NFKC", c.translate(_LOOK_ALIKES)).isascii()]
    return plain, odd


def _look_alike_problem(u: object, header: str, match) -> Problem | None:
    """A code typed with look-alike letters (Cyrillic 'А' for 'A'): say so, and which code was probably meant."""
    text = display(u)
    plain, odd = look_alikes(text)
    if not odd:
        return None
    which = ", ".join(f"“{c}” ({_letter_name(c)})" for c in odd)
    what = "a look-alike character that is not a plain letter" if len(odd) == 1 else \
        "look-alike characters that are not plain letters"
    meant = match(plain)
    fix = f"Retype it with plain letters: did you mean “{meant}”?" if meant else "Retype it with plain letters (A to Z)."
    return Problem("UNKNOWN_CODE", f"{header} “{_short(text)}” contains {what}: {which}.", fix)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def read_number(u: object) -> tuple[int | float | None, str]:
    """A cell as a number: (value, '') or (None, why not): 'digits' (digits of another script), 'separators'
    (commas or spaces not between groups of three digits), 'words' (not a number at all). An infinite or NaN
    value comes back as the float it is, for the caller to refuse."""
    if isinstance(u, bool):
        return None, "words"
    if isinstance(u, (int, float)):
        return u, ""
    if not isinstance(u, str):
        return None, "words"
    if foreign_digits(u):
        return None, "digits"
    text = _SPACE_BETWEEN_DIGITS.sub(",", u.strip())
    if not _PLAIN_NUMBER.fullmatch(text):
        if re.fullmatch(r"[+-]?[\d,.]*\d[\d,.]*", text, re.ASCII):
            return None, "separators"
        try:
            return float(text), ""  # 'inf', 'nan', 'Infinity': numbers to Python, not to a person
        except ValueError:
            return None, "words"
    text = text.replace(",", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text), ""
    return float(text), ""


def parse_date(u: object, header: str = "Date") -> date | Problem:
    d = None
    if isinstance(u, datetime):
        d = u.date()
    elif isinstance(u, date):
        d = u
    elif isinstance(u, (int, float)) and not isinstance(u, bool):
        if 20000 <= u <= 80000:  # an Excel serial day number that lost its date format
            d = EXCEL_EPOCH + timedelta(days=int(u))
    elif isinstance(u, str):
        if len(u) > 60:
            return Problem("BAD_DATE", f"{header} “{_short(u)}” is not a date we can read.",
                           "Write the date as dd/mm/yyyy, for example 03/07/2025 (day first).")
        if digits := foreign_digits(u):
            return Problem("BAD_DATE", f"{header} “{u}” is written with digits that are not 0 to 9: {digits}.",
                           "Retype the date with the digits 0 to 9, as dd/mm/yyyy.")
        text = _ORDINAL.sub(r"\1", " ".join(u.replace(",", " ").split()))
        text = _TIME_OF_DAY.sub("", text)  # '2025-10-03 00:00:00.000' (SQL), '03/10/2025 14:05', ISO with a zone
        text = re.sub(r"(?i)\bsept\b", "Sep", text)
        for fmt in DATE_FORMATS:
            try:
                d = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if d is None and re.fullmatch(r"\d{5}(\.0+)?", text):
            d = EXCEL_EPOCH + timedelta(days=int(float(text)))
    if d is None and isinstance(u, str) and (shape := _DAY_MONTH_YEAR.fullmatch(text)):
        day, month = int(shape["day"]), int(shape["month"])
        if 1 <= month <= 12:
            return Problem("BAD_DATE", f"{header} “{display(u)}” is not a real date: {MONTH_NAMES[month - 1]} has no "
                           f"day {day}.", "Check the day and the month against the case record (dd/mm/yyyy).")
        if 1 <= day <= 12 and month <= 31:
            return Problem("BAD_DATE", f"{header} “{display(u)}” has no month {month}: it looks written month first.",
                           f"Write it day first: {month:02d}/{day:02d}/{shape['year']}.")
    if d is None:
        return Problem("BAD_DATE", f"{header} “{display(u)}” is not a date we can read.",
                       "Write the date as dd/mm/yyyy, for example 03/07/2025 (day first).")
    if not 1990 <= d.year <= 2100:
        return Problem("BAD_DATE", f"{header} “{display(u)}” gives the year {d.year}, which cannot be right.",
                       "Check the year and write the date as dd/mm/yyyy.")
    return np.datetime64(d, "D")


def parse_whole(u: object, header: str = "Number") -> int | Problem:
    v, why = read_number(u)
    shown = _short(display(u))
    if why == "digits":
        return Problem("BAD_NUMBER", f"{header} “{shown}” is written with digits that are not 0 to 9: "
                       f"{foreign_digits(u)}.", "Retype the number with the digits 0 to 9.")
    if why == "separators":
        return Problem("BAD_NUMBER", f"{header} “{shown}” has a thousands separator in the wrong place, so it is not "
                       "clear what number is meant.", "Enter the count as digits, e.g. 1234 or 1,234 (a comma only "
                       "between groups of three digits).")
    if v is None or v != v:  # words, or NaN
        return Problem("BAD_NUMBER", f"{header} “{shown}” is not a number.",
                       "Enter a whole number such as 1234 (no words or symbols).")
    if isinstance(v, float) and not np.isfinite(v):
        return Problem("BAD_NUMBER", f"{header} “{shown}” is not a whole number we can store.",
                       f"Enter the count as digits, e.g. 1234 (at most {MAX_COUNT:,}).")
    if isinstance(v, float) and not v.is_integer():
        return Problem("BAD_NUMBER", f"{header} “{shown}” is not a whole number.",
                       f"Enter a whole number (a count of people), e.g. {round(v)}.")
    if v < 0:
        return Problem("BAD_NUMBER", f"{header} “{shown}” is negative.", "Enter a count of 0 or more.")
    if v > MAX_COUNT:
        return Problem("BAD_NUMBER", f"{header} “{shown}” is more than {MAX_COUNT:,}, far larger than any count in a "
                       "quarterly return.", "Check the figure and enter the count for the quarter.")
    return int(v)


def parse_age(u: object, bands: Codelist) -> str | Problem:
    from assurance.reference.codelists import age_band_for

    years = None
    if isinstance(u, (int, float)) and not isinstance(u, bool):
        years = float(min(u, 1000))  # a huge int would not fit a float
    elif isinstance(u, str):
        if digits := foreign_digits(u):
            return Problem("BAD_AGE", f"Age “{_short(u)}” is written with digits that are not 0 to 9: {digits}.",
                           "Retype the age with the digits 0 to 9, in whole years, e.g. 82.")
        text = re.sub(r"(?i)\s*(years?|yrs?|y\.?o\.?)$", "", u.strip())
        value, why = read_number(text)
        if value is not None:
            years = float(min(value, 1000))
        else:
            label = bands.match(u)
            if label:
                return label
            s = bands.suggest(u)
            return Problem("BAD_AGE", f"Age “{_short(display(u))}” is neither an age in years nor an age band.",
                           f"Did you mean “{s}”?" if s else f"Enter whole years (e.g. 82) or a band: {plain_list(bands.values)}.")
    if years is None:
        return Problem("BAD_AGE", f"Age “{display(u)}” is not an age.", "Enter the age in whole years, e.g. 82.")
    if not np.isfinite(years) or not years.is_integer() or years < 0 or years > 125:
        return Problem("BAD_AGE", f"Age “{display(u)}” is not a believable age in whole years.",
                       "Enter the age in whole years, e.g. 82.")
    band = age_band_for(int(years))
    if band is None:
        return Problem("AGE_UNDER_18", f"Age {int(years)} is under 18; this return covers adults (18 and over) only.")
    return band


def _code(u: object, cl: Codelist, header: str) -> str | Problem:
    label = cl.match(display(u))
    if label is not None:
        return label
    return _unknown(u, cl, header)


def _unknown(u: object, cl: Codelist, header: str) -> Problem:
    if p := _look_alike_problem(u, header, cl.match):
        return p
    s = cl.suggest(display(u))
    fix = f"Did you mean “{s}”?" if s else f"Use one of {plain_list(cl.values)}."
    return Problem("UNKNOWN_CODE", f"{header} “{display(u)}” is not in the {cl.name.lower()} list.", fix)


def _codes(u: object, cl: Codelist, header: str) -> tuple | Problem:
    labels = []
    for part in _SPLIT_CODES.split(display(u)):
        if not part.strip():
            continue
        label = cl.match(part)
        if label is None:
            p = _unknown(part.strip(), cl, header)
            if p.message.endswith("list."):
                p.message = f"{header} “{_short(display(u))}”: “{part.strip()}” is not in the {cl.name.lower()} list."
            return p
        if label not in labels:
            labels.append(label)
    return tuple(labels) if labels else _BLANK


def _ethnicity(u: object, header: str) -> tuple | Problem:
    detailed, broad = broad_ethnicity(display(u))
    if broad is not None:
        return detailed, broad
    if p := _look_alike_problem(u, header, lambda t: broad_ethnicity(t)[0] or broad_ethnicity(t)[1]):
        return p
    s = codelist("ethnicity_detailed").suggest(display(u)) or codelist("ethnicity_broad").suggest(display(u))
    fix = f"Did you mean “{s}”?" if s else "Use a detailed ethnic group from the template's list (or the broad group)."
    return Problem("UNKNOWN_CODE", f"{header} “{display(u)}” is not an ethnic group we recognise.", fix)


def _partner_index(partners) -> dict[str, object]:
    index: dict[str, object] = {}
    types: dict[str, list] = {}
    for p in partners:
        index[normalise(p.code)] = p
        index[normalise(p.name)] = p
        types.setdefault(normalise(p.type), []).append(p)
    for t, ps in types.items():
        if len(ps) == 1:
            index.setdefault(t, ps[0])
    return index


def _partner(u: object, index: dict, partners) -> tuple | Problem:
    p = index.get(normalise(display(u)))
    if p is not None:
        return p.name, p.id
    if bad := _look_alike_problem(u, "Agency", lambda t: (q := index.get(normalise(t))) and q.name):
        return bad
    import difflib

    close = difflib.get_close_matches(normalise(display(u)), list(index), n=1, cutoff=0.6)
    fix = f"Did you mean “{index[close[0]].name}” ({index[close[0]].code})?" if close else \
        f"Use a partner code: {plain_list(p.code for p in partners)}."
    return Problem("UNKNOWN_CODE", f"Agency “{display(u)}” is not one of the Board's partners.", fix)
