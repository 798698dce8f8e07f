"""One entry point for the editor's arrange commands: a layout style applied to a graph read beforehand.

The editor reads the org into a :class:`~planner.layout.graphdata.LayoutGraph`
on its own thread (:func:`~planner.layout.graphdata.read_graph` is quick), then
may compute the positions anywhere, a worker thread included, because
:func:`arrange_graph` only works on that snapshot and never sees the org.
"""

from __future__ import annotations

from planner.layout.graphdata import LayoutGraph
from planner.layout.layered import layered_positions
from planner.layout.progress import Progress
from planner.layout.spacing import Positions, move_block_to
from planner.layout.tree import tree_positions

#: The layout of each arrange style.
STYLES = {"layered": layered_positions, "tree": tree_positions}


def arrange_graph(
    graph: LayoutGraph, style: str = "layered", keep_place: bool = False, progress: Progress | None = None
) -> Positions:
    """Positions for every card of ``graph`` in ``style`` ("layered" or "tree").

    With ``keep_place`` the cards keep the top-left corner they had (as when
    arranging a selection); otherwise the chart starts near the origin.
    ``progress`` may follow and stop the work, see :mod:`planner.layout.progress`.

    Examples
    --------
    >>> from planner.layout.graphdata import read_graph
    >>> from planner.model import Link, Node, Org
    >>> org = Org()
    >>> _ = org.add_node(Node("boss", "leader", x=1000.0, y=1000.0))
    >>> _ = org.add_node(Node("pm", "product_manager", x=1000.0, y=1000.0))
    >>> _ = org.add_link(Link("pm", "boss", "reports_to"))
    >>> arrange_graph(read_graph(org), "tree", keep_place=True)
    {'boss': (1000.0, 1000.0), 'pm': (1000.0, 1200.0)}
    """
    positions = STYLES[style](graph, progress)
    return move_block_to(positions, graph.positions) if keep_place else positions
