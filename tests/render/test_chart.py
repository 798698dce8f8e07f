"""Chart export: valid PNG at the asked dpi, SVG with the names as text, PDF on one page or tiled."""

import math

import pytest
from defusedxml.ElementTree import fromstring
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage

from planner.analysis import analyze
from planner.model.org import Node, Org
from planner.render.chart import SCENE_DPI, ChartError, ChartPicture, export_chart, png_bytes
from planner.synthetic import synthetic_org
from tests.helpers import healthy_org
from tests.report.orgs import HOSTILE_ORG, HOSTILE_TEAM, hostile_org

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"


def _placed_org() -> Org:
    """The healthy org with cards laid out in a row, so that its size is known."""
    org = healthy_org()
    org.move_nodes({node.id: (index * 260.0, (index % 3) * 140.0) for index, node in enumerate(org.nodes())})
    return org


def test_png_is_valid_and_sized_for_the_dpi(qapp, tmp_path):
    org = _placed_org()
    with ChartPicture(org) as picture:
        source = picture.source
    for dpi in (96, 200):
        path = tmp_path / f"chart-{dpi}.png"
        assert export_chart(org, path, dpi=dpi) == 1
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC)
        image = QImage(str(path))
        assert not image.isNull()
        assert image.width() == math.ceil(source.width() * dpi / SCENE_DPI)
        assert image.height() == math.ceil(source.height() * dpi / SCENE_DPI)
        assert round(image.dotsPerMeterX() * 0.0254) == dpi


def test_highlight_rings_cards_in_the_severity_colour(qapp):
    org = Org("One gap")
    org.add_node(Node("t", "dev_team", "Lonely team", x=0.0, y=0.0))
    org.add_node(Node("p", "product", "Product", x=400.0, y=0.0))
    with ChartPicture(org, analyze(org)) as picture:
        image = QImage.fromData(png_bytes(picture, dpi=SCENE_DPI))
        card = picture.scene.node_items["t"].scene_card_rect()
        # The ring runs 6 units outside the card's left edge, at mid height.
        x = round(card.left() - 6 - picture.source.left())
        y = round(card.center().y() - picture.source.top())
    ring = image.pixelColor(x, y)
    error = QColor("#dc2626")
    assert abs(ring.red() - error.red()) < 40 and ring.green() < 90 and ring.blue() < 90
    with ChartPicture(org) as plain:
        untouched = QImage.fromData(png_bytes(plain, dpi=SCENE_DPI)).pixelColor(x, y)
    assert untouched.red() > 200 and untouched.green() > 200


def test_svg_parses_and_names_the_cards(qapp, tmp_path):
    path = tmp_path / "chart.svg"
    export_chart(_placed_org(), path)
    root = fromstring(path.read_bytes())
    assert root.tag == SVG + "svg"
    texts = {"".join(element.itertext()).strip() for element in root.iter(SVG + "text")}
    for node in healthy_org().nodes():
        assert node.label in texts


def test_legend_explains_the_links_shown_and_can_be_left_out(qapp, tmp_path):
    with_key, without_key = tmp_path / "key.svg", tmp_path / "plain.svg"
    export_chart(_placed_org(), with_key)
    export_chart(_placed_org(), without_key, legend=False)

    def texts(path):
        return {"".join(element.itertext()).strip() for element in fromstring(path.read_bytes()).iter(SVG + "text")}

    assert {"owns backlog", "reports to", "aligns with"} <= texts(with_key)
    assert "owns backlog" not in texts(without_key)
    assert "error finding" not in texts(with_key)  # no marks asked for, so no key for them


def test_svg_escapes_hostile_names(qapp, tmp_path):
    path = tmp_path / "hostile.svg"
    export_chart(hostile_org(), path)
    root = fromstring(path.read_bytes())
    assert not list(root.iter(SVG + "script")) and not list(root.iter("script"))
    assert root.find(SVG + "title").text == f"Org chart of {HOSTILE_ORG}"
    texts = " ".join("".join(element.itertext()) for element in root.iter(SVG + "text"))
    assert HOSTILE_TEAM[:12] in texts


