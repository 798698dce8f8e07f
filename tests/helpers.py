"""Small builders for tests: an org from compact node and link lists."""

from __future__ import annotations

from planner.model.org import Link, Node, Org

ALIASES = {
    "pm": "product_manager",
    "po": "product_owner",
    "lead": "leader",
    "team": "dev_team",
    "stake": "stakeholder",
    "product": "product",
}


def make_org(nodes: str | list, links: str | list = (), profile: str = "scrum", name: str = "Test org") -> Org:
    """Build an org from ``"po:ana team:t1 product:p1"`` and ``"ana owns_backlog t1, t1 builds p1"``.

    Nodes may also be given as ``(id, kind, attrs)`` tuples when they need attributes.
    """
    org = Org(name, profile)
    items = nodes.split() if isinstance(nodes, str) else nodes
    for item in items:
        if isinstance(item, str):
            kind, node_id = item.split(":")
            attrs = {}
        else:
            node_id, kind, attrs = item
        org.add_node(Node(node_id, ALIASES.get(kind, kind), attrs.pop("name", node_id.title()), **attrs))
    parts = [p.strip() for p in links.split(",")] if isinstance(links, str) else links
    for part in parts:
        if not part:
            continue
        source, kind, target = part.split() if isinstance(part, str) else part
        org.add_link(Link(source, target, kind))
    return org


def healthy_org() -> Org:
    """A small, well-drawn org: no error and no warning under the default profile."""
    return make_org(
        "lead:vp pm:pm po:po team:t1 team:t2 product:p stake:sales stake:buyers",
        "pm reports_to vp, po reports_to pm, pm owns_strategy p, po owns_backlog t1, po owns_backlog t2,"
        " t1 builds p, t2 builds p, sales stakeholder_of p, buyers stakeholder_of p, po engages sales,"
        " pm engages buyers, po aligns_with pm",
    )
