"""Chart export: the editor's own chart scene, rendered offscreen to PNG, SVG or vector PDF.

There is one renderer. :class:`ChartPicture` builds the chart package's
non-interactive :class:`~planner.chart.scene.ChartScene` from the org (laid
out first when its positions are unusable, as after an import without them), in the
light theme, with findings badged and ringed when asked (and, in the report of
a proposal, its added cards tagged NEW in green), and renders it with
``QGraphicsScene.render``. Scene units are pixels at 96 dpi, which is also the
resolution the SVG and PDF devices are given so that fonts keep their size
relative to the cards; a PNG at ``dpi`` is the scene scaled by ``dpi / 96``.
A PDF puts the whole chart on one page, or tiles it over as many pages as it
takes at a readable scale. From :data:`SKETCH_FROM` cards a chart on one page
(PNG, SVG or PDF) is drawn as the editor draws it far away, cards as blocks
and links as hairlines straight from the model: no name could be read at
that size, and an item per card took minutes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPicture,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsPathItem

from planner.analysis import AnalysisResult
from planner.analysis.rule import SEVERITY_RANK
from planner.chart.node_item import NodeItem
from planner.chart.scene import ChartScene
from planner.chart.theme import LIGHT
from planner.layout import layered_layout, needs_layout
from planner.model.org import Org
from planner.model.vocabulary import LINK_KINDS, NODE_KINDS
from planner.render import RenderError
from planner.render.app import ensure_app
from planner.render.chart_key import NEW_COLOR, RING_COLORS, LegendItem, NewTagItem

#: Scene units per inch: the chart is drawn as if on a 96 dpi screen.
SCENE_DPI = 96
#: Empty space around the chart, in scene units.
PADDING = 24.0
#: Tiled PDF pages show the chart at this share of its on-screen size (card names print at about 7.5 pt).
TILE_ZOOM = 0.75
#: Tiles overlap by this much (scene units) so that a card cut at an edge is whole on one of the pages.
TILE_OVERLAP = 60.0
#: The biggest PNG written at a dpi the user asked for, in pixels; beyond it a lower dpi is asked for.
MAX_PIXELS = 100_000_000
MAX_SIDE = 32_000
#: With no dpi asked for, a PNG is made at :data:`DEFAULT_DPI`, or at the highest dpi that keeps it within
#: these bounds (image viewers and browsers open it, and it fits in memory).
DEFAULT_DPI = 150
AUTO_MAX_PIXELS = 50_000_000
AUTO_MAX_SIDE = 32_000
MIN_DPI = 10
#: From this many cards a chart is exported and printed whole as the editor draws it far away: cards as blocks
#: in their kinds' colours, links as hairlines (:class:`~planner.chart.blocks.ChartBlocks`). A card item per card
#: took 7 minutes and 2 GB for a one-page PDF of 100,000 cards, whose names no page or viewer could show.
SKETCH_FROM = 20_000
#: A sketch's PNG may go down to this dpi when none is asked for (its cards are blocks, not text).
SKETCH_MIN_DPI = 1

PAPER_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
CHART_FORMATS = (".png", ".svg", ".pdf")


class ChartError(RenderError):
    """The chart could not be written: unknown format, too big an image, or an unwritable file."""


Highlight = AnalysisResult | Mapping[str, str] | None


def _laid_out(org: Org) -> Org:
    """The org itself, or a copy with an automatic layout when its cards mostly sit on top of each other."""
    if not needs_layout(org):
        return org
    positions = layered_layout(org)
    copy = Org(org.name, org.profile)
    for node in org.nodes():
        x, y = positions.get(node.id, (node.x, node.y))
        copy.add_node(node.replace(x=x, y=y))
    for link in org.links():
        copy.add_link(link)
    return copy


def _marks(highlight: Highlight) -> dict[str, tuple[str, int]]:
    """Node id → (worst severity, number of findings) from an analysis result or an id → severity map."""
    if highlight is None:
        return {}
    if isinstance(highlight, AnalysisResult):
        return {node_id: (found[0].severity, len(found)) for node_id, found in highlight.by_node().items() if found}
    return {node_id: (severity, 1) for node_id, severity in highlight.items() if severity in SEVERITY_RANK}


class ChartPicture:
    """An org's chart ready to paint: the editor's scene, built offscreen, with optional finding marks.

    Use it as a context manager (or call :meth:`close`), which detaches the
    scene from the org's signals.
    """

    def __init__(
        self,
        org: Org,
        highlight: Highlight = None,
        legend: bool = True,
        added: Iterable[str] = (),
        sketch: bool | None = None,
    ) -> None:
        """``sketch``: draw cards as blocks (None: from :data:`SKETCH_FROM` cards on)."""
        ensure_app()
        self.org = org
        self.added = [node_id for node_id in added if node_id in org]
        self.sketch = len(org) >= SKETCH_FROM if sketch is None else sketch
        self.scene = ChartScene()
        self.scene.set_theme(LIGHT)
        self.marks = _marks(highlight)
        if self.sketch:
            self._set_sketch(_laid_out(org), legend)
            return
        self.scene.set_org(_laid_out(org))
        for node_id, (severity, count) in self.marks.items():
            item = self.scene.node_items.get(node_id)
            if item is None:
                continue
            item.set_badge(severity, count)
            ring = QPainterPath()
            ring.addRoundedRect(item.scene_card_rect().adjusted(-6, -6, 6, 6), 14, 14)
            mark = QGraphicsPathItem(ring)
            mark.setPen(QPen(QColor(RING_COLORS[severity]), 3.5))
            mark.setZValue(0.5)
            self.scene.addItem(mark)
        for node_id in self.added:
            item = self.scene.node_items.get(node_id)
            if item is None:
                continue
            card = item.scene_card_rect()
            ring = QPainterPath()
            ring.addRoundedRect(card.adjusted(-11, -11, 11, 11), 18, 18)
            mark = QGraphicsPathItem(ring)
            mark.setPen(QPen(QColor(NEW_COLOR), 3.0, Qt.PenStyle.DashLine))
            mark.setZValue(0.5)
            self.scene.addItem(mark)
            tag = NewTagItem(QFont())
            tag.setPos(card.left() + 8, card.top() - 8)
            self.scene.addItem(tag)
        bounds = self.scene.itemsBoundingRect()
        if bounds.isEmpty():
            bounds = QRectF(-200, -60, 400, 120)
        elif legend:
            key = self.legend()
            key.setPos(bounds.left(), bounds.bottom() + 36)
            self.scene.addItem(key)
            bounds = bounds.united(key.sceneBoundingRect())
        self.source = bounds.adjusted(-PADDING, -PADDING, PADDING, PADDING)

    def _set_sketch(self, org: Org, legend: bool) -> None:
        """No item per card: the lazy chart's far-away blocks draw every card and link from the model."""
        scene = self.scene
        scene.lazy_from = 0
        scene.set_org(org)
        scene.set_sketch_mode(True)
        scene.blocks.direct = True  # drawn onto the page (vector in a PDF or SVG), not through a picture
        scene.set_findings({}, dict(self.marks))
        bounds = scene.card_bounds()
        if bounds.isEmpty():
            self.source = QRectF(-200, -60, 400, 120).adjusted(-PADDING, -PADDING, PADDING, PADDING)
            return
        if legend:
            key = self.legend()
            # The key keeps a readable size beside a chart a thousand times its width.
            key.setScale(max(1.0, bounds.width() / 4000))
            key.setPos(bounds.left(), bounds.bottom() + 36 * key.scale())
            scene.addItem(key)
            bounds = bounds.united(key.sceneBoundingRect())
        self.source = bounds.adjusted(-PADDING, -PADDING, PADDING, PADDING)

    def __enter__(self) -> ChartPicture:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.scene.clear_org()

    def render(self, painter: QPainter, target: QRectF, source: QRectF | None = None) -> None:
        """Paint the chart (or the ``source`` part of it) into ``target``, keeping its proportions."""
        self.scene.render(
            painter, target, source if source is not None else self.source, Qt.AspectRatioMode.KeepAspectRatio
        )

    def legend(self) -> LegendItem:
        """A new key for the roles and links of this chart (and the rings, when cards are marked)."""
        shown_kinds = {node.kind for node in self.org.nodes()}
        shown_links = {kind for _source, _target, kind in self.org.link_triples()}
        kinds = [kind for kind in NODE_KINDS if kind in shown_kinds]
        links = [kind for kind in LINK_KINDS if kind in shown_links]
        return LegendItem(kinds, links, bool(self.marks), LIGHT, bool(self.added))

    def has_cards_in(self, area: QRectF) -> bool:
        if self.sketch:
            return bool(self.scene.cards_in(area))
        return any(isinstance(item, NodeItem) for item in self.scene.items(area))

    def pixel_size(self, dpi: float) -> QSize:
        scale = dpi / SCENE_DPI
        return QSize(math.ceil(self.source.width() * scale), math.ceil(self.source.height() * scale))


