"""Partner assurance and audit return rules."""

import os

from tests.returns.builders import audit_sheets, measure_sheets
from tests.returns.conftest import where


def test_numerator_above_denominator(check):
    sheets = measure_sheets()
    sheets["Measures"][2][1] = 1500  # mca_training 1500 / 1400
    report = check(sheets, "POL 2025-26 Q2.xlsx")
    assert where(report) == [("NUMERATOR_ABOVE_DENOMINATOR", "Measures", 3, "B")]
    assert report.issues[0].message == "Numerator 1,500 is more than the denominator 1,400 for “mca_training”."


def test_rates_need_a_denominator(check):
    sheets = measure_sheets()
    sheets["Measures"][1][2] = None
    sheets["Measures"][3][2] = 0
    assert where(check(sheets, "POL 2025-26 Q2.xlsx")) == [("DENOMINATOR_NEEDED", "Measures", 2, "C"),
                                                           ("DENOMINATOR_NEEDED", "Measures", 4, "C")]


def test_measure_by_label_and_missing_measure_query(check):
    sheets = measure_sheets()
    sheets["Measures"][1][0] = "Staff trained to their safeguarding level"
    del sheets["Measures"][5]  # dols_applications, which an acute trust makes (the police do not)
    report = check(sheets, "ACU 2025-26 Q2.xlsx")
    assert where(report) == [("MEASURE_NOT_REPORTED", "Measures", None, "A")]
    assert report.issues[0].severity == "query"


def test_audit_overall_grade_and_unknown_agency(check):
    sheets = audit_sheets()
    sheets["Audits"][1][11] = "N/A"
    sheets["Audits"][2][4] = "Demo Polise"
    report = check(sheets, "SAB 2025-26 Q2.xlsx")
    assert where(report) == [("UNKNOWN_CODE", "Audits", 3, "E"), ("OVERALL_NOT_APPLICABLE", "Audits", 2, "L")]
    assert report.issues[0].suggestion == "Did you mean “Demo Shire Police” (POL)?"


def _template_list(return_type: str, header: str) -> list[str]:
    """The values the template's drop-down offers for a column."""
    import io

    import openpyxl

    from assurance.returns.templates import template_bytes

    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(return_type)))
    sheet = next(ws for ws in wb.worksheets if ws.title not in ("Instructions", "Lists", "Template info")
                 and header in [c.value for c in ws[1]])
    letter = next(c.column_letter for c in sheet[1] if c.value == header)
    dv = next(dv for dv in sheet.data_validations.dataValidation if dv.type == "list" and str(dv.sqref).startswith(letter + "2"))
    first, last = dv.formula1.split("!")[1].replace("$", "").split(":")  # e.g. A2:A6 on the Lists sheet
    col = first.rstrip("0123456789")
    return [wb["Lists"][f"{col}{r}"].value for r in range(int(first[len(col):]), int(last[len(col):]) + 1)]


def test_measure_codes_are_the_frameworks_assurance_measures():
    from assurance.measures.framework import framework
    from assurance.returns.specs import get_spec

    spec = get_spec("assurance")
    in_framework = [m.id for m in framework().measures if m.applies_to == "assurance"]
    codes = [m.code for m in spec.measures]
    assert codes[:len(in_framework)] == in_framework
    assert set(codes) == set(in_framework) | {"concerns_raised", "dols_applications"}
    assert list(spec.codelist("measure_code").values) == codes
    assert _template_list("assurance", "Measure code") == codes


def test_a_measure_added_to_the_framework_is_accepted_and_offered(check, monkeypatch, tmp_path):
    from assurance.config import DEFAULTS_DIR
    from assurance.returns.specs import get_spec

    extra = '''
[[measure]]
id = "prevent_training"
name = "Prevent awareness training"
strand = "quality"
numerator = "Staff with current Prevent training"
denominator = "Staff who need it"
polarity = "higher"
target = 90.0
unit = "%"
applies_to = "assurance"
definition = "staff_trained"
'''
    path = tmp_path / "framework.toml"
    path.write_text((DEFAULTS_DIR / "framework.toml").read_text(encoding="utf-8") + extra, encoding="utf-8")
    pristine = os.environ["ASSURANCE_FRAMEWORK"]
    monkeypatch.setenv("ASSURANCE_FRAMEWORK", str(path))
    spec = get_spec("assurance")
    assert spec.measure("prevent_training").kind == "rate"
    assert "prevent_training" in _template_list("assurance", "Measure code")
    sheets = measure_sheets()
    sheets["Measures"].append(["Prevent awareness training", 900, 1000, None])  # by the framework's name
    assert check(sheets, "POL 2025-26 Q2.xlsx").issues == []
    sheets["Measures"][-1][2] = None
    assert where(check(sheets, "POL 2025-26 Q2.xlsx")) == [("DENOMINATOR_NEEDED", "Measures", 7, "C")]
    report = check(measure_sheets(), "POL 2025-26 Q2.xlsx")
    assert [(i.rule, i.value) for i in report.issues] == [("MEASURE_NOT_REPORTED", "prevent_training")]
    monkeypatch.setenv("ASSURANCE_FRAMEWORK", pristine)  # back to the framework as shipped
    assert get_spec("assurance").measure("prevent_training") is None


def test_audit_template_overall_grade_does_not_offer_not_applicable():
    assert _template_list("audit", "Overall grade") == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert _template_list("audit", "Mental capacity")[-1] == "Not applicable"  # a domain may be not applicable
