"""Refuse to write an output over an input or over any org file. No Qt here.

``planner report`` and ``planner export`` (and the editor's exports) call
:func:`refuse_overwrite` before writing: a report written over the org it
describes, over the baseline or over any other org file would destroy the
only copy of someone's work. An *org file* is one that holds the planner's
``format`` field, a GraphML graph, a draw.io diagram (which may hold edits
made in draw.io), or the nodes table of a CSV pair.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from planner.io.native import FORMAT_NAME

_SNIFF_BYTES = 4096


class OverwriteRefused(ValueError):
    """The output would replace an input or an org file; the message says which, in one line."""


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def is_org_file(path: str | Path) -> bool:
    """Whether ``path`` is an existing file the planner reads as an org.

    Only a regular file is read: opening a named pipe would wait for a writer forever (the atomic writer
    then refuses such a target with its own message), and a device is nobody's org.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, _SNIFF_BYTES)
    except OSError:
        return False
    finally:
        os.close(fd)
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text.startswith("{") and f'"{FORMAT_NAME}"' in text and '"format"' in text:
        return True
    if text.startswith("<") and ("<graphml" in text or "<mxfile" in text or "<mxGraphModel" in text):
        return True
    if path.suffix.lower() == ".csv":
        header = {cell.strip().strip('"').casefold() for cell in text.splitlines()[0].split(",")} if text else set()
        return {"id", "kind"} <= header
    return False


def refuse_overwrite(output: str | Path, inputs: tuple[str | Path | None, ...] = ()) -> None:
    """Raise :class:`OverwriteRefused` when ``output`` is one of ``inputs`` or an existing org file."""
    target = Path(output)
    for source in inputs:
        if source and _same(target, Path(source)):
            raise OverwriteRefused(f"{output}: refusing to write over the input file {source}; choose another name")
    if target.exists() and is_org_file(target):
        raise OverwriteRefused(f"{output}: refusing to write over an org file; choose another name")


def _files_of(path: str | Path) -> tuple[Path, ...]:
    """The files ``path`` stands for: both files of a CSV pair, else the file itself."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        from planner.io.csvpair import pair_paths

        return pair_paths(path)
    return (path,)


def refuse_input_overwrite(output: str | Path, inputs: tuple[str | Path | None, ...], pairs: bool = True) -> None:
    """Raise :class:`OverwriteRefused` when writing ``output`` would replace one of ``inputs``.

    For ``planner convert`` and ``planner import``, which may replace other org files but never the one they
    read (an HR export is often the only copy). Both files of a CSV pair written count; so do both files of
    an input pair unless ``pairs`` is False (an HR export is one file).
    """
    for written in _files_of(output):
        for source in inputs:
            if source and any(_same(written, read) for read in (_files_of(source) if pairs else (Path(source),))):
                raise OverwriteRefused(f"{output}: refusing to write over the input file {source}; choose another name")
