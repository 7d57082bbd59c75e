"""The validation report as files: issues as CSV, and a copy of the workbook with problem cells
highlighted and commented."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from assurance.exports import safe_cell, sheet_title
from assurance.returns.issues import ERROR, Issue
from assurance.returns.read import read_bytes

ERROR_FILL = PatternFill("solid", fgColor="F4B6B6")
QUERY_FILL = PatternFill("solid", fgColor="FFE9A8")


def highlighted_workbook(data: bytes, file_name: str, issues: list[Issue]) -> bytes:
    """The uploaded workbook (or CSV, as a workbook) with each problem cell filled and commented."""
    raw = read_bytes(data, file_name)
    titles: dict[str, str] = {}  # sheet name in the issues -> sheet title in the copy
    if raw.kind in ("xlsx", "xlsm"):
        wb = load_workbook(io.BytesIO(data), keep_vba=False)
        titles = {n: n for n in wb.sheetnames}
    else:  # CSV, .xls or .ods: rebuild the values in a new workbook at the same positions, formula-safe as every export
        wb = Workbook()
        wb.remove(wb.active)
        taken: set[str] = set()
        for name in raw.sheet_names:
            sheet = raw.sheet(name)
            titles[name] = sheet_title(name, taken)
            ws = wb.create_sheet(titles[name])
            for i, row in enumerate(sheet.rows):
                for j, v in enumerate(row):
                    if v != "":
                        ws.cell(row=sheet.row_offset + i + 1, column=sheet.col_offset + j + 1, value=_cell_text(v))
    notes: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        sheet = titles.get(issue.sheet) if issue.sheet else None
        if sheet is None:
            continue
        cell = f"{issue.column or 'A'}{issue.row or 1}"
        notes.setdefault((sheet, cell), []).append(issue)
    for (sheet, cell), found in notes.items():
        ws = wb[sheet]
        c = ws[cell]
        c.fill = ERROR_FILL if any(i.severity == ERROR for i in found) else QUERY_FILL
        text = "\n".join(f"[{i.rule}] {i.message}" + (f" Fix: {i.suggestion}" if i.suggestion else "") for i in found)
        c.comment = Comment(_cell_text(text[:2000]), "Validation", width=360, height=160)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell_text(v):
    """Formula-safe, and with control characters (which a workbook cannot hold) shown as \ufffd."""
    if isinstance(v, str):
        v = ILLEGAL_CHARACTERS_RE.sub("\ufffd", v)
    return safe_cell(v)
