"""draw.io both ways: the chart with the editor's look, and files edited in draw.io read back."""

from __future__ import annotations

import base64
import urllib.parse
import xml.etree.ElementTree as ET
import zlib

import pytest

from planner.cli import main
from planner.io import LoadError, drawio, load_org, native, save_org
from planner.io.chart_style import KIND_COLORS, LINK_LOOKS
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from planner.resources import resource_path
from tests.helpers import healthy_org
from tests.io.test_graphml import detailed_org


def compress(page_xml: str) -> str:
    """A page packed as draw.io packs it: URL-encoded, raw-deflated, base64."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(urllib.parse.quote(page_xml, safe="~()*!.'").encode("ascii")) + packer.flush()
    return base64.b64encode(packed).decode("ascii")


def edited(text: str, before: str, after: str) -> str:
    assert before in text, before
    return text.replace(before, after, 1)


def model_of(text: str) -> str:
    return text[text.index("<mxGraphModel") : text.index("</mxGraphModel>") + len("</mxGraphModel>")]


@pytest.mark.parametrize("sample", ["startup.json", "scaleup.json", "enterprise.json"])
def test_round_trip_keeps_ids_kinds_names_and_positions(sample):
    org = load_org(resource_path("samples", sample))
    assert native.dumps(drawio.loads(drawio.dumps(org))) == native.dumps(org)


def test_round_trip_of_every_attribute_and_hostile_text():
    org = detailed_org()
    back = drawio.loads(drawio.dumps(org))
    assert native.dumps(back) == native.dumps(org)


def test_one_vertex_per_card_and_one_edge_per_link_with_their_data():
    org = healthy_org()
    root = ET.fromstring(drawio.dumps(org))
    assert root.tag == "mxfile" and root.get("compressed") == "false"
    objects = list(root.iter("object"))
    vertices = [o for o in objects if o.find("mxCell").get("vertex") == "1"]
    edges = [o for o in objects if o.find("mxCell").get("edge") == "1"]
    assert len(vertices) == len(org) and len(edges) == org.number_of_links()
    po = next(v for v in vertices if v.get("planner_id") == "po")
    node = org.node("po")
    assert po.get("kind") == "product_owner"
    assert po.get("label") == f"{node.name}\n{node.title}" if node.title else node.name
    style = drawio.parse_style(po.find("mxCell").get("style"))
    assert style["strokeColor"] == KIND_COLORS["product_owner"] and style["rounded"] == "1"
    geometry = po.find("mxCell/mxGeometry")
    assert float(geometry.get("x")) == node.x - CARD_WIDTH / 2 and float(geometry.get("y")) == node.y - CARD_HEIGHT / 2
    reports = next(e for e in edges if e.get("kind") == "reports_to")
    style = drawio.parse_style(reports.find("mxCell").get("style"))
    assert (
        style["dashed"] == "1"
        and style["dashPattern"] == "6 4"
        and style["strokeColor"] == LINK_LOOKS["reports_to"].color
    )
    product = next(v for v in vertices if v.get("kind") == "product")
    assert drawio.parse_style(product.find("mxCell").get("style"))["shape"] == "hexagon"


def test_a_compressed_page_edited_in_drawio_reads_back():
    org = healthy_org()
    text = drawio.dumps(org)
    model = model_of(text)
    packed = text.replace(model, compress(model))
    assert "<mxCell" not in packed
    assert native.dumps(drawio.loads(packed)) == native.dumps(org)


def test_a_card_moved_and_renamed_in_drawio_html_label_included():
    org = healthy_org()
    node = org.node("po")
    text = drawio.dumps(org)
    start = text.index('planner_id="po"')
    chunk = text[text.rindex("<object", 0, start) : text.index("</object>", start)]
    changed = chunk.replace(f'x="{drawio._number(node.x - CARD_WIDTH / 2)}"', 'x="1000"')
    changed = changed.replace("html=0", "html=1")
    label = drawio._attr(drawio.label_of(node), "")
    changed = changed.replace(f"label={label}", 'label="Renée &amp;lt;Ops&amp;gt;&lt;br&gt;Lead PO"')
    back = drawio.loads(text.replace(chunk, changed))
    moved = back.node("po")
    assert (moved.name, moved.title, moved.x, moved.y) == ("Renée <Ops>", "Lead PO", 1000 + CARD_WIDTH / 2, node.y)


def test_a_card_drawn_in_drawio_with_a_planner_style_keeps_its_kind():
    org = healthy_org()
    text = drawio.dumps(org)
    new_card = (
        '<mxCell id="drawn1" value="Nia Kaur" style="rounded=1;strokeColor=#0e7490;fillColor=#ffffff;" vertex="1" '
        'parent="1"><mxGeometry x="100" y="100" width="160" height="60" as="geometry"/></mxCell>'
        f'<mxCell id="drawn2" value="Team X" style="{drawio.node_style(org.node("t1"))}" vertex="1" parent="1">'
        '<mxGeometry x="400" y="100" width="200" height="72" as="geometry"/></mxCell>'
        # A connector drawn between them: only one link kind joins a product owner to a team.
        '<mxCell id="c1" edge="1" parent="1" source="drawn1" target="drawn2" style="endArrow=block;">'
        '<mxGeometry relative="1" as="geometry"/></mxCell>'
    )
    back = drawio.loads(edited(text, "      </root>", new_card + "      </root>"))
    assert (back.node("drawn1").kind, back.node("drawn1").name) == ("product_owner", "Nia Kaur")
    assert (back.node("drawn1").x, back.node("drawn1").y) == (180, 130)
    assert back.node("drawn2").kind == "dev_team"
    assert back.has_link(("drawn1", "drawn2", "owns_backlog"))


def test_a_card_copied_in_drawio_becomes_a_new_card():
    org = healthy_org()
    text = drawio.dumps(org)
    start = text.index('planner_id="po"')
    chunk = text[text.rindex("<object", 0, start) : text.index("</object>", start) + len("</object>")]
    cell_id = ET.fromstring(chunk).get("id")
    copy = chunk.replace(f'id="{cell_id}"', 'id="copy1"', 1)
    back = drawio.loads(edited(text, "      </root>", copy + "      </root>"))
    assert back.node("po").kind == back.node("copy1").kind == "product_owner"
    assert len(back) == len(org) + 1


def test_what_cannot_be_placed_is_reported_by_cell_id():
    text = drawio.dumps(healthy_org())
    extra = (
        '<mxCell id="note7" value="remember to hire" style="text;html=1;" vertex="1" parent="1">'
        '<mxGeometry x="0" y="0" width="80" height="20" as="geometry"/></mxCell>'
        '<mxCell id="loose3" edge="1" parent="1" source="n0" style=""><mxGeometry relative="1" as="geometry"/></mxCell>'
        '<object id="odd" kind="wizard" label="Merlin"><mxCell vertex="1" parent="1" style="">'
        '<mxGeometry x="0" y="0" width="80" height="20" as="geometry"/></mxCell></object>'
    )
    with pytest.raises(LoadError) as caught:
        drawio.loads(edited(text, "      </root>", extra + "      </root>"), "chart.drawio")
    places = [problem.where for problem in caught.value.problems]
    assert places == ["cell 'note7' ('remember to hire')", "cell 'odd' ('Merlin')", "cell 'loose3'"]
    assert "no planner kind" in caught.value.problems[0].message
    assert "unknown kind 'wizard'" in caught.value.problems[1].message
    assert "not attached to a card at its target" in caught.value.problems[2].message
    assert caught.value.summary().startswith("chart.drawio: cell 'note7'")


def test_an_ambiguous_connector_without_a_kind_is_reported():
    text = drawio.dumps(healthy_org())
    root = ET.fromstring(text)
    cells = {o.get("planner_id"): o.get("id") for o in root.iter("object") if o.get("planner_id")}
    connector = (
        f'<mxCell id="c9" edge="1" parent="1" source="{cells["po"]}" target="{cells["pm"]}" style="">'
        '<mxGeometry relative="1" as="geometry"/></mxCell>'
    )
    with pytest.raises(LoadError, match="cell 'c9': a connector with no link kind between product_owner and"):
        drawio.loads(edited(text, "      </root>", connector + "      </root>"))


def test_cards_inside_a_drawio_group_are_placed_absolutely():
    page = (
        '<mxfile><diagram name="Team chart"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>'
        '<mxCell id="g" style="group" vertex="1" parent="1"><mxGeometry x="500" y="300" width="400" height="100" '
        'as="geometry"/></mxCell>'
        '<object id="a" label="Ana" kind="product_owner"><mxCell vertex="1" parent="g" style="">'
        '<mxGeometry x="10" y="20" width="200" height="72" as="geometry"/></mxCell></object>'
        "</root></mxGraphModel></diagram></mxfile>"
    )
    org = drawio.loads(page)
    assert org.name == "Team chart"
    assert (org.node("a").x, org.node("a").y) == (610, 356)


def test_a_second_page_is_reported_not_dropped():
    text = drawio.dumps(healthy_org())
    two = edited(text, "</mxfile>", '<diagram name="Notes"><mxGraphModel><root/></mxGraphModel></diagram></mxfile>')
    with pytest.raises(LoadError, match="page 'Notes': only the first page is read"):
        drawio.loads(two)


@pytest.mark.parametrize(
    "text, message",
    [
        ('<!DOCTYPE x [<!ENTITY a "aaaa">]><mxfile/>', "refused unsafe XML"),
        ("<mxfile><diagram>not base64!</diagram></mxfile>", "not base64"),
        ("<mxfile><diagram>/////w==</diagram></mxfile>", "does not inflate"),
        ("<graphml/>", "not a draw.io file"),
        ("<mxfile><diagram", "malformed XML"),
    ],
)
def test_hostile_or_broken_files_are_refused_with_a_reason(text, message):
    with pytest.raises(LoadError, match=message):
        drawio.loads(text)


def test_a_compressed_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(drawio, "MAX_DRAWIO_BYTES", 10_000)
    bomb = "<mxfile><diagram>" + compress("<mxGraphModel>" + " " * 50_000 + "</mxGraphModel>") + "</diagram></mxfile>"
    with pytest.raises(LoadError, match="unpacks to more than"):
        drawio.loads(bomb)


def test_convert_both_ways_through_the_command_line(capsys, tmp_path):
    source = resource_path("samples", "scaleup.json")
    chart = tmp_path / "chart.drawio"
    assert main(["convert", str(source), str(chart)]) == 0
    assert main(["export", str(source), "-o", str(tmp_path / "export.drawio")]) == 0
    assert (tmp_path / "export.drawio").read_text() == chart.read_text()
    assert main(["convert", str(chart), str(tmp_path / "back.json")]) == 0
    assert native.dumps(load_org(tmp_path / "back.json")) == native.dumps(load_org(source))
    broken = tmp_path / "broken.drawio"
    broken.write_text("<mxfile><diagram>###</diagram></mxfile>")
    assert main(["convert", str(broken), str(tmp_path / "x.json")]) == 2
    assert "broken.drawio" in capsys.readouterr().err


def test_save_org_writes_drawio_by_extension(tmp_path):
    save_org(healthy_org(), tmp_path / "org.drawio")
    assert (tmp_path / "org.drawio").read_text().startswith("<mxfile")


def test_chart_style_copies_the_editor_theme():
    from planner.chart import theme
    from planner.io.chart_style import LINE_COLOR

    assert KIND_COLORS == theme._KIND_COLORS_LIGHT
    for kind, style in theme.LINK_STYLES.items():
        look = LINK_LOOKS[kind]
        colour = LINE_COLOR if style.color_kind is None else KIND_COLORS[style.color_kind]
        assert (look.color, look.dashes, look.width, look.head) == (colour, style.dashes, style.width, style.head)


def test_export_never_writes_over_a_drawio_file_but_convert_does(tmp_path, capsys):
    source = str(resource_path("samples", "startup.json"))
    chart = tmp_path / "chart.drawio"
    assert main(["export", source, "-o", str(chart)]) == 0
    assert main(["export", source, "-o", str(chart)]) == 2
    assert "refusing to write over an org file" in capsys.readouterr().err
    assert main(["convert", source, str(chart)]) == 0


def test_a_userobject_made_by_edit_data_in_drawio_is_read():
    # draw.io wraps a plain shape in a <UserObject> once a property is added with Edit Data.
    page = (
        '<mxfile host="app.diagrams.net"><diagram id="p1" name="Page-1"><mxGraphModel><root>'
        '<mxCell id="0"/><mxCell id="1" parent="0"/>'
        '<UserObject label="Nia Kaur&lt;br&gt;PO, Checkout" kind="product_owner" id="u1">'
        '<mxCell style="rounded=1;whiteSpace=wrap;html=1;" vertex="1" parent="1">'
        '<mxGeometry x="40" y="60" width="120" height="60" as="geometry"/></mxCell></UserObject>'
        '<UserObject label="Checkout" kind="dev_team" size="7" id="u2">'
        '<mxCell style="whiteSpace=wrap;html=1;" vertex="1" parent="1">'
        '<mxGeometry x="40" y="260" width="120" height="60" as="geometry"/></mxCell></UserObject>'
        '<mxCell id="e1" style="edgeStyle=orthogonalEdgeStyle;html=1;" edge="1" parent="1" source="u1" target="u2">'
        '<mxGeometry relative="1" as="geometry"/></mxCell>'
        "</root></mxGraphModel></diagram></mxfile>"
    )
    org = drawio.loads(page)
    po, team = org.node("u1"), org.node("u2")
    assert (po.kind, po.name, po.title, po.x, po.y) == ("product_owner", "Nia Kaur", "PO, Checkout", 100, 90)
    assert (team.kind, team.size) == ("dev_team", 7)
    assert org.has_link(("u1", "u2", "owns_backlog"))


def test_round_trip_drawio_to_planner_to_drawio_keeps_ids_kinds_names_and_positions():
    org = load_org(resource_path("samples", "scaleup.json"))
    text = drawio.dumps(org)
    assert drawio.dumps(drawio.loads(text)) == text  # the planner's own file comes back byte for byte
    # A file edited in draw.io: a card drawn there, then a connector to it.
    drawn = (
        f'<mxCell id="drawn1" value="Nia Kaur&#10;Product Owner" style="{drawio.node_style(org.node("po-ken"))}" '
        'vertex="1" parent="1"><mxGeometry x="1000" y="40" width="200" height="72" as="geometry"/></mxCell>'
    )
    first = drawio.loads(edited(text, "      </root>", drawn + "      </root>"))
    again = drawio.loads(drawio.dumps(first))
    assert native.dumps(again) == native.dumps(first)
    assert sorted((n.id, n.kind, n.name, n.title, n.x, n.y) for n in again.nodes()) == sorted(
        (n.id, n.kind, n.name, n.title, n.x, n.y) for n in first.nodes()
    )
    assert (again.node("drawn1").kind, again.node("drawn1").x) == ("product_owner", 1100)


def test_a_card_deleted_in_drawio_leaves_loose_connectors_named_by_the_card_they_still_touch():
    # Delete in draw.io removes the shape and keeps its connectors, loose at that end.
    org = healthy_org()
    text = drawio.dumps(org)
    start = text.index('planner_id="po"')
    chunk = text[text.rindex("<object", 0, start) : text.index("</object>", start) + len("</object>")]
    deleted = text.replace(chunk, "")
    with pytest.raises(LoadError) as caught:
        drawio.loads(deleted, "chart.drawio")
    touching = [link for link in org.links() if "po" in (link.source, link.target)]
    assert len(caught.value.problems) == len(touching)
    for problem in caught.value.problems:
        assert problem.where.startswith("cell '")
        assert "not attached to a card" in problem.message and "Ctrl+Delete" in problem.message
    outgoing = next(link for link in touching if link.source == "po")
    other = org.node(outgoing.target).label
    assert any(f"(to {other!r}) not attached to a card at its source" in p.message for p in caught.value.problems)


@pytest.mark.parametrize(
    "label",
    [
        "Nia Kaur&lt;div&gt;Product Owner&lt;/div&gt;",  # what draw.io writes when Enter is pressed in the label
        "&lt;div&gt;Nia Kaur&lt;/div&gt;&lt;div&gt;&lt;br&gt;&lt;/div&gt;&lt;div&gt;Product Owner&lt;/div&gt;",
        "&lt;span style=&quot;font-size: 14px&quot;&gt;Nia Kaur&lt;/span&gt;&lt;p&gt;Product Owner&lt;/p&gt;",
    ],
)
def test_an_html_label_typed_on_two_lines_in_drawio_gives_name_and_title(label):
    page = (
        '<mxfile><diagram name="p"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>'
        f'<object id="a" label="{label}" kind="product_owner"><mxCell vertex="1" parent="1" style="html=1;">'
        '<mxGeometry x="0" y="0" width="200" height="72" as="geometry"/></mxCell></object>'
        "</root></mxGraphModel></diagram></mxfile>"
    )
    node = drawio.loads(page).node("a")
    assert (node.name, node.title) == ("Nia Kaur", "Product Owner")


def test_a_container_drawn_around_cards_is_reported_with_how_to_keep_the_cards():
    page = (
        '<mxfile><diagram name="p"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>'
        '<mxCell id="lane" value="Payments tribe" style="swimlane;container=1;" vertex="1" parent="1">'
        '<mxGeometry x="0" y="0" width="400" height="200" as="geometry"/></mxCell>'
        '<object id="a" label="Ana" kind="product_owner"><mxCell vertex="1" parent="lane" style="">'
        '<mxGeometry x="10" y="40" width="200" height="72" as="geometry"/></mxCell></object>'
        "</root></mxGraphModel></diagram></mxfile>"
    )
    with pytest.raises(LoadError) as caught:
        drawio.loads(page)
    (problem,) = caught.value.problems
    assert problem.where == "cell 'lane' ('Payments tribe')"
    assert "drag its cards out of it or use Arrange > Ungroup, then delete it" in problem.message


def _org_with_matrix():
    org = healthy_org()
    org.set_duty("p", "pricing", "po", "C")
    org.set_duty("p", "sprint_goals", "vp", "I")
    return org


def test_a_products_own_responsibility_matrix_survives_the_round_trip():
    org = _org_with_matrix()
    text = drawio.dumps(org)
    again = drawio.loads(text)
    assert again.saved_duties() == org.saved_duties() and again.follows_links("p") is False
    assert native.dumps(again) == native.dumps(org)
    assert drawio.dumps(again) == text


def test_a_matrix_naming_a_person_deleted_in_drawio_is_reported_on_the_products_card():
    org = _org_with_matrix()
    text = drawio.dumps(org)
    start = text.index('planner_id="vp"')
    chunk = text[text.rindex("<object", 0, start) : text.index("</object>", start) + len("</object>")]
    # The person's card and every connector to it deleted (Ctrl+Delete).
    root = ET.fromstring(text.replace(chunk, ""))
    vp_cell = ET.fromstring(chunk).get("id")
    graph = root.find("diagram/mxGraphModel/root")
    for element in list(graph):
        cell = element if element.tag == "mxCell" else element.find("mxCell")
        if cell is not None and vp_cell in (cell.get("source"), cell.get("target")):
            graph.remove(element)
    with pytest.raises(LoadError) as caught:
        drawio.loads(ET.tostring(root, encoding="unicode"))
    (problem,) = caught.value.problems
    product_cell = next(o.get("id") for o in ET.fromstring(text).iter("object") if o.get("planner_id") == "p")
    assert problem.where == f"cell '{product_cell}' ('{org.node('p').name}').duties"
    assert problem.message.startswith("duties unusable: ") and "vp" in problem.message
