"""Load rules (LOAD): nobody owns more teams or products, manages more people, than a profile allows."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from operator import attrgetter

from planner.analysis.index import OrgIndex
from planner.analysis.profiles import Profile
from planner.analysis.rule import REGISTRY, Hit
from planner.analysis.rules.ownership import products_without_product_manager
from planner.analysis.sources import (
    LESS_RULES,
    NEXUS_GUIDE,
    SAFE_PO,
    SCRUM_GUIDE_TEAM,
    SEED_CHECKLIST,
    SEED_INDEED,
    SPAN_RESEARCH,
    TEAM_TOPOLOGIES,
    planner_default,
)
from planner.model.vocabulary import BUILDS, DEV_TEAM, OWNS_BACKLOG, OWNS_STRATEGY, REPORTS_TO


def _over_limit(held: Mapping[str, list[str]], limit: int) -> Iterator[tuple[str, list[str]]]:
    """Each holder with more than ``limit`` of what ``held`` lists for them: teams owned, products, reports."""
    return ((holder, items) for holder, items in held.items() if len(items) > limit)


def _hand_over_the_excess(ctx, findings, limit: int, held, order, give) -> None:
    """LOAD001 and LOAD002's remedy: the holder keeps ``limit`` of what they ``held`` (first in ``order``), the rest
    is given away; a finding the plan already settled is credited."""
    for finding in findings:
        holder = finding.subject
        items = list(held(holder))
        if len(items) <= limit:
            ctx.credit(finding, [holder])
            continue
        items.sort(key=order(items))
        give(items[limit:], holder, [finding])


@REGISTRY.rule(
    code="LOAD001",
    name="po-overloaded",
    title="Backlog owner overloaded",
    severity="warning",
    message="'{owner}' owns the backlogs of {count} teams (the {profile} limit is {limit})",
    detects=(
        "Someone who owns more team backlogs than the profile allows (scrum 9, the Nexus Guide's bound; SAFe 2; "
        "LeSS 8; startup 2)."
    ),
    why=(
        "Refining, ordering and accepting work takes time with each team. Past the limit the owner becomes a "
        "bottleneck: teams wait for answers, refinement gets shallow and acceptance turns into a rubber stamp."
    ),
    fix=(
        "Move some teams to another product owner or hire one; in SAFe each team has its own product owner. "
        "The gap report computes how many owners the org needs at the profile's ratio."
    ),
    sources=(
        NEXUS_GUIDE,
        LESS_RULES,
        SAFE_PO,
        "The Scrum Guide 2020 sets no number of teams per product owner; the scrum profile uses the Nexus Guide's",
        planner_default(
            "2 teams per backlog owner in the startup profile",
            "A young company's product owner usually also does discovery and talks to customers, which leaves room "
            "for about two teams.",
            "max_teams_per_backlog_owner",
        ),
    ),
)
def po_overloaded(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    limit = profile.max_teams_per_backlog_owner
    for owner, teams in _over_limit(ix.out[OWNS_BACKLOG], limit):
        values = {"owner": ix.name(owner), "count": len(teams), "limit": limit, "profile": profile.title}
        yield Hit((owner, *teams), values)


@REGISTRY.remedy_for("LOAD001", stage="load")
def relieve_backlog_owner(ctx, findings):
    """Hand the teams above the limit to product owners with room (or hires), keeping the owner's main product."""

    def order(teams):
        per_product = {}
        for team in teams:
            for product in ctx.products_of(team) or [team]:
                per_product[product] = per_product.get(product, 0) + 1
        # Teams of the products the owner holds least of go first: the owner keeps one product whole.
        return lambda t: (min(-per_product[p] for p in ctx.products_of(t) or [t]), ctx.name(t))

    limit = ctx.profile.max_teams_per_backlog_owner
    _hand_over_the_excess(ctx, findings, limit, ctx.teams_owned, order, ctx.give_backlog)


