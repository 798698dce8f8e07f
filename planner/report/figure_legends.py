"""The report figures' legends: rows of swatches and labels under a chart or diagram."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from reportlab.lib.colors import Color

from planner.model.vocabulary import (
    LINK_KINDS,
    NODE_LABELS,
)
from planner.report.figure_kit import (
    _CARD_BORDER,
    _CONTEXT_FILL,
    _LINE,
    _SECONDARY,
    KIND_COLORS,
    SEVERITY_COLORS,
    _draw_link,
    _Sketch,
    _width,
)

_LEGEND_SIZE = 7.5
_LEGEND_ROW = 13.0


def _legend(
    sketch: _Sketch, top: float, width: float, entries: Sequence[tuple[Callable[[float, float], None], float, str]]
) -> float:
    """Legend entries (a swatch painter, the swatch's width, a label) flowed in rows; returns the y below them."""
    x, y = 0.0, top
    for paint, swatch, label in entries:
        needed = swatch + 4 + _width(label, _LEGEND_SIZE) + 12
        if x > 0 and x + needed > width:
            x, y = 0.0, y + _LEGEND_ROW
        paint(x, y + _LEGEND_ROW / 2 - 1)
        sketch.text(
            x + swatch + 4, y + _LEGEND_ROW / 2 + _LEGEND_SIZE * 0.35 - 1, label, _LEGEND_SIZE, color=_SECONDARY
        )
        x += needed
    return y + _LEGEND_ROW if entries else top


def _box_swatch(
    sketch: _Sketch, fill: str | Color, stroke: str | Color | None = None
) -> Callable[[float, float], None]:
    return lambda x, y: sketch.rect(x, y - 4, 9, 8, fill, stroke, 0.8)


def _kind_swatch(sketch: _Sketch, kind: str) -> Callable[[float, float], None]:
    def paint(x: float, y: float) -> None:
        sketch.rect(x, y - 5, 14, 10, "#ffffff", _CARD_BORDER, 0.6, 2)
        sketch.rect(x, y - 5, 3, 10, KIND_COLORS.get(kind, _LINE))

    return paint


def _ring_swatch(sketch: _Sketch, severity: str) -> Callable[[float, float], None]:
    return lambda x, y: sketch.rect(x + 0.8, y - 4.2, 12.4, 8.4, "#ffffff", SEVERITY_COLORS[severity], 1.6, 2)


def _link_swatch(sketch: _Sketch, kind: str) -> Callable[[float, float], None]:
    return lambda x, y: _draw_link(sketch, kind, (x, y), (x + 26, y), 0.8)


def _graph_legend(
    sketch: _Sketch,
    top: float,
    width: float,
    kinds: Iterable[str],
    link_kinds: Iterable[str],
    severities: Iterable[str],
    context: bool = False,
) -> float:
    """The legend of a chart: card kinds, link kinds, severity rings, and (``context``) the grey linked card."""
    entries: list[tuple[Callable[[float, float], None], float, str]] = []
    entries += [(_kind_swatch(sketch, kind), 14, NODE_LABELS.get(kind, kind)) for kind in kinds]
    if context:
        entries.append(
            (
                lambda x, y: sketch.rect(x, y - 5, 14, 10, _CONTEXT_FILL, _CARD_BORDER, 0.6, 2),
                14,
                "linked card, for context",
            )
        )
    entries += [
        (_link_swatch(sketch, kind), 26, LINK_KINDS[kind].label if kind in LINK_KINDS else kind) for kind in link_kinds
    ]
    entries += [
        (
            _ring_swatch(sketch, severity),
            14,
            f"has {'an' if severity == 'error' else 'a'} {severity if severity != 'info' else 'note (info)'}",
        )
        for severity in severities
    ]
    return _legend(sketch, top, width, entries)


def _ordered(values: Iterable[str], order: Sequence[str]) -> list[str]:
    present = set(values)
    return [value for value in order if value in present] + sorted(present - set(order))
