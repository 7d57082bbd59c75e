"""Read the framework file (framework.toml in the instance folder): what each measure is, its target and how it is rated."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assurance.config import ConfigError, read_toml
from assurance.paths import installed_file

STRANDS = ("data", "quality", "experience")
STRAND_NAMES = {"data": "Data", "quality": "Quality", "experience": "Lived experience"}
POLARITIES = ("higher", "lower", "information")
UNITS = ("%", "count", "per 100,000")
APPLIES = ("activity", "assurance", "audit", "sar")
BASES = ("quarter", "rolling4", "ytd")
BASIS_NAMES = {"quarter": "the quarter", "rolling4": "four quarters to the period", "ytd": "the financial year to date"}


@dataclass(frozen=True)
class TargetSpell:
    """A target and amber tolerance in force from a quarter (None: from the start) until the next change."""

    from_period: str | None
    target: float | None
    tolerance: float


@dataclass(frozen=True)
class MeasureDef:
    id: str
    name: str
    strand: str
    numerator: str
    denominator: str | None
    polarity: str
    unit: str
    applies_to: str
    basis: str
    definition: str
    target: float | None = None
    tolerance: float = 0.0
    comparator: float | None = None
    comparator_note: str | None = None
    history: tuple[TargetSpell, ...] = ()  # oldest first; empty: `target` and `tolerance` from the start
    partner_types: tuple[str, ...] = ()  # the partner types that make the measure; empty: every type

    def made_by(self, partner_type: str | None) -> bool:
        """Whether a partner of this type makes the measure (None: any partner)."""
        return not self.partner_types or partner_type is None or partner_type in self.partner_types

    @property
    def spells(self) -> tuple[TargetSpell, ...]:
        return self.history or (TargetSpell(None, self.target, self.tolerance),)

    def target_for(self, period: str) -> tuple[float | None, float]:
        """The target and tolerance in force for a quarter: a figure is rated against these, whatever came later."""
        from assurance.periods import Period

        wanted = Period.parse(period)
        found = self.spells[0]
        for spell in self.spells[1:]:
            if Period.parse(spell.from_period) <= wanted:
                found = spell
        return found.target, found.tolerance


@dataclass(frozen=True)
class Framework:
    measures: tuple[MeasureDef, ...]
    min_denominator: int

    def get(self, measure_id: str) -> MeasureDef:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise ConfigError(f"The framework has no measure {measure_id!r}.")

    @property
    def ids(self) -> list[str]:
        return [m.id for m in self.measures]


# The review pages' headline measures, chosen by what a measure is (the return it is counted from and its strand),
# never by its id: a measure added to the framework shows on its page with nothing else to change.

def concerns_page_measures(fw: Framework) -> list[MeasureDef]:
    """Concerns and enquiries: the activity return's Data-strand measures (volumes, rates, timeliness, recording)."""
    return [m for m in fw.measures if m.applies_to == "activity" and m.strand == "data"]


def outcomes_page_measures(fw: Framework) -> list[MeasureDef]:
    """MSP and risk outcomes: the activity return's Quality and Lived experience measures (what changed for the adult)."""
    return [m for m in fw.measures if m.applies_to == "activity" and m.strand != "data"]


def column_name(m: MeasureDef) -> str:
    """A measure's name as a table's column: its unit said, unless it is a count."""
    return m.name if m.unit == "count" else f"{m.name} ({m.unit})"


def framework_path() -> Path:
    """ASSURANCE_FRAMEWORK, or the instance folder's framework.toml."""
    env = os.environ.get("ASSURANCE_FRAMEWORK")
    return Path(env) if env else installed_file("framework.toml")


def load_framework(path: Path | None = None) -> Framework:
    from assurance.measures.definitions import DEFINITIONS

    path = path or framework_path()
    raw = read_toml(path, "Framework file")
    measures, seen = [], set()
    for i, m in enumerate(raw.get("measure", []), start=1):
        where = f"{path.name}, measure {i} ({m.get('id', 'no id')})"
        for key in ("id", "name", "strand", "numerator", "polarity", "unit", "applies_to"):
            if not m.get(key):
                raise ConfigError(f"{where}: {key} is missing.")
        checks = (("strand", STRANDS), ("polarity", POLARITIES), ("unit", UNITS), ("applies_to", APPLIES),
                  ("basis", BASES))
        for key, allowed in checks:
            value = m.get(key, "quarter" if key == "basis" else None)
            if value not in allowed:
                raise ConfigError(f"{where}: {key} must be one of {', '.join(allowed)}, not {value!r}.")
        definition = m.get("definition", m["id"])
        if definition not in DEFINITIONS:
            raise ConfigError(f"{where}: no SQL definition called {definition!r}.")
        if m["id"] in seen:
            raise ConfigError(f"{where}: the id {m['id']!r} is used twice.")
        if m["polarity"] != "information" and m.get("target") is None:
            raise ConfigError(f"{where}: a {m['polarity']}-is-better measure needs a target.")
        seen.add(m["id"])
        history = _target_history(m, where)
        partner_types = _partner_types(m, where)
        measures.append(MeasureDef(
            id=m["id"], name=m["name"], strand=m["strand"], numerator=m["numerator"], denominator=m.get("denominator"),
            polarity=m["polarity"], unit=m["unit"], applies_to=m["applies_to"], basis=m.get("basis", "quarter"),
            definition=definition, target=history[-1].target, tolerance=history[-1].tolerance,
            comparator=m.get("comparator"), comparator_note=m.get("comparator_note"), history=history,
            partner_types=partner_types,
        ))
    settings = raw.get("settings", {})
    return Framework(tuple(measures), int(settings.get("min_denominator", 10)))


def _partner_types(m: dict, where: str) -> tuple[str, ...]:
    """The national partner type labels in `partner_types` (none given: every type)."""
    from assurance.reference.codelists import codelist

    given = m.get("partner_types", [])
    types = codelist("partner_type")
    if not isinstance(given, list) or any(types.match(t) is None for t in given):
        raise ConfigError(f"{where}: partner_types must list partner types from: {', '.join(types.values)}.")
    return tuple(types.match(t) for t in given)


def _target_history(m: dict, where: str) -> tuple[TargetSpell, ...]:
    """The top-level target and tolerance (in force from the start), then each `target_history` change in turn."""
    from assurance.periods import Period, PeriodError

    spells = [TargetSpell(None, m.get("target"), float(m.get("tolerance", 0.0)))]
    previous = None
    for i, change in enumerate(m.get("target_history", []), start=1):
        try:
            start = Period.parse(str(change.get("from", "")))
        except PeriodError:
            raise ConfigError(f"{where}: target_history entry {i} needs from = a quarter such as \"2026-27 Q2\".") from None
        if previous is not None and start <= previous:
            raise ConfigError(f"{where}: target_history entries must run in order of their quarters, each once.")
        target, tolerance = change.get("target"), change.get("tolerance", 0.0)
        if isinstance(target, bool) or not isinstance(target, (int, float)):
            raise ConfigError(f"{where}: target_history entry {i} ({start.label}) needs a target.")
        if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
            raise ConfigError(f"{where}: target_history entry {i} ({start.label}) needs a tolerance of zero or more.")
        spells.append(TargetSpell(start.label, float(target), float(tolerance)))
        previous = start
    return tuple(spells)


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Framework:
    return load_framework(Path(path))


def framework() -> Framework:
    """The framework in force, re-read when the file changes."""
    path = framework_path()
    return _cached(str(path), path.stat().st_mtime if path.exists() else 0.0)
