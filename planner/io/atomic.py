"""The one way the planner writes a file: so that a crash, a kill or a full disk leaves the old file or the new one.

Every output (org files, recovery copies, the CSV pair, charts, reports) goes
through :func:`write_atomically` or :func:`write_all_atomically`. The new bytes
go to a hidden temporary file in the target's own folder, are flushed to disk,
and the temporary file is renamed over the target; the folder is flushed too,
so that the rename outlasts a power cut. The target keeps its permissions.

A target that is not a regular file (a device, a named pipe, a socket, or a
link to one) is refused: renaming over it would replace a device node with a
plain file. A symbolic link to a regular file stays a link; the file it points
to is replaced.

Several files that belong together (a ``nodes.csv`` and its ``links.csv``) are
all written and flushed before any is renamed, and the renames happen under a
small journal naming each pending rename. A process killed between two
renames leaves the journal behind; :func:`complete_interrupted` (called when
the files are next read or written) finishes the renames, so the files change
as one.

Temporary files are named ``.<target>.<host>-<pid>-<random>.tmp``. A save that
was killed leaves one behind; the next save of the same target removes those
whose process is gone.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import socket
import stat
import time
from collections.abc import Mapping
from pathlib import Path

from planner.io.errors import SaveError

_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
#: ``.org.json.<host>-<pid>-<random>.tmp``; older planners wrote ``.org.json.<random>.tmp``.
_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.(?:(?P<host>[0-9a-f]{8})-(?P<pid>[0-9]+)-)?[0-9a-f]{12}\.tmp$")
JOURNAL_SUFFIX = ".journal"
#: A temporary file of another machine, or of an older planner, is taken for stale after this long.
STALE_SECONDS = 24 * 3600
_OLD_STYLE_STALE_SECONDS = 600


def _refuse_special(target: Path) -> None:
    """Refuse a target that exists and is not a regular file (after following links)."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise SaveError(f"{target}: {exc.strerror or exc}", exc.errno) from None
    if stat.S_ISDIR(info.st_mode):
        raise SaveError(f"{target}: is a folder, not a file", errno.EISDIR)
    if not stat.S_ISREG(info.st_mode):
        raise SaveError(
            f"{target}: not a regular file (a device, pipe or socket); the planner writes only files", errno.EINVAL
        )


def _real_target(path: str | Path) -> Path:
    target = Path(os.path.abspath(path))
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    _refuse_special(target)
    return target


def _new_file_beside(path: Path) -> tuple[int, Path]:
    """A new empty file in ``path``'s folder with a hidden, unused name, open for writing.

    It gets the permissions any new file gets (the user's umask applies), which a new target keeps:
    :func:`tempfile.mkstemp` would make every newly saved org readable by its owner only.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        candidate = path.with_name(f".{path.name}.{_HOST}-{os.getpid()}-{os.urandom(6).hex()}.tmp")
        try:
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"no unused name for a temporary file beside {path.name}")


def _flush_folder(folder: Path) -> None:
    """Flush a folder's entries to disk; best effort, as not every system lets a folder be opened or synced."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists but is someone else's
        return False
    return False


def _journalled_names(folder: Path) -> set[str]:
    """Names of the temporary files pending journals still need."""
    names: set[str] = set()
    for journal in folder.glob(f".*{JOURNAL_SUFFIX}"):
        for tmp, _target in _read_journal(journal):
            names.add(Path(tmp).name)
    return names


def clean_stale_temporaries(target: str | Path) -> list[Path]:
    """Remove the temporary files killed saves of ``target`` left beside it; return those removed."""
    target = Path(target)
    folder = target.parent
    removed: list[Path] = []
    try:
        entries = [entry for entry in os.scandir(folder) if entry.name.startswith(f".{target.name}.")]
    except OSError:
        return removed
    if not entries:
        return removed
    keep = _journalled_names(folder)
    now = time.time()
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or match["target"] != target.name or entry.name in keep:
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if match["pid"] is None:
            stale = age > _OLD_STYLE_STALE_SECONDS
        elif match["host"] == _HOST:
            pid = int(match["pid"])
            stale = pid != os.getpid() and _process_gone(pid)
        else:
            stale = age > STALE_SECONDS
        if stale:
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


