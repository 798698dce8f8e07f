"""GraphML in and out, as networkx, yEd and Gephi read and write it.

Nodes carry a ``kind`` data key (and optionally ``name`` and the other node
attributes), edges a ``kind`` data key. The XML is untrusted: it is parsed
with defusedxml (no DTD, no entity expansion, no external references) after a
size check, and only then handed to networkx.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import networkx as nx
from defusedxml import DefusedXmlException

from planner.io.errors import InvalidFormatError, LoadError, Problem
from planner.io.native import MAX_FILE_BYTES, node_record, write_atomically
from planner.model.org import Link, ModelError, Org, make_node, validate_node_value
from planner.model.vocabulary import DEFAULT_PROFILE, LINK_KINDS, PROFILES

#: GraphML files are verbose; they are still capped to keep memory in check.
MAX_GRAPHML_BYTES = MAX_FILE_BYTES

_INT_FIELDS = {"size"}
_FLOAT_FIELDS = {"x", "y"}
_BOOL_FIELDS = {"vacant"}


def _parse_tree(raw: bytes, path: str | Path | None) -> ET.Element:
    try:
        return SafeET.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InvalidFormatError(path, Problem(f"refused unsafe XML ({type(exc).__name__})")) from None
    except ET.ParseError as exc:
        line, column = exc.position
        message = str(exc).split(":")[0]
        raise InvalidFormatError(path, Problem(f"malformed XML: {message}", line, column + 1)) from None


def _coerce(name: str, value: Any, where: str, problems: list[Problem]) -> Any:
    try:
        if name in _INT_FIELDS:
            if isinstance(value, str):
                value = value.strip()
                value = int(float(value)) if value else None
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
        elif name in _FLOAT_FIELDS and isinstance(value, str):
            value = float(value)
        elif name in _BOOL_FIELDS and isinstance(value, str):
            lowered = value.strip().lower()
            if lowered not in ("true", "false", "1", "0", ""):
                raise ValueError(value)
            value = lowered in ("true", "1")
        elif name == "ignore" and isinstance(value, str):
            value = [code.strip() for code in value.replace(";", ",").split(",") if code.strip()]
        return validate_node_value(name, value)
    except (ValueError, ModelError) as exc:
        problems.append(Problem(f"bad value {value!r}: {exc}", where=f"{where}.{name}"))
        return None


def loads(raw: bytes | str, path: str | Path | None = None) -> Org:
    """Build an org from GraphML text; raise :class:`LoadError` listing every problem."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_GRAPHML_BYTES:
        raise LoadError(path, f"the file is over the {MAX_GRAPHML_BYTES / 2**20:.0f} MiB limit")
    _parse_tree(raw, path)  # refuses DTDs and entities before networkx sees the text
    try:
        graph = nx.read_graphml(io.BytesIO(raw), force_multigraph=True)
    except (nx.NetworkXError, ET.ParseError, ValueError, KeyError, TypeError) as exc:
        raise InvalidFormatError(path, Problem(f"not readable as GraphML: {exc}")) from None

    problems: list[Problem] = []
    name = graph.graph.get("name") or (Path(path).stem if path else "Imported org")
    profile = graph.graph.get("profile", DEFAULT_PROFILE)
    if profile not in PROFILES:
        problems.append(Problem(f"unknown profile {profile!r}", where="graph.profile"))
        profile = DEFAULT_PROFILE
    org = Org(str(name), profile)
    for node_id, data in graph.nodes(data=True):
        where = f"node {node_id!r}"
        values: dict[str, Any] = {"id": str(node_id)}
        kind = data.get("kind")
        if kind is None:
            problems.append(Problem("missing the 'kind' data key", where=where))
            continue
        values["kind"] = kind
        values["name"] = str(data.get("name", data.get("label", node_id)))
        for key in ("title", "notes", "x", "y", "vacant", "size", "scope", "ignore"):
            if key in data and data[key] is not None:
                value = data[key] if key not in ("title", "notes") else str(data[key])
                coerced = _coerce(key, value, where, problems)
                if coerced is not None:
                    values[key] = coerced
        try:
            org.add_node(make_node(**values))
        except ModelError as exc:
            problems.append(Problem(str(exc), where=where))
    for source, target, key, data in graph.edges(keys=True, data=True):
        kind = data.get("kind")
        where = f"edge {source!r} -> {target!r}"
        if kind not in LINK_KINDS:
            problems.append(Problem(f"unknown or missing link kind {kind!r}", where=where))
            continue
        if str(source) not in org or str(target) not in org:
            continue  # the node's own problem was reported above
        link = Link(str(source), str(target), kind)
        if not org.has_link(link):
            org.add_link(link)
    if problems:
        raise InvalidFormatError(path, problems)
    return org


def load(path: str | Path) -> Org:
    """Read a GraphML file, refusing oversized or unsafe XML."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_GRAPHML_BYTES:
            raise LoadError(path, f"the file is {size / 2**20:.0f} MiB, over the {MAX_GRAPHML_BYTES / 2**20:.0f} MiB limit")
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, exc.strerror or str(exc)) from None
    return loads(raw, path)


def to_networkx(org: Org) -> nx.MultiDiGraph:
    """A plain networkx graph of the org with string/number attributes only (GraphML-ready)."""
    graph = nx.MultiDiGraph(name=org.name, profile=org.profile)
    for node in org.nodes():
        record = node_record(node)
        record.pop("id")
        if "ignore" in record:
            record["ignore"] = ",".join(record["ignore"])
        graph.add_node(node.id, **record)
    for link in org.links():
        graph.add_edge(link.source, link.target, key=link.kind, kind=link.kind)
    return graph


def dumps(org: Org) -> str:
    """GraphML text of the org, with plain ``kind`` and ``name`` keys for networkx and Gephi."""
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(org), buffer, named_key_ids=True)
    return buffer.getvalue().decode("utf-8")


def save(org: Org, path: str | Path) -> None:
    write_atomically(path, dumps(org))
