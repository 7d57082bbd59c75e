"""The Partner view's picture of one partner: which partner it opens on, and RAG colours like the Overview's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

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


# --- the partner's figures and challenges as the Partner view draws them ------------------------------------------

FIGURE_COLUMNS = ["Measure", "Value", "Counts", "Target", "RAG", "Rank among partners"]
FIGURE_LABELS = {"Rank among partners": "Rank"}


@dataclass(frozen=True)
class PartnerFigures:
    """One partner's figures for a quarter: red first on screen, each key column as wide as its text; their
    commentary (long text) is read in full in its own section, and is in the download."""

    frame: pd.DataFrame  # on screen, red first; "id" and "Their commentary" are not drawn
    export: pd.DataFrame  # as it leaves in a file (published)
    on_screen: list[str]  # the columns drawn (Rank only when the partner has one)
    widths: dict[str, int]


def partner_figures(fs, period_label: str, peers_for: Callable[[object], list], commentary: dict[str, str],
                    publish: bool) -> PartnerFigures:
    """The partner's figure for each framework measure they have one for. peers_for(measure) gives the other
    partners' figures for the quarter, to rank the partner among them."""
    from assurance.disclosure import figure_counts, figure_text
    from assurance.layout import column_widths
    from assurance.measures.compute import RAG_LABELS, rank
    from assurance.views import red_first

    rows, exported = [], []
    for m in fs.framework.measures:
        x = fs.get(m.id, period_label)
        if x is None:
            continue
        peers = [y for y in peers_for(m) if y is not None and y.value is not None and not y.small]
        position = rank(x, peers, publish)
        rows.append({"Measure": m.name, "Value": figure_text(x, publish), "Counts": figure_counts(x, publish),
                     "Target": "" if x.target is None else f"{x.target:g}",  # in force for the quarter
                     "RAG": "small number" if x.small else ("not collected" if x.not_collected else "no return"
                                                            if not x.has_data else RAG_LABELS[x.rag]),
                     "Rank among partners": f"{position[0]} of {position[1]}" if position else "",
                     "Their commentary": commentary.get(m.id, ""), "id": m.id})
        exported.append({**rows[-1], "Value": figure_text(x, True), "Counts": figure_counts(x, True)})
    frame = pd.DataFrame(rows, columns=[*FIGURE_COLUMNS, "Their commentary", "id"])
    frame = red_first(frame).reset_index(drop=True)
    export = red_first(pd.DataFrame(exported, columns=frame.columns)).drop(columns=["id"]).reset_index(drop=True)
    shown = [c for c in FIGURE_COLUMNS if c != "Rank among partners" or frame[c].astype(bool).any()]
    return PartnerFigures(frame, export, shown, column_widths(frame, shown, FIGURE_LABELS))


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def comparison_sentence(name: str, position: int | None, partners: int, target: float | None, unit: str) -> str:
    """The bar chart of all partners in words: where this partner stands, highest first, and the target."""
    if position is None:
        return f"{partners} partners compared."
    where = (f"{name} has the highest figure of the {partners} partners" if position == 1 else
             f"{name} has the lowest figure of the {partners} partners" if position == partners else
             f"{name} is {_ordinal(position)} of the {partners} partners, highest first")
    return where + ("." if target is None else f"; the target is {target:g}{'%' if unit == '%' else ''}.")


@dataclass(frozen=True)
class PartnerChallenges:
    """The Board's challenges to a partner: short columns on screen, each question in full beneath."""

    frame: pd.DataFrame
    widths: dict[str, int]
    questions: list[tuple[int, str]]  # (No., the question)


CHALLENGE_COLUMNS = ["No.", "Status", "Due", "Measure", "Raised"]


def partner_challenges(table: pd.DataFrame) -> PartnerChallenges:
    """From challenges.log_table: the partner's challenges with dates as dd/mm/yyyy, like the challenge log."""
    from assurance.layout import column_widths

    out = table[[c for c in CHALLENGE_COLUMNS if c in table.columns]].copy()
    for c in ("Due", "Raised"):
        if c in out:
            out[c] = [f"{v:%d/%m/%Y}" if isinstance(v, (dt.date, pd.Timestamp)) else "" for v in out[c]]
    out = out.fillna("").astype({"No.": int}) if "No." in out else out.fillna("")
    questions = [(int(n), str(q)) for n, q in zip(table["No."], table["Question"].fillna(""))]
    return PartnerChallenges(out, column_widths(out.astype(str), out.columns), questions)
