"""GraphML: yEd graphics, plain keys for Gephi and networkx, lossless round trips and hostile XML."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from planner.io import LoadError, graphml, load_org, native, save_org
from planner.io.errors import SaveError
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from planner.model.org import Node
from tests.helpers import healthy_org

Y = "{http://www.yworks.com/xml/graphml}"
G = "{http://graphml.graphdrawing.org/xmlns}"


def detailed_org():
    org = healthy_org()
    org.set_name('Acme "R&D" <org>')
    org.set_profile("less")
    org.update_node("po", title="Senior PO", notes="line one\r\nline two & <b>\ttabbed", vacant=True)
    org.update_node("pm", ignore=["RSK002", "OWN004"], name="Zoë Łukasz")
    org.update_node("t1", size=7, name="")
    org.update_node("sales", scope="internal")
    org.update_node("buyers", scope="external")
    org.move_nodes({"vp": (-120.5, 40), "pm": (300, 200.25), "po": (600, 200)})
    return org


def parsed(org):
    return ET.fromstring(graphml.dumps(org).encode("utf-8"))


def node_element(root, node_id):
    return next(n for n in root.iter(f"{G}node") if n.get("id") == node_id)


def test_round_trip_keeps_every_node_link_and_attribute(tmp_path):
    org = detailed_org()
    save_org(org, tmp_path / "org.graphml")
    assert native.dumps(load_org(tmp_path / "org.graphml", layout=False)) == native.dumps(org)


def test_yed_sees_a_labelled_coloured_card_per_node():
    org = detailed_org()
    root = parsed(org)
    for node in org.nodes():
        shape = node_element(root, node.id).find(f".//{Y}ShapeNode")
        assert shape is not None
        geometry = shape.find(f"{Y}Geometry")
        assert float(geometry.get("width")) == CARD_WIDTH and float(geometry.get("height")) == CARD_HEIGHT
        assert float(geometry.get("x")) == pytest.approx(node.x - CARD_WIDTH / 2)  # yEd places by top-left corner
        assert float(geometry.get("y")) == pytest.approx(node.y - CARD_HEIGHT / 2)
        assert shape.find(f"{Y}Fill").get("color") == graphml.NODE_STYLES[node.kind].fill
        assert shape.find(f"{Y}NodeLabel").text == node.label
    fills = {graphml.NODE_STYLES[kind].fill for kind in graphml.NODE_STYLES}
    assert len(fills) == len(graphml.NODE_STYLES)  # every kind tells itself apart by colour
    border = node_element(root, "po").find(f".//{Y}BorderStyle")
    assert border.get("type") == "dashed"  # a vacant role


def test_yed_sees_an_arrow_and_a_line_style_per_link_kind():
    org = detailed_org()
    root = parsed(org)
    edges = list(root.iter(f"{G}edge"))
    assert len(edges) == org.number_of_links()
    seen = {}
    for edge in edges:
        kind = next(d.text for d in edge.findall(f"{G}data") if d.get("key") == "ekind")
        line = edge.find(f".//{Y}PolyLineEdge")
        assert line.find(f"{Y}Arrows").get("target") == "standard"
        style = line.find(f"{Y}LineStyle")
        seen[kind] = (style.get("type"), style.get("color"))
    assert seen["builds"] == ("dashed", graphml.EDGE_STYLES["builds"].colour)
    assert seen["owns_backlog"][0] == "line" and seen["stakeholder_of"][0] == "dotted"
    assert len(set(seen.values())) == len(seen)


def test_networkx_reads_the_plain_keys_and_the_card_centres():
    org = detailed_org()
    graph = nx.read_graphml(io.BytesIO(graphml.dumps(org).encode("utf-8")), force_multigraph=True)
    assert graph.nodes["pm"]["kind"] == "product_manager"
    assert graph.nodes["pm"]["name"] == "Zoë Łukasz"
    assert (graph.nodes["pm"]["x"], graph.nodes["pm"]["y"]) == (300.0, 200.25)
    assert graph.nodes["t1"]["size"] == 7
    assert {data["kind"] for *_, data in graph.edges(data=True)} == {link.kind for link in org.links()}


def test_reads_a_graph_written_by_networkx():
    graph = nx.MultiDiGraph(name="From networkx", profile="safe")
    graph.add_node("po", kind="product_owner", label="Ann", x=10.0, y=20.0)
    graph.add_node("t", kind="dev_team", name="Rockets", size=5)
    graph.add_edge("po", "t", kind="owns_backlog")
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    org = graphml.loads(buffer.getvalue())
    assert org.name == "From networkx" and org.profile == "safe"
    assert org.node("po").name == "Ann" and (org.node("po").x, org.node("po").y) == (10.0, 20.0)
    assert org.node("t").size == 5 and org.number_of_links() == 1


def test_a_node_drawn_in_yed_without_plain_position_takes_its_card_centre():
    text = f"""<?xml version="1.0"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key id="d0" for="node" attr.name="kind" attr.type="string"/>
  <key id="d1" for="node" yfiles.type="nodegraphics"/>
  <graph edgedefault="directed">
    <node id="n0"><data key="d0">product</data><data key="d1"><y:ShapeNode>
      <y:Geometry x="100" y="50" width="{CARD_WIDTH}" height="{CARD_HEIGHT}"/><y:NodeLabel>Atlas</y:NodeLabel>
    </y:ShapeNode></data></node>
  </graph>
