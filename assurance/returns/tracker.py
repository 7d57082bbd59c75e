"""The submissions tracker: for a period, each partner and return type it makes, whether the return is in
(on time or late) or missing against the period's due date, with the submission in use (the accepted one), the
last attempt when a later upload was rejected, and the history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, select, update

from assurance.config import RETURN_TYPES
from assurance.db.models import Partner, ReportingPeriod, Submission, ValidationIssue
from assurance.directory import PeriodInfo, find_period, list_partners, list_periods

SUBMITTED, LATE, MISSING, NOT_DUE = "Submitted", "Late", "Missing", "Not yet due"
STATE_ORDER = (MISSING, LATE, NOT_DUE, SUBMITTED)  # what the Board must chase first
TRACKER_COLUMNS = ["Partner", "Partner name", "Return", "Period", "State", "Due", "Latest file", "Status", "Rows",
                   "Errors", "Queries", "Submitted by", "Submitted at", "Attempts", "Last attempt", "Replaced"]
# The tracker on a 1366x768 laptop: the partner by name, which return, its state (with a replacement after the due
# date, or a rejected upload, said in it) and what happened to the last upload.
SCREEN_COLUMNS = ["Partner", "Return", "State", "Submitted at", "Errors", "Last attempt"]


def tracker_frame(engine: Engine, period: str | int, today: date | None = None,
                  partner_code: str | None = None) -> pd.DataFrame:
    """One row per partner (or only `partner_code`) and return type it makes, for `period` (label or id): missing
    returns first, then late ones, then those not yet due, then those in on time, each in the Board's partner order."""
    today = today or date.today()
    p = find_period(engine, period)
    partners = [q for q in list_partners(engine) if partner_code is None or q.code == partner_code]
    with engine.connect() as conn:
        subs = conn.execute(
            select(Submission.partner_id, Submission.return_type, Submission.file_name, Submission.status,
                   Submission.row_count, Submission.error_count, Submission.query_count, Submission.submitted_by,
                   Submission.submitted_at, Submission.id)
            .where(Submission.period_id == p.id, Submission.partner_id.in_([q.id for q in partners]))
            .order_by(Submission.submitted_at, Submission.id)
        ).all()
    by_key: dict[tuple[int, str], list] = {}
    for s in subs:
        by_key.setdefault((s.partner_id, s.return_type), []).append(s)
    rows = []
    for partner in partners:
        for rtype in partner.returns:
            history = by_key.get((partner.id, rtype), [])
            attempt = history[-1] if history else None
            in_use = next((s for s in reversed(history) if s.status == "accepted"), None)
            replaced = None
            if in_use is not None:
                # On time if the return was first accepted by the due date (a later correction does not make it late,
                # but a correction after the due date is shown: the figures in use came in then).
                first = next(s for s in history if s.status in ("accepted", "superseded"))
                state = SUBMITTED if first.submitted_at.date() <= p.due else LATE
                if in_use is not first and in_use.submitted_at.date() > p.due:
                    replaced = in_use.submitted_at
            else:
                state = MISSING if today > p.due else NOT_DUE
            shown = in_use or attempt  # the submission in use; with none accepted, the last attempt
            rows.append({
                "Partner": partner.code, "Partner name": partner.name, "Return": RETURN_TYPES[rtype], "Period": p.label,
                "State": state, "Due": p.due,
                "Latest file": shown.file_name if shown else None, "Status": shown.status if shown else None,
                "Rows": shown.row_count if shown else None, "Errors": shown.error_count if shown else None,
                "Queries": shown.query_count if shown else None, "Submitted by": shown.submitted_by if shown else None,
                "Submitted at": shown.submitted_at if shown else None, "Attempts": len(history),
                "Last attempt": describe_attempt(attempt) if attempt is not None and attempt is not shown else None,
                "Replaced": replaced,
            })
    rows.sort(key=lambda r: STATE_ORDER.index(r["State"]))  # stable: the partner order stays within a state
    df = pd.DataFrame(rows, columns=TRACKER_COLUMNS)
    for c in ("Rows", "Errors", "Queries"):
        df[c] = df[c].astype("Int64")
    return df


