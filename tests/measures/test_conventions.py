"""Windows and conventions said with the figures: partial four-quarter windows, the repeat-concern look-back, the
working-day convention for concern decisions (configurable), and what conversion is of."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from sqlalchemy import select

from assurance import config
from assurance.db.engine import session_scope
from assurance.db.models import AuditResult, Concern, Partner, ReportingPeriod, Submission
from assurance.measures import conventions
from assurance.measures.compute import compute_figures
from assurance.measures.figures import refresh_figures
from assurance.measures.framework import Framework, MeasureDef

Q3 = "2025-26 Q3"


def measure(id_, basis="quarter", applies_to="activity", polarity="higher", target=80.0):
    return MeasureDef(id=id_, name=id_, strand="data", numerator="n", denominator="d", polarity=polarity, unit="%",
                      applies_to=applies_to, basis=basis, definition=id_,
                      target=target if polarity != "information" else None, tolerance=5.0)


FRAMEWORK = Framework((measure("decision_timeliness"), measure("conversion", polarity="information"),
                       measure("repeat_concerns", polarity="lower", target=20.0),
                       measure("audit_good", basis="rolling4", applies_to="audit")), min_denominator=1)


def submission(s, partner, period, rtype):
    sub = Submission(partner_id=partner, period_id=period, return_type=rtype, file_name="x.xlsx", sha256="0" * 64,
                     submitted_by="test", submitted_at=datetime(2026, 1, 20), status="accepted", source="cli",
                     row_count=0, error_count=0, query_count=0)
    s.add(sub)
    s.flush()
    return sub.id


@pytest.fixture
def weekend(engine):
    """Four concerns in 2025-26 Q3 (Sat 4 Oct 2025 is a weekend; 25 and 26 Dec are bank holidays):
      W1 received Sat 4 Oct, decided Wed 8 Oct: 3 working days after Friday's count (Mon, Tue, Wed) as received;
         from the next working day (Mon 6 Oct = day 0) it is 2: within 2 days only under that convention
      W2 received Sat 4 Oct, decided Tue 7 Oct: 2 as received (within); 1 from the next working day (within)
      W3 received Thu 25 Dec (bank holiday), decided Tue 30 Dec: as received, working days after 25 Dec up to 30 Dec
         are 29, 30 Dec -> 2 (within); from the next working day (Mon 29 Dec = day 0) -> 1 (within)
      W4 received Wed 1 Oct, decided Mon 6 Oct: Thu, Fri, Mon -> 3 either way (not within)
    So decisions within 2 working days: 2 of 4 as received; 3 of 4 from the next working day.
    """
    with session_scope(engine) as s:
        la = s.scalar(select(Partner.id).where(Partner.code == "LA"))
        period = {p.label: p.id for p in s.scalars(select(ReportingPeriod))}
        sid = submission(s, la, period[Q3], "activity")
        for ref, received, decided in (("W1", date(2025, 10, 4), date(2025, 10, 8)),
                                       ("W2", date(2025, 10, 4), date(2025, 10, 7)),
                                       ("W3", date(2025, 12, 25), date(2025, 12, 30)),
                                       ("W4", date(2025, 10, 1), date(2025, 10, 6))):
            s.add(Concern(submission_id=sid, partner_id=la, period_id=period[Q3], concern_ref=ref, person_id=ref,
                          date_received=received, decision_date=decided, referral_source="Police", age_band="65-74",
                          gender="Female", ethnicity_detailed=None, ethnicity_broad="White",
                          primary_support_reason="Physical Support", outcome="No enquiry"))
    with engine.begin() as conn:
        refresh_figures(conn)
    return engine


def with_convention(monkeypatch, value):
    board = dataclasses.replace(config.board(), weekend_receipt=value)
    monkeypatch.setattr(config, "board", lambda: board)


def test_decisions_counted_as_received_by_default(weekend):
    f = compute_figures(weekend, fw=FRAMEWORK).get("decision_timeliness", Q3)
    assert (f.numerator, f.denominator) == (2, 4)


def test_decisions_counted_from_the_next_working_day_when_configured(weekend, monkeypatch):
    with_convention(monkeypatch, "next working day")
    f = compute_figures(weekend, fw=FRAMEWORK).get("decision_timeliness", Q3)
    assert (f.numerator, f.denominator) == (3, 4)


def test_the_convention_is_read_from_the_board_configuration(tmp_path):
    path = tmp_path / "board.toml"
    path.write_text('[board]\nname = "B"\npopulation_area = "England"\n\n[figures]\nweekend_receipt = "next working day"\n\n'
                    '[[partners]]\ncode = "LA"\nname = "Council"\ntype = "Local authority"\nreturns = ["activity"]\n',
                    encoding="utf-8")
    assert config.load_board_config(path).weekend_receipt == "next working day"
    path.write_text(path.read_text().replace("next working day", "whenever"), encoding="utf-8")
    with pytest.raises(config.ConfigError, match="weekend_receipt"):
        config.load_board_config(path)
    path.write_text(path.read_text().replace('[figures]\nweekend_receipt = "whenever"\n', ""), encoding="utf-8")
    assert config.load_board_config(path).weekend_receipt == "as received"  # today's behaviour by default


def test_the_convention_is_said_in_words():
    assert "Saturday and decided on the Monday took 1 working day" in conventions.decision_note("as received")
    assert "next working day" in conventions.decision_note("next working day")
    assert "took 0 working days" in conventions.decision_note("next working day")
    assert "received in the period" in conventions.CONVERSION_NOTE


def test_a_four_quarter_figure_on_fewer_quarters_is_flagged(engine):
    with session_scope(engine) as s:
        partner = {p.code: p.id for p in s.scalars(select(Partner))}
        period = {p.label: p.id for p in s.scalars(select(ReportingPeriod))}
        for label in ("2025-26 Q1", Q3):  # audits in two of the four quarters to 2025-26 Q4
            sid = submission(s, partner["SAB"], period[label], "audit")
            s.add(AuditResult(submission_id=sid, partner_id=partner["SAB"], period_id=period[label], audit_ref="A",
                              case_ref="C", audit_date=date(2025, 6, 1), theme="T", agency="POL",
                              agency_partner_id=partner["POL"], grade_msp="Good", grade_risk="Good",
                              grade_capacity="Good", grade_partnership="Good", grade_recording="Good",
                              grade_outcome="Good", overall_grade="Good", findings="F", action_required=None))
    fs = compute_figures(engine, fw=FRAMEWORK)
    q4 = fs.get("audit_good", "2025-26 Q4")
    assert (q4.quarters_with_data, q4.window_quarters, q4.partial_window) == (2, 4, True)
    assert q4.window_note == "2 of 4 quarters"
    assert "2 of 4 quarters" in conventions.window_note(q4)
    q3 = fs.get("decision_timeliness", Q3)
    assert (q3.window_quarters, q3.partial_window) == (1, False) and conventions.window_note(q3) == ""


def test_repeat_concerns_say_when_the_look_back_is_incomplete():
    # data from 2023-24 Q3: a concern in 2024-25 Q2 looks back 12 months to 2023-24 Q2, before the first data
    assert "incomplete" in conventions.repeat_note("2024-25 Q2", "2023-24 Q3")
    assert "2023-24 Q3" in conventions.repeat_note("2023-24 Q3", "2023-24 Q3")
    assert conventions.repeat_note("2024-25 Q3", "2023-24 Q3") == ""  # four quarters of data behind it


def test_the_scorecard_shows_a_partial_window(engine):
    from assurance.measures.compute import scorecard, scorecard_frame

    with session_scope(engine) as s:
        partner = {p.code: p.id for p in s.scalars(select(Partner))}
        period = {p.label: p.id for p in s.scalars(select(ReportingPeriod))}
        sid = submission(s, partner["SAB"], period[Q3], "audit")
        for ref, grade in (("A1", "Good"), ("A2", "Inadequate"), ("A3", "Good"), ("A4", "Outstanding")):
            s.add(AuditResult(submission_id=sid, partner_id=partner["SAB"], period_id=period[Q3], audit_ref=ref,
                              case_ref="C", audit_date=date(2025, 11, 1), theme="T", agency="POL",
                              agency_partner_id=partner["POL"], grade_msp="Good", grade_risk="Good",
                              grade_capacity="Good", grade_partnership="Good", grade_recording="Good",
                              grade_outcome="Good", overall_grade=grade, findings="F", action_required=None))
    fs = compute_figures(engine, fw=FRAMEWORK)
    frame = scorecard_frame(scorecard(fs, "2025-26 Q4"), publish=False).set_index("id")
    assert frame.loc["audit_good", "Value"] == "75.0% (1 of 4 quarters)"  # 3 of 4 audits good, audits in Q3 only


def test_a_rate_per_100000_carries_its_interval(engine, monkeypatch):
    from assurance.measures.conventions import figure_notes
    from tests.measures import dataset

    dataset.build(engine)
    fw = Framework((MeasureDef(id="concern_rate", name="Concerns per 100,000 adults", strand="data", numerator="n",
                               denominator="d", polarity="information", unit="per 100,000", applies_to="activity",
                               basis="quarter", definition="concern_rate"),), min_denominator=10)
    board = dataclasses.replace(config.board(), population_area="Luton")
    monkeypatch.setattr(config, "board", lambda: board)
    fs = compute_figures(engine, fw=fw)
    f = fs.get("concern_rate", dataset.Q3)
    assert (f.numerator, f.denominator) == (7, 155_454)
    # 7 concerns: exact Poisson 2.8144 to 14.4227, over 155,454 adults per 100,000: 1.81 to 9.28
    notes = figure_notes(fs, "concern_rate", dataset.Q3, False, "as received")
    assert any("95% CI 1.8 to 9.3, Byar's method" in n for n in notes)


def test_a_database_from_before_the_new_definition_gets_its_figures_on_start(weekend, board):
    from sqlalchemy import delete, func

    from assurance.db.bootstrap import init_database
    from assurance.db.models import FigureBuild, QuarterlyFigure

    qf = QuarterlyFigure.__table__
    with weekend.begin() as conn:  # as built before the definition was written: no figures, another fingerprint
        conn.execute(delete(qf).where(qf.c.definition == "decision_timeliness_next_working_day"))
        conn.execute(FigureBuild.__table__.update().values(fingerprint="0" * 64))
    init_database(weekend, board, today=date(2026, 11, 23))
    with weekend.connect() as conn:
        kept = conn.scalar(select(func.sum(qf.c.numerator)).where(qf.c.definition == "decision_timeliness_next_working_day"))
    assert kept == 3  # W1, W2, W3 (see the weekend fixture)
