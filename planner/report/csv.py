"""The gap report as CSV: one row per finding, safe to open in a spreadsheet. No Qt here.

Accepted risks get their own rows with the status ``accepted``, so a filter
shows them and nothing is hidden. A spreadsheet runs a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula; such cells
are neutralised with a leading single quote (the OWASP advice on CSV injection).
"""

from __future__ import annotations

import csv
import io

from planner.report.content import FindingEntry, Report

COLUMNS = ("status", "severity", "code", "rule", "message", "nodes", "node_ids", "why", "fix")

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> str:
    """The cell's text, prefixed with ``'`` when a spreadsheet would read it as a formula."""
    text = str(cell)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _row(status: str, entry: FindingEntry) -> list[str]:
    cells = (
        status,
        entry.severity,
        entry.code,
        entry.name,
        entry.message,
        "; ".join(entry.node_names),
        "; ".join(entry.node_ids),
        entry.why,
        entry.fix,
    )
    return [neutralise(cell) for cell in cells]


def render_csv(report: Report) -> str:
    """The findings and accepted risks as CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in report.findings:
        writer.writerow(_row("open", entry))
    for entry in report.accepted:
        writer.writerow(_row("accepted", entry))
    return buffer.getvalue()
