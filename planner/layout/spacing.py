"""Spacing shared by the automatic layouts: card pitches, grid snapping and the width of a row.

Both layouts place cards on a lattice whose steps are multiples of the grid, so
a laid-out chart stays on the grid the canvas snaps to. The figures are derived
from the card size in :mod:`planner.model.geometry`; the gaps are what is left
between two cards.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH, GRID

Positions = dict[str, tuple[float, float]]

#: Free space between two cards side by side, between two rows of one layer, and between two layers.
HORIZONTAL_GAP = 40.0
ROW_GAP = 40.0
LAYER_GAP = 120.0


def snap(value: float) -> float:
    """The grid line nearest to ``value``."""
    return float(round(value / GRID) * GRID)


def snap_up(value: float) -> float:
    """The first grid line at or after ``value``."""
    return float(math.ceil(value / GRID - 1e-9) * GRID)


#: Distance between the centres of neighbouring cards in a row.
COLUMN_PITCH = snap_up(CARD_WIDTH + HORIZONTAL_GAP)
#: Distance between the centres of two rows of the same layer (a wrapped layer).
ROW_PITCH = snap_up(CARD_HEIGHT + ROW_GAP)
#: Distance between the last row of a layer and the first row of the next one.
LAYER_PITCH = snap_up(CARD_HEIGHT + LAYER_GAP)
#: Extra space between two column blocks (products) or two trees, so groups read apart.
GROUP_GAP = snap_up(CARD_WIDTH / 2)
#: Where the first card's centre goes, so that the chart's top-left corner is near the origin.
FIRST_X = snap_up(CARD_WIDTH / 2)
FIRST_Y = snap_up(CARD_HEIGHT / 2)


def row_capacity(node_count: int) -> int:
    """How many cards one row may hold before it wraps: at least 12, about three times sqrt(n)."""
    return max(12, math.ceil(3 * math.sqrt(node_count)))


def move_block_to(positions: Mapping[str, tuple[float, float]], anchor: Mapping[str, tuple[float, float]]) -> Positions:
    """Shift ``positions`` as one block so that its top-left corner lands on the top-left corner of ``anchor``.

    The shift is a whole number of grid steps, so cards that were on the grid stay on it.
    """
    if not positions:
        return {}
    new_left = min(x for x, _ in positions.values())
    new_top = min(y for _, y in positions.values())
    old_left = min(x for x, _ in anchor.values())
    old_top = min(y for _, y in anchor.values())
    dx = snap(old_left - new_left)
    dy = snap(old_top - new_top)
    return {node_id: (x + dx, y + dy) for node_id, (x, y) in positions.items()}


def move_to_origin(positions: Mapping[str, tuple[float, float]]) -> Positions:
    """Shift ``positions`` so the top-left card sits at (:data:`FIRST_X`, :data:`FIRST_Y`), snapping every centre."""
    if not positions:
        return {}
    dx = FIRST_X - min(x for x, _ in positions.values())
    dy = FIRST_Y - min(y for _, y in positions.values())
    # snap() written out: a function call per coordinate is a tenth of a 100,000-card layout.
    return {
        node_id: (float(round((x + dx) / GRID) * GRID), float(round((y + dy) / GRID) * GRID))
        for node_id, (x, y) in positions.items()
    }
