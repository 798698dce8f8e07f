"""The planner's own file format: versioned, deterministic JSON (``*.json``).

Reading is parse → check every record (collecting every problem with its
place) → migrate older versions → build the :class:`~planner.model.Org`.
Writing sorts nodes by id and links by (source, target, kind), indents by two
spaces and ends with a newline, so that the same org always gives the same
bytes and version control shows readable diffs. The JSON Schema lives in
``resources/schema/org.schema.json``.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from itertools import starmap
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal

import msgspec

from planner.collector import collector_paused
from planner.io.atomic import write_all_atomically, write_atomically  # noqa: F401 (other modules import them from here)
from planner.io.errors import InvalidFormatError, LoadError, Problem, UnsupportedFormatVersionError
from planner.io.native_records import (
    _checked_link_keys,
    _checked_nodes,
    _link_record,
    _node_record,
    _Problems,
    _records,
    _top_level,
    _value,
)
from planner.model.org import (
    ModelError,
    Node,
    Org,
    link_columns,
    validate_node_value,
    validate_profile_settings,
)
from planner.model.vocabulary import DEFAULT_PROFILE, LINK_KINDS, PROFILES

FORMAT_NAME = "team-structure-planner"
FORMAT_VERSION = 3
#: Versions whose files the fast reader takes as they are (version 3 only added the optional ``duties``).
_FAST_VERSIONS = (2, 3)
#: Files larger than this are refused before they are read into memory.
MAX_FILE_BYTES = 256 * 1024 * 1024

#: The kinds of link the fast reader (:func:`_typed_org`) accepts while decoding.
_LinkKind = Literal[tuple(LINK_KINDS)]


def _migrate_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (the 0.0 drafts) kept links under ``edges`` and positions as ``pos: [x, y]``."""
    data = dict(data)
    if "edges" in data and "links" not in data:
        data["links"] = data.pop("edges")
    nodes = data.get("nodes", [])
    data["nodes"] = [_migrate_v1_node(node) for node in nodes] if isinstance(nodes, list) else nodes
    data["version"] = 2
    return data


def _migrate_v1_node(node: Any) -> Any:
    if isinstance(node, dict) and "pos" in node:
        node = dict(node)
        pos = node.pop("pos")
        if isinstance(pos, list) and len(pos) == 2:
            node["x"], node["y"] = pos
    return node


def _migrate_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 had no responsibility matrices: every product follows its links (see planner.model.duties)."""
    data = dict(data)
    data["version"] = 3
    return data


#: version → function that turns a document of that version into the next one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _migrate_v1, 2: _migrate_v2}
#: Top-level fields of a file, by the version that has them.
_KNOWN_TOP = {"format", "version", "name", "profile", "profile_settings", "nodes", "links"}


def refuse_special_file(path: Path, info: os.stat_result) -> None:
    """Refuse a pipe, socket or device given as a file: reading one may wait forever or never end.

    A directory is left to ``open``, whose own message says what it is.
    """
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise LoadError(path, "not a regular file (a pipe, socket or device)")


def read_bytes_capped(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file, refusing one over ``limit`` bytes before reading it.

    Raises :class:`LoadError` naming the file on any failure.
    """
    path = Path(path)
    try:
        info = path.stat()
        refuse_special_file(path, info)
        if info.st_size > limit:
            raise LoadError(path, f"the file is {info.st_size / 2**20:.0f} MiB, over the {limit / 2**20:.0f} MiB limit")
        with path.open("rb") as handle:
            # Asking for the whole limit would make Python set aside that much memory for every read.
            raw = handle.read(info.st_size + 1)
            if len(raw) > info.st_size:  # it grew while we looked
                raw += handle.read(limit + 1 - len(raw))
    except OSError as exc:
        raise LoadError(path, exc.strerror or str(exc)) from None
    if len(raw) > limit:
        raise LoadError(path, f"the file is over the {limit / 2**20:.0f} MiB limit")
    return raw


def read_text_capped(path: str | Path, limit: int | None = None) -> str:
    """Read a UTF-8 text file, refusing files over ``limit`` bytes (default :data:`MAX_FILE_BYTES`) unread."""
    raw = read_bytes_capped(path, MAX_FILE_BYTES if limit is None else limit)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidFormatError(path, Problem(f"not UTF-8 text (byte {exc.start})")) from None


def loads(text: str, path: str | Path | None = None) -> Org:
    """Build an org from the text of a native file; raise :class:`LoadError` listing every problem."""
    with collector_paused():
        org = _typed_org(text)
        return org if org is not None else _checked_org(text.encode("utf-8", "surrogatepass"), path)


