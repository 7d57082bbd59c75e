"""Text people type is stored through bound parameters, shown as text (never HTML or Markdown), and exported
so that no spreadsheet runs it as a formula."""

import io
import re
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from assurance.board import challenges as ch
from assurance.db.engine import get_engine
from assurance.db.models import Challenge
from streamlit.testing.v1 import AppTest
from tests.pages.helpers import APP, open_page, sign_in, user_for_role

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
    assert shown == [r"**\*\*Eve\*\* \[x\]\(http\:\/\/evil\.invalid\) \<b\>hi\<\/b\>**  " + "\nQA member"]


# Names and text a person typed that Markdown would turn into a live link, an image, HTML, an icon, a colour or LaTeX.
HOSTILE_FILE = "[Your return failed - re-upload it here](https:127.0.0.1:9) POL 2025-26 Q2.xlsx"
HOSTILE_NAME = "[Sign in again](http://evil.invalid) :material/warning: :red[Police] $x^2$ <b>hi</b> :smile: www.evil.invalid"
HOSTILE_NOTE = "[Open the report](http://evil.invalid) ![x](http://evil.invalid/p.png) :blue-badge[urgent] $\\frac{1}{2}$ \\*"
RAW = ("](http", "<b>", ":red[", ":material/warning:", ":smile:", "$x^2$", ":blue-badge[", "$\\frac")


def _markdown_bodies(at) -> str:
    """Every text on the page that Streamlit renders as Markdown: bodies, alerts, expander and metric labels."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
    return "\n".join([str(e.value) for k in kinds for e in getattr(at, k)]
                     + [e.label for e in at.expander] + [m.label for m in at.metric])


def _shown_literally(at, *typed: str) -> None:
    import ui

    assert not at.exception, [e.message for e in at.exception]
    bodies = _markdown_bodies(at)
    assert not [r for r in RAW if r in bodies], bodies
    for text in typed:
        assert ui.plain(text) in bodies


def test_plain_escapes_everything_markdown_would_act_on():
    import ui

    escaped = ui.plain("a [b](http://c) ![i](j) <b>x</b> :material/home: :red[r] $x$ `c` \\ & @ :+1: ~s~ | # *")
    assert re.fullmatch(r"(?:\\[!-/:-@\[-`{-~]|[^!-/:-@\[-`{-~])*", escaped)  # every punctuation mark escaped
    assert ":material/" not in escaped.replace("\\", "") and ":+1:" not in escaped.replace("\\", "")  # joiner inside
    assert escaped.replace("\\", "").replace("\u2060", "") == \
        "a [b](http://c) ![i](j) <b>x</b> :material/home: :red[r] $x$ `c`  & @ :+1: ~s~ | # *"
    # A product message keeps its quoted values as code, whatever they hold.
    assert ui.message("Gender `[x](http://e)` is not in the list.") == "Gender `[x](http://e)` is not in the list\\."
    assert ui.message("One ` backtick [x](http://e)") == "One \\` backtick \\[x\\]\\(http\\:\\/\\/e\\)"


def test_hostile_file_partner_commentary_and_challenge_are_shown_as_text(engine):
    from sqlalchemy import update

    from assurance.db.models import Partner
    from assurance.returns.load import load_bytes
    from tests.pages.helpers import open_page
    from tests.returns.builders import measure_sheets, xlsx

    with engine.begin() as c:
        c.execute(update(Partner).where(Partner.code == "POL").values(name=HOSTILE_NAME))
    sheets = measure_sheets()
    sheets["Measures"][1][3] = HOSTILE_NOTE
    data = xlsx(sheets)
    assert load_bytes(data, HOSTILE_FILE, engine, "tester").loaded
    ch.raise_challenge(engine, partner_code="POL", question=HOSTILE_NOTE, by=user_for_role("chair"),
                       evidence=ch.Evidence(period="2025-26 Q2"), source="partner view")

    at = open_page("pages/upload.py", role="chair")
    at.file_uploader[0].upload(HOSTILE_FILE, data, "application/octet-stream").run()
    _shown_literally(at, HOSTILE_FILE, HOSTILE_NAME)
    assert "already has a partner assurance return in use" in _markdown_bodies(at)

    at = open_page("pages/partner_view.py", period="2025-26 Q2", partner="POL")
    _shown_literally(at, HOSTILE_NAME)
    assert HOSTILE_NOTE in [t.value for t in at.text]  # commentary: st.text

    at = open_page("pages/overview.py", period="2025-26 Q2", partner="POL")
    _shown_literally(at, HOSTILE_NAME)

    at = open_page("pages/challenges.py", period="2025-26 Q2", partner="POL")
    _shown_literally(at, HOSTILE_NAME)
    assert HOSTILE_NOTE in [t.value for t in at.text]

    at = open_page("pages/submissions.py", period="2025-26 Q2", partner="POL")
    _shown_literally(at, HOSTILE_NAME)
    assert HOSTILE_FILE in at.dataframe[1].value["File"].tolist()
