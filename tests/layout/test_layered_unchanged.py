"""The layered layout's rewrite on integer ids (issue #20) puts every card exactly where the old code did.

The old code is kept frozen in ``reference_layered.py``; each test lays out one
org both ways and compares every position, and the order in which the cards
come back. The orgs: the benchmark's synthetic orgs, the layout tests'
generated orgs, the bundled samples, drafts of HR exports, selections, and
odd orgs drawn by hypothesis (reporting cycles among leaders, loose cards,
links the analysis would flag, repeated links of several kinds).
"""

import csv
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.io import load_org
from planner.io.hr_import import import_people
from planner.layout import layered_layout, read_graph
from planner.model import LINK_KINDS, NODE_KINDS, Link, Node, Org
from planner.synthetic import hr_export_rows, synthetic_org
from tests.layout.reference_layered import reference_layout

SAMPLES = sorted((Path(__file__).parents[2] / "resources" / "samples").glob("*.json"))


def _assert_same(org, node_ids=None):
    new = layered_layout(org, node_ids)
    old = reference_layout(org, node_ids)
    moved = {node_id: (old[node_id], new.get(node_id)) for node_id in old if new.get(node_id) != old[node_id]}
    assert not moved, f"{len(moved)} cards moved, e.g. {list(moved.items())[:5]}"
    assert list(new) == list(old)


@pytest.mark.parametrize("size", [1000, 10_000])
def test_the_benchmark_orgs_are_laid_out_as_before(size):
    _assert_same(synthetic_org(size, seed=size))


@pytest.mark.slow
def test_the_largest_benchmark_org_is_laid_out_as_before():
    _assert_same(synthetic_org(100_000, seed=100_000))


@pytest.mark.parametrize(("size", "seed", "gaps"), [(40, 1, True), (300, 2, False), (2500, 3, True), (5000, 4, False)])
def test_synthetic_orgs_are_laid_out_as_before(size, seed, gaps):
    _assert_same(synthetic_org(size, seed=seed, gaps=gaps))


@pytest.mark.parametrize(("size", "seed"), [(12, 0), (80, 1), (400, 2), (1500, 3), (3000, 4), (6000, 5)])
def test_generated_orgs_are_laid_out_as_before(generated_org, size, seed):
    _assert_same(generated_org(size, seed))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_the_samples_are_laid_out_as_before(path):
    _assert_same(load_org(path, layout=False))


@pytest.mark.parametrize(("people", "seed"), [(200, 1), (3000, 2), (12_000, 3)])
def test_drafts_of_hr_exports_are_laid_out_as_before(tmp_path, people, seed):
    path = tmp_path / "people.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(hr_export_rows(people, seed=seed))
    org = import_people(path).org
    drafted = {node.id: (node.x, node.y) for node in org.nodes()}
    assert drafted == reference_layout(org)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_selections_are_laid_out_as_before(generated_org, seed):
    org = generated_org(800, seed)
    org.move_nodes(layered_layout(org))
    ids = [node.id for node in org.nodes()]
    _assert_same(org, random.Random(seed).sample(ids, len(ids) // 3))


@st.composite
def odd_orgs(draw):
    kinds = draw(st.lists(st.sampled_from(NODE_KINDS), min_size=1, max_size=40))
    org = Org()
    for index, kind in enumerate(kinds):
        org.add_node(Node(f"n{index}", kind))
    ends = st.integers(0, len(kinds) - 1)
    for source, target, kind in draw(st.lists(st.tuples(ends, ends, st.sampled_from(sorted(LINK_KINDS))), max_size=90)):
        if not org.has_link((f"n{source}", f"n{target}", kind)):
            org.add_link(Link(f"n{source}", f"n{target}", kind))
    return org


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_orgs(), st.data())
def test_any_org_and_selection_is_laid_out_as_before(org, data):
    _assert_same(org)
    ids = [node.id for node in org.nodes()]
    _assert_same(org, data.draw(st.lists(st.sampled_from(ids), unique=True), label="selection"))


def test_leaders_in_a_reporting_cycle_and_loose_cards_are_laid_out_as_before():
    org = Org()
    for node_id, kind in [
        ("a", "leader"),
        ("b", "leader"),
        ("c", "leader"),
        ("d", "leader"),
        ("pm", "product_manager"),
        ("lone", "dev_team"),
        ("led", "stakeholder"),
        ("po", "product_owner"),
        ("t1", "dev_team"),
        ("t2", "dev_team"),
    ]:
        org.add_node(Node(node_id, kind))
    for source, target, kind in [
        ("a", "b", "reports_to"),
        ("b", "c", "reports_to"),
        ("c", "a", "reports_to"),
        ("d", "c", "reports_to"),
        ("pm", "d", "reports_to"),
        ("led", "a", "engages"),
        ("po", "t2", "owns_backlog"),
        ("po", "t1", "owns_backlog"),
        ("t1", "t2", "aligns_with"),
        ("po", "pm", "reports_to"),
        ("po", "pm", "aligns_with"),
    ]:
        org.add_link(Link(source, target, kind))
    _assert_same(org)


def test_the_arithmetic_off_the_grid_snaps_to_the_same_positions(monkeypatch, generated_org):
    # With card sizes off the grid the layout must snap every centre; on the grid that changes nothing.
    import planner.layout.layered as layered

    org = generated_org(1500, 7)
    monkeypatch.setattr(layered, "ON_GRID", False)
    _assert_same(org)


def _old_reading(org, node_ids=None):
    chosen = None if node_ids is None else set(node_ids)
    nodes = [node for node in org.nodes() if chosen is None or node.id in chosen]
    kind = {node.id: node.kind for node in nodes}
    links = [(s, t, k) for s, t, k in org.link_triples() if s != t and s in kind and t in kind]
    return [node.id for node in nodes], kind, {node.id: (node.x, node.y) for node in nodes}, links


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_orgs(), st.data())
def test_the_layout_reads_every_node_and_link_as_before(org, data):
    ids = [node.id for node in org.nodes()]
    org.move_nodes({node_id: (20.0 * index, 40.0 * index) for index, node_id in enumerate(ids)})
    for node_ids in (None, data.draw(st.lists(st.sampled_from(ids), unique=True), label="selection")):
        graph = read_graph(org, node_ids)
        assert (graph.ids, graph.kind, graph.positions, graph.links) == _old_reading(org, node_ids)
        assert graph.kinds == [graph.kind[node_id] for node_id in graph.ids]


def test_a_graph_read_is_a_snapshot_the_org_can_change_under():
    org = Org()
    for node_id, kind in [("boss", "leader"), ("pm", "product_manager"), ("app", "product")]:
        org.add_node(Node(node_id, kind, x=100.0, y=100.0))
    org.add_link(Link("pm", "boss", "reports_to"))
    graph = read_graph(org)
    org.move_nodes({"pm": (900.0, 900.0)})
    org.add_link(Link("pm", "app", "owns_strategy"))
    org.remove_node("boss")
    assert graph.positions == {"boss": (100.0, 100.0), "pm": (100.0, 100.0), "app": (100.0, 100.0)}
    assert graph.links == [("pm", "boss", "reports_to")]
