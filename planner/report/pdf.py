"""The gap report as a PDF, laid out by ReportLab's platypus. No Qt here, and no wording: the document has it all.

Page 1 holds the brief, shrunk to fit if it must; every later section flows
on. Tables repeat their header row on each page and never split a row
(platypus breaks tables between rows only); headings keep with what follows
them; words are never broken (no hyphenation, long words are not split).
Each page has a header (the org's and the file's name) and a footer (page x
of y), and each heading is a PDF bookmark. Text is set in DejaVu Sans, shipped
with the planner, so that every name prints whatever its alphabet.
"""

from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepInFrame,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph

from planner.report import figures, fonts, model
from planner.report.fonts import register_fonts

PAPERS = {"a4": A4, "letter": LETTER}
#: The page templates: upright pages, and a page turned sideways for a wide chart.
UPRIGHT, SIDEWAYS = "page", "sideways"
FONT = fonts.REGULAR
BOLD = fonts.BOLD
MARGIN_X = 18 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 18 * mm
CELL_SIZE = 8.5
#: The largest part kept whole on one page, as a share of the frame: a longer one flows on across pages.
KEEP_SHARE = 0.35

INK = colors.HexColor("#15171a")
MUTED = colors.HexColor("#5f6672")
RULE = colors.HexColor("#c9ced6")
BAND = colors.HexColor("#eef0f3")
#: tone → (strong colour, light tint)
TONES = {
    "error": (colors.HexColor("#c81e1e"), colors.HexColor("#fdecec")),
    "warning": (colors.HexColor("#b45309"), colors.HexColor("#fef5e0")),
    "info": (colors.HexColor("#2563eb"), colors.HexColor("#eaf1fe")),
    "ok": (colors.HexColor("#15803d"), colors.HexColor("#e9f7ee")),
    "neutral": (colors.HexColor("#334155"), colors.HexColor("#f3f4f6")),
}


@cache
def _fonts() -> None:
    """DejaVu Sans under the names the styles use (Helvetica's faces under those names if the files are missing)."""
    regular, bold = register_fonts()
    if regular != FONT:
        pdfmetrics.registerFont(pdfmetrics.Font(FONT, regular, "WinAnsiEncoding"))
        pdfmetrics.registerFont(pdfmetrics.Font(BOLD, bold, "WinAnsiEncoding"))


def _make_style(name: str, size: float, leading: float | None = None, tight: bool = False, **extra) -> ParagraphStyle:
    if tight:
        # A tighter set, used when the last page would otherwise hold a few lines only.
        size, leading = size * 0.95, (leading or size * 1.32) * 0.92
        extra = {key: value * 0.6 if key.startswith("space") else value for key, value in extra.items()}
    values = {
        "fontName": FONT,
        "fontSize": size,
        "leading": leading or size * 1.32,
        "textColor": INK,
        # Never break a word: a name or a heading is split at spaces only.
        "splitLongWords": 0,
        "hyphenationLang": "",
        "embeddedHyphenation": 0,
        "uriWasteReduce": 0,
    }
    values.update(extra)
    return ParagraphStyle(name, **values)


@cache
def _styles(tight: bool = False) -> dict[str, ParagraphStyle]:
    def _style(name, size, leading=None, **extra):
        return _make_style(name, size, leading, tight, **extra)

    return {
        "title": _style("title", 20, 24, fontName=BOLD, spaceAfter=2),
        "subtitle": _style("subtitle", 10, textColor=MUTED, spaceAfter=8),
        "h1": _style("h1", 15, 19, fontName=BOLD, spaceBefore=10, spaceAfter=5, keepWithNext=1),
        "h2": _style("h2", 12, 15, fontName=BOLD, spaceBefore=8, spaceAfter=3, keepWithNext=1),
        "h3": _style("h3", 10.5, 13, fontName=BOLD, spaceBefore=6, spaceAfter=2, keepWithNext=1),
        "body": _style("body", 9.5, spaceAfter=4),
        "lead": _style("lead", 11.5, 15, spaceAfter=5),
        "note": _style("note", 8.5, textColor=MUTED, spaceAfter=4),
        "cell": _style("cell", 8.5, 10.5),
        "cell_num": _style("cell_num", 8.5, 10.5, alignment=TA_RIGHT),
        "head": _style("head", 8.5, 10.5, fontName=BOLD),
        "head_num": _style("head_num", 8.5, 10.5, fontName=BOLD, alignment=TA_RIGHT),
        "callout": _style("callout", 9, 11, fontName=BOLD, spaceAfter=3),
        "figure_value": _style("figure_value", 17, 20, fontName=BOLD),
        "figure_label": _style("figure_label", 8, 10, textColor=MUTED),
        "caption": _style("caption", 8.5, 11, textColor=MUTED, spaceBefore=2, spaceAfter=8),
    }


