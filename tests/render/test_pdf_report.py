"""The PDF gap report: the content is in the text, pages are numbered, user text stays text; the dispatcher."""

import base64
import re
from datetime import date

import pytest
from defusedxml.ElementTree import fromstring
from pypdf import PdfReader

from planner.io import load_org
from planner.render import ReportFormatError, write_report_any
from planner.render.pdf import write_report
from planner.resources import sample_path
from tests.report.orgs import HOSTILE_ORG, HOSTILE_PRODUCT, HOSTILE_TEAM, gappy_org, hostile_org


def _pages(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_pdf_report_has_the_content_in_order(qapp, tmp_path):
    path = tmp_path / "report.pdf"
    report = write_report(gappy_org(), path, today=date(2026, 3, 1), source="gappy.json")
    pages = _pages(path)
    text = " ".join(pages)
    cursor = 0
    for marker in (
        "Product organisation gap report",
        "Organisation: Gappy Ltd",
        "Date: 2026-03-01",
        "Profile: Scrum",
        "Executive summary",
        "Fix these first",
        "Org chart",
        "Findings",
        "Coverage per product",
        "Teams per backlog owner",
        "Staffing recommendations",
        "Accepted risks",
        "Appendix: the rules that fired",
    ):
        found = text.find(marker, cursor)
        assert found >= 0, f"{marker!r} missing or out of order"
        cursor = found + len(marker)
    assert "2 of 6" in text and "Olga PO" in text and "Why it matters" in text
    assert report.recommendations[0].headline in text
    # The accepted risk is named in its own section.
    assert "Epsilon" in text[text.index("Staffing recommendations"):text.index("Appendix: the rules that fired")]


def test_pdf_pages_are_numbered(qapp, tmp_path):
    path = tmp_path / "report.pdf"
    write_report(gappy_org(), path)
    pages = _pages(path)
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text


def test_pdf_paper_sizes(qapp, tmp_path):
    for paper, size in (("a4", (595, 842)), ("letter", (612, 792))):
        path = tmp_path / f"{paper}.pdf"
        write_report(gappy_org(), path, paper=paper)
        first = PdfReader(path).pages[0].mediabox
        assert (round(float(first.width)), round(float(first.height))) == size


def test_pdf_keeps_hostile_names_as_text(qapp, tmp_path):
    path = tmp_path / "hostile.pdf"
    write_report(hostile_org(), path)
    text = " ".join(_pages(path))
    for name in (HOSTILE_ORG, HOSTILE_TEAM, HOSTILE_PRODUCT):
        assert name in text


@pytest.mark.slow
def test_enterprise_sample_report_in_every_format(qapp, tmp_path):
    org = load_org(sample_path("enterprise"))
    for extension in (".pdf", ".html", ".md", ".csv", ".json"):
        path = tmp_path / f"enterprise{extension}"
        report = write_report_any(org, path)
        assert path.stat().st_size > 1000
    text = " ".join(_pages(tmp_path / "enterprise.pdf"))
    assert org.name in text
    assert report.fix_first[0].title in text
    assert "planner export FILE -o chart.pdf --tiles" in text  # too big to read on one page: says how to tile
    # The 86-row team table runs over several pages and repeats its header row on each.
    pages = _pages(tmp_path / "enterprise.pdf")
    assert sum("Team Backlog owner Product Size" in page for page in pages) >= 2


def test_dispatcher_picks_the_format_by_extension(qapp, tmp_path):
    org = gappy_org()
    write_report_any(org, tmp_path / "r.HTML")
    page = (tmp_path / "r.HTML").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # The chart and its key are embedded as SVG images; the chart names the cards.
    sources = re.findall(r'<img[^>]* src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert len(sources) == 2
    chart = fromstring(base64.b64decode(sources[0]))
    assert "Olga PO" in {"".join(t.itertext()).strip() for t in chart.iter("{http://www.w3.org/2000/svg}text")}
    write_report_any(org, tmp_path / "r.md")
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# Product organisation gap report")
    with pytest.raises(ReportFormatError, match="unknown report format"):
        write_report_any(org, tmp_path / "r.docx")
