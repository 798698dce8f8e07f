"""HR export import: column guessing, the title table, row problems and the drafted org."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from planner.io import hr_table, native
from planner.io.errors import LoadError
from planner.io.hr_import import (
    COLUMN_SYNONYMS,
    build_org,
    guess_mapping,
    import_people,
    read_table,
    role_for_title,
)
from planner.layout import overlaps
from planner.model.org import Link
from planner.resources import resource_path

PEOPLE = resource_path("examples", "people.csv")
IMPORTING_DOC = Path(__file__).parents[2] / "docs" / "importing.md"


def write_csv(path, rows, delimiter=",", encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return path


HEADER = ["Employee ID", "Full Name", "Job Title", "Manager ID", "Team", "Product"]


# -- the title table ---------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Product Owner",
        "PO",
        "po",
        "Senior PO",
        "Sr. Product Owner",
        "product owner ",
        "PRODUCT OWNER",
        "Technical Product Owner",
        "Product Owner II",
        "Product Owner - Checkout",
        "Product Owner (Payments)",
        "Chief Product Owner",
        "Area Product Owner",
    ],
)
def test_product_owner_titles(title):
    assert role_for_title(title) == "product_owner"


@pytest.mark.parametrize(
    "title",
    [
        "Product Manager",
        "Senior Product Manager",
        "Sr Product Manager",
        "Group Product Manager",
        "Principal Product Manager",
        "Associate Product Manager",
        "Technical Product Manager",
        "Product Manager, Growth",
        "SENIOR PRODUCT MANAGER",
    ],
)
def test_product_manager_titles(title):
    assert role_for_title(title) == "product_manager"


@pytest.mark.parametrize(
    "title",
    [
        "VP Product",
        "VP of Product",
        "VP, Product",
        "Vice President, Product Management",
        "Head of Product",
        "Head of Product (interim)",
        "Director of Product Management",
        "Product Director",
        "Chief Product Officer",
        "CPO",
        "Interim CPO",
        "Engineering Director",
        "Director of Engineering",
        "Senior Director, Engineering",
        "VP Engineering",
        "VP R&D",
        "Head of Development",
        "CTO",
        "Chief Technology Officer",
    ],
)
def test_leader_titles(title):
    assert role_for_title(title) == "leader"


@pytest.mark.parametrize(
    "title",
    [
        "Product Designer",
        "Senior Product Designer",
        "Product Marketing Manager",
        "Senior Product Marketing Manager",
        "Product Analyst",
        "Product Operations Manager",
        "Production Manager",
        "Project Manager",
        "Director of Product Marketing",
        "Head of Product Design",
        "Engineering Manager",
        "Software Engineer",
        "Purchase Order Specialist",
        "PO Box Clerk",
        "CPO Office Assistant",
        "Head of Sales",
        "Product Lead",
        "",
        "   ",
    ],
)
def test_titles_that_only_contain_the_words_are_not_roles(title):
    assert role_for_title(title) is None


# -- column guessing ---------------------------------------------------------------


def test_guesses_the_usual_hr_headers():
    headers = ["Employee ID", "Full Name", "Job Title", "Department", "Manager ID", "Team", "Product", "Location"]
    assert guess_mapping(headers) == {
        "id": "Employee ID",
        "name": "Full Name",
        "title": "Job Title",
        "manager": "Manager ID",
        "team": "Team",
        "product": "Product",
        "department": "Department",
    }


def test_guessing_ignores_case_spaces_underscores_and_uses_synonyms():
    headers = ["EMPLOYEE_NUMBER", "display name", "Position", "reports-to", "Squad", "product_line"]
    assert guess_mapping(headers) == {
        "id": "EMPLOYEE_NUMBER",
        "name": "display name",
        "title": "Position",
        "manager": "reports-to",
        "team": "Squad",
        "product": "product_line",
        "department": None,
    }


def test_guessing_leaves_unknown_fields_empty_and_uses_a_column_once():
    mapping = guess_mapping(["ID", "Name", "Manager", "Cost centre"])
    assert mapping == {
        "id": "ID",
        "name": "Name",
        "title": None,
        "manager": "Manager",
        "team": None,
        "product": None,
        "department": None,
    }


def test_guessing_finds_a_long_synonym_inside_a_decorated_header():
    mapping = guess_mapping(["Employee ID (HR system)", "Full name", "Job title", "Line manager ID"])
    assert mapping["id"] == "Employee ID (HR system)"
    assert mapping["manager"] == "Line manager ID"


def test_guessing_handles_a_byte_order_mark_stuck_to_the_first_header():
    assert guess_mapping(["\ufeffEmployee ID", "Full Name"])["id"] == "\ufeffEmployee ID"


# -- reading the table ------------------------------------------------------------


def test_row_numbers_are_spreadsheet_rows_with_the_header_as_row_1(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text('id,name\n1,Ann\n\n2,"Bo\nMultiline"\n3,Cy\n', encoding="utf-8")
    headers, rows = read_table(path)
    assert headers == ["id", "name"]
    assert [(row.number, row.cells[0]) for row in rows] == [(2, "1"), (4, "2"), (5, "3")]


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path):
    path = write_csv(tmp_path / "p.csv", [HEADER, ["1", "Ann; Smith", "PO", "", "A", "X"]], ";", "utf-8-sig")
    headers, rows = read_table(path)
    assert headers == HEADER
    assert rows[0].cells[:2] == ("1", "Ann; Smith")


def test_windows_1252_text_is_read(tmp_path):
    path = write_csv(tmp_path / "p.csv", [HEADER, ["1", "José Müller", "PO", "", "A", "X"]], encoding="cp1252")
    assert read_table(path)[1][0].cells[1] == "José Müller"


def test_an_unreadable_file_raises_load_error_naming_it(tmp_path):
    with pytest.raises(LoadError, match="missing.csv"):
        read_table(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    with pytest.raises(LoadError, match="no rows"):
        read_table(empty)


def test_a_quote_left_open_is_reported_with_its_row_instead_of_swallowing_the_file(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text('id,name\n1,Ann\n2,"Bo\n3,Cy\n4,Di\n', encoding="utf-8")
    with pytest.raises(LoadError, match="row 3: malformed CSV"):
        read_table(path)


def test_a_cell_over_the_csv_field_limit_is_reported_not_crashed_on(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text('id,name\n1,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    with pytest.raises(LoadError, match="row 2: malformed CSV: field larger than field limit"):
        read_table(path)


def test_a_workbook_saved_with_a_csv_name_is_explained(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(LoadError, match="workbook"):
        read_table(path)


def test_xlsx_is_read_with_its_sheet_row_numbers(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append([101, "Ann Lee", "Product Manager", None, None, "Atlas"])
    sheet.append([])
    sheet.append([102, "Bo Chan", "Product Owner", 101, "Rockets", "Atlas"])
    sheet.append([103, "Cy Diaz", "Software Engineer", 102, "Rockets", "Atlas"])
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    result = import_people(path)
    assert result.problems == []
    assert [row.number for row in read_table(path)[1]] == [2, 4, 5]
    assert result.org.has_link(Link("102", "101", "reports_to"))
    assert result.org.node("team-rockets").size == 1


def test_an_oversized_sheet_is_refused(tmp_path, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    for number in range(30):
        workbook.active.append([number, f"Person {number}"])
    path = tmp_path / "big.xlsx"
    workbook.save(path)
    monkeypatch.setattr(hr_table, "MAX_SHEET_ROWS", 20)
    with pytest.raises(LoadError, match="more than 20 rows"):
        read_table(path)


def test_xlsx_without_openpyxl_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    path = tmp_path / "people.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(LoadError, match="openpyxl") as raised:
        read_table(path)
    # Both ways of installing it: from a checkout, and as a package from an index.
    assert "pip install '.[xlsx]'" in str(raised.value)
    assert "pip install 'team-structure-planner[xlsx]'" in str(raised.value)


# -- building the org ------------------------------------------------------------


def small(tmp_path, rows, name="acme.csv"):
    return import_people(write_csv(tmp_path / name, [HEADER, *rows]))


def test_roles_links_and_team_sizes(tmp_path):
    result = small(
        tmp_path,
        [
            ["1", "Vera Head", "VP Product", "", "", ""],
            ["2", "Pat Manager", "Senior Product Manager", "1", "", "Atlas"],
            ["3", "Olu Owner", "Product Owner", "2", "Rockets", "Atlas"],
            ["4", "Dev One", "Software Engineer", "5", "Rockets", "Atlas"],
            ["5", "Em Manager", "Engineering Manager", "1", "Rockets", "Atlas"],
            ["6", "Des Igner", "Product Designer", "5", "Rockets", "Atlas"],
        ],
    )
    org = result.org
    assert result.problems == []
    assert {n.id: n.kind for n in org.nodes()} == {
        "1": "leader",
        "2": "product_manager",
        "3": "product_owner",
        "team-rockets": "dev_team",
        "product-atlas": "product",
    }
    assert org.node("team-rockets").size == 3  # engineer, manager, designer: counted, not drawn
    assert org.node("3").title == "Product Owner"
    assert {link.key for link in org.links()} == {
        ("2", "1", "reports_to"),
        ("3", "2", "reports_to"),
        ("3", "team-rockets", "owns_backlog"),
        ("2", "product-atlas", "owns_strategy"),
        ("team-rockets", "product-atlas", "builds"),
    }
    assert org.name == "acme"


def test_a_drawn_person_under_an_undrawn_manager_reports_to_the_next_drawn_one_up(tmp_path):
    result = small(
        tmp_path,
        [
            ["1", "Dana Director", "Director of Engineering", "", "", ""],
            ["2", "Eli Manager", "Engineering Manager", "1", "Rockets", "Atlas"],
            ["3", "Ola Lead", "Tech Lead", "2", "Rockets", "Atlas"],
            ["4", "Pia Owner", "Product Owner", "3", "Rockets", "Atlas"],
        ],
    )
    assert [link.key for link in result.org.links() if link.kind == "reports_to"] == [("4", "1", "reports_to")]


def test_teams_report_to_nobody_and_names_merge_without_case_or_spaces(tmp_path):
    result = small(
        tmp_path,
        [
            ["1", "Ann", "Product Owner", "", "Checkout Core", "Shop"],
            ["2", "Bo", "Engineer", "1", "checkout  core ", "Shop"],
            ["3", "Cy", "Engineer", "1", "Checkout Core", "shop"],
        ],
    )
    teams = [n for n in result.org.nodes() if n.kind == "dev_team"]
    assert [(t.name, t.size) for t in teams] == [("Checkout Core", 2)]
    assert not any(link.source == teams[0].id and link.kind == "reports_to" for link in result.org.links())
    assert [n.name for n in result.org.nodes() if n.kind == "product"] == ["Shop"]


def test_a_team_builds_the_product_most_of_its_members_name(tmp_path):
    result = small(
        tmp_path,
        [
            ["1", "Ann", "Engineer", "", "Rockets", "Atlas"],
            ["2", "Bo", "Engineer", "", "Rockets", "Zephyr"],
            ["3", "Cy", "Engineer", "", "Rockets", "Zephyr"],
        ],
    )
    builds = [link.key for link in result.org.links() if link.kind == "builds"]
    assert builds == [("team-rockets", "product-zephyr", "builds")]
    assert "product-atlas" not in result.org  # a minority name makes no product of its own


def test_a_product_owner_of_several_teams_and_a_manager_of_several_products(tmp_path):
    result = small(
        tmp_path,
        [
            ["1", "Ann", "Product Manager", "", "", "Atlas; Zephyr"],
            ["2", "Bo", "Product Owner", "1", "iOS; Android", "Atlas"],
            ["3", "Cy", "iOS Engineer", "2", "iOS", "Atlas"],
            ["4", "Di", "Android Engineer", "2", "Android", "Atlas"],
        ],
    )
    org = result.org
    assert org.has_link(Link("2", "team-ios", "owns_backlog")) and org.has_link(
        Link("2", "team-android", "owns_backlog")
    )
    assert org.has_link(Link("1", "product-atlas", "owns_strategy"))
    assert org.has_link(Link("1", "product-zephyr", "owns_strategy"))


def test_every_unusable_row_is_listed_with_its_row_number(tmp_path):
    result = small(
        tmp_path,
        [
            ["1", "Ann", "Product Manager", "", "", "Atlas"],  # row 2
            ["2", "Bo", "Product Owner", "99", "Rockets", "Atlas"],  # row 3: unknown manager
            ["1", "Ann Again", "Engineer", "", "Rockets", "Atlas"],  # row 4: duplicate id
            ["4", "", "Engineer", "1", "Rockets", "Atlas"],  # row 5: empty name
            ["5", "Cy", "Product Owner", "6", "Comets", "Atlas"],  # row 6: cycle with row 7
            ["6", "Di", "Product Owner", "5", "Comets", "Atlas"],  # row 7
            ["7", "Ed", "Engineer", "4", "Comets", "Atlas"],  # row 8: manager on a skipped row
            ["8", "Flo", "Recruiter", "", "", ""],  # row 9: no team, manages nobody
        ],
    )
    by_row = {problem.row: problem.message for problem in result.problems}
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9]
    assert "unknown manager id '99'" in by_row[3]
    assert "duplicate id '1'" in by_row[4] and "row 2" in by_row[4]
    assert "empty name" in by_row[5]
    assert "reporting cycle" in by_row[6] and "dropped" in by_row[6]
    assert "reporting cycle" in by_row[7]
    assert "row 5, which was skipped" in by_row[8]
    assert "no team" in by_row[9]
    org = result.org
    assert org.get("1").name == "Ann"  # the first row with an id wins
    assert "2" in org and not any(link.source == "2" and link.kind == "reports_to" for link in org.links())
    assert org.has_link(Link("6", "5", "reports_to")) and not org.has_link(Link("5", "6", "reports_to"))


def test_a_manager_given_by_name_is_found(tmp_path):
    result = small(
        tmp_path,
        [["1", "Ann Lee", "Head of Product", "", "", ""], ["2", "Bo Chan", "Product Manager", "ann lee", "", "X"]],
    )
    assert result.org.has_link(Link("2", "1", "reports_to"))


def test_without_an_id_column_rows_are_told_apart_by_row_number(tmp_path):
    path = write_csv(
        tmp_path / "p.csv",
        [["Name", "Title", "Manager"], ["Ann Lee", "Head of Product", ""], ["Bo Chan", "PO", "Ann Lee"]],
    )
    result = import_people(path)
    assert result.mapping["id"] is None
    assert result.org.has_link(Link("row-3", "row-2", "reports_to"))
    write_csv(path, [["Name", "Title", "Manager"], ["Bo Chan", "PO", "Ann Lee"]])
    assert [str(p) for p in import_people(path).problems] == [
        "row 2: unknown manager: nobody named 'Ann Lee'; imported without a manager"
    ]


def test_a_mapping_overrides_the_guess_and_a_missing_name_column_is_refused(tmp_path):
    path = write_csv(
        tmp_path / "p.csv",
        [["Key", "Who", "Role", "Boss"], ["1", "Ann", "Product Manager", ""], ["2", "Bo", "PO", "1"]],
    )
    with pytest.raises(LoadError, match="names"):
        import_people(path)
    result = import_people(path, {"id": "Key", "name": "Who", "title": "Role", "manager": "Boss"})
    assert result.org.has_link(Link("2", "1", "reports_to"))


# -- the committed sample export --------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return import_people(PEOPLE)


def test_the_sample_export_is_realistic_in_size_and_mess(sample):
    headers, rows = read_table(PEOPLE)
    assert len(rows) >= 140
    titles = {row.cells[headers.index("Job Title")] for row in rows}
    assert {"SENIOR PRODUCT MANAGER", "product owner ", "Sr. Product Owner", "Product Marketing Manager"} <= titles


def test_the_sample_export_reports_its_deliberate_problems(sample):
    messages = [str(problem) for problem in sample.problems]
    assert any(m.startswith("row 16: empty name") for m in messages)
    assert any(m.startswith("row 36: duplicate id '1091'") for m in messages)
    assert any(m.startswith("row 59: unknown manager id '9999'") for m in messages)
    assert sum("reporting cycle" in m for m in messages) == 2
    assert any("García López, María" in m and "no team" in m for m in messages)
    assert [p.row for p in sample.problems] == sorted(p.row for p in sample.problems)


def test_the_sample_export_drafts_a_laid_out_org(sample):
    org = sample.org
    kinds = [n.kind for n in org.nodes()]
    assert kinds.count("leader") == 5  # CPO, CTO, VP Engineering, two engineering directors
    assert kinds.count("product_manager") == 6
    assert kinds.count("product_owner") == 12
    assert kinds.count("dev_team") == 14
    headers, rows = read_table(PEOPLE)
    team, title = headers.index("Team"), headers.index("Job Title")
    members = [
        r for r in rows if r.cells[team].strip().lower() == "checkout core" and not role_for_title(r.cells[title])
    ]
    assert any(r.cells[team] == "checkout core " for r in members)
    assert org.node("team-checkout-core").size == len(members) == 13
    assert org.has_link(Link("team-checkout-experience", "product-checkout", "builds"))
    assert not overlaps({n.id: (n.x, n.y) for n in org.nodes()})
    assert len({(n.x, n.y) for n in org.nodes()}) == len(org)


def test_a_semicolon_export_with_a_byte_order_mark_gives_the_same_org(sample, tmp_path):
    with open(PEOPLE, newline="", encoding="utf-8") as handle:
        records = list(csv.reader(handle))
    variant = write_csv(tmp_path / "people.csv", records, ";", "utf-8-sig")
    assert variant.read_bytes().startswith(b"\xef\xbb\xbfEmployee ID;Full Name;")
    result = import_people(variant)
    assert native.dumps(result.org) == native.dumps(sample.org)
    assert [str(p) for p in result.problems] == [str(p) for p in sample.problems]


def test_build_org_reruns_with_another_mapping_without_rereading(tmp_path):
    headers, rows = read_table(PEOPLE)
    mapping = guess_mapping(headers)
    mapping["product"] = None
    result = build_org(headers, rows, mapping)
    assert not any(n.kind == "product" for n in result.org.nodes())


def test_the_user_documentation_lists_every_column_synonym():
    rows = {
        line.split("|")[1].strip(" `"): line
        for line in IMPORTING_DOC.read_text().splitlines()
        if line.startswith("| `")
    }
    for field_name, synonyms in COLUMN_SYNONYMS.items():
        listed = rows[field_name].split("|")[2]
        assert [s.strip() for s in listed.split(",")] == list(synonyms)
