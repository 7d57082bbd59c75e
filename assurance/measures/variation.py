"""A framework measure's SPC, as the scorecard, the measure's chart and the board pack all show it.

Worked out on each quarter's own figure (a four-quarter or year-to-date figure overlaps its neighbours, and limits on
overlapping windows would be too narrow), with the measure's polarity, its target and any recalculation points.
In publication mode the series is the published figures: counts rounded, and the quarters whose figure is withheld
left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from assurance.analysis.spc import SpcResult, xmr
from assurance.periods import Period


@dataclass(frozen=True)
class MeasureSpc:
    periods: list[str]
    values: list[float]
    result: SpcResult | None
    breaks: list[tuple[str, str]]  # (period, reason) where the limits are worked out afresh, within the series
    basis: str
    latest_shown: bool = True  # False when the latest quarter's figure is withheld (publication mode)

    def labels(self) -> dict[str, str]:
        """The scorecard's Variation and Assurance columns, in words."""
        if self.result is None:
            return {"Variation": "Too few quarters", "Assurance": ""}
        if not self.latest_shown:  # judged on the latest quarter, and that one is withheld
            return {"Variation": "", "Assurance": ""}
        return {"Variation": self.result.variation_label, "Assurance": self.result.assurance_label}

    def describe(self) -> str:
        if self.result is None:
            return "Fewer than two quarters to chart, so no limits yet."
        text = self.result.describe()
        if self.breaks:  # every recalculation point with its reason, in place of the bare latest one
            last = self.periods[self.result.segments[-1].start]
            text = text.replace(f" Limits worked out afresh from {last}.", "")
            text += " Limits worked out afresh from " + " and from ".join(
                f"{period} ({reason.rstrip('.')})" for period, reason in self.breaks) + "."
        if self.basis != "quarter":
            text += (" The limits are worked out on each quarter's own figure, not on the "
                     + ("four-quarter" if self.basis == "rolling4" else "year-to-date")
                     + " figures, which overlap one another.")
        return text


def measure_spc(figures: list, measure, recalculate_from: list[tuple[str, str]], publish: bool) -> MeasureSpc:
    """SPC over a measure's quarterly figures (oldest first, from FigureSet.quarter_series)."""
    from assurance.disclosure import figure_value

    shown = [(x.period, v) for x in figures if x.value is not None
             and not isinstance(v := figure_value(x, publish), str)]  # as published: counts rounded, small ones withheld
    periods, values = [p for p, _ in shown], [float(v) for _, v in shown]
    starts = [Period.parse(p).start for p in periods]
    breaks, at = [], []
    for period, reason in recalculate_from:  # from the first quarter shown on or after the recalculation point
        i = next((k for k, s in enumerate(starts) if s >= Period.parse(period).start), None)
        if i and i not in at:
            at.append(i)
            breaks.append((periods[i], reason))
    target = figures[-1].target if figures else measure.target
    result = xmr(values, measure.polarity, target, at, periods) if len(values) >= 2 else None
    latest = next((x.period for x in reversed(figures) if x.value is not None), None)
    return MeasureSpc(periods, values, result, breaks, measure.basis, bool(periods) and periods[-1] == latest)
