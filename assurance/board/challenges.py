"""The challenge log: the Board's questions to partners, their responses, and every change kept.

A challenge moves open -> responded -> closed (assured or escalated); a closed challenge can be
reopened. It is overdue while still open after its due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, select

from assurance.db.engine import session_scope
from assurance.db.models import Challenge, ChallengeEvent, Partner
from assurance.errors import AssuranceError

STATUSES = ("open", "responded", "closed")
OUTCOMES = ("assured", "escalated")
SOURCES = ("measure", "partner view", "audit finding")


class ChallengeError(AssuranceError, ValueError):
    """A change the challenge log cannot make; the message says why."""


@dataclass(frozen=True)
class Evidence:
    """What the Board was looking at when it raised the challenge."""

    measure: str | None = None
    period: str | None = None
    value: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    unit: str | None = None
    rag: str | None = None
    note: str | None = None

    def describe(self, publish: bool = False) -> str:
        """The evidence in plain words: 'Staff trained to their safeguarding level · 2026-27 Q2 · 78.4% (1,803 of 2,300) · Red'.

        With `publish` the figure goes through disclosure control, as in the board pack: counts of 1 to 4 show as [c],
        other counts are rounded to the nearest 5, and a percentage of fewer than 10 cases is withheld.
        """
        parts = []
        if self.measure:
            parts.append(measure_name(self.measure))
        if self.period:
            parts.append(self.period)
        if self.value is not None:
            parts.append(self._figure(publish))
        if self.rag:
            parts.append(self.rag.strip().capitalize())
        if self.note:
            parts.append(self.note)
        return " · ".join(parts)

    @property
    def protected(self) -> bool:
        """Whether the measure counts people (suppressed and rounded in publication mode)."""
        from assurance.config import ConfigError
        from assurance.measures.definitions import DEFINITIONS
        from assurance.measures.framework import framework

        try:
            return DEFINITIONS[framework().get(self.measure).definition].people
        except (ConfigError, KeyError):
            return True

    def _figure(self, publish: bool) -> str:
        from assurance import disclosure

        unit = self.unit or ""
        if unit in ("%", "per 100,000"):
            shown = disclosure.figure_text(self, publish)
            if unit == "per 100,000" and not shown.startswith("["):
                shown += " per 100,000"
        elif publish and self.protected:  # a count: the count itself is the figure
            shown = str(disclosure.publish_count(self.numerator if self.numerator is not None else self.value))
        else:
            from assurance.numbers import fmt

            shown = fmt(self.value, 0 if float(self.value).is_integer() else 1)
            shown += "" if unit in ("", "count") else f" {unit}"
        counts = disclosure.figure_counts(self, publish)
        return shown + (f" ({counts})" if counts else "")


def measure_name(measure_id: str) -> str:
    """The framework's name for a measure id (the id itself if the framework no longer has it)."""
    from assurance.config import ConfigError
    from assurance.measures.framework import framework

    try:
        return framework().get(measure_id).name
    except (ConfigError, OSError):
        return measure_id


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now()).replace(microsecond=0)


def _event(session, ch: Challenge, actor: str, action: str, before: str | None, note: str | None, at: datetime) -> None:
    session.add(ChallengeEvent(challenge_id=ch.id, at=at, actor=actor, action=action, from_status=before, to_status=ch.status, note=note))


def _get(session, challenge_id: int) -> Challenge:
    ch = session.get(Challenge, challenge_id)
    if ch is None:
        raise ChallengeError(f"There is no challenge number {challenge_id}.")
    return ch


def raise_challenge(
    engine: Engine, *, partner_code: str, question: str, raised_by: str, evidence: Evidence | None = None,
    source: str = "measure", meeting_date: date | None = None, due_date: date | None = None, now: datetime | None = None,
) -> int:
    question = (question or "").strip()
    if not question:
        raise ChallengeError("Write the question you are putting to the partner.")
    if source not in SOURCES:
        raise ChallengeError(f"A challenge is raised from {', '.join(SOURCES)}, not {source!r}.")
    if due_date and meeting_date and due_date < meeting_date:
        raise ChallengeError("The response is due before the meeting that raised it: check the dates.")
    ev = evidence or Evidence()
    at = _now(now)
    with session_scope(engine) as s:
        partner = s.scalar(select(Partner).where(Partner.code == partner_code))
        if partner is None:
            raise ChallengeError(f"There is no partner with code {partner_code!r}.")
        ch = Challenge(
            partner_id=partner.id, question=question, source=source, measure=ev.measure, period_label=ev.period,
            evidence_value=ev.value, evidence_numerator=ev.numerator, evidence_denominator=ev.denominator,
            evidence_unit=ev.unit, evidence_rag=ev.rag, evidence_note=ev.note, raised_by=raised_by, raised_at=at,
            meeting_date=meeting_date, due_date=due_date, status="open",
        )
        s.add(ch)
        s.flush()
        _event(s, ch, raised_by, "raised", None, question, at)
        return ch.id


