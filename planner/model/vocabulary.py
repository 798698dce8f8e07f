"""The published vocabulary: node kinds, link kinds and the pairs each link allows.

These names are a contract shared with files, the command line and CI users
(see the README's vocabulary section); they are never renamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PRODUCT_MANAGER = "product_manager"
PRODUCT_OWNER = "product_owner"
LEADER = "leader"
DEV_TEAM = "dev_team"
STAKEHOLDER = "stakeholder"
PRODUCT = "product"

NODE_KINDS: tuple[str, ...] = (
    LEADER,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    DEV_TEAM,
    PRODUCT,
    STAKEHOLDER,
)

#: Kinds that stand for one person (as opposed to a team or a product).
PERSON_KINDS = frozenset({PRODUCT_MANAGER, PRODUCT_OWNER, LEADER})

OWNS_STRATEGY = "owns_strategy"
OWNS_BACKLOG = "owns_backlog"
BUILDS = "builds"
REPORTS_TO = "reports_to"
STAKEHOLDER_OF = "stakeholder_of"
ENGAGES = "engages"
ALIGNS_WITH = "aligns_with"


@dataclass(frozen=True)
class LinkKind:
    """One link kind: its name, the node kinds it may join, and what it means."""

    name: str
    sources: frozenset[str]
    targets: frozenset[str]
    label: str
    meaning: str
    #: How the link reads between two names in a sentence: "Ana owns the backlog of Payments".
    phrase: str


LINK_KINDS: dict[str, LinkKind] = {
    k.name: k
    for k in (
        LinkKind(
            OWNS_STRATEGY,
            frozenset({PRODUCT_MANAGER, LEADER, PRODUCT_OWNER}),
            frozenset({PRODUCT}),
            "owns strategy",
            "Holds the vision, roadmap and market direction of the product.",
            "owns the strategy of",
        ),
        LinkKind(
            OWNS_BACKLOG,
            frozenset({PRODUCT_OWNER, PRODUCT_MANAGER}),
            frozenset({DEV_TEAM}),
            "owns backlog",
            "Orders the team's backlog, sets sprint goals and accepts the work.",
            "owns the backlog of",
        ),
        LinkKind(
            BUILDS,
            frozenset({DEV_TEAM}),
            frozenset({PRODUCT}),
            "builds",
            "The team delivers increments of this product.",
            "builds",
        ),
        LinkKind(
            REPORTS_TO,
            frozenset({PRODUCT_MANAGER, PRODUCT_OWNER, LEADER, DEV_TEAM}),
            frozenset({PRODUCT_MANAGER, PRODUCT_OWNER, LEADER}),
            "reports to",
            "Line management: the source's manager is the target.",
            "reports to",
        ),
        LinkKind(
            STAKEHOLDER_OF,
            frozenset({STAKEHOLDER}),
            frozenset({PRODUCT}),
            "stakeholder of",
            "Has needs the product must serve or must be kept informed.",
            "is a stakeholder of",
        ),
        LinkKind(
            ENGAGES,
            frozenset({PRODUCT_MANAGER, PRODUCT_OWNER, LEADER}),
            frozenset({STAKEHOLDER}),
            "engages",
            "Represents this stakeholder and keeps them in the loop.",
            "engages",
        ),
        LinkKind(
            ALIGNS_WITH,
            frozenset({PRODUCT_OWNER, PRODUCT_MANAGER}),
            frozenset({PRODUCT_OWNER, PRODUCT_MANAGER}),
            "aligns with",
            "Regular collaboration between strategy and execution.",
            "aligns with",
        ),
    )
}

#: Human labels of the node kinds, for menus, legends and reports.
NODE_LABELS: dict[str, str] = {
    LEADER: "Leader",
    PRODUCT_MANAGER: "Product manager",
    PRODUCT_OWNER: "Product owner",
    DEV_TEAM: "Development team",
    PRODUCT: "Product",
    STAKEHOLDER: "Stakeholder",
}

#: One sentence on each role, used for tooltips and the help.
NODE_DESCRIPTIONS: dict[str, str] = {
    LEADER: "A head of product, CPO or development director: where reporting lines end.",
    PRODUCT_MANAGER: "Decides why a product exists and where it goes: vision, roadmap, market, business results.",
    PRODUCT_OWNER: "Turns the strategy into delivered work: orders one backlog, sets sprint goals, accepts increments.",
    DEV_TEAM: "A cross-functional team of about 5 to 9 people building from a single backlog.",
    PRODUCT: "A product or product line that needs a strategy owner, a backlog, teams and stakeholders.",
    STAKEHOLDER: "Someone the product serves or must keep aligned: customers, sales, legal, partners.",
}

STAKEHOLDER_SCOPES = ("internal", "external")

#: What a rule code looks like: a prefix of three or four capitals and three digits (OWN001, LOAD003).
RULE_CODE = re.compile(r"^[A-Z]{3,4}[0-9]{3}$")

#: Profile names; the thresholds live in planner.analysis.profiles.
PROFILES: tuple[str, ...] = ("scrum", "safe", "less", "startup")
DEFAULT_PROFILE = "scrum"

#: The thresholds a profile file may set in its ``[limits]`` table (the fields of
#: planner.analysis.profiles.Profile), and the levels its ``[severity]`` table may give a rule.
PROFILE_LIMITS: tuple[str, ...] = (
    "max_teams_per_backlog_owner",
    "max_products_per_strategy_owner",
    "max_direct_reports",
    "max_team_size",
    "min_team_size",
    "key_person_teams",
    "dual_hat_teams",
    "max_accountable_duties",
)
SEVERITY_LEVELS: tuple[str, ...] = ("error", "warning", "info", "off")


def is_link_allowed(kind: str, source_kind: str, target_kind: str) -> bool:
    """Return True when a ``kind`` link may join these two node kinds."""
    spec = LINK_KINDS.get(kind)
    return spec is not None and source_kind in spec.sources and target_kind in spec.targets


def allowed_link_kinds(source_kind: str, target_kind: str) -> list[str]:
    """All link kinds that may go from a ``source_kind`` node to a ``target_kind`` node."""
    return [k for k, spec in LINK_KINDS.items() if source_kind in spec.sources and target_kind in spec.targets]


_PROPOSED = {
    (PRODUCT_OWNER, DEV_TEAM): OWNS_BACKLOG,
    (PRODUCT_MANAGER, PRODUCT): OWNS_STRATEGY,
    (LEADER, PRODUCT): OWNS_STRATEGY,
    (PRODUCT_OWNER, PRODUCT): OWNS_STRATEGY,
    (PRODUCT_MANAGER, DEV_TEAM): OWNS_BACKLOG,
    (DEV_TEAM, PRODUCT): BUILDS,
    (STAKEHOLDER, PRODUCT): STAKEHOLDER_OF,
}


def proposed_link_kind(source_kind: str, target_kind: str) -> str | None:
    """The link kind a user most likely means when joining these two kinds, or None."""
    kind = _PROPOSED.get((source_kind, target_kind))
    if kind is not None:
        return kind
    allowed = allowed_link_kinds(source_kind, target_kind)
    if REPORTS_TO in allowed:
        return REPORTS_TO
    return allowed[0] if allowed else None
