"""Printing the chart: the export's own drawing, painted onto a printer, on one page or tiled.

:func:`print_chart` builds the same :class:`~planner.render.chart.ChartPicture`
as File › Export Chart (cards ringed by their findings, the key underneath)
and hands it to :func:`~planner.render.chart.paint_pages`, which fits it to
one page or spreads it over several at a readable scale. :func:`print_dialog`
asks for the printer and the tiling; tests print to a PDF file through a
``QPrinter`` without showing any dialog.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QInputDialog, QWidget

from planner.io.atomic import write_atomically
from planner.model.org import Org
from planner.render.chart import SCENE_DPI, ChartPicture, Highlight, paint_pages

FIT_ONE_PAGE = "Fit the whole chart on one page"
TILED = "Several pages at a readable size"


def print_chart(org: Org, printer: QPrinter, tiled: bool = False, highlight: Highlight = None) -> int:
    """Print ``org``'s chart on ``printer``; return the number of pages."""
    with ChartPicture(org, highlight, sketch=False if tiled else None) as picture:
        source = picture.source
        orientation = (
            QPageLayout.Orientation.Landscape if source.width() >= source.height() else QPageLayout.Orientation.Portrait
        )
        printer.setPageOrientation(orientation)
        printer.setDocName(f"Org chart of {org.name}")
        # The chart's own resolution, as for PDF export: fonts then keep their size relative to the cards.
        printer.setResolution(SCENE_DPI)
        return paint_pages(printer, picture, tiled)


def print_to_pdf(org: Org, path: str, tiled: bool = False, highlight: Highlight = None) -> int:
    """Print ``org``'s chart into a PDF file through a printer (what File › Print does, minus the dialog).

    The printer writes into a scratch folder; the finished PDF then goes to ``path`` through the atomic
    writer, so a full disk or a kill leaves an earlier file at ``path`` whole.
    """
    with tempfile.TemporaryDirectory(prefix="planner-print-") as scratch:
        printed = Path(scratch) / "chart.pdf"
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))  # scratch file, then written atomically
        pages = print_chart(org, printer, tiled, highlight)
        del printer  # the printer finishes its file when it goes
        write_atomically(path, printed.read_bytes())
    return pages


def choose_tiling(parent: QWidget | None) -> bool | None:
    """Ask whether to fit one page or tile; True for tiled, None when the user cancelled."""
    choice, accepted = QInputDialog.getItem(parent, "Print Chart", "Print the chart:", [FIT_ONE_PAGE, TILED], 0, False)
    if not accepted:
        return None
    return choice == TILED


def print_dialog(parent: QWidget, org: Org, highlight: Highlight = None) -> int:
    """Ask for a printer and how to fit the chart, and print it; the number of pages (0: cancelled)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print Chart")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return 0
    tiled = choose_tiling(parent)
    if tiled is None:
        return 0
    return print_chart(org, printer, tiled, highlight)
