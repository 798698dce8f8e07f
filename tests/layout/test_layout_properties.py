"""Whatever the org looks like, even with links the analysis would flag, every card is placed and none overlap."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.layout import layered_layout, overlaps, tree_layout
from planner.model import LINK_KINDS, NODE_KINDS, Link, Node, Org


@st.composite
def odd_orgs(draw):
    kinds = draw(st.lists(st.sampled_from(NODE_KINDS), min_size=1, max_size=40))
    org = Org()
    for index, kind in enumerate(kinds):
        org.add_node(Node(f"n{index}", kind))
    links = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(kinds) - 1), st.integers(0, len(kinds) - 1), st.sampled_from(sorted(LINK_KINDS))
            ),
            max_size=80,
        )
    )
    for source, target, kind in links:
        if not org.has_link((f"n{source}", f"n{target}", kind)):
            org.add_link(Link(f"n{source}", f"n{target}", kind))
    return org


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(odd_orgs(), st.data())
def test_any_org_gets_a_full_layout_without_overlaps(layer_order, org, data):
    ids = [node.id for node in org.nodes()]
    for layout in (layered_layout, tree_layout):
        positions = layout(org)
        assert set(positions) == set(ids)
        assert overlaps(positions) == []
    assert layer_order(org, layered_layout(org)) == []
    selection = data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    for layout in (layered_layout, tree_layout):
        positions = layout(org, selection)
        assert set(positions) == set(selection)
        assert overlaps(positions) == []
