"""The gap report as one standalone HTML file: Jinja2 templates with autoescape, figures as inline SVG. No Qt here.

The markup, style sheet and script live in ``planner/report/templates``; this
module only hands them the document. Autoescape escapes every name and
sentence; the figures' SVG (drawn by ReportLab from the same drawings as the
PDF, its text escaped by ReportLab's SVG writer) is the one piece inserted as
markup. The page prints well (``@media print``: paper size, header rows
repeated, rows and figures kept whole, words never broken), folds away detail
in ``<details>``, and sorts its tables with a few lines of script.
"""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from planner.report import figures, model

PAPER_CSS = {"a4": "A4", "letter": "letter"}

_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)
_IDS = re.compile(r'(id="|url\(#|href="#)([A-Za-z][\w.-]*)')


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("planner.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals.update(kind=_kind, anchor=_anchor, widths=_widths, cell_text=model.cell_text)
    return environment


def _kind(block: object) -> str:
    return type(block).__name__.lower()


def _anchor(key: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", key.lower()).strip("-") or "section"


def _widths(table: model.Table) -> list[float]:
    total = sum(column.weight for column in table.columns) or 1
    return [round(100 * column.weight / total, 1) for column in table.columns]


def _svg(figure: model.Figure, number: int) -> Markup:
    """The figure's SVG, without its XML prolog, its ids made unique in the page."""
    text = _PROLOG.sub("", figures.to_svg(figure.drawing))
    text = re.sub(r"<title>.*?</title>\s*<desc>.*?</desc>", "", text, count=1, flags=re.S)
    return Markup(_IDS.sub(lambda m: f"{m.group(1)}f{number}-{m.group(2)}", text))


def render_html(document: model.Document, paper: str = "a4") -> str:
    """The document as one HTML page, printing on ``paper`` (``"a4"`` or ``"letter"``)."""
    numbers: dict[int, int] = {}

    def svg(figure: model.Figure) -> Markup:
        number = numbers.setdefault(id(figure), len(numbers) + 1)
        return _svg(figure, number)

    template = _environment().get_template("report.html.j2")
    return template.render(doc=document, paper=PAPER_CSS[paper], svg=svg)
