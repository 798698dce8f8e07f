"""Every file the planner writes goes through planner/io/atomic.py: no module opens a file for writing itself.

A direct write (``open(path, "w")``, ``Path.write_text``, a Qt object saving to a file name, a printer given
an output file) leaves a torn file on a full disk or a kill, and follows a link onto a device. This test reads
the source of every module and names any such call, so a new writer cannot slip past the atomic one.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "planner"

#: Modules allowed to write directly, and why.
ALLOWED = {
    "planner/io/atomic.py": "the atomic writer itself",
    "planner/bench.py": "times a plain json write as the floor a save is compared with, in a scratch folder",
    "planner/bench_report.py": "writes the timing frame page beside the scratch report it times",
}
_DIRECT_METHODS = {"write_text", "write_bytes", "setOutputFileName", "setFileName"}
#: A line with this comment writes a scratch file that is then copied to its target atomically.
SCRATCH_MARK = "# scratch file, then written atomically"


def _mode(call: ast.Call, position: int) -> str:
    for keyword in call.keywords:
        if keyword.arg == "mode" and isinstance(keyword.value, ast.Constant):
            return str(keyword.value.value)
    if len(call.args) > position and isinstance(call.args[position], ast.Constant):
        return str(call.args[position].value)
    return "r"


def _names_a_file(node: ast.expr) -> bool:
    """An argument that is a file name: text, an f-string, or ``str(...)`` of something."""
    if isinstance(node, ast.Constant | ast.JoinedStr):
        return isinstance(node, ast.JoinedStr) or isinstance(node.value, str)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("str", "os.fspath")


def direct_writes(source: str) -> list[tuple[int, str]]:
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "open" and set(_mode(node, 1)) & set("wax+"):
            found.append((node.lineno, "open() for writing"))
        elif isinstance(func, ast.Attribute):
            if func.attr in _DIRECT_METHODS:
                found.append((node.lineno, f".{func.attr}()"))
            elif func.attr == "open" and set(_mode(node, 0)) & set("wax+"):
                found.append((node.lineno, "Path.open() for writing"))
            elif func.attr == "save" and node.args and _names_a_file(node.args[0]):
                found.append((node.lineno, ".save() to a file name"))
    return [(line, what) for line, what in found if not lines[line - 1].rstrip().endswith(SCRATCH_MARK)]


def test_no_module_writes_a_file_but_through_the_atomic_writer():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED:
            continue
        offenders += [f"{relative}:{line}: {what}" for line, what in direct_writes(path.read_text(encoding="utf-8"))]
    assert not offenders, "write through planner.io.atomic instead:\n" + "\n".join(offenders)


def test_the_scan_finds_the_direct_writes_it_is_meant_to_find():
    source = """
open(p, "w")
open(p, mode="ab")
Path(p).open("w")
p.write_text("x")
image.save(str(out), "PNG")
printer.setOutputFileName(name)
printer.setOutputFileName(scratch)  # scratch file, then written atomically
open(p)
painter.save()
book.save(buffer)
"""
    assert [line for line, _what in direct_writes(source)] == [2, 3, 4, 5, 6, 7]
