"""Blank templates made from the specs: instructions, coloured headings, drop-downs from a hidden
lists sheet, date and number formats, frozen headings, and the template version (hidden sheet)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from assurance import config
from assurance.returns.read import TEMPLATE_INFO_SHEET
from assurance.returns.specs import TYPE_WORDS, ReturnSpec, get_spec

LISTS_SHEET = "Lists"
VALIDATION_ROWS = 100_000  # rows given drop-downs and checks; number and date formats are set for whole columns
MANDATORY_FILL = PatternFill("solid", fgColor="005EB8")  # NHS blue, white text
BLANK_OK_FILL = PatternFill("solid", fgColor="41B6E6")
VOLUNTARY_FILL = PatternFill("solid", fgColor="D8DDE0")
WHITE_BOLD = Font(bold=True, color="FFFFFF")
DARK_BOLD = Font(bold=True, color="212B32")
FILL_IN_NOTE = {"Every row": "Fill in on every row.", "When it applies": "Fill in when it applies.",
                "Optional": "Optional: fill in if you collect it."}


REFERENCE_HEADER = "What the measure is, for reference (not read)"  # matches no heading that is read


def template_bytes(return_type: str, partner_type: str | None = None) -> bytes:
    """The blank template; for a partner of `partner_type`, only the measures the framework says that type makes."""
    spec = get_spec(return_type)
    measures = [m for m in spec.measures if m.made_by(partner_type)]
    wb = Workbook()
    _instructions(wb.active, spec, measures)
    lists = wb.create_sheet(LISTS_SHEET)
    list_ranges = _fill_lists(lists, spec)
    for sheet in spec.sheets:
        ws = wb.create_sheet(sheet.name)
        for j, col in enumerate(sheet.columns, start=1):
            letter = get_column_letter(j)
            cell = ws.cell(row=1, column=j, value=col.header)
            fill, font = (MANDATORY_FILL, WHITE_BOLD) if col.required_cells else \
                (BLANK_OK_FILL, DARK_BOLD) if col.mandatory else (VOLUNTARY_FILL, DARK_BOLD)
            cell.fill, cell.font = fill, font
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            note = f"{FILL_IN_NOTE[col.fill_in]} {TYPE_WORDS[col.type].capitalize()}."
            if col.help:
                note += f" {col.help}"
            if col.example:
                note += f" Example: {col.example}"
            cell.comment = Comment(note, "Template", width=320, height=140)
            ws.column_dimensions[letter].width = max(14, min(48, len(col.header) + 6, len(col.example) + 4))
            rng = f"{letter}2:{letter}{VALIDATION_ROWS}"
            if col.type == "date":
                ws.column_dimensions[letter].number_format = "dd/mm/yyyy"  # every row, beyond the drop-downs too
                dv = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                                    errorStyle="warning", showErrorMessage=True, error="Enter a date as dd/mm/yyyy.",
                                    errorTitle=col.header)
                dv.add(rng)
                ws.add_data_validation(dv)
            elif col.type == "integer":
                ws.column_dimensions[letter].number_format = "#,##0"  # every row, beyond the drop-downs too
                dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", errorStyle="stop",
                                    showErrorMessage=True, error="Enter a whole number of 0 or more.", errorTitle=col.header)
                dv.add(rng)
                ws.add_data_validation(dv)
            elif col.type in ("id", "text"):
                ws.column_dimensions[letter].number_format = "@"  # every row, beyond the drop-downs too
            key = _list_key(col)
            if key in list_ranges:
                strict = col.type in ("code", "partner") and key[0] != "measure_code"
                dv = DataValidation(
                    type="list", formula1=list_ranges[key], allow_blank=True, showErrorMessage=True,
                    errorStyle="stop" if strict else "warning", errorTitle=col.header,
                    error="Choose a value from the list." if strict else
                    ("Separate several values with ;" if col.type == "codes" else "Not in the list: check the value."),
                )
                dv.add(rng)
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
        ws.row_dimensions[1].height = 32
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}1"
        if measures and sheet.name == "Measures":
            # Each measure's code in its row, with its name beside it after the columns that are read.
            ref = len(sheet.columns) + 1
            head = ws.cell(row=1, column=ref, value=REFERENCE_HEADER)
            head.fill, head.font = VOLUNTARY_FILL, DARK_BOLD
            head.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[get_column_letter(ref)].width = 48
            for r, m in enumerate(measures, start=2):
                ws.cell(row=r, column=1, value=m.code)
                ws.cell(row=r, column=ref, value=m.label)
    lists.sheet_state = "hidden"
    info = wb.create_sheet(TEMPLATE_INFO_SHEET)
    for row in (("Return type", spec.type), ("Template version", spec.version), ("Generated", date.today().isoformat()),
                ("Title", spec.title)):
        info.append(row)
    info.sheet_state = "hidden"
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _list_key(col) -> tuple[str, tuple[str, ...]] | None:
    """Which list a column's drop-down offers: (codelist key, values left out), or None for no drop-down."""
    key = col.codelist or ("partners" if col.type == "partner" else "age_band" if col.type == "age" else None)
    return (key, col.not_offered) if key else None