def test_pdf_fits_one_page_and_names_the_org(qapp, tmp_path):
    path = tmp_path / "chart.pdf"
    assert export_chart(_placed_org(), path) == 1
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Test org" in text


@pytest.mark.slow
def test_pdf_tiles_a_large_org_over_several_pages(qapp, tmp_path):
    org = synthetic_org(300, seed=3)
    fitted = tmp_path / "fit.pdf"
    tiled = tmp_path / "tiled.pdf"
    assert export_chart(org, fitted) == 1
    pages = export_chart(org, tiled, tiled=True)
    assert pages > 1
    assert len(PdfReader(fitted).pages) == 1
    reader = PdfReader(tiled)
    assert len(reader.pages) == pages
    assert f"page 1 of {pages}" in " ".join(reader.pages[0].extract_text().split())


def test_letter_paper_changes_the_page_size(qapp, tmp_path):
    path = tmp_path / "letter.pdf"
    export_chart(_placed_org(), path, paper="letter")
    box = PdfReader(path).pages[0].mediabox
    assert sorted((round(float(box.width)), round(float(box.height)))) == [612, 792]


def test_export_refuses_unknown_formats_and_huge_images(qapp, tmp_path):
    with pytest.raises(ChartError, match="unknown chart format"):
        export_chart(_placed_org(), tmp_path / "chart.gif")
    with pytest.raises(ChartError, match="lower dpi"):
        export_chart(synthetic_org(300, seed=3), tmp_path / "huge.png", dpi=1200)
    with pytest.raises(ChartError, match="cannot write"):
        export_chart(_placed_org(), tmp_path / "missing" / "chart.svg")


def test_org_without_positions_is_laid_out_and_left_unchanged(qapp, tmp_path):
    org = healthy_org()  # every card at (0, 0)
    before = {node.id: (node.x, node.y) for node in org.nodes()}
    with ChartPicture(org) as picture:
        rects = [item.scene_card_rect() for item in picture.scene.node_items.values()]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :])
    assert {node.id: (node.x, node.y) for node in org.nodes()} == before


def test_closing_the_picture_detaches_it_from_the_org(qapp):
    org = _placed_org()
    picture = ChartPicture(org)
    picture.close()
    org.add_node(Node("late", "stakeholder", "Late"))
    assert "late" not in picture.scene.node_items


def test_empty_org_still_exports(qapp, tmp_path):
    path = tmp_path / "empty.svg"
    export_chart(Org("Nobody"), path)
    assert fromstring(path.read_bytes()).tag == SVG + "svg"


def test_a_chart_too_big_for_150_dpi_comes_out_at_the_largest_dpi_that_fits_and_says_so(qapp, tmp_path):
    from planner.render import chart

    org = _placed_org()
    org.move_nodes({node.id: (index * 4000.0, 0.0) for index, node in enumerate(org.nodes())})
    path, notes = tmp_path / "wide.png", []
    assert export_chart(org, path, notes=notes) == 1
    image = QImage(str(path))
    assert not image.isNull()
    assert image.width() <= chart.AUTO_MAX_SIDE and image.width() * image.height() <= chart.AUTO_MAX_PIXELS
    assert image.width() > chart.AUTO_MAX_SIDE * 0.95 or image.width() * image.height() > chart.AUTO_MAX_PIXELS * 0.9
    dpi = round(image.dotsPerMeterX() * 0.0254)
    assert dpi < chart.DEFAULT_DPI
    assert notes == [
        f"{image.width():,}×{image.height():,} pixels at {notes[0].split(' at ')[1].split(' ')[0]} dpi, "
        f"lowered from 150 dpi to stay within 50 megapixels"
    ]
    with pytest.raises(ChartError, match="lower dpi"):  # a dpi asked for is kept, or refused
        export_chart(org, tmp_path / "asked.png", dpi=300)


