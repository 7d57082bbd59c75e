"""Rules for the multi-agency audit return."""

from assurance.returns.issues import ERROR
from assurance.returns.rules.registry import rule


@rule("OVERALL_NOT_APPLICABLE", ERROR, "Overall grade given as Not applicable",
      "Give the overall grade as Outstanding, Good, Requires improvement or Inadequate.")
def overall_not_applicable(ctx, sheet, **_):
    if "overall_grade" not in sheet.present:
        return
    grade = sheet.values["overall_grade"]
    ctx.add_cells("OVERALL_NOT_APPLICABLE", sheet, "overall_grade", sheet.ok("overall_grade") & (grade == "Not applicable"),
                  lambda v, i: "Overall grade is “Not applicable”; that is allowed for a domain but not for the overall grade.")
