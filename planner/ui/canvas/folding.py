"""Which cards belong to a leader, to a product or to a kind: the sets behind folding and filtering.

Pure functions of the org (no Qt), used by the editor's view state: a folded
leader hides everyone who reports to it, directly or further down; a folded
product hides its teams, their backlog owners, its strategy owners and its
stakeholders. Filtering by a product highlights the same family, the product
included. None of this is saved or undoable: it only changes what the chart
shows.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.model.org import Org
from planner.model.vocabulary import BUILDS, LEADER, OWNS_BACKLOG, OWNS_STRATEGY, PRODUCT, REPORTS_TO, STAKEHOLDER_OF

#: The kinds whose cards can be folded.
FOLDABLE_KINDS = (LEADER, PRODUCT)


def _sources(org: Org, node_id: str, kind: str) -> list[str]:
    return [source for source, _, link_kind in org.graph.in_edges(node_id, keys=True) if link_kind == kind]


def reporting_subtree(org: Org, leader_id: str) -> set[str]:
    """Everyone who reports to ``leader_id``, directly or through others (the leader not included)."""
    found: set[str] = set()
    stack = [leader_id]
    while stack:
        for report in _sources(org, stack.pop(), REPORTS_TO):
            if report not in found and report != leader_id:
                found.add(report)
                stack.append(report)
    return found


def product_family(org: Org, product_id: str) -> set[str]:
    """The product's teams, their backlog owners, its strategy owners and stakeholders (not the product)."""
    teams = set(_sources(org, product_id, BUILDS))
    family = set(teams)
    for team in teams:
        family.update(_sources(org, team, OWNS_BACKLOG))
    family.update(_sources(org, product_id, OWNS_STRATEGY))
    family.update(_sources(org, product_id, STAKEHOLDER_OF))
    family.discard(product_id)
    return family


def folded_away(org: Org, node_id: str) -> set[str]:
    """What folding ``node_id`` hides: a leader's reporting subtree or a product's family; else nothing."""
    node = org.get(node_id)
    if node is None:
        return set()
    if node.kind == LEADER:
        return reporting_subtree(org, node_id)
    if node.kind == PRODUCT:
        return product_family(org, node_id)
    return set()


def hidden_by_folds(org: Org, folded: Iterable[str]) -> tuple[set[str], dict[str, int]]:
    """The cards hidden by these folded cards, and how many each folded card hides.

    A folded card that is itself hidden by another fold stays hidden; the
    counts are what each fold would hide on its own.
    """
    hidden: set[str] = set()
    counts: dict[str, int] = {}
    for node_id in folded:
        away = folded_away(org, node_id)
        counts[node_id] = len(away)
        hidden |= away
    return hidden, counts


def cards_of_kind(org: Org, kind: str) -> set[str]:
    return {node.id for node in org.nodes() if node.kind == kind}


def cards_of_product(org: Org, product_id: str) -> set[str]:
    """The product and its family: what a filter by product keeps bright."""
    return product_family(org, product_id) | ({product_id} if product_id in org else set())
