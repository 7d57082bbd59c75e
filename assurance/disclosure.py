"""Statistical disclosure control: the one policy, applied last, on every route out (publication mode).

What is protected: counts of people (concerns, enquiries, adults, respondents, and the agencies' DoLS
applications and concerns raised, which are about adults). In publication mode:
- a count of 1 to 4 is shown as [c]; every other count is rounded to the nearest 5; a 0 is a true zero;
- a percentage or rate is worked out from the published (rounded) counts, so it says nothing the counts
  beside it do not; it is withheld when its count is hidden, when the remainder (denominator minus
  numerator) is 1 to 4, or when the denominator is under 10;
- secondary suppression stops a published total minus the visible cells giving a hidden cell away;
- case-level lists are replaced by aggregates.
Deliberately published unrounded: counts about agencies' practice, not about people (staff trained and
supervised, SAR actions, challenges, returns submitted). Case audits are about people's cases: protected.

Whether figures are published is decided by `publish_for(user, board_setting, destination)` alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from assurance.numbers import fmt, round_half_up, share

SUPPRESSED = "[c]"
NOT_AVAILABLE = "[x]"
SMALL_COUNT_MAX = 4
SMALL_DENOMINATOR = 10
ROUND_TO = 5

KEY = (
    (SUPPRESSED, "Suppressed: a count of 1 to 4, a percentage of fewer than 10 cases or with 1 to 4 left over, or "
                 "a figure that would let someone work one out"),
    (NOT_AVAILABLE, "Not available: not collected from this partner, or no data for this period"),
    ("Counts of people", "Rounded to the nearest 5 in publication mode; a 0 is a true zero"),
    ("Percentages and rates", "Worked out from the rounded counts shown, so nothing hidden can be worked back"),
    ("Counts about practice", "Staff trained and supervised, SAR actions, challenges and returns are not about "
                              "people at risk and are shown as they are"),
)
DESTINATIONS = ("screen", "cli", "download", "pack")


def publish_for(user, board_publication_mode: bool, destination: str) -> bool:
    """Whether figures going to `destination` for `user` are published (suppressed and rounded): always when the
    Board is in publication mode, for anyone outside the QA subgroup, and for every file the app lets out.
    `user` None is the operator at the command line (who holds the database itself)."""
    from assurance.access.roles import must_suppress

    if destination not in DESTINATIONS:
        raise ValueError(f"unknown destination {destination!r}")
    if board_publication_mode or destination in ("download", "pack"):  # files that leave the product
        return True
    return user is not None and must_suppress(user)


def is_small(n: int | None) -> bool:
    return n is not None and 1 <= n <= SMALL_COUNT_MAX


def round5(n: int) -> int:
    """Nearest multiple of 5, halves rounded up (12.5 -> 15)."""
    return int((n + ROUND_TO // 2) // ROUND_TO * ROUND_TO) if n >= 0 else -round5(-n)


def publish_count(n: int | float | None) -> int | str:
    if n is None or (isinstance(n, float) and pd.isna(n)):
        return NOT_AVAILABLE
    n = int(n)
    if n == 0:
        return 0
    if is_small(n):
        return SUPPRESSED
    return round5(n)


def percent_withheld(numerator: int, denominator: int) -> bool:
    """A share that would give a small count away: its count, or what is left over, is 1 to 4, or too few cases."""
    return denominator < SMALL_DENOMINATOR or is_small(numerator) or is_small(denominator - numerator)


def publish_percent(numerator: int | None, denominator: int | None, decimals: int = 1) -> float | str:
    """A percentage worked out from the rounded counts (so it cannot be worked back to exact ones), or [c]."""
    if numerator is None or not denominator:
        return NOT_AVAILABLE
    if percent_withheld(int(numerator), int(denominator)):
        return SUPPRESSED
    return share(round5(int(numerator)), round5(int(denominator)), decimals)


def publish_rate(count: int | None, population: int | None, per: int = 100_000, decimals: int = 1) -> float | str:
    """A rate worked out from the rounded count (a rate on a public population gives its count back), or [c]."""
    if count is None or not population:
        return NOT_AVAILABLE
    if is_small(count):
        return SUPPRESSED
    return share(round5(int(count)), population, decimals, per)


def suppression_mask(counts: pd.DataFrame, row_totals: bool = True, column_totals: bool = True) -> pd.DataFrame:
    """Cells to hide: primary (1 to 4) and secondary, so no row or column total gives a hidden cell away.

    `counts` holds the body of the table only (no total row or column); totals are assumed to be published
    for rows when `row_totals` and for columns when `column_totals`.
    """
    values = counts.fillna(0).astype(int)
    mask = values.apply(lambda col: col.map(is_small))
    lines = []
    if row_totals:
        lines += [("row", r) for r in range(values.shape[0])]
    if column_totals:
        lines += [("col", c) for c in range(values.shape[1])]
    changed = True
    while changed:
        changed = False
        for kind, i in lines:
            cells = [(i, j) for j in range(values.shape[1])] if kind == "row" else [(r, i) for r in range(values.shape[0])]
            hidden = [cell for cell in cells if mask.iat[cell]]
            if len(hidden) != 1:
                continue
            candidates = [cell for cell in cells if not mask.iat[cell] and values.iat[cell] > 0]
            if not candidates:
                continue
            smallest = min(candidates, key=lambda cell: (values.iat[cell], cell))
            mask.iat[smallest] = True
            changed = True
    return mask


def hidden_in_breakdown(counts: Sequence[int]) -> list[bool]:
    """Which categories of one breakdown (whose total is known) must be hidden: 1 to 4, and enough others that the
    total does not give a hidden one away."""
    if not len(counts):
        return []
    return suppression_mask(pd.DataFrame({"n": list(counts)}), row_totals=False)["n"].tolist()


def publish_table(frame: pd.DataFrame, count_columns: Sequence[str], row_totals: bool = True,
                  column_totals: bool = True, add_totals: bool = False,
                  percent_columns: dict[str, str] | None = None,
                  percent_of: dict[str, int] | None = None) -> pd.DataFrame:
    """A copy of `frame` with its count columns suppressed (primary and secondary) and rounded.

    Totals are worked out from the unrounded counts, then rounded; with add_totals a Total column and row are added.
    percent_columns maps a percentage column to the count it is a share of; the share is of that column's total
    unless percent_of gives its denominator. Each percentage is worked out again from the rounded counts, and
    withheld where its count is hidden or the remainder is small (the two together would give it back).
    """
    counts = frame[list(count_columns)].fillna(0).astype(int)
    mask = suppression_mask(counts, row_totals, column_totals)
    out = frame.copy().astype({c: object for c in [*count_columns, *(percent_columns or {})]})
    for c in count_columns:
        out[c] = [SUPPRESSED if hidden else publish_count(v) for v, hidden in zip(counts[c], mask[c])]
    for pct, of in (percent_columns or {}).items():
        den = int((percent_of or {}).get(pct, counts[of].sum()))
        out[pct] = [SUPPRESSED if hidden else publish_percent(int(n), den) for n, hidden in zip(counts[of], mask[of])]
    if add_totals:
        total_row = {c: publish_count(counts[c].sum()) for c in count_columns}
        if len(count_columns) > 1:  # beside a single count a Total column would repeat it, hidden cells included
            out["Total"] = [publish_count(v) for v in counts.sum(axis=1)]
            total_row["Total"] = publish_count(int(counts.to_numpy().sum()))
        first = frame.columns[0]
        if first not in count_columns:
            total_row[first] = "Total"
        out = pd.concat([out, pd.DataFrame([total_row])], ignore_index=True)
    return out


TOO_SPARSE = "Withheld in publication mode: too few cases to show this table without revealing small numbers"


def too_sparse(published: pd.DataFrame, count_columns: Sequence[str]) -> bool:
    """More than half of a table's non-zero cells hidden: what is left, with each hidden cell known to be at least
    1 and its totals, can pin a hidden one, so the table is withheld whole."""
    cells = [v for c in count_columns for v in published[c]]
    hidden = sum(v == SUPPRESSED for v in cells)
    nonzero = sum(v != 0 for v in cells)
    return hidden > 0 and 2 * hidden > nonzero


def withheld_table(columns: Sequence[str]) -> pd.DataFrame:
    """One row saying the table is withheld (its columns kept, so pages and charts draw nothing from it)."""
    first, *rest = columns
    return pd.DataFrame([{first: TOO_SPARSE, **{c: "" for c in rest}}], columns=list(columns))


def reveals_hidden_cell(published: pd.DataFrame, row_totals: bool = True, column_totals: bool = True) -> bool:
    """True if some line has exactly one hidden cell (its true value follows from the total). For tests and checks."""
    hidden = published.apply(lambda col: col.map(lambda v: v == SUPPRESSED))
    lines = []
    if row_totals:
        lines += [hidden.iloc[r, :] for r in range(hidden.shape[0])]
    if column_totals:
        lines += [hidden.iloc[:, c] for c in range(hidden.shape[1])]
    return any(int(line.sum()) == 1 for line in lines)


# --- a framework figure as shown ----------------------------------------------------------------


def figure_value(f, publish: bool):
    """A Figure's value as shown: unrounded for the QA subgroup; in publication mode, a figure about people is
    worked out from its rounded counts or suppressed."""
    if f is None or f.value is None:
        return NOT_AVAILABLE
    if not publish or not getattr(f, "protected", True):
        return f.value
    if f.unit == "%":
        return publish_percent(f.numerator, f.denominator)
    if f.unit == "per 100,000":
        return publish_rate(f.numerator, f.denominator)
    return publish_count(f.numerator)


def figure_point(f, publish: bool) -> float | None:
    """The value a chart draws: what the figure shows as a number, or None where it shows a symbol."""
    v = figure_value(f, publish)
    return None if isinstance(v, str) else v


def figure_text(f, publish: bool) -> str:
    v = figure_value(f, publish)
    if isinstance(v, str):
        return v
    if f.unit in ("%", "per 100,000") and not publish and f.numerator is not None and f.denominator:
        v = share(f.numerator, f.denominator, 1, 100 if f.unit == "%" else 100_000)  # halves up, from the exact fraction
    if f.unit == "%":
        target = getattr(f, "target", None)
        if (target is not None and v == target and f.value is not None and f.value != target
                and not (publish and getattr(f, "protected", True))):
            dp = next((d for d in (2, 3, 4) if round_half_up(f.value, d) != target), 4)
            return f"{fmt(f.value, dp)}%"  # 89.98%, not a 90.0% that reads as on target beside its amber
        return f"{fmt(v)}%"
    return fmt(v) if f.unit == "per 100,000" else f"{v:,}"


def figure_counts(f, publish: bool) -> str:
    """'426 of 701' beside a percentage (rounded or suppressed in publication mode)."""
    if f is None or f.numerator is None or f.unit != "%":
        return ""
    protected = publish and getattr(f, "protected", True)
    num, den = (publish_count(f.numerator), publish_count(f.denominator)) if protected else (f.numerator, f.denominator)
    fmt = lambda v: f"{v:,}" if isinstance(v, int) else str(v)  # noqa: E731
    return f"{fmt(num)} of {fmt(den)}"


SYMBOLS = (SUPPRESSED, NOT_AVAILABLE, "")


def _number_text(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, str):
        return v
    if hasattr(v, "item"):  # numpy numbers
        v = v.item()
    return str(v)


def one_type_per_column(frame: pd.DataFrame) -> pd.DataFrame:
    """A published table with every column of one type: a column mixing numbers with symbols ([c], [x]) becomes
    text throughout, the numbers written as a CSV writes them. (A mixed column cannot be sent to the browser as
    it is: pyarrow refuses it and the screen would show the numbers as left-aligned text.)"""
    out = frame.copy()
    for c in out.columns:
        col = out[c]
        if col.dtype != object:
            continue
        values = [v for v in col if v is not None and not (isinstance(v, float) and pd.isna(v))]
        if any(isinstance(v, str) for v in values) and not all(isinstance(v, str) for v in values):
            out[c] = [_number_text(v) for v in col]
    return out


def is_number_text(value) -> bool:
    """A cell of a published column of numbers: a number written as text (1234, 12.5, 1,234, -3), or a symbol."""
    if not isinstance(value, str):
        return False
    if value in SYMBOLS:
        return True
    try:
        float(value.replace(",", "").removesuffix("%"))
    except ValueError:
        return False
    return True


def number_columns(frame: pd.DataFrame) -> list[str]:
    """The text columns of a published table that hold numbers (and symbols): the screen right-aligns them."""
    out = []
    for c in frame.columns:
        col = frame[c]
        if pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype):
            continue
        values = [v for v in col if not (v is None or (isinstance(v, float) and pd.isna(v)))]
        if values and all(is_number_text(v) for v in values) and any(v not in SYMBOLS for v in values):
            out.append(c)
    return out
