"""Rules about the return as a whole: who sent it, for which quarter, on which template, and how much."""

from __future__ import annotations

from assurance.returns.issues import ERROR, QUERY
from assurance.returns.rules.registry import declare, rule

declare("TYPE_UNKNOWN", ERROR, "The kind of return could not be worked out",
        "Choose the return type (activity, assurance or audit), or use the template's sheet names.")
declare("TYPE_MISMATCH", ERROR, "The file is a different kind of return from the one chosen",
        "Choose the return type that matches the file, or upload the right file.")
declare("PARTNER_UNKNOWN", ERROR, "The partner could not be worked out",
        "Choose the partner, or put the partner's code in the file name (e.g. “POL 2025-26 Q2.xlsx”).")
declare("PARTNER_MISMATCH", ERROR, "The partner chosen and the partner in the file name differ",
        "Choose the right partner, or rename the file.")
declare("PERIOD_UNKNOWN", ERROR, "The quarter could not be worked out",
        "Choose the quarter, or put it in the file name (e.g. “POL 2025-26 Q2.xlsx”).")
declare("PERIOD_MISMATCH", ERROR, "The quarter chosen, the file name and the dates inside disagree",
        "Choose the quarter the data is for, and make the file name match it.")
declare("PERIOD_NOT_OPEN", ERROR, "The quarter is not a reporting period in the database",
        "Check the quarter; the Board's administrator can open new periods with “python -m assurance init-db”.")
declare("RETURN_NOT_EXPECTED", ERROR, "A partner submitting a return type it does not make",
        "Check the partner and return type; the Board setup lists which returns each partner makes.")
declare("OLD_TEMPLATE", QUERY, "The return uses an older version of the template",
        "Download the latest template and copy your data into it next quarter.")


@rule("VOLUME_UNUSUAL", QUERY, "Far more or fewer rows than the partner's own recent returns",
      "Check the return is complete and covers the whole quarter; explain a real change in the commentary.",
      needs=("recent_row_counts",), scope="return")
def volume_unusual(ctx, tolerance: float = 0.5, **_):
    history = ctx.facts.get("recent_row_counts")
    if not history or len(history) < 2:
        return
    rows = sum(s.n for s in ctx.sheets.values())
    average = sum(h.rows for h in history) / len(history)
    if average and abs(rows - average) / average > tolerance:
        direction = "more" if rows > average else "fewer"
        ctx.add("VOLUME_UNUSUAL",
                f"This return has {rows:,} row{'' if rows == 1 else 's'}, {abs(rows - average) / average:.0%} "
                f"{direction} than the average of {average:,.0f} in {ctx.partner.code}'s last {len(history)} accepted "
                f"{ctx.spec.type} returns ({history[-1].label} to {history[0].label}).")
