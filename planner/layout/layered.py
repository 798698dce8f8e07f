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
The passes work on cards numbered in document order and on lists of those
numbers (:mod:`~planner.layout.layered_graph`), not on dicts of string ids:
the walk and the blocks in :mod:`~planner.layout.layered_blocks`, the sweeps
in :mod:`~planner.layout.layered_sweeps`, the placement in
:mod:`~planner.layout.layered_place`. At 100,000 cards the whole layout, from
reading the org to the positions by id, takes about 0.8 s of processor time.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.collector import collector_paused
from planner.layout.graphdata import LayoutGraph, read_graph
from planner.layout.layered_blocks import column_blocks, make_cells, top_down_order
from planner.layout.layered_graph import ROLE_LAYERS, WORK_LINKS, layer_graph, leader_depths
from planner.layout.layered_place import (
    ON_GRID,
    band_blocks,
    leaders_height,
    place_cards,
    place_leaders,
    place_leaders_down,
    spread_row,
    to_origin,
)
from planner.layout.layered_sweeps import SWEEPS, reduce_crossings
from planner.layout.progress import Progress, Steps
from planner.layout.spacing import FIRST_Y, Positions, move_block_to, row_capacity
from planner.model.org import Org

__all__ = [
    "LAYERED_STEPS",
    "ROLE_LAYERS",
    "SWEEPS",
    "WORK_LINKS",
    "layered_layout",
    "layered_positions",
    "leader_depths",
    "spread_row",
]

#: Steps reported to a ``progress`` callable: the passes of :func:`layered_positions`, one per sweep among them.
LAYERED_STEPS = 8 + SWEEPS


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
    steps = Steps(progress, LAYERED_STEPS)
    if not graph.ids:
        steps.finish()
        return {}
    numbered = layer_graph(graph)
    steps.advance()
    sequence = top_down_order(numbered)
    rank = [0] * len(sequence)
    for place, card in enumerate(sequence):
        rank[card] = place
    steps.advance()
    block, block_count = column_blocks(numbered, sequence)
    steps.advance()
    cells = make_cells(numbered, sequence, block, block_count)
    cap = row_capacity(len(sequence))
    steps.advance()

    reduce_crossings(cells, numbered.layer, numbered.up, numbered.down, steps)

    x: list[float | None] = [None] * len(sequence)
    y: list[float | None] = [None] * len(sequence)
    width, band, left = band_blocks(cells, cap)
    levels: list[list[int]] = [[] for _ in range(numbered.leader_layers)]
    for leader in sorted(numbered.leaders, key=rank.__getitem__):
        levels[numbered.depth[leader]].append(leader)
    steps.advance()
    # On the grid every sum is exact, so the top row may start where it will end up (see to_origin).
    first_row = FIRST_Y if ON_GRID else 0.0
    place_cards(cells, width, band, left, leaders_height(levels, cap, first_row), x, y)
    steps.advance()
    place_leaders_down(place_leaders(levels, numbered.down, numbered.up, rank, cap, x), first_row, y)
    steps.advance()
    positions = to_origin(numbered.ids, x, y, ON_GRID)
    steps.advance()
    return positions
