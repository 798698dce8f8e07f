"""The gap report as CSV: one row per finding, safe to open in a spreadsheet. No Qt here.

Each row names the products the finding hits and the staffing plan's step
that clears it (or the decision it is left to), so a filter gives the plan
per product. Accepted risks get their own rows with the status ``accepted``, so a filter
shows them and nothing is hidden. Given a baseline, a ``change`` column says
whether each finding is ``fixed``, ``introduced`` or ``remaining``, and the
fixed ones (gone from the proposal) get rows with the status ``fixed``. A spreadsheet runs a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula; such cells
are neutralised with a leading single quote (the OWASP advice on CSV injection).
"""

from __future__ import annotations

import csv
import io

from planner.report.content import FindingEntry, Report

COLUMNS = (
    "status",
    "severity",
    "code",
    "rule",
    "message",
    "nodes",
    "node_ids",
    "products",
    "impact",
    "plan",
    "why",
    "fix",
)
#: The columns when the report compares a proposal with a baseline.
COMPARISON_COLUMNS = ("status", "change", *COLUMNS[1:])

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> str:
    """The cell's text, prefixed with ``'`` when a spreadsheet would read it as a formula."""
    text = str(cell)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _cells(status: str, entry: FindingEntry, change: str | None = None) -> tuple[str | int, ...]:
    return (
        status,
        *(() if change is None else (change,)),
        entry.severity,
        entry.code,
        entry.name,
        entry.message,
        "; ".join(entry.node_names),
        "; ".join(entry.node_ids),
        "; ".join(entry.products),
        entry.impact,
        entry.action or entry.decision,
        entry.why,
        entry.fix,
    )


def _key(entry: FindingEntry) -> tuple:
    return (entry.code, entry.node_ids)


def finding_table(report: Report) -> tuple[tuple[str, ...], list[tuple[str | int, ...]]]:
    """The columns and the rows of the findings table, cells as they are (the xlsx writer shares them)."""
    comparison = report.comparison
    if comparison is None:
        rows = [_cells("open", entry) for entry in report.findings]
        rows += [_cells("accepted", entry) for entry in report.accepted]
        return COLUMNS, rows
    introduced = {_key(entry) for entry in comparison.introduced}
    before = comparison.diff.before
    known = {(f.code, f.nodes) for f in (*before.findings, *before.accepted)} if before is not None else set()
    rows = [
        _cells("open", entry, "introduced" if _key(entry) in introduced else "remaining") for entry in report.findings
    ]
    rows += [
        _cells("accepted", entry, "remaining" if _key(entry) in known else "introduced") for entry in report.accepted
    ]
    rows += [_cells("fixed", entry, "fixed") for entry in comparison.fixed]
    return COMPARISON_COLUMNS, rows


def render_csv(report: Report) -> str:
    """The findings and accepted risks (and, against a baseline, the fixed gaps) as CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns, rows = finding_table(report)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()
