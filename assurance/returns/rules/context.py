"""Rules about the return as a whole: who sent it, for which quarter, on which template, and how much."""

from __future__ import annotations

from assurance.returns.issues import ERROR, QUERY
from assurance.returns.rules import declare, rule

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
      needs_db=True)
def volume_unusual(ctx, rows: int, tolerance: float = 0.5, **_):
    from sqlalchemy import select

    from assurance.db.models import ReportingPeriod, Submission

    if ctx.conn is None or ctx.partner is None or ctx.period is None:
        return
    history = ctx.conn.execute(
        select(ReportingPeriod.label, Submission.row_count).join(ReportingPeriod, ReportingPeriod.id == Submission.period_id)
        .where(Submission.partner_id == ctx.partner.id, Submission.return_type == ctx.spec.type,
               Submission.status == "accepted", ReportingPeriod.start_date < ctx.period.start)
        .order_by(ReportingPeriod.start_date.desc()).limit(4)
    ).all()
    if len(history) < 2:
        return
    average = sum(r.row_count for r in history) / len(history)
    if average and abs(rows - average) / average > tolerance:
        direction = "more" if rows > average else "fewer"
        ctx.add("VOLUME_UNUSUAL",
                f"This return has {rows:,} row{'' if rows == 1 else 's'}, {abs(rows - average) / average:.0%} {direction} than the average of "
                f"{average:,.0f} in {ctx.partner.code}'s last {len(history)} accepted {ctx.spec.type} returns "
                f"({history[-1].label} to {history[0].label}).")
