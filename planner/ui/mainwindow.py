"""The main window: the chart in the middle, the palette, inspector and gaps docks, menus and files.

The window wires the parts together and owns the file workflow (New, Open,
Open Recent, Save, Save As, Close, the unsaved-changes prompt, drops from the
desktop); it never edits the model itself. Canvas requests (a drag ended, a
link drawn, a kind dropped) and panel requests go to the
:class:`~planner.ui.document.Document`, whose commands change the model, which
the scene, the inspector and the live analysis then follow. Dialogs that need
an answer from the user (:meth:`MainWindow.ask_to_save`,
:meth:`MainWindow.ask_open_path`, :meth:`MainWindow.ask_save_path`,
:meth:`MainWindow.show_error`) are methods, so tests can answer them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QSettings, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from planner import __version__
from planner.analysis import AnalysisResult, get_profile
from planner.io import LoadError, SaveError, load_org
from planner.model.org import LinkKey, Org
from planner.model.vocabulary import (
    DEV_TEAM,
    LINK_KINDS,
    NODE_DESCRIPTIONS,
    NODE_KINDS,
    NODE_LABELS,
    PERSON_KINDS,
    PROFILES,
)
from planner.resources import SAMPLES, sample_path
from planner.ui.canvas.scene import ChartScene
from planner.ui.canvas.view import ChartView, openable_files
from planner.ui.clipboard import put_cards
from planner.ui.compare import Comparison
from planner.ui.docks.gaps import PLURALS, GapsWidget
from planner.ui.docks.inspector import InspectorWidget
from planner.ui.docks.palette import PaletteWidget
from planner.ui.document import CLIPBOARD_MIME, Document, EditRefused, explain_save_error
from planner.ui.help import HelpDialog
from planner.ui.icons import action_icon
from planner.ui.large_orgs import LargeOrgTools
from planner.ui.live_analysis import LiveAnalysis
from planner.ui.plaintext import tooltip
from planner.ui.recovery import Autosaver, Recovered, RecoveryStore, autosave_seconds, offer_recovered, recovery_folder
from planner.ui.theme import current_theme, kind_icon

APP_NAME = "Team Structure Planner"
FILE_FILTERS = "Org files (*.json *.graphml);;Planner files (*.json);;GraphML (*.graphml);;All files (*)"
MAX_RECENT = 8
TEMPLATE_TITLES = {"startup": "Startup", "scaleup": "Scale-up", "enterprise": "Enterprise"}
STATUS_TIMEOUT_MS = 6000


def plain_message_box(parent: QWidget) -> QMessageBox:
    """A message box that shows its texts as typed.

    They quote file names, org names and the content of files, which are not markup: Qt would otherwise
    render a line holding a tag as rich text, and a link in it would open the browser when clicked.
    """
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


class MainWindow(QMainWindow):
    """The editor window for one document at a time."""

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else QSettings()
        self.document = Document(parent=self)
        self.autosave = Autosaver(self.document, RecoveryStore(recovery_folder()), autosave_seconds(self.settings),
                                  self)
        self.scene = ChartScene(self)
        self.view = ChartView(self.scene, self)
        self.view.setObjectName("chart")
        self.view.setAccessibleName("Org chart")
        self.setCentralWidget(self.view)
        self.analysis = LiveAnalysis(self)
        self._followed_org: Org | None = None
        self._help: HelpDialog | None = None
        self._paste_count = 0
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)

        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._set_action_icons()
        self._build_status_bar()
        self._connect()
        self._on_org_replaced(self.document.org)
        self._restore_settings()
        self._update_title()
        self.large_orgs = LargeOrgTools(self)

    # -- construction -------------------------------------------------------------------

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.palette = PaletteWidget(self)
        self.palette.setAccessibleName("Roles to add")
        self.palette_dock = self._dock("Add", "palette_dock", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.inspector = InspectorWidget(self.document, self)
        self.inspector_dock = self._dock("Inspector", "inspector_dock", self.inspector,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.gaps = GapsWidget(self)
        self.gaps.setAccessibleName("Gaps found")
        self.gaps_dock = self._dock("Gaps", "gaps_dock", self.gaps, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.comparison = Comparison(self)
        self.comparison.place_dock()
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._docks_sized = False

    def _action(self, text: str, slot=None, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, QKeySequence.StandardKey):
                action.setShortcuts(shortcut)
            elif isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        if slot is not None:
            (action.toggled if checkable else action.triggered).connect(slot)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_action = self._action("&New", self.new_blank, key.New, "Start a blank org")
        self.template_actions = {}
        for name in SAMPLES:
            title = TEMPLATE_TITLES[name]
            action = self._action(title, lambda _=False, n=name: self.new_from_template(n),
                                  tip=f"Start from the {title.lower()} sample org")
            action.setEnabled(sample_path(name).is_file())
            self.template_actions[name] = action
        self.open_action = self._action("&Open…", self.open_dialog, key.Open, "Open an org file")
        self.import_action = self._action("&Import People…", self.import_people,
                                          tip="Draft an org from an HR export (CSV or Excel, one row per person)")
        self.save_action = self._action("&Save", self.save, key.Save, "Save the org")
        self.save_as_action = self._action("Save &As…", self.save_as, key.SaveAs, "Save the org under a new name")
        self.export_chart_action = self._action("Export &Chart…", self.export_chart,
                                                tip="Save the chart as a picture or PDF (PNG, SVG, PDF)")
        self.export_report_action = self._action("Export Gap &Report…", self.export_report,
                                                 tip="Write the gap report (PDF, HTML, Markdown, CSV or JSON)")
        self.close_action = self._action("&Close", self.close_document, key.Close, "Close this org")
        self.quit_action = self._action("&Quit", self.close, key.Quit, "Quit the planner")
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(key.Undo)
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(key.Redo)
        # The toolbar keeps short, steady labels; what will be undone shows in the tooltip and the Edit menu.
        self.toolbar_undo = QAction("Undo", self)
        self.toolbar_undo.triggered.connect(stack.undo)
        self.toolbar_redo = QAction("Redo", self)
        self.toolbar_redo.triggered.connect(stack.redo)
        stack.canUndoChanged.connect(self.toolbar_undo.setEnabled)
        stack.canRedoChanged.connect(self.toolbar_redo.setEnabled)
        stack.undoTextChanged.connect(self._on_undo_text)
        stack.redoTextChanged.connect(self._on_redo_text)
        self.toolbar_undo.setEnabled(False)
        self.toolbar_redo.setEnabled(False)
        self.cut_action = self._action("Cu&t", self.cut, key.Cut, "Cut the selected cards")
        self.copy_action = self._action("&Copy", self.copy, key.Copy, "Copy the selected cards")
        self.paste_action = self._action("&Paste", self.paste, key.Paste, "Paste cards")
        self.duplicate_action = self._action("D&uplicate", self.duplicate, "Ctrl+D", "Duplicate the selected cards")
        delete_keys = QKeySequence.keyBindings(key.Delete)
        if QKeySequence("Backspace") not in delete_keys:
            delete_keys.append(QKeySequence("Backspace"))
        self.delete_action = self._action("&Delete", self.delete_selection, delete_keys,
                                          "Delete the selected cards and links")
        self.select_all_action = self._action("Select &All", self.select_all, key.SelectAll, "Select every card")
        self.connect_action = self._action("&Connect Mode", self.set_connect_mode, "C",
                                           "Drag from one card to another to link them", checkable=True)
        self.arrange_action = self._action("&Arrange Automatically", self.arrange, "Ctrl+Shift+L",
                                           "Lay the chart out by role, top-down (the selection only, if any)")

        # Ctrl+= too: on most keyboards "+" needs Shift, and users press Ctrl and the "=/+" key.
        self.zoom_in_action = self._action("Zoom &In", self.view.zoom_in,
                                           QKeySequence.keyBindings(key.ZoomIn) + [QKeySequence("Ctrl+=")])
        self.zoom_out_action = self._action("Zoom &Out", self.view.zoom_out, key.ZoomOut)
        self.zoom_reset_action = self._action("&Actual Size", self.view.reset_zoom, "Ctrl+0")
        self.fit_action = self._action("&Fit to Window", self.view.fit_all, "Ctrl+9", "Show the whole chart")
        self.snap_action = self._action("&Snap to Grid", self.set_snapping, tip="Cards snap to the grid when dragged",
                                        checkable=True)
        self.snap_action.setChecked(True)
        self.legend_action = self._action("Show &Legend", self.view.legend.setVisible, checkable=True,
                                          tip="Show what the colours and lines mean")
        self.legend_action.setChecked(True)
        self.next_gap_action = self._action("&Next Gap", self.next_gap, "F8", "Select the next finding")
        self.find_action = self._action("&Find…", self.focus_find, key.Find, "Find cards by name or title")
        self.rename_action = self._action("&Rename Card", self.rename_selected, "F2", "Type a new name for the card")

        self.profile_group = QActionGroup(self)
        self.profile_actions = {}
        for name in PROFILES:
            profile = get_profile(name)
            action = self._action(profile.title, lambda _=False, n=name: self.document.set_profile(n),
                                  tip=profile.description)
            action.setCheckable(True)
            self.profile_group.addAction(action)
            self.profile_actions[name] = action

        self.help_action = self._action("&Roles Guide", lambda: self.show_help("roles"), key.HelpContents,
                                        "Who does what, and which role to hire")
        self.editor_help_action = self._action("Using the &Editor", lambda: self.show_help("editor"))
        self.shortcuts_action = self._action("&Keyboard Shortcuts", lambda: self.show_help("shortcuts"))
        self.rules_action = self._action("Rule &Catalog", lambda: self.show_help("rule:OWN001"))
        self.about_action = self._action("&About", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

        self.connect_action.setIconText("Connect")
        self.arrange_action.setIconText("Arrange")
        self.fit_action.setIconText("Fit")
        self.selection_actions = [self.cut_action, self.copy_action, self.duplicate_action]
        self.rename_action.setEnabled(False)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_action)
        templates = file_menu.addMenu("New from &Template")
        for action in self.template_actions.values():
            templates.addAction(action)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addAction(self.comparison.proposal_action)
        file_menu.addSeparator()
        file_menu.addAction(self.comparison.compare_action)
        file_menu.addAction(self.comparison.clear_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_chart_action)
        file_menu.addAction(self.export_report_action)
        file_menu.addSeparator()
        file_menu.addAction(self.close_action)
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu("&Edit")
        for action in (self.undo_action, self.redo_action, None, self.cut_action, self.copy_action,
                       self.paste_action, self.duplicate_action, self.delete_action, None, self.select_all_action,
                       None, self.rename_action, self.find_action, self.connect_action, self.arrange_action):
            if action is None:
                edit_menu.addSeparator()
            else:
                edit_menu.addAction(action)

        view_menu = bar.addMenu("&View")
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action, self.fit_action, None,
                       self.snap_action, self.legend_action):
            if action is None:
                view_menu.addSeparator()
            else:
                view_menu.addAction(action)
        view_menu.addSeparator()
        for dock in (self.palette_dock, self.inspector_dock, self.gaps_dock, self.comparison.dock):
            view_menu.addAction(dock.toggleViewAction())

        gaps_menu = bar.addMenu("&Gaps")
        gaps_menu.addAction(self.next_gap_action)
        profile_menu = gaps_menu.addMenu("&Profile")
        for action in self.profile_actions.values():
            profile_menu.addAction(action)

        help_menu = bar.addMenu("&Help")
        for action in (self.help_action, self.editor_help_action, self.shortcuts_action, self.rules_action, None,
                       self.about_action):
            if action is None:
                help_menu.addSeparator()
            else:
                help_menu.addAction(action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(18, 18))
        for action in (self.new_action, self.open_action, self.save_action, None, self.toolbar_undo,
                       self.toolbar_redo, None, self.connect_action, self.delete_action, None, self.fit_action,
                       self.arrange_action):
            if action is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(action)
        toolbar.addSeparator()
        label = QLabel(" Profile ", toolbar)
        toolbar.addWidget(label)
        self.profile_combo = QComboBox(toolbar)
        self.profile_combo.setObjectName("profile_combo")
        self.profile_combo.setToolTip("The way of working the gaps are checked against")
        for name in PROFILES:
            profile = get_profile(name)
            self.profile_combo.addItem(profile.title, name)
            self.profile_combo.setItemData(self.profile_combo.count() - 1, profile.description,
                                           Qt.ItemDataRole.ToolTipRole)
        self.profile_combo.activated.connect(self._on_profile_chosen)
        toolbar.addWidget(self.profile_combo)
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.find_field = QLineEdit(toolbar)
        self.find_field.setObjectName("find")
        self.find_field.setPlaceholderText("Find a card…")
        self.find_field.setClearButtonEnabled(True)
        self.find_field.setMaximumWidth(240)
        self.find_field.setToolTip("Find cards by name or title; Enter selects them and shows them")
        self.find_field.returnPressed.connect(self.find_cards)
        toolbar.addWidget(self.find_field)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("counts")
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.zoom_label = QLabel("100 %", self)
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        status.addPermanentWidget(self.counts_label)
        status.addPermanentWidget(self.zoom_label)

    def _connect(self) -> None:
        doc = self.document
        doc.org_replaced.connect(self._on_org_replaced)
        # Bound methods, not lambdas: Qt drops them when the window dies, even if the
        # undo stack (a grandchild) still signals while it is being destroyed.
        doc.path_changed.connect(self._update_title)
        doc.undo_stack.cleanChanged.connect(self._update_title)
        self.analysis.updated.connect(self._on_analysis)
        self.autosave.failed.connect(self.show_status)
        self.scene.nodes_moved.connect(doc.move_nodes)
        self.scene.link_requested.connect(self.request_link)
        self.scene.selectionChanged.connect(self._on_selection_changed)
        self.scene.node_activated.connect(self._on_node_activated)
        self.scene.context_menu_requested.connect(self._show_context_menu)
        self.view.kind_dropped.connect(self.add_node_at)
        self.view.files_dropped.connect(self._on_files_dropped)
        self.view.zoom_changed.connect(self._on_zoom_changed)
        self.palette.kind_chosen.connect(self.add_node_in_view)
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
        self._sync_profile()
        self._update_title()
        self._update_actions()
        self._paste_count = 0
        QTimer.singleShot(0, self.view.fit_all)

    def _on_meta_changed(self, field: str, old, new) -> None:
        if field == "profile":
            self._sync_profile()
        self._update_title()

    def _sync_profile(self) -> None:
        profile = self.document.org.profile
        index = self.profile_combo.findData(profile)
        self.profile_combo.blockSignals(True)
        self.profile_combo.setCurrentIndex(index)
        self.profile_combo.blockSignals(False)
        self.profile_actions[profile].setChecked(True)

    def _on_undo_text(self, text: str) -> None:
        self.toolbar_undo.setToolTip(tooltip(f"Undo {text}") if text else "Nothing to undo")

    def _on_redo_text(self, text: str) -> None:
        self.toolbar_redo.setToolTip(tooltip(f"Redo {text}") if text else "Nothing to redo")

    def _on_files_dropped(self, files: list) -> None:
        self.open_path(files[0])

    def _on_zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(f"{zoom * 100:.0f} %")

    def _select_link(self, key) -> None:
        self.scene.select(link_keys=[key])

    def _on_profile_chosen(self) -> None:
        self.document.set_profile(self.profile_combo.currentData())

    def _update_title(self, *_ignored) -> None:
        doc = self.document
        self.setWindowTitle(f"{doc.org.name} — {doc.display_name()}[*]")
        self.setWindowModified(doc.is_modified())

    def _on_analysis(self, result: AnalysisResult | None) -> None:
        self.gaps.set_result(self.document.org, result)
        self.scene.set_findings(result.by_node() if result is not None else {})
        self._show_counts(result)

    def _show_counts(self, result: AnalysisResult | None) -> None:
        if result is None:
            self.counts_label.setText("")
            return
        theme = current_theme()
        parts = []
        for severity, count in result.counts.items():
            word = PLURALS[severity] if count != 1 else severity
            color = theme.severity_color(severity).name()
            parts.append(f"<span style='color:{color}'>●</span>&nbsp;{count}&nbsp;{word}")
        self.counts_label.setText("&nbsp;&nbsp;&nbsp;".join(parts) + "&nbsp;&nbsp;")

    def _on_selection_changed(self) -> None:
        self.inspector.show_selection(self.scene.selected_node_ids(), self.scene.selected_link_keys())
        self._update_actions()

    def _update_actions(self) -> None:
        has_nodes = bool(self.scene.selected_node_ids())
        for action in self.selection_actions:
            action.setEnabled(has_nodes)
        self.delete_action.setEnabled(bool(self.scene.selectedItems()))
        self.rename_action.setEnabled(len(self.scene.selected_node_ids()) == 1)
        mime = QGuiApplication.clipboard().mimeData()
        self.paste_action.setEnabled(mime is not None and mime.hasFormat(CLIPBOARD_MIME))

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    @contextmanager
    def busy(self, text: str) -> Iterator[None]:
        """A wait cursor, and ``text`` in the status bar at once, for work that holds the window.

        Opening a 10,000-card org takes about a second and a 100,000-card one
        several: without this the window would just stop answering.
        """
        self.statusBar().showMessage(text)
        self.statusBar().repaint()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            yield
        finally:
            QGuiApplication.restoreOverrideCursor()
            if self.statusBar().currentMessage() == text:  # done (or failed): it no longer says what happens
                self.statusBar().clearMessage()

    # -- editing ------------------------------------------------------------------------

    def add_node_at(self, kind: str, pos: QPointF) -> str | None:
        """Add a card of ``kind`` at (or near) ``pos`` and select it, ready to be named."""
        if kind not in NODE_KINDS:
            return None
        spot = self.scene.free_spot_near(pos)
        node_id = self.document.add_node(kind, spot.x(), spot.y())
        self.scene.select([node_id])
        self.view.ensureVisible(self.scene.nodes_rect([node_id]), 40, 40)
        self.inspector.focus_name()
        self.show_status(f"Added a {NODE_LABELS[kind].lower()}. {NODE_DESCRIPTIONS[kind]}")
        return node_id

    def add_node_in_view(self, kind: str) -> str | None:
        return self.add_node_at(kind, self.view.mapToScene(self.view.viewport().rect().center()))

    def request_link(self, source: str, target: str, kind: str | None = None) -> bool:
        """Link two cards with the kind their roles suggest; refusals go to the status bar."""
        try:
            link = self.document.add_link(source, target, kind)
        except EditRefused as exc:
            self.show_status(str(exc))
            return False
        org = self.document.org
        self.scene.select(link_keys=[link.key])
        others = len(self.document.allowed_kinds(link.key)) - 1
        hint = " Right-click it to choose another kind." if others > 0 else ""
        self.show_status(f"{org.node(source).label} {LINK_KINDS[link.kind].label} {org.node(target).label}.{hint}")
        return True

    def delete_selection(self) -> None:
        self.document.remove(self.scene.selected_node_ids(), self.scene.selected_link_keys())

    def select_all(self) -> None:
        self.scene.select(list(self.scene.node_items), list(self.scene.link_items))

    def copy(self) -> bool:
        node_ids = self.scene.selected_node_ids()
        if not node_ids:
            return False
        put_cards(CLIPBOARD_MIME, self.document.copy_payload(node_ids),
                  "\n".join(self.document.org.node(n).label for n in node_ids))
        self._paste_count = 0
        return True

    def cut(self) -> None:
        if self.copy():
            count = len(self.scene.selected_node_ids())
            self.document.remove(self.scene.selected_node_ids(), self.scene.selected_link_keys(),
                                 text=f"Cut {count} card{'s' if count != 1 else ''}")

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not mime.hasFormat(CLIPBOARD_MIME):
            self.show_status("The clipboard holds no cards")
            return
        self._paste_count += 1
        self._paste(bytes(mime.data(CLIPBOARD_MIME).data()).decode("utf-8"), self._paste_count)

    def duplicate(self) -> None:
        node_ids = self.scene.selected_node_ids()
        if node_ids:
            self._paste(self.document.copy_payload(node_ids), 1)

    def _paste(self, payload: str, times: int) -> None:
        try:
            new_ids = self.document.paste_payload(payload, offset=40.0 * times)
        except EditRefused as exc:
            self.show_status(str(exc))
            return
        self.scene.select(new_ids)
        self.view.ensureVisible(self.scene.nodes_rect(new_ids), 40, 40)

    def set_connect_mode(self, on: bool) -> None:
        self.scene.connect_mode = on
        self.scene.cancel_connection()
        if on:
            self.view.viewport().setCursor(Qt.CursorShape.CrossCursor)
            self.show_status("Connect mode: drag from one card to another to link them (Esc or C to leave)")
        else:
            self.view.viewport().unsetCursor()

    def set_snapping(self, on: bool) -> None:
        self.scene.snap_enabled = on

    def arrange(self) -> None:
        self.large_orgs.arrange("layered")

    def focus_nodes(self, node_ids) -> None:
        """Select these cards and bring them into view (from the gaps panel)."""
        present = [n for n in node_ids if n in self.scene.node_items]
        if not present:
            return
        self.scene.select(present)
        self.view.center_on_rect(self.scene.nodes_rect(present))

    def accept_finding(self, node_id: str, code: str) -> None:
        try:
            self.document.accept_finding(node_id, code)
        except EditRefused as exc:
            self.show_status(str(exc))
            return
        self.show_status(f"{code} accepted for {self.document.org.node(node_id).label}; "
                         "it is listed in the card's “Accepted” field")

    def rename_selected(self) -> None:
        node_ids = self.scene.selected_node_ids()
        if len(node_ids) == 1:
            self._on_node_activated(node_ids[0])

    def focus_find(self) -> None:
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()

    def find_cards(self, text: str | None = None) -> list[str]:
        """Show the next card whose name, title or id contains ``text`` (the find field's text); all matches."""
        return self.large_orgs.find_step(text)

    def next_gap(self) -> None:
        rows = self.gaps.proxy.rowCount()
        if not rows:
            self.show_status("No gaps to show")
            return
        current = self.gaps.view.currentIndex()
        row = (current.row() + 1) % rows if current.isValid() else 0
        self.gaps_dock.raise_()
        self.gaps.select_row(row)

    def _on_node_activated(self, node_id: str) -> None:
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        # After the click has been handled, or the view takes the focus back.
        QTimer.singleShot(0, self.inspector.focus_name)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.connect_action.isChecked():
            self.connect_action.setChecked(False)
            event.accept()
            return
        super().keyPressEvent(event)

    # -- context menus ------------------------------------------------------------------

    def _show_context_menu(self, screen_pos, scene_pos: QPointF) -> None:
        menu = self.build_context_menu(scene_pos)
        menu.exec(screen_pos)
        menu.deleteLater()

    def build_context_menu(self, scene_pos: QPointF) -> QMenu:
        """The right-click menu for what is selected (or for empty canvas at ``scene_pos``)."""
        menu = QMenu(self)
        node_ids = self.scene.selected_node_ids()
        link_keys = self.scene.selected_link_keys()
        org = self.document.org
        if len(link_keys) == 1 and not node_ids:
            key = link_keys[0]
            kinds_menu = menu.addMenu("Link &Kind")
            group = QActionGroup(kinds_menu)
            for kind in self.document.allowed_kinds(key):
                action = kinds_menu.addAction(LINK_KINDS[kind].label)
                action.setCheckable(True)
                action.setChecked(kind == key.kind)
                action.setToolTip(LINK_KINDS[kind].meaning)
                action.setStatusTip(LINK_KINDS[kind].meaning)
                group.addAction(action)
                action.triggered.connect(lambda _=False, k=kind: self._change_link_kind(key, k))
            menu.addAction("&Reverse Direction", lambda: self._reverse_link(key))
            menu.addSeparator()
            menu.addAction(self.delete_action)
        elif node_ids:
            if len(node_ids) == 1:
                node = org.node(node_ids[0])
                menu.addAction("&Edit…", lambda: self._on_node_activated(node.id))
                if node.vacant or node.kind in PERSON_KINDS or node.kind == DEV_TEAM:
                    vacant_text = "Mark as &Filled" if node.vacant else "Mark as &Vacant (to hire)"
                    menu.addAction(vacant_text, lambda: self.document.edit_node(node.id, vacant=not node.vacant))
                kind_menu = menu.addMenu("Change &Kind")
                for kind in NODE_KINDS:
                    action = kind_menu.addAction(kind_icon(kind), NODE_LABELS[kind])
                    action.setEnabled(kind != node.kind)
                    action.triggered.connect(lambda _=False, k=kind: self.document.edit_node(node.id, kind=k))
                menu.addSeparator()
            for action in (self.cut_action, self.copy_action, self.duplicate_action, self.delete_action):
                menu.addAction(action)
            if len(node_ids) > 1:
                menu.addSeparator()
                menu.addAction(self.arrange_action)
        else:
            add_menu = menu.addMenu("&Add Here")
            for kind in NODE_KINDS:
                action = add_menu.addAction(kind_icon(kind), NODE_LABELS[kind])
                action.setToolTip(NODE_DESCRIPTIONS[kind])
                action.triggered.connect(lambda _=False, k=kind: self.add_node_at(k, scene_pos))
            menu.addAction(self.paste_action)
            menu.addSeparator()
            menu.addAction(self.select_all_action)
            menu.addAction(self.fit_action)
            menu.addAction(self.arrange_action)
        self.large_orgs.extend_context_menu(menu, node_ids)
        return menu

    def _change_link_kind(self, key, kind: str) -> None:
        try:
            self.document.change_link_kind(key, kind)
        except EditRefused as exc:
            self.show_status(str(exc))
            return
        self.scene.select(link_keys=[LinkKey(key.source, key.target, kind)])

    def _reverse_link(self, key) -> None:
        try:
            self.document.reverse_link(key)
        except EditRefused as exc:
            self.show_status(str(exc))
            return
        self.scene.select(link_keys=[LinkKey(key.target, key.source, key.kind)])

    # -- files ----------------------------------------------------------------------------

    def _safe_file_stem(self) -> str:
        """The org's name, minus what file systems refuse: the file name a dialog suggests."""
        return re.sub(r'[\\/:*?"<>|]+', "-", self.document.org.name).strip(" .-") or "org"

    def ask_to_save(self) -> QMessageBox.StandardButton:
        """Ask whether to save unsaved changes: Save, Discard or Cancel."""
        box = plain_message_box(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(APP_NAME)
        box.setText(f"Save the changes to “{self.document.display_name()}”?")
        box.setInformativeText("Your changes will be lost if you don't save them.")
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return QMessageBox.StandardButton(box.exec())

    def ask_open_path(self) -> str:
        start = str(Path(self.document.path).parent) if self.document.path else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open Org", start, FILE_FILTERS)
        return path

    def ask_save_path(self) -> str:
        start = self.document.path or f"{self._safe_file_stem()}.json"
        path, chosen = QFileDialog.getSaveFileName(self, "Save Org As", start, FILE_FILTERS)
        if path and not Path(path).suffix:
            path += ".graphml" if "GraphML" in chosen else ".json"
        return path

    def show_error(self, title: str, text: str, details: str = "") -> None:
        box = plain_message_box(self)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(APP_NAME)
        box.setText(title)
        box.setInformativeText(text)
        if details and details != text:
            box.setDetailedText(details)
        box.exec()

    def maybe_save(self) -> bool:
        """True when the current document may be replaced: it is saved, or the user said so."""
        if not self.document.is_modified():
            return True
        answer = self.ask_to_save()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_blank(self) -> bool:
        if not self.maybe_save():
            return False
        self.document.replace(Org("Untitled org"), None)
        return True

    def new_from_template(self, name: str) -> bool:
        try:
            org = load_org(sample_path(name))
        except LoadError as exc:
            self.show_error("The template could not be opened.", exc.summary(), exc.details())
            return False
        if not self.maybe_save():
            return False
        self.document.replace(org, None)
        return True

    def ask_import(self) -> Org | None:
        """Run the import dialog; the drafted org, or None when the user cancelled."""
        from planner.ui.import_dialog import ImportDialog

        dialog = ImportDialog(parent=self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.imported_org()
            return None
        finally:
            dialog.deleteLater()

    def import_people(self) -> bool:
        """Replace the document with an org drafted from an HR export (a new, untitled document)."""
        org = self.ask_import()
        if org is None or not self.maybe_save():
            return False
        with self.busy(f"Drawing {len(org):,} cards…"):
            self.document.replace(org, None)
        self.show_status(f"Drafted {len(org)} cards from the HR export: check the gaps, then save")
        return True

    def open_dialog(self) -> bool:
        path = self.ask_open_path()
        return self.open_path(path) if path else False

    def open_path(self, path: str | Path) -> bool:
        """Open a file; on failure show why and keep the current document as it is."""
        path = str(path)
        try:
            with self.busy(f"Opening {Path(path).name}…"):
                org = load_org(path)
        except LoadError as exc:
            self.show_error(f"“{Path(path).name}” could not be opened.", exc.summary(), exc.details())
            return False
        if not self.maybe_save():
            return False
        with self.busy(f"Drawing {len(org):,} cards…"):
            self.document.replace(org, path)
        self._add_recent(path)
        self.show_status(f"Opened {path}")
        return True

    def save(self) -> bool:
        if not self.document.path:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        return self._save_to(path) if path else False

    def ask_overwrite_changed(self) -> bool:
        """Ask whether to save over a file another program changed since it was opened here."""
        box = plain_message_box(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(APP_NAME)
        box.setText(f"“{self.document.display_name()}” was changed by someone else since you opened it.")
        box.setInformativeText("Saving replaces their changes with yours. To keep both, cancel and use "
                               "File › Save As.")
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Save

    def ask_restore(self, recovered: Recovered) -> str:
        """Offer changes a crashed session left: "restore", "discard" or "later" (ask again next start)."""
        box = plain_message_box(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(APP_NAME)
        box.setText(recovered.describe())
        where = f"“{Path(recovered.original_path).name}”" if recovered.original_path else "a file never saved"
        box.setInformativeText(f"The editor closed without saving these changes to {where}. Restore them to go on "
                               "where you left off, or discard them.")
        restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Ask Again Later", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        return {restore: "restore", discard: "discard"}.get(box.clickedButton(), "later")

    def offer_recovery(self) -> bool:
        """Offer what crashed sessions left in the recovery folder; True when one was restored."""
        return offer_recovered(self, self.autosave.store.orphans())

    def save_to(self, path: str) -> bool:
        """Save As without the file dialog: write to ``path`` and go on with that file."""
        return self._save_to(path)

    def _save_to(self, path: str) -> bool:
        if path == self.document.path and self.document.changed_on_disk() and not self.ask_overwrite_changed():
            self.show_status("Not saved: the file on disk was left as it is")
            return False
        try:
            self.document.save(path)
        except (SaveError, OSError) as exc:
            self.show_error(f"“{Path(path).name}” could not be saved.", explain_save_error(exc, path), str(exc))
            return False
        self._add_recent(path)
        self.show_status(f"Saved {path}")
        return True

    def ask_export_path(self, title: str, filters: str, suffix: str) -> str:
        folder = Path(self.document.path).parent if self.document.path else Path.home()
        path, chosen = QFileDialog.getSaveFileName(
            self, title, str(folder / f"{self._safe_file_stem()}{suffix}"), filters
        )
        if path and not Path(path).suffix:
            # The format comes from the filter chosen in the dialog: "HTML (*.html)" → ".html".
            path += chosen[chosen.find("*") + 1 : chosen.rfind(")")] if "*" in chosen else suffix
        return path

    def offer_to_open(self, path: str, what: str) -> None:
        """Ask whether to open a file just written, and open it with the desktop's viewer."""
        answer = QMessageBox.question(
            self,
            f"{what} written",
            f"{what} saved to “{Path(path).name}”. Open it now?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
            QMessageBox.StandardButton.Open,
        )
        if answer == QMessageBox.StandardButton.Open:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).resolve())))

    def export_chart(self) -> bool:
        """Write the chart, cards ringed by their worst finding, as PNG, SVG or PDF."""
        from planner.render import RenderError
        from planner.render.chart import export_chart

        path = self.ask_export_path("Export Chart", "PNG image (*.png);;SVG drawing (*.svg);;PDF (*.pdf)", ".png")
        if not path:
            return False
        self.analysis.run_now()
        try:
            export_chart(self.document.org, path, highlight=self.analysis.result)
        except (RenderError, OSError) as exc:
            self.show_error(f"“{Path(path).name}” could not be written.", str(exc))
            return False
        self.show_status(f"Chart exported to {path}")
        return True

    def export_report(self) -> bool:
        """Write the gap report of the current profile in the format the file name says."""
        from planner.report import ReportError, write_report

        filters = "PDF (*.pdf);;HTML (*.html);;Markdown (*.md);;CSV (*.csv);;JSON (*.json)"
        path = self.ask_export_path("Export Gap Report", filters, ".pdf")
        if not path:
            return False
        try:
            # Never over the open org's file or any other org file (ReportError says so), always atomically.
            write_report(self.document.org, path, source=self.document.path or "")
        except ReportError as exc:
            self.show_error(f"“{Path(path).name}” could not be written.", str(exc))
            return False
        self.show_status(f"Gap report written to {path}")
        self.offer_to_open(path, "Gap report")
        return True

    def close_document(self) -> bool:
        return self.new_blank()

    # -- recent files -----------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def _add_recent(self, path: str) -> None:
        path = str(Path(path).resolve())
        files = [path] + [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent_files", files[:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for number, path in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(path).name}", lambda p=path: self.open_path(p))
            action.setStatusTip(path)
            action.setEnabled(Path(path).exists())
        if files:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("&Clear Menu", lambda: self.settings.setValue("recent_files", []))
        else:
            self.recent_menu.addAction("No recent files").setEnabled(False)

    # -- help -------------------------------------------------------------------------------

    def shortcut_actions(self) -> list[QAction]:
        return [a for a in self.findChildren(QAction) if a.shortcuts() and a.text()]

    def show_help(self, topic: str = "roles") -> HelpDialog:
        if self._help is None:
            self._help = HelpDialog(self.shortcut_actions(), self)
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
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Draw a product org — product managers, product owners, teams, products and stakeholders — "
            "and see its ownership gaps as you edit.</p>",
        )

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

    def _set_action_icons(self) -> None:
        for action, name in ((self.new_action, "new"), (self.open_action, "open"), (self.save_action, "save"),
                             (self.toolbar_undo, "undo"), (self.toolbar_redo, "redo"),
                             (self.connect_action, "connect"), (self.delete_action, "delete"),
                             (self.fit_action, "fit"), (self.arrange_action, "arrange")):
            action.setIcon(action_icon(name))

    def apply_theme(self) -> None:
        self._set_action_icons()
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
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.detach()
        event.accept()

    def detach(self) -> None:
        """Stop following the model (before the window goes away)."""
        if self._followed_org is not None:
            self._followed_org.meta_changed.disconnect(self._on_meta_changed)
            self._followed_org = None
        self.large_orgs.detach()
        self.scene.clear_org()
        self.analysis.set_org(None)
        self.inspector.detach()

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

