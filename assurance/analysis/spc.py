"""Statistical process control as NHS England's Making Data Count does it (XmR charts).

The rules follow NHS-R's NHSRplotthedots, the reference implementation, with its defaults:
- limits: the mean plus or minus 2.66 times the mean moving range; moving ranges of 3.267 times the mean moving
  range or more are screened out and the mean moving range worked out again;
- a point is special cause when it is outside the limits; part of 7 or more points in a row all rising or all
  falling (a point equal to the one before breaks the trend); part of 2 of 3 points in a row on the same side of the
  mean that lie beyond two-thirds of the way from the mean to the limit (but not outside it); or part of 7 or more
  points in a row on one side of the mean (a point on the mean breaks the run). Where rules overlap, the first in
  that order names the point;
- variation is judged on the latest point: common cause, special cause improving or concerning by the measure's
  polarity, or special cause high or low for a measure with no better direction;
- assurance compares the target with the latest limits: outside them the measure consistently passes or fails,
  between them it hits and misses;
- a recalculation point starts a new segment: limits and rules are worked out afresh from that point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LIMIT = 2.66
NEAR_LIMIT = 2 * LIMIT / 3
SCREEN = 3.267  # moving ranges this many times the mean or more are screened out
RUN = 7
TRIAL_BELOW = 12  # a segment with fewer points has trial limits, revised with each new point

DIRECTION = {"higher": 1, "lower": -1, "information": 0}

VARIATION_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause improving",
    "special_cause_concern": "Special cause concerning",
    "special_cause_neutral_high": "Special cause high",
    "special_cause_neutral_low": "Special cause low",
}
ASSURANCE_LABELS = {
    "consistent_pass": "Consistently passing",
    "consistent_fail": "Consistently failing",
    "inconsistent": "Hit and miss",
}
# Making Data Count's icons: a circle coloured by meaning (blue improving or passing, orange concerning or failing,
# grey common cause or hit and miss) with a letter; dark enough for white letters to read (WCAG AA).
ICON_COLOURS = {"improvement": "#005EB8", "concern": "#B04A00", "neutral": "#7C2855", "common": "#5E6E7A",
                "pass": "#005EB8", "fail": "#B04A00", "inconsistent": "#5E6E7A"}


@dataclass(frozen=True)
class Segment:
    """Points start .. end - 1, with the limits worked out from them (None with a single point)."""

    start: int
    end: int
    mean: float
    lower: float | None
    upper: float | None

    @property
    def n(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class SpcResult:
    values: tuple[float, ...]
    segments: tuple[Segment, ...]
    causes: tuple[str, ...]  # per point: "" or e.g. "above the upper limit", "7 rising"
    point_types: tuple[str, ...]
    polarity: str
    target: float | None
    labels: tuple[str, ...] | None = None

    # The latest segment's lines, for a chart or a table.
    @property
    def mean(self) -> float:
        return self.segments[-1].mean

    @property
    def lower(self) -> float | None:
        return self.segments[-1].lower

    @property
    def upper(self) -> float | None:
        return self.segments[-1].upper

    @property
    def special(self) -> tuple[bool, ...]:
        return tuple(t != "common_cause" for t in self.point_types)

    @property
    def variation(self) -> str:
        """Making Data Count's variation type, judged on the latest point."""
        return self.point_types[-1]

    @property
    def assurance(self) -> str | None:
        """Making Data Count's assurance type: None without a target, for a measure with no better direction, or
        when the latest segment has too few points for limits."""
        last = self.segments[-1]
        direction = DIRECTION.get(self.polarity, 0)
        if self.target is None or direction == 0 or last.upper is None:
            return None
        if self.target > last.upper:
            return "consistent_fail" if direction == 1 else "consistent_pass"
        if self.target < last.lower:
            return "consistent_pass" if direction == 1 else "consistent_fail"
        return "inconsistent"

    @property
    def variation_label(self) -> str:
        return variation_label(self.variation, self.polarity)

    @property
    def assurance_label(self) -> str:
        return ASSURANCE_LABELS.get(self.assurance, "")

    def _when(self, i: int) -> str:
        return self.labels[i] if self.labels else f"quarter {i + 1}"

    def _span(self, i: int) -> tuple[int, int]:
        """The run of consecutive points ending at or containing point i that share its special cause."""
        a = b = i
        seg = _segment_of(self.segments, i)
        same = lambda j: self.causes[j] == self.causes[i] and _segment_of(self.segments, j) == seg  # noqa: E731
        while a > 0 and same(a - 1):
            a -= 1
        while b + 1 < len(self.causes) and same(b + 1):
            b += 1
        return a, b

    def _cause_text(self, i: int) -> str:
        cause = self.causes[i]
        a, b = self._span(i)
        n = b - a + 1
        where = self._when(a) if n == 1 else f"{self._when(a)} to {self._when(b)}"
        if cause in ("above the upper limit", "below the lower limit"):
            if n == 1:
                return f"{where} was {cause}"
            return f"{n} quarters were {cause} ({where})"
        if cause.startswith("rising") or cause.startswith("falling"):
            return f"{n} quarters in a row {cause.split()[0]} ({where})"
        if cause.startswith("near"):
            side = "upper" if "upper" in cause else "lower"
            return (f"2 of 3 quarters in a row close to the {side} limit, beyond two-thirds of the way from the mean "
                    f"({where})")
        return f"{n} quarters in a row {cause} ({where})"

    def describe(self) -> str:
        """The chart in words: variation, assurance, earlier special causes and how the limits were set."""
        var = self.variation_label
        if self.variation == "common_cause":
            parts = [f"{var}: the latest quarter shows no sign of change beyond the usual ups and downs."]
        else:
            parts = [f"{var}: {self._cause_text(len(self.values) - 1)}."]
        latest = self._span(len(self.values) - 1)[0] if self.variation != "common_cause" else len(self.values)
        earlier, seen = [], set()
        for i in range(latest):
            if self.causes[i] and i not in seen:
                a, b = self._span(i)
                seen.update(range(a, b + 1))
                earlier.append(self._cause_text(i))
        if earlier:
            parts.append("Earlier special cause: " + "; ".join(earlier) + ".")
        if self.assurance is not None:
            parts.append(f"{self.assurance_label}: " + {
                "consistent_pass": "the target is outside the limits on the passing side, so the measure will meet it "
                                   "unless the process changes.",
                "consistent_fail": "the target is outside the limits on the failing side, so the measure will not meet "
                                   "it unless the process changes.",
                "inconsistent": "the target lies between the limits, so the measure will meet it in some quarters "
                                "and not in others.",
            }[self.assurance])
        last = self.segments[-1]
        if len(self.segments) > 1:
            parts.append(f"Limits worked out afresh from {self._when(last.start)}.")
        if last.upper is None:
            parts.append("Only one quarter since the limits were last worked out afresh, so there are no limits yet.")
        elif last.n < TRIAL_BELOW:
            parts.append(f"Trial limits on {last.n} quarters: they will move as quarters are added.")
        return " ".join(parts)


