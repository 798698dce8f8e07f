"""The gap report as an Excel workbook (openpyxl): one sheet per table, for people who filter and sort. No Qt here.

A thin writer over the report: the *brief* of the document (its key
figures, verdict, ask and top risks, in the document's words) on the first
sheet, then the staffing plan (its actions and the decisions left, with the
keys of the JSON report as headers), every finding (the CSV report's columns
and rows), and each coverage and load table under its own title. Every sheet
has a bold, frozen header row with a filter, columns sized to their text,
and rows coloured by severity (findings, decisions, flagged coverage and load
rows). Text is always stored as text: a name such as ``=SUM(A1)`` stays a
name and never becomes a formula. Characters XML cannot hold (control
characters) are shown as spaces.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from planner.report.content import DataTable, Report
from planner.report.csv import finding_table
from planner.report.model import BulletList, Callout, KeyFigures, Paragraph, Section, cell_text, plain

#: Row fills per tone, the report's light severity colours (the PDF's table tints).
FILLS = {"error": "FDECEC", "warning": "FEF5E0", "info": "EAF1FE", "ok": "E9F7EE"}
HEADER_FILL = "E5E7EB"
#: Column widths in characters: text is measured, then kept within these bounds.
MIN_WIDTH, MAX_WIDTH = 8, 60
#: Excel's limit on a sheet's name, and the characters a name may not hold.
SHEET_NAME_LIMIT = 31
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class XlsxUnavailable(RuntimeError):
    """openpyxl is not installed."""


def _text(value: str) -> str:
    return _NOT_IN_XML.sub(" ", value)


class _Sheets:
    """The workbook being written, with sheet names kept unique and within Excel's limits."""

    def __init__(self, openpyxl) -> None:
        self.openpyxl = openpyxl
        self.book = openpyxl.Workbook()
        self.book.remove(self.book.active)
        self.names: set[str] = set()

    def add(self, title: str):
        base = _NOT_IN_SHEET_NAME.sub(" ", _text(title)).strip().strip("'")[:SHEET_NAME_LIMIT] or "Sheet"
        name, counter = base, 2
        while name.casefold() in self.names:
            suffix = f" {counter}"
            name, counter = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix, counter + 1
        self.names.add(name.casefold())
        return self.book.create_sheet(name)

    def put(
        self, sheet, row: int, column: int, value: str | int | float | None, bold: bool = False, fill: str | None = None
    ):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = _text(value)
            # openpyxl takes a string starting with "=" for a formula; the report's text is never one.
            cell.data_type = "s"
        else:
            cell.value = value
        styles = self.openpyxl.styles
        if bold:
            cell.font = styles.Font(bold=True)
        if fill:
            cell.fill = styles.PatternFill("solid", start_color=fill, end_color=fill)
        cell.alignment = styles.Alignment(vertical="top", wrap_text=isinstance(value, str) and len(value) > MAX_WIDTH)
        return cell

    def table(
        self,
        sheet,
        columns: Sequence[str],
        rows: Sequence[Sequence],
        tones: Sequence[str | None] = (),
        first_row: int = 1,
    ) -> int:
        """Write a header and rows with a filter and a frozen header; return the next free row."""
        for c, title in enumerate(columns, start=1):
            self.put(sheet, first_row, c, title, bold=True, fill=HEADER_FILL)
        for r, row in enumerate(rows, start=first_row + 1):
            tone = tones[r - first_row - 1] if r - first_row - 1 < len(tones) else None
            for c, value in enumerate(row, start=1):
                self.put(sheet, r, c, value, fill=FILLS.get(tone or ""))
        last = first_row + len(rows)
        letter = self.openpyxl.utils.get_column_letter
        sheet.auto_filter.ref = f"A{first_row}:{letter(max(1, len(columns)))}{max(last, first_row)}"
        sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1)
        return last + 1

    def fit_columns(self, sheet) -> None:
        letter = self.openpyxl.utils.get_column_letter
        widths: dict[int, int] = {}
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    longest = max((len(line) for line in str(cell.value).splitlines()), default=0)
                    widths[cell.column] = max(widths.get(cell.column, 0), longest)
        for column, width in widths.items():
            sheet.column_dimensions[letter(column)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))


