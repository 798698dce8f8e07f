"""The mirror a background analysis reads: after any edits, caught up, it is the org again, findings and all."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.analysis import analyze
from planner.model.mirror import OrgMirror, copy_org
from planner.model.org import Link, ModelError, Node, Org
from planner.model.vocabulary import LINK_KINDS, NODE_KINDS, PROFILES
from planner.synthetic import synthetic_org
from tests.helpers import make_org

IDS = [f"n{i}" for i in range(12)]

EDITS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(IDS), st.sampled_from(NODE_KINDS)),
    st.tuples(st.just("remove"), st.sampled_from(IDS)),
    st.tuples(st.just("rename"), st.sampled_from(IDS), st.sampled_from(["", "Ana", "Core team"])),
    st.tuples(st.just("kind"), st.sampled_from(IDS), st.sampled_from(NODE_KINDS)),
    st.tuples(st.just("vacant"), st.sampled_from(IDS), st.booleans()),
    st.tuples(st.just("size"), st.sampled_from(IDS), st.sampled_from([None, 1, 6, 14])),
    st.tuples(st.just("ignore"), st.sampled_from(IDS), st.sampled_from([(), ("OWN001",), ("STR004", "LOAD001")])),
    st.tuples(st.just("move"), st.sampled_from(IDS), st.integers(-500, 500)),
    st.tuples(st.just("link"), st.sampled_from(IDS), st.sampled_from(IDS), st.sampled_from(list(LINK_KINDS))),
    st.tuples(st.just("unlink"), st.sampled_from(IDS), st.sampled_from(IDS), st.sampled_from(list(LINK_KINDS))),
    st.tuples(st.just("profile"), st.sampled_from(PROFILES)),
    st.tuples(st.just("name"), st.sampled_from(["Acme", "Beta"])),
    st.tuples(
        st.just("settings"),
        st.sampled_from(
            [
                None,
                {"title": "Tight", "limits": {"max_teams_per_backlog_owner": 1, "min_team_size": 7}},
                {"severity": {"STR004": "off", "OWN001": "warning"}},
            ]
        ),
    ),
    st.tuples(st.just("catch up")),
)


def _apply(org: Org, mirror: OrgMirror, edit: tuple) -> None:
    what, *args = edit
    try:
        if what == "add":
            org.add_node(Node(args[0], args[1], args[0].upper()))
        elif what == "remove":
            org.remove_node(args[0])
        elif what in ("rename", "kind", "vacant", "size", "ignore"):
            field = {"rename": "name"}.get(what, what)
            org.update_node(args[0], **{field: args[1]})
        elif what == "move":
            org.move_nodes({args[0]: (float(args[1]), float(-args[1]))})
        elif what == "link":
            org.add_link(Link(*args))
        elif what == "unlink":
            org.remove_link(Link(*args))
        elif what == "profile":
            org.set_profile(args[0])
        elif what == "name":
            org.set_name(args[0])
        elif what == "settings":
            org.set_profile_settings(args[0])
        else:
            mirror.catch_up()
    except ModelError:
        pass  # an edit the org refuses changes nothing, in the org or in the mirror


def _state(org: Org):
    return org.name, org.profile, org.profile_settings, list(org.nodes()), org.link_triples()


def _findings(org: Org):
    result = analyze(org)
    return [f.to_dict() for f in result.findings], [f.to_dict() for f in result.accepted]


@settings(max_examples=150, deadline=None)
@given(st.lists(EDITS, max_size=40))
def test_a_caught_up_mirror_is_the_org_and_finds_exactly_what_a_full_check_finds(edits):
    org = make_org("po:n0 team:n1 product:n2 pm:n3", "n0 owns_backlog n1, n1 builds n2, n3 owns_strategy n2")
    mirror = OrgMirror(org)
    for edit in edits:
        _apply(org, mirror, edit)
    copy = mirror.catch_up()
    assert copy is not org
    assert _state(copy) == _state(org)
    assert _findings(copy) == _findings(org)
    mirror.close()


def test_the_copy_does_not_change_until_it_catches_up():
    org = make_org("team:t")
    mirror = OrgMirror(org)
    org.add_node(Node("p", "product"))
    org.update_node("t", name="Payments")
    assert [n.id for n in mirror.copy.nodes()] == ["t"] and mirror.copy.node("t").name == "T"
    assert mirror.pending == 2
    assert mirror.catch_up().node("t").name == "Payments" and mirror.pending == 0


def test_a_closed_mirror_stops_following():
    org = make_org("team:t")
    mirror = OrgMirror(org)
    mirror.close()
    org.add_node(Node("p", "product"))
    assert mirror.pending == 0 and len(org.node_added) == 0 and len(org.changed) == 0


def test_copying_a_large_org_keeps_its_order_and_findings():
    org = synthetic_org(2000, seed=3)
    copy = copy_org(org)
    assert _state(copy) == _state(org)
    assert _findings(copy) == _findings(org)
