"""Realistic synthetic orgs of any size, for the enterprise sample, tests and the benchmark.

Each product gets a product manager, one to four teams, one or two product
owners and a few stakeholders; product managers report to product leaders,
who report to a chief product officer. With ``gaps`` set, a seeded share of
products and teams lose an owner or gain a second one, so that every family of
rules has something to find. No Qt here.
"""

from __future__ import annotations

import random

from planner.model.org import Link, Node, Org

FIRST = (
    "Ana Ben Chloé Dev Emma Farid Grace Hugo Ines Jonas Kai Lena Maya Noah Olga Pavel Quinn Rosa Sami Tara Umar "
    "Vera Wen Xavi Yara Zoe Amir Bea Carl Dina Elif Finn Gita Hana Ivo Jade Kofi Lars Mina Nils Omar Pia Ravi "
    "Sara Theo Uma Vik Wim Yuki Zeno"
).split()
LAST = (
    "Adams Berg Costa Dubois Eriksen Fischer García Haddad Ito Jansen Kowalski Larsen Moreau Nakamura Okafor "
    "Petrov Quist Rossi Silva Tanaka Ueda Varga Weber Xu Yilmaz Zimmer Novak Lindqvist Mensah Ortiz"
).split()
PRODUCT_WORDS = (
    "Checkout Payments Search Catalog Identity Billing Insights Messaging Onboarding Loyalty Pricing Logistics "
    "Reporting Marketplace Ads Reviews Booking Wallet Support Analytics Notifications Inventory Recommendations "
    "Subscriptions Fraud Shipping Returns Partners Compliance Maps"
).split()
PRODUCT_SUFFIX = ("", " App", " Platform", " API", " Hub", " Suite")
TEAM_WORDS = ("Core", "Growth", "Mobile", "Web", "Data", "Platform", "Experience", "Integrations", "Quality", "Edge")
STAKEHOLDERS = (
    ("Sales", "internal"),
    ("Customer Support", "internal"),
    ("Legal", "internal"),
    ("Marketing", "internal"),
    ("Finance", "internal"),
    ("Key accounts", "external"),
    ("Partners", "external"),
    ("Regulator", "external"),
)


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> str:
        for _ in range(20):
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self.used:
                self.used.add(name)
                return name
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)} {len(self.used)}"
        self.used.add(name)
        return name


