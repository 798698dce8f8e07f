"""Read an org, or a selection of it, into the plain lists and dicts the layouts work on.

The layouts never walk the networkx graph more than once: they take the node
ids in document order, each node's kind and current position, and the list of
links whose two ends are both part of the layout. Self-loops are dropped; they
have no bearing on where a card goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.model.org import ModelError, Org


@dataclass(frozen=True)
class LayoutGraph:
    """The part of an org a layout places: ids in document order, kinds, positions and links."""

    ids: list[str]
    kind: dict[str, str]
    positions: dict[str, tuple[float, float]]
    links: list[tuple[str, str, str]]


def read_graph(org: Org, node_ids: Iterable[str] | None = None) -> LayoutGraph:
    """Collect the nodes to place (all, or ``node_ids``) and the links among them."""
    chosen: set[str] | None = None
    if node_ids is not None:
        chosen = set(node_ids)
        missing = sorted(node_id for node_id in chosen if node_id not in org)
        if missing:
            raise ModelError(f"cannot lay out unknown node(s): {', '.join(map(repr, missing))}")
    kind: dict[str, str] = {}
    positions: dict[str, tuple[float, float]] = {}
    nodes = org.nodes() if chosen is None else (node for node in org.nodes() if node.id in chosen)
    for node in nodes:
        kind[node.id] = node.kind
        positions[node.id] = (node.x, node.y)
    # Read from the graph's dicts in the graph's order (Org.link_triples), not through networkx's edge views.
    if chosen is None:
        links = [link for link in org.link_triples() if link[0] != link[1]]
    else:
        links = [
            (source, target, link_kind)
            for source, target, link_kind in org.link_triples()
            if source != target and source in kind and target in kind
        ]
    return LayoutGraph(list(kind), kind, positions, links)
