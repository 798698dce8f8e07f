"""The report's figures: readable text, whole names, sensible caps for large orgs, safe SVG, pages not blank."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from planner.io.native import load
from planner.model.org import Link, Node, Org
from planner.report import figure_charts, figure_kit, figures
from planner.report.fonts import register_fonts
from planner.resources import sample_path
from planner.synthetic import synthetic_org
from tests.helpers import make_org

WIDTH = 480.0
FRAME_HEIGHT = 680.0


def shapes(drawing: Drawing, kind: type) -> list:
    """Every shape of a kind in a drawing, however deeply grouped, in drawing order."""
    found = []

    def walk(node) -> None:
        if isinstance(node, kind):
            found.append(node)
        if isinstance(node, (Group, Drawing)):
            for child in node.contents:
                walk(child)

    walk(drawing)
    return found


def strings(drawing: Drawing) -> list[String]:
    return shapes(drawing, String)


def text_of(drawing: Drawing) -> str:
    return " ".join(s.text for s in strings(drawing))


def assert_readable(drawing: Drawing, width: float = WIDTH) -> None:
    """As wide as asked, every text at least 7 pt, and nothing cut with an ellipsis."""
    assert isinstance(drawing, Drawing)
    assert drawing.width == pytest.approx(width)
    assert drawing.height > 0
    texts = strings(drawing)
    assert texts, "a figure without a word"
    small = [(s.text, s.fontSize) for s in texts if s.fontSize < figures.MIN_TEXT_SIZE]
    assert not small, f"text under 7 pt: {small[:5]}"
    assert not [s.text for s in texts if s.text.endswith("…")]


def assert_whole(drawing: Drawing, name: str) -> None:
    """Every word of ``name`` printed: wrapped onto lines, never cut."""
    words = text_of(drawing).split()
    for word in name.split():
        assert word in words, f"{word!r} of {name!r} is missing"


@cache
def big_org() -> Org:
    return synthetic_org(10_000)


def hub_org(reports: int = 125) -> Org:
    """A leader with ``reports`` product managers reporting to her, each owning one product."""
    org = Org("Hub")
    org.add_node(Node("boss", "leader", "Bea Boss", "Chief Product Officer"))
    for index in range(reports):
        org.add_node(Node(f"pm{index}", "product_manager", f"Manager {index}"))
        org.add_node(Node(f"p{index}", "product", f"Product {index}"))
        org.add_link(Link(f"pm{index}", "boss", "reports_to"))
        org.add_link(Link(f"pm{index}", f"p{index}", "owns_strategy"))
    return org


# -- span of control -------------------------------------------------------------------------------


def test_span_chart_needs_a_manager_with_reports():
    assert figures.span_of_control_chart([], 10, WIDTH) is None
    assert figures.span_of_control_chart([0, 0], 10, WIDTH) is None


def test_span_chart_marks_the_limit_and_colours_the_managers_over_it():
    drawing = figures.span_of_control_chart([1, 2, 2, 3, 8, 125], 10, WIDTH)
    assert_readable(drawing)
    text = text_of(drawing)
    assert "limit 10" in text
    assert "101–150" in text, "a span of 125 falls in a range bar, not one bar per value"
    warning = HexColor(figures.SEVERITY_COLORS["warning"])
    over = [r for r in shapes(drawing, Rect) if r.fillColor == warning and r.height > 1 and r.width > 9]
    assert len(over) == 1, "one bar over the limit, in the warning colour"
    assert "over it: 1 manager" in text


def test_span_chart_of_hundreds_of_managers_keeps_few_bars():
    spans = [1 + (i * 7) % 14 for i in range(900)] + [125, 300]
    drawing = figures.span_of_control_chart(spans, 10, WIDTH)
    assert_readable(drawing)
    bars = [r for r in shapes(drawing, Rect) if r.width > 9]
    assert len(bars) <= 25
    assert drawing.height < 320


def test_span_bins_split_at_the_limit():
    for limit in (0, 1, 3, 10, 12, 25, 60):
        bins = figure_charts._span_bins(400, limit)
        assert any(high == limit for _, high in bins) or limit == 0
        edges = [low for low, _ in bins]
        assert edges == sorted(edges) and bins[0][0] == 1 and bins[-1][1] >= 400


# -- people per product ----------------------------------------------------------------------------


def test_people_chart_empty():
    assert figures.people_per_product_chart([], WIDTH) is None


def test_people_chart_labels_people_and_teams():
    drawing = figures.people_per_product_chart([("Checkout", 14, 2), ("Search", 1, 1)], WIDTH)
    assert_readable(drawing)
    text = text_of(drawing)
    assert "14 people · 2 teams" in text
    assert "1 person · 1 team" in text


def test_people_chart_of_hundreds_of_products_shows_the_largest_and_counts_the_rest():
    rows = [(f"Product {i}", i, 1 + i % 4) for i in range(1, 301)]
    rows.append(("Platform Reliability and Developer Experience for Enterprise Customers", 999, 9))
    drawing = figures.people_per_product_chart(rows, WIDTH)
    assert_readable(drawing)
    text = text_of(drawing)
    assert "Product 300" in text and "Product 1 " not in text + " "
    assert "281 smaller products not shown" in text
    assert_whole(drawing, "Platform Reliability and Developer Experience for Enterprise Customers")
    assert drawing.height < FRAME_HEIGHT


# -- findings by area ------------------------------------------------------------------------------


def test_findings_chart_empty():
    assert figures.findings_by_area_chart([], WIDTH) is None
    assert figures.findings_by_area_chart([("Quiet", {"ownership": 0})], WIDTH) is None


def test_findings_chart_stacks_areas_with_a_legend():
    drawing = figures.findings_by_area_chart(
        [("Checkout", {"ownership": 2, "load": 1}), ("Search", {"risk": 4, "alignment": 1})], WIDTH
    )
    assert_readable(drawing)
    text = text_of(drawing)
    for area in ("ownership", "load", "risk", "alignment"):
        assert area in text
    assert "structure" not in text, "the legend names the areas present"
    assert "5 findings" in text and "3 findings" in text


def test_findings_chart_of_hundreds_of_products():
    rows = [(f"Product {i}", {"ownership": i % 3, "risk": 1}) for i in range(400)]
    drawing = figures.findings_by_area_chart(rows, WIDTH)
    assert_readable(drawing)
    assert "380 products with fewer findings not shown" in text_of(drawing)
    assert drawing.height < FRAME_HEIGHT


# -- before and after ------------------------------------------------------------------------------


def test_before_after_needs_a_finding():
    assert figures.before_after_chart({}, {}, WIDTH) is None
    assert figures.before_after_chart({"error": 0}, {"error": 0}, WIDTH) is None


def test_before_after_labels_every_value():
    drawing = figures.before_after_chart(
        {"error": 2, "warning": 7, "info": 3}, {"error": 0, "warning": 8, "info": 3}, WIDTH
    )
    assert_readable(drawing)
    texts = [s.text for s in strings(drawing)]
    for value in ("2", "0", "7", "8", "3"):
        assert value in texts
    assert "-2" in texts and "+1" in texts and "no change" in texts


# -- focus diagram ---------------------------------------------------------------------------------


def test_focus_diagram_of_unknown_cards_is_none():
    assert figures.focus_diagram(make_org("team:t1"), ["nobody"], {}, WIDTH) is None
    assert figures.focus_diagram(make_org("team:t1"), [], {}, WIDTH) is None


def test_focus_diagram_shows_the_cards_their_neighbours_and_whole_names():
    long_name = "Customer Support Operations and Escalations (EMEA)"
    org = make_org(
        [
            ("po", "po", {"name": "Olga Petrova"}),
            ("t1", "team", {"name": long_name, "size": 7}),
            ("p", "product", {"name": "Checkout"}),
            ("far", "team", {"name": "Far Away"}),
        ],
        "po owns_backlog t1, t1 builds p, far builds p",
    )
    drawing = figures.focus_diagram(org, ["t1"], {"t1": "error"}, WIDTH)
    assert_readable(drawing)
    assert_whole(drawing, long_name)
    text = text_of(drawing)
    assert "Olga Petrova" in text and "Checkout" in text
    assert "Far Away" not in text, "only direct neighbours"
    assert "owns backlog" in text and "builds" in text, "the legend names the links shown"
    error = HexColor(figures.SEVERITY_COLORS["error"])
    assert [r for r in shapes(drawing, Rect) if r.strokeColor == error], "the card with an error is ringed"


def test_focus_diagram_caps_the_cards_and_keeps_the_risk_cards():
    org = hub_org(125)
    drawing = figures.focus_diagram(org, ["boss", "pm124"], {"boss": "warning"}, WIDTH, max_cards=25)
    assert_readable(drawing)
    text = text_of(drawing)
    assert "Bea Boss" in text and "Manager 124" in text
    cards = [r for r in shapes(drawing, Rect) if r.width > 60 and r.height > 25]
    assert len(cards) <= 25 + 1  # the ringed card's ring is a rectangle too
    assert "102 more cards linked to these not shown" in text
    assert drawing.height < FRAME_HEIGHT


def test_focus_diagram_with_more_risk_cards_than_room():
    org = hub_org(40)
    ids = [f"pm{i}" for i in range(40)]
    drawing = figures.focus_diagram(org, ids, {}, WIDTH, max_cards=10)
    text = text_of(drawing)
    assert all(f"Manager {i}" in text for i in range(10))
    assert "Manager 10" not in text


def test_focus_diagram_in_the_big_org():
    org = big_org()
    drawing = figures.focus_diagram(org, ["cpo"], {"cpo": "warning"}, WIDTH)
    assert_readable(drawing)
    assert drawing.height < FRAME_HEIGHT


# -- product overview ------------------------------------------------------------------------------


def test_product_overview_without_products():
    assert figures.product_overview(make_org("team:t1"), {}, WIDTH) is None


def test_product_overview_names_owners_and_counts_people():
    org = make_org(
        [
            ("pm", "pm", {"name": "Priya Nair"}),
            ("po", "po", {"name": "Ken Ito"}),
            ("hire", "po", {"name": "Second PO", "vacant": True}),
            ("t1", "team", {"size": 6}),
            ("t2", "team", {"size": 5}),
            ("p", "product", {"name": "Checkout"}),
            ("q", "product", {"name": "Partner API"}),
        ],
        "pm owns_strategy p, po owns_backlog t1, hire owns_backlog t2, t1 builds p, t2 builds p",
    )
    drawing = figures.product_overview(org, {"q": "error"}, WIDTH)
    assert_readable(drawing)
    text = text_of(drawing)
    assert "Strategy: Priya Nair" in text
    assert "Ken Ito" in text and "Second PO (to hire)" in text
    assert "2 teams · 13 people" in text, "6 + 5 in teams, plus the two named owners; a vacancy is no one yet"
    assert "Strategy: nobody" in text


def test_product_overview_says_to_hire_once_for_a_vacancy_named_so():
    org = make_org(
        [
            ("hire", "po", {"name": "API product owner (to hire)", "vacant": True}),
            ("t", "team", {"size": 4}),
            ("p", "product", {"name": "Partner API"}),
        ],
        "hire owns_backlog t, t builds p",
    )
    text = text_of(figures.product_overview(org, {}, WIDTH))
    assert "(to hire) (to hire)" not in text.replace("\n", " ")
    assert "API product owner (to hire)" in text


def test_product_overview_does_not_count_teams_of_unknown_size_as_nobody():
    org = make_org("pm:pm team:t1 team:t2 product:p product:q", "pm owns_strategy p, t1 builds p, t2 builds q")
    text = text_of(figures.product_overview(org, {}, WIDTH))
    assert "1 team · at least 1 person" in text
    assert "1 team · team sizes not given" in text
    assert "0 people" not in text


def test_product_overview_puts_the_worst_first():
    org = make_org("product:a product:b product:c")
    drawing = figures.product_overview(org, {"c": "error", "b": "warning"}, WIDTH)
    names = [s.text for s in strings(drawing) if s.text in ("A", "B", "C")]
    assert names == ["C", "B", "A"]


def test_product_overview_of_the_big_org_is_capped_and_splits_between_pages(tmp_path):
    org = big_org()
    drawing = figures.product_overview(org, {}, WIDTH)
    assert_readable(drawing)
    assert re.search(r"[\d,]+ more products not shown: [\d,]+ without findings", text_of(drawing))
    everything = figures.product_overview(org, {}, WIDTH, max_products=None)
    products = sum(1 for node in org.nodes() if node.kind == "product")
    boxes = [r for r in shapes(everything, Rect) if r.width > 100]
    assert len(boxes) == products
    # Taller than a page: platypus must be able to split it between rows of boxes.
    assert drawing.height > FRAME_HEIGHT
    assert figures.can_split(drawing)
    head, tail = drawing.split(WIDTH, FRAME_HEIGHT)
    assert head.height <= FRAME_HEIGHT and head.height + tail.height == pytest.approx(drawing.height)
    assert not figures.can_split(figures.before_after_chart({"error": 1}, {}, WIDTH))
    document = SimpleDocTemplate(str(tmp_path / "overview.pdf"), pagesize=A4)
    document.build([drawing])
    assert (tmp_path / "overview.pdf").stat().st_size > 1000


# -- the whole chart -------------------------------------------------------------------------------


def test_org_chart_of_the_startup_sample():
    org = load(sample_path("startup"))
    drawing = figures.org_chart(org, {"pm-maya": "info"}, WIDTH, FRAME_HEIGHT)
    assert_readable(drawing)
    assert drawing.height <= FRAME_HEIGHT
    for node in org.nodes():
        assert_whole(drawing, node.label)


def test_a_wide_org_chart_is_readable_on_a_page_turned_sideways():
    from planner.report.content_types import LANDSCAPE_HEIGHT, LANDSCAPE_WIDTH

    org = load(sample_path("scaleup"))
    assert figures.org_chart(org, {}, WIDTH, FRAME_HEIGHT) is None, "too wide for an upright page"
    drawing = figures.org_chart(org, {}, LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT)
    assert_readable(drawing, LANDSCAPE_WIDTH)
    assert drawing.height <= LANDSCAPE_HEIGHT
    for node in org.nodes():
        assert_whole(drawing, node.label)
    cards = [r for r in shapes(drawing, Rect) if r.width > 40 and r.height > 15]
    for i, a in enumerate(cards):
        for b in cards[i + 1 :]:
            apart = a.x + a.width <= b.x or b.x + b.width <= a.x or a.y + a.height <= b.y or b.y + b.height <= a.y
            assert apart or (a.x, a.y) == (b.x, b.y), "cards drawn taller than the editor's must not overlap"


def test_org_chart_of_a_large_org_is_none():
    assert figures.org_chart(big_org(), {}, WIDTH, FRAME_HEIGHT) is None
    assert figures.org_chart(Org(), {}, WIDTH, FRAME_HEIGHT) is None


def test_org_chart_is_none_when_a_name_would_not_fit():
    def spread(name: str) -> Org:
        org = Org()
        org.add_node(Node("a", "dev_team", name, x=0, y=0))
        org.add_node(Node("b", "dev_team", "B", x=1200, y=0))
        return org

    assert figures.org_chart(spread("Core"), {}, WIDTH, FRAME_HEIGHT) is not None
    long_name = "Platform Reliability and Developer Experience Engineering for Enterprise Customers Worldwide"
    assert figures.org_chart(spread(long_name), {}, WIDTH, FRAME_HEIGHT) is None


def test_org_chart_without_positions_is_laid_out():
    org = make_org(
        "lead:vp pm:pm po:po team:t1 product:p",
        "pm reports_to vp, po reports_to pm, pm owns_strategy p, po owns_backlog t1, t1 builds p",
    )
    drawing = figures.org_chart(org, {}, WIDTH, FRAME_HEIGHT)
    assert_readable(drawing)
    cards = sorted((r.x, r.y) for r in shapes(drawing, Rect) if r.width > 60)
    assert len(set(cards)) == len(cards), "no two cards on top of each other"


# -- SVG -------------------------------------------------------------------------------------------

HOSTILE = ["<script>alert(1)</script>", "\"&'", "</svg><img src=x onerror=alert(1)>"]


def test_svg_escapes_names_and_is_inline_ready():
    drawing = figures.people_per_product_chart([(name, 3, 1) for name in HOSTILE], WIDTH)
    svg = figures.to_svg(drawing, title='People "per" <product>')
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg and "&amp;" in svg
    assert "font-family: 'DejaVu Sans', sans-serif" in svg
    root = ET.fromstring(svg)
    texts = " ".join(element.text or "" for element in root.iter("{http://www.w3.org/2000/svg}text"))
    for name in HOSTILE:
        assert name in texts, "the names read back whole"
    assert root.get("aria-label") == 'People "per" <product>'


def test_svg_of_two_figures_do_not_share_ids():
    first = figures.to_svg(figures.people_per_product_chart([("A", 3, 1)], WIDTH))
    second = figures.to_svg(figures.span_of_control_chart([3], 10, WIDTH))
    ids = re.findall(r'id="([^"]+)"', first) + re.findall(r'id="([^"]+)"', second)
    assert len(ids) == len(set(ids))
    assert "bold" in first or "bold" in second


def test_focus_diagram_svg_of_a_hostile_org():
    org = make_org([("t", "team", {"name": "<script>x</script>"}), ("p", "product", {"name": "\"&'"})], "t builds p")
    svg = figures.to_svg(figures.focus_diagram(org, ["t"], {"t": "error"}, WIDTH))
    assert "<script>" not in svg
    ET.fromstring(svg)


# -- pages -----------------------------------------------------------------------------------------


def all_figures(org: Org) -> list[Drawing]:
    severity = {node.id: "warning" for node in list(org.nodes())[:5]}
    products = [node for node in org.nodes() if node.kind == "product"]
    found = [
        figures.span_of_control_chart([1, 3, 4, 12], 10, WIDTH),
        figures.people_per_product_chart([(p.label, 5, 1) for p in products], WIDTH),
        figures.findings_by_area_chart([(p.label, {"ownership": 1, "risk": 2}) for p in products], WIDTH),
        figures.before_after_chart({"error": 2, "warning": 3}, {"warning": 1}, WIDTH),
        figures.focus_diagram(org, list(severity)[:2], severity, WIDTH),
        figures.product_overview(org, {p.id: "error" for p in products[:1]}, WIDTH),
        figures.org_chart(org, severity, WIDTH, FRAME_HEIGHT),
    ]
    return [drawing for drawing in found if drawing is not None]


def test_a_page_of_figures_is_not_blank(tmp_path):
    register_fonts()
    drawings = all_figures(load(sample_path("startup")))
    assert len(drawings) == 7
    style = getSampleStyleSheet()["Normal"]
    story = []
    for drawing in drawings:
        story += [drawing, Spacer(1, 12)]
    story += [PageBreak(), Paragraph("end", style)]
    pdf = tmp_path / "figures.pdf"
    SimpleDocTemplate(str(pdf), pagesize=A4, leftMargin=50, rightMargin=50).build(story)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run([pdftoppm, "-r", "30", "-gray", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.pgm")).read_bytes()
    # A binary PGM: "P5\n<width> <height>\n255\n" and one byte per pixel.
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", page)
    pixels = page[header.end() :]
    dark = sum(1 for value in pixels if value < 200)
    assert dark > len(pixels) * 0.01, "the page is (nearly) blank"


@pytest.mark.parametrize("sample", ["scaleup", "enterprise"])
def test_every_figure_of_the_samples_is_readable(sample):
    for drawing in all_figures(load(sample_path(sample))):
        assert_readable(drawing)


def test_fonts_register_once():
    assert register_fonts() == register_fonts()
    regular, bold = register_fonts()
    assert regular != bold


# -- text ------------------------------------------------------------------------------------------


@given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80),
    st.floats(min_value=20, max_value=200),
)
@settings(max_examples=150, deadline=None)
def test_wrapping_never_loses_a_character(text, width):
    text = figure_kit._clean(text)
    lines = figure_kit._wrap(text, 8.0, width, 1_000)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("width", [160.0, 260.0])
def test_narrow_figures_stay_readable(width):
    org = load(sample_path("scaleup"))
    for drawing in (
        figures.span_of_control_chart([1, 2, 14, 125], 10, width),
        figures.people_per_product_chart([("Customer Experience Platform Services", 40, 5)], width),
        figures.findings_by_area_chart([("Checkout", {"ownership": 3})], width),
        figures.before_after_chart({"error": 1}, {"error": 0}, width),
        figures.focus_diagram(org, [node.id for node in org.nodes()][:4], {}, width),
        figures.product_overview(org, {}, width),
    ):
        assert_readable(drawing, width)


def test_a_long_word_is_kept_whole_at_a_smaller_size_before_it_is_broken():
    org = make_org([("t", "team", {"name": "Internationalisation"}), ("p", "product", {"name": "Shop"})], "t builds p")
    drawing = figures.focus_diagram(org, ["t"], {}, 100.0)  # too narrow for it at 8.5 pt, not at 7
    assert "Internationalisation" in [s.text for s in strings(drawing)]


def test_a_vacant_card_says_to_hire_even_when_its_title_does_not_fit():
    org = load(sample_path("startup"))
    vacant = next(node for node in org.nodes() if node.vacant)
    drawing = figures.org_chart(org, {}, WIDTH, FRAME_HEIGHT)
    texts = [s.text for s in strings(drawing)]
    assert any(text.startswith("to hire") for text in texts), vacant.title


def test_figures_draw_in_helvetica_when_the_font_files_are_missing(monkeypatch):
    monkeypatch.setattr(figure_kit, "_fonts", lambda: ("Helvetica", "Helvetica-Bold"))
    drawing = figures.people_per_product_chart([("Checkout", 3, 1)], WIDTH)
    assert {s.fontName for s in strings(drawing)} <= {"Helvetica", "Helvetica-Bold"}
    assert "font-family: 'DejaVu Sans', sans-serif" in figures.to_svg(drawing)


def test_the_pdf_report_prints_a_tall_overview_at_full_size_over_several_pages():
    from pypdf import PdfReader

    from planner.report import model
    from planner.report.pdf import render_pdf

    overview = figures.product_overview(big_org(), {}, WIDTH)
    figure = model.Figure("overview", overview, "Products at a glance.", "Overview")
    brief = model.Section("brief", "Brief", (model.Paragraph(model.runs("Short.")),))
    document = model.Document(
        "Report", "", "", "Big", "", "2026-12-07", brief, (model.Section("pictures", "Pictures", (figure,)),)
    )
    reader = PdfReader(__import__("io").BytesIO(render_pdf(document)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 3, "the 60 boxes flow over two pages or more"
    sizes = set()

    def printed_size(text, cm, tm, font, size):
        a, b, c, d = (
            tm[0] * cm[0] + tm[1] * cm[2],
            tm[0] * cm[1] + tm[1] * cm[3],
            tm[2] * cm[0] + tm[3] * cm[2],
            tm[2] * cm[1] + tm[3] * cm[3],
        )
        if text.strip():
            sizes.add(round(size * abs(a * d - b * c) ** 0.5, 1))

    for page in reader.pages:
        page.extract_text(visitor_text=printed_size)
    assert "more products not shown" in text
    assert min(sizes) >= figures.MIN_TEXT_SIZE - 0.05, sorted(sizes)[:5]


def test_a_team_with_two_backlog_owners_is_not_hidden_in_a_bus():
    org = make_org(
        "po:ken po:sofia team:a team:b team:flow team:pay product:p",
        "ken owns_backlog a, ken owns_backlog b, ken owns_backlog flow, sofia owns_backlog flow,"
        " sofia owns_backlog pay, a builds p, b builds p, flow builds p, pay builds p",
    )
    drawing = figures.focus_diagram(org, ["flow", "ken", "sofia"], {"flow": "warning"}, WIDTH)
    teal = HexColor(figures.KIND_COLORS["product_owner"])
    horizontal = [
        line
        for line in shapes(drawing, Line)
        if line.strokeColor == teal and line.y1 == line.y2 and abs(line.x2 - line.x1) > 40
    ]  # not the legend
    assert not horizontal, "no rail: the links into Flow stay two separate lines"


def test_a_focus_on_several_products_keeps_each_products_teams_together():
    # Each product owner holds one team of each product: ordered by their owners alone, the teams would alternate.
    nodes = [("p", "product", {"name": "P"}), ("q", "product", {"name": "Q"})]
    links = []
    for index in range(4):
        nodes.append((f"po{index}", "po", {"name": f"Owner {index}"}))
        for product in ("p", "q"):
            team = f"{product}{index}"
            nodes.append((team, "team", {"name": f"{product.upper()} team {index}"}))
            links += [f"{team} builds {product}", f"po{index} owns_backlog {team}"]
    org = make_org(nodes, ", ".join(links))
    drawing = figures.focus_diagram(org, ["p", "q", "po0", "po1", "po2", "po3"], {}, WIDTH)
    groups = [s.text.split()[0] for s in strings(drawing) if " team " in s.text]
    assert groups in (sorted(groups), sorted(groups, reverse=True)), groups
