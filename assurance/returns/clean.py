"""Spec-driven cleaning: find sheets and header rows, match headings, drop what is not data, and hand each column
to its converter (assurance.returns.convert).

Real-world mess is cleaned, not rejected: title rows above the header, blank rows (including cells holding
only spaces), a trailing Total row and note rows after the data ('Source: Mosaic extract 03/10/2025'), numbers
with commas or '.0', IDs with stray spaces or lower case, UK dates written as text (with or without a time).
"""

from __future__ import annotations

import re

import numpy as np
from openpyxl.utils import get_column_letter

from assurance.reference.codelists import broad_ethnicity, normalise
from assurance.returns.cleaned import CleanSheet, is_blank
from assurance.returns.convert import absent, convert_column
from assurance.returns.read import TEMPLATE_INFO_SHEET, RawSheet, RawWorkbook
from assurance.returns.rules import Context, plain_list
from assurance.returns.specs import ColumnSpec, ReturnSpec, SheetSpec

__all__ = ["CleanSheet", "HEADER_SCAN_ROWS", "clean_sheet", "clean_workbook", "find_header", "header_key",
           "is_blank", "match_sheets"]

HEADER_SCAN_ROWS = 30
_PAREN = re.compile(r"\([^)]*\)")
_TOTAL = re.compile(r"^(grand )?totals?\b")


def header_key(text: object) -> str:
    """Headings compared without case, notes in brackets, asterisks, spaces or punctuation:
    'Person I.D.', 'PERSON  ID', 'PersonID' and 'Person-ID' all match 'Person ID'."""
    s = _PAREN.sub(" ", str(text)).replace("*", " ")
    return normalise(s).replace(" ", "")


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
            absent(sheet, col)
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
