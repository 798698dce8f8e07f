"""Tree layout: the reporting lines alone, drawn as a tidy tree with managers on top.

Only ``reports_to`` links count (report → manager). A node with several
managers hangs under the first one; a reporting cycle (rule STR003) is cut
where the walk first closes it, so every node ends up in exactly one tree.
Each subtree owns a rectangle: one pass from the leaves up sizes it, one pass
from the roots down places it, and a last pass up centres every manager over
its first row of reports, so the whole layout is linear in the number of nodes
and rectangles, hence cards, never overlap. A manager whose reports would make
a row wider than the row cap gets them in several rows, one under the other;
trees stand side by side and wrap into bands the same way. Nodes that report
to nobody and manage nobody line up in rows under the trees.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.layout.graphdata import LayoutGraph, read_graph
from planner.layout.progress import Progress, Steps
from planner.layout.spacing import (
    COLUMN_PITCH,
    GROUP_GAP,
    LAYER_PITCH,
    ROW_PITCH,
    Positions,
    move_block_to,
    move_to_origin,
    row_capacity,
)
from planner.model.org import Org
from planner.model.vocabulary import REPORTS_TO

#: Steps reported to a ``progress`` callable: the passes of :func:`tree_positions`.
TREE_STEPS = 6


def tree_layout(org: Org, node_ids: Iterable[str] | None = None, progress: Progress | None = None) -> Positions:
    """Positions (card centres) that draw the reporting tree, every manager above its reports.

    Parameters
    ----------
    org : Org
        The org to lay out. It is only read; apply the result with ``org.move_nodes``.
    node_ids : iterable of str, optional
        Lay out only these nodes and the reporting lines among them, keeping
        the top-left corner the selection had; other nodes are not returned.
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
    >>> for node_id, kind in [("cpo", "leader"), ("pm1", "product_manager"), ("pm2", "product_manager"),
    ...                       ("po", "product_owner"), ("app", "product")]:
    ...     _ = org.add_node(Node(node_id, kind))
    >>> for report, manager in [("pm1", "cpo"), ("pm2", "cpo"), ("po", "pm1")]:
    ...     _ = org.add_link(Link(report, manager, "reports_to"))
    >>> positions = tree_layout(org)
    >>> positions["cpo"], positions["pm1"], positions["pm2"], positions["po"]
    ((220.0, 40.0), (100.0, 240.0), (340.0, 240.0), (100.0, 440.0))
    >>> positions["app"]  # in no reporting line: in the row under the trees
    (100.0, 640.0)
    """
    graph = read_graph(org, node_ids)
    positions = tree_positions(graph, progress)
    if node_ids is None:
        return positions
    return move_block_to(positions, graph.positions)


def tree_positions(graph: LayoutGraph, progress: Progress | None = None) -> Positions:
    """The tree layout of a :class:`LayoutGraph`, with its top-left card at the origin.

    ``progress`` hears of :data:`TREE_STEPS` steps and may stop the layout (see :mod:`planner.layout.progress`).
    """
    ids = graph.ids
    steps = Steps(progress, TREE_STEPS)
    if not ids:
        steps.finish()
        return {}
    parent: dict[str, str] = {}
    for source, target, link_kind in graph.links:
        if link_kind == REPORTS_TO and source not in parent:
            parent[source] = target
    cut_cycles(ids, parent)
    steps.advance()
    children: dict[str, list[str]] = {}
    for node_id in ids:
        manager = parent.get(node_id)
        if manager is not None:
            children.setdefault(manager, []).append(node_id)
    roots = [node_id for node_id in ids if node_id not in parent and node_id in children]
    unattached = [node_id for node_id in ids if node_id not in parent and node_id not in children]
    cap = row_capacity(len(ids))

    top_down = list(roots)
    for node_id in top_down:
        top_down.extend(children.get(node_id, ()))
    steps.advance()

    width, depth_below, rows_of = _measure_subtrees(top_down, children, cap)
    steps.advance()
    left, y = _place_subtrees(roots, top_down, rows_of, width, depth_below, cap)
    steps.advance()
    x: dict[str, float] = {}
    for node_id in reversed(top_down):
        rows = rows_of.get(node_id)
        if rows is None:
            x[node_id] = left[node_id] + COLUMN_PITCH / 2
        else:
            x[node_id] = (x[rows[0][0]] + x[rows[0][-1]]) / 2
    steps.advance()

    bottom = max((y[root] + depth_below[root] for root in roots), default=-LAYER_PITCH)
    for index, node_id in enumerate(unattached):
        row, column = divmod(index, cap)
        x[node_id] = column * COLUMN_PITCH + COLUMN_PITCH / 2
        y[node_id] = bottom + LAYER_PITCH + row * ROW_PITCH
    positions = move_to_origin({node_id: (x[node_id], y[node_id]) for node_id in ids})
    steps.advance()
    return positions


def _measure_subtrees(
    top_down: list[str], children: dict[str, list[str]], cap: int
) -> tuple[dict[str, int], dict[str, float], dict[str, list[list[str]]]]:
    """Bottom-up: each subtree's rectangle, as columns wide and reach below its root, and its rows of reports."""
    width: dict[str, int] = {}
    depth_below: dict[str, float] = {}
    rows_of: dict[str, list[list[str]]] = {}
    for node_id in reversed(top_down):
        reports = children.get(node_id)
        if not reports:
            width[node_id], depth_below[node_id] = 1, 0.0
            continue
        rows = _pack_rows(reports, width, cap)
        rows_of[node_id] = rows
        width[node_id] = max(sum(width[report] for report in row) for row in rows)
        depth_below[node_id] = sum(_row_gaps(rows, depth_below)) + max(depth_below[report] for report in rows[-1])
    return width, depth_below, rows_of


