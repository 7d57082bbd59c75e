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


def rate_interval_note(figure, publish: bool, method: bool = True) -> str:
    """'95% CI 402.1 to 431.7 (Byar's method ...)' for a rate per 100,000 that is shown; '' otherwise."""
    from assurance import disclosure
    from assurance.analysis.intervals import describe, rate

    if figure is None or figure.unit != "per 100,000" or figure.numerator is None or not figure.denominator:
        return ""
    protected = publish and getattr(figure, "protected", True)
    if protected and isinstance(disclosure.figure_value(figure, True), str):  # withheld: so is its interval
        return ""
    count = disclosure.round5(figure.numerator) if protected else figure.numerator  # else it gives the count back
    return describe(rate(count, figure.denominator), method=method)


def figure_notes(fs, measure_id: str, period: str, publish: bool, weekend_receipt: str, method: bool = True) -> list[str]:
    """Everything a reader needs to know about how one figure was made: window, conventions, interval (without the
    interval's method when RATE_NOTE is said nearby)."""
    m = fs.framework.get(measure_id)
    f = fs.get(measure_id, period)
    notes = []
    if w := window_note(f):
        notes.append(w)
    if m.definition == "decision_timeliness":
        notes.append(decision_note(weekend_receipt))
    if m.definition == "conversion":
        notes.append(CONVERSION_NOTE)
    if m.definition == "repeat_concerns":
        first = next((p for p in fs.periods if (x := fs.get(measure_id, p)) is not None and x.has_data), None)
        if first is not None and (r := repeat_note(period, first)):
            notes.append(r)
    if ci := rate_interval_note(f, publish, method):
        notes.append(f"{m.name}: {ci}.")
    return notes


def pack_notes(fs, period: str, publish: bool, weekend_receipt: str) -> list[str]:
    """The notes for every measure of the scorecard, once each, for the board pack."""
    out: list[str] = []
    for m in fs.framework.measures:
        if fs.get(m.id, period) is None:
            continue
        for note in figure_notes(fs, m.id, period, publish, weekend_receipt):
            text = note if note.startswith(m.name) else f"{m.name}: {note}"
            if text not in out:
                out.append(text)
    return out
