"""Offscreen rendering with Qt: the chart export and the PDF gap report.

:func:`write_report_any` writes the gap report in the format its file
extension names. Only ``.pdf`` and ``.html`` (which embeds the chart) load Qt;
``.md``, ``.csv`` and ``.json`` are written by :mod:`planner.report` without
it, so that this package's import stays light and display-free. Given a
``baseline`` org, the report compares the org with it (the org being a
proposal, the baseline today's org) in every format.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planner.analysis import Profile
from planner.model.org import Org

#: Extensions of the gap report, in the order help texts list them.
REPORT_FORMATS = (".pdf", ".html", ".md", ".csv", ".json")
PAPERS = ("a4", "letter")


class RenderError(Exception):
    """A report or chart could not be written: unknown format, too big an image, unwritable file..."""


class ReportFormatError(RenderError):
    """The output file's extension names no report format."""


def write_report_any(
    org: Org,
    path: str | Path,
    profile: str | Profile | None = None,
    paper: str = "a4",
    source: str = "",
    today: date | None = None,
    baseline: Org | None = None,
    baseline_source: str = "",
):
    """Write the gap report of ``org`` to ``path`` in the format of its extension; return the report's content.

    With a ``baseline`` (today's org, read from ``baseline_source``) the report
    has a before/after section, and the chart tags the cards ``org`` adds.

    Raises :class:`RenderError` (or its subclass :class:`ReportFormatError`
    for an unknown extension) when the file cannot be made or written.
    """
    path = Path(path)
    extension = path.suffix.lower()
    if extension not in REPORT_FORMATS:
        raise ReportFormatError(
            f"{path}: unknown report format {path.suffix or '(none)'!r} (expected {', '.join(REPORT_FORMATS)})"
        )
    if paper not in PAPERS:
        raise RenderError(f"unknown paper {paper!r} (expected {' or '.join(PAPERS)})")
    diff = None
    if baseline is not None:
        from planner.diff import diff_orgs

        diff = diff_orgs(baseline, org, profile)
    if extension == ".pdf":
        from planner.render.pdf import write_report

        return write_report(org, path, profile, paper, source=source, today=today, diff=diff,
                            baseline_source=baseline_source)

    from planner.report import build_report, render_text

    report = build_report(org, profile, source=source, today=today, diff=diff, baseline_source=baseline_source)
    if extension == ".html":
        from planner.render.chart import ChartPicture, legend_svg_bytes, svg_bytes
        from planner.report.html import render_html

        added = [node.id for node in diff.added] if diff is not None else ()
        with ChartPicture(org, report.result, legend=False, added=added) as picture:
            text = render_html(report, chart_svg=svg_bytes(picture), legend_svg=legend_svg_bytes(picture), paper=paper)
    else:
        text = render_text(report, extension)
    from planner.io.atomic import write_atomically
    from planner.io.errors import SaveError

    try:
        write_atomically(path, text)
    except SaveError as exc:
        raise RenderError(f"cannot write the file: {exc}") from None
    return report


__all__ = ["PAPERS", "REPORT_FORMATS", "RenderError", "ReportFormatError", "write_report_any"]