class _LinkRecord(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A link record as :func:`_typed_org` reads it."""

    source: str
    target: str
    kind: _LinkKind


class _TypedFile(msgspec.Struct, forbid_unknown_fields=True):
    format: str
    version: int
    name: str = "Untitled org"
    profile: str = DEFAULT_PROFILE
    profile_settings: dict[str, Any] | None = None
    nodes: list[Node] = []
    links: list[_LinkRecord] = []
    duties: dict[str, dict[str, dict[str, str]]] | None = None


def _typed_org(document: bytes | memoryview | str) -> Org | None:
    """The org in a well-formed file of the current version; None when anything in it needs a closer look.

    This is how nearly every file loads. msgspec decodes the JSON straight
    into :class:`~planner.model.org.Node` records and typed link records,
    checking each field's type as it goes, in C: known node and link kinds,
    sizes of 0 or more, known scopes. That takes a third of the time :mod:`json`
    alone takes to parse. What a type cannot say is checked a whole column at a
    time: ids that are not blank and not repeated, and rule codes; links that
    join known nodes and do not appear twice come out of building the graph.

    It gives up at the first problem without saying what it is: a file that
    does not load this way is read again by :mod:`json` and checked record by
    record (:func:`from_dict`), which names every problem with its place, so
    the user sees the same messages as ever and only broken or older files
    are read twice. tests/io/test_native_fast_path.py holds the two ways to
    the same result.
    """
    try:
        data = _TYPED_FILE.decode(document)
    except (msgspec.MsgspecError, ValueError):  # malformed, mistyped, out of range or not UTF-8
        return None
    del document  # the file's bytes go before the org is built: 30 MB less at the peak on 100,000 nodes
    if data.format != FORMAT_NAME or data.version not in _FAST_VERSIONS or data.profile not in PROFILES:
        return None
    if data.duties is not None and data.version < 3:
        return None
    nodes = data.nodes
    ids = list(map(_ID, nodes))
    if not all(map(str.strip, ids)) or len(set(ids)) != len(ids):
        return None
    for index in [index for index, codes in enumerate(map(_IGNORE, nodes)) if codes]:  # the few that turn rules off
        try:
            nodes[index] = nodes[index].replace(ignore=validate_node_value("ignore", nodes[index].ignore))
        except ModelError:
            return None
    links, data.links = data.links, []  # the link records go before the graph is built
    sources, targets, kinds = list(map(_SOURCE, links)), list(map(_TARGET, links)), list(map(_KIND, links))
    del links
    try:
        org = Org.from_checked(data.name, data.profile, nodes, sources, targets, kinds)
        if data.profile_settings is not None:
            org.set_profile_settings(data.profile_settings)
        for product_id, matrix in (data.duties or {}).items():
            org.set_duties(product_id, matrix)
        return org
    except ModelError:  # a link to a missing node, a link given twice, or a profile file's settings amiss
        return None


_TYPED_FILE = msgspec.json.Decoder(_TypedFile)
_ID, _KIND, _IGNORE = map(attrgetter, ("id", "kind", "ignore"))
_SOURCE, _TARGET = attrgetter("source"), attrgetter("target")
_UTF8_BOM = b"\xef\xbb\xbf"


def _checked_org(raw: bytes | memoryview, path: str | Path | None) -> Org:
    """Read a native file record by record, naming every problem with its place (the slow, careful way).

    Only the record being checked is ever held as Python objects: the file is
    split into its top-level fields and records by msgspec, which keeps each
    as a slice of the file's bytes, so an unknown field of any size is named
    without being read, and memory stays within a few times the file's size.
    """
    top = _top_level(raw, path)
    if "format" not in top or _value(top["format"]) != FORMAT_NAME:
        raise InvalidFormatError(
            path, Problem(f"not a Team Structure Planner file (format should be {FORMAT_NAME!r})", where="format")
        )
    version = _value(top["version"]) if "version" in top else None
    _check_version(version, path)

    problems = _Problems()
    known_top = set(_KNOWN_TOP) | ({"duties"} if version >= 3 else set())
    links_key = "links"
    if version == 1 and "edges" in top and "links" not in top:
        known_top.add("edges")
        links_key = "edges"
    for key in top:
        if key not in known_top:
            problems.append(Problem(f"unknown field {key!r}", where=key))
    name = _value(top["name"]) if "name" in top else "Untitled org"
    if not isinstance(name, str):
        problems.append(Problem("must be text", where="name"))
        name = "Untitled org"
    profile = _value(top["profile"]) if "profile" in top else DEFAULT_PROFILE
    if profile not in PROFILES:
        expected = ", ".join(PROFILES)
        problems.append(Problem(f"unknown profile {profile!r} (expected one of {expected})", where="profile"))
        profile = DEFAULT_PROFILE
    try:
        profile_settings = validate_profile_settings(
            _value(top["profile_settings"]) if "profile_settings" in top else None
        )
    except ModelError as exc:
        problems.append(Problem(str(exc), where="profile_settings"))
        profile_settings = None

    node_records = map(_node_record, _records(top.get("nodes"), "nodes", problems))
    if version == 1:
        node_records = map(_migrate_v1_node, node_records)
    good_nodes, ids = _checked_nodes(node_records, problems)
    link_records = _records(top.get(links_key), links_key, problems)
    good_links = _checked_link_keys(map(_link_record, link_records), ids, problems)
    del link_records
    duties = _value(top["duties"]) if "duties" in top and version >= 3 else None
    del top
    if problems or problems.unlisted:
        raise InvalidFormatError(path, problems)
    org = Org.from_checked(name, profile, good_nodes, *link_columns(good_links))
    org.set_profile_settings(profile_settings)
    _set_duties(org, duties, path)
    return org


def _set_duties(org: Org, duties: Any, path: str | Path | None) -> None:
    """Give the products their own matrices from a file's ``duties``; raise naming every problem's place."""
    problems = set_saved_duties(org, duties)
    if problems:
        raise InvalidFormatError(path, problems)


def set_saved_duties(org: Org, duties: Any, where: str = "duties") -> list[Problem]:
    """Give the products of a just-read org the matrices a file holds (product id → matrix, or None for none).

    Returns the problems, each with its place (``duties.checkout``), for the reader to raise with its own;
    the GraphML and CSV readers share it.
    """
    if duties is None:
        return []
    if not isinstance(duties, dict):
        return [Problem("must be an object of product id → matrix", where=where)]
    problems: list[Problem] = []
    for product_id, matrix in duties.items():
        if not org.is_product(product_id):
            problems.append(Problem(f"no product with id {product_id!r}", where=f"{where}.{product_id}"))
            continue
        try:
            org.set_duties(product_id, matrix)
        except ModelError as exc:
            problems.append(Problem(str(exc).removeprefix(f"duties of {product_id}: "), where=f"{where}.{product_id}"))
    return problems


def _check_version(version: Any, path: str | Path | None) -> None:
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidFormatError(path, Problem(f"version must be a whole number, not {version!r}", where="version"))
    if version > FORMAT_VERSION:
        raise UnsupportedFormatVersionError(
            path,
            Problem(
                f"written by a newer planner (format version {version}; this one reads up to {FORMAT_VERSION})",
                where="version",
            ),
        )


def load(path: str | Path) -> Org:
    """Read a native org file.

    The file's text is let go as soon as it is parsed, before the org is
    built: on a 100,000-node file that is 30 MB less at the peak.
    """
    with collector_paused():
        org = _typed_org(_without_bom(read_bytes_capped(path, MAX_FILE_BYTES)))
        return org if org is not None else _checked_org(_without_bom(read_bytes_capped(path, MAX_FILE_BYTES)), path)


def _without_bom(raw: bytes) -> bytes | memoryview:
    """The bytes after a UTF-8 byte order mark, which JSON decoders refuse and Windows editors like to add."""
    return memoryview(raw)[len(_UTF8_BOM) :] if raw.startswith(_UTF8_BOM) else raw


def from_dict(data: Any, path: str | Path | None = None) -> Org:
    """Build an org from already parsed JSON data, which it takes over.

    Each record is checked on its own and every problem is named with its
    place. The list of link records is emptied once the links are read, so
    that a large file is not held in memory twice; pass a deep copy to keep
    the data. Files take the faster :func:`_typed_org` when they can.
    """
    if not isinstance(data, dict):
        raise InvalidFormatError(path, Problem("the file must hold a JSON object", where="top level"))
    if data.get("format") != FORMAT_NAME:
        raise InvalidFormatError(
            path, Problem(f"not a Team Structure Planner file (format should be {FORMAT_NAME!r})", where="format")
        )
    version = data.get("version")
    _check_version(version, path)
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data)
        version = data["version"]

    problems: list[Problem] = []
    known_top = _KNOWN_TOP | {"duties"}
    for key in data:
        if key not in known_top:
            problems.append(Problem(f"unknown field {key!r}", where=key))
    name = data.get("name", "Untitled org")
    if not isinstance(name, str):
        problems.append(Problem("must be text", where="name"))
        name = "Untitled org"
    profile = data.get("profile", DEFAULT_PROFILE)
    if profile not in PROFILES:
        expected = ", ".join(PROFILES)
        problems.append(Problem(f"unknown profile {profile!r} (expected one of {expected})", where="profile"))
        profile = DEFAULT_PROFILE
    try:
        profile_settings = validate_profile_settings(data.get("profile_settings"))
    except ModelError as exc:
        problems.append(Problem(str(exc), where="profile_settings"))
        profile_settings = None

    nodes = data.get("nodes", [])
    if not isinstance(nodes, list):
        problems.append(Problem("must be a list", where="nodes"))
        nodes = []
    good_nodes, ids = _checked_nodes(nodes, problems)

    links = data.get("links", [])
    if not isinstance(links, list):
        problems.append(Problem("must be a list", where="links"))
        links = []
    good_links = _checked_link_keys(links, ids, problems)

    if problems:
        raise InvalidFormatError(path, problems)
    links.clear()
    org = Org.from_checked(name, profile, good_nodes, *link_columns(good_links))
    org.set_profile_settings(profile_settings)
    _set_duties(org, data.get("duties"), path)
    return org


def _number(value: float) -> float | int:
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def node_record(node: Node) -> dict[str, Any]:
    """The JSON record of a node: id, kind, name and position always, the rest when set (see :class:`_NodeOnDisk`)."""
    return msgspec.to_builtins(_on_disk(node))


def to_dict(org: Org) -> dict[str, Any]:
    """The org as JSON-ready data, in the deterministic order used on disk (what :func:`dumps` writes)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "name": org.name,
        "profile": org.profile,
        **({"profile_settings": org.profile_settings} if org.profile_settings else {}),
        "nodes": [node_record(n) for n in sorted(org.nodes(), key=_ID)],
        "links": [
            {"source": source, "target": target, "kind": kind} for source, target, kind in _sorted_link_keys(org)
        ],
        **({"duties": duties} if (duties := org.saved_duties()) else {}),
    }


