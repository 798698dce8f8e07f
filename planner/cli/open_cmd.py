"""``planner open [FILE]``: the desktop editor, on FILE or on the built-in sample org."""

from __future__ import annotations

import argparse
import os
import sys

from planner.cli import HEADLESS, CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser("open", help="open the editor (the default command)")
    parser.add_argument("file", nargs="?", help="org file to open (default: the built-in scale-up sample)")
    parser.set_defaults(run=run)


def has_display() -> bool:
    """Whether a window can be shown: always on Windows and macOS; on Linux with X11, Wayland or a set Qt platform."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run(args: argparse.Namespace) -> int:
    if not has_display():
        # Qt would abort the process with a core dump; say what is wrong instead.
        raise CommandError(
            "no display to open the editor on (DISPLAY and WAYLAND_DISPLAY are unset). "
            f"Run it in a desktop session, or use the commands that need none: {', '.join(HEADLESS)}"
        )
    from planner.ui.app import run as run_app

    return run_app(args.file)
