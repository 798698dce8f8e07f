"""Risk rules (RSK): single points of failure, dual hats and ownership held by roles not yet hired."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain, compress
from operator import attrgetter

from planner.analysis.index import OrgIndex
from planner.analysis.profiles import Profile
from planner.analysis.rule import REGISTRY, Hit
from planner.analysis.rules.ownership import products_without_product_manager
from planner.analysis.sources import DUAL_HAT, LESS_RULES, NEXUS_GUIDE, SAFE_PM, SCRUM_GUIDE, planner_default
from planner.model.vocabulary import BUILDS, OWNS_BACKLOG, OWNS_STRATEGY


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
    backlogs, strategies = ix.out[OWNS_BACKLOG], ix.out[OWNS_STRATEGY]
    backlog_owners, strategy_owners, builders = ix.into[OWNS_BACKLOG], ix.into[OWNS_STRATEGY], ix.into[BUILDS]
    # Each person on their own: the teams whose backlog only they own, then the teams of the products whose
    # strategy only they own.
    for person in dict.fromkeys(chain(backlogs, strategies)):
        teams = dict.fromkeys(team for team in backlogs.get(person, ()) if len(backlog_owners[team]) == 1)
        for product in strategies.get(person, ()):
            if len(strategy_owners[product]) == 1:
                teams.update(dict.fromkeys(builders.get(product, ())))
        if teams and len(teams) >= profile.key_person_teams:
            yield Hit((person, *teams), {"person": ix.name(person), "count": len(teams)})


@REGISTRY.remedy_for("RSK001", stage="load")
def spread_key_person_load(ctx, findings):
    """Hand some of the person's teams (then products) to others until fewer teams depend on them alone."""
    threshold = ctx.profile.key_person_teams
    for finding in findings:
        person = finding.subject
        if ctx.sole_load(person) < threshold:
            ctx.credit(finding, [person])
            continue
        sole = [p for p in ctx.products_held(person) if len(ctx.strategists(p)) == 1]
        # A product with that many teams keeps its one strategy owner a key person whoever holds it.
        stuck = {t for p in sole if len(ctx.teams_of(p)) >= threshold for t in ctx.teams_of(p)}
        if len(stuck) >= threshold:
            yield ctx.decide(
                finding,
                f"{len(stuck)} teams build products whose strategy only {ctx.name(person)} holds: name a deputy who "
                "decides while they are away, or accept the risk.",
            )
            continue
        by_strategy = {t for p in sole for t in ctx.teams_of(p)}
        teams = sorted(
            (t for t in ctx.teams_owned(person) if t not in by_strategy and len(ctx.backlog_owners(t)) == 1),
            key=ctx.name,
        )
        while teams and ctx.sole_load(person) >= threshold:
            ctx.give_backlog([teams.pop()], person, [])
        products = sorted(ctx.products_held(person), key=lambda p: (len(ctx.teams_of(p)), ctx.name(p)))
        for product in products:
            if ctx.sole_load(person) < threshold:
                break
            if len(ctx.strategists(product)) == 1:
                ctx.give_strategy([product], person, [], key_safe=True)
        if ctx.sole_load(person) < threshold:
            ctx.credit(finding, [person])
        else:
            yield ctx.decide(
                finding,
                f"{ctx.sole_load(person)} teams depend on {ctx.name(person)} alone, more than the plan can spread "
                "within the limits: name a deputy who decides while they are away, or accept the risk.",
            )


@REGISTRY.rule(
    code="RSK002",
    name="dual-hat",
    title="Dual hat: strategy and backlog",
    severity="warning",
    severity_note="warning (beyond one product; safe: any)",
    message="'{person}' owns both strategy ({products}) and backlogs ({teams})",
    detects=(
        "One person who owns both strategy and team backlogs beyond what the profile designs: strategy for "
        "several products, or backlogs of teams building another product. SAFe keeps the two apart, so there "
        "any dual hat is reported (dual_hat_teams 0). More teams than one owner may lead is LOAD001's finding."
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
    built_by = ix.out[BUILDS]
    for person, products in ix.out[OWNS_STRATEGY].items():
        teams = ix.targets(OWNS_BACKLOG, person)
        if not teams:
            continue
        covered = dict.fromkeys(products)
        for team in teams:
            covered.update(dict.fromkeys(built_by.get(team, ())))
        if len(covered) <= 1 and (
            len(teams) <= profile.dual_hat_teams or profile.dual_hat_teams >= profile.max_teams_per_backlog_owner
        ):
            # One product, within what the profile lets its owner lead: the framework as designed. Past it,
            # when the profile lets an owner of both hats lead as many teams as any owner, the one cause is
            # too many teams: LOAD001 names it.
            continue
        if len(products_without_product_manager(ix, person)) >= 2:
            continue  # several products with no product manager: OWN007 names this person and those products
        yield Hit(
            (person, *products, *teams),
            {"person": ix.name(person), "products": ix.names(products), "teams": ix.names(teams)},
        )


@REGISTRY.remedy_for("RSK002", stage="load")
def split_the_hats(ctx, findings):
    """A product owner gives the strategy to a product manager; anyone else gives the backlogs to product owners."""
    for finding in findings:
        if finding.severity == "info":
            continue  # fine while small: nothing to do yet
        person = finding.subject
        products, teams = list(ctx.products_held(person)), list(ctx.teams_owned(person))
        if not products or not teams:
            ctx.credit(finding, [person])
        elif ctx.kind(person) == "product_owner":
            ctx.give_strategy(products, person, [finding])
        else:
            ctx.give_backlog(teams, person, [finding])


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
        'ownership is empty in practice. Set RSK003 = "off" in a profile file\'s [severity] if vacancies are '
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


@REGISTRY.remedy_for("RSK003", stage="own")
def fill_vacancy(ctx, findings):
    """A vacancy that owns work is a hire of the plan."""
    for finding in findings:
        if ctx.teams_owned(finding.subject) or ctx.products_held(finding.subject):
            ctx.hire_vacancy(finding.subject, [finding])


_VACANT = attrgetter("vacant")
