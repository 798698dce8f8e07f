"""The action registry: one place for the window's commands, read by the menus, the toolbar and Help."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from planner.ui.actions import ActionRegistry, readable_keys
from planner.ui.window_actions import MENUS, TOOLBAR
from tests.helpers import make_org
from tests.ui.conftest import show_org


def menu_actions(window) -> list[QAction]:
    found = []

    def walk(menu):
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu())
            elif not action.isSeparator():
                found.append(action)

    for top in window.menuBar().actions():
        walk(top.menu())
    return found


def test_every_menu_and_toolbar_entry_is_a_registered_action(window):
    registered = [window.registry[i] for i in window.registry.ids()]
    shown = menu_actions(window)  # the recent and highlight submenus fill themselves only when opened
    assert len(shown) > 40
    assert [action.text() for action in shown if action not in registered] == []
    listed = {entry for ids in MENUS.values() for entry in ids if entry and not entry.startswith("<")}
    assert listed <= set(window.registry.ids())
    toolbar_ids = [entry for entry in TOOLBAR if entry]
    assert all(window.registry[i] in window.toolbar.actions() for i in toolbar_ids)


def test_a_command_cannot_be_registered_twice(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    registry = ActionRegistry(owner)
    registry.add("file.open", "&Open…")
    with pytest.raises(ValueError, match="twice"):
        registry.add("file.open", "Open again")


def test_help_names_keys_as_a_reader_knows_them():
    odd = [
        QKeySequence(Qt.Key.Key_F14),
        QKeySequence(Qt.Key.Key_Undo),
        QKeySequence("Shift+Save"),
        QKeySequence("Ctrl+Z"),
        QKeySequence("Ctrl+Z"),
    ]
    assert readable_keys(odd) == QKeySequence("Ctrl+Z").toString(QKeySequence.SequenceFormat.NativeText)


def test_the_shortcut_page_shows_steady_names_not_the_live_undo_text(window):
    org = make_org([("a", "pm", {"x": 0.0, "y": 0.0})], "")
    show_org(window, org)
    window.document.edit_node("a", name="Ana")
    assert window.registry["edit.undo"].text().startswith("&Undo ")  # the menu says what will be undone
    text = window.show_help("shortcuts").browser.toPlainText()
    window._help.close()
    assert "Undo Rename" not in text and "Undo Edit" not in text
    assert "F14" not in text and "Shift+Save" not in text
    assert "Undo" in text.splitlines()
    assert "Redo" in text and "Ctrl+Y" in text
    assert "Duplicate" in text and "Link Selected Cards" in text


def test_ctrl_y_and_ctrl_shift_z_redo(window):
    redo = window.registry["edit.redo"].shortcuts()
    assert QKeySequence("Ctrl+Y") in redo and QKeySequence("Ctrl+Shift+Z") in redo


def test_ctrl_d_duplicates_and_never_deletes(window):
    assert QKeySequence("Ctrl+D") in window.registry["edit.duplicate"].shortcuts()
    delete = window.registry["edit.delete"].shortcuts()
    assert QKeySequence("Ctrl+D") not in delete
    assert QKeySequence("Del") in delete and QKeySequence("Backspace") in delete


def test_selection_commands_are_enabled_by_what_is_selected(window):
    org = make_org([("a", "pm", {"x": 0.0, "y": 0.0}), ("b", "po", {"x": 300.0, "y": 0.0})], "")
    show_org(window, org)
    link = window.registry["edit.link_selected"]
    assert not window.registry["edit.cut"].isEnabled() and not link.isEnabled()
    window.scene.select(["a"])
    assert window.registry["edit.cut"].isEnabled() and window.registry["edit.rename"].isEnabled()
    window.scene.select(["a", "b"])
    assert link.isEnabled() and not window.registry["edit.rename"].isEnabled()


def test_escape_in_find_hands_the_keyboard_back_to_the_chart(window, qtbot):
    field = window.view_state.find_field
    window.registry["edit.find"].trigger()
    QApplication.processEvents()
    assert field.hasFocus()
    assert not window.view.has_focus_frame()
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert window.view.hasFocus()
    assert window.view.has_focus_frame()  # the chart shows it has the keyboard
    from planner.chart.theme import current_theme

    QApplication.processEvents()
    assert window.view.grab().toImage().pixelColor(0, 100) == current_theme().selection


def test_two_selected_cards_are_linked_from_the_keyboard_with_a_kind_the_roles_allow(window):
    org = make_org([("po", "po", {"x": 0.0, "y": 0.0}), ("t", "team", {"x": 300.0, "y": 200.0})], "")
    show_org(window, org)
    window.scene.select(["po", "t"])
    offered = []

    def choose(choices):
        offered.extend(choices)
        return next(c for c in choices if c.kind == "owns_backlog")

    assert window.editing.link_selected(choose)
    assert org.has_link(("po", "t", "owns_backlog"))
    assert all(c.kind in {"owns_backlog", "member_of"} or c.source == "t" for c in offered)
    window.scene.select(["po", "t"])
    assert all(c.kind != "owns_backlog" or c.source != "po" for c in window.editing.link_choices("po", "t"))
    window.registry["edit.undo"].trigger()  # one step takes the keyboard's link away again
    assert not org.has_link(("po", "t", "owns_backlog")) and not window.document.undo_stack.canUndo()
    window.registry["edit.redo"].trigger()
    assert org.has_link(("po", "t", "owns_backlog"))


def test_the_link_key_opens_the_choice_of_kinds_for_two_selected_cards(window, monkeypatch):
    org = make_org([("po", "po", {"x": 0.0, "y": 0.0}), ("t", "team", {"x": 300.0, "y": 200.0})], "")
    show_org(window, org)
    window.scene.select(["po", "t"])
    offered = []
    monkeypatch.setattr(window.editing, "_choose_in_menu", lambda choices: offered.extend(choices) or choices[0])
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_L)
    assert offered and org.has_link((offered[0].source, offered[0].target, offered[0].kind))


def test_zoom_to_selection_fills_the_window_with_the_selected_cards(window):
    org = make_org([("a", "pm", {"x": 0.0, "y": 0.0}), ("b", "po", {"x": 6000.0, "y": 4000.0})], "")
    show_org(window, org)
    window.view.fit_all()
    far = window.view.zoom()
    window.scene.select(["b"])
    window.registry["view.zoom_selection"].trigger()
    assert window.view.zoom() > far * 3
    assert (
        window.view.mapToScene(window.view.viewport().rect())
        .boundingRect()
        .contains(window.scene.nodes_rect(["b"]).center())
    )


def test_file_new_asks_for_the_org_name(window):
    window.ask_org_name = lambda: "Acme Payments"
    window.registry["file.new"].trigger()
    assert window.document.org.name == "Acme Payments"
    assert window.windowTitle().startswith("Acme Payments")
    window.ask_org_name = lambda: None  # cancelled: the org stays
    window.registry["file.new"].trigger()
    assert window.document.org.name == "Acme Payments"


def test_a_written_report_is_announced_without_a_question_in_the_way(window, tmp_path, monkeypatch):
    import planner.ui.notice as notice

    opened = []
    monkeypatch.setattr(notice.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    path = tmp_path / "gaps.md"
    window.ask_export_path = lambda title, filters, suffix: str(path)
    assert window.files.export_report()
    assert QApplication.activeModalWidget() is None
    assert window.written_notice.isVisible() and "gaps.md" in window.written_notice.label.text()
    window.written_notice.open_button.click()
    assert opened == [str(path.resolve())]
    assert not window.written_notice.isVisible()


def test_the_window_delegates_and_stays_small():
    from pathlib import Path

    import planner.ui.mainwindow as mainwindow

    source = Path(mainwindow.__file__).read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 500
    # The file workflow, the chart edits, find/filter/fold, arranging and printing live in their own units.
    for unit in ("FileOperations", "ChartEditing", "ViewState", "Arranger", "Opening", "ProfileChoice"):
        assert f"= {unit}(" in source


def test_in_a_narrow_window_the_toolbar_drops_its_text_and_the_find_field_stays_on_it(window, qtbot):
    from PySide6.QtCore import Qt

    toolbar = window.toolbar
    window.resize(2000, 800)
    qtbot.waitUntil(lambda: toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.resize(toolbar.sizeHint().width() - 150, 800)
    qtbot.waitUntil(lambda: toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly)
    window.registry["edit.find"].trigger()
    QApplication.processEvents()
    assert window.view_state.find_field.isVisible() and window.view_state.find_field.hasFocus()
    window.resize(2000, 800)
    qtbot.waitUntil(lambda: toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
