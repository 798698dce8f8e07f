"""``planner convert`` and ``planner import`` never write over the file they read: it may be the only copy."""

from __future__ import annotations

import sys

import pytest

from planner.cli import main
from planner.io import csvpair, native
from tests.helpers import healthy_org

HR_EXPORT = "Name,Title,Manager\nAna,CEO,\nBen,Product Manager,Ana\nCid,Engineer,Ben\n"


def run(capsys, *args) -> tuple[int, str]:
    code = main([str(arg) for arg in args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("output", ["staff.csv", "./staff.csv"])
def test_import_refuses_to_write_its_draft_over_the_hr_export(capsys, tmp_path, monkeypatch, output):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "staff.csv").write_text(HR_EXPORT, encoding="utf-8")
    code, err = run(capsys, "import", "staff.csv", "-o", output)
    assert code == 2 and "refusing to write over the input file staff.csv" in err and err.count("\n") == 1
    assert (tmp_path / "staff.csv").read_text(encoding="utf-8") == HR_EXPORT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staff.csv"]


def test_import_writes_a_pair_beside_the_export_it_read(capsys, tmp_path):
    export = tmp_path / "staff.csv"
    export.write_text(HR_EXPORT, encoding="utf-8")
    code, _err = run(capsys, "import", export, "-o", tmp_path / "staff-nodes.csv")
    assert code in (0, 1)
    assert export.read_text(encoding="utf-8") == HR_EXPORT
    assert len(csvpair.load(tmp_path / "staff-nodes.csv")) > 0


def test_convert_refuses_to_write_over_its_input(capsys, tmp_path):
    org = tmp_path / "org.json"
    native.save(healthy_org(), org)
    before = org.read_bytes()
    code, err = run(capsys, "convert", org, org)
    assert code == 2 and "refusing to write over the input file" in err
    assert org.read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_convert_refuses_a_link_to_its_input_and_the_other_half_of_its_pair(capsys, tmp_path):
    org = tmp_path / "org.json"
    native.save(healthy_org(), org)
    (tmp_path / "link.json").symlink_to(org)
    assert run(capsys, "convert", org, tmp_path / "link.json")[0] == 2
    csvpair.save(healthy_org(), tmp_path / "nodes.csv")
    links = (tmp_path / "links.csv").read_bytes()
    code, err = run(capsys, "convert", tmp_path / "nodes.csv", tmp_path / "links.csv")
    assert code == 2 and "refusing to write over the input file" in err
    assert (tmp_path / "links.csv").read_bytes() == links


def test_convert_still_replaces_another_org_file(capsys, tmp_path):
    org, other = tmp_path / "org.json", tmp_path / "other.graphml"
    native.save(healthy_org(), org)
    assert run(capsys, "convert", org, other)[0] == 0
    assert run(capsys, "convert", org, other)[0] == 0
