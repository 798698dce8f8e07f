"""HR exports that are too long, half in another encoding, or hold NUL characters are refused with their place."""

from __future__ import annotations

import pytest

from planner.io import LoadError, csvpair, hr_import, hr_table
from planner.io.hr_import import read_table

HEADER = "Employee ID,Full Name,Job Title,Manager ID,Team\n"


def test_a_csv_export_over_the_row_cap_is_refused_before_it_is_drafted(tmp_path, monkeypatch):
    monkeypatch.setattr(hr_table, "MAX_SHEET_ROWS", 50)
    path = tmp_path / "people.csv"
    rows = "".join(f"{n},Person {n},Developer,,Payments\n" for n in range(1, 60))
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(LoadError, match="more than 50 rows"):
        read_table(path)


def test_the_row_cap_is_that_of_workbooks():
    # Excel's own last row: an export of 300,000 people is read, a sheet no spreadsheet could hold is not.
    assert hr_import.MAX_SHEET_ROWS == 1_048_576


def test_a_file_mixing_utf8_and_latin1_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(
        (HEADER + "1,Jürgen Schmidt,CPO,,\n").encode("utf-8")
        + "2,Anna Müller,Product Owner,1,Payments\n".encode("latin-1")
    )
    with pytest.raises(LoadError) as caught:
        read_table(path)
    problem = caught.value.problems[0]
    assert problem.line == 3 and "UTF-8" in problem.message


def test_a_file_wholly_in_latin1_is_still_read(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + "2,Anna Müller,Product Owner,,Payments\n").encode("latin-1"))
    _, rows = read_table(path)
    assert rows[0].cells[1] == "Anna Müller"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_nul_character_in_a_name_is_refused_naming_the_line(tmp_path, encoding):
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + "1,Ann\x00a,Product Owner,,Payments\n").encode(encoding))
    with pytest.raises(LoadError) as caught:
        read_table(path)
    assert caught.value.problems[0].line == 2 and "NUL" in caught.value.problems[0].message


def test_the_csv_pair_refuses_nul_characters_too(tmp_path):
    (tmp_path / "nodes.csv").write_text("id,kind,name\nt,dev_team,Te\x00am\n", encoding="utf-8")
    with pytest.raises(LoadError, match="NUL"):
        csvpair.load(tmp_path / "nodes.csv")
