"""Activity return rules: dates, order of dates, conditional answers, ethnicity recording, concerns loaded."""

from datetime import date

from tests.returns.builders import Q2, activity_sheets, concern_rows, enquiry_rows
from tests.returns.conftest import where


def test_dates_outside_the_quarter(check):
    sheets = activity_sheets(10)
    sheets["Concerns"][3][2] = date(2025, 6, 30)  # received in Q1
    sheets["Concerns"][3][3] = date(2025, 7, 1)
    sheets["Enquiries"][1][5] = date(2025, 10, 1)  # concluded in Q3
    report = check(sheets)
    assert where(report) == [("DATE_OUTSIDE_PERIOD", "Concerns", 4, "C"), ("DATE_OUTSIDE_PERIOD", "Enquiries", 2, "F")]
    assert report.issues[0].message == "Date received 30/06/2025 is outside 2025-26 Q2 (01/07/2025 to 30/09/2025)."
    assert report.issues[0].suggestion.startswith("It belongs to 2025-26 Q1")


def test_decision_before_receipt_and_conclusion_before_start(check):
    sheets = activity_sheets(10)
    sheets["Concerns"][2][3] = date(2025, 7, 1)  # received 2 July
    sheets["Enquiries"][2][5] = date(2025, 7, 1)
    report = check(sheets)
    assert where(report) == [("DECISION_BEFORE_RECEIPT", "Concerns", 3, "D"),
                             ("CONCLUSION_BEFORE_START", "Enquiries", 3, "F")]


def test_risk_outcome_against_risk_assessment(check):
    sheets = activity_sheets(10)  # enquiry rows 2,3 risk identified; row 4 no risk identified
    sheets["Enquiries"][1][10] = None
    sheets["Enquiries"][3][10] = "Risk removed"
    report = check(sheets)
    assert where(report) == [("RISK_OUTCOME_MISMATCH", "Enquiries", 2, "K"), ("RISK_OUTCOME_MISMATCH", "Enquiries", 4, "K")]
    assert "is blank, but Risk assessment outcome is “Risk identified and action taken”" in report.issues[0].message
    assert "should be blank" in report.issues[1].message


def test_capacity_support_and_outcomes_achieved(check):
    sheets = activity_sheets(10)  # enquiry 1 lacked capacity and expressed outcomes; enquiry 2 neither
    sheets["Enquiries"][1][12] = None
    sheets["Enquiries"][2][12] = "No"
    sheets["Enquiries"][1][14] = None
    sheets["Enquiries"][2][14] = "Not achieved"
    report = check(sheets)
    assert sorted(where(report)) == [
        ("CAPACITY_SUPPORT_MISMATCH", "Enquiries", 2, "M"), ("CAPACITY_SUPPORT_MISMATCH", "Enquiries", 3, "M"),
        ("OUTCOMES_ACHIEVED_MISMATCH", "Enquiries", 2, "O"), ("OUTCOMES_ACHIEVED_MISMATCH", "Enquiries", 3, "O"),
    ]


def test_ethnicity_not_recorded_above_threshold_is_a_query(check):
    sheets = activity_sheets(20)
    for row in sheets["Concerns"][1:4]:
        row[7] = "Not known"  # 3 of 20 = 15% > 10%
    report = check(sheets)
    assert where(report) == [("ETHNICITY_NOT_RECORDED", "Concerns", None, "H")]
    assert report.issues[0].severity == "query" and report.error_count == 0
    assert report.issues[0].message.startswith("3 of 20 rows (15%)")
    sheets["Concerns"][3][7] = "Indian"  # 2 of 20 = 10%: not above
    assert check(sheets).issues == []


def test_enquiry_whose_concern_is_nowhere(check, load):
    sheets = activity_sheets(10)
    sheets["Enquiries"][2][1] = "C9999999"
    report = check(sheets)
    assert where(report) == [("UNKNOWN_CONCERN", "Enquiries", 3, "B")]


def test_enquiry_whose_concern_was_loaded_last_quarter(check, load):
    q1 = Q2.previous()
    first = concern_rows(6, q1, prefix="A")
    assert load({"Concerns": [activity_sheets(1)["Concerns"][0], *first],
                 "Enquiries": [activity_sheets(1)["Enquiries"][0], *enquiry_rows(first, q1, prefix="X")]},
                "LA 2025-26 Q1.xlsx").loaded
    sheets = activity_sheets(10)
    sheets["Enquiries"][1][1] = "A0000003"  # from the Q1 return already loaded
    sheets["Enquiries"][2][1] = "A0000099"  # nowhere
    assert where(check(sheets)) == [("UNKNOWN_CONCERN", "Enquiries", 3, "B")]


def test_enquiry_started_before_any_data_cannot_be_checked(check):
    sheets = activity_sheets(10)
    sheets["Enquiries"][1][1] = "OLD0001"
    sheets["Enquiries"][1][4] = date(2025, 3, 2)  # started before the first quarter with data
    assert where(check(sheets)) == []
