"""The ``planner`` command: ``check``, ``rules``, ``convert``... and, with no command, the editor.

Each subcommand lives in its own module of this package with a ``register``
function that adds its parser and a ``run(args) -> int`` it points to. Heavy
imports (Qt above all) happen inside ``run``, so ``planner check`` never loads
Qt and starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from planner import __version__

#: Subcommand modules, in the order ``planner --help`` lists them.
SUBCOMMANDS = ("open", "check", "rules", "convert", "report", "export", "import", "diff", "bench", "install-desktop")
#: The subcommands that show no window, and so run without a display.
HEADLESS = tuple(name for name in SUBCOMMANDS if name != "open")

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


class CommandError(Exception):
    """A user error the CLI reports in one line on stderr, exiting with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's default exits with 2 too, but prints usage noise
        self.print_usage(sys.stderr)
        raise CommandError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="planner",
        description="Team Structure Planner: draw a product org and check it for ownership gaps.",
        epilog="Run 'planner' with no command to open the editor on the built-in sample org, "
        "or 'planner FILE' to open it on FILE.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in SUBCOMMANDS:
        importlib.import_module(f"planner.cli.{name.replace('-', '_')}_cmd").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in SUBCOMMANDS and _names_a_file(argv[0]):
        argv = ["open", *argv]  # planner FILE: what "Open with" and a double-click run
    if argv[:1] == ["bench"]:
        # The benchmark parses its own options (it also runs as python -m planner.bench).
        from planner.bench import main as bench_main

        return bench_main(argv[1:])
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            args = parser.parse_args(["open"])
        return args.run(args)
    except CommandError as exc:
        from planner.io.errors import one_line

        message = one_line(str(exc))
        say(message if message.startswith("planner") else f"planner: {message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def say(text: str, file=None) -> None:
    """Print ``text`` with the characters a terminal would act on (escape sequences in names) shown escaped."""
    from planner.io.errors import terminal_safe

    print(terminal_safe(text, keep_newlines=True), file=file)


def say_json(document, stream=None) -> None:
    """Print a JSON document with the characters a terminal acts on and JSON leaves raw (C1, bidi) escaped.

    Written in chunks rather than as one string: on a 100,000-card org the string alone is tens of MB.
    """
    import json

    from planner.io.errors import json_terminal_safe

    out = stream or sys.stdout
    for chunk in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(document):
        out.write(json_terminal_safe(chunk))
    out.write("\n")


def say_json_members(members, stream=None) -> None:
    """Print a JSON object given as ``(key, value)`` pairs, as :func:`say_json` prints the same object as a dict.

    Each value is encoded and written before the next pair is asked for, so that a producer that makes its
    values one at a time (:func:`planner.analysis.output.check_json_members`) never holds them all. A value is
    encoded on its own and indented one level more: JSON escapes every newline inside a string, so each one
    the encoder writes starts an indented line.
    """
    import json

    from planner.io.errors import json_terminal_safe

    out = stream or sys.stdout
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
    separator = "{"
    for key, value in members:
        out.write(f"{separator}\n  {json_terminal_safe(encoder.encode(str(key)))}: ")
        for chunk in encoder.iterencode(value):
            out.write(json_terminal_safe(chunk.replace("\n", "\n  ")))
        del value
        separator = ","
    out.write("{}\n" if separator == "{" else "\n}\n")


def _names_a_file(argument: str) -> bool:
    from planner.desktop import looks_like_org_file

    return looks_like_org_file(argument)


def split_codes(values: Sequence[str] | None) -> list[str]:
    """``--select OWN001,STR --select RSK`` → ``["OWN001", "STR", "RSK"]``."""
    codes: list[str] = []
    for value in values or ():
        codes.extend(part.strip() for part in value.split(",") if part.strip())
    return codes


def profile_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """Add ``--profile NAME|FILE.toml`` to a command: a built-in profile, or a profile file of one's own.

    The value is read while the arguments are parsed, so a bad profile file stops the command before any
    work with one line naming the file, the key and the line (exit 2).
    """
    parser.add_argument(
        "--profile",
        type=profile_value,
        metavar="NAME|FILE.toml",
        help=f"{help}; scrum, safe, less, startup, or a .toml profile file",
    )


def profile_value(value: str):
    """The :class:`~planner.analysis.profiles.Profile` a ``--profile`` value names, or a :class:`CommandError`."""
    from planner.analysis.profiles import ProfileError, resolve_profile

    try:
        return resolve_profile(value)
    except ProfileError as exc:
        raise CommandError(str(exc)) from None


def load_or_fail(path: str, layout: bool = True):
    """Load an org, turning any read problem into a one-line :class:`CommandError` (exit 2).

    ``layout`` lays out a file that has no positions, as the editor does;
    commands that never draw the chart pass False and save the time and memory.
    """
    from planner.io import LoadError, load_org

    try:
        return load_org(path, layout=layout)
    except LoadError as exc:
        raise CommandError(exc.summary()) from None
