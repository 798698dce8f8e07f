"""The gap report as an Excel workbook, opened with openpyxl and checked cell by cell."""

from __future__ import annotations

import io
import sys

import openpyxl
import pytest

from planner.cli import main
from planner.diff import diff_orgs
from planner.io import load_org
from planner.model import Node
from planner.report import ReportError, build_report, render_report
from planner.report.csv import COLUMNS, COMPARISON_COLUMNS, finding_table
from planner.report.xlsx import FILLS, MAX_WIDTH, MIN_WIDTH
from planner.resources import sample_path
from tests.report.orgs import gappy_org

HOSTILE = ["=SUM(A1:A9)", "bell\x07ring", "=cmd|' /C calc'!A0", "+1 555 0100", "-2", "@import"]


def workbook(report) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_report(report, ".xlsx")))


def values(sheet, first_row: int = 1) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(min_row=first_row, values_only=True)]


def cells(row) -> tuple:
    """A row as a workbook gives it back: an empty text is an empty cell."""
    return tuple(None if cell == "" else cell for cell in row)


def fill_of(cell) -> str | None:
    colour = cell.fill.start_color.rgb if cell.fill and cell.fill.fill_type == "solid" else None
    return colour[-6:] if isinstance(colour, str) else None


@pytest.fixture(scope="module")
def scaleup_report():
    return build_report(load_org(sample_path("scaleup")), source="scaleup.json")


def test_one_sheet_per_table(scaleup_report):
    book = workbook(scaleup_report)
    document = scaleup_report.document
    titles = {section.key: section.title for section in document.sections}
    assert book.sheetnames == [
        document.brief.title,
        titles["plan"],
        titles["findings"],
        *(table.title for table in (*scaleup_report.coverage, *scaleup_report.load)),
    ]


def test_the_findings_sheet_holds_every_finding_cell_by_cell(scaleup_report):
    sheet = workbook(scaleup_report).worksheets[2]
    columns, rows = finding_table(scaleup_report)
    assert columns == COLUMNS
    assert values(sheet) == [tuple(columns), *(cells(row) for row in rows)]
    assert sheet.auto_filter.ref == f"A1:L{len(rows) + 1}"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    for index, row in enumerate(rows, start=2):
        assert fill_of(sheet.cell(row=index, column=1)) == FILLS[row[1]]
    for letter, dimension in sheet.column_dimensions.items():
        assert MIN_WIDTH <= dimension.width <= MAX_WIDTH, letter


def test_coverage_and_load_sheets_follow_their_tables(scaleup_report):
    book = workbook(scaleup_report)
    for table in (*scaleup_report.coverage, *scaleup_report.load):
        sheet = book[table.title[:31]]
        got = values(sheet)[: len(table.rows) + 1]
        assert got[0] == table.columns
        assert got[1:] == [cells(row) for row in table.rows]
        for index in range(len(table.rows)):
            expected = FILLS["warning"] if table.is_flagged(index) else None
            assert fill_of(sheet.cell(row=index + 2, column=1)) == expected
        if table.note:
            assert sheet.cell(row=len(table.rows) + 3, column=1).value == table.note


def test_the_plan_sheet_lists_actions_and_decisions(scaleup_report):
    sheet = workbook(scaleup_report).worksheets[1]
    rows = values(sheet)
    plan = scaleup_report.plan
    assert rows[0][:3] == ("kind", "headline", "detail")
    assert [row[1] for row in rows[1:]] == [a.headline for a in plan.actions] + [d.question for d in plan.decisions]
    assert [row[0] for row in rows[1 + len(plan.actions) :]] == ["decision"] * len(plan.decisions)


def test_the_summary_sheet_is_the_brief_in_its_own_words(scaleup_report):
    sheet = workbook(scaleup_report).worksheets[0]
    texts = {str(cell) for row in values(sheet) for cell in row if cell is not None}
    document_texts = set(scaleup_report.document.texts())
    words = {text for text in texts if not text.isdigit()}
    assert words <= document_texts, words - document_texts
    assert scaleup_report.document.title in texts


def test_formula_looking_names_stay_text():
    org = gappy_org()
    teams = [node.id for node in org.nodes() if node.kind == "dev_team"]
    for node_id, name in zip(teams, HOSTILE, strict=False):
        org.update_node(node_id, name=name)
    org.add_node(Node("evil", "product", '=HYPERLINK("http://x")'))
    book = workbook(build_report(org))
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    seen.add(cell.value)
    joined = "\n".join(seen)
    assert "=SUM(A1:A9)" in joined and '=HYPERLINK("http://x")' in joined and "bell ring" in joined


def test_against_a_baseline_the_findings_sheet_has_the_change_column():
    current = load_org(sample_path("scaleup"))
    proposal = load_org(sample_path("scaleup"))
    proposal.remove_node(next(n.id for n in proposal.nodes() if n.kind == "product_owner"))
    report = build_report(proposal, diff=diff_orgs(current, proposal), baseline_source="scaleup.json")
    sheet = workbook(report).worksheets[2]
    assert values(sheet)[0] == COMPARISON_COLUMNS
    assert values(sheet)[1:] == [cells(row) for row in finding_table(report)[1]]


def test_planner_report_writes_xlsx(tmp_path, capsys):
    target = tmp_path / "gaps.xlsx"
    assert main(["report", str(sample_path("startup")), "-o", str(target)]) == 0
    assert openpyxl.load_workbook(target).sheetnames[0] == "The brief"


def test_without_openpyxl_the_report_says_what_to_install(monkeypatch, scaleup_report):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(ReportError, match="needs the optional openpyxl package"):
        render_report(scaleup_report, ".xlsx")


def test_every_table_sheet_has_a_bold_frozen_filtered_header(scaleup_report):
    book = workbook(scaleup_report)
    for sheet in book.worksheets[1:]:
        header = [cell for cell in sheet[1] if cell.value is not None]
        assert header and all(cell.font.bold for cell in header), sheet.title
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref.startswith("A1:"), sheet.title
        last_column = sheet.auto_filter.ref.split(":")[1].rstrip("0123456789")
        assert last_column == header[-1].column_letter, sheet.title
