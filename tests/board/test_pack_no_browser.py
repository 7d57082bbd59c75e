"""The board pack needs no browser: `python -m assurance report` on a machine where Chromium cannot be run finishes,
with every chart drawn, in the PDF and in the slides.

Chromium is hidden the way the tech notes give: as root, in a private mount namespace, /dev/null is mounted over
/usr/bin/chromium, so no executable browser is found (before, the command waited for ever on kaleido).
"""

import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
PERIOD = "2026-27 Q2"
TODAY = date(2026, 11, 23)


def without_browser(*command: str) -> list[str]:
    return ["unshare", "-m", "--propagation", "private", "sh", "-c",
            f'mount --bind /dev/null {CHROMIUM} && exec "$@"', "sh", *command]


@pytest.fixture(scope="module")
def demo_copy(databases, demo_db):
    require(os.geteuid() == 0 and shutil.which("unshare") is not None and CHROMIUM.exists(),
            "hiding the browser needs root, unshare and /usr/bin/chromium to hide")
    databases.release(demo_db[0])
    return databases.new(template=demo_db[0])


def test_the_browser_is_really_hidden(demo_copy):
    seen = subprocess.run([str(CHROMIUM), "--headless=new", "--no-sandbox", "--version"], capture_output=True, timeout=60)
    hidden = subprocess.run(without_browser(str(CHROMIUM), "--version"), capture_output=True, timeout=60)
    assert seen.returncode == 0 and hidden.returncode != 0


@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_report_without_a_browser_draws_every_chart(demo_copy, tmp_path, fmt):
    from assurance.board.pack import build_pack
    from assurance.db.engine import get_engine

    charts = sum(len(s.charts) for s in build_pack(get_engine(demo_copy), PERIOD, TODAY).sections)
    assert charts > 12
    out = tmp_path / f"pack.{fmt}"
    env = {**os.environ, "ASSURANCE_DATABASE_URL": demo_copy}
    done = subprocess.run(without_browser(sys.executable, "-m", "assurance", "report", "--period", PERIOD,
                                          "--date", TODAY.isoformat(), "--out", str(out), "--quiet"),
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    content = out.read_bytes()
    if fmt == "pdf":
        from pypdf import PdfReader

        pictures = sum(len(page.images) for page in PdfReader(io.BytesIO(content)).pages)
    else:
        from pptx import Presentation
        from pptx.enum.shapes import MSO_SHAPE_TYPE

        slides = Presentation(io.BytesIO(content)).slides
        pictures = sum(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slides for sh in s.shapes)
    assert pictures == charts
