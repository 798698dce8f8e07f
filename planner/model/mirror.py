"""A copy of an org that catches up with it on request: what a background analysis reads.

Reading the org on another thread while the editor changes it would race, and
copying a 100,000-card org for every check would block the window for longer
than the check itself. An :class:`OrgMirror` copies the org once, then only
writes down each change the org announces (a cheap append, on the editing
thread). :meth:`OrgMirror.catch_up` replays what was written down onto the
copy, in the org's own order, so that the copy is again equal to the org (its
nodes in the same order, its links, name, profile settings and duties); between two
calls nobody writes to the copy, and another thread may read it.

The mirror also sums up what changed since it was last asked
(:meth:`OrgMirror.take_changes`): whether anything but names and positions
did, which nodes were renamed, and which nodes the other edits touched (the
nodes changed, added or removed, and both ends of each link added or
removed). A check kept from edit to edit reruns its rules for what those
nodes can change (:class:`planner.analysis.incremental.LiveCheck`); after
renames it only writes its messages again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from planner.model.org import EDITABLE_FIELDS, Link, Node, Org, link_columns

_POSITION = ("x", "y")
_FIELDS = tuple(name for name in EDITABLE_FIELDS if name not in _POSITION)
#: The fields no rule of the analysis reads but in messages (the name) or not at all.
_WORDING = frozenset(("name", "title", "notes", *_POSITION))


@dataclass(frozen=True)
class Changes:
    """What changed in an org over a stretch of edits: renamed nodes, and whether anything more did, and where."""

    renamed: frozenset[str] = frozenset()
    #: Anything but names, titles, notes and positions: nodes or links added or removed, a kind, a size...
    structural: bool = False
    #: The nodes added, removed or changed beyond their wording, and both ends of every link added or removed.
    touched: frozenset[str] = frozenset()
    #: The ids of the nodes added, in the order they were added (a removed node added back comes last again).
    added: tuple[str, ...] = ()
    #: The nodes whose kind changed (which may make their links valid or invalid).
    kinds: frozenset[str] = frozenset()
    #: Whether a product's own duties changed.
    duties: bool = False
    #: Whether the org's name, profile or profile settings changed: then everything is checked again.
    settings: bool = False


def copy_org(org: Org) -> Org:
    """A new org equal to ``org`` (same nodes in the same order, links, name, profile and settings), unwatched."""
    nodes = list(org.nodes())
    copy = Org.from_checked(org.name, org.profile, nodes, *link_columns(org.link_triples()))
    _copy_settings(org, copy)
    return copy


def _copy_settings(org: Org, copy: Org) -> None:
    """Carry over whatever else the org keeps besides its graph, name and profile (settings are replaced, never
    changed in place, so sharing the values is safe)."""
    for name, value in vars(org).items():
        if name not in vars(copy) or name.startswith("_graph") or name in ("_counter",):
            continue
        if not callable(getattr(value, "emit", None)):
            setattr(copy, name, value)


class OrgMirror:
    """Follows one org: a private copy of it plus the changes not yet applied to the copy.

    Create it, call :meth:`catch_up` whenever the copy is needed, and
    :meth:`close` to stop following. All methods are called on the thread that
    edits the org; the copy that :meth:`catch_up` returns may be read on any
    thread until the next :meth:`catch_up`.
    """

    def __init__(self, org: Org) -> None:
        self.org = org
        self.copy = copy_org(org)
        self._pending: list[tuple[Callable[..., Any], tuple]] = []
        self._renamed: set[str] = set()
        self._structural = False
        self._reset_places()
        self._subscriptions = (
            (org.node_added, self._on_node_added),
            (org.node_removed, self._on_node_removed),
            (org.node_changed, self._on_node_changed),
            (org.link_added, self._on_link_added),
            (org.link_removed, self._on_link_removed),
            (org.meta_changed, self._on_meta_changed),
            (org.duties_changed, self._on_duties_changed),
        )
        for signal, slot in self._subscriptions:
            signal.connect(slot)

    def close(self) -> None:
        """Stop following the org."""
        for signal, slot in self._subscriptions:
            signal.disconnect(slot)
        self._pending.clear()

    @property
    def pending(self) -> int:
        """How many changes of the org the copy has not seen yet."""
        return len(self._pending)

    def take_changes(self) -> Changes:
        """What changed since the last call (or since the mirror was made), and start counting afresh."""
        changes = Changes(
            frozenset(self._renamed),
            self._structural,
            frozenset(self._touched),
            tuple(self._added),
            frozenset(self._kinds),
            self._duties,
            self._settings,
        )
        self._renamed = set()
        self._structural = False
        self._reset_places()
        return changes

    def _reset_places(self) -> None:
        self._touched: set[str] = set()
        self._added: dict[str, None] = {}
        self._kinds: set[str] = set()
        self._duties = False
        self._settings = False

    def catch_up(self) -> Org:
        """Apply the changes written down since the last call; return the copy, now equal to the org."""
        pending, self._pending = self._pending, []
        for apply, args in pending:
            apply(*args)
        return self.copy

    # -- writing changes down (cheap: this runs inside every edit) ------------------------------

    def _on_node_added(self, node: Node) -> None:
        self._pending.append((self.copy.add_node, (node,)))
        self._structural = True
        self._touched.add(node.id)
        self._added.pop(node.id, None)
        self._added[node.id] = None

    def _on_node_removed(self, node: Node) -> None:
        # The org announced the node's links as removed first; the copy drops them the same way.
        self._pending.append((self._remove_node, (node.id,)))
        self._structural = True
        self._touched.add(node.id)
        self._added.pop(node.id, None)

    def _on_node_changed(self, old: Node, new: Node) -> None:
        self._pending.append((self._change_node, (old, new)))
        if any(getattr(old, name) != getattr(new, name) for name in EDITABLE_FIELDS if name not in _WORDING):
            self._structural = True
            self._touched.add(new.id)
            if old.kind != new.kind:
                self._kinds.add(new.id)
        if old.label != new.label:
            self._renamed.add(new.id)

    def _on_link_added(self, link: Link) -> None:
        self._pending.append((self.copy.add_link, (link,)))
        self._structural = True
        self._touched.update((link.source, link.target))

    def _on_link_removed(self, link: Link) -> None:
        self._pending.append((self._remove_link, (link,)))
        self._structural = True
        self._touched.update((link.source, link.target))

    def _on_meta_changed(self, field: str, old: Any, new: Any) -> None:
        self._pending.append((self._set_meta, (field, new)))
        self._structural = True
        self._settings = True

    def _on_duties_changed(self, product_id: str, old: Any, new: Any) -> None:
        self._pending.append((self.copy.set_duties, (product_id, new)))
        self._structural = True
        self._touched.add(product_id)
        self._duties = True

    # -- replaying them onto the copy -----------------------------------------------------------

    def _remove_node(self, node_id: str) -> None:
        self.copy.remove_node(node_id)

    def _remove_link(self, link: Link) -> None:
        if self.copy.has_link(link):
            self.copy.remove_link(link)

    def _change_node(self, old: Node, new: Node) -> None:
        changes = {name: getattr(new, name) for name in _FIELDS if getattr(old, name) != getattr(new, name)}
        if changes:
            self.copy.update_node(new.id, **changes)
        if (old.x, old.y) != (new.x, new.y):
            self.copy.move_nodes({new.id: (new.x, new.y)})

    def _set_meta(self, field: str, value: Any) -> None:
        """Set the copy's ``field`` the way the org set its own: through its ``set_<field>`` method."""
        getattr(self.copy, f"set_{field}")(value)
