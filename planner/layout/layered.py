"""Layered layout: the org drawn top-down like an org chart, one layer per role.

Leaders come first, in as many sub-layers as their own reporting chain is deep,
then product managers, product owners, development teams, products and last
the stakeholders. Every product opens a *column block* holding the people,
teams and stakeholders nearest to it, so each product's PM, POs, teams and
stakeholders stand in one column above and below it. The blocks are ordered by
a depth-first walk down from the leaders, so products under the same manager
sit side by side; inside a block a few barycentre sweeps (each node moves
toward the mean position of its neighbours in the layers above, then below)
remove most edge crossings. Leaders are then centred over the cards they are
linked to, pushed apart just enough not to overlap. When a layer would hold
more cards in a row than :func:`~planner.layout.spacing.row_capacity` allows
(at least 12, about 3·√n), the blocks are cut into bands of about even width
and every layer shows its bands in rows, one under the other: layers keep
their order, and within a band the blocks keep their columns.

Every step is linear in the number of nodes and links, apart from sorting.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Sequence

from planner.collector import collector_paused
from planner.layout.graphdata import LayoutGraph, read_graph
from planner.layout.progress import Progress, Steps
from planner.layout.spacing import (
    COLUMN_PITCH,
    FIRST_X,
    GROUP_GAP,
    LAYER_PITCH,
    ROW_PITCH,
    Positions,
    move_block_to,
    move_to_origin,
    row_capacity,
    snap,
)
from planner.model.geometry import CARD_WIDTH
from planner.model.org import Org
from planner.model.vocabulary import (
    BUILDS,
    DEV_TEAM,
    LEADER,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PRODUCT,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
    STAKEHOLDER,
    STAKEHOLDER_OF,
)

#: The layers under the leaders, top to bottom.
ROLE_LAYERS: tuple[str, ...] = (PRODUCT_MANAGER, PRODUCT_OWNER, DEV_TEAM, PRODUCT, STAKEHOLDER)

#: Barycentre passes: down, up, down, up. More rarely pays off on org charts.
SWEEPS = 4

#: Steps reported to a ``progress`` callable: the passes of :func:`layered_positions`, one per sweep among them.
LAYERED_STEPS = 8 + SWEEPS

#: Links that tie a card to a product's work; a card joins the block of the product they reach first.
WORK_LINKS = frozenset({OWNS_STRATEGY, OWNS_BACKLOG, BUILDS, STAKEHOLDER_OF})

_ROLE_RANK = {kind: rank for rank, kind in enumerate(ROLE_LAYERS)}


def layered_layout(org: Org, node_ids: Iterable[str] | None = None, progress: Progress | None = None) -> Positions:
    """Positions (card centres) that draw the org top-down, one layer per role.

    Parameters
    ----------
    org : Org
        The org to lay out. It is only read; apply the result with ``org.move_nodes``.
    node_ids : iterable of str, optional
        Lay out only these nodes, using only the links among them. The block of
        cards keeps the top-left corner the selection had; nodes outside the
        selection are not moved and not returned.
    progress : callable, optional
        Called as ``progress(done, total)`` before the first and after every
        step; returning ``False`` stops the layout, which then raises
        :class:`~planner.layout.progress.LayoutCancelled` (see
        :mod:`planner.layout.progress`).

    Returns
    -------
    dict of str to (float, float)
        The new centre of every placed card, on the grid. Cards never overlap.

    Examples
    --------
    >>> from planner.model import Link, Node, Org
    >>> org = Org()
    >>> for node_id, kind in [("boss", "leader"), ("pm", "product_manager"), ("po", "product_owner"),
    ...                       ("team", "dev_team"), ("app", "product")]:
    ...     _ = org.add_node(Node(node_id, kind))
    >>> for link in [Link("pm", "boss", "reports_to"), Link("pm", "app", "owns_strategy"),
    ...              Link("po", "team", "owns_backlog"), Link("team", "app", "builds")]:
    ...     _ = org.add_link(link)
    >>> positions = layered_layout(org)
    >>> [node_id for node_id, _ in sorted(positions.items(), key=lambda item: item[1][1])]
    ['boss', 'pm', 'po', 'team', 'app']
    >>> positions["boss"], positions["app"]
    ((100.0, 40.0), (100.0, 840.0))

    Only the selection moves, and it stays where it was:

    >>> _ = org.move_nodes({"po": (500.0, 500.0), "team": (500.0, 500.0)})
    >>> layered_layout(org, ["po", "team"])
    {'po': (500.0, 500.0), 'team': (500.0, 700.0)}
    """
    with collector_paused():
        graph = read_graph(org, node_ids)
        positions = layered_positions(graph, progress)
    if node_ids is None:
        return positions
    return move_block_to(positions, graph.positions)


def layered_positions(graph: LayoutGraph, progress: Progress | None = None) -> Positions:
    """The layered layout of a :class:`LayoutGraph`, with its top-left card at the origin.

    ``progress`` hears of :data:`LAYERED_STEPS` steps and may stop the layout (see :mod:`planner.layout.progress`).
    The cyclic collector is held back meanwhile: the passes make a few objects per card and free none until
    the end, and the collector's scans of them were an eighth of the time at 100,000 cards.
    """
    with collector_paused():
        return _layered_positions(graph, progress)


def _layered_positions(graph: LayoutGraph, progress: Progress | None) -> Positions:
    ids, kind = graph.ids, graph.kind
    steps = Steps(progress, LAYERED_STEPS)
    if not ids:
        steps.finish()
        return {}
    neighbours: dict[str, list[str]] = {node_id: [] for node_id in ids}
    work_neighbours: dict[str, list[str]] = {node_id: [] for node_id in ids}
    leader_managers: dict[str, list[str]] = {}
    for source, target, link_kind in graph.links:
        neighbours[source].append(target)
        neighbours[target].append(source)
        if link_kind in WORK_LINKS:
            work_neighbours[source].append(target)
            work_neighbours[target].append(source)
        if link_kind == REPORTS_TO and kind[source] == LEADER and kind[target] == LEADER:
            leader_managers.setdefault(source, []).append(target)
    steps.advance()

    leaders = [node_id for node_id in ids if kind[node_id] == LEADER]
    depth = leader_depths(leaders, leader_managers)
    leader_layers = max(depth.values(), default=-1) + 1
    layer = {
        node_id: depth[node_id] if kind[node_id] == LEADER else leader_layers + _ROLE_RANK[kind[node_id]]
        for node_id in ids
    }
    steps.advance()

    sequence = _top_down_order(ids, layer, neighbours)
    rank = {node_id: index for index, node_id in enumerate(sequence)}
    steps.advance()
    block, block_order = _column_blocks(sequence, kind, neighbours, work_neighbours)
    cap = row_capacity(len(ids))
    steps.advance()

    # One cell per (layer, block): the cards of one block in one layer, kept in sequence order.
    cells: dict[tuple[int, int], list[str]] = {}
    for node_id in sequence:
        if kind[node_id] != LEADER:
            cells.setdefault((layer[node_id], block[node_id]), []).append(node_id)
    widest: dict[int, int] = dict.fromkeys(block_order, 0)
    for (_, block_id), members in cells.items():
        widest[block_id] = max(widest[block_id], len(members))
    position_in_order = {block_id: index for index, block_id in enumerate(block_order)}
    layer_cells: dict[int, list[tuple[int, list[str]]]] = {}
    for (layer_id, block_id), members in sorted(cells.items(), key=lambda item: position_in_order[item[0][1]]):
        layer_cells.setdefault(layer_id, []).append((block_id, members))
    steps.advance()

    _reduce_crossings(layer_cells, block_order, widest, kind, layer, neighbours, steps)

    x: dict[str, float] = {}
    y: dict[str, float] = {}
    place = _place_blocks(layer_cells, block_order, {b: min(w, cap) for b, w in widest.items()}, cap, x)
    steps.advance()
    leader_rows = _place_leaders(leaders, depth, leader_layers, layer, neighbours, rank, cap, x)
    steps.advance()
    _stack_layers(leader_rows, layer_cells, place, y)
    positions = move_to_origin({node_id: (x[node_id], y[node_id]) for node_id in ids})
    steps.advance()
    return positions


def leader_depths(leaders: Sequence[str], managers: dict[str, list[str]]) -> dict[str, int]:
    """Each leader's sub-layer: 0 for top leaders, else one below its deepest leader manager.

    A leader caught in a reporting cycle (which the analysis reports as STR003)
    is released by force, in document order, so the layout still finishes.
    """
    reports: dict[str, list[str]] = {leader: [] for leader in leaders}
    waiting: dict[str, int] = {}
    for leader, its_managers in managers.items():
        waiting[leader] = len(its_managers)
        for manager in its_managers:
            reports[manager].append(leader)
    queue = deque(leader for leader in leaders if not waiting.get(leader))
    released = set(queue)
    depth: dict[str, int] = {}
    cursor = 0
    while True:
        if not queue:
            while cursor < len(leaders) and leaders[cursor] in released:
                cursor += 1
            if cursor == len(leaders):
                return depth
            queue.append(leaders[cursor])
            released.add(leaders[cursor])
        leader = queue.popleft()
        depth[leader] = max((depth[m] + 1 for m in managers.get(leader, ()) if m in depth), default=0)
        for report in reports[leader]:
            waiting[report] -= 1
            if waiting[report] <= 0 and report not in released:
                released.add(report)
                queue.append(report)


def _top_down_order(ids: list[str], layer: dict[str, int], neighbours: dict[str, list[str]]) -> list[str]:
    """Depth-first order walking only downward links, started from the top layers in document order.

    Cards reached from the same parent come out next to each other, which is a
    good first order for the crossing reduction and decides the block order.
    """
    roots = sorted(ids, key=layer.__getitem__)
    seen: set[str] = set()
    sequence: list[str] = []
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        sequence.append(root)
        stack = [(root, iter(neighbours[root]))]
        while stack:
            node_id, pending = stack[-1]
            for other in pending:
                if other not in seen and layer[other] > layer[node_id]:
                    seen.add(other)
                    sequence.append(other)
                    stack.append((other, iter(neighbours[other])))
                    break
            else:
                stack.pop()
    return sequence


def _column_blocks(
    sequence: list[str],
    kind: dict[str, str],
    neighbours: dict[str, list[str]],
    work_neighbours: dict[str, list[str]],
) -> tuple[dict[str, int], list[int]]:
    """Give every card but the leaders a column block, and order the blocks.

    Each product starts a block. A breadth-first search from all products at
    once, first along work links only (strategy, backlog, builds, stake), then
    along any link, gives every other card the block of its nearest product;
    leaders are never crossed, as they tie everything together. Cards no
    product reaches form one block per connected group; cards with no link but
    to leaders share a last block. Blocks are ordered by their first card in
    ``sequence``.
    """
    block: dict[str, int] = {}
    reached: list[str] = []
    for node_id in sequence:
        if kind[node_id] == PRODUCT:
            block[node_id] = len(reached)
            reached.append(node_id)
    block_count = len(reached)
    reached = _spread_blocks(reached, block, kind, work_neighbours)
    _spread_blocks(reached, block, kind, neighbours)
    loose: list[str] = []
    for node_id in sequence:
        if node_id in block or kind[node_id] == LEADER:
            continue
        if all(kind[other] == LEADER for other in neighbours[node_id]):
            loose.append(node_id)
            continue
        block[node_id] = block_count
        block_count += 1
        _spread_blocks([node_id], block, kind, neighbours)
    first_seen: dict[int, int] = {}
    for index, node_id in enumerate(sequence):
        block_id = block.get(node_id)
        if block_id is not None and block_id not in first_seen:
            first_seen[block_id] = index
    order = sorted(first_seen, key=first_seen.__getitem__)
    if loose:
        for node_id in loose:
            block[node_id] = block_count
        order.append(block_count)
    return block, order


def _spread_blocks(
    sources: list[str], block: dict[str, int], kind: dict[str, str], neighbours: dict[str, list[str]]
) -> list[str]:
    """Breadth-first from ``sources`` (already in blocks): hand each newly reached card its finder's block.

    Returns the sources followed by every card reached, in the order reached.
    """
    reached = list(sources)
    for node_id in reached:
        for other in neighbours[node_id]:
            if other not in block and kind[other] != LEADER:
                block[other] = block[node_id]
                reached.append(other)
    return reached


def _reduce_crossings(
    layer_cells: dict[int, list[tuple[int, list[str]]]],
    block_order: list[int],
    widest: dict[int, int],
    kind: dict[str, str],
    layer: dict[str, int],
    neighbours: dict[str, list[str]],
    steps: Steps,
) -> None:
    """Reorder each cell in place by barycentre sweeps over all link kinds, one step per sweep.

    Positions are estimated on one unwrapped line (blocks side by side, each
    cell centred in its block), which is how the cards will be drawn when the
    chart needs no wrapping.
    """
    offset: dict[int, float] = {}
    cursor = 0.0
    for block_id in block_order:
        offset[block_id] = cursor
        cursor += widest[block_id] + 0.5
    estimate: dict[str, float] = {}

    def settle(block_id: int, members: list[str]) -> None:
        start = offset[block_id] + (widest[block_id] - len(members)) / 2
        estimate.update(zip(members, map(start.__add__, range(len(members))), strict=True))  # start + index

    # The layer of every card but the leaders: the sweeps look only at links between such cards.
    card_layer = {node_id: own for node_id, own in layer.items() if kind[node_id] != LEADER}
    above: dict[str, list[str]] = {}
    below: dict[str, list[str]] = {}
    for cells in layer_cells.values():
        for block_id, members in cells:
            settle(block_id, members)
            if len(members) < 2:
                continue  # a card alone in its cell is never reordered
            for node_id in members:
                own = card_layer[node_id]
                above[node_id] = up = []
                below[node_id] = down = []
                for other in neighbours[node_id]:
                    other_layer = card_layer.get(other)
                    if other_layer is None:
                        continue
                    if other_layer < own:
                        up.append(other)
                    elif other_layer > own:
                        down.append(other)

    layers_top_down = sorted(layer_cells)
    guess = estimate.__getitem__
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        side = above if downward else below
        for layer_id in layers_top_down if downward else reversed(layers_top_down):
            for block_id, members in layer_cells[layer_id]:
                if len(members) > 1 and _sort_by_barycentre(members, side, guess):
                    settle(block_id, members)  # a cell left in its order keeps its estimates
        steps.advance()


def _sort_by_barycentre(members: list[str], side: dict[str, list[str]], guess) -> bool:
    """Sort ``members`` in place (stably) by the mean estimate of their links on ``side``, else their own.

    Returns whether the order changed. ``guess`` gives a card's estimated position.
    """
    keys = [
        sum(map(guess, linked)) / len(linked) if linked else guess(node_id)
        for node_id, linked in zip(members, map(side.__getitem__, members), strict=True)
    ]
    if len(keys) == 2:  # most cells: a stable sort of two swaps them only when the second goes first
        if keys[1] < keys[0]:
            members.reverse()
            return True
        return False
    order = sorted(range(len(members)), key=keys.__getitem__)
    if order == list(range(len(members))):
        return False
    members[:] = [members[index] for index in order]
    return True


def _place_blocks(
    layer_cells: dict[int, list[tuple[int, list[str]]]],
    block_order: list[int],
    width: dict[int, int],
    cap: int,
    x: dict[str, float],
) -> dict[str, tuple[int, int]]:
    """Set ``x`` of every card in a block; return each card's (band, row within its cell).

    Blocks go left to right. When a layer would hold more than ``cap`` cards
    in a row, the blocks are cut into as few bands as that needs, of about even
    width, and each layer shows its bands in rows one under the other. A cell
    wider than its block (only when the block is capped) wraps into rows.
    """
    cards: dict[int, dict[int, int]] = {block_id: {} for block_id in block_order}
    layer_total: dict[int, int] = {}
    for layer_id, cells in layer_cells.items():
        for block_id, members in cells:
            in_row = min(len(members), width[block_id])
            cards[block_id][layer_id] = in_row
            layer_total[layer_id] = layer_total.get(layer_id, 0) + in_row
    bands_needed = max((math.ceil(total / cap) for total in layer_total.values()), default=1)
    # Bands of even width read better than full bands and a short last one.
    target = sum(width.values()) / bands_needed
    band: dict[int, int] = {}
    left: dict[int, float] = {}
    band_id, cursor, used = 0, 0.0, 0
    in_band: dict[int, int] = {}
    for block_id in block_order:
        overflow = any(in_band.get(layer_id, 0) + count > cap for layer_id, count in cards[block_id].items())
        if used and (overflow or used + width[block_id] / 2 > target):
            band_id, cursor, used = band_id + 1, 0.0, 0
            in_band.clear()
        for layer_id, count in cards[block_id].items():
            in_band[layer_id] = in_band.get(layer_id, 0) + count
        band[block_id] = band_id
        left[block_id] = cursor
        cursor += width[block_id] * COLUMN_PITCH + GROUP_GAP
        used += width[block_id]

    place: dict[str, tuple[int, int]] = {}
    for cells in layer_cells.values():
        for block_id, members in cells:
            columns = width[block_id]
            count = len(members)
            if count <= columns:  # one row, centred in the block: the common case, without divmod
                base, shift, first_row = left[block_id] + CARD_WIDTH / 2, (columns - count) / 2, (band[block_id], 0)
                for index, node_id in enumerate(members):
                    x[node_id] = base + (shift + index) * COLUMN_PITCH
                    place[node_id] = first_row
                continue
            for index, node_id in enumerate(members):
                row, column = divmod(index, columns)
                in_row = min(columns, count - row * columns)
                x[node_id] = left[block_id] + CARD_WIDTH / 2 + ((columns - in_row) / 2 + column) * COLUMN_PITCH
                place[node_id] = (band[block_id], row)
    return place


def _place_leaders(
    leaders: list[str],
    depth: dict[str, int],
    leader_layers: int,
    layer: dict[str, int],
    neighbours: dict[str, list[str]],
    rank: dict[str, int],
    cap: int,
    x: dict[str, float],
) -> list[list[list[str]]]:
    """Centre each leader over what it is linked to below; a leader with nothing below goes under its managers.

    The first pass runs from the deepest sub-layer up, so a leader sees where
    its reporting leaders went; the second runs down, placing leaders who
    manage nobody under the leaders they report to. Returns the rows of every
    leader sub-layer, top first: a sub-layer with more than ``cap`` leaders wraps.
    """
    by_depth: dict[int, list[str]] = {}
    for leader in sorted(leaders, key=rank.__getitem__):
        by_depth.setdefault(depth[leader], []).append(leader)
    targets: dict[str, float] = {}
    for level in range(leader_layers - 1, -1, -1):
        members = by_depth.get(level, [])
        for leader in members:
            below = [x[other] for other in neighbours[leader] if layer[other] > level and other in x]
            if below:
                targets[leader] = sum(below) / len(below)
        _place_level([leader for leader in members if leader in targets], targets, rank, cap, x)
    rows_by_level: list[list[list[str]]] = []
    for level in range(leader_layers):
        members = by_depth.get(level, [])
        for leader in members:
            if leader not in targets:
                above = [x[other] for other in neighbours[leader] if layer[other] < level and other in x]
                if above:
                    targets[leader] = sum(above) / len(above)
        rows_by_level.append(_place_level(members, targets, rank, cap, x))
    return rows_by_level


def _place_level(
    members: list[str], targets: dict[str, float], rank: dict[str, int], cap: int, x: dict[str, float]
) -> list[list[str]]:
    """Set ``x`` of one leader sub-layer, in rows of at most ``cap``; leaders without a target go last."""
    wanted = sorted((targets[leader], rank[leader], leader) for leader in members if leader in targets)
    row_order = [leader for _, _, leader in wanted] + [leader for leader in members if leader not in targets]
    goals = [target for target, _, _ in wanted]
    rows = []
    for start in range(0, len(row_order), cap):
        row = row_order[start : start + cap]
        for leader, centre in zip(row, spread_row(goals[start : start + cap], len(row)), strict=True):
            x[leader] = centre
        rows.append(row)
    return rows


def spread_row(targets: Sequence[float], count: int, pitch: float = COLUMN_PITCH) -> list[float]:
    """Centres for ``count`` cards in a row, the first ``len(targets)`` as near their sorted targets as possible.

    Minimises the squared distance to the targets with neighbouring centres at
    least ``pitch`` apart (pool-adjacent-violators, linear time); the cards
    without a target follow on the right. The result is on the grid.

    Examples
    --------
    >>> spread_row([100.0, 100.0, 900.0], 4)
    [-20.0, 220.0, 900.0, 1140.0]
    """
    # With y_i = x_i - i * pitch the spacing constraint becomes y non-decreasing.
    pools: list[list[float]] = []
    for index, target in enumerate(targets):
        pools.append([target - index * pitch, 1.0])
        while len(pools) > 1 and pools[-2][0] / pools[-2][1] > pools[-1][0] / pools[-1][1]:
            total, size = pools.pop()
            pools[-1][0] += total
            pools[-1][1] += size
    centres: list[float] = []
    for total, size in pools:
        for _ in range(int(size)):
            centres.append(total / size + len(centres) * pitch)
    result: list[float] = []
    for centre in centres:
        snapped = snap(centre)
        result.append(max(snapped, result[-1] + pitch) if result else snapped)
    while len(result) < count:
        result.append(result[-1] + pitch if result else FIRST_X)
    return result


def _stack_layers(
    leader_rows: list[list[list[str]]],
    layer_cells: dict[int, list[tuple[int, list[str]]]],
    place: dict[str, tuple[int, int]],
    y: dict[str, float],
) -> None:
    """Set ``y`` layer by layer: leader rows, then each role layer's bands one under the other."""
    top = 0.0
    for rows in leader_rows:
        for row_index, row in enumerate(rows):
            for leader in row:
                y[leader] = top + row_index * ROW_PITCH
        top += (len(rows) - 1) * ROW_PITCH + LAYER_PITCH
    for layer_id in sorted(layer_cells):
        rows_in_band: dict[int, int] = {}
        for _, members in layer_cells[layer_id]:
            for node_id in members:
                band, row = place[node_id]
                rows_in_band[band] = max(rows_in_band.get(band, 0), row + 1)
        band_top: dict[int, float] = {}
        row_top = top
        for band in sorted(rows_in_band):
            band_top[band] = row_top
            row_top += rows_in_band[band] * ROW_PITCH
        for _, members in layer_cells[layer_id]:
            for node_id in members:
                band, row = place[node_id]
                y[node_id] = band_top[band] + row * ROW_PITCH
        top = row_top - ROW_PITCH + LAYER_PITCH
