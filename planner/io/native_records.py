"""Reading a native file the careful way: its JSON, record by record, every problem named with its place.

:mod:`planner.io.native` takes this way when its fast reader gives up (a broken, hostile or older file):
the bytes are checked for UTF-8 and lone surrogates, the top level and each record decoded on its own,
and each node's values checked by the model's one validator
(:func:`~planner.model.node.validate_node_value`, through :func:`~planner.model.node.make_node`).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec

from planner.io.errors import InvalidFormatError, Problem
from planner.model.org import Link, ModelError, Node, make_node, validate_node_value
from planner.model.vocabulary import LINK_KINDS

#: A node record's fields: the model's :class:`~planner.model.node.Node` is the one definition.
_NODE_FIELDS: tuple[str, ...] = Node.__struct_fields__
_LINK_FIELDS = ("source", "target", "kind")


def _parse(text: str, path: str | Path | None) -> Any:
    """The JSON data of a native file's text, or :class:`InvalidFormatError` saying where it is broken."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidFormatError(path, Problem(f"malformed JSON: {exc.msg}", exc.lineno, exc.colno)) from None
    except RecursionError:
        raise InvalidFormatError(path, Problem("malformed JSON: nested too deeply")) from None
    if "\\u" in text:
        _refuse_lone_surrogates(text, data, path)
    return data


#: ``\ud800`` without its partner: JSON lets it through, but it is no character and no file can store it.
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _lone_surrogate_problem(raw: bytes | memoryview) -> Problem | None:
    """Where the first ``\\ud800`` without its partner is, as a problem; None when there is none."""
    text = bytes(raw).decode("utf-8", "replace")
    match = _LONE_SURROGATE.search(text)
    if match is None:
        return None
    start = match.start()
    line = text.count("\n", 0, start) + 1
    column = start - text.rfind("\n", 0, start)
    return Problem(f"{match.group()} is half of a UTF-16 pair, not a character", line, column)


def _refuse_lone_surrogates(text: str, data: Any, path: str | Path | None) -> None:
    if _LONE_SURROGATE.search(text) is None:
        return
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidFormatError(path, _lone_surrogate_problem(text.encode("utf-8", "surrogatepass"))) from None


#: Python refuses to turn longer runs of digits into an int (a guard against slow conversions).
_MAX_INT_DIGITS = 4300


class _TooLong:
    """A number in a file with more digits than Python turns into an int: kept only as its length, to be refused."""

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"a number of {self.digits:,} digits"


def _parse_int(digits: str) -> int | _TooLong:
    return int(digits) if len(digits) <= _MAX_INT_DIGITS else _TooLong(len(digits.lstrip("-")))


_DECODE_VALUE = json.JSONDecoder(parse_int=_parse_int).decode
_TOP_LEVEL = msgspec.json.Decoder(dict[str, msgspec.Raw])
_RECORDS = msgspec.json.Decoder(list[msgspec.Raw])
_OBJECT = _TOP_LEVEL
_NODE_KEYS = frozenset(_NODE_FIELDS) | {"pos"}
_LINK_KEYS = frozenset(_LINK_FIELDS)
#: Above this size, a malformed file is not read again by :mod:`json` for its exact message (which would hold the
#: whole file as Python objects); the message comes from msgspec, which holds nothing.
_EXACT_MESSAGE_BYTES = 4 * 2**20
#: An org file's records and values take far more bytes each than the comma or bracket that opens them: a file denser
#: than this in them is refused before anything is built from it (a million ``{}`` would take 60 times their bytes).
_MIN_BYTES_PER_VALUE = 4
_DENSITY_CHECK_BYTES = 2**20


def _value(raw: msgspec.Raw) -> Any:
    return _DECODE_VALUE(bytes(raw).decode("utf-8"))


def _record(raw: msgspec.Raw, known: frozenset[str]) -> Any:
    """A node or link record, its unknown attributes left unread (they are refused by name, whatever they hold)."""
    try:
        fields = _OBJECT.decode(raw)
    except msgspec.ValidationError:
        return _value(raw)
    return {key: _value(value) if key in known else None for key, value in fields.items()}


