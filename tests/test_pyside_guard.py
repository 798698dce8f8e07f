"""Guard against the PySide6 6.12.0 bug on CPython 3.11 that drops a reference to None on calls into Qt.

With the bug, every call returning None takes one reference away from None;
after a few thousand calls the interpreter aborts with ``none_dealloc``. On
Python 3.12+ None is immortal and its count never moves, so the count check
passes there by design; the pin check holds everywhere.
"""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

CALLS = 400

# Runs in a child process: with the bug, the parent test run would itself abort.
PROBE = f"""
import sys
from PySide6 import QtCore, QtGui, QtWidgets
app = QtWidgets.QApplication(["guard"])
obj, point, rect = QtCore.QObject(), QtCore.QPointF(), QtCore.QRectF()
widget, colour = QtWidgets.QWidget(), QtGui.QColor()
before = sys.getrefcount(None)
for i in range({CALLS}):
    obj.setObjectName("guard")
    point.setX(i)
    rect.setWidth(i)
    widget.setToolTip("")
    colour.setRed(i % 255)
print(before - sys.getrefcount(None))
"""


def test_calls_into_qt_do_not_leak_references_to_none():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, f"Qt calls crashed the interpreter (exit {out.returncode}): {out.stderr[-500:]}"
    lost = int(out.stdout.strip().splitlines()[-1])
    # A few references may move for unrelated reasons; the bug costs one per call.
    assert lost < CALLS // 4, f"None lost {lost} references over {CALLS * 5} calls into Qt"


def test_pyside_pin_excludes_the_broken_release():
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    (requirement,) = [
        Requirement(r) for r in pyproject["project"]["dependencies"] if r.lower().startswith("pyside6")
    ]
    assert not requirement.specifier.contains("6.12.0")
    assert requirement.specifier.contains("6.11.3")


def test_installed_pyside_is_not_the_broken_release_on_python_311():
    import PySide6

    if sys.version_info < (3, 12):
        assert PySide6.__version__ != "6.12.0"
