"""A worksheet's rows read with regular expressions, when its XML is written the plain way. No Qt here.

The streamed reader of :mod:`planner.io.xlsxsheet` builds an element for
every ``row``, ``c``, ``is``, ``t`` and ``v`` of the sheet and hands each to
Python: most of half a minute for a 300,000-row export. Sheets written by
spreadsheet programs and libraries are far more regular than XML allows, so
here the rows are matched in C against the forms they write
(``<c r="B2" t="inlineStr"><is><t>Ann</t></is></c>``, ``<c r="C2" s="1"
t="s"><v>7</v></c>``...): first a whole row at a time, by a pattern made for
the sheet's width (its cells' column letters written out), and where that
does not fit, a row or cell at a time.

The patterns accept only well-formed XML (names in ASCII, attribute values
without ``<``, ``&`` or line ends, character data without ``<``), and what
they cannot see is checked over the same text in C: no character XML
forbids, every ``&`` starting a reference to a character XML allows, no
``]]>``, no attribute given twice, prefixes declared. So the rows need no
parser: expat with defusedxml's refusals (no DTD, no entities) reads the
document without them, everything up to ``<sheetData>`` and from
``</sheetData>`` on, and says the start tag found is the sheet data's, in
the sheet's namespace, and no row is anywhere else. The moment the document
is not UTF-8, not well-formed, unsafe, or holds anything the patterns do not
match exactly (comments, formulas, rich text, namespaces, pretty printing
inside a cell...), :func:`plain_sheet_rows` returns None and the element
reader reads the sheet as before, and names what is wrong. Whatever it does
return is what that reader returns, but for empty cells at the end of a row
(tests/io/test_xlsxfast.py compares the two).
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import BinaryIO
from xml.parsers import expat

from defusedxml import DefusedXmlException

from planner.io.errors import LoadError
from planner.io.xmlstream import prolog_parser, read_chunks

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
_SPACE = "[ \t\r\n]*"
#: A name as the patterns accept it: ASCII letters, digits and ``_.-``, one prefix at most.
_NAME = "[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?"
_VALUE = '"[^"<>&\t\r\n]*"'
#: One token of a run of rows, whole (group 1): a row's start tag (its attributes, prefixed ones allowed as
#: Excel's x14ac:dyDescent, and a slash when it has no cells), a row's end tag, or a whole cell (its column
#: letters, style and type in either order, then an inline string, a value or nothing). Groups that take no
#: part come out as "": the type is matched with its name, so that a type given as "" is told from none.
_TOKEN = re.compile(
    "("
    + _SPACE
    + "(?:"
    + rf"<row((?: {_NAME}={_VALUE})*){_SPACE}(/?)>"
    + "|(</row>)"
    + rf'|<c r="([A-Z]+)[0-9]+"(?: s=({_VALUE}))?( t="[A-Za-z]*")?(?: s=({_VALUE}))?{_SPACE}'
    + r"(?:/>|>(?:<is><t(?: xml:space=\"preserve\")?>([^<]*)</t></is>|<is><t/></is>|<v>([^<]*)</v>|<v/>)?</c>)"
    + "))"
)
_ATTRIBUTE = re.compile(r' ([\w.:-]+)="([^"]*)"')
_REFERENCE = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
#: Bytes XML allows nowhere: control characters other than tab and line ends (never part of a longer one in UTF-8).
_FORBIDDEN_BYTES = bytes((*range(0, 9), 11, 12, *range(14, 32)))
#: Whole-row patterns are made for sheets up to this wide; wider ones are read a cell at a time.
_WIDEST_PATTERN = 256
#: After this many runs of rows in a row that no whole-row pattern fits, they are no longer tried.
_MISSES_ALLOWED = 8


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


def _allowed_reference(name: str) -> bool:
    if name[0] != "#":
        return True
    code = int(name[2:], 16) if name[1] == "x" else int(name[1:])
    return code in (9, 10, 13) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF


def _check_text(text: str) -> None:
    """What the patterns cannot see in a run of rows: references, ``]]>``, and U+FFFE and U+FFFF."""
    if "&" in text:
        references = _REFERENCE.findall(text)
        if len(references) != text.count("&") or not all(map(_allowed_reference, references)):
            raise _NotPlain
    if "]" in text and "]]>" in text:
        raise _NotPlain
    if "\ufffe" in text or "\uffff" in text:
        raise _NotPlain


def _letters(index: int) -> str:
    """A column's letters: 0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@functools.lru_cache(maxsize=8)
