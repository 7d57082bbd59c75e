"""The scorecard's row click and challenging a partner from a measure (Overview)."""

from datetime import date

import pandas as pd

from assurance.board import challenges as ch
from assurance.db.engine import get_engine
from assurance.measures.compute import compute_figures
from tests.pages.helpers import open_page


def test_a_click_on_a_scorecard_row_opens_that_measure(demo_url):
    at = open_page("pages/overview.py", period="2026-27 Q2")
    quality = at.dataframe[1].value  # the Quality strand
    row = 2
    at.session_state["ov-table-quality"] = {"selection": {"rows": [], "columns": [], "cells": [[row, "RAG"]]}}
    at.run()
    assert not at.exception
    assert at.selectbox(key="ov-measure").format_func(at.selectbox(key="ov-measure").value) == quality["Measure"].iloc[row]


def test_challenging_the_council_from_a_measure(demo_copy_url):
    at = open_page("pages/overview.py", period="2026-27 Q2", role="chair")
    at.selectbox(key="ov-measure").select("decision_timeliness").run()
    at.text_area(key="q-ov").input("Why are decisions slower than the 2 working days the Board expects?")
    next(b for b in at.button if b.label == "Raise challenge").click()
    at.run()
    assert not at.exception and "raised with Demo Borough Council" in at.success[0].value
    log = ch.challenge_log(get_engine(demo_copy_url), date.today())
    raised = log[log["Question"].str.startswith("Why are decisions slower")].iloc[0]
    x = compute_figures(get_engine(demo_copy_url), "LA").get("decision_timeliness", "2026-27 Q2")
    assert raised["Partner"] in ("LA", "Demo Borough Council (Adult Social Care)")
    assert f"{x.value:.1f}%" in raised["Evidence"]


def test_blank_cells_show_empty_and_every_column_still_converts_for_display():
    import pyarrow as pa

    import ui

    frame = pd.DataFrame({"Action ID": [1, 2], "Completed date": [date(2026, 10, 8), None], "Evidence": ["Minutes", None],
                          "Due": [date(2026, 1, 5), date(2026, 2, 1)]}).astype({"Completed date": object, "Evidence": object})
    shown = ui.blank_empty(frame)
    assert shown["Completed date"].tolist() == ["08/10/2026", ""]
    assert shown["Evidence"].tolist() == ["Minutes", ""]
    assert shown["Action ID"].tolist() == [1, 2] and shown["Due"].tolist() == frame["Due"].tolist()
    pa.Table.from_pandas(shown)  # what st.dataframe does: a column mixing dates and text would raise here


def test_not_rated_says_how_many_are_for_information_and_how_many_are_small(demo_url):
    at = open_page("pages/overview.py")
    label = at.sidebar.selectbox(key="period").value
    fs = compute_figures(get_engine(demo_url))
    shown = [f for m in fs.framework.measures if (f := fs.get(m.id, label)) is not None and f.has_data]
    info = sum(f.polarity == "information" for f in shown)
    small = sum(f.small and f.polarity != "information" for f in shown)
    not_rated = len(shown) - sum(f.rag is not None for f in shown)
    assert not_rated == info + small
    assert f"**{not_rated} not rated** ({info} for information only, {small} on small numbers)" in " ".join(
        m.value for m in at.markdown)
