"""The command line as scripts and CI use it: output shapes and exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from planner.io import save_org
from planner.io.graphml import dumps as graphml_dumps
from planner.resources import sample_path
from tests.helpers import healthy_org, make_org

ROOT = Path(__file__).parents[2]


@pytest.fixture
def gappy(tmp_path):
    path = tmp_path / "gappy.json"
    save_org(make_org("team:t product:p stake:s", "t builds p"), path)
    return path


@pytest.fixture
def healthy(tmp_path):
    path = tmp_path / "healthy.json"
    save_org(healthy_org(), path)
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_exit_codes(capsys, gappy, healthy):
    assert run(capsys, "check", healthy)[0] == 0
    assert run(capsys, "check", gappy)[0] == 1
    assert run(capsys, "check", gappy, "--fail-on", "never")[0] == 0
    assert run(capsys, "check", gappy, "--select", "STR004", "--fail-on", "warning")[0] == 0
    assert run(capsys, "check", gappy, "--select", "STR004", "--fail-on", "info")[0] == 1


def test_check_json_has_the_published_shape(capsys, gappy):
    code, out, _ = run(capsys, "check", gappy, "--format", "json")
    data = json.loads(out)
    assert list(data) == ["file", "profile", "summary", "gaps", "plan", "duties"]
    assert data["file"] == str(gappy) and data["profile"] == "scrum"
    assert list(data["plan"]) == ["ask", "hires", "actions", "decisions", "after", "introduces", "unowned_duties"]
    assert list(data["duties"]) == ["catalog", "unowned", "products"]
    assert data["plan"]["hires"] == {"product_owner": 1, "product_manager": 1}
    assert list(data["summary"]) == ["error", "warning", "info"]
    gap = data["gaps"][0]
    assert list(gap) == ["code", "name", "severity", "message", "nodes"]
    assert gap == {
        "code": "OWN001",
        "name": "team-without-backlog-owner",
        "severity": "error",
        "message": "Team 'T' has no backlog owner",
        "nodes": ["t"],
    }
    assert sum(data["summary"].values()) == len(data["gaps"])


def test_check_text_and_markdown(capsys, gappy):
    _, out, _ = run(capsys, "check", gappy)
    assert "OWN001 [error] Team 'T' has no backlog owner" in out
    assert out.splitlines()[-1] == "Test org (3 nodes, profile scrum): 2 errors, 1 warning, 2 infos"
    _, out, _ = run(capsys, "check", gappy, "--format", "markdown")
    assert "| error | OWN001 |" in out


def test_check_select_ignore_and_profile(capsys, gappy):
    _, out, _ = run(capsys, "check", gappy, "--format", "json", "--select", "OWN,STR004", "--ignore", "OWN002")
    assert {g["code"] for g in json.loads(out)["gaps"]} == {"OWN001", "STR004"}
    _, out, _ = run(capsys, "check", gappy, "--format", "json", "--profile", "less")
    assert json.loads(out)["profile"] == "less"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "missing.json"],
        ["check", "{gappy}", "--profile", "kanban"],
        ["check", "{gappy}", "--select", "XYZ999"],
        ["rules", "NOPE001"],
        ["frobnicate"],
    ],
)
def test_user_errors_exit_2_with_one_line_and_no_traceback(capsys, gappy, args):
    code, _, err = run(capsys, *[a.format(gappy=gappy) for a in args])
    assert code == 2
    assert "Traceback" not in err
    assert err.strip()


def test_broken_file_message_names_file_and_place(capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "team-structure-planner",\n "version": 2\n "nodes": []}')
    code, _, err = run(capsys, "check", path)
    assert code == 2
    assert "broken.json" in err and "line 3" in err
    assert len(err.strip().splitlines()) == 1


def test_rules_lists_the_catalog_and_explains_one(capsys):
    _, out, _ = run(capsys, "rules")
    assert len(out.strip().splitlines()) == 32 and out.startswith("OWN001")
    _, out, _ = run(capsys, "rules", "team-without-backlog-owner")
    assert "Why it matters" in out and "How to fix" in out


def test_convert_graphml_to_json(capsys, tmp_path):
    source = tmp_path / "org.graphml"
    source.write_text(graphml_dumps(healthy_org()))
    target = tmp_path / "org.json"
    code, out, _ = run(capsys, "convert", source, target)
    assert code == 0 and target.exists()
    code, _, _ = run(capsys, "check", target)
    assert code == 0


def test_main_py_behaves_like_planner(tmp_path):
    out = subprocess.run(
        [sys.executable, "main.py", "check", str(sample_path("scaleup")), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert json.loads(out.stdout)["summary"]["error"] >= 1


def test_the_editor_without_a_display_explains_instead_of_crashing(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    code, _, err = run(capsys, "open")
    assert code == 2
    assert "no display" in err and "check" in err


def test_check_reads_a_file_without_positions_and_never_lays_it_out(capsys, monkeypatch, tmp_path):
    """Checking is for CI: it needs the links, not a chart, so it spends no time arranging cards."""
    import planner.io

    arranged = []
    monkeypatch.setattr(planner.io, "layered_layout", lambda org: arranged.append(org) or {})
    path = tmp_path / "unplaced.json"
    save_org(make_org("team:t product:p stake:s", "t builds p"), path)
    code, out, _ = run(capsys, "check", path, "--format", "json")
    assert code == 1 and json.loads(out)["gaps"][0]["code"] == "OWN001"
    assert arranged == []
    assert run(capsys, "convert", path, tmp_path / "placed.json")[0] == 0
    assert len(arranged) == 1


def test_python_dash_m_planner_is_the_planner_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "planner", "rules", "--format", "markdown"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0 and "| OWN001 |" in result.stdout
