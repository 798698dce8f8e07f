"""Names holding terminal escape sequences are shown escaped, never sent to the terminal or the CI log."""

from __future__ import annotations

import json

import pytest

from planner.cli import main
from planner.io import native
from tests.helpers import make_org

CLEAR_SCREEN = "\x1b[2J"
RETITLE = "\x1b]0;owned\x07"
CSI = "\x9b"


@pytest.fixture
def hostile(tmp_path):
    org = make_org(
        [("t", "team", {"name": f"Team{CLEAR_SCREEN}"}), ("p", "product", {"name": f"P{RETITLE}{CSI}"})],
        name=f"Org{RETITLE}",
    )
    path = tmp_path / f"org{CLEAR_SCREEN}.json"
    native.save(org, path)
    return path


def run(capsys, *args) -> tuple[int, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out + err


def assert_escaped(output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output and CSI not in output
    assert "\\x1b" in output


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_check_shows_escapes_in_names_as_text(capsys, hostile, output_format):
    code, output = run(capsys, "check", hostile, "--format", output_format)
    assert code == 1
    assert_escaped(output)
    assert "\\x07" in output and "\\x9b" in output


def test_check_json_keeps_the_names_as_they_are(capsys, hostile):
    _, output = run(capsys, "check", hostile, "--format", "json")
    assert "\x1b" not in output  # JSON escapes control characters itself
    assert json.loads(output)["file"] == str(hostile)


def test_the_wrote_lines_and_errors_show_escapes_as_text(capsys, hostile, tmp_path):
    for args in (
        ("convert", hostile, tmp_path / f"out{CLEAR_SCREEN}.json"),
        ("report", hostile, "-o", tmp_path / f"r{CLEAR_SCREEN}.md"),
        ("diff", hostile, hostile),
    ):
        code, output = run(capsys, *args)
        assert code == 0, output
        assert_escaped(output)
    broken = tmp_path / f"broken{CLEAR_SCREEN}.json"
    broken.write_text("{", encoding="utf-8")
    code, output = run(capsys, "check", broken)
    assert code == 2
    assert_escaped(output)


RAW_CONTROLS = ("\x1b", "\x07", CSI, "\u202e")


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--format", "json"),
        ("check", "--format", "sarif"),
        ("diff", "--format", "json"),
        ("diff", "--format", "html"),
    ],
    ids=["check json", "sarif", "diff json", "diff html"],
)
def test_machine_formats_on_stdout_carry_no_raw_control_character(capsys, tmp_path, args):
    """JSON escapes C0 controls itself but not C1 (a one-byte CSI) or bidi overrides: a CI log would act on them."""
    org = make_org(
        [("t", "team", {"name": f"Team{CLEAR_SCREEN}{CSI}\u202eevil"}), ("p", "product", {"name": f"P{RETITLE}"})]
    )
    path = tmp_path / "org.json"
    native.save(org, path)
    command, *options = args
    files = (path,) if command == "check" else (path, path)
    _code, output = run(capsys, command, *options, *files)
    assert not [char for char in RAW_CONTROLS if char in output]
    if "json" in options or "sarif" in options:
        assert repr(f"Team{CLEAR_SCREEN}{CSI}\u202eevil")[1:-1] in repr(json.loads(output)), "the name is kept"
