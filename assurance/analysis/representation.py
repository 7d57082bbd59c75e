"""Representation of groups against the adult population baseline, with 95% confidence intervals.

Representation ratio = (group's share of the adults in safeguarding) / (group's share of the population).
95% interval: the Wilson score interval for the group's share (a of n adults in safeguarding), divided by its
population share (P of N, a census count taken as exact). Wilson behaves well for small counts and gives an
interval at 0. The finding follows the interval: over- or under-represented only when it excludes 1.
Refused and Not known are left out of both shares and reported as recording gaps.

Age-adjusted representation (indirect standardisation): a group's expected adults = the sum over age bands of
its population in the band x the Board's rate in that band (adults with concerns per resident, all groups
together); standardised ratio = observed / expected, with Byar's approximation to the exact Poisson interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from assurance.reference.population import ENGLAND_ADULT_AGE_MIX

Z95 = 1.959964
INTERVAL_METHOD = ("95% intervals: Wilson score interval for the group's share of the adults, divided by its share "
                   "of the population")
ADJUSTED_METHOD = ("Indirect standardisation: expected adults from the group's residents in each age band and the "
                   "Board's rate in that band (all groups together). 95% intervals by Byar's method on the observed "
                   "count")


def _wilson(a: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion a/n."""
    p, z2 = a / n, z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _byar(observed: int, z: float = Z95) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson 95% limits for an observed count."""
    lower = 0.0 if observed == 0 else observed * (1 - 1 / (9 * observed) - z / (3 * math.sqrt(observed))) ** 3
    o1 = observed + 1
    return lower, o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3


@dataclass(frozen=True)
class Representation:
    group: str
    count: int
    share: float  # percent of adults in safeguarding with the group recorded
    population: int
    population_share: float  # percent
    ratio: float | None
    lower: float | None
    upper: float | None

    @property
    def finding(self) -> str:
        if self.ratio is None or self.lower is None:
            return "too few to say"
        if self.lower > 1:
            return "over-represented"
        if self.upper < 1:
            return "under-represented"
        return "in line with the population"


def representation(counts: dict[str, int], population: dict[str, int]) -> list[Representation]:
    """One row per group in the baseline, in the baseline's order."""
    n = sum(counts.get(g, 0) for g in population)
    big_n = sum(population.values())
    out = []
    for group, pop in population.items():
        a = counts.get(group, 0)
        share = 100 * a / n if n else 0.0
        pshare = 100 * pop / big_n if big_n else 0.0
        ratio = lower = upper = None
        if n and pop:
            ratio = (a / n) / (pop / big_n)
            low, high = _wilson(a, n)
            lower, upper = low / (pop / big_n), high / (pop / big_n)
        out.append(Representation(group, a, share, pop, pshare, ratio, lower, upper))
    return out


def age_standardised_rate(counts: dict[str, int], population: dict[str, int],
                          weights: dict[str, float] = ENGLAND_ADULT_AGE_MIX) -> float | None:
    """Adults per 100,000, weighting each age band's rate by England's adult age mix."""
    if any(population.get(b, 0) == 0 for b in weights):
        return None
    return sum(w * 100_000 * counts.get(b, 0) / population[b] for b, w in weights.items()) / sum(weights.values())


def crude_rate(count: int, adults: int) -> float | None:
    return 100_000 * count / adults if adults else None


# --- tables for the demographics page ------------------------------------------------------------

import pandas as pd  # noqa: E402

from assurance import disclosure  # noqa: E402
from assurance.reference import population  # noqa: E402

AGE_GROUPS = {"18-64": "18-64", "65-74": "65-74", "75-84": "75-84", "85-94": "85+", "95+": "85+"}
NOT_RECORDED = ("Refused", "Undeclared / Not Known", "Undeclared / Not known", "Not known", "Not Known", "Not recorded")


def representation_frame(rows: list[Representation], label: str, publish: bool) -> pd.DataFrame:
    """The rows as a table; in publication mode a group's count, share, ratio and interval are hidden when the count
    is 1 to 4 or when, with the shares adding to 100%, it would give such a group away."""
    hidden = disclosure.hidden_in_breakdown([r.count for r in rows]) if publish else [False] * len(rows)
    out = []
    for r, small in zip(rows, hidden):
        out.append({
            label: r.group,
            "Adults in safeguarding": disclosure.SUPPRESSED if small else (disclosure.publish_count(r.count) if publish
                                                                           else r.count),
            "Share %": disclosure.SUPPRESSED if small else round(r.share, 1),
            "Population share %": round(r.population_share, 1),
            "Ratio": disclosure.SUPPRESSED if small else (None if r.ratio is None else round(r.ratio, 2)),
            "95% interval": disclosure.SUPPRESSED if small else ("" if r.lower is None else f"{r.lower:.2f} to {r.upper:.2f}"),
            "Finding": "[c]" if small else r.finding,
        })
    return pd.DataFrame(out)


def by_age(counts: pd.DataFrame, area: str) -> tuple[list[Representation], int]:
    """Representation by SAC age band (85-94 and 95+ as 85+, as published); returns rows and adults not known."""
    grouped: dict[str, int] = {}
    unknown = 0
    for band, n in zip(counts.iloc[:, 0], counts.iloc[:, 1]):
        if band in AGE_GROUPS:
            grouped[AGE_GROUPS[band]] = grouped.get(AGE_GROUPS[band], 0) + int(n)
        else:
            unknown += int(n)
    return representation(grouped, population.adults_by_age_band(area)), unknown


def by_ethnicity(counts: pd.DataFrame, area: str, detailed: bool) -> tuple[list[Representation], int]:
    """Representation by ethnic group against the Census 2021 baseline; returns rows and adults not recorded."""
    baseline = population.population_by_ethnicity(area) if detailed else population.population_by_broad_ethnicity(area)
    recorded: dict[str, int] = {}
    unknown = 0
    for group, n in zip(counts.iloc[:, 0], counts.iloc[:, 1]):
        if group in baseline:
            recorded[group] = recorded.get(group, 0) + int(n)
        else:
            unknown += int(n)
    return representation(recorded, baseline), unknown
