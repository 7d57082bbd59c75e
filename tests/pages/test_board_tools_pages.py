from datetime import date

from assurance.board import actions as act
from assurance.board import challenges as ch
from assurance.db.engine import get_engine
from tests.pages.helpers import open_page, texts


def test_challenge_log_raise_respond_close(demo_copy_url):
    engine = get_engine(demo_copy_url)
    at = open_page("pages/challenges.py", partner="AMB")
    assert "No challenges match these filters." in texts(at)
    at.text_area(key="q-log").input("Why has staff training fallen below 90%?")
    at.button[0].click()  # the form's "Raise challenge" button is the only button yet
    at.run()
    assert "Challenge 1 raised with Demo Ambulance Service NHS Trust" in texts(at)
    log = ch.challenge_log(engine, date.today())
    assert list(log["Question"]) == ["Why has staff training fallen below 90%?"] and log.iloc[0]["Partner"] == "AMB"
    at.run()
    assert "**1** challenges for Demo Ambulance Service NHS Trust · **1** open · **0** overdue" in texts(at)
    at.text_area[0].input("Recovery plan agreed.")
    next(b for b in at.button if b.label == "Record response").click()
    at.run()
    assert ch.challenge_log(engine, date.today()).iloc[0]["Status"] == "responded"
    assert list(ch.history(engine, 1)["What"]) == ["raised", "responded"]
    # Filtering by status shows only what matches.
    at.selectbox(key="ch-status").set_value("open").run()
    assert "No challenges match these filters." in texts(at)


def test_actions_page_shows_rag_counts(demo_url):
    at = open_page("pages/actions.py")
    frame = act.tracker_frame(get_engine(demo_url), date.today())
    counts = frame["RAG"].value_counts()
    shown = texts(at)
    assert f"**{counts.get('Overdue', 0)}** overdue" in shown
    assert len(at.dataframe[0].value) == len(frame)
    at.selectbox(key="act-source").set_value("SAR").run()
    assert set(at.dataframe[0].value["Source"]) == {"SAR"}
