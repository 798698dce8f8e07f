"""Placeholder figures of the gap report (the figures branch replaces this file). No Qt here.

Each function returns a :class:`reportlab.graphics.shapes.Drawing` sized to
``width`` points, or None when there is nothing to show.
"""

from __future__ import annotations

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, Rect, String


def _box(width: float, height: float, label: str) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, strokeColor=None, fillColor=None))
    drawing.add(String(4, height / 2, label, fontName="Helvetica", fontSize=8))
    return drawing


def span_of_control_chart(spans: list[int], limit: int, width: float) -> Drawing | None:
    return _box(width, 120, f"spans {len(spans)} limit {limit}") if spans else None


def people_per_product_chart(rows: list[tuple[str, int, int]], width: float) -> Drawing | None:
    return _box(width, 120, f"products {len(rows)}") if rows else None


def findings_by_area_chart(rows: list[tuple[str, dict[str, int]]], width: float) -> Drawing | None:
    return _box(width, 120, f"products {len(rows)}") if rows else None


def before_after_chart(before: dict[str, int], after: dict[str, int], width: float) -> Drawing | None:
    return _box(width, 80, "before after")


def focus_diagram(org, node_ids, severity_by_node: dict[str, str], width: float, max_cards: int = 25) -> Drawing | None:
    return _box(width, 120, f"focus {len(list(node_ids))}") if node_ids else None


def product_overview(org, severity_by_product: dict[str, str], width: float) -> Drawing | None:
    return _box(width, 160, "overview")


def org_chart(org, severity_by_node: dict[str, str], width: float, height: float) -> Drawing | None:
    return _box(width, min(height, 200), "chart") if len(org) <= 40 else None


def to_svg(drawing: Drawing) -> str:
    return renderSVG.drawToString(drawing)
