"""One pass over the org's links, sorted into per-kind adjacency for the rules.

Every rule reads from an :class:`OrgIndex` instead of walking the graph
itself, so a full check costs one pass over nodes and links plus each rule's
own linear work: no per-node rescans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import compress, filterfalse
from operator import itemgetter, not_

from planner.model.nxfast import node_table, predecessors, successors
from planner.model.org import Node, Org
from planner.model.vocabulary import LINK_KINDS

_NODE = itemgetter("node")


class OrgIndex:
    """Read-only adjacency of an org by link kind.

    ``out[kind][node]`` lists the targets of ``node``'s links of that kind and
    ``into[kind][node]`` their sources; ``kind_of[node]`` is the node kind and
    ``ids_by_kind[kind]`` the node ids of that kind, in the org's order; :meth:`node` gives the
    :class:`~planner.model.org.Node` itself.
    """

    def __init__(self, org: Org) -> None:
        self.org = org
        graph = org.graph
        # One pass over networkx's own dicts (read, never written; see planner.model.nxfast), each node and link
        # dealt with while it is in the processor's cache: on 100,000 nodes, separate passes cost more than all the
        # rules together.
        self._attributes = node_table(graph)
        self.kind_of: dict[str, str] = {}
        self.ids_by_kind: dict[str, list[str]] = defaultdict(list)
        kind_of, ids_by_kind = self.kind_of, self.ids_by_kind
        for node_id, data in self._attributes.items():
            kind = kind_of[node_id] = data["node"].kind
            ids_by_kind[kind].append(node_id)
        self.out: dict[str, dict[str, list[str]]] = {kind: defaultdict(list) for kind in LINK_KINDS}
        self.into: dict[str, dict[str, list[str]]] = {kind: defaultdict(list) for kind in LINK_KINDS}
        out, into = self.out, self.into
        for source, neighbours in successors(graph).items():
            for target, keys in neighbours.items():
                for kind in keys:
                    out[kind][source].append(target)
                    into[kind][target].append(source)
        # From here on a missing node reads as missing: looking one up must not add an empty entry.
        for adjacency in (*out.values(), *into.values()):
            adjacency.default_factory = None
        self._succ, self._pred = successors(graph), predecessors(graph)

    def node(self, node_id: str) -> Node:
        return self._attributes[node_id]["node"]

    def nodes_of(self, node_ids: Iterable[str]) -> Iterator[Node]:
        """The nodes of these ids, looked up in one sweep in C rather than one :meth:`node` call each."""
        return map(_NODE, map(self._attributes.__getitem__, node_ids))

    def name(self, node_id: str) -> str:
        """The node's label (name, or id when unnamed), as messages show it."""
        return self.node(node_id).label

    def names(self, node_ids) -> str:
        """A readable, comma-separated list of labels, e.g. ``Ana, Ben and Chloé``."""
        labels = [self.name(n) for n in node_ids]
        if len(labels) <= 1:
            return "".join(labels)
        if len(labels) > 6:
            return ", ".join(labels[:5]) + f" and {len(labels) - 5} more"
        return ", ".join(labels[:-1]) + " and " + labels[-1]

    def targets(self, kind: str, node_id: str) -> list[str]:
        return self.out[kind].get(node_id, [])

    def sources(self, kind: str, node_id: str) -> list[str]:
        return self.into[kind].get(node_id, [])

    def isolated(self) -> Iterator[str]:
        """The nodes with no link at all, in the org's order.

        Two sweeps in C: ``compress`` keeps the ids whose dict of successors is
        empty, ``filterfalse`` those of them whose dict of predecessors is too.
        """
        no_links_out = compress(self._succ, map(not_, self._succ.values()))
        return filterfalse(self._pred.__getitem__, no_links_out)

    def with_no_link_into(self, node_kind: str, kind: str) -> Iterator[str]:
        """The nodes of ``node_kind`` that no link of ``kind`` points to, in the org's order.

        One sweep in C (``filterfalse``) rather than a lookup per node in Python: a
        rule asking this of every team or product costs a fraction of a bare pass.
        """
        return filterfalse(self.into[kind].__contains__, self.ids_by_kind.get(node_kind, ()))

    def with_no_link_out(self, node_kind: str, kind: str) -> Iterator[str]:
        """The nodes of ``node_kind`` with no link of ``kind`` of their own, in the org's order."""
        return filterfalse(self.out[kind].__contains__, self.ids_by_kind.get(node_kind, ()))
