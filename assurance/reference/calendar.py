"""England working days: weekends and England and Wales bank holidays (data/bank_holidays_england.csv)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from assurance.paths import DATA_DIR

CALENDAR_FIRST = date(2019, 1, 1)
CALENDAR_LAST = date(2030, 12, 31)


@lru_cache(maxsize=1)
def bank_holidays() -> tuple[date, ...]:
    with open(DATA_DIR / "bank_holidays_england.csv", newline="", encoding="utf-8") as f:
        return tuple(date.fromisoformat(r["date"]) for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def _holidays_np() -> np.ndarray:
    return np.array(bank_holidays(), dtype="datetime64[D]")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in set(bank_holidays())


def working_days_after(received: date, decided: date) -> int:
    """Working days after the day of receipt, up to and including the decision date."""
    if decided <= received:
        return 0
    return int(np.busday_count(received + timedelta(days=1), decided + timedelta(days=1), holidays=_holidays_np()))


def add_working_days(start: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Vectorised: the date `days` working days after each start (a weekend start counts from the next working day)."""
    return np.busday_offset(start.astype("datetime64[D]"), days, roll="forward", holidays=_holidays_np())


def calendar_rows(first: date = CALENDAR_FIRST, last: date = CALENDAR_LAST) -> list[tuple[str, bool, int]]:
    """(day, is working day, running count of working days up to and including the day) for the calendar table.

    Working days after receipt up to the decision = index(decision) - index(receipt).
    """
    holidays = set(bank_holidays())
    rows, index, day = [], 0, first
    while day <= last:
        working = day.weekday() < 5 and day not in holidays
        index += working
        rows.append((day.isoformat(), working, index))
        day += timedelta(days=1)
    return rows
