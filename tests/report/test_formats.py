"""The formats: each carries the content, the writers add no wording, names are escaped, formulas neutralised."""

import csv
import io
import json
import shutil
import subprocess
from html.parser import HTMLParser
from importlib.resources import files

import pytest

from planner.analysis import analyze
from planner.cli.check_cmd import check_json
from planner.io import load_org
from planner.report import build_report
from planner.report.csv import COLUMNS, neutralise, render_csv
from planner.report.html import render_html
from planner.report.json import render_json
from planner.report.markdown import render_markdown
from planner.resources import sample_path
from tests.report.orgs import (
    HOSTILE_ORG,
    HOSTILE_PO,
    HOSTILE_PRODUCT,
    HOSTILE_STAKEHOLDER,
    HOSTILE_TAB,
    HOSTILE_TEAM,
    gappy_org,
    hostile_org,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Page(HTMLParser):
    """Collects the tags, the visible text nodes (outside head, script, style and figures' SVG) and headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.texts: list[str] = []
        self.headings: list[str] = []
        self.attrs: list[dict] = []
        self._hidden = 0
        self._heading = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append(dict(attrs))
        if tag in ("head", "script", "style", "svg"):
            self._hidden += 1
        self._heading = tag in ("h1", "h2")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style", "svg"):
            self._hidden -= 1
        if tag in ("h1", "h2"):
            self._heading = False

    def handle_data(self, data):
        if self._hidden or not data.strip():
            return
        self.texts.append(data.strip())
        if self._heading:
            self.headings.append(data.strip())

    @property
    def all_text(self) -> str:
        return " ".join(self.texts)


def _page(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


# -- HTML ------------------------------------------------------------------------------------------


def test_html_leads_with_the_brief_then_the_sections():
    report = build_report(gappy_org())
    page = _page(render_html(report.document))
    assert page.headings[0] == report.title
    assert page.headings[1:] == ["Top risks, by impact", *(section.title for section in report.document.sections)]
    text = page.all_text
    for expected in ("Gappy Ltd", "Verdict", "The ask", "Top risks, by impact", "Ledger", "Beta", "Epsilon"):
        assert expected in text


def test_html_writer_adds_no_wording_of_its_own():
    # Every visible text node comes from the document (its sections, tables and chrome): the template has none.
    from planner.diff import diff_orgs

    for org, baseline in ((gappy_org(), None), (hostile_org(), None), (gappy_org(), hostile_org())):
        report = build_report(org, diff=None if baseline is None else diff_orgs(baseline, org))
        known = {text.strip() for text in report.document.texts()}
        page = _page(render_html(report.document))
        stray = [text for text in page.texts if text not in known]
        assert not stray, stray[:5]


def test_html_figures_are_inline_svg_with_unique_ids():
    raw = render_html(build_report(gappy_org()).document)
    assert "<svg" in raw and "data:image" not in raw and "<img" not in raw
    ids = [attrs["id"] for attrs in _page(raw).attrs if "id" in attrs]
    assert len(ids) == len(set(ids))


def test_html_escapes_every_user_text():
    raw = render_html(build_report(hostile_org()).document)
    page = _page(raw)
    assert page.tags.count("script") == 1  # the page's own sorting script
    assert "<script>alert" not in raw and "<b>bold</b>" not in raw
    for name in (HOSTILE_ORG, HOSTILE_TEAM, HOSTILE_PO, HOSTILE_PRODUCT):
        assert name in page.all_text


def test_html_prints_on_the_chosen_paper_without_squeezing_tables():
    raw = render_html(build_report(gappy_org()).document, paper="letter")
    assert "@media print" in raw and "size: letter" in raw
    assert "thead { display: table-header-group; }" in raw
    assert "word-break: normal" in raw and "break-inside: avoid" in raw
    assert "<details>" in raw or "details" in raw
    assert 'font: 15px/1.45 "DejaVu Sans", sans-serif' in raw


def test_html_prints_a_wide_chart_on_a_page_turned_sideways():
    raw = render_html(build_report(load_org(sample_path("scaleup"))).document, paper="a4")
    assert "@page sideways { size: A4 landscape; }" in raw
    assert '<figure class="chart sideways" id="figure-org-chart">' in raw
    small = render_html(build_report(load_org(sample_path("startup"))).document, paper="a4")
    assert '<figure class="chart" id="figure-org-chart">' in small


def test_html_tables_are_sortable_and_numbers_sort_by_value():
    raw = render_html(build_report(gappy_org()).document)
    assert 'class="data sortable"' in raw and "localeCompare" in raw and "numeric: true" in raw
    assert 'data-sort="' in raw


# -- CSV -------------------------------------------------------------------------------------------


def test_csv_has_one_row_per_finding_with_products_and_the_plan():
    report = build_report(gappy_org())
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert tuple(rows[0]) == COLUMNS
    body = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    assert len(body) == len(report.findings) + len(report.accepted)
    assert [r["status"] for r in body].count("accepted") == 1
    first = body[0]
    assert first["severity"] == "error" and first["code"] == "OWN001" and first["why"]
    assert first["products"] and first["plan"] and int(first["impact"]) > 0


def test_csv_neutralises_formulas():
    rows = list(csv.reader(io.StringIO(render_csv(build_report(hostile_org())))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    nodes = {dict(zip(COLUMNS, row, strict=True))["nodes"] for row in rows[1:]}
    assert "'" + HOSTILE_TEAM in nodes


def test_neutralise_leaves_plain_text_alone():
    assert neutralise("Team 'A' has no backlog owner") == "Team 'A' has no backlog owner"
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\r\n") == "'\r\n"
    assert neutralise(HOSTILE_TAB) == "'" + HOSTILE_TAB


# -- Markdown --------------------------------------------------------------------------------------


def test_markdown_carries_the_document():
    report = build_report(gappy_org())
    text = render_markdown(report.document)
    assert text.startswith(f"# {report.title}\n")
    for section in report.document.sections:
        assert f"\n## {section.title}\n" in text
    assert "> **The ask**" in text and "## Top risks, by impact" in text


def test_markdown_escapes_markup_and_pipes():
    text = render_markdown(build_report(hostile_org()).document)
    assert "<script>" not in text and "<b>" not in text
    assert "\\<script\\>alert(1)\\</script\\>" in text
    for line in text.splitlines():
        if line.startswith("| ") and HOSTILE_STAKEHOLDER.split()[0] in line:
            header = line
            assert header.replace("\\|", "").count("|") >= 2


def test_markdown_renders_as_github_flavoured_markdown():
    """Rendered by a CommonMark parser with GFM tables: every table a table, names as text, details folded."""
    markdown_it = pytest.importorskip("markdown_it")
    from planner.report.model import Table

    report = build_report(hostile_org())
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(render_markdown(report.document))
    tables = sum(1 for block in report.document.walk() if isinstance(block, Table)) + 1  # and the key figures
    assert html.count("<table>") == tables
    assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "-2 | &lt;b&gt;bold&lt;/b&gt;" in html  # a pipe inside a cell stays in its cell
    report = build_report(load_org(sample_path("scaleup")))
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(render_markdown(report.document))
    assert html.count("<h2>") == len(report.document.sections) + 1  # and the top risks
    assert "<strong>The ask</strong>" in html


# -- JSON ------------------------------------------------------------------------------------------


def test_json_extends_the_check_document_and_holds_the_plan_and_every_row():
    org = gappy_org()
    report = build_report(org, source="gappy.json")
    document = json.loads(render_json(report))
    expected = check_json("gappy.json", analyze(org), report.plan)
    assert list(document)[: len(expected)] == list(expected)
    assert {key: document[key] for key in expected} == expected
    assert document["plan"] == json.loads(json.dumps(report.plan.to_dict()))
    assert [a["nodes"] for a in document["accepted"]] == [["t5"]]
    tables = document["report"]["tables"]
    assert set(tables) == {"products", "teams", "duties", "backlog_load", "strategy_load", "span_of_control"}
    assert document["duties"]["products"]["p1"]["follows_links"] is True
    assert {"Team": "Alpha", "Backlog owner": "Olga PO", "Product": "Shop", "Size": 6} in tables["teams"]["rows"]
    assert len(tables["teams"]["rows"]) == 6  # the full list, not only the gaps
    finding = document["report"]["findings"][0]
    assert {"products", "reach", "impact", "area", "action", "decision"} <= set(finding)
    assert document["report"]["people"]["people"] == report.census.people
    assert document["report"]["top_risks"][0]["sentence"] == report.risks[0].sentence


def test_json_keeps_hostile_names_as_data():
    document = json.loads(render_json(build_report(hostile_org())))
    assert document["report"]["org"] == HOSTILE_ORG
    names = {name for finding in document["report"]["findings"] for name in finding["node_names"]}
    assert HOSTILE_TEAM in names


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_format_renders_the_same_document(paper):
    from planner.report import render_report

    report = build_report(gappy_org())
    for extension in (".pdf", ".html", ".md", ".csv", ".json"):
        assert render_report(report, extension, paper)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_html_tables_sort_naturally_in_a_browser(tmp_path):
    from planner.report.model import Column, Row, Table

    script = (files("planner.report") / "templates" / "report.js").read_text(encoding="utf-8")
    table = Table(
        "t", (Column("Name"), Column("N", "number")), (Row(("pm989", 3)), Row(("pm99", 10)), Row(("pm990", 1)))
    )
    rows = "".join(f'<tr><td>{r.cells[0]}</td><td data-sort="{r.cells[1]}">{r.cells[1]}</td></tr>' for r in table.rows)
    probe = tmp_path / "sort.html"
    probe.write_text(
        f'<html><body><table class="data sortable"><thead><tr><th>Name</th><th>N</th></tr></thead><tbody>{rows}'
        f"</tbody></table><script>{script}\n"
        'const names = () => Array.from(document.querySelectorAll("tbody td:first-child")).map(c => c.textContent);'
        'const th = document.querySelectorAll("th"); th[0].click(); document.title = names().join(",");'
        'th[1].click(); th[1].click(); document.title += "|" + names().join(",");</script></body></html>',
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "<title>pm99,pm989,pm990|pm99,pm989,pm990</title>" in done.stdout


def test_html_folds_the_appendix_and_long_gap_tables_but_prints_them():
    from planner.synthetic import synthetic_org

    text = render_html(build_report(synthetic_org(1500, seed=4)).document)
    appendix = text[text.index('id="appendix"') :]
    assert appendix.count('<details class="folded">') >= 2, "each rule of the appendix folds"
    coverage = text[text.index('id="coverage"') : text.index('id="accepted"')]
    assert '<details class="folded">' in coverage, "a long gaps table folds"
    # Printing opens every fold, and keeps headings with what follows.
    assert 'querySelectorAll("details")' in text and "break-after: avoid" in text
