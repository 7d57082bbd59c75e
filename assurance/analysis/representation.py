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

from dataclasses import dataclass

from assurance.analysis import intervals
from assurance.reference.population import ENGLAND_ADULT_AGE_MIX

INTERVAL_METHOD = ("95% intervals: Wilson score interval for the group's share of the adults, divided by its share "
                   "of the population")
ADJUSTED_METHOD = ("Indirect standardisation: expected adults from the group's residents in each age band and the "
                   "Board's rate in that band (all groups together). 95% intervals by Byar's method on the observed "
                   "count")


def _wilson(a: int, n: int) -> tuple[float, float]:
    """Wilson score interval for a proportion a/n (as a proportion)."""
    ci = intervals.wilson(a, n)
    return ci.lower / 100, ci.upper / 100


def _byar(observed: int) -> tuple[float, float]:
    """The 95% limits for an observed count: Byar's method (exact Poisson below 10, as Fingertips does)."""
    ci = intervals.byar(observed)
    return ci.lower, ci.upper


class _Finding:
    """Over-, under-represented or in line, from a ratio's 95% interval."""

    ratio: float | None
    lower: float | None
    upper: float | None

    @property
    def finding(self) -> str:
        return _finding(self.ratio, self.lower, self.upper)


@dataclass(frozen=True)
class Representation(_Finding):
    group: str
    count: int
    share: float  # percent of adults in safeguarding with the group recorded
    population: int
    population_share: float  # percent
    ratio: float | None
    lower: float | None
    upper: float | None


