"""Jumping to cards as in drawing tools: scroll only when they are off screen, zoom in until they are readable."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from planner.layout import layered_layout
from planner.synthetic import synthetic_org
from planner.ui.canvas.view import READABLE_ZOOM
from tests.helpers import make_org
from tests.ui.conftest import show_org


def scroll_of(view):
    return view.horizontalScrollBar().value(), view.verticalScrollBar().value(), view.zoom()


def shown(view, node_id) -> bool:
    rect = view.mapFromScene(view.scene().node_items[node_id].scene_card_rect()).boundingRect()
    return view.viewport().rect().contains(rect)


def laid_out(nodes: int, seed: int):
    org = synthetic_org(nodes, seed=seed)
    org.move_nodes(layered_layout(org))
    return org


def row_org():
    return make_org([(f"t{i}", "team", {"x": i * 260.0, "y": 0.0}) for i in range(12)], "")


def test_a_card_already_in_view_is_selected_without_moving_the_view(window):
    show_org(window, row_org())
    window.view.reset_zoom()
    window.view.centerOn(QPointF(600, 60))
    before = scroll_of(window.view)
    assert shown(window.view, "t2")
    window.focus_nodes(["t2"])
    assert window.scene.selected_node_ids() == ["t2"]
    assert scroll_of(window.view) == before


def test_a_card_off_screen_is_scrolled_into_view_at_the_same_zoom(window):
    show_org(window, row_org())
    window.view.reset_zoom()
    window.view.centerOn(QPointF(0, 60))
    assert not shown(window.view, "t11")
    window.focus_nodes(["t11"])
    assert shown(window.view, "t11")
    assert window.view.zoom() == 1.0


def test_a_card_in_view_but_too_small_to_read_is_zoomed_about_where_it_is(window):
    show_org(window, row_org())
    view = window.view
    view.set_zoom(0.3)
    view.centerOn(QPointF(5 * 260.0, 0))
    card = window.scene.node_items["t6"]
    before = view.mapFromScene(card.scene_card_rect().center())
    assert shown(view, "t6") and before.x() > view.viewport().width() / 2 + 40  # right of the middle
    window.focus_nodes(["t6"])
    after = view.mapFromScene(card.scene_card_rect().center())
    assert view.zoom() >= READABLE_ZOOM
    assert abs(after.x() - before.x()) <= 2 and abs(after.y() - before.y()) <= 2  # where the eye already was


def test_a_card_on_a_far_zoomed_out_chart_is_zoomed_to_a_readable_size(window):
    org = laid_out(2000, 3)
    show_org(window, org)
    window.view.fit_all()
    assert window.view.zoom() < 0.2
    target = sorted(node.id for node in org.nodes())[len(org) // 2]
    window.focus_nodes([target])
    assert window.view.zoom() >= READABLE_ZOOM
    assert shown(window.view, target)


def test_find_brings_a_match_into_view_readably(window):
    org = laid_out(1500, 4)
    show_org(window, org)
    window.view.fit_all()
    name = sorted(node.name for node in org.nodes())[-1]
    found = window.view_state.find_step(name)
    assert found
    assert window.view.zoom() >= READABLE_ZOOM - 1e-9 and shown(window.view, found[0])


def test_a_find_query_is_cleared_for_another_org_but_kept_on_a_reload(window, tmp_path):
    from planner.io import save_org

    first, second = tmp_path / "first.json", tmp_path / "second.json"
    save_org(row_org(), first)
    save_org(row_org(), second)
    assert window.open_path(first)
    window.view_state.find_field.setText("t3")
    assert window.open_path(first), "opening the same file again is a reload"
    assert window.view_state.find_field.text() == "t3"
    assert window.open_path(second)
    assert window.view_state.find_field.text() == ""
    window.view_state.find_field.setText("t4")
    assert window.new_blank()
    assert window.view_state.find_field.text() == ""
