"""The gap report for leadership: its content, its document tree and every format it is written in. No Qt here.

:func:`~planner.report.content.build_report` gathers the content once as a
:class:`~planner.report.model.Document`; :func:`write_report` picks the writer
by file extension (PDF with ReportLab, HTML with Jinja2, Markdown, CSV, JSON),
refuses to write over an input or an org file, and writes atomically.
This package imports nothing from :mod:`planner.cli`, :mod:`planner.render`
or :mod:`planner.ui`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planner.analysis import Profile
from planner.model.org import Org
from planner.report.content import Report, build_report

#: Extensions of the gap report, in the order help texts list them.
REPORT_FORMATS = (".pdf", ".html", ".md", ".csv", ".json", ".xlsx")
PAPERS = ("a4", "letter")


#: Countries whose paper is Letter (ISO 3166 codes, as in a locale name like ``en_US.UTF-8``); elsewhere A4.
LETTER_COUNTRIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "PA", "SV", "PR", "DO", "NI"})


def default_paper(environ: dict[str, str] | None = None) -> str:
    """``letter`` when the user's locale is of a Letter country, else ``a4``.

    The locale is read as the C library reads it for paper: ``LC_ALL``, then ``LC_PAPER``, then ``LANG``.
    """
    import os

    environ = os.environ if environ is None else environ
    name = next((environ[key] for key in ("LC_ALL", "LC_PAPER", "LANG") if environ.get(key)), "")
    country = name.split(".")[0].split("@")[0].partition("_")[2].upper()
    return "letter" if country in LETTER_COUNTRIES else "a4"


class ReportError(Exception):
    """The report could not be written: unknown format or paper, an input in the way, an unwritable file."""


def render_report(report: Report, extension: str, paper: str = "a4") -> str | bytes:
    """The report in the format an extension names (``.pdf`` gives bytes, the others text)."""
    extension = extension.lower()
    if extension == ".pdf":
        from planner.report.pdf import render_pdf

        return render_pdf(report.document, paper)
    if extension == ".html":
        from planner.report.html import render_html

        return render_html(report.document, paper)
    if extension == ".md":
        from planner.report.markdown import render_markdown

        return render_markdown(report.document)
    if extension == ".csv":
        from planner.report.csv import render_csv

        return render_csv(report)
    if extension == ".json":
        from planner.report.json import render_json

        return render_json(report)
    if extension == ".xlsx":
        from planner.report.xlsx import XlsxUnavailable, render_xlsx

        try:
            return render_xlsx(report)
        except XlsxUnavailable as exc:
            raise ReportError(str(exc)) from None
    raise ReportError(f"unknown report format {extension or '(none)'!r} (expected {', '.join(REPORT_FORMATS)})")


def write_report(
    org: Org,
    path: str | Path,
    profile: str | Profile | None = None,
    paper: str | None = None,
    source: str = "",
    today: date | None = None,
    baseline: Org | None = None,
    baseline_source: str = "",
) -> Report:
    """Write the gap report of ``org`` to ``path`` in the format of its extension; return the report.

    ``paper`` is ``a4`` or ``letter`` (default: :func:`default_paper`, from the locale).
    With a ``baseline`` (today's org, read from ``baseline_source``) the report
    compares ``org``, a proposal, with it. The file is never written over
    ``source``, ``baseline_source`` or any org file, and is replaced
    atomically: a failure leaves the previous file whole.
    Raises :class:`ReportError` with a one-line message.
    """
    from planner.io.errors import SaveError
    from planner.io.guard import OverwriteRefused, refuse_overwrite
    from planner.io.native import write_atomically

    path = Path(path)
    extension = path.suffix.lower()
    if extension not in REPORT_FORMATS:
        raise ReportError(
            f"{path}: unknown report format {path.suffix or '(none)'!r} (expected {', '.join(REPORT_FORMATS)})"
        )
    paper = paper or default_paper()
    if paper not in PAPERS:
        raise ReportError(f"unknown paper {paper!r} (expected {' or '.join(PAPERS)})")
    try:
        refuse_overwrite(path, (source, baseline_source))
    except OverwriteRefused as exc:
        raise ReportError(str(exc)) from None
    diff = None
    if baseline is not None:
        from planner.diff import diff_orgs

        diff = diff_orgs(baseline, org, profile)
    report = build_report(org, profile, source=source, today=today, diff=diff, baseline_source=baseline_source)
    try:
        # The Excel writer stages each sheet in a temporary file of its own: a full disk can stop it early.
        data = render_report(report, extension, paper)
    except OSError as exc:
        raise ReportError(f"{path}: cannot write the report ({exc.strerror or exc})") from None
    try:
        write_atomically(path, data)
    except SaveError as exc:
        raise ReportError(str(exc)) from None
    except OSError as exc:
        raise ReportError(f"{path}: cannot write the file ({exc.strerror or exc})") from None
    return report


__all__ = [
    "PAPERS",
    "REPORT_FORMATS",
    "Report",
    "ReportError",
    "build_report",
    "default_paper",
    "render_report",
    "write_report",
]
