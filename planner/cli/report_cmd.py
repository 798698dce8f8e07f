"""``planner report FILE -o OUT``: the gap report for leadership, in the format OUT's extension names.

PDF and HTML carry the org chart and load Qt (headless when there is no
display); Markdown, CSV and JSON are written without Qt. With ``--baseline
CURRENT`` the file is read as a proposal and the report adds a before/after
section comparing it with CURRENT. Exit status 0 when the report is written,
2 when the input or the baseline cannot be read, the extension is
unknown or the output cannot be written. Findings do not change the status:
that is what ``planner check --fail-on`` is for.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli import CommandError, load_or_fail, profile_argument, say
from planner.render import PAPERS, REPORT_FORMATS, RenderError, write_report_any


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the gap report (PDF, HTML, Markdown, CSV or JSON)",
        description="Write the gap report of an org file: summary, chart, findings, coverage and load tables, "
        "staffing recommendations, accepted risks and, with --baseline, what the file changes against today's org. "
        "The format follows OUT's extension.",
    )
    parser.add_argument("file", help="org file (.json or .graphml)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help=f"report file to write ({', '.join(REPORT_FORMATS)})")
    profile_argument(parser, "thresholds to apply (default: the file's own profile)")
    parser.add_argument("--paper", choices=PAPERS, default="a4", help="paper size of the PDF and of printed HTML")
    parser.add_argument("--baseline", metavar="CURRENT",
                        help="today's org file: report FILE as a proposal, with what it fixes, breaks and adds")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    extension = Path(args.output).suffix.lower()
    if extension not in REPORT_FORMATS:
        raise CommandError(
            f"{args.output}: unknown report format {extension or '(none)'!r} (expected {', '.join(REPORT_FORMATS)})"
        )
    org = load_or_fail(args.file)
    baseline = load_or_fail(args.baseline) if args.baseline else None
    try:
        report = write_report_any(org, args.output, args.profile, args.paper, source=args.file, baseline=baseline,
                                  baseline_source=args.baseline or "")
    except RenderError as exc:
        raise CommandError(str(exc)) from None
    against = f"; against {args.baseline}: {report.comparison.summary}" if report.comparison is not None else ""
    say(f"wrote {args.output} ({org.name}: {report.summary_sentence()}{against})")
    return 0
