"""The file workflow: New, New from Template, Open, Open Recent, Import, Save, Save As, Export, Close.

:class:`FileOperations` works on the :class:`~planner.ui.document.Document`
and asks its questions through a :class:`Prompts` object (the window, whose
dialog methods tests replace). A failed open or import keeps the current
document as it is; every save goes through the document, which writes
atomically; the list of recent files lives in the settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMenu, QMessageBox

from planner.analysis import AnalysisResult
from planner.io import LoadError, SaveError, load_org
from planner.model.org import Org
from planner.resources import sample_path
from planner.ui.document import Document, explain_save_error
from planner.ui.file_lock import Holder
from planner.ui.opening import Opening

MAX_RECENT = 8
UNTITLED = "Untitled org"


class Prompts(Protocol):
    """The questions file operations ask, and where they report."""

    def ask_to_save(self) -> QMessageBox.StandardButton: ...
    def ask_open_path(self) -> str: ...
    def ask_save_path(self) -> str: ...
    def ask_overwrite_changed(self) -> bool: ...
    def ask_locked(self, path: str, holder: Holder) -> str: ...
    def ask_export_path(self, title: str, filters: str, suffix: str) -> str: ...
    def ask_import(self) -> Org | None: ...
    def show_error(self, title: str, text: str, details: str = "") -> None: ...
    def show_status(self, text: str) -> None: ...
    def offer_to_open(self, path: str, what: str) -> None: ...
    def busy(self, text: str) -> AbstractContextManager[None]: ...


def safe_file_stem(name: str) -> str:
    """An org's name, minus what file systems refuse: the file name a dialog suggests."""
    return re.sub(r'[\\/:*?"<>|]+', "-", name).strip(" .-") or "org"


