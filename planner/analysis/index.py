"""One pass over the org's links, sorted into per-kind adjacency for the rules.

Every rule reads from an :class:`OrgIndex` instead of walking the graph
itself, so a full check costs one pass over nodes and links plus each rule's
own linear work: no per-node rescans.

A link whose kind is not allowed between its two nodes (a VP who "owns the
backlog" of a team, a team that "engages" a stakeholder) is kept out of the
adjacency and listed in :attr:`OrgIndex.invalid` instead: STR005 reports it,
and it satisfies no other rule, so adding a wrong link never hides a gap.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
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
    :class:`~planner.model.org.Node` itself. ``invalid`` lists the links the vocabulary does not
    allow, as ``(kind, source, target)``: they are in no adjacency.
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
        self.invalid: list[tuple[str, str, str]] = []
        for kind, spec in LINK_KINDS.items():
            self._drop_invalid(kind, spec.sources, spec.targets)
        self._succ, self._pred = successors(graph), predecessors(graph)

    def _drop_invalid(self, kind: str, sources: frozenset[str], targets: frozenset[str]) -> None:
        """Move the links of ``kind`` that join the wrong node kinds out of the adjacency into :attr:`invalid`.

        The kinds of all the nodes at each end are gathered first, in one sweep (``map`` and ``set``
        rather than a loop): nearly always they are all allowed and there is nothing to look for.
        """
        kind_of, out, into = self.kind_of, self.out[kind], self.into[kind]
        if set(map(kind_of.__getitem__, out)) <= sources and set(map(kind_of.__getitem__, into)) <= targets:
            return
        wrong: dict[tuple[str, str], None] = {}
        for source in out:
            if kind_of[source] not in sources:
                wrong.update(((source, target), None) for target in out[source])
        for target in into:
            if kind_of[target] not in targets:
                wrong.update(((source, target), None) for source in into[target])
        for source, target in wrong:
            self.invalid.append((kind, source, target))
            out[source].remove(target)
            into[target].remove(source)
            if not out[source]:
                del out[source]
            if not into[target]:
                del into[target]

    def release(self) -> None:
        """Drop the tables, one link kind at a time.

        Freeing them is work in C that no other thread can interrupt: on a
        100,000-card org, dropped at once they held a background check's lock
        for a tenth of a second, and the window waited for it.
        """
        for tables in (self.out, self.into):
            for kind in list(tables):
                del tables[kind]
        self.kind_of = {}
        self.ids_by_kind = defaultdict(list)

    def node(self, node_id: str) -> Node:
        return self._attributes[node_id]["node"]

    def nodes_of(self, node_ids: Iterable[str]) -> Iterator[Node]:
        """The nodes of these ids, looked up in one sweep in C rather than one :meth:`node` call each."""
        return map(_NODE, map(self._attributes.__getitem__, node_ids))

    def name(self, node_id: str) -> str:
        """The node's label (name, or id when unnamed), as messages show it; with its id when another has it too."""
        node = self.node(node_id)
        return f"{node.label} ({node_id})" if (node.kind, node.label) in self.shared_labels else node.label

    @functools.cached_property
    def shared_labels(self) -> frozenset[tuple[str, str]]:
        """(kind, label) of two cards or more: a finding then names its card by id too, to tell which one it means.

        A team named after the product it builds is no such pair: the messages say "team" and "product".
        """
        counts = Counter((node.kind, node.label) for node in self.nodes_of(self._attributes))
        return frozenset(pair for pair, count in counts.items() if count > 1)

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
        """The nodes with no valid link at all, in the org's order.

        Two sweeps in C: ``compress`` keeps the ids whose dict of successors is
        empty, ``filterfalse`` those of them whose dict of predecessors is too.
        The nodes at the ends of invalid links are then looked at again: a
        node whose only links are invalid is as unconnected as one with none.
        """
        no_links_out = compress(self._succ, map(not_, self._succ.values()))
        isolated = filterfalse(self._pred.__getitem__, no_links_out)
        if not self.invalid:
            return isolated
        ends = {end for _, source, target in self.invalid for end in (source, target)}
        loose = {node for node in ends if not any(node in self.out[k] or node in self.into[k] for k in LINK_KINDS)}
        if not loose:
            return isolated
        return (node for node in self.kind_of if node in loose or (not self._succ[node] and not self._pred[node]))

    def is_isolated(self, node_id: str) -> bool:
        """Whether the node has no valid link at all (what :meth:`isolated` lists, asked of one node)."""
        return not any(node_id in self.out[kind] or node_id in self.into[kind] for kind in LINK_KINDS)

    def has_kind(self, node_kind: str) -> bool:
        """Whether the org has a node of this kind."""
        return bool(self.ids_by_kind.get(node_kind))

    def with_no_link_into(self, node_kind: str, kind: str) -> Iterator[str]:
        """The nodes of ``node_kind`` that no link of ``kind`` points to, in the org's order.

        One sweep in C (``filterfalse``) rather than a lookup per node in Python: a
        rule asking this of every team or product costs a fraction of a bare pass.
        """
        return filterfalse(self.into[kind].__contains__, self.ids_by_kind.get(node_kind, ()))

    def with_no_link_out(self, node_kind: str, kind: str) -> Iterator[str]:
        """The nodes of ``node_kind`` with no link of ``kind`` of their own, in the org's order."""
        return filterfalse(self.out[kind].__contains__, self.ids_by_kind.get(node_kind, ()))
