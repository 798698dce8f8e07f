"""The README stays true: its rule table matches the catalog, its commands exist."""

from pathlib import Path

from planner.analysis import all_rules
from planner.cli.rules_cmd import rules_table_markdown

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_rule_table_matches_the_registry():
    start = README.index("<!-- rules:start -->") + len("<!-- rules:start -->")
    end = README.index("<!-- rules:end -->")
    assert README[start:end].strip() == rules_table_markdown(all_rules())


def test_readme_names_the_two_commands_each_in_its_own_virtual_environment():
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/planner" in README
    assert 'python3 -m venv .venv && .venv/bin/pip install ".[test]" && .venv/bin/python -m pytest' in README


def test_ci_follows_the_readme_from_a_fresh_virtual_environment():
    ci = (Path(__file__).parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python3 -m venv "$venv"' in ci and '"$venv/bin/pip" install' in ci and '".[test]"' in ci
    assert '"$venv/bin/python" -m pytest' in ci
    apt = [line for line in ci.splitlines() if "apt-get " in line and "command -v" not in line]
    assert apt and all("/dev/null" not in line and "-qq" not in line for line in apt)  # apt's output is shown


def test_readme_lists_the_system_libraries_qt_loads():
    for package in (
        "python3-venv",
        "libegl1",
        "libgl1",
        "libxkbcommon0",
        "libfontconfig1",
        "libdbus-1-3",
        "libxcb-cursor0",
    ):
        assert package in README
