"""``planner convert IN OUT``: convert between org formats, chosen by extension."""

from __future__ import annotations

import argparse

from planner.cli import CommandError, load_or_fail, say


def register(subparsers) -> None:
    parser = subparsers.add_parser("convert", help="convert an org file to another format (by extension)")
    parser.add_argument("input", help="file to read (.json, .graphml...)")
    parser.add_argument("output", help="file to write (.json, .graphml...)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.io import SaveError, save_org
    from planner.io.guard import OverwriteRefused, refuse_input_overwrite

    try:
        refuse_input_overwrite(args.output, (args.input,))
    except OverwriteRefused as exc:
        raise CommandError(str(exc)) from None
    org = load_or_fail(args.input)
    try:
        save_org(org, args.output)
    except SaveError as exc:
        raise CommandError(str(exc)) from None
    say(f"wrote {args.output} ({len(org)} nodes, {org.number_of_links()} links)")
    return 0
