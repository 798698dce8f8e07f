"""``planner check FILE``: the gap check for terminals, scripts and CI.

Exit status: 0 when nothing at or above ``--fail-on`` was found, 1 when
something was, 2 when the file cannot be read or the arguments are wrong.
"""

from __future__ import annotations

import argparse

from planner.cli import (
    EXIT_FINDINGS,
    EXIT_OK,
    CommandError,
    load_or_fail,
    profile_argument,
    say,
    say_json,
    say_json_members,
    split_codes,
)
from planner.wording import plural

FAIL_LEVELS = ("error", "warning", "info", "never")


def register(subparsers) -> None:
    parser = subparsers.add_parser("check", help="check an org file for gaps")
    parser.add_argument(
        "file", nargs="+", help="org file (.json, .graphml, .drawio, nodes.csv); several with --format text or sarif"
    )
    profile_argument(parser, "thresholds to apply (default: the file's own profile)")
    parser.add_argument(
        "--select", action="append", metavar="CODES", help="only these rules (codes, names or prefixes)"
    )
    parser.add_argument("--ignore", action="append", metavar="CODES", help="leave these rules out")
    parser.add_argument(
        "--format",
        choices=("text", "json", "markdown", "sarif"),
        default="text",
        help="output format (sarif: SARIF 2.1.0 for code scanning)",
    )
    parser.add_argument(
        "--fail-on", choices=FAIL_LEVELS, default="error", help="lowest severity that makes the exit status 1"
    )
    parser.set_defaults(run=run)


def check_json(path: str, result, plan=None, org=None) -> dict:
    """The ``--format json`` document (defined in :mod:`planner.analysis.output`, shared with the gap report)."""
    from planner.analysis.output import check_json as document

    return document(path, result, plan, org)


def summary_text(result) -> str:
    """``2 errors, 1 warning, 0 infos``."""
    counts = result.counts
    return ", ".join(plural(counts[severity], severity) for severity in ("error", "warning", "info"))


def _text(path: str, org, result) -> str:
    lines = []
    for f in result.findings:
        nodes = ", ".join(f.nodes)
        lines.append(f"{path}: {f.code} [{f.severity}] {f.message}  ({nodes})")
    summary = summary_text(result)
    if result.accepted:
        summary += f"; {plural(len(result.accepted), 'accepted risk')} not shown"
    lines.append(f"{org.name} ({len(org)} nodes, profile {result.profile.name}): {summary}")
    return "\n".join(lines)


def _markdown(path: str, org, result) -> str:
    lines = [
        f"# Gap check: {_md(org.name)}",
        "",
        f"File `{path}`, profile **{result.profile.name}**: {summary_text(result)}.",
        "",
    ]
    if result.findings:
        lines += ["| Severity | Code | Rule | Finding |", "|---|---|---|---|"]
        lines += [f"| {f.severity} | {f.code} | {f.name} | {_md(f.message)} |" for f in result.findings]
    else:
        lines.append("No gaps found.")
    return "\n".join(lines)


def _md(text: str) -> str:
    """Escape text for a Markdown table cell."""
    for char in "\\|*_`[]<>":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def failed(result, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    levels = FAIL_LEVELS[: FAIL_LEVELS.index(fail_on) + 1]
    return any(result.counts[level] for level in levels)


def run(args: argparse.Namespace) -> int:
    from planner.analysis import UnknownRuleError, analyze
    from planner.model.nxfast import shared_key_dicts

    files = args.file
    if len(files) > 1 and args.format in ("json", "markdown"):
        raise CommandError(f"--format {args.format} checks one file at a time (text and sarif take several)")
    checks = []
    for path in files:
        # The check only reads the org: its links may share their key dicts (40 MB less at 100,000 cards).
        with shared_key_dicts():
            org = load_or_fail(path, layout=False)
        try:
            result = analyze(org, args.profile, split_codes(args.select) or None, split_codes(args.ignore) or None)
        except UnknownRuleError as exc:
            raise CommandError(f"{exc}; 'planner rules' lists them") from None
        checks.append((path, org, result))
    path, org, result = checks[0]
    if args.format == "json":
        from planner.analysis.output import check_json_members
        from planner.analysis.plan import build_plan

        # Written a key at a time, each value made in its turn: the whole document is never held.
        say_json_members(check_json_members(path, result, build_plan(org, result), org))
    elif args.format == "sarif":
        say_json(_sarif(checks))
    elif args.format == "markdown":
        say(_markdown(path, org, result))
    else:
        say("\n".join(_text(path, org, result) for path, org, result in checks))
    return EXIT_FINDINGS if any(failed(result, args.fail_on) for _, _, result in checks) else EXIT_OK


#: Files larger than this are not searched for the lines their cards are defined on (every result says line 1).
_LOCATE_LIMIT = 32 * 1024 * 1024


def _sarif(checks) -> dict:
    from pathlib import Path

    from planner.analysis import all_rules
    from planner.analysis.sarif import CheckedFile, sarif_log

    files = []
    for path, org, result in checks:
        text = None
        try:
            if Path(path).stat().st_size <= _LOCATE_LIMIT:
                text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            pass  # the org was read a moment ago; without its text the results point at line 1
        files.append(CheckedFile(path, org, result, text))
    return sarif_log(files, all_rules())