</graphml>"""
    node = graphml.loads(text).node("n0")
    assert (node.name, node.x, node.y) == ("Atlas", 100 + CARD_WIDTH / 2, 50 + CARD_HEIGHT / 2)


def test_nodes_inside_yed_groups_are_read():
    text = """<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="k" for="all" attr.name="kind" attr.type="string"/>
  <graph edgedefault="directed">
    <node id="group"><data key="k">product</data>
      <graph id="group:"><node id="group::t"><data key="k">dev_team</data></node></graph></node>
    <edge source="group::t" target="group"><data key="k">builds</data></edge>
  </graph>
</graphml>"""
    org = graphml.loads(text)
    assert {n.id for n in org.nodes()} == {"group", "group::t"} and org.number_of_links() == 1


def test_missing_kinds_and_bad_values_are_all_reported():
    text = """<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="kind" for="node" attr.name="kind" attr.type="string"/>
  <key id="size" for="node" attr.name="size" attr.type="int"/>
  <key id="ek" for="edge" attr.name="kind" attr.type="string"/>
  <graph edgedefault="directed">
    <node id="a"/>
    <node id="t"><data key="kind">dev_team</data><data key="size">lots</data></node>
    <edge source="t" target="nowhere"><data key="ek">builds</data></edge>
    <edge source="t" target="t"><data key="ek">likes</data></edge>
  </graph>
</graphml>"""
    with pytest.raises(LoadError) as caught:
        graphml.loads(text, "bad.graphml")
    places = [p.where for p in caught.value.problems]
    assert places == ["node 'a'", "node 't'.size", "edge 't' -> 'nowhere'", "edge 't' -> 't'"]
    assert caught.value.summary().startswith("bad.graphml: node 'a': missing the 'kind' data key")


def test_text_xml_cannot_hold_is_refused_on_save(tmp_path):
    org = healthy_org()
    org.update_node("pm", notes="bell \x07")
    with pytest.raises(SaveError, match="'pm'"):
        save_org(org, tmp_path / "org.graphml")


# -- hostile XML -------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="&lol4;"/></graph></graphml>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="&secret;"/></graph></graphml>"""

