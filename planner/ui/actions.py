"""One registry of the editor's actions, from which the menus, the toolbar, the shortcut page and the tests read.

Each action is declared once (:meth:`ActionRegistry.add`): a stable id such as
``"edit.undo"``, its menu text, its shortcuts, a tip, an icon name, its handler
and, when it can be greyed out, a predicate saying when it is enabled. The
menus and the toolbar are lists of ids; :meth:`ActionRegistry.update_enabled`
asks every predicate again; :meth:`ActionRegistry.shortcut_rows` lists the
keys in readable form for Help (the steady name of the action, never the live
"Undo Move 3 cards" text, and only keys a keyboard has: Qt's standard
bindings on X11 add keys such as F14 or the "Undo" media key that mean
nothing to a reader). napari's action manager and VS Code's command palette
work the same way: commands by id, key bindings and menus as data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QKeyCombination, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

from planner.ui.icons import action_icon

Keys = str | QKeySequence.StandardKey | Sequence[str | QKeySequence.StandardKey | QKeySequence] | None

#: Non-character keys a reader finds on a keyboard and knows by name.
READABLE_KEYS = {
    Qt.Key.Key_Delete,
    Qt.Key.Key_Backspace,
    Qt.Key.Key_Escape,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_Tab,
    Qt.Key.Key_Space,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Insert,
    *(Qt.Key(Qt.Key.Key_F1.value + n) for n in range(12)),
}


def key_sequences(keys: Keys) -> list[QKeySequence]:
    """``keys`` as a list of sequences: a string, a standard key, or a list of either (duplicates dropped)."""
    if keys is None:
        return []
    if isinstance(keys, (str, QKeySequence.StandardKey, QKeySequence)):
        keys = [keys]
    found: list[QKeySequence] = []
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            sequences = QKeySequence.keyBindings(key)
        else:
            sequences = [QKeySequence(key)]
        found += [s for s in sequences if not s.isEmpty() and s not in found]
    return found


def is_readable(sequence: QKeySequence) -> bool:
    """True for a single key press made of a character or a named key (not F13–F35 nor media keys)."""
    if sequence.count() != 1:
        return False
    combination: QKeyCombination = sequence[0]
    key = combination.key()
    return key.value < 0x01000000 or key in READABLE_KEYS


def readable_keys(sequences: Iterable[QKeySequence]) -> str:
    """The keys as a reader names them, e.g. "Ctrl+Y, Ctrl+Shift+Z"; empty when none is readable."""
    shown: list[str] = []
    for sequence in sequences:
        if is_readable(sequence):
            text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            if text not in shown:
                shown.append(text)
    return ", ".join(shown)


def plain_text(text: str) -> str:
    """A menu text without its mnemonic ampersand and trailing ellipsis: "&Open…" → "Open"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…").strip()


@dataclass
class ActionSpec:
    """What the registry knows of one action besides the QAction itself."""

    id: str
    name: str
    icon: str = ""
    enabled_when: Callable[[], bool] | None = None


class ActionRegistry(QObject):
    """The window's actions by id; menus and toolbars are filled from lists of ids."""

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        self._actions: dict[str, QAction] = {}
        self._specs: dict[str, ActionSpec] = {}

    def add(
        self,
        action_id: str,
        text: str,
        handler: Callable | None = None,
        keys: Keys = None,
        tip: str = "",
        icon: str = "",
        icon_text: str = "",
        checkable: bool = False,
        checked: bool = False,
        enabled_when: Callable[[], bool] | None = None,
    ) -> QAction:
        """Declare an action. A checkable one calls ``handler(on)`` when toggled, any other ``handler()``."""
        action = QAction(text, self._owner)
        action.setObjectName(action_id)
        sequences = key_sequences(keys)
        if sequences:
            action.setShortcuts(sequences)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if icon_text:
            action.setIconText(icon_text)
        action.setCheckable(checkable)
        action.setChecked(checked)
        if handler is not None:
            if checkable:
                action.toggled.connect(handler)
            else:
                action.triggered.connect(lambda _checked=False: handler())
        return self.adopt(action_id, action, icon=icon, enabled_when=enabled_when)

    def adopt(
        self,
        action_id: str,
        action: QAction,
        name: str = "",
        icon: str = "",
        enabled_when: Callable[[], bool] | None = None,
    ) -> QAction:
        """Register an action made elsewhere (a dock's toggle, a panel's own action) under ``action_id``."""
        if action_id in self._actions:
            raise ValueError(f"action {action_id!r} is registered twice")
        self._actions[action_id] = action
        self._specs[action_id] = ActionSpec(action_id, plain_text(name or action.text()), icon, enabled_when)
        if icon:
            action.setIcon(action_icon(icon))
        return action

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def __contains__(self, action_id: str) -> bool:
        return action_id in self._actions

    def ids(self) -> list[str]:
        return list(self._actions)

    def name(self, action_id: str) -> str:
        """The action's steady name (what Help shows), whatever its menu text says now."""
        return self._specs[action_id].name

    def fill(self, target: QMenu | QToolBar, ids: Iterable[str | None]) -> None:
        """Add the actions to a menu or toolbar in order; None is a separator."""
        for action_id in ids:
            if action_id is None:
                target.addSeparator()
            else:
                target.addAction(self._actions[action_id])

    def menu(self, parent: QWidget, title: str, ids: Iterable[str | None]) -> QMenu:
        menu = QMenu(title, parent)
        self.fill(menu, ids)
        return menu

    def update_enabled(self) -> None:
        """Ask every action that can be greyed out whether it is enabled now."""
        for action_id, spec in self._specs.items():
            if spec.enabled_when is not None:
                self._actions[action_id].setEnabled(bool(spec.enabled_when()))

    def refresh_icons(self) -> None:
        """Redraw the icons in the palette's current colours (after a light/dark switch)."""
        for action_id, spec in self._specs.items():
            if spec.icon:
                self._actions[action_id].setIcon(action_icon(spec.icon))

    def shortcut_rows(self, order: Iterable[str | None] = ()) -> list[tuple[str, str]]:
        """(name, keys) for every action with a readable shortcut: those in ``order`` first, then as declared."""
        listed = [i for i in order if i in self._actions]
        rows = []
        for action_id in dict.fromkeys(listed + list(self._actions)):
            keys = readable_keys(self._actions[action_id].shortcuts())
            if keys:
                rows.append((self._specs[action_id].name, keys))
        return rows
