"""What the pack's three formats share: how a value is written, which columns are numbers, table widths, fills."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import datetime

import pandas as pd

NHS_BLUE = "#005EB8"
Progress = Callable[[float, str], None]

RAG_COLOURS = {"red": "#F4B6B6", "amber": "#FFE08A", "green": "#B7E1B0", "overdue": "#F4B6B6", "missing": "#F4B6B6", "late": "#FFE08A"}


def cell_text(v) -> str:
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return ""
    if hasattr(v, "item") and not isinstance(v, (str, bytes)) and not hasattr(v, "strftime"):  # numpy numbers
        v = v.item()
        if isinstance(v, float) and pd.isna(v):
            return ""
    if isinstance(v, float):
        from assurance.numbers import fmt

        return fmt(v)  # halves rounded up
    if isinstance(v, int):
        return f"{v:,}"
    if hasattr(v, "strftime"):
        return v.strftime("%d/%m/%Y")
    return str(v)


def least_and_wanted(header: list[str], rows: list[list[str]], heading_width: Callable[[str], float],
                      cell_width: Callable[[str], float], padding: float,
                      narrowest: float = 0.0) -> tuple[list[float], list[float]]:
    """Each column's least width (its longest unbreakable token, heading words in bold) and the width it wants
    (its longest heading or value on one line), both with padding: the PDF and the slides share out the rest."""
    least, want = [], []
    for j, name in enumerate(header):
        values = [r[j] for r in rows]
        token = max([heading_width(w) for w in name.split()] + [cell_width(w) for v in values for w in _tokens(v)]
                    + [narrowest])
        whole = max([heading_width(name)] + [cell_width(v) for v in values])
        least.append(token + padding)
        want.append(max(whole, token) + padding)
    return least, want


SHORT_VALUE = 12  # a value this short ('+34.4 pts', '425 of 700') is kept on one line


def _tokens(value: str) -> list[str]:
    """The parts of a cell that must not be broken: the whole value when it is short, otherwise its words."""
    return [value] if len(value) <= SHORT_VALUE else value.split()


def is_numeric_column(values: pd.Series) -> bool:
    """True when every non-empty value is a number (or numeric text such as '1,234' or '90%')."""
    seen = False
    for v in values:
        if number_format(v) is not None:
            seen = True
        elif cell_text(v) != "":
            return False
    return seen


def number_format(v) -> tuple[float | int, str] | None:
    """(number, Excel number format) for a number or numeric text ('1,234', '60.8%', '90'); None for anything else."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return v, "#,##0"
    if isinstance(v, float):
        return (None if pd.isna(v) else (v, "#,##0.0"))
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        try:
            return number_format(v.item())
        except (TypeError, ValueError):
            return None
    if not isinstance(v, str):
        return None
    text = v.strip()
    percent = text.endswith("%")
    digits = text[:-1] if percent else text
    if not digits or not all(ch.isdigit() or ch in ",.-+" for ch in digits) or not any(ch.isdigit() for ch in digits):
        return None
    try:
        number = float(digits.replace(",", ""))
    except ValueError:
        return None
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "") + ('"%"' if percent else "")
    return (int(number) if decimals == 0 and number.is_integer() else number), fmt


def stable_zip(content: bytes, stamp: datetime) -> bytes:
    """Rewrite an Office file's zip with fixed entry times, so the same pack gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
