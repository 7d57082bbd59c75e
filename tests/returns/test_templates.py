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
    assert "**RISK_OUTCOME_MISMATCH** Risk outcome given or missing against the risk assessment outcome" in text


def test_every_rule_a_spec_names_exists():
    from assurance.returns.rules import RULES
    from assurance.returns.specs import all_specs

    named = {r["code"] for s in all_specs() for sheet in s.sheets for r in sheet.rules}
    assert named <= set(RULES)
    assert all(RULES[c].check is not None for c in named)
