"""Rounding for display: halves round up (81.25 shows as 81.3), worked in decimals, never in binary floats.

Python's round() rounds halves to even and works on the float, so round(81.25, 1) is 81.2 and round(2.675, 2)
is 2.67. Figures are kept unrounded; these helpers round them only where they are shown.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction


def _decimal(x) -> Decimal:
    if isinstance(x, Fraction):
        with localcontext() as ctx:
            ctx.prec = 40
            return Decimal(x.numerator) / Decimal(x.denominator)
    if isinstance(x, float):
        return Decimal(repr(x))  # the shortest decimal that reads back as x: 81.25, not 81.2499999...
    return Decimal(x)


def round_half_up(x, dp: int = 1) -> float | None:
    """x rounded to dp decimal places, halves away from zero; None (or NaN) stays None."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):  # numpy numbers
        x = x.item()
    step = Decimal(1).scaleb(-dp)
    return float(_decimal(x).quantize(step, rounding=ROUND_HALF_UP))


def share(numerator, denominator, dp: int = 1, scale: int = 100) -> float | None:
    """scale x numerator / denominator, rounded half up from the exact fraction; None without a denominator."""
    if numerator is None or not denominator:
        return None
    return round_half_up(Fraction(int(numerator) * scale, int(denominator)), dp)


def exact(numerator, denominator, scale: int = 100) -> float | None:
    """scale x numerator / denominator, unrounded (as near as a float holds it)."""
    if numerator is None or not denominator:
        return None
    return scale * int(numerator) / int(denominator)


def fmt(x, dp: int = 1, sign: bool = False) -> str:
    """x rounded half up and written with thousands separators, e.g. 1,234.6 (or +1.5 with sign)."""
    r = round_half_up(x, dp)
    if r is None:
        return ""
    return f"{r:+,.{dp}f}" if sign else f"{r:,.{dp}f}"


def round_column(values, dp: int = 1) -> list:
    """Every value of a column rounded half up (None and NaN left as None)."""
    return [round_half_up(v, dp) for v in values]
