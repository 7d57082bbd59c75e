"""Validation issues: one typed record per problem, with where it is and how to fix it.

This module knows nothing of the rules: the summary is given the rules' titles by its caller.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

ERROR, QUERY = "error", "query"
ISSUE_COLUMNS = ["severity", "rule", "file", "sheet", "cell", "row", "column", "field", "value", "message", "suggestion"]
REPORT_HEADERS = {
    "severity": "Severity", "rule": "Rule", "file": "File", "sheet": "Sheet", "cell": "Cell", "row": "Row",
    "column": "Column", "field": "Field", "value": "Value", "message": "Problem", "suggestion": "How to fix it",
}


@dataclass(frozen=True)
class Issue:
    severity: str  # error blocks the load, query warns
    rule: str
    message: str
    suggestion: str = ""
    file: str = ""
    sheet: str | None = None
    row: int | None = None  # Excel row number as the user sees it
    column: str | None = None  # Excel column letter
    field: str | None = None  # the column's header in the template
    value: str | None = None

    @property
    def cell(self) -> str:
        return cell_text(self.row, self.column)

    @property
    def where(self) -> str:
        parts = [self.file or "the file"]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.cell:
            parts.append(f"cell {self.cell}" if self.column and self.row else self.cell)
        return ", ".join(parts)

    def text(self) -> str:
        """One line a person can act on: where, what, how to fix it."""
        out = f"{self.where}: {self.message}"
        if self.suggestion:
            out += f" Fix: {self.suggestion}"
        return out

    def as_dict(self) -> dict:
        d = asdict(self)
        d["cell"] = self.cell
        return d


def cell_text(row: int | None, column: str | None) -> str:
    """'D12', 'row 12', 'column D' or '' for an issue about the whole file."""
    if column and row:
        return f"{column}{row}"
    if row:
        return f"row {row}"
    if column:
        return f"column {column}"
    return ""


def where_text(sheet: str | None, row: int | None, column: str | None) -> str:
    """Where an issue is, in one short cell of a table: 'Concerns D12', 'Enquiries column G', 'Whole file'."""
    row = None if row is None or pd.isna(row) else int(row)
    return " ".join(p for p in (sheet or "", cell_text(row, column or None)) if p) or "Whole file"


SCREEN_COLUMNS = ["Severity", "Where", "Problem", "How to fix it"]
# Problems listed on screen, in a table that wraps its text (every word of where and how to fix it shows at any
# width); the rest are in the CSV, and the filters narrow the list.
PROBLEMS_LISTED = 100
_TEXT_COLUMNS = [c for c in ISSUE_COLUMNS if c != "row"]


def issues_frame(issues: list[Issue], readable: bool = False) -> pd.DataFrame:
    """Every issue, one row each; a gap in a text column is blank, never None."""
    df = pd.DataFrame([i.as_dict() for i in issues], columns=ISSUE_COLUMNS)
    df[_TEXT_COLUMNS] = df[_TEXT_COLUMNS].astype(object).where(df[_TEXT_COLUMNS].notna(), "")
    df["row"] = df["row"].astype("Int64")
    return df.rename(columns=REPORT_HEADERS) if readable else df


def screen_frame(readable: pd.DataFrame) -> pd.DataFrame:
    """The issues as the screen lists them: severity, where, the problem and how to fix it, errors first (the rule,
    the field and the value are in the summary, the filters and the problem's own words)."""
    where = [where_text(s, r, c) for s, r, c in zip(readable["Sheet"], readable["Row"], readable["Column"])]
    out = readable.assign(Where=where)[SCREEN_COLUMNS]
    out = out.astype({c: object for c in SCREEN_COLUMNS}).fillna("")
    order = sorted(range(len(out)), key=lambda k: out["Severity"].iloc[k] != ERROR)  # stable: file order kept
    return out.iloc[order].reset_index(drop=True)


def problems_listed(readable: pd.DataFrame, limit: int = PROBLEMS_LISTED) -> tuple[pd.DataFrame, str | None]:
    """The problems the screen lists (errors first, at most `limit`) and, when some are left off, a note saying
    how many and where the rest are."""
    out = screen_frame(readable)
    if len(out) <= limit:
        return out, None
    return out.head(limit), (f"The first {limit:,} of {len(out):,} problems are listed: choose a severity, rule or "
                             "sheet above to see others, or download every problem.")


def summary_by_rule(issues: list[Issue], titles: Mapping[str, str], counts: Counter | None = None) -> pd.DataFrame:
    """One line per rule: severity, the rule's title (`titles`: rule code -> title) and how many cells or rows."""
    tally = counts if counts is not None else Counter((i.rule, i.severity) for i in issues)
    rows = []
    for (code, severity), n in sorted(tally.items(), key=lambda kv: (kv[0][1] != ERROR, -kv[1], kv[0][0])):
        rows.append({"Severity": severity, "Problem": titles.get(code, code), "Count": n})
    return pd.DataFrame(rows, columns=["Severity", "Problem", "Count"])
