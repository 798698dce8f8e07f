"""The text formats: each carries the content, escapes hostile names and neutralises spreadsheet formulas."""

import csv
import io
import json
from html.parser import HTMLParser

from planner.analysis import analyze
from planner.cli.check_cmd import check_json
from planner.report import build_report
from planner.report.csv import COLUMNS, neutralise, render_csv
from planner.report.html import render_html
from planner.report.json import render_json
from planner.report.markdown import render_markdown
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
    """Collects the tags and the visible text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self._in_heading = False
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_heading = tag in ("h1", "h2")
        if tag == "img":
            self.images.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("h1", "h2"):
            self._in_heading = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_heading and data.strip():
            self.headings.append(data.strip())

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def _page(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


# -- HTML ------------------------------------------------------------------------------------------


def test_html_has_every_section_in_order():
    report = build_report(gappy_org())
    page = _page(render_html(report, chart_svg=b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
    assert page.headings == [
        report.title,
        "Executive summary",
        "Org chart",
        "Findings",
        "Coverage",
        "Load against the profile's limits",
        "Staffing recommendations",
        "Accepted risks",
        "Appendix: the rules that fired",
    ]
    text = page.all_text
    for expected in ("Gappy Ltd", report.date, "Scrum", "2 of 6", "Ledger", "Olga PO", "Why it matters", "Epsilon"):
        assert expected in text
    assert page.images[0]["src"].startswith("data:image/svg+xml;base64,")


def test_html_escapes_every_user_text():
    report = build_report(hostile_org())
    raw = render_html(report, chart_png=b"\x89PNG fake")
    page = _page(raw)
    assert "script" not in page.tags
    assert "<script>" not in raw and "<b>bold</b>" not in raw
    text = page.all_text
    for name in (HOSTILE_ORG, HOSTILE_TEAM, HOSTILE_PO, HOSTILE_PRODUCT, HOSTILE_STAKEHOLDER):
        assert name in text
    assert page.images[0]["src"].startswith("data:image/png;base64,")


def test_html_prints_on_the_chosen_paper():
    raw = render_html(build_report(gappy_org()), paper="letter")
    assert "@media print" in raw and "size: letter" in raw
    assert "thead { display: table-header-group; }" in raw


# -- CSV -------------------------------------------------------------------------------------------


def test_csv_has_one_row_per_finding_and_accepted_risk():
    report = build_report(gappy_org())
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert tuple(rows[0]) == COLUMNS
    body = rows[1:]
    assert len(body) == len(report.findings) + len(report.accepted)
    assert [r[0] for r in body].count("accepted") == 1
    first = dict(zip(COLUMNS, body[0], strict=True))
    assert first["severity"] == "error" and first["code"] == "OWN001" and first["why"]


def test_csv_neutralises_formulas():
    rows = list(csv.reader(io.StringIO(render_csv(build_report(hostile_org())))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    nodes = {dict(zip(COLUMNS, row, strict=True))["nodes"] for row in rows[1:]}
    assert "'" + HOSTILE_TEAM in nodes
    assert "'" + HOSTILE_PRODUCT in nodes
    assert "'" + HOSTILE_STAKEHOLDER in nodes


def test_neutralise_leaves_plain_text_alone():
    assert neutralise("Team 'A' has no backlog owner") == "Team 'A' has no backlog owner"
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\r\n") == "'\r\n"
    assert neutralise(HOSTILE_TAB) == "'" + HOSTILE_TAB


# -- Markdown --------------------------------------------------------------------------------------


def test_markdown_carries_the_content():
    report = build_report(gappy_org())
    text = render_markdown(report)
    for heading in ("## Executive summary", "## Findings", "### Errors", "## Coverage", "### Teams per backlog owner",
                    "## Staffing recommendations", "## Accepted risks", "## Appendix: the rules that fired"):
        assert heading in text
    assert "| Teams with exactly one backlog owner | 2 of 6 |" in text
    assert "Epsilon" in text.split("## Accepted risks")[1]


def test_markdown_escapes_markup_and_pipes():
    text = render_markdown(build_report(hostile_org()))
    assert "<script>" not in text and "<b>" not in text
    assert "\\<script\\>alert(1)\\</script\\>" in text
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("| Product | Strategy owner"))
    row = next(line for line in lines if "@SUM(A1) |" in line and line.startswith("| "))
    # The stakeholder's pipe is escaped, so the row has as many cell borders as the header.
    assert row.replace("\\|", "").count("|") == header.count("|")


# -- JSON ------------------------------------------------------------------------------------------


def test_json_extends_the_check_document():
    org = gappy_org()
    document = json.loads(render_json(build_report(org, source="gappy.json")))
    expected = check_json("gappy.json", analyze(org))
    assert {key: document[key] for key in expected} == expected
    assert [a["nodes"] for a in document["accepted"]] == [["t5"]]
    tables = document["report"]["tables"]
    assert set(tables) == {"products", "teams", "backlog_load", "strategy_load", "span_of_control"}
    assert {"Team": "Alpha", "Backlog owner": "Olga PO", "Product": "Shop", "Size": 6} in tables["teams"]["rows"]
    assert document["report"]["health"]["teams_with_one_backlog_owner"] == 2


def test_json_keeps_hostile_names_as_data():
    document = json.loads(render_json(build_report(hostile_org())))
    assert document["report"]["org"] == HOSTILE_ORG
    names = {name for finding in document["report"]["findings"] for name in finding["node_names"]}
    assert HOSTILE_TEAM in names
