"""The gap report as a paginated PDF, made with Qt alone (QTextDocument, QPainter, QPdfWriter).

The report's text is laid out by ``QTextDocument`` in two parts: the opening
(title, org, date, profile, executive summary and, against a baseline, the
before/after section) and the body (findings, tables,
recommendations, accepted risks, appendix). Between them comes a page with the
org chart, drawn as vectors by the same renderer as the chart export and
scaled to fit (in landscape when the chart is wider than tall). Each page
gets a footer with the page number. Tables repeat their header row on every
page they run over, and ``QTextDocument`` never splits a table row between
pages. All user-supplied text is escaped before it reaches Qt's rich text.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPainter, QPen, QTextDocument

from planner.analysis import Profile
from planner.diff import OrgDiff
from planner.model.org import Org
from planner.render.app import ensure_app
from planner.render.chart import SCENE_DPI, ChartError, ChartPicture, draw_fitted, draw_legend, pdf_writer
from planner.report.content import SEVERITY_HEADINGS, Comparison, FindingEntry, Report, Table, build_report

PAPERS = ("a4", "letter")
_SEVERITY_COLORS = {"error": "#dc2626", "warning": "#b45309", "info": "#2563eb"}
_TREND_COLORS = {"better": "#15803d", "worse": "#dc2626", "same": "#5f6672"}
_FOOTER_HEIGHT = 28.0
#: Below this zoom a card's name prints under 3.5 pt: the chart page then says how to print it tiled.
READABLE_ZOOM = 0.35
_CSS = """
body { font-size: 10pt; color: #15171a; }
h1 { font-size: 20pt; margin-bottom: 4px; }
h2 { font-size: 14pt; margin-top: 18px; margin-bottom: 6px; color: #15171a; }
h3 { font-size: 11.5pt; margin-top: 12px; margin-bottom: 4px; }
h4 { font-size: 10.5pt; margin-top: 10px; margin-bottom: 2px; }
p { margin-top: 2px; margin-bottom: 4px; }
.meta { color: #5f6672; }
.note { color: #5f6672; font-size: 9pt; }
th { background-color: #eef0f3; font-weight: bold; }
code { font-family: "DejaVu Sans Mono", monospace; }
"""


def _t(value: object) -> str:
    return escape(str(value), quote=True)


def _severity(severity: str) -> str:
    return f"<span style=\"color:{_SEVERITY_COLORS[severity]}; font-weight:bold\">{severity.upper()}</span>"


def _table(table: Table) -> str:
    parts = [f"<h3>{_t(table.title)}</h3>"]
    if table.note:
        parts.append(f"<p class=\"note\">{_t(table.note)}</p>")
    if not table.rows:
        return "".join(parts) + "<p>None.</p>"
    head = "".join(f"<th align=\"left\">{_t(column)}</th>" for column in table.columns)
    rows = []
    for index, row in enumerate(table.rows):
        shade = " bgcolor=\"#fef3c7\"" if table.is_flagged(index) else ""
        cells = "".join(
            f"<td align=\"right\">{cell}</td>" if isinstance(cell, int) else f"<td>{_t(cell)}</td>" for cell in row
        )
        rows.append(f"<tr{shade}>{cells}</tr>")
    parts.append(
        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\" width=\"100%\" style=\"border-color:#c9ced6\">"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return "".join(parts)


def _rule_group(entries: list[FindingEntry]) -> str:
    first = entries[0]
    items = "".join(
        f"<li>{_t(entry.message)} <span class=\"note\">— nodes: {_t(', '.join(entry.node_names)) or '—'}</span></li>"
        for entry in entries
    )
    return (
        f"<h4>{_severity(first.severity)} <code>{first.code}</code> {_t(first.title)} ({len(entries)})</h4>"
        f"<ul>{items}</ul>"
        f"<p><b>Why it matters.</b> {_t(first.why)}</p>"
        f"<p><b>What to do.</b> {_t(first.fix)}</p>"
    )


def _gap_items(entries: list[FindingEntry]) -> str:
    return "<ul>" + "".join(
        f"<li>{_severity(entry.severity)} <code>{entry.code}</code> {_t(entry.message)}</li>" for entry in entries
    ) + "</ul>"


def _listed(title: str, items: list[str], empty: str) -> str:
    body = "<ul>" + "".join(f"<li>{_t(item)}</li>" for item in items) + "</ul>" if items else f"<p>{empty}</p>"
    return f"<h3>{_t(title)} ({len(items)})</h3>{body}"


def comparison_html(comparison: Comparison) -> str:
    """The before/after section, as Qt rich text."""
    rows = "".join(
        f"<tr><td>{_t(row.label)}</td><td align=\"right\">{_t(row.before)}</td>"
        f"<td align=\"right\"><b>{_t(row.after)}</b></td>"
        f"<td><span style=\"color:{_TREND_COLORS[row.trend]}; font-weight:bold\">{row.trend}</span></td></tr>"
        for row in comparison.health_rows()
    )
    parts = [
        # Its own page: the one leadership reads to decide on the proposal.
        "<h2 style=\"page-break-before: always\">Before and after</h2>",
        f"<p>{_t(comparison.introduction())}</p>",
        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"5\" width=\"70%\" style=\"border-color:#c9ced6\">"
        "<thead><tr><th align=\"left\">Measure</th><th align=\"right\">Before</th><th align=\"right\">After</th>"
        f"<th align=\"left\">Change</th></tr></thead>{rows}</table>",
        f"<h3>Gaps fixed ({len(comparison.fixed)})</h3>",
        _gap_items(comparison.fixed) if comparison.fixed else "<p>None.</p>",
    ]
    if comparison.introduced:
        parts.append(
            "<table border=\"2\" cellspacing=\"0\" cellpadding=\"8\" width=\"100%\" bgcolor=\"#fef2f2\" "
            "style=\"border-color:#dc2626; border-style:solid\"><tr><td>"
            f"<h3 style=\"color:#dc2626\">Gaps introduced ({len(comparison.introduced)})</h3>"
            "<p><b>New gaps that leadership must accept, or change the proposal to avoid.</b></p>"
            f"{_gap_items(comparison.introduced)}</td></tr></table>"
        )
    else:
        parts.append("<h3>Gaps introduced (0)</h3><p>None: the proposal opens no new gap.</p>")
    parts.append(f"<p class=\"note\">{_t(comparison.remaining_sentence())}</p>")
    parts.append(_listed("Added", [e.describe() for e in comparison.added], "Nothing."))
    parts.append(_listed("Removed", [e.describe() for e in comparison.removed], "Nothing."))
    parts.append(_listed("Changed", [e.describe() for e in comparison.changed], "Nothing."))
    parts.append(_listed("Links added", comparison.links_added, "None."))
    parts.append(_listed("Links removed", comparison.links_removed, "None."))
    return "".join(parts)


def opening_html(report: Report) -> str:
    """Title, org, date, profile and the executive summary, as Qt rich text."""
    parts = [
        f"<h1>{_t(report.title)}</h1>",
        f"<p><b>Organisation:</b> {_t(report.org_name)}</p>",
        f"<p><b>Date:</b> {_t(report.date)}</p>",
        f"<p><b>Profile:</b> {_t(report.profile.title)} — "
        f"<span class=\"meta\">{_t(report.profile.description)}</span></p>",
    ]
    if report.source:
        parts.append(f"<p><b>File:</b> {_t(report.source)}</p>")
    parts.append(f"<p><b>Size:</b> {report.nodes} nodes, {report.links} links</p>")
    parts.append("<h2>Executive summary</h2>")
    parts.append(f"<p>The check found {_t(report.summary_sentence())}.</p>")
    rows = "".join(f"<tr><td>{_t(label)}</td><td align=\"right\"><b>{_t(value)}</b></td></tr>"
                   for label, value in report.health_rows())
    parts.append(
        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"5\" width=\"70%\" style=\"border-color:#c9ced6\">"
        f"<thead><tr><th align=\"left\">Measure</th><th align=\"right\">Value</th></tr></thead>{rows}</table>"
    )
    parts.append("<h3>Fix these first</h3>")
    if report.fix_first:
        items = []
        for item in report.fix_first:
            shown = ", ".join(item.node_names[:8])
            more = f" and {len(item.node_names) - 8} more" if len(item.node_names) > 8 else ""
            items.append(
                f"<li><b>{_t(item.title)}</b> — {_severity(item.severity)} <code>{item.code}</code>, "
                f"{item.count}×: {_t(shown)}{more}.<br>{_t(item.fix)}</li>"
            )
        parts.append("<ol>" + "".join(items) + "</ol>")
    else:
        parts.append("<p>Nothing to fix: no gaps found.</p>")
    if report.comparison is not None:
        parts.append(comparison_html(report.comparison))
    return "".join(parts)


def body_html(report: Report) -> str:
    """Findings, coverage and load tables, recommendations, accepted risks and appendix, as Qt rich text."""
    parts = ["<h2>Findings</h2>"]
    groups = report.findings_by_severity()
    if not groups:
        parts.append("<p>No gaps found.</p>")
    for severity, entries in groups:
        parts.append(f"<h3>{SEVERITY_HEADINGS[severity]} ({len(entries)})</h3>")
        parts.extend(_rule_group(group) for group in report.findings_by_rule(entries))
    parts.append("<h2 style=\"page-break-before: always\">Coverage</h2>")
    parts.extend(_table(table) for table in report.coverage)
    parts.append("<h2>Load against the profile's limits</h2>")
    parts.extend(_table(table) for table in report.load)
    parts.append("<h2>Staffing recommendations</h2><ul>")
    parts.extend(f"<li><b>{_t(step.headline)}.</b> {_t(step.detail)}</li>" for step in report.recommendations)
    parts.append("</ul><h2>Accepted risks</h2>")
    if report.accepted:
        parts.append("<p>Findings that a node's ignore list accepts. They are left out of the counts above, "
                     "but they are real.</p>")
        parts.extend(_rule_group(group) for group in report.findings_by_rule(report.accepted))
    else:
        parts.append("<p>None: no node accepts any finding.</p>")
    parts.append("<h2 style=\"page-break-before: always\">Appendix: the rules that fired</h2>")
    if not report.appendix:
        parts.append("<p>No rule fired.</p>")
    for rule in report.appendix:
        parts.append(
            f"<h3><code>{rule.code}</code> {_t(rule.name)}: {_t(rule.title)}</h3>"
            f"<p class=\"note\">Severity: {_t(rule.severity)}</p>"
            f"<p><b>What it detects.</b> {_t(rule.detects)}</p>"
            f"<p><b>Why it matters.</b> {_t(rule.why)}</p>"
            f"<p><b>How to fix.</b> {_t(rule.fix)}</p>"
        )
    return "".join(parts)


class _Pages:
    """Paints the report's pages in order and numbers them."""

    def __init__(self, writer, painter: QPainter, total: int, footer: str) -> None:
        self.writer = writer
        self.painter = painter
        self.total = total
        self.footer = footer
        self.number = 0

    def area(self) -> QRectF:
        rect = QRectF(self.writer.pageLayout().paintRectPixels(SCENE_DPI))
        rect.moveTo(0, 0)
        return rect.adjusted(0, 0, 0, -_FOOTER_HEIGHT)

    def start(self, orientation: QPageLayout.Orientation = QPageLayout.Orientation.Portrait) -> QRectF:
        """Begin the next page in ``orientation``; return the area to paint in (above the footer)."""
        if self.number:
            self._footer()
        if self.writer.pageLayout().orientation() != orientation:
            self.writer.setPageOrientation(orientation)
        if self.number:
            self.writer.newPage()
        self.number += 1
        return self.area()

    def finish(self) -> None:
        self._footer()

    def _footer(self) -> None:
        # Painted after the page's content, so that text extraction and screen readers meet it last.
        area = self.area()
        painter = self.painter
        font = QFont()
        font.setPointSizeF(8.0)
        painter.setFont(font)
        painter.setPen(QPen(QColor("#c9ced6"), 0.8))
        painter.drawLine(area.bottomLeft() + QPointF(0, 8), area.bottomRight() + QPointF(0, 8))
        painter.setPen(QColor("#5f6672"))
        strip = QRectF(area.left(), area.bottom() + 10, area.width(), _FOOTER_HEIGHT - 10)
        painter.drawText(strip, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.footer)
        painter.drawText(strip, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         f"Page {self.number} of {self.total}")


def _document(html: str, width: float, height: float) -> QTextDocument:
    document = QTextDocument()
    font = QFont()
    font.setPointSizeF(10.0)
    # Without ligatures "fi" stays two letters, so that the PDF's text can be searched and copied.
    font.setFeature(QFont.Tag("liga"), 0)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(_CSS)
    document.setHtml(f"<html><body>{html}</body></html>")
    document.setPageSize(QSizeF(width, height))
    return document


def _paint_document(pages: _Pages, document: QTextDocument) -> None:
    height = document.pageSize().height()
    for index in range(document.pageCount()):
        area = pages.start()
        painter = pages.painter
        painter.save()
        painter.translate(area.left(), area.top() - index * height)
        document.drawContents(painter, QRectF(0, index * height, area.width(), height))
        painter.restore()


def _paint_chart(pages: _Pages, picture: ChartPicture, report: Report) -> None:
    wide = picture.source.width() > picture.source.height()
    orientation = QPageLayout.Orientation.Landscape if wide else QPageLayout.Orientation.Portrait
    area = pages.start(orientation)
    painter = pages.painter
    heading = QFont()
    heading.setPointSizeF(14.0)
    heading.setWeight(QFont.Weight.Bold)
    painter.setFont(heading)
    painter.setPen(QColor("#15171a"))
    painter.drawText(QRectF(area.left(), area.top(), area.width(), 30),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "Org chart")
    caption = QTextDocument()
    small = QFont()
    small.setPointSizeF(8.5)
    small.setFeature(QFont.Tag("liga"), 0)
    caption.setDefaultFont(small)
    marked = len(report.highlight)
    text = (
        f"{marked} {'card has' if marked == 1 else 'cards have'} findings: ringed and badged in the colour of the "
        "worst one (red error, amber warning, blue info); the badge counts them."
    )
    if picture.added:
        added = len(picture.added)
        text += (f" {added} {'card is' if added == 1 else 'cards are'} new in this proposal: ringed in green "
                 "and tagged NEW. Removed nodes are listed under Before and after.")
    zoom = min(area.width() / picture.source.width(), (area.height() - 150) / picture.source.height())
    if zoom < READABLE_ZOOM:
        text += (" This org is too large to read on one page: "
                 "'planner export FILE -o chart.pdf --tiles' prints it over several pages at a readable size.")
    caption.setPlainText(text)
    caption.setTextWidth(area.width())
    caption_height = caption.size().height()
    legend_height = picture.legend().boundingRect().height() + 8
    chart_area = QRectF(area.left(), area.top() + 34, area.width(),
                        area.height() - 40 - caption_height - legend_height)
    draw_fitted(painter, picture, chart_area)
    draw_legend(painter, picture, QPointF(area.left(), chart_area.bottom() + 6), area.width())
    painter.save()
    painter.translate(area.left(), area.bottom() - caption_height)
    caption.drawContents(painter)
    painter.restore()


def report_pdf_bytes(report: Report, org: Org, paper: str = "a4") -> bytes:
    """The report as PDF bytes on ``paper`` (``"a4"`` or ``"letter"``)."""
    ensure_app()
    if paper not in PAPERS:
        raise ChartError(f"unknown paper {paper!r} (expected a4 or letter)")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buffer, paper, False, f"{report.title}: {report.org_name}")
    probe = QRectF(writer.pageLayout().paintRectPixels(SCENE_DPI)).adjusted(0, 0, 0, -_FOOTER_HEIGHT)
    opening = _document(opening_html(report), probe.width(), probe.height())
    body = _document(body_html(report), probe.width(), probe.height())
    total = opening.pageCount() + 1 + body.pageCount()
    added = [node.id for node in report.comparison.diff.added] if report.comparison is not None else ()
    with ChartPicture(org, report.result, legend=False, added=added) as picture:
        painter = QPainter(writer)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pages = _Pages(writer, painter, total, f"{report.org_name} — {report.title}, {report.date}")
        _paint_document(pages, opening)
        _paint_chart(pages, picture, report)
        _paint_document(pages, body)
        pages.finish()
        painter.end()
    buffer.close()
    return bytes(data)


def write_report(
    org: Org,
    path: str | Path,
    profile: str | Profile | None = None,
    paper: str = "a4",
    source: str = "",
    today: date | None = None,
    diff: OrgDiff | None = None,
    baseline_source: str = "",
) -> Report:
    """Write the gap report of ``org`` as a PDF to ``path``; return the report's content.

    ``diff`` compares a baseline with ``org`` (see :func:`~planner.report.content.build_report`).
    """
    report = build_report(org, profile, source=source, today=today, diff=diff, baseline_source=baseline_source)
    data = report_pdf_bytes(report, org, paper)
    from planner.render.chart import _write

    _write(Path(path), data)
    return report
