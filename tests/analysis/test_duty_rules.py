"""The DUT family: one person accountable per duty, of the role the profile expects, matching the links."""

import json

from planner.analysis import analyze, get_rule, parse_profile
from planner.analysis.output import check_json
from planner.analysis.plan import apply_plan, build_plan
from planner.model.duties import STRATEGY_DUTIES
from tests.helpers import healthy_org, make_org


def _codes(org, profile=None):
    return [f.code for f in analyze(org, profile).findings if f.code.startswith("DUT")]


def _found(org, code, profile=None):
    return [f for f in analyze(org, profile).findings if f.code == code]


def test_a_healthy_org_following_its_links_has_no_duty_finding():
    assert _codes(healthy_org()) == []


def test_dut001_a_duty_nobody_is_accountable_for():
    org = healthy_org()
    org.set_duty("p", "pricing", "pm", None)
    [finding] = _found(org, "DUT001")
    assert finding.nodes == ("p",) and "pricing and positioning" in finding.message


def test_dut001_is_left_to_own002_while_the_matrix_follows_the_links():
    org = make_org("product:p team:t po:po", "po owns_backlog t, t builds p")
    codes = [f.code for f in analyze(org).findings]
    assert "OWN002" in codes and "DUT001" not in codes


def test_dut001_plan_makes_the_link_owner_accountable():
    org = healthy_org()
    org.set_duty("p", "pricing", "pm", None)
    plan = build_plan(org, analyze(org))
    [step] = [a for a in plan.actions if a.kind == "assign_duty"]
    assert "Pm" in step.headline and "pricing" in step.headline
    assert {"op": "set_duty", "product": "p", "duty": "pricing", "person": "pm", "raci": "A"} in [
        e.to_dict() for e in step.edits
    ]
    assert [f.code for f in step.clears] == ["DUT001"]
    assert _codes(apply_plan(org, plan)) == []


def test_dut002_two_people_accountable_and_the_plan_keeps_the_link_owner():
    org = healthy_org()
    org.set_duty("p", "roadmap", "po", "A")
    [finding] = _found(org, "DUT002")
    assert set(finding.nodes) == {"p", "pm", "po"}
    plan = build_plan(org, analyze(org))
    assert any(a.kind == "assign_duty" and any(f.code == "DUT002" for f in a.clears) for a in plan.actions)


def test_dut003_strategy_held_only_by_a_product_owner_breaks_the_scrum_convention():
    org = healthy_org()
    for duty in STRATEGY_DUTIES:
        org.set_duty("p", duty, "po", "A")
        org.set_duty("p", duty, "pm", "C")
    [finding] = _found(org, "DUT003")
    assert "strategy" in finding.message and "product manager" in finding.message
    assert any(d.finding == finding for d in build_plan(org, analyze(org)).decisions)


def test_dut003_an_execution_duty_held_by_a_leader():
    org = healthy_org()
    org.set_duty("p", "accept_work", "vp", "A")
    org.set_duty("p", "accept_work", "po", None)
    [finding] = _found(org, "DUT003")
    assert "leader" in finding.message and "vp" in finding.nodes


def test_the_startup_profile_accepts_one_person_for_both_halves():
    org = make_org(
        "product:p team:t pm:founder", "founder owns_strategy p, founder owns_backlog t, t builds p", profile="startup"
    )
    org.set_duty("p", "vision", "founder", "A")
    assert _codes(org) == []
    org.set_duty("p", "backlog", "founder", "A")
    assert _codes(org) == []
    assert "DUT003" in _codes(org, "scrum")


def test_a_profile_file_states_its_own_convention():
    org = healthy_org()
    org.set_duty("p", "vision", "po", "A")
    org.set_duty("p", "vision", "pm", "C")
    assert "DUT003" in _codes(org)
    life_cycle = parse_profile('[duties]\nvision = "product_owner"\n', "lifecycle.toml")
    assert "DUT003" not in _codes(org, life_cycle)


def test_dut004_accountable_for_a_backlog_they_do_not_own():
    org = make_org(
        "pm:pm po:ana po:ben team:t product:p",
        "pm owns_strategy p, ana owns_backlog t, t builds p, ana aligns_with pm",
    )
    org.set_duty("p", "backlog", "ben", "A")
    org.set_duty("p", "backlog", "ana", "R")
    [finding] = _found(org, "DUT004")
    assert finding.nodes == ("p", "ben") and "none of its teams" in finding.message
    plan = build_plan(org, analyze(org))
    step = next(a for a in plan.actions if a.kind == "assign_duty")
    assert any(f.code == "DUT004" for f in step.clears)


def test_dut004_accountable_for_a_strategy_they_do_not_own():
    org = healthy_org()
    org.add_node(org.node("pm").replace(id="pm2", name="Zoe"))
    org.set_duty("p", "pricing", "pm2", "A")
    org.set_duty("p", "pricing", "pm", None)
    [finding] = _found(org, "DUT004")
    assert "does not own its strategy" in finding.message


def test_dut005_too_many_duties_with_a_limit_from_a_profile_file():
    org = healthy_org()
    org.set_duty("p", "vision", "pm", "A")
    assert "DUT005" not in _codes(org)
    tight = parse_profile("[limits]\nmax_accountable_duties = 6\n", "tight.toml")
    [finding] = _found(org, "DUT005", tight)
    assert finding.subject == "pm" and "7 duties" in finding.message and "limit is 6" in finding.message


def test_dut005_leaves_loads_that_follow_from_links_to_the_load_rules():
    tight = parse_profile("[limits]\nmax_accountable_duties = 5\n", "tight.toml")
    assert "DUT005" not in _codes(healthy_org(), tight)


def test_every_duty_rule_cites_its_sources_and_explains_itself():
    for code in ("DUT001", "DUT002", "DUT003", "DUT004", "DUT005"):
        rule = get_rule(code)
        assert rule.sources and "What it detects" in rule.explanation() and "Source:" in rule.explanation()


def test_check_json_adds_the_duties_and_the_plan_counts_unowned_duties():
    org = healthy_org()
    org.set_duty("p", "pricing", "pm", None)
    result = analyze(org)
    document = json.loads(json.dumps(check_json("org.json", result, build_plan(org, result), org)))
    assert list(document)[:5] == ["file", "profile", "summary", "gaps", "plan"]
    assert document["duties"]["products"]["p"]["unowned"] == ["pricing"]
    assert document["duties"]["products"]["p"]["follows_links"] is False
    assert document["plan"]["unowned_duties"] == {"before": 1, "after": 0}


def test_a_hand_over_of_the_plan_moves_the_duties_of_a_product_with_its_own_matrix():
    products = ["p1", "p2", "p3", "p4"]
    org = make_org(
        "pm:pm " + " ".join(f"product:{p} team:t{p} po:o{p}" for p in products),
        ", ".join(
            f"pm owns_strategy {p}, t{p} builds {p}, o{p} owns_backlog t{p}, o{p} aligns_with pm" for p in products
        ),
    )
    for product in products:  # each product keeps its own matrix, the pm accountable for its strategy
        org.set_duty(product, "vision", f"o{product}", "C")
    result = analyze(org)
    assert "LOAD002" in [f.code for f in result.findings]
    plan = build_plan(org, result)
    assert any(e.op == "set_duty" for a in plan.actions for e in a.edits)
    assert plan.introduces == ()
    after = apply_plan(org, plan)
    assert not [f for f in analyze(after).findings if f.code.startswith("DUT")]
