"""Workbooks of every shape give the same rows and the same drafted org through the pattern reader as
through the element reader and openpyxl, and the whole-row patterns are what reads the plain ones."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from planner.io import hr_import, hr_table, xlsxfast, xlsxsheet

openpyxl = pytest.importorskip("openpyxl")

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ["Employee ID", "Full Name", "Job Title", "Manager ID", "Team", "Product", "Department"]
TITLES = ["Chief Product Officer", "Product Manager", "Product Owner", "Software Engineer", "QA Engineer"]


def _people(count: int) -> list[list]:
    rows = [HEADER]
    for n in range(1, count + 1):
        manager = "" if n == 1 else str(1 + (n - 2) // 4)
        title = TITLES[min(n - 1, 1) if n < 3 else 2 + n % 3]
        team = "" if n < 3 else f"Team {n % 7}"
        name = f"Person {n} é&<\"'" if n % 11 == 0 else (f"  Padded {n} " if n % 13 == 0 else f"Person {n}")
        rows.append([str(1000 + n), name, title, manager and str(999 + int(manager)), team, "Atlas", ""])
    return rows


def _openpyxl_workbook(path: Path, rows: list[list], write_only: bool) -> Path:
    workbook = openpyxl.Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _package(path: Path, sheet_xml: str, shared: list[str] | None = None, rich: bool = False) -> Path:
    """A workbook written by hand: the sheet as given, shared strings (as rich text runs when ``rich``)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + (
                '<Override PartName="/xl/sharedStrings.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                if shared is not None
                else ""
            )
            + '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
            + (
                '<Relationship Id="rId2" Target="sharedStrings.xml" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
                if shared is not None
                else ""
            )
            + "</Relationships>",
        )
        if shared is not None:
            items = "".join(
                f"<si><r><t>{text[:3]}</t></r><r><rPr/><t>{text[3:]}</t></r></si>"
                if rich
                else f"<si><t>{text}</t></si>"
                for text in (_escaped(text) for text in shared)
            )
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN_NS}">{items}</sst>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _sheet(rows: str, head: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_MAIN_NS}" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
        f"{head}<sheetData>{rows}</sheetData></worksheet>"
    )


def _letters(index: int) -> str:
    return xlsxfast._letters(index)


def _excel_shared(path: Path, rows: list[list], rich: bool = False) -> Path:
    """As Excel writes: shared strings, ids as numbers, styles, spans and x14ac:dyDescent, no empty cells."""
    shared: dict[str, int] = {}
    out = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for index, value in enumerate(row):
            ref = f"{_letters(index)}{number}"
            if value == "":
                continue
            if value.isdigit():
                cells.append(f'<c r="{ref}" s="1"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" s="2" t="s"><v>{shared.setdefault(value, len(shared))}</v></c>')
        out.append(f'<row r="{number}" spans="1:7" x14ac:dyDescent="0.25">{"".join(cells)}</row>')
    head = f'<dimension ref="A1:G{len(rows)}"/>'
    return _package(path, _sheet("".join(out), head=head), list(shared), rich)


def _inline(path: Path, rows: list[list], wide: int = 0) -> Path:
    """Inline strings with references, preserved spaces, numbers among them; ``wide`` more columns of numbers."""
    out = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for index, value in enumerate([*row, *(str(n * number) for n in range(wide))]):
            ref = f"{_letters(index)}{number}"
            if value.isdigit() and index:
                cells.append(f'<c r="{ref}" t="n"><v>{value}</v></c>')
            elif value.strip() != value:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_escaped(value)}</t></is></c>')
            elif value:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{_escaped(value)}</t></is></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"/>')
        out.append(f'<row r="{number}">{"".join(cells)}</row>')
    out += [f'<row r="{len(rows) + n}"{" " * n}/>' for n in (1, 2)]  # empty rows, written self-closed
    return _package(path, _sheet("\n".join(out)))


