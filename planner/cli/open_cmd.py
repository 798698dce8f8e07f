"""``planner open [FILE]``: the desktop editor, on FILE or on the built-in sample org."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser("open", help="open the editor (the default command)")
    parser.add_argument("file", nargs="?", help="org file to open (default: the built-in scale-up sample)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.ui.app import run as run_app

    return run_app(args.file)
