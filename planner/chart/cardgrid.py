"""Where the cards and links of a large org lie: a grid of square cells over the chart, from the model's positions.

A chart drawn lazily (:mod:`planner.chart.lazy`) makes card items only for
what comes into view; to know what that is without an item per card it asks
this grid. Each card is filed in the cell of its centre; each link by the box around it,
on the coarsest of a ladder of grids (cells twice as wide on each rung) whose
cells are as large as the box, in the one to four cells the box meets there:
a short link is filed once, a link across the whole chart a few times, and
finding the links across an area asks a few cells on each rung.
Plain Python, no Qt: the scene keeps it in step with the model.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH

#: The side of a cell, in scene units: a view at the closest zoom the sketch stops at spans two or three.
CELL = 2400.0

Cell = tuple[int, int]


def _cell(x: float, y: float) -> Cell:
    return (math.floor(x / CELL), math.floor(y / CELL))


def _cells_of_box(box: tuple[float, float, float, float], side: float) -> list[Cell]:
    """The cells of a grid of ``side`` that the box (left, top, right, bottom) meets."""
    columns = range(math.floor(box[0] / side), math.floor(box[2] / side) + 1)
    rows = range(math.floor(box[1] / side), math.floor(box[3] / side) + 1)
    return [(column, row) for column in columns for row in rows]


def _link_cells(start: tuple[float, float], end: tuple[float, float]) -> tuple[tuple, int, list[tuple[int, int, int]]]:
    """A link's box (left, top, right, bottom), its rung and the (rung, column, row) cells it is filed in: those its
    box meets on the grid whose cells are as large as the box."""
    (x1, y1), (x2, y2) = start, end
    left, right = (x1, x2) if x1 <= x2 else (x2, x1)
    top, bottom = (y1, y2) if y1 <= y2 else (y2, y1)
    size = right - left if right - left >= bottom - top else bottom - top
    rung = math.ceil(math.log2(size / CELL)) if size > CELL else 0
    side = CELL * 2**rung
    floor = math.floor
    first, last = floor(left / side), floor(right / side)
    high, low = floor(top / side), floor(bottom / side)
    if first == last and high == low:  # most links: one cell
        cells = [(rung, first, high)]
    else:
        cells = [(rung, column, row) for column in range(first, last + 1) for row in range(high, low + 1)]
    return (left, top, right, bottom), rung, cells


class CardGrid:
    """Cards (by id) and links (by key) filed by the cells they lie in."""

    def __init__(self) -> None:
        self._positions: dict[str, tuple[float, float]] = {}
        self._cards: dict[Cell, set[str]] = {}
        self._links: dict[tuple[int, int, int], set] = {}
        self._rungs: set[int] = set()
        #: Whether links are filed (the first :meth:`add_links` files them all; until then cards only).
        self.has_links = False
        self._cells_of_link: dict = {}
        self._links_of: dict[str, set] = {}

    def take_contents(self) -> list[dict]:
        """Hand over every filing (hundreds of thousands of entries once links are filed), to be let go of a slice
        at a time (:mod:`planner.chart.release`); the grid is empty afterwards."""
        taken = [self._positions, self._cards, self._links, self._cells_of_link, self._links_of]
        self._positions, self._cards, self._links, self._cells_of_link, self._links_of = {}, {}, {}, {}, {}
        self._rungs = set()
        self.has_links = False
        return taken

    # -- filling and following ----------------------------------------------------------

    def add_card(self, node_id: str, x: float, y: float) -> None:
        self._positions[node_id] = (x, y)
        self._cards.setdefault(_cell(x, y), set()).add(node_id)

    def add_cards(self, cards: Iterable[tuple[str, float, float]]) -> None:
        """File many cards at once: (id, x, y) each."""
        positions, filed, floor = self._positions, self._cards, math.floor
        for node_id, x, y in cards:
            positions[node_id] = (x, y)
            cell = (floor(x / CELL), floor(y / CELL))
            ids = filed.get(cell)
            if ids is None:
                filed[cell] = {node_id}
            else:
                ids.add(node_id)

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
        if not self.has_links or key[0] not in self._positions or key[1] not in self._positions:
            return
        self._links_of.setdefault(key[0], set()).add(key)
        self._links_of.setdefault(key[1], set()).add(key)
        self._file_link(key)

    def add_links(self, keys: Iterable) -> None:
        """File many links at once (the first time the view zooms in: 155,000 at 100,000 cards)."""
        self.has_links = True
        positions, links_of, file_link = self._positions, self._links_of, self._file_link
        for key in keys:
            source, target = key[0], key[1]
            start, end = positions.get(source), positions.get(target)
            if start is None or end is None:
                continue
            for node_id in (source, target):
                known = links_of.get(node_id)
                if known is None:
                    links_of[node_id] = {key}
                else:
                    known.add(key)
            file_link(key, start, end)

    def remove_link(self, key) -> None:
        self._unfile_link(key)
        for end in key[:2]:
            links = self._links_of.get(end)
            if links is not None:
                links.discard(key)

    def _file_link(self, key, start: tuple[float, float] | None = None, end: tuple[float, float] | None = None) -> None:
        """File the link (again) in the cells its box meets; ``start`` and ``end`` are its cards' positions."""
        if key in self._cells_of_link:
            self._unfile_link(key)
        if start is None or end is None:
            start, end = self._positions[key[0]], self._positions[key[1]]
        box, rung, cells = _link_cells(start, end)
        self._cells_of_link[key] = (box, cells)
        links = self._links
        for cell in cells:
            filed = links.get(cell)
            if filed is None:
                links[cell] = {key}
            else:
                filed.add(key)
        self._rungs.add(rung)

    def _unfile_link(self, key) -> None:
        filed = self._cells_of_link.pop(key, None)
        if filed is not None:
            for cell in filed[1]:
                self._links[cell].discard(key)

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
        """The links whose box meets the area (the caller tells those that cross it from those that pass by)."""
        found: set = set()
        boxes = self._cells_of_link
        for rung in self._rungs:
            for cell in _cells_of_box((left, top, right, bottom), CELL * 2**rung):
                for key in self._links.get((rung, *cell), ()):
                    x1, y1, x2, y2 = boxes[key][0]
                    if x1 <= right and x2 >= left and y1 <= bottom and y2 >= top:
                        found.add(key)
        return found
