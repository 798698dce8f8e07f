"""``planner report FILE -o OUT``: the gap report for leadership, in the format OUT's extension names.

Every format is written without Qt (PDF with ReportLab, HTML with Jinja2),
never over FILE, CURRENT or any org file, and atomically. With ``--baseline
CURRENT`` the file is read as a proposal and the report adds a before/after
section comparing it with CURRENT. Exit status 0 when the report is written,
2 when the input or the baseline cannot be read, the extension is
unknown, the output would replace an input or an org file, or it cannot be written. Findings do not change the status:
that is what ``planner check --fail-on`` is for.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli import CommandError, load_or_fail, profile_argument, say

REPORT_FORMATS = (".pdf", ".html", ".md", ".csv", ".json", ".xlsx")
PAPERS = ("a4", "letter")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the gap report (PDF, HTML, Markdown, CSV, JSON or Excel)",
        description="Write the gap report of an org file: a one-page brief (verdict, the ask, the top risks), "
        "the staffing plan, pictures, findings by rule and by product, loads and coverage over the limits, "
        "accepted risks and, with --baseline, what the file changes against today's org. "
        "The format follows OUT's extension; OUT is never an input or an org file.",
    )
    parser.add_argument("file", help="org file (.json or .graphml)")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT", help=f"report file to write ({', '.join(REPORT_FORMATS)})"
    )
    profile_argument(parser, "thresholds to apply (default: the file's own profile)")
    parser.add_argument(
        "--paper",
        choices=PAPERS,
        help="paper size of the PDF and of printed HTML (default: Letter in a US, Canadian or other "
        "Letter locale, else A4)",
    )
    parser.add_argument(
        "--baseline",
        metavar="CURRENT",
        help="today's org file: report FILE as a proposal, with what it fixes, breaks and adds",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.io.guard import OverwriteRefused, refuse_overwrite

    try:
        refuse_overwrite(args.output, (args.file, args.baseline))
    except OverwriteRefused as exc:
        raise CommandError(str(exc)) from None
    extension = Path(args.output).suffix.lower()
    if extension not in REPORT_FORMATS:
        raise CommandError(
            f"{args.output}: unknown report format {extension or '(none)'!r} (expected {', '.join(REPORT_FORMATS)})"
        )
    org = load_or_fail(args.file, layout=False)
    baseline = load_or_fail(args.baseline, layout=False) if args.baseline else None
    from planner.report import ReportError, write_report

    try:
        report = write_report(
            org,
            args.output,
            args.profile,
            args.paper,
            source=args.file,
            baseline=baseline,
            baseline_source=args.baseline or "",
        )
    except ReportError as exc:
        raise CommandError(str(exc)) from None
    against = f"; against {args.baseline}: {report.comparison.summary}" if report.comparison is not None else ""
    say(f"wrote {args.output} ({org.name}: {report.summary_sentence()}{against})")
    return 0
