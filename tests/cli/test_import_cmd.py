"""``planner import`` and the CSV pair through ``planner convert``: exit codes, row problems on stderr, files."""

from __future__ import annotations

import csv

from planner.cli import main
from planner.io import load_org, native, save_org
from planner.io.hr_import import import_people
from planner.layout import layered_layout
from planner.resources import resource_path
from tests.helpers import healthy_org

PEOPLE = resource_path("examples", "people.csv")


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_writes_the_org_and_lists_row_problems_on_stderr(capsys, tmp_path):
    target = tmp_path / "org.json"
    code, out, err = run(capsys, "import", PEOPLE, "-o", target)
    assert code == 0
    expected = import_people(PEOPLE)
    assert native.dumps(load_org(target)) == native.dumps(expected.org)
    lines = err.splitlines()
    assert lines == [f"{PEOPLE}: row {p.row}: {p.message}" for p in expected.problems]
    assert any(": row 59: unknown manager id '9999'" in line for line in lines)
    assert "columns: id='Employee ID', name='Full Name'" in out
    assert f"wrote {target} from 146 rows" in out and f"{len(lines)} row problems" in out


def test_import_with_map_overrides_and_other_output_formats(capsys, tmp_path):
    source = tmp_path / "staff.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [["Key", "Who", "Function", "Boss"], ["1", "Ann", "CPO", ""], ["2", "Bo", "PO", "1"]]
        )
    target = tmp_path / "out" / "nodes.csv"
    target.parent.mkdir()
    code, out, err = run(
        capsys,
        "import",
        source,
        "-o",
        target,
        "--map",
        "id=key",
        "--map",
        "name=who",
        "--map",
        "title=FUNCTION",
        "--map",
        "manager=Boss",
    )
    assert code == 0 and err == ""
    org = load_org(target)
    assert {(n.id, n.kind) for n in org.nodes()} == {("1", "leader"), ("2", "product_owner")}
    assert (target.parent / "links.csv").exists()


def test_import_exit_2_when_the_file_or_the_mapping_is_unusable(capsys, tmp_path):
    code, _, err = run(capsys, "import", tmp_path / "missing.csv", "-o", tmp_path / "org.json")
    assert code == 2 and "missing.csv" in err
    code, _, err = run(capsys, "import", PEOPLE, "-o", tmp_path / "org.json", "--map", "title=Position")
    assert code == 2 and "no column 'Position'" in err and "Job Title" in err
    code, _, err = run(capsys, "import", PEOPLE, "-o", tmp_path / "org.json", "--map", "salary=Pay")
    assert code == 2 and "unknown field 'salary'" in err
    code, _, err = run(capsys, "import", PEOPLE, "-o", tmp_path / "org.json", "--map", "name=")
    assert code == 2 and "names" in err
    assert not (tmp_path / "org.json").exists()


def test_convert_to_and_from_the_csv_pair(capsys, tmp_path):
    source = tmp_path / "org.json"
    org = healthy_org()
    org.move_nodes(layered_layout(org))
    save_org(org, source)
    (tmp_path / "out").mkdir()
    code, out, _ = run(capsys, "convert", source, tmp_path / "out" / "nodes.csv")
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["links.csv", "nodes.csv"]
    back = tmp_path / "back.json"
    assert run(capsys, "convert", tmp_path / "out" / "nodes.csv", back)[0] == 0
    assert back.read_text() == source.read_text()