def _row_pattern(width: int, inline_only: bool) -> re.Pattern:
    """A whole row of at most ``width`` cells in order, as (the row, its number, its other attributes, cells...).

    Inline only, each cell is one group, its inline string (openpyxl's write-only sheets); otherwise
    four: style, inline string, type and value (Excel's shared strings and numbers).
    """
    text = r'<is><t(?: xml:space="preserve")?>([^<]*+)</t></is></c>'
    if inline_only:
        cell = '<c r="{}[0-9]++" t="inlineStr"(?: ?/>|>' + text + ")"
    else:
        cell = (
            '<c r="{}[0-9]++"(?: s="([0-9]++)")?(?: t="inlineStr"(?: ?/>|>' + text + ")"
            r'|(?: t="(s|n|b|e|str)")?(?: ?/>|><v>([^<]*+)</v></c>))'
        )
    cells = "".join(f"(?:{cell.format(_letters(index))}|)" for index in range(width))
    return re.compile(f'({_SPACE}<row r="([0-9]++)"((?: {_NAME}={_VALUE})*+)(?: ?/>|>{cells}</row>))')


class _PlainSheet:
    def __init__(self, strings: list[str], dated: set[str], path, max_rows: int, value_text) -> None:
        self.strings, self.dated, self.path, self.max_rows = strings, dated, path, max_rows
        self.value_text = value_text
        self.rows: list[tuple[int, Sequence[str]]] = []
        self.number = 0
        #: Column letters → column index, worked out once per letters.
        self.columns: dict[str, int] = {}
        #: The widest row read a cell at a time, and the whole-row patterns to try, the last that fitted first.
        self.width = 0
        self.patterns: list[bool] = []
        self.misses = 0
        #: Rows' attributes as written after ``r="..."`` (whole-row patterns) and whole (cell at a time).
        self.attributes_after_number: set[str] = set()
        self.attributes: set[str] = set()

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
        _check_text(text)
        text_of = _xml_text if "&" in text or "\r" in text else str
        for inline_only in self.patterns:
            if self.take_whole_rows(text, inline_only, text_of):
                self.misses = 0
                if self.patterns[0] != inline_only:
                    self.patterns.reverse()
                return
        self.misses += 1
        first = len(self.rows)
        self.take_tokens(text, text_of)
        width = max(map(len, map(itemgetter(1), self.rows[first:])), default=0)
        if self.misses > _MISSES_ALLOWED or width > _WIDEST_PATTERN:
            self.patterns = []
        elif width > self.width:
            self.width, self.patterns = width, [True, False]

    def take_whole_rows(self, text: str, inline_only: bool, text_of) -> bool:
        """Read ``text`` by the whole-row pattern; False (nothing read) when it does not fit every row."""
        found = _row_pattern(self.width, inline_only).findall(text)
        # Matches never overlap and come in order: they cover the text exactly when their lengths add up to it.
        if sum(map(len, map(itemgetter(0), found))) != len(text.rstrip(" \t\r\n")):
            return False
        if not found:
            return True
        numbers = list(map(int, map(itemgetter(1), found)))
        if max(numbers) > self.max_rows:
            raise LoadError(self.path, f"the first sheet has more than {self.max_rows} rows")
        self.attributes_after_number.update(map(itemgetter(2), found))
        if inline_only and text_of is str:
            self.rows += zip(numbers, map(itemgetter(slice(3, None)), found), strict=True)  # the cells as matched
        elif inline_only:
            self.rows += zip(numbers, (tuple(map(text_of, groups[3:])) for groups in found), strict=True)
        else:
            self.rows += zip(numbers, (self.general_cells(groups, text_of) for groups in found), strict=True)
        self.number = numbers[-1]
        return True

    def general_cells(self, groups: tuple[str, ...], text_of) -> Sequence[str]:
        """The cells of a row matched by the general pattern: (style, inline string, type, value) each."""
        if not any(groups[6::4]):
            return groups[4::4] if text_of is str else tuple(map(text_of, groups[4::4]))  # inline strings only
        cells = []
        value_text, strings, dated = self.value_text, self.strings, self.dated
        for at in range(3, len(groups), 4):
            value = groups[at + 3]
            if not value:
                cells.append(text_of(groups[at + 1]))
            elif groups[at + 2] == "s":
                cells.append(strings[int(value)])
            else:
                cells.append(value_text(groups[at + 2] or "n", groups[at], text_of(value), strings, dated))
        return cells

    def take_tokens(self, text: str, text_of) -> None:
        """Read ``text`` a row's tag or a cell at a time."""
        tokens = _TOKEN.findall(text)
        if sum(map(len, map(itemgetter(0), tokens))) != len(text.rstrip(" \t\r\n")):
            raise _NotPlain
        cells: list[str] | None = None
        columns, value_text, strings, dated = self.columns, self.value_text, self.strings, self.dated
        for _, attributes, empty, row_end, letters, style, kind, style_after, inline, value in tokens:
            if letters:
                if cells is None or (style and style_after):
                    raise _NotPlain  # a cell outside a row, or a style given twice
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
        reference = None
        if attributes:
            self.attributes.add(attributes)
            reference = dict(_ATTRIBUTE.findall(attributes)).get("r")
        # As the element reader: a row without a number follows the last; a bad number is openpyxl's to read.
        self.number = number = int(reference) if reference else self.number + 1
        if number > self.max_rows:
            raise LoadError(self.path, f"the first sheet has more than {self.max_rows} rows")
        cells: list[str] = []
        self.rows.append((number, cells))
        return cells

    def check_attributes(self, prefixes: dict[str, str]) -> None:
        """Every row's attributes as a namespace-aware parser wants them: prefixes declared, none given twice."""
        written = [' r="1"' + after for after in self.attributes_after_number if after]
        for attributes in (*written, *self.attributes):
            seen = set()
            for name, _ in _ATTRIBUTE.findall(attributes):
                prefix, _, local = name.rpartition(":")
                if name == "xmlns" or prefix == "xmlns":
                    raise _NotPlain  # a namespace declared on a row: the element reader sorts it out
                namespace = (_XML_NAMESPACE if prefix == "xml" else prefixes.get(prefix)) if prefix else ""
                if namespace is None or (namespace, local) in seen:
                    raise _NotPlain
                seen.add((namespace, local))


