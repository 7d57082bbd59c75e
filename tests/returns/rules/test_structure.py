"""Structure rules: sheets, header rows and columns."""

from tests.returns.builders import CONCERN_HEADERS, ENQUIRY_HEADERS, activity_sheets
from tests.returns.conftest import where


def test_missing_sheet(check):
    sheets = activity_sheets(5)
    del sheets["Enquiries"]
    report = check(sheets)
    assert where(report, "MISSING_SHEET") == [("MISSING_SHEET", "Enquiries", None, None)]
    assert "the workbook has: Concerns" in report.issues[0].message


def test_sheet_found_by_headers_when_renamed(check):
    sheets = activity_sheets(5)
    sheets["Sheet2"] = sheets.pop("Enquiries")
    report = check(sheets)
    assert report.error_count == 0 and report.rows == {"Concerns": 5, "Sheet2": 2}


def test_missing_and_duplicate_columns(check):
    sheets = activity_sheets(5)
    sheets["Concerns"] = [row[:2] + row[3:] + [row[1]] for row in sheets["Concerns"]]  # drop Date received, repeat Person ID
    report = check(sheets, period="2025-26 Q2")
    assert where(report, "MISSING_COLUMN") == [("MISSING_COLUMN", "Concerns", 1, None)]
    assert "has no Date received column" in report.issues[[i.rule for i in report.issues].index("MISSING_COLUMN")].message
    assert where(report, "DUPLICATE_COLUMN") == [("DUPLICATE_COLUMN", "Concerns", 1, "J")]


def test_headers_but_no_data(check):
    report = check({"Concerns": [CONCERN_HEADERS], "Enquiries": [ENQUIRY_HEADERS]}, period="2025-26 Q2")
    assert where(report, "NO_DATA") == [("NO_DATA", "Concerns", 1, None), ("NO_DATA", "Enquiries", 1, None)]


def test_header_not_found(check):
    sheets = activity_sheets(3)
    sheets["Concerns"] = [["a", "b"], [1, 2]]
    report = check(sheets, return_type="activity")
    assert where(report, "HEADER_NOT_FOUND") == [("HEADER_NOT_FOUND", "Concerns", None, None)]


def test_data_under_an_empty_heading_is_a_query(check):
    sheets = activity_sheets(3)
    for k, row in enumerate(sheets["Concerns"]):
        row.append(None if k == 0 else "stray note")
    report = check(sheets)
    assert where(report, "EMPTY_HEADER") == [("EMPTY_HEADER", "Concerns", 1, "K")]
    assert report.error_count == 0
