"""The editor's tests leave a process that exits cleanly: a crash at shutdown fails here, by name, not CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent


def test_a_gui_test_run_that_copies_cards_exits_with_code_0():
    # Copy puts Python-made data on the clipboard, which used to crash the interpreter on its way out.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(TESTS / "test_building.py"),
            "-k",
            "copy or cut",
        ],
        cwd=TESTS.parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "passed" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, f"exit code {result.returncode}\n{result.stdout}\n{result.stderr}"
