"""draw.io (diagrams.net) files in and out: the org chart as a diagram people can edit, and back.

Writing gives an uncompressed ``mxfile``: one vertex per card, wrapped in an
``object`` that carries the planner's data as attributes (``planner_id``,
``kind``, ``name``, ``title`` and the other fields that are set), placed where
the card is, coloured and shaped like the editor draws its kind (rounded
cards for people, square teams, hexagon products, ellipse stakeholders, a
dashed border for a vacant role) and labelled with the name and the title on
a second line; and one edge per link, carrying its ``kind``, drawn with the
legend's colour, dashes and arrowhead. Every style also holds a
``plannerKind`` key, which draw.io keeps, so a card or link copied in draw.io,
or given a planner card's style, keeps its kind.

Reading takes a file saved by draw.io after editing, compressed pages
included (base64, then raw deflate, then URL encoding). A card's label wins
over its ``name``/``title`` attributes when it was edited. Anything that
cannot be placed in the org (a shape with no kind, a connector with a loose
end or no kind, a second page, a text box) is reported by its cell id in a
:class:`~planner.io.errors.LoadError`; nothing is dropped silently. The XML is
untrusted: size-capped before and after decompression and parsed with
defusedxml, like GraphML.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner import __version__
from planner.io import graphml
from planner.io.chart_style import KIND_COLORS, LINK_LOOKS, TEXT_COLOR, tint
from planner.io.errors import InvalidFormatError, LoadError, Problem, SaveError
from planner.io.graphml import _local, _parse_tree
from planner.io.native import MAX_FILE_BYTES, read_bytes_capped, write_atomically
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from planner.model.org import Link, ModelError, Node, Org, make_node, validate_node_value
from planner.model.vocabulary import DEFAULT_PROFILE, LINK_KINDS, NODE_KINDS, PROFILES

MAX_DRAWIO_BYTES = MAX_FILE_BYTES

#: draw.io shape of each node kind, as style keys.
_SHAPES: dict[str, str] = {
    "leader": "rounded=1;arcSize=14;",
    "product_manager": "rounded=1;arcSize=14;",
    "product_owner": "rounded=1;arcSize=14;",
    "dev_team": "rounded=0;",
    "product": "shape=hexagon;perimeter=hexagonPerimeter2;size=0.08;fixedSize=0;",
    "stakeholder": "shape=ellipse;perimeter=ellipsePerimeter;",
}
#: draw.io arrowheads for the editor's heads: (endArrow, endFill).
_HEADS = {"filled": ("block", "1"), "open": ("open", "0"), "circle": ("oval", "1"), "diamond": ("diamond", "1")}
#: Node attributes written beside the label, in this order.
_NODE_ATTRIBUTES = ("name", "title", "notes", "vacant", "size", "scope", "ignore")
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# -- writing -------------------------------------------------------------------------------


def _attr(value: str, where: str) -> str:
    if _NOT_IN_XML.search(value):
        raise SaveError(f"{where} holds a control character that a draw.io file cannot store")
    return graphml.quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _number(value: float) -> str:
    value = round(value, 2)
    return str(int(value)) if value.is_integer() else str(value)


def label_of(node: Node) -> str:
    """The text a card shows in draw.io: its name, and its title on a second line."""
    return f"{node.label}\n{node.title}" if node.title else node.label


def node_style(node: Node) -> str:
    colour = KIND_COLORS[node.kind]
    style = (
        f"{_SHAPES[node.kind]}whiteSpace=wrap;html=0;fillColor={tint(colour)};strokeColor={colour};strokeWidth=1.5;"
        f"fontColor={TEXT_COLOR};fontSize=13;plannerKind={node.kind};"
    )
    return style + ("dashed=1;" if node.vacant else "")


def link_style(kind: str) -> str:
    look = LINK_LOOKS[kind]
    arrow, fill = _HEADS[look.head]
    style = (
        f"html=0;endArrow={arrow};endFill={fill};strokeColor={look.color};strokeWidth={_number(look.width)};"
        f"plannerKind={kind};"
    )
    if look.dashes:
        # fixDash: the pattern is in pixels, as the editor's, not in multiples of the line width.
        style += f"dashed=1;fixDash=1;dashPattern={' '.join(_number(d) for d in look.dashes)};"
    return style


def _node_attributes(node: Node, where: str, duties: Any = None) -> str:
    values: dict[str, str] = {"planner_id": node.id, "kind": node.kind}
    for name in _NODE_ATTRIBUTES:
        value = getattr(node, name)
        if name == "name" or (value not in ("", None, False, ())):
            if name == "vacant":
                value = "true"
            elif name == "ignore":
                value = ",".join(value)
            values[name] = str(value)
    if duties is not None:
        # A product's own responsibility matrix travels with its card, as the native file's JSON.
        values["duties"] = json.dumps(duties, ensure_ascii=False)
    return " ".join(f"{key}={_attr(value, where)}" for key, value in values.items())


def dumps(org: Org) -> str:
    """The org as an uncompressed draw.io file, in a stable order."""
    graphml.writing_escapes()
    nodes = sorted(org.nodes(), key=lambda n: n.id)
    cell_ids = {node.id: f"n{index}" for index, node in enumerate(nodes)}
    duties = org.saved_duties()
    lines = [
        f'<mxfile host="team-structure-planner" agent="Team Structure Planner {__version__}" compressed="false">',
        f'  <diagram id="org" name={_attr(org.name, "the org name")}>',
        '    <mxGraphModel grid="1" gridSize="20" guides="1" tooltips="1" connect="1" arrows="1" fold="1" '
        'page="0" pageScale="1" math="0" shadow="0">',
        "      <root>",
        f'        <object id="0" label="" planner_org={_attr(org.name, "the org name")} '
        f'planner_profile="{org.profile}">',
        "          <mxCell/>",
        "        </object>",
        '        <mxCell id="1" parent="0"/>',
    ]
    for node in nodes:
        where = f"node {node.id!r}"
        lines += [
            f'        <object id="{cell_ids[node.id]}" label={_attr(label_of(node), where)} '
            f"{_node_attributes(node, where, duties.get(node.id))}>",
            f'          <mxCell style="{node_style(node)}" vertex="1" parent="1">',
            f'            <mxGeometry x="{_number(node.x - CARD_WIDTH / 2)}" y="{_number(node.y - CARD_HEIGHT / 2)}" '
            f'width="{_number(CARD_WIDTH)}" height="{_number(CARD_HEIGHT)}" as="geometry"/>',
            "          </mxCell>",
            "        </object>",
        ]
    for index, link in enumerate(sorted(org.links(), key=lambda link: link.key)):
        lines += [
            f'        <object id="e{index}" label="" kind="{link.kind}">',
            f'          <mxCell style="{link_style(link.kind)}" edge="1" parent="1" '
            f'source="{cell_ids[link.source]}" target="{cell_ids[link.target]}">',
            '            <mxGeometry relative="1" as="geometry"/>',
            "          </mxCell>",
            "        </object>",
        ]
    lines += ["      </root>", "    </mxGraphModel>", "  </diagram>", "</mxfile>", ""]
    return "\n".join(lines)


def save(org: Org, path: str | Path) -> None:
    write_atomically(path, dumps(org))


# -- reading -------------------------------------------------------------------------------


@dataclass
class _Cell:
    id: str
    attributes: dict[str, str]
    style: dict[str, str]
    label: str
    vertex: bool
    edge: bool
    parent: str | None
    source: str | None
    target: str | None
    geometry: tuple[float, float, float, float] | None = None
    children: list[str] = field(default_factory=list)

    def describe(self) -> str:
        text = _plain(self.label, self.style.get("html") == "1").replace("\n", " ").strip()
        return f"cell {self.id!r}" + (f" ({text[:40]!r})" if text else "")


def parse_style(style: str) -> dict[str, str]:
    """draw.io's ``key=value;`` style string as a dict; a bare word (``ellipse;``) maps to itself."""
    values: dict[str, str] = {}
    for part in style.split(";"):
        key, sep, value = part.partition("=")
        if key.strip():
            values[key.strip()] = value.strip() if sep else key.strip()
    return values


