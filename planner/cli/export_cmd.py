"""``planner export FILE -o chart.png|svg|pdf``: the org chart as an image or a printable PDF, without a display.

PNG at a chosen dpi, SVG with text kept as text, PDF fitted to one page or
tiled over several (``--tiles``) at a readable size. ``--highlight`` rings and
badges the cards that have findings. Exit status 0 when written, 2 when the
input cannot be read, the extension is unknown or the file cannot be written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli import CommandError, load_or_fail
from planner.model.vocabulary import PROFILES

CHART_EXTENSIONS = (".png", ".svg", ".pdf")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export the org chart as PNG, SVG or PDF",
        description="Draw the org chart of an org file into an image or PDF; the format follows OUT's extension.",
    )
    parser.add_argument("file", help="org file (.json or .graphml)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help=f"chart file to write ({', '.join(CHART_EXTENSIONS)})")
    parser.add_argument("--dpi", type=float, default=150, metavar="N",
                        help="PNG resolution in dots per inch (default 150; the chart is 96 dpi on screen)")
    parser.add_argument("--tiles", action="store_true",
                        help="PDF: spread a large chart over several pages instead of shrinking it onto one")
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4", help="PDF paper size")
    parser.add_argument("--highlight", action="store_true", help="ring and badge the cards that have findings")
    parser.add_argument("--no-legend", dest="legend", action="store_false", help="leave out the key under the chart")
    parser.add_argument("--profile", choices=PROFILES, help="thresholds for --highlight (default: the file's own)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.io.guard import OverwriteRefused, refuse_overwrite

    try:
        refuse_overwrite(args.output, (args.file,))
    except OverwriteRefused as exc:
        raise CommandError(str(exc)) from None
    extension = Path(args.output).suffix.lower()
    if extension not in CHART_EXTENSIONS:
        raise CommandError(
            f"{args.output}: unknown chart format {extension or '(none)'!r} (expected {', '.join(CHART_EXTENSIONS)})"
        )
    org = load_or_fail(args.file)
    from planner.render.chart import ChartError, export_chart

    highlight = None
    if args.highlight:
        from planner.analysis import analyze

        highlight = analyze(org, args.profile)
    try:
        pages = export_chart(org, args.output, dpi=args.dpi, tiled=args.tiles, highlight=highlight, paper=args.paper,
                             legend=args.legend)
    except ChartError as exc:
        raise CommandError(str(exc)) from None
    detail = f"{pages} pages" if pages > 1 else "1 page" if extension == ".pdf" else f"{len(org)} nodes"
    print(f"wrote {args.output} ({detail})")
    return 0
