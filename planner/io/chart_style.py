"""The editor's colours and line styles as plain values, for the writers that draw without Qt (draw.io, Mermaid).

The light palette's kind and severity colours are stated here, without Qt:
:mod:`planner.chart.theme` (the editor) and the report's figures take them
from here. The link looks are the editor's, copied (a test keeps them equal).
"""

from __future__ import annotations

from typing import NamedTuple

from planner.model.vocabulary import (
    ALIGNS_WITH,
    BUILDS,
    DEV_TEAM,
    ENGAGES,
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

#: Each node kind's colour in the editor's light palette.
KIND_COLORS: dict[str, str] = {
    LEADER: "#7c3aed",
    PRODUCT_MANAGER: "#2563eb",
    PRODUCT_OWNER: "#0e7490",
    DEV_TEAM: "#15803d",
    PRODUCT: "#c2410c",
    STAKEHOLDER: "#be185d",
}
#: The neutral line colour (reports_to).
LINE_COLOR = "#6b7280"
TEXT_COLOR = "#15171a"
SEVERITY_COLORS: dict[str, str] = {"error": "#dc2626", "warning": "#d97706", "info": "#2563eb"}
#: How strongly the editor tints a card with its kind's colour.
TINT = 0.13


class LinkLook(NamedTuple):
    """How the editor draws a link kind: colour, dash pattern (empty: solid), width and arrowhead."""

    color: str
    dashes: tuple[float, ...]
    width: float
    head: str  # "filled", "open", "circle" or "diamond"


LINK_LOOKS: dict[str, LinkLook] = {
    OWNS_STRATEGY: LinkLook(KIND_COLORS[PRODUCT_MANAGER], (), 2.4, "filled"),
    OWNS_BACKLOG: LinkLook(KIND_COLORS[PRODUCT_OWNER], (), 2.4, "filled"),
    BUILDS: LinkLook(KIND_COLORS[DEV_TEAM], (), 1.8, "open"),
    REPORTS_TO: LinkLook(LINE_COLOR, (6.0, 4.0), 1.6, "filled"),
    STAKEHOLDER_OF: LinkLook(KIND_COLORS[STAKEHOLDER], (1.5, 3.5), 1.8, "open"),
    ENGAGES: LinkLook(KIND_COLORS[STAKEHOLDER], (7.0, 3.0, 1.5, 3.0), 1.6, "circle"),
    ALIGNS_WITH: LinkLook(KIND_COLORS[LEADER], (10.0, 5.0), 1.6, "diamond"),
}


def tint(color: str, amount: float = TINT) -> str:
    """``color`` laid at ``amount`` opacity over white, as an opaque ``#rrggbb``."""
    channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 + (c - 255) * amount):02x}" for c in channels)
