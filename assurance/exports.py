"""Every export leaves through here: text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
