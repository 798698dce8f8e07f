"""The layered layout's first order: a walk down from the leaders, each product's column block, and the cells.

A *cell* holds the cards of one column block in one role layer, in walk order;
the crossing reduction reorders cells, the placement lines them up. Blocks
are numbered by their place from left to right, so a cell is named by its
layer and that number alone.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import compress, repeat
from operator import eq, not_

from planner.layout.layered_graph import ROLE_LAYERS, LayerGraph

_FREE, _LEADER = -1, -2  # block numbers of a card not in a block yet, and of every leader (never in one)


@dataclass(frozen=True)
class Cells:
    """The cells of every role layer that holds cards, top layer first.

    ``blocks[k][j]`` is the place (left to right) of the block of the ``j``-th
    cell of the ``k``-th such layer, ``members[k][j]`` its cards; both lists
    follow the blocks' order. ``widest[b]`` is the largest cell of block ``b``.
    """

    blocks: list[list[int]]
    members: list[list[list[int]]]
    widest: list[int]


def top_down_order(graph: LayerGraph) -> list[int]:
    """Depth-first order walking only downward links, started from the top layers in document order.

    Cards reached from the same parent come out next to each other, which is a
    good first order for the crossing reduction and decides the block order.
    """
    layer, down = graph.layer, graph.down
    seen = bytearray(len(layer))
    sequence: list[int] = []
    visit = sequence.append
    for root in sorted(range(len(layer)), key=layer.__getitem__):
        if seen[root]:
            continue
        seen[root] = 1
        visit(root)
        stack = [iter(down[root])]
        push, pop = stack.append, stack.pop
        while stack:
            for other in stack[-1]:
                if not seen[other]:
                    seen[other] = 1
                    visit(other)
                    below = down[other]
                    if below:  # a card with nothing below would be pushed only to be popped
                        push(iter(below))
                        break
            else:
                pop()
    return sequence


def column_blocks(graph: LayerGraph, sequence: list[int]) -> tuple[list[int], int]:
    """Every card's column block, numbered by the blocks' order left to right (leaders: -2); and how many blocks.

    Each product starts a block. A breadth-first search from all products at
    once, first along work links only (strategy, backlog, builds, stake), then
    along any link, gives every other card the block of its nearest product;
    leaders are never crossed, as they tie everything together. Cards no
    product reaches form one block per connected group; cards with no link but
    to leaders share a last block. Blocks are ordered by their first card in
    ``sequence``.
    """
    block = [_FREE] * len(sequence)
    deque(map(block.__setitem__, graph.leaders, repeat(_LEADER)), maxlen=0)
    products = list(compress(sequence, map(graph.is_product.__getitem__, sequence)))
    for number, product in enumerate(products):
        block[product] = number
    count = len(products)
    reached = _spread(products, block, graph.work)
    loose: list[int] = []
    free = list(compress(sequence, map(eq, map(block.__getitem__, sequence), repeat(_FREE))))
    if free:
        cards = graph.cards
        # The search along any link goes on from the cards reached, in the order reached; only a card
        # next to one still free can find anything, so only those are searched from.
        near = bytearray(len(sequence))
        for node in free:
            for other in cards[node]:
                near[other] = 1
        _spread(list(compress(reached, map(near.__getitem__, reached))), block, cards)
        for node in free:
            if block[node] != _FREE:
                continue
            if not cards[node]:
                loose.append(node)
                continue
            block[node] = count
            count += 1
            _spread([node], block, cards)
    # Number the blocks by their first card in the walk; cards with no link but to leaders go last.
    order = [found for found in dict.fromkeys(map(block.__getitem__, sequence)) if found >= 0]
    # Indexed by a block number found: its place; by -2 (leaders) and -1 (loose cards): -2 and the last place.
    place = [0] * count + [_LEADER, len(order)]
    for number, found in enumerate(order):
        place[found] = number
    return list(map(place.__getitem__, block)), len(order) + (1 if loose else 0)


def _spread(sources: list[int], block: list[int], neighbours: list[list[int]]) -> list[int]:
    """Breadth-first from ``sources`` (already in blocks): hand each newly reached card its finder's block.

    Returns the sources followed by every card reached, in the order reached.
    """
    reached = list(sources)
    reach = reached.append
    for node in reached:
        found = block[node]
        for other in neighbours[node]:
            if block[other] == _FREE:
                block[other] = found
                reach(other)
    return reached


def make_cells(graph: LayerGraph, sequence: list[int], block: list[int], block_count: int) -> Cells:
    """Sort the cards into cells: by layer, then block, keeping the walk's order inside a cell."""
    role_layers = len(ROLE_LAYERS)
    slots: list[list[int]] = [[] for _ in range(role_layers * block_count)]
    layer = graph.layer
    first = graph.leader_layers * block_count
    for card in compress(sequence, map(not_, map(graph.is_leader.__getitem__, sequence))):
        slots[layer[card] * block_count + block[card] - first].append(card)
    rows = [slots[role * block_count : (role + 1) * block_count] for role in range(role_layers)]
    widest = list(map(max, *(map(len, row) for row in rows)))
    blocks = [list(compress(range(block_count), row)) for row in rows if any(row)]
    members = [list(filter(None, row)) for row in rows if any(row)]
    return Cells(blocks, members, widest)
