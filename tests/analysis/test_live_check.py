"""A check kept from edit to edit finds, after any edits, exactly what a full check of the org finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.analysis import analyze
from planner.analysis.changes import changes_between
from planner.analysis.incremental import LiveCheck
from planner.analysis.rule import REGISTRY
from planner.analysis.scopes import SCOPES
from planner.model.mirror import OrgMirror
from planner.model.org import Link, ModelError
from planner.model.vocabulary import LINK_KINDS
from planner.synthetic import synthetic_org
from tests.analysis.test_incremental import WORDING
from tests.helpers import make_org
from tests.model.test_mirror import EDITS, IDS, _apply

#: Edits of the cards themselves (no profile or settings: those check the org again in full).
NODE_EDITS = st.one_of(
    st.tuples(st.just("kind"), st.sampled_from(IDS), st.sampled_from(["product_owner", "product_manager", "leader"])),
    st.tuples(st.just("size"), st.sampled_from(IDS), st.sampled_from([None, 1, 6, 14])),
    st.tuples(st.just("remove"), st.sampled_from(IDS)),
    st.tuples(st.just("ignore"), st.sampled_from(IDS), st.sampled_from([(), ("OWN001",), ("OWN005", "ALN001")])),
)
DUTY_EDITS = st.one_of(
    st.tuples(
        st.just("duty"),
        st.sampled_from(IDS),
        st.sampled_from(["vision", "backlog", "pricing", "sprint_goals"]),
        st.sampled_from(IDS),
        st.sampled_from(["A", "R", None]),
    ),
    st.tuples(st.just("follow links"), st.sampled_from(IDS)),
)
_START = (
    "po:n0 team:n1 product:n2 pm:n3 team:n4 lead:n5 po:n6 product:n7 team:n8 stake:n9 pm:n10 po:n11",
    "n0 owns_backlog n1, n6 owns_backlog n4, n1 builds n2, n4 builds n2, n8 builds n7, n11 owns_backlog n8, "
    "n3 owns_strategy n2, n10 owns_strategy n7, n0 reports_to n3, n6 reports_to n3, n3 reports_to n5, "
    "n10 reports_to n5, n11 reports_to n10, n9 stakeholder_of n2, n3 engages n9, n0 aligns_with n3",
)
_KINDS = dict(pair.split(":")[::-1] for pair in _START[0].split())
#: Links the vocabulary allows between the starting cards (while their kinds stay), added and removed often so
#: that the rules' neighbourhoods fill up and empty.
_VALID = [
    (source, target, kind)
    for kind, spec in LINK_KINDS.items()
    for source in IDS
    for target in IDS
    if source != target
    and source in _KINDS
    and target in _KINDS
    and {"po": "product_owner", "pm": "product_manager", "lead": "leader", "team": "dev_team"}.get(
        _KINDS[source], _KINDS[source].replace("stake", "stakeholder")
    )
    in spec.sources
    and {"po": "product_owner", "pm": "product_manager", "lead": "leader", "team": "dev_team"}.get(
        _KINDS[target], _KINDS[target].replace("stake", "stakeholder")
    )
    in spec.targets
]
LINKS = st.builds(lambda what, link: (what, *link), st.sampled_from(["link", "unlink"]), st.sampled_from(_VALID))


def _edit(org, mirror, edit):
    if edit[0] == "duty":
        _, product, duty, person, letter = edit
        try:
            org.set_duty(product, duty, person, letter)
        except ModelError:
            pass
    elif edit[0] == "follow links":
        try:
            org.set_duties(edit[1], None)
        except ModelError:
            pass
    else:
        _apply(org, mirror, edit)


def _as_dicts(result):
    return [f.to_dict() for f in result.findings], [f.to_dict() for f in result.accepted]


def _start():
    return make_org(*_START)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(EDITS, WORDING, LINKS, LINKS, LINKS, DUTY_EDITS), max_size=50))
def test_after_any_edits_the_kept_check_finds_what_a_full_check_finds(edits):
    org = _start()
    mirror = OrgMirror(org)
    check = LiveCheck(mirror.catch_up())
    for edit in [*edits, ("catch up",)]:
        _edit(org, mirror, edit)
        if edit[0] != "catch up":
            continue
        # What the window's background check does: catch the copy up, then bring the kept check up to date.
        copy = mirror.catch_up()
        changes = mirror.take_changes()
        before = check.result
        before.badges()  # as the window's check works them out for every result
        if changes.settings:
            check = LiveCheck(copy)
        result = check.result if changes.settings else check.update(changes)
        full = analyze(org)
        assert _as_dicts(result) == _as_dicts(full)
        assert result.badges() == full.badges() and result.counts == full.counts
        assert result.by_node() == full.by_node()
        if not changes.settings and result is not before:
            # What the gaps panel and the cards are told changed: as a comparison of the two results says.
            told, compared = check.changes, changes_between(before, result)
            assert told.previous is before and told.current is result
            assert set(told.gone_findings) == set(compared.gone_findings)
            assert told.added_findings == compared.added_findings
            assert set(told.gone_badges) == set(compared.gone_badges)
            assert set(told.changed_badges) == set(compared.changed_badges)
    mirror.close()


def test_every_rule_of_the_catalog_says_what_an_edit_can_change():
    assert set(SCOPES) == {rule.code for rule in REGISTRY}


def test_edits_to_a_large_org_keep_the_findings_of_a_full_check():
    org = synthetic_org(1500, seed=5)
    mirror = OrgMirror(org)
    check = LiveCheck(mirror.catch_up())
    org.remove_node(next(node.id for node in org.nodes() if node.kind == "product_manager"))
    teams = [node.id for node in org.nodes() if node.kind == "dev_team"]
    people = [node.id for node in org.nodes() if node.kind == "product_owner"]
    org.update_node(teams[3], size=30)
    org.update_node(people[2], kind="product_manager")
    org.add_link(Link(people[4], teams[6], "owns_backlog"))
    org.remove_link(org.links_of(teams[7])[0])
    result = check.update((mirror.catch_up(), mirror.take_changes())[1])
    assert _as_dicts(result) == _as_dicts(analyze(org))
    org.update_node(teams[3], name="Renamed")
    result = check.update((mirror.catch_up(), mirror.take_changes())[1])
    assert _as_dicts(result) == _as_dicts(analyze(org))
    assert any("Renamed" in f.message for f in result.findings)


_DENSE = ("po:a po:b pm:c lead:d team:e team:f product:g product:h", "")
_DENSE_KINDS = {"a": "product_owner", "b": "product_owner", "c": "product_manager", "d": "leader"}
_DENSE_KINDS |= {"e": "dev_team", "f": "dev_team", "g": "product", "h": "product"}
_DENSE_LINKS = [
    (source, target, kind)
    for kind, spec in LINK_KINDS.items()
    for source, source_kind in _DENSE_KINDS.items()
    for target, target_kind in _DENSE_KINDS.items()
    if source != target and source_kind in spec.sources and target_kind in spec.targets
]
DENSE_EDITS = st.one_of(
    st.builds(lambda what, link: (what, *link), st.sampled_from(["link", "unlink"]), st.sampled_from(_DENSE_LINKS)),
    st.builds(lambda what, link: (what, *link), st.just("link"), st.sampled_from(_DENSE_LINKS)),
    st.tuples(
        st.just("kind"), st.sampled_from("abcd"), st.sampled_from(["product_owner", "product_manager", "leader"])
    ),
    st.tuples(st.just("catch up")),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_DENSE_LINKS), max_size=30, unique=True), st.lists(DENSE_EDITS, max_size=30))
def test_after_edits_among_a_few_densely_linked_cards_the_kept_check_finds_what_a_full_check_finds(links, edits):
    org = make_org(_DENSE[0], [(source, kind, target) for source, target, kind in links])
    mirror = OrgMirror(org)
    check = LiveCheck(mirror.catch_up())
    for edit in [*edits, ("catch up",)]:
        _edit(org, mirror, edit)
        if edit[0] == "catch up":
            mirror.catch_up()
            assert _as_dicts(check.update(mirror.take_changes())) == _as_dicts(analyze(org))
    mirror.close()


def _kept(org):
    mirror = OrgMirror(org)
    return mirror, LiveCheck(mirror.catch_up())


def _update(mirror, check):
    mirror.catch_up()
    return check.update(mirror.take_changes())


def test_a_product_manager_given_one_of_two_products_clears_the_finding_about_their_other_owner():
    org = make_org("po:a pm:c product:g product:h", "a owns_strategy g, a owns_strategy h")
    mirror, check = _kept(org)
    assert any(f.code == "OWN007" for f in check.result.findings)
    org.add_link(Link("c", "g", "owns_strategy"))  # a is two links away: neither end of the new link
    result = _update(mirror, check)
    assert not any(f.code == "OWN007" for f in result.findings)
    assert _as_dicts(result) == _as_dicts(analyze(org))


def test_a_second_backlog_owner_for_one_team_clears_the_key_person_risk_of_the_first():
    teams = [f"t{i}" for i in range(10)]  # the scrum profile's key-person limit
    org = make_org("po:a po:b " + " ".join(f"team:{t}" for t in teams), ", ".join(f"a owns_backlog {t}" for t in teams))
    mirror, check = _kept(org)
    assert any(f.code == "RSK001" and f.subject == "a" for f in check.result.findings)
    org.add_link(Link("b", "t0", "owns_backlog"))
    result = _update(mirror, check)
    assert not any(f.code == "RSK001" for f in result.findings)
    assert _as_dicts(result) == _as_dicts(analyze(org))


def test_a_product_manager_who_starts_owning_a_backlog_no_longer_cuts_off_the_product_owners_of_their_product():
    org = make_org(
        "po:a pm:c team:t team:u product:p",
        "a owns_backlog t, t builds p, c owns_strategy p, u builds p",
    )
    mirror, check = _kept(org)
    before = {f.code for f in check.result.findings}
    org.add_link(Link("c", "u", "owns_backlog"))  # c was cut off from execution (ALN005); a is three links away
    result = _update(mirror, check)
    assert {f.code for f in result.findings} != before
    assert _as_dicts(result) == _as_dicts(analyze(org))


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["scrum", "safe", "less", "startup"]),
    st.sampled_from([None, ["OWN", "ALN"], ["STR003", "STR007", "RSK"]]),
    st.sampled_from([None, ["OWN005"], ["STR004", "DUT"]]),
    st.lists(st.one_of(LINKS, LINKS, NODE_EDITS, st.tuples(st.just("catch up"))), max_size=25),
)
def test_a_kept_check_with_a_profile_chosen_and_rules_selected_finds_what_the_same_full_check_finds(
    profile, select, ignore, edits
):
    org = make_org(*_START)
    mirror = OrgMirror(org)
    check = LiveCheck(mirror.catch_up(), profile, select, ignore)
    assert check.result.findings or select
    for edit in [*edits, ("catch up",)]:
        _edit(org, mirror, edit)
        if edit[0] == "catch up":
            mirror.catch_up()
            result = check.update(mirror.take_changes())
            assert _as_dicts(result) == _as_dicts(analyze(org, profile, select, ignore))
    mirror.close()
