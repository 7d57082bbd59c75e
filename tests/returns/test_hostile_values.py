"""Hostile or impossible cell values: each is a cell-level issue with a plain message, never a traceback
or a silently wrong figure (from a security tester's report)."""

import numpy as np
import pytest

from assurance.cli import main
from assurance.reference.codelists import codelist
from assurance.returns.convert import MAX_COUNT, Problem, parse_age, parse_date, parse_whole
from assurance.returns.validate import prepare
from tests.returns.builders import activity_sheets, fast_xlsx, measure_sheets, xlsx
from tests.returns.conftest import snapshot, where

HUGE = ["inf", "-inf", "Infinity", "nan", "NaN", "1e309", "-1e309", "1e19", "99999999999999999999", float("inf"),
        float("-inf"), 1e19, 1e300, 10 ** 19, 2 ** 70]


@pytest.mark.parametrize("value", HUGE)
def test_infinite_or_huge_numbers_are_a_bad_number(value):
    problem = parse_whole(value, "Numerator")
    assert isinstance(problem, Problem) and problem.code == "BAD_NUMBER"
    assert problem.message.startswith("Numerator “") and problem.fix


def test_the_largest_count_a_quarterly_return_may_hold():
    assert parse_whole(MAX_COUNT) == MAX_COUNT == 10_000_000
    assert parse_whole("1,234,567") == 1_234_567
    problem = parse_whole("12,345,678", "Numerator")
    assert problem.code == "BAD_NUMBER" and "more than 10,000,000" in problem.message


def test_a_number_too_big_to_store_says_so():
    problem = parse_whole("1e309", "Numerator")
    assert problem.message == "Numerator “1e309” is not a whole number we can store."
    assert problem.fix.startswith("Enter the count as digits")


@pytest.mark.parametrize("text, expected", [("1,234", 1234), ("12,345", 12345), ("1,234,567", 1234567),
                                            ("1 400", 1400), ("1,234.0", 1234), ("+12", 12), ("1.2E+03", 1200)])
def test_thousands_separators_in_the_right_places(text, expected):
    assert parse_whole(text) == expected


@pytest.mark.parametrize("text", ["1,2,3", "12,34", "1,23", ",123", "123,", "1,,234", "1234,567", "1 2 3"])
def test_separators_in_the_wrong_places_are_not_read_as_a_number(text):
    problem = parse_whole(text, "Numerator")
    assert isinstance(problem, Problem) and problem.code == "BAD_NUMBER"
    assert "thousands" in problem.message and f"“{text}”" in problem.message


@pytest.mark.parametrize("text, shown", [("١٢٣", "“١” “٢” “٣”"), ("۱۲۳", "“۱” “۲” “۳”"), ("１２３", "“１” “２” “３”"),
                                         ("12३", "“३”")])
def test_digits_from_other_scripts_are_named(text, shown):
    problem = parse_whole(text, "Numerator")
    assert isinstance(problem, Problem) and problem.code == "BAD_NUMBER"
    assert shown in problem.message and "0 to 9" in problem.fix


def test_ages_and_dates_refuse_other_digits_and_impossible_values():
    bands = codelist("age_band")
    for value in ("٨٢", "８２", float("inf"), float("nan"), "inf", 1e300, 10 ** 30):
        assert parse_age(value, bands).code == "BAD_AGE", value
    for value in ("٠٣/٠٧/٢٠٢٥", "٤٥٨٤١", "０３/０７/２０２５", float("inf"), float("nan"), 1e300, 10 ** 30, "1e309",
                  "99999999", 2958466.0):
        assert parse_date(value).code == "BAD_DATE", value


def test_ids_from_infinite_numbers_are_refused(engine):
    sheets = activity_sheets(6)
    sheets["Concerns"][2][1] = float("inf")
    sheets["Concerns"][3][1] = 1e300
    prepared = prepare(fast_xlsx(sheets), "LA 2025-26 Q2.xlsx", engine)
    issues = {(i.rule, i.row, i.column): i for i in prepared.ctx.issues}
    assert issues[("BAD_ID", 3, "B")].message == "Person ID “inf” is a number too large to be an ID."
    assert ("TOO_LONG", 4, "B") in issues or ("BAD_ID", 4, "B") in issues


