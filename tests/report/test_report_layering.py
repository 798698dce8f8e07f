"""The report package stands on its own: no Qt, and nothing from the CLI, the chart renderer or the editor."""

import ast
from pathlib import Path

ROOT = Path(__file__).parents[2]
FORBIDDEN = ("planner.cli", "planner.render", "planner.ui", "PySide6", "shiboken6")


def test_report_imports_no_cli_render_ui_or_qt():
    leaks = []
    for path in sorted((ROOT / "planner" / "report").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            leaks += [
                f"{path.name}:{node.lineno}: {name}"
                for name in names
                if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
            ]
    assert not leaks, leaks


def test_templates_ship_inside_the_package():
    templates = ROOT / "planner" / "report" / "templates"
    assert {p.name for p in templates.iterdir()} >= {"report.html.j2", "report.css", "report.js"}
