"""The Gephi-style node/link CSV pair: files side by side, formula safety, lossless round trips, placed errors."""

from __future__ import annotations

import csv

import pytest

from planner.io import LoadError, csvpair, load_org, native, save_org
from planner.io.csvpair import neutralise, pair_paths, restore
from planner.model.org import Link, Node
from tests.helpers import healthy_org


def awkward_org():
    """Every attribute set, with text a spreadsheet would run and text that only looks like our own escape."""
    org = healthy_org()
    org.set_name('=HYPERLINK("http://evil")')
    org.set_profile("safe")
    org.update_node("po", title="+Senior PO", notes='-a note\non two lines, with "quotes"; and ;semicolons')
    org.update_node("pm", name="@pm", vacant=True, ignore=["RSK002", "OWN004"], title="'=not a formula")
    org.update_node("t1", size=7, name="'quoted already")
    org.update_node("sales", scope="internal", notes="\ttabbed\r\nwindows line")
    org.update_node("buyers", scope="external", name="Zoë Łukasz, José")
    org.move_nodes({"vp": (-120.5, 40), "p": (1e6, -0.25)})
    org.add_node(Node("=cmd", "stakeholder", "", x=3, y=4))
    org.add_link(Link("=cmd", "p", "stakeholder_of"))
    return org


def test_convert_writes_nodes_and_links_side_by_side(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    save_org(healthy_org(), out / "nodes.csv")
    assert sorted(p.name for p in out.iterdir()) == ["links.csv", "nodes.csv"]
    with open(out / "links.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["source", "target", "kind"]
    assert ["po", "t1", "owns_backlog"] in rows


def test_pair_names():
    assert pair_paths("a/nodes.csv")[1].name == "links.csv"
    assert pair_paths("a/links.csv")[0].name == "nodes.csv"
    assert pair_paths("acme-nodes.csv")[1].name == "acme-links.csv"
    assert pair_paths("Acme_Nodes.CSV")[1].name == "Acme_Links.CSV"
    assert pair_paths("acme.csv")[1].name == "acme-links.csv"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=x", "''=x", "'x", "x", "", "'"])
def test_neutralising_is_undone_exactly(value):
    assert restore(neutralise(value)) == value


def test_formula_cells_are_prefixed_on_disk(tmp_path):
    save_org(awkward_org(), tmp_path / "nodes.csv")
    with open(tmp_path / "nodes.csv", newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'+Senior PO" in cells and "'@pm" in cells and "'=cmd" in cells
    assert not any(cell[:1] in ("=", "+", "@", "\t", "\r") for cell in cells)
    assert "-120.5" in cells  # numbers stay numbers
    with open(tmp_path / "links.csv", newline="", encoding="utf-8") as handle:
        assert ["'=cmd", "p", "stakeholder_of"] in list(csv.reader(handle))


@pytest.mark.parametrize("open_with", ["nodes.csv", "links.csv"])
def test_round_trip_through_the_pair_is_byte_for_byte(tmp_path, open_with):
    org = awkward_org()
    save_org(org, tmp_path / "nodes.csv")
    assert native.dumps(load_org(tmp_path / open_with, layout=False)) == native.dumps(org)


def test_a_pair_re_saved_by_a_european_spreadsheet_still_reads(tmp_path):
    org = awkward_org()
    nodes_text, links_text = csvpair.dumps(org)
    for name, text in (("nodes.csv", nodes_text), ("links.csv", links_text)):
        rows = list(csv.reader(text.splitlines(keepends=True)))
        with open(tmp_path / name, "w", newline="", encoding="utf-8-sig") as handle:
            csv.writer(handle, delimiter=";").writerows(rows)
    assert native.dumps(csvpair.load(tmp_path / "nodes.csv")) == native.dumps(org)


def test_a_gephi_node_table_with_label_and_no_links_file(tmp_path):
    (tmp_path / "team-nodes.csv").write_text("Id,Label,kind,timeset\na,Ann,product_owner,\nt,Rockets,dev_team,\n")
    org = load_org(tmp_path / "team-nodes.csv")
    assert org.node("a").name == "Ann" and org.number_of_links() == 0
    assert org.name == "team" and org.profile == "scrum"


def test_errors_name_the_file_row_and_column(tmp_path):
    (tmp_path / "nodes.csv").write_text(
        "id,kind,name,x,size,vacant\n"
        "a,product_owner,Ann,10,,\n"
        "b,wizard,Bo,0,,\n"
        "c,dev_team,Cy,left,2.5,maybe\n"
        "a,dev_team,Dup,0,,\n"
    )
    (tmp_path / "links.csv").write_text("source,target,kind\na,zz,owns_backlog\na,a,befriends\n")
    with pytest.raises(LoadError) as caught:
        load_org(tmp_path / "nodes.csv")
    places = [problem.where for problem in caught.value.problems]
    assert places == [
        "nodes.csv row 3, column 'kind'",
        "nodes.csv row 4, column 'x'",
        "nodes.csv row 4, column 'vacant'",
        "nodes.csv row 4, column 'size'",
        "nodes.csv row 5, column 'id'",
        "links.csv row 2, column 'target'",
        "links.csv row 3, column 'kind'",
    ]
    assert "nodes.csv" in caught.value.summary()


def test_an_hr_export_opened_as_a_pair_points_to_planner_import(tmp_path):
    (tmp_path / "people.csv").write_text("Employee ID,Full Name\n1,Ann\n")
    with pytest.raises(
        LoadError, match="missing columns id, kind; a people list from HR is read with 'planner import'"
    ):
        load_org(tmp_path / "people.csv")
    (tmp_path / "staff.csv").write_text("id,Full Name\n1,Ann\n")
    with pytest.raises(LoadError, match="planner import"):
        load_org(tmp_path / "staff.csv")


def test_a_missing_nodes_file_is_named(tmp_path):
    (tmp_path / "links.csv").write_text("source,target,kind\n")
    with pytest.raises(LoadError, match="nodes.csv"):
        load_org(tmp_path / "links.csv")
