"""The questions the editor asks: message boxes and file dialogs, as plain functions of a parent widget.

The window exposes each as a method (``ask_to_save``, ``show_error``…) that
calls the function here, so tests replace the method and answer without a
dialog; the units that need an answer (file operations, recovery) call the
window's method, never these functions directly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from planner import __version__
from planner.ui.recovery import Recovered

APP_NAME = "Team Structure Planner"
FILE_FILTERS = (
    "Org files (*.json *.graphml *.drawio);;Planner files (*.json);;GraphML (*.graphml);;draw.io (*.drawio);;"
    "All files (*)"
)


def plain_message_box(parent: QWidget) -> QMessageBox:
    """A message box that shows its texts as typed.

    They quote file names, org names and the content of files, which are not markup: Qt would otherwise
    render a line holding a tag as rich text, and a link in it would open the browser when clicked.
    """
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def ask_to_save(parent: QWidget, name: str) -> QMessageBox.StandardButton:
    """Ask whether to save unsaved changes to ``name``: Save, Discard or Cancel."""
    box = plain_message_box(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_NAME)
    box.setText(f"Save the changes to “{name}”?")
    box.setInformativeText("Your changes will be lost if you don't save them.")
    box.setStandardButtons(
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    return QMessageBox.StandardButton(box.exec())


def ask_open_path(parent: QWidget, start: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Open Org", start, FILE_FILTERS)
    return path


def ask_save_path(parent: QWidget, start: str) -> str:
    path, chosen = QFileDialog.getSaveFileName(parent, "Save Org As", start, FILE_FILTERS)
    if path and not Path(path).suffix:
        path += ".graphml" if "GraphML" in chosen else ".drawio" if "draw.io" in chosen else ".json"
    return path


def ask_export_path(parent: QWidget, title: str, start: Path, filters: str, suffix: str) -> str:
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(start), filters)
    if path and not Path(path).suffix:
        # The format comes from the filter chosen in the dialog: "HTML (*.html)" → ".html".
        path += chosen[chosen.find("*") + 1 : chosen.rfind(")")] if "*" in chosen else suffix
    return path


def show_error(parent: QWidget, title: str, text: str, details: str = "") -> None:
    box = plain_message_box(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(APP_NAME)
    box.setText(title)
    box.setInformativeText(text)
    if details and details != text:
        box.setDetailedText(details)
    box.exec()


def ask_overwrite_changed(parent: QWidget, name: str) -> bool:
    """Ask whether to save over a file another program changed since it was opened here."""
    box = plain_message_box(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_NAME)
    box.setText(f"“{name}” was changed by someone else since you opened it.")
    box.setInformativeText("Saving replaces their changes with yours. To keep both, cancel and use File › Save As.")
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Save


def ask_restore(parent: QWidget, recovered: Recovered) -> str:
    """Offer changes a crashed session left: "restore", "discard" or "later" (ask again next start)."""
    box = plain_message_box(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(APP_NAME)
    box.setText(recovered.describe())
    where = f"“{Path(recovered.original_path).name}”" if recovered.original_path else "a file never saved"
    box.setInformativeText(
        f"The editor closed without saving these changes to {where}. Restore them to go on "
        "where you left off, or discard them."
    )
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Ask Again Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return {restore: "restore", discard: "discard"}.get(box.clickedButton(), "later")


def ask_org_name(parent: QWidget, default: str) -> str | None:
    """Ask a new org's name (it titles the window, the chart and the reports); None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("New Org")
    dialog.setLabelText("Name of the new org (a company, a business unit, a plan):")
    dialog.setTextValue(default)
    dialog.setMinimumWidth(440)
    try:
        return dialog.textValue() if dialog.exec() == QInputDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        f"About {APP_NAME}",
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>Draw a product org — product managers, product owners, teams, products and stakeholders — "
        "and see its ownership gaps as you edit.</p>",
    )


def ask_profile_path(parent: QWidget, start: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Load Profile File", start, "Profile files (*.toml);;All files (*)")
    return path
