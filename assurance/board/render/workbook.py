"""The board pack's tables as an Excel workbook (openpyxl), one sheet a table, byte-for-byte repeatable."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time

import pandas as pd

from assurance.board.pack import Pack
from assurance.board.render.layout import cell_text, is_numeric_column, number_format, stable_zip
from assurance.exports import sheet_title


def render_xlsx(pack: Pack) -> bytes:
    """The pack's tables, one sheet each, after a sheet that says what the workbook is (publication mode, demo data).

    Numbers are stored as numbers where a column holds nothing else; text stays text (never a formula). The file
    is the same, byte for byte, for the same pack, whenever it is made.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    about = wb.active
    about.title = "About"
    used: set[str] = {"About"}
    bold, italic = Font(bold=True), Font(italic=True, color="4C6272")
    sheets: list[tuple[str, str]] = []
    for section in pack.sections:
        for t in section.tables:
            name = sheet_title(t.title, used)
            sheets.append((name, t.title))
            ws = wb.create_sheet(name)
            ws.append([t.title])
            ws["A1"].font = Font(bold=True, size=12)
            ws.append([pack.footer])
            ws["A2"].font = italic
            if t.note:
                ws.append([t.note])
            ws.append([])
            header_row = ws.max_row + 1
            ws.append(list(map(str, t.frame.columns)))
            for c in ws[header_row]:
                c.font = bold
            numeric = {c: is_numeric_column(t.frame[c]) for c in t.frame.columns}
            for rec in t.frame.itertuples(index=False):
                ws.append([_xlsx_value(v, numeric[c]) for v, c in zip(rec, t.frame.columns)])
                for c, v, col in zip(ws[ws.max_row], rec, t.frame.columns):
                    if numeric[col] and (n := number_format(v)) is not None:
                        c.number_format = n[1]
                    elif hasattr(c.value, "strftime"):
                        c.number_format = "DD/MM/YYYY"
                    elif isinstance(c.value, str):
                        c.data_type = "s"  # text stays text, never a formula
            for i, col in enumerate(t.frame.columns, start=1):
                longest = max([len(str(col))] + [len(cell_text(v)) for v in t.frame[col]])
                ws.column_dimensions[ws.cell(header_row, i).column_letter].width = max(10, min(longest + 2, 60))
                if longest > 60:
                    for row in ws.iter_rows(min_row=header_row + 1, min_col=i, max_col=i):
                        row[0].alignment = Alignment(wrap_text=True, vertical="top")
            ws.freeze_panes = ws.cell(header_row + 1, 1)

    cover = next((s for s in pack.sections if s.kind == "cover"), None)
    about.append([pack.board_name])
    about["A1"].font = Font(bold=True, size=14)
    about.append([f"Quarterly assurance board pack: {pack.period_label} (the tables)"])
    about["A2"].font = Font(bold=True, size=12)
    about.append([])
    lines = [("Period", cover.paragraphs[0] if cover and cover.paragraphs else pack.period_label),
             ("Produced on", f"{pack.generated_on:%d %B %Y}"),
             ("Publication mode", "On: small numbers suppressed. Counts of 1 to 4 are shown as [c], other counts are "
                                  "rounded to the nearest 5, and percentages of fewer than 10 cases are withheld."
              if pack.publication_mode else
              "OFF: unrounded figures. This workbook must stay within the QA subgroup."),
             ("Data", "SYNTHETIC DEMO DATA: every person, case and figure in this workbook is made up."
              if pack.demo else "The partners' returns accepted by the date above.")]
    for label, text in lines:
        about.append([label, text])
        about.cell(about.max_row, 1).font = bold
        about.cell(about.max_row, 2).data_type = "s"
    about.append([])
    about.append(["Sheet", "Table"])
    for c in about[about.max_row]:
        c.font = bold
    for name, title in sheets:
        about.append([name, title])
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 110
    if "Key" not in used:  # the pack's own key table normally gives the Key sheet
        key = wb.create_sheet(sheet_title("Key", used))
        for line in pack.key:
            key.append(list(line))

    stamp = datetime.combine(pack.generated_on, time(0, 0))
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = pack.board_name
    wb.properties.title = f"{pack.board_name}: board pack {pack.period_label}"
    buf = io.BytesIO()
    # openpyxl's Workbook.save stamps the wall-clock time as 'modified'; its writer, used directly, keeps ours.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return stable_zip(buf.getvalue(), stamp)


def _xlsx_value(v, numeric: bool):
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v)) or v == "":
        return None
    if numeric and (n := number_format(v)) is not None:
        return n[0]
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        return v.item()
    return v