def tracker_screen(df: pd.DataFrame) -> pd.DataFrame:
    """The tracker's columns that fit a laptop screen beside the sidebar (the CSV keeps them all); the time of
    submission as dd/mm/yyyy hh:mm text, and the errors as text. A return not in has blank cells, not None."""
    out = df[SCREEN_COLUMNS].copy()
    out["Partner"] = df["Partner name"]
    out["State"] = [state_text(*r) for r in zip(df["State"], df["Status"], df["Replaced"])]
    out["Submitted at"] = [f"{v:%d/%m/%Y %H:%M}" if pd.notna(v) else "" for v in out["Submitted at"]]
    for c in ("Last attempt",):  # blank, never None, for a return not in
        out[c] = [v if isinstance(v, str) else "" for v in out[c]]
    out["Errors"] = [f"{v:,}" if pd.notna(v) else "" for v in out["Errors"]]  # text, shown right-aligned
    return out


def state_text(state: str, status: str | None, replaced) -> str:
    """A return's state as the screen says it: 'Submitted (replaced 01/12/2026, after the due date)' when the
    submission in use replaced an on-time one after the due date; 'Missing (upload rejected)' when the only uploads
    were not accepted."""
    if state == SUBMITTED and replaced is not None and pd.notna(replaced):
        return f"{state} (replaced {replaced:%d/%m/%Y}, after the due date)"
    if state in (MISSING, NOT_DUE) and isinstance(status, str) and status:
        return f"{state} (upload {status})"
    return state


def published_rows(df: pd.DataFrame, publish: bool) -> pd.DataFrame:
    """A tracker or history table as shown: in publication mode its row counts (concerns, enquiries and other
    records about people) are rounded like every count of people."""
    if not publish or "Rows" not in df.columns:
        return df
    from assurance.disclosure import NOT_AVAILABLE, publish_count

    return df.assign(Rows=[publish_count(v) if pd.notna(v) else NOT_AVAILABLE for v in df["Rows"]])


def describe_attempt(s) -> str:
    """A later upload than the one in use, in a few words: 'rejected 12/11/2026 14:03 (3 errors)'."""
    counts = [f"{n:,} {one if n == 1 else many}" for n, one, many in
              ((s.error_count or 0, "error", "errors"), (s.query_count or 0, "query", "queries")) if n]
    text = f"{s.status} {s.submitted_at:%d/%m/%Y %H:%M}"
    return text + (f" ({', '.join(counts)})" if counts else "") + (f" by {s.submitted_by}" if s.submitted_by else "")


def state_counts(df: pd.DataFrame) -> dict[str, int]:
    return {s: int((df["State"] == s).sum()) for s in (SUBMITTED, LATE, MISSING, NOT_DUE)}


def history_frame(engine: Engine, period: str | int, partner_code: str | None = None,
                  return_type: str | None = None) -> pd.DataFrame:
    """Every submission for the period (optionally one partner / return type), newest first."""
    p = find_period(engine, period)
    stmt = (
        select(Submission.id, Partner.code, Submission.return_type, Submission.file_name, Submission.submitted_by,
               Submission.submitted_at, Submission.status, Submission.row_count, Submission.error_count,
               Submission.query_count, Submission.sha256, Submission.template_version, Submission.superseded_by_id)
        .join(Partner, Partner.id == Submission.partner_id)
        .where(Submission.period_id == p.id)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
    )
    if partner_code:
        stmt = stmt.where(Partner.code == partner_code)
    if return_type:
        stmt = stmt.where(Submission.return_type == return_type)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    df = pd.DataFrame(rows, columns=["Submission", "Partner", "Return", "File", "Submitted by", "Submitted at", "Status",
                                     "Rows", "Errors", "Queries", "SHA-256", "Template", "Superseded by"])
    df["Return"] = df["Return"].map(RETURN_TYPES).fillna(df["Return"])
    df["Superseded by"] = df["Superseded by"].astype("Int64")
    return df


