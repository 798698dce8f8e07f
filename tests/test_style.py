"""The code keeps its shape: ruff's lint rules and its formatting, checked by the suite and so by CI."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
TARGETS = ["planner", "tests", "main.py"]


def _ruff() -> list[str]:
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:
        found = shutil.which("ruff")
        if found is None:
            pytest.skip("ruff is not installed (pip install -e .[test])")
        return [found]
    return [find_ruff_bin()]


def test_ruff_finds_nothing_to_complain_about():
    out = subprocess.run([*_ruff(), "check", *TARGETS], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-1000:]


def test_ruff_format_would_change_nothing():
    out = subprocess.run([*_ruff(), "format", "--check", *TARGETS], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-1000:]


def test_no_function_is_let_off_the_complexity_limit():
    """ruff's C901 (limit 15) holds everywhere: no per-file exceptions in pyproject.toml, no inline ones."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    assert "C90" in lint["select"] and lint["mccabe"]["max-complexity"] <= 15
    assert not any("C90" in code for codes in lint.get("per-file-ignores", {}).values() for code in codes)
    inline = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "planner").rglob("*.py"))
        if "noqa: C90" in path.read_text(encoding="utf-8")
    ]
    assert not inline


def test_no_module_is_over_600_lines():
    long = {
        str(path.relative_to(ROOT)): count
        for path in sorted((ROOT / "planner").rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert not long, f"split these modules: {long}"
