"""The SAR and audit action form: it shows what is stored and says when a change is saved."""

from __future__ import annotations

from datetime import date

from assurance.access import audit
from assurance.board import actions as act
from assurance.db.engine import get_engine
from tests.pages.helpers import open_page


def _completed(engine):
    frame = act.tracker_frame(engine, date.today())
    done = frame[(frame["Status"] == "Completed") & frame["Completed date"].notna()]
    return int(done["Action ID"].iloc[0]), done["Completed date"].iloc[0]


def test_completed_on_shows_the_stored_date(demo_url, fresh_caches):
    number, completed = _completed(get_engine(demo_url))
    at = open_page("pages/actions.py", role="qa")
    at.selectbox(key="act-pick").select(number).run()
    field = next(d for d in at.date_input if d.label.startswith("Completed on"))
    assert field.value == completed


def test_saving_says_so_and_is_audited(demo_copy_url, fresh_caches):
    engine = get_engine(demo_copy_url)
    frame = act.tracker_frame(engine, date.today())
    number = int(frame[frame["Status"] == "In progress"]["Action ID"].iloc[0])
    at = open_page("pages/actions.py", role="qa")
    at.selectbox(key="act-pick").select(number).run()
    next(a for a in at.text_area if a.label == "Progress notes").input("Briefings delivered to every team.")
    next(b for b in at.button if b.label == "Save").click()
    at.run()
    assert not at.exception
    assert any(f"Action {number} saved" in s.value for s in at.success)
    stored = act.tracker_frame(engine, date.today()).set_index("Action ID").loc[number, "Progress notes"]
    assert stored == "Briefings delivered to every team."
    events = audit.search(engine, action=act.ACTION_UPDATED)
    assert list(events["Target"]) == [f"action {number}"] and list(events["Who"]) == ["qa"]