class _Outline:
    """expat with defusedxml's refusals over the document without its rows: what comes before and after them."""

    def __init__(self) -> None:
        self.parser = parser = prolog_parser(root_allowed=True)
        parser.XmlDeclHandler = self.declared
        parser.StartElementHandler = self.started
        parser.StartNamespaceDeclHandler = self.scope_starts
        parser.EndNamespaceDeclHandler = self.scope_ends
        self.fed = 0
        self.odd = False
        #: Where the sheet data starts as found in the text, and as expat found it (bytes into what it was fed).
        self.expected = -1
        self.sheet_data_starts: list[int] = []
        self.rows = 0
        self.scopes: dict[str, list[str]] = {}
        #: The prefixes declared where the sheet data starts.
        self.prefixes: dict[str, str] = {}

    def feed(self, text: str, final: bool = False) -> None:
        data = text.encode("utf-8")
        self.fed += len(data)
        self.parser.Parse(data, final)

    def declared(self, version, encoding, standalone) -> None:
        if encoding and encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
            self.odd = True  # another encoding: the element reader decodes it so

    def started(self, name: str, attributes) -> None:
        if name == f"{_MAIN}}}sheetData":
            self.sheet_data_starts.append(self.parser.CurrentByteIndex)
            self.prefixes = {prefix: uris[-1] for prefix, uris in self.scopes.items() if uris and prefix}
        elif name == f"{_MAIN}}}row":
            self.rows += 1  # a row outside the sheet data, which the element reader would read too

    def scope_starts(self, prefix, uri) -> None:
        self.scopes.setdefault(prefix, []).append(uri)

    def scope_ends(self, prefix) -> None:
        self.scopes[prefix].pop()

    def check(self) -> None:
        """:class:`_NotPlain` unless the start tag cut at was the one sheet data, in the sheet's namespace."""
        if self.odd or self.rows or self.sheet_data_starts != [self.expected]:
            raise _NotPlain


