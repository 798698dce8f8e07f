"""Large orgs on screen: filter, fold, find step by step, the overview map, arrange, print, far-away sketch."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsItem, QProgressDialog

from planner.io.native import dumps
from planner.layout import layered_layout
from planner.layout.layered import LAYERED_STEPS
from planner.model.geometry import CARD_WIDTH
from planner.model.org import LinkKey
from planner.synthetic import synthetic_org
from planner.ui.canvas.folding import product_family, reporting_subtree
from planner.ui.printing import print_to_pdf
from tests.helpers import healthy_org, make_org
from tests.ui.conftest import click_in_view, drag_in_view, show_org


def two_products():
    """A leader over two PMs, each with a PO, a team, a product and a stakeholder."""
    return make_org(
        [
            ("vp", "lead", {"x": 0.0, "y": 0.0}),
            ("pm1", "pm", {"x": -400.0, "y": 200.0}),
            ("pm2", "pm", {"x": 400.0, "y": 200.0}),
            ("po1", "po", {"x": -400.0, "y": 400.0}),
            ("po2", "po", {"x": 400.0, "y": 400.0}),
            ("t1", "team", {"x": -400.0, "y": 600.0}),
            ("t2", "team", {"x": 400.0, "y": 600.0}),
            ("p1", "product", {"x": -400.0, "y": 800.0}),
            ("p2", "product", {"x": 400.0, "y": 800.0}),
            ("s1", "stake", {"x": -400.0, "y": 1000.0}),
            ("s2", "stake", {"x": 400.0, "y": 1000.0}),
        ],
        "pm1 reports_to vp, pm2 reports_to vp, po1 reports_to pm1, po2 reports_to pm2,"
        " pm1 owns_strategy p1, pm2 owns_strategy p2, po1 owns_backlog t1, po2 owns_backlog t2,"
        " t1 builds p1, t2 builds p2, s1 stakeholder_of p1, s2 stakeholder_of p2",
    )


def dimmed(window) -> set[str]:
    return {node_id for node_id, item in window.scene.node_items.items() if item.opacity() < 1.0}


def hidden(window) -> set[str]:
    return {node_id for node_id, item in window.scene.node_items.items() if not item.isVisible()}


def test_subtrees_of_a_leader_and_a_product():
    org = two_products()
    assert reporting_subtree(org, "vp") == {"pm1", "pm2", "po1", "po2"}
    assert reporting_subtree(org, "pm1") == {"po1"}
    assert product_family(org, "p1") == {"t1", "po1", "pm1", "s1"}


def test_filter_by_kind_dims_every_other_card(window):
    show_org(window, two_products())
    window.view_state.set_filter(kind="product_owner")
    assert dimmed(window) == set(window.scene.node_items) - {"po1", "po2"}
    window.view_state.clear_filter()
    assert dimmed(window) == set()


def test_filter_by_product_keeps_its_people_bright_and_its_links(window):
    show_org(window, two_products())
    combo = window.view_state.filter_combo
    index = combo.findText("Product: P1")
    assert index >= 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert dimmed(window) == {"vp", "pm2", "po2", "t2", "p2", "s2"}
    links = window.scene.link_items
    assert next(item for key, item in links.items() if key.source == "t1").opacity() == 1.0
    assert next(item for key, item in links.items() if key.source == "t2").opacity() < 1.0


def test_fold_hides_the_subtree_and_unfold_restores_it_without_touching_the_model(window):
    org = two_products()
    show_org(window, org)
    saved = dumps(org)
    assert window.view_state.fold("vp")
    assert hidden(window) == {"pm1", "pm2", "po1", "po2"}
    assert window.scene.node_items["vp"].folded_count == 4
    assert not any(
        item.isVisible()
        for key, item in window.scene.link_items.items()
        if key.source in {"pm1", "pm2", "po1", "po2"} or key.target in {"pm1", "pm2", "po1", "po2"}
    )
    assert window.view_state.fold("p2")
    assert hidden(window) == {"pm1", "pm2", "po1", "po2", "t2", "s2"}
    assert window.view_state.unfold("vp")
    assert hidden(window) == {"pm2", "po2", "t2", "s2"}
    window.view_state.unfold_all()
    assert hidden(window) == set()
    assert window.scene.node_items["vp"].folded_count == 0
    assert dumps(org) == saved
    assert not window.document.is_modified()
    assert window.document.undo_stack.count() == 0


def test_unfolding_replaces_the_folded_message_in_the_status_bar(window):
    show_org(window, two_products())
    window.view_state.fold("vp")
    assert "folded under" in window.statusBar().currentMessage()
    window.view_state.unfold("vp")
    assert "folded" not in window.statusBar().currentMessage()
    window.view_state.fold("p1")
    window.registry["view.unfold_all"].trigger()
    assert "folded" not in window.statusBar().currentMessage()


def test_fold_from_the_context_menu_and_a_new_org_starts_unfolded(window):
    show_org(window, two_products())
    window.scene.select(["p1"])
    menu = window.build_context_menu(QPointF())
    fold = next(action for action in menu.actions() if action.text().startswith("&Fold"))
    fold.trigger()
    assert hidden(window) == {"t1", "po1", "pm1", "s1"}
    show_org(window, healthy_org())
    assert hidden(window) == set()


def test_a_card_folded_away_is_unfolded_when_the_user_deletes_its_leader(window):
    show_org(window, two_products())
    assert not window.view_state.fold("pm1")
    window.view_state.fold("vp")
    assert hidden(window) == {"pm1", "pm2", "po1", "po2"}
    window.document.remove(["vp"])
    QApplication.processEvents()
    assert hidden(window) == set()
    window.document.undo_stack.undo()
    QApplication.processEvents()
    assert hidden(window) == set()


def test_find_steps_forward_and_back_and_unfolds_a_hidden_match(window, qtbot):
    show_org(window, two_products())
    window.view_state.fold("vp")
    window.view_state.find_field.setText("po")
    window.registry["edit.find_next"].trigger()
    assert window.scene.selected_node_ids() == ["po1"]
    assert window.scene.node_items["po1"].isVisible()
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.nodes_rect(["po1"]))
    window.registry["edit.find_next"].trigger()
    assert window.scene.selected_node_ids() == ["po2"]
    window.registry["edit.find_previous"].trigger()
    assert window.scene.selected_node_ids() == ["po1"]
    assert "Match 1 of 2" in window.statusBar().currentMessage()


def test_the_overview_measures_the_chart_again_when_cards_move_or_fold(window):
    org = two_products()
    show_org(window, org)
    overview = window.view.overview
    before = overview.chart_rect()
    node = next(iter(org.nodes()))
    org.update_node(node.id, name="Renamed")
    assert overview.chart_rect() == before
    org.move_nodes({node.id: (before.right() + 3000.0, before.top())})
    assert overview.chart_rect().right() > before.right() + 2900
    window.scene.set_view_state({node.id}, {}, None)  # folded away: the map leaves it out
    assert overview.chart_rect().right() <= before.right()


def test_a_click_on_the_overview_moves_the_view_there(window):
    show_org(window, two_products())
    window.view.reset_zoom()
    window.view.centerOn(-400, 0)
    overview = window.view.overview
    assert overview.isVisible()
    overview.invalidate()
    overview.repaint()
    target = overview.map_from_scene(QPointF(400, 1000))
    point = QPoint(round(target.x()), round(target.y()))
    left = Qt.MouseButton.LeftButton
    press = QMouseEvent(
        QEvent.Type.MouseButtonPress,
        QPointF(point),
        QPointF(overview.mapToGlobal(point)),
        left,
        left,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(overview, press)
    centre = window.view.mapToScene(window.view.viewport().rect().center())
    assert abs(centre.x() - 400) < 40 and abs(centre.y() - 1000) < 40
    window.registry["view.overview"].setChecked(False)
    assert not overview.isVisible()


def test_arranging_a_selection_is_one_undo_step_and_leaves_the_other_cards(window):
    org = two_products()
    org.move_nodes({"po1": (3000.0, 3000.0), "t1": (-2000.0, 5000.0), "p1": (0.0, 9000.0)})
    show_org(window, org)
    before = {node.id: (node.x, node.y) for node in org.nodes()}
    window.scene.select(["po1", "t1", "p1"])
    window.registry["edit.arrange"].trigger()
    after = {node.id: (node.x, node.y) for node in org.nodes()}
    moved = {node_id for node_id in before if before[node_id] != after[node_id]}
    assert moved and moved <= {"po1", "t1", "p1"}
    assert window.document.undo_stack.count() == 1
    assert window.document.undo_stack.undoText() == "Arrange selection"
    window.document.undo_stack.undo()
    assert {node.id: (node.x, node.y) for node in org.nodes()} == before


def test_arrange_as_reporting_tree_puts_managers_above_their_reports_in_one_step(window):
    org = two_products()
    org.move_nodes({"vp": (0.0, 2000.0), "pm1": (0.0, 0.0)})
    show_org(window, org)
    window.registry["edit.arrange_tree"].trigger()
    assert window.document.undo_stack.count() == 1
    assert window.document.undo_stack.undoText() == "Arrange as reporting tree"
    assert org.node("vp").y < org.node("pm1").y < org.node("po1").y
    assert window.scene.node_items["vp"].pos() == QPointF(org.node("vp").x, org.node("vp").y)


def printed_names(page) -> dict[str, tuple[float, float]]:
    """Each text piece on a PDF page and where it starts, in page units."""
    found = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found[text.strip()] = (x, y)

    page.extract_text(visitor_text=visit)
    return found


def test_print_to_pdf_makes_one_page_with_every_card_on_it(tmp_path, qtbot):
    out = tmp_path / "chart.pdf"
    org = two_products()
    assert print_to_pdf(org, str(out)) == 1
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    names = printed_names(page)
    box = page.mediabox
    for node in org.nodes():
        assert node.label in names
        x, y = names[node.label]
        assert float(box.left) <= x <= float(box.right) and float(box.bottom) <= y <= float(box.top), node.label


def test_far_out_the_chart_is_one_sketch_and_close_up_cards_paint_themselves(window):
    org = synthetic_org(600, seed=3)
    show_org(window, org)
    window.view.set_zoom(0.05)
    scene = window.scene
    assert scene.sketch is not None and scene.sketch.scene() is scene
    card = next(iter(scene.node_items.values()))
    assert card.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    window.view.grab()
    window.view.set_zoom(1.0)
    assert scene.sketch is None
    assert not card.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def test_a_click_on_the_plus_tag_unfolds_the_card(window):
    show_org(window, two_products())
    window.view_state.fold("p1")
    window.view.reset_zoom()
    window.view.centerOn(-400, 800)
    card = window.scene.node_items["p1"].scene_card_rect()
    click_in_view(window.view, QPointF(card.right() - 30, card.bottom() - 2))
    assert hidden(window) == set()
    assert window.scene.node_items["p1"].folded_count == 0


def test_file_print_prints_the_chart_through_the_print_dialog(window, tmp_path, monkeypatch):
    from PySide6 import QtPrintSupport

    import planner.ui.printing

    out = tmp_path / "printed.pdf"

    class AcceptingPrintDialog(QtPrintSupport.QPrintDialog):
        def exec(self):
            self.printer().setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
            self.printer().setOutputFileName(str(out))
            return QtPrintSupport.QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(planner.ui.printing, "QPrintDialog", AcceptingPrintDialog)
    monkeypatch.setattr(planner.ui.printing, "choose_tiling", lambda parent: False)
    show_org(window, two_products())
    window.registry["file.print"].trigger()
    assert len(PdfReader(str(out)).pages) == 1
    assert "1 page" in window.statusBar().currentMessage()


def test_dragging_a_card_snaps_it_and_takes_its_links_along(window):
    show_org(window, two_products())
    window.view.reset_zoom()
    window.view.centerOn(-400, 600)
    link = next(item for key, item in window.scene.link_items.items() if key.source == "t1")
    start = link.line().p1()
    drag_in_view(window.view, QPointF(-400, 600), QPointF(-263, 651))
    assert window.document.org.node("t1").x % 20 == 0 and window.document.org.node("t1").y % 20 == 0
    assert window.scene.node_items["t1"].pos() != QPointF(-400, 600)
    assert link.line().p1() != start
    assert window.scene.node_items["t1"].scene_card_rect().adjusted(-3, -3, 3, 3).contains(link.line().p1())


def test_arranging_a_large_org_restores_the_cursor_and_is_one_step(window, qtbot):
    from PySide6.QtGui import QGuiApplication

    import planner.ui.arranging as arranging

    show_org(window, synthetic_org(2100, seed=5))
    window.registry["edit.arrange"].trigger()
    assert QGuiApplication.overrideCursor() is None
    assert window.document.undo_stack.count() == 1
    assert window.document.undo_stack.undoText() == "Arrange chart"
    # Once the work is done no progress window may turn up late, even after the delay it waits before showing.
    qtbot.wait(arranging.PROGRESS_DELAY_MS + 300)
    assert not any(isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def gate_the_arrangement(monkeypatch, opened):
    """Arrange in the background with the dialog at once; the layout waits after its first step until ``opened``.

    The wait happens in the worker thread: only a GUI thread that keeps handling events can open the gate.
    """
    import planner.ui.arranging as arranging

    real = arranging.arrange_graph
    reached_gate = []

    def gated(graph, style, keep_place, progress):
        def progress_at_gate(done, total):
            if done == 1:
                reached_gate.append(opened.wait(20))
            return progress(done, total)

        return real(graph, style, keep_place, progress_at_gate)

    monkeypatch.setattr(arranging, "BACKGROUND_ARRANGE_NODES", 100)
    monkeypatch.setattr(arranging, "PROGRESS_DELAY_MS", 0)
    monkeypatch.setattr(arranging, "arrange_graph", gated)
    return reached_gate


def positions_of(org):
    return {node.id: (node.x, node.y) for node in org.nodes()}


def test_arranging_shows_progress_keeps_the_window_answering_and_is_one_undo_step(window, monkeypatch):
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QPushButton

    opened = threading.Event()
    reached_gate = gate_the_arrangement(monkeypatch, opened)
    org = synthetic_org(400, seed=2)
    show_org(window, org)
    before = positions_of(org)
    seen = []

    def look():
        dialog = window.arranger.progress_dialog
        # The layout's first report (how many steps in all) comes before the gate.
        if dialog is not None and dialog.isVisible() and dialog.maximum() > 0:
            seen.append((dialog.windowTitle(), dialog.labelText(), dialog.maximum(), dialog.isModal()))
            opened.set()

    ticks = QTimer()
    ticks.setInterval(10)
    ticks.timeout.connect(look)
    ticks.start()
    placing = []
    move_nodes = window.document.move_nodes

    def watch_the_move(positions, text=""):
        dialog = window.arranger.progress_dialog
        placing.append((dialog.labelText(), dialog.findChild(QPushButton).isEnabled(), dialog.isVisible()))
        return move_nodes(positions, text)

    monkeypatch.setattr(window.document, "move_nodes", watch_the_move)
    try:
        assert window.arranger.arrange("layered")
    finally:
        ticks.stop()
    assert reached_gate == [True], "the worker waited in vain: the window stopped handling events"
    assert placing == [(f"Placing {len(org)} cards…", False, True)]
    title, label, maximum, modal = seen[0]
    assert title == "Arrange chart" and label == f"Arranging {len(org)} cards…" and maximum == LAYERED_STEPS and modal
    assert window.arranger.progress_dialog is None
    assert not any(isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    after = positions_of(org)
    assert after != before
    assert window.scene.node_items["cpo"].pos() == QPointF(*after["cpo"])
    assert window.document.undo_stack.count() == 1
    assert window.document.undo_stack.undoText() == "Arrange chart"
    window.document.undo_stack.undo()
    assert positions_of(org) == before


def test_cancelling_the_progress_dialog_moves_no_card_and_adds_no_undo_step(window, monkeypatch):
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QPushButton

    opened = threading.Event()
    gate_the_arrangement(monkeypatch, opened)
    org = synthetic_org(400, seed=3)
    show_org(window, org)
    window.document.undo_stack.setClean()
    before = positions_of(org)
    saved = dumps(org)

    def press_cancel():
        dialog = window.arranger.progress_dialog
        if dialog is not None and dialog.isVisible() and not opened.is_set():
            dialog.findChild(QPushButton).click()
            opened.set()

    ticks = QTimer()
    ticks.setInterval(10)
    ticks.timeout.connect(press_cancel)
    ticks.start()
    try:
        assert not window.arranger.arrange("tree")
    finally:
        ticks.stop()
    assert opened.is_set()
    assert positions_of(org) == before and dumps(org) == saved
    assert window.document.undo_stack.count() == 0
    assert not window.document.is_modified()
    assert "cancelled" in window.statusBar().currentMessage()
    assert QGuiApplication.overrideCursor() is None
    assert window.arranger.progress_dialog is None


def cards_under_floating_panels(window) -> list[tuple[str, str]]:
    """(panel, card) for every visible card that the overview map or the legend covers, even in part."""
    view = window.view
    offset = view.viewport().geometry().topLeft()
    covered = []
    for panel in (view.overview, view.legend):
        if not panel.isVisible():
            continue
        for node_id, item in window.scene.node_items.items():
            card = view.mapFromScene(item.scene_card_rect()).boundingRect().translated(offset)
            if item.isVisible() and card.intersects(panel.geometry()):
                covered.append((panel.objectName() or "legend", node_id))
    return covered


def line_of_teams(count: int, dx: float, dy: float):
    return make_org([(f"t{index}", "team", {"x": index * dx, "y": index * dy}) for index in range(count)], "")


@pytest.mark.parametrize("size", [(1200, 800), (900, 600), (1600, 650)])
@pytest.mark.parametrize("shape", ["wide", "tall", "diagonal", "arranged"])
def test_after_fit_no_card_hides_under_the_overview_map_or_the_legend(window, size, shape):
    if shape == "arranged":
        org = synthetic_org(600, seed=2)
        org.move_nodes(layered_layout(org))
    else:
        org = line_of_teams(14, *{"wide": (240, 0), "tall": (0, 120), "diagonal": (240, 120)}[shape])
    window.resize(*size)
    show_org(window, org)
    window.registry["view.fit"].trigger()
    QApplication.processEvents()
    assert not window.view.overview.isVisible()  # the whole chart is in view: a map would add nothing
    assert cards_under_floating_panels(window) == []
    shown = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert all(shown.contains(item.scene_card_rect()) for item in window.scene.node_items.values())
    window.view.reset_zoom()
    QApplication.processEvents()
    assert window.view.overview.isVisible()  # part of it is out of view again: the map is back


def viewport_image(view):
    QApplication.processEvents()
    return view.viewport().grab().toImage()


def near(color, target, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(color.getRgb()[:3], target.getRgb()[:3], strict=True))


@pytest.mark.parametrize("zoom", [0.3, 0.08, 0.02])
def test_zoomed_out_a_folded_card_keeps_a_readable_plus_n_and_a_click_on_it_unfolds(window, zoom):
    from planner.chart.node_item import fold_marker_rect

    show_org(window, two_products())
    view = window.view
    view.set_zoom(zoom)
    view.centerOn(0, 400)
    corner = view.mapFromScene(window.scene.node_items["vp"].scene_card_rect().bottomRight())
    marker = fold_marker_rect(4, window.scene.fonts.marker_metrics).translated(QPointF(corner))
    # Beyond the card's right edge: nothing there until the card is folded.
    beside = marker.adjusted(marker.height() / 2 + 2, 2, -2, -2).toRect()
    leader = window.scene.theme.kind_color("leader")

    def looks(image):
        pixels = [
            image.pixelColor(x, y)
            for x in range(beside.left(), beside.right() + 1)
            for y in range(beside.top(), beside.bottom() + 1)
        ]
        return (
            sum(near(pixel, leader) for pixel in pixels) / len(pixels),
            sum(min(pixel.getRgb()[:3]) > 235 for pixel in pixels),
        )

    unfolded_colour, _ = looks(viewport_image(view))
    window.view_state.fold("vp")
    folded_colour, white_text = looks(viewport_image(view))
    assert unfolded_colour < 0.05
    assert folded_colour > 0.3 and white_text > 3, "the +4 marker is not drawn far out"
    assert marker.width() >= 20 and marker.height() >= 12, "the marker is too small to read"

    click_in_view(view, view.mapToScene(marker.center().toPoint()))
    assert hidden(window) == set()
    assert window.scene.node_items["vp"].folded_count == 0


def two_cards_apart():
    return make_org([("ana", "product_owner", {"x": 0.0, "y": 0.0}), ("t", "dev_team", {"x": 1200.0, "y": 600.0})], "")


def test_zoomed_out_the_connector_handle_grows_and_still_links(window):
    org = two_cards_apart()
    show_org(window, org)
    view = window.view
    view.set_zoom(0.35)
    view.centerOn(600, 300)
    assert not window.scene.sketch_mode
    edge = view.mapFromScene(QPointF(CARD_WIDTH / 2, 0))
    colour = window.scene.theme.kind_color("product_owner")

    def handle_pixels():
        image = viewport_image(view)
        return sum(
            near(image.pixelColor(x, y), colour)
            for x in range(edge.x() + 2, edge.x() + 9)
            for y in range(edge.y() - 6, edge.y() + 7)
        )

    assert handle_pixels() == 0
    window.scene.select(["ana"])
    assert handle_pixels() >= 6, "the selected card shows no connector handle"
    drag_in_view(view, QPointF(CARD_WIDTH / 2 + 6, 0), QPointF(1200, 600))
    assert org.has_link(LinkKey("ana", "t", "owns_backlog"))


def test_far_out_the_connector_handle_is_gone_and_connect_mode_links_instead(window):
    org = two_cards_apart()
    show_org(window, org)
    view = window.view
    view.set_zoom(0.1)
    view.centerOn(600, 300)
    assert window.scene.sketch_mode
    window.scene.select(["ana"])
    assert window.scene.connector_at(QPointF(CARD_WIDTH / 2, 0), view.zoom()) is None
    drag_in_view(view, QPointF(CARD_WIDTH / 2 - 4, 0), QPointF(1200, 600))
    assert org.number_of_links() == 0
    assert (org.node("ana").x, org.node("ana").y) != (0.0, 0.0), "a drag from the card's edge moves it"
    window.document.undo_stack.undo()
    window.registry["edit.connect"].setChecked(True)
    drag_in_view(view, QPointF(0, 0), QPointF(1200, 600))
    assert org.has_link(LinkKey("ana", "t", "owns_backlog"))


def test_a_failure_in_the_worker_reaches_the_window_and_moves_nothing(window, monkeypatch):
    from PySide6.QtGui import QGuiApplication

    import planner.ui.arranging as arranging

    def broken(graph, style, keep_place, progress):
        progress(0, 3)
        raise RuntimeError("layout bug")

    monkeypatch.setattr(arranging, "BACKGROUND_ARRANGE_NODES", 100)
    monkeypatch.setattr(arranging, "arrange_graph", broken)
    org = synthetic_org(300, seed=4)
    show_org(window, org)
    before = positions_of(org)
    with pytest.raises(RuntimeError, match="layout bug"):
        window.arranger.arrange("layered")
    assert positions_of(org) == before
    assert window.document.undo_stack.count() == 0
    assert QGuiApplication.overrideCursor() is None
    assert window.arranger.progress_dialog is None


def test_a_large_selection_is_arranged_in_the_background_and_keeps_the_other_cards(window, monkeypatch):
    import planner.ui.arranging as arranging

    ran_in = []
    real = arranging.arrange_graph

    def watched(graph, style, keep_place, progress):
        import threading

        ran_in.append((threading.current_thread() is threading.main_thread(), keep_place, len(graph.ids)))
        return real(graph, style, keep_place, progress)

    monkeypatch.setattr(arranging, "BACKGROUND_ARRANGE_NODES", 100)
    monkeypatch.setattr(arranging, "arrange_graph", watched)
    org = synthetic_org(400, seed=6)
    show_org(window, org)
    before = positions_of(org)
    chosen = [node.id for node in org.nodes()][:250]
    window.scene.select(chosen)
    assert window.arranger.arrange("tree")
    assert ran_in == [(False, True, 250)]
    after = positions_of(org)
    assert {node_id for node_id in before if before[node_id] != after[node_id]} <= set(chosen)
    assert window.document.undo_stack.undoText() == "Arrange selection as reporting tree"
    assert window.document.undo_stack.count() == 1


def test_the_overview_map_takes_no_room_from_a_fitted_chart_and_can_be_turned_off(window):
    show_org(window, line_of_teams(10, 240, -120))  # rising to the right, into the map's corner
    zooms = {}
    for wanted in (False, True):
        window.registry["view.overview"].setChecked(wanted)
        window.registry["view.fit"].trigger()
        QApplication.processEvents()
        zooms[wanted] = window.view.zoom()
        assert not window.view.overview.isVisible() and cards_under_floating_panels(window) == []
    assert zooms[True] == pytest.approx(zooms[False])
    window.view.reset_zoom()
    QApplication.processEvents()
    assert window.view.overview.isVisible()
    window.registry["view.overview"].setChecked(False)
    assert not window.view.overview.isVisible()
    window.view.zoom_in()
    QApplication.processEvents()
    assert not window.view.overview.isVisible()


def test_the_item_index_of_a_wide_chart_has_leaves_of_a_few_cards_and_finds_what_a_full_scan_finds(qapp):
    """Qt's own depth (log2 of the items) filed every long link in hundreds of leaves: 4 s at 100,000 cards."""
    import math

    from PySide6.QtCore import QRectF
    from PySide6.QtWidgets import QGraphicsScene

    from planner.chart.scene import INDEX_LEAF_AREA, ChartScene

    org = synthetic_org(3000, seed=4)
    org.move_nodes(layered_layout(org))
    scene = ChartScene()
    scene.set_org(org)
    items = len(scene.items())
    rect = scene.sceneRect()
    assert scene.bspTreeDepth() < math.log2(items)
    assert 2 ** scene.bspTreeDepth() * INDEX_LEAF_AREA == pytest.approx(rect.width() * rect.height(), rel=0.5)
    centre = scene.itemsBoundingRect().center()
    views = [QRectF(centre.x() + dx, centre.y() - 450, 1440, 900) for dx in (-20_000, -3000, 0, 5000)]
    indexed = [scene.items(view) for view in views]  # held, so that each item keeps its one Python wrapper
    scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
    scanned = [scene.items(view) for view in views]
    assert [set(map(id, found)) for found in indexed] == [set(map(id, found)) for found in scanned]
    assert all(indexed)
    scene.clear_org()


