"""Reading an HR export's table: CSV or XLSX rows with their row numbers, within the size and row caps (no Qt)."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from planner.io.csvpair import read_bytes_capped, read_csv
from planner.io.errors import InvalidFormatError, LoadError, Problem
from planner.io.xlsxsheet import first_sheet_rows

# -- reading the table ------------------------------------------------------------


class TableRow(NamedTuple):
    """One data row: its number as the spreadsheet shows it, and its cells in header order."""

    number: int
    cells: tuple[str, ...]


#: HR files are small; these caps keep a wrong file from eating the memory.
MAX_TABLE_BYTES = 256 * 1024 * 1024  # an export of 300,000 people unpacks to about 100 MB
#: A workbook is compressed, so its size says little; its rows are counted instead (CSV files' too).
MAX_SHEET_ROWS = 1_048_576  # a spreadsheet's own limit: Excel's sheets end at row 1,048,576


def _refuse_a_workbook_unpacking_too_big(path: Path) -> None:
    """Refuse a workbook whose parts unpack to more than :data:`MAX_TABLE_BYTES`, before any is unpacked.

    A megabyte of compressed sheet can hold gigabytes of cells. The sizes come from the archive's
    directory; a part longer than it says is cut there on reading, and then fails to parse.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InvalidFormatError(path, Problem(f"not a readable .xlsx workbook: {exc}")) from None
    if unpacked > MAX_TABLE_BYTES:
        raise LoadError(path, f"the workbook unpacks to {unpacked:,} bytes, over the limit of {MAX_TABLE_BYTES:,}")


def _xlsx_records(path: Path) -> list[tuple[int, Sequence[str]]]:
    read_bytes_capped(path, MAX_TABLE_BYTES)
    if zipfile.is_zipfile(path):
        _refuse_a_workbook_unpacking_too_big(path)
        # Streamed in C: a 300,000-row sheet in seconds where openpyxl takes minutes (it reads dated sheets).
        records = first_sheet_rows(path, MAX_SHEET_ROWS, MAX_TABLE_BYTES)
        if records is not None:
            return records
    try:
        import openpyxl
    except ImportError:
        raise LoadError(
            path,
            "reading .xlsx files needs the optional openpyxl package: in the planner's folder, "
            "pip install '.[xlsx]' (or pip install 'team-structure-planner[xlsx]' for an installed "
            "package); or save the sheet as CSV",
        ) from None
    read_bytes_capped(path, MAX_TABLE_BYTES)
    _refuse_a_workbook_unpacking_too_big(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a broken file
        raise InvalidFormatError(path, Problem(f"not a readable .xlsx workbook: {exc}")) from None
    try:
        sheet = workbook.worksheets[0]
        records = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_SHEET_ROWS:
                raise LoadError(path, f"the first sheet has more than {MAX_SHEET_ROWS} rows")
            records.append((number, [_xlsx_text(value) for value in values]))
        return records
    finally:
        workbook.close()


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # ids typed as numbers come back as 1001.0
    return str(value)


def read_table(path: str | Path) -> tuple[list[str], list[TableRow]]:
    """The header and the data rows of a CSV or XLSX file; :class:`LoadError` when it cannot be read.

    Rows keep their spreadsheet numbers (header = row 1 when it is the first
    line); wholly empty rows are left out, and short rows are padded.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        records = _xlsx_records(path)
    elif suffix == ".xls":
        raise LoadError(path, "old .xls workbooks are not read; save the sheet as .xlsx or .csv")
    else:
        raw = read_bytes_capped(path, MAX_TABLE_BYTES)
        if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise LoadError(path, "this is a spreadsheet workbook, not CSV text; give it an .xlsx name or save as CSV")
        records = read_csv(path, max_rows=MAX_SHEET_ROWS)
    records = [(number, cells) for number, cells in records if any(map(str.strip, cells))]
    if not records:
        raise InvalidFormatError(path, Problem("the file holds no rows; expected a header row and one row per person"))
    _, header = records[0]
    while header and not header[-1].strip():
        header = header[:-1]
    headers = [h.replace("\ufeff", "").strip() for h in header]
    width = len(headers)
    padding = ("",) * width
    # Cells are a list or a tuple (the XLSX reader's whole-row patterns hand over tuples).
    rows = [
        TableRow(number, tuple(cells) if len(cells) == width else (*cells, *padding)[:width])
        for number, cells in records[1:]
    ]
    return headers, rows
