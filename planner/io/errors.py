"""Typed errors of the file readers, each problem with its place in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


def one_line(text: str) -> str:
    """``text`` on one line: line breaks, and the blanks around them, become single spaces.

    Messages of other libraries (openpyxl, expat...) and odd file names may hold
    line breaks; a summary for a terminal or a status bar must not.
    """
    lines = text.splitlines()
    if len(lines) <= 1:
        return lines[0] if lines else ""
    return " ".join(line.strip() for line in lines if line.strip())


#: Characters a terminal or a CI log acts on instead of showing: C0 and C1 controls, DEL, and the marks that
#: reorder text (bidirectional overrides and isolates) or break lines.
_TERMINAL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, keep_newlines: bool = False) -> str:
    """``text`` with every character a terminal would act on shown as an escape (``ESC`` as ``\\x1b``).

    Names in an org file are anyone's text: printed raw, ``ESC[2J`` clears the
    screen and an OSC sequence retitles the window or writes a link into a CI log.
    """
    if keep_newlines:
        return "\n".join(terminal_safe(line) for line in text.split("\n"))
    return _TERMINAL_CONTROLS.sub(_escaped, text)


#: The characters of :data:`_TERMINAL_CONTROLS` that JSON leaves as they are (it escapes only C0 itself).
_JSON_UNESCAPED_CONTROLS = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_terminal_safe(text: str) -> str:
    """JSON text with DEL, the C1 controls and the bidirectional marks written as ``\\u`` escapes.

    They can only stand inside strings, where the escape means the same character: the document
    parses to the same values, and a terminal or a CI log showing it acts on none of them.
    """
    return _JSON_UNESCAPED_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def shortened(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut to about ``limit`` characters: a message quotes a bad value, not a megabyte of it."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 12]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, and where: a line/column, or a field path like ``nodes[3].kind``."""

    message: str
    line: int | None = None
    column: int | None = None
    where: str | None = None

    def place(self) -> str:
        if self.line is not None:
            return f"line {self.line}" + (f", column {self.column}" if self.column is not None else "")
        return self.where or ""

    def __str__(self) -> str:
        place = self.place()
        return f"{place}: {self.message}" if place else self.message


class LoadError(Exception):
    """A file could not be read. ``problems`` lists every problem found, with its place."""

    def __init__(self, path: str | Path | None, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.path = str(path) if path is not None else None
        #: Problems found beyond those listed (a reader stops listing after a thousand or so).
        self.unlisted: int = getattr(problems, "unlisted", 0)
        self.problems: list[Problem] = list(problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        """One line naming the file, the first problem and how many more there are."""
        head = self.path or "<input>"
        first = self.problems[0] if self.problems else Problem("unreadable file")
        more = len(self.problems) - 1 + self.unlisted
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        return one_line(f"{head}: {first}{tail}")

    def details(self) -> str:
        """Every problem, one a line, for dialogs and logs."""
        head = self.path or "<input>"
        lines = [f"{head}: {p}" for p in self.problems]
        if self.unlisted:
            lines.append(f"{head}: and {self.unlisted:,} more problems, not listed")
        return "\n".join(lines)


class InvalidFormatError(LoadError):
    """The file is not an org file, or its content breaks the format."""


class UnsupportedFormatVersionError(LoadError):
    """The file was written by a newer planner than this one."""


class SaveError(Exception):
    """A file could not be written (permissions, full disk...); ``errno`` says why, when the system told."""

    def __init__(self, message: str, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno
