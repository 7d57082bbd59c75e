"""Rules for the safeguarding activity return (concerns and concluded enquiries)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from assurance.periods import Period
from assurance.returns.issues import ERROR, QUERY
from assurance.returns.rules.registry import display, isin, rule

RISK_IDENTIFIED_PREFIX = "Risk identified"
LACKED = "Yes, they lacked capacity"
EXPRESSED = "Yes they were asked and outcomes were expressed"
NOT_RECORDED = "Undeclared / Not Known"


def _d(values: np.ndarray, i: int) -> str:
    return display(values[i])


@rule("DATE_OUTSIDE_PERIOD", ERROR, "A date outside the quarter of the return",
      "Correct the date, or move the row to the return for the quarter it belongs to.")
def date_outside_period(ctx, sheet, field: str, severity: str | None = None, **_):
    if ctx.period is None or field not in sheet.present:
        return
    days = sheet.values[field]
    start, end = np.datetime64(ctx.period.start, "D"), np.datetime64(ctx.period.end, "D")
    mask = sheet.ok(field) & ((days < start) | (days > end))
    header = sheet.spec.column(field).header

    def fix(v, i):
        other = Period.containing(days[i].item())
        return f"It belongs to {other.label}: correct the date, or send this row in the {other.label} return."

    ctx.add_cells(
        "DATE_OUTSIDE_PERIOD", sheet, field, mask,
        lambda v, i: f"{header} {_d(days, i)} is outside {ctx.period.label} "
                     f"({ctx.period.start:%d/%m/%Y} to {ctx.period.end:%d/%m/%Y}).",
        fix, severity=severity, values=days,
    )


def _order(ctx, sheet, code: str, earlier: str, later: str, what: str) -> None:
    if earlier not in sheet.present or later not in sheet.present:
        return
    a, b = sheet.values[earlier], sheet.values[later]
    mask = sheet.ok(earlier, later) & (b < a)
    h_a, h_b = sheet.spec.column(earlier).header, sheet.spec.column(later).header
    ctx.add_cells(code, sheet, later, mask,
                  lambda v, i: f"{h_b} {_d(b, i)} is before the {h_a.lower()} {_d(a, i)}; {what}.",
                  lambda v, i: f"Check both dates; {h_b.lower()} must be on or after {_d(a, i)}.", values=b)


@rule("DECISION_BEFORE_RECEIPT", ERROR, "A decision dated before the concern was received")
def decision_before_receipt(ctx, sheet, **_):
    _order(ctx, sheet, "DECISION_BEFORE_RECEIPT", "date_received", "decision_date",
           "a decision cannot come before the concern")


@rule("CONCLUSION_BEFORE_START", ERROR, "An enquiry concluded before it started")
def conclusion_before_start(ctx, sheet, **_):
    _order(ctx, sheet, "CONCLUSION_BEFORE_START", "date_started", "date_concluded",
           "an enquiry cannot conclude before it starts")


def _conditional(ctx, sheet, code: str, cond_field: str, target: str, needed: np.ndarray, need_text: str,
                 fill_fix: str) -> None:
    """`target` must be filled where `needed` (a mask over rows) and blank elsewhere."""
    if cond_field not in sheet.present or target not in sheet.present:
        return
    cond = sheet.values[cond_field]
    valid = sheet.ok(cond_field) & ~sheet.bad[target]
    filled = ~sheet.blank[target]
    h_c, h_t = sheet.spec.column(cond_field).header, sheet.spec.column(target).header
    ctx.add_cells(code, sheet, target, valid & needed & ~filled,
                  lambda v, i: f"{h_t} is blank, but {h_c} is “{cond[i]}”, so {need_text}.",
                  lambda v, i: fill_fix)
    ctx.add_cells(code, sheet, target, valid & ~needed & filled,
                  lambda v, i: f"{h_t} “{display(v)}” is given, but {h_c} is “{cond[i]}”, so it should be blank.",
                  lambda v, i: f"Leave {h_t} blank, or correct {h_c}.")


@rule("RISK_OUTCOME_MISMATCH", ERROR, "Risk outcome given or missing against the risk assessment outcome")
def risk_outcome_mismatch(ctx, sheet, **_):
    rao = sheet.values.get("risk_assessment_outcome")
    if rao is None:
        return
    identified = pd.Series(rao, dtype=object).str.startswith(RISK_IDENTIFIED_PREFIX, na=False).to_numpy(bool)
    _conditional(ctx, sheet, "RISK_OUTCOME_MISMATCH", "risk_assessment_outcome", "risk_outcome", identified,
                 "a risk outcome is needed", "Enter “Risk removed”, “Risk reduced” or “Risk remained”.")


@rule("CAPACITY_SUPPORT_MISMATCH", ERROR, "Capacity support given or missing against lacked capacity")
def capacity_support_mismatch(ctx, sheet, **_):
    lacked = sheet.values.get("lacked_capacity")
    if lacked is None:
        return
    _conditional(ctx, sheet, "CAPACITY_SUPPORT_MISMATCH", "lacked_capacity", "capacity_support", lacked == LACKED,
                 "say whether an advocate, family or friend supported them", "Enter “Yes” or “No”.")


@rule("OUTCOMES_ACHIEVED_MISMATCH", ERROR, "Outcomes achieved given or missing against asked and expressed")
def outcomes_achieved_mismatch(ctx, sheet, **_):
    asked = sheet.values.get("msp_asked")
    if asked is None:
        return
    _conditional(ctx, sheet, "OUTCOMES_ACHIEVED_MISMATCH", "msp_asked", "msp_achieved", asked == EXPRESSED,
                 "say whether the outcomes were achieved",
                 "Enter “Fully achieved”, “Partially achieved” or “Not achieved”.")


@rule("ETHNICITY_NOT_RECORDED", QUERY, "Ethnicity not recorded for more concerns than expected",
      "Check the person's records for their ethnicity before submitting; if it truly is not known, say why in "
      "the partner commentary.")
def ethnicity_not_recorded(ctx, sheet, threshold: float = 0.10, **_):
    broad = sheet.values.get("ethnicity_broad")
    if broad is None or "ethnicity" not in sheet.present or not sheet.n:
        return
    valid = sheet.ok("ethnicity")
    n = int(valid.sum())
    missing = int((valid & (broad == NOT_RECORDED)).sum())
    if n and missing / n > threshold:
        ctx.add("ETHNICITY_NOT_RECORDED",
                f"{missing:,} of {n:,} rows ({missing / n:.0%}) have ethnicity “Undeclared / Not known”, above the "
                f"{threshold:.0%} the Board expects.", sheet=sheet.name, column=sheet.letters.get("ethnicity"),
                field_name=sheet.spec.column("ethnicity").header)


@rule("UNKNOWN_CONCERN", ERROR, "An enquiry whose concern is neither in this return nor already loaded",
      "Check the Concern ID; if the concern came in an earlier quarter, load that quarter's return first.",
      needs=("loaded_concerns",))
def unknown_concern(ctx, sheet, **_):
    loaded = ctx.facts.get("loaded_concerns")
    if loaded is None or "concern_ref" not in sheet.present:
        return
    refs = sheet.values["concern_ref"]
    here = set()
    concerns = ctx.sheets.get("Concerns")
    if concerns is not None and "concern_ref" in concerns.present:
        here = set(concerns.values["concern_ref"][~concerns.blank["concern_ref"]].tolist())
    candidates = sheet.ok("concern_ref")
    if here:
        candidates &= ~isin(refs, here)
    if "date_started" in sheet.present:  # before the earliest data loaded, the concern cannot be checked
        started = sheet.values["date_started"]
        candidates &= ~(sheet.ok("date_started") & (started < np.datetime64(loaded.earliest, "D")))
    missing = candidates & ~isin(refs, loaded.refs)
    ctx.add_cells("UNKNOWN_CONCERN", sheet, "concern_ref", missing,
                  lambda v, i: f"Concern ID \u201c{refs[i]}\u201d is not on this return's Concerns sheet, nor in "
                               f"any return already loaded for {ctx.partner.code}.")
