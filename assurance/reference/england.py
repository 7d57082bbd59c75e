"""England comparators (data/england.toml), shown beside local figures for context."""

from __future__ import annotations

import tomllib
from functools import lru_cache

from assurance.paths import DATA_DIR


@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads((DATA_DIR / "england.toml").read_text(encoding="utf-8"))


def shares(key: str) -> dict[str, float]:
    """Percent shares for a codelist ('type_of_risk', 'location_of_risk') or 'individuals'."""
    return dict(_data().get(key, {}))


def source() -> str:
    return _data()["source"]
