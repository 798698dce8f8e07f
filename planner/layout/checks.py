"""Checks on card positions: which cards overlap, and whether an org needs an automatic layout.

Two cards overlap when their rectangles (:data:`~planner.model.geometry.CARD_WIDTH`
by :data:`~planner.model.geometry.CARD_HEIGHT`, centred on the node's x/y)
share more than an edge. The search is a sweep line over x that keeps the
cards still in reach in buckets one card high, so only cards close in both
directions are ever compared.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Mapping

from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from planner.model.org import Org

#: needs_layout says yes when more than this share of the cards overlap another card.
CROWDED_SHARE = 0.25

# Rounding in callers' arithmetic must not turn cards that just touch into overlapping ones.
_TOLERANCE = 1e-6


def overlaps(positions: Mapping[str, tuple[float, float]]) -> list[tuple[str, str]]:
    """Every pair of cards that overlap, each pair in id order, sorted.

    Parameters
    ----------
    positions : mapping of str to (float, float)
        Card centres by node id, such as a layout's result.

    Returns
    -------
    list of (str, str)
        The overlapping pairs; empty when no two cards overlap. Cards that only
        touch along an edge do not count.

    Examples
    --------
    >>> overlaps({"a": (0.0, 0.0), "b": (150.0, 30.0), "c": (200.0, 0.0), "d": (1000.0, 0.0)})
    [('a', 'b'), ('b', 'c')]
    >>> overlaps({"a": (0.0, 0.0), "b": (200.0, 0.0)})
    []
    """
    return sorted(_overlapping_pairs(positions))


def needs_layout(org: Org) -> bool:
    """Whether the org's positions are unusable, so that an automatic layout should be run (after an import).

    True when the org has two or more cards and more than a quarter of them
    overlap another card; a file without positions, where every card sits at
    (0, 0), is the usual case.

    Examples
    --------
    >>> from planner.model import Node, Org
    >>> org = Org()
    >>> for node_id in ("a", "b", "c"):
    ...     _ = org.add_node(Node(node_id, "dev_team"))
    >>> needs_layout(org)
    True
    >>> _ = org.move_nodes({"b": (300.0, 0.0), "c": (600.0, 0.0)})
    >>> needs_layout(org)
    False
    """
    positions = {node.id: (node.x, node.y) for node in org.nodes()}
    count = len(positions)
    if count < 2:
        return False
    limit = CROWDED_SHARE * count
    # Cards stacked on the same spot all overlap; counting them first keeps the
    # sweep below from listing the quadratic number of pairs of a big stack.
    if count - len(set(positions.values())) > limit:
        return True
    crowded: set[str] = set()
    for first, second in _overlapping_pairs(positions):
        crowded.add(first)
        crowded.add(second)
        if len(crowded) > limit:
            return True
    return False


def _overlapping_pairs(positions: Mapping[str, tuple[float, float]]) -> Iterator[tuple[str, str]]:
    reach_x = CARD_WIDTH - _TOLERANCE
    reach_y = CARD_HEIGHT - _TOLERANCE
    in_reach: deque[tuple[str, float, int]] = deque()
    buckets: dict[int, dict[str, float]] = {}
    for node_id, (x, y) in sorted(positions.items(), key=lambda item: item[1][0]):
        while in_reach and in_reach[0][1] <= x - reach_x:
            gone, _, bucket = in_reach.popleft()
            del buckets[bucket][gone]
        bucket = math.floor(y / CARD_HEIGHT)
        for near in (bucket - 1, bucket, bucket + 1):
            for other, other_y in buckets.get(near, {}).items():
                if abs(other_y - y) < reach_y:
                    yield (other, node_id) if other < node_id else (node_id, other)
        buckets.setdefault(bucket, {})[node_id] = y
        in_reach.append((node_id, x, bucket))
