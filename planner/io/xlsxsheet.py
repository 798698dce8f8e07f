"""The first sheet of an XLSX workbook as rows of text, streamed in C: what an HR export needs. No Qt here.

openpyxl reads a cell at a time in Python: a 300,000-row export took
minutes. Here the sheet's XML is streamed like GraphML
(:mod:`planner.io.xmlstream`: no DTD, no entities, nothing fetched) and each
row taken as it ends, its cells' text found through the shared strings.
Cells come out as openpyxl's values turned into text would: numbers without
a needless ``.0``, ``True``/``False``, error codes as written. A workbook with
what this reader does not follow (dates, which need their number formats,
or parts it cannot find) is left to openpyxl: :func:`first_sheet_rows`
returns None.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from pathlib import Path

from planner.io.errors import LoadError
from planner.io.xlsxfast import plain_sheet_rows
from planner.io.xmlstream import ended_elements

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]+)([0-9]+)")
_INTEGER = re.compile(r"-?[0-9]+")
#: Number formats Excel has built in that show dates or times.
_DATE_FORMATS = frozenset((*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)))
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)


class _Unfollowed(Exception):
    """Something this reader leaves to openpyxl."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _elements(archive: zipfile.ZipFile, name: str, path: Path, limit: int):
    try:
        handle = archive.open(name)
    except KeyError:
        raise _Unfollowed from None
    with handle:
        for events in ended_elements(handle, path, limit):
            yield from events


def _first_sheet_name(archive: zipfile.ZipFile, path: Path, limit: int) -> str:
    first = None
    for _, element in _elements(archive, "xl/workbook.xml", path, limit):
        if _local(element.tag) == "sheet" and first is None:
            first = element.get(f"{_REL}id")
    if first is None:
        raise _Unfollowed
    for _, element in _elements(archive, "xl/_rels/workbook.xml.rels", path, limit):
        if element.tag == f"{_PACKAGE_REL}Relationship" and element.get("Id") == first:
            target = element.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    raise _Unfollowed


def _shared_strings(archive: zipfile.ZipFile, path: Path, limit: int) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.NameToInfo:
        return []
    strings: list[str] = []
    for _, element in _elements(archive, "xl/sharedStrings.xml", path, limit):
        if element.tag == f"{_MAIN}si":
            strings.append(_text_of(element))
            element.clear()
    return strings


def _text_of(element: ET.Element) -> str:
    """The text of a string item: its ``t`` elements, phonetic guides (``rPh``) left out, as openpyxl does."""
    direct = element.find(f"{_MAIN}t")
    if direct is not None and len(element) == 1:
        return direct.text or ""
    return "".join(t.text or "" for run in element.iter(f"{_MAIN}r") for t in run.iter(f"{_MAIN}t")) or (
        direct.text or "" if direct is not None else ""
    )


def _date_styles(archive: zipfile.ZipFile, path: Path, limit: int) -> set[str]:
    """The style indexes (``s`` of a cell) whose number format shows a date or a time."""
    if "xl/styles.xml" not in archive.NameToInfo:
        return set()
    custom: dict[int, str] = {}
    formats: list[int] = []  # the number format of each cell format (cellXfs), in order
    for _, element in _elements(archive, "xl/styles.xml", path, limit):
        name = _local(element.tag)
        if name == "numFmt":
            custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
        elif name == "cellXfs":
            formats = [int(xf.get("numFmtId", "0")) for xf in element if _local(xf.tag) == "xf"]
    dated = set()
    for index, number_format in enumerate(formats):
        code = re.sub(r'\[[^]]*\]|"[^"]*"', "", custom.get(number_format, ""))
        if number_format in _DATE_FORMATS or (number_format in custom and _DATE_CODE.search(code)):
            dated.add(str(index))
    return dated


def _column(reference: str | None, following: int) -> int:
    if not reference:
        return following
    match = _CELL_REF.fullmatch(reference)
    if match is None:
        raise _Unfollowed
    number = 0
    for letter in match.group(1):
        number = number * 26 + ord(letter) - 64
    return number - 1


def _number_text(value: str) -> str:
    if _INTEGER.fullmatch(value):
        return str(int(value))
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def _cell_text(cell: ET.Element, strings: list[str], dated: set[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(f"{_MAIN}is")
        return _text_of(inline) if inline is not None else ""
    value = cell.find(f"{_MAIN}v")
    text = value.text if value is not None and value.text is not None else None
    if text is None:
        return ""
    return value_text(kind, cell.get("s"), text, strings, dated)


def value_text(kind: str, style: str | None, text: str, strings: list[str], dated: set[str]) -> str:
    """A cell's text from its type (``t``), style (``s``) and value (``v``, not empty)."""
    if kind == "s":
        return strings[int(text)]
    if kind == "n":
        if style in dated:
            raise _Unfollowed  # a date: its number format says how openpyxl shows it
        return _number_text(text)
    if kind == "b":
        return "True" if text.strip() in ("1", "true") else "False"
    if kind in ("str", "e"):
        return text
    raise _Unfollowed  # "d" (an ISO date) and anything newer


def first_sheet_rows(path: Path, max_rows: int, limit: int) -> list[tuple[int, Sequence[str]]] | None:
    """The rows of the workbook's first sheet as (row number, cells' text); None to leave it to openpyxl.

    A row's cells may end with empty ones (the sheet's width), as openpyxl's do.

    Raises :class:`LoadError` for a sheet of more than ``max_rows`` rows, for
    unsafe or malformed XML, and for a part unpacking past ``limit`` bytes.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            sheet = _first_sheet_name(archive, path, limit)
            strings = _shared_strings(archive, path, limit)
            dated = _date_styles(archive, path, limit)
            try:
                handle = archive.open(sheet)
            except KeyError:
                raise _Unfollowed from None
            with handle:
                rows = plain_sheet_rows(handle, path, limit, strings, dated, max_rows, value_text)
            if rows is not None:
                return rows
            return _rows(_elements(archive, sheet, path, limit), strings, dated, path, max_rows)
    except (_Unfollowed, zipfile.BadZipFile, OSError, ValueError, IndexError, EOFError):
        return None


def _rows(elements, strings: list[str], dated: set[str], path: Path, max_rows: int) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    cell_tag, row_tag = f"{_MAIN}c", f"{_MAIN}row"
    number = 0
    for _, element in elements:
        if element.tag != row_tag:
            continue
        reference = element.get("r")
        number = int(reference) if reference else number + 1
        if number > max_rows:
            raise LoadError(path, f"the first sheet has more than {max_rows} rows")
        cells: list[str] = []
        for cell in element.iterfind(cell_tag):
            column = _column(cell.get("r"), len(cells))
            if column < len(cells):
                raise _Unfollowed
            cells.extend([""] * (column - len(cells)))
            cells.append(_cell_text(cell, strings, dated))
        rows.append((number, cells))
        element.clear()
    return rows
