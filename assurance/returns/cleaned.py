"""A sheet after cleaning: its rows, and for each column the values, the cells as read, and which are blank or bad."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # annotations only: the specs package builds on the converters, which build on this
    from assurance.returns.specs.model import SheetSpec


@dataclass
class CleanSheet:
    name: str  # as the user sees it in the workbook
    spec: SheetSpec
    rows: np.ndarray  # Excel row number of each data row
    values: dict[str, np.ndarray] = field(default_factory=dict)
    raw: dict[str, np.ndarray] = field(default_factory=dict)
    blank: dict[str, np.ndarray] = field(default_factory=dict)
    bad: dict[str, np.ndarray] = field(default_factory=dict)  # blank-but-needed, wrong type or unknown code
    letters: dict[str, str] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)
    header_row: int = 0

    @property
    def n(self) -> int:
        return len(self.rows)

    def ok(self, *fields: str) -> np.ndarray:
        """Rows where every named field is present, filled and valid."""
        mask = np.ones(self.n, dtype=bool)
        for f in fields:
            if f not in self.present:
                return np.zeros(self.n, dtype=bool)
            mask &= ~self.blank[f] & ~self.bad[f]
        return mask


def is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and np.isnan(v))
