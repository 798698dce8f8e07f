"""Cards and links as the report draws them, and the focus diagram of one risk's cards and their neighbours.

:func:`focus_diagram` is re-exported by :mod:`planner.report.figures`; the card drawing is shared with
its product overview and whole chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

from reportlab.graphics.shapes import Drawing

from planner.model.org import Org
from planner.model.vocabulary import (
    ALIGNS_WITH,
    BUILDS,
    DEV_TEAM,
    ENGAGES,
    LEADER,
    LINK_KINDS,
    NODE_KINDS,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PRODUCT,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
    STAKEHOLDER,
    STAKEHOLDER_OF,
)
from planner.report.figure_cards import _card_text, _draw_card, _draw_links
from planner.report.figure_kit import (
    _DEFAULT_LINK_STYLE,
    _LINK_STYLES,
    _SECONDARY,
    _SEVERITY_RANK,
    SEVERITIES,
    _arrowhead,
    _natural_key,
    _plural,
    _Sketch,
)
from planner.report.figure_legends import _graph_legend, _ordered

# -- focus diagram -------------------------------------------------------------------------------

_ROLE_ORDER = (PRODUCT_MANAGER, PRODUCT_OWNER, DEV_TEAM, PRODUCT, STAKEHOLDER)
#: Which neighbours a focus diagram keeps first when it must leave some out.
_LINK_WEIGHT = {
    OWNS_BACKLOG: 6,
    OWNS_STRATEGY: 6,
    BUILDS: 5,
    REPORTS_TO: 4,
    ALIGNS_WITH: 3,
    ENGAGES: 2,
    STAKEHOLDER_OF: 1,
}
_FOCUS_CARD_MIN = 84.0
_FOCUS_CARD_MAX = 130.0
_FOCUS_GAP_X = 12.0
_FOCUS_GAP_LAYER = 30.0
_FOCUS_GAP_ROW = 18.0


def _worse(severity: str | None, other: str | None) -> str | None:
    if other not in _SEVERITY_RANK:
        return severity
    if severity not in _SEVERITY_RANK or _SEVERITY_RANK[other] < _SEVERITY_RANK[severity]:
        return other
    return severity


def _focus_cards(org: Org, focus: list[str], severity_by_node: Mapping[str, str], room: int) -> tuple[list[str], int]:
    """The neighbours worth showing beside ``focus`` (at most ``room``), and how many were left out."""
    focus_set = set(focus)
    graph = org.graph
    found: dict[str, list] = {}
    for node_id in focus:
        for neighbours, _ in ((graph.succ[node_id], True), (graph.pred[node_id], False)):
            for other, kinds in neighbours.items():
                if other in focus_set:
                    continue
                entry = found.setdefault(other, [set(), 0])
                entry[0].add(node_id)
                entry[1] = max(entry[1], *(_LINK_WEIGHT.get(kind, 0) for kind in kinds))

    def rank(node_id: str) -> tuple:
        touched, weight = found[node_id]
        severity = _SEVERITY_RANK.get(severity_by_node.get(node_id, ""), len(_SEVERITY_RANK))
        return (-len(touched), severity, -weight, _natural_key(org.node(node_id).label))

    chosen = sorted(found, key=rank)[: max(0, room)]
    return chosen, len(found) - len(chosen)


def _layers(org: Org, shown: list[str], links: list[tuple[str, str, str]]) -> list[list[str]]:
    """The shown cards by layer: leaders (a layer per reporting level among them), then each role in turn."""
    kinds = {node_id: org.node(node_id).kind for node_id in shown}
    leaders = [node_id for node_id in shown if kinds[node_id] == LEADER]
    managers: dict[str, list[str]] = {}
    for source, target, kind in links:
        if kind == REPORTS_TO and kinds[source] == LEADER and kinds[target] == LEADER:
            managers.setdefault(source, []).append(target)
    level: dict[str, int] = {}

    def level_of(node_id: str, seen: frozenset = frozenset()) -> int:
        if node_id not in level:
            above = [m for m in managers.get(node_id, ()) if m not in seen and m != node_id]
            level[node_id] = 1 + max((level_of(m, seen | {node_id}) for m in above), default=-1)
        return level[node_id]

    layers: dict[tuple[int, int], list[str]] = {}
    for node_id in leaders:
        layers.setdefault((0, level_of(node_id)), []).append(node_id)
    for node_id in shown:
        kind = kinds[node_id]
        if kind != LEADER:
            order = _ROLE_ORDER.index(kind) + 1 if kind in _ROLE_ORDER else len(_ROLE_ORDER) + 1
            layers.setdefault((order, 0), []).append(node_id)
    return [layers[key] for key in sorted(layers)]


def _order_layers(
    layers: list[list[str]], links: list[tuple[str, str, str]], slot_x: Callable[[int, int], float]
) -> None:
    """Reorder each layer in place so that cards sit near their neighbours (barycentre sweeps down and up)."""
    neighbours: dict[str, set[str]] = {}
    for source, target, _ in links:
        neighbours.setdefault(source, set()).add(target)
        neighbours.setdefault(target, set()).add(source)
    layer_of = {node_id: index for index, layer in enumerate(layers) for node_id in layer}

    def x_of(node_id: str) -> float:
        layer = layers[layer_of[node_id]]
        return slot_x(layer.index(node_id), len(layer))

    sweeps = list(range(1, len(layers))) + list(range(len(layers) - 2, -1, -1)) + list(range(1, len(layers)))
    previous = None
    for index in sweeps:
        direction = 1 if previous is None or index > previous else -1
        previous = index
        layer = layers[index]
        keys = {}
        for position, node_id in enumerate(layer):
            xs = [x_of(other) for other in neighbours.get(node_id, ()) if (layer_of[other] - index) * direction < 0]
            keys[node_id] = (sum(xs) / len(xs) if xs else slot_x(position, len(layer)), position)
        layer.sort(key=keys.__getitem__)


def _group_by_product(org: Org, layers: list[list[str]], links: list[tuple[str, str, str]]) -> None:
    """With several products shown, keep each product's people and teams together in every layer.

    Each card goes with the nearest product (a breadth-first walk from all
    products at once over the links shown); within a product's group the
    barycentre order stays. Cards near no product keep their place, last.
    """
    products = [node_id for layer in layers for node_id in layer if org.node(node_id).kind == PRODUCT]
    if len(products) < 2:
        return
    neighbours: dict[str, list[str]] = {}
    for source, target, _ in links:
        neighbours.setdefault(source, []).append(target)
        neighbours.setdefault(target, []).append(source)
    group = {product: index for index, product in enumerate(products)}
    frontier = list(products)
    while frontier:
        following = []
        for node_id in frontier:
            for other in neighbours.get(node_id, ()):
                if other not in group:
                    group[other] = group[node_id]
                    following.append(other)
        frontier = following
    for layer in layers:
        order = {node_id: position for position, node_id in enumerate(layer)}
        layer.sort(key=lambda node_id: (group.get(node_id, len(products)), order[node_id]))


def _rows_by_side(layers: list[list[str]], links: list[tuple[str, str, str]], columns: int) -> None:
    """In a layer that wraps onto rows, move cards linked upward to the top row and downward to the bottom row.

    A neighbour shared by many cards of the layer (their manager, drawn as a
    bus) hardly counts, so that a card's own link below is what places it.
    """
    layer_of = {node_id: index for index, layer in enumerate(layers) for node_id in layer}
    neighbours: dict[str, set[str]] = {}
    for source, target, _ in links:
        if source != target:
            neighbours.setdefault(source, set()).add(target)
            neighbours.setdefault(target, set()).add(source)
    for index, layer in enumerate(layers):
        if len(layer) <= columns:
            continue
        members = set(layer)
        side = {}
        for node_id in layer:
            pull = sum(
                (1.0 if layer_of[other] > index else -1.0) / len(neighbours[other] & members)
                for other in neighbours.get(node_id, ())
                if layer_of[other] != index
            )
            side[node_id] = (pull > 1e-9) - (pull < -1e-9)
        layer.sort(key=side.__getitem__)


def _bundle_groups(
    links: list[tuple[str, str, str]], layer_of: Mapping[str, int]
) -> dict[tuple[str, str, bool], list[tuple[str, str, str]]]:
    """Links that could share a bus, keyed by (hub card, link kind, whether the links leave the hub)."""
    groups: dict[tuple[str, str, bool], list[tuple[str, str, str]]] = {}
    for link in links:
        source, target, kind = link
        for hub, other, outward in ((target, source, False), (source, target, True)):
            if layer_of[hub] != layer_of[other]:
                groups.setdefault((hub, kind, outward), []).append(link)
    return groups


def _rail_slots(
    rows: list[float], below: bool, gaps: Mapping[float, tuple[float, float]], used: Mapping[tuple[float, bool], int]
) -> dict[float, float] | None:
    """How far from each row its next rail runs, or None when some row's gap has no room left for one."""
    slots = {}
    for row in rows:
        room = gaps[row][0 if below else 1]
        offsets = (9.0,) if room < 26 else (8.0, 14.0, 20.0)
        taken = used.get((row, below), 0)
        if taken >= len(offsets):
            return None
        slots[row] = offsets[taken]
    return slots


