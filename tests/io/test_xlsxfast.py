"""The pattern reader of plain worksheets gives exactly the element reader's rows, or leaves the sheet to it."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.io import xlsxfast, xlsxsheet
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


# -- the patterns read no document a parser would refuse ------------------------------------------------------

#: Rows of both kinds the whole-row patterns read: Excel's (shared strings, numbers, styles, row attributes)
#: and openpyxl's write-only (inline strings).
_MIXED_ROWS = "".join(
    f'<row r="{n}" spans="1:3" x14ac:dyDescent="0.25"><c r="A{n}" t="inlineStr"><is><t>Ann &amp; {n}</t></is></c>'
    f'<c r="B{n}" s="1" t="s"><v>{n % 3}</v></c><c r="C{n}"><v>{n}</v></c></row>'
    for n in range(1, 7)
) + "".join(
    f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Bo {n}</t></is></c><c r="B{n}" t="inlineStr" /></row>'
    for n in range(7, 14)
)


def _trimmed(rows):
    trimmed = []
    for number, cells in rows:
        cells = list(cells)
        while cells and not cells[-1]:
            cells.pop()
        trimmed.append((number, cells))
    return trimmed


def _agrees(document: str) -> None:
    """The pattern reader leaves ``document`` to the element reader, or reads what it reads; never less safe."""
    try:
        plain, reference = _both(document)
    except (LoadError, xlsxsheet._Unfollowed):
        return  # a row past the cap, or a date or unknown type, as the element reader finds it (openpyxl reads)
    if isinstance(reference, Exception):
        assert plain is None, f"read a document the element reader refuses ({reference!r})"
    elif plain is not None:
        assert _trimmed(plain) == _trimmed(reference)


def test_the_mixed_rows_are_read_by_the_whole_row_patterns(monkeypatch):
    monkeypatch.setattr("planner.io.xmlstream.CHUNK_BYTES", 150)
    plain, reference = _both(_HEAD + _MIXED_ROWS + _TAIL)
    assert plain is not None and _trimmed(plain) == _trimmed(reference)
    assert _trimmed(plain)[2] == (3, ["Ann & 3", "Ann Lee", "3"])


ODD_ROWS = {
    "an attribute given twice on a row": _MIXED_ROWS.replace('spans="1:3"', 'spans="1:3" spans="2:3"', 1),
    "a row's number given twice": _MIXED_ROWS.replace('<row r="9">', '<row r="9" r="10">'),
    "a style given twice": _MIXED_ROWS.replace('<c r="B2" s="1" t="s">', '<c r="B2" s="1" t="s" s="2">'),
    "a control character in a cell": _MIXED_ROWS.replace("Bo 9", "Bo\x019"),
    "a control character in an attribute": _MIXED_ROWS.replace('spans="1:3"', 'spans="1\x02:3"', 1),
    "a reference to NUL": _MIXED_ROWS.replace("Bo 9", "Bo &#0;"),
    "a reference to U+FFFE": _MIXED_ROWS.replace("Bo 9", "Bo &#xFFFE;"),
    "a reference to an undeclared entity": _MIXED_ROWS.replace("Bo 9", "Bo &nbsp;"),
    "a bare ampersand": _MIXED_ROWS.replace("Bo 9", "Bo & 9"),
    "]]> in a cell": _MIXED_ROWS.replace("Bo 9", "Bo ]]> 9"),
    "U+FFFF in a cell": _MIXED_ROWS.replace("Bo 9", "Bo \uffff"),
    "a prefix declared on another element only": _MIXED_ROWS.replace('<row r="9">', '<row r="9" q:a="1">'),
    "a name outside ASCII": _MIXED_ROWS.replace('<row r="9">', '<row r="9" é="1">'),
}


@pytest.mark.parametrize("rows", ODD_ROWS.values(), ids=ODD_ROWS.keys())
@pytest.mark.parametrize("chunk", [150, 1 << 16])
def test_rows_a_parser_would_refuse_are_left_to_the_element_reader(monkeypatch, rows, chunk):
    monkeypatch.setattr("planner.io.xmlstream.CHUNK_BYTES", chunk)
    head = _HEAD.replace("<dimension", '<sheetPr xmlns:q="urn:q"/><dimension')
    assert _both(head + rows + _TAIL)[0] is None
    _agrees(head + rows + _TAIL)


def test_rows_hidden_in_a_comment_before_the_sheet_data_are_not_read():
    document = _HEAD.replace("<sheetData>", "<!-- <sheetData>") + _MIXED_ROWS + "</sheetData> --><sheetData/>"
    document += _TAIL.replace("</sheetData>", "")
    plain, reference = _both(document)
    assert reference == [] and plain is None


def test_one_attribute_through_two_prefixes_is_refused():
    head = _HEAD.replace('">', '" xmlns:a="urn:x" xmlns:b="urn:x">', 1)
    rows = _MIXED_ROWS.replace('<row r="9">', '<row r="9" a:z="1" b:z="2">')
    assert _both(head + rows + _TAIL)[0] is None
    assert _both(head + rows.replace("b:z", "b:y") + _TAIL)[0] is not None


#: What the fuzzer inserts: markup, references, characters XML refuses, names and attributes.
_SNIPPETS = [
    "<", ">", "&", "&amp;", "&#0;", "&#x41;", "&#xD800;", "&#65;", "&bogus;", "]]>", "\x01", "\x0b", "\uffff", "é",
    '"', "'", " ", "\r\n", "\r", "<!-- c -->", "<?pi x?>", "<![CDATA[x]]>", ' a="1"', ' a="1" a="2"', ' r="5"',
    ' x14ac:q="1"', ' zz:q="1"', ' xmlns:zz="u"', ' xmlns="urn:o"', "</row>", "<row>", '<row r="3"/>',
    '<c r="B1"/>', '<c r="A1" t="d"><v>1</v></c>', "<sheetData>", "</sheetData>", ' s="1"', "/", "<v>1</v>",
    "<x/>", "\ufeff", '<c r="Z1" t="inlineStr"><is><t>x</t></is></c>',
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(_SNIPPETS), st.integers(0, 3)), min_size=1, max_size=3),
    chunk=st.sampled_from([61, 150, 1 << 16]),
)
def test_a_mangled_sheet_is_read_as_the_element_reader_reads_it_or_left_to_it(monkeypatch, edits, chunk):
    monkeypatch.setattr("planner.io.xmlstream.CHUNK_BYTES", chunk)
    document = _HEAD + _MIXED_ROWS + _TAIL
    for where, snippet, removed in edits:
        at = int(where * len(document))
        document = document[:at] + snippet + document[at + removed :]
    _agrees(document)


def test_rows_written_self_closed_are_read_a_run_at_a_time(monkeypatch):
    # Runs of rows end where the last row starts, so a sheet of empty rows "<row r="9"/>" is not held whole.
    monkeypatch.setattr("planner.io.xmlstream.CHUNK_BYTES", 97)
    runs = []
    original = xlsxfast._PlainSheet.take_rows
    monkeypatch.setattr(xlsxfast._PlainSheet, "take_rows", lambda self, text: runs.append(text) or original(self, text))
    rows = "".join(f'<row r="{n}"/>' for n in range(1, 300)) + '<row r="300"><c r="A300"><v>7</v></c></row>'
    plain, reference = _both(_HEAD + rows + _TAIL)
    assert _trimmed(plain) == _trimmed(reference) and plain[-1] == (300, ["7"])
    assert len(runs) > 30 and max(map(len, runs)) < 200
