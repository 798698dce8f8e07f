"""GraphML in and out, for yEd, Gephi and networkx alike.

Writing gives every node plain data keys (``kind``, ``name``, ``title``,
``x``, ``y``...) that Gephi and networkx read as attributes, and, beside
them, yFiles graphics (a ``y:ShapeNode`` sized like a card, filled with its
kind's colour and labelled with its name; a ``y:PolyLineEdge`` with an arrow
and a line style per link kind) so that yEd shows a readable chart with no
property mapping. Reading uses only the plain keys; the yFiles data is a
fallback for a node's name and position when the plain keys are missing. The
XML is untrusted: it is size-checked and parsed with defusedxml (no DTD, no
entity expansion, no external references), and the tree is read directly
rather than through networkx, whose reader would let yEd's top-left geometry
overwrite the plain ``x`` and ``y``.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from planner.io.errors import InvalidFormatError, LoadError, Problem, SaveError, shortened
from planner.io.native import (
    MAX_FILE_BYTES,
    node_record,
    read_bytes_capped,
    refuse_special_file,
    set_saved_duties,
    write_atomically,
)
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from planner.model.org import Link, ModelError, Node, Org, make_node, validate_node_value
from planner.model.vocabulary import DEFAULT_PROFILE, LINK_KINDS, NODE_KINDS, PROFILES

#: GraphML files are verbose; they are still capped to keep memory in check.
MAX_GRAPHML_BYTES = MAX_FILE_BYTES

NS_GRAPHML = "http://graphml.graphdrawing.org/xmlns"
NS_Y = "http://www.yworks.com/xml/graphml"
NS_YED = "http://www.yworks.com/xml/yed/3"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA = f"{NS_GRAPHML} http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd"


class NodeStyle(NamedTuple):
    """How yEd draws a node kind: fill and border colours and the shape."""

    fill: str
    border: str
    shape: str


class EdgeStyle(NamedTuple):
    """How yEd draws a link kind: line colour, yEd line type and width."""

    colour: str
    line: str
    width: float


#: One style per node kind; people are rounded cards, teams square, products hexagons, stakeholders ellipses.
NODE_STYLES: dict[str, NodeStyle] = {
    "leader": NodeStyle("#DCD3F2", "#5B4B9A", "roundrectangle"),
    "product_manager": NodeStyle("#CFE3F7", "#2F6DA8", "roundrectangle"),
    "product_owner": NodeStyle("#D4EFD9", "#2E8540", "roundrectangle"),
    "dev_team": NodeStyle("#FFF0C7", "#A87900", "rectangle"),
    "product": NodeStyle("#FAD9CC", "#C0502A", "hexagon"),
    "stakeholder": NodeStyle("#E6E6E6", "#666666", "ellipse"),
}

#: One style per link kind; ownership is drawn bold, collaboration dashed, stakes dotted.
EDGE_STYLES: dict[str, EdgeStyle] = {
    "reports_to": EdgeStyle("#707070", "line", 1.0),
    "owns_strategy": EdgeStyle("#2F6DA8", "line", 2.5),
    "owns_backlog": EdgeStyle("#2E8540", "line", 2.5),
    "builds": EdgeStyle("#A87900", "dashed", 1.5),
    "stakeholder_of": EdgeStyle("#666666", "dotted", 1.0),
    "engages": EdgeStyle("#5B4B9A", "dotted", 1.5),
    "aligns_with": EdgeStyle("#2F6DA8", "dashed_dotted", 1.5),
}

#: Node data keys: (key id, attribute name, GraphML type), in the order they are written.
_NODE_KEYS = (
    ("kind", "kind", "string"),
    ("name", "name", "string"),
    ("title", "title", "string"),
    ("notes", "notes", "string"),
    ("x", "x", "double"),
    ("y", "y", "double"),
    ("vacant", "vacant", "boolean"),
    ("size", "size", "int"),
    ("scope", "scope", "string"),
    ("ignore", "ignore", "string"),
)

_INT_FIELDS = {"size"}
_FLOAT_FIELDS = {"x", "y"}
_BOOL_FIELDS = {"vacant"}
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# -- writing -----------------------------------------------------------------


def _storable(value: str, where: str) -> str:
    if _NOT_IN_XML.search(value):
        raise SaveError(f"{where} holds a control character that GraphML cannot store")
    return value


#: xml.sax.saxutils's escapes, imported by the first :func:`dumps`: the module brings urllib, http and ssl
#: with it (7 MB), which a command that only reads (``planner check``) has no use for.
escape: Any = None
quoteattr: Any = None


def writing_escapes() -> None:
    """Import the escapes the writers use (see :data:`escape`), once."""
    global escape, quoteattr  # noqa: PLW0603 (bound once, on the first write)
    if quoteattr is None:
        from xml.sax.saxutils import escape, quoteattr


def _text(value: str, where: str) -> str:
    # A bare carriage return would be folded into a newline by any XML reader.
    return escape(_storable(value, where)).replace("\r", "&#13;")


def _attr(value: str, where: str) -> str:
    return quoteattr(_storable(value, where), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _number(value: float) -> str:
    value = round(value, 2)
    return str(int(value)) if value.is_integer() else str(value)


def _node_lines(node: Node) -> list[str]:
    where = f"node {node.id!r}"
    style = NODE_STYLES[node.kind]
    border = "dashed" if node.vacant else "line"
    # The graphics come first: networkx turns yEd's geometry into x and y, and
    # the plain keys after it then win with the card centre.
    lines = [
        f"    <node id={_attr(node.id, where)}>",
        '      <data key="ng">',
        "        <y:ShapeNode>",
        f'          <y:Geometry height="{_number(CARD_HEIGHT)}" width="{_number(CARD_WIDTH)}" '
        f'x="{_number(node.x - CARD_WIDTH / 2)}" y="{_number(node.y - CARD_HEIGHT / 2)}"/>',
        f'          <y:Fill color="{style.fill}" transparent="false"/>',
        f'          <y:BorderStyle color="{style.border}" type="{border}" width="1.5"/>',
        '          <y:NodeLabel alignment="center" autoSizePolicy="content" fontFamily="Dialog" fontSize="13" '
        'fontStyle="plain" hasBackgroundColor="false" hasLineColor="false" modelName="internal" '
        f'modelPosition="c" textColor="#1A1A1A" visible="true">{_text(node.label, where)}</y:NodeLabel>',
        f'          <y:Shape type="{style.shape}"/>',
        "        </y:ShapeNode>",
        "      </data>",
    ]
    record = node_record(node)
    for key_id, name, _ in _NODE_KEYS:
        if name not in record:
            continue
        value = record[name]
        if name == "ignore":
            value = ",".join(value)
        elif name == "vacant":
            value = "true" if value else "false"
        elif isinstance(value, (int, float)):
            value = str(value)
        lines.append(f'      <data key="{key_id}">{_text(value, where)}</data>')
    lines.append("    </node>")
    return lines


def _edge_lines(index: int, link: Link) -> list[str]:
    where = f"link {link.source} -> {link.target}"
    style = EDGE_STYLES[link.kind]
    return [
        f'    <edge id="e{index}" source={_attr(link.source, where)} target={_attr(link.target, where)}>',
        f'      <data key="ekind">{link.kind}</data>',
        '      <data key="eg">',
        "        <y:PolyLineEdge>",
        '          <y:Path sx="0.0" sy="0.0" tx="0.0" ty="0.0"/>',
        f'          <y:LineStyle color="{style.colour}" type="{style.line}" width="{style.width}"/>',
        '          <y:Arrows source="none" target="standard"/>',
        '          <y:EdgeLabel alignment="center" fontFamily="Dialog" fontSize="10" fontStyle="plain" '
        'hasBackgroundColor="false" hasLineColor="false" modelName="centered" modelPosition="center" '
        f'preferredPlacement="anywhere" ratio="0.5" textColor="#4D4D4D" visible="true">'
        f"{LINK_KINDS[link.kind].label}</y:EdgeLabel>",
        '          <y:BendStyle smoothed="false"/>',
        "        </y:PolyLineEdge>",
        "      </data>",
        "    </edge>",
    ]


def dumps(org: Org) -> str:
    """GraphML text of the org: plain keys for Gephi and networkx, yFiles graphics for yEd, in a stable order."""
    writing_escapes()
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        f'<graphml xmlns="{NS_GRAPHML}" xmlns:xsi="{NS_XSI}" xmlns:y="{NS_Y}" xmlns:yed="{NS_YED}" '
        f'xsi:schemaLocation="{_SCHEMA}">',
        '  <key id="gname" for="graph" attr.name="name" attr.type="string"/>',
        '  <key id="gprofile" for="graph" attr.name="profile" attr.type="string"/>',
    ]
    lines += [
        f'  <key id="{key_id}" for="node" attr.name="{name}" attr.type="{kind}"/>' for key_id, name, kind in _NODE_KEYS
    ]
    lines += [
        '  <key id="ng" for="node" yfiles.type="nodegraphics"/>',
        '  <key id="ekind" for="edge" attr.name="kind" attr.type="string"/>',
        '  <key id="eg" for="edge" yfiles.type="edgegraphics"/>',
        '  <graph id="G" edgedefault="directed">',
        f'    <data key="gname">{_text(org.name, "the org name")}</data>',
        f'    <data key="gprofile">{org.profile}</data>',
    ]
    if org.profile_settings:  # a profile file's settings, as the native file's JSON object
        settings = _text(json.dumps(org.profile_settings, ensure_ascii=False, sort_keys=True), "the profile settings")
        lines.insert(4, '  <key id="gprofilesettings" for="graph" attr.name="profile_settings" attr.type="string"/>')
        lines.append(f'    <data key="gprofilesettings">{settings}</data>')
    duties = org.saved_duties()
    if duties:  # the products' own responsibility matrices, as the native file's JSON object
        lines.insert(4, '  <key id="gduties" for="graph" attr.name="duties" attr.type="string"/>')
        lines.append(f'    <data key="gduties">{_text(json.dumps(duties, ensure_ascii=False), "the duties")}</data>')
    for node in sorted(org.nodes(), key=lambda n: n.id):
        lines += _node_lines(node)
    for index, link in enumerate(sorted(org.links(), key=lambda link: link.key)):
        lines += _edge_lines(index, link)
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines)


def save(org: Org, path: str | Path) -> None:
    write_atomically(path, dumps(org))


# -- reading -----------------------------------------------------------------


def _parse_tree(raw: bytes, path: str | Path | None) -> ET.Element:
    try:
        return SafeET.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InvalidFormatError(path, Problem(f"refused unsafe XML ({type(exc).__name__})")) from None
    except LookupError as exc:  # expat's word for an encoding it does not know, named in the XML declaration
        raise InvalidFormatError(path, Problem(f"malformed XML: {exc}", 1)) from None
    except ET.ParseError as exc:
        line, column = exc.position
        message = str(exc).split(":")[0]
        raise InvalidFormatError(path, Problem(f"malformed XML: {message}", line, column + 1)) from None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _coerce(name: str, value: str, where: str, problems: list[Problem]) -> Any:
    try:
        converted: Any = value
        if name in _INT_FIELDS:
            stripped = value.strip()
            converted = (
                (int(float(stripped)) if float(stripped).is_integer() else float(stripped)) if stripped else None
            )
        elif name in _FLOAT_FIELDS:
            converted = float(value)
        elif name in _BOOL_FIELDS:
            lowered = value.strip().lower()
            if lowered not in ("true", "false", "1", "0", ""):
                raise ValueError("expected true or false")
            converted = lowered in ("true", "1")
        elif name == "ignore":
            converted = [code.strip() for code in value.replace(";", ",").split(",") if code.strip()]
        elif name == "scope":
            converted = value.strip() or None
        return validate_node_value(name, converted)
    except (ValueError, OverflowError, ModelError) as exc:
        problems.append(Problem(f"bad value {shortened(value)}: {exc}", where=f"{where}.{name}"))
        return None


class _Keys:
    """The ``<key>`` declarations: which data element means which attribute, and the defaults."""

    def __init__(self, root: ET.Element | None = None, declarations: list[ET.Element] | None = None) -> None:
        self.names: dict[tuple[str, str], str] = {}
        self.defaults: dict[str, dict[str, str]] = {"graph": {}, "node": {}, "edge": {}}
        for key in _children(root, "key") if root is not None else declarations or []:
            key_id, domain = key.get("id"), key.get("for", "all")
            name = key.get("attr.name")
            if key_id is None or name is None or key.get("yfiles.type"):
                continue
            for target in ("graph", "node", "edge") if domain == "all" else (domain,):
                self.names[(target, key_id)] = name
                default = _children(key, "default")
                if default and target in self.defaults:
                    self.defaults[target][name] = default[0].text or ""

    def data(self, element: ET.Element, domain: str) -> dict[str, str]:
        values = dict(self.defaults.get(domain, {}))
        for data in _children(element, "data"):
            name = self.names.get((domain, data.get("key", "")))
            if name is not None and len(data) == 0:
                values[name] = data.text or ""
        return values


def _yfiles_fallback(element: ET.Element) -> dict[str, Any]:
    """Name and centre from yEd's graphics, for files drawn in yEd without the plain keys."""
    found: dict[str, Any] = {}
    for descendant in element.iter():
        name = _local(descendant.tag)
        if name == "NodeLabel" and "label" not in found and (descendant.text or "").strip():
            found["label"] = descendant.text.strip()
        elif name == "Geometry" and "centre" not in found:
            try:
                x, y = float(descendant.get("x", "")), float(descendant.get("y", ""))
                width, height = float(descendant.get("width", "0")), float(descendant.get("height", "0"))
            except ValueError:
                continue
            found["centre"] = (x + width / 2, y + height / 2)
    return found


