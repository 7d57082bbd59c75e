"""What a person reads in a validation report, the documentation page and the template is plain text: no Markdown
backticks, no 'None', no 'yes, may be blank'."""

import io
import openpyxl

from assurance.returns.specs import get_spec, spec_markdown
from assurance.returns.templates import template_bytes
from tests.returns.builders import activity_sheets, measure_sheets


def _broken_activity():
    sheets = activity_sheets(12)
    sheets["Concerns"][2][6] = "Femail"  # unknown code: "Did you mean ..."
    sheets["Concerns"][3][2] = "31/02/2026"  # not a real date
    sheets["Concerns"][4][5] = "eighty"  # not an age
    sheets["Concerns"][5][0] = sheets["Concerns"][6][0]  # duplicate ID
    sheets["Enquiries"][1][6] = "Financal Abuse"  # one of several codes unknown
    sheets["Enquiries"][1][10] = None  # risk outcome missing where a risk was identified
    return sheets


def test_no_backticks_in_any_message_or_fix(check):
    report = check(_broken_activity(), "LA 2025-26 Q2.xlsx")
    rules = {i.rule for i in report.issues}
    assert {"UNKNOWN_CODE", "BAD_DATE", "BAD_AGE", "DUPLICATE_ID", "RISK_OUTCOME_MISMATCH"} <= rules
    for issue in report.issues:
        assert "`" not in issue.message and "`" not in (issue.suggestion or ""), issue
    frame = report.frame()
    assert not frame["Problem"].str.contains("`").any() and not frame["How to fix it"].str.contains("`").any()
    fixes = report.frame()["How to fix it"].tolist()
    assert "Did you mean \u201cFemale\u201d?" in fixes and "Did you mean \u201cFinancial or Material Abuse\u201d?" in fixes


def test_no_backticks_in_the_return_wide_messages(check):
    report = check(measure_sheets(), "Police and Ambulance 2025-26 Q2.xlsx")  # two partners named: not guessed
    assert [i.rule for i in report.issues if i.rule == "PARTNER_UNKNOWN"] == ["PARTNER_UNKNOWN"]
    for issue in report.issues:
        assert "`" not in issue.message and "`" not in (issue.suggestion or ""), issue


def test_issue_tables_hold_blanks_not_none(check):
    report = check(measure_sheets(), "Police 2025-26 Q3.xlsx", period="2025-26 Q2")  # a whole-file issue
    frame = report.frame()
    assert len(frame) and not frame.drop(columns=["Row"]).isna().any().any()
    assert frame["Cell"].tolist() == [""] * len(frame)


def test_documentation_page_says_when_to_fill_in_a_column():
    text = spec_markdown(get_spec("activity"))
    assert "may be blank" not in text and "| voluntary |" not in text.lower()
    assert "| Concern ID | Every row | reference |" in text
    assert "| Decision date | When it applies | date (dd/mm/yyyy) |" in text
    assert "| Felt safer | Optional | one value from the list |" in text


def test_template_notes_use_plain_words():
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("activity")))
    notes = [c.comment.text for c in wb["Concerns"][1] if c.comment] + \
        [c.comment.text for c in wb["Enquiries"][1] if c.comment]
    assert notes and not any("may be blank" in n or "Mandatory column" in n for n in notes)
    decision = next(c.comment.text for c in wb["Concerns"][1] if c.value == "Decision date")
    assert decision.startswith("Fill in when it applies.")
