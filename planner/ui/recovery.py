"""Autosave of unsaved changes to a recovery folder, and finding what a crashed editor left there.

While a document has unsaved changes, an :class:`Autosaver` writes a copy of
the org every so often (a minute by default; ``autosave/seconds`` in the
settings, or the ``PLANNER_AUTOSAVE_SECONDS`` environment variable, which wins)
to ``recovery/`` in the application's data folder. Each copy belongs to one
editor: it is named after a hash of the document's absolute, resolved path and
the editor's own instance id, so two editors on the same file never share a
copy, and a save in one never removes the other's. A small JSON sidecar says
which file the copy belongs to (its absolute, resolved path, so that a restart
from another folder restores to the right file), when it was written and the
org's name. Saving, or a clean close (saved or discarded), removes the editor's
own copy, so only a crash leaves one behind. A ``QLockFile`` held beside each
copy, taken before the copy is first written, tells a copy of a running editor
from an orphan: Qt takes over a lock whose process has died. On start,
:meth:`RecoveryStore.orphans` lists the orphans for the window to offer.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QSettings, QStandardPaths, QTimer, Signal

from planner.io import LoadError, SaveError, load_org
from planner.io.native import dumps, write_atomically
from planner.model.org import Org
from planner.ui.document import Document
from planner.ui.file_stamp import FileStamp

DEFAULT_AUTOSAVE_SECONDS = 60
AUTOSAVE_ENV = "PLANNER_AUTOSAVE_SECONDS"
AUTOSAVE_SETTING = "autosave/seconds"
_META_SUFFIX = ".meta.json"


def autosave_seconds(settings: QSettings | None = None) -> int:
    """How often unsaved changes are copied: the environment variable, else the setting, else a minute."""
    for value in (os.environ.get(AUTOSAVE_ENV), settings.value(AUTOSAVE_SETTING) if settings is not None else None):
        try:
            seconds = int(float(value))
        except (TypeError, ValueError):
            continue
        if seconds > 0:
            return seconds
    return DEFAULT_AUTOSAVE_SECONDS


def recovery_folder() -> Path:
    """``recovery/`` in the application's data folder (per user, per application)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


def key_for(path: str | None, instance: str = "") -> str:
    """The recovery name of a document: a hash of its file's resolved path (or "untitled"), and the editor's id.

    Without an ``instance`` a fresh one is made up.
    """
    instance = instance or uuid.uuid4().hex[:16]
    if not path:
        return f"untitled-{instance}"
    return f"{hashlib.sha256(resolved(path).encode('utf-8')).hexdigest()[:24]}-{instance}"


def resolved(path: str) -> str:
    """``path`` made absolute, with its links resolved: what a recovery copy records, wherever the editor ran from."""
    return os.path.realpath(path)


@dataclass
class Recovered:
    """Changes a crashed editor left behind: where they are, what file they belong to, and from when."""

    org_file: Path
    meta_file: Path
    original_path: str | None
    saved_at: datetime
    org_name: str
    stamp: FileStamp | None
    lock: QLockFile

    def describe(self) -> str:
        """“Recovered changes to Northwind Commerce from 22 Nov 2026, 14:03”."""
        when = self.saved_at.astimezone().strftime("%d %b %Y, %H:%M").lstrip("0")
        return f"Recovered changes to {self.org_name or 'an untitled org'} from {when}"

    def load(self) -> Org:
        return load_org(self.org_file, layout=False)

    def discard(self) -> None:
        """Delete the copy and its sidecar, and let go of its lock."""
        for path in (self.org_file, self.meta_file):
            path.unlink(missing_ok=True)
        self.release()

    def release(self) -> None:
        self.lock.unlock()


class RecoveryStore:
    """The recovery folder: write, remove and list the copies of unsaved documents."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)

    def org_file(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def meta_file(self, key: str) -> Path:
        return self.folder / f"{key}{_META_SUFFIX}"

    def lock_file(self, key: str) -> QLockFile:
        lock = QLockFile(str(self.folder / f"{key}.lock"))
        lock.setStaleLockTime(0)
        return lock

    def make_folder(self) -> None:
        """Create the folder, for this user's eyes only: the copies hold orgs the user has not even saved."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if stat.S_IMODE(self.folder.stat().st_mode) != 0o700:  # made by an older version, or by hand
            self.folder.chmod(0o700)

    def write(self, key: str, org: Org, original_path: str | None, stamp: FileStamp | None) -> Path:
        """Copy ``org`` (atomically) with its sidecar; raise :class:`~planner.io.SaveError` when it cannot."""
        try:
            self.make_folder()
        except OSError as exc:
            raise SaveError(f"{self.folder}: {exc.strerror or exc}", exc.errno) from None
        target = self.org_file(key)
        write_atomically(target, dumps(org))
        meta = {
            "original_path": resolved(original_path) if original_path else None,
            "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "org_name": org.name,
            "stamp": stamp.to_dict() if stamp is not None else None,
        }
        write_atomically(self.meta_file(key), json.dumps(meta, indent=2))
        return target

    def remove(self, key: str) -> None:
        for path in (self.org_file(key), self.meta_file(key)):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass

    def orphans(self) -> list[Recovered]:
        """Copies no running editor holds, newest first; each comes locked, until discarded or released."""
        if not self.folder.is_dir():
            return []
        found = []
        for meta_file in self.folder.glob(f"*{_META_SUFFIX}"):
            key = meta_file.name[: -len(_META_SUFFIX)]
            org_file = self.org_file(key)
            if not org_file.is_file():
                continue
            lock = self.lock_file(key)
            if not lock.tryLock(0):
                continue
            try:
                meta = json.loads(meta_file.read_text(encoding="utf-8"))
                saved_at = datetime.fromisoformat(meta["saved_at"])
            except (OSError, ValueError, KeyError, TypeError):
                lock.unlock()
                continue
            found.append(
                Recovered(
                    org_file,
                    meta_file,
                    meta.get("original_path") or None,
                    saved_at,
                    str(meta.get("org_name") or ""),
                    FileStamp.from_dict(meta.get("stamp")),
                    lock,
                )
            )
        found.sort(key=lambda r: r.saved_at, reverse=True)
        return found


