"""The chart follows the model; dragging, nudging, connecting and zooming behave like an editor's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QApplication

from planner.chart.link_item import LinkItem
from planner.chart.node_item import NodeItem
from planner.chart.scene import ChartScene
from planner.chart.theme import LIGHT
from planner.model.geometry import CARD_WIDTH, GRID
from planner.model.org import Link, LinkKey, Node
from planner.ui.canvas.view import MAX_ZOOM, MIN_ZOOM
from tests.helpers import make_org
from tests.ui.conftest import click_in_view, drag_in_view, show_org


def test_scene_is_built_from_the_org_and_follows_its_changes(qtbot):
    org = make_org("po:ana team:t1 product:p", "ana owns_backlog t1, t1 builds p")
    scene = ChartScene()
    scene.set_org(org)
    assert set(scene.node_items) == {"ana", "t1", "p"}
    assert set(scene.link_items) == {LinkKey("ana", "t1", "owns_backlog"), LinkKey("t1", "p", "builds")}

    org.add_node(Node("pm", "product_manager", "Lee", x=400, y=0))
    org.add_link(Link("pm", "p", "owns_strategy"))
    assert scene.node_items["pm"].pos() == QPointF(400, 0)
    assert LinkKey("pm", "p", "owns_strategy") in scene.link_items

    org.update_node("ana", name="Ana Souza", title="Product Owner")
    assert (scene.node_items["ana"].name, scene.node_items["ana"].title) == ("Ana Souza", "Product Owner")
    org.move_nodes({"ana": (120.0, 60.0)})
    assert scene.node_items["ana"].pos() == QPointF(120, 60)

    org.remove_node("t1")
    assert "t1" not in scene.node_items
    assert set(scene.link_items) == {LinkKey("pm", "p", "owns_strategy")}
    assert len([i for i in scene.items() if i.type() == scene.node_items["ana"].type()]) == 3


def test_clearing_the_scene_stops_following_the_model(qtbot):
    org = make_org("po:ana team:t1")
    scene = ChartScene()
    scene.set_org(org)
    scene.clear_org()
    org.add_node(Node("t2", "dev_team"))
    assert scene.node_items == {} and scene.items() == []
    assert len(org.node_added) == 0 and len(org.changed) == 0


def test_a_scene_reused_for_another_org_shows_only_that_org_and_finds_its_cards(qtbot):
    scene = ChartScene()
    scene.set_org(make_org("po:ana team:t1 product:p", "ana owns_backlog t1, t1 builds p"))
    scene.items(QRectF(-5000, -5000, 10000, 10000))  # the index is built before the cards go
    second = make_org([("t9", "team", {"x": 400.0, "y": 200.0})])
    scene.set_org(second)
    assert set(scene.node_items) == {"t9"} and scene.link_items == {}
    cards = [item for item in scene.items(QRectF(390, 190, 20, 20)) if item in scene.node_items.values()]
    assert cards == [scene.node_items["t9"]]
    drawn = [item for item in scene.items() if isinstance(item, (NodeItem, LinkItem))]
    assert drawn == [scene.node_items["t9"]]


def test_links_between_the_same_cards_do_not_overlap(qtbot):
    org = make_org(
        [("a", "po", {"x": 0.0, "y": 300.0}), ("b", "pm", {"x": 0.0, "y": 0.0})],
        "a reports_to b, a aligns_with b, b aligns_with a",
    )
    scene = ChartScene()
    scene.set_org(org)
    paths = [item.path() for item in scene.link_items.values()]
    midpoints = {(round(p.pointAtPercent(0.5).x()), round(p.pointAtPercent(0.5).y())) for p in paths}
    assert len(midpoints) == 3


def test_a_link_not_allowed_between_its_kinds_is_drawn_as_invalid(qtbot):
    org = make_org("stake:s team:t", "t stakeholder_of s")
    scene = ChartScene()
    scene.set_org(org)
    assert scene.link_items[LinkKey("t", "s", "stakeholder_of")].invalid


def _render(scene, rect: QRectF, zoom: float) -> QImage:
    image = QImage(int(rect.width() * zoom), int(rect.height() * zoom), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def test_far_zoom_draws_plain_blocks_in_the_kind_colour(qtbot):
    org = make_org([("t", "dev_team", {"name": "A long team name that will never fit on one card at all"})])
    scene = ChartScene()
    scene.set_org(org)
    rect = scene.node_items["t"].scene_card_rect()
    far = _render(scene, rect, 0.1)
    assert far.pixelColor(far.width() // 2, far.height() // 2) == LIGHT.kind_color("dev_team")
    near = _render(scene, rect, 1.0)
    assert near.pixelColor(near.width() // 2, near.height() - 4) == LIGHT.card


def test_dragging_cards_is_one_snapped_move_and_undoes(window):
    org = make_org([("t", "dev_team", {"x": 0.0, "y": 0.0}), ("p", "product", {"x": 400.0, "y": 0.0})])
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(200, 0)
    drag_in_view(window.view, QPointF(-40, 0), QPointF(-40 + 107, 53))
    node = org.node("t")
    assert (node.x, node.y) == (100.0, 60.0)  # snapped to the 20-unit grid
    assert window.document.undo_stack.count() == 1
    assert window.registry["edit.undo"].text() == "&Undo Move card"
    window.registry["edit.undo"].trigger()
    assert (org.node("t").x, org.node("t").y) == (0.0, 0.0)
    assert window.scene.node_items["t"].pos() == QPointF(0, 0)


def test_arrow_keys_nudge_the_selection_by_one_grid_step(window, qtbot):
    org = make_org([("t", "dev_team", {"x": 0.0, "y": 0.0}), ("p", "product", {"x": 400.0, "y": 0.0})])
    show_org(window, org)
    window.scene.select(["t", "p"])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    qtbot.keyClick(window.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    # Qt remembers the modifiers of the last key event application-wide: a plain key lets go of Shift.
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert (org.node("t").x, org.node("t").y) == (GRID, 5 * GRID)
    assert (org.node("p").x, org.node("p").y) == (400 + GRID, 5 * GRID)
    assert window.document.undo_stack.count() == 2


def test_dragging_from_the_connector_links_with_the_proposed_kind(window):
    org = make_org([("ana", "product_owner", {"x": 0.0, "y": 0.0}), ("t", "dev_team", {"x": 400.0, "y": 200.0})])
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(200, 100)
    drag_in_view(window.view, QPointF(CARD_WIDTH / 2, 0), QPointF(400, 200))
    assert org.has_link(LinkKey("ana", "t", "owns_backlog"))
    assert window.scene.selected_link_keys() == [LinkKey("ana", "t", "owns_backlog")]


def test_a_pair_no_link_allows_is_refused_in_the_status_bar(window):
    org = make_org([("s", "stakeholder", {"x": 0.0, "y": 0.0}), ("t", "dev_team", {"x": 400.0, "y": 0.0})])
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(200, 0)
    drag_in_view(window.view, QPointF(CARD_WIDTH / 2, 0), QPointF(400, 0))
    assert org.number_of_links() == 0
    assert "No link can go from a stakeholder to a development team" in window.statusBar().currentMessage()


def test_connect_mode_links_from_anywhere_on_a_card(window):
    org = make_org([("t", "dev_team", {"x": 0.0, "y": 0.0}), ("p", "product", {"x": 400.0, "y": 0.0})])
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(200, 0)
    window.registry["edit.connect"].setChecked(True)
    drag_in_view(window.view, QPointF(-60, 10), QPointF(380, 10))
    assert org.has_link(LinkKey("t", "p", "builds"))
    assert (org.node("t").x, org.node("t").y) == (0.0, 0.0)


def test_ctrl_click_adds_to_the_selection(window):
    org = make_org([("t", "dev_team", {"x": 0.0, "y": 0.0}), ("p", "product", {"x": 400.0, "y": 0.0})])
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(200, 0)
    click_in_view(window.view, QPointF(-40, 0))
    click_in_view(window.view, QPointF(360, 0), Qt.KeyboardModifier.ControlModifier)
    assert sorted(window.scene.selected_node_ids()) == ["p", "t"]


def test_rubber_band_selects_the_cards_it_touches(window):
    org = make_org(
        [
            ("t", "dev_team", {"x": 0.0, "y": 0.0}),
            ("p", "product", {"x": 400.0, "y": 0.0}),
            ("far", "product", {"x": 400.0, "y": 400.0}),
        ]
    )
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(200, 100)
    drag_in_view(window.view, QPointF(-150, -80), QPointF(450, 60))
    assert sorted(window.scene.selected_node_ids()) == ["p", "t"]


def test_zoom_is_clamped_and_fit_shows_every_card(window):
    org = make_org([("a", "dev_team", {"x": -3000.0, "y": 0.0}), ("b", "product", {"x": 3000.0, "y": 900.0})])
    show_org(window, org)
    window.view.set_zoom(1000)
    assert window.view.zoom() == pytest.approx(MAX_ZOOM)
    window.view.set_zoom(0)
    assert window.view.zoom() == pytest.approx(MIN_ZOOM)
    window.registry["view.fit"].trigger()
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.nodes_rect(["a", "b"]))
    window.registry["view.zoom_in"].trigger()
    assert window.zoom_label.text() == f"{window.view.zoom() * 100:.0f} %"


def test_middle_drag_and_space_drag_pan_without_moving_cards(window, qtbot):
    org = make_org([("t", "dev_team", {"x": 0.0, "y": 0.0}), ("p", "product", {"x": 3000.0, "y": 2000.0})])
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(0, 0)
    viewport = window.view.viewport()

    def centre():
        return window.view.mapToScene(viewport.rect().center())

    before = centre()
    start, end = QPoint(400, 300), QPoint(300, 250)
    middle = Qt.MouseButton.MiddleButton
    QApplication.sendEvent(
        viewport,
        QMouseEvent(
            QEvent.Type.MouseButtonPress, QPointF(start), QPointF(start), middle, middle, Qt.KeyboardModifier.NoModifier
        ),
    )
    QApplication.sendEvent(
        viewport,
        QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(end),
            QPointF(end),
            Qt.MouseButton.NoButton,
            middle,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    QApplication.sendEvent(
        viewport,
        QMouseEvent(
            QEvent.Type.MouseButtonRelease,
            QPointF(end),
            QPointF(end),
            middle,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    moved = centre() - before
    assert (round(moved.x()), round(moved.y())) == (100, 50)

    window.view.setFocus()
    qtbot.keyPress(window.view, Qt.Key.Key_Space)
    drag_in_view(window.view, QPointF(0, 0), QPointF(-50, -50))
    qtbot.keyRelease(window.view, Qt.Key.Key_Space)
    assert (org.node("t").x, org.node("t").y) == (0.0, 0.0)
    moved = centre() - before
    assert (round(moved.x()), round(moved.y())) == (150, 100)
    assert window.document.undo_stack.count() == 0


def test_ctrl_wheel_zooms_and_plain_wheel_scrolls(window):
    show_org(window, make_org([("t", "dev_team", {"x": 0.0, "y": 0.0})]))
    window.view.reset_zoom()
    viewport = window.view.viewport()
    point = QPointF(viewport.rect().center())

    def wheel(modifiers):
        event = QWheelEvent(
            point,
            QPointF(viewport.mapToGlobal(point.toPoint())),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            modifiers,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(viewport, event)

    wheel(Qt.KeyboardModifier.ControlModifier)
    assert window.view.zoom() == pytest.approx(1.25)
    wheel(Qt.KeyboardModifier.NoModifier)
    assert window.view.zoom() == pytest.approx(1.25)


def test_a_dark_palette_repaints_the_chart_in_dark_colours(window):
    from planner.chart.theme import make_palette

    app = QApplication.instance()
    previous = app.palette()
    try:
        app.setPalette(make_palette(True))
        QApplication.processEvents()
        assert window.scene.theme.dark and window.view.theme.dark
    finally:
        app.setPalette(previous)
        QApplication.processEvents()
    assert not window.scene.theme.dark


def test_the_legend_lists_every_kind_and_folds_away_on_click(window, qtbot):
    legend = window.view.legend
    assert legend.isVisible() and not legend.collapsed
    full = legend.size()
    qtbot.mouseClick(legend, Qt.MouseButton.LeftButton)
    assert legend.collapsed and legend.width() < full.width() / 3
    qtbot.mouseClick(legend, Qt.MouseButton.LeftButton)
    assert legend.size() == full
    window.registry["view.legend"].setChecked(False)
    assert not legend.isVisible()


def test_fitting_keeps_the_cards_clear_of_the_legend(window):
    org = make_org([("a", "dev_team", {"x": 0.0, "y": 0.0}), ("b", "product", {"x": 0.0, "y": 1200.0})])
    show_org(window, org)
    window.registry["view.fit"].trigger()
    legend = window.view.legend.geometry().translated(-window.view.viewport().pos())
    for item in window.scene.node_items.values():
        card = window.view.mapFromScene(item.scene_card_rect()).boundingRect()
        assert not card.intersects(legend)


def test_while_drawing_a_link_the_card_under_the_pointer_says_whether_it_can_take_it(window):
    org = make_org(
        [
            ("ana", "product_owner", {"x": 0.0, "y": 0.0}),
            ("t", "dev_team", {"x": 400.0, "y": 0.0}),
            ("s", "stakeholder", {"x": 0.0, "y": 300.0}),
        ]
    )
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(200, 150)
    viewport = window.view.viewport()
    left = Qt.MouseButton.LeftButton

    def send(kind, scene_point, button, buttons):
        point = QPointF(window.view.mapFromScene(scene_point))
        QApplication.sendEvent(
            viewport, QMouseEvent(kind, point, point, button, buttons, Qt.KeyboardModifier.NoModifier)
        )

    send(QEvent.Type.MouseButtonPress, QPointF(CARD_WIDTH / 2, 0), left, left)
    send(QEvent.Type.MouseMove, QPointF(400, 0), Qt.MouseButton.NoButton, left)
    assert window.scene.node_items["t"].drop_hint == "accept"
    send(QEvent.Type.MouseMove, QPointF(0, 300), Qt.MouseButton.NoButton, left)
    assert window.scene.node_items["t"].drop_hint is None
    assert window.scene.node_items["s"].drop_hint == "accept"  # a product owner engages stakeholders
    send(QEvent.Type.MouseMove, QPointF(200, 150), Qt.MouseButton.NoButton, left)
    send(QEvent.Type.MouseButtonRelease, QPointF(200, 150), left, Qt.MouseButton.NoButton)
    assert all(item.drop_hint is None for item in window.scene.node_items.values())
    assert org.number_of_links() == 0


def test_a_refused_target_is_ringed_in_red(window):
    org = make_org([("s", "stakeholder", {"x": 0.0, "y": 0.0}), ("t", "dev_team", {"x": 400.0, "y": 0.0})])
    show_org(window, org)
    window.view.reset_zoom()
    window.view.centerOn(200, 0)
    viewport = window.view.viewport()
    left = Qt.MouseButton.LeftButton
    start = QPointF(window.view.mapFromScene(QPointF(CARD_WIDTH / 2, 0)))
    over = QPointF(window.view.mapFromScene(QPointF(400, 0)))
    QApplication.sendEvent(
        viewport, QMouseEvent(QEvent.Type.MouseButtonPress, start, start, left, left, Qt.KeyboardModifier.NoModifier)
    )
    QApplication.sendEvent(
        viewport,
        QMouseEvent(QEvent.Type.MouseMove, over, over, Qt.MouseButton.NoButton, left, Qt.KeyboardModifier.NoModifier),
    )
    assert window.scene.node_items["t"].drop_hint == "refuse"
    QApplication.sendEvent(
        viewport,
        QMouseEvent(
            QEvent.Type.MouseButtonRelease, over, over, left, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
        ),
    )
    assert window.scene.node_items["t"].drop_hint is None


def test_escape_leaves_connect_mode(window, qtbot):
    show_org(window, make_org("team:t"))
    window.registry["edit.connect"].setChecked(True)
    assert window.scene.connect_mode
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not window.registry["edit.connect"].isChecked() and not window.scene.connect_mode


def test_the_chart_scene_takes_no_input_and_the_editor_scene_does(qtbot):
    from PySide6.QtWidgets import QGraphicsItem

    from planner.ui.canvas.scene import EditorScene

    org = make_org("po:ana team:t1", "ana owns_backlog t1")
    flags = QGraphicsItem.GraphicsItemFlag
    chart, editor = ChartScene(), EditorScene()
    for scene in (chart, editor):
        scene.set_org(org)
    card, line = chart.node_items["ana"], chart.link_items[LinkKey("ana", "t1", "owns_backlog")]
    assert not card.flags() & (flags.ItemIsSelectable | flags.ItemIsMovable) and not card.acceptHoverEvents()
    assert not line.flags() & flags.ItemIsSelectable
    card = editor.node_items["ana"]
    assert card.flags() & flags.ItemIsSelectable and card.flags() & flags.ItemIsMovable and card.acceptHoverEvents()
    chart.clear_org()
    editor.clear_org()


@pytest.mark.parametrize("zoom", [1.0, 0.35, 0.25, 0.1])
def test_the_red_ring_of_a_refused_target_shows_at_every_zoom(window, zoom):
    from PySide6.QtGui import QColor

    from planner.chart.theme import current_theme

    org = make_org([("s", "stakeholder", {"x": 0.0, "y": 0.0}), ("t", "dev_team", {"x": 400.0, "y": 0.0})])
    show_org(window, org)
    window.view.set_zoom(zoom)
    window.view.centerOn(window.scene.node_items["t"])
    red = current_theme().severity_color("error")

    def red_pixels() -> int:
        QApplication.processEvents()
        image = window.view.viewport().grab().toImage()
        card = window.view.mapFromScene(window.scene.node_items["t"].scene_card_rect()).boundingRect()
        count = 0
        for x in range(max(0, card.left() - 6), min(image.width(), card.right() + 6)):
            for y in range(max(0, card.top() - 6), min(image.height(), card.bottom() + 6)):
                colour = QColor(image.pixel(x, y))
                if (
                    abs(colour.red() - red.red()) + abs(colour.green() - red.green()) + abs(colour.blue() - red.blue())
                    < 60
                ):
                    count += 1
        return count

    before = red_pixels()
    scene = window.scene
    scene._connect_source = scene.node_items["s"]  # a stakeholder cannot link to a team
    scene._show_connect_target(scene.node_items["t"])
    assert red_pixels() > before + 20
    scene.cancel_connection()
    assert red_pixels() <= before + 2
