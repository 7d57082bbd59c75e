from datetime import date

from assurance.board import actions as act
from assurance.board import challenges as ch
from assurance.db.engine import get_engine
from tests.pages.helpers import open_page, texts


def test_challenge_log_raise_respond_close(demo_copy_url):
    engine = get_engine(demo_copy_url)
    at = open_page("pages/challenges.py", partner="ICB")
    assert "No challenges match these filters." in texts(at)
    at.text_area(key="q-log").input("Why has staff training fallen below 90%?")
    at.button[0].click()  # the form's "Raise challenge" button is the only button yet
    at.run()
    log = ch.challenge_log(engine, date.today(), partner_id=None)
    new = log[log["Partner"] == "ICB"]
    assert list(new["Question"]) == ["Why has staff training fallen below 90%?"]
    number = int(new["No."].iloc[0])
    assert f"Challenge {number} raised with Demo Integrated Care Board" in texts(at)
    at.run()
    assert "**1** challenge for Demo Integrated Care Board · **1** open (1 awaiting the partner's response) · **0** overdue" in texts(at)
    at.text_area[0].input("Recovery plan agreed.")
    next(b for b in at.button if b.label == "Record response").click()
    at.run()
    assert ch.challenge_log(engine, date.today(), partner_id=None).set_index("No.").loc[number, "Status"] == "responded"
    assert list(ch.history(engine, number)["What"]) == ["raised", "responded"]
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


def test_board_pack_page_builds_and_offers_the_download(demo_url):
    at = open_page("pages/board_pack.py", period="2026-27 Q2")
    at.radio(key="pack-format").set_value("Excel tables").run()
    at.button(key="pack-build").click().run()
    assert not at.exception
    shown = texts(at)
    assert "Of " in shown or any("measures rated against a target" in t.value for t in at.text)
    assert any(t.value.startswith("• Returns:") for t in at.text)
    assert at.get("download_button")[0].proto.label.startswith("Download the pack (XLSX")


def test_the_chair_issues_a_pack_and_it_is_listed_to_download_as_issued(demo_copy_url, fresh_caches):
    import hashlib

    from assurance.board.issued import issued_pack_file, issued_packs
    from assurance.db.engine import get_engine

    at = open_page("pages/board_pack.py", period="2026-27 Q2")
    assert "No pack has been issued yet" in texts(at)
    at.radio(key="pack-format").set_value("Excel tables").run()
    at.button(key="pack-build").click().run()
    built = at.session_state["pack"][2]
    at.button(key="pack-issue").click().run()
    assert not at.exception and at.success[0].value.replace("\\", "").startswith("Issued: Board pack 2026-27 Q2 issued")
    [kept] = issued_packs(get_engine(demo_copy_url))
    assert issued_pack_file(get_engine(demo_copy_url), kept.id)[2] == built
    listed = at.dataframe[-1].value
    assert listed.iloc[0][["Period", "Issued by", "SHA-256"]].tolist() == [
        "2026-27 Q2", "chair", hashlib.sha256(built).hexdigest()]
    assert any(b.proto.label.endswith("as issued") for b in at.get("download_button"))


def test_only_the_chair_may_issue_a_pack(demo_copy_url, fresh_caches):
    from assurance.access.roles import can_use
    from tests.pages.helpers import user_for_role

    assert [r for r in ("analyst", "qa", "chair", "partner_lead", "admin") if can_use(user_for_role(r), "issue_packs")] \
        == ["chair"]
