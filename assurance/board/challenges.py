"""The challenge log: the Board's questions to partners, their responses, and every change kept.

A challenge moves open -> responded -> closed (assured or escalated); a closed challenge can be
reopened. It is overdue while still open after its due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from contextlib import contextmanager
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, select

from assurance.access import audit
from assurance.access.roles import can, can_use, require
from assurance.db.engine import session_scope, short_write
from assurance.db.models import Challenge, ChallengeEvent, Partner, User
from assurance.errors import AssuranceError

STATUSES = ("open", "responded", "closed")
OPEN_STATUSES = ("open", "responded")  # the partner or the Board still has something to do
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


@contextmanager
def _change(engine: Engine):
    """One transaction for a change and its audit record: both are written, or neither."""
    with short_write(engine), session_scope(engine) as s:
        yield s


def _audit(s, by, action: str, ch: Challenge, details: dict, via: str, address: str | None) -> None:
    audit.record(None, by.actor, action, f"challenge {ch.id}", details, via, address, conn=s.connection())


def raise_challenge(
    engine: Engine, *, partner_code: str, question: str, by, evidence: Evidence | None = None,
    source: str = "measure", meeting_date: date | None = None, due_date: date | None = None, now: datetime | None = None,
    via: str = "app", address: str | None = None,
) -> int:
    """Put a question to a partner as `by` (who needs raise_challenges); returns the challenge's number."""
    require(by, "raise_challenges")
    question = (question or "").strip()
    if not question:
        raise ChallengeError("Write the question you are putting to the partner.")
    if source not in SOURCES:
        raise ChallengeError(f"A challenge is raised from {', '.join(SOURCES)}, not {source!r}.")
    if due_date and meeting_date and due_date < meeting_date:
        raise ChallengeError("The response is due before the meeting that raised it: check the dates.")
    ev = evidence or Evidence()
    at = _now(now)
    with _change(engine) as s:
        partner = s.scalar(select(Partner).where(Partner.code == partner_code))
        if partner is None:
            raise ChallengeError(f"There is no partner with code {partner_code!r}.")
        ch = Challenge(
            partner_id=partner.id, question=question, source=source, measure=ev.measure, period_label=ev.period,
            evidence_value=ev.value, evidence_numerator=ev.numerator, evidence_denominator=ev.denominator,
            evidence_unit=ev.unit, evidence_rag=ev.rag, evidence_note=ev.note, raised_by=by.actor, raised_at=at,
            meeting_date=meeting_date, due_date=due_date, status="open",
        )
        s.add(ch)
        s.flush()
        _event(s, ch, by.actor, "raised", None, question, at)
        _audit(s, by, audit.CHALLENGE_RAISED, ch, {"partner": partner_code, "source": source}, via, address)
        return ch.id


def respond(engine: Engine, challenge_id: int, response: str, by, now: datetime | None = None, via: str = "app",
            address: str | None = None) -> None:
    """Record the partner's response as `by` (respond_challenges for that partner)."""
    response = (response or "").strip()
    at = _now(now)
    with _change(engine) as s:
        ch = _get(s, challenge_id)
        require(by, "respond_challenges", ch.partner_id)
        if not response:
            raise ChallengeError("Write the partner's response before saving it.")
        if ch.status == "closed":
            raise ChallengeError(f"Challenge {challenge_id} is closed; reopen it before recording a new response.")
        before = ch.status
        ch.status, ch.response, ch.responded_by, ch.responded_at = "responded", response, by.actor, at
        _event(s, ch, by.actor, "responded", before, response, at)
        _audit(s, by, audit.CHALLENGE_RESPONDED, ch, {"partner": _code(s, ch)}, via, address)


def close(engine: Engine, challenge_id: int, outcome: str, by, note: str | None = None, now: datetime | None = None,
          via: str = "app", address: str | None = None) -> None:
    """Close a challenge as assured or escalated, as `by` (close_challenges: the chair)."""
    if outcome not in OUTCOMES:
        raise ChallengeError(f"A challenge closes as {' or '.join(OUTCOMES)}, not {outcome!r}.")
    note = (note or "").strip() or None
    at = _now(now)
    with _change(engine) as s:
        ch = _get(s, challenge_id)
        require(by, "close_challenges", ch.partner_id)
        if ch.status == "closed":
            raise ChallengeError(f"Challenge {challenge_id} is already closed ({ch.outcome}).")
        if outcome == "assured" and ch.status != "responded":
            raise ChallengeError("The Board can only be assured once the partner has responded; close it as escalated instead.")
        before = ch.status
        ch.status, ch.outcome, ch.closed_by, ch.closed_at = "closed", outcome, by.actor, at
        _event(s, ch, by.actor, f"closed ({outcome})", before, note, at)
        _audit(s, by, audit.CHALLENGE_CLOSED, ch, {"outcome": outcome, "note": note}, via, address)


