"""A worksheet's rows read with regular expressions, when its XML is written the plain way. No Qt here.

The streamed reader of :mod:`planner.io.xlsxsheet` builds an element for
every ``row``, ``c``, ``is``, ``t`` and ``v`` of the sheet and hands each to
Python: most of half a minute for a 300,000-row export. Sheets written by
spreadsheet programs and libraries are far more regular than XML allows, so
here each row and cell is matched whole, in C, against the forms they write
(``<c r="B2" t="inlineStr"><is><t>Ann</t></is></c>``, ``<c r="C2" s="1"
t="s"><v>7</v></c>``...). This is only a shortcut: the same bytes are also
fed to expat with defusedxml's refusals (no DTD, no entities), and the moment
the document is not well-formed, is unsafe, or holds anything the patterns
do not match exactly (comments, formulas, rich text, namespaces, pretty
printing inside a cell...), :func:`plain_sheet_rows` returns None and the
element reader reads the sheet as before. Whatever it does return is what
that reader returns (tests/io/test_xlsxfast.py compares the two).
"""

from __future__ import annotations

import codecs
import re
from operator import itemgetter
from typing import BinaryIO
from xml.parsers import expat

from defusedxml import DefusedXmlException

from planner.io.errors import LoadError
from planner.io.xmlstream import prolog_parser, read_chunks

_MAIN_NAMESPACE = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_SPACE = "[ \t\r\n]*"
_VALUE = '"[^"<>&\t\r\n]*"'
#: One token of a run of rows, whole (group 1): a row's start tag (its attributes, prefixed ones allowed as
#: Excel's x14ac:dyDescent, and a slash when it has no cells), a row's end tag, or a whole cell (its column
#: letters, style and type in either order, then an inline string, a value or nothing). Groups that take no
#: part come out as "": the type is matched with its name, so that a type given as "" is told from none.
_TOKEN = re.compile(
    "("
    + _SPACE
    + "(?:"
    + rf"<row((?: [A-Za-z][\w.-]*(?::[A-Za-z][\w.-]*)?={_VALUE})*){_SPACE}(/?)>"
    + "|(</row>)"
    + rf'|<c r="([A-Z]+)[0-9]+"(?: s=({_VALUE}))?( t="[A-Za-z]*")?(?: s=({_VALUE}))?{_SPACE}'
    + r"(?:/>|>(?:<is><t(?: xml:space=\"preserve\")?>([^<]*)</t></is>|<is><t/></is>|<v>([^<]*)</v>|<v/>)?</c>)"
    + "))"
)
_ATTRIBUTE = re.compile(r' ([\w.:-]+)="([^"]*)"')
#: Where the tail of a document may still hold a row the element reader would read: then it reads the sheet.
_ANY_ROW = re.compile(r"<(?:[\w.-]+:)?row[\s/>]")
_REFERENCE = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ENCODING = re.compile(r"""^\ufeff?<\?xml[^>]*?encoding=["']([^"']*)["']""")


class _NotPlain(Exception):
    """The sheet is not written the plain way: the element reader reads it."""


def _character(match: re.Match) -> str:
    name = match.group(1)
    if name[0] != "#":
        return _NAMED[name]
    return chr(int(name[2:], 16) if name[1] == "x" else int(name[1:]))


