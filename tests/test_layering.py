"""The architecture holds: packages import only the layers below them, and the headless ones never load Qt.

The contracts themselves live in ``pyproject.toml`` (``[tool.importlinter]``)
and are checked here with import-linter, so that CI fails on a new leak, direct
or through a chain of imports.
"""

import ast
import os
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


def test_the_import_contracts_in_pyproject_are_kept():
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_the_contracts_catch_a_layer_that_imports_one_above_it(tmp_path):
    """A copy of the planner in which the chart imports the editor breaks the layers contract."""
    import shutil

    shutil.copytree(ROOT / "planner", tmp_path / "planner", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / "planner" / "chart" / "scene.py").open("a", encoding="utf-8") as scene:
        scene.write("\nimport planner.ui.canvas.view  # noqa\n")
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert out.returncode != 0
    assert "planner.chart.scene -> planner.ui.canvas.view" in out.stdout


def test_the_contracts_have_no_exceptions():
    """No import is let off a contract: a leak is fixed, not listed."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    assert len(contracts) >= 3
    assert all(not contract.get("ignore_imports") for contract in contracts)
