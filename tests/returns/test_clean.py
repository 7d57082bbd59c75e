"""Cleaning: real-world mess becomes exact national labels; nothing here is rejected."""

from datetime import date, datetime

import numpy as np
import pytest

from assurance.reference.codelists import codelist
from assurance.returns.clean import header_key
from assurance.returns.convert import Problem, parse_age, parse_date, parse_whole
from assurance.returns.validate import prepare
from tests.returns.builders import ENQUIRY_HEADERS, concern_rows, enquiry_rows, xlsx


def _day(text):
    return np.datetime64(text, "D")


@pytest.mark.parametrize("value, expected", [
    (date(2025, 7, 3), "2025-07-03"), (datetime(2025, 7, 3, 14, 5), "2025-07-03"), ("03/07/2025", "2025-07-03"),
    ("3/7/25", "2025-07-03"), ("3 July 2025", "2025-07-03"), ("3rd Jul 2025", "2025-07-03"), ("2025-07-03", "2025-07-03"),
    ("03-07-2025", "2025-07-03"), ("03.07.2025", "2025-07-03"), ("3 Sept 2025", "2025-09-03"), (45841.0, "2025-07-03"),
    (" 03/07/2025 ", "2025-07-03"),
])
def test_uk_dates(value, expected):
    assert parse_date(value) == _day(expected)


@pytest.mark.parametrize("value", ["31/02/2025", "next week", "07/03/1900", 12.5])
def test_not_dates(value):
    assert isinstance(parse_date(value), Problem) and parse_date(value).code == "BAD_DATE"


def test_whole_numbers_with_commas_and_point_zero():
    assert [parse_whole(v) for v in ("1,234", "12.0", 12.0, " 1 400 ", 0)] == [1234, 12, 12, 1400, 0]
    assert [parse_whole(v).code for v in ("12.5", "n/a")] == ["BAD_NUMBER"] * 2


def test_a_negative_count_has_its_own_rule_and_plain_words():
    from assurance.returns.rules.registry import RULES

    problem = parse_whole("-3", "Numerator")
    assert problem.code == "NEGATIVE_NUMBER"
    assert problem.message == "Numerator \u201c-3\u201d is below zero, and a count cannot be negative."
    assert RULES["NEGATIVE_NUMBER"].title == "A count below zero"


def test_age_in_years_or_band():
    bands = codelist("age_band")
    assert [parse_age(v, bands) for v in (18, 64.0, "65", "82 years", 95, "85 to 94", "95+", "unknown")] == \
        ["18-64", "18-64", "65-74", "75-84", "95+", "85-94", "95+", "Not known"]
    assert parse_age(17, bands).code == "AGE_UNDER_18"
    assert parse_age(45.5, bands).code == "BAD_AGE"
    assert parse_age("old", bands).code == "BAD_AGE"


def test_headers_ignore_case_spaces_punctuation_and_notes():
    assert header_key("  DATE   received (dd/mm/yyyy) *") == header_key("Date received")
    assert header_key("Neglect & acts of omission") == header_key("neglect and acts of omission")


def test_messy_workbook_is_cleaned(engine):
    concerns = [
        ["Demo Borough Council: safeguarding concerns, July to September 2025"],  # title row
        [],
        ["concern id", "PERSON  ID", "Date Received", "Date of decision", "Referrer", "Age band", "Sex",
         "Ethnic group", "PSR", "Outcome"],  # headers by synonym, any case
        [" c0000001 ", "p 1", "01/07/2025", date(2025, 7, 2), "GP", 70, "F", "A2", "Mental Health", "S42"],
        [],  # blank row
        [1234.0, "P2", "2 July 2025", "", "Self referral", "85 to 94", "m", "Asian", "Unknown", "NFA"],
        ["C0000003", "P3", date(2025, 9, 30), "30/09/2025", "", "95+", "Female", "W1", "", "Other safeguarding enquiry"],
        ["Total", "", "", "", "", "", "", "", "", ""],
    ]
    enquiries = [ENQUIRY_HEADERS, *enquiry_rows(concern_rows(3))]
    prepared = prepare(xlsx({"Concerns": concerns, "Enquiries": enquiries}), "LA 2025-26 Q2.xlsx", engine)
    sheet = prepared.sheets["Concerns"]
    assert sheet.rows.tolist() == [4, 6, 7]  # Excel rows: title rows and blank row skipped, Total dropped
    assert sheet.values["concern_ref"].tolist() == ["C0000001", "1234", "C0000003"]
    assert sheet.values["person_id"].tolist() == ["P 1", "P2", "P3"]
    assert sheet.values["date_received"].tolist() == [date(2025, 7, 1), date(2025, 7, 2), date(2025, 9, 30)]
    assert sheet.values["decision_date"][:1].tolist() == [date(2025, 7, 2)] and np.isnat(sheet.values["decision_date"][1])
    assert sheet.values["referral_source"].tolist() == ["GP / primary care", "Self", None]
    assert sheet.values["age_band"].tolist() == ["65-74", "85-94", "95+"]
    assert sheet.values["gender"].tolist() == ["Female", "Male", "Female"]
    assert sheet.values["ethnicity_detailed"].tolist() == [
        "Pakistani", None, "White: English / Welsh / Scottish / Northern Irish / British"]
    assert sheet.values["ethnicity_broad"].tolist() == ["Asian / Asian British", "Asian / Asian British", "White"]
    assert sheet.values["primary_support_reason"].tolist() == ["Mental Health Support", "Not Known", None]
    assert sheet.values["outcome"].tolist() == ["Section 42 enquiry", "No enquiry", "Other enquiry"]
    assert sheet.letters["age_band"] == "F" and sheet.header_row == 3
    concern_issues = [i for i in prepared.ctx.issues if i.sheet == "Concerns"]
    assert concern_issues == []


