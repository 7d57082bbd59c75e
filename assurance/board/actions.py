"""SAR and audit action tracker: recommendations, actions, owners, due dates, progress and RAG.

RAG is worked out when read, so an action turns red by itself once it is overdue:
Blue = completed, Red = overdue, Amber = due within 30 days, Green = on track.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import Engine, select

from assurance.access import audit
from assurance.access.roles import can_use, require
from assurance.db.engine import session_scope, short_write
from assurance.db.models import AuditResult, BoardAction, Partner, SarReview, Submission
from assurance.errors import AssuranceError

STATUSES = ("Not started", "In progress", "Completed")
SOURCES = ("SAR", "Audit")
DUE_SOON_DAYS = 30
AUDIT_ACTION_DAYS = 90
RAG_LABELS = {"blue": "Completed", "red": "Overdue", "amber": "Due within 30 days", "green": "On track"}
RAG_FILLS = {"blue": "9CC3E6", "red": "F4B6B6", "amber": "FFE08A", "green": "B7E1B0"}
ACTION_UPDATED = "action updated"
ACTIONS_IMPORTED = "actions imported"

TRACKER_COLUMNS = [
    "Action ID", "Source", "SAR reference", "SAR title", "Recommendation no.", "Recommendation", "Audit reference",
    "Action", "Owner agency", "Due date", "Status", "Completed date", "Progress notes", "Evidence", "RAG",
]


class TrackerError(AssuranceError, ValueError):
    """The tracker cannot make this change; the message says why."""


def may_edit(user) -> bool:
    """Whether to offer the update form and the import (update_action and import_tracker check again)."""
    return can_use(user, "edit_actions")


def action_rag(status: str, due: date | None, today: date) -> str:
    if status == "Completed":
        return "blue"
    if due is not None and due < today:
        return "red"
    if due is not None and due <= today + timedelta(days=DUE_SOON_DAYS):
        return "amber"
    return "green"


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def add_review(engine: Engine, reference: str, title: str, published: date | None = None) -> int:
    reference, title = reference.strip(), title.strip()
    if not reference or not title:
        raise TrackerError("A review needs a reference and a title.")
    with session_scope(engine) as s:
        if s.scalar(select(SarReview.id).where(SarReview.reference == reference)):
            raise TrackerError(f"There is already a review with reference {reference}.")
        review = SarReview(reference=reference, title=title, published=published)
        s.add(review)
        s.flush()
        return review.id


def _partner_for(session, owner: str) -> Partner | None:
    key = owner.strip().lower()
    for p in session.scalars(select(Partner)):
        if key in (p.code.lower(), p.name.lower()):
            return p
    return None


def add_action(
    engine: Engine, *, review_reference: str, action: str, owner: str, due_date: date | None, actor: str,
    recommendation_no: str | None = None, recommendation: str | None = None, status: str = "Not started",
    progress: str | None = None, evidence: str | None = None, completed_date: date | None = None,
) -> int:
    with session_scope(engine) as s:
        return _add_action(s, review_reference, action, owner, due_date, actor, recommendation_no, recommendation,
                           status, progress, evidence, completed_date)


def _add_action(s, review_reference, action, owner, due_date, actor, recommendation_no, recommendation, status,
                progress, evidence, completed_date) -> int:
    review = s.scalar(select(SarReview).where(SarReview.reference == review_reference))
    if review is None:
        raise TrackerError(f"There is no review with reference {review_reference!r}; add the review first.")
    _check(action, owner, status, completed_date)
    partner = _partner_for(s, owner)
    row = BoardAction(
        source="SAR", review_id=review.id, recommendation_no=recommendation_no, recommendation=recommendation,
        action=action.strip(), owner_partner_id=partner.id if partner else None, owner=partner.name if partner else owner.strip(),
        due_date=due_date, status=status, completed_date=completed_date, progress=progress, evidence=evidence,
        updated_by=actor, updated_at=_now(),
    )
    s.add(row)
    s.flush()
    return row.id


def _check(action: str | None, owner: str | None, status: str, completed_date: date | None) -> None:
    if not (action or "").strip():
        raise TrackerError("Describe the action.")
    if not (owner or "").strip():
        raise TrackerError("Name the agency that owns the action.")
    if status not in STATUSES:
        raise TrackerError(f"Status must be one of {', '.join(STATUSES)}, not {status!r}.")
    if status == "Completed" and completed_date is None:
        raise TrackerError("Give the date the action was completed.")
    if status != "Completed" and completed_date is not None:
        raise TrackerError("Only a completed action has a completed date: set the status to Completed or clear the date.")


def update_action(
    engine: Engine, action_id: int, by, *, status: str | None = None, progress: str | None = None,
    evidence: str | None = None, due_date: date | None = None, completed_date: date | None = None,
    via: str = "app", address: str | None = None,
) -> list[str]:
    """Change an action as `by` (edit_actions), with its audit record in the same transaction. Returns what
    changed, field by field (empty: nothing did)."""
    require(by, "edit_actions")
    with short_write(engine), session_scope(engine) as s:
        row = s.get(BoardAction, action_id)
        if row is None:
            raise TrackerError(f"There is no action number {action_id}.")
        new_status = status or row.status
        new_completed = completed_date if completed_date is not None else (row.completed_date if new_status == "Completed" else None)
        _check(row.action, row.owner, new_status, new_completed)
        wanted = (("Status", "status", new_status), ("Completed date", "completed_date", new_completed),
                  ("Progress notes", "progress", _text(progress) if progress is not None else row.progress),
                  ("Evidence", "evidence", _text(evidence) if evidence is not None else row.evidence),
                  ("Due date", "due_date", due_date if due_date is not None else row.due_date))
        changed = []
        for column, attr, new in wanted:
            if getattr(row, attr) != new:
                changed.append(f"{column} changed from {_shown(getattr(row, attr))} to {_shown(new)}")
                setattr(row, attr, new)
        if not changed:  # saved as it was: nothing to record
            return changed
        row.updated_by, row.updated_at = by.actor, _now()
        audit.record(None, by.actor, ACTION_UPDATED, f"action {action_id}", {"status": new_status, "changes": changed},
                     via, address, conn=s.connection())
        return changed


def sync_audit_actions(engine: Engine, actor: str = "audit return") -> int:
    """Add an action for each 'Action required' in accepted audit returns not yet tracked. Returns how many were added."""
    tracked = select(BoardAction.id).where(
        BoardAction.source == "Audit", BoardAction.audit_ref == AuditResult.audit_ref, BoardAction.owner == AuditResult.agency
    )
    stmt = (
        select(AuditResult)
        .join(Submission, Submission.id == AuditResult.submission_id)
        .where(Submission.status == "accepted", AuditResult.action_required.is_not(None), AuditResult.action_required != "")
        .where(~tracked.exists())
        .order_by(AuditResult.audit_date, AuditResult.id)
    )
    added = 0
    with session_scope(engine) as s:
        for r in s.scalars(stmt).all():
            s.add(BoardAction(
                source="Audit", audit_ref=r.audit_ref, audit_result_id=r.id, action=r.action_required,
                recommendation=r.findings, owner_partner_id=r.agency_partner_id, owner=r.agency,
                due_date=r.audit_date + timedelta(days=AUDIT_ACTION_DAYS), status="Not started",
                updated_by=actor, updated_at=_now(),
            ))
            added += 1
    return added


def tracker_frame(
    engine: Engine, today: date, source: str | None = None, owner_partner_id: int | None = None, rag: str | None = None,
) -> pd.DataFrame:
    stmt = select(BoardAction, SarReview.reference, SarReview.title).outerjoin(SarReview, SarReview.id == BoardAction.review_id)
    if source:
        stmt = stmt.where(BoardAction.source == source)
    if owner_partner_id is not None:
        stmt = stmt.where(BoardAction.owner_partner_id == owner_partner_id)
    stmt = stmt.order_by(BoardAction.source.desc(), SarReview.reference, BoardAction.recommendation_no, BoardAction.id)
    rows = []
    with session_scope(engine) as s:
        for a, ref, title in s.execute(stmt):
            r = action_rag(a.status, a.due_date, today)
            if rag and r != rag:
                continue
            rows.append([
                a.id, a.source, ref, title, a.recommendation_no, a.recommendation, a.audit_ref, a.action, a.owner,
                a.due_date, a.status, a.completed_date, a.progress, a.evidence, RAG_LABELS[r],
            ])
    # object columns keep an empty field as None (pandas 3 would infer a string column and turn None into NaN,
    # which a page shows as 'nan' and a form would save back)
    frame = pd.DataFrame(rows, columns=TRACKER_COLUMNS, dtype=object)
    frame["Action ID"] = frame["Action ID"].astype("int64")
    return frame


TABLE_COLUMNS = ["Action ID", "RAG", "Due date", "Status", "Owner agency", "Action", "Source", "Reference",
                 "Completed date", "Progress notes", "Recommendation", "Evidence"]
RAG_ORDER = ("Overdue", "Due within 30 days", "On track", "Completed")  # what the Board must see first, first
_RAG_ORDER = {label: k for k, label in enumerate(RAG_ORDER)}


def action_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The tracker as the page shows it: RAG, due date, status and owner beside the number, so they stay in view
    on a laptop; overdue first, then due soon, on track, completed; soonest due first within each."""
    out = frame.copy()
    out["Reference"] = [s if isinstance(s, str) and s else a for s, a in zip(frame["SAR reference"], frame["Audit reference"])]
    out["_rag"] = out["RAG"].map(_RAG_ORDER)
    out["_due"] = pd.to_datetime(out["Due date"])
    out = out.sort_values(["_rag", "_due", "Action ID"], na_position="last", kind="stable")
    return out[TABLE_COLUMNS].reset_index(drop=True)


