"""Read an org, or a selection of it, into the plain lists the layouts work on.

The layouts never walk the networkx graph more than once: they take the nodes
in document order and the links whose two ends are both part of the layout, as
card numbers (``ids[i]`` is card ``i``) in the graph's order, the order of
:meth:`Org.link_triples <planner.model.org.Org.link_triples>`. Self-loops are
dropped; they have no bearing on where a card goes. The graph's dicts are read
a whole column at a time (``map`` over them runs in C), so reading 100,000
cards and their links takes a few tens of milliseconds; what only some callers
need (each node's kind and position by id, the links by id) is worked out on
first use, from the snapshot, never from the org.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from itertools import compress
from operator import and_, attrgetter, eq, itemgetter, ne

from planner.model.node import Node
from planner.model.nxfast import node_table, successors
from planner.model.org import ModelError, Org

_NODE = itemgetter("node")


class LayoutGraph:
    """The part of an org a layout places: its nodes in document order and the links among them.

    A snapshot: the nodes are the org's immutable records as they were when
    read, so the graph can be laid out on another thread while the org changes.
    """

    def __init__(self, nodes: list[Node], sources: list[int], targets: list[int], link_kinds: list[str]) -> None:
        #: The nodes, in document order; node ``i`` is card ``i``.
        self.nodes = nodes
        #: Each link's ends as card numbers and its kind, in the graph's order.
        self.sources = sources
        self.targets = targets
        self.link_kinds = link_kinds

    @cached_property
    def ids(self) -> list[str]:
        """The node ids, in document order."""
        return list(map(attrgetter("id"), self.nodes))

    @cached_property
    def kinds(self) -> list[str]:
        """Each node's kind, in document order."""
        return list(map(attrgetter("kind"), self.nodes))

    @cached_property
    def kind(self) -> dict[str, str]:
        """``{node id: kind}``."""
        return dict(zip(self.ids, self.kinds, strict=True))

    @cached_property
    def positions(self) -> dict[str, tuple[float, float]]:
        """``{node id: (x, y)}``: where the cards were when read."""
        return dict(zip(self.ids, map(attrgetter("x", "y"), self.nodes), strict=True))

    @cached_property
    def links(self) -> list[tuple[str, str, str]]:
        """Every link as (source id, target id, kind), in the graph's order."""
        ids = self.ids
        sources, targets = map(ids.__getitem__, self.sources), map(ids.__getitem__, self.targets)
        return list(zip(sources, targets, self.link_kinds, strict=True))


def read_graph(org: Org, node_ids: Iterable[str] | None = None) -> LayoutGraph:
    """Collect the nodes to place (all, or ``node_ids``) and the links among them."""
    table = node_table(org.graph)
    chosen: set[str] | None = None
    if node_ids is not None:
        chosen = set(node_ids)
        missing = sorted(node_id for node_id in chosen if node_id not in table)
        if missing:
            raise ModelError(f"cannot lay out unknown node(s): {', '.join(map(repr, missing))}")
    ids = list(table)
    index = dict(zip(ids, range(len(ids)), strict=True))
    succ = successors(org.graph)
    ends = list(succ.values())  # per source: {target: {link kind: attributes}}
    starts = range(len(ids)) if list(succ) == ids else list(map(index.__getitem__, succ))
    sources: list[int] = []
    targets: list[int] = []
    link_kinds: list[str] = []
    add_source, add_target, add_kind = sources.append, targets.append, link_kinds.append
    for source, linked in zip(starts, ends, strict=True):
        for target, kinds in linked.items():
            target = index[target]
            for kind in kinds:
                add_source(source)
                add_target(target)
                add_kind(kind)
    if any(map(eq, sources, targets)):
        apart = list(map(ne, sources, targets))
        sources, targets, link_kinds = (list(compress(column, apart)) for column in (sources, targets, link_kinds))
    nodes = list(map(_NODE, table.values()))
    if chosen is None:
        return LayoutGraph(nodes, sources, targets, link_kinds)
    inside = list(map(chosen.__contains__, ids))
    kept = list(map(and_, map(inside.__getitem__, sources), map(inside.__getitem__, targets)))
    number = [0] * len(ids)
    for new, old in enumerate(compress(range(len(ids)), inside)):
        number[old] = new
    return LayoutGraph(
        list(compress(nodes, inside)),
        list(map(number.__getitem__, compress(sources, kept))),
        list(map(number.__getitem__, compress(targets, kept))),
        list(compress(link_kinds, kept)),
    )