def plain_sheet_rows(
    handle: BinaryIO, path, limit: int, strings: list[str], dated: set[str], max_rows: int, value_text
) -> list[tuple[int, Sequence[str]]] | None:
    """The rows of a worksheet part, or None when it is not plain (or not well-formed): read it with elements.

    ``value_text(kind, style, text, strings, dated)`` turns a cell's value into
    its text, as the element reader does. Raises :class:`LoadError` past
    ``max_rows`` rows or ``limit`` bytes, as that reader does. A row's cells
    may end with empty ones the element reader leaves out.
    """
    chunks = _checked(read_chunks(handle, path, limit))
    decoder = codecs.getincrementaldecoder("utf-8")()
    outline = _Outline()
    sheet = _PlainSheet(strings, dated, path, max_rows, value_text)
    try:
        body = _head(chunks, decoder, outline)
        tail = None if body is None else _body(chunks, decoder, sheet, body)
        if tail is None:
            return None
        outline.feed(tail)
        for chunk in chunks:
            outline.feed(decoder.decode(chunk))
        outline.feed(decoder.decode(b"", True), final=True)
        outline.check()
        sheet.check_attributes(outline.prefixes)
    except (_NotPlain, ValueError, LookupError, expat.ExpatError, DefusedXmlException):
        return None  # the element reader reads it, and names what is wrong
    return sheet.rows


def _checked(chunks: Iterator[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        if len(chunk.translate(None, _FORBIDDEN_BYTES)) != len(chunk):
            raise _NotPlain
        yield chunk


def _head(chunks: Iterator[bytes], decoder, outline: _Outline) -> str | None:
    """Feed ``outline`` the document up to ``<sheetData>``; the text read after it (None: none found)."""
    carried = ""  # the end of the text before, where the tag may start
    for chunk in chunks:
        text = decoder.decode(chunk)
        start = (carried + text).find("<sheetData>")
        if start >= 0:
            end = start + len("<sheetData>") - len(carried)
            outline.feed(text[:end])
            outline.expected = outline.fed - len("<sheetData>")
            return text[end:]
        outline.feed(text)
        carried = (carried + text)[-len("<sheetData") :]
    return None


def _body(chunks: Iterator[bytes], decoder, sheet: _PlainSheet, text: str) -> str | None:
    """Read the rows from ``text`` on; the text from ``</sheetData>`` on (None: not found)."""
    pending, searched = text, 0
    while True:
        end = pending.find("</sheetData>", searched)
        if end >= 0:
            sheet.take_rows(pending[:end])
            return pending[end:]
        # Everything before the last row's start is whole rows (rows written "<row r="9"/>" too), if plain.
        last = pending.rfind("<row", searched)
        if last > 0:
            sheet.take_rows(pending[:last])
            pending = pending[last:]
        searched = max(1, len(pending) - len("</sheetData"))
        chunk = next(chunks, None)
        if chunk is None:
            return None
        pending += decoder.decode(chunk)
