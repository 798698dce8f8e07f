"""One editor per org file, as office suites do it: a lock file beside the file names who has it open, and since when.

Opening a file takes the lock ``.<name>.planner-lock`` in the file's folder (a
:class:`QLockFile`, holding the process id, the host and the application). A
second editor that finds the lock held by a live process says who holds it and
since when, and offers to open the file read-only (Save is refused; Save As
works) or to open it anyway. A lock whose process is gone, after a crash, is
taken over without a word. A folder where no lock can be made (read-only, or
gone) opens the file without one: the lock guards against a second editor, it
must never stop the first.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile

LOCK_SUFFIX = ".planner-lock"


def lock_path(path: str | os.PathLike) -> Path:
    """Where the lock of the org file at ``path`` lives: beside it, hidden.

    Links are resolved first, so that the same file opened by two names (a link to it, or to its folder)
    has one lock.
    """
    path = Path(os.path.realpath(path))
    return path.with_name(f".{path.name}{LOCK_SUFFIX}")


@dataclass(frozen=True)
class Holder:
    """Who holds a file's lock: user, host, process and since when."""

    user: str
    host: str
    pid: int
    since: datetime | None

    def describe(self) -> str:
        """“jane on build-7 (process 4711) since 14:03”."""
        when = f" since {self.since.astimezone().strftime('%d %b %Y, %H:%M').lstrip('0')}" if self.since else ""
        who = self.user or "someone"
        host = f" on {self.host}" if self.host else ""
        return f"{who}{host} (process {self.pid}){when}"


def _user_of(path: Path) -> str:
    try:
        uid = path.stat().st_uid
    except OSError:
        return ""
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


class FileLock:
    """The lock of one org file, taken by :meth:`acquire` and let go by :meth:`release`."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = lock_path(path)
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # only a dead process's lock is stale, however old
        self.held = False

    def acquire(self) -> Holder | None:
        """Take the lock; None when taken (or when no lock can be made here), else who holds it."""
        try:
            if not stat.S_ISREG(os.stat(self.path).st_mode):
                return None  # a pipe or a device under the lock's name: reading it could hang; open unlocked
        except OSError:
            pass  # no lock file yet (the usual case), or none can be looked at: QLockFile says which
        if self._lock.tryLock(0):
            self.held = True
            return None
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            return None  # no permission, or another error: open without a lock
        info = self._lock.getLockInfo()
        if not info or not isinstance(info, tuple) or len(info) < 3:
            return Holder("", "", 0, None)
        pid, host, _app = info[-3:]
        try:
            since = datetime.fromtimestamp(self.path.stat().st_mtime).astimezone()
        except OSError:
            since = None
        return Holder(_user_of(self.path), str(host), int(pid), since)

    def release(self) -> None:
        if self.held:
            self._lock.unlock()
            self.held = False


def ask_about_lock(parent, path: str, holder: Holder) -> str:
    """Ask what to do with a file another editor has open: "read-only", "open" (anyway) or "cancel"."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setText(f"“{Path(path).name}” is open in another editor: {holder.describe()}.")
    box.setInformativeText(
        "Open it read-only to look without saving over their work (Save As still works), "
        "or open it anyway if you know that editor is gone."
    )
    read_only = box.addButton("Open Read-Only", QMessageBox.ButtonRole.AcceptRole)
    anyway = box.addButton("Open Anyway", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(read_only)
    box.exec()
    return {read_only: "read-only", anyway: "open"}.get(box.clickedButton(), "cancel")


def ask_delete_cards(parent, count: int) -> bool:
    """Ask before Delete, pressed in a list of findings, removes the ``count`` cards a finding selected."""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(
        parent,
        parent.windowTitle() if parent is not None else "",
        f"Delete the {count} selected card{'s' * (count != 1)} from the chart? "
        "A finding stays until its cause is fixed.",
        defaultButton=QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