def rag_cell_style(label) -> str:
    """The CSS for a RAG cell, in the tracker workbook's colours ('' for anything else)."""
    key = next((k for k, v in RAG_LABELS.items() if v == label), None)
    return f"background-color: #{RAG_FILLS[key]}" if key else ""


def export_tracker(frame: pd.DataFrame) -> bytes:
    """The tracker as an Excel workbook with the same columns the import reads, RAG coloured."""
    widths = [9, 8, 14, 28, 10, 40, 18, 48, 30, 12, 13, 14, 40, 30, 18]
    wb = frame_workbook(frame[TRACKER_COLUMNS], "Actions", dict(zip(TRACKER_COLUMNS, widths)))
    ws = wb.active
    fills = {label: PatternFill("solid", fgColor=RAG_FILLS[key]) for key, label in RAG_LABELS.items()}
    rag_col = len(TRACKER_COLUMNS)
    for row in range(2, ws.max_row + 1):
        ws.cell(row, rag_col).fill = fills.get(ws.cell(row, rag_col).value, PatternFill())
    status_list = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False)
    ws.add_data_validation(status_list)
    status_list.add(f"K2:K{max(ws.max_row, 2) + 500}")
    ws.freeze_panes = "B2"
    return _save(wb)


def frame_workbook(frame: pd.DataFrame, sheet: str, widths: dict[str, int] | None = None) -> Workbook:
    """Any table as a tidy workbook: bold frozen header, dates as dates, text kept as text (never a formula)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for record in frame.itertuples(index=False):
        ws.append([_cell(v) for v in record])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, (date, datetime)):
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = "A2"
    for i, name in enumerate(frame.columns, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = (widths or {}).get(name, max(10, min(len(str(name)) + 4, 30)))
    return wb


def frame_to_workbook(frame: pd.DataFrame, sheet: str, widths: dict[str, int] | None = None) -> bytes:
    return _save(frame_workbook(frame, sheet, widths))


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v):
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # what each update changed, field by field, for the audit trail


def _date(v, where: str, problems: list[str]) -> date | None:
    if v in (None, ""):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(str(v).strip(), fmt).date()
        except ValueError:
            continue
    problems.append(f"{where}: {v!r} is not a date; write it as DD/MM/YYYY.")
    return None


def _text(v) -> str | None:
    """Text as stored: stripped, and None for an empty field (never the literal 'nan' of a pandas gap)."""
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return None
    s = str(v).strip()
    return None if not s or s.lower() in ("nan", "<na>") else s


def import_tracker(engine: Engine, content: bytes, by, file_name: str = "tracker.xlsx", via: str = "app",
                   address: str | None = None) -> ImportResult:
    """Create or update actions from a tracker workbook as `by` (edit_actions), all or nothing. Rows with an
    Action ID update that action. An import that changes anything is recorded in the audit trail with it."""
    require(by, "edit_actions")
    actor = by.actor
    result = ImportResult()
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file gets one clear message
        result.problems.append(f"{file_name} is not an Excel workbook this product can read (.xlsx).")
        return result
    ws = wb["Actions"] if "Actions" in wb.sheetnames else wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    wb.close()
    if not rows:
        result.problems.append(f"{file_name}: the sheet {ws.title!r} is empty.")
        return result
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    missing = [c for c in TRACKER_COLUMNS if c not in header and c != "RAG"]
    if missing:
        result.problems.append((f"{file_name}, sheet {ws.title}: row 1 has no {missing[0]} column." if len(missing) == 1 else
                                f"{file_name}, sheet {ws.title}: row 1 has no columns {', '.join(missing)}."))
        return result
    idx = {c: header.index(c) for c in TRACKER_COLUMNS if c in header}
    titles: dict[int, tuple[str, str]] = {}  # review id -> (title asked for, where), so two rows cannot disagree
    try:
        with short_write(engine), session_scope(engine) as s:
            for n, raw in enumerate(rows[1:], start=2):
                if raw is None or all(v in (None, "") for v in raw):
                    continue
                get = lambda c: raw[idx[c]] if idx[c] < len(raw) else None  # noqa: E731
                where = f"{file_name}, sheet {ws.title}, row {n}"
                status = _text(get("Status")) or "Not started"
                match = next((x for x in STATUSES if x.lower() == status.lower()), None)
                if match is None:
                    result.problems.append(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}.")
                    continue
                due = _date(get("Due date"), where, result.problems)
                completed = _date(get("Completed date"), where, result.problems)
                action_id = get("Action ID")
                try:
                    if action_id not in (None, ""):
                        row = s.get(BoardAction, int(action_id))
                        if row is None:
                            result.problems.append(f"{where}: there is no action {action_id}; clear the Action ID to add it as new.")
                            continue
                        changed = _update_from_row(s, row, get, match, due, completed, where, result, titles)
                        if changed is None:
                            continue
                        if not changed:
                            result.unchanged += 1
                            continue
                        row.updated_by, row.updated_at = actor, _now()
                        result.updated += 1
                        result.changes += [f"Action {row.id}: {c}" for c in changed]
                    else:
                        ref = _text(get("SAR reference"))
                        if ref is None:
                            result.problems.append(f"{where}: a new action needs a SAR reference.")
                            continue
                        if not s.scalar(select(SarReview.id).where(SarReview.reference == ref)):
                            s.add(SarReview(reference=ref, title=_text(get("SAR title")) or ref))
                            s.flush()
                        _add_action(s, ref, _text(get("Action")) or "", _text(get("Owner agency")) or "", due, actor,
                                    _text(get("Recommendation no.")), _text(get("Recommendation")), match,
                                    _text(get("Progress notes")), _text(get("Evidence")), completed)
                        result.created += 1
                except (TrackerError, ValueError) as exc:
                    result.problems.append(f"{where}: {exc}")
            if result.problems:
                raise TrackerError("rollback")
            if result.created or result.updated:
                audit.record(None, actor, ACTIONS_IMPORTED, file_name, {"new": result.created, "updated": result.updated,
                                                                        "changes": result.changes},
                             via, address, conn=s.connection())
    except TrackerError:
        result.created = result.updated = result.unchanged = 0
        result.changes = []
    return result


def _shown(v) -> str:
    if v is None:
        return "blank"
    if isinstance(v, date):
        return f"{v:%d/%m/%Y}"
    return repr(str(v)) if len(str(v)) <= 60 else repr(str(v)[:57] + "...")


def _update_from_row(s, row: BoardAction, get, status: str, due, completed, where: str, result: ImportResult,
                     titles: dict[int, tuple[str, str]]) -> list[str] | None:
    """Apply a tracker row to an existing action. Returns what changed (empty: nothing), or None after a problem."""
    problems = []
    review = s.get(SarReview, row.review_id) if row.review_id else None
    # What says which action this is cannot be changed by an import: it would move the action's history.
    fixed = (("Source", row.source), ("SAR reference", review.reference if review else None),
             ("Audit reference", row.audit_ref))
    for column, current in fixed:
        given = _text(get(column))
        if given != current and not (column == "Source" and given is None):
            problems.append(f"{where}: the {column} of action {row.id} is {_shown(current)} and cannot be changed by an "
                            f"import (the file has {_shown(given)}); to move the action, clear the Action ID to add it "
                            "as a new action and close this one.")
    action = _text(get("Action"))
    owner = _text(get("Owner agency"))
    owner_partner = row.owner_partner_id
    if owner is not None and owner.lower() != (row.owner or "").lower():
        partner = _partner_for(s, owner)
        if partner is not None and partner.id == row.owner_partner_id:
            owner = row.owner  # the partner's code for the same agency
        elif row.source == "Audit":
            problems.append(f"{where}: the owner of audit action {row.id} comes from the audit return "
                            f"({row.owner}); correct the audit return rather than the tracker.")
        else:
            owner_partner = partner.id if partner else None
            owner = partner.name if partner else owner
    try:
        _check(action, owner, status, completed)
    except TrackerError as exc:
        problems.append(f"{where}: {exc}")
    title = _text(get("SAR title"))
    if review is not None and title is not None:
        earlier = titles.setdefault(review.id, (title, where))
        if earlier[0] != title:
            problems.append(f"{where}: the SAR title for {review.reference} differs from the one in {earlier[1]}; "
                            "give every row of a review the same title.")
    if problems:
        result.problems += problems
        return None
    fields = (
        ("Action", "action", action), ("Owner agency", "owner", owner),
        ("Recommendation no.", "recommendation_no", _text(get("Recommendation no."))),
        ("Recommendation", "recommendation", _text(get("Recommendation"))), ("Due date", "due_date", due),
        ("Status", "status", status), ("Completed date", "completed_date", completed),
        ("Progress notes", "progress", _text(get("Progress notes"))), ("Evidence", "evidence", _text(get("Evidence"))),
    )
    changed = []
    for column, attr, new in fields:
        old = getattr(row, attr)
        if new != old:
            changed.append(f"{column} changed from {_shown(old)} to {_shown(new)}")
            setattr(row, attr, new)
    if owner_partner != row.owner_partner_id:
        row.owner_partner_id = owner_partner
    if review is not None and title is not None and title != review.title:
        changed.append(f"SAR title of {review.reference} changed from {_shown(review.title)} to {_shown(title)}")
        review.title = title
    return changed
