"""The submissions tracker: submitted, late or missing against each period's due date."""

from datetime import date, datetime

from sqlalchemy import update

from assurance.db.models import Submission
from assurance.returns.tracker import (history_frame, history_screen, set_due_date, state_counts, tracker_frame,
                                       tracker_screen)
from tests.returns.builders import activity_sheets, measure_sheets


def _stamp(engine, submission_id, when):
    with engine.begin() as c:
        c.execute(update(Submission).where(Submission.id == submission_id).values(submitted_at=when))


def test_states_against_the_due_date(engine, load):
    on_time = load(measure_sheets(), "POL 2025-26 Q2.xlsx", user="ann")
    late = load(measure_sheets(), "ACU 2025-26 Q2.xlsx", user="bob")
    bad = activity_sheets(5)
    bad["Concerns"][1][5] = 10
    rejected = load(bad, "LA 2025-26 Q2.xlsx")
    _stamp(engine, on_time.submission_id, datetime(2025, 10, 20, 9, 0))  # due 30 October 2025
    _stamp(engine, late.submission_id, datetime(2025, 11, 3, 9, 0))
    df = tracker_frame(engine, "2025-26 Q2", today=date(2025, 11, 5)).set_index(["Partner", "Return"])
    assert len(df) == 13  # every partner and return type it makes
    assert df.loc[("POL", "Partner assurance return"), "State"] == "Submitted"
    assert df.loc[("POL", "Partner assurance return"), "Submitted by"] == "ann"
    assert df.loc[("ACU", "Partner assurance return"), "State"] == "Late"
    la = df.loc[("LA", "Safeguarding activity return")]
    assert (la["State"], la["Status"], la["Errors"], la["Attempts"]) == ("Missing", "rejected", 1, 1)
    assert df.loc[("SAB", "Multi-agency audit return"), "State"] == "Missing"
    assert state_counts(df.reset_index()) == {"Submitted": 1, "Late": 1, "Missing": 11, "Not yet due": 0}
    before_due = tracker_frame(engine, "2025-26 Q2", today=date(2025, 10, 21))
    assert state_counts(before_due)["Not yet due"] == 11 and rejected.submission_id


def test_due_date_is_editable_and_history_shows_every_attempt(engine, load):
    first = load(measure_sheets(), "POL 2025-26 Q2.xlsx")
    second = load(measure_sheets(), "POL 2025-26 Q2 v2.xlsx")
    _stamp(engine, first.submission_id, datetime(2025, 11, 3, 9, 0))
    _stamp(engine, second.submission_id, datetime(2025, 11, 4, 9, 0))
    df = tracker_frame(engine, "2025-26 Q2", today=date(2025, 12, 1)).set_index("Partner")
    assert df.loc["POL", "State"] == "Late" and df.loc["POL", "Attempts"] == 2
    set_due_date(engine, "2025-26 Q2", date(2025, 11, 10))
    df = tracker_frame(engine, "2025-26 Q2", today=date(2025, 12, 1)).set_index("Partner")
    assert df.loc["POL", "State"] == "Submitted" and df.loc["POL", "Latest file"] == "POL 2025-26 Q2 v2.xlsx"
    hist = history_frame(engine, "2025-26 Q2", "POL")
    assert hist["Status"].tolist() == ["accepted", "superseded"]
    assert hist["Superseded by"].tolist()[1] == second.submission_id


def test_tracker_shows_the_accepted_submission_in_use_not_a_later_rejected_attempt(engine, load):
    good = load(measure_sheets(), "POL 2025-26 Q2.xlsx", user="ann")
    bad = measure_sheets()
    for row in bad["Measures"][1:4]:
        row[1] = 5000  # numerator above the denominator: 3 errors
    rejected = load(bad, "POL 2025-26 Q2 corrected.xlsx", user="bob")
    assert good.loaded and not rejected.loaded
    _stamp(engine, good.submission_id, datetime(2025, 10, 20, 9, 0))  # on time (due 30 October 2025)
    _stamp(engine, rejected.submission_id, datetime(2025, 11, 12, 14, 3))
    row = tracker_frame(engine, "2025-26 Q2", today=date(2025, 11, 20)).set_index("Partner").loc["POL"]
    assert (row["State"], row["Latest file"], row["Status"], row["Rows"], row["Errors"], row["Queries"]) == \
        ("Submitted", "POL 2025-26 Q2.xlsx", "accepted", 5, 0, 0)
    assert (row["Submitted by"], row["Submitted at"], row["Attempts"]) == ("ann", datetime(2025, 10, 20, 9, 0), 2)
    assert row["Last attempt"] == "rejected 12/11/2025 14:03 (3 errors) by bob"


def test_state_follows_the_accepted_submission(engine, load):
    bad = measure_sheets()
    bad["Measures"][1][1] = 5000
    rejected = load(bad, "POL 2025-26 Q2.xlsx", user="bob")  # on time, but rejected
    _stamp(engine, rejected.submission_id, datetime(2025, 10, 20, 9, 0))
    row = tracker_frame(engine, "2025-26 Q2", today=date(2025, 11, 20)).set_index("Partner").loc["POL"]
    assert (row["State"], row["Status"], row["Errors"]) == ("Missing", "rejected", 1)
    assert row["Last attempt"] is None  # nothing accepted: the attempt is the row itself
    late = load(measure_sheets(), "POL 2025-26 Q2 v2.xlsx", user="ann")
    _stamp(engine, late.submission_id, datetime(2025, 11, 3, 9, 0))
    row = tracker_frame(engine, "2025-26 Q2", today=date(2025, 11, 20)).set_index("Partner").loc["POL"]
    assert (row["State"], row["Status"], row["Latest file"], row["Last attempt"]) == \
        ("Late", "accepted", "POL 2025-26 Q2 v2.xlsx", None)


