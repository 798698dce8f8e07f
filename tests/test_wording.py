"""Counted nouns read the same everywhere: the window, the command line and the report."""

from planner.wording import plural


def test_counted_nouns_group_thousands_and_take_an_s_unless_one():
    assert plural(1, "error") == "1 error"
    assert plural(0, "warning") == "0 warnings"
    assert plural(12_000, "card") == "12,000 cards"
    assert plural(2, "info", "&nbsp;") == "2&nbsp;infos"


def test_an_irregular_plural_is_given():
    assert plural(1, "person", many="people") == "1 person"
    assert plural(3, "person", many="people") == "3 people"