def test_several_codes_in_one_cell_are_split_and_deduplicated(engine):
    concerns = concern_rows(5)
    enquiries = enquiry_rows(concerns)
    enquiries[0][6] = "neglect & acts of omission; Financial abuse | Self Neglect; Neglect"
    enquiries[0][7] = "Nursing home, own home"
    prepared = prepare(xlsx({"Concerns": [["Concern ID", "Person ID", "Date received", "Decision date", "Referral source",
                                           "Age", "Gender", "Ethnicity", "Primary support reason", "Concern outcome"],
                                          *concerns],
                             "Enquiries": [ENQUIRY_HEADERS, *enquiries]}), "LA 2025-26 Q2.xlsx", engine)
    values = prepared.sheets["Enquiries"].values
    assert values["risk_type"][0] == ("Neglect and Acts of Omission", "Financial or Material Abuse", "Self-Neglect")
    assert values["risk_location"][0] == ("Care Home - Nursing", "Own Home")


def _activity(concerns_tail: list[list], n: int = 6) -> dict[str, list[list]]:
    from tests.returns.builders import activity_sheets

    sheets = activity_sheets(n)
    sheets["Concerns"].extend(concerns_tail)
    return sheets


def test_rows_of_spaces_between_data_rows_are_blank_rows(check):
    from tests.returns.builders import activity_sheets

    sheets = activity_sheets(6)
    width = len(sheets["Concerns"][0])
    sheets["Concerns"].insert(3, ["   "] * width)  # spaces
    sheets["Concerns"].insert(5, ["\u00a0", "", " \u00a0 ", None, "\t"] + [""] * (width - 5))  # non-breaking spaces
    report = check(sheets)
    assert report.issues == []
    assert report.rows == {"Concerns": 6, "Enquiries": 2}


def test_spaces_in_an_unheaded_column_are_not_data(check):
    from tests.returns.builders import activity_sheets

    sheets = activity_sheets(6)
    sheets["Concerns"][0].append(None)
    for row in sheets["Concerns"][1:]:
        row.append("  ")
    assert check(sheets).issues == []


@pytest.mark.parametrize("tail", [
    [["Total", 6]],
    [["Total", 6], ["Source: Mosaic extract 03/10/2025"]],
    [["Total", 6], [], ["Source:", "Mosaic extract 03/10/2025"], ["Figures are provisional"]],
    [["Grand total", "", "", "", "", "", "", "", "", ""], ["Prepared by", "Performance team"]],
    [["Source: Mosaic extract 03/10/2025"]],
    [[], ["Note: figures are provisional until the year-end return."]],
])
def test_total_row_and_note_rows_after_the_data_are_dropped(check, tail):
    report = check(_activity(tail))
    assert report.issues == []
    assert report.rows["Concerns"] == 6


def test_unfinished_data_row_at_the_end_is_still_checked(check):
    report = check(_activity([["C0000099", "P0000099"]]))
    assert {(i.rule, i.row) for i in report.issues} == {("MANDATORY_BLANK", 8)}
    assert report.rows["Concerns"] == 7


def test_note_rows_are_only_dropped_after_the_data(check):
    from tests.returns.builders import activity_sheets

    sheets = activity_sheets(6)
    sheets["Concerns"].insert(3, ["Source: Mosaic extract 03/10/2025"])  # between data rows: reported, not hidden
    report = check(sheets)
    assert ("MANDATORY_BLANK", 4) in {(i.rule, i.row) for i in report.issues}


@pytest.mark.parametrize("heading", ["Person I.D.", "Person-ID", "PersonID", "person_id", " PERSON  id "])
def test_headings_ignore_punctuation_differences(heading):
    assert header_key(heading) == header_key("Person ID")


@pytest.mark.parametrize("value", ["2025-10-03 00:00:00.000", "2025-10-03 00:00:00", "2025-10-03T09:15:00Z",
                                   "2025-10-03T09:15:00.123+01:00", "03/10/2025 14:05", "03/10/2025 2:05 pm"])
def test_dates_with_a_time_of_day(value):
    assert parse_date(value) == _day("2025-10-03")


@pytest.mark.parametrize("value, message, fix", [
    ("31/02/2026", "“31/02/2026” is not a real date: February has no day 31.", "Check the day and the month"),
    ("31/04/25", "“31/04/25” is not a real date: April has no day 31.", "Check the day and the month"),
    ("12/25/2025", "“12/25/2025” has no month 25: it looks written month first.", "Write it day first: 25/12/2025."),
    ("45/13/2025", "“45/13/2025” is not a date we can read.", "Write the date as dd/mm/yyyy"),
])
def test_an_impossible_date_is_explained(value, message, fix):
    problem = parse_date(value, "Date received")
    assert problem.code == "BAD_DATE"
    assert problem.message == f"Date received {message}" and problem.fix.startswith(fix)


def test_ids_are_tidied_cell_by_cell_and_odd_ones_reported(engine):
    from tests.returns.builders import activity_sheets

    sheets = activity_sheets(6)
    sheets["Concerns"][1][1] = " p\u00a0 7\t"
    sheets["Concerns"][2][1] = "x" * 61
    sheets["Concerns"][3][1] = " \u00a0 "
    sheets["Concerns"][4][1] = 1234.0
    prepared = prepare(xlsx(sheets), "LA 2025-26 Q2.xlsx", engine)
    assert prepared.sheets["Concerns"].values["person_id"].tolist()[:5] == ["P 7", None, None, "1234", "P0000002"]
    assert {(i.rule, i.row) for i in prepared.ctx.issues if i.sheet == "Concerns"} == {("TOO_LONG", 3),
                                                                                       ("MANDATORY_BLANK", 4)}
