"""The gap report as a document tree: sections of paragraphs, lists, tables, callouts and figures. No Qt here.

:mod:`planner.report.content` builds one :class:`Document` per report; the
writers (:mod:`~planner.report.pdf`, :mod:`~planner.report.html`,
:mod:`~planner.report.markdown`) only lay it out. Every word a reader sees is
in the tree, including the writers' chrome (page footer, the label of a
collapsed block): :attr:`Document.chrome`. A writer adds markup, never text.

Inline text is a tuple of :class:`Run` (plain or strong). Table columns have a
*kind* so that a writer can align numbers and sort names naturally
(``pm99`` before ``pm989``), and each row may carry a *flag*: the severity
that colours it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

#: Severity-like tones of callouts and flagged rows; ``ok`` is the all-clear green, ``neutral`` plain grey.
TONES = ("error", "warning", "info", "ok", "neutral")
#: Column kinds: ``text`` (left, natural sort), ``number`` (right, numeric sort).
COLUMN_KINDS = ("text", "number")

_DIGITS = re.compile(r"(\d+)")


@lru_cache(maxsize=1 << 16)
def natural_key(text: object) -> tuple:
    """A sort key that orders the numbers inside names by value: ``pm9 < pm99 < pm989``, case-blind."""
    parts = _DIGITS.split(str(text).casefold())
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts if part != "")


def natural_sorted(items, key=lambda item: item) -> list:
    items = list(items)
    if len(items) < 2:
        return items
    return sorted(items, key=lambda item: natural_key(key(item)))


@dataclass(frozen=True)
class Run:
    """A piece of inline text; ``strong`` sets it in bold."""

    text: str
    strong: bool = False


Inline = tuple[Run, ...]


def runs(*parts: str | Run) -> Inline:
    """Inline text from plain strings and runs: ``runs(strong("Hire"), " 2 product owners")``."""
    merged: list[Run] = []
    for part in parts:
        run = part if isinstance(part, Run) else Run(part)
        if not run.text:
            continue
        if merged and merged[-1].strong == run.strong:
            # Neighbouring runs of one style are one piece of text, as every writer shows them.
            merged[-1] = Run(merged[-1].text + run.text, run.strong)
        else:
            merged.append(run)
    return tuple(merged)


def strong(text: str) -> Run:
    return Run(text, True)


def plain(inline: Inline) -> str:
    return "".join(run.text for run in inline)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph. ``style``: ``body``, ``lead`` (larger, the brief's key sentences), ``note`` (small, muted)."""

    text: Inline
    style: str = "body"
    tone: str | None = None


@dataclass(frozen=True)
class BulletList:
    """Items of inline text, numbered when ``ordered``; an item's ``tone`` colours its marker."""

    items: tuple[Inline, ...]
    ordered: bool = False
    tones: tuple[str | None, ...] = ()

    def tone(self, index: int) -> str | None:
        return self.tones[index] if index < len(self.tones) else None


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"
    #: Relative width (the writers share the page width by these weights).
    weight: float = 1.0


@dataclass(frozen=True)
class Row:
    cells: tuple[str | int, ...]
    #: A tone (``error``, ``warning``, ``info``, ``ok``) colouring the row, or None.
    flag: str | None = None


def cell_text(cell: str | int) -> str:
    """A cell as every writer shows it: whole numbers with thousands separators."""
    return f"{cell:,}" if isinstance(cell, int) else str(cell)


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``sortable`` lets the HTML reader sort it by a column."""

    key: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    caption: str = ""
    sortable: bool = True


@dataclass(frozen=True)
class KeyFigure:
    """One big number of the brief: ``value`` over ``label``, coloured by ``tone``."""

    value: str
    label: str
    tone: str = "neutral"


@dataclass(frozen=True)
class KeyFigures:
    items: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class Callout:
    """A boxed block coloured by ``tone``: an info is never in a red box."""

    tone: str
    title: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A vector drawing (a :class:`reportlab.graphics.shapes.Drawing`) with its caption and alternative text."""

    key: str
    drawing: Any
    caption: str
    alt: str
    #: Printed on a page of its own turned sideways (a wide chart that is readable only that way).
    landscape: bool = False


@dataclass(frozen=True)
class Details:
    """Detail a reader may skip: collapsed in HTML (``summary`` is its label), printed in full elsewhere."""

    summary: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Section:
    """A titled part of the report; ``blocks`` may hold sub-sections. ``key`` is its stable anchor."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    #: Start on a new page in print (used once: after the one-page brief).
    new_page: bool = False
    #: Detail a reader may skip: the HTML shows only its heading until clicked; print and the other formats show all.
    folded: bool = False


Block = Paragraph | BulletList | Table | KeyFigures | Callout | Figure | Details | Section


@dataclass(frozen=True)
class Document:
    """The whole report: metadata, the one-page brief, then the sections in reading order."""

    title: str
    subtitle: str
    author: str
    org_name: str
    #: The org file's name (never its folder), shown in the page header; empty when unsaved.
    file_name: str
    date: str
    brief: Section
    sections: tuple[Section, ...]
    #: The writers' fixed chrome, worded here: ``page`` ("Page {page} of {pages}"), ``contents``, ``sort``.
    chrome: dict[str, str] = field(default_factory=dict)

    def all_sections(self) -> tuple[Section, ...]:
        return (self.brief, *self.sections)

    def header(self) -> str:
        """The page header's text: the org's name and the file's name."""
        return " · ".join(part for part in (self.org_name, self.file_name) if part)

    def walk(self) -> Iterator[Block]:
        """Every block of the document, depth first."""

        def visit(block: Block) -> Iterator[Block]:
            yield block
            if isinstance(block, Section | Callout | Details):
                for child in block.blocks:
                    yield from visit(child)

        for section in self.all_sections():
            yield from visit(section)

    def texts(self) -> Iterator[str]:
        """Every string a reader may see, for tests: the writers may show nothing else."""
        yield from (self.title, self.subtitle, self.org_name, self.file_name, self.date, self.header())
        yield from self.chrome.values()
        for block in self.walk():
            if isinstance(block, Section):
                yield block.title
            elif isinstance(block, Paragraph):
                yield plain(block.text)
                yield from (run.text for run in block.text)
            elif isinstance(block, BulletList):
                for item in block.items:
                    yield plain(item)
                    yield from (run.text for run in item)
            elif isinstance(block, Table):
                yield block.caption
                yield from (column.title for column in block.columns)
                yield from (cell_text(cell) for row in block.rows for cell in row.cells)
            elif isinstance(block, KeyFigures):
                for item in block.items:
                    yield item.value
                    yield item.label
            elif isinstance(block, Callout):
                yield block.title
            elif isinstance(block, Figure):
                yield block.caption
                yield block.alt
            elif isinstance(block, Details):
                yield block.summary
