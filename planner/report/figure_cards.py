"""Cards and links as the report's diagrams draw them: a card's text fitted to its width, its box, its links."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from planner.model.vocabulary import (
    DEV_TEAM,
    NODE_LABELS,
    STAKEHOLDER,
)
from planner.report.figure_kit import (
    _CARD_BORDER,
    _CONTEXT_FILL,
    _LINE,
    _SECONDARY,
    KIND_COLORS,
    MIN_TEXT_SIZE,
    SEVERITY_COLORS,
    _clean,
    _draw_link,
    _exit_point,
    _fit,
    _fit_or_break,
    _plural,
    _Sketch,
    _wrap,
)


@dataclass(frozen=True)
class _CardText:
    """What a card says, fitted to its width: the kind line, the name's lines and a detail line or two."""

    kind: list[str]
    name_size: float
    name: list[str]
    detail: list[str]

    def height(self, with_kind: bool) -> float:
        height = self.name_size * 1.2 * len(self.name)
        if with_kind:
            height += MIN_TEXT_SIZE * 1.2 * len(self.kind) + 1
        if self.detail:
            height += MIN_TEXT_SIZE * 1.2 * len(self.detail) + 1
        return height


def _detail(node) -> str:
    if node.kind == DEV_TEAM and node.size is not None:
        detail = _plural(node.size, "person", "people")
    elif node.kind == STAKEHOLDER and node.scope:
        detail = node.scope
    else:
        detail = _clean(node.title)
    if node.vacant:
        return f"to hire · {detail}" if detail else "to hire"
    return detail


def _card_text(
    node, inner_width: float, name_sizes: Sequence[float], name_lines: int, detail_lines: int, must_fit: bool
) -> _CardText | None:
    """The card's text at the largest name size that fits whole; None when ``must_fit`` and it does not."""
    label = _clean(node.label) or node.id
    fitted = _fit(label, name_sizes, inner_width, name_lines, bold=True)
    if fitted is None:
        if must_fit:
            return None
        fitted = _fit_or_break(label, name_sizes, inner_width, name_lines, bold=True)
    detail = _detail(node)
    detail_wrapped: list[str] = []
    if detail and detail_lines:
        detail_wrapped = _wrap(detail, MIN_TEXT_SIZE, inner_width, detail_lines, break_words=False) or []
        if not detail_wrapped and node.vacant:
            detail_wrapped = ["to hire"]
    kind = NODE_LABELS.get(node.kind, node.kind)
    # Without room for the kind, the band's colour and the legend still tell it.
    kind_lines = _wrap(kind, MIN_TEXT_SIZE, inner_width, 2, bold=True, break_words=False) or []
    return _CardText(kind_lines, fitted[0], fitted[1], detail_wrapped)


def _draw_card(
    sketch: _Sketch,
    node,
    cx: float,
    cy: float,
    w: float,
    h: float,
    text: _CardText,
    with_kind: bool,
    severity: str | None,
    context: bool = False,
    scale: float = 1.0,
) -> None:
    left, top = cx - w / 2, cy - h / 2
    radius = min(6.0, 6.0 * scale * 1.5)
    if severity in SEVERITY_COLORS:
        ring = max(1.4, 2.2 * scale)
        sketch.rect(
            left - ring, top - ring, w + 2 * ring, h + 2 * ring, None, SEVERITY_COLORS[severity], ring, radius + ring
        )
    fill = _CONTEXT_FILL if context else "#ffffff"
    sketch.rect(left, top, w, h, fill, _CARD_BORDER, 0.7, radius, (2.5, 1.5) if node.vacant else ())
    colour = KIND_COLORS.get(node.kind, _LINE)
    band = max(2.5, 4.0 * scale)
    sketch.rect(left + 0.4, top + radius * 0.6, band, h - radius * 1.2, colour)
    x = left + band + max(3.0, 5 * scale)
    y = cy - text.height(with_kind) / 2
    if with_kind:
        y = sketch.lines(x, y, text.kind, MIN_TEXT_SIZE, bold=True, color=colour) + 1
    y = sketch.lines(x, y, text.name, text.name_size, bold=True)
    if text.detail:
        sketch.lines(x, y + 1, text.detail, MIN_TEXT_SIZE, color=_SECONDARY)


def _quadratic(
    start: tuple[float, float], control: tuple[float, float], end: tuple[float, float], steps: int = 24
) -> Iterable[tuple[float, float]]:
    for index in range(1, steps):
        t = index / steps
        yield (
            (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t * t * end[0],
            (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t * t * end[1],
        )


def _draw_links(
    sketch: _Sketch,
    links: Sequence[tuple[str, str, str]],
    centres: Mapping[str, tuple[float, float]],
    half_w: float,
    half_h: float,
    scale: float = 1.0,
    route: bool = False,
) -> float:
    """Links between card centres, clipped at the cards' edges; links of one pair drawn side by side.

    With ``route`` (a focus diagram's few cards), a link whose straight line
    would cross another card bends around it, and a link between two cards
    of one row arcs over the cards between them. Returns the highest y a
    curve reaches.
    """
    highest = math.inf
    pairs: dict[frozenset, list[tuple[str, str, str]]] = {}
    for link in links:
        if link[0] != link[1]:
            pairs.setdefault(frozenset(link[:2]), []).append(link)
    gap = max(1.0, 2.0 * scale)
    cards = list(centres.items()) if route else []

    def crossings(points: Iterable[tuple[float, float]], ends: tuple[str, str]) -> int:
        points = list(points)
        return sum(
            1
            for node_id, (cx, cy) in cards
            if node_id not in ends
            if any(abs(x - cx) < half_w + 3 and abs(y - cy) < half_h + 3 for x, y in points)
        )

    for group in pairs.values():
        for rank, (source, target, kind) in enumerate(group):
            (sx, sy), (tx, ty) = centres[source], centres[target]
            length = math.hypot(tx - sx, ty - sy) or 1.0
            offset = (rank - (len(group) - 1) / 2) * max(2.5, 4.0 * scale)
            nx, ny = -(ty - sy) / length, (tx - sx) / length
            if source > target:  # the same side for both directions of a pair
                nx, ny = -nx, -ny
            sx, sy, tx, ty = sx + nx * offset, sy + ny * offset, tx + nx * offset, ty + ny * offset
            start = _exit_point(sx, sy, tx, ty, half_w, half_h, gap)
            end = _exit_point(tx, ty, sx, sy, half_w, half_h, gap)
            if not route or not crossings(
                _quadratic(start, ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2), end), (source, target)
            ):
                _draw_link(sketch, kind, start, end, scale)
                continue
            middle = ((sx + tx) / 2, (sy + ty) / 2)
            if abs(sy - ty) < 1e-6:
                tries = [(middle[0], middle[1] - bend) for bend in (2.2 * half_h, 3.5 * half_h, 5 * half_h)]
            else:
                tries = [
                    (middle[0] + nx * bend * side, middle[1] + ny * bend * side)
                    for bend in (1.1 * half_w, 1.8 * half_w, 2.6 * half_w, 3.5 * half_w)
                    for side in (1, -1)
                ]
            best = None
            for control in tries:
                start = _exit_point(sx, sy, *control, half_w, half_h, gap)
                end = _exit_point(tx, ty, *control, half_w, half_h, gap)
                crossed = crossings(_quadratic(start, control, end), (source, target))
                if best is None or crossed < best[0]:
                    best = (crossed, start, control, end)
                if not crossed:
                    break
            _, start, control, end = best
            highest = min(highest, (start[1] + 2 * control[1] + end[1]) / 4)
            _draw_link(sketch, kind, start, end, scale, control)
    return highest
