"""Reading and writing org files, chosen by file extension. No Qt here."""

from __future__ import annotations

from pathlib import Path

from planner.io import csvpair, drawio, graphml, native
from planner.io.errors import InvalidFormatError, LoadError, Problem, SaveError, UnsupportedFormatVersionError
from planner.layout import layered_layout, needs_layout
from planner.model.org import Org

#: extension → (reader, writer)
FORMATS = {
    ".json": (native.load, native.save),
    ".graphml": (graphml.load, graphml.save),
    # draw.io (diagrams.net): cards and links with the editor's look, read back after editing.
    ".drawio": (drawio.load, drawio.save),
    # A node/link pair: nodes.csv names the pair, links.csv is read and written beside it.
    ".csv": (csvpair.load, csvpair.save),
}


def _format_of(path: Path):
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise LoadError(path, f"unknown file type {path.suffix or '(none)'!r} (known: {known})") from None


def load_org(path: str | Path, layout: bool = True) -> Org:
    """Read an org from any known format; raise :class:`LoadError` naming the file and the place.

    A file whose cards have no usable positions (an export from a tool that
    does not draw, or hand-written data) is laid out, unless ``layout`` is False.
    """
    path = Path(path)
    reader, _ = _format_of(path)
    org = reader(path)
    if layout and len(org) and needs_layout(org):
        org.move_nodes(layered_layout(org))
    return org


def save_org(org: Org, path: str | Path) -> None:
    """Write an org in the format its extension names; raise :class:`SaveError` on failure."""
    path = Path(path)
    try:
        _, writer = _format_of(path)
    except LoadError as exc:
        raise SaveError(str(exc)) from None
    writer(org, path)


__all__ = [
    "FORMATS",
    "InvalidFormatError",
    "LoadError",
    "Problem",
    "SaveError",
    "UnsupportedFormatVersionError",
    "load_org",
    "save_org",
]