def _write(path: Path, data: bytes) -> None:
    from planner.io.atomic import write_atomically
    from planner.io.errors import SaveError

    try:
        write_atomically(path, data)  # a full disk or a kill leaves the old chart, never half a new one
    except SaveError as exc:
        raise ChartError(f"cannot write the file: {exc}") from None


def auto_dpi(picture: ChartPicture) -> float:
    """:data:`DEFAULT_DPI`, or less: the highest dpi at which the PNG stays within the automatic bounds."""
    width, height = picture.source.width() / SCENE_DPI, picture.source.height() / SCENE_DPI  # inches
    fits = min(
        DEFAULT_DPI,
        (AUTO_MAX_SIDE - 1) / max(width, height, 1e-9),
        math.sqrt(AUTO_MAX_PIXELS / max(width * height, 1e-9)) * 0.999,
    )
    return max(SKETCH_MIN_DPI if picture.sketch else MIN_DPI, math.floor(fits * 10) / 10)


def png_bytes(picture: ChartPicture, dpi: float = DEFAULT_DPI) -> bytes:
    """The chart as a PNG with a white background, ``dpi / 96`` pixels per scene unit."""
    lowest = SKETCH_MIN_DPI if picture.sketch else MIN_DPI
    if not lowest <= dpi <= 1200:
        raise ChartError(f"a dpi of {dpi:g} is out of range ({lowest} to 1200)")
    size = picture.pixel_size(dpi)
    if size.width() > MAX_SIDE or size.height() > MAX_SIDE or size.width() * size.height() > MAX_PIXELS:
        raise ChartError(
            f"the chart would be {size.width()}×{size.height()} pixels at {dpi:g} dpi; choose a lower dpi, "
            "or export SVG or PDF"
        )
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    picture.render(painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    # Stamped after painting: fonts are sized from the image's dpi while it is painted on.
    dots_per_meter = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    return _encode(image, "PNG")


def _encode(image: QImage, fmt: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, fmt):
        raise ChartError(f"Qt could not encode the chart as {fmt}")
    buffer.close()
    return bytes(data)


def with_generic_family(svg: bytes) -> bytes:
    """Add the generic ``sans-serif`` after every font family an SVG names, for viewers that lack that font."""
    return re.sub(
        rb'font-family="([^"]*)"',
        lambda m: (
            m.group(0)
            if m.group(1).rstrip().endswith(b"sans-serif")
            else b'font-family="' + m.group(1) + b', sans-serif"'
        ),
        svg,
    )


def svg_bytes(picture: ChartPicture, title: str = "") -> bytes:
    """The chart as SVG, one unit per scene unit, text kept as text."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    width, height = picture.source.width(), picture.source.height()
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setResolution(SCENE_DPI)
    generator.setSize(QSize(math.ceil(width), math.ceil(height)))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setTitle(title or f"Org chart of {picture.org.name}")
    generator.setDescription("Made by Team Structure Planner")
    painter = QPainter(generator)
    painter.fillRect(QRectF(0, 0, width, height), QColor("#ffffff"))
    picture.render(painter, QRectF(0, 0, width, height))
    painter.end()
    buffer.close()
    return with_generic_family(bytes(data))


def legend_svg_bytes(picture: ChartPicture) -> bytes:
    """The chart's key alone, as SVG at its natural size (for pages that shrink the chart itself)."""
    key = picture.legend()
    rect = key.boundingRect()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setResolution(SCENE_DPI)
    generator.setSize(QSize(math.ceil(rect.width()), math.ceil(rect.height())))
    generator.setViewBox(rect)
    generator.setTitle("Key to the org chart")
    painter = QPainter(generator)
    key.paint(painter, None)
    painter.end()
    buffer.close()
    return with_generic_family(bytes(data))


def draw_legend(painter: QPainter, picture: ChartPicture, top_left: QPointF, width: float) -> float:
    """Paint the chart's key at ``top_left``, shrunk only if wider than ``width``; return the height used."""
    key = picture.legend()
    rect = key.boundingRect()
    scale = min(1.0, width / rect.width()) if rect.width() else 1.0
    painter.save()
    painter.translate(top_left)
    painter.scale(scale, scale)
    key.paint(painter, None)
    painter.restore()
    return rect.height() * scale


def pdf_writer(device: QIODevice, paper: str = "a4", landscape: bool = False, title: str = "") -> QPdfWriter:
    """A PDF writer at 96 dpi (the scene's own resolution) with 12 mm margins on ``paper``."""
    if paper not in PAPER_SIZES:
        raise ChartError(f"unknown paper {paper!r} (expected a4 or letter)")
    writer = QPdfWriter(device)
    writer.setResolution(SCENE_DPI)
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    writer.setPageLayout(
        QPageLayout(QPageSize(PAPER_SIZES[paper]), orientation, QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    )
    writer.setTitle(title)
    writer.setCreator("Team Structure Planner")
    return writer


def _caption_font() -> QFont:
    font = QFont()
    font.setPointSizeF(9.0)
    return font


def draw_fitted(painter: QPainter, picture: ChartPicture, area: QRectF) -> float:
    """Paint the whole chart centred in ``area``, as large as fits; return the zoom used."""
    source = picture.source
    zoom = min(area.width() / source.width(), area.height() / source.height())
    width, height = source.width() * zoom, source.height() * zoom
    left, top = area.left() + (area.width() - width) / 2, area.top() + (area.height() - height) / 2
    # Recorded at full size and replayed shrunk, the cards keep every detail: on paper a vector
    # chart can be zoomed into, where the editor's simplified far-away cards would lose the names.
    recording = QPicture()
    recorder = QPainter(recording)
    picture.render(recorder, QRectF(0, 0, source.width(), source.height()))
    recorder.end()
    painter.save()
    painter.translate(left, top)
    painter.scale(zoom, zoom)
    painter.setClipRect(QRectF(0, 0, source.width(), source.height()))
    painter.drawPicture(QPointF(0, 0), recording)
    painter.restore()
    return zoom


def pdf_bytes(picture: ChartPicture, paper: str = "a4", tiled: bool = False) -> tuple[bytes, int]:
    """The chart as a vector PDF, fitted to one page or tiled; return the bytes and the page count."""
    source = picture.source
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buffer, paper, source.width() >= source.height(), f"Org chart of {picture.org.name}")
    pages = paint_pages(writer, picture, tiled)
    buffer.close()
    return bytes(data), pages


def paint_pages(device, picture: ChartPicture, tiled: bool = False) -> int:
    """Paint the chart onto a paged device (a PDF writer, a printer), one page or tiled; return the page count.

    The device may have any resolution: the painter is scaled so that the
    chart is laid out in scene units (96 per inch) whatever the device's dots.
    """
    source = picture.source
    to_device = device.resolution() / SCENE_DPI
    page = QRectF(device.pageLayout().paintRectPixels(device.resolution()))
    page = QRectF(0, 0, page.width() / to_device, page.height() / to_device)
    caption_height = 22.0
    area = page.adjusted(0, caption_height, 0, 0)
    tiles = [(0, 0, source)]
    columns = rows = 1
    if tiled:
        step_w = area.width() / TILE_ZOOM - TILE_OVERLAP
        step_h = area.height() / TILE_ZOOM - TILE_OVERLAP
        columns = max(1, math.ceil((source.width() - TILE_OVERLAP) / step_w))
        rows = max(1, math.ceil((source.height() - TILE_OVERLAP) / step_h))
        tiles = [
            (
                row,
                column,
                QRectF(
                    source.left() + column * step_w,
                    source.top() + row * step_h,
                    area.width() / TILE_ZOOM,
                    area.height() / TILE_ZOOM,
                ),
            )
            for row in range(rows)
            for column in range(columns)
        ]
        # A sheet that would show only lines passing through is left out; its neighbours show their ends.
        tiles = [tile for tile in tiles if picture.has_cards_in(tile[2])] or tiles[:1]
    painter = QPainter(device)
    painter.scale(to_device, to_device)
    caption = f"{picture.org.name} — org chart, {date.today().isoformat()}"
    for number, (row, column, part) in enumerate(tiles, 1):
        if number > 1:
            device.newPage()
        painter.setFont(_caption_font())
        painter.setPen(QColor("#5f6672"))
        label = (
            caption
            if len(tiles) == 1
            else (
                f"{caption} — page {number} of {len(tiles)} (row {row + 1} of {rows}, column {column + 1} of {columns})"
            )
        )
        painter.drawText(
            QRectF(page.left(), page.top(), page.width(), caption_height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            label,
        )
        if len(tiles) == 1:
            draw_fitted(painter, picture, area)
        else:
            painter.save()
            painter.setClipRect(area)
            picture.render(painter, QRectF(area.topLeft(), part.size() * TILE_ZOOM), part)
            painter.restore()
    painter.end()
    return len(tiles)


def export_chart(
    org: Org,
    path: str | Path,
    dpi: float | None = None,
    tiled: bool = False,
    highlight: Highlight = None,
    paper: str = "a4",
    legend: bool = True,
    notes: list[str] | None = None,
) -> int:
    """Write the org chart to ``path`` as PNG, SVG or PDF, chosen by the extension.

    Parameters
    ----------
    org : Org
        The org to draw.
    path : str or Path
        ``.png``, ``.svg`` or ``.pdf``.
    dpi : float, optional
        PNG only: pixels per inch, the chart being drawn at 96 per inch on screen. By default 150, or the
        highest dpi that keeps a large chart within :data:`AUTO_MAX_SIDE` and :data:`AUTO_MAX_PIXELS`.
    tiled : bool
        PDF only: spread the chart over several pages at a readable scale instead of fitting one page.
    highlight : AnalysisResult or mapping of str to str, optional
        Mark the cards with findings (ring and badge in the worst severity's colour).
    paper : str
        PDF only: ``"a4"`` or ``"letter"``.
    legend : bool
        Draw a key of the roles, links and finding colours under the chart.
    notes : list of str, optional
        Receives a line saying the cards are drawn as blocks (from :data:`SKETCH_FROM` cards, one page), and one
        saying the size of a PNG, and why it is smaller than asked when it is.

    Returns
    -------
    int
        The number of pages written (1 for PNG and SVG).
    """
    path = Path(path)
    extension = path.suffix.lower()
    if extension not in CHART_FORMATS:
        raise ChartError(f"{path}: unknown chart format {path.suffix or '(none)'!r} (expected .png, .svg or .pdf)")
    # Tiles are for reading the names: a chart on several pages keeps its named cards at any size.
    with ChartPicture(org, highlight, legend, sketch=False if tiled else None) as picture:
        if picture.sketch and notes is not None:
            notes.append(f"{len(org):,} cards drawn as blocks in their kinds' colours, too many to name on one page")
        if extension == ".png":
            chosen = dpi if dpi is not None else auto_dpi(picture)
            _write(path, png_bytes(picture, chosen))
            if notes is not None:
                size = picture.pixel_size(chosen)
                lowered = dpi is None and chosen < DEFAULT_DPI
                notes.append(
                    f"{size.width():,}×{size.height():,} pixels at {chosen:g} dpi"
                    + (
                        f", lowered from {DEFAULT_DPI} dpi to stay within {AUTO_MAX_PIXELS // 1_000_000} megapixels"
                        if lowered
                        else ""
                    )
                )
            return 1
        if extension == ".svg":
            _write(path, svg_bytes(picture))
            return 1
        data, pages = pdf_bytes(picture, paper, tiled)
        _write(path, data)
        return pages
