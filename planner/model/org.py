"""The org document: typed nodes and typed, directed links held in a networkx graph.

An :class:`Org` owns one ``networkx.MultiDiGraph`` keyed by link kind, so two
nodes may be joined by several links of different kinds but never by the same
kind twice. Nodes are immutable :class:`Node` records; an edit replaces the
record and announces the old and new one, which is all an undo command needs.
Every mutating method returns what is needed to undo it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from operator import itemgetter
from typing import Any

import networkx as nx

from planner.model.duties import DUTIES, DutyError, Matrix, clean_matrix, derived_matrix, with_cell
from planner.model.events import Signal
from planner.model.node import (
    _NODE_KIND_SET,
    COORDINATE_LIMIT,
    EDITABLE_FIELDS,
    MAX_TEAM_SIZE,
    Coordinate,
    Headcount,
    Link,
    LinkKey,
    ModelError,
    Node,
    NodeKind,
    Scope,
    link_columns,
    make_node,
    validate_conventions,
    validate_node_value,
    validate_profile_settings,
)
from planner.model.nxfast import (
    DuplicateLinkError,
    fill_graph,
    link_triples,
    node_table,
    number_of_links,
    predecessors,
    unshare_key_dicts,
)
from planner.model.vocabulary import (
    BUILDS,
    DEFAULT_PROFILE,
    DEV_TEAM,
    LINK_KINDS,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PERSON_KINDS,
    PRODUCT,
    PROFILES,
)

#: The org, and the card and link records and their validator (planner.model.node) imported from here.
__all__ = [
    "COORDINATE_LIMIT",
    "EDITABLE_FIELDS",
    "MAX_TEAM_SIZE",
    "Coordinate",
    "Headcount",
    "Link",
    "LinkKey",
    "ModelError",
    "Node",
    "NodeKind",
    "Org",
    "Scope",
    "link_columns",
    "make_node",
    "validate_conventions",
    "validate_node_value",
    "validate_profile_settings",
]


_NODE_OF = itemgetter("node")


class Org:
    """A product org: a named graph of nodes and links, with its analysis profile.

    Listeners subscribe to the signals (plain Python, see
    :class:`planner.model.events.Signal`); ``changed`` fires after every edit.

    Examples
    --------
    >>> org = Org("Acme")
    >>> team = org.add_node(Node("t1", "dev_team", "Payments"))
    >>> po = org.add_node(Node("po1", "product_owner", "Ana"))
    >>> org.add_link(Link("po1", "t1", "owns_backlog")).kind
    'owns_backlog'
    >>> [n.id for n in org.nodes()]
    ['t1', 'po1']
    """

    def __init__(self, name: str = "Untitled org", profile: str = DEFAULT_PROFILE) -> None:
        if profile not in PROFILES:
            raise ModelError(f"unknown profile {profile!r} (expected one of {', '.join(PROFILES)})")
        self._graph = nx.MultiDiGraph()
        #: Whether the graph may hold shared, read-only key dicts (planner.model.nxfast.shared_key_dicts), made
        #: its own before the first edit of a link.
        self._graph_shares_keys = False
        self._name = name
        self._profile = profile
        #: A profile file's settings on top of ``profile`` (see validate_profile_settings), or None.
        self._profile_settings: dict[str, Any] | None = None
        self._counter = itertools.count(1)
        #: The products' own responsibility matrices (see planner.model.duties); a product not in it follows its
        #: links. Replaced, never changed in place, so that a copy of the org may share it.
        self._duties: dict[str, Matrix] = {}

        self.node_added = Signal()  # (Node)
        self.node_removed = Signal()  # (Node)
        self.node_changed = Signal()  # (old: Node, new: Node)
        self.link_added = Signal()  # (Link)
        self.link_removed = Signal()  # (Link)
        self.meta_changed = Signal()  # (field: str, old, new)
        self.duties_changed = Signal()  # (product id, old matrix or None, new matrix or None)
        self.changed = Signal()  # () after any of the above

    # -- read access ---------------------------------------------------------

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The underlying graph, for analysis. Read it; never edit it directly."""
        return self._graph

    @property
    def name(self) -> str:
        return self._name

    @property
    def profile(self) -> str:
        """The built-in profile the org is checked with (the one its profile file extends, if it has one)."""
        return self._profile

    @property
    def profile_settings(self) -> dict[str, Any] | None:
        """The settings of the profile file the org is checked with, on top of :attr:`profile`; None for none."""
        return self._profile_settings

    def __len__(self) -> int:
        return self._graph.number_of_nodes()

    @property
    def lean(self) -> bool:
        """Whether the org was read lean, for a command that only reads it (``planner check``): its links share
        read-only dicts (:func:`planner.model.nxfast.shared_key_dicts`). An edit of its links makes them its
        own again; it is lean no longer."""
        return self._graph_shares_keys

    # -- duties (the responsibility matrix) ----------------------------------

    def is_person(self, node_id: str) -> bool:
        node = self.get(node_id)
        return node is not None and node.kind in PERSON_KINDS

    def is_product(self, node_id: str) -> bool:
        node = self.get(node_id)
        return node is not None and node.kind == PRODUCT

    @property
    def own_duties(self) -> Mapping[str, Matrix]:
        """The matrices products have of their own, by product id, as stored (read it; never change it).

        Entries of cards removed since are kept, so that undoing the removal brings them back; readers
        go through :meth:`duties_of` and :meth:`saved_duties`, which leave them out.
        """
        return self._duties

    def duties_of(self, product_id: str) -> Matrix | None:
        """The product's own matrix (people no longer in the org left out), or None when it follows its links."""
        matrix = self._duties.get(product_id)
        if matrix is None or not self.is_product(product_id):
            return None
        return {
            duty: kept for duty, row in matrix.items() if (kept := {p: x for p, x in row.items() if self.is_person(p)})
        }

    def follows_links(self, product_id: str) -> bool:
        return self.duties_of(product_id) is None

    def saved_duties(self) -> dict[str, Matrix]:
        """Every product's own matrix, sorted by product id: what the files write."""
        saved = {}
        for product_id in sorted(self._duties):
            matrix = self.duties_of(product_id)
            if matrix is not None:
                saved[product_id] = matrix
        return saved

    def link_owners(self, product_id: str) -> tuple[list[str], list[str]]:
        """The product's strategy owners and the backlog owners of the teams that build it, by valid links only."""
        pred, table = predecessors(self._graph), node_table(self._graph)
        strategy_kinds = LINK_KINDS[OWNS_STRATEGY].sources
        backlog_kinds = LINK_KINDS[OWNS_BACKLOG].sources
        strategy: list[str] = []
        backlog: dict[str, None] = {}
        for source, keys in pred[product_id].items():
            if OWNS_STRATEGY in keys and table[source]["node"].kind in strategy_kinds:
                strategy.append(source)
            if BUILDS in keys and table[source]["node"].kind == DEV_TEAM:
                for owner, owner_keys in pred[source].items():
                    if OWNS_BACKLOG in owner_keys and table[owner]["node"].kind in backlog_kinds:
                        backlog[owner] = None
        return strategy, list(backlog)

    def duty_matrix(self, product_id: str) -> Matrix:
        """The product's matrix: its own, or the one its links imply (:func:`planner.model.duties.derived_matrix`)."""
        own = self.duties_of(product_id)
        if own is not None:
            return own
        if not self.is_product(product_id):
            raise ModelError(f"no product with id {product_id!r}")
        return {duty: row for duty, row in derived_matrix(*self.link_owners(product_id)).items() if row}

    def set_duties(self, product_id: str, matrix: Mapping[str, Mapping[str, str]] | None) -> Matrix | None:
        """Give a product a matrix of its own (None: make it follow its links again); return the old one."""
        if not self.is_product(product_id):
            raise ModelError(f"no product with id {product_id!r}")
        try:
            clean = None if matrix is None else clean_matrix(matrix, self.is_person)
        except DutyError as exc:
            raise ModelError(f"duties of {product_id}: {exc}") from None
        old = self._duties.get(product_id)
        if old == clean:
            return old
        duties = dict(self._duties)
        if clean is None:
            duties.pop(product_id, None)
        else:
            duties[product_id] = clean
        self._duties = duties
        self.duties_changed.emit(product_id, old, clean)
        self.changed.emit()
        return old

    def swap_duties(self, duties: Mapping[str, Matrix]) -> Mapping[str, Matrix]:
        """Put in every product's own matrix at once, unchecked and unannounced; return the old ones.

        For what-if analyses that change the org in place and take the change back (the staffing plan's
        check of itself): nothing is told, so views and mirrors never see it. Editing goes through
        :meth:`set_duties`.
        """
        old, self._duties = self._duties, dict(duties)
        return old

    def set_duty(self, product_id: str, duty: str, person: str, letter: str | None) -> Matrix | None:
        """Set one cell of a product's matrix (from then on its own); return the old matrix for :meth:`set_duties`."""
        if duty not in DUTIES:
            raise ModelError(f"unknown duty {duty!r} (expected one of {', '.join(DUTIES)})")
        if not self.is_person(person):
            raise ModelError(f"no person (product manager, product owner or leader) with id {person!r}")
        try:
            new = with_cell(self.duty_matrix(product_id), duty, person, letter)
        except DutyError as exc:
            raise ModelError(str(exc)) from None
        return self.set_duties(product_id, new)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._graph

    def node(self, node_id: str) -> Node:
        try:
            return self._graph.nodes[node_id]["node"]
        except KeyError:
            raise ModelError(f"no node with id {node_id!r}") from None

    def get(self, node_id: str) -> Node | None:
        data = self._graph.nodes.get(node_id)
        return None if data is None else data["node"]

    def nodes(self) -> Iterator[Node]:
        """Every node, in the order they were added (an iterator in C: a 100,000-card org in milliseconds)."""
        return map(_NODE_OF, node_table(self._graph).values())

    def links(self) -> Iterator[Link]:
        for source, target, kind in self._graph.edges(keys=True):
            yield Link(source, target, kind)

    def link_triples(self) -> list[tuple[str, str, str]]:
        """Every link's (source, target, kind), in the graph's order: what writers sort and write.

        Read straight from the graph's dicts, twice as fast as ``graph.edges(keys=True)``.
        """
        return link_triples(self._graph)

    def number_of_links(self) -> int:
        return number_of_links(self._graph)

    def has_link(self, key: LinkKey | Link) -> bool:
        source, target, kind = key.key if isinstance(key, Link) else key
        return self._graph.has_edge(source, target, key=kind)

    def links_of(self, node_id: str) -> list[Link]:
        """Every link that starts or ends at ``node_id`` (self-loops once)."""
        out = [Link(s, t, k) for s, t, k in self._graph.out_edges(node_id, keys=True)]
        out += [Link(s, t, k) for s, t, k in self._graph.in_edges(node_id, keys=True) if s != t]
        return out

    def new_id(self, kind: str) -> str:
        """An id not used yet, readable and derived from the kind (``product_owner-3``)."""
        prefix = {"product_manager": "pm", "product_owner": "po", "dev_team": "team"}.get(kind, kind)
        while True:
            candidate = f"{prefix}-{next(self._counter)}"
            if candidate not in self._graph:
                return candidate

    # -- edits ----------------------------------------------------------------

    def add_node(self, node: Node) -> Node:
        """Add ``node``; undo with :meth:`remove_node`."""
        if not isinstance(node, Node):
            raise ModelError("add_node takes a Node")
        validate_node_value("id", node.id)
        validate_node_value("kind", node.kind)
        if node.id in self._graph:
            raise ModelError(f"duplicate node id {node.id!r}")
        self._graph.add_node(node.id, node=node)
        self.node_added.emit(node)
        self.changed.emit()
        return node

    @classmethod
    def from_checked(
        cls, name: str, profile: str, nodes: list[Node], sources: list[str], targets: list[str], kinds: list[str]
    ) -> Org:
        """A new org made of checked nodes and the links ``sources[i] -[kinds[i]]-> targets[i]``.

        The caller, a loader, promises what it has checked while naming each
        problem's place: node ids are non-blank text and unique, node kinds and
        link kinds are known (checking it all twice cost a tenth of the loading
        time). What the fill finds for free is still refused: a link end that is
        no node, or a link given twice, raises :class:`ModelError`.
        """
        org = cls(name, profile)
        try:
            org._graph_shares_keys = fill_graph(org._graph, nodes, sources, targets, kinds)
        except KeyError as exc:
            raise ModelError(f"a link names a missing node {exc.args[0]!r}") from None
        except DuplicateLinkError as exc:
            raise ModelError(str(exc)) from None
        return org

    def add_many(self, nodes: Iterable[Node], links: Iterable[Link | tuple[str, str, str]] = ()) -> None:
        """Add many nodes, then many links, in bulk: what loaders use.

        Links may be :class:`Link` records or ``(source, target, kind)`` triples
        (a :class:`LinkKey`, or a plain tuple from a reader). Checks the same
        invariants as :meth:`add_node` and :meth:`add_link`, and changes nothing
        when one fails.
        """
        nodes = list(nodes)
        keys = [(link.source, link.target, link.kind) if isinstance(link, Link) else tuple(link) for link in links]
        if not self._bulk_is_valid(nodes, keys):
            self._raise_bulk_problem(nodes, keys)
        self._own_key_dicts()
        self._graph_shares_keys = fill_graph(self._graph, nodes, *link_columns(keys))
        if len(self.node_added):
            for node in nodes:
                self.node_added.emit(node)
        if len(self.link_added):
            for key in keys:
                self.link_added.emit(Link(*key))
        if nodes or keys:
            self.changed.emit()

    def _bulk_is_valid(self, nodes: list[Node], keys: list[tuple[str, ...]]) -> bool:
        """Whether :meth:`add_many` may add these, checked a whole column at a time."""
        graph = self._graph
        ids = [node.id for node in nodes]
        try:
            new_ids = set(ids)
            blank_ids = not all(map(str.strip, ids))
        except TypeError:  # an id that is not text
            return False
        if blank_ids or len(new_ids) != len(ids) or not {node.kind for node in nodes} <= _NODE_KIND_SET:
            return False
        if len(graph) and not new_ids.isdisjoint(node_table(graph)):  # the dict, searched in C
            return False
        if not keys:
            return True
        key_set = set(keys)
        if len(key_set) != len(keys) or set(map(len, key_set)) != {3}:
            return False
        sources, targets, kinds = zip(*key_set, strict=True)
        if not set(kinds) <= LINK_KINDS.keys():
            return False
        if not node_table(graph).keys() >= (set(sources) | set(targets)) - new_ids:
            return False
        return not (number_of_links(graph) and any(graph.has_edge(*key) for key in key_set))

    def _raise_bulk_problem(self, nodes: list[Node], keys: list[tuple[str, ...]]) -> None:
        """Raise :class:`ModelError` naming the first thing :meth:`add_many` cannot add, record by record."""
        graph = self._graph
        new_ids: set[str] = set()
        for node in nodes:
            validate_node_value("id", node.id)
            validate_node_value("kind", node.kind)
            if node.id in graph or node.id in new_ids:
                raise ModelError(f"duplicate node id {node.id!r}")
            new_ids.add(node.id)
        new_keys: set[tuple[str, ...]] = set()
        for key in keys:
            if len(key) != 3:
                raise ModelError(f"a link is (source, target, kind), not {key!r}")
            source, target, kind = key
            if kind not in LINK_KINDS:
                raise ModelError(f"unknown link kind {kind!r} (expected one of {', '.join(LINK_KINDS)})")
            for end in (source, target):
                if end not in new_ids and end not in graph:
                    raise ModelError(f"link {source} -> {target} names a missing node {end!r}")
            if key in new_keys or graph.has_edge(*key):
                raise ModelError(f"duplicate link {source} -[{kind}]-> {target}")
            new_keys.add(key)
        raise AssertionError("add_many refused records it has no problem with")

    def remove_node(self, node_id: str) -> tuple[Node, list[Link]]:
        """Remove a node and its links; return both, which :meth:`restore_node` puts back."""
        node = self.node(node_id)
        links = self.links_of(node_id)
        self._own_key_dicts()
        for link in links:
            self._graph.remove_edge(link.source, link.target, key=link.kind)
            self.link_removed.emit(link)
        self._graph.remove_node(node_id)
        self.node_removed.emit(node)
        self.changed.emit()
        return node, links

    def restore_node(self, node: Node, links: Iterable[Link] = ()) -> None:
        """Put back a node and links that :meth:`remove_node` returned."""
        self.add_node(node)
        for link in links:
            self.add_link(link)

    def update_node(self, node_id: str, **changes: Any) -> dict[str, Any]:
        """Change attributes of a node; return the old values (pass them back to undo)."""
        old = self.node(node_id)
        checked: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in EDITABLE_FIELDS:
                raise ModelError(f"cannot change {name!r} of a node")
            checked[name] = validate_node_value(name, value)
        previous = {name: getattr(old, name) for name in checked}
        # A kind change may make existing links invalid; they are kept and the
        # analysis reports them (STR005) instead of the model dropping them.
        new = old.replace(**checked)
        if new == old:
            return previous
        self._graph.nodes[node_id]["node"] = new
        self.node_changed.emit(old, new)
        self.changed.emit()
        return previous

    def move_nodes(self, positions: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        """Move several nodes at once; return their old positions."""
        old: dict[str, tuple[float, float]] = {}
        # The graph's own node dicts, read and written directly: a layout moves 100,000 cards at once.
        table = node_table(self._graph)
        for node_id, (x, y) in positions.items():
            data = table.get(node_id)
            if data is None:
                raise ModelError(f"no node with id {node_id!r}")
            node = data["node"]
            old[node_id] = (node.x, node.y)
            x, y = validate_node_value("x", x), validate_node_value("y", y)
            if x != node.x or y != node.y:
                new = node.replace(x=x, y=y)
                data["node"] = new
                self.node_changed.emit(node, new)
        self.changed.emit()
        return old

    def add_link(self, link: Link) -> Link:
        """Add a link between two existing nodes; undo with :meth:`remove_link`.

        The link kind must exist; whether it is allowed between these node kinds
        is the analysis' business (rule STR005), so that files from other tools
        load and their mistakes are shown rather than lost.
        """
        if link.kind not in LINK_KINDS:
            raise ModelError(f"unknown link kind {link.kind!r} (expected one of {', '.join(LINK_KINDS)})")
        for end in (link.source, link.target):
            if end not in self._graph:
                raise ModelError(f"link {link.source} -> {link.target} names a missing node {end!r}")
        if self._graph.has_edge(link.source, link.target, key=link.kind):
            raise ModelError(f"duplicate link {link.source} -[{link.kind}]-> {link.target}")
        self._own_key_dicts()
        self._graph.add_edge(link.source, link.target, key=link.kind)
        self.link_added.emit(link)
        self.changed.emit()
        return link

    def remove_link(self, key: LinkKey | Link) -> Link:
        """Remove a link; return it, which :meth:`add_link` puts back."""
        source, target, kind = key.key if isinstance(key, Link) else key
        if not self._graph.has_edge(source, target, key=kind):
            raise ModelError(f"no link {source} -[{kind}]-> {target}")
        self._own_key_dicts()
        self._graph.remove_edge(source, target, key=kind)
        link = Link(source, target, kind)
        self.link_removed.emit(link)
        self.changed.emit()
        return link

    def _own_key_dicts(self) -> None:
        """Before an edit of links: key dicts shared with other pairs (read-only) become the pairs' own."""
        if self._graph_shares_keys:
            unshare_key_dicts(self._graph)
            self._graph_shares_keys = False

    def set_name(self, name: str) -> str:
        """Rename the org; return the old name."""
        if not isinstance(name, str):
            raise ModelError("the org name must be text")
        old, self._name = self._name, name
        if old != name:
            self.meta_changed.emit("name", old, name)
            self.changed.emit()
        return old

    def set_profile(self, profile: str) -> str:
        """Choose the analysis profile; return the old one. A profile file's settings stay until cleared."""
        if profile not in PROFILES:
            raise ModelError(f"unknown profile {profile!r} (expected one of {', '.join(PROFILES)})")
        old, self._profile = self._profile, profile
        if old != profile:
            self.meta_changed.emit("profile", old, profile)
            self.changed.emit()
        return old

    def set_profile_settings(self, settings: Mapping[str, Any] | None) -> dict[str, Any] | None:
        """Set (or, with None, clear) the profile file's settings; return the old ones."""
        clean = validate_profile_settings(settings)
        old, self._profile_settings = self._profile_settings, clean
        if old != clean:
            self.meta_changed.emit("profile_settings", old, clean)
            self.changed.emit()
        return old
