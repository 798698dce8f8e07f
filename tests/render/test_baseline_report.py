"""The PDF and HTML report of a proposal against a baseline: the before/after section and the NEW tags."""

import base64
import re
from html.parser import HTMLParser

from defusedxml.ElementTree import fromstring
from pypdf import PdfReader

from planner.render import write_report_any
from planner.render.chart import ChartPicture, legend_svg_bytes, svg_bytes
from tests.report.test_baseline import breaking_proposal, fixing_proposal, scaleup

SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def _pdf_pages(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def _svg_texts(data: bytes) -> list[str]:
    return ["".join(t.itertext()).strip() for t in fromstring(data).iter(SVG_TEXT)]


class _Sections(HTMLParser):
    """The visible text of an HTML page, per ``<h2>`` section, and the text inside the introduced-gaps box."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[str]] = {}
        self.order: list[str] = []
        self.introduced: list[str] = []
        self.tags: list[str] = []
        self._current = ""
        self._in_h2 = False
        self._box_depth = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "h2":
            self._in_h2 = True
            self._current = ""
        if tag == "div" and self._box_depth:
            self._box_depth += 1
        elif tag == "div" and dict(attrs).get("class") == "introduced":
            self._box_depth = 1

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False
            self.order.append(self._current)
        if tag == "div" and self._box_depth:
            self._box_depth -= 1

    def handle_data(self, data):
        if self._in_h2:
            self._current += data
            return
        self.sections.setdefault(self._current, []).append(data)
        if self._box_depth:
            self.introduced.append(data)

    def text(self, heading: str) -> str:
        return " ".join(" ".join(self.sections.get(heading, [])).split())


def _html(path) -> _Sections:
    page = _Sections()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def test_pdf_has_the_section_after_the_summary_and_names_the_fixed_gaps(qapp, tmp_path):
    path = tmp_path / "proposal.pdf"
    write_report_any(fixing_proposal(), path, baseline=scaleup(), baseline_source="scaleup.json")
    pages = _pdf_pages(path)
    text = " ".join(pages)
    assert text.index("Fix these first") < text.index("Before and after") < text.index("Org chart")
    section = text[text.index("Before and after"):text.index("Org chart")]
    assert "Compared with the baseline 'Northwind Commerce (scale-up)' (scaleup.json)" in section
    assert "this proposal fixes 2 errors" in section
    assert "Errors 2 0 better" in section
    assert "Gaps fixed (2)" in section
    assert "OWN001 Team 'API Platform' has no backlog owner" in section
    assert "OWN002 Product 'Partner API' has no strategy owner" in section
    assert "Gaps introduced (0) None: the proposal opens no new gap." in section
    assert "Ravi Shah (product owner) — Product Owner, API" in section
    # The section starts its own page, the one leadership reads to decide.
    assert any(page.startswith("Before and after") for page in pages)
    chart_page = next(page for page in pages if page.startswith("Org chart"))
    assert "2 cards are new in this proposal" in chart_page


def test_pdf_shows_an_introduced_gap_for_leadership_to_accept(qapp, tmp_path):
    path = tmp_path / "proposal.pdf"
    write_report_any(breaking_proposal(), path, baseline=scaleup())
    text = " ".join(_pdf_pages(path))
    section = text[text.index("Before and after"):text.index("Org chart")]
    assert "Gaps introduced (2) New gaps that leadership must accept" in section  # OWN001, and STR007 for Tom
    assert "ERROR OWN001 Team 'Insights' has no backlog owner" in section
    assert "Errors 2 3 worse" in section
    assert "Removed (1) Lena Park (product owner)" in section


def test_pdf_with_an_identical_baseline_says_no_change(qapp, tmp_path):
    path = tmp_path / "same.pdf"
    write_report_any(scaleup(), path, baseline=scaleup())
    text = " ".join(_pdf_pages(path))
    assert "no change, the two orgs are the same" in text
    assert "Gaps fixed (0)" in text and "Gaps introduced (0)" in text
    assert "new in this proposal" not in text


def test_html_section_order_and_highlighted_introduced_gaps(qapp, tmp_path):
    path = tmp_path / "proposal.html"
    write_report_any(breaking_proposal(), path, baseline=scaleup())
    page = _html(path)
    assert page.order[:3] == ["Executive summary", "Before and after", "Org chart"]
    section = page.text("Before and after")
    assert "introduces 1 error" in section and "Errors 2 3 worse" in section
    introduced = " ".join(" ".join(page.introduced).split())
    assert "leadership must accept" in introduced
    assert "OWN001 Team 'Insights' has no backlog owner" in introduced
    assert "ALN004" not in introduced  # fixed, not introduced


def test_html_chart_tags_added_cards_and_escapes_names(qapp, tmp_path):
    proposal = fixing_proposal()
    proposal.update_node("po-api", name="<script>alert(1)</script>")
    path = tmp_path / "proposal.html"
    write_report_any(proposal, path, baseline=scaleup(), baseline_source="<b>current</b>.json")
    raw = path.read_text(encoding="utf-8")
    page = _html(path)
    assert "script" not in page.tags
    assert "<script>" not in raw and "<b>current" not in raw
    assert "<script>alert(1)</script> (product owner)" in page.text("Before and after")
    assert "(<b>current</b>.json)" in page.text("Before and after")
    assert "2 cards are new in this proposal: tagged NEW in green" in page.text("Org chart")
    chart, key = re.findall(r'<img[^>]* src="data:image/svg\+xml;base64,([^"]+)"', raw)
    assert _svg_texts(base64.b64decode(chart)).count("NEW") == 2
    assert "new in this proposal" in _svg_texts(base64.b64decode(key))


def test_chart_without_added_cards_has_no_new_tag(qapp):
    with ChartPicture(scaleup(), legend=True) as picture:
        assert "NEW" not in _svg_texts(svg_bytes(picture))
        assert "new in this proposal" not in _svg_texts(legend_svg_bytes(picture))
    with ChartPicture(fixing_proposal(), legend=False, added=["po-api", "gone"]) as picture:
        assert picture.added == ["po-api"]
        assert _svg_texts(svg_bytes(picture)).count("NEW") == 1
