"""The report's pictures, drawn as vector ReportLab drawings: into the PDF as they are, into HTML as inline SVG.

Each function takes plain figures (or the org) and a width in points, and
returns a :class:`reportlab.graphics.shapes.Drawing` that width wide, or None
when there is nothing worth a picture. Every label is at least
:data:`MIN_TEXT_SIZE` points and every name is printed whole, wrapped onto a
few lines rather than cut. Many products stay readable: bar charts show the
:data:`TOP_ROWS` largest and say how many more there are. No Qt here: the
colours are the editor's light palette, copied.

- :func:`span_of_control_chart`: how many managers have how many direct reports, the limit marked;
- :func:`people_per_product_chart`: people per product, teams labelled;
- :func:`findings_by_area_chart`: findings per product, stacked by area;
- :func:`before_after_chart`: errors, warnings and infos before and after a reorg;
- :func:`focus_diagram`: the cards one risk involves and their direct links;
- :func:`product_overview`: one box per product with its owners, teams and people;
- :func:`org_chart`: the whole chart, or None when it would not be readable on the page;
- :func:`readable_chart`: the whole chart upright, or on a page turned sideways when only that is readable;
- :func:`to_svg`: a drawing as an ``<svg>`` element to inline in HTML.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

from planner.layout import layered_layout, needs_layout
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from planner.model.org import Org
from planner.model.vocabulary import (
    BUILDS,
    LINK_KINDS,
    NODE_KINDS,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PERSON_KINDS,
    PRODUCT,
)
from planner.report.content_types import FIGURE_HEIGHT, FIGURE_WIDTH, LANDSCAPE_HEIGHT, LANDSCAPE_WIDTH
from planner.report.figure_cards import _card_text, _CardText, _draw_card, _draw_links
from planner.report.figure_charts import (
    before_after_chart,
    findings_by_area_chart,
    people_per_product_chart,
    span_of_control_chart,
)
from planner.report.figure_diagrams import focus_diagram
from planner.report.figure_kit import (
    _CARD_BORDER,
    _SECONDARY,
    _SEVERITY_RANK,
    _TEXT,
    AREA_COLORS,
    KIND_COLORS,
    MIN_TEXT_SIZE,
    SEVERITIES,
    SEVERITY_COLORS,
    TOP_PRODUCTS,
    TOP_ROWS,
    _BandsDrawing,
    _clean,
    _fit_or_break,
    _natural_key,
    _plural,
    _Sketch,
    _width,
    _wrap,
)
from planner.report.figure_legends import _graph_legend, _ordered
from planner.report.fonts import BOLD, CSS_FAMILY, register_fonts

# -- product overview ----------------------------------------------------------------------------

_PRODUCT_BOX_MIN = 140.0
_PRODUCT_GAP = 10.0
_NAMES_SHOWN = 3


def _owner_names(org: Org, ids: Iterable[str]) -> list[str]:
    names = []
    for node_id in ids:
        node = org.node(node_id)
        name = _clean(node.label) or node.id
        # A vacancy is often named for it already ("Product owner (to hire)"): say so once.
        names.append(f"{name} (to hire)" if node.vacant and "to hire" not in name.lower() else name)
    return sorted(names, key=_natural_key)


def _name_list(label: str, names: list[str], size: float, width: float) -> list[str]:
    """``label: A, B and 2 more`` in lines that break between names, and inside a name only when it must."""
    if not names:
        return [f"{label}: nobody"]
    if len(names) > _NAMES_SHOWN:
        names = [*names[: _NAMES_SHOWN - 1], f"{len(names) - _NAMES_SHOWN + 1} more"]
    parts = [f"{name}," for name in names[:-1]] + [names[-1]]
    if len(names) > 1 and names[-1].endswith(" more"):
        parts = [f"{name}," for name in names[:-2]] + [names[-2], f"and {names[-1]}"]
    lines: list[str] = []
    current = f"{label}:"
    for part in parts:
        candidate = f"{current} {part}"
        if _width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        wrapped = _wrap(part, size, width, 1_000) or [part]
        lines += wrapped[:-1]
        current = wrapped[-1]
    lines.append(current)
    return lines


def product_overview(
    org: Org, severity_by_product: Mapping[str, str], width: float, max_products: int | None = TOP_PRODUCTS
) -> Drawing | None:
    """The org at product level: a box per product with its strategy and backlog owners, teams and people.

    People are the teams' sizes plus the named owners (vacant roles are not
    yet people; a team without a size makes it "at least"). A missing owner
    reads "nobody", in the error colour. A box is
    ringed in the worst severity found on its product (``severity_by_product``,
    by product id); the products with the worst findings come first, then by
    name. Beyond ``max_products`` (None: no limit) a line says how many more
    products there are and what was found on them. The grid grows downward,
    and platypus may split it between pages at the edge of a row of boxes.
    None when the org has no product.
    """
    graph = org.graph
    products = [node for node in org.nodes() if node.kind == PRODUCT]
    if not products:
        return None

    def rank(product) -> tuple:
        return (
            _SEVERITY_RANK.get(severity_by_product.get(product.id, ""), len(SEVERITIES)),
            _natural_key(product.label),
        )

    products.sort(key=rank)
    limit = len(products) if max_products is None else max(1, int(max_products))
    shown, hidden = products[:limit], products[limit:]
    columns = max(1, int((width + _PRODUCT_GAP) // (_PRODUCT_BOX_MIN + _PRODUCT_GAP)))
    box_w = (width - (columns - 1) * _PRODUCT_GAP) / columns
    inner = box_w - 12
    detail = MIN_TEXT_SIZE + 0.5
    boxes = []
    for product in shown:
        strategy, teams = [], []
        for source, kinds in graph.pred[product.id].items():
            if OWNS_STRATEGY in kinds:
                strategy.append(source)
            if BUILDS in kinds:
                teams.append(source)
        backlog = {source for team in teams for source, kinds in graph.pred[team].items() if OWNS_BACKLOG in kinds}
        owners = {
            node_id
            for node_id in (*strategy, *backlog)
            if org.node(node_id).kind in PERSON_KINDS and not org.node(node_id).vacant
        }
        sizes = [org.node(team).size for team in teams]
        people = sum(size or 0 for size in sizes) + len(owners)
        headcount = _plural(people, "person", "people")
        if None in sizes:
            headcount = f"at least {headcount}" if people else "team sizes not given"
        name_size, name_lines = _fit_or_break(
            _clean(product.label) or product.id, (8.5, 8.0, 7.5, 7.0), inner, 3, bold=True
        )
        rows = []
        for label, ids in (("Strategy", strategy), ("Backlog", sorted(backlog))):
            rows.append((_name_list(label, _owner_names(org, ids), detail, inner), not ids))
        counts = f"{_plural(len(teams), 'team', 'teams')} · {headcount}"
        rows.append((_wrap(counts, detail, inner, 3) or [counts], False))
        boxes.append((severity_by_product.get(product.id), name_size, name_lines, rows))

    bands: list[tuple[float, _Sketch]] = []
    for start in range(0, len(boxes), columns):
        row = boxes[start : start + columns]
        box_h = 12 + max(
            name_size * 1.2 * len(lines) + 3 + sum(len(text) for text, _ in rows) * detail * 1.2
            for _, name_size, lines, rows in row
        )
        sketch = _Sketch()
        for column, (severity, name_size, name_lines, rows) in enumerate(row):
            x = column * (box_w + _PRODUCT_GAP)
            ring = SEVERITY_COLORS.get(severity or "")
            sketch.rect(x + 1, 1, box_w - 2, box_h, "#ffffff", ring or _CARD_BORDER, 1.8 if ring else 0.7, 4)
            sketch.rect(x + 2, 5, 3, box_h - 8, KIND_COLORS[PRODUCT])
            line_y = sketch.lines(x + 9, 7, name_lines, name_size, bold=True) + 3
            for text, missing in rows:
                line_y = sketch.lines(x + 9, line_y, text, detail, color=SEVERITY_COLORS["error"] if missing else _TEXT)
        bands.append((box_h + _PRODUCT_GAP, sketch))
    sketch = _Sketch()
    y = 0.0
    if hidden:
        found = [severity_by_product.get(product.id) for product in hidden]
        parts = [
            _plural(
                found.count(severity), f"with {'an' if severity == 'error' else 'a'} {severity}", f"with {severity}s"
            )
            for severity in SEVERITIES
            if severity in found
        ]
        clean = sum(1 for severity in found if severity not in SEVERITY_COLORS)
        if clean:
            parts.append(f"{clean:,} without findings")
        note = f"{_plural(len(hidden), 'more product', 'more products')} not shown: {', '.join(parts)}."
        y = sketch.lines(0, y, _wrap(note, 7.5, width, 4) or [note], 7.5, color=_SECONDARY) + 2
    severities = {severity for severity, *_ in boxes}
    y = _graph_legend(sketch, y, width, (), (), [s for s in SEVERITIES if s in severities])
    bands.append((y + 2, sketch))
    return _BandsDrawing(width, bands)


# -- the whole chart -----------------------------------------------------------------------------

#: The editor's card, in scene units (the model's positions are card centres in the same units).
_CARD_W, _CARD_H = CARD_WIDTH, CARD_HEIGHT
#: At most this share of the editor's size: a small org is not blown up past comfortable reading.
_MAX_CHART_SCALE = 0.75
#: Below this scale no name of two lines fits a card at 7 pt, whatever the org.
_MIN_CHART_SCALE = 0.3
_CHART_MARGIN = 24.0


def org_chart(org: Org, severity_by_node: Mapping[str, str], width: float, height: float) -> Drawing | None:
    """The whole chart as the editor draws it, scaled to fit ``width`` x ``height`` (legend included).

    Cards stand where the model puts them (an automatic layout when the
    positions are unusable, as after an import). None when the org is empty,
    or when at the scale that fits, card text would fall under
    :data:`MIN_TEXT_SIZE` or a name would not fit its card whole: the report
    then shows focus diagrams and the product overview, and ``planner export``
    draws the whole chart.
    """
    count = len(org)
    if not count or width <= 0 or height <= 0:
        return None
    if count * (_CARD_W * _MIN_CHART_SCALE) * (_CARD_H * _MIN_CHART_SCALE) > width * height:
        return None
    nodes = list(org.nodes())
    positions = {node.id: (node.x, node.y) for node in nodes}
    if needs_layout(org):
        positions = layered_layout(org)
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    # Print cards may be taller than the editor's where the rows leave room: a third line for a long name.
    full_h = _CARD_H * _taller(list(positions.values()))
    left, top = min(xs) - _CARD_W / 2 - _CHART_MARGIN, min(ys) - full_h / 2 - _CHART_MARGIN
    span_w = max(xs) - min(xs) + _CARD_W + 2 * _CHART_MARGIN
    span_h = max(ys) - min(ys) + full_h + 2 * _CHART_MARGIN

    link_triples = org.link_triples()
    severities = [s for s in SEVERITIES if s in set(severity_by_node.get(node.id) for node in nodes)]
    legend_sketch = _Sketch()
    legend_height = _graph_legend(
        legend_sketch,
        0,
        width,
        _ordered((node.kind for node in nodes), NODE_KINDS),
        _ordered((kind for *_, kind in link_triples), tuple(LINK_KINDS)),
        severities,
    )
    scale = min(_MAX_CHART_SCALE, width / span_w, (height - legend_height - 8) / span_h)
    if scale < _MIN_CHART_SCALE:
        return None
    card_w, card_h = _CARD_W * scale, full_h * scale
    band = max(2.5, 4.0 * scale)
    inner_w = card_w - band - 2 * max(3.0, 5 * scale)
    inner_h = card_h - 2 * max(2.0, 4 * scale)
    texts = _chart_texts(nodes, inner_w, inner_h, scale)
    if texts is None:
        return None
    with_kind, card_texts = texts
    offset_x = (width - span_w * scale) / 2

    def place(x: float, y: float) -> tuple[float, float]:
        return offset_x + (x - left) * scale, (y - top) * scale

    centres = {node_id: place(x, y) for node_id, (x, y) in positions.items()}
    sketch = _Sketch()
    _draw_links(sketch, link_triples, centres, card_w / 2, card_h / 2, scale * 1.6)
    for node in nodes:
        cx, cy = centres[node.id]
        _draw_card(
            sketch,
            node,
            cx,
            cy,
            card_w,
            card_h,
            card_texts[node.id],
            with_kind,
            severity_by_node.get(node.id),
            scale=scale,
        )
    chart_height = span_h * scale
    bottom = _graph_legend(
        sketch,
        chart_height + 6,
        width,
        _ordered((node.kind for node in nodes), NODE_KINDS),
        _ordered((kind for *_, kind in link_triples), tuple(LINK_KINDS)),
        severities,
    )
    return sketch.drawing(width, bottom + 2)


#: How much taller than the editor's a printed card may be, room permitting.
_MAX_TALLER = 1.5
#: Space kept between two printed cards, one above the other, in scene units.
_CARD_GAP = 12.0


def _taller(centres: list[tuple[float, float]]) -> float:
    """How much taller than the editor's the chart's cards may be drawn without touching one another.

    Only cards that share columns (their centres nearer than a card's width)
    limit one another; the chart keeps every card where the model puts it.
    """
    if len(centres) > 400:
        return 1.0
    ordered = sorted(centres)
    nearest = math.inf
    for i, (x, y) in enumerate(ordered):
        for other_x, other_y in ordered[i + 1 :]:
            if other_x - x >= _CARD_W:
                break
            nearest = min(nearest, abs(other_y - y))
    return max(1.0, min(_MAX_TALLER, (nearest - _CARD_GAP) / _CARD_H))


def readable_chart(org: Org, severity_by_node: Mapping[str, str]) -> tuple[Drawing | None, bool]:
    """The whole chart on an upright page or, when only that is readable, on a page turned sideways.

    Returns the drawing (None when neither is readable) and whether it goes on a page turned sideways.
    """
    upright = org_chart(org, severity_by_node, FIGURE_WIDTH, FIGURE_HEIGHT)
    if upright is not None:
        return upright, False
    return org_chart(org, severity_by_node, LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT), True


def _chart_texts(nodes: list, inner_w: float, inner_h: float, scale: float) -> tuple[bool, dict[str, _CardText]] | None:
    """Every card's text at one name size for the whole chart, the largest that fits them all; None if none does.

    The kind line goes first when room runs short (the band's colour and the
    legend still tell the kind), then the detail line.
    """
    largest = min(10.0, max(MIN_TEXT_SIZE, 14.0 * scale))  # the editor: a 10 pt name on a card 200 px wide
    sizes = [size for size in (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0) if size <= largest]
    for with_kind, detail_lines in ((True, 1), (False, 1), (False, 0)):
        for size in sizes:
            room = inner_h - (MIN_TEXT_SIZE * 1.2 + 1 if with_kind else 0)
            lines = int(room // (size * 1.2))
            if lines < 1:
                continue
            texts = {}
            for node in nodes:
                text = _card_text(node, inner_w, (size,), lines, detail_lines, must_fit=True)
                if text is None:
                    break
                if text.height(with_kind) > inner_h:
                    text = _CardText(text.kind, text.name_size, text.name, [])
                    if text.height(with_kind) > inner_h:
                        break
                texts[node.id] = text
            else:
                return with_kind, texts
    return None


def can_split(drawing: Drawing) -> bool:
    """Whether platypus may split ``drawing`` between pages (the product overview): place it unscaled.

    Scaling a tall figure down to fit one page would shrink its text under
    :data:`MIN_TEXT_SIZE`; this one flows onto the next page instead, cut
    between rows of boxes.
    """
    return isinstance(drawing, _BandsDrawing)


# -- SVG -----------------------------------------------------------------------------------------

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_FONT = re.compile(r"font-family: ([^;\"]+);")
_EMPTY_META = re.compile(r"\s*<title>\.\.\.</title>\s*<desc>\.\.\.</desc>")


def to_svg(drawing: Drawing, title: str = "") -> str:
    """The drawing as an ``<svg>`` element to put inline in HTML: no XML prolog, fonts with a fallback.

    Text is escaped by the SVG renderer; the clip path's id is made unique to
    the picture, so that several figures on one page do not clip each other.
    ``title`` (escaped here) becomes the picture's accessible name.
    """
    register_fonts()
    svg = renderSVG.drawToString(drawing)
    svg = _PROLOG.sub("", svg, count=1)
    bold_names = {BOLD, "Helvetica-Bold"}

    def family(match: re.Match) -> str:
        weight = " font-weight: bold;" if match.group(1).strip() in bold_names else ""
        return f"font-family: '{CSS_FAMILY}', sans-serif;{weight}"

    svg = _FONT.sub(family, svg)
    unique = "fig" + hashlib.sha1(svg.encode("utf-8")).hexdigest()[:10]
    svg = svg.replace('id="clip"', f'id="{unique}-clip"').replace("url(#clip)", f"url(#{unique}-clip)")
    svg = svg.replace('id="group"', f'id="{unique}"')
    svg = _EMPTY_META.sub("", svg, count=1)
    label = f' aria-label="{escape(_clean(title), {chr(34): "&quot;"})}"' if title else ""
    svg = svg.replace("<svg ", f'<svg role="img"{label} style="max-width: 100%; height: auto" ', 1)
    return svg.strip()


__all__ = [
    "AREA_COLORS",
    "KIND_COLORS",
    "MIN_TEXT_SIZE",
    "SEVERITY_COLORS",
    "TOP_PRODUCTS",
    "TOP_ROWS",
    "before_after_chart",
    "can_split",
    "findings_by_area_chart",
    "focus_diagram",
    "org_chart",
    "readable_chart",
    "people_per_product_chart",
    "product_overview",
    "span_of_control_chart",
    "to_svg",
]
