"""Guard against the PySide6 6.12.0 bug on CPython 3.11 that drops a reference to None on calls into Qt.

With the bug, every call returning None takes one reference away from None;
after a few thousand calls the interpreter aborts with ``none_dealloc``. On
Python 3.12+ None is immortal and its count never moves, so the count check
passes there by design; the pin check holds everywhere.
"""

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from PySide6 import QtCore, QtGui, QtWidgets

CALLS = 3000


def test_calls_into_qt_do_not_leak_references_to_none(qapp):
    obj = QtCore.QObject()
    point = QtCore.QPointF()
    rect = QtCore.QRectF()
    widget = QtWidgets.QWidget()
    brush = QtGui.QColor()
    before = sys.getrefcount(None)
    for i in range(CALLS):
        obj.setObjectName("guard")
        point.setX(i)
        rect.setWidth(i)
        widget.setToolTip("")
        brush.setRed(i % 255)
    after = sys.getrefcount(None)
    widget.deleteLater()
    # A handful of references may move for unrelated reasons; the bug costs thousands.
    assert before - after < CALLS // 10, f"None lost {before - after} references over {CALLS * 5} calls into Qt"


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
