"""Org.add_many writes networkx's adjacency dicts directly; the graph must be the one add_node/add_link build.

The bulk path skips networkx's own ``add_nodes_from``/``add_edges_from`` for
speed, so these tests hold it to the slow path: same nodes, same edges in the
same order, same views (``succ``, ``pred``, ``edges``, degrees), working
algorithms, fresh or non-empty graphs, and the same refusal, word for word,
when one record is wrong.
"""

from __future__ import annotations

import re

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.model.org import Link, LinkKey, ModelError, Node, Org
from planner.model.vocabulary import LINK_KINDS, NODE_KINDS
from planner.synthetic import synthetic_org
from tests.helpers import healthy_org


def built_one_by_one(org: Org, nodes: list[Node], links: list) -> Org:
    """``org`` with the nodes and links added through the single-item methods (the reference)."""
    for node in nodes:
        org.add_node(node)
    for link in links:
        org.add_link(link if isinstance(link, Link) else Link(*link))
    return org


def graph_shape(graph: nx.MultiDiGraph) -> dict:
    """Everything a reader of the graph can see, in iteration order."""
    return {
        "nodes": list(graph.nodes(data=True)),
        "edges": list(graph.edges(keys=True, data=True)),
        "in_edges": list(graph.in_edges(keys=True, data=True)),
        "succ": {n: {m: dict(keys) for m, keys in adj.items()} for n, adj in graph.succ.items()},
        "pred": {n: {m: dict(keys) for m, keys in adj.items()} for n, adj in graph.pred.items()},
        "degree": list(graph.degree()),
        "in_degree": list(graph.in_degree()),
        "out_degree": list(graph.out_degree()),
        "number_of_edges": graph.number_of_edges(),
    }


def test_a_large_org_in_bulk_equals_the_same_org_built_one_by_one():
    source = synthetic_org(2000, seed=5)
    nodes, links = list(source.nodes()), list(source.links())
    bulk = Org()
    bulk.add_many(nodes, links)
    assert graph_shape(bulk.graph) == graph_shape(built_one_by_one(Org(), nodes, links).graph)


def test_adding_to_an_org_that_has_nodes_and_links_equals_one_by_one():
    nodes = [Node("t9", "dev_team"), Node("p9", "product")]
    links = [Link("t9", "p9", "builds"), Link("po", "t9", "owns_backlog"), LinkKey("po", "vp", "reports_to")]
    bulk = healthy_org()
    bulk.add_many(nodes, links)
    assert graph_shape(bulk.graph) == graph_shape(built_one_by_one(healthy_org(), nodes, links).graph)


def test_several_kinds_between_the_same_two_nodes_share_one_key_dict_both_ways():
    nodes = [Node("a", "product_owner"), Node("b", "product_manager")]
    links = [("a", "b", "reports_to"), ("a", "b", "aligns_with"), ("b", "a", "aligns_with")]
    bulk = Org()
    bulk.add_many(nodes, links)
    assert graph_shape(bulk.graph) == graph_shape(built_one_by_one(Org(), nodes, links).graph)
    assert bulk.graph._succ["a"]["b"] is bulk.graph._pred["b"]["a"]
    bulk.remove_link(LinkKey("a", "b", "aligns_with"))
    assert list(bulk.graph.pred["b"]["a"]) == ["reports_to"]


def test_links_may_be_records_or_triples():
    org = Org()
    org.add_many([Node("a", "product_owner"), Node("t", "dev_team")], [("a", "t", "owns_backlog")])
    assert list(org.links()) == [Link("a", "t", "owns_backlog")]


def test_views_taken_before_the_bulk_add_see_what_it_added():
    org = Org()
    graph = org.graph
    views = (graph.succ, graph.pred, graph.adj, graph.nodes, graph.edges, graph.in_edges)
    org.add_many([Node("a", "product_owner"), Node("t", "dev_team")], [Link("a", "t", "owns_backlog")])
    succ, pred, adj, nodes, edges, in_edges = views
    assert list(succ["a"]["t"]) == ["owns_backlog"] and list(pred["t"]["a"]) == ["owns_backlog"]
    assert "t" in adj["a"] and set(nodes) == {"a", "t"}
    assert list(edges(keys=True)) == list(in_edges(keys=True)) == [("a", "t", "owns_backlog")]


def test_the_graph_stays_editable_by_networkx_after_a_bulk_add():
    org = Org()
    org.add_many([Node("a", "product_owner"), Node("t", "dev_team")], [Link("a", "t", "owns_backlog")])
    org.remove_link(LinkKey("a", "t", "owns_backlog"))
    assert org.number_of_links() == 0 and list(org.graph.pred["t"]) == []
    org.add_link(Link("a", "t", "owns_backlog"))
    org.remove_node("a")
    assert list(org.graph.pred["t"]) == [] and org.number_of_links() == 0


