"""Benchmark: validate and load a 100,000-concern activity return, beside the raw floor measured in the same run.

Floor = pandas.read_excel(engine="calamine") of the same file + a bare sqlite3 executemany of the same rows
into empty SQLite tables. Goal: our load <= 1.5 x floor.

    python benchmarks/load_activity.py [--concerns 100000] [--repeat 3] [--clean-only] [--profile]

It measures a clean return and a messy one of the same size (title and blank rows, a Total row, 30% of dates
typed as text, IDs in lower case with stray spaces, police ethnicity codes, variant labels), each beside its
own floor; --clean-only leaves out the messy one; --profile profiles the messy one (or the clean one).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from assurance import config  # noqa: E402
from assurance.db.bootstrap import init_database  # noqa: E402
from assurance.db.engine import make_engine  # noqa: E402
from assurance.returns.load import load_prepared  # noqa: E402
from assurance.returns.validate import prepare  # noqa: E402
from tests.returns.builders import (CONCERN_HEADERS, ENQUIRY_HEADERS, concern_rows, enquiry_rows,  # noqa: E402
                                    fast_xlsx, messy_activity_sheets)


def floor(path: Path, workdir: Path, k: int) -> float:
    started = time.perf_counter()
    frames = pd.read_excel(path, engine="calamine", sheet_name=None)
    db = sqlite3.connect(workdir / f"floor{k}.db")
    for name, df in frames.items():
        cols = ", ".join(f'"c{j}"' for j in range(df.shape[1]))
        db.execute(f'CREATE TABLE "{name}" ({cols})')
        for c in df.columns:  # sqlite3 binds str, not Timestamp
            if df[c].dtype.kind == "M":
                df[c] = df[c].dt.strftime("%Y-%m-%d")
        rows = list(df.astype(object).where(df.notna(), None).itertuples(index=False, name=None))
        db.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * df.shape[1])})', rows)
    db.commit()
    db.close()
    return time.perf_counter() - started


def ours(data: bytes, name: str, workdir: Path, k: int) -> tuple[float, float, int]:
    engine = make_engine(f"sqlite:///{workdir / f'ours{k}.db'}")
    init_database(engine, config.load_board_config(), today=date(2026, 11, 23))
    started = time.perf_counter()
    prepared = prepare(data, name, engine)
    validated = time.perf_counter()
    result = load_prepared(prepared, engine, "benchmark", source="cli")
    done = time.perf_counter()
    assert result.loaded, result.report.headline()
    engine.dispose()
    return validated - started, done - started, result.rows_loaded


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concerns", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--clean-only", action="store_true", help="leave out the messy return of the same size")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    concerns = concern_rows(args.concerns)
    enquiries = enquiry_rows(concerns)
    returns = {"clean": fast_xlsx({"Concerns": [CONCERN_HEADERS, *concerns], "Enquiries": [ENQUIRY_HEADERS, *enquiries]})}
    if not args.clean_only:
        returns["messy"] = fast_xlsx(messy_activity_sheets(args.concerns, seed=1))
    name = "LA 2025-26 Q2 activity.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print(f"Return: {len(concerns):,} concerns + {len(enquiries):,} enquiries", flush=True)
        if args.profile:
            import cProfile
            import pstats

            data = returns["clean" if args.clean_only else "messy"]
            cProfile.runctx("ours(data, name, workdir, 99)", globals(), locals(), str(workdir / "prof"))
            pstats.Stats(str(workdir / "prof")).sort_stats("cumulative").print_stats(45)
            return
        for kind, data in returns.items():
            path = workdir / f"{kind} {name}"
            path.write_bytes(data)
            floors, validates, loads = [], [], []
            for k in range(args.repeat):
                floors.append(floor(path, workdir, k))
                v, total, rows = ours(data, name, workdir, k)
                validates.append(v)
                loads.append(total)
            f, v, t = statistics.median(floors), statistics.median(validates), statistics.median(loads)
            print(f"{kind} return, {len(data) / 1e6:.1f} MB", flush=True)
            print(f"  floor (read_excel calamine + bare executemany): {f:6.2f} s   runs {', '.join(f'{x:.2f}' for x in floors)}")
            print(f"  validate (read, clean, rules):                  {v:6.2f} s   runs {', '.join(f'{x:.2f}' for x in validates)}")
            print(f"  validate + load (one transaction, {rows:,} rows): {t:6.2f} s   runs {', '.join(f'{x:.2f}' for x in loads)}")
            print(f"  ratio load / floor: {t / f:.2f} (goal <= 1.5)", flush=True)
            for k in range(args.repeat):
                for db in (workdir / f"floor{k}.db", workdir / f"ours{k}.db"):
                    db.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