def _fill_lists(ws, spec: ReturnSpec) -> dict[tuple[str, tuple[str, ...]], str]:
    keys: list[tuple[str, tuple[str, ...]]] = []
    headers: dict[tuple[str, tuple[str, ...]], str] = {}
    for s in spec.sheets:
        for c in s.columns:
            key = _list_key(c)
            if key and key not in keys:
                keys.append(key)
                headers[key] = c.header
    ranges = {}
    for j, key in enumerate(keys, start=1):
        name, left_out = key
        if name == "partners":
            values = [p.code for p in config.board().partners]
            title = "Partner codes"
        else:
            cl = spec.codelist(name)
            values, title = [v for v in cl.values if v not in left_out], cl.name
            if left_out:
                title = f"{title} ({headers[key].lower()})"
        ws.cell(row=1, column=j, value=title).font = Font(bold=True)
        for r, v in enumerate(values, start=2):
            ws.cell(row=r, column=j, value=v)
        letter = get_column_letter(j)
        ranges[key] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _instructions(ws, spec: ReturnSpec, measures: list) -> None:
    ws.title = "Instructions"
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 20
    ws.column_dimensions["C"].width = 26
    ws.column_dimensions["D"].width = 90
    ws["A1"] = spec.title
    ws["A1"].font = Font(bold=True, size=16, color="005EB8")
    lines = [
        f"{config.board().name}",
        f"Who makes it: {spec.made_by}",
        spec.description,
        f"Template version {spec.version}. Please keep using this workbook: the version tells us which layout you used.",
        "How to fill it in: one row per record on each data sheet, starting in row 2. Keep the headings in row 1.",
        "Dates as dd/mm/yyyy. Choose coded values from the drop-down lists (type to search). Several values in one "
        "cell are separated by ;",
        "Save as .xlsx and upload it on the 'Upload a return' page, or send it to the Board's business manager.",
        "Name the file with your partner code and the quarter, e.g. 'POL 2025-26 Q2.xlsx'.",
        "Never enter names, addresses or NHS numbers: use your system's pseudonymised references.",
    ]
    for r, text in enumerate(lines, start=2):
        ws.cell(row=r, column=1, value=text)
    r = len(lines) + 3
    ws.cell(row=r, column=1, value="Colour key").font = Font(bold=True)
    for k, (fill, font, text) in enumerate((
        (MANDATORY_FILL, WHITE_BOLD, "Fill in on every row"),
        (BLANK_OK_FILL, DARK_BOLD, "Fill in when it applies (the note on the heading says when)"),
        (VOLUNTARY_FILL, DARK_BOLD, "Optional: fill in if you collect it"),
    ), start=1):
        c = ws.cell(row=r + k, column=1, value=text)
        c.fill, c.font = fill, font
    r += 5
    for col_title, j in (("Sheet", 1), ("Column", 2), ("Fill in", 3), ("What to enter", 4)):
        ws.cell(row=r, column=j, value=col_title).font = Font(bold=True)
    for s in spec.sheets:
        for c in s.columns:
            r += 1
            what = TYPE_WORDS[c.type].capitalize() + "." + (f" {c.help}" if c.help else "") + \
                (f" Example: {c.example}" if c.example else "")
            for j, v in enumerate((s.name, c.header, c.fill_in, what), start=1):
                ws.cell(row=r, column=j, value=v).alignment = Alignment(wrap_text=True, vertical="top")
    if measures:
        r += 2
        ws.cell(row=r, column=1, value="Measures").font = Font(bold=True)
        for m in measures:
            r += 1
            for j, v in enumerate((m.code, m.kind, m.label, m.help), start=1):
                ws.cell(row=r, column=j, value=v).alignment = Alignment(wrap_text=True, vertical="top")


def template_file_name(return_type: str) -> str:
    spec = get_spec(return_type)
    return f"{spec.title} template v{spec.version}.xlsx"
