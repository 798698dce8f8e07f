"""The layered layout's crossing reduction: barycentre sweeps inside each cell.

Each sweep moves every card of a cell toward the mean estimated position of
its links in the layers above (downward sweeps) or below (upward sweeps); a
card with no such link keeps its own estimate. Positions are estimated on one
unwrapped line (blocks side by side, each cell centred in its block), which is
how the cards will be drawn when the chart needs no wrapping. Only links
between cards count: leaders are placed afterwards, over what they lead.
"""

from __future__ import annotations

from collections import deque
from itertools import accumulate, chain, repeat
from operator import add, le, sub, truediv

from planner.layout.layered_blocks import Cells
from planner.layout.progress import Steps

#: Barycentre passes: down, up, down, up. More rarely pays off on org charts.
SWEEPS = 4


def reduce_crossings(cells: Cells, up: list[list[int]], down: list[list[int]], steps: Steps) -> None:
    """Reorder the cells of ``cells`` in place by barycentre sweeps, one step per sweep."""
    widest = cells.widest
    offset = list(accumulate(map(add, widest, repeat(0.5)), initial=0.0))
    estimate = [0.0] * len(up)
    for blocks, members in zip(cells.blocks, cells.members, strict=True):
        _settle_layer(blocks, members, offset, widest, estimate)
    busy = [
        [(block, cell) for block, cell in zip(blocks, members, strict=True) if len(cell) > 1]
        for blocks, members in zip(cells.blocks, cells.members, strict=True)
    ]
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        side = up if downward else down
        for layer in busy if downward else reversed(busy):
            for block, cell in layer:
                if _sort_by_barycentre(cell, side, estimate):
                    # A cell left in its order keeps its estimates.
                    start = offset[block] + (widest[block] - len(cell)) / 2
                    for index, card in enumerate(cell):
                        estimate[card] = start + index
        steps.advance()


def _settle_layer(
    blocks: list[int], members: list[list[int]], offset: list[float], widest: list[int], estimate: list[float]
) -> None:
    """Estimate every card of one layer: its cell centred in its block, cards one unit apart."""
    sizes = list(map(len, members))
    halves = map(truediv, map(sub, map(widest.__getitem__, blocks), sizes), repeat(2))
    starts = map(add, map(offset.__getitem__, blocks), halves)
    each_start = chain.from_iterable(map(repeat, starts, sizes))
    places = map(add, each_start, chain.from_iterable(map(range, sizes)))
    deque(map(estimate.__setitem__, chain.from_iterable(members), places), maxlen=0)


def _sort_by_barycentre(members: list[int], side: list[list[int]], estimate: list[float]) -> bool:
    """Sort ``members`` in place (stably) by the mean estimate of their links on ``side``, else their own.

    Returns whether the order changed.
    """
    keys = [
        sum(map(estimate.__getitem__, linked)) / len(linked) if linked else estimate[card]
        for card, linked in zip(members, map(side.__getitem__, members), strict=True)
    ]
    if len(keys) == 2:  # most cells: a stable sort of two swaps them only when the second goes first
        if keys[1] < keys[0]:
            members.reverse()
            return True
        return False
    if all(map(le, keys, keys[1:])):
        return False
    order = sorted(range(len(members)), key=keys.__getitem__)
    members[:] = [members[index] for index in order]
    return True
