"""Statistical process control (XmR charts, as in NHS "Making Data Count").

Natural process limits are the mean plus or minus 2.66 times the mean moving range. A point is special
cause when it is outside the limits, part of a run of 7 or more on one side of the mean, or part of a
run of 6 or more consecutive increases or decreases.
"""

from __future__ import annotations

from dataclasses import dataclass

RUN_LENGTH = 7
TREND_LENGTH = 6


@dataclass(frozen=True)
class SpcResult:
    mean: float
    lower: float
    upper: float
    outside: tuple[bool, ...]
    run: tuple[bool, ...]
    trend: tuple[bool, ...]

    @property
    def special(self) -> tuple[bool, ...]:
        return tuple(a or b or c for a, b, c in zip(self.outside, self.run, self.trend))

    def describe(self) -> str:
        reasons = []
        if any(self.outside):
            reasons.append(f"{sum(self.outside)} point(s) outside the limits")
        if any(self.run):
            reasons.append(f"a run of {RUN_LENGTH} or more on one side of the mean")
        if any(self.trend):
            reasons.append(f"{TREND_LENGTH} or more points rising or falling in a row")
        if not reasons:
            return "Common-cause variation only: no special cause in these quarters."
        return "Special cause: " + "; ".join(reasons) + "."


def xmr(values: list[float]) -> SpcResult | None:
    """Limits and special-cause flags for a series (None when fewer than 2 points)."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    mr = [abs(values[i] - values[i - 1]) for i in range(1, n)]
    mr_bar = sum(mr) / len(mr)
    lower, upper = mean - 2.66 * mr_bar, mean + 2.66 * mr_bar
    outside = tuple(v < lower or v > upper for v in values)

    run = [False] * n
    side = [1 if v > mean else -1 if v < mean else 0 for v in values]
    i = 0
    while i < n:
        j = i
        while j + 1 < n and side[j + 1] == side[i] and side[i] != 0:
            j += 1
        if side[i] != 0 and j - i + 1 >= RUN_LENGTH:
            for k in range(i, j + 1):
                run[k] = True
        i = j + 1

    trend = [False] * n
    steps = [0] + [1 if values[k] > values[k - 1] else -1 if values[k] < values[k - 1] else 0 for k in range(1, n)]
    i = 1
    while i < n:
        j = i
        while j + 1 < n and steps[j + 1] == steps[i] and steps[i] != 0:
            j += 1
        # points i-1 .. j form a run of (j - i + 2) points moving the same way
        if steps[i] != 0 and j - i + 2 >= TREND_LENGTH:
            for k in range(i - 1, j + 1):
                trend[k] = True
        i = j + 1
    return SpcResult(mean, lower, upper, outside, tuple(run), tuple(trend))
