"""The challenge log and the Partner view as the Board uses them: the chair decides with the partner's whole
response in view, both pages count open challenges the same way, and the status stays in view."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from assurance.board import challenges as ch
from assurance.db.engine import get_engine
from tests.pages.helpers import open_page, texts

RESPONSE = "Training is back in every crew's rota from January; we expect 90% by the end of Q4."  # the demo's


def _responded_amb(engine) -> int:
    log = ch.challenge_log(engine, date.today())
    return int(log[(log["Partner"] == "AMB") & (log["Status"] == "responded")]["No."].iloc[0])


def test_the_chair_sees_the_partners_whole_response_where_they_decide(demo_url, fresh_caches):
    number = _responded_amb(get_engine(demo_url))
    at = open_page("pages/challenges.py", partner="AMB", role="chair")
    at.selectbox(key="ch-pick").select(number).run()
    labels = {b.label for b in at.button}
    assert "Close challenge" in labels and "Record response" not in labels
    assert not [a for a in at.text_area if a.label == "Partner's response"]
    shown = texts(at) + " ".join(t.value for t in at.text)
    assert RESPONSE in shown  # whole, not cut at 60 characters


def test_the_log_and_the_partner_view_count_open_challenges_alike(demo_url, fresh_caches):
    engine = get_engine(demo_url)
    log = ch.challenge_log(engine, date.today())
    amb = log[log["Partner"] == "AMB"]
    expected = int(amb["Status"].isin(["open", "responded"]).sum())
    assert expected >= 1  # the demo's ambulance trust has responded and awaits the Board's decision
    at = open_page("pages/challenges.py", partner="AMB", role="chair")
    assert f"**{expected}** open" in texts(at)
    at = open_page("pages/partner_view.py", partner="AMB", role="chair")
    assert f"**{expected}** open" in texts(at)


def test_the_status_is_beside_the_number_and_partner_and_the_excel_log_is_complete(demo_url, fresh_caches):
    at = open_page("pages/challenges.py", role="chair")
    shown = at.dataframe[0].value
    assert list(shown.columns[:3]) == ["No.", "Partner", "Status"]
    workbook = next(d for d in at.get("download_button") if d.proto.label == "Download challenge log (Excel)")
    assert workbook is not None
    content = ch.log_workbook(ch.log_export(ch.challenge_log(get_engine(demo_url), date.today(), publish=True)))
    header = [c.value for c in load_workbook(io.BytesIO(content)).active[1]]
    assert {"Closing note", "Closed", "Measure"} <= set(header)


def test_partner_view_opens_on_a_partner_and_colours_rag(demo_url, fresh_caches):
    at = open_page("pages/partner_view.py", role="chair")
    assert not [i for i in at.info if "Choose a partner" in i.value]
    assert at.subheader and at.subheader[0].value  # a partner's picture, not a blank page
    assert "the most red measures" in texts(at)
    figures = at.dataframe[0].value
    styles = at.dataframe[0].proto.arrow_data.styler.styles  # the RAG cells filled as on the Overview
    for label, colour in (("Red", "#F4B6B6"), ("Amber", "#FFE08A"), ("Green", "#B7E1B0")):
        assert (label in set(figures["RAG"])) == (f"background-color: {colour}" in styles)
