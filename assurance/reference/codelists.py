"""National codelists with tolerant matching of the variants partners actually type."""

from __future__ import annotations

import csv
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache

from assurance.paths import DATA_DIR

_NON_ALNUM = re.compile(r"[^a-z0-9+]+")
SUGGEST_CUTOFF = 0.8  # difflib similarity a typo reaches; unrelated words sharing letters stay below it


def normalise(text: object) -> str:
    """Case, spacing, punctuation and '&' folded away: 'Neglect & Acts of Omission' ~ 'neglect and acts of omission'."""
    s = str(text).strip().lower().replace("&", " and ").replace("\u2019", "'")
    s = s.replace("'", "")
    return _NON_ALNUM.sub(" ", s).strip()


@dataclass(frozen=True)
class Codelist:
    key: str
    name: str
    values: tuple[str, ...]
    synonyms: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    _cache: dict = field(default_factory=dict, hash=False, compare=False, repr=False)

    @property
    def _lookup(self) -> dict[str, str]:
        # Kept on the instance: two lists with the same values but different synonyms compare equal, so a cache
        # keyed by the list would hand one the other's synonyms.
        lookup = self._cache.get("lookup")
        if lookup is None:
            lookup = self._cache["lookup"] = _lookup_for(self)
        return lookup

    def match(self, value: object) -> str | None:
        """The national label for `value`, or None if it is not recognised."""
        if value is None:
            return None
        return self._lookup.get(normalise(value))

    def suggest(self, value: object) -> str | None:
        """The closest label to an unrecognised value ("did you mean ...?"), or None when nothing is close enough
        to be worth suggesting: a typo ('Phyiscal Abuse') or a known variant with words added or left out
        ('Sexual abuse online', 'Material') is suggested; a different thing that shares a few letters
        ('Martian' ~ 'African', 'Cyber abuse' ~ 'Sexual Abuse') is not."""
        key = normalise(value)
        if not key:
            return None
        lookup = self._lookup
        close = difflib.get_close_matches(key, list(lookup), n=1, cutoff=SUGGEST_CUTOFF)
        if close:
            return lookup[close[0]]
        # Whole words: every word of a known variant is in the value, or every word of the value is in
        # variants of one label only. Short or generic words ('abuse', 'care') alone suggest nothing.
        words = set(key.split())
        inside = {label for k, label in lookup.items() if len(k) >= 5 and set(k.split()) <= words}
        if len(inside) == 1:
            return inside.pop()
        if len(key) >= 5:
            around = {label for k, label in lookup.items() if words <= set(k.split())}
            if len(around) == 1:
                return around.pop()
        return None


def _lookup_for(cl: Codelist) -> dict[str, str]:
    lookup = {normalise(v): v for v in cl.values}
    for variant, label in cl.synonyms.items():
        lookup.setdefault(normalise(variant), label)
    return lookup


@lru_cache(maxsize=1)
def _all() -> dict[str, Codelist]:
    raw = tomllib.loads((DATA_DIR / "codelists.toml").read_text(encoding="utf-8"))
    out = {}
    for key, spec in raw.items():
        values = tuple(spec["values"])
        synonyms = dict(spec.get("synonyms", {}))
        bad = {v: label for v, label in synonyms.items() if label not in values}
        if bad:
            raise ValueError(f"codelists.toml [{key}] synonyms point at unknown labels: {bad}")
        out[key] = Codelist(key, spec.get("name", key), values, synonyms)
    return out


def codelist(key: str) -> Codelist:
    try:
        return _all()[key]
    except KeyError:
        raise KeyError(f"No codelist {key!r}; known: {', '.join(sorted(_all()))}") from None


def codelists() -> dict[str, Codelist]:
    return dict(_all())


@lru_cache(maxsize=1)
def ethnicity_broad_map() -> dict[str, str]:
    """Detailed ethnic group label -> broad group label."""
    with open(DATA_DIR / "ethnicity_map.csv", newline="", encoding="utf-8") as f:
        return {row["detailed"]: row["broad"] for row in csv.DictReader(f)}


def broad_ethnicity(value: object) -> tuple[str | None, str | None]:
    """(detailed, broad) for a detailed or broad ethnicity value; detailed is None for a broad-only value."""
    detailed = codelist("ethnicity_detailed").match(value)
    if detailed:
        return detailed, ethnicity_broad_map()[detailed]
    broad = codelist("ethnicity_broad").match(value)
    return None, broad


AGE_BANDS = ("18-64", "65-74", "75-84", "85-94", "95+")


def age_band_for(age: int) -> str | None:
    """SAC age band for an age in whole years; None under 18 (not an adult)."""
    if age < 18:
        return None
    if age <= 64:
        return "18-64"
    if age <= 74:
        return "65-74"
    if age <= 84:
        return "75-84"
    if age <= 94:
        return "85-94"
    return "95+"


# --- The national labels the measures and breakdowns test for ---------------------------------------------------
# Written once, here, and each checked against codelists.toml when this module is read: a label renamed there stops
# the product at once, instead of a measure silently counting nothing.

def label(key: str, value: str) -> str:
    """`value`, which must be one of codelist `key`'s national labels."""
    if value not in codelist(key).values:
        raise ValueError(f"codelists.toml [{key}] has no label {value!r}.")
    return value


def labels(key: str, *values: str) -> tuple[str, ...]:
    return tuple(label(key, v) for v in values)


BOARD = label("partner_type", "Board")  # the Board itself, as a partner: it owns no figures of its own
SECTION_42 = label("enquiry_type", "Section 42")
LED_TO_ENQUIRY = labels("concern_outcome", "Section 42 enquiry", "Other enquiry")
ETHNICITY_REFUSED, ETHNICITY_NOT_KNOWN = labels("ethnicity_broad", "Refused", "Undeclared / Not Known")
# A demographic with one of these is not recorded (each adult is counted once, a recorded group winning over these).
NOT_RECORDED = tuple(dict.fromkeys(
    labels("age_band", "Not known") + labels("gender", "Not Known") + (ETHNICITY_REFUSED, ETHNICITY_NOT_KNOWN)
    + labels("ethnicity_detailed", "Refused", "Undeclared / Not known") + labels("primary_support_reason", "Not Known")))
RISK_IDENTIFIED = tuple(v for v in codelist("risk_assessment_outcome").values if v.startswith("Risk identified"))
RISK_OUTCOMES = codelist("risk_outcome").values
RISK_REDUCED_OR_REMOVED = labels("risk_outcome", "Risk reduced", "Risk removed")
LACKED_CAPACITY = label("mental_capacity", "Yes, they lacked capacity")
ASKED_EXPRESSED, ASKED_NOT_EXPRESSED = labels(
    "msp_asked", "Yes they were asked and outcomes were expressed", "Yes they were asked but no outcomes were expressed")
ACHIEVED = labels("msp_achieved", "Fully achieved", "Partially achieved")
ACHIEVED_OR_NOT = codelist("msp_achieved").values
YES = label("yes_no", "Yes")
FELT_SAFER, FELT_SAFER_ANSWERED = label("felt_safer", "Yes"), labels("felt_safer", "Yes", "No")
AUDIT_GRADES = codelist("audit_grade").values
GOOD_OR_BETTER = labels("audit_grade", "Outstanding", "Good")
NOT_APPLICABLE = label("audit_grade", "Not applicable")
GRADED = tuple(g for g in AUDIT_GRADES if g != NOT_APPLICABLE)