def _sorted_link_keys(org: Org) -> list[tuple[str, str, str]]:
    """Every link's (source, target, kind), sorted as link keys sort."""
    return sorted(org.link_triples())


class _NodeOnDisk(msgspec.Struct, omit_defaults=True, gc=False):
    """A node as the file holds it (and :func:`node_record` gives it): what is left at its default is left out.

    The fields are :class:`~planner.model.org.Node`'s, in its order (tests/io/test_native.py holds them
    together); ``x`` and ``y`` default to None, which they never are, so that they are always written.
    """

    id: str
    kind: str
    name: str
    title: str = ""
    notes: str = ""
    x: float | None = None
    y: float | None = None
    vacant: bool = False
    size: int | None = None
    scope: str | None = None
    ignore: list[str] = []


class _FileOnDisk(msgspec.Struct):
    format: str
    version: int
    name: str
    profile: str
    nodes: list[_NodeOnDisk]
    links: list[_LinkRecord]


def _on_disk(node: Node) -> _NodeOnDisk:
    return _NodeOnDisk(
        node.id,
        node.kind,
        node.name,
        node.title,
        node.notes,
        _number(node.x),
        _number(node.y),
        node.vacant,
        node.size,
        node.scope or None,
        sorted(node.ignore),
    )


def dump_bytes(org: Org) -> bytes:
    """The native file's bytes: what ``json.dumps(to_dict(org), indent=2, ensure_ascii=False)`` writes, plus a newline.

    msgspec encodes typed records and indents the result in C, a third of the
    time :mod:`json` takes; tests/io/test_native.py holds the two to the same
    bytes. An org that carries a profile file's settings or matrices of its own (a handful of values each) takes
    :mod:`json`'s way.
    """
    if org.profile_settings or org.saved_duties():
        return (json.dumps(to_dict(org), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    document = _FileOnDisk(
        FORMAT_NAME,
        FORMAT_VERSION,
        org.name,
        org.profile,
        [_on_disk(node) for node in sorted(org.nodes(), key=_ID)],
        list(starmap(_LinkRecord, _sorted_link_keys(org))),
    )
    return msgspec.json.format(_ENCODER.encode(document), indent=2) + b"\n"


_ENCODER = msgspec.json.Encoder()


def dumps(org: Org) -> str:
    """The native file's text (see :func:`dump_bytes`)."""
    return dump_bytes(org).decode("utf-8")


def save(org: Org, path: str | Path) -> None:
    """Write ``org`` to ``path`` in the native format, atomically."""
    write_atomically(path, dump_bytes(org))
