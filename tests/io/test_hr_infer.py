"""Imports of the exports people have: parent ids, email pairs, split names, and teams inferred from reporting lines."""

from __future__ import annotations

from planner.cli import main
from planner.io import load_org
from planner.io.hr_import import COLUMN_SYNONYMS, FIELD_LABELS, guess_mapping, import_people
from planner.io.hr_infer import draft_warnings, is_engineering_title
from tests.io.hr_exports import email_pair_rows, hr_schema_rows, org_chart_rows, write


def links_of(org, kind):
    return {(link.source, link.target) for link in org.links() if link.kind == kind}


def test_parent_id_columns_are_taken_for_the_manager():
    for header in ("parentId", "parent", "pid", "parent_id", "manager_email"):
        assert guess_mapping(["id", header, "name"])["manager"] == header


def test_teams_are_inferred_from_reporting_lines_when_there_is_no_team_column(tmp_path):
    path = write(tmp_path / "chart.csv", org_chart_rows(areas=2, teams_per_area=2, engineers=5))
    result = import_people(path)
    teams = [node for node in result.org.nodes() if node.kind == "dev_team"]
    assert len(teams) == 4 and all(team.size == 5 for team in teams)
    # Two teams share an area: each is told apart by its manager's name.
    assert sorted(team.name for team in teams)[0].startswith("Payments (")
    assert result.inference.note.startswith("No team column: 4 teams inferred from reporting lines")
    assert [team.size for team in result.inference.teams] == [5, 5, 5, 5]
    # Each team reports to the nearest drawn manager (the area's director of engineering) ...
    directors = {n.id for n in result.org.nodes() if n.title == "Director of Engineering"}
    team_ids = {team.id for team in teams}
    assert {target for source, target in links_of(result.org, "reports_to") if source in team_ids} == directors
    # ... and the only product owner of its area owns its backlog.
    assert {target for _, target in links_of(result.org, "owns_backlog")} == team_ids
    assert draft_warnings(result, COLUMN_SYNONYMS, FIELD_LABELS) == []


def test_a_team_alone_in_its_department_is_named_after_it(tmp_path):
    path = write(tmp_path / "chart.csv", org_chart_rows(areas=3, teams_per_area=1, engineers=4))
    names = sorted(n.name for n in import_people(path).org.nodes() if n.kind == "dev_team")
    assert names == ["Mobile", "Payments", "Search"]


def test_without_departments_a_team_is_named_after_its_manager(tmp_path):
    rows = [row[:4] for row in org_chart_rows(areas=1, teams_per_area=1, engineers=3)]
    result = import_people(write(tmp_path / "chart.csv", rows))
    manager = next(row[2] for row in rows if row[3] == "Engineering Manager")
    assert [n.name for n in result.org.nodes() if n.kind == "dev_team"] == [f"Team {manager}"]


def test_the_command_lists_inferred_teams_and_exits_0(capsys, tmp_path):
    source = write(tmp_path / "chart.csv", org_chart_rows(areas=2, teams_per_area=1, engineers=4))
    code = main(["import", source, "-o", str(tmp_path / "org.json")])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "No team column: 2 teams inferred" in out
    assert "  Payments: 4 people reporting to " in out
    assert load_org(tmp_path / "org.json").number_of_links() > 0


