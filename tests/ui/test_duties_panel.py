"""The Responsibilities panel: a product's duties by person, every change undoable, rule breaks marked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from planner.model.duties import DUTY_LIST
from planner.ui.docks.duties import add_assign_duty_menu
from tests.helpers import healthy_org
from tests.ui.conftest import show_org

ROW = {duty.id: row for row, duty in enumerate(DUTY_LIST)}


def _panel(window, qtbot, org=None):
    show_org(window, org or healthy_org())
    window.scene.select(node_ids=["p"])
    panel = window.duties_panel
    qtbot.waitUntil(lambda: panel.product == "p", timeout=2000)
    return panel


def _cell(panel, duty, person):
    return panel.table.item(ROW[duty], panel.people.index(person)).text()


def _settle(window):
    QApplication.processEvents()
    window.analysis.run_now()
    QApplication.processEvents()


def test_the_panel_sits_beside_the_inspector_and_follows_the_selected_product(window, qtbot):
    assert window.duties_panel.dock in window.tabifiedDockWidgets(window.inspector_dock)
    panel = _panel(window, qtbot)
    assert panel.table.rowCount() == len(DUTY_LIST)
    assert _cell(panel, "roadmap", "pm") == "A" and _cell(panel, "backlog", "po") == "A"
    assert "Follows the chart" in panel.source.text() and not panel.follow.isEnabled()
    window.scene.select(node_ids=["t1"])
    assert panel.product == "p"


def test_a_cell_change_is_one_undo_step_and_gives_the_product_its_own_matrix(window, qtbot):
    panel = _panel(window, qtbot)
    panel.set_cell("pricing", "po", "C")
    _settle(window)
    org = window.document.org
    assert org.duty_matrix("p")["pricing"]["po"] == "C" and not org.follows_links("p")
    assert _cell(panel, "pricing", "po") == "C"
    assert window.document.undo_stack.undoText() == "Make Po consulted for pricing and positioning"
    window.document.undo_stack.undo()
    _settle(window)
    assert org.follows_links("p") and _cell(panel, "pricing", "po") == ""


def test_double_click_steps_a_cell_and_keys_set_it(window, qtbot):
    panel = _panel(window, qtbot)
    column = panel.people.index("po")
    panel.table.cellDoubleClicked.emit(ROW["vision"], column)
    _settle(window)
    assert _cell(panel, "vision", "po") == "R"
    panel.table.setCurrentCell(ROW["vision"], column)
    qtbot.keyClick(panel.table, Qt.Key.Key_I)
    _settle(window)
    assert _cell(panel, "vision", "po") == "I"
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    _settle(window)
    assert _cell(panel, "vision", "po") == ""
    assert "p" in window.document.org  # Delete in the grid clears the cell, never the selected product card


def test_cells_breaking_a_rule_are_marked_with_the_finding(window, qtbot):
    panel = _panel(window, qtbot)
    panel.set_cell("roadmap", "po", "A")
    panel.set_cell("pricing", "pm", None)
    _settle(window)
    marks = panel.marks()
    assert marks[(ROW["roadmap"], panel.people.index("po"))].code == "DUT002"
    assert marks[(ROW["roadmap"], panel.people.index("pm"))].code == "DUT002"
    assert marks[(ROW["pricing"], -1)].code == "DUT001"
    assert "DUT001" in panel.table.verticalHeaderItem(ROW["pricing"]).toolTip()


def test_follow_the_chart_drops_the_own_matrix_undoably(window, qtbot):
    panel = _panel(window, qtbot)
    panel.set_cell("vision", "vp", "I")
    _settle(window)
    assert panel.follow.isEnabled()
    panel.follow.click()
    _settle(window)
    assert window.document.org.follows_links("p")
    window.document.undo_stack.undo()
    assert not window.document.org.follows_links("p")


def test_assign_duty_from_a_card_makes_them_accountable_and_the_old_holder_responsible(window, qtbot):
    from PySide6.QtWidgets import QMenu

    show_org(window, healthy_org())
    menu = QMenu(window)
    submenu = add_assign_duty_menu(menu, window.document, "po")
    assert submenu is not None and submenu.title() == "Assign &Duty"
    product_menu = submenu.actions()[0].menu()
    pricing = next(a for a in product_menu.actions() if a.text() == "Pricing and positioning")
    assert not pricing.isChecked()
    pricing.trigger()
    matrix = window.document.org.duty_matrix("p")
    assert matrix["pricing"] == {"pm": "R", "po": "A"}
    window.document.undo_stack.undo()
    assert window.document.org.follows_links("p")


def test_help_explains_duties_with_the_catalog_and_each_profiles_convention(qtbot):
    from planner.ui.help import HelpDialog

    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    dialog.show_topic("duties")
    text = dialog.browser.toPlainText()
    assert text.startswith("Duties: who answers for what")
    assert all(duty.label in text for duty in DUTY_LIST)
    assert "Responsibilities" in text and "[duties]" in text and "DUT003" in text