def _draw_bundles(
    sketch: _Sketch,
    links: list[tuple[str, str, str]],
    centres: Mapping[str, tuple[float, float]],
    layer_of: Mapping[str, int],
    half_w: float,
    half_h: float,
    pitch: float,
    gaps: Mapping[float, tuple[float, float]],
) -> list[tuple[str, str, str]]:
    """Draw links of one kind joining one card to many cards of another layer as an org chart's bus.

    A layer of many cards wraps onto rows; a straight line from each of them
    to their manager would cross the rows in between. Instead each row gets
    a rail in the gap beside it, each card a short stub to its rail, and one
    trunk joins the rails to the shared card, down a gutter between columns.
    Rails of different bundles beside one row are kept apart (as many as the
    gap has room for; a bundle finding no room is drawn link by link).
    ``gaps`` holds, per row (its centre's y), the free space above and below
    it. Returns the links left to draw one by one.
    """
    used: dict[tuple[float, bool], int] = {}
    groups = _bundle_groups(links, layer_of)
    # A card linked to two cards of the hub's layer stays out of a bus: its stub and the other link would
    # meet the card at one point, hiding that it has two (the very thing a focus diagram may be about).
    linked_layers: dict[str, list[int]] = {}
    for source, target, _ in links:
        linked_layers.setdefault(source, []).append(layer_of[target])
        linked_layers.setdefault(target, []).append(layer_of[source])
    bundled: set[tuple[str, str, str]] = set()
    for (hub, kind, outward), members in sorted(groups.items(), key=lambda item: -len(item[1])):
        members = [
            link
            for link in members
            if link not in bundled and linked_layers[link[1] if outward else link[0]].count(layer_of[hub]) == 1
        ]
        others = [link[1] if outward else link[0] for link in members]
        if len(others) < 3 or len({layer_of[other] for other in others}) != 1:
            continue
        hub_x, hub_y = centres[hub]
        below = centres[others[0]][1] > hub_y
        rows = sorted({centres[other][1] for other in others}, reverse=not below)
        slots = _rail_slots(rows, below, gaps, used)
        if slots is None:
            continue
        rails = {row: row - half_h - slots[row] if below else row + half_h + slots[row] for row in rows}
        crossed = [
            (x, y)
            for node_id, (x, y) in centres.items()
            if min(rails.values()) < y < max(rails.values()) and node_id != hub
        ]
        xs = [centres[other][0] for other in others]
        candidates = [x + pitch / 2 for x in xs] + [x - pitch / 2 for x in xs] + [hub_x]
        trunk = min(
            (x for x in candidates if all(abs(x - cx) > half_w + 2 for cx, _ in crossed)),
            key=lambda x: (abs(x - hub_x), x),
            default=None,
        )
        if trunk is None:
            continue
        style = _LINK_STYLES.get(kind, _DEFAULT_LINK_STYLE)
        width = style.width
        nearest = rails[rows[0]]
        hub_edge = hub_y + (half_h + 2 if below else -half_h - 2)
        sketch.line(hub_x, nearest, hub_x, hub_edge, style.color, width, style.dashes)
        if len(rows) > 1:
            sketch.line(trunk, nearest, trunk, rails[rows[-1]], style.color, width, style.dashes)
        for row in rows:
            in_row = [centres[other][0] for other in others if centres[other][1] == row]
            ends = in_row + [trunk] + ([hub_x] if row == rows[0] else [])
            sketch.line(min(ends), rails[row], max(ends), rails[row], style.color, width, style.dashes)
            for x in in_row:
                card_edge = row - half_h - 2 if below else row + half_h + 2
                sketch.line(x, rails[row], x, card_edge, style.color, width, style.dashes)
                if outward:
                    _arrowhead(
                        sketch,
                        (x, card_edge),
                        math.pi / 2 if below else -math.pi / 2,
                        style.head,
                        style.color,
                        5.5,
                        max(0.8, width * 0.8),
                    )
        if not outward:
            _arrowhead(
                sketch,
                (hub_x, hub_edge),
                -math.pi / 2 if below else math.pi / 2,
                style.head,
                style.color,
                6.5,
                max(0.8, width * 0.8),
            )
        bundled.update(members)
        for row in rows:
            used[(row, below)] = used.get((row, below), 0) + 1
    return [link for link in links if link not in bundled]


