"""Untrusted XML read as a stream of finished elements, in C, with defusedxml's protections. No Qt here.

Building a whole element tree of a 200 MB GraphML file costs several times
the file in memory, and defusedxml's tree builder runs in Python. Here the
document's prolog (everything before the first tag) is first read by expat
with defusedxml's refusals: a document type declaration, and so any entity
or outside reference, is refused (:class:`defusedxml.DTDForbidden`), before
anything else is parsed. None can come after the root element starts, so the
rest is parsed by the standard library's C parser, fed a megabyte at a time,
and handed out, 64 KB at a time, as elements as they end: the reader takes what it needs from
each and clears it, and memory stays in proportion to one element, not the
file. A file is refused past ``limit`` bytes however it grew since it was
measured. Malformed XML raises :class:`~planner.io.errors.InvalidFormatError`
naming the line and column.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from planner.io.errors import InvalidFormatError, LoadError, Problem

#: Read a file this much at a time: the elements of one chunk are all in memory at once, until read out.
CHUNK_BYTES = 1 << 16


class _RootReached(Exception):
    """The prolog is over: the root element starts."""


def _refuse_doctype(name, sysid, pubid, has_internal_subset):
    raise DTDForbidden(name, sysid, pubid)


def _refuse_entity(name, is_parameter_entity, value, base, sysid, pubid, notation_name):
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)


def _refuse_unparsed_entity(name, base, sysid, pubid, notation_name):
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)


def _refuse_external(context, base, sysid, pubid):
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def _root_starts(name, attributes):
    raise _RootReached


def prolog_parser(root_allowed: bool = False) -> expat.XMLParserType:
    """An expat parser that refuses a DTD, entities and outside references (defusedxml's exceptions).

    It stops at the root element (raising an internal exception) unless
    ``root_allowed``: then it checks a whole document is well-formed and safe.
    """
    # A whole document is checked with namespaces, as ElementTree reads it: an unbound prefix is an error.
    parser = expat.ParserCreate(namespace_separator="}") if root_allowed else expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_unparsed_entity
    parser.ExternalEntityRefHandler = _refuse_external
    if not root_allowed:
        parser.StartElementHandler = _root_starts
    return parser


def _malformed(path, message: str, line: int = 1, column: int = 1) -> InvalidFormatError:
    return InvalidFormatError(path, Problem(f"malformed XML: {message}", line, column))


def read_chunks(handle: BinaryIO, path, limit: int) -> Iterator[bytes]:
    """The file in chunks of :data:`CHUNK_BYTES`; :class:`LoadError` once more than ``limit`` bytes are read."""
    read = 0
    while chunk := handle.read(CHUNK_BYTES):
        read += len(chunk)
        if read > limit:
            raise LoadError(path, f"the file is over the {limit / 2**20:.0f} MiB limit")
        yield chunk


def _checked_prolog(chunks: Iterator[bytes], path) -> list[bytes]:
    """The chunks up to the root element's start tag, once expat has found no DTD in them."""
    parser = prolog_parser()
    seen: list[bytes] = []
    try:
        for chunk in chunks:
            seen.append(chunk)
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _RootReached:
        return seen
    except DefusedXmlException as exc:
        raise InvalidFormatError(path, Problem(f"refused unsafe XML ({type(exc).__name__})")) from None
    except LookupError as exc:  # an encoding named in the XML declaration that Python does not know
        raise _malformed(path, str(exc)) from None
    except expat.ExpatError as exc:
        raise _malformed(path, expat.ErrorString(exc.code), exc.lineno, exc.offset + 1) from None
    return seen


def ended_elements(handle: BinaryIO, path: str | Path | None, limit: int) -> Iterator[Iterator[tuple[str, ET.Element]]]:
    """The document's elements as they end (children before parents, the root last), as ``("end", element)``.

    One iterator per chunk read; read each out before the next (an element
    not read out yet is held). Clear what you are done with: an element keeps
    its children until cleared.
    """
    chunks = read_chunks(handle, path, limit)
    parser = ET.XMLPullParser(events=("end",))
    try:
        for chunk in _checked_prolog(chunks, path):
            parser.feed(chunk)
            yield _read_out(parser, path)
        for chunk in chunks:
            parser.feed(chunk)
            yield _read_out(parser, path)
        parser.close()
    except ET.ParseError as exc:
        raise _parse_error(exc, path) from None
    except LookupError as exc:
        raise _malformed(path, str(exc)) from None
    yield _read_out(parser, path)


def _read_out(parser: ET.XMLPullParser, path) -> Iterator[tuple[str, ET.Element]]:
    # The parser hands a syntax error over among the events, where it was found.
    try:
        yield from parser.read_events()
    except ET.ParseError as exc:
        raise _parse_error(exc, path) from None


def _parse_error(exc: ET.ParseError, path) -> InvalidFormatError:
    line, column = exc.position
    return _malformed(path, str(exc).split(":")[0], line, column + 1)
