"""The main window: the chart in the middle, the palette, inspector and gaps docks, menus and status bar.

The window composes the parts and answers for the user's questions; it does
no work of its own. Its commands live in one
:class:`~planner.ui.actions.ActionRegistry` (declared in
:mod:`planner.ui.window_actions`), from which the menus, the toolbar and Help
read. The file workflow is :class:`~planner.ui.file_ops.FileOperations`,
edits on the chart :class:`~planner.ui.editing.ChartEditing`, find, filter and
fold :class:`~planner.ui.view_state.ViewState`, arranging
:class:`~planner.ui.arranging.Arranger`; each gets only what it needs. Edits go
to the :class:`~planner.ui.document.Document`, whose commands change the model,
which the scene, the inspector and the live analysis follow. Dialogs that need
an answer (:meth:`MainWindow.ask_to_save`, :meth:`MainWindow.show_error`…) are
methods, so tests can answer them.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMenu, QWidget

from planner.analysis import AnalysisResult
from planner.chart.theme import current_theme
from planner.model.org import Org
from planner.ui import dialogs
from planner.ui.actions import ActionRegistry
from planner.ui.arranging import Arranger
from planner.ui.canvas.scene import EditorScene
from planner.ui.canvas.view import ChartView, openable_files
from planner.ui.compare import Comparison
from planner.ui.context_menu import build_context_menu
from planner.ui.docks import add_dock
from planner.ui.docks.duties import install_duties_dock
from planner.ui.docks.gaps import GapsWidget
from planner.ui.docks.inspector import InspectorWidget
from planner.ui.docks.palette import PaletteWidget
from planner.ui.docks.plan import install_plan_dock
from planner.ui.document import Document, EditRefused
from planner.ui.editing import ChartEditing
from planner.ui.file_lock import ask_about_lock, ask_delete_cards
from planner.ui.file_ops import UNTITLED, FileOperations
from planner.ui.help import HelpDialog
from planner.ui.live_analysis import LiveAnalysis
from planner.ui.notice import WrittenNotice, busy_status
from planner.ui.opening import Opening
from planner.ui.profile_choice import ProfileChoice
from planner.ui.recovery import Autosaver, Recovered, RecoveryStore, autosave_seconds, offer_recovered, recovery_folder
from planner.ui.view_state import ViewState
from planner.ui.window_actions import MENU_ORDER, build_menus, build_toolbar, declare_actions, undo_tip
from planner.wording import plural

STATUS_TIMEOUT_MS = 6000


class MainWindow(QMainWindow):
    """The editor window for one document at a time."""

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else QSettings()
        self.document = Document(parent=self)
        self.autosave = Autosaver(
            self.document, RecoveryStore(recovery_folder()), autosave_seconds(self.settings), self
        )
        self.scene = EditorScene(self)
        self.view = ChartView(self.scene, self)
        self.view.setObjectName("chart")
        self.view.setAccessibleName("Org chart")
        self.setCentralWidget(self.view)
        self.analysis = LiveAnalysis(self)
        self._followed_org: Org | None = None
        self._help: HelpDialog | None = None
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)

        self._build_docks()
        self.registry = ActionRegistry(self)
        self.opening = Opening(self.scene, self.view, self)
        self.files = FileOperations(self.document, self.settings, self, self.opening, self.current_result, self)
        self.editing = ChartEditing(
            self.document, self.scene, self.view, self.inspector.focus_name, self.show_status, self
        )
        # Clicking a finding selects its cards: Delete pressed in the Gaps panel asks before removing them.
        self.editing.confirm_delete = lambda n: (
            not self.gaps.isAncestorOf(self.focusWidget()) or ask_delete_cards(self, n)
        )
        self.arranger = Arranger(self.document, self.scene, self.view.fit_all, self.show_status, self.statusBar(), self)
        self.profiles = ProfileChoice(self.document, self.registry, self, self.show_status, self)
        self.view_state = ViewState(
            self.document, self.scene, self.view, self.registry, self.focus_nodes, self.show_status, self
        )
        declare_actions(self)
        build_menus(self)
        self.toolbar = build_toolbar(self)
        self._build_status_bar()
        self._connect()
        self._on_org_replaced(self.document.org)
        self._restore_settings()
        self._update_title()

    # -- construction -------------------------------------------------------------------

    def _build_docks(self) -> None:
        self.palette = PaletteWidget(self)
        self.palette.setAccessibleName("Roles to add")
        self.palette_dock = add_dock(self, "Add", "palette_dock", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.inspector = InspectorWidget(self.document, self)
        self.inspector_dock = add_dock(
            self, "Inspector", "inspector_dock", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.gaps = GapsWidget(self)
        self.gaps.setAccessibleName("Gaps found")
        self.gaps_dock = add_dock(self, "Gaps", "gaps_dock", self.gaps, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.plan_panel = install_plan_dock(self)
        self.duties_panel = install_duties_dock(self)
        self.comparison = Comparison(self)
        self.comparison.place_dock()
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._docks_sized = False

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("counts")
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.zoom_label = QLabel("100 %", self)
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.written_notice = WrittenNotice(self)
        status.addPermanentWidget(self.written_notice)
        status.addPermanentWidget(self.counts_label)
        status.addPermanentWidget(self.zoom_label)

    def _connect(self) -> None:
        doc = self.document
        doc.org_replaced.connect(self._on_org_replaced)
        # Bound methods, not lambdas: Qt drops them when the window dies, even if the
        # undo stack (a grandchild) still signals while it is being destroyed.
        doc.path_changed.connect(self._update_title)
        doc.undo_stack.cleanChanged.connect(self._update_title)
        doc.undo_stack.indexChanged.connect(self._update_actions)
        self.analysis.updated.connect(self._on_analysis)
        self.autosave.failed.connect(self.show_status)
        self.scene.nodes_moved.connect(doc.move_nodes)
        self.scene.link_requested.connect(self.editing.request_link)
        self.scene.selectionChanged.connect(self._on_selection_changed)
        self.scene.node_activated.connect(self.edit_card)
        self.scene.context_menu_requested.connect(self._show_context_menu)
        self.view.kind_dropped.connect(self.editing.add_node_at)
        self.view.files_dropped.connect(self._on_files_dropped)
        self.view.zoom_changed.connect(self._on_zoom_changed)
        self.palette.kind_chosen.connect(self.editing.add_node_in_view)
        self.inspector.message.connect(self.show_status)
        self.inspector.link_selection_requested.connect(self._select_link)
        self.gaps.nodes_requested.connect(self.focus_nodes)
        self.gaps.explanation_requested.connect(self.show_rule)
        self.gaps.accept_requested.connect(self.accept_finding)
        QGuiApplication.clipboard().dataChanged.connect(self._update_actions)

    # -- following the document ------------------------------------------------------------

    def _on_org_replaced(self, org: Org) -> None:
        if self._followed_org is not None:
            self._followed_org.meta_changed.disconnect(self._on_meta_changed)
        self._followed_org = org
        org.meta_changed.connect(self._on_meta_changed)
        self.scene.set_org(org)
        self.analysis.set_org(org)
        self.profiles.sync()
        self._update_title()
        self._update_actions()
        self.editing.paste_count = 0
        QTimer.singleShot(0, self.view.fit_all)

    def _on_meta_changed(self, field: str, old, new) -> None:
        if field in ("profile", "profile_settings"):
            self.profiles.sync()
        self._update_title()

    def on_undo_text(self, text: str) -> None:
        # The menu says what will be undone; the toolbar button keeps its short label (its icon text).
        action = self.registry["edit.undo"]
        action.setText(f"&Undo {text}" if text else "&Undo")
        action.setToolTip(undo_tip("Undo", text))

    def on_redo_text(self, text: str) -> None:
        action = self.registry["edit.redo"]
        action.setText(f"&Redo {text}" if text else "&Redo")
        action.setToolTip(undo_tip("Redo", text))

    def _on_files_dropped(self, files: list) -> None:
        self.open_path(files[0])

    def _on_zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(f"{zoom * 100:.0f} %")

    def _select_link(self, key) -> None:
        self.scene.select(link_keys=[key])

    def ask_profile_path(self) -> str:
        return dialogs.ask_profile_path(self, str(Path(self.document.path).parent) if self.document.path else "")

    def load_profile_file(self, path: str = "") -> bool:
        return self.profiles.load_file(path)

    def _update_title(self, *_ignored) -> None:
        doc = self.document
        self.setWindowTitle(f"{doc.org.name} — {doc.display_name()}[*]")
        self.setWindowModified(doc.is_modified())

    def _on_analysis(self, result: AnalysisResult | None) -> None:
        changes = self.analysis.changes_to(result)
        self.gaps.set_result(self.document.org, result, changes)
        by_node, badges = (result.by_node(), result.badges()) if result is not None else ({}, {})
        self.scene.set_findings(by_node, badges, changes)
        self._show_counts(result)

    def current_result(self) -> AnalysisResult | None:
        """The analysis of the org as it is now (run at once if an edit is pending)."""
        self.analysis.run_now()
        return self.analysis.result

    def _show_counts(self, result: AnalysisResult | None) -> None:
        if result is None:
            self.counts_label.setText("")
            return
        theme = current_theme()
        parts = []
        for severity, count in result.counts.items():
            color = theme.severity_color(severity).name()
            parts.append(f"<span style='color:{color}'>●</span>&nbsp;{plural(count, severity, '&nbsp;')}")
        self.counts_label.setText("&nbsp;&nbsp;&nbsp;".join(parts) + "&nbsp;&nbsp;")

    def _on_selection_changed(self) -> None:
        self.inspector.show_selection(self.scene.selected_node_ids(), self.scene.selected_link_keys())
        self._update_actions()

    def _update_actions(self, *_ignored) -> None:
        self.registry.update_enabled()

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    def busy(self, text: str) -> AbstractContextManager[None]:
        """A wait cursor, and ``text`` in the status bar at once, for work that holds the window."""
        return busy_status(self.statusBar(), text)

    # -- commands the window answers for ------------------------------------------------

    def set_snapping(self, on: bool) -> None:
        self.scene.snap_enabled = on

    def focus_nodes(self, node_ids) -> None:
        """Select these cards and bring them into view (from the gaps panel, Find, the comparison)."""
        present = [n for n in node_ids if self.scene.has_card(n)]
        if not present:
            return
        self.scene.select(present)
        self.view.show_rect(self.scene.nodes_rect(present))

    def accept_finding(self, node_id: str, code: str) -> None:
        try:
            self.document.accept_finding(node_id, code)
        except EditRefused as exc:
            self.show_status(str(exc))
            return
        self.show_status(
            f"{code} accepted for {self.document.org.node(node_id).label}; it is listed in the card's “Accepted” field"
        )

    def rename_selected(self) -> None:
        node_ids = self.scene.selected_node_ids()
        if len(node_ids) == 1:
            self.edit_card(node_ids[0])

    def edit_card(self, node_id: str) -> None:
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        # After the click has been handled, or the view takes the focus back.
        QTimer.singleShot(0, self.inspector.focus_name)

    def next_gap(self) -> None:
        if not self.gaps.model.finding_count():
            self.show_status("No gaps to show")
            return
        self.gaps_dock.raise_()
        self.gaps.select_next()

    def print_chart(self) -> int:
        from planner.ui.printing import print_dialog

        pages = print_dialog(self, self.document.org, self.current_result())
        if pages:
            self.show_status(f"Chart sent to the printer ({pages:,} page{'s' if pages != 1 else ''})")
        return pages

    def keyPressEvent(self, event) -> None:
        connect = self.registry["edit.connect"]
        if event.key() == Qt.Key.Key_Escape and connect.isChecked():
            connect.setChecked(False)
            event.accept()
            return
        super().keyPressEvent(event)

    def _show_context_menu(self, screen_pos, scene_pos: QPointF) -> None:
        menu = self.build_context_menu(scene_pos)
        menu.exec(screen_pos)
        menu.deleteLater()

    def build_context_menu(self, scene_pos: QPointF) -> QMenu:
        """The right-click menu for what is selected (or for empty canvas at ``scene_pos``)."""
        return build_context_menu(
            self,
            self.document,
            self.registry,
            self.editing,
            self.view_state,
            self.scene.selected_node_ids(),
            self.scene.selected_link_keys(),
            scene_pos,
            self.edit_card,
        )

    # -- files: the workflow is FileOperations'; these are the window's questions ----------------

    def open_path(self, path: str | Path) -> bool:
        return self.files.open_path(path)

    def save(self) -> bool:
        return self.files.save()

    def save_to(self, path: str) -> bool:
        return self.files.save_to(path)

    def maybe_save(self) -> bool:
        return self.files.maybe_save()

    def new_blank(self, name: str = UNTITLED) -> bool:
        return self.files.new_blank(name)

    def new_org(self) -> bool:
        """File › New: ask for the new org's name (it titles the window and the reports), then start it."""
        if not self.files.maybe_save():
            return False
        name = self.ask_org_name()
        return name is not None and self.files.new_blank(name)

    def close_document(self) -> bool:
        return self.files.new_blank()

    def ask_org_name(self) -> str | None:
        return dialogs.ask_org_name(self, UNTITLED)

    def ask_to_save(self):
        return dialogs.ask_to_save(self, self.document.display_name())

    def ask_open_path(self) -> str:
        return dialogs.ask_open_path(self, str(Path(self.document.path).parent) if self.document.path else "")

    def ask_save_path(self) -> str:
        return dialogs.ask_save_path(self, self.document.path or f"{self.files.suggested_stem()}.json")

    def ask_export_path(self, title: str, filters: str, suffix: str) -> str:
        start = self.files.export_folder() / f"{self.files.suggested_stem()}{suffix}"
        return dialogs.ask_export_path(self, title, start, filters, suffix)

    def ask_overwrite_changed(self) -> bool:
        return dialogs.ask_overwrite_changed(self, self.document.display_name())

    def ask_restore(self, recovered: Recovered) -> str:
        return dialogs.ask_restore(self, recovered)

    def ask_locked(self, path: str, holder) -> str:  # another editor has it: "read-only", "open" or "cancel"
        return ask_about_lock(self, path, holder)

    def show_error(self, title: str, text: str, details: str = "") -> None:
        dialogs.show_error(self, title, text, details)

    def ask_import(self) -> Org | None:
        """Run the import dialog; the drafted org, or None when the user cancelled."""
        from planner.ui.import_dialog import ImportDialog

        dialog = ImportDialog(parent=self)
        try:
            return dialog.imported_org() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def offer_to_open(self, path: str, what: str) -> None:
        """Offer to open a file just written, without a question in the way: a notice with an Open button."""
        self.written_notice.announce(path, what)

    def offer_recovery(self) -> bool:
        """Offer what crashed sessions left in the recovery folder; True when one was restored."""
        return offer_recovered(self, self.autosave.store.orphans())

    # -- help -------------------------------------------------------------------------------

    def show_help(self, topic: str = "roles") -> HelpDialog:
        if self._help is None:
            self._help = HelpDialog(lambda: self.registry.shortcut_rows(MENU_ORDER), self)
        if topic.startswith("rule:"):
            self._help.show_rule(topic[5:])
        else:
            self._help.show_topic(topic)
        self._help.show()
        self._help.raise_()
        return self._help

    def show_rule(self, code: str) -> HelpDialog:
        return self.show_help(f"rule:{code}")

    def show_about(self) -> None:
        dialogs.show_about(self)

    # -- window events ------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if openable_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = openable_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.open_path(files[0])

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._docks_sized and self.settings.value("window/state") is None:
            self.size_docks()
        self._docks_sized = True

    def size_docks(self) -> None:
        """Give the docks a share of the window that leaves the chart most of it, at any window size."""
        width, height = self.width(), self.height()
        palette = max(170, min(190, int(width * 0.13)))
        inspector = max(250, min(320, int(width * 0.21)))
        self.resizeDocks([self.palette_dock, self.inspector_dock], [palette, inspector], Qt.Orientation.Horizontal)
        self.resizeDocks([self.gaps_dock], [max(140, min(220, int(height * 0.22)))], Qt.Orientation.Vertical)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_theme()
        super().changeEvent(event)

    def apply_theme(self) -> None:
        self.registry.refresh_icons()
        theme = current_theme()
        self.scene.set_theme(theme)
        self.view.set_theme(theme)
        self.palette.set_theme(theme)
        self.gaps.set_theme(theme)
        self._show_counts(self.analysis.result)

    def closeEvent(self, event) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.autosave.finish()
        self.opening.finish()
        self.document.release_lock()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.detach()
        event.accept()

    def detach(self) -> None:
        """Stop following the model (before the window goes away)."""
        if self._followed_org is not None:
            self._followed_org.meta_changed.disconnect(self._on_meta_changed)
            self._followed_org = None
        self.view_state.detach()
        self.scene.clear_org()
        self.analysis.set_org(None)
        self.inspector.detach()
        self.duties_panel.detach()

    def _restore_settings(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            screen = QGuiApplication.primaryScreen()
            available = screen.availableGeometry() if screen is not None else None
            if available is not None:
                self.resize(min(1440, int(available.width() * 0.85)), min(900, int(available.height() * 0.85)))
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