def _markup(inline: model.Inline) -> str:
    return "".join(f"<b>{escape(run.text)}</b>" if run.strong else escape(run.text) for run in inline)


class _Heading(RLParagraph):
    """A heading paragraph that becomes a bookmark of the PDF's outline."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str) -> None:
        super().__init__(escape(text), style)
        self.outline = (text, level, key)


class _Anchor(Spacer):
    """An invisible flowable that puts a bookmark where it stands."""

    def __init__(self, text: str, key: str) -> None:
        super().__init__(0, 0)
        self.outline = (text, 0, key)


class _Writer:
    """Turns the document tree into platypus flowables for a frame ``width`` points wide."""

    def __init__(self, width: float, height: float, tight: bool = False) -> None:
        self.width = width
        self.height = height
        self.styles = _styles(tight)
        self.keys: set[str] = set()
        #: Whether short parts are kept on one page (not inside the brief, which is one frame already).
        self.keep = True
        self._canvas: pdfcanvas.Canvas | None = None
        #: The text frame of a page turned sideways (width, height), when the document has such pages.
        self.sideways: tuple[float, float] | None = None

    def key(self, key: str) -> str:
        unique, number = key, 1
        while unique in self.keys:
            number += 1
            unique = f"{key}-{number}"
        self.keys.add(unique)
        return unique

    def section(self, section: model.Section, level: int, width: float) -> list[Flowable]:
        style = self.styles[f"h{min(level, 3)}"]
        heading = _Heading(section.title, style, level - 1, self.key(section.key))
        body: list[Flowable] = []
        for block in section.blocks:
            body += self.block(block, level, width)
        short = not any(isinstance(block, model.Section | model.Table | model.Figure) for block in section.blocks)
        if self.keep and level > 1 and short and self._height([heading, *body], width) <= self.height * KEEP_SHARE:
            # A short part (a rule, a kind of step of the plan) stays on one page; a longer one flows on
            # rather than leave half a page empty.
            return [KeepTogether([heading, *body])]
        out: list[Flowable] = [PageBreak()] if section.new_page else []
        # A heading never sits alone at a page foot: it asks for room for itself and the start of what follows.
        out.append(CondPageBreak(self._lead_height(heading, body, width)))
        return [*out, heading, *body]

    def _height(self, flowables: list[Flowable], width: float) -> float:
        if self._canvas is None:  # lists measure their items on a canvas; a scratch one is enough
            self._canvas = pdfcanvas.Canvas(io.BytesIO())
        total = 0.0
        for flowable in flowables:
            if isinstance(flowable, KeepTogether):  # its own wrap asks for a split, whatever it holds
                total += self._height(list(flowable._content), width)
            else:  # with the space the frame leaves around it
                total += flowable.wrapOn(self._canvas, width, self.height)[1]
                total += flowable.getSpaceBefore() + flowable.getSpaceAfter()
        return total

    def _lead_height(self, heading: Flowable, body: list[Flowable], width: float) -> float:
        need = self._height([heading], width) + 12
        for flowable in body[:2]:
            if isinstance(flowable, CondPageBreak):  # a part's own heading and lead come along
                need += flowable.height
                break
            if isinstance(flowable, KeepTogether):
                need += self._height([flowable], width)  # a part kept whole comes along whole
                break
            if not isinstance(flowable, RLParagraph):
                need += 70  # a table's header and first rows, a list's first items, a part's heading
                break
            need += min(flowable.wrap(width, self.height)[1], 160)
        return min(need, self.height * 0.5)

    def block(self, block: model.Block, level: int, width: float) -> list[Flowable]:
        styles = self.styles
        if isinstance(block, model.Section):
            return self.section(block, level + 1, width)
        if isinstance(block, model.Paragraph):
            style = styles.get(block.style, styles["body"])
            if block.tone:
                style = ParagraphStyle(f"{style.name}-{block.tone}", parent=style, textColor=TONES[block.tone][0])
            return [RLParagraph(_markup(block.text), style)]
        if isinstance(block, model.BulletList):
            return [self.bullets(block)]
        if isinstance(block, model.Table):
            return self.table(block, width)
        if isinstance(block, model.KeyFigures):
            return [self.key_figures(block, width)]
        if isinstance(block, model.Callout):
            return [self.callout(block, level, width)]
        if isinstance(block, model.Figure):
            return self.figure(block, width)
        if isinstance(block, model.Details):
            out: list[Flowable] = [RLParagraph(escape(block.summary), styles["h3"])]
            for child in block.blocks:
                out += self.block(child, level + 1, width)
            return out
        raise TypeError(f"unknown block {type(block).__name__}")

    def bullets(self, block: model.BulletList) -> Flowable:
        style = self.styles["body"]
        items = []
        for index, item in enumerate(block.items):
            tone = block.tone(index)
            colour = TONES[tone][0] if tone in TONES else INK
            items.append(ListItem(RLParagraph(_markup(item), style), bulletColor=colour))
        return ListFlowable(
            items,
            bulletType="1" if block.ordered else "bullet",
            start="1" if block.ordered else "•",
            bulletFontName=BOLD if block.ordered else FONT,
            bulletFontSize=9,
            leftIndent=14,
            spaceAfter=4,
        )

    def table(self, block: model.Table, width: float) -> list[Flowable]:
        styles = self.styles
        total = sum(column.weight for column in block.columns)
        widths = [width * column.weight / total for column in block.columns]
        numeric = [column.kind == "number" for column in block.columns]
        head = [
            RLParagraph(escape(column.title), styles["head_num" if number else "head"])
            for column, number in zip(block.columns, numeric, strict=True)
        ]
        data = [head]
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), BAND),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
        commands += [
            ("ALIGN", (column, 1), (column, -1), "RIGHT") for column, is_number in enumerate(numeric) if is_number
        ]
        commands += [("FONTSIZE", (0, 1), (-1, -1), CELL_SIZE), ("TEXTCOLOR", (0, 1), (-1, -1), INK)]
        for number, row in enumerate(block.rows, 1):
            cells = []
            for cell, is_number, column_width in zip(row.cells, numeric, widths, strict=True):
                text = model.cell_text(cell)
                if pdfmetrics.stringWidth(text, FONT, CELL_SIZE) <= column_width - 9:
                    cells.append(text)  # fits on one line: no paragraph to lay out (a tenth of the time)
                else:
                    cells.append(RLParagraph(escape(text), styles["cell_num" if is_number else "cell"]))
            data.append(cells)
            if row.flag in TONES:
                strong_colour, tint = TONES[row.flag]
                commands.append(("BACKGROUND", (0, number), (-1, number), tint))
                commands.append(("LINEBEFORE", (0, number), (0, number), 2.5, strong_colour))
        table = Table(data, colWidths=widths, repeatRows=1, splitByRow=1, hAlign="LEFT")
        table.setStyle(TableStyle(commands))
        out: list[Flowable] = [table, Spacer(1, 6)]
        if block.caption:
            out.insert(0, RLParagraph(escape(block.caption), styles["note"]))
        return out

    def key_figures(self, block: model.KeyFigures, width: float) -> Flowable:
        styles = self.styles
        cells = []
        commands = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 7),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
        for column, item in enumerate(block.items):
            strong_colour, tint = TONES.get(item.tone, TONES["neutral"])
            value = ParagraphStyle(f"value-{item.tone}", parent=styles["figure_value"], textColor=strong_colour)
            cells.append(
                [RLParagraph(escape(item.value), value), RLParagraph(escape(item.label), styles["figure_label"])]
            )
            commands += [
                ("BACKGROUND", (column, 0), (column, 0), tint),
                ("LINEABOVE", (column, 0), (column, 0), 2.5, strong_colour),
            ]
        count = max(1, len(block.items))
        # White rules between the cells read as gaps, and the row keeps the frame's full width.
        commands.append(("LINEAFTER", (0, 0), (-2, 0), 6, colors.white))
        table = Table([cells], colWidths=[width / count] * count, hAlign="LEFT", spaceAfter=8)
        table.setStyle(TableStyle(commands))
        return table

    def callout(self, block: model.Callout, level: int, width: float) -> Flowable:
        strong_colour, tint = TONES.get(block.tone, TONES["neutral"])
        title_style = ParagraphStyle(f"callout-{block.tone}", parent=self.styles["callout"], textColor=strong_colour)
        inner: list[Flowable] = [RLParagraph(escape(block.title), title_style)]
        for child in block.blocks:
            inner += self.block(child, level + 1, width - 20)
        table = Table([[inner]], colWidths=[width], hAlign="LEFT", spaceBefore=2, spaceAfter=8)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), tint),
                    ("LINEBEFORE", (0, 0), (0, -1), 3, strong_colour),
                    ("LEFTPADDING", (0, 0), (-1, -1), 9),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def figure(self, block: model.Figure, width: float) -> list[Flowable]:
        drawing = block.drawing
        caption = RLParagraph(escape(block.caption), self.styles["caption"])
        if block.landscape and self.sideways is not None:
            # A page of its own, turned sideways; what follows goes on upright pages again.
            side_width, side_height = self.sideways
            scale = min(1.0, side_width / max(drawing.width, 1), (side_height - 40) / max(drawing.height, 1))
            if scale < 1.0:
                drawing = _scaled(drawing, scale)
            return [
                NextPageTemplate(SIDEWAYS),
                PageBreak(),
                KeepTogether([drawing, caption]),
                NextPageTemplate(UPRIGHT),
            ]
        if figures.can_split(drawing):
            # A tall overview starts where the page has room and flows on at full size, cut between its rows.
            return [drawing, caption]
        scale = min(1.0, width / max(drawing.width, 1), (self.height - 40) / max(drawing.height, 1))
        if scale < 1.0:
            drawing = _scaled(drawing, scale)
        return [KeepTogether([drawing, caption])]


def _scaled(drawing, scale: float):
    from reportlab.graphics.shapes import Drawing, Group

    group = Group(*drawing.contents)
    group.scale(scale, scale)
    scaled = Drawing(drawing.width * scale, drawing.height * scale)
    scaled.add(group)
    return scaled


class _Template(BaseDocTemplate):
    """Adds each heading to the PDF's outline as it is placed."""

    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "outline", None)
        if outline is None:
            return
        text, level, key = outline
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)


