"""After renames and moves the check reruns no rule, and still finds exactly what a full check finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.analysis import analyze
from planner.analysis.engine import reanalyze
from planner.model.mirror import OrgMirror
from planner.synthetic import synthetic_org
from tests.helpers import healthy_org, make_org
from tests.model.test_mirror import EDITS, IDS, _apply

#: Edits that only reword or move cards come often, as they do in the editor, between the others.
WORDING = st.one_of(
    st.tuples(st.just("rename"), st.sampled_from(IDS), st.sampled_from(["", "Ana", "Core team", "N0", "Ana"])),
    st.tuples(st.just("move"), st.sampled_from(IDS), st.integers(-500, 500)),
    st.tuples(st.just("catch up")),
)


def _as_dicts(result):
    return [f.to_dict() for f in result.findings], [f.to_dict() for f in result.accepted]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(WORDING, WORDING, EDITS), max_size=40))
def test_checking_after_each_burst_of_edits_as_the_editor_does_finds_what_a_full_check_finds(edits):
    org = make_org(
        "po:n0 team:n1 product:n2 pm:n3 team:n4",
        "n0 owns_backlog n1, n1 builds n2, n3 owns_strategy n2, n0 owns_backlog n4",
    )
    mirror = OrgMirror(org)
    base = analyze(mirror.catch_up())
    for edit in edits:
        _apply(org, mirror, edit)
        if edit[0] != "catch up":
            continue
        # What LiveAnalysis does when its timer fires: catch the copy up, then check it from the last result.
        copy = mirror.catch_up()
        changes = mirror.take_changes()
        result = analyze(copy) if changes.structural else reanalyze(base, copy, changes.renamed)
        assert _as_dicts(result) == _as_dicts(analyze(org))
        assert result.badges() == analyze(org).badges() and result.counts == analyze(org).counts
        base = result
    mirror.close()


def test_a_rename_rewrites_only_the_messages_naming_the_card():
    org = synthetic_org(400, seed=11)
    before = analyze(org)
    team = next(f.subject for f in before.findings if f.code == "OWN001")
    org.update_node(team, name="Renamed squad")
    after = reanalyze(before, org, (team,))
    assert _as_dicts(after) == _as_dicts(analyze(org))
    changed = [(b, a) for b, a in zip(before.findings, after.findings, strict=True) if a is not b]
    assert changed and all(team in b.nodes or "Renamed squad" in a.message for b, a in changed)
    assert all("Renamed squad" in a.message for _, a in changed)


def test_a_move_gives_back_the_same_result():
    org = synthetic_org(200, seed=2)
    before = analyze(org)
    node = next(iter(org.nodes()))
    org.move_nodes({node.id: (node.x + 40, node.y)})
    assert reanalyze(before, org, ()) is before


def test_the_mirror_says_what_changed_since_it_was_last_asked():
    org = make_org("team:t product:p")
    mirror = OrgMirror(org)
    org.update_node("t", name="Payments", notes="new")
    org.move_nodes({"p": (10.0, 20.0)})
    changes = mirror.take_changes()
    assert changes.renamed == {"t"} and not changes.structural
    org.update_node("t", size=4)
    assert mirror.take_changes().structural
    assert mirror.take_changes() == type(changes)()  # counted afresh after each question


def test_a_product_given_its_own_duties_is_checked_again_in_full():
    org = healthy_org()
    mirror = OrgMirror(org)
    mirror.catch_up()
    org.set_duty("p", "pricing", "po", "C")  # a matrix of its own: what the duty rules read changed
    copy = mirror.catch_up()
    assert mirror.take_changes().structural
    assert _as_dicts(analyze(copy)) == _as_dicts(analyze(org))


def test_the_mirror_says_which_cards_the_edits_touched():
    from planner.model.org import Link, Node

    org = make_org("po:a team:t product:p team:u")
    mirror = OrgMirror(org)
    org.add_link(Link("t", "p", "builds"))
    org.update_node("a", kind="product_manager")
    org.add_node(Node("x", "dev_team"))
    org.move_nodes({"u": (5.0, 5.0)})  # a move touches nothing the rules read
    changes = mirror.take_changes()
    assert changes.touched == {"t", "p", "a", "x"} and changes.kinds == {"a"} and changes.added == ("x",)
    org.remove_node("x")
    org.add_node(Node("x", "product"))  # added again: last in the org's order
    org.set_duty("p", "vision", "a", "A")
    changes = mirror.take_changes()
    assert changes.added == ("x",) and changes.duties and not changes.settings
    org.set_profile("less")
    assert mirror.take_changes().settings
