"""Rules for the partner assurance return (numerators and denominators of the partner measures)."""

from __future__ import annotations

from assurance.returns.issues import ERROR, QUERY
from assurance.returns.rules.registry import isin, rule


@rule("NUMERATOR_ABOVE_DENOMINATOR", ERROR, "Numerator above the denominator",
      "The numerator counts people within the denominator, so it cannot be larger: check both figures.")
def numerator_above_denominator(ctx, sheet, **_):
    if "numerator" not in sheet.present or "denominator" not in sheet.present:
        return
    num, den = sheet.values["numerator"], sheet.values["denominator"]
    ok = sheet.ok("numerator", "denominator")
    over = ok.copy()
    n, d = num[ok], den[ok]  # Python ints: compared exactly, whatever their size
    over[ok] = ((n > d) & (d > 0)).astype(bool)  # a zero denominator is DENOMINATOR_NEEDED's
    codes = sheet.values.get("measure_code")
    ctx.add_cells("NUMERATOR_ABOVE_DENOMINATOR", sheet, "numerator", over,
                  lambda v, i: f"Numerator {num[i]:,} is more than the denominator {den[i]:,}"
                               + (f" for “{codes[i]}”." if codes is not None and codes[i] else "."))


@rule("DENOMINATOR_NEEDED", ERROR, "A rate measure without a denominator (or with 0)",
      "Enter the denominator: the number of staff the measure applies to.")
def denominator_needed(ctx, sheet, **_):
    if "measure_code" not in sheet.present or "denominator" not in sheet.present:
        return
    codes, den = sheet.values["measure_code"], sheet.values["denominator"]
    rates = {m.code for m in ctx.spec.measures if m.kind == "rate"}
    is_rate = isin(codes, rates) & sheet.ok("measure_code")
    missing = is_rate & sheet.blank["denominator"]
    zero = is_rate & sheet.ok("denominator") & (den == 0)
    ctx.add_cells("DENOMINATOR_NEEDED", sheet, "denominator", missing | zero,
                  lambda v, i: f"“{codes[i]}” is a rate, so it needs a denominator above 0 (found "
                               f"{'a blank' if missing[i] else '0'}).")


@rule("MEASURE_NOT_REPORTED", QUERY, "A framework measure has no row in the return",
      "Add a row for the measure, or explain in the commentary why you cannot report it.")
def measure_not_reported(ctx, sheet, **_):
    if "measure_code" not in sheet.present:
        return
    have = set(sheet.values["measure_code"][sheet.ok("measure_code")].tolist())
    partner_type = ctx.partner.type if ctx.partner is not None else None
    for m in ctx.spec.measures:
        if m.code not in have and m.made_by(partner_type):  # the framework names the partner types that make it
            ctx.add("MEASURE_NOT_REPORTED", f"There is no row for “{m.code}” ({m.label}).", sheet=sheet.name,
                    column=sheet.letters.get("measure_code"), field_name="Measure code", value=m.code)