def _graph_nodes(graph: ET.Element) -> list[ET.Element]:
    # yEd groups hold a nested <graph> inside a <node>; their members are org nodes too.
    return [element for element in graph.iter() if _local(element.tag) == "node"]


def loads(raw: bytes | str, path: str | Path | None = None) -> Org:
    """Build an org from GraphML text; raise :class:`LoadError` listing every problem."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_GRAPHML_BYTES:
        raise LoadError(path, f"the file is over the {MAX_GRAPHML_BYTES / 2**20:.0f} MiB limit")
    try:
        return graphml_stream.streamed_org(io.BytesIO(raw), path)
    except graphml_stream.NeedsTree:
        return _tree_org(raw, path)


def _tree_org(raw: bytes, path: str | Path | None) -> Org:
    """The org of a document read whole, as a tree: what names every problem of a file, and reads yEd's groups."""
    root, graph = _root_and_graph(raw, path)
    keys = _Keys(root)
    problems: list[Problem] = []
    meta = keys.data(graph, "graph")
    org = _new_org(meta, path, problems)
    refused = _read_nodes(org, graph, keys, problems)
    _read_edges(org, graph, keys, problems, refused)
    if meta.get("duties") and not problems:
        try:
            problems += set_saved_duties(org, json.loads(meta["duties"]), "graph.duties")
        except ValueError as exc:
            problems.append(Problem(f"duties unusable: {exc}", where="graph.duties"))
    if any(_local(e.tag) == "hyperedge" for e in graph.iter()):
        problems.append(Problem("hyperedges cannot be read; join pairs of nodes with <edge> instead", where="graph"))
    if problems:
        raise InvalidFormatError(path, problems)
    return org


