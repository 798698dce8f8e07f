"""The README stays true: its rule table matches the catalog, its commands exist."""

from pathlib import Path

from planner.analysis import all_rules
from planner.cli.rules_cmd import rules_table_markdown

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_rule_table_matches_the_registry():
    start = README.index("<!-- rules:start -->") + len("<!-- rules:start -->")
    end = README.index("<!-- rules:end -->")
    assert README[start:end].strip() == rules_table_markdown(all_rules())


def test_readme_names_the_two_commands():
    assert 'python3 -m pip install ".[test]" && python3 -m pytest' in README
    assert "python3 -m pip install . && python3 main.py" in README