def test_an_hr_schema_export_is_read_and_its_emptiness_reported_loudly(capsys, tmp_path):
    source = write(tmp_path / "employees.csv", hr_schema_rows())
    target = tmp_path / "org.json"
    code = main(["import", source, "-o", str(target)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "name='Name (first + last)'" in out  # first and last names joined
    assert "Team Alexander Hunold: 4 people reporting to Alexander Hunold (department 60)" in out
    assert "the draft has no links: no job title in column 'JOB_TITLE' names a product owner" in err
    assert "only 4 of 16 rows are drawn or counted into a team" in err


def test_a_draft_without_a_manager_column_names_the_missing_column(capsys, tmp_path):
    source = write(tmp_path / "people.csv", [["name", "title"], ["Ann", "Product Owner"], ["Bo", "Software Engineer"]])
    code = main(["import", source, "-o", str(tmp_path / "org.json")])
    _, err = capsys.readouterr()
    assert code == 1
    assert "the draft has no links: no manager id column was found (looked for managerid" in err
    assert "--map manager=COLUMN" in err


def test_most_rows_not_counted_is_a_loud_exit(capsys, tmp_path):
    source = write(tmp_path / "chart.csv", org_chart_rows(areas=1, teams_per_area=1, engineers=3, sales=40))
    code = main(["import", source, "-o", str(tmp_path / "org.json")])
    _, err = capsys.readouterr()
    assert code == 1 and "only " in err and "rows are drawn or counted into a team" in err


def test_manager_email_pairs_meet_on_the_email_column(tmp_path):
    result = import_people(write(tmp_path / "staff.csv", email_pair_rows()))
    assert result.mapping["id"] == "Email" and result.mapping["manager"] == "Manager Email"
    team = next(n for n in result.org.nodes() if n.kind == "dev_team")
    assert (team.name, team.size) == ("Checkout", 3)
    assert links_of(result.org, "reports_to") == {("bo@example.com", "ada@example.com"), (team.id, "ada@example.com")}
    assert links_of(result.org, "owns_backlog") == {("bo@example.com", team.id)}


def test_a_department_column_alone_makes_teams(tmp_path):
    rows = [
        ["name", "title", "department"],
        ["Ann", "Product Owner", "Checkout"],
        ["Bo", "Developer", "Checkout"],
        ["Cy", "Developer", "Checkout"],
        ["Di", "Designer", "Search"],
    ]
    result = import_people(write(tmp_path / "p.csv", rows))
    assert sorted((n.name, n.size) for n in result.org.nodes() if n.kind == "dev_team") == [
        ("Checkout", 2),
        ("Search", 1),
    ]
    assert "inferred from departments" in result.inference.note


def test_engineering_titles():
    for title in ("Software Engineer", "IT_PROG", "Senior Backend Developer", "QA Engineer", "Product Designer"):
        assert is_engineering_title(title), title
    for title in ("Account Executive", "Accountant", "Sales Representative", "Stock Clerk"):
        assert not is_engineering_title(title), title


def test_first_and_last_names_are_joined_only_when_there_is_no_name_column(tmp_path):
    from planner.io.hr_import import read_table
    from planner.io.hr_infer import JOINED_NAME, with_derived_columns

    split = write(tmp_path / "a.csv", [["id", "First Name", "Surname"], ["1", "Ada", "Berg"], ["2", "Bo", ""]])
    headers, rows = with_derived_columns(*read_table(split))
    assert headers[-1] == JOINED_NAME and [row.cells[-1] for row in rows] == ["Ada Berg", "Bo"]
    whole = write(tmp_path / "b.csv", [["id", "name", "first_name", "last_name"], ["1", "Ada B", "Ada", "B"]])
    headers, _ = with_derived_columns(*read_table(whole))
    assert JOINED_NAME not in headers


def test_with_a_team_column_nothing_is_inferred(tmp_path):
    rows = [
        ["id", "parentId", "name", "title", "team"],
        ["1", "", "Ann", "VP Engineering", ""],
        ["2", "1", "Bo", "Software Engineer", "Core"],
        ["3", "1", "Cy", "Software Engineer", ""],
    ]
    result = import_people(write(tmp_path / "p.csv", rows))
    assert result.inference.teams == [] and result.inference.note == ""
    assert [(n.name, n.size) for n in result.org.nodes() if n.kind == "dev_team"] == [("Core", 1)]


def test_department_and_area_columns_are_recognised():
    for header in ("department", "Department Name", "area", "dept", "Business Unit", "division"):
        assert guess_mapping(["id", "name", header])["department"] == header


def test_a_name_column_beside_a_last_name_is_taken_for_the_given_name(tmp_path):
    # The shape of org-chart library samples built from the classic HR schema: name + lastName.
    rows = [
        ["id", "parentId", "name", "lastName", "position", "department_name"],
        ["100", "", "Steven", "King", "Chief Technology Officer", "Executive"],
        ["103", "100", "Alexander", "Hunold", "Engineering Manager", "IT"],
        ["104", "103", "Bruce", "Ernst", "Programmer", "IT"],
        ["105", "103", "David", "Austin", "Programmer", "IT"],
    ]
    result = import_people(write(tmp_path / "p.csv", rows))
    assert result.mapping["name"] == "Name (first + last)"
    assert [n.name for n in result.org.nodes() if n.kind == "leader"] == ["Steven King"]
    assert result.inference.teams[0].describe() == "IT: 2 people reporting to Alexander Hunold"


def test_a_name_column_that_holds_whole_names_is_kept(tmp_path):
    rows = [["id", "name", "lastName"], ["1", "Ada Berg", "Berg"], ["2", "Bo Chen", "Chen"]]
    result = import_people(write(tmp_path / "p.csv", rows))
    assert result.mapping["name"] == "name"


def test_teams_of_managers_who_share_a_name_are_told_apart_by_id(tmp_path):
    rows = [
        ["id", "parentId", "name", "title"],
        ["1", "", "Ann Lee", "CTO"],
        ["2", "1", "John Smith", "Engineering Manager"],
        ["3", "1", "John Smith", "Engineering Manager"],
    ]
    rows += [[str(10 + i), "2" if i < 3 else "3", f"Dev {i}", "Software Engineer"] for i in range(6)]
    names = sorted(n.name for n in import_people(write(tmp_path / "p.csv", rows)).org.nodes() if n.kind == "dev_team")
    assert names == ["Team John Smith, 2", "Team John Smith, 3"]


def test_the_command_lists_thirty_teams_and_counts_the_rest(capsys, tmp_path):
    source = write(tmp_path / "chart.csv", org_chart_rows(areas=6, teams_per_area=6, engineers=3))
    main(["import", source, "-o", str(tmp_path / "org.json")])
    out = capsys.readouterr().out
    listed = [line for line in out.splitlines() if line.startswith("  ") and "people reporting to" in line]
    assert len(listed) == 30
    assert "  ... and 6 more teams (all are in the org and in the editor's import dialog)" in out