def _xml_text(raw: str) -> str:
    """Character data as an XML parser hands it over: line ends made ``\\n``, references replaced."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _REFERENCE.sub(_character, raw) if "&" in raw else raw


class _PlainSheet:
    def __init__(self, strings: list[str], dated: set[str], path, max_rows: int, value_text) -> None:
        self.strings, self.dated, self.path, self.max_rows = strings, dated, path, max_rows
        self.value_text = value_text
        self.rows: list[tuple[int, list[str]]] = []
        self.number = 0
        #: Column letters → column index, worked out once per letters.
        self.columns: dict[str, int] = {}

    def column(self, letters: str) -> int:
        index = self.columns.get(letters)
        if index is None:
            index = 0
            for letter in letters:
                index = index * 26 + ord(letter) - 64
            index = self.columns[letters] = index - 1
        return index

    def take_rows(self, text: str) -> None:
        """Read ``text``, a run of whole rows and nothing else; :class:`_NotPlain` when it is not."""
        tokens = _TOKEN.findall(text)
        # Matches never overlap and come in order: they cover the text exactly when their lengths add up to it.
        if sum(map(len, map(itemgetter(0), tokens))) != len(text.rstrip(" \t\r\n")):
            raise _NotPlain
        # Character data needs work only where a line end or a reference appears: mostly nowhere.
        text_of = _xml_text if "&" in text or "\r" in text else str
        cells: list[str] | None = None
        columns, value_text, strings, dated = self.columns, self.value_text, self.strings, self.dated
        for _, attributes, empty, row_end, letters, style, kind, style_after, inline, value in tokens:
            if letters:
                if cells is None:
                    raise _NotPlain  # a cell outside a row
                at = columns.get(letters)
                if at is None:
                    at = self.column(letters)
                if at != len(cells):
                    if at < len(cells):
                        raise _NotPlain  # cells out of order: the element reader leaves them to openpyxl
                    cells.extend([""] * (at - len(cells)))
                kind = kind[4:-1] if kind else "n"
                if kind == "inlineStr":
                    cells.append(text_of(inline))
                elif not value:
                    cells.append("")
                else:
                    cells.append(value_text(kind, style[1:-1] or style_after[1:-1], text_of(value), strings, dated))
            elif row_end:
                if cells is None:
                    raise _NotPlain
                cells = None
            else:
                if cells is not None:
                    raise _NotPlain  # a row inside a row
                cells = self.start_row(attributes)
                if empty:
                    cells = None
        if cells is not None:
            raise _NotPlain

    def start_row(self, attributes: str) -> list[str]:
        """The list a new row's cells go into, once the row is counted."""
        if "xmlns" in attributes:
            raise _NotPlain  # a namespace declared on a row: the element reader sorts it out
        reference = dict(_ATTRIBUTE.findall(attributes)).get("r") if attributes else None
        # As the element reader: a row without a number follows the last; a bad number is openpyxl's to read.
        self.number = number = int(reference) if reference else self.number + 1
        if number > self.max_rows:
            raise LoadError(self.path, f"the first sheet has more than {self.max_rows} rows")
        cells: list[str] = []
        self.rows.append((number, cells))
        return cells


def plain_sheet_rows(
    handle: BinaryIO, path, limit: int, strings: list[str], dated: set[str], max_rows: int, value_text
) -> list[tuple[int, list[str]]] | None:
    """The rows of a worksheet part, or None when it is not plain (or not well-formed): read it with elements.

    ``value_text(kind, style, text, strings, dated)`` turns a cell's value into
    its text, as the element reader does. Raises :class:`LoadError` past
    ``max_rows`` rows or ``limit`` bytes, as that reader does.
    """
    checker = prolog_parser(root_allowed=True)
    decoder = codecs.getincrementaldecoder("utf-8")()
    sheet = _PlainSheet(strings, dated, path, max_rows, value_text)
    head: str | None = ""  # the text before <sheetData>, None once it is found
    pending = ""
    try:
        for chunk in read_chunks(handle, path, limit):
            checker.Parse(chunk, False)
            text = decoder.decode(chunk)
            if head is not None:
                searched, head = max(0, len(head) - len("<sheetData>")), head + text
                start = head.find("<sheetData>", searched)
                if start < 0:
                    continue
                _check_head(head[:start])
                text, head = head[start + len("<sheetData>") :], None
            pending += text
            last = pending.rfind("</row>")
            if last >= 0:
                sheet.take_rows(pending[: last + len("</row>")])
                pending = pending[last + len("</row>") :]
        checker.Parse(b"", True)
        pending += decoder.decode(b"", True)
        end = pending.find("</sheetData>")
        if head is not None or end < 0 or _ANY_ROW.search(pending, end):
            return None
        sheet.take_rows(pending[:end])
    except (_NotPlain, ValueError, LookupError, expat.ExpatError, DefusedXmlException):
        return None  # the element reader reads it, and names what is wrong
    return sheet.rows


def _check_head(head: str) -> None:
    """The document before ``<sheetData>``: UTF-8, one default namespace (the sheet's), no comment, no row."""
    declared = _ENCODING.match(head)
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise _NotPlain
    if head.count("xmlns=") != 1 or _MAIN_NAMESPACE not in head or "<!--" in head or "<![CDATA[" in head:
        raise _NotPlain
    if not re.search(r"<worksheet[\s>]", head) or _ANY_ROW.search(head):
        raise _NotPlain
