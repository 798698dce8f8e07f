"""The streamed XLSX reader gives the rows openpyxl gives, and leaves to openpyxl what it does not follow."""

from __future__ import annotations

import datetime

import pytest

from planner.io import hr_import
from planner.io.xlsxsheet import first_sheet_rows

openpyxl = pytest.importorskip("openpyxl")


def _openpyxl_rows(path):
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [
            (number, [hr_import._xlsx_text(value) for value in values])
            for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    # openpyxl pads every row to the sheet's width; a row's trailing blanks say nothing.
    return [(number, _trimmed(cells)) for number, cells in rows if any(cells)]


def _trimmed(cells):
    cells = list(cells)
    while cells and not cells[-1]:
        cells.pop()
    return cells


@pytest.mark.parametrize("write_only", [False, True])
def test_the_rows_are_those_openpyxl_reads(tmp_path, write_only):
    workbook = openpyxl.Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    sheet.append(["Employee ID", "Full Name", "Job Title", "Manager ID", "Score", "Active"])
    sheet.append([1001, "Ann Lee", "Product Manager", None, 2.5, True])
    sheet.append([1002.0, "Bo Chan", "Product Owner", 1001, -3, False])
    sheet.append([])
    sheet.append(["x7", "Émilie Ñúñez", "", "1001", 1e20, None])
    sheet.append([None, None, "Engineer"])
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    streamed = [(number, _trimmed(cells)) for number, cells in first_sheet_rows(path, 100, 10**8) if any(cells)]
    assert streamed == _openpyxl_rows(path)


def test_a_sheet_with_dates_is_left_to_openpyxl(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Started"])
    workbook.active.append(["Ann", datetime.date(2024, 3, 1)])
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    assert first_sheet_rows(path, 100, 10**8) is None
    assert hr_import.read_table(path)[1][0].cells == ("Ann", "2024-03-01 00:00:00")


def test_a_sheet_over_the_row_cap_is_refused(tmp_path):
    workbook = openpyxl.Workbook()
    for number in range(12):
        workbook.active.append([number, f"Person {number}"])
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    with pytest.raises(hr_import.LoadError, match="more than 10 rows"):
        first_sheet_rows(path, 10, 10**8)
