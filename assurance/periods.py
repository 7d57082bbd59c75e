"""UK financial-year quarters: Q1 = Apr-Jun, Q2 = Jul-Sep, Q3 = Oct-Dec, Q4 = Jan-Mar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from assurance.errors import AssuranceError

_QUARTER_START_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}

# A quarter: "Q1", "Q 1", "Q.1", "Qtr 1", "Qtr. 1", "Quarter 1".
_QUARTER = r"(?:QUARTER|QTR|Q)\.?\s*([1-4])"
# A financial year: "2025-26", "2025/26", "2025-2026", "25/26", "FY2025-26", "FY 25-26".
_YEAR = r"(?:FY\s*)?(\d{4}|\d{2})\s*[-/\u2013_ ]\s*(\d{2}|\d{4})"
# "2025-26 Q1", "2025/26 Q1", "2025-2026 Q1", "2025-26Q1", "2025-26 Q 1", "2025-26 Qtr 1", "25/26 Q1"
_YEAR_FIRST = re.compile(rf"^{_YEAR}\s*[-_,:]?\s*{_QUARTER}$")
# "Q1 2025-26", "Q1 25/26", "Quarter 1 2025/26", "Qtr 1 2025-26"
_QUARTER_FIRST = re.compile(rf"^{_QUARTER}\s*[-_,:]?\s*{_YEAR}$")


class PeriodError(AssuranceError, ValueError):
    """Text that is not a reporting period."""


@dataclass(frozen=True, order=True)
class Period:
    """A financial-year quarter; `year` is the calendar year the financial year starts in."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise PeriodError(f"Quarter must be 1 to 4, not {self.quarter}.")

    @property
    def label(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d} Q{self.quarter}"

    @property
    def financial_year(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    @property
    def start(self) -> date:
        month = _QUARTER_START_MONTH[self.quarter]
        return date(self.year + (1 if self.quarter == 4 else 0), month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def shift(self, quarters: int) -> Period:
        index = self.year * 4 + (self.quarter - 1) + quarters
        return Period(index // 4, index % 4 + 1)

    def next(self) -> Period:
        return self.shift(1)

    def previous(self) -> Period:
        return self.shift(-1)

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        if isinstance(text, Period):
            return text
        cleaned = re.sub(r"\s+", " ", str(text).strip().upper())
        m = _YEAR_FIRST.match(cleaned)
        if m:
            start, end, q = m.group(1), m.group(2), m.group(3)
        else:
            m = _QUARTER_FIRST.match(cleaned)
            if not m:
                raise PeriodError(
                    f"{text!r} is not a reporting period; write it like '2025-26 Q1' "
                    "(financial year, then quarter 1 to 4)."
                )
            q, start, end = m.group(1), m.group(2), m.group(3)
        year = int(start) if len(start) == 4 else 2000 + int(start)  # "25/26" is 2025-26
        expected_end = year + 1
        if int(end) not in (expected_end % 100, expected_end):
            raise PeriodError(
                f"{text!r}: the financial year must be two consecutive years, e.g. {year}-{expected_end % 100:02d}."
            )
        return cls(year, int(q))

    @classmethod
    def containing(cls, day: date) -> Period:
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @classmethod
    def last_complete(cls, today: date | None = None) -> Period:
        """The last quarter that ended before `today`."""
        return cls.containing(today or date.today()).previous()


def find_period(text: str) -> Period | None:
    """The first reporting period written anywhere in `text` (e.g. a file name), or None."""
    patterns = [
        r"(\d{4}\s*[-/_ ]\s*(?:\d{2}|\d{4})\s*[-_ ]?\s*Q[1-4])",
        r"(Q[1-4]\s*[-_ ]?\s*\d{4}\s*[-/_ ]\s*(?:\d{2}|\d{4}))",
    ]
    for pattern in patterns:
        for m in re.finditer(pattern, text, flags=re.IGNORECASE):
            try:
                return Period.parse(m.group(1).replace("_", " "))
            except PeriodError:
                continue
    return None


def period_range(first: Period, last: Period) -> list[Period]:
    out, p = [], first
    while p <= last:
        out.append(p)
        p = p.next()
    return out
