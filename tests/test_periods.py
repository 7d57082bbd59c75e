from datetime import date

import pytest

from assurance.periods import Period, PeriodError, find_period, period_range


@pytest.mark.parametrize(
    "text",
    ["2025-26 Q1", "2025/26 Q1", "Q1 2025-26", "2025-26Q1", " 2025-26  q1 ", "2025-2026 Q1", "Q1 2025/26", "2025-26 Quarter 1",
     "2025-26 Q 1", "2025-26 Qtr 1", "2025-26 QTR. 1", "Q1 25/26", "Quarter 1 2025-26", "Qtr 1 2025/26", "25-26 Q1",
     "FY2025-26 Q1", "Q1 FY 25/26"],
)
def test_tolerant_parsing(text):
    assert Period.parse(text) == Period(2025, 1)
    assert Period.parse(text).label == "2025-26 Q1"


@pytest.mark.parametrize(
    "text",
    ["2025-27 Q1", "2025-26 Q5", "Q0 2025-26", "last quarter", "", "2025 Q1", "Q1 2025", "25/27 Q1", "2025-26 QQ1",
     "2025-26 Q12", "Qtr 2025-26", "Quarter 5 2025-26", "2025-26 Q1 Q2", "1 2025-26"],
)
def test_rejects_what_is_not_a_period(text):
    with pytest.raises(PeriodError, match="2025-26 Q1|consecutive years"):
        Period.parse(text)


@pytest.mark.parametrize(
    "label,start,end",
    [
        ("2025-26 Q1", date(2025, 4, 1), date(2025, 6, 30)),
        ("2025-26 Q2", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025-26 Q3", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-26 Q4", date(2026, 1, 1), date(2026, 3, 31)),
        ("2023-24 Q4", date(2024, 1, 1), date(2024, 3, 31)),
        ("1999-00 Q4", date(2000, 1, 1), date(2000, 3, 31)),
    ],
)
def test_quarter_dates(label, start, end):
    p = Period.parse(label)
    assert (p.start, p.end) == (start, end)
    assert p.contains(start) and p.contains(end) and not p.contains(p.next().start)
    assert Period.containing(start) == p and Period.containing(end) == p


def test_arithmetic_and_order():
    q4 = Period.parse("2025-26 Q4")
    assert q4.next().label == "2026-27 Q1"
    assert Period.parse("2026-27 Q1").previous() == q4
    assert q4.shift(-4).label == "2024-25 Q4"
    assert Period.parse("2024-25 Q4") < q4
    assert [p.label for p in period_range(Period.parse("2025-26 Q3"), Period.parse("2026-27 Q1"))] == [
        "2025-26 Q3", "2025-26 Q4", "2026-27 Q1"]


@pytest.mark.parametrize(
    "today,expected",
    [(date(2026, 11, 23), "2026-27 Q2"), (date(2026, 4, 1), "2025-26 Q4"), (date(2026, 3, 31), "2025-26 Q3"), (date(2026, 1, 1), "2025-26 Q3")],
)
def test_last_complete_quarter(today, expected):
    assert Period.last_complete(today).label == expected


@pytest.mark.parametrize(
    "name,expected",
    [
        ("Police 2025-26 Q2.xlsx", "2025-26 Q2"),
        ("LA_activity_2024_25_Q4_final.xlsx", "2024-25 Q4"),
        ("Q3 2025-26 ambulance.xlsx", "2025-26 Q3"),
        ("returns.xlsx", None),
    ],
)
def test_period_in_a_file_name(name, expected):
    found = find_period(name)
    assert (found.label if found else None) == expected
