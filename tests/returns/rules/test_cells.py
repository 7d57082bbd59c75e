"""Cell rules: blanks, types, codes, duplicate IDs and age, each with the exact cell."""

from tests.returns.builders import activity_sheets, audit_sheets, measure_sheets
from tests.returns.conftest import where


def test_mandatory_blank_with_fix(check):
    sheets = activity_sheets(6)
    sheets["Concerns"][2][2] = None  # Date received, Excel row 3, column C
    sheets["Concerns"][3][7] = "  "  # Ethnicity, row 4, column H
    sheets["Concerns"][4][3] = None  # Decision date may be blank
    report = check(sheets)
    assert where(report) == [("MANDATORY_BLANK", "Concerns", 3, "C"), ("MANDATORY_BLANK", "Concerns", 4, "H")]
    assert report.issues[1].suggestion == "Enter the ethnic group, or “Undeclared / Not known” if it was not recorded."


def test_bad_types(check):
    sheets = activity_sheets(6)
    sheets["Concerns"][2][2] = "31/02/2025"
    sheets["Concerns"][3][5] = "eighty"
    report = check(sheets)
    assert where(report) == [("BAD_DATE", "Concerns", 3, "C"), ("BAD_AGE", "Concerns", 4, "F")]
    assert report.issues[0].value == "31/02/2025"
    measures = measure_sheets()
    measures["Measures"][1][1] = "about 1200"
    measures["Measures"][2][2] = 14.5
    report = check(measures, "POL 2025-26 Q2.xlsx")
    assert where(report) == [("BAD_NUMBER", "Measures", 2, "B"), ("BAD_NUMBER", "Measures", 3, "C")]


def test_unknown_code_suggests_the_nearest_label(check):
    sheets = activity_sheets(6)
    sheets["Enquiries"][1][6] = "Financal Abuse; Physical Abuse"
    sheets["Concerns"][5][9] = "Section 24 enquiry"
    report = check(sheets)
    assert where(report) == [("UNKNOWN_CODE", "Concerns", 6, "J"), ("UNKNOWN_CODE", "Enquiries", 2, "G")]
    assert report.issues[0].suggestion == "Did you mean “Section 42 enquiry”?"
    assert report.issues[1].suggestion == "Did you mean “Financial or Material Abuse”?"
    assert "“Financal Abuse” is not in the type of risk list" in report.issues[1].message


def test_variants_of_labels_are_accepted(check):
    sheets = activity_sheets(6)
    sheets["Enquiries"][1][6] = "Neglect & Acts of Omission; Self Neglect"
    sheets["Concerns"][1][6] = "F"
    sheets["Concerns"][2][7] = "B1"  # police 16+1 code
    assert check(sheets).issues == []


def test_duplicate_ids(check):
    sheets = activity_sheets(6)
    sheets["Concerns"][4][0] = " c0000002"  # same as row 3 once cleaned
    report = check(sheets)
    dup = [i for i in report.issues if i.rule == "DUPLICATE_ID"]
    assert [(i.sheet, i.row, i.column) for i in dup] == [("Concerns", 5, "A")]
    assert "first on row 3" in dup[0].message


def test_audit_rows_are_unique_per_audit_and_agency(check):
    sheets = audit_sheets()
    sheets["Audits"].append(list(sheets["Audits"][1]))
    assert where(check(sheets, "SAB 2025-26 Q2.xlsx"), "DUPLICATE_ID") == [("DUPLICATE_ID", "Audits", 4, "A")]


def test_age_under_18(check):
    sheets = activity_sheets(6)
    sheets["Concerns"][6][5] = 17
    report = check(sheets)
    assert where(report) == [("AGE_UNDER_18", "Concerns", 7, "F")]
    assert report.issues[0].message == "Age 17 is under 18; this return covers adults (18 and over) only."


def test_ids_too_long(check):
    sheets = activity_sheets(3)
    sheets["Concerns"][1][0] = "C" * 61
    assert where(check(sheets)) == [("TOO_LONG", "Concerns", 2, "A")]