def synthetic_org(nodes: int = 300, seed: int = 7, gaps: bool = True, name: str | None = None) -> Org:
    """An org of about ``nodes`` nodes (within a product's worth), built the way real product orgs are.

    Examples
    --------
    >>> org = synthetic_org(120, seed=1)
    >>> 110 <= len(org) <= 130
    True
    """
    rng = random.Random(seed)
    names = _Names(rng)
    org = Org(name or f"Synthetic org of {nodes:,} cards")
    add = org.add_node
    link = org.add_link

    cpo = add(Node("cpo", "leader", names.person(), "Chief Product Officer"))
    leaders: list[str] = []
    product_count = 0

    while len(org) < nodes:
        if product_count % 8 == 0:
            leader = add(Node(f"lead-{len(leaders) + 1}", "leader", names.person(), "Head of Product"))
            link(Link(leader.id, cpo.id, "reports_to"))
            leaders.append(leader.id)
        product_count += 1
        p = product_count
        word = PRODUCT_WORDS[(p - 1) % len(PRODUCT_WORDS)]
        label = word + PRODUCT_SUFFIX[((p - 1) // len(PRODUCT_WORDS)) % len(PRODUCT_SUFFIX)]
        if p > len(PRODUCT_WORDS) * len(PRODUCT_SUFFIX):
            label += f" {p}"
        product = add(Node(f"product-{p}", "product", label))
        roll = rng.random() if gaps else 1.0

        pm = add(Node(f"pm-{p}", "product_manager", names.person(), "Product Manager"))
        link(Link(pm.id, leaders[-1], "reports_to"))
        if roll >= 0.04:
            link(Link(pm.id, product.id, "owns_strategy"))

        team_total = rng.randint(1, 4)
        po_total = 1 if team_total <= 2 or rng.random() < 0.5 else 2
        pos = []
        for k in range(po_total):
            po = add(Node(f"po-{p}-{k + 1}", "product_owner", names.person(), "Product Owner"))
            link(Link(po.id, pm.id, "reports_to"))
            pos.append(po.id)
        for t in range(team_total):
            size = rng.randint(4, 9) if not gaps or rng.random() > 0.08 else rng.choice((2, 12))
            team = add(Node(f"team-{p}-{t + 1}", "dev_team", f"{label} {TEAM_WORDS[t % len(TEAM_WORDS)]}", size=size))
            link(Link(team.id, product.id, "builds"))
            if not (gaps and 0.04 <= roll < 0.08 and t == 0):
                link(Link(pos[t % len(pos)], team.id, "owns_backlog"))
        for s in range(rng.randint(1, 3)):
            stake_name, scope = STAKEHOLDERS[(p + s) % len(STAKEHOLDERS)]
            stakeholder = add(Node(f"stake-{p}-{s + 1}", "stakeholder", f"{stake_name} ({label})", scope=scope))
            link(Link(stakeholder.id, product.id, "stakeholder_of"))
            if not (gaps and 0.08 <= roll < 0.12):
                engager = pm.id if scope == "external" else pos[0]
                link(Link(engager, stakeholder.id, "engages"))
    return org


#: The columns of :func:`hr_export_rows`, as an HR system names them.
HR_HEADER = ("Employee ID", "Full Name", "Job Title", "Manager ID", "Team", "Product", "Department")
_ENGINEERING_TITLES = (
    "Software Engineer",
    "Senior Software Engineer",
    "QA Engineer",
    "Engineering Manager",
    "Product Designer",
    "Data Engineer",
)


def hr_export_rows(people: int = 1000, seed: int = 7) -> list[list[str]]:
    """A realistic HR export of ``people`` rows (and a header): one row per person, as ``planner import`` reads.

    A CPO and a CTO under a CEO; per product a product manager under a head
    of product, one to three teams with a product owner each, and engineers
    under engineering managers and directors, every engineer naming a team and
    the product. Ids are numbers, as most HR systems give them. Deterministic
    for a seed.
    """
    rng = random.Random(seed)
    used: set[str] = set()
    rows = [list(HR_HEADER)]

    def add(manager: str, title: str, team: str = "", product: str = "", department: str = "") -> str:
        key = str(1000 + len(rows))
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in used:  # namesakes are told apart by their number, as a large company's directory does
            name = f"{name} {key}"
        used.add(name)
        rows.append([key, name, title, manager, team, product, department])
        return key

    ceo = add("", "Chief Executive Officer")
    cpo, cto = add(ceo, "Chief Product Officer"), add(ceo, "CTO")
    product = 0
    while len(rows) <= people:
        head = add(cpo, "Head of Product")
        director = add(cto, "Director of Engineering", department="Engineering")
        for _ in range(rng.randint(4, 12)):
            if len(rows) > people:
                break
            product += 1
            label = f"{PRODUCT_WORDS[product % len(PRODUCT_WORDS)]} {product}"
            pm = add(head, "Senior Product Manager" if rng.random() < 0.3 else "Product Manager", product=label)
            for t in range(rng.randint(1, 3)):
                team = f"{label} {TEAM_WORDS[t % len(TEAM_WORDS)]}"
                add(pm, "Product Owner", team, label)
                manager = add(director, "Engineering Manager", team, label, "Engineering")
                for _ in range(rng.randint(4, 9)):
                    add(
                        manager,
                        rng.choice(_ENGINEERING_TITLES[:3] + _ENGINEERING_TITLES[4:]),
                        team,
                        label,
                        "Engineering",
                    )
    return rows[: people + 1]