def respond(engine: Engine, challenge_id: int, response: str, actor: str, now: datetime | None = None) -> None:
    response = (response or "").strip()
    if not response:
        raise ChallengeError("Write the partner's response before saving it.")
    at = _now(now)
    with session_scope(engine) as s:
        ch = _get(s, challenge_id)
        if ch.status == "closed":
            raise ChallengeError(f"Challenge {challenge_id} is closed; reopen it before recording a new response.")
        before = ch.status
        ch.status, ch.response, ch.responded_by, ch.responded_at = "responded", response, actor, at
        _event(s, ch, actor, "responded", before, response, at)


def close(engine: Engine, challenge_id: int, outcome: str, actor: str, note: str | None = None, now: datetime | None = None) -> None:
    if outcome not in OUTCOMES:
        raise ChallengeError(f"A challenge closes as {' or '.join(OUTCOMES)}, not {outcome!r}.")
    at = _now(now)
    with session_scope(engine) as s:
        ch = _get(s, challenge_id)
        if ch.status == "closed":
            raise ChallengeError(f"Challenge {challenge_id} is already closed ({ch.outcome}).")
        if outcome == "assured" and ch.status != "responded":
            raise ChallengeError("The Board can only be assured once the partner has responded; close it as escalated instead.")
        before = ch.status
        ch.status, ch.outcome, ch.closed_by, ch.closed_at = "closed", outcome, actor, at
        _event(s, ch, actor, f"closed ({outcome})", before, note, at)


def reopen(engine: Engine, challenge_id: int, actor: str, note: str, due_date: date | None = None, now: datetime | None = None) -> None:
    if not (note or "").strip():
        raise ChallengeError("Say why the challenge is being reopened.")
    at = _now(now)
    with session_scope(engine) as s:
        ch = _get(s, challenge_id)
        if ch.status != "closed":
            raise ChallengeError(f"Challenge {challenge_id} is not closed.")
        before = ch.status
        ch.status, ch.outcome, ch.closed_by, ch.closed_at = "open", None, None, None
        if due_date:
            ch.due_date = due_date
        _event(s, ch, actor, "reopened", before, note.strip(), at)


def is_overdue(status: str, due: date | None, today: date) -> bool:
    """Still waiting for the partner's response after the due date."""
    return status == "open" and due is not None and due < today


LOG_COLUMNS = [
    "No.", "Partner", "Partner name", "Question", "Evidence", "Measure", "Period", "Raised by", "Raised", "Meeting", "Due",
    "Status", "Outcome", "Overdue", "Response", "Responded by",
]


def challenge_log(
    engine: Engine, today: date, partner_id: int | None = None, status: str | None = None,
    measure: str | None = None, overdue_only: bool = False, publish: bool = False,
) -> pd.DataFrame:
    """The log, newest first. With `publish` the Evidence column goes through disclosure control (as in the board pack)."""
    stmt = (select(Challenge, Partner.code, Partner.name).join(Partner, Partner.id == Challenge.partner_id)
            .order_by(Challenge.id.desc()))
    if partner_id is not None:
        stmt = stmt.where(Challenge.partner_id == partner_id)
    if status:
        stmt = stmt.where(Challenge.status == status)
    if measure:
        stmt = stmt.where(Challenge.measure == measure)
    rows = []
    with session_scope(engine) as s:
        for ch, code, name in s.execute(stmt):
            overdue = is_overdue(ch.status, ch.due_date, today)
            if overdue_only and not overdue:
                continue
            ev = Evidence(ch.measure, ch.period_label, ch.evidence_value, ch.evidence_numerator, ch.evidence_denominator,
                          ch.evidence_unit, ch.evidence_rag, ch.evidence_note)
            rows.append([
                ch.id, code, name, ch.question, ev.describe(publish), ch.measure, ch.period_label, ch.raised_by,
                ch.raised_at.date(), ch.meeting_date, ch.due_date, ch.status, ch.outcome, "Yes" if overdue else "",
                ch.response, ch.responded_by,
            ])
    # object columns keep an empty field as None (pandas 3 would turn it into NaN, shown as 'nan')
    frame = pd.DataFrame(rows, columns=LOG_COLUMNS, dtype=object)
    frame["No."] = frame["No."].astype("int64")
    return frame


def history(engine: Engine, challenge_id: int) -> pd.DataFrame:
    stmt = select(ChallengeEvent).where(ChallengeEvent.challenge_id == challenge_id).order_by(ChallengeEvent.at, ChallengeEvent.id)
    with session_scope(engine) as s:
        rows = [[e.at, e.actor, e.action, e.from_status or "", e.to_status, e.note or ""] for e in s.scalars(stmt)]
    return pd.DataFrame(rows, columns=["When", "Who", "What", "From", "To", "Note"])


def log_workbook(frame: pd.DataFrame) -> bytes:
    """The challenge log as an Excel workbook (text cells stay text, never formulas)."""
    from assurance.board.actions import frame_to_workbook

    return frame_to_workbook(frame, "Challenges", widths={"Question": 50, "Evidence": 45, "Response": 50})
