"""The index the rules read: per-kind adjacency, nodes by kind, and the sweeps rules use instead of loops."""

from __future__ import annotations

import pytest

from planner.analysis.index import OrgIndex
from planner.model.org import Link
from tests.helpers import make_org


@pytest.fixture
def org():
    return make_org(
        "lead:boss pm:ana po:ben team:t1 team:t2 team:t3 product:p stake:s stake:lonely",
        "ana owns_strategy p, ben owns_backlog t1, ben owns_backlog t3, t1 builds p, t2 builds p, "
        "ben reports_to ana, ana reports_to boss, s stakeholder_of p",
    )


def test_adjacency_by_kind_both_ways(org):
    index = OrgIndex(org)
    assert index.targets("owns_backlog", "ben") == ["t1", "t3"]
    assert index.sources("builds", "p") == ["t1", "t2"]
    assert index.targets("builds", "p") == [] and index.sources("owns_backlog", "ana") == []
    assert index.ids_by_kind["dev_team"] == ["t1", "t2", "t3"]
    assert index.kind_of["s"] == "stakeholder"
    looked_up = [(node.id, node.kind) for node in index.nodes_of(["ben", "p"])]
    assert looked_up == [("ben", "product_owner"), ("p", "product")]


def test_asking_about_a_node_without_links_adds_nothing_to_the_index(org):
    index = OrgIndex(org)
    assert index.targets("engages", "ana") == []
    with pytest.raises(KeyError):
        index.out["engages"]["ana"]
    assert "ana" not in index.out["engages"]
    assert list(index.with_no_link_out("product_manager", "engages")) == ["ana"]


def test_nodes_lacking_a_kind_of_link_come_in_the_orgs_order(org):
    index = OrgIndex(org)
    assert list(index.with_no_link_into("dev_team", "owns_backlog")) == ["t2"]
    assert list(index.with_no_link_out("dev_team", "builds")) == ["t3"]
    assert list(index.with_no_link_into("stakeholder", "engages")) == ["s", "lonely"]
    assert list(index.with_no_link_into("leader", "owns_backlog")) == ["boss"]
    assert list(index.with_no_link_into("robot", "builds")) == []


def test_isolated_nodes_have_no_link_either_way(org):
    assert list(OrgIndex(org).isolated()) == ["lonely"]
    org.add_link(Link("lonely", "p", "stakeholder_of"))
    assert list(OrgIndex(org).isolated()) == []
    org.remove_link(Link("t2", "p", "builds"))
    org.remove_link(Link("lonely", "p", "stakeholder_of"))
    assert list(OrgIndex(org).isolated()) == ["t2", "lonely"]