HISTORY_SCREEN_COLUMNS = ["Submission", "File", "Submitted by", "Submitted at", "Status", "Rows", "Errors", "Queries",
                          "Superseded by"]


def history_screen(df: pd.DataFrame, publish: bool) -> pd.DataFrame:
    """The history as the page shows it beside the sidebar (the partner and return are chosen above it; the CSV
    keeps the file's SHA-256 and template version). Every column but the submission number is text, so a blank is
    blank rather than None and a published count ([c], [x]) sits in a column of its own type; the page aligns the
    counts right."""
    out = published_rows(df, publish)[HISTORY_SCREEN_COLUMNS].copy()
    out["Submitted at"] = [f"{v:%d/%m/%Y %H:%M}" if pd.notna(v) else "" for v in out["Submitted at"]]
    for c in ("Rows", "Errors", "Queries", "Superseded by"):
        out[c] = [_count_text(v) for v in out[c]]
    for c in ("File", "Submitted by", "Status"):
        out[c] = [v if isinstance(v, str) else "" for v in out[c]]
    return out


def _count_text(v) -> str:
    if isinstance(v, str):
        return v
    return "" if v is None or pd.isna(v) else f"{int(v):,}"


def submission_issues(engine: Engine, submission_id: int) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(
            select(ValidationIssue.severity, ValidationIssue.rule, ValidationIssue.sheet, ValidationIssue.row,
                   ValidationIssue.column, ValidationIssue.field, ValidationIssue.value, ValidationIssue.message,
                   ValidationIssue.suggestion)
            .where(ValidationIssue.submission_id == submission_id).order_by(ValidationIssue.id)
        ).all()
    df = pd.DataFrame(rows, columns=["Severity", "Rule", "Sheet", "Row", "Column", "Field", "Value", "Problem",
                                     "How to fix it"])
    text = [c for c in df.columns if c != "Row"]
    df[text] = df[text].astype(object).where(df[text].notna(), "")  # blank, never None
    df["Row"] = df["Row"].astype("Int64")
    return df


def overdue_and_unlisted(engine: Engine, listed: Iterable[str], today: date | None = None) -> list[PeriodInfo]:
    """Quarters after the latest of `listed` (the sidebar offers the quarters with an accepted return) whose due
    date has passed: every return for them is missing, which the Board must chase first. Oldest first."""
    today, listed = today or date.today(), set(listed)
    periods = list_periods(engine)
    shown = [p.start for p in periods if p.label in listed]
    return [p for p in periods if p.due < today and p.label not in listed and (not shown or p.start > max(shown))]


def set_due_date(engine: Engine, period: str, due: date) -> None:
    """Change when a period's returns are due (the tracker's late / missing follow it)."""
    p = find_period(engine, period)
    if due < p.end:
        raise ValueError(f"The due date must be on or after the end of {p.label} ({p.end:%d/%m/%Y}).")
    with engine.begin() as conn:
        conn.execute(update(ReportingPeriod).where(ReportingPeriod.id == p.id).values(due_date=due))


@dataclass(frozen=True)
class InUse:
    """The accepted submission a new one would supersede."""

    submission_id: int
    file_name: str
    rows: int
    submitted_by: str
    submitted_at: datetime

    def describe(self) -> str:
        return (f"submission {self.submission_id} ({self.file_name}, {self.rows:,} rows, sent by {self.submitted_by} "
                f"on {self.submitted_at:%d/%m/%Y at %H:%M})")


def in_use(engine: Engine, partner_id: int, period_id: int, return_type: str) -> InUse | None:
    """The accepted submission for this partner, period and return type, if there is one."""
    stmt = select(Submission.id, Submission.file_name, Submission.row_count, Submission.submitted_by,
                  Submission.submitted_at).where(
        Submission.partner_id == partner_id, Submission.period_id == period_id,
        Submission.return_type == return_type, Submission.status == "accepted")
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    return InUse(*row) if row else None
