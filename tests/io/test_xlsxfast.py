"""The pattern reader of plain worksheets gives exactly the element reader's rows, or leaves the sheet to it."""

from __future__ import annotations

import io
import zipfile

import pytest

from planner.io import xlsxsheet
from planner.io.errors import LoadError
from planner.io.xlsxfast import plain_sheet_rows

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
    '<dimension ref="A1:D3"/><sheetData>'
)
_TAIL = '</sheetData><pageMargins left="0.7" right="0.7"/></worksheet>'
_STRINGS = ["Ann Lee", "Product Owner", "Bo & Co"]


def _both(sheet_xml: str, max_rows: int = 1000, strings=_STRINGS, dated=frozenset({"3"})):
    """(pattern reader's rows or None, element reader's rows or the exception it raised)."""
    data = sheet_xml.encode("utf-8")
    plain = plain_sheet_rows(
        io.BytesIO(data), "sheet.xml", 10**8, list(strings), set(dated), max_rows, xlsxsheet.value_text
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sheet.xml", data)
    with zipfile.ZipFile(buffer) as archive:
        elements = xlsxsheet._elements(archive, "sheet.xml", "sheet.xml", 10**8)
        try:
            reference = xlsxsheet._rows(elements, list(strings), set(dated), "sheet.xml", max_rows)
        except Exception as exc:  # noqa: BLE001 - what the element reader raises is compared by type
            reference = exc
    return plain, reference


PLAIN_ROWS = {
    "openpyxl write-only (inline strings, spaces before />)": '<row r="1"><c r="A1" t="inlineStr"><is>'
    '<t>Employee ID</t></is></c><c r="B1" t="inlineStr" /></row>'
    '<row r="2"><c r="A2" t="n"><v>1001</v></c><c r="C2" t="b"><v>1</v></c></row>',
    "shared strings, styles before and after the type, Excel's row attributes": '<row r="1" spans="1:4" '
    'x14ac:dyDescent="0.25"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" t="s" s="2"><v>2</v></c></row>'
    '<row r="2"><c r="A2"><v>2.50</v></c><c r="B2"><v>1E+20</v></c><c r="D2" t="str"><v>x</v></c></row>',
    "gaps, empty rows and cells, rows without numbers": '<row r="3"><c r="C3" t="inlineStr"><is><t/></is></c>'
    '<c r="D3"><v></v></c></row><row/><row><c r="B1"><v/></c><c r="E1" t="e"><v>#N/A</v></c></row><row r="9"/>',
    "references, line ends and preserved spaces in text": '<row r="1"><c r="A1" t="inlineStr"><is>'
    '<t xml:space="preserve"> Bo &amp; Co &#233;&#x4E2D; &lt;x&gt;\r\nnext&quot;&apos;</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>a\rb</t></is></c></row>',
    "whitespace between rows and cells": '\n  <row r="1">\n    <c r="A1" t="inlineStr"><is><t>x</t></is></c>'
    "\n  </row>\n",
    "a type given empty, and booleans": '<row r="1"><c r="A1" t=""/><c r="B1" t="b"><v>0</v></c></row>',
}


@pytest.mark.parametrize("rows", PLAIN_ROWS.values(), ids=PLAIN_ROWS.keys())
def test_plain_sheets_give_the_element_readers_rows(rows):
    plain, reference = _both(_HEAD + rows + _TAIL)
    assert plain is not None
    assert plain == reference


NOT_PLAIN = {
    "a formula": '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',
    "rich text": '<row r="1"><c r="A1" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>',
    "a comment": '<row r="1"><!-- x --><c r="A1"><v>1</v></c></row>',
    "CDATA": '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<b>]]></t></is></c></row>',
    "a cell without a reference": '<row r="1"><c t="inlineStr"><is><t>x</t></is></c></row>',
    "a namespace declared on a row": '<row r="1" xmlns="urn:other"><c r="A1"><v>1</v></c></row>',
    "a row with attributes in single quotes": "<row r='1'><c r=\"A1\"><v>1</v></c></row>",
}


@pytest.mark.parametrize("rows", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_anything_else_is_left_to_the_element_reader(rows):
    plain, _ = _both(_HEAD + rows + _TAIL)
    assert plain is None


@pytest.mark.parametrize(
    "document",
    [
        # A DTD (and with it any entity) is refused by the element reader, never read here.
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e "boom">]>'
        + _HEAD.split("?>", 1)[1]
        + '<row r="1"><c r="A1"><v>&e;</v></c></row>'
        + _TAIL,
        # Not well-formed after the rows, and an undefined entity inside them.
        _HEAD + '<row r="1"><c r="A1"><v>1</v></c></row>' + _TAIL + "<oops>",
        _HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>' + _TAIL,
        # Another default namespace where the sheet data starts: the rows are not the sheet's.
        _HEAD.replace("<sheetData>", '<x xmlns="urn:other"><sheetData>')
        + '<row r="1"/>'
        + _TAIL.replace("</sheetData>", "</sheetData></x>"),
        # A row after the sheet data, which the element reader would read too.
        _HEAD + '<row r="1"/>' + _TAIL.replace("</worksheet>", '<row r="2"/></worksheet>'),
        # A prefix nobody declared.
        _HEAD + '<row r="1" y:z="1"><c r="A1"><v>1</v></c></row>' + _TAIL,
        # Another encoding declared.
        _HEAD.replace("UTF-8", "ISO-8859-1") + '<row r="1"/>' + _TAIL,
    ],
    ids=[
        "dtd",
        "trailing-garbage",
        "undefined-entity",
        "second-namespace",
        "row-after-data",
        "unbound-prefix",
        "latin-1",
    ],
)
def test_unsafe_or_odd_documents_are_left_to_the_element_reader(document):
    plain, _ = _both(document)
    assert plain is None


def test_the_row_cap_is_kept():
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 13))
    with pytest.raises(LoadError, match="more than 10 rows"):
        _both(_HEAD + rows + _TAIL, max_rows=10)


def test_a_large_plain_sheet_in_many_chunks_matches(monkeypatch):
    # Rows cut across the reader's chunks, both readers given the same small chunks.
    monkeypatch.setattr("planner.io.xmlstream.CHUNK_BYTES", 97)
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Person &amp; {n}</t></is></c>'
        f'<c r="C{n}" s="3"><v>{n}.0</v></c></row>'
        for n in range(1, 400)
    )
    plain, reference = _both(_HEAD + rows + _TAIL, dated=frozenset())
    assert plain is not None
    assert plain == reference
    assert plain[5] == (6, ["Person & 6", "", "6"])
