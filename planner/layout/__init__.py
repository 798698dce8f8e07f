"""Automatic layout of the org chart, in pure Python with no Qt.

:func:`layered_layout` draws the org top-down by role (leaders, product
managers, product owners, teams, products, stakeholders) with each product's
people in one column block; :func:`tree_layout` draws only the reporting
lines. Both return card centres by node id, on the grid and without overlaps,
for the whole org or for a selection that keeps its place. :func:`overlaps`
lists overlapping cards and :func:`needs_layout` tells whether imported
positions are worth keeping. ``python -m planner.layout`` prints timings.
"""

from planner.layout.checks import needs_layout, overlaps
from planner.layout.layered import layered_layout
from planner.layout.tree import tree_layout

__all__ = ["layered_layout", "needs_layout", "overlaps", "tree_layout"]
