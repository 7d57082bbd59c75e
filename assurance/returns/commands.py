"""The returns' command-line commands (wired into assurance/cli.py): load, submissions, template."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

from assurance.cli_support import CommandError, acting_user, check, database_engine, partner_for, print_table
from assurance.config import RETURN_TYPES

RETURN_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def setup_load(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="FILE|FOLDER", help="a return, or a folder of returns (.xlsx, .xlsm, .xls, .ods, .csv)")
    p.add_argument("--partner", help="partner code (default: from the file name)")
    p.add_argument("--period", help='quarter, e.g. "2025-26 Q1" (default: from the file name or the dates inside)')
    p.add_argument("--type", choices=list(RETURN_TYPES), help="return type (default: from the sheets)")
    p.add_argument("--user", help="who is submitting, for the record (default: the --as user, else your login name)")
    p.add_argument("--report", metavar="ISSUES.csv", help="also write every issue to this CSV file")


def cmd_load(args) -> int:
    """Exit 0 when every file loaded (queries are printed), 1 when any was rejected, 2 for a usage error."""
    from assurance.access import audit
    from assurance.exports import safe_frame
    from assurance.returns.issues import ERROR, Issue, issues_frame
    from assurance.returns.rules import RULES
    from assurance.returns.load import LoadFailed, audit_actor, load_bytes
    from assurance.returns.read import ReadError, file_label
    from assurance.returns.validate import UsageError

    path = Path(args.path)
    if path.is_dir():
        files = sorted(f for f in path.iterdir() if f.suffix.lower() in RETURN_SUFFIXES and not f.name.startswith("~$"))
        if not files:
            print(f"Error: {path} holds no returns ({', '.join(RETURN_SUFFIXES)}).", file=sys.stderr)
            return 2
    elif path.is_file():
        files = [path]
    else:
        print(f"Error: {path} does not exist.", file=sys.stderr)
        return 2
    by = check(args, "upload_returns", any_partner=True)  # and for the return's partner, when it is known
    user = args.user or (by.actor if by else _login())
    engine = database_engine()
    all_issues, rejected = [], 0
    for f in files:
        try:
            result = load_bytes(f.read_bytes(), f.name, engine, user, args.partner, args.period, args.type, source="cli",
                                by=by, address="cli")
        except UsageError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 2
        except LoadFailed as exc:
            print(f"FAILED    {exc}", file=sys.stderr)
            return 1
        except ReadError as exc:
            rejected += 1
            audit.record(engine, audit_actor(by), audit.UPLOAD_REFUSED, file_label(f.name), {"reason": str(exc), "submitted by": user},
                         source="cli", address="cli")
            label = file_label(f.name)
            print(f"REJECTED  {exc if str(exc).startswith(label) else f'{label}: {exc}'} Nothing was loaded.")
            all_issues.append(Issue(ERROR, "UNREADABLE_FILE", str(exc), RULES["UNREADABLE_FILE"].fix,
                                    file=file_label(f.name)))
            continue
        report = result.report
        print(("LOADED    " if result.loaded else "REJECTED  ") + report.headline())
        if result.loaded:
            note = f" It supersedes submission {', '.join(map(str, result.superseded))}." if result.superseded else ""
            print(f"          Submission {result.submission_id}: {result.rows_loaded:,} rows loaded.{note}")
        else:
            rejected += 1
            kept = f" (recorded as rejected submission {result.submission_id})" if result.submission_id else ""
            print(f"          Nothing was loaded{kept}. Fix the errors below and load the file again.")
        for issue in report.issues:
            label = "ERROR" if issue.severity == ERROR else "QUERY"
            print(f"  {label:5} {issue.rule:28} {issue.text()}")
        shown = len(report.issues)
        total = report.error_count + report.query_count
        if total > shown:
            print(f"  ... {total - shown:,} more issues of the same kinds are counted above but not listed.")
        all_issues.extend(report.issues)
    if args.report:
        safe_frame(issues_frame(all_issues, readable=True)).to_csv(args.report, index=False, encoding="utf-8-sig")
        print(f"Issues written to {args.report} ({len(all_issues):,} rows).")
    if len(files) > 1:
        print(f"{len(files) - rejected} of {len(files)} returns loaded.")
    return 1 if rejected else 0


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "command line"


def setup_submissions(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", help='quarter, e.g. "2025-26 Q1" (default: the latest period)')
    p.add_argument("--history", action="store_true", help="list every submission (all attempts), not the tracker")


def cmd_submissions(args) -> int:
    from assurance.directory import list_periods
    from assurance.periods import Period
    from assurance.returns.tracker import history_frame, state_counts, tracker_frame

    engine = database_engine()
    partner = partner_for(args, acting_user(args), None)  # a partner-bound --as user sees their own only
    check(args, "view_returns", partner.id if partner else None)
    periods = list_periods(engine)
    if not periods:
        raise CommandError("No reporting periods yet: run “python -m assurance init-db” first.")
    label = Period.parse(args.period).label if args.period else periods[-1].label
    if label not in {p.label for p in periods}:
        print(f"Error: {label} is not a reporting period (periods run {periods[0].label} to {periods[-1].label}).",
              file=sys.stderr)
        return 2
    code = partner.code if partner else None
    if args.history:
        df = history_frame(engine, label, code)
        cols = ["Submission", "Partner", "Return", "File", "Submitted by", "Submitted at", "Status", "Rows", "Errors", "Queries"]
    else:
        df = tracker_frame(engine, label, date.today(), code)
        cols = ["Partner", "Return", "State", "Latest file", "Status", "Rows", "Errors", "Queries", "Submitted by",
                "Submitted at", "Attempts"]
        due = df["Due"].iloc[0] if len(df) else None
        counts = ", ".join(f"{n} {s.lower()}" for s, n in state_counts(df).items() if n)
        if due is not None:
            print(f"{label}: returns due {due:%d %B %Y}. {counts}.")
    if df.empty:
        print("No submissions for this period.")
        return 0
    rows = df[cols].astype(object).where(df[cols].notna(), None).to_dict("records")
    for r in rows:
        if r.get("Submitted at") is not None:
            r["Submitted at"] = r["Submitted at"].strftime("%d/%m/%Y %H:%M")
    print_table(rows, cols)
    return 0


def setup_template(p: argparse.ArgumentParser) -> None:
    p.add_argument("type", choices=list(RETURN_TYPES), metavar="TYPE", help=f"one of {', '.join(RETURN_TYPES)}")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="where to write the template")


def cmd_template(args) -> int:
    from assurance.returns.specs import get_spec
    from assurance.returns.templates import template_bytes

    out = Path(args.out)
    if out.parent and not out.parent.exists():
        print(f"Error: folder {out.parent} does not exist.", file=sys.stderr)
        return 2
    out.write_bytes(template_bytes(args.type))
    spec = get_spec(args.type)
    print(f"Wrote the {spec.title.lower()} template (version {spec.version}) to {out}.")
    return 0
