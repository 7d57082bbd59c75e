"""Benchmark: the computations behind each page, and the measures command, on a million-concern demo.

Prints each timing beside a floor measured in the same run (one GROUP BY period, partner count over
concerns). Goal: every page's computations under 1 second on SQLite, none loading whole fact tables.

    python benchmarks/measures.py [--db /tmp/bench1m.db] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/tmp/bench1m.db", help="SQLite file for the benchmark database")
    ap.add_argument("--rebuild", action="store_true", help="build the million-concern demo even if the file exists")
    ap.add_argument("--concerns-per-quarter", type=int, default=83_334)
    args = ap.parse_args()
    url = f"sqlite:///{args.db}"
    os.environ["ASSURANCE_DATABASE_URL"] = url

    from sqlalchemy import func, select, text

    from assurance import config
    from assurance.analysis import breakdowns as bd
    from assurance.board.pack import build_pack
    from assurance.db.bootstrap import init_database
    from assurance.db.engine import get_engine
    from assurance.db.models import Concern
    from assurance.demo import DemoSpec, build_demo
    from assurance.directory import list_partners, list_periods
    from assurance.measures.compute import compute_figures, period_figures, scorecard, scorecard_frame

    engine = get_engine(url)
    if args.rebuild or not Path(args.db).exists():
        print(f"Building the demo ({args.concerns_per_quarter:,} concerns a quarter) ...", flush=True)
        build_demo(engine, config.board(), DemoSpec(concerns_per_quarter=args.concerns_per_quarter))
    init_database(engine, config.board())  # brings an older benchmark file up to date
    with engine.connect() as c:
        n = c.scalar(select(func.count()).select_from(Concern))
    periods = list_periods(engine)
    last = [p for p in periods if p.label][-1]
    window = [p.id for p in periods[-4:]]
    la = next(p for p in list_partners(engine) if "activity" in p.returns)
    print(f"Database: {args.db}, {n:,} concerns; period {last.label}")

    def floor():
        with engine.connect() as c:
            c.execute(text("SELECT period_id, partner_id, count(*) FROM concerns GROUP BY period_id, partner_id")).all()

    pages = {
        "Overview (all measures, every period, scorecard)": lambda: scorecard_frame(
            scorecard(compute_figures(engine), last.label), False, with_trend=True),
        "Concerns and enquiries": lambda: (
            bd.concerns_by(engine, "referral_source", last.id), bd.enquiries_by(engine, "risk_assessment_outcome", last.id),
            [bd.risk_categories(engine, d, last.id) for d in ("type", "location", "source")], bd.s42_concluded(engine, last.id)),
        "Demographics (concerns)": lambda: (
            bd.individuals_by(engine, "age_band", last.id), bd.individuals_by(engine, "gender", last.id),
            bd.individuals_by(engine, "ethnicity_broad", last.id), bd.recording_completeness(engine, last.id)),
        "Demographics (S42 enquiries)": lambda: (
            bd.individuals_by(engine, "age_band", last.id, "s42"), bd.individuals_by(engine, "gender", last.id, "s42"),
            bd.individuals_by(engine, "ethnicity_broad", last.id, "s42")),
        "MSP and risk outcomes": lambda: (
            [bd.enquiries_by(engine, col, last.id) for col in ("msp_asked", "msp_achieved", "risk_outcome", "lacked_capacity",
                                                                "felt_safer", "capacity_support")],
            bd.outcomes_by_group(engine, "age_band", window)),
        "MSP and risk outcomes, tables for the quarter only": lambda: [
            bd.enquiries_by(engine, col, last.id) for col in ("msp_asked", "msp_achieved", "risk_outcome", "lacked_capacity",
                                                              "felt_safer", "capacity_support")],
        "Audits": lambda: (bd.audit_grades(engine, window), bd.audit_grades(engine, window, "theme"),
                           bd.audit_findings(engine, window, "capacity")),
        "Partner view (the council, and ten partners compared)": lambda: [
            compute_figures(engine, p.code) for p in list_partners(engine)],
        "measures command, whole Board": lambda: period_figures(engine, last.label),
        f"measures command, one partner ({la.code})": lambda: period_figures(engine, last.label, la.code),
    }
    base = timed(floor)
    print(f"\n{'computation':<58}{'median s':>10}{'x floor':>9}")
    print(f"{'floor: GROUP BY period, partner count over concerns':<58}{base:>10.3f}{1:>9.1f}")
    worst = 0.0
    for name, fn in pages.items():
        t = timed(fn)
        worst = max(worst, t)
        print(f"{name:<58}{t:>10.3f}{t / base:>9.1f}")
    t = timed(lambda: build_pack(engine, last.label, __import__("datetime").date.today()), repeat=1)
    print(f"{'board pack content (no rendering)':<58}{t:>10.3f}{t / base:>9.1f}")
    print(f"\nSlowest page: {worst:.3f} s (goal: under 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