def _plain(label: str, is_html: bool) -> str:
    """A label's text: HTML labels (draw.io's default for new shapes) lose their markup, keeping line breaks."""
    if not is_html:
        return label
    # draw.io starts each line typed after the first in a <div> ("Nia<div>Product Owner</div>"): a block
    # element's start and end both break the line, and blank lines fold away.
    text = re.sub(r"(?i)<br\s*/?>|</?(?:div|p)\b[^>]*>", "\n", label)
    text = re.sub(r"<[^>]*>", "", text)
    text = re.sub(r"\n{2,}", "\n", html.unescape(text).replace("\xa0", " "))
    return text.strip("\n")


def _inflate(text: str, path: str | Path | None, page: str) -> bytes:
    """A compressed page's XML: base64, then raw deflate, then URL encoding, each size-checked."""
    where = f"page {page!r}"
    try:
        packed = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidFormatError(path, Problem("a compressed page that is not base64 text", where=where)) from None
    inflater = zlib.decompressobj(-15)
    try:
        data = inflater.decompress(packed, MAX_DRAWIO_BYTES)
    except zlib.error as exc:
        problem = Problem(f"a compressed page that does not inflate ({exc})", where=where)
        raise InvalidFormatError(path, problem) from None
    if inflater.unconsumed_tail:
        raise LoadError(path, Problem(f"the page unpacks to more than {MAX_DRAWIO_BYTES / 2**20:.0f} MiB", where=where))
    try:
        unquoted = urllib.parse.unquote(data.decode("ascii"), errors="strict")
    except UnicodeError:
        raise InvalidFormatError(path, Problem("a compressed page that is not URL-encoded text", where=where)) from None
    return unquoted.encode("utf-8")


