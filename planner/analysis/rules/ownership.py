"""Ownership rules (OWN): every team needs one backlog owner, every product one strategy owner."""

from __future__ import annotations

from collections.abc import Iterator

from planner.analysis.index import OrgIndex
from planner.analysis.profiles import Profile
from planner.analysis.rule import REGISTRY, Hit
from planner.analysis.sources import (
    LESS_RULES,
    NEXUS_GUIDE,
    RACI,
    SAFE_PO,
    SCRUM_GUIDE,
    SEED_CHECKLIST,
    SEED_DIFFERENCE,
    SEED_INDEED,
    SEED_NOT_YOUR_PM,
    TEAM_TOPOLOGIES,
)
from planner.model.vocabulary import (
    BUILDS,
    DEV_TEAM,
    LEADER,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PRODUCT,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
)


def products_without_product_manager(ix: OrgIndex, owner: str) -> list[str]:
    """The products whose strategy ``owner``, a product owner or a leader, holds with no product manager among
    their strategy owners (empty for anyone else). Two or more are OWN007's finding, which LOAD002 and RSK002
    leave to it."""
    kind_of = ix.kind_of
    if kind_of[owner] not in (PRODUCT_OWNER, LEADER):
        return []
    strategists = ix.into[OWNS_STRATEGY]
    return [
        p
        for p in ix.targets(OWNS_STRATEGY, owner)
        if not any(kind_of[s] == PRODUCT_MANAGER for s in strategists.get(p, ()))
    ]


