"""What a LeSS coach and a Scrum trainer asked of the catalog: invalid links count for nothing, one finding per
root cause, every framework's own structure clean under its own profile, the new rules, and cited sources."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.analysis import all_rules, analyze
from planner.model.org import Link, Node
from planner.model.vocabulary import LINK_KINDS, NODE_KINDS, is_link_allowed
from tests.helpers import make_org


def findings(org, code, profile=None):
    return [f for f in analyze(org, profile).findings if f.code == code]


def codes(org, profile=None):
    return sorted(f.code for f in analyze(org, profile).findings)


# -- invalid links satisfy nothing ------------------------------------------------------


def test_a_vp_owning_a_backlog_leaves_the_team_without_backlog_owner():
    org = make_org(
        "lead:vp po:po team:t product:p",
        "vp owns_backlog t, po owns_backlog t, t builds p",
    )
    assert [f.nodes for f in findings(org, "STR005")] == [("vp", "t")]
    assert not findings(org, "OWN003") and not findings(org, "OWN005")  # the VP is no second owner
    alone = make_org("lead:vp team:t product:p", "vp owns_backlog t, t builds p")
    assert [f.nodes for f in findings(alone, "OWN001")] == [("t",)]


def test_a_team_engaging_a_stakeholder_represents_nobody():
    org = make_org("team:t stake:s product:p", "t engages s, s stakeholder_of p, t builds p")
    assert findings(org, "STR005")
    assert [f.nodes for f in findings(org, "ALN002")] == [("s",)]


def test_a_node_with_only_invalid_links_is_still_unconnected():
    org = make_org("team:t stake:s", "t owns_strategy s")
    assert {f.nodes for f in findings(org, "STR004")} == {("t",), ("s",)}
    assert "other than invalid ones" in findings(org, "STR004")[0].message


_KINDS = sorted(NODE_KINDS)
_LINK_NAMES = sorted(LINK_KINDS)


@st.composite
def org_and_invalid_link(draw):
    count = draw(st.integers(2, 9))
    kinds = [draw(st.sampled_from(_KINDS)) for _ in range(count)]
    nodes = [(f"n{i}", kind, {}) for i, kind in enumerate(kinds)]
    links = []
    for _ in range(draw(st.integers(0, 16))):
        source, target = draw(st.integers(0, count - 1)), draw(st.integers(0, count - 1))
        allowed = [k for k in _LINK_NAMES if is_link_allowed(k, kinds[source], kinds[target])]
        if allowed:
            links.append((f"n{source}", draw(st.sampled_from(allowed)), f"n{target}"))
    wrong = [
        (f"n{s}", k, f"n{t}")
        for s in range(count)
        for t in range(count)
        for k in _LINK_NAMES
        if not is_link_allowed(k, kinds[s], kinds[t])
    ]
    extra = draw(st.sampled_from(wrong))
    profile = draw(st.sampled_from(["scrum", "safe", "less", "startup"]))
    return nodes, list(dict.fromkeys(links)), extra, profile


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org_and_invalid_link())
def test_adding_an_invalid_link_never_removes_a_finding(case):
    nodes, links, extra, profile = case
    org = make_org(nodes, links, profile=profile)
    before = analyze(org).findings
    link = Link(extra[0], extra[2], extra[1])
    if not org.has_link(link):
        org.add_link(link)
    after = analyze(org).findings

    def keys(found):  # a finding is its rule, its severity and the nodes it names; wording may add detail
        return [(f.code, f.severity, f.nodes) for f in found]

    assert set(keys(before)) <= set(keys(after))
    assert len(after) == len(before) + 1 and "STR005" in {f.code for f in after}


# -- one finding per root cause -------------------------------------------------------------


def test_a_team_with_two_backlog_owners_is_one_finding():
    org = make_org(
        "po:a po:b team:t product:p product:q",
        "a owns_backlog t, b owns_backlog t, t builds p, t builds q",
    )
    assert codes(org, "less").count("OWN003") == 1
    assert not findings(org, "OWN005", "less")
    assert findings(org, "OWN003")[0].nodes == ("t", "a", "b")


def test_own005_still_sees_a_product_split_between_teams_with_different_owners():
    org = make_org(
        "po:a po:b po:c team:t1 team:t2 product:p",
        "a owns_backlog t1, b owns_backlog t1, c owns_backlog t2, t1 builds p, t2 builds p",
    )
    (finding,) = findings(org, "OWN005")
    assert set(finding.nodes) == {"p", "a", "b", "c"}


def test_reporting_to_oneself_is_a_loop_and_not_a_second_manager():
    org = make_org("po:a lead:boss", "a reports_to a, a reports_to boss")
    assert [f.nodes for f in findings(org, "STR003")] == [("a",)]
    assert not findings(org, "STR006")


# -- each framework's own structure is clean under its own profile -------------------------------


def _product(org_nodes, org_links, product, owner, teams, holds_vision):
    org_nodes += [f"product:{product}", f"stake:{product}_users"]
    org_links += [f"{product}_users stakeholder_of {product}", f"{owner} engages {product}_users"]
    if holds_vision:
        org_links.append(f"{owner} owns_strategy {product}")
    for team in teams:
        org_nodes.append(f"team:{team}")
        org_links += [f"{owner} owns_backlog {team}", f"{team} builds {product}", f"{team} reports_to {owner}"]


def less_org():
    nodes, links = ["lead:head", "po:po"], ["po reports_to head"]
    _product(nodes, links, "p", "po", [f"t{i}" for i in range(8)], holds_vision=True)
    return make_org(" ".join(nodes), ", ".join(links), "less")


def nexus_org(teams=9, with_pm=False):
    nodes, links = ["lead:head", "po:po"], ["po reports_to head"]
    _product(nodes, links, "p", "po", [f"t{i}" for i in range(teams)], holds_vision=not with_pm)
    if with_pm:
        nodes.append("pm:pm")
        links += ["pm owns_strategy p", "po reports_to pm", "pm reports_to head"]
        links.remove("po reports_to head")
    return make_org(" ".join(nodes), ", ".join(links), "scrum")


def safe_org():
    nodes = ["lead:rte", "pm:pm", "product:train", "stake:customers"]
    links = ["pm reports_to rte", "pm owns_strategy train", "customers stakeholder_of train", "pm engages customers"]
    for i, count in enumerate([1, 2, 2, 1, 2, 2]):
        nodes.append(f"po:po{i}")
        links += [f"po{i} reports_to pm", f"po{i} aligns_with pm"]
        for j in range(count):
            team = f"t{i}_{j}"
            nodes.append(f"team:{team}")
            links += [f"po{i} owns_backlog {team}", f"{team} builds train", f"{team} reports_to po{i}"]
    return make_org(" ".join(nodes), ", ".join(links), "safe")


def startup_org():
    nodes, links = ["pm:founder"], []
    _product(nodes, links, "app", "founder", ["t1", "t2"], holds_vision=True)
    return make_org(" ".join(nodes), ", ".join(links), "startup")


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("LeSS: one product owner with the vision over eight teams", less_org),
        ("Nexus: one product owner with the vision over nine teams", nexus_org),
        ("Nexus: nine teams, a product owner under a product manager", lambda: nexus_org(with_pm=True)),
        ("Scrum: one team", lambda: nexus_org(teams=1)),
        ("SAFe: a product owner per one or two teams, product management over the train", safe_org),
        ("Startup: a founder wearing both hats over two teams", startup_org),
    ],
)
def test_each_framework_is_clean_under_its_own_profile(name, build):
    org = build()
    assert [(f.code, f.message) for f in analyze(org).findings] == [], name


def test_less_with_a_second_product_owner_is_still_an_error():
    org = less_org()
    org.add_node(Node("po2", "product_owner", "Second owner"))
    org.remove_link(Link("po", "t7", "owns_backlog"))
    org.add_link(Link("po2", "t7", "owns_backlog"))
    assert findings(org, "OWN005")[0].severity == "error"


# -- the new rules ---------------------------------------------------------------------------------


def test_own006_product_owner_in_title_only():
    org = make_org("po:po lead:vp product:p", "po reports_to vp, po owns_strategy p")
    (finding,) = findings(org, "OWN006")
    assert finding.nodes == ("po",) and finding.severity == "warning"
    assert not findings(make_org("po:po team:t", "po owns_backlog t"), "OWN006")
    assert not findings(make_org("po:po"), "OWN006")  # an unlinked card is STR004's


def test_own007_several_products_held_by_a_product_owner_or_leader_with_no_product_manager():
    org = make_org("po:po product:a product:b", "po owns_strategy a, po owns_strategy b")
    (finding,) = findings(org, "OWN007")
    assert finding.nodes == ("po", "a", "b") and "Product owner" in finding.message
    leader = make_org("lead:cpo product:a product:b", "cpo owns_strategy a, cpo owns_strategy b")
    assert findings(leader, "OWN007")[0].severity == "warning"
    assert findings(leader, "OWN007", "startup")[0].severity == "info"
    with_pm = make_org(
        "lead:cpo pm:pm product:a product:b", "cpo owns_strategy a, cpo owns_strategy b, pm owns_strategy b"
    )
    assert not findings(with_pm, "OWN007")
    assert not findings(make_org("po:po product:a", "po owns_strategy a"), "OWN007")


def test_str007_a_branch_that_reaches_no_leader():
    org = make_org(
        "lead:vp pm:pm po:po pm:lost po:under team:t",
        "pm reports_to vp, po reports_to pm, under reports_to lost, t reports_to under",
    )
    (finding,) = findings(org, "STR007")
    assert finding.nodes == ("lost", "under", "t") and finding.severity == "info"
    assert "2 people and teams" in finding.message
    no_leader_at_all = make_org("pm:pm po:po", "po reports_to pm")
    assert not findings(no_leader_at_all, "STR007")


def test_load005_product_owner_over_products_of_different_strategy_owners():
    org = make_org(
        "pm:a pm:b po:po team:t1 team:t2 product:p1 product:p2",
        "a owns_strategy p1, b owns_strategy p2, po owns_backlog t1, po owns_backlog t2, t1 builds p1,"
        " t2 builds p2, po aligns_with a, po aligns_with b",
    )
    (finding,) = findings(org, "LOAD005")
    assert finding.nodes == ("po", "p1", "p2", "a", "b")
    line = make_org(
        "pm:a po:po team:t1 team:t2 product:p1 product:p2",
        "a owns_strategy p1, a owns_strategy p2, po owns_backlog t1, po owns_backlog t2, t1 builds p1, t2 builds p2",
    )
    assert not findings(line, "LOAD005")  # a small product line under one strategy owner


def test_aln005_strategy_with_no_path_to_execution():
    org = make_org(
        "lead:vp pm:pm po:po team:t product:p",
        "pm owns_strategy p, po owns_backlog t, t builds p, pm reports_to vp, po reports_to vp",
    )
    (finding,) = findings(org, "ALN005")
    assert finding.nodes == ("pm", "p", "po") and "Po" in finding.message
    assert not findings(org, "ALN001")  # the same missing link, named once
    aligned = make_org(
        "pm:pm po:po team:t product:p", "pm owns_strategy p, po owns_backlog t, t builds p, po aligns_with pm"
    )
    assert not findings(aligned, "ALN005")
    unbuilt = make_org("pm:pm product:p", "pm owns_strategy p")
    assert not findings(unbuilt, "ALN005")  # STR001's


def test_aln005_names_the_second_products_owner_when_its_manager_has_no_product_owner():
    org = make_org(
        "pm:pm1 pm:pm2 po:po team:shared product:p1 product:p2",
        "pm1 owns_strategy p1, pm2 owns_strategy p2, po owns_backlog shared, shared builds p1, shared builds p2,"
        " po aligns_with pm1",
    )
    assert [f.nodes for f in findings(org, "ALN005")] == [("pm2", "p2", "po")]
    assert not findings(org, "ALN001")


# -- sources ------------------------------------------------------------------------------------------


def test_every_rule_cites_its_sources():
    for rule in all_rules():
        assert rule.sources, rule.code
        assert "Source: " in rule.explanation(), rule.code


def test_the_planners_own_thresholds_are_labelled_as_such():
    from planner.analysis import get_rule

    for code, figure in [
        ("LOAD002", "3 products"),
        ("RSK001", "5 teams"),
        ("LOAD004", "minimum team of 3"),
        ("LOAD001", "2 teams"),
    ]:
        text = get_rule(code).explanation()
        assert any("Planner default" in line and figure in line for line in text.splitlines()), code
    load001 = get_rule("LOAD001").explanation()
    assert "Nexus Guide" in load001 and "Scrum 9" not in load001


def test_a_leader_holding_four_products_alone_is_one_finding_own007():
    products = " ".join(f"product:p{i}" for i in range(4))
    org = make_org(f"lead:cpo {products}", ", ".join(f"cpo owns_strategy p{i}" for i in range(4)))
    assert findings(org, "OWN007")[0].nodes == ("cpo", "p0", "p1", "p2", "p3")
    assert not findings(org, "LOAD002")
    pm = make_org(f"pm:pm {products}", ", ".join(f"pm owns_strategy p{i}" for i in range(4)))
    assert findings(pm, "LOAD002") and not findings(pm, "OWN007")