def variation_label(kind: str, polarity: str) -> str:
    label = VARIATION_LABELS.get(kind, "")
    if kind in ("special_cause_improvement", "special_cause_concern"):
        high = (kind == "special_cause_improvement") == (polarity == "higher")
        label += " (high)" if high else " (low)"
    return label


def icon(kind: str | None, polarity: str = "information") -> tuple[str, str] | None:
    """(colour, letter) of Making Data Count's icon for a variation or assurance type; None for no icon."""
    if kind is None:
        return None
    if kind in ASSURANCE_LABELS:
        return {"consistent_pass": (ICON_COLOURS["pass"], "P"), "consistent_fail": (ICON_COLOURS["fail"], "F"),
                "inconsistent": (ICON_COLOURS["inconsistent"], "?")}[kind]
    if kind == "common_cause":
        return ICON_COLOURS["common"], ""
    letter = "H" if variation_label(kind, polarity).endswith(("(high)", "high")) else "L"
    colour = {"special_cause_improvement": "improvement", "special_cause_concern": "concern"}.get(kind, "neutral")
    return ICON_COLOURS[colour], letter


def icon_svg(kind: str | None, polarity: str = "information") -> str:
    """A small inline SVG of the icon, as a data URI (no external assets); an empty string for no icon."""
    found = icon(kind, polarity)
    return _svg(*found) if found else ""


def label_icon(label: str) -> tuple[str, str] | None:
    """The icon for a Variation or Assurance label as the scorecard shows it in words."""
    for kind, text in ASSURANCE_LABELS.items():
        if label == text:
            return icon(kind)
    for kind in VARIATION_LABELS:
        for polarity in ("higher", "lower", "information"):
            if variation_label(kind, polarity) == label:
                return icon(kind, polarity)
    return None


def label_svg(label: str) -> str | None:
    """label_icon as an inline SVG data URI (None for no icon), for a table's image column."""
    found = label_icon(label)
    return _svg(*found) if found else None


