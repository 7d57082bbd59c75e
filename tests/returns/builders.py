"""Workbooks built in code for the returns tests (no binary fixtures).

`xlsx(sheets)` uses openpyxl (realistic, slow for big files); `fast_xlsx(sheets)` writes the
SpreadsheetML directly (inline strings, real date cells) for 100,000-row returns.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils import get_column_letter

from assurance.periods import Period

CONCERN_HEADERS = ["Concern ID", "Person ID", "Date received", "Decision date", "Referral source", "Age", "Gender",
                   "Ethnicity", "Primary support reason", "Concern outcome"]
ENQUIRY_HEADERS = ["Enquiry ID", "Concern ID", "Person ID", "Enquiry type", "Date started", "Date concluded",
                   "Types of risk", "Location of risk", "Source of risk", "Risk assessment outcome", "Risk outcome",
                   "Lacked capacity", "Capacity support", "Asked about outcomes", "Outcomes achieved", "Felt safer"]
MEASURE_HEADERS = ["Measure code", "Numerator", "Denominator", "Commentary"]
AUDIT_HEADERS = ["Audit ID", "Case reference", "Audit date", "Theme", "Agency", "Making Safeguarding Personal",
                 "Risk assessment", "Mental capacity", "Partnership working", "Recording", "Outcome for the adult",
                 "Overall grade", "Findings", "Action required"]

Q2 = Period(2025, 2)  # 2025-26 Q2: 1 July to 30 September 2025

GENDERS = ["Female", "Male", "Female", "Not Known"]
ETHNICITIES = ["White: English / Welsh / Scottish / Northern Irish / British", "Indian", "Caribbean", "White Irish",
               "Pakistani", "Any other White background", "African"]
REFERRALS = ["Police", "Ambulance", "Acute hospital", "Care home provider", "Family / friend / neighbour"]
PSR = ["Physical Support", "Mental Health Support", "Support with Memory and Cognition", "Learning Disability Support"]
OUTCOMES = ["No enquiry", "No enquiry", "Section 42 enquiry", "No enquiry", "Other enquiry"]


def concern_rows(n: int, period: Period = Q2, prefix: str = "C") -> list[list]:
    days = (period.end - period.start).days + 1
    rows = []
    for i in range(n):
        received = period.start + timedelta(days=i % days)
        decided = min(received + timedelta(days=i % 3), period.end)
        rows.append([f"{prefix}{i + 1:07d}", f"P{(i * 7) % max(n // 2, 1) + 1:07d}", received, decided,
                     REFERRALS[i % 5], 18 + (i * 13) % 80, GENDERS[i % 4], ETHNICITIES[i % 7], PSR[i % 4],
                     OUTCOMES[i % 5]])
    return rows


def enquiry_rows(concerns: list[list], period: Period = Q2, prefix: str = "E") -> list[list]:
    """One concluded enquiry for every concern that led to one, all consistent with the rules."""
    rows = []
    for k, c in enumerate(r for r in concerns if r[9] != "No enquiry"):
        started = c[3]
        concluded = min(started + timedelta(days=5 + k % 20), period.end)
        identified = k % 3 != 2
        lacked = k % 4 == 0
        expressed = k % 2 == 0
        rows.append([
            f"{prefix}{k + 1:07d}", c[0], c[1], "Section 42" if c[9] == "Section 42 enquiry" else "Other", started,
            concluded, "Neglect and Acts of Omission; Financial or Material Abuse" if k % 5 == 0 else "Physical Abuse",
            "Own Home", "Other - Known to individual",
            "Risk identified and action taken" if identified else "No risk identified and no action taken",
            "Risk reduced" if identified else None,
            "Yes, they lacked capacity" if lacked else "No, they did not lack capacity",
            "Yes" if lacked else None,
            "Yes they were asked and outcomes were expressed" if expressed else "No",
            "Fully achieved" if expressed else None,
            "Yes" if k % 3 else "Not asked",
        ])
    return rows


def activity_sheets(n: int = 20, period: Period = Q2) -> dict[str, list[list]]:
    concerns = concern_rows(n, period)
    return {"Concerns": [list(CONCERN_HEADERS), *concerns],
            "Enquiries": [list(ENQUIRY_HEADERS), *enquiry_rows(concerns, period)]}


POLICE_ETHNICITY = {"White: English / Welsh / Scottish / Northern Irish / British": "W1", "Indian": "A1",
                    "Caribbean": "B1", "White Irish": "W2", "Pakistani": "A2", "Any other White background": "W9",
                    "African": "B2"}
GENDER_VARIANTS = {"Female": ["female", "F", "FEMALE", "Female "], "Male": ["male", "M", "Male"],
                   "Not Known": ["Not known", "U", "unknown"]}


def messy_activity_sheets(n: int = 100_000, seed: int = 1, period: Period = Q2) -> dict[str, list[list]]:
    """An activity return with the mess real ones carry: a title row and a blank row above the headings, a Total row
    below, 30% of dates typed as text ('03/10/2025'), IDs in lower case with stray spaces, police ethnicity codes
    ('W1'), variant labels ('female', 'F'). Cleaned, it is exactly `activity_sheets(n)`."""
    import random

    rng = random.Random(seed)
    concerns = concern_rows(n, period)
    enquiries = enquiry_rows(concerns, period)

    def day(d):
        return f"{d:%d/%m/%Y}" if rng.random() < 0.3 else d

    def ref(text):
        r = rng.random()
        return f" {text.lower()} " if r < 0.2 else (f"{text.lower()}" if r < 0.4 else (f"{text} " if r < 0.5 else text))

    messy_c = []
    for c in concerns:
        gender = rng.choice(GENDER_VARIANTS[c[6]]) if rng.random() < 0.5 else c[6]
        ethnicity = POLICE_ETHNICITY[c[7]] if rng.random() < 0.3 else c[7]
        messy_c.append([ref(c[0]), ref(c[1]), day(c[2]), day(c[3]), c[4], c[5], gender, ethnicity, c[8], c[9]])
    messy_e = [[ref(e[0]), ref(e[1]), ref(e[2]), e[3], day(e[4]), day(e[5]), *e[6:]] for e in enquiries]
    title = f"Demo Borough Council: safeguarding {{}}, {period.label}"
    return {"Concerns": [[title.format("concerns")], [], list(CONCERN_HEADERS), *messy_c, ["Total", n]],
            "Enquiries": [[title.format("enquiries")], [], list(ENQUIRY_HEADERS), *messy_e, ["Total", len(messy_e)]]}


def measure_sheets() -> dict[str, list[list]]:
    return {"Measures": [MEASURE_HEADERS,
                         ["staff_trained", 1200, 1400, None], ["mca_training", 1100, 1400, None],
                         ["supervision", 400, 490, "On track."], ["concerns_raised", 85, None, None],
                         ["dols_applications", 12, None, None]]}


def audit_sheets(period: Period = Q2) -> dict[str, list[list]]:
    d = period.start + timedelta(days=40)
    return {"Audits": [AUDIT_HEADERS,
                       ["AUD-01", "CASE-0101", d, "Self-neglect", "POL", "Good", "Good", "Not applicable", "Good",
                        "Requires improvement", "Good", "Good", "Timely information sharing.", None],
                       ["AUD-01", "CASE-0101", d, "Self-neglect", "ACU", "Good", "Inadequate", "Good", "Good", "Good",
                        "Good", "Requires improvement", "Plan not shared.", "Share plans within 5 working days."]]}


def xlsx(sheets: dict[str, list[list]], hidden: dict[str, list[list]] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for col in range(1, (max(len(r) for r in rows) if rows else 0) + 1):
            for cell in ws[get_column_letter(col)]:
                if isinstance(cell.value, (date, datetime)):
                    cell.number_format = "dd/mm/yyyy"
    for name, rows in (hidden or {}).items():
        ws = wb.create_sheet(name)
        ws.sheet_state = "hidden"
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- a fast SpreadsheetML writer for big workbooks ---------------------------------------------------

_EPOCH = date(1899, 12, 30)


def _cell(ref: str, v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v}</v></c>'
    if isinstance(v, datetime):
        v = v.date()
    if isinstance(v, date):
        return f'<c r="{ref}" s="1"><v>{(v - _EPOCH).days}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'


def fast_xlsx(sheets: dict[str, list[list]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        names = list(sheets)
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(len(names)))
            + "</Types>"))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        z.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))
            + "</sheets></workbook>"))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(names)))
            + f'<Relationship Id="rId{len(names) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>"))
        z.writestr("xl/styles.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            "</styleSheet>"))
        for i, name in enumerate(names):
            letters = [get_column_letter(j + 1) for j in range(max((len(r) for r in sheets[name]), default=0))]
            with z.open(f"xl/worksheets/sheet{i + 1}.xml", "w") as f:
                f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                chunk = []
                for r, row in enumerate(sheets[name], start=1):
                    chunk.append(f'<row r="{r}">' + "".join(_cell(f"{letters[j]}{r}", v) for j, v in enumerate(row)) + "</row>")
                    if len(chunk) >= 5000:
                        f.write("".join(chunk).encode())
                        chunk = []
                f.write("".join(chunk).encode())
                f.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def ods(sheets: dict[str, list[list]]) -> bytes:
    """A minimal OpenDocument spreadsheet: text and number cells only."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')

    def cell(v) -> str:
        if v is None or v == "":
            return "<table:table-cell/>"
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    tables = "".join(f'<table:table table:name="{escape(name)}">'
                     + "".join("<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows)
                     + "</table:table>" for name, rows in sheets.items())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'))
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
                   f'office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>'
                   "</office:document-content>")
    return buf.getvalue()


def at_once(*calls):
    """Run the calls in threads started together; returns their results and any exceptions raised."""
    import threading

    results, errors = [None] * len(calls), []
    barrier = threading.Barrier(len(calls))

    def run(k):
        try:
            barrier.wait()
            results[k] = calls[k]()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    return results, errors
