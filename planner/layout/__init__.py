"""Automatic layout of the org chart, in pure Python with no Qt.

:func:`layered_layout` draws the org top-down by role (leaders, product
managers, product owners, teams, products, stakeholders) with each product's
people in one column block; :func:`tree_layout` draws only the reporting
lines. Both return card centres by node id, on the grid and without overlaps,
for the whole org or for a selection that keeps its place. :func:`overlaps`
lists overlapping cards and :func:`needs_layout` tells whether imported
positions are worth keeping. Both layouts take an optional ``progress``
callable that follows the work and may stop it (:mod:`planner.layout.progress`);
:func:`arrange_graph` lays out a graph read beforehand with :func:`read_graph`,
so that the work can run away from the org. ``python -m planner.layout``
prints timings.
"""

from planner.layout.arrange import STYLES, arrange_graph
from planner.layout.checks import needs_layout, overlaps
from planner.layout.graphdata import LayoutGraph, read_graph
from planner.layout.layered import layered_layout
from planner.layout.progress import LayoutCancelled, Progress
from planner.layout.tree import tree_layout

__all__ = [
    "STYLES",
    "LayoutCancelled",
    "LayoutGraph",
    "Progress",
    "arrange_graph",
    "layered_layout",
    "needs_layout",
    "overlaps",
    "read_graph",
    "tree_layout",
]
