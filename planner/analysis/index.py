"""One pass over the org's links, sorted into per-kind adjacency for the rules.

Every rule reads from an :class:`OrgIndex` instead of walking the graph
itself, so a full check costs one pass over nodes and links plus each rule's
own linear work: no per-node rescans.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import compress

from planner.model.org import Node, Org
from planner.model.vocabulary import LINK_KINDS


class OrgIndex:
    """Read-only adjacency of an org by link kind.

    ``out[kind][node]`` lists the targets of ``node``'s links of that kind and
    ``into[kind][node]`` their sources; ``kind_of[node]`` is the node kind and
    ``ids_by_kind[kind]`` the node ids of that kind, in the org's order; ``nodes[id]`` is the
    :class:`~planner.model.org.Node` itself.
    """

    def __init__(self, org: Org) -> None:
        self.org = org
        graph = org.graph
        # One pass over networkx's own dicts (read, never written), each node and link dealt with while it is in
        # the processor's cache: on 100,000 nodes, separate passes cost more than all the rules together.
        self.nodes: dict[str, Node] = {}
        self.kind_of: dict[str, str] = {}
        self.ids_by_kind: dict[str, list[str]] = defaultdict(list)
        nodes, kind_of, ids_by_kind = self.nodes, self.kind_of, self.ids_by_kind
        for node_id, data in graph._node.items():
            node = nodes[node_id] = data["node"]
            kind = kind_of[node_id] = node.kind
            ids_by_kind[kind].append(node_id)
        self.out: dict[str, dict[str, list[str]]] = {kind: defaultdict(list) for kind in LINK_KINDS}
        self.into: dict[str, dict[str, list[str]]] = {kind: defaultdict(list) for kind in LINK_KINDS}
        out, into = self.out, self.into
        for source, neighbours in graph._succ.items():
            for target, keys in neighbours.items():
                for kind in keys:
                    out[kind][source].append(target)
                    into[kind][target].append(source)
        # A node is linked when it has a link out or in: compress keeps the ids whose neighbour dict is not empty.
        self.linked: set[str] = set(compress(graph._succ, graph._succ.values()))
        self.linked.update(compress(graph._pred, graph._pred.values()))

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

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