def test_a_cached_conversion_is_dropped_by_a_bulk_add():
    org = Org()
    cache = getattr(org.graph, "__networkx_cache__", None)
    if cache is None:
        pytest.skip("this networkx keeps no cache of converted graphs")
    cache["stale"] = "a graph converted before the add"
    org.add_many([Node("a", "leader")])
    assert "stale" not in cache


def test_algorithms_agree_on_a_bulk_built_graph():
    source = synthetic_org(500, seed=9)
    bulk = Org()
    bulk.add_many(list(source.nodes()), list(source.links()))
    reference = built_one_by_one(Org(), list(source.nodes()), list(source.links()))
    for algorithm in (nx.weakly_connected_components, nx.simple_cycles):
        assert sorted(map(sorted, algorithm(bulk.graph))) == sorted(map(sorted, algorithm(reference.graph)))
    assert nx.utils.graphs_equal(bulk.graph, reference.graph)


def test_listeners_hear_every_node_and_link():
    org = Org()
    heard = []
    org.node_added.connect(lambda node: heard.append(node.id))
    org.link_added.connect(lambda link: heard.append(link))
    org.changed.connect(lambda: heard.append("changed"))
    org.add_many([Node("a", "product_owner"), Node("t", "dev_team")], [("a", "t", "owns_backlog")])
    assert heard == ["a", "t", Link("a", "t", "owns_backlog"), "changed"]


# -- refusals ----------------------------------------------------------------------------------

ids = st.sampled_from(["a", "b", "c", "po", "t1", "", "  "])
nodes = st.builds(Node, ids, st.sampled_from((*NODE_KINDS, "robot")))
link_triples = st.tuples(ids, ids, st.sampled_from((*LINK_KINDS, "likes")))


def first_problem(new_nodes: list[Node], links: list) -> str | None:
    """The refusal the one-by-one path meets first (every node before any link), or None."""
    try:
        built_one_by_one(healthy_org(), new_nodes, links)
    except ModelError as exc:
        return str(exc)
    return None


@settings(max_examples=300, deadline=None)
@given(st.lists(nodes, max_size=5), st.lists(link_triples, max_size=6))
def test_bulk_add_refuses_what_one_by_one_refuses_and_changes_nothing(new_nodes, links):
    org = healthy_org()
    before = graph_shape(org.graph)
    expected_problem = first_problem(new_nodes, links)
    if expected_problem is None:
        org.add_many(new_nodes, links)
        assert graph_shape(org.graph) == graph_shape(built_one_by_one(healthy_org(), new_nodes, links).graph)
        return
    with pytest.raises(ModelError) as refused:
        org.add_many(new_nodes, links)
    assert str(refused.value) == expected_problem
    assert graph_shape(org.graph) == before


def test_bulk_refusals_name_the_problem():
    org = healthy_org()
    cases = [
        ([Node("po", "dev_team")], [], "duplicate node id 'po'"),
        ([Node("x", "dev_team"), Node("x", "product")], [], "duplicate node id 'x'"),
        ([Node(" ", "dev_team")], [], "id must not be empty"),
        ([Node("x", "robot")], [], "unknown node kind 'robot'"),
        ([], [("po", "t1", "likes")], "unknown link kind 'likes'"),
        ([], [("po", "ghost", "reports_to")], "names a missing node 'ghost'"),
        ([], [("po", "t1", "owns_backlog")], "duplicate link po -[owns_backlog]-> t1"),
        ([], [("po", "pm", "aligns_with"), ("po", "pm", "aligns_with")], "duplicate link"),
        ([], [("po", "pm")], "a link is (source, target, kind)"),
    ]
    for new_nodes, links, words in cases:
        with pytest.raises(ModelError, match=re.escape(words)):
            org.add_many(new_nodes, links)
    assert graph_shape(org.graph) == graph_shape(healthy_org().graph)


def test_an_org_from_checked_records_still_refuses_links_it_cannot_build():
    """Loaders vouch for ids and kinds; a link end that is no node or a repeated link is still refused."""
    nodes = [Node("po", "product_owner"), Node("pm", "product_manager")]
    with pytest.raises(ModelError, match="missing node 'ghost'"):
        Org.from_checked("x", "scrum", nodes, ["po"], ["ghost"], ["aligns_with"])
    with pytest.raises(ModelError, match="missing node 'ghost'"):
        Org.from_checked("x", "scrum", nodes, ["ghost"], ["po"], ["aligns_with"])
    repeated = (["po", "po", "po"], ["pm", "pm", "pm"], ["aligns_with", "reports_to", "aligns_with"])
    with pytest.raises(ModelError, match=re.escape("duplicate link po -[aligns_with]-> pm")):
        Org.from_checked("x", "scrum", nodes, *repeated)
    org = Org.from_checked("x", "scrum", nodes, *(column[:2] for column in repeated))
    assert org.number_of_links() == 2 and org.has_link(LinkKey("po", "pm", "reports_to"))
