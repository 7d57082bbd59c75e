"""Rules about single cells and columns (raised while cleaning), and duplicate IDs."""

import numpy as np
import pandas as pd

from assurance.returns.issues import ERROR
from assurance.returns.rules.registry import declare, rule

declare("MANDATORY_BLANK", ERROR, "A mandatory cell is blank", "Fill in the cell.")
declare("BAD_DATE", ERROR, "Not a date", "Write the date as dd/mm/yyyy, for example 03/07/2025.")
declare("BAD_NUMBER", ERROR, "Not a whole number", "Enter a whole number of 0 or more, without text or decimals.")
declare("NEGATIVE_NUMBER", ERROR, "A count below zero", "Enter the count as 0 or more.")
declare("BAD_AGE", ERROR, "Not an age", "Enter the age in whole years (18 or over) or an age band such as 65-74.")
declare("UNKNOWN_CODE", ERROR, "A value not in the list", "Choose a value from the drop-down list in the template.")
declare("TOO_LONG", ERROR, "Text too long for the column", "Shorten the text.")
declare("CELL_TOO_LONG", ERROR, "A cell longer than Excel allows (32,767 characters)",
        "Check what is in the cell and enter the value again.")
declare("BAD_ID", ERROR, "An ID that is not usable", "Format the column as Text in Excel and type the ID again.")
declare("AGE_UNDER_18", ERROR, "Age under 18 (the return covers adults only)",
        "Check the age; a child's concern belongs to children's safeguarding, so remove the row if it is right.")


@rule("DUPLICATE_ID", ERROR, "The same ID appears more than once", "Give each row its own ID, or delete the repeated row.")
def duplicate_id(ctx, sheet, **_):
    """Every `unique` column, and the sheet's `unique_together` columns, hold each value once."""
    for col in sheet.spec.columns:
        if not col.unique or col.field not in sheet.present:
            continue
        values = sheet.values[col.field]
        filled = sheet.ok(col.field)  # a blank or refused cell has no value to repeat
        dup = _duplicated(values, filled)
        first = _first_rows(values, sheet.rows)
        ctx.add_cells(
            "DUPLICATE_ID", sheet, col.field, dup,
            lambda v, i, c=col: f"{c.header} “{v}” appears more than once (first on row {first.get(v, '?')}).",
            values=values,
        )
    if sheet.spec.unique_together and all(f in sheet.present for f in sheet.spec.unique_together):
        fields = sheet.spec.unique_together
        keys = np.array(list(zip(*(sheet.values[f] for f in fields))) + [None], dtype=object)[:-1]
        filled = sheet.ok(*fields)
        dup = _duplicated(keys, filled)
        headers = " and ".join(sheet.spec.column(f).header for f in fields)
        ctx.add_cells("DUPLICATE_ID", sheet, fields[0], dup,
                      lambda v, i: f"This combination of {headers} appears more than once.", values=keys)


def _duplicated(values: np.ndarray, filled: np.ndarray) -> np.ndarray:
    s = pd.Series(values, dtype=object)
    return (s.duplicated(keep="first").to_numpy() & filled) if len(s) else np.zeros(0, bool)


def _first_rows(values: np.ndarray, rows: np.ndarray) -> dict:
    s = pd.Series(values, dtype=object)
    dup_any = s.duplicated(keep=False).to_numpy()
    out = {}
    for v, r in zip(values[dup_any], rows[dup_any]):
        out.setdefault(v, int(r))
    return out
