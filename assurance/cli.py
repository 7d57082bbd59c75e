"""The command line: `python -m assurance COMMAND`. Thin, like the pages: parse, call assurance, print.

Exit codes: 0 done, 1 the work failed (message printed, nothing half-done), 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from assurance import config
from assurance.access import commands as _access
from assurance.access.roles import AccessDenied
from assurance.cli_support import CommandError, acting_user, check, database_engine, partner_for, print_table
from assurance.errors import AssuranceError
from assurance.returns import commands as returns_cli


# --- commands ---------------------------------------------------------------------------------


def cmd_init_db(args) -> int:
    from assurance.db.bootstrap import init_database

    check(args, "manage_partners")
    result = init_database(database_engine(), config.board())
    print(f"Database ready at {database_engine().url.render_as_string(hide_password=True)}")
    print(
        f"Partners: {result.partners_added} added, {result.partners_updated} updated. "
        f"Periods {result.first_period} to {result.last_period} ({result.periods_added} added)."
    )
    from assurance.access.demo_accounts import ensure_demo_accounts

    if made := ensure_demo_accounts(database_engine()):  # demo Boards only
        print(f"Demo accounts created: {', '.join(made)} (see README).")
    return 0


def cmd_demo(args) -> int:
    from assurance.demo import DemoSpec, build_demo, database_is_empty

    engine = database_engine()
    check(args, "manage_partners")
    if args.if_empty and not config.board().demo:
        print("This Board is not in demo mode (demo = false in board.toml): no synthetic data is built.")
        return 0
    if args.if_empty and not database_is_empty(engine):
        print("The database already holds data; leaving it as it is (drop --if-empty to rebuild it).")
        return 0
    if args.quarters < 2 or args.concerns_per_quarter < 1:
        raise CommandError("--quarters must be at least 2 and --concerns-per-quarter at least 1.")
    spec = DemoSpec(seed=args.seed, quarters=args.quarters, concerns_per_quarter=args.concerns_per_quarter)

    def progress(fraction: float, message: str) -> None:
        if not args.quiet:
            print(f"[{fraction:4.0%}] {message}", flush=True)

    s = build_demo(engine, config.board(), spec, progress)
    print(
        f"Synthetic demo Board built in {s.seconds:.1f}s: {s.partners} partners, {s.first_period} to {s.last_period}, "
        f"{s.concerns:,} concerns, {s.enquiries:,} concluded enquiries, {s.risk_items:,} risk details, "
        f"{s.assurance_rows:,} assurance figures, {s.audit_rows:,} audit results, {s.submissions:,} submissions."
    )
    return 0


def cmd_partners(args) -> int:
    from assurance.directory import list_partners

    check(args, "view_figures", any_partner=True)
    partners = list_partners(database_engine())
    if not partners:
        raise CommandError("No partners in the database yet: run `python -m assurance init-db` first.")
    rows = [{"code": p.code, "name": p.name, "type": p.type} for p in partners]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    else:
        print_table(rows, ["code", "name", "type"])
    return 0


def cmd_measures(args) -> int:
    import csv

    from assurance.disclosure import publish_for
    from assurance.measures.compute import period_figures, published_json
    from assurance.numbers import fmt

    user = acting_user(args)
    partner = partner_for(args, user, args.partner)
    check(args, "view_figures", partner.id if partner else None)
    figures = period_figures(database_engine(), args.period, partner.code if partner else None)
    publish = publish_for(user, config.board().publication_mode, "cli")
    rows = [published_json(f, publish) for f in figures]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["measure"])
        writer.writeheader()
        writer.writerows(rows)
    else:
        shown = [
            {**r, "value": "" if r["value_shown"] is None else (r["value_shown"] if isinstance(r["value_shown"], str) else
                                                                fmt(r["value_shown"])), "rag": (r["rag"] or "").upper()
             or ("small number" if f.small else "")}
            for r, f in zip(rows, figures)
        ]
        print_table(shown, ["measure", "name", "numerator", "denominator", "value", "unit", "target", "rag"])
    return 0


def cmd_report(args) -> int:
    from datetime import date

    from assurance.board.pack import build_pack
    from assurance.board.render import render

    user = check(args, "board_packs")
    if args.issue:
        if user is None:
            raise CommandError("Say who issues the pack with --as (the chair): an issued pack records who issued it.")
        check(args, "issue_packs")
    out = args.out
    fmt = out.rsplit(".", 1)[-1].lower() if "." in out else ""
    if fmt not in ("pdf", "pptx", "xlsx"):
        raise CommandError("--out must end in .pdf, .pptx or .xlsx.")
    today = date.fromisoformat(args.date) if args.date else date.today()

    def progress(fraction: float, message: str) -> None:
        if not args.quiet:
            print(f"[{fraction:4.0%}] {message}", flush=True)

    from assurance.disclosure import publish_for

    publish = publish_for(acting_user(args), config.board().publication_mode, "pack")  # a pack always is
    pack = build_pack(database_engine(), args.period, today, publish=publish, progress=progress)
    content = render(pack, fmt, progress)
    try:
        with open(out, "wb") as f:
            f.write(content)
    except OSError as exc:
        raise CommandError(f"Could not write {out}: {exc.strerror}.") from exc
    print(f"Board pack for {pack.period_label} written to {out} ({len(content):,} bytes, publication mode: "
          "small numbers suppressed).")
    if args.issue:
        from assurance.board.issued import issue_pack

        kept = issue_pack(database_engine(), user, pack, fmt, content, source="cli", address="cli")
        print(f"Issued as {kept.file_name} by {kept.issued_by} (SHA-256 {kept.sha256}); kept unchanged in the database.")
    return 0


def cmd_target(args) -> int:
    from assurance import administration as adm
    from assurance.access.accounts import cli_operator
    from assurance.measures.framework import framework

    user = check(args, "manage_targets")
    changed = adm.set_target(database_engine(), user or cli_operator(), args.measure, args.value, args.tolerance,
                             args.from_period, source="cli", address="cli")
    m = framework().get(args.measure)
    for spell in m.spells:
        print(f"{'from the start' if spell.from_period is None else 'from ' + spell.from_period:<20}"
              f"target {spell.target:g}, amber within {spell.tolerance:g}")
    print("Changed; earlier quarters keep the target they were rated against." if changed else "Nothing to change.")
    return 0


def cmd_refresh_figures(args) -> int:
    from assurance.measures.figures import rebuild_all

    check(args, "manage_partners")
    for r in rebuild_all(database_engine()):
        print(f"{r.source}: rebuilt for {r.quarters} quarters ({r.figures:,} figures; definitions "
              f"{'changed since the last build' if r.changed else 'unchanged'})")
    return 0


# --- wiring -----------------------------------------------------------------------------------

def cmd_tables(args) -> int:
    from pathlib import Path

    from assurance.views import bundle_for, write_bundle

    user = acting_user(args)
    partner = partner_for(args, user, args.partner)
    check(args, "view_figures", partner.id if partner else None)
    tables = bundle_for(database_engine(), args.period, user, "cli", partner)
    try:
        written = write_bundle(tables, Path(args.out))
    except OSError as exc:
        raise CommandError(f"Could not write to {args.out}: {exc.strerror}.") from exc
    print(f"{len(written)} tables for {args.period} written to {args.out}.")
    return 0


def _setup_tables(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, help='reporting period, e.g. "2025-26 Q1"')
    p.add_argument("--out", required=True, help="the folder to write one CSV file per table into")
    p.add_argument("--partner", help="one partner's tables (default: the whole Board)")


def _setup_demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data; default 2026)")
    p.add_argument("--quarters", type=int, default=12, help="quarters of data, ending with the last complete quarter (default 12)")
    p.add_argument(
        "--concerns-per-quarter", type=int, default=600,
        help="average concerns a quarter (default 600, a Luton-sized authority; 83334 gives about a million in 12 quarters)",
    )
    p.add_argument("--if-empty", action="store_true", help="only build when the database holds no data yet")
    p.add_argument("--quiet", action="store_true", help="no progress lines")


def _setup_partners(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["table", "json"], default="table")


def _setup_measures(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, help='reporting period, e.g. "2025-26 Q1"')
    p.add_argument("--partner", help="partner code (default: the whole Board)")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")


def _setup_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, help='reporting period, e.g. "2025-26 Q1"')
    p.add_argument("--out", required=True, help="pack.pdf, pack.pptx or pack.xlsx (the tables)")
    p.add_argument("--date", help="the date the pack is produced on, YYYY-MM-DD (default today; RAG of actions uses it)")
    p.add_argument("--issue", action="store_true",
                   help="issue the pack to the Board (with --as the chair): it is kept unchanged in the database")
    p.add_argument("--quiet", action="store_true", help="no progress lines")


def _setup_target(p: argparse.ArgumentParser) -> None:
    p.add_argument("measure", help="the measure's id in the framework, e.g. msp_asked")
    p.add_argument("--value", type=float, required=True, help="the new target (percent for a percentage)")
    p.add_argument("--tolerance", type=float, help="how far short is amber (default: the tolerance in force)")
    p.add_argument("--from", dest="from_period", metavar="PERIOD",
                   help='the quarter the change takes effect from, e.g. "2026-27 Q2" (default: the latest period); '
                        "earlier quarters keep their target")


def _setup_population(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["load"], help="load: check and store an ethnic group by age table")
    p.add_argument("file", help="the Census 2021 RM032 download for the area (CSV), or a file in the product's layout")
    p.add_argument("--area", required=True, help="the area the table is for, as in data/population/ (e.g. Luton)")


def cmd_population(args) -> int:
    from pathlib import Path

    from assurance import administration as adm
    from assurance.access.accounts import cli_operator

    user = check(args, "manage_baseline") or cli_operator()
    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
    baseline = adm.load_ethnicity_by_age(database_engine(), user, content, args.area, path.name, source="cli")
    adults = sum(n for (_, band), n in baseline.residents.items() if band != "0-17")
    print(f"Ethnic group by age baseline for {baseline.area} loaded from {path.name}: "
          f"{len({g for g, _ in baseline.residents})} ethnic groups, {adults:,} adults, "
          f"{sum(baseline.residents.values()):,} residents of all ages.")
    return 0


def _no_options(p: argparse.ArgumentParser) -> None:
    return None


# (name, help, add options, handler): one line per command.
COMMANDS: list[tuple[str, str, Callable[[argparse.ArgumentParser], None], Callable]] = [
    ("demo", "rebuild the database as a synthetic demo Board (drops existing data)", _setup_demo, cmd_demo),
    ("init-db", "create or upgrade the schema and the configured Board, partners and periods (no facts)", _no_options, cmd_init_db),
    ("partners", "list the configured partners (code, name, type)", _setup_partners, cmd_partners),
    ("measures", "print the framework's figures for a period, with RAG", _setup_measures, cmd_measures),
    ("tables", "write every table the pages show for a period as CSV files, as the user would see them",
     _setup_tables, cmd_tables),
    ("target", "change a measure's target (and amber tolerance) from a quarter; earlier quarters keep theirs",
     _setup_target, cmd_target),
    ("refresh-figures", "rebuild the stored quarter figures from today's measure definitions (done by itself when "
     "a definition changes)", _no_options, cmd_refresh_figures),
    ("report", "write the quarterly board pack (PDF, PowerPoint or Excel tables)", _setup_report, cmd_report),
    ("load", "validate and load a return (or a folder of returns): exit 0 loaded, 1 rejected, 2 usage error",
     returns_cli.setup_load, returns_cli.cmd_load),
    ("submissions", "the submissions tracker for a period (or --history: every submission)",
     returns_cli.setup_submissions, returns_cli.cmd_submissions),
    ("population", "population load FILE --area NAME: check and store a Census 2021 ethnic group by age table "
     "(exit 0 loaded, 1 refused)", _setup_population, cmd_population),
    ("template", "write a blank return template: template activity|assurance|audit --out FILE.xlsx",
     returns_cli.setup_template, returns_cli.cmd_template),
]

COMMANDS += [
    ("create-admin", "create an administrator account (the first one after init-db)", _access.setup_create_admin,
     _access.cmd_create_admin),
    ("users", "list users, add one, or set a user's role, partner, password or status", _access.setup_users,
     _access.cmd_users),
    ("audit", "audit verify: check the audit trail's hash chain (exit 0 intact, 1 broken at the event named)",
     _access.setup_audit, _access.cmd_audit),
]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error on one plain line (exit 2) instead of the usage block."""

    def error(self, message: str):
        self.exit(2, f"Error: {message} (see `{self.prog} --help`).\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m assurance",
        description="Safeguarding Adults Board performance and assurance: load returns, compute the framework, build the demo.",
        epilog="The database is chosen by ASSURANCE_DATABASE_URL (default: SQLite file data/assurance.db).",
    )
    parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                        help="act as this product user: their role limits what the command may do and see (without "
                             "it, the command runs with the operator's full rights)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)
    for name, help_text, setup, handler in COMMANDS:
        p = sub.add_parser(name, help=help_text, description=help_text)
        setup(p)
        p.set_defaults(handler=handler)
    return parser


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Every failure the user can cause ends here as one plain line on stderr: exit 1, or 2 for
    a usage error; never a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    code = 1
    try:
        code = args.handler(args)
        return code
    except AccessDenied as exc:
        print(f"Refused: {_one_line(exc)}", file=sys.stderr)
        try:
            _access.record_refusal(database_engine(), args, str(exc))
        except (AssuranceError, SQLAlchemyError):
            pass
        return 1
    except AssuranceError as exc:
        code = exc.exit_code
        print(f"Error: {_one_line(exc)}", file=sys.stderr)
        return code
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(f"Error: the database could not be used ({type(exc).__name__}: {_one_line(first)}); check "
              "ASSURANCE_DATABASE_URL and run `python -m assurance init-db`.", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped to a command that stopped reading (e.g. head)
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 1
    finally:
        try:
            _access.record_command(database_engine(), args, code)
        except (AssuranceError, SQLAlchemyError):  # no usable database: the message above already says so
            pass
