"""The guard that keeps outputs off inputs and org files: it reads only regular files, and never waits on a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from planner.io import native
from planner.io.guard import OverwriteRefused, is_org_file, refuse_overwrite
from tests.helpers import healthy_org

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX named pipes")


def _finishes(function, *args) -> bool:
    """Whether ``function(*args)`` returns within half a minute (it waits forever when it opens a pipe to read)."""
    done = threading.Event()
    thread = threading.Thread(target=lambda: (function(*args), done.set()), daemon=True)
    thread.start()
    return done.wait(30)


def _unblock(pipe: Path) -> None:
    """Let a reader stuck opening ``pipe`` go: a writer comes and leaves at once."""
    try:
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


def test_a_named_pipe_is_not_taken_for_an_org_file_and_is_not_waited_on(tmp_path):
    pipe = tmp_path / "report.md"
    os.mkfifo(pipe)
    try:
        assert _finishes(is_org_file, pipe), "the guard opened a named pipe and waited for a writer"
        assert not is_org_file(pipe)
        refuse_overwrite(pipe)  # not an org file: the atomic writer is the one to refuse it
    finally:
        _unblock(pipe)


@pytest.mark.parametrize("command, name", [("report", "report.md"), ("export", "chart.svg"), ("export", "o.drawio")])
def test_report_and_export_onto_a_named_pipe_say_so_at_once(tmp_path, command, name):
    org = tmp_path / "org.json"
    native.save(healthy_org(), org)
    pipe = tmp_path / name
    os.mkfifo(pipe)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "planner", command, str(org), "-o", str(pipe)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        _unblock(pipe)
    assert result.returncode == 2
    assert "not a regular file" in result.stderr and result.stderr.count("\n") == 1
    assert pipe.is_fifo()


def test_org_files_are_still_recognised(tmp_path):
    org = tmp_path / "org.json"
    native.save(healthy_org(), org)
    assert is_org_file(org)
    with pytest.raises(OverwriteRefused, match="refusing to write over an org file"):
        refuse_overwrite(tmp_path / "org.json")
