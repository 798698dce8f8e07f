"""The one module that reads and writes networkx's private dicts: the planner's fast path into its graph.

An :class:`~planner.model.org.Org` keeps its nodes and links in a
``networkx.MultiDiGraph``. Loading 100,000 cards through ``add_nodes_from``
and ``add_edges_from``, and reading them back through the public views for
every check, cost several times what writing and reading the graph's own
dicts does: ``_node[id]`` (a node's attribute dict), ``_succ[u][v]`` and
``_pred[v][u]`` (one shared dict of edge keys to attribute dicts). That layout
is not networkx's public API, so it is used here only, and only with the
networkx versions it was checked against (:data:`VERIFIED`, the same range as
``pyproject.toml``; ``tests/model/test_nxfast.py`` fails on any other).
Everywhere else the planner goes through networkx's public API or through
the functions below.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from itertools import chain
from operator import attrgetter

import networkx as nx

#: The networkx releases whose private graph layout this module was checked against: at least the first,
#: below the second (pyproject.toml pins the same range).
VERIFIED = ((3, 2), (3, 7))

_NODE_ID = attrgetter("id")


class DuplicateLinkError(ValueError):
    """The same link (source, target and kind) was given twice."""


def node_table(graph: nx.MultiDiGraph) -> dict:
    """``{node id: attribute dict}``, the graph's own (read it, never write it)."""
    return graph._node


def successors(graph: nx.MultiDiGraph) -> dict:
    """``{source: {target: {link kind: attributes}}}``, the graph's own (read it, never write it)."""
    return graph._succ


def predecessors(graph: nx.MultiDiGraph) -> dict:
    """``{target: {source: {link kind: attributes}}}``, the graph's own (read it, never write it)."""
    return graph._pred


def link_triples(graph: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    """Every link's (source, target, kind), in the graph's order; twice as fast as ``graph.edges(keys=True)``."""
    return [
        (source, target, kind)
        for source, targets in graph._succ.items()
        for target, keys in targets.items()
        for kind in keys
    ]


def number_of_links(graph: nx.MultiDiGraph) -> int:
    """How many links the graph holds, counted in C (``number_of_edges`` walks every node in Python)."""
    return sum(map(len, chain.from_iterable(map(dict.values, graph._succ.values()))))


def fill_graph(graph: nx.MultiDiGraph, nodes: list, sources: list[str], targets: list[str], kinds: list[str]) -> None:
    """Add nodes and the links ``sources[i] -[kinds[i]]-> targets[i]`` by writing the graph's dicts directly.

    ``add_nodes_from``/``add_edges_from`` spend most of a file's loading time
    re-checking each item. The layout written here is the one a MultiDiGraph
    keeps (networkx 2.x to 3.6): ``_node[id]`` is the node's attribute dict,
    ``_succ[u][v]`` and ``_pred[v][u]`` are one shared dict of edge keys to
    attribute dicts. The dicts are filled in place, so the graph's cached
    views stay valid; only the cache of converted graphs (networkx 3.3+) is
    cleared, as networkx's own edits do. tests/model/test_bulk_loading.py
    compares the result with ``add_node``/``add_edge`` one by one.

    The work is done by ``map`` over whole columns rather than a Python loop
    per link: each link first gets a key dict of its own, then the few pairs
    of nodes joined by more than one kind of link have their key dicts merged,
    in file order. Adding to a graph that already has links goes link by link.

    Two checks come free with the fill: a link end that is no node raises
    ``KeyError`` and a link that appears twice raises :class:`DuplicateLinkError`,
    with the graph left half filled (``Org.from_checked`` throws it away).
    """
    had_links = number_of_links(graph) > 0
    node_attrs, succ, pred = graph._node, graph._succ, graph._pred
    ids = list(map(_NODE_ID, nodes))
    node_attrs.update({node.id: {"node": node} for node in nodes})
    succ.update({node_id: {} for node_id in ids})
    pred.update({node_id: {} for node_id in ids})
    if had_links:
        add_links_one_by_one(succ, pred, zip(sources, targets, kinds, strict=True))
    elif kinds:
        keydicts = [{kind: {}} for kind in kinds]
        deque(map(dict.__setitem__, map(succ.__getitem__, sources), targets, keydicts), maxlen=0)
        deque(map(dict.__setitem__, map(pred.__getitem__, targets), sources, keydicts), maxlen=0)
        # Each pair of nodes now holds one key dict; fewer of them than links means some pair has several.
        if sum(map(len, succ.values())) != len(kinds):
            pairs = Counter(zip(sources, targets, strict=True))
            shared = {pair for pair, count in pairs.items() if count > 1}
            for source, target in shared:
                succ[source][target] = pred[target][source] = {}
            links = zip(sources, targets, kinds, strict=True)
            add_links_one_by_one(succ, pred, [link for link in links if link[:2] in shared])
    cache = getattr(graph, "__networkx_cache__", None)
    if cache:
        cache.clear()


def add_links_one_by_one(succ: dict, pred: dict, links: Iterable[tuple[str, str, str]]) -> None:
    """Add links to the adjacency dicts one at a time (a graph that has links already, or pairs joined twice)."""
    for source, target, kind in links:
        targets = succ[source]
        keydict = targets.get(target)
        if keydict is None:
            keydict = {}
            pred[target][source] = keydict  # first, so that a missing node changes nothing
            targets[target] = keydict
        elif kind in keydict:
            raise DuplicateLinkError(f"duplicate link {source} -[{kind}]-> {target}")
        keydict[kind] = {}