def _node_record(raw: msgspec.Raw) -> Any:
    return _record(raw, _NODE_KEYS)


def _link_record(raw: msgspec.Raw) -> Any:
    return _record(raw, _LINK_KEYS)


def _check_utf8(raw: bytes | memoryview, path: str | Path | None) -> None:
    """Refuse bytes that are not UTF-8, naming the first bad byte, without holding the file's text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    step = 2**20
    for start in range(0, len(view), step):
        try:
            decoder.decode(view[start : start + step], final=start + step >= len(view))
        except UnicodeDecodeError as exc:
            raise InvalidFormatError(path, Problem(f"not UTF-8 text (byte {start + exc.start})")) from None
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise InvalidFormatError(path, Problem(f"not UTF-8 text (byte {len(view) + exc.start})")) from None


def _malformed(raw: bytes | memoryview, exc: Exception, path: str | Path | None) -> Problem:
    """The problem of a file msgspec could not parse, with its line and column."""
    if len(raw) <= _EXACT_MESSAGE_BYTES:
        text = bytes(raw).decode("utf-8")
        try:
            json.loads(text, parse_int=_parse_int)
        except json.JSONDecodeError as error:
            return Problem(f"malformed JSON: {error.msg}", error.lineno, error.colno)
        except RecursionError:
            return Problem("malformed JSON: nested too deeply")
    message = str(exc).removeprefix("JSON is malformed: ")
    found = re.search(r"\(byte (\d+)\)$", message)
    if found is None:
        return Problem(f"malformed JSON: {message}")
    offset = int(found.group(1))
    before = bytes(memoryview(raw)[:offset])
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return Problem(f"malformed JSON: {message[: found.start()].strip()}", line, column)


class _Problems(list):
    """The problems found so far: the first :data:`MAX_LISTED_PROBLEMS`, and a count of the rest.

    A million broken records must not become a million messages held in memory.
    """

    def __init__(self) -> None:
        super().__init__()
        self.unlisted = 0

    def append(self, problem: Problem) -> None:
        if len(self) < MAX_LISTED_PROBLEMS:
            super().append(problem)
        else:
            self.unlisted += 1


#: A broken file's problems are listed up to this many; the rest are counted.
MAX_LISTED_PROBLEMS = 1000


def _records(raw: msgspec.Raw | None, where: str, problems: list[Problem]) -> list[msgspec.Raw]:
    """The records of the ``nodes`` or ``links`` list, each still as its JSON text."""
    if raw is None:
        return []
    try:
        return _RECORDS.decode(raw)
    except msgspec.ValidationError:
        problems.append(Problem("must be a list", where=where))
        return []


def _top_level(raw: bytes | memoryview, path: str | Path | None) -> dict:
    """The file's top-level fields, each kept as a slice of its bytes; a file that is not an org's is refused."""
    _check_utf8(raw, path)
    if len(raw) > _DENSITY_CHECK_BYTES:
        whole = bytes(raw)
        values = whole.count(b",") + whole.count(b"{") + whole.count(b"[")
        del whole
        if values * _MIN_BYTES_PER_VALUE > len(raw):
            raise InvalidFormatError(
                path,
                Problem(f"{values:,} values in {len(raw):,} bytes: far too many for an org file (not read further)"),
            )
    try:
        try:
            top = _TOP_LEVEL.decode(raw)
        except msgspec.ValidationError:
            msgspec.json.decode(raw, type=msgspec.Raw)  # a broken file is told as broken, whatever it starts with
            raise InvalidFormatError(path, Problem("the file must hold a JSON object", where="top level")) from None
    except (msgspec.DecodeError, RecursionError) as exc:
        raise InvalidFormatError(path, _malformed(raw, exc, path)) from None
    if b"\\u" in raw:
        problem = _lone_surrogate_problem(raw)
        if problem is not None:
            _refuse_if_unstorable(top, problem, path)
    return top


def _checked_nodes(nodes: Iterable[Any], problems: list[Problem]) -> tuple[list[Node], set[str]]:
    """The valid nodes of ``nodes`` and the ids in the file, record by record; each problem is added to ``problems``.

    The id of a refused record is among the ids, so that links to it are not reported as well.
    """
    good_nodes: list[Node] = []
    ids: set[str] = set()
    for index, record in enumerate(nodes):
        where = f"nodes[{index}]"
        if not isinstance(record, dict):
            problems.append(Problem("must be an object", where=where))
            continue
        node = _node_from_record(record, where, problems)
        if node is None:
            if isinstance(record.get("id"), str) and problems:
                # The card is in the file, only refused: its links are not "to a missing node" on top of that.
                ids.add(record["id"])
            continue
        if node.id in ids:
            problems.append(Problem(f"duplicate id {node.id!r}", where=f"nodes[{index}].id"))
            continue
        ids.add(node.id)
        good_nodes.append(node)
    return good_nodes, ids


def _checked_link_keys(links: Iterable[Any], ids: set[str], problems: list[Problem]) -> list[tuple[str, str, str]]:
    """The (source, target, kind) of each valid link record, one by one; each problem is added to ``problems``."""
    keys: set[tuple[str, str, str]] = set()
    good_links: list[tuple[str, str, str]] = []
    for index, record in enumerate(links):
        where = f"links[{index}]"
        if not isinstance(record, dict):
            problems.append(Problem("must be an object", where=where))
            continue
        link = _link_from_record(record, where, problems)
        if link is None:
            continue
        if link.source not in ids or link.target not in ids:
            for field_name, end in (("source", link.source), ("target", link.target)):
                if end not in ids:
                    problems.append(Problem(f"links to a missing node {end!r}", where=f"{where}.{field_name}"))
            continue
        key = (link.source, link.target, link.kind)
        if key in keys:
            problems.append(Problem(f"duplicate link {link.source} -[{link.kind}]-> {link.target}", where=where))
            continue
        keys.add(key)
        good_links.append(key)
    return good_links


def _node_from_record(record: dict[str, Any], where: str, problems: list[Problem]) -> Node | None:
    values: dict[str, Any] = {}
    ok = True
    for key, value in record.items():
        if key not in _NODE_FIELDS:
            problems.append(Problem(f"unknown attribute {key!r}", where=f"{where}.{key}"))
            ok = False
            continue
        values[key] = value
    for required in ("id", "kind"):
        if required not in values:
            problems.append(Problem(f"missing {required!r}", where=where))
            ok = False
    if not ok:
        return None
    try:
        return make_node(**values)
    except ModelError:
        # Find every faulty field, not just the first one.
        for key, value in values.items():
            try:
                validate_node_value(key, value)
            except ModelError as exc:
                problems.append(Problem(str(exc), where=f"{where}.{key}"))
        return None


def _link_from_record(record: dict[str, Any], where: str, problems: list[Problem]) -> Link | None:
    ok = True
    for key in record:
        if key not in _LINK_FIELDS:
            problems.append(Problem(f"unknown attribute {key!r}", where=f"{where}.{key}"))
            ok = False
    for key in _LINK_FIELDS:
        value = record.get(key)
        if not isinstance(value, str) or not value:
            problems.append(Problem(f"missing or not text: {value!r}", where=f"{where}.{key}"))
            ok = False
    if ok and record["kind"] not in LINK_KINDS:
        message = f"unknown link kind {record['kind']!r} (expected one of {', '.join(LINK_KINDS)})"
        problems.append(Problem(message, where=f"{where}.kind"))
        ok = False
    return Link(record["source"], record["target"], record["kind"]) if ok else None


def _refuse_if_unstorable(top: dict[str, msgspec.Raw], problem: Problem, path: str | Path | None) -> None:
    """Refuse the file when one of its texts really holds half a UTF-16 pair (not just a backslash and a u)."""
    for raw in top.values():
        if b"\\u" not in bytes(raw):
            continue
        try:
            json.dumps(_value(raw), ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidFormatError(path, problem) from None
