"""Text people type is stored through bound parameters, shown as text (never HTML or Markdown), and exported
so that no spreadsheet runs it as a formula."""

import io
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from assurance.board import challenges as ch
from assurance.db.engine import get_engine
from assurance.db.models import Challenge
from streamlit.testing.v1 import AppTest
from tests.pages.helpers import APP, open_page, sign_in

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ("=HYPERLINK(\"http://evil.invalid\",\"Open\") <img src=x onerror=alert(1)> **bold** "
           "[link](http://evil.invalid) '; DROP TABLE challenges; --")


def test_no_page_renders_html():
    sources = [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]
    assert sources and not [p.name for p in sources if "unsafe_allow_html" in p.read_text()]


def test_a_hostile_challenge_is_stored_shown_and_exported_as_plain_text(demo_copy_url):
    engine = get_engine(demo_copy_url)
    at = open_page("pages/challenges.py", partner="POL", role="qa")
    at.text_area(key="q-log").input(HOSTILE)
    next(b for b in at.button if b.label == "Raise challenge").click()
    at.run()
    assert not at.exception
    with engine.connect() as c:
        stored = c.scalar(select(Challenge.question).where(Challenge.question == HOSTILE))
        assert c.scalar(select(func.count()).select_from(Challenge)) >= 1
    assert stored == HOSTILE  # stored exactly; the challenges table is still there
    log = ch.challenge_log(engine, date.today())
    row = log[log["Question"] == HOSTILE].iloc[0]
    at = open_page("pages/challenges.py", partner="POL", role="qa")
    at.selectbox(key="ch-pick").select(row["No."]).run()
    assert HOSTILE in [t.value for t in at.text]  # st.text: shown literally, never as Markdown or HTML
    assert not [m.value for m in at.markdown if "<img" in m.value or "](http://evil" in m.value]
    cells = [c for r in load_workbook(io.BytesIO(ch.log_workbook(log))).active.iter_rows() for c in r]
    assert HOSTILE in [c.value for c in cells] and not [c for c in cells if c.data_type == "f"]


def test_a_name_with_markdown_is_escaped_in_the_sidebar(demo_copy_url):
    from assurance.access.accounts import UserInfo, create_user

    eve = create_user(get_engine(demo_copy_url), UserInfo(None, "setup", "setup", "admin"), "eve",
                      "**Eve** [x](http://evil.invalid) <b>hi</b>", "qa")
    at = sign_in(AppTest.from_file(APP, default_timeout=60), eve).run()
    shown = [m.value for m in at.sidebar.markdown if "Eve" in m.value]
    assert shown == [r"**\*\*Eve\*\* \[x\]\(http://evil\.invalid\) \<b\>hi\</b\>**  " + "\nQA member"]
