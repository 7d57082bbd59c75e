"""Headline tiles: each measure's value first, then its full name (wrapping, never cut short) and its RAG."""

from __future__ import annotations

import math

import streamlit as st

from ui.text import plain

MOST_IN_A_ROW = 4  # on a 1366 px laptop a quarter of the page holds a long name on two or three lines
BADGE = {"red": "red", "amber": "orange", "green": "green"}  # the Overview's RAG colours


def rows_of(n: int) -> list[int]:
    """Tiles per row, as even as can be: 5 -> [3, 2], 7 -> [4, 3]."""
    if n <= 0:
        return []
    rows = math.ceil(n / MOST_IN_A_ROW)
    per = math.ceil(n / rows)
    return [min(per, n - k * per) for k in range(rows)]


def headline_tiles(headlines) -> None:
    """Draw assurance.measures.compute.headlines: the value and its change on the previous quarter, the full name
    underneath, then the RAG (coloured) and the target."""
    done = 0
    for width in rows_of(len(headlines)):
        for col, h in zip(st.columns(width, border=True), headlines[done:done + width]):
            with col:
                # the name is the metric's label for screen readers; it is shown below, where it can wrap
                st.metric(h.name, h.value, h.change or None, delta_color=h.change_colour, label_visibility="collapsed")
                badge = f":{BADGE.get(h.rag, 'gray')}-badge[{h.status}]" + (f" {plain(h.target)}" if h.target else "")
                st.markdown(f"**{plain(h.name)}** {badge}", help=h.about)
        done += width
    if any(h.change for h in headlines):
        st.caption("Under each value: the change on the previous quarter (green is better, red worse, grey neither).")
