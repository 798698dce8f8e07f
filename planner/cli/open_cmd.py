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


def x_display_answers(name: str) -> bool | None:
    """Whether an X server answers at display ``name``; None when this cannot be told (no libxcb)."""
    import ctypes
    import ctypes.util

    library = ctypes.util.find_library("xcb")
    if library is None:
        return None
    try:
        xcb = ctypes.CDLL(library)
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(name.encode(), None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)


def run(args: argparse.Namespace) -> int:
    if not has_display():
        # Qt would abort the process with a core dump; say what is wrong instead.
        raise CommandError(
            "no display to open the editor on (DISPLAY and WAYLAND_DISPLAY are unset). "
            f"Run it in a desktop session, or use the commands that need none: {', '.join(HEADLESS)}"
        )
    display = os.environ.get("DISPLAY", "")
    x11 = os.environ.get("QT_QPA_PLATFORM", "xcb").startswith("xcb") and not os.environ.get("WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and display and x11 and x_display_answers(display) is False:
        # Qt would abort too, blaming a missing xcb-cursor library.
        raise CommandError(
            f"no X server answers at DISPLAY={display}: the session it belonged to may have ended. "
            f"Set DISPLAY to a running display, or use the commands that need none: {', '.join(HEADLESS)}"
        )
    from planner.ui.app import run as run_app

    return run_app(args.file)
