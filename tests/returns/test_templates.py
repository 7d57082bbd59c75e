"""Templates: made from the specs, with instructions, colours, drop-downs, formats and a version."""

import io

import openpyxl
import pytest

from assurance.returns.specs import get_spec, spec_markdown
from assurance.returns.templates import BLANK_OK_FILL, MANDATORY_FILL, VOLUNTARY_FILL, template_bytes


@pytest.fixture(scope="module")
def activity_template():
    return template_bytes("activity")


def test_activity_template_layout(activity_template):
    wb = openpyxl.load_workbook(io.BytesIO(activity_template))
    assert wb.sheetnames == ["Instructions", "Lists", "Concerns", "Enquiries", "Template info"]
    assert (wb["Lists"].sheet_state, wb["Template info"].sheet_state) == ("hidden", "hidden")
    assert [c.value for c in wb["Template info"]["B"]][:2] == ["activity", "2026.1"]
    ws = wb["Enquiries"]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in get_spec("activity").sheet("Enquiries").columns]
    assert ws.freeze_panes == "A2"
    fills = {c.value: c.fill.fgColor.rgb[-6:] for c in ws[1]}
    assert fills["Enquiry ID"] == MANDATORY_FILL.fgColor.rgb[-6:]
    assert fills["Risk outcome"] == BLANK_OK_FILL.fgColor.rgb[-6:]
    assert fills["Felt safer"] == VOLUNTARY_FILL.fgColor.rgb[-6:]
    # formats are set for whole columns, so they reach every row the drop-downs and checks reach (and beyond)
    assert ws.column_dimensions["E"].number_format == "dd/mm/yyyy"
    assert ws.column_dimensions["A"].number_format == "@"
    assert wb["Concerns"].column_dimensions["F"].number_format == "General"  # Age: years or a band
    assert {str(dv.sqref).split(":")[1] for dv in ws.data_validations.dataValidation} == {f"{c}100000" for c in "DEFGHIJKLMNOP"}
    lists = {next(iter(dv.sqref.ranges)).coord.split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation
             if dv.type == "list"}
    # every codelist column has a drop-down from the hidden Lists sheet
    for letter in "DGHIJKLMNOP":
        assert lists[f"{letter}2"].startswith("'Lists'!$"), letter
    lists_ws = wb["Lists"]
    col = lists["G2"].split("!")[1].split(":")[0].replace("$", "")[0]
    assert [c.value for c in lists_ws[col]][1:12] == list(get_spec("activity").codelist("type_of_risk").values)
    assert "Who makes it" in " ".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)


def test_blank_template_checks_as_empty_and_filled_template_loads(activity_template, check, load):
    report = check(activity_template, "LA 2025-26 Q2.xlsx")
    assert sorted({i.rule for i in report.issues}) == ["NO_DATA"]
    wb = openpyxl.load_workbook(io.BytesIO(activity_template))
    from tests.returns.builders import activity_sheets

    for name, rows in activity_sheets(8).items():
        for r, row in enumerate(rows[1:], start=2):
            for j, v in enumerate(row, start=1):
                wb[name].cell(row=r, column=j, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    result = load(buf.getvalue(), "LA 2025-26 Q2.xlsx")
    assert result.loaded and result.rows_loaded == 8 + 3
    assert result.report.detected["type"] == "from the template"


def test_assurance_template_lists_the_measures():
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("assurance")))
    assert [wb["Measures"].cell(row=r, column=1).value for r in range(2, 7)] == [
        "staff_trained", "mca_training", "supervision", "concerns_raised", "dols_applications"]


def test_audit_template_offers_partner_codes():
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("audit")))
    assert [c.value for c in wb["Lists"]["B"]][1:4] == ["Outstanding", "Good", "Requires improvement"]
    codes = [c.value for c in wb["Lists"]["A"] if c.value][1:]
    assert codes[:3] == ["LA", "POL", "ACU"] and "SAB" in codes


def test_documentation_page_from_the_spec():
    text = spec_markdown(get_spec("activity"))
    assert "#### Sheet `Enquiries`" in text
    assert "| Felt safer | Optional | one value from the list |" in text
    assert "Risk outcome given or missing against the risk assessment outcome" in text
    assert "RISK_OUTCOME_MISMATCH" not in text  # checks by their plain titles, not their codes


def test_every_rule_a_spec_names_exists():
    from assurance.returns.rules import RULES
    from assurance.returns.specs import all_specs

    named = {r["code"] for s in all_specs() for sheet in s.sheets for r in sheet.rules}
    assert named <= set(RULES)
    assert all(RULES[c].check is not None for c in named)


def _measures_sheet(data: bytes) -> list[tuple]:
    ws = openpyxl.load_workbook(io.BytesIO(data))["Measures"]
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=1, max_col=5)]


def test_a_partner_gets_the_measures_its_type_makes_named_beside_their_codes():
    from assurance.measures.framework import load_framework

    fw = load_framework()
    for_police = [m for m in fw.measures if m.applies_to == "assurance" and m.made_by("Police")]
    assert "dols_applications" not in [m.id for m in for_police]  # the framework says who makes DoLS applications
    rows = _measures_sheet(template_bytes("assurance", partner_type="Police"))
    assert rows[0][4] == "What the measure is, for reference (not read)"
    assert [(r[0], r[4]) for r in rows[1:] if r[0]] == [(m.id, m.name) for m in for_police]
    council = _measures_sheet(template_bytes("assurance", partner_type="Local authority"))
    assert "dols_applications" in [r[0] for r in council[1:]]


def test_the_filled_template_with_its_reference_column_loads_cleanly(check):
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("assurance", partner_type="Police")))
    ws = wb["Measures"]
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value:
            ws.cell(row=r, column=2, value=5)
            ws.cell(row=r, column=3, value=10)
    ws.cell(row=[c.value for c in ws["A"]].index("concerns_raised") + 1, column=3, value=None)
    buf = io.BytesIO()
    wb.save(buf)
    report = check(buf.getvalue(), "POL 2025-26 Q2.xlsx")
    assert report.issues == []  # the police make no DoLS applications: no query for leaving them out


def test_the_completeness_query_follows_the_partner_type(check):
    from tests.returns.builders import measure_sheets

    sheets = measure_sheets()
    sheets["Measures"] = [r for r in sheets["Measures"] if r[0] != "dols_applications"]
    assert [i.rule for i in check(sheets, "POL 2025-26 Q2.xlsx").issues] == []
    assert [i.message for i in check(sheets, "ACU 2025-26 Q2.xlsx").issues] == [
        "There is no row for “dols_applications” (Deprivation of Liberty Safeguards applications made)."]


def test_the_demo_collects_each_measure_from_the_partner_types_the_framework_names():
    from assurance import demo
    from assurance.measures.framework import load_framework

    dols = load_framework().get("dols_applications")
    assert set(dols.partner_types) == demo.COLLECTED_BY["dols_applications"]
