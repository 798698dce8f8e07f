"""The main window's commands, menus and toolbar, declared as data over the action registry.

:func:`declare_actions` registers every command of the window once (id, text,
keys, tip, icon, handler, when enabled); :data:`MENUS` and :data:`TOOLBAR`
list ids in the order they show. Tests and Help read the same registry, so a
key shown in Help is the key that works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QSizePolicy, QToolBar, QWidget

from planner.chart.plaintext import tooltip
from planner.model.vocabulary import PROFILES
from planner.resources import SAMPLES, sample_path
from planner.ui.actions import key_sequences

if TYPE_CHECKING:
    from planner.ui.mainwindow import MainWindow

#: Data of the profile chooser's entries that are not built-in profiles.


TEMPLATE_TITLES = {"startup": "Startup", "scaleup": "Scale-up", "enterprise": "Enterprise"}

#: Menus by title: ids, None for a separator, "<name>" for a submenu the window fills.
MENUS: dict[str, list[str | None]] = {
    "&File": [
        "file.new",
        "<templates>",
        "file.open",
        "<recent>",
        "file.import",
        None,
        "file.save",
        "file.save_as",
        "file.proposal",
        None,
        "file.compare",
        "file.clear_compare",
        None,
        "file.export_chart",
        "file.export_report",
        None,
        "file.print",
        None,
        "file.close",
        "file.quit",
    ],
    "&Edit": [
        "edit.undo",
        "edit.redo",
        None,
        "edit.cut",
        "edit.copy",
        "edit.paste",
        "edit.duplicate",
        "edit.delete",
        None,
        "edit.select_all",
        None,
        "edit.rename",
        "edit.find",
        "edit.find_next",
        "edit.find_previous",
        None,
        "edit.connect",
        "edit.link_selected",
        "edit.arrange",
        "edit.arrange_tree",
    ],
    "&View": [
        "view.zoom_in",
        "view.zoom_out",
        "view.zoom_reset",
        "view.fit",
        "view.zoom_selection",
        None,
        "view.snap",
        "view.legend",
        "view.overview",
        None,
        "<highlight>",
        "view.fold",
        "view.unfold_all",
        None,
        "view.palette_dock",
        "view.inspector_dock",
        "view.gaps_dock",
        "view.plan_dock",
        "view.compare_dock",
    ],
    "&Gaps": ["gaps.next", "<profiles>"],
    "&Help": ["help.roles", "help.editor", "help.shortcuts", "help.rules", None, "help.about"],
}
#: Every id in the menus, top to bottom: the order of Help's shortcut table.
MENU_ORDER = [entry for entries in MENUS.values() for entry in entries if entry]
TOOLBAR = [
    "file.new",
    "file.open",
    "file.save",
    None,
    "edit.undo",
    "edit.redo",
    None,
    "edit.connect",
    "edit.delete",
    None,
    "view.fit",
    "edit.arrange",
]


def declare_actions(window: MainWindow) -> None:
    """Register the window's own commands (the view state and the comparison register theirs)."""
    reg, key = window.registry, QKeySequence.StandardKey
    files, editing, scene, view = window.files, window.editing, window.scene, window.view
    has_cards = lambda: bool(scene.selected_node_ids())  # noqa: E731 - a predicate, read as data below

    reg.add("file.new", "&New", window.new_org, key.New, "Start a blank org", icon="new")
    for name in SAMPLES:
        title = TEMPLATE_TITLES[name]
        reg.add(
            f"file.template.{name}",
            title,
            lambda n=name: files.new_from_template(n),
            tip=f"Start from the {title.lower()} sample org",
        ).setEnabled(sample_path(name).is_file())
    reg.add("file.open", "&Open…", files.open_dialog, key.Open, "Open an org file", icon="open")
    reg.add(
        "file.import",
        "&Import People…",
        files.import_people,
        tip="Draft an org from an HR export (CSV or Excel, one row per person)",
    )
    reg.add("file.save", "&Save", files.save, key.Save, "Save the org", icon="save")
    reg.add("file.save_as", "Save &As…", files.save_as, key.SaveAs, "Save the org under a new name")
    reg.adopt("file.proposal", window.comparison.proposal_action)
    reg.adopt("file.compare", window.comparison.compare_action)
    reg.adopt("file.clear_compare", window.comparison.clear_action)
    reg.add(
        "file.export_chart",
        "Export &Chart…",
        files.export_chart,
        tip="Save the chart as a picture or PDF (PNG, SVG, PDF)",
    )
    reg.add(
        "file.export_report",
        "Export Gap &Report…",
        files.export_report,
        tip="Write the gap report (PDF, HTML, Markdown, CSV or JSON)",
    )
    reg.add("file.print", "&Print…", window.print_chart, key.Print, "Print the chart")
    reg.add("file.close", "&Close", window.close_document, key.Close, "Close this org")
    reg.add("file.quit", "&Quit", window.close, key.Quit, "Quit the planner").setMenuRole(QAction.MenuRole.QuitRole)

    stack = window.document.undo_stack
    reg.add(
        "edit.undo",
        "&Undo",
        stack.undo,
        key.Undo,
        "Nothing to undo",
        icon="undo",
        icon_text="Undo",
        enabled_when=stack.canUndo,
    )
    # Ctrl+Y as on Windows and in most editors, Ctrl+Shift+Z as on macOS and GNOME: both work everywhere.
    reg.add(
        "edit.redo",
        "&Redo",
        stack.redo,
        [key.Redo, "Ctrl+Y", "Ctrl+Shift+Z"],
        "Nothing to redo",
        icon="redo",
        icon_text="Redo",
        enabled_when=stack.canRedo,
    )
    stack.undoTextChanged.connect(window.on_undo_text)
    stack.redoTextChanged.connect(window.on_redo_text)
    reg.add("edit.cut", "Cu&t", editing.cut, key.Cut, "Cut the selected cards", enabled_when=has_cards)
    reg.add("edit.copy", "&Copy", editing.copy, key.Copy, "Copy the selected cards", enabled_when=has_cards)
    reg.add("edit.paste", "&Paste", editing.paste, key.Paste, "Paste cards", enabled_when=editing.clipboard_has_cards)
    reg.add(
        "edit.duplicate",
        "D&uplicate",
        editing.duplicate,
        "Ctrl+D",
        "Duplicate the selected cards",
        enabled_when=has_cards,
    )
    # Delete and Backspace only: some platforms bind Ctrl+D to Delete too, and Ctrl+D is Duplicate here.
    delete_keys = [k for k in key_sequences([key.Delete, "Backspace"]) if k != QKeySequence("Ctrl+D")]
    reg.add(
        "edit.delete",
        "&Delete",
        editing.delete_selection,
        delete_keys,
        "Delete the selected cards and links",
        icon="delete",
        enabled_when=lambda: bool(scene.selectedItems()),
    )
    reg.add("edit.select_all", "Select &All", editing.select_all, key.SelectAll, "Select every card")
    reg.add(
        "edit.rename",
        "&Rename Card",
        window.rename_selected,
        "F2",
        "Type a new name for the card",
        enabled_when=lambda: len(scene.selected_node_ids()) == 1,
    )
    reg.add(
        "edit.connect",
        "&Connect Mode",
        editing.set_connect_mode,
        "C",
        "Drag from one card to another to link them",
        icon="connect",
        icon_text="Connect",
        checkable=True,
    )
    reg.add(
        "edit.link_selected",
        "&Link Selected Cards…",
        editing.link_selected,
        "L",
        "Link the two selected cards: choose the kind of link from those their roles allow",
        enabled_when=lambda: len(scene.selected_node_ids()) == 2,
    )
    reg.add(
        "edit.arrange",
        "&Arrange Automatically",
        lambda: window.arranger.arrange("layered"),
        "Ctrl+Shift+L",
        "Lay the chart out by role, top-down (the selection only, if any)",
        icon="arrange",
        icon_text="Arrange",
    )
    reg.add(
        "edit.arrange_tree",
        "Arrange as Reporting &Tree",
        lambda: window.arranger.arrange("tree"),
        "Ctrl+Shift+T",
        "Lay the chart out along the reporting lines, managers above their reports (the selection only, if any)",
    )

    # Ctrl+= too: on most keyboards "+" needs Shift, and users press Ctrl and the "=/+" key.
    reg.add("view.zoom_in", "Zoom &In", view.zoom_in, [key.ZoomIn, "Ctrl+="])
    reg.add("view.zoom_out", "Zoom &Out", view.zoom_out, key.ZoomOut)
    reg.add("view.zoom_reset", "&Actual Size", view.reset_zoom, "Ctrl+0")
    reg.add("view.fit", "&Fit to Window", view.fit_all, "Ctrl+9", "Show the whole chart", icon="fit", icon_text="Fit")
    reg.add(
        "view.zoom_selection",
        "Zoom to &Selection",
        lambda: view.zoom_to_items(scene.selectedItems()),
        "Ctrl+8",
        "Zoom in or out so the selected cards fill the window",
        enabled_when=lambda: bool(scene.selectedItems()),
    )
    reg.add(
        "view.snap",
        "&Snap to Grid",
        window.set_snapping,
        tip="Cards snap to the grid when dragged",
        checkable=True,
        checked=True,
    )
    reg.add(
        "view.legend",
        "Show &Legend",
        view.legend.setVisible,
        tip="Show what the colours and lines mean",
        checkable=True,
        checked=True,
    )
    reg.add(
        "view.overview",
        "Show &Overview Map",
        view.overview.set_wanted,
        checkable=True,
        checked=True,
        tip="Show a small map of the whole chart while part of it is out of view",
    )
    for dock in (
        window.palette_dock,
        window.inspector_dock,
        window.gaps_dock,
        window.plan_panel.dock,
        window.comparison.dock,
    ):
        reg.adopt(f"view.{dock.objectName()}", dock.toggleViewAction())

    reg.add("gaps.next", "&Next Gap", window.next_gap, "F8", "Select the next finding")

    reg.add(
        "help.roles",
        "&Roles Guide",
        lambda: window.show_help("roles"),
        key.HelpContents,
        "Who does what, and which role to hire",
    )
    reg.add("help.editor", "Using the &Editor", lambda: window.show_help("editor"))
    reg.add("help.shortcuts", "&Keyboard Shortcuts", lambda: window.show_help("shortcuts"))
    reg.add("help.rules", "Rule &Catalog", lambda: window.show_help("rule:OWN001"))
    reg.add("help.about", "&About", window.show_about).setMenuRole(QAction.MenuRole.AboutRole)


