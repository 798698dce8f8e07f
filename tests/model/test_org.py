"""The org model: edits, their undo data and change notifications."""

import pytest

from planner.model import Link, ModelError, Node, Org
from planner.model.vocabulary import allowed_link_kinds, is_link_allowed, proposed_link_kind
from tests.helpers import make_org


def test_add_and_remove_node_restores_links():
    org = make_org("po:a team:t product:p", "a owns_backlog t, t builds p")
    node, links = org.remove_node("t")
    assert "t" not in org and org.number_of_links() == 0
    org.restore_node(node, links)
    assert {link.key for link in org.links()} == {link.key for link in links}


def test_ids_are_unique():
    org = make_org("po:a")
    with pytest.raises(ModelError, match="duplicate"):
        org.add_node(Node("a", "dev_team"))


def test_unknown_kinds_are_refused():
    org = Org()
    with pytest.raises(ModelError, match="unknown node kind"):
        org.add_node(Node("x", "manager"))
    org.add_node(Node("a", "product_owner"))
    with pytest.raises(ModelError, match="unknown link kind"):
        org.add_link(Link("a", "a", "likes"))
    with pytest.raises(ModelError, match="missing node"):
        org.add_link(Link("a", "ghost", "reports_to"))


def test_update_returns_old_values_for_undo():
    org = make_org("team:t")
    old = org.update_node("t", name="Payments", size=7)
    assert org.node("t").name == "Payments" and org.node("t").size == 7
    org.update_node("t", **old)
    assert org.node("t").name == "T" and org.node("t").size is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("size", -1), ("size", "7"), ("x", float("nan")), ("scope", "partner"), ("vacant", "yes"), ("ignore", ["own1"])],
)
def test_update_refuses_bad_values(field, value):
    org = make_org("team:t")
    with pytest.raises(ModelError):
        org.update_node("t", **{field: value})
    assert org.node("t") == Node("t", "dev_team", "T")


def test_signals_announce_every_edit():
    org = Org()
    seen = []
    org.node_added.connect(lambda n: seen.append(("added", n.id)))
    org.node_changed.connect(lambda old, new: seen.append(("changed", old.name, new.name)))
    org.link_added.connect(lambda link: seen.append(("link", link.kind)))
    org.link_removed.connect(lambda link: seen.append(("unlink", link.kind)))
    org.node_removed.connect(lambda n: seen.append(("removed", n.id)))
    org.meta_changed.connect(lambda field, old, new: seen.append((field, new)))
    changes = []
    org.changed.connect(lambda: changes.append(1))
    org.add_node(Node("a", "product_owner", "A"))
    org.add_node(Node("t", "dev_team", "T"))
    org.add_link(Link("a", "t", "owns_backlog"))
    org.update_node("a", name="Ana")
    org.remove_node("a")
    org.set_profile("less")
    assert seen == [
        ("added", "a"),
        ("added", "t"),
        ("link", "owns_backlog"),
        ("changed", "A", "Ana"),
        ("unlink", "owns_backlog"),
        ("removed", "a"),
        ("profile", "less"),
    ]
    assert len(changes) == 6


def test_move_nodes_returns_old_positions():
    org = make_org("team:t po:a")
    old = org.move_nodes({"t": (100, 40), "a": (20.5, -3)})
    assert old == {"t": (0.0, 0.0), "a": (0.0, 0.0)}
    assert (org.node("a").x, org.node("a").y) == (20.5, -3.0)


def test_several_link_kinds_may_join_one_pair_but_not_twice_the_same():
    org = make_org("po:a pm:b", "a reports_to b, a aligns_with b")
    assert org.number_of_links() == 2
    with pytest.raises(ModelError, match="duplicate link"):
        org.add_link(Link("a", "b", "reports_to"))


def test_new_ids_never_collide():
    org = make_org("po:po-1 po:po-2")
    assert org.new_id("product_owner") == "po-3"


def test_vocabulary_pairs():
    assert is_link_allowed("owns_backlog", "product_owner", "dev_team")
    assert not is_link_allowed("owns_backlog", "dev_team", "product_owner")
    assert allowed_link_kinds("product_owner", "product_manager") == ["reports_to", "aligns_with"]
    assert proposed_link_kind("product_owner", "dev_team") == "owns_backlog"
    assert proposed_link_kind("product_manager", "product") == "owns_strategy"
    assert proposed_link_kind("dev_team", "product") == "builds"
    assert proposed_link_kind("stakeholder", "product") == "stakeholder_of"
    assert proposed_link_kind("product_owner", "leader") == "reports_to"
    assert proposed_link_kind("product", "stakeholder") is None


def test_add_many_is_all_or_nothing():
    org = make_org("po:a")
    with pytest.raises(ModelError, match="missing node"):
        org.add_many([Node("t", "dev_team")], [Link("a", "t", "owns_backlog"), Link("a", "ghost", "reports_to")])
    assert len(org) == 1 and org.number_of_links() == 0
    seen = []
    org.node_added.connect(lambda n: seen.append(n.id))
    org.add_many([Node("t", "dev_team")], [Link("a", "t", "owns_backlog")])
    assert seen == ["t"] and org.has_link(Link("a", "t", "owns_backlog"))


def test_profile_settings_are_checked_announced_and_cleared():
    import pytest

    from planner.model.org import ModelError, Org

    org = Org("Acme", "less")
    seen = []
    org.meta_changed.connect(lambda field, old, new: seen.append(field))
    assert org.set_profile_settings({"title": "Acme", "limits": {"max_direct_reports": 8}}) is None
    assert org.profile_settings["limits"] == {"max_direct_reports": 8} and seen == ["profile_settings"]
    for bad in (
        {"limits": {"max_teams": 3}},
        {"limits": {"max_direct_reports": True}},
        {"severity": {"own001": "off"}},
        {"severity": {"OWN001": "fatal"}},
        {"extends": "less"},
        ["x"],
    ):
        with pytest.raises(ModelError):
            org.set_profile_settings(bad)
    assert org.profile_settings["title"] == "Acme"  # a refused change leaves the settings as they were
    org.set_profile_settings(None)
    assert org.profile_settings is None and seen == ["profile_settings", "profile_settings"]
