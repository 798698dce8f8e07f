"""Every edit undoes and redoes in one step per user action, restoring the model and the chart alike."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from planner.io.native import dumps
from planner.model.org import LinkKey
from tests.helpers import make_org
from tests.ui.conftest import show_org


def chart_state(window):
    """What the chart shows: every card's position and text, and every link."""
    cards = {
        node_id: (item.pos().x(), item.pos().y(), item.kind, item.name, item.title, item.vacant)
        for node_id, item in window.scene.node_items.items()
    }
    return cards, set(window.scene.link_items)


def test_a_session_of_edits_undoes_and_redoes_model_and_chart(window, qtbot):
    org = make_org([("po", "po", {"x": 0.0}), ("t", "team", {"x": 300.0})])
    show_org(window, org)
    states = [(dumps(org), chart_state(window))]

    def record():
        states.append((dumps(org), chart_state(window)))

    window.editing.add_node_at("product", QPointF(600, 0))
    record()
    product = window.scene.selected_node_ids()[0]
    window.editing.request_link("po", "t")
    record()
    window.editing.request_link("t", product)
    record()
    window.document.move_nodes({"po": (0.0, 200.0), "t": (300.0, 200.0)})
    record()
    window.scene.select(["t"])
    window.inspector.vacant.setChecked(True)
    record()
    window.scene.select(["po", product])
    window.registry["edit.delete"].trigger()
    record()
    assert window.document.undo_stack.count() == len(states) - 1

    for expected in reversed(states[:-1]):
        window.registry["edit.undo"].trigger()
        assert (dumps(org), chart_state(window)) == expected
    for expected in states[1:]:
        window.registry["edit.redo"].trigger()
        assert (dumps(org), chart_state(window)) == expected


def test_typing_in_a_field_is_one_undo_step_named_after_it(window, qtbot):
    org = make_org("po:ana")
    show_org(window, org)
    window.scene.select(["ana"])
    field = window.inspector.name
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "Ana Souza")
    assert org.node("ana").name == "Ana Souza"
    assert window.scene.node_items["ana"].name == "Ana Souza"
    assert window.document.undo_stack.count() == 1
    assert window.registry["edit.undo"].text() == "&Undo Edit name of Ana"
    window.registry["edit.undo"].trigger()
    assert org.node("ana").name == "Ana"
    assert field.text() == "Ana"
    assert window.scene.node_items["ana"].name == "Ana"


def test_a_new_visit_to_a_field_is_a_new_undo_step(window, qtbot):
    org = make_org("po:ana")
    show_org(window, org)
    window.scene.select(["ana"])
    qtbot.keyClicks(window.inspector.title, "Product")
    window.scene.select([])
    window.scene.select(["ana"])
    qtbot.keyClicks(window.inspector.title, " Owner")
    assert org.node("ana").title == "Product Owner"
    assert window.document.undo_stack.count() == 2
    window.registry["edit.undo"].trigger()
    assert org.node("ana").title == "Product"


def test_the_modified_mark_follows_the_clean_state(window):
    org = make_org("team:t")
    show_org(window, org)
    assert not window.isWindowModified()
    window.document.add_node("product", 300, 0)
    assert window.isWindowModified()
    assert window.windowTitle().endswith("[*]")
    window.registry["edit.undo"].trigger()
    assert not window.isWindowModified()
    window.registry["edit.redo"].trigger()
    assert window.isWindowModified()


def test_undo_menu_items_name_the_action(window):
    org = make_org("po:ana team:t")
    show_org(window, org)
    assert not window.registry["edit.undo"].isEnabled()
    window.editing.request_link("ana", "t")
    assert window.registry["edit.undo"].text() == "&Undo Add “owns backlog” link"
    window.registry["edit.undo"].trigger()
    assert window.registry["edit.redo"].text() == "&Redo Add “owns backlog” link"
    assert not org.has_link(LinkKey("ana", "t", "owns_backlog"))


def test_renaming_the_org_updates_the_title_and_undoes(window, qtbot):
    org = make_org("team:t", name="Acme")
    show_org(window, org)
    window.scene.select([])
    window.inspector.org_name.setFocus()
    window.inspector.org_name.selectAll()
    qtbot.keyClicks(window.inspector.org_name, "Globex")
    assert org.name == "Globex"
    assert window.windowTitle().startswith("Globex")
    assert window.document.undo_stack.count() == 1
    window.registry["edit.undo"].trigger()
    assert org.name == "Acme"
    assert window.windowTitle().startswith("Acme")