def _graph_root(root: ET.Element, path: str | Path | None, problems: list[Problem]) -> tuple[ET.Element, str]:
    """The ``<root>`` element of the first page, and the page's name."""
    name = _local(root.tag)
    if name == "mxGraphModel":
        model, page = root, ""
    elif name == "mxfile":
        pages = [child for child in root if _local(child.tag) == "diagram"]
        if not pages:
            raise InvalidFormatError(path, Problem("the draw.io file has no page (<diagram>)"))
        for extra in pages[1:]:
            problems.append(
                Problem(
                    "only the first page is read; move this page's cards to the first page or to another file",
                    where=f"page {extra.get('name', '')!r}",
                )
            )
        first = pages[0]
        page = first.get("name", "")
        models = [child for child in first if _local(child.tag) == "mxGraphModel"]
        if models:
            model = models[0]
        elif (first.text or "").strip():
            model = _parse_tree(_inflate(first.text or "", path, page), path)
            if _local(model.tag) != "mxGraphModel":
                raise InvalidFormatError(path, Problem("the compressed page holds no <mxGraphModel>"))
        else:
            raise InvalidFormatError(path, Problem("the first page is empty", where=f"page {page!r}"))
    else:
        raise InvalidFormatError(path, Problem(f"not a draw.io file: the document starts with <{name}>"))
    roots = [child for child in model if _local(child.tag) == "root"]
    if not roots:
        raise InvalidFormatError(path, Problem("the page has no <root> of cells"))
    return roots[0], page


