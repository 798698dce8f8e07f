"""The layered layout's placement: column blocks into bands, cards into rows, leaders over what they lead.

Coordinates are kept in two lists indexed by card number (``x`` and ``y``,
``None`` until placed); whole layers are placed at once by ``map`` over their
cells, so the arithmetic of each card runs in C.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate, compress, repeat
from operator import add, gt, mul, sub, truediv

from planner.layout.layered_blocks import Cells
from planner.layout.spacing import COLUMN_PITCH, FIRST_X, FIRST_Y, GROUP_GAP, LAYER_PITCH, ROW_PITCH, snap
from planner.model.geometry import CARD_WIDTH, GRID


def band_blocks(cells: Cells, cap: int) -> tuple[list[int], list[int], list[float]]:
    """Each block's width in columns, band and left edge.

    Blocks go left to right. When a layer would hold more than ``cap`` cards
    in a row, the blocks are cut into as few bands as that needs, of about even
    width, and each layer shows its bands in rows one under the other. A band
    ends before the first block that would make one of its layers hold more
    than ``cap`` cards in a row, or take it past its share of the width: both
    only grow block by block, so the end is found by bisection.
    """
    width = list(map(min, cells.widest, repeat(cap)))
    in_rows = [list(map(len, members)) for members in cells.members]  # cards in a row of each cell
    if any(map(gt, cells.widest, repeat(cap))):  # a capped block: its widest cells wrap into rows
        for blocks, in_row in zip(cells.blocks, in_rows, strict=True):
            for cell in compress(range(len(in_row)), map(gt, in_row, map(width.__getitem__, blocks))):
                in_row[cell] = width[blocks[cell]]
    bands_needed = max((math.ceil(sum(in_row) / cap) for in_row in in_rows), default=1)
    steps = list(map(add, map(mul, width, repeat(COLUMN_PITCH)), repeat(GROUP_GAP)))
    if bands_needed == 1:  # no layer is too wide: one band (the search below would find the same)
        return width, [0] * len(width), list(accumulate(steps, initial=0.0))[:-1]
    # Bands of even width read better than full bands and a short last one.
    target = sum(width) / bands_needed
    used = list(accumulate(width, initial=0))
    filled = []
    for blocks, in_row in zip(cells.blocks, in_rows, strict=True):
        every_block = [0] * len(width)
        for block, count in zip(blocks, in_row, strict=True):
            every_block[block] = count
        filled.append(list(accumulate(every_block, initial=0)))
    band: list[int] = []
    left: list[float] = []
    start = band_id = 0
    while start < len(width):
        later = range(start + 1, len(width))
        ends = [bisect_left(later, True, key=lambda p: used[p] - used[start] + width[p] / 2 > target)]
        for sums in filled:
            ends.append(bisect_left(later, True, key=lambda p, sums=sums: sums[p + 1] - sums[start] > cap))
        end = start + 1 + min(ends)
        band.extend(repeat(band_id, end - start))
        left.extend(accumulate(steps[start : end - 1], initial=0.0))
        start, band_id = end, band_id + 1
    return width, band, left


def leaders_height(levels: list[list[int]], cap: int, top: float) -> float:
    """Where the first role layer starts: under every leader sub-layer from ``top``, each in rows of at most ``cap``."""
    for members in levels:
        top += (math.ceil(len(members) / cap) - 1) * ROW_PITCH + LAYER_PITCH
    return top


def place_cards(cells: Cells, width: list[int], band: list[int], left: list[float], top: float, x: list, y: list):
    """Set ``x`` and ``y`` of every card, layer by layer from ``top``.

    Each cell is centred in its block; a cell wider than its block (only when
    the block is capped) wraps into rows. Each layer shows its bands one under
    the other, a band as many rows deep as its deepest cell.
    """
    centre = list(map(add, left, repeat(CARD_WIDTH / 2)))
    alone = list(map(add, centre, map(mul, map(truediv, map(sub, width, repeat(1)), repeat(2)), repeat(COLUMN_PITCH))))
    for blocks, members in zip(cells.blocks, cells.members, strict=True):
        sizes = list(map(len, members))
        rows_in_band = dict.fromkeys(sorted(set(map(band.__getitem__, blocks))), 1)
        for cell in compress(range(len(sizes)), map(gt, sizes, map(width.__getitem__, blocks))):
            rows = (sizes[cell] - 1) // width[blocks[cell]] + 1
            rows_in_band[band[blocks[cell]]] = max(rows_in_band[band[blocks[cell]]], rows)
        band_top = [0.0] * (max(rows_in_band) + 1)
        row_top = top
        for band_id, rows in rows_in_band.items():
            band_top[band_id] = row_top
            row_top += rows * ROW_PITCH
        for block, cell in zip(blocks, members, strict=True):
            if len(cell) == 1:  # the common case: shift + 0 is the shift, row 0 is the band's top
                x[cell[0]] = alone[block]
                y[cell[0]] = band_top[band[block]]
            elif len(cell) <= width[block]:  # one row, centred in the block
                base, shift, cell_top = centre[block], (width[block] - len(cell)) / 2, band_top[band[block]]
                for index, card in enumerate(cell):
                    x[card] = base + (shift + index) * COLUMN_PITCH
                    y[card] = cell_top
            else:
                _wrap_cell(cell, width[block], left[block], band_top[band[block]], x, y)
        top = row_top - ROW_PITCH + LAYER_PITCH


def _wrap_cell(cell: list[int], columns: int, left: float, top: float, x: list, y: list) -> None:
    """Set ``x`` and ``y`` of a cell wider than its block: rows of ``columns`` cards, each row centred."""
    count = len(cell)
    for index, card in enumerate(cell):
        row, column = divmod(index, columns)
        in_row = min(columns, count - row * columns)
        x[card] = left + CARD_WIDTH / 2 + ((columns - in_row) / 2 + column) * COLUMN_PITCH
        y[card] = top + row * ROW_PITCH


def place_leaders(
    levels: list[list[int]],
    down: list[list[int]],
    up: list[list[int]],
    rank: list[int],
    cap: int,
    x: list,
) -> list[list[list[int]]]:
    """Centre each leader over what it is linked to below; a leader with nothing below goes under its managers.

    ``levels`` lists the leaders of each sub-layer, top first, in walk order.
    The first pass runs from the deepest sub-layer up, so a leader sees where
    its reporting leaders went; the second runs down, placing leaders who
    manage nobody under the leaders they report to. Returns the rows of every
    leader sub-layer, top first: a sub-layer with more than ``cap`` leaders wraps.
    """
    targets: dict[int, float] = {}
    for members in reversed(levels):
        for leader in members:
            below = [x[other] for other in down[leader] if x[other] is not None]
            if below:
                targets[leader] = sum(below) / len(below)
        _place_level([leader for leader in members if leader in targets], targets, rank, cap, x)
    rows_by_level: list[list[list[int]]] = []
    for members in levels:
        for leader in members:
            if leader not in targets:
                above = [x[other] for other in up[leader] if x[other] is not None]
                if above:
                    targets[leader] = sum(above) / len(above)
        rows_by_level.append(_place_level(members, targets, rank, cap, x))
    return rows_by_level


def _place_level(members: list[int], targets: dict[int, float], rank: list[int], cap: int, x: list) -> list[list[int]]:
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


def place_leaders_down(rows_by_level: list[list[list[int]]], top: float, y: list) -> None:
    """Set ``y`` of the leaders from ``top``, one sub-layer under the other (see :func:`leaders_height`)."""
    for rows in rows_by_level:
        for row_index, row in enumerate(rows):
            for leader in row:
                y[leader] = top + row_index * ROW_PITCH
        top += (len(rows) - 1) * ROW_PITCH + LAYER_PITCH


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


#: Whether every distance the layout adds up is a whole number of grid steps, the grid step a whole number:
#: then every centre it works out is exact and on the grid, and snapping would change nothing.
ON_GRID = GRID.is_integer() and all(
    (distance / GRID).is_integer()
    for distance in (COLUMN_PITCH / 2, CARD_WIDTH / 2, GROUP_GAP, ROW_PITCH, LAYER_PITCH, FIRST_X, FIRST_Y)
)


def to_origin(ids: list[str], x: list, y: list, on_grid: bool) -> dict[str, tuple[float, float]]:
    """The positions by id, shifted so the top-left card sits at (``FIRST_X``, ``FIRST_Y``), every centre snapped.

    As :func:`~planner.layout.spacing.move_to_origin`; with ``on_grid`` (see
    :data:`ON_GRID`) the snapping is left out, since it would change nothing
    (the layered layout then starts its top row at ``FIRST_Y``, so only ``x`` may need shifting).
    """
    if not ids:
        return {}
    dx, dy = FIRST_X - min(x), FIRST_Y - min(y)
    # On the grid, a shift by nothing changes nothing: the coordinates are used as they are.
    xs = x if on_grid and dx == 0 else map(add, x, repeat(dx))
    ys = y if on_grid and dy == 0 else map(add, y, repeat(dy))
    if not on_grid:
        xs = map(float, map(mul, map(round, map(truediv, xs, repeat(GRID))), repeat(GRID)))
        ys = map(float, map(mul, map(round, map(truediv, ys, repeat(GRID))), repeat(GRID)))
    return dict(zip(ids, zip(xs, ys, strict=True), strict=True))
