"""Rebuild the built-in sample orgs in resources/samples/ (run: ``PYTHONPATH=. python tools/build_samples.py``).

The startup and scale-up samples are written out by hand below, the enterprise
one comes from :func:`planner.synthetic.synthetic_org`; all three are laid out
with the planner's own layered layout and saved in the native format. The
scale-up proposal (``scaleup-proposal.json``) is the scale-up sample with a
reorg applied by hand: its cards shared with the sample keep the sample's places.
"""

from __future__ import annotations

from planner.io.native import save
from planner.layout import layered_layout
from planner.model.org import Link, Node, Org
from planner.resources import resource_path
from planner.synthetic import synthetic_org


def build(name: str, profile: str, nodes: list[tuple], links: list[tuple]) -> Org:
    org = Org(name, profile)
    for node_id, kind, label, *rest in nodes:
        attrs = rest[0] if rest else {}
        org.add_node(Node(node_id, kind, label, **attrs))
    for source, kind, target in links:
        org.add_link(Link(source, target, kind))
    return org


def startup() -> Org:
    return build(
        "Mealbox (startup)",
        "startup",
        [
            (
                "founder",
                "product_manager",
                "Maya Okafor",
                {"title": "Co-founder & CEO", "notes": "Wears both hats until the first product owner starts."},
            ),
            ("cto", "leader", "Jonas Weber", {"title": "Co-founder & CTO"}),
            ("app", "product", "Mealbox app"),
            ("team-app", "dev_team", "App team", {"size": 5}),
            ("team-ops", "dev_team", "Kitchen ops tools", {"size": 3}),
            ("ops", "product", "Kitchen ops"),
            ("po-hire", "product_owner", "First product owner", {"title": "Product Owner (hiring)", "vacant": True}),
            ("customers", "stakeholder", "Early customers", {"scope": "external"}),
            ("investors", "stakeholder", "Seed investors", {"scope": "external"}),
            ("kitchen", "stakeholder", "Kitchen staff", {"scope": "internal"}),
        ],
        [
            ("founder", "owns_strategy", "app"),
            ("cto", "owns_strategy", "ops"),
            ("founder", "owns_backlog", "team-app"),
            ("po-hire", "owns_backlog", "team-ops"),
            ("po-hire", "reports_to", "cto"),
            ("po-hire", "aligns_with", "founder"),
            ("team-app", "builds", "app"),
            ("team-ops", "builds", "ops"),
            ("team-app", "reports_to", "cto"),
            ("team-ops", "reports_to", "cto"),
            ("customers", "stakeholder_of", "app"),
            ("investors", "stakeholder_of", "app"),
            ("kitchen", "stakeholder_of", "ops"),
            ("founder", "engages", "customers"),
            ("founder", "engages", "investors"),
            ("po-hire", "engages", "kitchen"),
        ],
    )


def scaleup() -> Org:
    return build(
        "Northwind Commerce (scale-up)",
        "scrum",
        [
            ("vp", "leader", "Dana Whitfield", {"title": "VP Product"}),
            ("dir-eng", "leader", "Marcus Lee", {"title": "Director of Engineering"}),
            ("pm-priya", "product_manager", "Priya Nair", {"title": "Senior Product Manager"}),
            ("pm-tom", "product_manager", "Tom Becker", {"title": "Product Manager, Insights"}),
            ("po-sofia", "product_owner", "Sofia Alvarez", {"title": "Product Owner, Checkout"}),
            ("po-ken", "product_owner", "Ken Ito", {"title": "Product Owner, Mobile"}),
            ("po-lena", "product_owner", "Lena Park", {"title": "Product Owner, Data"}),
            (
                "po-hire",
                "product_owner",
                "Product owner (to hire)",
                {"title": "Product Owner, Data Platform", "vacant": True},
            ),
            ("checkout", "product", "Checkout"),
            ("mobile", "product", "Mobile App"),
            ("api", "product", "Partner API"),
            ("insights", "product", "Insights"),
            ("t-pay", "dev_team", "Payments", {"size": 7}),
            ("t-flow", "dev_team", "Checkout Flow", {"size": 6}),
            ("t-ios", "dev_team", "iOS", {"size": 5}),
            ("t-android", "dev_team", "Android", {"size": 4}),
            ("t-api", "dev_team", "API Platform", {"size": 12}),
            ("t-insights", "dev_team", "Insights", {"size": 6}),
            ("t-data", "dev_team", "Data Platform", {"size": 2}),
            ("s-sales", "stakeholder", "Sales", {"scope": "internal"}),
            ("s-support", "stakeholder", "Customer Support", {"scope": "internal"}),
            ("s-legal", "stakeholder", "Legal", {"scope": "internal"}),
            ("s-merchants", "stakeholder", "Merchants", {"scope": "external"}),
            ("s-partners", "stakeholder", "Integration partners", {"scope": "external"}),
        ],
        [
            ("pm-priya", "reports_to", "vp"),
            ("pm-tom", "reports_to", "po-lena"),
            ("po-lena", "reports_to", "vp"),
            ("po-sofia", "reports_to", "pm-priya"),
            ("po-ken", "reports_to", "pm-priya"),
            ("po-hire", "reports_to", "pm-tom"),
            ("dir-eng", "reports_to", "vp"),
            ("pm-priya", "owns_strategy", "checkout"),
            ("pm-priya", "owns_strategy", "mobile"),
            ("pm-tom", "owns_strategy", "insights"),
            ("po-sofia", "owns_backlog", "t-pay"),
            ("po-sofia", "owns_backlog", "t-flow"),
            ("po-ken", "owns_backlog", "t-ios"),
            ("po-ken", "owns_backlog", "t-android"),
            ("po-ken", "owns_backlog", "t-flow"),
            ("po-lena", "owns_backlog", "t-insights"),
            ("po-hire", "owns_backlog", "t-data"),
            ("t-pay", "builds", "checkout"),
            ("t-flow", "builds", "checkout"),
            ("t-ios", "builds", "mobile"),
            ("t-android", "builds", "mobile"),
            ("t-api", "builds", "api"),
            ("t-insights", "builds", "insights"),
            ("s-sales", "stakeholder_of", "checkout"),
            ("s-support", "stakeholder_of", "mobile"),
            ("s-legal", "stakeholder_of", "checkout"),
            ("s-merchants", "stakeholder_of", "checkout"),
            ("s-partners", "stakeholder_of", "api"),
            ("pm-priya", "engages", "s-merchants"),
            ("po-sofia", "engages", "s-sales"),
            ("po-ken", "engages", "s-support"),
            ("po-sofia", "aligns_with", "pm-priya"),
        ],
    )


def enterprise() -> Org:
    org = synthetic_org(300, seed=11, name="Globex Group (enterprise)")
    return org


def build_all() -> dict[str, Org]:
    """The three samples by name, laid out as they are committed (tests/test_samples.py checks they agree)."""
    samples = {}
    for name, factory in (("startup", startup), ("scaleup", scaleup), ("enterprise", enterprise)):
        org = factory()
        org.move_nodes(layered_layout(org))
        samples[name] = org
    return samples


def main() -> None:
    for name, org in build_all().items():
        path = resource_path("samples", f"{name}.json")
        save(org, path)
        print(f"wrote {path}: {len(org)} nodes, {org.number_of_links()} links")


if __name__ == "__main__":
    main()
