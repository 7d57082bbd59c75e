"""How wide a table's columns must be for their text to show whole: the screen's grid draws 14px Source Sans with
8 pixels of padding each side, and cuts longer text short with an ellipsis."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

PADDING = 16  # both sides of a cell
SCALE = 1.03  # the estimate errs wide: within 3% of the browser's own measure of every label here
MARGIN = 4
_NARROW = set("ijlrtfI.,:;'!|()[] -/")
_WIDE = set("mwMW%@")


def text_width(text: str) -> float:
    """The width in pixels of `text` in 14px Source Sans, estimated generously from its letters."""
    width = 0.0
    for ch in str(text):
        if ch in _NARROW:
            width += 4.0
        elif ch in _WIDE:
            width += 11.0
        elif ch.isupper():
            width += 8.4
        elif ch.isdigit():
            width += 7.2
        else:
            width += 6.8
    return width * SCALE


def column_width(values: Iterable, header: str = "", least: int = 0) -> int:
    """A column's width: its longest text (the header's too) shown whole."""
    longest = max([text_width(v) for v in values if v is not None and not pd.isna(v)] + [text_width(header)],
                  default=0.0)
    return max(least, int(longest + PADDING + MARGIN + 0.5))


def column_widths(frame: pd.DataFrame, columns: Iterable[str], labels: dict[str, str] | None = None) -> dict[str, int]:
    """The width of each named column of `frame` for its text to show whole (header `labels` where renamed)."""
    labels = labels or {}
    return {c: column_width(frame[c].astype(str) if c in frame else [], labels.get(c, c)) for c in columns}
