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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import chain
from operator import attrgetter
from types import MappingProxyType

import networkx as nx

#: The networkx releases whose private graph layout this module was checked against: at least the first,
#: below the second (pyproject.toml pins the same range).
VERIFIED = ((3, 2), (3, 7))

_NODE_ID = attrgetter("id")


class DuplicateLinkError(ValueError):
    """The same link (source, target and kind) was given twice."""


#: The attribute dict of every link of a graph filled with shared key dicts: empty, and read-only (a planner
#: link carries no attribute).
NO_ATTRIBUTES: Mapping = MappingProxyType({})
#: Per link kind, the read-only key dict of every pair of nodes joined by that kind alone, in such a graph.
_SHARED_KEYS = {}
#: Whether :func:`fill_graph` shares key dicts now (see :func:`shared_key_dicts`).
_SHARING: ContextVar[bool] = ContextVar("planner_shared_key_dicts", default=False)


@contextmanager
def shared_key_dicts() -> Iterator[None]:
    """Within this block, :func:`fill_graph` gives every pair of nodes joined by one kind of link the same key dict.

    A link of a MultiDiGraph costs a dict of link kinds per pair of nodes and
    an attribute dict per link: about 280 bytes, 40 MB for the 155,000 links
    of a 100,000-card org. A graph that is only read (``planner check``) can
    share them: one read-only key dict per link kind, one empty read-only
    attribute dict. networkx's own edits would change a shared dict in
    place, so they fail on it (``TypeError``) rather than change every pair;
    :class:`~planner.model.org.Org` makes its graph's dicts its own again
    (:func:`unshare_key_dicts`) before its first edit of a link, and
    :func:`put_link` and :func:`drop_link` edit such a graph in place.
    """
    token = _SHARING.set(True)
    try:
        yield
    finally:
        _SHARING.reset(token)


def _shared_keys(kind: str) -> Mapping:
    keys = _SHARED_KEYS.get(kind)
    if keys is None:
        keys = _SHARED_KEYS[kind] = MappingProxyType({kind: NO_ATTRIBUTES})
    return keys


class _NodeData:
    """The holder of a node's attribute dict in a graph that shares its key dicts (see :func:`_node_data`)."""


def _node_data(node) -> dict:
    """``{"node": node}``, made as an object's attribute dict: CPython keeps the key once for all of them (a split
    dict, 88 bytes rather than 184). It is an ordinary dict in every other way."""
    holder = _NodeData()
    holder.node = node
    return holder.__dict__


def has_shared_key_dicts(graph: nx.MultiDiGraph) -> bool:
    """Whether some pair of the graph's nodes holds a read-only key dict (one :func:`shared_key_dicts` made)."""
    return any(type(keys) is not dict for targets in graph._succ.values() for keys in targets.values())


def unshare_key_dicts(graph: nx.MultiDiGraph) -> None:
    """Give every pair of nodes a key dict and every link an attribute dict of its own, as networkx's edits need."""
    succ, pred = graph._succ, graph._pred
    for source, targets in succ.items():
        for target, keys in targets.items():
            if type(keys) is not dict:
                targets[target] = pred[target][source] = {kind: {} for kind in keys}


def put_link(graph: nx.MultiDiGraph, source: str, target: str, kind: str) -> None:
    """Add a link between two nodes of the graph without changing any key dict in place (shared or not).

    The pair's key dict is replaced by a new one, in the same place of both
    nodes' neighbours; the order of neighbours and kinds is that of
    ``graph.add_edge``. The caller clears networkx's cache when done.
    """
    succ, pred = graph._succ, graph._pred
    keys = succ[source].get(target)
    new = {kind: {}} if keys is None else {**keys, kind: {}}
    succ[source][target] = pred[target][source] = new


def drop_link(graph: nx.MultiDiGraph, source: str, target: str, kind: str) -> None:
    """Remove a link without changing any key dict in place; the pair is no longer neighbours once it had the last.

    Neighbours and kinds keep the order ``graph.remove_edge`` leaves.
    """
    succ, pred = graph._succ, graph._pred
    keys = succ[source][target]
    if len(keys) == 1:
        del succ[source][target], pred[target][source]
    else:
        succ[source][target] = pred[target][source] = {k: v for k, v in keys.items() if k != kind}


def has_link(graph: nx.MultiDiGraph, source: str, target: str, kind: str) -> bool:
    """``graph.has_edge(source, target, kind)``, for nodes that are in the graph."""
    return kind in graph._succ[source].get(target, ())


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


def fill_graph(graph: nx.MultiDiGraph, nodes: list, sources: list[str], targets: list[str], kinds: list[str]) -> bool:
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

    Within :func:`shared_key_dicts`, a graph with no links yet gets shared,
    read-only key dicts; the return value says whether it did.
    """
    had_links = number_of_links(graph) > 0
    share = _SHARING.get() and not had_links
    node_attrs, succ, pred = graph._node, graph._succ, graph._pred
    ids = list(map(_NODE_ID, nodes))
    node_attrs.update(
        zip(ids, map(_node_data, nodes), strict=True) if share else {node.id: {"node": node} for node in nodes}
    )
    succ.update({node_id: {} for node_id in ids})
    pred.update({node_id: {} for node_id in ids})
    if had_links:
        add_links_one_by_one(succ, pred, zip(sources, targets, kinds, strict=True))
    elif kinds:
        keydicts = list(map(_shared_keys, kinds)) if share else [{kind: {}} for kind in kinds]
        deque(map(dict.__setitem__, map(succ.__getitem__, sources), targets, keydicts), maxlen=0)
        deque(map(dict.__setitem__, map(pred.__getitem__, targets), sources, keydicts), maxlen=0)
        del keydicts
        # Each pair of nodes now holds one key dict; fewer of them than links means some pair has several.
        if sum(map(len, succ.values())) != len(kinds):
            pairs = Counter(zip(sources, targets, strict=True))
            shared = {pair for pair, count in pairs.items() if count > 1}
            for source, target in shared:
                succ[source][target] = pred[target][source] = {}
            links = zip(sources, targets, kinds, strict=True)
            add_links_one_by_one(succ, pred, [link for link in links if link[:2] in shared])
            if share:
                for source, target in shared:
                    keys = MappingProxyType(dict.fromkeys(succ[source][target], NO_ATTRIBUTES))
                    succ[source][target] = pred[target][source] = keys
    cache = getattr(graph, "__networkx_cache__", None)
    if cache:
        cache.clear()
    return share


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
