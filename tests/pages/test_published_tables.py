"""Published tables on the pages: each column of one type (no Arrow conversion errors in the server log) and
published counts, text beside [c], right-aligned like numbers."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import streamlit as st

from tests.pages.helpers import open_page


class Collected(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def publication_mode(monkeypatch, tmp_path):
    text = (Path(__file__).resolve().parents[2] / "assurance" / "defaults" / "board.toml").read_text()
    path = tmp_path / "board.toml"
    path.write_text(text.replace("publication_mode = false", "publication_mode = true"))
    monkeypatch.setenv("ASSURANCE_BOARD_CONFIG", str(path))
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def arrow_log():
    """What Streamlit logs when a frame cannot be converted to Arrow as it is."""
    logger = logging.getLogger("streamlit.dataframe_util")
    handler, level = Collected(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler.messages
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.mark.parametrize("page", ["pages/demographics.py", "pages/outcomes.py", "pages/audits.py",
                                  "pages/overview.py", "pages/downloads.py"])
def test_published_pages_send_typed_columns(demo_url, publication_mode, arrow_log, page):
    at = open_page(page, period="2026-27 Q2")
    assert not at.exception
    assert [m for m in arrow_log if "Arrow" in m or "convert" in m] == []


def test_published_counts_are_right_aligned(demo_url, publication_mode, arrow_log):
    at = open_page("pages/demographics.py", period="2026-27 Q2")
    at.radio(key="dm-scope").set_value("Section 42 enquiries concluded").run()
    table = next(d for d in at.dataframe if "Ethnic group" in d.value.columns)
    counts = table.value["Adults in safeguarding"]
    assert "[c]" in set(counts) and all(isinstance(v, str) for v in counts)  # text throughout, not mixed
    config = json.loads(table.proto.columns or "{}")
    aligned = {name for name, c in config.items() if c.get("alignment") == "right"}
    assert any(name.endswith("Adults in safeguarding") for name in aligned), config
    assert [m for m in arrow_log if "Arrow" in m or "convert" in m] == []