def _numbered_canvas(document: model.Document, paper: tuple[float, float]):
    styles = _styles()

    class NumberedCanvas(pdfcanvas.Canvas):
        """Holds each page back until the last, so that the footer can say 'page x of y'."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._chrome(total)
                super().showPage()
            super().save()

        def _chrome(self, total: int) -> None:
            width, height = self._pagesize or paper  # a page turned sideways has its own size
            self.saveState()
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            top = height - MARGIN_TOP + 8
            self.drawString(MARGIN_X, top + 4, document.header())
            self.drawRightString(width - MARGIN_X, top + 4, document.date)
            self.line(MARGIN_X, top, width - MARGIN_X, top)
            bottom = MARGIN_BOTTOM - 10
            self.line(MARGIN_X, bottom + 9, width - MARGIN_X, bottom + 9)
            self.drawString(MARGIN_X, bottom, document.title)
            page = document.chrome.get("page", "{page} / {pages}").format(page=self._pageNumber, pages=total)
            self.drawRightString(width - MARGIN_X, bottom, page)
            self.restoreState()

    del styles
    return NumberedCanvas


class _End(Spacer):
    """Placed last: remembers how much of the last page was left empty."""

    def __init__(self) -> None:
        super().__init__(0, 0)
        self.left = 0.0
        self.page = 0

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - ReportLab's name
        self.page = canvas.getPageNumber()
        super().drawOn(canvas, x, y, _sW)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.left = available_height
        return super().wrap(available_width, available_height)


def render_pdf(document: model.Document, paper: str = "a4") -> bytes:
    """The document as PDF bytes on ``paper`` (``"a4"`` or ``"letter"``).

    When the last page would hold only a few lines, the report is set again a
    little tighter, so that it ends on a page worth turning to.
    """
    _fonts()
    data, pages, left, height = _build(document, paper, tight=False)
    if pages > 2 and left > 0.8 * height:
        tight, tight_pages, tight_left, _ = _build(document, paper, tight=True)
        if tight_pages < pages or tight_left < left:
            return tight
    return data


def _build(document: model.Document, paper: str, tight: bool) -> tuple[bytes, int, float, float]:
    size = PAPERS[paper]
    buffer = io.BytesIO()
    template = _Template(
        buffer,
        pagesize=size,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{document.title}: {document.org_name}",
        author=document.author,
        subject=document.subtitle,
        creator=document.author,
        lang="en",
    )
    frame = Frame(
        template.leftMargin,
        template.bottomMargin,
        template.width,
        template.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    sideways = (size[1], size[0])
    side_frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        sideways[0] - 2 * MARGIN_X,
        sideways[1] - MARGIN_TOP - MARGIN_BOTTOM,
        id="sideways",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template.addPageTemplates(
        [
            PageTemplate(id=UPRIGHT, frames=[frame], pagesize=size),
            PageTemplate(id=SIDEWAYS, frames=[side_frame], pagesize=sideways),
        ]
    )
    writer = _Writer(template.width, template.height, tight)
    writer.sideways = (side_frame._width, side_frame._height)
    styles = writer.styles
    brief = document.brief
    first: list[Flowable] = [
        RLParagraph(escape(document.title), styles["title"]),
        RLParagraph(escape(document.subtitle), styles["subtitle"]),
    ]
    writer.keep = False
    for block in brief.blocks:
        first += writer.block(block, 1, template.width)
    writer.keep = True
    # The brief is one page, whatever it holds: shrunk to fit rather than run over.
    story: list[Flowable] = [
        _Anchor(brief.title, writer.key(brief.key)),
        KeepInFrame(template.width, template.height - 2, first, mode="shrink"),
    ]
    for section in document.sections:
        story += writer.section(section, 1, template.width)
    end = _End()
    story.append(end)
    template.build(story, canvasmaker=_numbered_canvas(document, size))
    return buffer.getvalue(), end.page, end.left, template.height
