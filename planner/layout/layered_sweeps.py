"""The layered layout's crossing reduction: barycentre sweeps inside each cell.

Each sweep moves every card of a cell toward the mean estimated position of
its links in the layers above (downward sweeps) or below (upward sweeps); a
card with no such link keeps its own estimate. Positions are estimated on one
unwrapped line (blocks side by side, each cell centred in its block), which is
how the cards will be drawn when the chart needs no wrapping. Only links
between cards count: leaders are placed afterwards, over what they lead.

A layer's keys are worked out all at once (the keys of one layer depend only
on the layers before it in the sweep, and on a card's own estimate), and only
the cells whose keys are out of order are sorted: on an org chart that is a
few hundred cells of tens of thousands.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate, chain, compress, repeat
from operator import add, and_, gt, sub, truediv

from planner.layout.layered_blocks import Cells
from planner.layout.progress import Steps

#: Barycentre passes: down, up, down, up. More rarely pays off on org charts.
SWEEPS = 4


class _Layer:
    """The cells of one layer that hold more than one card, their cards in one list, cell after cell."""

    def __init__(self, blocks: list[int], members: list[list[int]], up: list[list[int]], down: list[list[int]]):
        busy = list(map(gt, map(len, members), repeat(1)))
        self.blocks: list[int] = list(compress(blocks, busy))
        self.cells: list[list[int]] = list(compress(members, busy))
        sizes = list(map(len, self.cells))
        self.starts: list[int] = list(accumulate(sizes, initial=0))[:-1]
        self.cards: list[int] = list(chain.from_iterable(self.cells))
        # A card with no link on a side is its own "link" there: the mean is then its own estimate.
        self.sides = (
            [up[card] or [card] for card in self.cards],
            [down[card] or [card] for card in self.cards],
        )
        # Which neighbouring pairs of cards share a cell, and each card's cell.
        self.same_cell = [True] * max(len(self.cards) - 1, 0)
        for start in self.starts[1:]:
            self.same_cell[start - 1] = False
        self.cell_at = list(chain.from_iterable(map(repeat, range(len(sizes)), sizes)))
        self._place: dict[int, int] | None = None

    def out_of_order(self, side: int, estimate: list[float], numbers: Iterable[int] | None = None) -> list[int]:
        """The cells (all, or ``numbers``) whose barycentres on ``side`` (0 above, 1 below) are not in their order."""
        sides = self.sides[side]
        if numbers is None:
            sizes = list(map(len, sides))
            estimates = map(estimate.__getitem__, chain.from_iterable(sides))
            if sum(sizes) == len(sizes):  # one link each (the common case): its estimate is the mean
                self.keys = keys = list(estimates)
            else:  # each sum as a difference of running sums: exact, as every estimate is a multiple of 1/2
                running = list(accumulate(estimates, initial=0))
                ends = list(map(running.__getitem__, accumulate(sizes, initial=0)))
                self.keys = keys = list(map(truediv, map(sub, ends[1:], ends[:-1]), sizes))
            falls = compress(range(len(self.same_cell)), map(and_, self.same_cell, map(gt, keys, keys[1:])))
            return list(dict.fromkeys(map(self.cell_at.__getitem__, falls)))
        found = []
        for number in sorted(numbers):
            start = self.starts[number]
            end = start + len(self.cells[number])
            keys = [sum(map(estimate.__getitem__, linked)) / len(linked) for linked in sides[start:end]]
            self.keys[start:end] = keys
            if any(map(gt, keys, keys[1:])):
                found.append(number)
        return found

    def sort_cell(self, number: int) -> None:
        """Sort cell ``number`` (stably) by the keys :meth:`out_of_order` worked out."""
        cell, start = self.cells[number], self.starts[number]
        end = start + len(cell)
        order = sorted(range(start, end), key=self.keys.__getitem__)
        for column in (self.cards, *self.sides):
            column[start:end] = [column[index] for index in order]
        cell[:] = self.cards[start:end]

    def cell_of(self, card: int) -> int | None:
        """The number of the cell holding ``card``, or None when its cell holds it alone."""
        if self._place is None:
            self._place = dict(zip(self.cards, range(len(self.cards)), strict=True))
        place = self._place.get(card)
        return None if place is None else self.cell_at[place]


def reduce_crossings(cells: Cells, layer: list[int], up: list[list[int]], down: list[list[int]], steps: Steps) -> None:
    """Reorder the cells of ``cells`` in place by barycentre sweeps, one step per sweep.

    The first sweep each way looks at every cell. A later sweep looks again only
    at the cells where something changed since the last sweep the same way: the
    cell's own order, or the estimate of a card it is linked to on the side the
    sweep reads. Any other cell would find the same keys as then, in order.
    """
    widest = cells.widest
    offset = list(accumulate(map(add, widest, repeat(0.5)), initial=0.0))
    estimate = [0.0] * len(up)
    layers = [_Layer(blocks, members, up, down) for blocks, members in zip(cells.blocks, cells.members, strict=True)]
    # A card alone in its cell sits in the middle of its block: offset + (widest - 1) / 2 (+ 0).
    alone = list(map(add, offset, map(truediv, map(sub, widest, repeat(1)), repeat(2))))
    for blocks, members in zip(cells.blocks, cells.members, strict=True):
        for block, cell in zip(blocks, members, strict=True):
            if len(cell) == 1:
                estimate[cell[0]] = alone[block]
            else:
                _settle(cell, offset[block] + (widest[block] - len(cell)) / 2, estimate)
    at_level = {layer[members[0][0]]: found for found, members in zip(layers, cells.members, strict=True)}
    # Per later sweep, the cells to look at again: {layer: {cell number}}.
    again: list[dict[_Layer, set[int]]] = [{} for _ in range(SWEEPS + 2)]
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        for found in layers if downward else reversed(layers):
            numbers = None if sweep < 2 else again[sweep].get(found, ())
            for number in found.out_of_order(0 if downward else 1, estimate, numbers):
                found.sort_cell(number)
                block, cell = found.blocks[number], found.cells[number]
                _settle(cell, offset[block] + (widest[block] - len(cell)) / 2, estimate)
                # Its own keys change in the next two sweeps; its neighbours' in this one and the next.
                for later in (sweep + 1, sweep + 2):
                    again[later].setdefault(found, set()).add(number)
                for later in (sweep, sweep + 1):
                    linked = down if later % 2 == 0 else up
                    for card in cell:
                        for other in linked[card]:
                            other_layer = at_level[layer[other]]
                            other_cell = other_layer.cell_of(other)
                            if other_cell is not None:
                                again[later].setdefault(other_layer, set()).add(other_cell)
        steps.advance()


def _settle(cell: list[int], start: float, estimate: list[float]) -> None:
    """Estimate the cards of a cell: one unit apart from ``start``."""
    for index, card in enumerate(cell):
        estimate[card] = start + index
