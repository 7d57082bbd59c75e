"""The Audits page's findings at a glance on a laptop: short columns shown whole, weakest grade first, the finding and
its action read in full on a row's selection, and no "None" where an audit asks for no action."""

import json

from sqlalchemy import select

from assurance.db.models import AuditResult, Submission
from tests.pages.helpers import open_page, texts

ON_SCREEN = ["Audit", "Overall grade", "Theme", "Agency", "Action"]
WEAKEST_FIRST = ["Inadequate", "Requires improvement", "Good", "Outstanding"]


def _findings(at):
    return next(t for t in at.dataframe if "Findings" in t.value.columns)


def _drawn(table) -> list[str]:
    config = json.loads(table.proto.columns)
    names = list(table.value.columns)
    return [c for i, c in enumerate(names) if not config.get(f"_column-{c}-{i + 1}", config.get(c, {})).get("hidden")]


def _audits(engine):
    with engine.connect() as c:
        return c.execute(select(AuditResult.audit_ref, AuditResult.case_ref, AuditResult.agency,
                                AuditResult.findings, AuditResult.action_required)
                         .join(Submission, Submission.id == AuditResult.submission_id)
                         .where(Submission.status == "accepted")).all()


def test_findings_show_short_columns_weakest_first_and_no_none(demo_url, demo_engine):
    at = open_page("pages/audits.py", period="2026-27 Q2")
    table = _findings(at)
    frame = table.value
    assert _drawn(table) == ON_SCREEN
    grades = list(frame["Overall grade"])
    assert grades == sorted(grades, key=WEAKEST_FIRST.index)
    assert not frame[ON_SCREEN].isin(["None"]).any().any() and not frame[ON_SCREEN].isna().any().any()
    actions = {(a, c, g): bool((action or "").strip()) for a, c, g, _, action in _audits(demo_engine)}
    assert [x == "Yes" for x in frame["Action"]] == [actions[key] for key in
                                                     zip(frame["Audit"], frame["Case"], frame["Agency"])]
    assert set(frame["Action"]) == {"Yes", ""}


def test_the_weakest_finding_is_read_in_full_and_a_click_opens_another(demo_url, demo_engine):
    at = open_page("pages/audits.py", period="2026-27 Q2")
    frame = _findings(at).value
    known = {(a, c, g): (findings, action) for a, c, g, findings, action in _audits(demo_engine)}
    key = lambda row: tuple(frame[k].iloc[row] for k in ("Audit", "Case", "Agency"))  # noqa: E731
    findings, action = known[key(0)]
    shown = texts(at).replace("**", "")
    assert action and f"Findings: {findings}" in shown and f"Action required: {action}" in shown
    last = len(frame) - 1
    at.session_state["au-findings-table"] = {"selection": {"rows": [last], "columns": [], "cells": []}}
    at.run()
    findings, _ = known[key(last)]
    shown = texts(at).replace("**", "")
    assert f"Findings: {findings}" in shown
    assert f"Audit: {frame['Audit'].iloc[last]}\nCase: {frame['Case'].iloc[last]}" in shown
