"""A large org's chart made lazily: items only for what is in view, blocks far out, every feature still reaching
every card (planner/chart/lazy.py). The threshold is set low so that a few hundred cards take the lazy path."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from planner.chart.cardgrid import CardGrid
from planner.chart.lazy import _meets
from planner.layout import layered_layout
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from planner.synthetic import synthetic_org
from tests.ui.conftest import click_in_view, drag_in_view, show_org

#: Lazy from this many cards in these tests (the editor's own threshold is thousands).
LOW = 50


@pytest.fixture
def org():
    org = synthetic_org(400, seed=11)
    org.move_nodes(layered_layout(org))
    return org


def open_lazily(window, org):
    window.scene.lazy_from = LOW
    show_org(window, org)
    window.view.fit_all()
    settle(window)
    assert window.scene.lazy
    return window.scene


def settle(window):
    """Let the view paint (a lazy chart learns what the view shows just before it paints)."""
    window.view.viewport().repaint()
    QApplication.processEvents()


def look_at(window, node_id, zoom=1.0):
    node = window.document.org.node(node_id)
    window.view.set_zoom(zoom)
    window.view.centerOn(QPointF(node.x, node.y))
    settle(window)


def shown_ids(window) -> set[str]:
    """The cards whose rectangle the view shows, from the model."""
    view = window.view
    area = view.mapToScene(view.viewport().rect()).boundingRect()
    return {
        node.id
        for node in window.document.org.nodes()
        if area.intersects(QRectF(node.x - CARD_WIDTH / 2, node.y - CARD_HEIGHT / 2, CARD_WIDTH, CARD_HEIGHT))
    }


def far_apart(org) -> tuple[str, str]:
    nodes = sorted(org.nodes(), key=lambda node: node.x)
    return nodes[0].id, nodes[-1].id


def painted_colours(window) -> set[tuple[int, int, int]]:
    image = window.view.viewport().grab().toImage()
    colours = set()
    for x in range(0, image.width(), 3):
        for y in range(0, image.height(), 3):
            colour = QColor(image.pixel(x, y))
            colours.add((colour.red(), colour.green(), colour.blue()))
    return colours


def test_far_out_a_lazy_chart_has_no_card_items_and_paints_its_cards_as_blocks_in_their_colours(window, org):
    scene = open_lazily(window, org)
    assert window.view.zoom() < 0.22
    assert len(scene.node_items) == 0 and len(scene.link_items) == 0
    colours = painted_colours(window)
    team = scene.theme.kind_color("dev_team")
    assert (team.red(), team.green(), team.blue()) in colours
    assert scene.blocks.counts == (len(org), org.number_of_links())


def test_zoomed_in_the_cards_in_view_get_items_and_far_away_ones_are_dropped(window, org):
    scene = open_lazily(window, org)
    left, right = far_apart(org)
    look_at(window, left)
    in_view = shown_ids(window)
    assert left in in_view and in_view <= set(scene.node_items)
    assert right not in scene.node_items
    # Every link of a card in view is an item, so that it is drawn close up.
    for node_id in in_view:
        for link in org.links_of(node_id):
            assert link.key in scene.link_items
    assert len(scene.node_items) < len(org) / 2
    look_at(window, right)
    assert right in scene.node_items and left not in scene.node_items


def test_an_off_screen_card_found_or_jumped_to_gets_its_item_is_selected_and_shown(window, org):
    scene = open_lazily(window, org)
    left, right = far_apart(org)
    look_at(window, left)
    assert right not in scene.node_items
    window.focus_nodes([right])
    settle(window)
    assert scene.selected_node_ids() == [right]
    assert right in shown_ids(window)
    name = org.node(left).name
    found = window.view_state.find_step(name)
    settle(window)
    assert found and scene.node_items[found[0]].isSelected()
    assert found[0] in shown_ids(window)


def test_an_edit_to_a_card_without_an_item_shows_once_scrolled_to(window, org):
    scene = open_lazily(window, org)
    left, right = far_apart(org)
    look_at(window, left)
    assert right not in scene.node_items
    window.document.edit_node(right, name="Renamed far away")
    assert right not in scene.node_items
    look_at(window, right)
    assert scene.node_items[right].name == "Renamed far away"
    window.document.undo_stack.undo()
    assert scene.node_items[right].name == org.node(right).name != "Renamed far away"


def test_a_card_moved_into_view_gets_its_item_there(window, org):
    scene = open_lazily(window, org)
    left, right = far_apart(org)
    look_at(window, left)
    spot = org.node(left)
    window.document.move_nodes({right: (spot.x, spot.y + 2 * CARD_HEIGHT)})
    settle(window)
    assert right in scene.node_items
    assert scene.node_items[right].pos() == QPointF(spot.x, spot.y + 2 * CARD_HEIGHT)


def test_a_click_on_a_far_away_block_selects_that_card_and_a_rubber_band_selects_the_cards_under_it(window, org):
    scene = open_lazily(window, org)
    node = sorted(org.nodes(), key=lambda node: (node.x, node.y))[len(org) // 2]
    click_in_view(window.view, QPointF(node.x, node.y))
    assert scene.selected_node_ids() == [node.id]
    nodes = sorted(org.nodes(), key=lambda node: node.x)
    band = QRectF(QPointF(nodes[0].x - 400, -5000), QPointF(nodes[len(nodes) // 3].x, 50000))
    drag_in_view(window.view, band.topLeft(), band.bottomRight())
    wanted = {n.id for n in org.nodes() if band.contains(QRectF(n.x - 110, n.y - 40, 220, 80))}
    assert wanted and wanted <= set(scene.selected_node_ids())


def test_a_drag_far_out_moves_the_card_in_the_model_as_one_undo_step(window, org):
    scene = open_lazily(window, org)
    node = sorted(org.nodes(), key=lambda node: (node.x, node.y))[len(org) // 2]
    zoom = window.view.zoom()
    start = QPointF(node.x, node.y)
    drag_in_view(window.view, start, start + QPointF(100 / zoom, 0))
    moved = window.document.org.node(node.id)
    assert moved.x > node.x + 50 / zoom
    window.document.undo_stack.undo()
    assert window.document.org.node(node.id).x == node.x
    assert scene.node_items[node.id].pos().x() == node.x


def test_selecting_everything_selects_every_card_and_deleting_a_card_without_an_item_removes_its_block(window, org):
    scene = open_lazily(window, org)
    window.editing.select_all()
    assert len(scene.selected_node_ids()) == len(org)
    scene.clearSelection()
    left, right = far_apart(org)
    look_at(window, left)
    scene.select([right])
    window.editing.delete_selection()
    assert right not in window.document.org
    window.view.fit_all()
    settle(window)
    assert scene.blocks.counts[0] == len(window.document.org)


def test_closing_a_lazy_chart_leaves_no_item_and_the_next_small_org_is_whole(window, org):
    scene = open_lazily(window, org)
    look_at(window, far_apart(org)[0])
    assert scene.node_items
    small = synthetic_org(20, seed=2)
    show_org(window, small)
    assert not scene.lazy and scene.blocks is None
    assert set(scene.node_items) == {node.id for node in small.nodes()}


def test_findings_badges_reach_cards_made_later(window, org):
    scene = open_lazily(window, org)
    badged = next(iter(scene.badges))
    look_at(window, badged)
    assert scene.node_items[badged].badge_severity == scene.badges[badged][0]


def test_the_grid_finds_what_a_full_scan_finds():
    rng = random.Random(5)
    grid = CardGrid()
    positions = {f"n{i}": (rng.uniform(-50_000, 50_000), rng.uniform(-20_000, 20_000)) for i in range(600)}
    for node_id, (x, y) in positions.items():
        grid.add_card(node_id, x, y)
    ids = list(positions)
    links = {(rng.choice(ids), rng.choice(ids), "reports_to") for _ in range(900)}
    grid.add_links(links)
    moved = ids[:50]
    for node_id in moved:
        positions[node_id] = (rng.uniform(-50_000, 50_000), rng.uniform(-20_000, 20_000))
        grid.move_card(node_id, *positions[node_id])
    for _ in range(40):
        x, y = rng.uniform(-50_000, 50_000), rng.uniform(-20_000, 20_000)
        area = QRectF(x, y, rng.uniform(100, 8000), rng.uniform(100, 6000))
        left, t, r, b = area.left(), area.top(), area.right(), area.bottom()
        cards = {
            node_id
            for node_id, (cx, cy) in positions.items()
            if left - CARD_WIDTH / 2 <= cx <= r + CARD_WIDTH / 2 and t - CARD_HEIGHT / 2 <= cy <= b + CARD_HEIGHT / 2
        }
        assert set(grid.cards_in(left, t, r, b)) == cards
        crossing = {key for key in links if _meets(*positions[key[0]], *positions[key[1]], area)}
        found = grid.links_across(left, t, r, b)
        assert crossing <= found
        assert {key for key in found if _meets(*positions[key[0]], *positions[key[1]], area)} == crossing


def test_filing_links_in_bulk_files_each_as_filing_it_alone_does():
    """The first zoom in files every link at once (a loop of its own, for speed): the same cells as one by one,
    links across the whole chart included, and filing a link twice leaves it filed once."""
    rng = random.Random(9)
    positions = {f"n{i}": (rng.uniform(-400_000, 400_000), rng.uniform(-30_000, 30_000)) for i in range(400)}
    positions["near"] = (10.0, 10.0)
    positions["nearby"] = (30.0, 2000.0)
    ids = list(positions)
    links = [(rng.choice(ids), rng.choice(ids), "builds") for _ in range(700)] + [("near", "nearby", "engages")]
    bulk, single = CardGrid(), CardGrid()
    for grid in (bulk, single):
        grid.add_cards((node_id, x, y) for node_id, (x, y) in positions.items())
    bulk.add_links(links + links[:100])
    single.add_links([])
    for key in links:
        single.add_link(key)
    assert bulk._cells_of_link == single._cells_of_link
    assert {cell: keys for cell, keys in bulk._links.items() if keys} == {
        cell: keys for cell, keys in single._links.items() if keys
    }
    assert bulk._rungs == single._rungs and len(bulk._rungs) > 3
    assert all(bulk.links_of(node_id) == single.links_of(node_id) for node_id in ids)
    assert ("near", "nearby", "engages") in bulk.links_of("nearby")


def test_a_compared_card_without_an_item_is_marked_once_it_comes_into_view(window, org, tmp_path):
    from planner.io import load_org, save_org
    from planner.ui.compare import CompareMark

    left, right = far_apart(org)
    plan_file, baseline_file = tmp_path / "plan.json", tmp_path / "today.json"
    save_org(org, plan_file)
    baseline = load_org(plan_file)
    baseline.update_node(right, title="Something else before")
    save_org(baseline, baseline_file)
    window.scene.lazy_from = LOW
    assert window.open_path(plan_file)
    look_at(window, left)
    window.comparison.ask_compare_path = lambda: str(baseline_file)
    window.comparison.compare_action.trigger()
    assert right not in window.scene.node_items
    look_at(window, right)
    marks = [child for child in window.scene.node_items[right].childItems() if isinstance(child, CompareMark)]
    assert [mark.state for mark in marks] == ["changed"]


def test_a_card_folded_far_out_hides_its_blocks_and_a_click_on_its_marker_unfolds_it(window, org):
    from planner.chart.node_item import fold_marker_rect

    scene = open_lazily(window, org)
    leader = next(node.id for node in org.nodes() if node.kind == "leader" and org.links_of(node.id))
    window.view_state.fold(leader)
    settle(window)
    folded = scene.fold_counts[leader]
    assert folded and scene.blocks.counts[0] == len(org) - len(scene.hidden_ids)
    corner = window.view.mapFromScene(scene.card_rect_of(leader).bottomRight())
    marker = fold_marker_rect(folded, scene.fonts.marker_metrics).translated(QPointF(corner))
    click_in_view(window.view, window.view.mapToScene(marker.center().toPoint()))
    settle(window)
    assert not scene.hidden_ids and scene.blocks.counts[0] == len(org)


def test_a_picture_of_part_of_the_chart_draws_what_the_whole_chart_has_there(window, org, monkeypatch):
    from planner.chart.blocks import ChartBlocks

    scene = open_lazily(window, org)
    middle = sorted(org.nodes(), key=lambda node: node.x)[len(org) // 2]
    window.view.set_zoom(0.05)
    window.view.centerOn(QPointF(middle.x, middle.y))
    settle(window)
    by_strips = window.view.viewport().grab().toImage()
    whole = ChartBlocks.draw
    monkeypatch.setattr(scene.blocks, "draw", lambda painter, area=None: whole(scene.blocks, painter))
    scene.blocks.invalidate()
    settle(window)
    assert window.view.viewport().grab().toImage() == by_strips


def test_a_link_drawn_to_a_card_without_an_item_is_one_line_and_undo_takes_it_away(window, org):
    from planner.chart.link_item import LinkItem
    from planner.model.org import LinkKey

    scene = open_lazily(window, org)
    look_at(window, far_apart(org)[0])
    source = next(node.id for node in org.nodes() if node.kind == "product_owner" and node.id in scene.node_items)
    team = next(node.id for node in org.nodes() if node.kind == "dev_team" and node.id not in scene.node_items)
    assert window.editing.request_link(source, team)

    def lines():
        return [item.link_key for item in scene.items() if isinstance(item, LinkItem)]

    assert lines().count(LinkKey(source, team, "owns_backlog")) == 1
    assert len(lines()) == len(set(lines())) and team in scene.node_items
    window.document.undo_stack.undo()
    assert LinkKey(source, team, "owns_backlog") not in lines()


def test_close_up_the_picture_of_links_scrolled_along_shows_what_a_fresh_one_does(window, org):
    scene = open_lazily(window, org)
    middle = sorted(org.nodes(), key=lambda node: node.x)[len(org) // 2]
    look_at(window, middle.id)
    assert scene.link_layer.drawn == 1 and any(
        item.flags() & item.GraphicsItemFlag.ItemHasNoContents for item in scene.link_items.values()
    )
    bar = window.view.horizontalScrollBar()
    for _ in range(6):  # beyond the picture's margin: the next picture takes what the last one had
        bar.setValue(bar.value() + 120)
        settle(window)
    scrolled = window.view.viewport().grab().toImage()
    assert scene.link_layer.drawn == 1
    scene.link_layer.invalidate()
    settle(window)
    assert scene.link_layer.drawn == 2
    fresh = window.view.viewport().grab().toImage()
    differ = sum(
        fresh.pixel(x, y) != scrolled.pixel(x, y) for x in range(0, fresh.width()) for y in range(0, fresh.height(), 2)
    )
    # A few pixels where a link meets the edge of a strip drawn after the scroll may be a shade apart; a picture
    # copied a pixel off, or a strip left out, would differ along every link.
    assert differ < 40


def test_close_up_a_dragged_card_takes_its_links_along_and_leaves_no_ghost_line(window, org):
    scene = open_lazily(window, org)
    card = next(
        node for node in sorted(org.nodes(), key=lambda node: node.x)[len(org) // 2 :] if len(org.links_of(node.id)) > 1
    )
    look_at(window, card.id)
    links = list(scene.node_items[card.id].link_items)
    assert links and all(link.flags() & link.GraphicsItemFlag.ItemHasNoContents for link in links)
    start = QPointF(card.x - 60, card.y)
    drag_in_view(window.view, start, start + QPointF(0, 160))
    settle(window)
    assert window.document.org.node(card.id).y > card.y + 100
    assert all(link.flags() & link.GraphicsItemFlag.ItemHasNoContents for link in links)  # quiet again
    after = window.view.viewport().grab().toImage()
    scene.link_layer.invalidate()
    settle(window)
    fresh = window.view.viewport().grab().toImage()
    differ = sum(
        fresh.pixel(x, y) != after.pixel(x, y) for x in range(fresh.width()) for y in range(0, fresh.height(), 2)
    )
    assert differ < 40  # no line left where the card was


def test_the_overview_map_of_a_lazy_chart_shows_every_card_as_the_item_chart_does(window, org):
    """The map is drawn from the model's positions for a lazy chart (no items), a block per card merged with others
    of its colour that start in the same spot: every card still shows, in its kind's colour, where the item chart's
    map shows it."""
    pictures = {}
    for lazy_from in (LOW, 10**6):
        window.scene.lazy_from = lazy_from
        show_org(window, org)
        assert window.scene.lazy == (lazy_from == LOW)
        overview = window.view.overview
        overview.resize(overview.width(), 120)
        pictures[lazy_from] = overview._draw_picture().toImage()
    lazy, items = pictures[LOW], pictures[10**6]
    assert lazy.size() == items.size()
    overview = window.view.overview
    theme = overview.theme
    for node in org.nodes():
        spot = overview.map_from_scene(QPointF(node.x, node.y)).toPoint()
        seen = lazy.pixelColor(spot)
        assert seen.alpha() > 0, f"{node.id} is missing from the map"
        assert seen == items.pixelColor(spot)
    kinds = {theme.kind_color(node.kind).rgb() for node in org.nodes()}
    shown = {lazy.pixelColor(x, y).rgb() for x in range(lazy.width()) for y in range(lazy.height())}
    assert kinds <= shown


def test_closing_a_lazy_chart_lets_go_of_its_far_away_drawing_after_the_window_moved_on(window, org, qtbot):
    """A 100,000-card chart far away is a quarter of a million rectangles and lines: closing it must not wait for
    them to be freed (0.3 to 0.6 s); they are let go a slice at a time once the new org shows."""
    from planner.chart import release

    scene = open_lazily(window, org)
    look_at(window, next(iter(org.nodes())).id)  # zoomed in once: the grid files the links too
    window.view.fit_all()
    settle(window)
    blocks = scene.blocks
    assert blocks.counts[0] == len(org)
    # Every rectangle and line drawn, kept for the next gathering.
    shapes = [shapes for _coords, shapes in blocks._made.values()]
    assert sum(map(len, shapes)) >= len(org)
    filings = list(vars(scene.grid()).values())
    assert window.new_blank()
    assert release.pending() >= len(org), "the drawing waits to be let go; the window has moved on"
    assert scene.blocks is None and len(window.document.org) == 0
    qtbot.waitUntil(lambda: release.pending() == 0, timeout=5000)
    assert not any(shapes), "every rectangle and line was let go"
    assert not any(len(filing) for filing in filings if isinstance(filing, dict)), "and the grid's filings"


def test_far_out_an_edit_makes_again_only_the_rectangles_and_lines_it_moved(window, org):
    """Far out, the blocks keep the Qt rectangles and lines of every group of cards and links an edit left as it
    was (at 100,000 cards making them all again costs most of a second), and draw the moved card where it went."""
    scene = open_lazily(window, org)
    blocks = scene.blocks

    def made():
        window.view.viewport().repaint()
        QApplication.processEvents()
        return {group: shapes for group, (_coords, shapes) in blocks._made.items()}

    before = made()
    assert sum(map(len, before.values())) >= len(org)
    node = next(node for node in org.nodes() if node.kind == "dev_team")
    window.document.edit_node(node.id, name="Renamed team")  # nothing moves
    after = made()
    assert after.keys() == before.keys() and all(after[group] is before[group] for group in before)
    window.document.move_nodes({node.id: (node.x, node.y + 4 * CARD_HEIGHT)})
    moved = made()
    again = [group for group in moved if moved[group] is not before.get(group)]
    assert again and len(again) < len(before) / 4, "only the groups holding the card and its links are made again"
    target = QPointF(node.x, node.y + 4 * CARD_HEIGHT)
    assert any(rect.contains(target) for group in again if group[0] == "card" for rect in moved[group])


def test_whether_a_card_lies_under_an_area_is_answered_alike_before_and_after_the_grid_is_made(window, org):
    """Fitting a large org just opened asks whether cards lie under the legend: answered from the model, not by
    filing every card in the grid first; the answer is the grid's."""
    scene = open_lazily(window, org)
    scene._grid = None
    rng = random.Random(3)
    left, top, right, bottom = (
        min(n.x for n in org.nodes()),
        min(n.y for n in org.nodes()),
        max(n.x for n in org.nodes()),
        max(n.y for n in org.nodes()),
    )
    areas = [
        QRectF(
            rng.uniform(left - 500, right), rng.uniform(top - 500, bottom), rng.uniform(20, 900), rng.uniform(20, 600)
        )
        for _ in range(60)
    ]
    scanned = [scene.has_card_in(area) for area in areas]
    assert scene._grid is None, "no grid made to answer"
    assert scene.grid() is not None
    assert scanned == [scene.has_card_in(area) for area in areas]
    assert any(scanned) and not all(scanned)


def test_the_first_far_away_picture_at_a_zoom_covers_the_view_and_a_moved_view_gets_a_margin(window, org):
    scene = open_lazily(window, org)
    view = window.view
    view.set_zoom(0.05)
    settle(window)
    shown = view.mapToScene(view.viewport().rect()).boundingRect().intersected(scene.blocks.rect())
    covered = scene.blocks._picture[1]
    assert covered.width() <= shown.width() + 2 and covered.contains(shown.adjusted(1, 1, -1, -1))
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 40)
    settle(window)
    wider = scene.blocks._picture[1]
    assert wider.width() > covered.width() * 1.2 or wider.height() > covered.height() * 1.2