def focus_diagram(
    org: Org, node_ids: Iterable[str], severity_by_node: Mapping[str, str], width: float, max_cards: int = 25
) -> Drawing | None:
    """The cards one risk involves, their direct neighbours and the links among them, laid out afresh by role.

    Leaders stand on top, then product managers, product owners, teams,
    products and stakeholders. All of ``node_ids`` are kept (the first
    ``max_cards`` of them, should they be more); neighbours fill the room
    left, those linked to most of the risk's cards and those with findings
    first, and a line says how many were left out. Cards of the risk are
    white, their neighbours grey; a card with findings is ringed in its
    severity's colour. None when no id names a card of the org.
    """
    focus: list[str] = []
    for node_id in node_ids:
        if node_id in org and node_id not in focus:
            focus.append(node_id)
    max_cards = max(1, int(max_cards))
    focus = focus[:max_cards]
    if not focus:
        return None
    neighbours, hidden = _focus_cards(org, focus, severity_by_node, max_cards - len(focus))
    shown = focus + neighbours
    shown_set = set(shown)
    graph = org.graph
    links = [
        (source, target, kind)
        for source in shown
        for target, kinds in graph.succ[source].items()
        if target in shown_set
        for kind in kinds
    ]

    layers = _layers(org, shown, links)
    fitting = max(1, min(6, int((width + _FOCUS_GAP_X) // (_FOCUS_CARD_MIN + _FOCUS_GAP_X))))
    columns = min(fitting, max(len(layer) for layer in layers))
    card_w = min(_FOCUS_CARD_MAX, (width - (columns - 1) * _FOCUS_GAP_X) / columns)
    pitch = card_w + _FOCUS_GAP_X

    def slot_x(position: int, count: int) -> float:
        row_count = min(columns, count - (position // columns) * columns)
        return width / 2 + ((position % columns) - (row_count - 1) / 2) * pitch

    _order_layers(layers, links, slot_x)
    _group_by_product(org, layers, links)
    _rows_by_side(layers, links, columns)
    band = 4.0
    inner = card_w - band - 5 - 4
    texts = {
        node_id: _card_text(org.node(node_id), inner, (8.5, 8.0, 7.5, 7.0), 3, 2, must_fit=False) for node_id in shown
    }
    card_h = max(text.height(True) for text in texts.values()) + 10
    sketch = _Sketch()
    centres: dict[str, tuple[float, float]] = {}
    row_gaps: list[tuple[float, float]] = []  # per row: its centre, the free space above it
    y = 2.0
    for layer in layers:
        for start in range(0, len(layer), columns):
            row_gaps.append((y + card_h / 2, _FOCUS_GAP_LAYER if start == 0 else _FOCUS_GAP_ROW))
            for position in range(start, min(len(layer), start + columns)):
                centres[layer[position]] = (slot_x(position, len(layer)), y + card_h / 2)
            y += card_h + _FOCUS_GAP_ROW
        y += _FOCUS_GAP_LAYER - _FOCUS_GAP_ROW
    gaps = {
        row: (above, row_gaps[index + 1][1] if index + 1 < len(row_gaps) else _FOCUS_GAP_LAYER)
        for index, (row, above) in enumerate(row_gaps)
    }
    layer_of = {node_id: index for index, layer in enumerate(layers) for node_id in layer}
    single = _draw_bundles(sketch, links, centres, layer_of, card_w / 2, card_h / 2, pitch, gaps)
    highest = _draw_links(sketch, single, centres, card_w / 2, card_h / 2, route=True)
    shift = max(0.0, 4 - highest)
    focus_set = set(focus)
    for node_id in shown:
        cx, cy = centres[node_id]
        _draw_card(
            sketch,
            org.node(node_id),
            cx,
            cy,
            card_w,
            card_h,
            texts[node_id],
            True,
            severity_by_node.get(node_id),
            context=node_id not in focus_set,
        )
    y -= _FOCUS_GAP_LAYER - 8
    if hidden:
        y = (
            sketch.lines(
                0,
                y,
                [f"{_plural(hidden, 'more card', 'more cards')} linked to these not shown."],
                7.5,
                color=_SECONDARY,
            )
            + 3
        )
    severities = {severity_by_node.get(node_id) for node_id in shown}
    bottom = _graph_legend(
        sketch,
        y,
        width,
        _ordered((org.node(n).kind for n in shown), NODE_KINDS),
        _ordered((kind for *_, kind in links), tuple(LINK_KINDS)),
        [s for s in SEVERITIES if s in severities],
        context=bool(neighbours),
    )
    return sketch.drawing(width, bottom + 2 + shift, shift)
