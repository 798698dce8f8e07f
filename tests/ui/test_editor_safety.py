"""Edits a user did not mean: Delete in the Gaps panel, an emptied name, two cards of one name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import planner.ui.mainwindow as mainwindow
from tests.helpers import make_org
from tests.ui.conftest import show_org


def select_first_finding(window):
    window.gaps.view.setFocus()
    window.gaps.select_row(0)
    window.gaps.view.selectionModel().select(
        window.gaps.view.currentIndex(),
        window.gaps.view.selectionModel().SelectionFlag.ClearAndSelect
        | window.gaps.view.selectionModel().SelectionFlag.Rows,
    )
    QApplication.processEvents()


def test_delete_in_the_gaps_panel_asks_before_taking_the_findings_cards_away(window, qtbot, monkeypatch):
    show_org(window, make_org("team:t"))
    window.activateWindow()
    select_first_finding(window)
    assert window.scene.selected_node_ids() == ["t"]
    asked = []
    monkeypatch.setattr(mainwindow, "ask_delete_cards", lambda parent, count: asked.append(count) or False)
    qtbot.keyClick(window.gaps.view, Qt.Key.Key_Delete)
    window.registry["edit.delete"].trigger()
    assert asked and set(asked) == {1}
    assert "t" in window.document.org

    monkeypatch.setattr(mainwindow, "ask_delete_cards", lambda parent, count: True)
    window.registry["edit.delete"].trigger()
    assert "t" not in window.document.org


def test_delete_on_the_chart_deletes_without_asking(window, monkeypatch):
    show_org(window, make_org("team:t"))
    window.scene.select(["t"], [])
    window.view.setFocus()
    monkeypatch.setattr(mainwindow, "ask_delete_cards", lambda parent, count: pytest.fail("no question on the chart"))
    window.registry["edit.delete"].trigger()
    assert "t" not in window.document.org


def rename_in_the_inspector(window, qtbot, node_id, text):
    window.scene.select([node_id], [])
    QApplication.processEvents()
    field = window.inspector.name
    field.setFocus()
    QApplication.processEvents()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    QApplication.processEvents()


def test_a_name_left_empty_is_put_back(window, qtbot):
    show_org(window, make_org([("t", "team", {"name": "Payments"})]))
    window.activateWindow()
    rename_in_the_inspector(window, qtbot, "t", "")
    assert window.document.org.node("t").name == "Payments"
    assert "needs a name" in window.statusBar().currentMessage()


def test_a_name_another_card_has_is_accepted_with_a_warning(window, qtbot):
    show_org(window, make_org([("t1", "team", {"name": "Payments"}), ("t2", "team", {"name": "Checkout"})]))
    window.activateWindow()
    rename_in_the_inspector(window, qtbot, "t2", "payments")
    assert window.document.org.node("t2").name == "payments"
    message = window.statusBar().currentMessage()
    assert "also called" in message and "t1" in message