def _place_subtrees(
    roots: list[str],
    top_down: list[str],
    rows_of: dict[str, list[list[str]]],
    width: dict[str, int],
    depth_below: dict[str, float],
    cap: int,
) -> tuple[dict[str, float], dict[str, float]]:
    """Top-down: the subtrees' rectangles into rows, centred in the parent's strip; return their left edges and y."""
    left: dict[str, float] = {}
    y: dict[str, float] = {}
    _place_roots(roots, width, depth_below, cap, left, y)
    for node_id in top_down:
        rows = rows_of.get(node_id)
        if rows is None:
            continue
        row_y = y[node_id]
        for row, gap in zip(rows, _row_gaps(rows, depth_below), strict=True):
            row_y += gap
            cursor = left[node_id] + (width[node_id] - sum(width[report] for report in row)) * COLUMN_PITCH / 2
            for report in row:
                left[report] = cursor
                y[report] = row_y
                cursor += width[report] * COLUMN_PITCH
    return left, y


def cut_cycles(ids: list[str], parent: dict[str, str]) -> None:
    """Remove one parent link from every cycle in ``parent`` (report → manager), in place.

    Examples
    --------
    >>> parent = {"a": "b", "b": "c", "c": "a", "d": "a"}
    >>> cut_cycles(["a", "b", "c", "d"], parent)
    >>> parent
    {'b': 'c', 'c': 'a', 'd': 'a'}
    """
    on_path, done = 1, 2
    state: dict[str, int] = {}
    for start in ids:
        path = []
        node_id: str | None = start
        while node_id is not None and node_id not in state:
            state[node_id] = on_path
            path.append(node_id)
            node_id = parent.get(node_id)
        if node_id is not None and state[node_id] == on_path:
            del parent[node_id]
        for visited in path:
            state[visited] = done


def _pack_rows(reports: list[str], width: dict[str, int], cap: int) -> list[list[str]]:
    """Reports' subtrees in rows of at most ``cap`` columns, keeping their order."""
    rows: list[list[str]] = [[]]
    used = 0
    for report in reports:
        if rows[-1] and used + width[report] > cap:
            rows.append([])
            used = 0
        rows[-1].append(report)
        used += width[report]
    return rows


def _row_gaps(rows: list[list[str]], depth_below: dict[str, float]) -> list[float]:
    """How far each row of subtrees starts below the previous row's roots (the first: below the parent).

    A row under a row of single cards needs only a row's spacing; under real subtrees, a layer's.
    """
    gaps = [LAYER_PITCH]
    for above in rows[:-1]:
        deepest = max(depth_below[report] for report in above)
        gaps.append(deepest + (ROW_PITCH if deepest == 0 else LAYER_PITCH))
    return gaps


def _place_roots(
    roots: list[str],
    width: dict[str, int],
    depth_below: dict[str, float],
    cap: int,
    left: dict[str, float],
    y: dict[str, float],
) -> None:
    """Put the trees side by side, starting a new band under the previous one when a row is full."""
    limit = cap * COLUMN_PITCH
    cursor, band_top, band_bottom = 0.0, 0.0, 0.0
    for root in roots:
        span = width[root] * COLUMN_PITCH
        if cursor > 0 and cursor + span > limit:
            cursor, band_top = 0.0, band_bottom + LAYER_PITCH
        left[root] = cursor
        y[root] = band_top
        band_bottom = max(band_bottom, band_top + depth_below[root])
        cursor += span + GROUP_GAP