def test_closing_an_edited_and_painted_chart_deletes_every_item_and_the_scene_takes_the_next_org(qapp):
    """Cards and links are removed newest first (Qt's clear() took 7 s on 100,000 cards); nothing may be left."""
    import shiboken6
    from PySide6.QtGui import QImage, QPainter

    from planner.model.org import Node
    from planner.ui.canvas.scene import EditorScene

    org = synthetic_org(400, seed=6)
    org.move_nodes(layered_layout(org))
    scene = EditorScene()
    scene.set_org(org)
    for node in list(org.nodes())[50:60]:  # holes in the middle of the scene's own list of items
        org.remove_node(node.id)
    org.add_node(Node("late", "dev_team", x=0.0, y=-400.0))
    scene.set_sketch_mode(True)  # the far-away sketch is one more item of the scene
    image = QImage(400, 300, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    scene.render(painter)  # drawing sorts Qt's list by stacking order
    painter.end()
    cards, links = list(scene.node_items.values()), list(scene.link_items.values())
    scene.clear_org()
    assert [type(item).__name__ for item in scene.items()] == ["ChartSketch"]  # a new, empty sketch stays on
    assert not any(shiboken6.isValid(item) for item in [*cards, *links])
    scene.set_org(synthetic_org(60, seed=1))
    assert len(scene.node_items) == len(scene.org) and len(scene.items()) >= len(scene.org)
    scene.clear_org()