def build_menus(window: MainWindow) -> None:
    """The menu bar, from :data:`MENUS`."""
    reg = window.registry
    templates = QMenu("New from &Template", window)
    reg.fill(templates, [f"file.template.{name}" for name in SAMPLES])
    window.recent_menu = QMenu("Open &Recent", window)
    window.recent_menu.aboutToShow.connect(lambda: window.files.fill_recent_menu(window.recent_menu))
    profiles = QMenu("&Profile", window)
    reg.fill(profiles, [f"gaps.profile.{name}" for name in PROFILES])
    profiles.addSeparator()
    reg.fill(profiles, ["gaps.load_profile"])
    submenus = {
        "<templates>": templates,
        "<recent>": window.recent_menu,
        "<profiles>": profiles,
        "<highlight>": window.view_state.filter_menu,
    }
    for title, ids in MENUS.items():
        menu = window.menuBar().addMenu(title)
        for entry in ids:
            if entry in submenus:
                menu.addMenu(submenus[entry])
            else:
                reg.fill(menu, [entry])


class FittingToolBar(QToolBar):
    """A toolbar that shows its buttons' text while everything fits, and their icons alone when it does not.

    Qt moves what does not fit into an overflow menu: in a narrow window (or
    with a wider font) the find field went there, and Ctrl+F found nothing to
    type into. Dropping the buttons' text first keeps every box on the bar.
    """

    _TEXT = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    _ICONS = Qt.ToolButtonStyle.ToolButtonIconOnly

    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(title, parent)
        self.setToolButtonStyle(self._TEXT)
        self._width_with_text = 0

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Choose text beside icons or icons alone for the toolbar's present width."""
        if self.toolButtonStyle() == self._TEXT:
            self._width_with_text = self.sizeHint().width()
        style = self._TEXT if self.width() >= self._width_with_text else self._ICONS
        if style != self.toolButtonStyle():
            self.setToolButtonStyle(style)


def build_toolbar(window: MainWindow) -> QToolBar:
    """The main toolbar, from :data:`TOOLBAR`, then the profile box, the filter box and the find field."""
    toolbar = FittingToolBar("Main", window)
    toolbar.setObjectName("main_toolbar")
    toolbar.setMovable(False)
    toolbar.setIconSize(QSize(18, 18))
    window.registry.fill(toolbar, TOOLBAR)
    toolbar.addSeparator()
    toolbar.addWidget(QLabel(" Profile ", toolbar))
    toolbar.addWidget(window.profiles.combo)
    spacer = QWidget(toolbar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    toolbar.addWidget(spacer)
    toolbar.addWidget(window.view_state.filter_combo)
    toolbar.addWidget(window.view_state.find_field)
    window.addToolBar(toolbar)
    return toolbar


def undo_tip(verb: str, text: str) -> str:
    """The tooltip of Undo or Redo: what it would undo, or that there is nothing."""
    return tooltip(f"{verb} {text}") if text else f"Nothing to {verb.lower()}"
