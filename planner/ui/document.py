"""The open document: one org, the file it came from, and the undo stack every edit goes through.

The window and the panels never call the model's edit methods themselves:
they ask the :class:`Document`, which checks the request, pushes one undoable
command and reports refusals as text for the status bar. Replacing the org
(New, Open) clears the undo history and tells listeners through
``org_replaced``. Saving goes through :func:`planner.io.save_org`, which writes
atomically; only a successful save marks the document clean. The document
remembers a :class:`~planner.ui.file_stamp.FileStamp` of its file from the last
open or save, so that Save can tell when someone else changed the file since.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from planner.collector import thaw
from planner.io import SaveError, save_org
from planner.io.native import node_record
from planner.model.duties import DUTIES, RACI_LABELS, DutyError, clean_matrix, with_cell
from planner.model.geometry import GRID
from planner.model.org import Link, LinkKey, ModelError, Node, Org, make_node, validate_node_value
from planner.model.vocabulary import LINK_KINDS, NODE_KINDS, NODE_LABELS, allowed_link_kinds, proposed_link_kind
from planner.ui.commands import (
    AddLinkCommand,
    AddNodeCommand,
    ChangeLinkKindCommand,
    EditNodeCommand,
    MoveNodesCommand,
    PasteCommand,
    RemoveNodesCommand,
    RenameOrgCommand,
    ReverseLinkCommand,
    SetDutiesCommand,
    SetProfileCommand,
)
from planner.ui.file_lock import FileLock, Holder, lock_path
from planner.ui.file_stamp import FileStamp

#: Mime type of copied cards on the clipboard.
CLIPBOARD_MIME = "application/x-team-structure-planner"


class EditRefused(Exception):
    """A request the model cannot take (a link no pair allows, a duplicate...); the text says why."""


class Document(QObject):
    """An org being edited: its file path, its undo stack and the edit operations."""

    #: The org was replaced by another one (New, Open, Close).
    org_replaced = Signal(object)
    #: The file path changed (opened, saved as); "" for a new document.
    path_changed = Signal(str)

    def __init__(self, org: Org | None = None, path: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.org: Org = org if org is not None else Org()
        self.path: str | None = os.path.abspath(path) if path else None
        self.stamp: FileStamp | None = FileStamp.of(path) if path else None
        #: The lock naming this editor as the file's one editor (see :mod:`planner.ui.file_lock`).
        self.lock: FileLock | None = None
        #: Opened while another editor had the file: Save is refused, Save As is not.
        self.read_only = False
        self._sessions = itertools.count(1)

    # -- the document as a whole ---------------------------------------------------

    def claim(self, path: str | os.PathLike) -> tuple[FileLock, Holder | None]:
        """The lock of the file at ``path``, taken if nobody holds it; with who holds it when someone does."""
        if self.lock is not None and self.lock.held and self.lock.path == lock_path(path):
            return self.lock, None
        lock = FileLock(path)
        return lock, lock.acquire()

    def release_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def replace(self, org: Org, path: str | None, lock: FileLock | None = None, read_only: bool = False) -> None:
        """Show another org; the undo history starts afresh and the document is clean.

        ``lock`` is the file's lock, taken by :meth:`claim`; ``read_only`` says another editor holds it.
        """
        self.undo_stack.clear()
        thaw()  # whatever the last large org set aside is the collector's again (New included)
        self.org = org
        self.path = os.path.abspath(path) if path else None
        self.stamp = FileStamp.of(path) if path else None
        if lock is not self.lock:
            self.release_lock()
            self.lock = lock
        self.read_only = read_only
        self.undo_stack.setClean()
        self.org_replaced.emit(org)
        self.path_changed.emit(path or "")

    def restore(self, org: Org, path: str | None, stamp: FileStamp | None) -> None:
        """Show recovered, never-saved changes to the file at ``path`` (as it was when ``stamp`` was taken).

        The document stays modified until it is saved: the changes exist nowhere else. When another
        editor has the file open, the changes are shown read-only (Save As still keeps them).
        """
        lock, holder = self.claim(path) if path else (None, None)
        self.replace(org, path, lock, read_only=holder is not None)
        self.stamp = stamp
        self.undo_stack.resetClean()

    def changed_on_disk(self) -> bool:
        """True when the document's file holds something else than at the last open or save."""
        if not self.path or not os.path.exists(self.path):
            return False
        return self.stamp is None or not self.stamp.matches(self.path)

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def display_name(self) -> str:
        name = Path(self.path).name if self.path else "Untitled"
        return f"{name} (read-only)" if self.read_only else name

    def save(self, path: str | None = None) -> None:
        """Write the org to ``path`` (or its own path); raise :class:`~planner.io.SaveError` on failure."""
        target = os.path.abspath(path or self.path or "") if (path or self.path) else None
        if not target:
            raise ValueError("no file name to save to")
        if self.read_only and target == self.path:
            raise SaveError(f"{target} was opened read-only, as another editor had it open.")
        # Saving replaces the file by renaming a new one over it, which a read-only file does not stop.
        if os.path.isfile(target) and not os.access(target, os.W_OK):
            if _on_a_read_only_disk(target):
                raise SaveError(f"{target}: {os.strerror(errno.EROFS)}", errno.EROFS)
            raise SaveError(f"{target}: the file is read-only", errno.EACCES)
        save_org(self.org, target)
        self.stamp = FileStamp.of(target)
        if target != self.path:
            lock, holder = self.claim(target)
            if lock is not self.lock:
                self.release_lock()
                self.lock = lock if holder is None else None
            self.read_only = False
        self.undo_stack.setClean()
        if target != self.path:
            self.path = target
            self.path_changed.emit(target)

    def new_session(self) -> int:
        """A number identifying one run of typing in a field, so that its keystrokes undo as one step."""
        return next(self._sessions)

    # -- nodes ------------------------------------------------------------------------

    def add_node(self, kind: str, x: float, y: float, **values: Any) -> str:
        if kind not in NODE_KINDS:
            raise EditRefused(f"unknown kind {kind!r}")
        node_id = self.org.new_id(kind)
        name = values.pop("name", None) or f"New {NODE_LABELS[kind].lower()}"
        node = make_node(id=node_id, kind=kind, name=name, x=float(x), y=float(y), **values)
        self.undo_stack.push(AddNodeCommand(self.org, node))
        return node_id

    def remove(self, node_ids: Iterable[str] = (), link_keys: Iterable[LinkKey] = (), text: str = "") -> bool:
        """Delete nodes (with their links) and links in one undo step."""
        node_ids = [n for n in node_ids if n in self.org]
        link_keys = [k for k in link_keys if self.org.has_link(k)]
        if not node_ids and not link_keys:
            return False
        if not text and len(node_ids) == 1 and not link_keys:
            text = f"Delete {self.org.node(node_ids[0]).label}"
        self.undo_stack.push(RemoveNodesCommand(self.org, node_ids, link_keys, text))
        return True

    def move_nodes(self, positions: Mapping[str, tuple[float, float]], text: str = "") -> bool:
        old = {}
        new = {}
        for node_id, (x, y) in positions.items():
            node = self.org.get(node_id)
            if node is None:
                continue
            if (node.x, node.y) != (x, y):
                old[node_id] = (node.x, node.y)
                new[node_id] = (float(x), float(y))
        if not new:
            return False
        self.undo_stack.push(MoveNodesCommand(self.org, new, old, text))
        return True

    def edit_node(self, node_id: str, session: int | None = None, **changes: Any) -> None:
        """Change attributes of a node; raise :class:`EditRefused` (with the model's reason) when invalid."""
        node = self.org.node(node_id)
        changes = {k: v for k, v in changes.items() if getattr(node, k) != v}
        if not changes:
            return
        try:
            for name, value in changes.items():
                validate_node_value(name, value)
        except ModelError as exc:
            raise EditRefused(str(exc)) from None
        self.undo_stack.push(EditNodeCommand(self.org, node_id, changes, session))

    def accept_finding(self, node_id: str, code: str) -> None:
        """Record ``code`` as an accepted risk of ``node_id`` (its ``ignore`` list)."""
        node = self.org.node(node_id)
        if code not in node.ignore:
            self.edit_node(node_id, ignore=tuple(node.ignore) + (code,))

    # -- links ------------------------------------------------------------------------

    def add_link(self, source: str, target: str, kind: str | None = None) -> Link:
        """Link two nodes with ``kind``, or with the kind the pair suggests; refuse what no kind allows."""
        source_node, target_node = self.org.node(source), self.org.node(target)
        if source == target:
            raise EditRefused("a card cannot be linked to itself")
        if kind is None:
            kind = proposed_link_kind(source_node.kind, target_node.kind)
            if kind is None:
                raise EditRefused(
                    f"No link can go from a {NODE_LABELS[source_node.kind].lower()} to a "
                    f"{NODE_LABELS[target_node.kind].lower()}" + self._reverse_hint(source_node, target_node)
                )
        link = Link(source, target, kind)
        if self.org.has_link(link):
            raise EditRefused(f"{source_node.label} already {LINK_KINDS[kind].label} {target_node.label}")
        self.undo_stack.push(AddLinkCommand(self.org, link))
        return link

    @staticmethod
    def _reverse_hint(source: Node, target: Node) -> str:
        reverse = proposed_link_kind(target.kind, source.kind)
        if reverse is None:
            return ""
        return f" (did you mean {target.label} {LINK_KINDS[reverse].label} {source.label}? Drag the other way)"

    def change_link_kind(self, key: LinkKey, kind: str) -> None:
        if key.kind == kind:
            return
        if self.org.has_link(LinkKey(key.source, key.target, kind)):
            raise EditRefused(f"these two cards already have a “{LINK_KINDS[kind].label}” link")
        self.undo_stack.push(ChangeLinkKindCommand(self.org, key, kind))

    def reverse_link(self, key: LinkKey) -> None:
        if self.org.has_link(LinkKey(key.target, key.source, key.kind)):
            raise EditRefused("the reverse link exists already")
        self.undo_stack.push(ReverseLinkCommand(self.org, key))

    def allowed_kinds(self, key: LinkKey) -> list[str]:
        return allowed_link_kinds(self.org.node(key.source).kind, self.org.node(key.target).kind)

    # -- duties -----------------------------------------------------------------------

    def set_duty(self, product: str, duty: str, person: str, letter: str | None) -> None:
        """Set one cell of a product's responsibility matrix (R, A, C, I, or None for none), as one undo step."""
        org = self.org
        matrix = org.duty_matrix(product)
        if matrix.get(duty, {}).get(person) == letter:
            return
        try:
            new = with_cell(matrix, duty, person, letter)
            clean_matrix(new, org.is_person)
        except DutyError as exc:
            raise EditRefused(str(exc)) from None
        who, what = org.node(person).label, DUTIES[duty].label.lower()
        text = f"Clear {who}'s {what}" if letter is None else f"Make {who} {RACI_LABELS[letter].lower()} for {what}"
        self.undo_stack.push(SetDutiesCommand(org, product, new, text))

    def assign_duty(self, product: str, duty: str, person: str) -> None:
        """Make ``person`` the one accountable for ``duty``; whoever was accountable before becomes responsible."""
        org = self.org
        matrix = org.duty_matrix(product)
        for holder, letter in list(matrix.get(duty, {}).items()):
            if letter == "A" and holder != person:
                matrix = with_cell(matrix, duty, holder, "R")
        matrix = with_cell(matrix, duty, person, "A")
        if matrix == org.duty_matrix(product) and not org.follows_links(product):
            return
        text = f"Assign {DUTIES[duty].label.lower()} of {org.node(product).label} to {org.node(person).label}"
        self.undo_stack.push(SetDutiesCommand(org, product, matrix, text))

    def follow_links(self, product: str) -> None:
        """Drop the product's own matrix: its duties follow the chart's links again (one undo step)."""
        if not self.org.follows_links(product):
            text = f"Let {self.org.node(product).label}'s duties follow the chart"
            self.undo_stack.push(SetDutiesCommand(self.org, product, None, text))

    # -- org ------------------------------------------------------------------------

    def set_profile(self, profile: str, settings: dict | None = None) -> None:
        """Check against a built-in profile, or a profile file's ``settings`` on top of one (one undoable step)."""
        if profile != self.org.profile or (settings or None) != self.org.profile_settings:
            self.undo_stack.push(SetProfileCommand(self.org, profile, settings or None))

    def rename_org(self, name: str, session: int | None = None) -> None:
        if name != self.org.name:
            self.undo_stack.push(RenameOrgCommand(self.org, name, session))

    # -- clipboard --------------------------------------------------------------------

    def copy_payload(self, node_ids: Iterable[str]) -> str:
        """The selected nodes and the links among them, as JSON for the clipboard."""
        ids = [n for n in node_ids if n in self.org]
        chosen = set(ids)
        links = [
            {"source": link.source, "target": link.target, "kind": link.kind}
            for node_id in ids
            for link in self.org.links_of(node_id)
            if link.source == node_id and link.target in chosen
        ]
        return json.dumps({"nodes": [node_record(self.org.node(n)) for n in ids], "links": links})

    def paste_payload(self, payload: str, offset: float = 2 * GRID) -> list[str]:
        """Add copies of the nodes and links in ``payload``, shifted by ``offset``; return the new ids."""
        try:
            data = json.loads(payload)
            records = data["nodes"]
            nodes: list[Node] = []
            renamed: dict[str, str] = {}
            for record in records:
                old = make_node(**record)
                # new_id never hands out the same id twice, so copies not yet added cannot clash.
                new_id = self.org.new_id(old.kind)
                renamed[old.id] = new_id
                nodes.append(old.replace(id=new_id, x=old.x + offset, y=old.y + offset))
            links = [
                Link(renamed[r["source"]], renamed[r["target"]], r["kind"])
                for r in data.get("links", [])
                if r.get("source") in renamed and r.get("target") in renamed and r.get("kind") in LINK_KINDS
            ]
        except (ValueError, KeyError, TypeError, ModelError) as exc:
            raise EditRefused(f"the clipboard holds no cards this editor can paste ({exc})") from None
        if not nodes:
            return []
        count = len(nodes)
        text = f"Paste {count} card{'s' if count != 1 else ''}"
        self.undo_stack.push(PasteCommand(self.org, nodes, links, text))
        return [node.id for node in nodes]


def _on_a_read_only_disk(path: str) -> bool:
    """Whether ``path`` lies on a disk mounted read-only (as far as this system can tell)."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def explain_save_error(exc: Exception, path: str) -> str:
    """Why saving to ``path`` failed and what the user can do, in plain words; the changes are still open."""
    target = Path(path)
    code = getattr(exc, "errno", None)
    if code in (errno.EACCES, errno.EPERM):
        reason = (
            f"You may not write to {target}: the file is read-only, or the folder {target.parent} does not "
            "let you write in it."
        )
    elif code == errno.EROFS:
        reason = f"The folder {target.parent} is on a read-only disk."
    elif code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        reason = f"The disk holding {target.parent} is full (or your quota on it is used up)."
    elif code == errno.ENOENT:
        reason = f"The folder {target.parent} does not exist (any more)."
    else:
        reason = str(exc)
    return f"{reason} Your changes are still open and not saved: use File › Save As to save them somewhere else."
