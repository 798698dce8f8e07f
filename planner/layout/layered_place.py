"""The layered layout's placement: column blocks into bands, cards into rows, leaders over what they lead.

Coordinates are kept in two lists indexed by card number (``x`` and ``y``,
``None`` until placed); whole layers are placed at once by ``map`` over their
cells, so the arithmetic of each card runs in C.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from itertools import accumulate, chain, compress, repeat
from operator import add, gt, mul, sub, truediv

from planner.layout.layered_blocks import Cells
from planner.layout.spacing import COLUMN_PITCH, FIRST_X, FIRST_Y, GROUP_GAP, LAYER_PITCH, ROW_PITCH, snap
from planner.model.geometry import CARD_WIDTH, GRID


def band_blocks(cells: Cells, cap: int) -> tuple[list[int], list[int], list[float]]:
    """Each block's width in columns, band and left edge.

    Blocks go left to right. When a layer would hold more than ``cap`` cards
    in a row, the blocks are cut into as few bands as that needs, of about even
    width, and each layer shows its bands in rows one under the other.
    """
    width = list(map(min, cells.widest, repeat(cap)))
    in_rows = []
    for blocks, members in zip(cells.blocks, cells.members, strict=True):
        in_row = [0] * len(width)
        deque(map(in_row.__setitem__, blocks, map(min, map(len, members), map(width.__getitem__, blocks))), maxlen=0)
        in_rows.append(in_row)
    bands_needed = max((math.ceil(sum(in_row) / cap) for in_row in in_rows), default=1)
    steps = map(add, map(mul, width, repeat(COLUMN_PITCH)), repeat(GROUP_GAP))
    if bands_needed == 1:  # no layer is too wide: one band (the loop below would find the same)
        return width, [0] * len(width), list(accumulate(steps, initial=0.0))[:-1]
    # Bands of even width read better than full bands and a short last one.
    target = sum(width) / bands_needed
    band: list[int] = []
    left: list[float] = []
    band_id, cursor, used = 0, 0.0, 0
    in_band = [0] * len(in_rows)
    for columns, step, counts in zip(width, steps, zip(*in_rows, strict=True), strict=True):
        # A layer with no cell in this block adds nothing, and no band ever holds more than ``cap``.
        if used and (any(map(cap.__lt__, map(add, in_band, counts))) or used + columns / 2 > target):
            band_id, cursor, used = band_id + 1, 0.0, 0
            in_band = [0] * len(in_rows)
        in_band = list(map(add, in_band, counts))
        band.append(band_id)
        left.append(cursor)
        cursor += step
        used += columns
    return width, band, left


def place_cards_across(cells: Cells, width: list[int], left: list[float], x: list) -> None:
    """Set ``x`` of every card: each cell centred in its block; a cell wider than its block wraps into rows."""
    half_card = CARD_WIDTH / 2
    for blocks, members in zip(cells.blocks, cells.members, strict=True):
        sizes = list(map(len, members))
        columns = list(map(width.__getitem__, blocks))
        bases = map(add, map(left.__getitem__, blocks), repeat(half_card))
        shifts = map(truediv, map(sub, columns, sizes), repeat(2))
        each_base = chain.from_iterable(map(repeat, bases, sizes))
        each_shift = chain.from_iterable(map(repeat, shifts, sizes))
        places = map(mul, map(add, each_shift, chain.from_iterable(map(range, sizes))), repeat(COLUMN_PITCH))
        deque(map(x.__setitem__, chain.from_iterable(members), map(add, each_base, places)), maxlen=0)
        for cell in compress(range(len(sizes)), map(gt, sizes, columns)):
            _wrap_cell(members[cell], columns[cell], left[blocks[cell]], x)


def _wrap_cell(members: list[int], columns: int, left: float, x: list) -> None:
    count = len(members)
    for index, card in enumerate(members):
        row, column = divmod(index, columns)
        in_row = min(columns, count - row * columns)
        x[card] = left + CARD_WIDTH / 2 + ((columns - in_row) / 2 + column) * COLUMN_PITCH


def place_cards_down(cells: Cells, width: list[int], band: list[int], top: float, y: list) -> None:
    """Set ``y`` of every card, layer by layer from ``top``: each layer's bands one under the other."""
    for blocks, members in zip(cells.blocks, cells.members, strict=True):
        sizes = list(map(len, members))
        columns = list(map(width.__getitem__, blocks))
        wrapped = list(compress(range(len(sizes)), map(gt, sizes, columns)))
        rows_in_band = dict.fromkeys(sorted(set(map(band.__getitem__, blocks))), 1)
        for cell in wrapped:
            rows = (sizes[cell] - 1) // columns[cell] + 1
            rows_in_band[band[blocks[cell]]] = max(rows_in_band[band[blocks[cell]]], rows)
        band_top: dict[int, float] = {}
        row_top = top
        for band_id, rows in rows_in_band.items():
            band_top[band_id] = row_top
            row_top += rows * ROW_PITCH
        # Row 0 of each cell: band_top + 0 * ROW_PITCH, as for any row.
        tops = map(band_top.__getitem__, map(band.__getitem__, blocks))
        deque(map(y.__setitem__, chain.from_iterable(members), chain.from_iterable(map(repeat, tops, sizes))), maxlen=0)
        for cell in wrapped:
            cell_top = band_top[band[blocks[cell]]]
            for index, card in enumerate(members[cell]):
                y[card] = cell_top + (index // columns[cell]) * ROW_PITCH
        top = row_top - ROW_PITCH + LAYER_PITCH


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


def place_leaders_down(rows_by_level: list[list[list[int]]], y: list) -> float:
    """Set ``y`` of the leaders, one sub-layer under the other; return where the first role layer starts."""
    top = 0.0
    for rows in rows_by_level:
        for row_index, row in enumerate(rows):
            for leader in row:
                y[leader] = top + row_index * ROW_PITCH
        top += (len(rows) - 1) * ROW_PITCH + LAYER_PITCH
    return top


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


def to_origin(ids: list[str], x: list, y: list) -> dict[str, tuple[float, float]]:
    """The positions by id, shifted so the top-left card sits at (``FIRST_X``, ``FIRST_Y``), every centre snapped.

    As :func:`~planner.layout.spacing.move_to_origin`, with the arithmetic of every card in C.
    """
    if not ids:
        return {}
    xs = map(add, x, repeat(FIRST_X - min(x)))
    ys = map(add, y, repeat(FIRST_Y - min(y)))
    xs = map(float, map(mul, map(round, map(truediv, xs, repeat(GRID))), repeat(GRID)))
    ys = map(float, map(mul, map(round, map(truediv, ys, repeat(GRID))), repeat(GRID)))
    return dict(zip(ids, zip(xs, ys, strict=True), strict=True))
