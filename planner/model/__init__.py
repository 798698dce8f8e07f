"""The org model: nodes, typed links and change notifications, with no Qt.

Everything else in the planner (the analysis, the file formats, the canvas and
the panels) reads from or writes to an :class:`Org`; it is the single source of
truth, positions included.
"""

from planner.model.events import Signal
from planner.model.org import Link, LinkKey, ModelError, Node, Org
from planner.model.vocabulary import (
    LINK_KINDS,
    NODE_KINDS,
    PROFILES,
    allowed_link_kinds,
    is_link_allowed,
)

__all__ = [
    "LINK_KINDS",
    "NODE_KINDS",
    "PROFILES",
    "Link",
    "LinkKey",
    "ModelError",
    "Node",
    "Org",
    "Signal",
    "allowed_link_kinds",
    "is_link_allowed",
]