def _rich_inline(path: Path, rows: list[list]) -> Path:
    """Every tenth name as inline rich text, which only the element reader reads."""
    out = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for index, value in enumerate(row):
            ref = f"{_letters(index)}{number}"
            text = f"<r><t>{_escaped(value[:2])}</t></r><r><t>{_escaped(value[2:])}</t></r>"
            if number % 10 != 0 or index != 1:
                text = f"<t>{_escaped(value)}</t>"
            cells.append(f'<c r="{ref}" t="inlineStr"><is>{text}</is></c>')
        out.append(f'<row r="{number}">{"".join(cells)}</row>')
    return _package(path, _sheet("".join(out)))


WORKBOOKS = {
    "openpyxl write-only (inline strings)": lambda path, rows: _openpyxl_workbook(path, rows, True),
    "openpyxl (shared strings)": lambda path, rows: _openpyxl_workbook(path, rows, False),
    "Excel-like shared strings, numbers and styles, empty cells left out": _excel_shared,
    "shared strings as rich text": lambda path, rows: _excel_shared(path, rows, rich=True),
    "inline strings with references, padding, numbers, empty rows": _inline,
    "a wide sheet (40 more columns)": lambda path, rows: _inline(path, rows, wide=40),
    "rich inline text (element reader)": _rich_inline,
}


def _rows_by(path: Path, monkeypatch, reader: str):
    with monkeypatch.context() as patched:
        if reader == "elements":
            patched.setattr(xlsxsheet, "plain_sheet_rows", lambda *args: None)
        elif reader == "openpyxl":
            patched.setattr(hr_table, "first_sheet_rows", lambda *args: None)
        return hr_table.read_table(path)


def _org(result):
    org = result.org
    nodes = sorted((node.id, node.kind, node.name, node.size) for node in org.nodes())
    return nodes, sorted(link.key for link in org.links()), [(p.row, p.message) for p in result.problems]


@pytest.mark.parametrize("write", WORKBOOKS.values(), ids=WORKBOOKS.keys())
def test_every_reader_gives_the_same_rows_and_org(tmp_path, monkeypatch, write):
    # Small chunks: the first run of rows is read a cell at a time, the rest by the whole-row patterns.
    monkeypatch.setattr("planner.io.xmlstream.CHUNK_BYTES", 2048)
    path = write(tmp_path / "people.xlsx", _people(240))
    fast = hr_table.read_table(path)
    assert fast == _rows_by(path, monkeypatch, "elements")
    assert fast == _rows_by(path, monkeypatch, "openpyxl")
    assert len(fast[1]) == 240
    imported = hr_import.import_people(path)
    with monkeypatch.context() as patched:
        patched.setattr(hr_table, "first_sheet_rows", lambda *args: None)
        assert _org(imported) == _org(hr_import.import_people(path))


@pytest.mark.parametrize(
    "write",
    [WORKBOOKS[name] for name in WORKBOOKS if "element reader" not in name],
    ids=[name for name in WORKBOOKS if "element reader" not in name],
)
def test_plain_sheets_are_read_by_the_whole_row_patterns(tmp_path, monkeypatch, write):
    monkeypatch.setattr("planner.io.xmlstream.CHUNK_BYTES", 2048)
    path = write(tmp_path / "people.xlsx", _people(240))
    fitted = []
    original = xlsxfast._PlainSheet.take_whole_rows

    def spy(self, text, inline_only, text_of):
        fitted.append(original(self, text, inline_only, text_of))
        return fitted[-1]

    monkeypatch.setattr(xlsxfast._PlainSheet, "take_whole_rows", spy)
    assert xlsxsheet.first_sheet_rows(path, 10_000, 10**8) is not None
    # A chunk may be tried with both patterns, and the last holds empty rows written with two spaces before "/>".
    assert fitted.count(True) >= 5 and fitted.count(True) > 0.8 * len(fitted)


def test_rich_inline_text_is_left_to_the_element_reader(tmp_path):
    path = _rich_inline(tmp_path / "people.xlsx", _people(30))
    with zipfile.ZipFile(path) as archive, archive.open("xl/worksheets/sheet1.xml") as handle:
        assert xlsxfast.plain_sheet_rows(handle, path, 10**8, [], set(), 100, xlsxsheet.value_text) is None
    assert hr_table.read_table(path)[1][9].cells[1] == "Person 10"
