"""The layered layout's view of a graph: cards numbered 0..n-1 in document order, their layers and neighbours.

The layout's passes walk lists of ints rather than dicts of string ids. The
per-card flags and layers are worked out by ``map`` over whole columns (the
loops run in C), the neighbour lists in one pass over the links between cards
and one over the few that touch a leader. A card's neighbours keep the order of
the links in the graph, repeats included (two links between the same cards
count twice in a mean), since the walk down and the search for blocks depend
on that order; the sums of the sweeps and of the leaders' places do not.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import eq, not_, or_

from planner.layout.graphdata import LayoutGraph
from planner.model.vocabulary import (
    BUILDS,
    DEV_TEAM,
    LEADER,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PRODUCT,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
    STAKEHOLDER,
    STAKEHOLDER_OF,
)

#: The layers under the leaders, top to bottom.
ROLE_LAYERS: tuple[str, ...] = (PRODUCT_MANAGER, PRODUCT_OWNER, DEV_TEAM, PRODUCT, STAKEHOLDER)

#: Links that tie a card to a product's work; a card joins the block of the product they reach first.
WORK_LINKS = frozenset({OWNS_STRATEGY, OWNS_BACKLOG, BUILDS, STAKEHOLDER_OF})


@dataclass(frozen=True)
class LayerGraph:
    """A :class:`~planner.layout.graphdata.LayoutGraph` numbered for the layered layout.

    Card ``i`` is ``ids[i]``; "cards" below means every node but the leaders.
    Each link is read once, in order, into the lists the passes walk.
    """

    ids: list[str]
    #: The links as card numbers, in the graph's order.
    sources: list[int]
    targets: list[int]
    #: Whether each node is a leader, and the leaders in document order.
    is_leader: list[bool]
    leaders: list[int]
    #: Each leader's sub-layer (see :func:`leader_depths`) and how many sub-layers there are.
    depth: dict[int, int]
    leader_layers: int
    #: Each node's layer: a leader's depth, else ``leader_layers`` plus the rank of its role.
    layer: list[int]
    #: Whether each node is a product.
    is_product: list[bool]
    #: Neighbours on a deeper layer, in the links' order (a card's are cards; a leader's anything below it).
    down: list[list[int]]
    #: Neighbours on a higher layer: a card's cards (leaders left out), a leader's leaders.
    up: list[list[int]]
    #: A card's card neighbours on any layer, and those of them joined by a work link, in the links' order.
    cards: list[list[int]]
    work: list[list[int]]


def layer_graph(graph: LayoutGraph) -> LayerGraph:
    """Number the cards of ``graph`` and work out their layers and neighbour lists."""
    ids, kinds = graph.ids, graph.kinds
    count = len(ids)
    source, target, link_kind = graph.sources, graph.targets, graph.link_kinds
    is_leader = list(map(eq, kinds, repeat(LEADER)))
    leaders = list(compress(range(count), is_leader))
    touches_leader = list(map(or_, map(is_leader.__getitem__, source), map(is_leader.__getitem__, target)))
    leader_links = list(compress(range(len(source)), touches_leader))
    managers: dict[int, list[int]] = {}
    for link in leader_links:
        report, manager = source[link], target[link]
        if is_leader[report] and is_leader[manager] and link_kind[link] == REPORTS_TO:
            managers.setdefault(report, []).append(manager)
    depth = leader_depths(leaders, managers)
    leader_layers = max(depth.values(), default=-1) + 1
    base = {kind: leader_layers + rank for rank, kind in enumerate(ROLE_LAYERS)}
    base[LEADER] = 0
    layer = list(map(base.__getitem__, kinds))
    deque(map(layer.__setitem__, depth, depth.values()), maxlen=0)

    down: list[list[int]] = [[] for _ in range(count)]
    up: list[list[int]] = [[] for _ in range(count)]
    cards: list[list[int]] = [[] for _ in range(count)]
    work: list[list[int]] = [[] for _ in range(count)]
    card_links = list(map(not_, touches_leader))
    is_work = compress(map(WORK_LINKS.__contains__, link_kind), card_links)
    for one, other, working in zip(compress(source, card_links), compress(target, card_links), is_work, strict=True):
        cards[one].append(other)
        cards[other].append(one)
        if working:
            work[one].append(other)
            work[other].append(one)
        if layer[one] < layer[other]:
            down[one].append(other)
            up[other].append(one)
        elif layer[other] < layer[one]:
            down[other].append(one)
            up[one].append(other)
    for link in leader_links:
        upper, lower = source[link], target[link]
        if layer[upper] > layer[lower]:
            upper, lower = lower, upper
        elif layer[upper] == layer[lower]:
            continue
        down[upper].append(lower)
        if is_leader[lower]:
            up[lower].append(upper)
    is_product = list(map(eq, kinds, repeat(PRODUCT)))
    return LayerGraph(
        ids, source, target, is_leader, leaders, depth, leader_layers, layer, is_product, down, up, cards, work
    )


def leader_depths(leaders: Sequence[int], managers: dict[int, list[int]]) -> dict[int, int]:
    """Each leader's sub-layer: 0 for top leaders, else one below its deepest leader manager.

    ``managers`` lists each leader's leader managers, leaders in the order their
    first reporting line comes. A leader caught in a reporting cycle (which the
    analysis reports as STR003) is released by force, in document order, so the
    layout still finishes.

    Examples
    --------
    >>> leader_depths([0, 1, 2, 3], {1: [0], 2: [1, 0]})
    {0: 0, 3: 0, 1: 1, 2: 2}
    >>> leader_depths([0, 1], {0: [1], 1: [0]})  # a cycle: the first leader is released first
    {0: 0, 1: 1}
    """
    reports: dict[int, list[int]] = {leader: [] for leader in leaders}
    waiting: dict[int, int] = {}
    for leader, its_managers in managers.items():
        waiting[leader] = len(its_managers)
        for manager in its_managers:
            reports[manager].append(leader)
    queue = deque(leader for leader in leaders if not waiting.get(leader))
    released = set(queue)
    depth: dict[int, int] = {}
    cursor = 0
    while True:
        if not queue:
            while cursor < len(leaders) and leaders[cursor] in released:
                cursor += 1
            if cursor == len(leaders):
                return depth
            queue.append(leaders[cursor])
            released.add(leaders[cursor])
        leader = queue.popleft()
        depth[leader] = max((depth[m] + 1 for m in managers.get(leader, ()) if m in depth), default=0)
        for report in reports[leader]:
            waiting[report] -= 1
            if waiting[report] <= 0 and report not in released:
                released.add(report)
                queue.append(report)