def _measures_file(tmp_path, value, kind="xlsx", column=1):
    sheets = measure_sheets()
    sheets["Measures"][2][column] = value
    if kind == "csv":
        path = tmp_path / "POL 2025-26 Q2.csv"
        text = "\n".join(",".join('"' + str(v).replace('"', '""') + '"' if v is not None else "" for v in row)
                         for row in sheets["Measures"])
        path.write_text(text + "\n", encoding="utf-8")
    else:
        path = tmp_path / "POL 2025-26 Q2.xlsx"
        path.write_bytes(fast_xlsx(sheets) if kind == "fast" else xlsx(sheets))
    return path


@pytest.mark.parametrize("value, kind", [
    ("inf", "xlsx"), ("-inf", "csv"), ("Infinity", "csv"), ("nan", "xlsx"), ("1e309", "csv"), ("1e19", "xlsx"),
    (float("inf"), "fast"), (float("-inf"), "fast"), (1e19, "xlsx"), (10 ** 19, "fast"), ("1,2,3", "csv"),
    ("12,34", "xlsx"), ("١٢٣", "csv"), ("１２３", "xlsx"),
])
def test_cli_load_refuses_the_number_with_a_plain_message(engine, tmp_path, capsys, value, kind):
    path = _measures_file(tmp_path, value, kind)
    assert main(["load", str(path)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    line = next(s for s in captured.out.splitlines() if "BAD_NUMBER" in s)
    sheet = path.stem if kind == "csv" else "Measures"  # a CSV's one sheet is named after the file
    assert f"{path.name}, sheet {sheet}, cell B3: Numerator “" in line and "Fix: " in line
    assert snapshot(engine)["assurance_measures"] == 0


def test_rules_compare_counts_that_would_overflow_64_bits(engine):
    """The rules never see such a number from cleaning, but must not crash on one either."""
    from assurance.returns.rules import RULES

    prepared = prepare(xlsx(measure_sheets()), "POL 2025-26 Q2.xlsx", engine)
    sheet = prepared.sheets["Measures"]
    sheet.values["numerator"] = np.array([10 ** 19, 10 ** 30, 400, 85, 12], dtype=object)
    sheet.values["denominator"] = np.array([10 ** 18, 10 ** 31, 490, None, None], dtype=object)
    ctx = prepared.ctx
    ctx.issues.clear()
    RULES["NUMERATOR_ABOVE_DENOMINATOR"].check(ctx, sheet)
    assert [(i.rule, i.row) for i in ctx.issues] == [("NUMERATOR_ABOVE_DENOMINATOR", 2)]


def test_a_cell_longer_than_excel_allows_is_refused(engine, tmp_path, capsys):
    long_text = "x" * 40_000
    path = tmp_path / "POL 2025-26 Q2.csv"
    path.write_text("Measure code,Numerator,Denominator,Commentary\n"
                    f"staff_trained,1200,1400,{long_text}\nmca_training,1100,1400,\nsupervision,400,490,\n"
                    f"concerns_raised,85,,\n{long_text},12,,\n", encoding="utf-8")
    assert main(["load", str(path)]) == 1
    out = capsys.readouterr().out
    lines = sorted(s for s in out.splitlines() if "CELL_TOO_LONG" in s)
    assert len(lines) == 2, out[:3000]
    assert "cell A6: Measure code holds 40,000 characters" in lines[0]
    assert "cell D2: Commentary holds 40,000 characters" in lines[1] and "32,767" in lines[1]
    assert long_text not in out  # the message names the cell; it does not repeat the text


def test_a_code_with_look_alike_letters_is_shown_as_typed(check):
    sheets = measure_sheets()
    sheets["Measures"][1][0] = "st\u0430ff_trained"  # Cyrillic small a
    sheets["Measures"][2][0] = "\u041c\u0421\u0410_training"  # Cyrillic capitals M, S, A
    report = check(sheets, "POL 2025-26 Q2.xlsx")
    assert "None" not in " ".join(i.message for i in report.issues)
    assert [r for r in where(report) if r[0] != "MEASURE_NOT_REPORTED"] == [
        ("UNKNOWN_CODE", "Measures", 2, "A"), ("UNKNOWN_CODE", "Measures", 3, "A")]
    first = report.issues[0]
    assert first.message == ("Measure code “st\u0430ff_trained” contains a look-alike character that is not a plain "
                             "letter: “\u0430” (Cyrillic small letter a).")
    assert first.suggestion == "Retype it with plain letters: did you mean “staff_trained”?"
    assert "“\u041c” (Cyrillic capital letter em)" in report.issues[1].message
    assert report.issues[1].suggestion == "Retype it with plain letters: did you mean “mca_training”?"