PLAIN_DTD = """<?xml version="1.0"?>
<!DOCTYPE graphml SYSTEM "http://example.invalid/graphml.dtd">
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph/></graphml>"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY, PLAIN_DTD], ids=["laughs", "external", "dtd"])
def test_dtds_and_entities_are_refused(tmp_path, text):
    path = tmp_path / "hostile.graphml"
    path.write_text(text)
    with pytest.raises(LoadError) as caught:
        load_org(path)
    assert "refused unsafe XML" in caught.value.summary()
    assert str(path) in caught.value.summary()


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.graphml"
    path.write_bytes(b"<graphml>" + b" " * 4096 + b"</graphml>")
    monkeypatch.setattr(graphml, "MAX_GRAPHML_BYTES", 1024)
    with pytest.raises(LoadError, match="over the"):
        load_org(path)
    with pytest.raises(LoadError, match="over the"):
        graphml.loads(path.read_bytes())


def test_malformed_xml_names_line_and_column(tmp_path):
    path = tmp_path / "broken.graphml"
    path.write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n  <graph>\n    <node id="a">\n  </graph>\n'
    )
    with pytest.raises(LoadError) as caught:
        load_org(path)
    problem = caught.value.problems[0]
    assert problem.message.startswith("malformed XML: mismatched tag")
    assert (problem.line, problem.column) == (4, 5)
    assert "line 4, column 5" in caught.value.summary()


def test_a_document_that_is_not_graphml_is_named():
    with pytest.raises(LoadError, match="not GraphML"):
        graphml.loads("<svg/>")


def test_yed_export_survives_a_second_round_trip(tmp_path):
    org = detailed_org()
    org.add_node(Node("extra", "stakeholder", "Legal & <Compliance>", scope="internal"))
    first = graphml.dumps(org)
    assert graphml.dumps(graphml.loads(first)) == first


# -- streamed reading ----------------------------------------------------------------


@pytest.mark.parametrize("sample", ["scaleup", "startup"])
def test_the_streamed_reading_gives_the_org_the_whole_tree_gives(sample):
    from planner.resources import sample_path

    text = graphml.dumps(load_org(sample_path(sample), layout=False)).encode("utf-8")
    streamed = graphml._streamed_org(io.BytesIO(text), None)
    assert native.dumps(streamed) == native.dumps(graphml._tree_org(text, None))


def test_a_file_with_a_link_given_twice_reads_it_once_streamed_as_whole():
    org = detailed_org()
    text = graphml.dumps(org)
    first_edge = text[text.index("    <edge ") : text.index("</edge>") + len("</edge>")]
    doubled = text.replace(first_edge, first_edge + "\n" + first_edge.replace('id="e0"', 'id="e0b"'), 1)
    assert native.dumps(graphml.loads(doubled)) == native.dumps(org)


def test_a_key_declared_after_the_graph_still_applies():
    text = """<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<graph edgedefault="directed"><node id="t"><data key="k">dev_team</data></node></graph>
<key id="k" for="node" attr.name="kind" attr.type="string"/>
</graphml>"""
    assert graphml.loads(text).node("t").kind == "dev_team"


def test_a_node_outside_the_graph_is_left_out_as_before():
    text = """<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key id="k" for="node" attr.name="kind" attr.type="string"/>
<node id="stray"><data key="k">leader</data></node>
<graph edgedefault="directed"><node id="t"><data key="k">dev_team</data></node></graph>
</graphml>"""
    assert [node.id for node in graphml.loads(text).nodes()] == ["t"]


def test_a_large_file_is_read_in_much_less_memory_than_the_file_itself(tmp_path):
    import tracemalloc

    from planner.synthetic import synthetic_org

    path = tmp_path / "org.graphml"
    graphml.save(synthetic_org(3000, seed=3), path)
    tracemalloc.start()
    try:
        graphml.load(path)
        org_and_reading = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The whole tree alone took ten times the file; streamed, the org itself is most of what is held.
    assert org_and_reading < path.stat().st_size, (org_and_reading, path.stat().st_size)