def _finding(ratio: float | None, lower: float | None, upper: float | None) -> str:
    if ratio is None or lower is None or upper is None:
        return "too few to say"
    if lower > 1:
        return "over-represented"
    if upper < 1:
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
    if publish:  # shares, ratios and intervals from the rounded counts, so none can be worked back to an exact count
        rounded = representation({r.group: disclosure.round5(r.count) for r in rows}, {r.group: r.population for r in rows})
        by_group = {x.group: x for x in rounded}
        rows = [by_group.get(r.group, r) for r in rows]
    out = []
    for r, small in zip(rows, hidden):
        out.append({
            label: r.group,
            "Adults in safeguarding": disclosure.SUPPRESSED if small else r.count,
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


# --- adjusted for age -----------------------------------------------------------------------------------------

from assurance.reference import ethnicity_by_age  # noqa: E402

ADULT_BAND = {"18-64": "18-64", "65-74": "65-74", "75-84": "75-84", "85-94": "85+", "95+": "85+"}


@dataclass(frozen=True)
class AgeAdjusted(_Finding):
    group: str
    observed: int
    expected: float
    ratio: float | None
    lower: float | None
    upper: float | None


def age_adjusted(observed: dict[str, dict[str, int]], population: dict[str, dict[str, int]]) -> list[AgeAdjusted]:
    """Standardised ratios by group (indirect standardisation), in the population's order.

    observed[group][band]: adults in safeguarding; population[group][band]: residents. Groups missing from the
    population are left out of the rates too, so the expected adults add up to the observed ones."""
    bands = sorted({b for by_band in population.values() for b in by_band})
    residents = {b: sum(population[g].get(b, 0) for g in population) for b in bands}
    adults = {b: sum(observed.get(g, {}).get(b, 0) for g in population) for b in bands}
    rate = {b: adults[b] / residents[b] if residents[b] else 0.0 for b in bands}
    out = []
    for group, by_band in population.items():
        o = sum(observed.get(group, {}).get(b, 0) for b in bands)
        e = sum(by_band.get(b, 0) * rate[b] for b in bands)
        ratio = lower = upper = None
        if e > 0:
            low, high = _byar(o)
            ratio, lower, upper = o / e, low / e, high / e
        out.append(AgeAdjusted(group, o, e, ratio, lower, upper))
    return out


def survives(group: str, crude: Representation, adjusted: AgeAdjusted) -> str:
    """Whether a crude finding survives adjustment for age, in one sentence."""
    after = (f"after adjusting, {adjusted.ratio:.2f} ({adjusted.lower:.2f} to {adjusted.upper:.2f})"
             if adjusted.ratio is not None else "after adjusting, too few to say")
    before, now = crude.finding, adjusted.finding
    ratio = "" if crude.ratio is None else f" ({crude.ratio:.2f})"
    if before in ("over-represented", "under-represented"):
        if now == before:
            verdict = "the difference remains once age is allowed for."
        elif now == "in line with the population":
            verdict = "the difference is explained by age."
        elif now == "too few to say":
            verdict = "too few adults to say whether age explains it."
        else:
            verdict = f"once age is allowed for, the group is {now}."
        return f"{group}: {before} before adjusting for age{ratio}; {after}: {verdict}"
    if now in ("over-represented", "under-represented"):
        return f"{group}: {before} before adjusting for age{ratio}; {after}: {now} once age is allowed for."
    return f"{group}: {before} before adjusting for age{ratio}; {after}: no difference either way."


def people_by_age_and(engine, column: str, period_ids, scope: str = "concerns",
                      partner_id: int | None = None) -> pd.DataFrame:
    """Adults by age band and one demographic column, each adult once in the periods: their latest recorded age
    band and latest recorded value (a recorded value wins over Not known). Columns [Age band, group, Individuals]."""
    from sqlalchemy import select

    from assurance.analysis import breakdowns as bd

    if scope == "concerns":
        t = bd.c
        stmt = select(t.c.person_id, t.c.age_band, t.c[column], t.c.date_received, t.c.id).select_from(
            t.join(bd.sub, bd._accepted(t))).where(t.c.period_id.in_(bd._ids(period_ids)))
        if partner_id is not None:
            stmt = stmt.where(t.c.partner_id == partner_id)
    else:
        joined, concern = bd._s42_people()
        stmt = select(bd.e.c.person_id, concern.c.age_band, concern.c[column], concern.c.date_received,
                      bd.e.c.id).select_from(joined).where(bd.S42, bd.e.c.period_id.in_(bd._ids(period_ids)))
        if partner_id is not None:
            stmt = stmt.where(bd.e.c.partner_id == partner_id)
    with engine.connect() as conn:
        rows = pd.DataFrame(conn.execute(stmt).all(), columns=["person", "age", "group", "received", "id"])
    label = bd.DEMOGRAPHICS[column]
    if rows.empty:
        return pd.DataFrame(columns=["Age band", label, "Individuals"])
    rows = rows.sort_values(["received", "id"], na_position="first")
    unknown = {"Not known", *NOT_RECORDED}

    def latest(values: pd.Series):
        recorded = values[values.notna() & ~values.isin(unknown)]
        return recorded.iloc[-1] if len(recorded) else "Not known"

    people = rows.groupby("person").agg(age=("age", latest), group=("group", latest))
    out = people.groupby(["age", "group"]).size().reset_index(name="Individuals")
    return out.rename(columns={"age": "Age band", "group": label})


@dataclass(frozen=True)
class AdjustedView:
    """The age-adjusted section of the Demographics page, as it may be shown."""

    table: pd.DataFrame | None  # None: nothing to show (see note)
    sentences: list[str]
    note: str  # the method, the baseline's source and who was left out
    withheld: str | None = None  # why the section is not published, in publication mode
    shown: tuple[AgeAdjusted, ...] = ()  # the groups whose adjusted ratio may be drawn

    @property
    def summary(self) -> str:
        """What the chart shows, in a sentence."""
        over = [r.group for r in self.shown if r.finding == "over-represented"]
        under = [r.group for r in self.shown if r.finding == "under-represented"]
        if not over and not under:
            return "Once age is allowed for, no group shown differs from the population."
        return "Once age is allowed for: " + "; ".join(
            part for part in (over and "over-represented: " + ", ".join(over),
                              under and "under-represented: " + ", ".join(under)) if part) + "."


def adjusted_view(people: pd.DataFrame, baseline, crude: list[Representation], label: str, detailed: bool,
                  publish: bool) -> AdjustedView:
    """Crude and age-adjusted ratios side by side, with a sentence per group on whether the finding survives.

    In publication mode observed and expected adults are not shown; a group's ratio is hidden with its crude row
    (a count of 1 to 4, or one that would give such a count away), and the section is withheld when an age band
    has 1 to 4 adults (every expected figure is built from the bands' rates)."""
    population = baseline.adults(detailed) if baseline is not None else None
    if population is None:
        why = ("No ethnic group by age baseline is loaded for this area: load Census 2021 table RM032 on the "
               "Population baseline page." if baseline is None else
               "The baseline has broad ethnic groups only: switch off Detailed ethnic groups to see the adjustment.")
        return AdjustedView(None, [], why)
    observed: dict[str, dict[str, int]] = {}
    left_out = 0
    for band, group, n in people.itertuples(index=False):
        if band in ADULT_BAND and group in population:
            by_band = observed.setdefault(group, {})
            by_band[ADULT_BAND[band]] = by_band.get(ADULT_BAND[band], 0) + int(n)
        else:
            left_out += int(n)
    hidden_crude = dict(zip([r.group for r in crude], disclosure.hidden_in_breakdown([r.count for r in crude])))
    band_totals = {b: sum(o.get(b, 0) for o in observed.values()) for b in ethnicity_by_age.ADULT_BANDS}
    if publish:  # everything from rounded counts: a ratio and its interval would otherwise give the count back
        observed = {g: {b: disclosure.round5(n) for b, n in by_band.items()} for g, by_band in observed.items()}
        crude = representation({r.group: disclosure.round5(r.count) for r in crude},
                               {r.group: r.population for r in crude})
    rows = age_adjusted(observed, population)
    by_crude = {r.group: r for r in crude}
    source = f"Baseline: {baseline.source}." + (" Made up for the demo." if baseline.synthetic else "")
    shown_left_out = disclosure.publish_count(left_out) if publish else left_out
    note = (f"{ADJUSTED_METHOD}. {source} Adults with age or ethnicity not known are left out ({shown_left_out}); "
            "each adult is counted once, with their latest recorded age band and ethnic group.")
    if publish and any(disclosure.is_small(n) for n in band_totals.values()):
        return AdjustedView(None, [], note, "Not published: an age band has fewer than 5 adults, and every adjusted "
                                            "figure is built from the bands' rates.")
    table, sentences, shown = [], [], []
    for r in rows:
        c = by_crude.get(r.group)
        if c is None or (r.observed == 0 and c.count == 0 and c.population == 0):
            continue
        hidden = publish and (hidden_crude.get(r.group, False) or disclosure.is_small(r.observed))
        row = {label: r.group,
               "Ratio before adjusting": disclosure.SUPPRESSED if hidden else (None if c.ratio is None else round(c.ratio, 2))}
        if not publish:
            row["Adults"] = r.observed
            row["Expected from age"] = round(r.expected, 1)
        row["Age-adjusted ratio"] = disclosure.SUPPRESSED if hidden else (None if r.ratio is None else round(r.ratio, 2))
        row["95% interval"] = disclosure.SUPPRESSED if hidden else (
            "" if r.lower is None else f"{r.lower:.2f} to {r.upper:.2f}")
        row["Finding after adjusting"] = disclosure.SUPPRESSED if hidden else r.finding
        table.append(row)
        if not hidden:
            sentences.append(survives(r.group, c, r))
            shown.append(r)
    return AdjustedView(pd.DataFrame(table), sentences, note, shown=tuple(shown))