def write_atomically(path: str | Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) to ``path`` so that a crash leaves either the old file or the new one.

    Raises :class:`~planner.io.errors.SaveError` (with the system's ``errno``) when it cannot.
    """
    write_all_atomically({path: text})


def write_all_atomically(texts: Mapping[str | Path, str | bytes]) -> None:
    """Write several files, each as :func:`write_atomically` does, so that they change together.

    Every text is written to its temporary file and flushed to disk before any
    target is touched: a full disk, a read-only folder or a crash while writing
    leaves all the old files as they were. With more than one file, a journal
    names the renames before the first one, so that a kill between two renames
    is completed when the files are next read (:func:`complete_interrupted`).
    """
    targets = [_real_target(path) for path in texts]
    if not targets:
        return
    complete_interrupted(targets[0])
    for target in targets:
        clean_stale_temporaries(target)
    staged: list[tuple[Path, Path]] = []  # (temporary file, target)
    journal: Path | None = None
    try:
        for target, text in zip(targets, texts.values(), strict=True):
            data = text.encode("utf-8") if isinstance(text, str) else text
            staged.append((_staged_copy(target, data), target))
        if len(staged) > 1:
            journal = journal_path(targets[0])
            _write_journal(journal, staged)
        while staged:
            tmp, target = staged[0]
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise SaveError(f"{target}: {exc.strerror or exc}", exc.errno) from None
            staged.pop(0)
            if journal is None:
                _flush_folder(target.parent)
        if journal is not None:
            for folder in {target.parent for target in targets}:
                _flush_folder(folder)
            journal.unlink(missing_ok=True)
            _flush_folder(journal.parent)
    finally:
        for tmp, _target in staged:  # what was not renamed: a failure left the targets as they were
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if staged and journal is not None:
            journal.unlink(missing_ok=True)


def journal_path(first_target: str | Path) -> Path:
    """Where the journal of a set of files whose first target is ``first_target`` is kept."""
    first_target = Path(first_target)
    return first_target.with_name(f".{first_target.name}{JOURNAL_SUFFIX}")


def _write_journal(journal: Path, staged: list[tuple[Path, Path]]) -> None:
    record = {"renames": [[str(tmp), str(target)] for tmp, target in staged]}
    data = json.dumps(record, indent=1).encode("utf-8")
    tmp = _staged_copy(journal, data)
    try:
        os.replace(tmp, journal)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SaveError(f"{journal}: {exc.strerror or exc}", exc.errno) from None
    _flush_folder(journal.parent)


#: A journal names a few renames in a few hundred bytes; a larger file is no journal of ours and is not read.
_MAX_JOURNAL_BYTES = 64 * 1024


def _read_journal(journal: Path) -> list[tuple[str, str]]:
    try:
        # Without waiting: a named pipe planted under a journal's name must not hang the reading of the files.
        fd = os.open(journal, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return []
            raw = os.read(fd, _MAX_JOURNAL_BYTES + 1)
        finally:
            os.close(fd)
        if len(raw) > _MAX_JOURNAL_BYTES:
            return []
        record = json.loads(raw.decode("utf-8"))
        return [(str(tmp), str(target)) for tmp, target in record["renames"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def complete_interrupted(first_target: str | Path) -> bool:
    """Finish the renames of a set of files whose writing was killed between two renames; True if there were any.

    The journal is written only once every new file is complete on disk, so
    finishing the renames is always safe; a journal whose temporary files are
    all gone is simply removed. Raises :class:`SaveError` when a rename is refused.
    """
    journal = journal_path(os.path.realpath(first_target))  # the writer resolves links too
    if not journal.exists():
        return False
    folder = journal.parent
    for tmp, target in _read_journal(journal):
        tmp_path, target_path = Path(tmp), Path(target)
        if not tmp_path.is_absolute() or not target_path.is_absolute():
            continue
        # The journal may name the folder through a link: compare folders as the system finds them.
        tmp_path = Path(os.path.realpath(tmp_path.parent)) / tmp_path.name
        target_path = Path(os.path.realpath(target_path.parent)) / target_path.name
        # The journal is data, not a command: only a temporary file of the planner's own naming, beside the
        # journal, goes over the file it was named after, beside it too; nothing outside the folder is touched.
        match = _TEMP_NAME.match(tmp_path.name)
        if (
            tmp_path.parent != folder
            or target_path.parent != folder
            or match is None
            or match["target"] != target_path.name
            or not tmp_path.is_file()
            or tmp_path.is_symlink()
        ):
            continue
        try:
            os.replace(tmp_path, target_path)
        except OSError as exc:
            raise SaveError(f"{target_path}: {exc.strerror or exc}", exc.errno) from None
    _flush_folder(folder)
    try:
        journal.unlink()
    except OSError as exc:
        raise SaveError(f"{journal}: {exc.strerror or exc}", exc.errno) from None
    _flush_folder(folder)
    return True


def _staged_copy(target: Path, data: bytes) -> Path:
    """A new file beside ``target`` holding ``data``, flushed to disk, with the target's permissions."""
    try:
        fd, tmp = _new_file_beside(target)
    except OSError as exc:
        raise SaveError(f"{target}: cannot write in this folder ({exc.strerror or exc})", exc.errno) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            mode = None
        if mode is not None:
            try:
                os.chmod(tmp, mode)
            except OSError:
                pass
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise SaveError(f"{target}: {exc.strerror or exc}", exc.errno) from None
    return tmp
