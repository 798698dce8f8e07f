"""The layered layout's view of a graph: cards numbered 0..n-1 in document order, their layers and neighbours.

The layout's passes walk lists of ints rather than dicts of string ids. Every
list here is filled by ``map``/``compress`` over whole columns (the loops run
in C), so numbering 100,000 cards and their links takes a few tens of
milliseconds. A card's neighbours keep the order of the links in the graph,
repeats included (two links between the same cards count twice in a mean),
since the layout's walks and means depend on that order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, compress
from operator import and_, getitem, itemgetter, lt, ne, not_, or_

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

_SOURCE, _TARGET, _KIND = itemgetter(0), itemgetter(1), itemgetter(2)


@dataclass(frozen=True)
class LayerGraph:
    """A :class:`~planner.layout.graphdata.LayoutGraph` numbered for the layered layout.

    Card ``i`` is ``ids[i]``. "Cards" below means every node but the leaders.
    """

    ids: list[str]
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
    #: Neighbours on a deeper layer (a card's are cards; a leader's are anything below it).
    down: list[list[int]]
    #: Neighbours on a higher layer: a card's cards (leaders left out), a leader's leaders.
    up: list[list[int]]
    #: A card's card neighbours on any layer, and those of them joined by a work link.
    cards: list[list[int]]
    work: list[list[int]]


def layer_graph(graph: LayoutGraph) -> LayerGraph:
    """Number the cards of ``graph`` and work out their layers and neighbour lists."""
    ids = graph.ids
    count = len(ids)
    index = dict(zip(ids, range(count), strict=True))
    kinds = list(map(graph.kind.__getitem__, ids))
    links = graph.links
    source = list(map(index.__getitem__, map(_SOURCE, links)))
    target = list(map(index.__getitem__, map(_TARGET, links)))
    link_kind = list(map(_KIND, links))

    is_leader = list(map(LEADER.__eq__, kinds))
    leaders = list(compress(range(count), is_leader))
    leader_at_source = list(map(is_leader.__getitem__, source))
    leader_at_target = list(map(is_leader.__getitem__, target))
    managers: dict[int, list[int]] = {}
    leader_lines = map(and_, map(and_, leader_at_source, leader_at_target), map(REPORTS_TO.__eq__, link_kind))
    for report, manager in compress(zip(source, target, strict=True), leader_lines):
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
    touches_leader = list(map(or_, leader_at_source, leader_at_target))
    card_links = list(map(not_, touches_leader))
    card_source = list(compress(source, card_links))
    card_target = list(compress(target, card_links))
    _link_both_ways(cards, card_source, card_target)
    is_work = list(compress(map(WORK_LINKS.__contains__, link_kind), card_links))
    _link_both_ways(work, list(compress(card_source, is_work)), list(compress(card_target, is_work)))
    upper, lower = _split_by_layer(layer, card_source, card_target)
    _append_all(down, upper, lower)
    _append_all(up, lower, upper)
    leader_source = list(compress(source, touches_leader))
    upper, lower = _split_by_layer(layer, leader_source, list(compress(target, touches_leader)))
    _append_all(down, upper, lower)
    among_leaders = list(map(is_leader.__getitem__, lower))
    _append_all(up, list(compress(lower, among_leaders)), list(compress(upper, among_leaders)))
    is_product = list(map(PRODUCT.__eq__, kinds))
    return LayerGraph(ids, is_leader, leaders, depth, leader_layers, layer, is_product, down, up, cards, work)


def _link_both_ways(neighbours: list[list[int]], source: list[int], target: list[int]) -> None:
    """Append each link's far end to both ends' lists, link by link (so each list keeps the links' order)."""
    owners = chain.from_iterable(zip(source, target, strict=True))
    others = chain.from_iterable(zip(target, source, strict=True))
    _append_all(neighbours, owners, others)


def _append_all(neighbours: list[list[int]], owners, others) -> None:
    """``neighbours[owner].append(other)`` for each pair, in order, in C."""
    deque(map(list.append, map(neighbours.__getitem__, owners), others), maxlen=0)


def _split_by_layer(layer: list[int], source: list[int], target: list[int]) -> tuple[list[int], list[int]]:
    """The links between different layers as (upper ends, lower ends), in the links' order."""
    source_above = list(map(lt, map(layer.__getitem__, source), map(layer.__getitem__, target)))
    apart = list(map(ne, map(layer.__getitem__, source), map(layer.__getitem__, target)))
    # (target, source)[True] is the source: the upper end when the source is above.
    upper = map(getitem, zip(target, source, strict=True), source_above)
    lower = map(getitem, zip(source, target, strict=True), source_above)
    return list(compress(upper, apart)), list(compress(lower, apart))


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
