"""The HR import's ids and group names are read as the regular expressions they replaced read them."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from planner.io import hr_import
from planner.io.hr_table import TableRow
from planner.model.org import Link
from planner.model.vocabulary import REPORTS_TO

#: Digits of several scripts, the separators Unicode knows, and what an id or a team name is made of.
_TEXT = st.text(
    alphabet=st.sampled_from(list("0123456789.0 \t\n\r\x0b\x0c\x1c\x85\xa0\u2007\u2028\u3000٣४²½AbÉß-_")), max_size=12
)


def _reference_canonical_id(text: str) -> str:
    text = text.strip()
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text


def _reference_group_key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@given(_TEXT)
@example("1001.0")
@example("٣٤.0")  # Arabic-Indic digits: \d matches them
@example("²3.0")  # a superscript two is a digit to isdigit, not to \d
@example(".0")
@example(" 12.0\n")
def test_ids_lose_a_spreadsheets_point_zero_exactly_as_before(text):
    assert hr_import._canonical_id(text) == _reference_canonical_id(text)


@given(_TEXT)
@example("  Payments\u00a0 Team ")
@example("Straße\u2028Crew")
def test_team_and_product_names_group_exactly_as_before(text):
    assert hr_import._group_key(text) == _reference_group_key(text)
    assert hr_import._squeezed(text) == re.sub(r"\s+", " ", text).strip()


def test_a_team_named_in_different_spacing_and_case_is_one_team():
    groups = hr_import._Groups("team", set())
    assert groups.key("Payments  Core") == groups.key(" payments core") == "payments core"
    assert groups.names == {"payments core": "Payments Core"}


@given(_TEXT.filter(lambda text: text.strip() and hr_import._canonical_id(text) != "x"))
@example("1001.0")
@example(" 12 .0")
def test_a_rows_id_and_its_managers_id_are_read_as_the_canonical_id(text):
    # build_org works the canonical ids out inline: the same as _canonical_id, for ids and manager ids alike.
    headers = ["Employee ID", "Name", "Title", "Manager ID"]
    rows = [TableRow(2, (text, "Ann", "Product Owner", "")), TableRow(3, ("x", "Bo", "Product Owner", text))]
    result = hr_import.build_org(headers, rows, hr_import.guess_mapping(headers))
    wanted = hr_import._canonical_id(text)
    assert result.problems == [] and result.org.node(wanted).name == "Ann"
    assert result.org.has_link(Link("x", wanted, REPORTS_TO))


@given(st.text(alphabet=st.sampled_from(list(" ;|\tab\xa0")), max_size=10))
def test_team_lists_split_as_before(text):
    assert hr_import._split_names(text) == [part.strip() for part in re.split(r"[;|]", text) if part.strip()]
