"""Run a step as a user whom file permissions stop, even when the test run itself is root.

Root reads and writes files whatever their modes, so a test of "the file is
unreadable" or "the folder is read-only" proves nothing when it runs as root,
as it does in containers and in CI. Such a test runs the step that must hit
the permission error in a child process that has given up the power to
ignore permissions: first by dropping the capabilities that let root override
file modes (the child stays uid 0 and owner of the test's files, so it is
stopped by the owner bits like anyone else), and failing that by becoming
the user ``nobody``. Which way works is probed once, with a real locked file;
when neither does, the tests that need it skip and say why.

Run as a script, this module is that child's first step: it gives up the
privilege named by its first argument and then executes the rest of its
arguments as the command.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRAPPER = Path(__file__).resolve()

#: Linux capabilities that let a process read, write or chmod files whatever their modes and owners.
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
PR_CAPBSET_DROP = 24
NOBODY = 65534

#: How the child gives up privilege, in the order they are tried.
STRATEGIES = ("capabilities", "nobody")

PROBE = """
import sys
import PySide6.QtWidgets
import planner.cli
try:
    open(sys.argv[1], "rb")
except PermissionError:
    pass
else:
    sys.exit("a mode-0 file could still be read")
try:
    open(sys.argv[2], "wb")
except PermissionError:
    pass
else:
    sys.exit("a file could still be made in a read-only folder")
"""


def give_up(strategy: str) -> None:
    """Lose the power to ignore file permissions, for this process and whatever it executes next."""
    if strategy == "capabilities":
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        # Root's capabilities after exec are its bounding set: dropping them there is for good.
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                error = ctypes.get_errno()
                raise OSError(error, f"cannot drop capability {capability}: {os.strerror(error)}")
    elif strategy == "nobody":
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    else:
        raise ValueError(f"unknown way to give up privilege: {strategy}")


@dataclass(frozen=True)
class BoundUser:
    """A way to run commands as a user whom file permissions stop; ``strategy`` None: this process already is one.

    ``folder`` is a scratch folder that user may reach, for the files the step works on.
    """

    strategy: str | None
    folder: Path | None = None

    @property
    def uid(self) -> int:
        return NOBODY if self.strategy == "nobody" else os.geteuid()

    @property
    def gid(self) -> int:
        return NOBODY if self.strategy == "nobody" else os.getegid()

    def describe(self) -> str:
        if self.strategy is None:
            return "this user, whom permissions stop"
        if self.strategy == "capabilities":
            return "root without the capabilities that override file permissions"
        return "the user nobody"

    def command(self, argv: list[str]) -> list[str]:
        if self.strategy is None:
            return argv
        return [sys.executable, str(WRAPPER), self.strategy, *argv]

    def run(self, argv: list, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run ``argv`` as this user, from the repository, with the planner importable."""
        env = dict(os.environ if env is None else env)
        env["PYTHONPATH"] = str(ROOT)
        return subprocess.run(
            self.command([str(a) for a in argv]), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )

    def hand_over(self, path: Path) -> None:
        """Make ``path`` and everything under it this user's, as files it had made itself."""
        if self.uid == os.geteuid():
            return
        os.chown(path, self.uid, self.gid)
        if path.is_dir():
            for item in path.rglob("*"):
                os.chown(item, self.uid, self.gid, follow_symlinks=False)

    def with_scratch(self, tmp_path: Path) -> BoundUser:
        """This user with a scratch folder: ``tmp_path`` when it may use it, else a new one it can reach.

        Pytest's temporary folders sit under one only their owner may enter; the caller removes a new one.
        """
        if self.uid == os.geteuid():
            return replace(self, folder=tmp_path)
        folder = Path(tempfile.mkdtemp(prefix="planner-as-nobody-"))
        folder.chmod(0o755)
        return replace(self, folder=folder)


def _probe(strategy: str) -> str:
    """Empty when ``strategy`` gives a child that permissions stop and that can run the planner; else why not."""
    base = Path(tempfile.mkdtemp(prefix="planner-probe-"))
    user = BoundUser(strategy).with_scratch(base)
    folder = user.folder
    try:
        locked_file = folder / "locked.json"
        locked_file.write_bytes(b"{}")
        locked_folder = folder / "locked"
        locked_folder.mkdir()
        user.hand_over(folder)
        locked_file.chmod(0)
        locked_folder.chmod(0o555)
        try:
            result = user.run([sys.executable, "-c", PROBE, locked_file, locked_folder / "new.json"], timeout=120)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"{user.describe()}: {exc}"
        if result.returncode != 0:
            last_line = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
            return f"{user.describe()}: {last_line}"
        return ""
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(base, ignore_errors=True)


@functools.cache
def bound_user() -> tuple[BoundUser | None, str]:
    """The way to run a step that permissions must stop, or None and why there is none."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return BoundUser(None), ""
    reasons = []
    for strategy in STRATEGIES:
        reason = _probe(strategy)
        if not reason:
            return BoundUser(strategy), ""
        reasons.append(reason)
    return None, "root here, and no child could be made that file permissions stop (" + "; ".join(reasons) + ")"


if __name__ == "__main__":
    give_up(sys.argv[1])
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    except OSError as exc:
        sys.exit(f"cannot run {sys.argv[2]} after giving up privilege: {exc}")
