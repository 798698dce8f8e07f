"""Layout test set-up: seeded generated orgs of any size, and measures of a drawn chart.

The generator is rougher than ``planner.synthetic``: every product gets a
product manager (now and then one PM holds two products), 1–4 teams, 1–2
product owners sharing those teams' backlogs and 1–3 stakeholders; the PMs
report to heads of product, the heads to directors, the directors to one
chief. A few teams also build the neighbouring product, and a few nodes are
left without links, as in real files. All cards start at (0, 0), like a file
imported without positions. Tests get it as the ``generated_org`` fixture;
``layer_order`` and ``count_crossings`` are fixtures too.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping

import pytest

from planner.model.org import Link, Node, Org

#: How many reports a leader in the synthetic org has (PMs per head, heads per director).
SPAN = 6


#: The role layers of the layered layout, top to bottom.
LAYER_KINDS = ("leader", "product_manager", "product_owner", "dev_team", "product", "stakeholder")


def build_org(node_count: int, seed: int = 0) -> Org:
    """A product org with about ``node_count`` nodes (never fewer), reproducible from ``seed``."""
    rng = random.Random(seed)
    org = Org(f"Synthetic org of {node_count}")
    pms: list[str] = []
    previous_product: str | None = None
    # A product brings about nine nodes and every SPAN PMs one more leader; stop when the total reaches node_count.
    while len(org) + _leaders_needed(len(pms)) < node_count:
        product = _add(org, "product")
        if pms and rng.random() < 0.1:
            pm = pms[-1]
        else:
            pm = _add(org, "product_manager")
            pms.append(pm)
        _link(org, pm, product, "owns_strategy")
        teams = [_add(org, "dev_team") for _ in range(rng.randint(1, 4))]
        pos = [_add(org, "product_owner") for _ in range(rng.randint(1, 2))]
        for index, team in enumerate(teams):
            _link(org, team, product, "builds")
            _link(org, pos[index % len(pos)], team, "owns_backlog")
            if previous_product is not None and rng.random() < 0.05:
                _link(org, team, previous_product, "builds")
        for po in pos:
            _link(org, po, pm, "reports_to")
            if rng.random() < 0.5:
                _link(org, po, pm, "aligns_with")
        for _ in range(rng.randint(1, 3)):
            stakeholder = _add(org, "stakeholder")
            _link(org, stakeholder, product, "stakeholder_of")
            _link(org, rng.choice([pm, *pos]), stakeholder, "engages")
        if rng.random() < 0.03:
            _add(org, rng.choice(["dev_team", "product_owner", "stakeholder"]))
        previous_product = product
    _add_leaders(org, pms)
    return org


def _leaders_needed(pm_count: int) -> int:
    heads = -(-pm_count // SPAN)
    directors = -(-heads // SPAN)
    return heads + directors + (1 if directors > 1 else 0)


def _add_leaders(org: Org, reports: list[str]) -> None:
    while len(reports) > 1 or not any(org.node(report).kind == "leader" for report in reports):
        managers = []
        for start in range(0, len(reports), SPAN):
            manager = _add(org, "leader")
            managers.append(manager)
            for report in reports[start : start + SPAN]:
                _link(org, report, manager, "reports_to")
        reports = managers
        if not reports:
            return


def _add(org: Org, kind: str) -> str:
    node_id = org.new_id(kind)
    org.add_node(Node(node_id, kind, name=node_id.replace("-", " ").title()))
    return node_id


def _link(org: Org, source: str, target: str, kind: str) -> None:
    if not org.has_link((source, target, kind)):
        org.add_link(Link(source, target, kind))


def layer_order_problems(org: Org, positions: Mapping[str, tuple[float, float]]) -> list[str]:
    """Pairs of role layers drawn out of order: some card of the upper kind not above every card of the lower."""
    lowest: dict[str, float] = {}
    highest: dict[str, float] = {}
    for node in org.nodes():
        y = positions[node.id][1]
        lowest[node.kind] = max(lowest.get(node.kind, y), y)
        highest[node.kind] = min(highest.get(node.kind, y), y)
    present = [kind for kind in LAYER_KINDS if kind in lowest]
    return [
        f"{upper} reaches y={lowest[upper]} but {lower} starts at y={highest[lower]}"
        for upper, lower in zip(present, present[1:], strict=False)
        if lowest[upper] >= highest[lower]
    ]


def crossings(org: Org, positions: Mapping[str, tuple[float, float]]) -> int:
    """Crossing links between neighbouring role layers (brute force, for small orgs)."""
    rank = {kind: index for index, kind in enumerate(LAYER_KINDS)}
    present = sorted({rank[node.kind] for node in org.nodes()})
    next_layer = dict(zip(present, present[1:], strict=False))
    spans: dict[int, list[tuple[float, float]]] = {}
    for link in org.links():
        ends = sorted((link.source, link.target), key=lambda node_id: rank[org.node(node_id).kind])
        upper, lower = (rank[org.node(node_id).kind] for node_id in ends)
        if next_layer.get(upper) == lower:
            spans.setdefault(upper, []).append((positions[ends[0]][0], positions[ends[1]][0]))
    count = 0
    for links in spans.values():
        for index, (top_a, bottom_a) in enumerate(links):
            for top_b, bottom_b in links[index + 1 :]:
                if (top_a - top_b) * (bottom_a - bottom_b) < 0:
                    count += 1
    return count


@pytest.fixture
def generated_org() -> Callable[..., Org]:
    return build_org


@pytest.fixture
def layer_order() -> Callable[..., list[str]]:
    return layer_order_problems


@pytest.fixture
def count_crossings() -> Callable[..., int]:
    return crossings
