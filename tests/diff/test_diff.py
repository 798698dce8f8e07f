"""Comparing a current org with a proposal, on the samples."""

import json

from planner.cli import main
from planner.diff import diff_orgs
from planner.io import load_org, save_org
from planner.model import Link, Node
from planner.resources import sample_path


def _scaleup():
    return load_org(sample_path("scaleup"))


def _fixing_proposal():
    org = _scaleup()
    org.add_node(Node("po-api", "product_owner", "Ravi Shah"))
    org.add_link(Link("po-api", "t-api", "owns_backlog"))
    org.add_node(Node("pm-api", "product_manager", "API product manager"))
    org.add_link(Link("pm-api", "api", "owns_strategy"))
    org.add_link(Link("po-api", "pm-api", "reports_to"))
    org.add_link(Link("pm-api", "vp", "reports_to"))  # a new branch that stops short of the VP would be STR007
    return org


def test_a_proposal_that_fixes_gaps_shows_them_as_fixed():
    diff = diff_orgs(_scaleup(), _fixing_proposal())
    assert {f.code for f in diff.fixed} == {"OWN001", "OWN002"}
    assert not diff.introduced
    assert {n.id for n in diff.added} == {"po-api", "pm-api"}
    assert len(diff.links_added) == 4
    assert diff.summary().startswith("fixes 2 errors")
    assert "adds 1 product manager and 1 product owner" in diff.summary()


def test_identical_files_show_no_change():
    diff = diff_orgs(_scaleup(), _scaleup())
    assert diff.is_empty
    assert diff.summary() == "no change"
    assert not diff.fixed and not diff.introduced
    assert len(diff.remaining) == len(diff.after.findings)


def test_a_rename_is_exactly_one_changed_node():
    proposal = _scaleup()
    proposal.update_node("pm-priya", name="Priya Nair-Shah")
    diff = diff_orgs(_scaleup(), proposal)
    assert [c.after.id for c in diff.changed] == ["pm-priya"]
    assert diff.changed[0].fields == {"name": ("Priya Nair", "Priya Nair-Shah")}
    assert not diff.added and not diff.removed and not diff.links_added and not diff.links_removed
    assert not diff.fixed and not diff.introduced


def test_removing_an_owner_introduces_a_gap():
    proposal = _scaleup()
    proposal.remove_node("po-lena")
    diff = diff_orgs(_scaleup(), proposal)
    assert [n.id for n in diff.removed] == ["po-lena"]
    assert "OWN001" in {f.code for f in diff.introduced}


def test_cli_diff_json_lists_fixed_introduced_remaining(tmp_path, capsys):
    proposal = tmp_path / "proposal.json"
    save_org(_fixing_proposal(), proposal)
    assert main(["diff", str(sample_path("scaleup")), str(proposal), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [g["code"] for g in data["fixed"]] == ["OWN001", "OWN002"]
    assert data["introduced"] == []
    assert set(data["remaining"][0]) == {"code", "name", "severity", "message", "nodes"}


def test_cli_diff_html_escapes_names(tmp_path, capsys):
    proposal_org = _scaleup()
    proposal_org.update_node("t-api", name="<script>alert(1)</script>")
    proposal = tmp_path / "p.json"
    save_org(proposal_org, proposal)
    main(["diff", str(sample_path("scaleup")), str(proposal), "--format", "html"])
    out = capsys.readouterr().out
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_cli_diff_unreadable_file_exits_2(tmp_path, capsys):
    assert main(["diff", str(sample_path("scaleup")), str(tmp_path / "missing.json")]) == 2


def test_each_changed_field_is_said_in_words_the_report_and_the_compare_panel_share():
    from planner.diff import NodeChange

    before = Node("t", "product_owner", "API Platform", title="", size=12, vacant=False, ignore=("OWN001",), notes="a")
    after = Node("t", "product_manager", "API Core", title="Lead", size=6, vacant=True, ignore=(), notes="b")
    assert NodeChange(before, after).phrases() == (
        "role product owner → product manager",
        "renamed from 'API Platform'",
        "title none → 'Lead'",
        "notes edited",
        "now to be hired (vacant)",
        "size 12 → 6",
        "accepted risks OWN001 → none",
    )
    assert NodeChange(after, before).phrases()[4] == "filled (no longer vacant)"
    assert NodeChange(before, before.replace(x=400.0, y=-80.0)).phrases() == ()  # a move is not a change
