"""What a figure's window and conventions are, in words: said once here, shown on the pages and in the board pack."""

from __future__ import annotations

from assurance.periods import Period

WEEKEND_RECEIPT = ("as received", "next working day")
DECISION_DAYS = 2  # the measure: concern decisions within 2 working days

CONVERSION_NOTE = ("Conversion is the outcome of the concerns received in the period: the share of them that led to a "
                   "Section 42 or other enquiry, whenever that enquiry started. It is shown for context, not rated.")
RATE_NOTE = ("Rates per 100,000 use the Board's adult population baseline; their 95% intervals use Byar's method "
             "(the exact Poisson interval for counts under 10).")


def decision_note(weekend_receipt: str) -> str:
    """How working days to a concern decision are counted, under the Board's convention."""
    base = "Working days exclude weekends and England bank holidays. "
    if weekend_receipt == "next working day":
        return base + ("A concern received at a weekend or on a bank holiday is counted from the next working day, "
                       "which is day 0: one received on a Saturday and decided on the Monday took 0 working days.")
    return base + ("Working days are counted after the day of receipt, whatever day that was: a concern received on a "
                   "Saturday and decided on the Monday took 1 working day.")


def window_note(figure) -> str:
    """'Built on 3 of 4 quarters with data' for a four-quarter or year-to-date figure short of its window; else ''."""
    if figure is None or not getattr(figure, "partial_window", False):
        return ""
    return f"Built on {figure.window_note} with data, not the full {figure.window_quarters}."


def repeat_note(period: str, first_period: str) -> str:
    """Repeat concerns look back 12 months: before four quarters of data the look-back is incomplete."""
    p, first = Period.parse(period), Period.parse(first_period)
    if p.shift(-4) >= first:
        return ""
    return (f"The 12-month look-back for repeat concerns is incomplete in {p.label}: data start in {first.label}, so "
            "earlier concerns about the same adult are not seen and repeats are undercounted.")
