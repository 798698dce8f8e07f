"""The layered layout: an org chart by role, without overlaps, with products in column blocks."""

import pytest

from planner.layout import layered_layout, overlaps
from planner.layout.spacing import COLUMN_PITCH, row_capacity
from planner.model import Link, ModelError, Node, Org
from planner.model.geometry import CARD_WIDTH, GRID
from tests.helpers import make_org


def _on_grid(positions):
    return all(x % GRID == 0 and y % GRID == 0 for x, y in positions.values())


def _input_order(org):
    """The chart as it would be drawn from the file's order: each role layer in document order."""
    kinds = ("leader", "product_manager", "product_owner", "dev_team", "product", "stakeholder")
    seen = dict.fromkeys(kinds, 0)
    positions = {}
    for node in org.nodes():
        positions[node.id] = (seen[node.kind] * COLUMN_PITCH, kinds.index(node.kind) * 200.0)
        seen[node.kind] += 1
    return positions


@pytest.mark.parametrize(("size", "seed"), [(12, 0), (80, 1), (400, 2), (1500, 3), (3000, 4)])
def test_generated_orgs_are_drawn_by_role_without_overlaps(generated_org, layer_order, size, seed):
    org = generated_org(size, seed)
    positions = layered_layout(org)
    assert set(positions) == {node.id for node in org.nodes()}
    assert overlaps(positions) == []
    assert layer_order(org, positions) == []
    assert _on_grid(positions)


def test_leaders_reporting_to_leaders_sit_in_deeper_sub_layers(generated_org):
    org = generated_org(1500, 5)
    positions = layered_layout(org)
    leader_lines = [
        link
        for link in org.links()
        if link.kind == "reports_to" and {org.node(link.source).kind, org.node(link.target).kind} == {"leader"}
    ]
    assert len(leader_lines) > 10
    for link in leader_lines:
        assert positions[link.target][1] < positions[link.source][1], link


def test_each_product_has_its_own_column_block():
    # Products are listed in the reverse order of their PMs, and the teams are interleaved.
    org = make_org(
        "pm:pm1 pm:pm2 pm:pm3 po:po1 po:po2 po:po3 team:a1 team:b1 team:c1 team:a2 team:b2 team:c2 "
        "product:c product:b product:a stake:sa stake:sc",
        "pm1 owns_strategy a, pm2 owns_strategy b, pm3 owns_strategy c, po1 owns_backlog a1, po1 owns_backlog a2,"
        " po2 owns_backlog b1, po2 owns_backlog b2, po3 owns_backlog c1, po3 owns_backlog c2,"
        " a1 builds a, a2 builds a, b1 builds b, b2 builds b, c1 builds c, c2 builds c, po1 reports_to pm1,"
        " po2 reports_to pm2, po3 reports_to pm3, sa stakeholder_of a, sc stakeholder_of c",
    )
    positions = layered_layout(org)
    blocks = {
        "a": ["pm1", "po1", "a1", "a2", "a", "sa"],
        "b": ["pm2", "po2", "b1", "b2", "b"],
        "c": ["pm3", "po3", "c1", "c2", "c", "sc"],
    }
    spans = {
        product: (min(positions[n][0] for n in members), max(positions[n][0] for n in members))
        for product, members in blocks.items()
    }
    ordered = sorted(spans.values())
    for (_, right), (left, _) in zip(ordered, ordered[1:], strict=False):
        assert right + CARD_WIDTH <= left, spans
    for product, members in blocks.items():
        pm = members[0]
        assert positions[pm][0] == positions[product][0], "the PM stands right above its product"


def test_stakeholders_are_drawn_under_their_product(generated_org):
    org = generated_org(300, 6)
    positions = layered_layout(org)
    for link in org.links():
        if link.kind == "stakeholder_of":
            assert positions[link.source][1] > positions[link.target][1]


@pytest.mark.parametrize("seed", range(6))
def test_generated_orgs_cross_less_than_in_file_order(generated_org, count_crossings, seed):
    # Small enough that no layer wraps: wrapped bands add crossings of their own.
    org = generated_org(60, seed)
    assert count_crossings(org, layered_layout(org)) < count_crossings(org, _input_order(org))


def test_crossing_reduction_untangles_backlogs(count_crossings):
    # Each PO owns teams listed far from each other, and the stakeholders are listed backwards.
    org = make_org(
        "pm:pm po:p1 po:p2 po:p3 team:t1 team:t2 team:t3 team:t4 team:t5 team:t6 product:app "
        "stake:s3 stake:s2 stake:s1",
        "pm owns_strategy app, p1 owns_backlog t6, p1 owns_backlog t3, p2 owns_backlog t1, p2 owns_backlog t5,"
        " p3 owns_backlog t2, p3 owns_backlog t4, t1 builds app, t2 builds app, t3 builds app, t4 builds app,"
        " t5 builds app, t6 builds app, p1 reports_to pm, p2 reports_to pm, p3 reports_to pm,"
        " s1 stakeholder_of app, s2 stakeholder_of app, s3 stakeholder_of app, p1 engages s1, p2 engages s2,"
        " p3 engages s3",
    )
    before = count_crossings(org, _input_order(org))
    after = count_crossings(org, layered_layout(org))
    assert before >= 5
    assert after == 0


