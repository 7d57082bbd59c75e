"""Validation issues: one typed record per problem, with where it is and how to fix it."""

from __future__ import annotations

from collections import Counter
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
        if self.column and self.row:
            return f"{self.column}{self.row}"
        if self.row:
            return f"row {self.row}"
        if self.column:
            return f"column {self.column}"
        return ""

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


def issues_frame(issues: list[Issue], readable: bool = False) -> pd.DataFrame:
    df = pd.DataFrame([i.as_dict() for i in issues], columns=ISSUE_COLUMNS)
    df["row"] = df["row"].astype("Int64")
    return df.rename(columns=REPORT_HEADERS) if readable else df


def summary_by_rule(issues: list[Issue], counts: Counter | None = None) -> pd.DataFrame:
    """One line per rule: severity, how many cells or rows, and the rule's title."""
    from assurance.returns.rules import RULES

    tally = counts if counts is not None else Counter((i.rule, i.severity) for i in issues)
    rows = []
    for (code, severity), n in sorted(tally.items(), key=lambda kv: (kv[0][1] != ERROR, -kv[1], kv[0][0])):
        rule = RULES.get(code)
        rows.append({"Severity": severity, "Rule": code, "Problem": rule.title if rule else code, "Count": n})
    return pd.DataFrame(rows, columns=["Severity", "Rule", "Problem", "Count"])
