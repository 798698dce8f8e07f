"""``planner export FILE -o chart.png|svg|pdf|drawio|mmd``: the org chart as an image, a PDF or a diagram to edit.

PNG at a chosen dpi, SVG with text kept as text, PDF fitted to one page or
tiled over several (``--tiles``) at a readable size; a draw.io file with the
editor's look, and a Mermaid flowchart for READMEs and wikis (neither loads
Qt). ``--highlight`` marks the cards that have findings; ``--select`` keeps a
person's reporting tree or a product's people and teams. Exit status 0 when
written, 2 when the input cannot be read, the extension is unknown, a
selection names no card or the file cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.cli import CommandError, load_or_fail, profile_argument, say

CHART_EXTENSIONS = (".png", ".svg", ".pdf")
#: Written by planner.io without Qt.
DIAGRAM_EXTENSIONS = (".drawio", ".mmd")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export the org chart as PNG, SVG, PDF, draw.io or Mermaid",
        description="Draw the org chart of an org file into an image or PDF; the format follows OUT's extension.",
    )
    parser.add_argument("file", help="org file (.json or .graphml)")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help=f"chart file to write ({', '.join(CHART_EXTENSIONS + DIAGRAM_EXTENSIONS)})",
    )
    parser.add_argument(
        "--dpi",
        type=float,
        default=None,
        metavar="N",
        help="PNG resolution in dots per inch (default 150, or less for a chart too big for one "
        "picture; the chart is 96 dpi on screen)",
    )
    parser.add_argument(
        "--tiles",
        action="store_true",
        help="PDF: spread a large chart over several pages instead of shrinking it onto one",
    )
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4", help="PDF paper size")
    parser.add_argument("--highlight", action="store_true", help="ring and badge the cards that have findings")
    parser.add_argument(
        "--select",
        action="append",
        metavar="CARD",
        help="export only this person's reporting tree, or this product's people and teams "
        "(an id or a name; repeat for several)",
    )
    parser.add_argument("--no-legend", dest="legend", action="store_false", help="leave out the key under the chart")
    profile_argument(parser, "thresholds for --highlight (default: the file's own)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.io.guard import OverwriteRefused, refuse_overwrite

    try:
        refuse_overwrite(args.output, (args.file,))
    except OverwriteRefused as exc:
        raise CommandError(str(exc)) from None
    extension = Path(args.output).suffix.lower()
    known = CHART_EXTENSIONS + DIAGRAM_EXTENSIONS
    if extension not in known:
        raise CommandError(
            f"{args.output}: unknown chart format {extension or '(none)'!r} (expected {', '.join(known)})"
        )
    org = load_or_fail(args.file)
    if args.select:
        from planner.io.suborg import SelectionError, sub_org

        try:
            org = sub_org(org, args.select)
        except SelectionError as exc:
            raise CommandError(f"{args.file}: --select: {exc}") from None
    if extension in DIAGRAM_EXTENSIONS:
        return _export_diagram(org, args, extension)
    from planner.render.chart import ChartError, export_chart

    highlight = None
    if args.highlight:
        from planner.analysis import analyze

        highlight = analyze(org, args.profile)
    notes: list[str] = []
    try:
        pages = export_chart(
            org,
            args.output,
            dpi=args.dpi,
            tiled=args.tiles,
            highlight=highlight,
            paper=args.paper,
            legend=args.legend,
            notes=notes,
        )
    except ChartError as exc:
        raise CommandError(str(exc)) from None
    detail = f"{pages} pages" if pages > 1 else "1 page" if extension == ".pdf" else f"{len(org)} nodes"
    hint = "; --dpi N sets another" if any("lowered" in note for note in notes) else ""
    say(f"wrote {args.output} ({detail}{''.join(f'; {note}' for note in notes)}{hint})")
    return 0


def _export_diagram(org, args: argparse.Namespace, extension: str) -> int:
    """draw.io and Mermaid: written by planner.io, before (and without) any Qt import."""
    from planner.io import SaveError, drawio, mermaid

    try:
        if extension == ".drawio":
            drawio.save(org, args.output)
        else:
            severities = None
            if args.highlight:
                from planner.analysis import analyze

                severities = mermaid.worst_severities(analyze(org, args.profile).findings)
            text = mermaid.save(org, args.output, severities)
            too_large = mermaid.beyond_render_limits(text, org.number_of_links())
            if too_large:
                say(f"planner: {args.output}: {too_large}", file=sys.stderr)
    except SaveError as exc:
        raise CommandError(str(exc)) from None
    say(f"wrote {args.output} ({len(org)} nodes, {org.number_of_links()} links)")
    return 0