def test_crossing_reduction_untangles_shared_backlogs(count_crossings):
    # p2 shares t4 with p1 and t5 with p3; listed this way, a plain walk down the org leaves a crossing.
    org = make_org(
        "pm:pm po:p1 po:p2 po:p3 team:t1 team:t2 team:t3 team:t4 team:t5 team:t6 product:app",
        "pm owns_strategy app, p1 owns_backlog t4, p1 owns_backlog t1, p2 owns_backlog t4, p2 owns_backlog t2,"
        " p2 owns_backlog t5, p3 owns_backlog t6, p3 owns_backlog t5, p3 owns_backlog t3, p1 reports_to pm,"
        " p2 reports_to pm, p3 reports_to pm, t1 builds app, t2 builds app, t3 builds app, t4 builds app,"
        " t5 builds app, t6 builds app",
    )
    assert count_crossings(org, _input_order(org)) > 0
    assert count_crossings(org, layered_layout(org)) == 0


def test_crossing_reduction_lines_products_up_under_their_managers(count_crossings):
    org = make_org(
        "lead:vp pm:m1 pm:m2 pm:m3 pm:m4 team:t1 team:t2 team:t3 team:t4 product:p4 product:p2 product:p3 product:p1",
        "m1 reports_to vp, m2 reports_to vp, m3 reports_to vp, m4 reports_to vp, m1 owns_backlog t3,"
        " m2 owns_backlog t1, m3 owns_backlog t4, m4 owns_backlog t2, t3 builds p1, t1 builds p2, t4 builds p3,"
        " t2 builds p4",
    )
    before = count_crossings(org, _input_order(org))
    assert before > 0
    assert count_crossings(org, layered_layout(org)) == 0


def test_a_very_wide_layer_wraps_into_rows(layer_order):
    org = Org()
    org.add_node(Node("po", "product_owner"))
    org.add_node(Node("app", "product"))
    for index in range(2000):
        org.add_node(Node(f"t{index}", "dev_team"))
        org.add_link(Link("po", f"t{index}", "owns_backlog"))
        org.add_link(Link(f"t{index}", "app", "builds"))
    positions = layered_layout(org)
    assert overlaps(positions) == []
    assert layer_order(org, positions) == []
    cap = row_capacity(len(org))
    width = max(x for x, _ in positions.values()) - min(x for x, _ in positions.values()) + CARD_WIDTH
    assert width <= cap * COLUMN_PITCH
    team_rows = {positions[f"t{index}"][1] for index in range(2000)}
    assert len(team_rows) == -(-2000 // cap)


def test_a_large_generated_org_stays_within_a_few_row_widths(generated_org):
    org = generated_org(3000, 7)
    positions = layered_layout(org)
    width = max(x for x, _ in positions.values()) - min(x for x, _ in positions.values())
    assert width < 2 * row_capacity(len(org)) * COLUMN_PITCH


def test_selection_moves_only_the_selected_cards_and_keeps_its_corner(generated_org):
    org = generated_org(200, 8)
    org.move_nodes(layered_layout(org))
    selection = [node.id for node in org.nodes() if node.id.startswith(("team", "po-"))][:12]
    corner = (
        min(org.node(n).x for n in selection),
        min(org.node(n).y for n in selection),
    )
    before = {node.id: (node.x, node.y) for node in org.nodes()}
    positions = layered_layout(org, selection)
    assert set(positions) == set(selection)
    assert {node.id: (node.x, node.y) for node in org.nodes()} == before, "the org itself is not edited"
    assert (min(x for x, _ in positions.values()), min(y for _, y in positions.values())) == corner
    assert overlaps(positions) == []
    assert _on_grid(positions)


def test_selection_with_unknown_ids_is_refused():
    org = make_org("po:a")
    with pytest.raises(ModelError, match="ghost"):
        layered_layout(org, ["a", "ghost"])


def test_awkward_orgs_still_get_a_layout(layer_order):
    cycle = make_org(
        "lead:a lead:b lead:c pm:m product:p team:t po:o",
        "a reports_to b, b reports_to c, c reports_to a, m reports_to a, m owns_strategy p, o reports_to o",
    )
    leaders_only = make_org("lead:a lead:b lead:c", "b reports_to a")
    unlinked = make_org(" ".join(f"{kind}:{kind}{index}" for kind in ("po", "team", "stake") for index in range(30)))
    for org in (cycle, leaders_only, unlinked):
        positions = layered_layout(org)
        assert set(positions) == {node.id for node in org.nodes()}
        assert overlaps(positions) == []
        assert layer_order(org, positions) == []
    assert layered_layout(Org()) == {}


def test_hundreds_of_leaders_on_one_level_wrap_into_rows():
    org = Org()
    org.add_node(Node("chief", "leader"))
    for index in range(300):
        org.add_node(Node(f"head{index}", "leader"))
        org.add_link(Link(f"head{index}", "chief", "reports_to"))
    positions = layered_layout(org)
    assert overlaps(positions) == []
    width = max(x for x, _ in positions.values()) - min(x for x, _ in positions.values()) + CARD_WIDTH
    assert width <= row_capacity(len(org)) * COLUMN_PITCH
    assert all(positions["chief"][1] < positions[f"head{index}"][1] for index in range(300))
