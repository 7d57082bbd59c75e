"""Benchmark: users signing in and browsing while large returns load, on SQLite or PostgreSQL.

Five loader processes (`python -m assurance load`, as an analyst or a script would run them) each load a large
activity return while twenty simulated users, each in a thread of their own, sign in with a password, read
the Overview's scorecard, the submissions tracker and the audit trail, and sign out, again and again until
the loads are done. Every error is counted; none is expected. Prints latencies beside the time one user's
round takes on a quiet database, measured in the same run.

    python benchmarks/busy_service.py [--concerns 300000] [--loads 5] [--users 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "correct horse battery staple"
PERIOD = "2025-26 Q2"


def prepare_database(url: str, users: int) -> None:
    from assurance import config
    from assurance.access.accounts import UserInfo, create_user
    from assurance.db.bootstrap import init_database
    from assurance.db.engine import get_engine

    engine = get_engine(url)
    init_database(engine, config.load_board_config(), today=date(2026, 11, 23))
    setup = UserInfo(None, "benchmark", "benchmark", "admin")
    for k in range(users):
        create_user(engine, setup, f"user{k:02d}", f"User {k:02d}", "qa", password=PASSWORD)


def one_round(engine, username: str) -> dict[str, float]:
    """Sign in, open three pages' worth of reads, sign out; seconds per step."""
    from assurance.access import audit
    from assurance.access.accounts import authenticate
    from assurance.measures.compute import compute_figures, scorecard
    from assurance.returns.tracker import tracker_frame

    times = {}
    t = time.perf_counter()
    result = authenticate(engine, username, PASSWORD, "127.0.0.1")
    if result.user is None:
        raise RuntimeError(f"{username} could not sign in: {result.message}")
    times["sign in"] = time.perf_counter() - t
    t = time.perf_counter()
    scorecard(compute_figures(engine), PERIOD)
    tracker_frame(engine, PERIOD)
    audit.search(engine, limit=200)
    times["browse"] = time.perf_counter() - t
    t = time.perf_counter()
    audit.record(engine, username, audit.SIGN_OUT, username, None, "app", "127.0.0.1")
    times["sign out"] = time.perf_counter() - t
    return times


@dataclass
class BusyRun:
    backend: str
    loads: int
    concerns: int
    users: int
    loaded_in: float
    rounds: list[dict[str, float]]
    errors: list[str]
    failed_loads: list[str]
    quiet: dict[str, float]

    def report(self) -> str:
        lines = [f"{self.backend}: {self.loads} loads of {self.concerns:,} concerns with {self.users} users signing in "
                 "and browsing",
                 f"  loads done in {self.loaded_in:.1f} s; loads failed: {len(self.failed_loads)}",
                 f"  user rounds: {len(self.rounds)}; errors: {len(self.errors)}"]
        for step in self.quiet:
            values = sorted(r[step] for r in self.rounds) or [0.0]
            p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
            lines.append(f"  {step:9} median {statistics.median(values):6.2f} s  95th {p95:6.2f} s  "
                         f"worst {values[-1]:6.2f} s   (quiet: {self.quiet[step]:.2f} s)")
        lines += ["  error: " + e.strip().splitlines()[-1] for e in self.errors[:3]]
        lines += ["  load output: " + o.strip()[-300:] for o in self.failed_loads[:2]]
        return "\n".join(lines)


def run(url: str, workdir: Path, concerns: int, loads: int, users: int) -> BusyRun:
    """Load `loads` returns at once in processes of their own while `users` threads sign in and browse."""
    from assurance.db.engine import get_engine
    from tests.returns.builders import activity_sheets, fast_xlsx

    os.environ["ASSURANCE_DATABASE_URL"] = url
    prepare_database(url, users)
    engine = get_engine(url)
    data = fast_xlsx(activity_sheets(concerns))
    files = []
    for k in range(loads):
        path = workdir / f"LA {PERIOD} copy {k + 1}.xlsx"
        path.write_bytes(data)
        files.append(path)
    quiet_rounds = [one_round(engine, "user00") for _ in range(3)]
    quiet = {step: statistics.median(r[step] for r in quiet_rounds) for step in quiet_rounds[0]}

    env = {**os.environ, "ASSURANCE_DATABASE_URL": url}
    started = time.perf_counter()
    loaders = [subprocess.Popen([sys.executable, "-m", "assurance", "load", str(f)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for f in files]
    rounds: list[dict[str, float]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def user(k: int) -> None:
        while any(p.poll() is None for p in loaders):
            try:
                times = one_round(engine, f"user{k:02d}")
                with lock:
                    rounds.append(times)
            except Exception:  # noqa: BLE001 - every error is what this benchmark counts
                with lock:
                    errors.append(traceback.format_exc(limit=3))
            time.sleep(0.2)

    threads = [threading.Thread(target=user, args=(k,)) for k in range(users)]
    for t in threads:
        t.start()
    outputs = [p.communicate()[0] for p in loaders]
    loaded_in = time.perf_counter() - started
    for t in threads:
        t.join()
    engine.dispose()
    return BusyRun("PostgreSQL" if url.startswith("postgresql") else "SQLite", loads, concerns, users, loaded_in,
                   rounds, errors, [o for p, o in zip(loaders, outputs) if p.returncode != 0], quiet)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--concerns", type=int, default=300_000, help="concerns in each return")
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--database-url", help="an empty database to use (default: a new SQLite file)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/busy.db"
        print(f"Loading {args.loads} returns of {args.concerns:,} concerns ...", flush=True)
        result = run(url, Path(tmp), args.concerns, args.loads, args.users)
    print(result.report())
    return 1 if result.errors or result.failed_loads else 0


if __name__ == "__main__":
    sys.exit(main())