def reopen(engine: Engine, challenge_id: int, by, note: str, due_date: date | None = None, now: datetime | None = None,
           via: str = "app", address: str | None = None) -> None:
    """Reopen a closed challenge, as `by` (close_challenges), saying why."""
    at = _now(now)
    with _change(engine) as s:
        ch = _get(s, challenge_id)
        require(by, "close_challenges", ch.partner_id)
        if not (note or "").strip():
            raise ChallengeError("Say why the challenge is being reopened.")
        if ch.status != "closed":
            raise ChallengeError(f"Challenge {challenge_id} is not closed.")
        before = ch.status
        ch.status, ch.outcome, ch.closed_by, ch.closed_at = "open", None, None, None
        if due_date:
            ch.due_date = due_date
        _event(s, ch, by.actor, "reopened", before, note.strip(), at)
        _audit(s, by, audit.CHALLENGE_REOPENED, ch, {"note": note.strip()}, via, address)


def _code(s, ch: Challenge) -> str:
    return s.get(Partner, ch.partner_id).code


def may_raise(user) -> bool:
    """Whether to offer the 'raise a challenge' form (raise_challenge checks again)."""
    return can_use(user, "raise_challenges")


def next_steps(user, status: str, partner_id: int | None) -> set[str]:
    """What `user` may do next to a challenge in `status` for that partner: respond, close, reopen. Pages offer
    only these; the operations check again. Once the partner has responded, the chair decides (close) rather than
    writing a response; the partner may still add to theirs."""
    may_respond, may_close = can(user, "respond_challenges", partner_id), can(user, "close_challenges", partner_id)
    if status == "closed":
        return {"reopen"} if may_close else set()
    steps = {"close"} if may_close else set()
    if may_respond and (status == "open" or not may_close):
        steps.add("respond")
    return steps


def is_overdue(status: str, due: date | None, today: date) -> bool:
    """Still waiting for the partner's response after the due date."""
    return status == "open" and due is not None and due < today


def is_open(status: str) -> bool:
    """Open means not yet closed: waiting for the partner's response or for the Board's decision."""
    return status in OPEN_STATUSES


@dataclass(frozen=True)
class LogCounts:
    total: int
    awaiting_response: int
    awaiting_decision: int
    closed: int
    overdue: int

    @property
    def open(self) -> int:
        return self.awaiting_response + self.awaiting_decision


def log_counts(log: pd.DataFrame) -> LogCounts:
    """The counts every page and the pack give for a log (one definition of open)."""
    status = log["Status"]
    return LogCounts(len(log), int((status == "open").sum()), int((status == "responded").sum()),
                     int((status == "closed").sum()), int((log["Overdue"] == "Yes").sum()))


def counts_line(c: LogCounts, who: str) -> str:
    """'**3** challenges for X · **2** open (1 awaiting the partner's response, 1 awaiting the Board's decision) · ...'"""
    waiting = [f"{n} awaiting {whom}" for n, whom in ((c.awaiting_response, "the partner's response"),
                                                      (c.awaiting_decision, "the Board's decision")) if n]
    return (f"**{c.total}** challenge{'' if c.total == 1 else 's'} for {who} · **{c.open}** open"
            + (f" ({', '.join(waiting)})" if waiting else "") + f" · **{c.overdue}** overdue · **{c.closed}** closed")


LOG_COLUMNS = [
    "No.", "Partner", "Partner name", "Question", "Evidence", "Measure", "Period", "Raised by", "Raised", "Meeting", "Due",
    "Status", "Outcome", "Overdue", "Response", "Responded by", "Responded", "Closed by", "Closed", "Closing note",
]