def _cells(root: ET.Element, problems: list[Problem]) -> dict[str, _Cell]:
    cells: dict[str, _Cell] = {}
    for position, element in enumerate(root):
        tag = _local(element.tag)
        if tag == "mxCell":
            attributes, cell, label = {}, element, element.get("value", "")
        elif tag in ("object", "UserObject"):
            attributes = dict(element.attrib)
            inner = [child for child in element if _local(child.tag) == "mxCell"]
            if not inner:
                problems.append(Problem(f"an <{tag}> without an <mxCell>", where=f"cell {element.get('id')!r}"))
                continue
            cell, label = inner[0], attributes.pop("label", "")
        else:
            continue
        cell_id = element.get("id") or cell.get("id")
        if not cell_id:
            problems.append(Problem("a cell without an id", where=f"cell #{position + 1}"))
            continue
        if cell_id in cells:
            problems.append(Problem("duplicate cell id", where=f"cell {cell_id!r}"))
            continue
        geometry = None
        for child in cell:
            if _local(child.tag) == "mxGeometry" and child.get("relative") != "1":
                try:
                    geometry = tuple(float(child.get(k, "0")) for k in ("x", "y", "width", "height"))
                except ValueError:
                    problems.append(Problem("a geometry that is not numbers", where=f"cell {cell_id!r}"))
        cells[cell_id] = _Cell(
            cell_id,
            attributes,
            parse_style(cell.get("style", "")),
            label,
            cell.get("vertex") == "1",
            cell.get("edge") == "1",
            cell.get("parent"),
            cell.get("source"),
            cell.get("target"),
            geometry,  # type: ignore[arg-type]
        )
    for cell in cells.values():
        if cell.parent in cells:
            cells[cell.parent].children.append(cell.id)
    return cells


def _origin(cells: dict[str, _Cell], cell: _Cell) -> tuple[float, float]:
    """Where a cell's coordinates start: the sum of its enclosing groups' positions."""
    x = y = 0.0
    seen = {cell.id}
    parent = cells.get(cell.parent or "")
    while parent is not None and parent.vertex and parent.geometry is not None and parent.id not in seen:
        seen.add(parent.id)
        x, y = x + parent.geometry[0], y + parent.geometry[1]
        parent = cells.get(parent.parent or "")
    return x, y


def _kind_of_vertex(cell: _Cell) -> str | None:
    kind = cell.attributes.get("kind") or cell.style.get("plannerKind")
    if kind:
        return kind
    # A shape given a planner card's colours in draw.io ("Copy style", "Paste style") without the kind key.
    stroke = cell.style.get("strokeColor", "").lower()
    matches = [k for k, colour in KIND_COLORS.items() if colour == stroke]
    return matches[0] if len(matches) == 1 else None


def _coerce(name: str, value: str, where: str, problems: list[Problem]) -> Any:
    try:
        converted: Any = value
        if name == "size":
            converted = int(float(value)) if value.strip() else None
        elif name == "vacant":
            lowered = value.strip().lower()
            if lowered not in ("true", "false", "1", "0", ""):
                raise ValueError("expected true or false")
            converted = lowered in ("true", "1")
        elif name == "ignore":
            converted = [code.strip() for code in value.replace(";", ",").split(",") if code.strip()]
        elif name == "scope":
            converted = value.strip() or None
        return validate_node_value(name, converted)
    except (ValueError, ModelError) as exc:
        problems.append(Problem(f"bad value {value!r}: {exc}", where=f"{where}.{name}"))
        return None