def _root_and_graph(raw: bytes | str, path: str | Path | None) -> tuple[ET.Element, ET.Element]:
    """The document's root and its first <graph>, refusing what is too big or not GraphML."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_GRAPHML_BYTES:
        raise LoadError(path, f"the file is over the {MAX_GRAPHML_BYTES / 2**20:.0f} MiB limit")
    root = _parse_tree(raw, path)
    if _local(root.tag) != "graphml":
        raise InvalidFormatError(path, Problem(f"not GraphML: the document starts with <{_local(root.tag)}>"))
    graphs = _children(root, "graph")
    if not graphs:
        raise InvalidFormatError(path, Problem("no <graph> element"))
    return root, graphs[0]


def _new_org(meta: dict[str, str], path: str | Path | None, problems: list[Problem]) -> Org:
    """An empty org named and profiled as the graph's data says (the file's name when it has none)."""
    name = meta["name"] if "name" in meta else (Path(path).stem if path else "Imported org")
    profile = meta.get("profile") or DEFAULT_PROFILE
    if profile not in PROFILES:
        problems.append(
            Problem(f"unknown profile {profile!r} (expected one of {', '.join(PROFILES)})", where="graph.profile")
        )
        profile = DEFAULT_PROFILE
    org = Org(name, profile)
    if meta.get("profile_settings"):
        try:
            org.set_profile_settings(json.loads(meta["profile_settings"]))
        except (ValueError, ModelError) as exc:  # json.JSONDecodeError is a ValueError
            problems.append(Problem(f"profile settings unusable: {exc}", where="graph.profile_settings"))
    return org


def _read_nodes(org: Org, graph: ET.Element, keys: _Keys, problems: list[Problem]) -> set[str]:
    """Add the nodes to ``org``; return the ids of those refused (their problems are in ``problems``)."""
    refused: set[str] = set()
    for position, element in enumerate(_graph_nodes(graph)):
        node_id = element.get("id")
        if not node_id:
            problems.append(Problem("a node without an id", where=f"node #{position + 1}"))
            continue
        where = f"node {node_id!r}"
        values = _node_values(node_id, element, keys, where, problems)
        if values is None:
            refused.add(node_id)
            continue
        if node_id in org:
            problems.append(Problem("duplicate node id", where=where))
            continue
        try:
            org.add_node(make_node(**values))
        except ModelError as exc:
            problems.append(Problem(str(exc), where=where))
            refused.add(node_id)
    return refused


def _node_values(
    node_id: str, element: ET.Element, keys: _Keys, where: str, problems: list[Problem]
) -> dict[str, Any] | None:
    """A node's attributes from its data keys (or yEd's label and geometry); None when it has no kind."""
    return _values_of(node_id, keys.data(element, "node"), element, where, problems)


def _values_of(
    node_id: str, data: dict[str, str], element: ET.Element, where: str, problems: list[Problem]
) -> dict[str, Any] | None:
    """A node's attributes from its data values, yEd's label and geometry standing in for missing ones."""
    kind = data.get("kind", "").strip()
    if not kind:
        problems.append(Problem(f"missing the 'kind' data key (one of {', '.join(NODE_KINDS)})", where=where))
        return None
    values: dict[str, Any] = {"id": node_id, "kind": kind}
    # yEd's graphics are looked through only for what the plain keys do not say.
    fallback = _yfiles_fallback(element) if "name" not in data or ("x" not in data and "y" not in data) else {}
    values["name"] = data["name"] if "name" in data else data.get("label", fallback.get("label", node_id))
    if "x" not in data and "y" not in data and "centre" in fallback:
        values["x"], values["y"] = fallback["centre"]
    for key in ("title", "notes", "x", "y", "vacant", "size", "scope", "ignore"):
        if key not in data:
            continue
        if key in ("title", "notes"):
            values[key] = data[key]
            continue
        coerced = _coerce(key, data[key], where, problems)
        if coerced is not None:
            values[key] = coerced
    return values


def _read_edges(org: Org, graph: ET.Element, keys: _Keys, problems: list[Problem], refused: set[str]) -> None:
    """Add the edges to ``org``; one to a node already refused is not reported again."""
    for position, element in enumerate(e for e in graph.iter() if _local(e.tag) == "edge"):
        source, target = element.get("source", ""), element.get("target", "")
        where = f"edge {source!r} -> {target!r}"
        kind = keys.data(element, "edge").get("kind", "").strip()
        if kind not in LINK_KINDS:
            problems.append(Problem(f"unknown or missing link kind {kind!r}", where=where))
            continue
        missing = [end for end in (source, target) if end not in org]
        if missing:
            problems.extend(
                Problem(f"names a missing node {end!r}", where=where) for end in missing if end and end not in refused
            )
            if "" in (source, target):
                problems.append(Problem(f"edge #{position + 1} lacks a source or target", where=where))
            continue
        link = Link(source, target, kind)
        if not org.has_link(link):
            org.add_link(link)


def load(path: str | Path) -> Org:
    """Read a GraphML file, refusing oversized or unsafe XML.

    The file is streamed (:mod:`planner.io.xmlstream`): a 100,000-card file is
    read in a fraction of what building its tree costs, in time and memory. A
    file with a problem, or with yEd's groups, is read again as a tree, which
    names every problem.
    """
    path = Path(path)
    try:
        info = path.stat()
        refuse_special_file(path, info)
        if info.st_size > MAX_GRAPHML_BYTES:
            raise LoadError(
                path, f"the file is {info.st_size / 2**20:.0f} MiB, over the {MAX_GRAPHML_BYTES / 2**20:.0f} MiB limit"
            )
        with path.open("rb") as handle:
            return graphml_stream.streamed_org(handle, path)
    except OSError as exc:
        raise LoadError(path, exc.strerror or str(exc)) from None
    except graphml_stream.NeedsTree:
        pass
    return _tree_org(read_bytes_capped(path, MAX_GRAPHML_BYTES), path)


def _streamed_org(handle: BinaryIO, path: str | Path | None) -> Org:
    """The org of a GraphML document read as a stream (:mod:`planner.io.graphml_stream`)."""
    return graphml_stream.streamed_org(handle, path)


# Imported last: the streamed reader uses this module's key and value readers.
from planner.io import graphml_stream  # noqa: E402
