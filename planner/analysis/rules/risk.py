"""Risk rules (RSK): single points of failure, dual hats and ownership held by roles not yet hired."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import compress
from operator import attrgetter

from planner.analysis.index import OrgIndex
from planner.analysis.profiles import Profile
from planner.analysis.rule import REGISTRY, Hit
from planner.analysis.sources import DUAL_HAT, LESS_RULES, NEXUS_GUIDE, SAFE_PM, SCRUM_GUIDE, planner_default
from planner.model.vocabulary import BUILDS, LEADER, OWNS_BACKLOG, OWNS_STRATEGY, PRODUCT_MANAGER, PRODUCT_OWNER


@REGISTRY.rule(
    code="RSK001",
    name="key-person-risk",
    title="Key-person risk",
    severity="warning",
    message="If '{person}' left, {count} teams would lose their only backlog or strategy owner",
    severity_note="warning (from 5 teams; scrum: 10, less: 9, safe: 13)",
    detects=(
        "One person whose absence would leave many teams with no backlog owner, or building a product with no "
        "strategy owner: 5 or more by default, more than the profile's framework puts behind one person by design "
        "(scrum 10, past Nexus's 9; LeSS 9, past its 8; SAFe 13, past a release train's 12)."
    ),
    why=(
        "Holidays, illness and resignations happen. When one person is the sole owner behind many teams, their "
        "absence stops decisions for all of them at once, and their knowledge exists nowhere else."
    ),
    fix="Spread ownership: give some teams their own product owner, or pair a second person on the strategy.",
    sources=(
        NEXUS_GUIDE,
        LESS_RULES,
        SAFE_PM,
        planner_default(
            "5 teams behind one key person (startup profile)",
            "Below the frameworks' designs, five teams stopped at once by one absence is most of a small company's "
            "delivery; the scaled profiles start just past what their framework puts behind one person.",
            "key_person_teams",
        ),
    ),
)
def key_person_risk(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    orphaned: dict[str, dict[str, None]] = {}
    for team, owners in ix.into[OWNS_BACKLOG].items():
        if len(owners) == 1:
            orphaned.setdefault(owners[0], {})[team] = None
    for product, owners in ix.into[OWNS_STRATEGY].items():
        if len(owners) == 1:
            for team in ix.sources(BUILDS, product):
                orphaned.setdefault(owners[0], {})[team] = None
    for person, teams in orphaned.items():
        if len(teams) >= profile.key_person_teams:
            yield Hit((person, *teams), {"person": ix.name(person), "count": len(teams)})


@REGISTRY.rule(
    code="RSK002",
    name="dual-hat",
    title="Dual hat: strategy and backlog",
    severity="warning",
    severity_note="warning (beyond one product and 9 teams; less: 8, startup: 2, safe: any)",
    message="'{person}' owns both strategy ({products}) and backlogs ({teams})",
    detects=(
        "One person who owns both strategy and team backlogs beyond what the profile designs: strategy for "
        "several products, backlogs of teams of another product, or more teams than the profile lets one "
        "product's owner lead (scrum 9, LeSS 8, startup 2; SAFe keeps the two apart, so any dual hat)."
    ),
    why=(
        "Scrum makes the product owner accountable for the product goal as well as the backlog, and LeSS gives "
        "one product owner the vision and the backlog of up to eight teams: for one product, one person in both "
        "places is the design. A young company's founder wearing both hats is normal too. It stops working when "
        "the person spreads over several products, or over more teams than one person can lead: they end up "
        "either neglecting the market or leaving the teams without answers. SAFe separates product management "
        "from product owners, so there both hats on one head is a departure from the framework."
    ),
    fix=(
        "Keep them on one product's strategy and backlog within the profile's team limit, or hire a product owner "
        "for the backlogs and keep them on strategy."
    ),
    sources=(SCRUM_GUIDE, LESS_RULES, SAFE_PM, DUAL_HAT),
)
def dual_hat(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    built_by, kind_of, strategists = ix.out[BUILDS], ix.kind_of, ix.into[OWNS_STRATEGY]
    for person, products in ix.out[OWNS_STRATEGY].items():
        teams = ix.targets(OWNS_BACKLOG, person)
        if not teams:
            continue
        covered = dict.fromkeys(products)
        for team in teams:
            covered.update(dict.fromkeys(built_by.get(team, ())))
        if len(covered) <= 1 and len(teams) <= profile.dual_hat_teams:
            continue  # one product, within what the profile lets its owner lead: the framework as designed
        if kind_of[person] in (PRODUCT_OWNER, LEADER) and (
            sum(not any(kind_of[s] == PRODUCT_MANAGER for s in strategists.get(p, ())) for p in products) >= 2
        ):
            continue  # several products with no product manager: OWN007 names this person and those products
        yield Hit(
            (person, *products, *teams),
            {"person": ix.name(person), "products": ix.names(products), "teams": ix.names(teams)},
        )


@REGISTRY.rule(
    code="RSK003",
    name="vacant-ownership",
    title="Ownership held by a vacancy",
    severity="info",
    message="Vacant role '{role}' is planned to own {owned}",
    detects="A strategy or backlog ownership held by a role marked vacant (a planned hire).",
    why=(
        "On paper the gap is closed, but until the hire starts nobody does the job. Hiring a product person "
        "takes months, so the plan should say who covers in the meantime."
    ),
    fix="Name an interim owner in the notes, and track the hire; clear 'vacant' once the person starts.",
    sources=(
        "The planner's own check, no outside source: hiring a product person takes months, during which the "
        "ownership is empty in practice. Set RSK003 = \"off\" in a profile file's [severity] if vacancies are "
        "tracked elsewhere.",
    ),
)
def vacant_ownership(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    owned_by: dict[str, list[str]] = {}
    for kind in (OWNS_STRATEGY, OWNS_BACKLOG):
        owners = ix.out[kind]
        # The vacancies among the owners, found in one sweep: a handful among thousands of owners.
        for owner in compress(owners, map(_VACANT, ix.nodes_of(owners))):
            owned_by.setdefault(owner, []).extend(owners[owner])
    for owner, owned in owned_by.items():
        yield Hit((owner, *owned), {"role": ix.name(owner), "owned": ix.names(owned)})


_VACANT = attrgetter("vacant")
