"""Making Data Count in the board pack: the scorecard's Variation and Assurance, in words and as icons."""

import io
import re
from datetime import date

import pytest

from assurance.board.pack import build_pack
from assurance.board.render import ChartImages, render_pdf

PERIOD = "2026-27 Q2"
ASSURANCES = {"Consistently passing": "P", "Consistently failing": "F", "Hit and miss": "?"}


@pytest.fixture(scope="module")
def pack(databases, demo_db):
    from assurance.db.engine import get_engine

    databases.release(demo_db[0])
    return build_pack(get_engine(databases.new(template=demo_db[0])), PERIOD, date(2026, 11, 23))


def scorecard(pack):
    return next(t for s in pack.sections for t in s.tables if t.title.startswith("Scorecard")).frame


def test_scorecard_has_variation_and_assurance_for_every_measure(pack):
    table = scorecard(pack)
    assert {"Variation", "Assurance"} <= set(table.columns)
    # Every measure has a variation type or "Too few quarters", but for a figure withheld in publication mode:
    # variation is judged on the latest quarter.
    blank = table["Variation"] == ""
    # (a four-quarter measure is judged on its latest quarter's own figure, which may be withheld when the
    # four-quarter figure is not)
    four_quarter = table["Measure"].str.contains("Audit|SAR actions")
    assert blank.sum() < len(table) and ((table["Value"] == "[c]") | four_quarter)[blank].all()
    row = table[table["Measure"] == "Concern decisions within 2 working days"].iloc[0]
    assert (row["Variation"], row["Assurance"]) == ("Special cause concerning (low)", "Hit and miss")
    key = dict(pack.key[1:])
    assert "Common cause (grey ring)" in key["Variation"] and "improving (blue" in key["Variation"]
    assert "hit and miss (?)" in key["Assurance"]


def test_pdf_draws_the_icons_beside_the_words(pack):
    from pypdf import PdfReader

    pdf = render_pdf(pack, ChartImages(pack))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    table = scorecard(pack)
    # Each assurance icon's letter is drawn just before its words in the cell.
    for words, letter in ASSURANCES.items():
        shown = (table["Assurance"] == words).sum()
        assert len(re.findall(re.escape(letter) + r"\s+" + words.replace(" ", r"\s+"), text)) == shown, words
    assert len(re.findall(r"L\s+Special\s+cause\s+concerning\s+\(low\)", text)) == (
        table["Variation"] == "Special cause concerning (low)").sum() >= 1
