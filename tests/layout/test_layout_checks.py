"""Overlap detection and the decision to lay out an imported org; the documented examples run as written."""

import doctest
import importlib
import random

import pytest

from planner.layout import layered_layout, needs_layout, overlaps
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from tests.helpers import make_org


def test_cards_that_only_touch_do_not_overlap():
    positions = {
        "a": (0.0, 0.0),
        "right": (CARD_WIDTH, 0.0),
        "below": (0.0, CARD_HEIGHT),
        "corner": (CARD_WIDTH, CARD_HEIGHT),
    }
    assert overlaps(positions) == []


def test_overlapping_pairs_are_listed_once_in_id_order():
    positions = {"b": (0.0, 0.0), "a": (CARD_WIDTH - 1, CARD_HEIGHT - 1), "c": (0.0, 0.0), "far": (5000.0, 0.0)}
    assert overlaps(positions) == [("a", "b"), ("a", "c"), ("b", "c")]


@pytest.mark.parametrize("seed", range(5))
def test_sweep_finds_the_same_pairs_as_comparing_every_pair(seed):
    rng = random.Random(seed)
    positions = {f"n{i}": (rng.uniform(0, 4000), rng.uniform(0, 2000)) for i in range(400)}
    positions["twin"] = positions["n0"]
    expected = sorted(
        (a, b) if a < b else (b, a)
        for i, (a, (ax, ay)) in enumerate(positions.items())
        for b, (bx, by) in list(positions.items())[i + 1 :]
        if abs(ax - bx) < CARD_WIDTH and abs(ay - by) < CARD_HEIGHT
    )
    assert expected
    assert overlaps(positions) == expected


def test_an_org_with_every_card_at_the_origin_needs_a_layout():
    org = make_org("lead:vp pm:a po:b team:t product:p", "a reports_to vp, b reports_to a")
    assert needs_layout(org)
    org.move_nodes(layered_layout(org))
    assert not needs_layout(org)


def test_a_few_overlapping_cards_do_not_call_for_a_new_layout():
    org = make_org(" ".join(f"team:t{index}" for index in range(8)))
    org.move_nodes({f"t{index}": (index * 300.0, 0.0) for index in range(8)})
    org.move_nodes({"t1": (30.0, 20.0)})
    assert not needs_layout(org)
    org.move_nodes({"t3": (630.0, 20.0), "t5": (1230.0, 20.0)})
    assert needs_layout(org)


def test_tiny_orgs_never_need_a_layout():
    assert not needs_layout(make_org(""))
    assert not needs_layout(make_org("po:alone"))


@pytest.mark.parametrize(
    "module",
    [
        "planner.layout.checks",
        "planner.layout.layered",
        "planner.layout.layered_graph",
        "planner.layout.layered_place",
        "planner.layout.tree",
        "planner.layout.progress",
        "planner.layout.arrange",
    ],
)
def test_docstring_examples_are_true(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
