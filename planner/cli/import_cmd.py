"""``planner import PEOPLE -o ORG``: draft an org from an HR export (CSV or XLSX, one row per person).

The columns are guessed from the header and can be set with ``--map
field=Column``. The rows that could not be used as they stand are listed on
stderr with their spreadsheet row numbers. With no team column, teams are
inferred from reporting lines and listed. Exit status: 0 when the org was
written (even with such rows), 1 when it was written but looks wrong (no links,
or most rows neither drawn nor counted: the message names the column it could
not find), 2 when the file cannot be read, a column named in ``--map`` does
not exist, or the output cannot be written.
"""

from __future__ import annotations

import argparse
import sys

from planner.cli import EXIT_FINDINGS, EXIT_OK, CommandError, say
from planner.wording import plural

_FIELDS_HELP = "id, name, title, manager, team, product, department"
#: Inferred teams listed one a line; a large export's others are counted.
LISTED_TEAMS = 30


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import",
        help="draft an org from an HR export (CSV or XLSX)",
        description="Draft an org from an HR export with one row per person. Job titles decide who is drawn "
        "(product owners, product managers, leaders); everyone else is counted into their team's size.",
        epilog="docs/importing.md lists the column names recognised and the job-title table.",
    )
    parser.add_argument("file", help="HR export: .csv (comma, semicolon or tab separated) or .xlsx")
    parser.add_argument("-o", "--output", required=True, help="org file to write (.json, .graphml or nodes.csv)")
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help=f"take a field from this column instead of the guessed one; fields: {_FIELDS_HELP}. "
        "An empty COLUMN leaves the field out. Repeat for several fields",
    )
    parser.set_defaults(run=run)


def parse_map(values: list[str]) -> dict[str, str | None]:
    """``["title=Position", "team="]`` → ``{"title": "Position", "team": None}``; CommandError when malformed."""
    from planner.io.hr_import import FIELDS

    mapping: dict[str, str | None] = {}
    for value in values:
        field_name, sep, column = value.partition("=")
        field_name = field_name.strip().lower()
        if not sep:
            raise CommandError(f"--map {value!r}: write FIELD=COLUMN, e.g. --map title='Job Title'")
        if field_name not in FIELDS:
            raise CommandError(f"--map {value!r}: unknown field {field_name!r} (fields: {_FIELDS_HELP})")
        mapping[field_name] = column.strip() or None
    return mapping


def run(args: argparse.Namespace) -> int:
    from planner.io import LoadError, SaveError, save_org
    from planner.io.guard import OverwriteRefused, refuse_input_overwrite
    from planner.io.hr_import import (
        COLUMN_SYNONYMS,
        FIELD_LABELS,
        FIELDS,
        build_org,
        guess_mapping,
        org_name_for,
        place_nodes,
        read_table,
        resolve_column,
    )
    from planner.io.hr_infer import draft_warnings, refine_mapping, with_derived_columns

    try:
        refuse_input_overwrite(args.output, (args.file,), pairs=False)
    except OverwriteRefused as exc:
        raise CommandError(str(exc)) from None
    wanted = parse_map(args.map)
    try:
        headers, rows = with_derived_columns(*read_table(args.file))
    except LoadError as exc:
        raise CommandError(exc.summary()) from None
    mapping = refine_mapping(headers, guess_mapping(headers))
    for field_name, column in wanted.items():
        if column is None:
            mapping[field_name] = None
            continue
        found = resolve_column(headers, column)
        if found is None:
            raise CommandError(
                f"{args.file}: no column {column!r} for --map {field_name} (columns: {', '.join(headers)})"
            )
        mapping[field_name] = found
    try:
        result = build_org(headers, rows, mapping, name=org_name_for(args.file))
    except ValueError as exc:
        raise CommandError(f"{args.file}: {exc} (use --map name=COLUMN)") from None
    place_nodes(result.org)

    for problem in result.problems:
        say(f"{args.file}: {problem}", file=sys.stderr)
    try:
        save_org(result.org, args.output)
    except SaveError as exc:
        raise CommandError(str(exc)) from None
    used = ", ".join(f"{f}={mapping[f]!r}" for f in FIELDS if mapping.get(f))
    say(f"columns: {used}")
    kinds = _count_kinds(result.org)
    skipped = f"; {len(result.problems)} row problems listed on stderr" if result.problems else ""
    if result.inference.teams:
        say(result.inference.note)
        for team in result.inference.teams[:LISTED_TEAMS]:
            say(f"  {team.describe()}")
        if len(result.inference.teams) > LISTED_TEAMS:
            rest = len(result.inference.teams) - LISTED_TEAMS
            say(f"  ... and {plural(rest, 'more team')} (all are in the org and in the editor's import dialog)")
    say(f"wrote {args.output} from {result.people} rows: {kinds} ({result.org.number_of_links()} links){skipped}")
    warnings = draft_warnings(result, COLUMN_SYNONYMS, FIELD_LABELS)
    for warning in warnings:
        say(f"planner: {args.file}: {warning}", file=sys.stderr)
    return EXIT_FINDINGS if warnings else EXIT_OK


def _count_kinds(org) -> str:
    from planner.model.vocabulary import NODE_KINDS, NODE_LABELS

    counts = {kind: 0 for kind in NODE_KINDS}
    for node in org.nodes():
        counts[node.kind] += 1
    return ", ".join(
        f"{counts[k]} {NODE_LABELS[k].lower()}{'s' if counts[k] != 1 else ''}" for k in NODE_KINDS if counts[k]
    )
