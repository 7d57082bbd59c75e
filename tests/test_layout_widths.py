"""Column widths for the screen's grid: the estimate of a text's width never falls short of the browser's own."""

import pandas as pd

from assurance.layout import MARGIN, PADDING, column_width, column_widths, text_width

# Widths in pixels measured by Chromium (canvas measureText, 400 14px "Source Sans", the grid's font).
MEASURED = {
    "Adults lacking capacity supported by an advocate, family or friend": 383.2,
    "Deprivation of Liberty Safeguards applications made": 305.6,
    "Audits good or better: Outcome for the adult": 257.9,
    "Audits good or better: Partnership working": 247.9,
    "Audited cases graded good or better": 210.3,
    "Safeguarding concerns received": 185.3,
    "Requires improvement": 133.4,
    "Demo Mental Health NHS Foundation Trust": 250.4,
    "AUD-2026-27-Q1-04": 114.4,
    "Rank among partners": 125.6,
    "small number": 80.9,
    "not collected": 75.8,
    "Last 8 quarters": 86.2,
    "1,234.5": 41.8,
    "Target": 36.7,
}


def test_a_column_is_never_narrower_than_the_browser_draws_its_text():
    for text, width in MEASURED.items():
        assert width + PADDING <= column_width([text]) <= width * 1.08 + PADDING + MARGIN, text
        assert abs(text_width(text) - width) <= max(4, width * 0.05), text  # close: no wider than need be


def test_a_column_is_as_wide_as_its_longest_text_or_its_header():
    longest = "Adults lacking capacity supported by an advocate, family or friend"
    assert column_width(["Short", longest, None], "Measure") >= MEASURED[longest] + PADDING
    assert column_width(["", "1"], "Last 8 quarters") >= MEASURED["Last 8 quarters"] + PADDING
    frame = pd.DataFrame({"RAG": ["Red", "small number"], "Rank among partners": ["1 of 10", ""]})
    widths = column_widths(frame, ["RAG", "Rank among partners"], {"Rank among partners": "Rank"})
    assert widths["RAG"] >= MEASURED["small number"] + PADDING
    assert widths["Rank among partners"] < MEASURED["Rank among partners"] + PADDING  # the short label is drawn