class FileOperations(QObject):
    """Opens, saves and exports the document; keeps the recent files."""

    def __init__(
        self,
        document: Document,
        settings: QSettings,
        prompts: Prompts,
        opening: Opening,
        analysed: Callable[[], AnalysisResult | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.settings = settings
        self.prompts = prompts
        self.opening = opening
        self._analysed = analysed

    # -- replacing the document ---------------------------------------------------------------

    def maybe_save(self) -> bool:
        """True when the current document may be replaced: it is saved, or the user said so."""
        if not self.document.is_modified():
            return True
        answer = self.prompts.ask_to_save()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_blank(self, name: str = UNTITLED) -> bool:
        if not self.maybe_save():
            return False
        self.document.replace(Org(name.strip() or UNTITLED), None)
        return True

    def new_from_template(self, name: str) -> bool:
        try:
            org = load_org(sample_path(name))
        except LoadError as exc:
            self.prompts.show_error("The template could not be opened.", exc.summary(), exc.details())
            return False
        if not self.maybe_save():
            return False
        self.document.replace(org, None)
        return True

    def import_people(self) -> bool:
        """Replace the document with an org drafted from an HR export (a new, untitled document)."""
        org = self.prompts.ask_import()
        if org is None or not self.maybe_save():
            return False
        with self.prompts.busy(f"Drawing {len(org):,} cards…"):
            self.opening.draw(org, "the HR export", lambda: self.document.replace(org, None))
        self.prompts.show_status(f"Drafted {len(org)} cards from the HR export: check the gaps, then save")
        return True

    def open_dialog(self) -> bool:
        path = self.prompts.ask_open_path()
        return self.open_path(path) if path else False

    def open_path(self, path: str | Path) -> bool:
        """Open a file; on failure show why and keep the current document as it is."""
        with self.opening.quiet_chart():
            return self._open(str(path), Path(path).name)

    def _open(self, path: str, name: str) -> bool:
        try:
            with self.prompts.busy(f"Opening {name}…"):
                org = self.opening.read(path, name)
        except LoadError as exc:
            self.prompts.show_error(f"“{name}” could not be opened.", exc.summary(), exc.details())
            return False
        if org is None:
            self.prompts.show_status(f"Opening {name} cancelled")
            return False
        lock, holder = self.document.claim(path)
        answer = self.prompts.ask_locked(path, holder) if holder is not None else "open"
        if answer == "cancel" or not self.maybe_save():
            lock.release()
            return False
        with self.prompts.busy(f"Drawing {len(org):,} cards…"):
            read_only = answer == "read-only"
            self.opening.draw(org, f"“{name}”", lambda: self.document.replace(org, path, lock, read_only=read_only))
        self.add_recent(path)
        self.prompts.show_status(f"Opened {path}")
        return True

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> bool:
        if not self.document.path:
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        path = self.prompts.ask_save_path()
        return self.save_to(path) if path else False

    def save_to(self, path: str) -> bool:
        """Save As without the file dialog: write to ``path`` and go on with that file."""
        if path == self.document.path and self.document.changed_on_disk() and not self.prompts.ask_overwrite_changed():
            self.prompts.show_status("Not saved: the file on disk was left as it is")
            return False
        try:
            self.document.save(path)
        except (SaveError, OSError) as exc:
            self.prompts.show_error(f"“{Path(path).name}” could not be saved.", explain_save_error(exc, path), str(exc))
            return False
        self.add_recent(path)
        self.prompts.show_status(f"Saved {path}")
        return True

    def suggested_stem(self) -> str:
        return safe_file_stem(self.document.org.name)

    def export_folder(self) -> Path:
        return Path(self.document.path).parent if self.document.path else Path.home()

    # -- exports --------------------------------------------------------------------------------

    def export_chart(self) -> bool:
        """Write the chart, cards ringed by their worst finding, as PNG, SVG or PDF."""
        from planner.render import RenderError
        from planner.render.chart import export_chart

        path = self.prompts.ask_export_path(
            "Export Chart", "PNG image (*.png);;SVG drawing (*.svg);;PDF (*.pdf)", ".png"
        )
        if not path:
            return False
        notes: list[str] = []  # a PNG's size, and why its dpi was lowered if it was
        try:
            with self.prompts.busy(f"Drawing the chart into {Path(path).name}…"):
                export_chart(self.document.org, path, highlight=self._analysed(), notes=notes)
        except (RenderError, OSError) as exc:
            self.prompts.show_error(f"“{Path(path).name}” could not be written.", str(exc))
            return False
        self.prompts.show_status(f"Chart exported to {path}" + "".join(f" ({note})" for note in notes))
        return True

    def export_report(self) -> bool:
        """Write the gap report of the current profile in the format the file name says."""
        from planner.report import ReportError, write_report

        filters = "PDF (*.pdf);;HTML (*.html);;Markdown (*.md);;CSV (*.csv);;JSON (*.json);;Excel (*.xlsx)"
        path = self.prompts.ask_export_path("Export Gap Report", filters, ".pdf")
        if not path:
            return False
        try:
            # Never over the open org's file or any other org file (ReportError says so), always atomically.
            with self.prompts.busy(f"Writing the gap report to {Path(path).name}…"):
                write_report(self.document.org, path, source=self.document.path or "")
        except ReportError as exc:
            self.prompts.show_error(f"“{Path(path).name}” could not be written.", str(exc))
            return False
        self.prompts.show_status(f"Gap report written to {path}")
        self.prompts.offer_to_open(path, "Gap report")
        return True

    # -- recent files ---------------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def add_recent(self, path: str) -> None:
        path = str(Path(path).resolve())
        files = [path] + [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent_files", files[:MAX_RECENT])

    def clear_recent(self) -> None:
        self.settings.setValue("recent_files", [])

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        files = self.recent_files()
        for number, path in enumerate(files, start=1):
            action = menu.addAction(f"&{number} {Path(path).name}", lambda p=path: self.open_path(p))
            action.setStatusTip(path)
            action.setToolTip(path)
            action.setEnabled(Path(path).exists())
        if files:
            menu.addSeparator()
            menu.addAction("&Clear Menu", self.clear_recent)
        else:
            menu.addAction("No recent files").setEnabled(False)
