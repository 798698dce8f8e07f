"""The tree layout: reporting lines as a tidy tree, managers above their reports, nothing overlapping."""

import pytest

from planner.layout import overlaps, tree_layout
from planner.layout.spacing import COLUMN_PITCH, row_capacity
from planner.model import Link, Node, Org
from planner.model.geometry import GRID
from tests.helpers import make_org


def _reporting_lines(org):
    return [link for link in org.links() if link.kind == "reports_to"]


@pytest.mark.parametrize(("size", "seed"), [(15, 0), (120, 1), (800, 2), (3000, 3)])
def test_managers_sit_above_their_reports_without_overlaps(generated_org, size, seed):
    org = generated_org(size, seed)
    positions = tree_layout(org)
    assert set(positions) == {node.id for node in org.nodes()}
    assert overlaps(positions) == []
    lines = _reporting_lines(org)
    assert lines
    for link in lines:
        assert positions[link.target][1] < positions[link.source][1], link
    assert all(x % GRID == 0 and y % GRID == 0 for x, y in positions.values())


def test_managers_are_centred_over_their_reports():
    org = make_org(
        "lead:vp pm:a pm:b pm:c po:a1 po:a2 po:c1",
        "a reports_to vp, b reports_to vp, c reports_to vp, a1 reports_to a, a2 reports_to a, c1 reports_to c",
    )
    positions = tree_layout(org)
    assert positions["vp"][0] == (positions["a"][0] + positions["c"][0]) / 2
    assert positions["a"][0] == (positions["a1"][0] + positions["a2"][0]) / 2
    assert positions["c"][0] == positions["c1"][0]
    assert positions["a1"][1] == positions["a2"][1] == positions["c1"][1]


def test_nodes_outside_the_reporting_tree_go_in_a_row_below_it():
    org = make_org("lead:vp pm:a po:b product:p team:t stake:s", "a reports_to vp, b reports_to a, t builds p")
    positions = tree_layout(org)
    tree_bottom = max(positions[node_id][1] for node_id in ("vp", "a", "b"))
    outside = [positions[node_id] for node_id in ("p", "t", "s")]
    assert len({y for _, y in outside}) == 1
    assert all(y > tree_bottom for _, y in outside)


def test_cycles_and_matrix_reporting_still_make_a_tree():
    org = make_org(
        "lead:a lead:b lead:c pm:m po:o po:q",
        "a reports_to b, b reports_to c, c reports_to a, m reports_to a, o reports_to m, o reports_to c,"
        " q reports_to q",
    )
    positions = tree_layout(org)
    assert set(positions) == {node.id for node in org.nodes()}
    assert overlaps(positions) == []
    # o hangs under its first manager.
    assert positions["m"][1] < positions["o"][1]


def test_a_manager_with_thousands_of_reports_wraps_them_into_rows():
    org = Org()
    org.add_node(Node("boss", "leader"))
    for index in range(2000):
        org.add_node(Node(f"t{index}", "dev_team"))
        org.add_link(Link(f"t{index}", "boss", "reports_to"))
    positions = tree_layout(org)
    assert overlaps(positions) == []
    width = max(x for x, _ in positions.values()) - min(x for x, _ in positions.values())
    assert width < row_capacity(len(org)) * COLUMN_PITCH
    assert all(positions["boss"][1] < positions[f"t{index}"][1] for index in range(2000))


def test_a_wide_forest_wraps_into_bands(generated_org):
    org = generated_org(3000, 4)
    positions = tree_layout(org)
    width = max(x for x, _ in positions.values()) - min(x for x, _ in positions.values())
    assert width <= row_capacity(len(org)) * COLUMN_PITCH


def test_selection_moves_only_the_selected_cards_and_keeps_its_corner():
    org = make_org(
        "lead:vp pm:a pm:b po:a1 po:b1", "a reports_to vp, b reports_to vp, a1 reports_to a, b1 reports_to b"
    )
    org.move_nodes({"a": (400.0, 600.0), "a1": (1000.0, 300.0), "vp": (0.0, 0.0)})
    positions = tree_layout(org, ["a", "a1"])
    assert set(positions) == {"a", "a1"}
    assert positions["a"] == (400.0, 300.0)
    assert positions["a1"] == (400.0, 500.0)
    assert tree_layout(Org()) == {}
