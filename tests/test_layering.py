"""The layers that must work without Qt really do: nothing in them imports PySide6, directly or indirectly."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
QT_FREE = (
    "planner/model",
    "planner/analysis",
    "planner/io",
    "planner/layout",
    "planner/report",
    "planner/diff.py",
    "planner/collector.py",
)
QT_NAMES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def _qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [f"{path.relative_to(ROOT)}:{node.lineno}: {n}" for n in names if n.split(".")[0] in QT_NAMES]
    return found


def test_no_qt_import_in_the_headless_layers():
    leaks = []
    for place in QT_FREE:
        root = ROOT / place
        for path in [root] if root.is_file() else sorted(root.rglob("*.py")):
            leaks += _qt_imports(path)
    assert not leaks, "Qt imported where it must not be:\n" + "\n".join(leaks)


@pytest.mark.parametrize(
    "module", ["planner.model", "planner.analysis", "planner.io", "planner.cli", "planner.synthetic", "planner.diff"]
)
def test_headless_modules_do_not_load_qt_at_run_time(module):
    code = f"import sys, {module}; print(any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_check_command_never_loads_qt(tmp_path):
    code = (
        "import sys\n"
        "from planner.cli import main\n"
        "from planner.resources import sample_path\n"
        "main(['check', str(sample_path('startup')), '--fail-on', 'never'])\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was loaded'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
