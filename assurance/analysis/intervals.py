"""95% confidence intervals, by the methods Fingertips (OHID, formerly PHE) uses for its indicators.

- A count of events, and so a rate per 100,000: Byar's approximation to the Poisson interval for counts of 10 or more;
  the exact Poisson interval below 10, where Byar's is poor.
- A directly age-standardised rate: Dobson's method (a weighted sum of Poisson counts), on the same count interval.
- A proportion: the Wilson score interval, which stays inside 0 to 100% and behaves well on small counts.
Pure Python (no statistics library is needed).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist

Z95 = NormalDist().inv_cdf(0.975)  # 1.959964...
BYAR_FROM = 10  # below this count the exact Poisson interval is used
BYAR = "Byar's method, exact Poisson below 10"
DOBSON = "Dobson's method"
WILSON = "Wilson score method"


@dataclass(frozen=True)
class Interval:
    lower: float
    upper: float
    method: str

    def scaled(self, factor: float) -> Interval:
        return Interval(self.lower * factor, self.upper * factor, self.method)


def _poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu)."""
    term = total = math.exp(-mu)
    for i in range(1, k + 1):
        term *= mu / i
        total += term
    return total


def _solve(f, lo: float, hi: float) -> float:
    """The root of a decreasing function f on [lo, hi], by bisection."""
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(mid) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def exact_poisson(count: int, z: float = Z95) -> tuple[float, float]:
    """The exact (Garwood) Poisson interval for an observed count."""
    alpha = 2 * (1 - NormalDist().cdf(z))
    hi_bound = count + 20 + 10 * math.sqrt(count + 1)
    upper = _solve(lambda mu: _poisson_cdf(count, mu) - alpha / 2, 0.0, hi_bound)
    lower = 0.0 if count == 0 else _solve(lambda mu: _poisson_cdf(count - 1, mu) - (1 - alpha / 2), 0.0, hi_bound)
    return lower, upper


def byar(count: int, z: float = Z95) -> Interval:
    """The interval for an observed count of events: Byar's approximation, exact Poisson below 10."""
    if count < 0:
        raise ValueError("A count cannot be negative.")
    if count < BYAR_FROM:
        lower, upper = exact_poisson(count, z)
        return Interval(lower, upper, BYAR)
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return Interval(lower, upper, BYAR)


def rate(count: int | None, population: int | None, per: int = 100_000) -> Interval | None:
    """The interval for a crude rate per `per` people: the count's interval over the population."""
    if count is None or not population:
        return None
    return byar(int(count)).scaled(per / population)


def dobson(counts: Mapping[str, int], population: Mapping[str, int], weights: Mapping[str, float],
           per: int = 100_000) -> tuple[float, Interval | None] | None:
    """A directly standardised rate and its interval by Dobson's method.

    counts and population are by age band; weights are the standard population's shares of those bands (they need
    not sum to 1: they are scaled). Returns (rate per `per`, interval), or None without counts or populations.
    """
    bands = [b for b in weights if population.get(b)]
    total_weight = sum(weights[b] for b in bands)
    if not bands or not total_weight:
        return None
    w = {b: weights[b] / total_weight / population[b] for b in bands}  # each event's weight in the standardised rate
    observed = sum(int(counts.get(b, 0)) for b in bands)
    value = sum(w[b] * int(counts.get(b, 0)) for b in bands)
    variance = sum(w[b] ** 2 * int(counts.get(b, 0)) for b in bands)
    if observed == 0:  # no events: Dobson's interval is not defined
        return 0.0, None
    ci = byar(observed)
    spread = math.sqrt(variance / observed)
    return value * per, Interval((value + spread * (ci.lower - observed)) * per,
                                 (value + spread * (ci.upper - observed)) * per, DOBSON)


def wilson(numerator: int | None, denominator: int | None, z: float = Z95) -> Interval | None:
    """The Wilson score interval for a proportion, as percentages (0 to 100)."""
    if numerator is None or not denominator:
        return None
    n, p = denominator, numerator / denominator
    centre = (2 * numerator + z * z) / (2 * (n + z * z))
    half = z * math.sqrt(z * z + 4 * numerator * (1 - p)) / (2 * (n + z * z))
    return Interval(100 * max(0.0, centre - half), 100 * min(1.0, centre + half), WILSON)


def describe(ci: Interval | None, dp: int = 1, method: bool = True) -> str:
    """'95% CI 4.1 to 5.2, Byar's method, ...', halves rounded up (without the method if said nearby); '' if none.
    No brackets of its own, so it reads cleanly inside a pair."""
    from assurance.numbers import fmt

    if ci is None:
        return ""
    return f"95% CI {fmt(ci.lower, dp)} to {fmt(ci.upper, dp)}" + (f", {ci.method}" if method else "")
