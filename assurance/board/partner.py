"""The Partner view's picture of one partner: which partner it opens on, and RAG colours like the Overview's."""

from __future__ import annotations

from collections.abc import Callable, Sequence

# The same fills as the Overview's RAG column and the board pack's RAG cells.
RAG_CELL_STYLES = {"Red": "background-color: #F4B6B6", "Amber": "background-color: #FFE08A",
                   "Green": "background-color: #B7E1B0"}


def rag_cell_style(value) -> str:
    """The CSS for a RAG cell ('' for a cell that is not rated)."""
    return RAG_CELL_STYLES.get(value, "") if isinstance(value, str) else ""


def red_count(figures, period_label: str) -> int:
    """How many of the partner's measures are red in the quarter."""
    return sum(1 for m in figures.framework.measures
               if (x := figures.get(m.id, period_label)) is not None and x.rag == "red" and not x.small)


def opening_partner(partners: Sequence, figures_for: Callable[[str], object], period_label: str):
    """The partner the view opens on when none is chosen: the one with the most red measures this quarter (the
    first listed on a tie, or when none is red). None when there is no partner."""
    candidates = [p for p in partners if getattr(p, "type", None) != "Board"]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (red_count(figures_for(p.code), period_label), -candidates.index(p)))
