"""Helpers for the returns tests: validate or load a workbook built in code, and read issues back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from assurance.db.models import FACT_TABLES, StoredFile, Submission, ValidationIssue
from assurance.returns.load import load_bytes
from assurance.returns.validate import prepare, preview
from tests.returns.builders import xlsx


def where(report, rule: str | None = None) -> list[tuple]:
    """(rule, sheet, row, column) for every issue, optionally of one rule."""
    return [(i.rule, i.sheet, i.row, i.column) for i in report.issues if rule is None or i.rule == rule]


@pytest.fixture
def check(engine):
    """check(sheets or bytes, file name, **choices) -> Report (nothing written)."""

    def run(content, name="LA 2025-26 Q2.xlsx", **kwargs):
        data = content if isinstance(content, bytes) else xlsx(content)
        return preview(prepare(data, name, engine, **kwargs), engine)

    return run


@pytest.fixture
def load(engine):
    def run(content, name="LA 2025-26 Q2.xlsx", user="tester", **kwargs):
        data = content if isinstance(content, bytes) else xlsx(content)
        return load_bytes(data, name, engine, user, **kwargs)

    return run


def snapshot(engine) -> dict[str, int]:
    """Row counts of every table a load may touch."""
    with engine.connect() as c:
        out = {t.__tablename__: c.scalar(select(func.count()).select_from(t)) for t in FACT_TABLES}
        out["submissions"] = c.scalar(select(func.count()).select_from(Submission))
        out["accepted"] = c.scalar(select(func.count()).select_from(Submission).where(Submission.status == "accepted"))
        out["stored_files"] = c.scalar(select(func.count()).select_from(StoredFile))
        out["validation_issues"] = c.scalar(select(func.count()).select_from(ValidationIssue))
    return out