def _node_values(cell: _Cell, kind: str, node_id: str, cells: dict[str, _Cell], problems: list[Problem]) -> dict:
    where = cell.describe()
    values: dict[str, Any] = {"id": node_id, "kind": kind}
    attributes = cell.attributes
    text = _plain(cell.label, cell.style.get("html") == "1")
    stored_name, stored_title = attributes.get("name"), attributes.get("title", "")
    expected = f"{stored_name or node_id}\n{stored_title}" if stored_title else (stored_name or node_id)
    if stored_name is not None and text == expected:
        values["name"], values["title"] = stored_name, stored_title
    else:
        # The label was edited in draw.io (or the card was drawn there): it says the name, then the title.
        name, _, title = text.partition("\n")
        values["name"], values["title"] = name.strip(), title.strip()
    if "notes" in attributes:
        values["notes"] = attributes["notes"]
    for key in ("vacant", "size", "scope", "ignore"):
        if key in attributes:
            coerced = _coerce(key, attributes[key], where, problems)
            if coerced is not None:
                values[key] = coerced
    if "vacant" not in attributes and cell.style.get("dashed") == "1":
        values["vacant"] = True
    if cell.geometry is not None:
        x, y, width, height = cell.geometry
        dx, dy = _origin(cells, cell)
        values["x"], values["y"] = dx + x + width / 2, dy + y + height / 2
    return values


def _unique_kind(org: Org, source: str, target: str) -> str | None:
    source_kind, target_kind = org.node(source).kind, org.node(target).kind
    allowed = [k.name for k in LINK_KINDS.values() if source_kind in k.sources and target_kind in k.targets]
    return allowed[0] if len(allowed) == 1 else None


def _loose_connector(org: Org, ends: list[str | None]) -> str:
    """What is wrong with a connector that has a loose end, and how to find and mend it in draw.io."""
    loose = [end for end, node in zip(("source", "target"), ends, strict=True) if node is None]
    attached = [f"{end} {org.node(node).label!r}" for end, node in zip(("from", "to"), ends, strict=True) if node]
    where = f" ({attached[0]})" if attached else ""
    # Delete in draw.io keeps a shape's connectors, loose; Ctrl+Delete takes them along.
    return (
        f"a connector{where} not attached to a card at its {' and '.join(loose)}: attach it to a card, or "
        "delete it (draw.io keeps a deleted shape's connectors; Ctrl+Delete removes them too)"
    )


