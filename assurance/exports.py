"""Every export leaves through here: text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_TITLE = 31  # Excel's limit on a sheet name
_NOT_IN_SHEET_TITLE = re.compile(r"[\\/*?:\[\]]")


def safe_cell(value):
    """A text cell beginning with = + - @ tab or carriage return gets a leading single quote; anything else is kept."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralised; numbers, dates and missing values unchanged."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype):
            out[col] = s.map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def safe_csv(df: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8 with BOM so Excel reads it) of the neutralised frame."""
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid Excel sheet title for `name` that is not in `taken` (compared without case, as Excel does), added
    to `taken`: at most 31 characters, none of \\ / * ? : [ ], never starting or ending with a quote."""
    base = _NOT_IN_SHEET_TITLE.sub("", str(name))[:MAX_SHEET_TITLE].strip().strip("'").strip() or "Sheet"
    used = {t.lower() for t in taken}
    title, k = base, 2
    while title.lower() in used:
        title, k = f"{base[:MAX_SHEET_TITLE - len(str(k)) - 1].rstrip()} {k}", k + 1
    taken.add(title)
    return title
