"""One pass over the org's links, sorted into per-kind adjacency for the rules.

Every rule reads from an :class:`OrgIndex` instead of walking the graph
itself, so a full check costs one pass over nodes and links plus each rule's
own linear work: no per-node rescans.
"""

from __future__ import annotations

from collections import defaultdict

from planner.model.org import Org
from planner.model.vocabulary import LINK_KINDS


class OrgIndex:
    """Read-only adjacency of an org by link kind.

    ``out[kind][node]`` lists the targets of ``node``'s links of that kind and
    ``into[kind][node]`` their sources; ``kind_of[node]`` is the node kind and
    ``ids_by_kind[kind]`` the node ids of that kind, in the org's order.
    """

    def __init__(self, org: Org) -> None:
        self.org = org
        graph = org.graph
        self.kind_of: dict[str, str] = {}
        self.ids_by_kind: dict[str, list[str]] = defaultdict(list)
        for node_id, node in graph.nodes(data="node"):
            self.kind_of[node_id] = node.kind
            self.ids_by_kind[node.kind].append(node_id)
        self.out: dict[str, dict[str, list[str]]] = {kind: defaultdict(list) for kind in LINK_KINDS}
        self.into: dict[str, dict[str, list[str]]] = {kind: defaultdict(list) for kind in LINK_KINDS}
        self.linked: set[str] = set()
        for source, target, kind in graph.edges(keys=True):
            self.out[kind][source].append(target)
            self.into[kind][target].append(source)
            self.linked.add(source)
            self.linked.add(target)

    def node(self, node_id: str):
        return self.org.graph.nodes[node_id]["node"]

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