class Autosaver(QObject):
    """Copies a document's unsaved changes to a :class:`RecoveryStore` at an interval, and tidies up after it."""

    #: A recovery copy was written (its path).
    written = Signal(str)
    #: A recovery copy could not be written (a sentence saying why, for the status bar).
    failed = Signal(str)

    def __init__(
        self,
        document: Document,
        store: RecoveryStore,
        seconds: int = DEFAULT_AUTOSAVE_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.store = store
        #: This editor's own id: its copies are its own, whatever other editors do with the same file.
        self.instance = uuid.uuid4().hex[:16]
        self._key = key_for(document.path, self.instance)
        self._lock: QLockFile | None = None
        self._dirty = False
        self.timer = QTimer(self)
        self.timer.setInterval(seconds * 1000)
        self.timer.timeout.connect(self.save_copy)
        document.undo_stack.indexChanged.connect(self._on_edit)
        document.undo_stack.cleanChanged.connect(self._on_clean_changed)
        document.org_replaced.connect(self._on_org_replaced)
        document.path_changed.connect(self._on_path_changed)

    @property
    def key(self) -> str:
        """The name of this editor's copy of its document in the recovery folder."""
        return self._key

    @property
    def copy_path(self) -> Path:
        return self.store.org_file(self._key)

    def save_copy(self) -> bool:
        """Write the recovery copy now, if there are changes it does not hold yet."""
        if not self.document.is_modified():
            self.timer.stop()
            return False
        if not self._dirty:
            return False
        try:
            if self._lock is None:
                self.store.make_folder()
                lock = self.store.lock_file(self._key)
                if not lock.tryLock(0):
                    # Unlocked, the copy would pass for a crashed editor's and be offered, or deleted, by another.
                    raise SaveError(f"{self.store.folder}: the copy's lock cannot be taken ({lock.error().name})")
                self._lock = lock
            path = self.store.write(self._key, self.document.org, self.document.path, self.document.stamp)
        except (SaveError, OSError) as exc:
            self.failed.emit(f"Your unsaved changes could not be copied for recovery: {exc}")
            return False
        self._dirty = False
        self.written.emit(str(path))
        return True

    def finish(self) -> None:
        """The document was saved or its changes dropped: stop and remove the copy."""
        self.timer.stop()
        self._dirty = False
        self.store.remove(self._key)
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _on_edit(self, _index: int = 0) -> None:
        # No question to the undo stack here: it signals from its destructor too, when the window goes.
        self._dirty = True
        if not self.timer.isActive():
            self.timer.start()

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:
            self.finish()
        else:
            self._on_edit()

    def _on_org_replaced(self, _org: Org) -> None:
        # The old org was saved or its changes were dropped before it was replaced.
        self.finish()
        self._key = key_for(self.document.path, self.instance)

    def _on_path_changed(self, path: str) -> None:
        new_key = key_for(path or None, self.instance)
        if new_key != self._key:
            self.finish()
            self._key = new_key
            self._on_edit()


def offer_recovered(window, orphans: list[Recovered]) -> bool:
    """Offer each orphan to ``window`` (a MainWindow), newest first, until one is restored; True if one was.

    A restored copy becomes the window's document, modified and tied to its original file; the others stay
    in the folder, to be offered next time, unless the user discarded them.
    """
    restored = False
    for index, recovered in enumerate(orphans):
        if restored:
            recovered.release()
            continue
        answer = window.ask_restore(recovered)
        if answer == "discard":
            recovered.discard()
            continue
        if answer != "restore":
            recovered.release()
            continue
        try:
            org = recovered.load()
        except LoadError as exc:
            window.show_error("The recovered changes could not be read.", exc.summary(), exc.details())
            recovered.release()
            continue
        if not window.maybe_save():
            recovered.release()
            continue
        window.document.restore(org, recovered.original_path, recovered.stamp)
        # Only now is the copy held nowhere else than in the editor; the autosaver writes its own at once.
        recovered.discard()
        window.autosave.save_copy()
        later = len(orphans) - index - 1
        more = f" ({later} more will be offered at the next start)" if later else ""
        window.show_status(f"{recovered.describe()}: save them to keep them{more}")
        restored = True
    return restored
