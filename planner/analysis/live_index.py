"""An index that follows its org edit by edit, and views of it that show the rules only some subjects.

A full check builds an :class:`~planner.analysis.index.OrgIndex` in one pass
over the org: on 100,000 cards that pass costs as much as the rules. A
:class:`LiveIndex` is built once and then brought up to date after each burst
of edits (:meth:`LiveIndex.apply`), at a cost proportional to the links of
the nodes the edits touched. Its tables are those a fresh index would hold,
list for list and in the same order (the sources of a link kind in the org's
node order, the targets in the order the links were drawn), so that a rule
reading it words its findings exactly as after a full build.

A :class:`SubjectView` shows a rule the live index as if the org had only some
of its nodes to report on: whatever a rule walks over to find its subjects
(the nodes of a kind, the keys of a link table, the isolated nodes, the
invalid links) is cut down to those nodes, while every look-up (a node's
links, kind, name) still reads the whole org. Run over a view, a rule finds
for those subjects what it finds for them over the whole org.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator

from planner.analysis.engine import TemplateIndex
from planner.analysis.index import OrgIndex
from planner.model.org import Org
from planner.model.vocabulary import LINK_KINDS

_KIND_RANK = {kind: rank for rank, kind in enumerate(LINK_KINDS)}


class LiveIndex(TemplateIndex):
    """An index of an org (the mirror's copy) that :meth:`apply` brings up to date after edits.

    After the first check only the tables of links are kept up to date, not the
    lists of nodes by kind (``ids_by_kind``) or of invalid links: a rule that
    needs those runs over a :class:`SubjectView`.
    """

    def __init__(self, org: Org) -> None:
        super().__init__(org)
        # Tuples rather than lists: the collector stops tracking them, so a check kept between edits does not add
        # hundreds of thousands of objects to every full collection the window's thread makes.
        for tables in (self.out, self.into):
            for adjacency in tables.values():
                for node_id, ends in adjacency.items():
                    adjacency[node_id] = tuple(ends)
        self.ordinal: dict[str, int] = {node_id: number for number, node_id in enumerate(self._attributes)}
        self._next_ordinal = len(self.ordinal)
        self.kind_count: Counter[str] = Counter(self.kind_of.values())
        self.invalid_links: dict[tuple[str, str, str], None] = dict.fromkeys(self.invalid)
        self.invalid_at: dict[str, set[tuple[str, str, str]]] = {}
        for entry in self.invalid:
            self.invalid_at.setdefault(entry[1], set()).add(entry)
            self.invalid_at.setdefault(entry[2], set()).add(entry)

    def start_following(self) -> None:
        """Drop the lists :meth:`apply` does not keep up to date (after the first check has used them)."""
        del self.ids_by_kind
        del self.invalid

    def has_kind(self, node_kind: str) -> bool:
        return self.kind_count[node_kind] > 0

    def invalid_near(self, node_ids: Iterable[str]) -> list[tuple[str, str, str]]:
        """The invalid links with an end among ``node_ids``, in the order a full build lists them."""
        found: set[tuple[str, str, str]] = set()
        for node_id in node_ids:
            found.update(self.invalid_at.get(node_id, ()))
        ordinal = self.ordinal
        return sorted(found, key=lambda entry: (_KIND_RANK[entry[0]], ordinal[entry[1]], ordinal[entry[2]]))

    def apply(self, touched: Iterable[str], added: Iterable[str], kinds: Iterable[str]) -> tuple[set[str], set[str]]:
        """Bring the tables up to date with the org after edits; return what changed.

        ``touched`` are the nodes added, removed or changed and the ends of the links added or removed, ``added``
        the nodes added (in order) and ``kinds`` those whose kind changed (see
        :class:`planner.model.mirror.Changes`). Returns the nodes whose tables or data may differ (``touched``
        and the neighbours of a node whose kind changed, whose links may have turned valid or invalid) and the
        link kinds whose valid links changed.
        """
        attributes, succ, pred, ordinal = self._attributes, self._succ, self._pred, self.ordinal
        nodes = set(touched)
        for node_id in kinds:
            if node_id in attributes:
                nodes.update(succ[node_id])
                nodes.update(pred[node_id])
        for node_id in added:
            if node_id in attributes:
                ordinal[node_id] = self._next_ordinal
                self._next_ordinal += 1
        self.__dict__.pop("_own_duties", None)  # products' matrices drop people who are gone or not people now
        before = {node_id: self._tables_of(node_id) for node_id in nodes}
        for node_id in nodes:
            self._forget(node_id)
        for node_id in nodes:
            if node_id in attributes:
                kind = self.kind_of[node_id] = attributes[node_id]["node"].kind
                self.kind_count[kind] += 1
            else:
                ordinal.pop(node_id, None)
        for node_id in nodes:
            if node_id in attributes:
                self._fill(node_id)
        changed_kinds = {
            kind
            for node_id in nodes
            for kind, ends in self._tables_of(node_id).items()
            if before[node_id][kind] != ends
        }
        return nodes, changed_kinds

    def _tables_of(self, node_id: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        found = {}
        for kind in LINK_KINDS:
            found[kind] = (self.out[kind].get(node_id, ()), self.into[kind].get(node_id, ()))
        return found

    def _forget(self, node_id: str) -> None:
        for kind in LINK_KINDS:
            self.out[kind].pop(node_id, None)
            self.into[kind].pop(node_id, None)
        for entry in self.invalid_at.pop(node_id, ()):
            self.invalid_links.pop(entry, None)
            for end in entry[1:]:
                if end != node_id and end in self.invalid_at:
                    self.invalid_at[end].discard(entry)
        kind = self.kind_of.pop(node_id, None)
        if kind is not None:
            self.kind_count[kind] -= 1

    def _fill(self, node_id: str) -> None:
        ordinal = self.ordinal
        outgoing: dict[str, list[str]] = {}
        for target, keys in self._succ[node_id].items():
            for kind in keys:
                if self._valid(kind, node_id, target):
                    outgoing.setdefault(kind, []).append(target)
                else:
                    self._invalid(kind, node_id, target)
        incoming: dict[str, list[str]] = {}
        sources = self._pred[node_id]
        for source in sorted(sources, key=ordinal.__getitem__) if len(sources) > 1 else sources:
            for kind in sources[source]:
                if self._valid(kind, source, node_id):
                    incoming.setdefault(kind, []).append(source)
                else:
                    self._invalid(kind, source, node_id)
        for kind, ends in outgoing.items():
            self.out[kind][node_id] = tuple(ends)
        for kind, ends in incoming.items():
            self.into[kind][node_id] = tuple(ends)

    def _valid(self, kind: str, source: str, target: str) -> bool:
        spec = LINK_KINDS[kind]
        return self.kind_of[source] in spec.sources and self.kind_of[target] in spec.targets

    def _invalid(self, kind: str, source: str, target: str) -> None:
        entry = (kind, source, target)
        self.invalid_links[entry] = None
        self.invalid_at.setdefault(source, set()).add(entry)
        self.invalid_at.setdefault(target, set()).add(entry)


class _Restricted:
    """A table of links (node → its ends) that lists only some of its nodes but looks up any of them.

    The nodes it lists are worked out when first asked for: most rules read most tables only by look-up.
    """

    __slots__ = ("_table", "_subjects", "_keys")

    def __init__(self, table: dict[str, tuple[str, ...]], subjects: list[str]) -> None:
        self._table = table
        self._subjects = subjects
        self._keys: list[str] | None = None

    def keys(self) -> list[str]:
        if self._keys is None:
            table = self._table
            self._keys = [node_id for node_id in self._subjects if node_id in table]
        return self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self.keys())

    def items(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        table = self._table
        return ((node_id, table[node_id]) for node_id in self.keys())

    def values(self) -> Iterator[tuple[str, ...]]:
        return map(self._table.__getitem__, self.keys())

    def get(self, node_id: str, default=None):
        return self._table.get(node_id, default)

    def __getitem__(self, node_id: str) -> tuple[str, ...]:
        return self._table[node_id]

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._table


class SubjectView(OrgIndex):
    """The live index as a rule sees it when only ``subjects`` (node ids) are to be reported on."""

    def __init__(self, full: LiveIndex, subjects: Iterable[str]) -> None:  # noqa: D107 (no OrgIndex build here)
        self.full = full
        self.org = full.org
        self._attributes = full._attributes
        self._succ, self._pred = full._succ, full._pred
        self.kind_of = full.kind_of
        ordinal = full.ordinal
        chosen = sorted((node_id for node_id in set(subjects) if node_id in ordinal), key=ordinal.__getitem__)
        self.subjects = chosen
        ids_by_kind: dict[str, list[str]] = {}
        for node_id in chosen:
            ids_by_kind.setdefault(self.kind_of[node_id], []).append(node_id)
        self.ids_by_kind = ids_by_kind
        self.out = {kind: _Restricted(table, chosen) for kind, table in full.out.items()}
        self.into = {kind: _Restricted(table, chosen) for kind, table in full.into.items()}
        cached = full.__dict__.get("_own_duties")
        if cached is not None:
            self.__dict__["_own_duties"] = cached

    @functools.cached_property
    def invalid(self) -> list[tuple[str, str, str]]:  # type: ignore[override]
        return self.full.invalid_near(self.subjects)

    def name(self, node_id: str) -> str:
        return self.full.name(node_id)

    def has_kind(self, node_kind: str) -> bool:
        return self.full.has_kind(node_kind)

    def is_isolated(self, node_id: str) -> bool:
        return self.full.is_isolated(node_id)

    def isolated(self) -> Iterator[str]:
        return filter(self.full.is_isolated, self.subjects)

    def release(self) -> None:
        """Nothing to drop: the tables are the live index's."""
