"""Partner assurance and audit return rules."""

from tests.returns.builders import audit_sheets, measure_sheets
from tests.returns.conftest import where


def test_numerator_above_denominator(check):
    sheets = measure_sheets()
    sheets["Measures"][2][1] = 1500  # mca_training 1500 / 1400
    report = check(sheets, "POL 2025-26 Q2.xlsx")
    assert where(report) == [("NUMERATOR_ABOVE_DENOMINATOR", "Measures", 3, "B")]
    assert report.issues[0].message == "Numerator 1,500 is more than the denominator 1,400 for `mca_training`."


def test_rates_need_a_denominator(check):
    sheets = measure_sheets()
    sheets["Measures"][1][2] = None
    sheets["Measures"][3][2] = 0
    assert where(check(sheets, "POL 2025-26 Q2.xlsx")) == [("DENOMINATOR_NEEDED", "Measures", 2, "C"),
                                                           ("DENOMINATOR_NEEDED", "Measures", 4, "C")]


def test_measure_by_label_and_missing_measure_query(check):
    sheets = measure_sheets()
    sheets["Measures"][1][0] = "Staff trained to their safeguarding level"
    del sheets["Measures"][5]  # dols_applications
    report = check(sheets, "POL 2025-26 Q2.xlsx")
    assert where(report) == [("MEASURE_NOT_REPORTED", "Measures", None, "A")]
    assert report.issues[0].severity == "query"


def test_audit_overall_grade_and_unknown_agency(check):
    sheets = audit_sheets()
    sheets["Audits"][1][11] = "N/A"
    sheets["Audits"][2][4] = "Demo Polise"
    report = check(sheets, "SAB 2025-26 Q2.xlsx")
    assert where(report) == [("UNKNOWN_CODE", "Audits", 3, "E"), ("OVERALL_NOT_APPLICABLE", "Audits", 2, "L")]
    assert report.issues[0].suggestion == "Did you mean `Demo Shire Police` (POL)?"
