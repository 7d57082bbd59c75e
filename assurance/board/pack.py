"""The quarterly board pack: its content, assembled from the figures (rendering is in render.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd


@dataclass
class Table:
    title: str
    frame: pd.DataFrame  # already through disclosure control when the pack is in publication mode
    note: str | None = None
    rag_column: str | None = None


@dataclass
class Chart:
    title: str
    figure: object  # plotly Figure
    summary: str  # what the chart shows, in words
    width: int = 900
    height: int = 420


@dataclass
class Section:
    title: str
    kind: str = "section"  # cover / section
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Pack:
    board_name: str
    period_label: str
    generated_on: date
    publication_mode: bool
    demo: bool
    sections: list[Section] = field(default_factory=list)
    key: list[tuple[str, str]] = field(default_factory=list)

    @property
    def footer(self) -> str:
        parts = [f"{self.board_name} · {self.period_label} board pack · produced {self.generated_on:%d %B %Y}"]
        if self.publication_mode:
            parts.append("publication mode: small numbers suppressed")
        if self.demo:
            parts.append("SYNTHETIC DEMO DATA")
        return " · ".join(parts)