@REGISTRY.rule(
    code="LOAD002",
    name="pm-overloaded",
    title="Strategy owner overloaded",
    severity="warning",
    message="'{owner}' owns the strategy of {count} products (the limit is {limit})",
    detects=(
        "Someone who owns the strategy of more products than the profile allows (3 unless a profile file says). "
        "A product owner or leader holding several products with no product manager is OWN007's finding."
    ),
    why=(
        "Each product needs its own market research, roadmap and business review. A product manager spread over "
        "many products ends up managing a portfolio without the time to understand any of its markets."
    ),
    fix="Group the products into a product line with one leader, or give some of them their own product manager.",
    sources=(
        SEED_CHECKLIST,
        planner_default(
            "3 products per strategy owner",
            "The seeds agree a product manager may cover several products or a product line, and give no number; "
            "three is where each product still gets its own market review and roadmap in a month.",
            "max_products_per_strategy_owner",
        ),
    ),
)
def pm_overloaded(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    limit = profile.max_products_per_strategy_owner
    for owner, products in _over_limit(ix.out[OWNS_STRATEGY], limit):
        # A product owner or leader holding products with no product manager: OWN007 names them all, and its
        # fix, a product manager, takes the load too.
        if len(products_without_product_manager(ix, owner)) < 2:
            yield Hit((owner, *products), {"owner": ix.name(owner), "count": len(products), "limit": limit})


@REGISTRY.remedy_for("LOAD002", stage="load")
def relieve_strategy_owner(ctx, findings):
    """Hand the products above the limit to product managers with room (or hires), the smallest first."""

    def order(products):
        return lambda p: (-len(ctx.teams_of(p)), ctx.name(p))  # the products with most teams stay

    limit = ctx.profile.max_products_per_strategy_owner
    _hand_over_the_excess(ctx, findings, limit, ctx.products_held, order, ctx.give_strategy)


@REGISTRY.rule(
    code="LOAD003",
    name="span-of-control",
    title="Span of control too wide",
    severity="warning",
    message="'{manager}' has {count} direct reports (the limit is {limit})",
    detects="A manager with more direct 'reports to' links than the profile allows (10).",
    why=(
        "There is no universal right span, but research on managers' time finds coaching and feedback thin out "
        "past about ten direct reports. The warning asks for a look, not for a new layer of management."
    ),
    fix="Check whether the reports are self-managing; if not, add a lead or split the group between managers.",
    sources=(SPAN_RESEARCH,),
)
def span_of_control(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    limit = profile.max_direct_reports
    for manager, reports in _over_limit(ix.into[REPORTS_TO], limit):
        yield Hit((manager, *reports), {"manager": ix.name(manager), "count": len(reports), "limit": limit})


@REGISTRY.remedy_for("LOAD003", stage="span")
def narrow_the_span(ctx, findings):
    """Put as many new managers between the manager and the reports as the limit requires."""
    for finding in findings:
        if ctx.narrow_span(finding.subject, [finding]) is None:
            ctx.credit(finding, [finding.subject])


@REGISTRY.rule(
    code="LOAD004",
    name="team-size",
    title="Team size out of range",
    severity="warning",
    severity_note="warning above 10 people, info below 3",
    message="Team '{team}' has {size} people ({advice})",
    detects="A team whose size is given and is above ten people, or below three (the profile's team size range).",
    why=(
        "Large teams spend their time coordinating: Scrum keeps teams at ten or fewer and Team Topologies "
        "suggests five to nine. A team of one or two lacks the skills to finish work on its own and stalls "
        "whenever someone is away."
    ),
    fix="Split a large team in two around parts of the product, each with its backlog; merge or staff up a tiny one.",
    sources=(
        SCRUM_GUIDE_TEAM,
        TEAM_TOPOLOGIES,
        planner_default(
            "a minimum team of 3",
            "The 2017 Scrum Guide's lower bound, dropped in 2020: with fewer than three people a team seldom holds "
            "the skills to finish an increment alone.",
            "min_team_size",
        ),
    ),
)
def team_size(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    teams = ix.ids_by_kind.get(DEV_TEAM, [])
    for team, size in zip(teams, map(_SIZE, ix.nodes_of(teams)), strict=True):
        if size is None:
            continue
        if size > profile.max_team_size:
            advice = f"more than {profile.max_team_size}: split it"
            yield Hit((team,), {"team": ix.name(team), "size": size, "advice": advice}, "warning")
        elif size < profile.min_team_size:
            advice = f"fewer than {profile.min_team_size}: merge or staff it"
            yield Hit((team,), {"team": ix.name(team), "size": size, "advice": advice}, "info")


@REGISTRY.remedy_for("LOAD004", stage="split")
def split_large_team(ctx, findings):
    """Split a team above the size limit; a small team is an info, left to the people who know it."""
    for finding in findings:
        size = ctx.size(finding.subject)
        if size is not None and size > ctx.profile.max_team_size:
            ctx.split_team(finding.subject, [finding])


_SIZE = attrgetter("size")


@REGISTRY.rule(
    code="LOAD005",
    name="po-across-strategies",
    title="Product owner spread over several strategies",
    severity="warning",
    message="'{owner}' orders work for {products}, whose strategies are held by different people: {strategists}",
    detects=(
        "A backlog owner whose teams build products with different strategy owners: no one person holds the "
        "strategy of all of them."
    ),
    why=(
        "A product owner fits a single product or a small product line. Serving the strategies of several "
        "product managers, they must weigh one roadmap against another in every sprint, a choice that belongs "
        "to the strategy owners or their leader, and each product gets a part-time owner."
    ),
    fix=(
        "Give each product's teams a product owner of their own, or bring the products under one strategy "
        "owner if they really form one product line."
    ),
    sources=(SEED_CHECKLIST, SEED_INDEED),
)
def po_across_strategies(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    built_by, strategy_owners = ix.out[BUILDS], ix.into[OWNS_STRATEGY]
    for owner, teams in ix.out[OWNS_BACKLOG].items():
        products: dict[str, None] = {}
        for team in teams:
            products.update(dict.fromkeys(built_by.get(team, ())))
        held = {p: strategy_owners[p] for p in products if p in strategy_owners}  # unheld ones are OWN002's
        if len(held) < 2 or set.intersection(*map(set, held.values())):
            continue
        strategists = dict.fromkeys(s for owners in held.values() for s in owners)
        yield Hit(
            (owner, *held, *strategists),
            {"owner": ix.name(owner), "products": ix.names(held), "strategists": ix.names(strategists)},
        )


@REGISTRY.remedy_for("LOAD005", stage="load")
def one_strategy_per_product_owner(ctx, findings):
    """Keep the teams of the strategy owner the product owner serves most; hand the others over (or hire)."""
    for finding in findings:
        owner = finding.subject
        teams = list(ctx.teams_owned(owner))
        served = {}
        for team in teams:
            for strategist in {s for p in ctx.products_of(team) for s in ctx.strategists(p)}:
                served[strategist] = served.get(strategist, 0) + 1
        if not served:
            ctx.credit(finding, [owner])
            continue
        main = min(served, key=lambda s: (-served[s], ctx.name(s)))
        moving = [
            t for t in teams if any(main not in ctx.strategists(p) for p in ctx.products_of(t) if ctx.strategists(p))
        ]
        if not moving:
            ctx.credit(finding, [owner])
            continue
        ctx.give_backlog(moving, owner, [finding])
