"""Duty coverage: who is accountable for each duty of each product, and which duties nobody holds. No Qt here.

The report's coverage matrix, the staffing plan's count of unowned duties and
the ``duties`` key of ``planner check --format json`` all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planner.model.duties import DUTIES, DUTY_LIST, EXECUTION_DUTIES, STRATEGY_DUTIES, Matrix, accountable
from planner.model.org import Org
from planner.model.vocabulary import PRODUCT


@dataclass(frozen=True)
class ProductDuties:
    """One product's matrix, and what it leaves open."""

    product: str
    follows_links: bool
    matrix: Matrix
    #: Duties nobody is accountable for, and duties two or more people are, in catalog order.
    unowned: tuple[str, ...]
    shared: tuple[str, ...]

    @property
    def has_gaps(self) -> bool:
        return bool(self.unowned or self.shared)

    def people(self) -> list[str]:
        """Everyone in the matrix, in the order they first appear (by duty)."""
        return list(dict.fromkeys(p for duty in DUTIES for p in self.matrix.get(duty, {})))


def product_duties(org: Org, product: str) -> ProductDuties:
    matrix = org.duty_matrix(product)
    unowned = tuple(d for d in DUTIES if not accountable(matrix, d))
    shared = tuple(d for d in DUTIES if len(accountable(matrix, d)) > 1)
    return ProductDuties(product, org.follows_links(product), matrix, unowned, shared)


def duty_coverage(org: Org) -> list[ProductDuties]:
    """Every product's duties, in the org's order."""
    return [product_duties(org, node.id) for node in org.nodes() if node.kind == PRODUCT]


def unowned_duties(org: Org) -> int:
    """How many duties, over every product, nobody is accountable for.

    Counted without building the matrices of products that follow their links (the staffing plan asks twice
    per plan: on a 10,000-card org building them all took a tenth of a second each time).
    """
    total = 0
    for node in org.nodes():
        if node.kind != PRODUCT:
            continue
        own = org.duties_of(node.id)
        if own is not None:
            total += sum(1 for duty in DUTIES if not accountable(own, duty))
            continue
        strategy, backlog = org.link_owners(node.id)
        total += (0 if strategy else len(STRATEGY_DUTIES)) + (0 if backlog else len(EXECUTION_DUTIES))
    return total


def duties_json(org: Org | list[ProductDuties]) -> dict[str, Any]:
    """The ``duties`` key of the check's JSON: the catalog, each product's matrix and the open duties.

    Takes the org, or its :func:`duty_coverage` when it is already worked out. From the org, each product's
    matrix is worked out in turn and its equal rows written as one dict (a product that follows its links has
    the same row for every strategy duty, and another for every execution duty): the same JSON, from a
    document a third the size (36 MB at 100,000 cards, all rows apart).
    """
    coverage = (
        (product_duties(org, node.id) for node in org.nodes() if node.kind == PRODUCT) if isinstance(org, Org) else org
    )
    unowned = 0
    products: dict[str, Any] = {}
    for p in coverage:
        unowned += len(p.unowned)
        products[p.product] = {
            "follows_links": p.follows_links,
            "matrix": _rows_shared(p.matrix),
            "unowned": list(p.unowned),
            "shared": list(p.shared),
        }
    return {
        "catalog": [{"id": d.id, "horizon": d.horizon, "label": d.label} for d in DUTY_LIST],
        "unowned": unowned,
        "products": products,
    }


def _rows_shared(matrix: Matrix) -> Matrix:
    """The matrix with each set of equal rows given as one dict (to be written out, never changed)."""
    rows: dict[tuple, dict[str, str]] = {}
    return {duty: rows.setdefault(tuple(row.items()), row) for duty, row in matrix.items()}
