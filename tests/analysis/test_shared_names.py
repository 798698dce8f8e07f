"""Two cards of one name: a finding about either names it by id too, so the reader can tell which one it means."""

from __future__ import annotations

from planner.analysis import analyze
from planner.analysis.plan import build_plan
from tests.helpers import make_org


def _org():
    return make_org(
        [
            ("t1", "team", {"name": "Payments"}),
            ("t2", "team", {"name": "Payments"}),
            ("p", "product", {"name": "Shop"}),
        ],
        "t2 builds p",
    )


def test_a_finding_about_one_of_two_same_named_cards_names_its_id():
    result = analyze(_org())
    idle = [f for f in result.findings if f.nodes == ("t1",) and f.code == "STR002"]
    assert idle and "Payments (t1)" in idle[0].message


def test_a_name_only_one_card_has_is_shown_as_it_is():
    org = make_org([("t1", "team", {"name": "Payments"}), ("p", "product", {"name": "Shop"})])
    messages = " ".join(f.message for f in analyze(org).findings)
    assert "Payments" in messages and "(t1)" not in messages and "Shop (p)" not in messages


def test_the_plan_tells_same_named_cards_apart_too():
    org = _org()
    plan = build_plan(org, analyze(org))
    details = " ".join(action.detail for action in plan.actions)
    assert "backlog of Payments (t1)" in details and "backlog of Payments (t2)" in details


def test_a_team_named_after_its_product_is_not_taken_for_a_twin():
    org = make_org([("t", "team", {"name": "Shop"}), ("p", "product", {"name": "Shop"})], "t builds p")
    messages = " ".join(f.message for f in analyze(org).findings)
    assert "Shop" in messages and "(t)" not in messages and "(p)" not in messages
