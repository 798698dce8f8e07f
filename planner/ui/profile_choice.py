"""The profile the gaps are checked against: the toolbar's chooser, Gaps › Profile, and profile files.

:class:`ProfileChoice` owns the chooser the window puts in its toolbar and
registers the Gaps › Profile commands. Choosing a built-in profile or
loading a profile file (TOML) is an undoable edit of the org through the
:class:`~planner.ui.document.Document`; the chooser and the menu follow the
org, so undo and a newly opened file show the right profile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QComboBox, QWidget

from planner.analysis import ProfileError, get_profile, load_profile, profile_for
from planner.model.vocabulary import PROFILES
from planner.ui.actions import ActionRegistry
from planner.ui.document import Document

#: The chooser's entries that are not built-in profiles: load a file, and the loaded file's own profile.
LOAD_PROFILE_ITEM = "<load profile file>"
CUSTOM_PROFILE_ITEM = "<profile file>"


class ProfilePrompts(Protocol):
    def ask_profile_path(self) -> str: ...
    def show_error(self, title: str, text: str, details: str = "") -> None: ...


class ProfileChoice(QObject):
    """Chooses the profile of one document's org and shows which one it has."""

    def __init__(
        self,
        document: Document,
        registry: ActionRegistry,
        prompts: ProfilePrompts,
        show_status: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.prompts = prompts
        self.show_status = show_status
        self.registry = registry
        self.combo = QComboBox(parent)
        self.combo.setObjectName("profile_combo")
        self.combo.setToolTip("The way of working the gaps are checked against")
        for name in PROFILES:
            profile = get_profile(name)
            self.combo.addItem(profile.title, name)
            self.combo.setItemData(self.combo.count() - 1, profile.description, Qt.ItemDataRole.ToolTipRole)
        self.combo.addItem("Profile file…", LOAD_PROFILE_ITEM)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.activated.connect(self._on_chosen)
        self.group = QActionGroup(self)
        for name in PROFILES:
            profile = get_profile(name)
            action = registry.add(
                f"gaps.profile.{name}", profile.title, lambda n=name: document.set_profile(n), tip=profile.description
            )
            action.setCheckable(True)
            self.group.addAction(action)
        self.group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        registry.add(
            "gaps.load_profile",
            "Load Profile &File…",
            self.load_file,
            tip="Check the org against a profile file (TOML) of your own; the org keeps its settings",
        )

    def sync(self) -> None:
        """Show the org's profile in the chooser and the menu."""
        org = self.document.org
        combo = self.combo
        combo.blockSignals(True)
        custom = combo.findData(CUSTOM_PROFILE_ITEM)
        if org.profile_settings:  # a profile file: its own entry, just before "Profile file…"
            profile = profile_for(org)
            if custom < 0:
                custom = combo.findData(LOAD_PROFILE_ITEM)
                combo.insertItem(custom, "", CUSTOM_PROFILE_ITEM)
            combo.setItemText(custom, profile.title)
            combo.setItemData(
                custom,
                f"{profile.description} ({profile.file}, extends {profile.extends})",
                Qt.ItemDataRole.ToolTipRole,
            )
            combo.setCurrentIndex(custom)
            checked = self.group.checkedAction()
            if checked is not None:
                checked.setChecked(False)
        else:
            if custom >= 0:
                combo.removeItem(custom)
            combo.setCurrentIndex(combo.findData(org.profile))
            self.registry[f"gaps.profile.{org.profile}"].setChecked(True)
        combo.blockSignals(False)

    def _on_chosen(self) -> None:
        chosen = self.combo.currentData()
        if chosen == LOAD_PROFILE_ITEM:
            self.load_file()
        elif chosen != CUSTOM_PROFILE_ITEM:
            self.document.set_profile(chosen)

    def load_file(self, path: str = "") -> bool:
        """Check the org against a profile file; the org keeps its settings (one undoable step)."""
        path = path or self.prompts.ask_profile_path()
        if path:
            try:
                profile = load_profile(path)
            except ProfileError as exc:
                self.prompts.show_error("The profile file cannot be used.", str(exc))
            else:
                self.document.set_profile(profile.extends, profile.settings())
                self.show_status(f"Checking against {profile.title} ({profile.file})")
                self.sync()
                return True
        self.sync()  # the chooser showed "Profile file…" while asking
        return False
