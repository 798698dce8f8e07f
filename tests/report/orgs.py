"""Orgs shared by the report and render tests: one with every kind of gap, one with hostile names."""

from __future__ import annotations

from planner.model.org import Link, Node, Org
from tests.helpers import make_org

HOSTILE_ORG = "<script>alert(1)</script>"
HOSTILE_TEAM = '=HYPERLINK("http://x")'
HOSTILE_PO = "+1"
HOSTILE_PRODUCT = "@SUM(A1)"
HOSTILE_STAKEHOLDER = "-2 | <b>bold</b>"
HOSTILE_TAB = "\tTabbed & co"


def gappy_org(profile: str = "scrum") -> Org:
    """A product with a single owner over one team and three unowned teams, an ownerless product, a dual hat."""
    org = make_org(
        [
            ("vp", "leader", {"name": "Vera VP"}),
            ("pm", "product_manager", {"name": "Pat PM"}),
            ("po", "product_owner", {"name": "Olga PO"}),
            ("t1", "dev_team", {"name": "Alpha", "size": 6}),
            ("t2", "dev_team", {"name": "Beta", "size": 12}),
            ("t3", "dev_team", {"name": "Gamma"}),
            ("t4", "dev_team", {"name": "Delta"}),
            ("t5", "dev_team", {"name": "Epsilon", "ignore": ("OWN001",)}),
            ("p1", "product", {"name": "Shop"}),
            ("p2", "product", {"name": "Ledger"}),
            ("dual", "product_manager", {"name": "Dee Dual"}),
            ("p3", "product", {"name": "Atlas"}),
            ("t6", "dev_team", {"name": "Zeta"}),
            ("sales", "stakeholder", {"name": "Sales"}),
        ],
        "pm reports_to vp, po reports_to pm, dual reports_to vp, pm owns_strategy p1, po owns_backlog t1,"
        " t1 builds p1, t2 builds p1, t3 builds p1, t4 builds p2, t5 builds p2, dual owns_strategy p3,"
        " dual owns_backlog t6, t6 builds p3, sales stakeholder_of p1, po engages sales, po aligns_with pm",
        profile=profile,
        name="Gappy Ltd",
    )
    return org


def hostile_org() -> Org:
    """Names that a browser would run, a spreadsheet would evaluate, or Markdown would format."""
    org = Org(HOSTILE_ORG)
    org.add_node(Node("team", "dev_team", HOSTILE_TEAM, x=0, y=0))
    org.add_node(Node("po", "product_owner", HOSTILE_PO, x=0, y=-200))
    org.add_node(Node("product", "product", HOSTILE_PRODUCT, x=300, y=200))
    org.add_node(Node("stake", "stakeholder", HOSTILE_STAKEHOLDER, x=600, y=200))
    org.add_node(Node("tab", "dev_team", HOSTILE_TAB, x=600, y=0))
    org.add_link(Link("team", "product", "builds"))
    org.add_link(Link("stake", "product", "stakeholder_of"))
    org.add_link(Link("po", "tab", "owns_backlog"))
    return org
