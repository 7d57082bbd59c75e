"""The Overview page shows QA commentary whose figure a resubmission changed, and QA confirms it there."""

import pandas as pd

from assurance.board.commentary import add_commentary, qa_commentary
from assurance.db.engine import get_engine
from assurance.returns.load import load_bytes
from tests.pages.helpers import open_page, texts, user_for_role
from tests.returns.builders import Q2, activity_sheets, xlsx


def test_qa_confirms_commentary_after_a_resubmission(demo_copy_url, fresh_caches):
    engine = get_engine(demo_copy_url)
    add_commentary(engine, "concerns", Q2.label, "Referrals from the acute trust fell.", user_for_role("qa"))
    assert load_bytes(xlsx(activity_sheets(12)), "LA 2025-26 Q2 v2.xlsx", engine, "tester").loaded
    at = open_page("pages/overview.py", period=Q2.label, role="qa")
    at.selectbox(key="ov-measure").select("concerns").run()
    warning = " ".join(w.value for w in at.warning).replace("\\", "")  # markdown escapes aside
    assert "Referrals from the acute trust fell. — Written when the figure was" in warning and "it is now 12" in warning
    scorecard = pd.concat([d.value for d in at.dataframe if "QA commentary" in d.value]).set_index("Measure")
    assert "Written when the figure was" in scorecard.loc["Safeguarding concerns received", "QA commentary"]
    next(b for b in at.button if b.label == "Confirm the commentary against today's figure").click()
    at.run()
    assert not at.exception and not any("Written when" in w.value for w in at.warning)
    latest = qa_commentary(engine, Q2.label)["concerns"][0]
    assert (latest.text, latest.author, latest.numerator) == ("Referrals from the acute trust fell.", "qa", 12)
    concerns = [line for line in texts(at).splitlines() if "Safeguarding concerns received" in line]
    assert concerns and not any("Written when" in line for line in concerns)
