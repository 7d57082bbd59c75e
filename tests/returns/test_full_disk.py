"""A load onto a really full disk: a SQLite database on a small tmpfs, mounted in a private mount namespace
(so nothing outside the test sees it), filled by a return too big for the space left. The user gets one plain
message, the earlier return stays in use, and the failure is in the audit trail."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import require
from tests.returns.builders import activity_sheets, fast_xlsx

ROOT = Path(__file__).resolve().parents[2]
PERIOD = "2025-26 Q2"

DRIVER = textwrap.dedent("""
    import json, subprocess, sys
    from sqlalchemy import func, select
    from assurance.access import audit
    from assurance.db.engine import get_engine
    from assurance.db.models import Concern, Submission

    def cli(*args):
        done = subprocess.run([sys.executable, "-m", "assurance", *args], capture_output=True, text=True)
        return {"code": done.returncode, "out": done.stdout, "err": done.stderr}

    steps = {"init": cli("init-db"), "first": cli("load", sys.argv[1]), "second": cli("load", sys.argv[2])}
    engine = get_engine()
    with engine.connect() as c:
        steps["submissions"] = [tuple(r) for r in c.execute(select(Submission.status, Submission.row_count)
                                                            .order_by(Submission.id)).all()]
        steps["concerns"] = c.scalar(select(func.count()).select_from(Concern))
    failed = audit.search(engine, action=audit.LOAD_FAILED)
    steps["audited"] = list(failed["Details"])
    print(json.dumps(steps))
""")


def test_a_load_onto_a_full_disk_rolls_back_and_says_so_plainly(tmp_path):
    require(os.geteuid() == 0 and shutil.which("unshare") is not None and shutil.which("mount") is not None,
            "needs root, unshare and mount to make a small full filesystem")
    disk = tmp_path / "disk"
    disk.mkdir()
    small, big = tmp_path / f"LA {PERIOD}.xlsx", tmp_path / f"LA {PERIOD} resubmitted.xlsx"
    small.write_bytes(fast_xlsx(activity_sheets(50)))
    big.write_bytes(_packed(fast_xlsx(activity_sheets(60_000))))  # the file fits; its rows do not
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    env = {**os.environ, "ASSURANCE_DATABASE_URL": f"sqlite:///{disk}/assurance.db",
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    script = f'mount -t tmpfs -o size=8m tmpfs "{disk}" && exec "{sys.executable}" "{driver}" "{small}" "{big}"'
    done = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    require(done.returncode == 0 or "mount" not in done.stderr, f"cannot mount a tmpfs here: {done.stderr[-300:]}")
    assert done.returncode == 0, done.stderr[-3000:]
    steps = json.loads(done.stdout.splitlines()[-1])
    assert steps["init"]["code"] == 0 and steps["first"]["code"] == 0, steps
    second = steps["second"]
    assert second["code"] == 1
    said = second["out"] + second["err"]
    assert "Traceback" not in said and "sqlite3" not in said and "OperationalError" not in said, said
    assert "could not be stored (database or disk is full). Nothing was changed" in said
    assert steps["submissions"] == [["accepted", 50 + _enquiries(50)]]
    assert steps["concerns"] == 50
    assert len(steps["audited"]) == 1 and "disk is full" in steps["audited"][0]


def _packed(data: bytes) -> bytes:
    """The same workbook, compressed as tightly as zip allows."""
    import io
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for item in src.infolist():
            z.writestr(item.filename, src.read(item))
    return out.getvalue()


def _enquiries(n: int) -> int:
    return len(activity_sheets(n)["Enquiries"]) - 1
