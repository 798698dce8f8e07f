"""The gap report of a proposal against a baseline: the before/after section in the text formats, and the CLI."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from planner.diff import diff_orgs
from planner.io import load_org, save_org
from planner.model import Link, Node
from planner.report import build_report
from planner.report import write_report as write_report_any
from planner.report.csv import COLUMNS, COMPARISON_COLUMNS
from planner.report.markdown import render_markdown
from planner.resources import resource_path, sample_path

ROOT = Path(__file__).parents[2]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def scaleup():
    return load_org(sample_path("scaleup"))


def fixing_proposal():
    """The scale-up with a product owner for the unowned team and a product manager for the ownerless product."""
    org = scaleup()
    org.add_node(Node("po-api", "product_owner", "Ravi Shah", title="Product Owner, API"))
    org.add_link(Link("po-api", "t-api", "owns_backlog"))
    org.add_node(Node("pm-api", "product_manager", "Amara Okafor"))
    org.add_link(Link("pm-api", "api", "owns_strategy"))
    org.add_link(Link("po-api", "pm-api", "reports_to"))
    org.add_link(Link("pm-api", "vp", "reports_to"))  # without it the new branch reaches no leader (STR007)
    return org


def breaking_proposal():
    """The scale-up without Lena Park, who owns the backlog of Insights."""
    org = scaleup()
    org.remove_node("po-lena")
    return org


def _report(proposal, baseline=None, source="proposal.json", baseline_source="scaleup.json"):
    baseline = scaleup() if baseline is None else baseline
    return build_report(proposal, source=source, diff=diff_orgs(baseline, proposal), baseline_source=baseline_source)


def _section(markdown: str) -> str:
    return markdown[markdown.index("## Before and after") : markdown.index("## The org at a glance")]


def _render(report) -> str:
    return render_markdown(report.document)


def _csv_rows(report_path: Path) -> list[dict]:
    rows = list(csv.reader(io.StringIO(report_path.read_text(encoding="utf-8"))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# -- Markdown ---------------------------------------------------------------------------------------


def test_markdown_says_which_gaps_the_proposal_fixes():
    text = _render(_report(fixing_proposal()))
    assert text.index("## Top risks") < text.index("## Before and after") < text.index("## The org at a glance")
    section = _section(text)
    assert "this proposal fixes 2 errors" in section
    assert "adds 1 product manager and 1 product owner" in section
    intro = section[section.index("Compared with") :].split("\n")[0]
    assert not re.search(r"\b(links?|nodes?)\b", intro), intro  # the terminal's diff words, made plain
    assert "| Teams with exactly one backlog owner | 5 of 7 | 6 of 7 | better |" in section
    assert "| Products with a strategy owner | 3 of 4 | 4 of 4 | better |" in section
    assert "| Errors | 2 | 0 | better |" in section
    fixed = section[section.index("### Gaps fixed (2)") : section.index("**Gaps introduced")]
    assert "**Error:** Team 'API Platform' has no backlog owner" in fixed
    assert "**Error:** Product 'Partner API' has no strategy owner" in fixed
    assert "> **Gaps introduced (0)**" in section and "None: the proposal opens no new gap." in section
    added = section[section.index("#### Added (2)") : section.index("#### Removed")]
    assert "Ravi Shah (product owner) — Product Owner, API" in added
    assert "Amara Okafor (product manager)" in added
    assert "Ravi Shah owns the backlog of API Platform" in section


def test_an_identical_baseline_shows_no_change():
    section = _section(_render(_report(scaleup())))
    assert "no change, the two orgs are the same" in section
    assert "| Errors | 2 | 2 | same |" in section
    assert "### Gaps fixed (0)" in section and "**Gaps introduced (0)**" in section
    assert "#### Added (0)" in section and "#### Removed (0)" in section and "#### Changed (0)" in section


def test_cards_moved_on_the_chart_are_no_change():
    proposal = scaleup()
    proposal.move_nodes({"vp": (0.0, 0.0)})
    section = _section(_render(_report(proposal)))
    assert "no change, the two orgs are the same (only cards moved on the chart)" in section


def test_a_proposal_that_removes_an_owner_shows_the_gap_it_introduces():
    section = _section(_render(_report(breaking_proposal())))
    assert "introduces 1 error" in section and "removes 1 product owner" in section
    assert "| Errors | 2 | 3 | worse |" in section
    # Tom Becker reported to Lena: without her his branch reaches no leader (STR007, information).
    introduced = section[section.index("**Gaps introduced (2)**") : section.index("#### Added")]
    assert "leadership must accept" in introduced
    assert "> - **Error:** Team 'Insights' has no backlog owner" in introduced
    assert "Tom Becker" in introduced
    removed = section[section.index("#### Removed (1)") : section.index("#### Changed")]
    assert "Lena Park (product owner) — Product Owner, Data" in removed
    assert "Lena Park owns the backlog of Insights" in section[section.index("#### Relationships removed") :]
    # Tom Becker no longer reports to a product owner: that inversion is fixed.
    assert (
        "**Warning:** Product manager 'Tom Becker'"
        in section[section.index("### Gaps fixed") : section.index("**Gaps introduced")]
    )


def test_renames_and_title_changes_are_listed_as_changes():
    proposal = scaleup()
    proposal.update_node("t-api", name="API Core", size=6)
    proposal.update_node("pm-priya", title="Group Product Manager")
    changed = _section(_render(_report(proposal)))
    changed = changed[changed.index("#### Changed (2)") : changed.index("#### Relationships added")]
    assert "API Core: renamed from 'API Platform'; size 12 → 6" in changed
    assert "Priya Nair: title 'Senior Product Manager' → 'Group Product Manager'" in changed


def test_markdown_escapes_user_text_of_both_orgs():
    baseline = scaleup()
    baseline.add_node(Node("evil", "stakeholder", "<img src=x onerror=alert(1)>"))
    proposal = scaleup()
    proposal.update_node("t-api", name="| <b>pwn</b> |")
    section = _section(_render(_report(proposal, baseline, baseline_source="<script>.json")))
    # Leave out the markup the writer adds itself: tables, quotes, and the <details> block.
    prose = "\n".join(line.removeprefix(">").lstrip() for line in section.splitlines() if not line.startswith("|"))
    prose = re.sub(r"</?(details|summary)>", "", prose)
    assert not re.search(r"(?<!\\)[<>|]", prose)
    assert "\\<img src=x onerror=alert(1)\\>" in section
    assert "\\| \\<b\\>pwn\\</b\\> \\|: renamed from 'API Platform'" in section


def test_no_baseline_means_no_section():
    report = build_report(scaleup())
    assert report.comparison is None
    assert "Before and after" not in render_markdown(report.document)


# -- CSV and JSON ----------------------------------------------------------------------------------


def test_csv_marks_each_finding_fixed_introduced_or_remaining(tmp_path):
    path = tmp_path / "report.csv"
    write_report_any(breaking_proposal(), path, baseline=scaleup())
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert tuple(header.split(",")) == COMPARISON_COLUMNS
    rows = _csv_rows(path)
    by_change = {}
    for row in rows:
        by_change.setdefault(row["change"], []).append(row)
    assert [(r["status"], r["code"], r["nodes"]) for r in by_change["introduced"]] == [
        ("open", "OWN001", "Insights"),
        ("open", "STR007", "Tom Becker; Product owner (to hire)"),
    ]
    fixed = {(r["status"], r["code"]) for r in by_change["fixed"]}
    assert fixed == {("fixed", "ALN004")}
    assert {r["status"] for r in by_change["remaining"]} == {"open"}
    assert len(by_change["remaining"]) == 10  # 11 before OWN005 stopped repeating Checkout Flow's OWN003


def test_csv_without_a_baseline_keeps_its_columns(tmp_path):
    path = tmp_path / "report.csv"
    write_report_any(scaleup(), path)
    assert tuple(path.read_text(encoding="utf-8").splitlines()[0].split(",")) == COLUMNS


def test_csv_neutralises_formulas_in_fixed_rows(tmp_path):
    baseline = scaleup()
    baseline.add_node(Node("sum", "dev_team", "=SUM(A1:A9)"))
    path = tmp_path / "report.csv"
    write_report_any(scaleup(), path, baseline=baseline)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    fixed = [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[1] == "fixed"]
    assert {row["nodes"] for row in fixed} >= {"'=SUM(A1:A9)"}


def test_json_comparison_uses_the_check_gap_shape(tmp_path):
    path = tmp_path / "report.json"
    write_report_any(
        fixing_proposal(), path, source="proposal.json", baseline=scaleup(), baseline_source="scaleup.json"
    )
    document = json.loads(path.read_text(encoding="utf-8"))
    comparison = document["comparison"]
    assert comparison["baseline"] == "scaleup.json"
    assert comparison["summary"].startswith("fixes 2 errors")
    assert comparison["fixed"] == [
        {
            "code": "OWN001",
            "name": "team-without-backlog-owner",
            "severity": "error",
            "message": "Team 'API Platform' has no backlog owner",
            "nodes": ["t-api"],
        },
        {
            "code": "OWN002",
            "name": "product-without-strategy-owner",
            "severity": "error",
            "message": "Product 'Partner API' has no strategy owner",
            "nodes": ["api"],
        },
    ]
    assert comparison["introduced"] == []
    assert comparison["remaining"] == document["gaps"]
    assert comparison["nodes"] == {"added": ["po-api", "pm-api"], "removed": [], "changed": []}
    assert {"source": "po-api", "target": "t-api", "kind": "owns_backlog"} in comparison["links"]["added"]
    assert comparison["health"]["before"]["counts"]["error"] == 2
    assert comparison["health"]["after"]["counts"]["error"] == 0
    assert comparison["health"]["after"]["teams_with_one_backlog_owner"] == 6


def test_json_identical_baseline_and_no_baseline(tmp_path):
    path = tmp_path / "report.json"
    write_report_any(scaleup(), path, baseline=scaleup())
    comparison = json.loads(path.read_text(encoding="utf-8"))["comparison"]
    assert comparison["summary"] == "no change"
    assert comparison["fixed"] == [] and comparison["introduced"] == []
    assert comparison["nodes"] == {"added": [], "removed": [], "changed": []}
    write_report_any(scaleup(), path)
    assert "comparison" not in json.loads(path.read_text(encoding="utf-8"))


# -- The shipped proposal and the command line ------------------------------------------------------


def test_the_sample_proposal_fixes_the_scaleups_ownership_gaps():
    proposal = load_org(resource_path("samples", "scaleup-proposal.json"))
    diff = diff_orgs(scaleup(), proposal)
    assert {(f.code, f.subject) for f in diff.fixed} == {
        ("OWN001", "t-api"),
        ("OWN002", "api"),
        ("OWN003", "t-flow"),
        ("ALN002", "s-legal"),
        ("ALN002", "s-partners"),
    }  # Checkout's two owners are one cause, Checkout Flow's (OWN003): no separate OWN005 to fix
    assert [f.code for f in diff.introduced] == ["RSK003"]
    assert not diff.removed


def test_cli_report_with_a_baseline(tmp_path, capsys):
    out = tmp_path / "report.md"
    proposal = tmp_path / "proposal.json"
    save_org(fixing_proposal(), proposal)
    assert main(["report", str(proposal), "--baseline", str(sample_path("scaleup")), "-o", str(out)]) == 0
    assert "against" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert "### Gaps fixed (2)" in _section(text)


def test_text_report_with_a_baseline_never_loads_qt(tmp_path):
    out = tmp_path / "report.json"
    code = (
        "import sys\n"
        "from planner.cli import main\n"
        f"status = main(['report', {str(sample_path('scaleup'))!r}, '--baseline', {str(sample_path('scaleup'))!r},"
        f" '-o', {str(out)!r}])\n"
        "assert status == 0\n"
        "assert not any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules), 'Qt was loaded'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["comparison"]["summary"] == "no change"


@pytest.mark.parametrize("content", [None, "{not json", '{"format": "team-structure-planner", "version": 99}'])
def test_unreadable_baseline_exits_2_with_one_line_naming_it(tmp_path, content):
    baseline = tmp_path / "current.json"
    if content is not None:
        baseline.write_text(content, encoding="utf-8")
    out = tmp_path / "report.md"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "report",
            str(sample_path("scaleup")),
            "--baseline",
            str(baseline),
            "-o",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(baseline) in lines[0]
    assert not out.exists()