def test_a_small_chart_keeps_150_dpi(qapp, tmp_path):
    notes = []
    export_chart(_placed_org(), tmp_path / "small.png", notes=notes)
    assert round(QImage(str(tmp_path / "small.png")).dotsPerMeterX() * 0.0254) == 150
    assert notes[0].endswith("at 150 dpi")


def test_svg_text_falls_back_to_a_generic_sans_serif(qapp, tmp_path):
    path = tmp_path / "chart.svg"
    export_chart(_placed_org(), path)
    families = {
        element.get("font-family") for element in fromstring(path.read_bytes()).iter() if element.get("font-family")
    }
    assert families and all(family.endswith(", sans-serif") for family in families)


def test_a_huge_chart_is_exported_as_blocks_without_an_item_per_card(qapp, tmp_path, monkeypatch):
    """From SKETCH_FROM cards (lowered here) one page shows every card as a block in its kind's colour and every link
    as a hairline, as the editor draws it far away: no card item is made (100,000 of them took 7 minutes and 2 GB
    for one PDF page), the export says so, and tiles keep the named cards."""
    from PySide6.QtCore import QPointF

    from planner.chart.theme import LIGHT
    from planner.layout import layered_layout
    from planner.render import chart

    monkeypatch.setattr(chart, "SKETCH_FROM", 200)
    org = synthetic_org(300, seed=4)
    org.move_nodes(layered_layout(org))
    with ChartPicture(org, analyze(org)) as picture:
        assert picture.sketch and picture.scene.node_items == {}
        image = QImage.fromData(png_bytes(picture, dpi=SCENE_DPI))
        origin = picture.source.topLeft()
        for node in list(org.nodes())[::7]:
            # Left of the card's middle (its corner may carry a finding's badge).
            spot = (QPointF(node.x - 40, node.y) - origin).toPoint()
            seen, kind = image.pixelColor(spot), LIGHT.kind_color(node.kind)
            if not node.vacant:
                assert seen.rgb() == kind.rgb(), node.id
    with ChartPicture(org, sketch=False) as named:
        assert len(named.scene.node_items) == len(org)
    notes = []
    path = tmp_path / "huge.pdf"
    assert export_chart(org, path, notes=notes) == 1
    assert notes == [f"{len(org):,} cards drawn as blocks in their kinds' colours, too many to name on one page"]
    text = " ".join(PdfReader(path).pages[0].extract_text().split())
    names = [node.name for node in org.nodes() if node.kind in ("product_manager", "product_owner")]
    assert org.name in text and names and not any(name in text for name in names)
    tiled = tmp_path / "tiled.pdf"
    pages = export_chart(org, tiled, tiled=True)
    named_text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(tiled).pages)
    assert pages > 1 and sum(name in named_text for name in names) > len(names) / 2


def test_a_huge_chart_as_png_goes_below_ten_dpi_rather_than_fail(qapp, tmp_path, monkeypatch):
    from planner.render import chart

    monkeypatch.setattr(chart, "SKETCH_FROM", 1)
    org = _placed_org()
    org.move_nodes({node.id: (index * 400_000.0, 0.0) for index, node in enumerate(org.nodes())})
    notes = []
    assert export_chart(org, tmp_path / "far.png", notes=notes) == 1
    dpi = float(notes[-1].split(" at ")[1].split(" ")[0])
    assert dpi < chart.MIN_DPI
    assert QImage(str(tmp_path / "far.png")).width() <= chart.AUTO_MAX_SIDE
    monkeypatch.setattr(chart, "SKETCH_FROM", 10**6)
    with pytest.raises(ChartError, match="lower dpi"):  # named cards are not shrunk below 10 dpi
        export_chart(org, tmp_path / "named.png")