def _brief_rows(section: Section) -> list[tuple[tuple[str | int, ...], str | None, bool]]:
    """The brief as rows of cells, each with a tone and whether it is a heading; the document's words only."""
    rows: list[tuple[tuple[str | int, ...], str | None, bool]] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            rows.append(((plain(block.text),), block.tone, False))
        elif isinstance(block, KeyFigures):
            rows += [
                ((item.label, _number(item.value)), item.tone if item.tone in FILLS else None, False)
                for item in block.items
            ]
        elif isinstance(block, BulletList):
            rows += [((plain(item),), block.tone(index), False) for index, item in enumerate(block.items)]
        elif isinstance(block, Callout | Section):
            rows.append(((block.title,), block.tone if isinstance(block, Callout) else None, True))
            rows += _brief_rows(Section("", "", block.blocks))
    return rows


def _number(text: str) -> str | int:
    """A key figure's value: a whole number ("1,234") as a number, anything else as the document wrote it."""
    return int(text.replace(",", "")) if re.fullmatch(r"\d{1,3}(,\d{3})*|\d+", text) else text


def _section_title(report: Report, key: str, fallback: str) -> str:
    document = report.document
    found = next((s.title for s in document.sections if s.key == key), None) if document is not None else None
    return found or fallback


def _plan_sheet(sheets: _Sheets, report: Report) -> None:
    plan = report.plan
    sheet = sheets.add(_section_title(report, "plan", "plan"))
    columns = ("kind", "headline", "detail", "role", "count", "subjects", "giver", "taker", "impact", "clears")
    rows: list[tuple] = []
    tones: list[str | None] = []
    for action in plan.actions:
        data = action.to_dict()
        rows.append(
            (
                data["kind"],
                data["headline"],
                data["detail"],
                data["role"] or "",
                data["count"],
                "; ".join(data["subjects"]),
                data["giver"] or "",
                data["taker"] or "",
                data["impact"],
                "; ".join(f["code"] for f in data["clears"]),
            )
        )
        tones.append(None)
    for decision in plan.decisions:
        finding = decision.finding
        rows.append(
            ("decision", decision.question, finding.message, "", "", "; ".join(finding.nodes), "", "", "", finding.code)
        )
        tones.append(finding.severity)
    sheets.table(sheet, columns, rows, tones)
    sheets.fit_columns(sheet)


def _data_sheet(sheets: _Sheets, table: DataTable) -> None:
    sheet = sheets.add(table.title)
    tones = ["warning" if table.is_flagged(index) else None for index in range(len(table.rows))]
    rows = [tuple(cell if isinstance(cell, int) else cell_text(cell) for cell in row) for row in table.rows]
    after = sheets.table(sheet, table.columns, rows, tones)
    if table.note:
        sheets.put(sheet, after + 1, 1, table.note)
    sheets.fit_columns(sheet)
    if table.note:
        # The note is a sentence under the table: it must not widen the first column.
        sheet.cell(row=after + 1, column=1).alignment = sheets.openpyxl.styles.Alignment(wrap_text=False)


def render_xlsx(report: Report) -> bytes:
    """The workbook's bytes; :class:`XlsxUnavailable` when openpyxl is missing."""
    try:
        import openpyxl
        import openpyxl.styles
        import openpyxl.utils
    except ImportError:
        raise XlsxUnavailable(
            "writing .xlsx needs the optional openpyxl package (pip install 'team-structure-planner[xlsx]')"
        ) from None
    sheets = _Sheets(openpyxl)
    document = report.document
    if document is not None:
        summary = sheets.add(document.brief.title)
        row = 1
        for text in (document.title, document.subtitle, document.header(), document.date):
            if text:
                sheets.put(summary, row, 1, text, bold=row == 1)
                row += 1
        row += 1
        for cells, tone, heading in _brief_rows(document.brief):
            for column, value in enumerate(cells, start=1):
                sheets.put(summary, row, column, value, bold=heading, fill=FILLS.get(tone or ""))
            row += 1
        summary.column_dimensions["A"].width = MAX_WIDTH
        summary.column_dimensions["B"].width = 14
    _plan_sheet(sheets, report)
    findings = sheets.add(_section_title(report, "findings", "findings"))
    columns, rows = finding_table(report)
    severity = columns.index("severity")
    sheets.table(findings, columns, rows, [str(row[severity]) for row in rows])
    sheets.fit_columns(findings)
    for table in (*report.coverage, *report.load):
        _data_sheet(sheets, table)
    sheets.book.properties.title = document.title if document is not None else report.title
    sheets.book.properties.creator = document.author if document is not None else ""
    buffer = io.BytesIO()
    sheets.book.save(buffer)
    return buffer.getvalue()
