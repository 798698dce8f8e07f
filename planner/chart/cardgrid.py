"""Where the cards and links of a large org lie: a grid of square cells over the chart, from the model's positions.

A chart drawn lazily (:mod:`planner.chart.lazy`) makes card items only for
what comes into view; to know what that is without an item per card it asks
this grid. Each card is filed in the cell of its centre; each link in every
cell one of the points along it falls in, a quarter of a cell apart, so that
a query grown by a quarter cell finds every link that crosses the area asked
about. Plain Python, no Qt: the scene keeps it in step with the model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH

#: The side of a cell, in scene units: a view at the closest zoom the sketch stops at spans two or three.
CELL = 2400.0
_STEP = CELL / 4

Cell = tuple[int, int]


def _cell(x: float, y: float) -> Cell:
    return (math.floor(x / CELL), math.floor(y / CELL))


class CardGrid:
    """Cards (by id) and links (by key) filed by the cells they lie in."""

    def __init__(self) -> None:
        self._positions: dict[str, tuple[float, float]] = {}
        self._cards: dict[Cell, set[str]] = {}
        self._links: dict[Cell, set] = {}
        self._cells_of_link: dict = {}
        self._links_of: dict[str, set] = {}

    # -- filling and following ----------------------------------------------------------

    def add_card(self, node_id: str, x: float, y: float) -> None:
        self._positions[node_id] = (x, y)
        self._cards.setdefault(_cell(x, y), set()).add(node_id)
        self._links_of.setdefault(node_id, set())

    def remove_card(self, node_id: str) -> None:
        for key in list(self._links_of.get(node_id, ())):
            self.remove_link(key)
        self._links_of.pop(node_id, None)
        position = self._positions.pop(node_id, None)
        if position is not None:
            self._cards.get(_cell(*position), set()).discard(node_id)

    def move_card(self, node_id: str, x: float, y: float) -> None:
        """The card moved: file it (and its links) again."""
        old = self._positions.get(node_id)
        if old is None:
            return
        self._positions[node_id] = (x, y)
        if _cell(*old) != _cell(x, y):
            self._cards.get(_cell(*old), set()).discard(node_id)
            self._cards.setdefault(_cell(x, y), set()).add(node_id)
        for key in list(self._links_of.get(node_id, ())):
            self._file_link(key)

    def add_link(self, key) -> None:
        """``key``: a (source, target, kind) tuple (a :class:`~planner.model.org.LinkKey`)."""
        if key[0] not in self._positions or key[1] not in self._positions:
            return
        self._links_of[key[0]].add(key)
        self._links_of[key[1]].add(key)
        self._file_link(key)

    def add_links(self, keys: Iterable) -> None:
        for key in keys:
            self.add_link(key)

    def remove_link(self, key) -> None:
        for cell in self._cells_of_link.pop(key, ()):
            self._links.get(cell, set()).discard(key)
        for end in key[:2]:
            links = self._links_of.get(end)
            if links is not None:
                links.discard(key)

    def _file_link(self, key) -> None:
        for cell in self._cells_of_link.pop(key, ()):
            self._links.get(cell, set()).discard(key)
        x1, y1 = self._positions[key[0]]
        x2, y2 = self._positions[key[1]]
        steps = max(1, math.ceil(math.hypot(x2 - x1, y2 - y1) / _STEP))
        cells = {_cell(x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps) for i in range(steps + 1)}
        self._cells_of_link[key] = cells
        for cell in cells:
            self._links.setdefault(cell, set()).add(key)

    # -- asking -------------------------------------------------------------------------

    def position(self, node_id: str) -> tuple[float, float] | None:
        return self._positions.get(node_id)

    def links_of(self, node_id: str) -> set:
        return self._links_of.get(node_id, set())

    def _cells(self, left: float, top: float, right: float, bottom: float) -> Iterable[Cell]:
        (x0, y0), (x1, y1) = _cell(left, top), _cell(right, bottom)
        for i in range(x0, x1 + 1):
            for j in range(y0, y1 + 1):
                yield (i, j)

    def cards_in(self, left: float, top: float, right: float, bottom: float) -> list[str]:
        """The cards whose rectangle meets the area (scene units)."""
        half_width, half_height = CARD_WIDTH / 2, CARD_HEIGHT / 2
        found = []
        positions = self._positions
        for cell in self._cells(left - half_width, top - half_height, right + half_width, bottom + half_height):
            for node_id in self._cards.get(cell, ()):
                x, y = positions[node_id]
                if left - half_width <= x <= right + half_width and top - half_height <= y <= bottom + half_height:
                    found.append(node_id)
        return found

    def links_across(self, left: float, top: float, right: float, bottom: float) -> set:
        """The links that may cross the area (found a quarter cell around it; some may pass just outside)."""
        found: set = set()
        for cell in self._cells(left - _STEP, top - _STEP, right + _STEP, bottom + _STEP):
            found.update(self._links.get(cell, ()))
        return found
