"""What a file on disk looked like when the editor last read or wrote it, to notice changes made behind its back.

A :class:`FileStamp` holds the modification time, the size and a SHA-256 of
the content. A different size is a change at once; otherwise the hash decides,
even when the time is the same too: ``cp -p`` and some sync tools copy new
bytes with the old time, and a file that was only touched (same bytes, new
time) does not count as changed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

_CHUNK = 1 << 20


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class FileStamp:
    """Modification time (ns), size (bytes) and content hash of one file."""

    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, path: str | os.PathLike) -> FileStamp | None:
        """The file's stamp now, or None when it cannot be read (missing, a folder, no permission)."""
        path = Path(path)
        try:
            info = path.stat()
            return cls(info.st_mtime_ns, info.st_size, _sha256(path))
        except OSError:
            return None

    def matches(self, path: str | os.PathLike) -> bool:
        """True when the file still holds the bytes this stamp was taken of."""
        path = Path(path)
        try:
            info = path.stat()
        except OSError:
            return False
        if info.st_size != self.size:
            return False
        try:
            return _sha256(path) == self.sha256
        except OSError:
            return False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> FileStamp | None:
        try:
            return cls(int(data["mtime_ns"]), int(data["size"]), str(data["sha256"]))
        except (TypeError, KeyError, ValueError):
            return None
