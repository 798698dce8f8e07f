"""The gap report for leadership: its content and its text formats (HTML, Markdown, CSV, JSON). No Qt here.

:func:`~planner.report.content.build_report` gathers the content once; each
format module renders it. The PDF report and the chart image need Qt and live
in :mod:`planner.render`, whose :func:`~planner.render.write_report_any` picks
the writer by file extension.
"""

from planner.report.content import Report, build_report
from planner.report.csv import render_csv
from planner.report.json import render_json
from planner.report.markdown import render_markdown

#: Extensions whose format needs no Qt, mapped to their writers.
TEXT_FORMATS = {".md": render_markdown, ".csv": render_csv, ".json": render_json}


def render_text(report: Report, extension: str) -> str:
    """The report in the text format an extension names (``.md``, ``.csv`` or ``.json``)."""
    return TEXT_FORMATS[extension.lower()](report)


__all__ = ["TEXT_FORMATS", "Report", "build_report", "render_text"]