def challenge_log(
    engine: Engine, today: date, partner_id: int | None = None, status: str | None = None,
    measure: str | None = None, overdue_only: bool = False, publish: bool = False,
) -> pd.DataFrame:
    """The log, newest first: Status is open, responded or closed; Measure is the framework's name. With
    `publish` the Evidence column goes through disclosure control (as in the board pack)."""
    stmt = (select(Challenge, Partner.code, Partner.name).join(Partner, Partner.id == Challenge.partner_id)
            .order_by(Challenge.id.desc()))
    if partner_id is not None:
        stmt = stmt.where(Challenge.partner_id == partner_id)
    if status:
        stmt = stmt.where(Challenge.status == status)
    if measure:
        stmt = stmt.where(Challenge.measure == measure)
    closing = (select(ChallengeEvent.challenge_id, ChallengeEvent.note)
               .where(ChallengeEvent.action.like("closed%")).order_by(ChallengeEvent.id))
    rows = []
    with session_scope(engine) as s:
        notes = {cid: note for cid, note in s.execute(closing)}  # the latest close of each challenge
        who = _names(s)
        for ch, code, name in s.execute(stmt):
            overdue = is_overdue(ch.status, ch.due_date, today)
            if overdue_only and not overdue:
                continue
            ev = Evidence(ch.measure, ch.period_label, ch.evidence_value, ch.evidence_numerator, ch.evidence_denominator,
                          ch.evidence_unit, ch.evidence_rag, ch.evidence_note)
            closed = ch.status == "closed"
            rows.append([
                ch.id, code, name, ch.question, ev.describe(publish), measure_name(ch.measure) if ch.measure else None,
                ch.period_label, who(ch.raised_by), ch.raised_at.date(), ch.meeting_date, ch.due_date, ch.status,
                ch.outcome, "Yes" if overdue else "", ch.response, who(ch.responded_by),
                ch.responded_at.date() if ch.responded_at else None, who(ch.closed_by) if closed else None,
                ch.closed_at.date() if closed and ch.closed_at else None, notes.get(ch.id) if closed else None,
            ])
    # object columns keep an empty field as None (pandas 3 would turn it into NaN, shown as 'nan')
    frame = pd.DataFrame(rows, columns=LOG_COLUMNS, dtype=object)
    frame["No."] = frame["No."].astype("int64")
    return frame


def status_text(status: str, outcome: str | None, overdue: bool) -> str:
    """The status in words, the same on screen and in the exports."""
    if status == "closed":
        return f"Closed ({outcome})" if outcome else "Closed"
    if status == "responded":
        return "Awaiting the Board's decision"
    return "Overdue: awaiting response" if overdue else "Awaiting response"


TABLE_COLUMNS = ["No.", "Partner", "Status", "Due", "Question", "Measure", "Response", "Raised", "Evidence"]
EXPORT_COLUMNS = [
    "No.", "Partner", "Partner name", "Status", "Question", "Evidence", "Measure", "Period", "Raised by", "Raised",
    "Meeting", "Due", "Overdue", "Response", "Responded by", "Responded", "Closed by", "Closed", "Closing note",
]
_ORDER = {"Overdue: awaiting response": 0, "Awaiting the Board's decision": 1, "Awaiting response": 2}


def _worded(log: pd.DataFrame) -> pd.DataFrame:
    out = log.copy()
    out["Status"] = [status_text(s, o, d == "Yes") for s, o, d in zip(log["Status"], log["Outcome"], log["Overdue"])]
    return out


def log_table(log: pd.DataFrame) -> pd.DataFrame:
    """The log as the page shows it: the status in words beside the number and partner, so it stays in view on a
    laptop; overdue first, then those awaiting the Board's decision, then the rest open, then closed."""
    out = _worded(log)
    out["_order"] = out["Status"].map(_ORDER).fillna(3)
    out = out.sort_values(["_order", "No."], ascending=[True, False], kind="stable")
    out["Partner"] = out["Partner name"]  # the name on screen; the export keeps the code beside it
    return out[TABLE_COLUMNS].reset_index(drop=True)


def log_export(log: pd.DataFrame) -> pd.DataFrame:
    """The log as downloaded (CSV and Excel): every field, the status in words, measure names."""
    return _worded(log)[EXPORT_COLUMNS]


def _names(s):
    """Who did what, as people read it: a user's display name for their username; any other record as kept."""
    names = dict(s.execute(select(User.username, User.display_name)).all())
    return lambda actor: names.get(actor, actor) if actor else actor


def history(engine: Engine, challenge_id: int) -> pd.DataFrame:
    """Every change to a challenge, oldest first: when (dd/mm/yyyy hh:mm), who by name, what."""
    stmt = select(ChallengeEvent).where(ChallengeEvent.challenge_id == challenge_id).order_by(ChallengeEvent.at, ChallengeEvent.id)
    with session_scope(engine) as s:
        who = _names(s)
        rows = [[f"{e.at:%d/%m/%Y %H:%M}", who(e.actor), e.action, e.from_status or "", e.to_status, e.note or ""]
                for e in s.scalars(stmt)]
    return pd.DataFrame(rows, columns=["When", "Who", "What", "From", "To", "Note"])


def log_workbook(frame: pd.DataFrame) -> bytes:
    """The challenge log as an Excel workbook (text cells stay text, never formulas)."""
    from assurance.board.actions import frame_to_workbook

    return frame_to_workbook(frame, "Challenges", widths={"Question": 50, "Evidence": 45, "Response": 50,
                                                          "Closing note": 40, "Status": 28, "Measure": 35})
