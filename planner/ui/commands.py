"""Undoable edits of an org: small QUndoCommands that call the model's methods and nothing else.

Each command stores what its model call returned (old values, removed links)
so that ``undo`` restores exactly what was there. Deleting several things is
one :class:`RemoveNodesCommand` with a part per node and link, so it undoes in
one step; a drag is one :class:`MoveNodesCommand`; typing in a field merges
into one :class:`EditNodeCommand` per editing session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtGui import QUndoCommand

from planner.model.org import Link, LinkKey, Node, Org
from planner.model.vocabulary import LINK_KINDS, NODE_LABELS
from planner.wording import plural

#: Command ids for QUndoCommand.mergeWith.
EDIT_NODE_ID = 1001
RENAME_ORG_ID = 1002

#: Human names of node attributes, for undo menu texts.
FIELD_LABELS = {
    "name": "name",
    "title": "title",
    "notes": "notes",
    "kind": "kind",
    "vacant": "vacancy",
    "size": "team size",
    "scope": "scope",
    "ignore": "accepted rules",
}


class AddNodeCommand(QUndoCommand):
    def __init__(self, org: Org, node: Node) -> None:
        super().__init__(f"Add {NODE_LABELS.get(node.kind, node.kind).lower()}")
        self.org = org
        self.node = node

    def redo(self) -> None:
        self.org.add_node(self.node)

    def undo(self) -> None:
        self.org.remove_node(self.node.id)


class RemoveNodeCommand(QUndoCommand):
    """Remove one node with its links; a part of :class:`RemoveNodesCommand`."""

    def __init__(self, org: Org, node_id: str) -> None:
        super().__init__(f"Delete {node_id}")
        self.org = org
        self.node_id = node_id
        self._removed: tuple[Node, list[Link]] | None = None

    def redo(self) -> None:
        self._removed = self.org.remove_node(self.node_id)

    def undo(self) -> None:
        node, links = self._removed
        self.org.restore_node(node, links)


class AddLinkCommand(QUndoCommand):
    def __init__(self, org: Org, link: Link) -> None:
        super().__init__(f"Add “{LINK_KINDS[link.kind].label}” link")
        self.org = org
        self.link = link

    def redo(self) -> None:
        self.org.add_link(self.link)

    def undo(self) -> None:
        self.org.remove_link(self.link.key)


class RemoveLinkCommand(QUndoCommand):
    def __init__(self, org: Org, key: LinkKey) -> None:
        spec = LINK_KINDS.get(key.kind)
        super().__init__(f"Delete “{spec.label if spec else key.kind}” link")
        self.org = org
        self.key = key
        self._link: Link | None = None

    def redo(self) -> None:
        self._link = self.org.remove_link(self.key)

    def undo(self) -> None:
        self.org.add_link(self._link)


class MacroCommand(QUndoCommand):
    """Several commands undone and redone as one step.

    The parts are kept in a Python list rather than as Qt child commands: a
    child wrapper with no Python reference may be collected while Qt still
    points at it.
    """

    def __init__(self, text: str, parts: Iterable[QUndoCommand] = ()) -> None:
        super().__init__(text)
        self.parts = list(parts)

    def redo(self) -> None:
        for part in self.parts:
            part.redo()

    def undo(self) -> None:
        for part in reversed(self.parts):
            part.undo()


class RemoveNodesCommand(MacroCommand):
    """Delete nodes (with their links) and further selected links in one undo step, links first."""

    def __init__(self, org: Org, node_ids: Iterable[str], link_keys: Iterable[LinkKey], text: str = "") -> None:
        node_ids = list(node_ids)
        node_set = set(node_ids)
        link_keys = [k for k in link_keys if k.source not in node_set and k.target not in node_set]
        if not text:
            parts = []
            if node_ids:
                parts.append(plural(len(node_ids), "card"))
            if link_keys:
                parts.append(plural(len(link_keys), "link"))
            text = "Delete " + " and ".join(parts)
        parts = [RemoveLinkCommand(org, key) for key in link_keys]
        parts += [RemoveNodeCommand(org, node_id) for node_id in node_ids]
        super().__init__(text, parts)


class MoveNodesCommand(QUndoCommand):
    def __init__(
        self,
        org: Org,
        new_positions: Mapping[str, tuple[float, float]],
        old_positions: Mapping[str, tuple[float, float]],
        text: str = "",
    ) -> None:
        count = len(new_positions)
        super().__init__(text or (f"Move {plural(count, 'card')}" if count > 1 else "Move card"))
        self.org = org
        self.new_positions = dict(new_positions)
        self.old_positions = dict(old_positions)

    def redo(self) -> None:
        self.org.move_nodes(self.new_positions)

    def undo(self) -> None:
        self.org.move_nodes(self.old_positions)


class EditNodeCommand(QUndoCommand):
    """Change attributes of one node. Commands of the same editing session merge into one."""

    def __init__(self, org: Org, node_id: str, changes: Mapping[str, Any], session: int | None = None) -> None:
        fields = ", ".join(FIELD_LABELS.get(name, name) for name in changes)
        node = org.get(node_id)
        label = node.label if node is not None else node_id
        super().__init__(f"Edit {fields} of {label}")
        self.org = org
        self.node_id = node_id
        self.changes = dict(changes)
        self.session = session
        self._old: dict[str, Any] | None = None

    def id(self) -> int:
        return EDIT_NODE_ID if self.session is not None else -1

    def redo(self) -> None:
        old = self.org.update_node(self.node_id, **self.changes)
        if self._old is None:
            self._old = old

    def undo(self) -> None:
        self.org.update_node(self.node_id, **self._old)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditNodeCommand):
            return False
        if (other.session, other.node_id, set(other.changes)) != (self.session, self.node_id, set(self.changes)):
            return False
        self.changes = dict(other.changes)
        if all(self._old.get(k) == v for k, v in self.changes.items()):
            self.setObsolete(True)
        return True


class ChangeLinkKindCommand(QUndoCommand):
    def __init__(self, org: Org, key: LinkKey, kind: str) -> None:
        super().__init__(f"Change link to “{LINK_KINDS[kind].label}”")
        self.org = org
        self.old = Link(key.source, key.target, key.kind)
        self.new = Link(key.source, key.target, kind)

    def redo(self) -> None:
        self.org.remove_link(self.old.key)
        self.org.add_link(self.new)

    def undo(self) -> None:
        self.org.remove_link(self.new.key)
        self.org.add_link(self.old)


class ReverseLinkCommand(QUndoCommand):
    def __init__(self, org: Org, key: LinkKey) -> None:
        super().__init__("Reverse link")
        self.org = org
        self.old = Link(key.source, key.target, key.kind)
        self.new = Link(key.target, key.source, key.kind)

    def redo(self) -> None:
        self.org.remove_link(self.old.key)
        self.org.add_link(self.new)

    def undo(self) -> None:
        self.org.remove_link(self.new.key)
        self.org.add_link(self.old)


class PasteCommand(MacroCommand):
    """Add copied nodes and the links among them in one step."""

    def __init__(self, org: Org, nodes: Iterable[Node], links: Iterable[Link], text: str) -> None:
        parts: list[QUndoCommand] = [AddNodeCommand(org, node) for node in nodes]
        parts += [AddLinkCommand(org, link) for link in links]
        super().__init__(text, parts)


class SetProfileCommand(QUndoCommand):
    """Switch to a built-in profile, or (with ``settings``) to a profile file's settings on top of one."""

    def __init__(self, org: Org, profile: str, settings: dict | None = None) -> None:
        shown = (settings or {}).get("file") or profile
        super().__init__(f"Switch profile to {shown}")
        self.org = org
        self.profile = profile
        self.settings = settings
        self._old: str | None = None
        self._old_settings: dict | None = None

    def redo(self) -> None:
        self._old_settings = self.org.set_profile_settings(self.settings)
        self._old = self.org.set_profile(self.profile)

    def undo(self) -> None:
        self.org.set_profile_settings(self._old_settings)
        self.org.set_profile(self._old)


class RenameOrgCommand(QUndoCommand):
    def __init__(self, org: Org, name: str, session: int | None = None) -> None:
        super().__init__("Rename org")
        self.org = org
        self.name = name
        self.session = session
        self._old: str | None = None

    def id(self) -> int:
        return RENAME_ORG_ID if self.session is not None else -1

    def redo(self) -> None:
        old = self.org.set_name(self.name)
        if self._old is None:
            self._old = old

    def undo(self) -> None:
        self.org.set_name(self._old)

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, RenameOrgCommand) or other.session != self.session:
            return False
        self.name = other.name
        if self.name == self._old:
            self.setObsolete(True)
        return True


class SetDutiesCommand(QUndoCommand):
    """Give a product a new responsibility matrix (None: follow its links again); undo puts the old one back."""

    def __init__(self, org: Org, product: str, matrix: Mapping[str, Mapping[str, str]] | None, text: str) -> None:
        super().__init__(text)
        self.org = org
        self.product = product
        self.matrix = matrix
        self._old: Any = None

    def redo(self) -> None:
        self._old = self.org.set_duties(self.product, self.matrix)

    def undo(self) -> None:
        self.org.set_duties(self.product, self._old)