def loads(raw: bytes | str, path: str | Path | None = None) -> Org:
    """Build an org from a draw.io file's text; raise :class:`LoadError` listing everything it could not place."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_DRAWIO_BYTES:
        raise LoadError(path, f"the file is over the {MAX_DRAWIO_BYTES / 2**20:.0f} MiB limit")
    problems: list[Problem] = []
    root, page = _graph_root(_parse_tree(raw, path), path, problems)
    cells = _cells(root, problems)
    org = _empty_org(cells, page, path, problems)
    node_of_cell = _read_cards(org, cells, problems)
    _read_connectors(org, cells, node_of_cell, problems)
    _read_duties(org, cells, node_of_cell, problems)
    if problems:
        raise InvalidFormatError(path, problems)
    return org


def _empty_org(cells: dict[str, _Cell], page: str | None, path: str | Path | None, problems: list[Problem]) -> Org:
    """The org the file names (its name and profile, kept on the diagram's top cell), with nothing in it yet."""
    top = next((c for c in cells.values() if not c.parent and not c.vertex and not c.edge), None)
    meta = top.attributes if top is not None else {}
    name = meta.get("planner_org") or page or (Path(path).stem if path else "Imported org")
    profile = meta.get("planner_profile") or DEFAULT_PROFILE
    if profile not in PROFILES:
        problems.append(
            Problem(f"unknown profile {profile!r} (expected one of {', '.join(PROFILES)})", where="planner_profile")
        )
        profile = DEFAULT_PROFILE
    return Org(name, profile)


def _read_cards(org: Org, cells: dict[str, _Cell], problems: list[Problem]) -> dict[str, str]:
    """Add a card for every shape that is one; return the node id of each shape's cell."""
    layers = {c.id for c in cells.values() if not c.vertex and not c.edge}
    node_of_cell: dict[str, str] = {}
    for cell in cells.values():
        if not cell.vertex:
            if not cell.edge and cell.id not in layers:
                problems.append(Problem("neither a shape nor a connector", where=cell.describe()))
            continue
        if cell.parent in cells and cells[cell.parent].edge:
            continue  # a label sitting on a connector: part of the link, which is read below
        node_id = _read_card(org, cell, cells, problems)
        if node_id is not None:
            node_of_cell[cell.id] = node_id
    return node_of_cell


def _read_card(org: Org, cell: _Cell, cells: dict[str, _Cell], problems: list[Problem]) -> str | None:
    """Add the card one shape stands for and return its id; None (and a problem, unless a group) if it is none."""
    kind = _kind_of_vertex(cell)
    if kind is None:
        if "group" in cell.style and cell.children:
            return None  # a draw.io group: its members are read one by one
        if any(cells[child].vertex for child in cell.children):
            # Deleting a container in draw.io deletes what it holds: say how to keep the cards.
            why = (
                "a container (swimlane) with no planner kind around cards: drag its cards out of it or use "
                "Arrange > Ungroup, then delete it"
            )
        else:
            why = (
                "a shape with no planner kind: give it a 'kind' (Edit Data) or the style of a planner card, "
                "or delete it"
            )
        problems.append(Problem(why, where=cell.describe()))
        return None
    if kind not in NODE_KINDS:
        problems.append(
            Problem(f"unknown kind {kind!r} (expected one of {', '.join(NODE_KINDS)})", where=cell.describe())
        )
        return None
    wanted = cell.attributes.get("planner_id") or cell.id
    # A card copied in draw.io carries its original's planner_id: the copy is a new card, keyed by its cell.
    node_id = wanted if wanted not in org else (cell.id if cell.id not in org else f"drawio-{cell.id}")
    try:
        org.add_node(make_node(**_node_values(cell, kind, node_id, cells, problems)))
    except ModelError as exc:
        problems.append(Problem(str(exc), where=cell.describe()))
        return None
    return node_id


def _read_connectors(org: Org, cells: dict[str, _Cell], node_of_cell: dict[str, str], problems: list[Problem]) -> None:
    """Add a link for every connector between two cards whose kind is given or the only one possible."""
    for cell in cells.values():
        if not cell.edge:
            continue
        ends = [node_of_cell.get(cell.source or ""), node_of_cell.get(cell.target or "")]
        if None in ends:
            problems.append(Problem(_loose_connector(org, ends), where=cell.describe()))
            continue
        source, target = ends
        kind = cell.attributes.get("kind") or cell.style.get("plannerKind") or _unique_kind(org, source, target)
        if kind is None:
            problems.append(
                Problem(
                    f"a connector with no link kind between {org.node(source).kind} and {org.node(target).kind}: "
                    "give it a 'kind' (Edit Data) or the style of a planner link",
                    where=cell.describe(),
                )
            )
            continue
        if kind not in LINK_KINDS:
            problems.append(Problem(f"unknown link kind {kind!r}", where=cell.describe()))
            continue
        link = Link(source, target, kind)
        if not org.has_link(link):
            org.add_link(link)


def _read_duties(org: Org, cells: dict[str, _Cell], node_of_cell: dict[str, str], problems: list[Problem]) -> None:
    """Give each product read back the responsibility matrix its card carries, once every person is read."""
    for cell_id, node_id in node_of_cell.items():
        cell = cells[cell_id]
        if "duties" not in cell.attributes:
            continue
        try:
            matrix = json.loads(cell.attributes["duties"])
            if not isinstance(matrix, dict):
                raise ValueError("expected an object of duty → person → R, A, C or I")
            org.set_duties(node_id, matrix)
        except (ValueError, ModelError) as exc:
            message = str(exc).removeprefix(f"duties of {node_id}: ")
            problems.append(Problem(f"duties unusable: {message}", where=f"{cell.describe()}.duties"))


def load(path: str | Path) -> Org:
    """Read a draw.io file, refusing oversized or unsafe XML."""
    return loads(read_bytes_capped(path, MAX_DRAWIO_BYTES), path)