def _svg(colour: str, letter: str) -> str:
    import base64

    mark = (f'<text x="12" y="16.5" text-anchor="middle" font-family="Arial, sans-serif" font-size="13" '
            f'font-weight="bold" fill="white">{letter}</text>' if letter else
            '<path d="M5.5 13 L9 10 L12 14 L15 10 L18.5 12" fill="none" stroke="white" stroke-width="2"/>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">'
           f'<circle cx="12" cy="12" r="11" fill="{colour}"/>{mark}</svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _segment_of(segments: tuple[Segment, ...], i: int) -> int:
    return next(k for k, s in enumerate(segments) if s.start <= i < s.end)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _limits(ys: list[float], start: int) -> Segment:
    mean = sum(ys) / len(ys)
    if len(ys) < 2:
        return Segment(start, start + len(ys), mean, None, None)
    mr = [abs(ys[i] - ys[i - 1]) for i in range(1, len(ys))]
    amr = sum(mr) / len(mr)
    kept = [r for r in mr if r < SCREEN * amr]
    if kept:  # all screened out only when every moving range is 0: the limits sit on the mean
        amr = sum(kept) / len(kept)
    return Segment(start, start + len(ys), mean, mean - LIMIT * amr, mean + LIMIT * amr)


def _part_of_seven(ends: list[int]) -> list[bool]:
    """Points that belong to a run of 7 ending at a flagged point (the flagged point and the 6 before it)."""
    n = len(ends)
    return [any(ends[j] != 0 for j in range(i, min(i + RUN, n))) for i in range(n)]


def _causes(ys: list[float], seg: Segment) -> list[str]:
    """Each point's special cause within one segment, or ""."""
    n = len(ys)
    if seg.upper is None:
        return [""] * n
    side = [_sign(y - seg.mean) for y in ys]
    amr = (seg.upper - seg.mean) / LIMIT
    near_low, near_high = seg.mean - NEAR_LIMIT * amr, seg.mean + NEAR_LIMIT * amr
    outside = [y > seg.upper or y < seg.lower for y in ys]
    close = [not o and (y < near_low or y > near_high) for y, o in zip(ys, outside)]

    trend_end = [0] * n
    for i in range(RUN - 1, n):
        steps = {_sign(ys[i - k] - ys[i - k - 1]) for k in range(RUN - 1)}
        trend_end[i] = steps.pop() if len(steps) == 1 and 0 not in steps else 0
    in_trend = _part_of_seven(trend_end)

    shift_end = [int(i >= RUN - 1 and side[i] != 0 and all(side[i - k] == side[i] for k in range(1, RUN)))
                 for i in range(n)]
    in_shift = _part_of_seven(shift_end)

    def window_fires(a: int) -> bool:  # points a .. a + 2, all inside the segment
        return 0 <= a and a + 2 < n and sum(close[a:a + 3]) >= 2 and abs(sum(side[a:a + 3])) == 3

    in_two_of_three = [close[i] and any(window_fires(i - k) for k in range(3)) for i in range(n)]

    diffs = [_sign(ys[i + 1] - ys[i]) for i in range(n - 1)]
    out = []
    for i in range(n):
        if outside[i]:
            out.append("above the upper limit" if side[i] == 1 else "below the lower limit")
        elif in_trend[i]:
            # the trend's direction: the step after the point if the next one is in a trend too, else the one before
            step = diffs[i] if i + 1 < n and in_trend[i + 1] else (diffs[i - 1] if i > 0 else 0)
            out.append("rising" if step == 1 else "falling")
        elif in_two_of_three[i]:
            out.append("near the upper limit" if side[i] > 0 else "near the lower limit")
        elif in_shift[i]:
            out.append("above the mean" if side[i] > 0 else "below the mean")
        else:
            out.append("")
    return out


def _point_type(cause: str, direction: int) -> str:
    high = cause.startswith(("above", "rising", "near the upper"))
    low = cause.startswith(("below", "falling", "near the lower"))
    v = 1 if high else -1 if low else 0
    if v == 0:
        return "common_cause"
    if direction == 0:
        return "special_cause_neutral_high" if v > 0 else "special_cause_neutral_low"
    return "special_cause_improvement" if v * direction > 0 else "special_cause_concern"


def xmr(values: list[float], polarity: str = "information", target: float | None = None,
        recalculate_at: list[int] | tuple[int, ...] = (), labels: list[str] | None = None) -> SpcResult | None:
    """Limits, special causes, variation and assurance for a series, oldest first (None when fewer than 2 points).

    recalculate_at: positions from which the limits are worked out afresh (a known change in process).
    labels: the periods, for the description.
    """
    values = [float(v) for v in values]
    n = len(values)
    if n < 2:
        return None
    if any(math.isnan(v) for v in values):
        raise ValueError("A series for SPC must not have gaps: leave out the quarters with no value.")
    starts = sorted({0, *(i for i in recalculate_at if 0 < i < n)})
    segments, causes = [], []
    for a, b in zip(starts, [*starts[1:], n]):
        seg = _limits(values[a:b], a)
        segments.append(seg)
        causes += _causes(values[a:b], seg)
    direction = DIRECTION.get(polarity, 0)
    return SpcResult(tuple(values), tuple(segments), tuple(causes), tuple(_point_type(c, direction) for c in causes),
                     polarity, target, tuple(labels) if labels else None)
