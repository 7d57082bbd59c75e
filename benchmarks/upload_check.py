"""Benchmark: where the time goes when a small return is checked, beside floors measured in the same run.

Prints wall-clock and CPU seconds (this process, and the reader processes it started) for:
- the floor: starting a bare Python process;
- a guarded read of a 4-row return (one reader process), three times;
- the first check of a 4-row return in a fresh process (imports included) and a second check in the same process;
- a 45-byte text file named .xlsx, with the readers free and with every reader slot held by another load.

    python benchmarks/upload_check.py
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEXT = b"just some text pretending to be a workbook.\n"


def cpu() -> tuple[float, float]:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def timed(label: str, fn) -> None:
    c0, w0 = cpu(), time.perf_counter()
    outcome = fn()
    wall, c1 = time.perf_counter() - w0, cpu()
    print(f"{label:<58} wall {wall:6.2f} s   cpu here {c1[0] - c0[0]:5.2f} s   cpu in readers {c1[1] - c0[1]:5.2f} s"
          + (f"   ({outcome})" if outcome else ""))


def first_check_in_a_fresh_process(url: str) -> None:
    """Run in a child: the imports and the first and second checks of a 4-row return."""
    t0 = time.perf_counter()
    from assurance.db.engine import get_engine
    from assurance.returns.validate import prepare, preview
    from tests.returns.builders import measure_sheets, xlsx

    engine = get_engine(url)
    data = xlsx({"Measures": measure_sheets()["Measures"][:5]})
    print(f"  {'imports':<56} wall {time.perf_counter() - t0:6.2f} s")
    for k in ("first", "second"):
        timed(f"  {k} check of a 4-row return", lambda: preview(prepare(data, "POL 2025-26 Q2.xlsx", engine), engine).status)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        first_check_in_a_fresh_process(sys.argv[2])
        return
    from datetime import date

    from assurance import config
    from assurance.db.bootstrap import init_database
    from assurance.db.engine import get_engine
    from assurance.returns import guard
    from assurance.returns.read import ReadError, read_bytes
    from tests.returns.builders import measure_sheets, xlsx

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    timed("floor: start a bare Python process", lambda: subprocess.run([sys.executable, "-c", "pass"]) and None)
    small = xlsx({"Measures": measure_sheets()["Measures"][:5]})
    for k in range(3):
        timed(f"guarded read of a 4-row return ({k + 1})", lambda: read_bytes(small, "POL.xlsx").kind)

    def refused() -> str:
        try:
            read_bytes(TEXT, "POL 2026-27 Q2.xlsx")
        except ReadError:
            return "refused"
        return "read"

    timed("45-byte text named .xlsx, readers free", refused)
    held = [guard._slots.take(), guard._slots.take()]
    try:
        timed("45-byte text named .xlsx, every reader busy", refused)
    finally:
        for slot in held:
            guard._slots.give_back(slot)

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        init_database(get_engine(url), config.load_board_config(), today=date(2026, 11, 23))
        print("in a fresh process:")
        c0, w0 = cpu(), time.perf_counter()
        subprocess.run([sys.executable, __file__, "--child", url], check=True)
        print(f"  {'the whole child (start-up, imports, two checks)':<56} wall {time.perf_counter() - w0:6.2f} s   "
              f"cpu in children {cpu()[1] - c0[1]:5.2f} s")


if __name__ == "__main__":
    main()
