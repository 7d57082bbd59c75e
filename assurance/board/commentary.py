"""Commentary: partners' own (from their assurance return) and the QA subgroup's per measure and period.

QA commentary keeps the figure it was written about. When a resubmission later changes that figure, the
commentary is shown with the figure it explained and the figure now, until QA confirms or rewrites it.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import NamedTuple

import pandas as pd
from sqlalchemy import Engine, select

from assurance.access import audit
from assurance.access.roles import can_use, require
from assurance.db.engine import session_scope, short_write
from assurance.db.models import AssuranceMeasure, Commentary, Partner, Submission
from assurance.errors import AssuranceError


COMMENTARY_ADDED = "commentary added"
COMMENTARY_CONFIRMED = "commentary confirmed"


class CommentaryError(AssuranceError, ValueError):
    """Commentary that cannot be saved; the message says why."""


class Note(NamedTuple):
    """One piece of QA commentary and the figure as it stood when it was written (None: not recorded)."""

    text: str
    author: str
    written_at: datetime
    id: int
    value: float | None
    numerator: int | None
    denominator: int | None


def _current_figure(engine: Engine, measure: str, period_label: str, partner_id: int | None):
    from assurance.measures.compute import compute_figures

    code = None
    if partner_id is not None:
        with session_scope(engine) as s:
            code = s.get(Partner, partner_id).code
    return compute_figures(engine, code).get(measure, period_label)


def may_write(user) -> bool:
    """Whether to offer QA commentary (add_commentary and confirm_commentary check again)."""
    return can_use(user, "write_commentary")


def add_commentary(engine: Engine, measure: str, period_label: str, text: str, by,
                   partner_id: int | None = None, now: datetime | None = None, via: str = "app",
                   address: str | None = None) -> int:
    """Record QA commentary as `by` (write_commentary), with the figure it is written about (value, numerator and
    denominator as they are now), and its audit record in the same transaction."""
    return _write(engine, measure, period_label, text, by, partner_id, now, via, address, COMMENTARY_ADDED)


def confirm_commentary(engine: Engine, commentary_id: int, by, now: datetime | None = None, via: str = "app",
                       address: str | None = None) -> int:
    """QA confirms that commentary still holds for the figure as it is now: the same text, recorded again."""
    require(by, "write_commentary")
    with session_scope(engine) as s:
        old = s.get(Commentary, commentary_id)
        if old is None:
            raise CommentaryError("That commentary no longer exists.")
        measure, period_label, partner_id, text = old.measure, old.period_label, old.partner_id, old.text
    return _write(engine, measure, period_label, text, by, partner_id, now, via, address, COMMENTARY_CONFIRMED)


def _write(engine, measure, period_label, text, by, partner_id, now, via, address, action) -> int:
    require(by, "write_commentary")
    text = (text or "").strip()
    if not text:
        raise CommentaryError("Write the commentary before saving it.")
    figure = _current_figure(engine, measure, period_label, partner_id)
    with short_write(engine), session_scope(engine) as s:
        row = Commentary(measure=measure, period_label=period_label, partner_id=partner_id, text=text,
                         author=by.actor, written_at=(now or datetime.now()).replace(microsecond=0),
                         figure_value=None if figure is None else figure.value,
                         figure_numerator=None if figure is None else figure.numerator,
                         figure_denominator=None if figure is None else figure.denominator)
        s.add(row)
        s.flush()
        code = s.get(Partner, partner_id).code if partner_id is not None else None
        audit.record(None, by.actor, action, f"{measure} {period_label}", {"partner": code}, via, address,
                     conn=s.connection())
        return row.id


def qa_commentary(engine: Engine, period_label: str, partner_id: int | None = None) -> dict[str, list[Note]]:
    """{measure: [Note, ...]} newest first, for the Board (partner_id None) or one partner."""
    stmt = select(Commentary).where(Commentary.period_label == period_label)
    stmt = stmt.where(Commentary.partner_id.is_(None) if partner_id is None else Commentary.partner_id == partner_id)
    out: dict[str, list] = {}
    with session_scope(engine) as s:
        for c in s.scalars(stmt.order_by(Commentary.written_at.desc(), Commentary.id.desc())):
            out.setdefault(c.measure, []).append(Note(c.text, c.author, c.written_at, c.id, c.figure_value,
                                                      c.figure_numerator, c.figure_denominator))
    return out


def figure_changed(note: Note, figure) -> bool:
    """Whether the figure has changed since the commentary was written (unknown for commentary kept without one)."""
    if note.value is None and note.numerator is None:
        return False
    if figure is None:
        return True
    return (note.numerator, note.denominator) != (figure.numerator, figure.denominator) or (
        note.numerator is None and note.value != figure.value)


def commentary_text(note: Note, figure, publish: bool) -> str:
    """The commentary as shown beside the figure: saying so when it was written about a different figure. Both
    figures go through disclosure control in publication mode."""
    from assurance import disclosure

    if not figure_changed(note, figure):
        return note.text
    if figure is None:
        return f"{note.text} — Written about a figure that is no longer available."

    def shown(f) -> str:
        counts = disclosure.figure_counts(f, publish)
        return disclosure.figure_text(f, publish) + (f" ({counts})" if counts else "")

    value = note.numerator if figure.unit == "count" else note.value  # a count is a whole number
    then = dataclasses.replace(figure, value=value, numerator=note.numerator, denominator=note.denominator)
    before, now = shown(then), shown(figure)
    if before == now:  # the change is hidden by rounding or suppression in publication mode
        return f"{note.text} — Written before a resubmission revised the figure."
    return f"{note.text} — Written when the figure was {before}; it is now {now}."


def partner_commentary(engine: Engine, period_id: int, partner_id: int | None = None) -> pd.DataFrame:
    """What partners wrote beside their figures in the accepted assurance returns for the period."""
    stmt = (
        select(Partner.code, Partner.name, AssuranceMeasure.measure_code, AssuranceMeasure.commentary)
        .join(Partner, Partner.id == AssuranceMeasure.partner_id)
        .join(Submission, Submission.id == AssuranceMeasure.submission_id)
        .where(AssuranceMeasure.period_id == period_id, Submission.status == "accepted",
               AssuranceMeasure.commentary.is_not(None), AssuranceMeasure.commentary != "")
        .order_by(Partner.code, AssuranceMeasure.measure_code)
    )
    if partner_id is not None:
        stmt = stmt.where(AssuranceMeasure.partner_id == partner_id)
    with engine.connect() as c:
        return pd.DataFrame(c.execute(stmt).all(), columns=["Partner", "Partner name", "Measure", "Commentary"])