def test_missing_and_late_returns_come_first_and_the_screen_has_no_none(engine, load):
    on_time = load(measure_sheets(), "POL 2025-26 Q2.xlsx")
    late = load(measure_sheets(), "ACU 2025-26 Q2.xlsx")
    _stamp(engine, on_time.submission_id, datetime(2025, 10, 20, 9, 0))  # due 30 October 2025
    _stamp(engine, late.submission_id, datetime(2025, 11, 3, 9, 0))
    df = tracker_frame(engine, "2025-26 Q2", today=date(2025, 11, 5))
    states = df["State"].tolist()
    assert states == ["Missing"] * 11 + ["Late", "Submitted"]
    assert df["Partner"].tolist()[-2:] == ["ACU", "POL"]
    screen = tracker_screen(df)
    assert list(screen.columns) == ["Partner", "Return", "State", "Submitted at", "Errors", "Last attempt"]
    assert screen.map(lambda v: v is None or v != v).sum().sum() == 0
    assert (screen.iloc[-1]["Submitted at"], screen.iloc[-1]["Errors"]) == ("20/10/2025 09:00", "0")
    assert (screen.iloc[0]["State"], screen.iloc[0]["Errors"]) == ("Missing", "")
    # Partners by name on screen (the CSV keeps the code too)
    assert screen["Partner"].tolist()[-2:] == ["Demo University Hospitals NHS Trust", "Demo Shire Police"]


def test_a_replacement_after_the_due_date_keeps_the_return_on_time_and_says_so(engine, load):
    first = load(measure_sheets(), "POL 2025-26 Q2.xlsx")
    second = load(measure_sheets(), "POL 2025-26 Q2 v2.xlsx")
    _stamp(engine, first.submission_id, datetime(2025, 10, 20, 9, 0))  # on time: due 30 October 2025
    _stamp(engine, second.submission_id, datetime(2025, 12, 1, 10, 30))
    df = tracker_frame(engine, "2025-26 Q2", today=date(2025, 12, 2))
    row = df.set_index("Partner").loc["POL"]
    assert (row["State"], row["Replaced"]) == ("Submitted", datetime(2025, 12, 1, 10, 30))
    screen = tracker_screen(df).set_index("Partner").loc["Demo Shire Police"]
    assert screen["State"] == "Submitted (replaced 01/12/2025, after the due date)"
    assert screen["Submitted at"] == "01/12/2025 10:30"  # the submission in use
    # A replacement by the due date is simply submitted.
    _stamp(engine, second.submission_id, datetime(2025, 10, 29, 16, 0))
    df = tracker_frame(engine, "2025-26 Q2", today=date(2025, 12, 2))
    assert df.set_index("Partner").loc["POL", "Replaced"] is None
    assert tracker_screen(df).set_index("Partner").loc["Demo Shire Police", "State"] == "Submitted"


def test_a_return_with_only_a_rejected_upload_says_so_in_its_state(engine, load):
    bad = measure_sheets()
    bad["Measures"][1][1] = 5000
    rejected = load(bad, "POL 2025-26 Q2.xlsx")
    _stamp(engine, rejected.submission_id, datetime(2025, 10, 20, 9, 0))
    screen = tracker_screen(tracker_frame(engine, "2025-26 Q2", today=date(2025, 11, 20))).set_index("Partner")
    assert screen.loc["Demo Shire Police", "State"] == "Missing (upload rejected)"
    assert screen.loc["Demo Shire Police", "Errors"] == "1"


def test_history_on_screen_is_text_with_blanks_and_published_counts(engine, load):
    first = load(measure_sheets(), "POL 2025-26 Q2.xlsx", user="ann")
    second = load(measure_sheets(), "POL 2025-26 Q2 v2.xlsx", user="bob")
    _stamp(engine, first.submission_id, datetime(2025, 10, 20, 9, 0))
    hist = history_frame(engine, "2025-26 Q2", "POL")
    screen = history_screen(hist, publish=False)
    assert list(screen.columns) == ["Submission", "File", "Submitted by", "Submitted at", "Status", "Rows", "Errors",
                                    "Queries", "Superseded by"]
    assert screen["Superseded by"].tolist() == ["", str(second.submission_id)]
    assert screen["Rows"].tolist() == ["5", "5"] and screen.iloc[1]["Submitted at"] == "20/10/2025 09:00"
    assert screen.map(lambda v: v is None or v != v).sum().sum() == 0
    assert history_screen(hist, publish=True)["Rows"].tolist() == ["5", "5"]  # 5 rounds to 5
    small = hist.assign(Rows=[3, 3])
    assert history_screen(small, publish=True)["Rows"].tolist() == ["[c]", "[c]"]


def test_a_quarter_past_its_due_date_with_nothing_accepted_is_named(engine, load):
    from assurance.returns.tracker import overdue_and_unlisted

    listed = ["2025-26 Q2"]  # the quarters the sidebar offers: those with an accepted return
    assert [p.label for p in overdue_and_unlisted(engine, listed, today=date(2026, 1, 31))] == ["2025-26 Q3"]
    assert [p.label for p in overdue_and_unlisted(engine, listed, today=date(2026, 1, 30))] == []