@REGISTRY.rule(
    code="OWN001",
    name="team-without-backlog-owner",
    title="Team without a backlog owner",
    severity="error",
    message="Team '{team}' has no backlog owner",
    detects="A development team that no product owner (or product manager wearing both hats) owns the backlog of.",
    why=(
        "Without one person ordering its backlog, a team picks its own priorities or takes them from whoever "
        "shouts loudest. Sprint goals drift, work is accepted by nobody, and the team's effort stops adding up "
        "to the product's strategy."
    ),
    fix=(
        "Link a product owner to the team with 'owns backlog'. If nobody has room, plan a vacant product owner "
        "role and hire or reassign one; an existing owner can take the team only while staying under the "
        "profile's teams-per-owner limit."
    ),
    sources=(SCRUM_GUIDE, TEAM_TOPOLOGIES),
)
def team_without_backlog_owner(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for team in ix.with_no_link_into(DEV_TEAM, OWNS_BACKLOG):
        yield Hit((team,), {"team": ix.name(team)})


@REGISTRY.remedy_for("OWN001", stage="own")
def give_teams_a_backlog_owner(ctx, findings):
    """Hand each team to a product owner with room on its product or reporting line, or hire one."""
    for finding in findings:
        team = finding.subject
        if ctx.backlog_owners(team):
            ctx.credit(finding, [team])
        else:
            ctx.give_backlog([team], None, [finding])


@REGISTRY.rule(
    code="OWN002",
    name="product-without-strategy-owner",
    title="Product without a strategy owner",
    severity="error",
    message="Product '{product}' has no strategy owner",
    detects="A product that no product manager, leader or product owner owns the strategy of.",
    why=(
        "Someone has to decide why the product exists, whom it serves and where it goes next. Without a strategy "
        "owner the roadmap becomes a list of requests, nobody watches the market or the business results, and "
        "the teams build efficiently in no particular direction."
    ),
    fix=(
        "Link a product manager (or, for a portfolio, a leader) to the product with 'owns strategy'. When "
        "nobody can take it, add a vacant product manager role to the plan."
    ),
    sources=(SEED_NOT_YOUR_PM, SEED_INDEED),
)
def product_without_strategy_owner(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for product in ix.with_no_link_into(PRODUCT, OWNS_STRATEGY):
        yield Hit((product,), {"product": ix.name(product)})


@REGISTRY.remedy_for("OWN002", stage="own")
def give_products_a_strategy_owner(ctx, findings):
    """Hand each product to a product manager with room who already works with its teams, or hire one."""
    for finding in findings:
        product = finding.subject
        if ctx.strategists(product):
            ctx.credit(finding, [product])
        else:
            ctx.give_strategy([product], None, [finding])


@REGISTRY.rule(
    code="OWN003",
    name="team-with-several-backlog-owners",
    title="Team with several backlog owners",
    severity="warning",
    message="Team '{team}' takes priorities from {count} backlog owners: {owners}",
    detects="A development team whose backlog is owned by two or more people.",
    why=(
        "A backlog has one order, so it needs one person accountable for it; Scrum makes the product owner a "
        "single person, not a committee. With several owners the team arbitrates between them, priorities "
        "flip from sprint to sprint and nobody can say no."
    ),
    fix="Keep one 'owns backlog' link; the other owners feed that person's backlog or align with them instead.",
    sources=(SCRUM_GUIDE, RACI),
)
def team_with_several_backlog_owners(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for team in ix.ids_by_kind.get(DEV_TEAM, ()):
        owners = ix.sources(OWNS_BACKLOG, team)
        if len(owners) > 1:
            yield Hit((team, *owners), {"team": ix.name(team), "count": len(owners), "owners": ix.names(owners)})


@REGISTRY.remedy_for("OWN003", stage="clean")
def keep_one_backlog_owner(ctx, findings):
    """Keep the owner who holds most of the product's other teams; the others stop owning the backlog."""
    for finding in findings:
        team = finding.subject
        owners = ctx.backlog_owners(team)
        if len(owners) < 2:
            ctx.credit(finding, [team])
            continue
        products = ctx.products_of(team)
        keeper = main_backlog_owner(ctx, products, owners)
        step = ctx.keep_one(OWNS_BACKLOG, team, keeper, [finding])
        idle = [o for o in owners if o != keeper and not ctx.teams_owned(o) and ctx.kind(o) == "product_owner"]
        if idle:
            step.details.append(
                f"{ctx.names(idle)} then {'owns' if len(idle) == 1 else 'own'} no backlog: give them a team of "
                "their own, or change the card to the role they hold."
            )


def main_backlog_owner(ctx, products, owners):
    """Of ``owners``, the one to keep for ``products``: most of their teams, a product owner, least loaded."""

    def rank(owner):
        held = sum(1 for t in ctx.teams_owned(owner) if set(ctx.products_of(t)) & set(products))
        return (-held, ctx.kind(owner) != "product_owner", ctx.node(owner).vacant, len(ctx.teams_owned(owner)), owner)

    return min(owners, key=rank)


@REGISTRY.rule(
    code="OWN004",
    name="product-with-several-strategy-owners",
    title="Product with several strategy owners",
    severity="warning",
    message="Product '{product}' has {count} strategy owners: {owners}",
    detects="A product whose strategy is owned by two or more people.",
    why=(
        "Two people who each own a product's vision produce two roadmaps. Teams and stakeholders get mixed "
        "signals, and when results disappoint nobody is accountable. One accountable person per outcome is the "
        "RACI rule for a reason."
    ),
    fix=(
        "Choose one strategy owner. Others can keep a stake: make a leader the one the owner reports to, or "
        "link the second person as an aligned collaborator instead of an owner."
    ),
    sources=(RACI, SEED_DIFFERENCE),
)
def product_with_several_strategy_owners(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for product in ix.ids_by_kind.get(PRODUCT, ()):
        owners = ix.sources(OWNS_STRATEGY, product)
        if len(owners) > 1:
            yield Hit(
                (product, *owners), {"product": ix.name(product), "count": len(owners), "owners": ix.names(owners)}
            )


@REGISTRY.remedy_for("OWN004", stage="clean")
def keep_one_strategy_owner(ctx, findings):
    """Keep one strategy owner: a product manager first, one the product's owners already work with."""
    for finding in findings:
        product = finding.subject
        owners = ctx.strategists(product)
        if len(owners) < 2:
            ctx.credit(finding, [product])
            continue
        backlog_owners = {o for t in ctx.teams_of(product) for o in ctx.backlog_owners(t)}
        keeper = min(owners, key=lambda o: _strategy_rank(ctx, o, backlog_owners))
        ctx.keep_one(OWNS_STRATEGY, product, keeper, [finding])


def _strategy_rank(ctx, owner, backlog_owners):
    """Product managers first, then leaders; then whoever the product's owners work with; then the least loaded."""
    ties = sum(1 for o in backlog_owners if ctx.connected(o, owner))
    return ({"product_manager": 0, "leader": 1}.get(ctx.kind(owner), 2), -ties, len(ctx.products_held(owner)), owner)


@REGISTRY.rule(
    code="OWN005",
    name="product-with-several-product-owners",
    title="One product, several product owners",
    severity="warning",
    severity_by_profile={"less": "error", "safe": "off"},
    message="The teams of product '{product}' take their backlogs from {count} owners: {owners}",
    detects=(
        "A product whose teams get their backlogs from two or more different backlog owners, with no one person "
        "among them owning the backlog of every team (a single team with two owners is OWN003's finding)."
    ),
    why=(
        "Teams working on one product should share one backlog and one product goal. Split ownership turns one "
        "product into several half-products that compete for the same components and the same stakeholders. "
        "Scrum recommends a single product owner per product; LeSS and Nexus require it. SAFe deliberately "
        "gives each team its own product owner, so the rule is off there."
    ),
    fix=(
        "Let one product owner own the backlogs of all the product's teams (within the profile's team limit), "
        "or split the product into separate products, each with its own owner, if they really are separate."
    ),
    sources=(SCRUM_GUIDE, NEXUS_GUIDE, LESS_RULES, SAFE_PO),
)
def product_with_several_product_owners(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    builders, backlog_owners = ix.into[BUILDS], ix.into[OWNS_BACKLOG]
    for product in ix.ids_by_kind.get(PRODUCT, ()):
        owners: dict[str, None] = {}
        common: set[str] | None = None  # the people who own the backlog of every owned team of the product
        for team in builders.get(product, ()):
            team_owners = backlog_owners.get(team, ())
            if team_owners:
                owners.update(dict.fromkeys(team_owners))
                common = set(team_owners) if common is None else common.intersection(team_owners)
        # When one person already owns every team's backlog, the others are extra owners of single
        # teams: OWN003 names them, and keeping that one person clears both.
        if len(owners) > 1 and not common:
            yield Hit(
                (product, *owners), {"product": ix.name(product), "count": len(owners), "owners": ix.names(owners)}
            )


@REGISTRY.remedy_for("OWN005", stage="consolidate")
def one_product_owner_per_product(ctx, findings):
    """Hand the product's teams to the owner who already has most of them, when that stays within the limits."""
    for finding in findings:
        product = finding.subject
        teams = ctx.teams_of(product)
        owners = list(dict.fromkeys(o for t in teams for o in ctx.backlog_owners(t)))
        if len(owners) < 2:
            ctx.credit(finding, teams)
            continue
        main = main_backlog_owner(ctx, [product], owners)
        moving = [t for t in teams if main not in ctx.backlog_owners(t)]
        idle = [o for o in owners if o != main and set(ctx.teams_owned(o)) <= set(moving)]
        if idle:
            # Taking all of someone's teams away is a decision about their job, not a hand-over.
            yield ctx.decide(
                finding,
                f"Let {ctx.name(main)} own the backlogs of all {len(teams)} teams of {ctx.name(product)}, which "
                f"leaves {ctx.names(idle)} free for other work, or split {ctx.name(product)} into products with an "
                "owner each.",
            )
            continue
        if not ctx.backlog_room(main, moving):
            yield ctx.decide(
                finding,
                f"One product owner for all {len(teams)} teams of {ctx.name(product)} would be over the "
                f"{ctx.profile.title} limits. Split {ctx.name(product)} into products with an owner each, or "
                "accept several owners on it.",
            )
            continue
        for team in moving:
            for owner in ctx.backlog_owners(team):
                if owner != main:
                    ctx.hand_over(team, owner, main, OWNS_BACKLOG, [finding])


@REGISTRY.rule(
    code="OWN006",
    name="po-without-backlog",
    title="Product owner in title only",
    severity="warning",
    message="Product owner '{po}' owns no team's backlog",
    detects=(
        "Someone drawn as a product owner who owns the backlog of no team. A product owner with no links at all "
        "is STR004's finding instead."
    ),
    why=(
        "The product owner's job is the backlog: ordering it, setting sprint goals with the team and accepting "
        "the work. A product owner with no backlog either does another job under that title (often the product "
        "manager's, or a project manager's), or a team that depends on them is missing its link, and the chart "
        "shows an owner where there is none."
    ),
    fix=(
        "Link the product owner to the team whose backlog they order with 'owns backlog'. If they really do "
        "strategy, market or project work, change the card to the role they hold."
    ),
    sources=(SCRUM_GUIDE, SEED_NOT_YOUR_PM),
)
def po_without_backlog(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    isolated = set(ix.isolated())
    for po in ix.with_no_link_out(PRODUCT_OWNER, OWNS_BACKLOG):
        if po not in isolated:
            yield Hit((po,), {"po": ix.name(po)})


@REGISTRY.remedy_for("OWN006", stage="own")
def product_owner_without_backlog(ctx, findings):
    """A product owner the plan gives a team (as an owner with room) is no longer one in title only."""
    for finding in findings:
        if ctx.teams_owned(finding.subject):
            ctx.credit(finding, [finding.subject])
            continue
        yield ctx.decide(
            finding,
            f"{ctx.name(finding.subject)} is drawn as a product owner but orders no team's backlog: link the team "
            "whose work they order, or change the card to the role they hold.",
        )


@REGISTRY.rule(
    code="OWN007",
    name="strategy-without-product-manager",
    title="Several products with no product manager",
    severity="warning",
    severity_by_profile={"startup": "info"},
    message="{role} '{owner}' holds the strategy of {count} products with no product manager: {products}",
    detects=(
        "A product owner or a leader who holds the strategy of two or more products that have no product "
        "manager among their strategy owners."
    ),
    why=(
        "Which role a product needs depends on the work. A product owner fits one product or a small product "
        "line whose vision is clear; several products call for a product manager, who does the market research, "
        "positioning and coordination across departments that a backlog leaves no time for. A leader holding "
        "the strategy of a portfolio alone is in the same place. In a young company one person often covers "
        "this for a while, so the startup profile reports it as information only."
    ),
    fix=(
        "Give the products a product manager (one for the line, or one each) who owns their strategy; the "
        "product owner keeps the backlogs and the leader oversees the product managers."
    ),
    sources=(SEED_CHECKLIST, SEED_NOT_YOUR_PM),
)
def strategy_without_product_manager(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for owner in ix.out[OWNS_STRATEGY]:
        without_pm = products_without_product_manager(ix, owner)
        if len(without_pm) >= 2:
            yield Hit(
                (owner, *without_pm),
                {
                    "role": "Product owner" if ix.kind_of[owner] == PRODUCT_OWNER else "Leader",
                    "owner": ix.name(owner),
                    "count": len(without_pm),
                    "products": ix.names(without_pm),
                },
            )


@REGISTRY.remedy_for("OWN007", stage="load")
def give_products_a_product_manager(ctx, findings):
    """Hand the products to a product manager with room, or hire one for them; the owner keeps the backlogs."""
    for finding in findings:
        owner = finding.subject
        products = [p for p in finding.nodes[1:] if p in ctx.products_held(owner)]
        if not products:
            ctx.credit(finding, [owner])
            continue
        ctx.give_strategy(products, owner, [finding])
