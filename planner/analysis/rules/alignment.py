"""Alignment rules (ALN): strategy and execution talk, stakeholders are represented, lines point the right way."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from planner.analysis.index import OrgIndex
from planner.analysis.profiles import Profile
from planner.analysis.rule import REGISTRY, Hit
from planner.analysis.sources import SEED_DIFFERENCE, SEED_NOT_YOUR_PM, SEED_REPORTING, SEED_STAKEHOLDERS
from planner.model.vocabulary import (
    ALIGNS_WITH,
    BUILDS,
    ENGAGES,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PRODUCT,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
    STAKEHOLDER,
    STAKEHOLDER_OF,
)


@REGISTRY.rule(
    code="ALN001",
    name="po-not-aligned-with-pm",
    title="Backlog owner not aligned with strategy",
    severity="warning",
    message="'{owner}' has no alignment or reporting link to the strategy owner of {products}: {strategists}",
    detects=(
        "A backlog owner with no 'aligns with' or 'reports to' link, in either direction, to a strategy owner of "
        "each product its teams build: alignment is checked product by product. A product manager with no "
        "product owner connected at all is ALN005's finding instead."
    ),
    why=(
        "The product manager decides what matters and the product owner turns it into sprints. Without a "
        "standing connection between them the backlog follows the loudest stakeholder rather than the strategy, "
        "and the roadmap drifts away from what is actually built."
    ),
    fix="Link the backlog owner to the product's strategy owner with 'aligns with', or make them report to them.",
    sources=(SEED_DIFFERENCE, SEED_NOT_YOUR_PM),
)
def po_not_aligned_with_pm(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    built_by, strategy_owners = ix.out[BUILDS], ix.into[OWNS_STRATEGY]
    cut_off = functools.cache(lambda pm: bool(_built_without_execution(ix, pm)))
    for owner, teams in ix.out[OWNS_BACKLOG].items():
        products: dict[str, None] = {}
        for team in teams:
            products.update(dict.fromkeys(built_by.get(team, ())))
        partners = _partners(ix, owner)
        unaligned: dict[str, None] = {}
        strategists: dict[str, None] = {}
        for product in products:
            owners = strategy_owners.get(product, ())
            # No strategy owner: OWN002. The owner holds it too: a dual hat, the strategy reaches the teams through
            # them. A strategy owner with no product owner at all: ALN005 names everyone involved.
            if not owners or owner in owners or partners.intersection(owners) or all(map(cut_off, owners)):
                continue
            unaligned[product] = None
            strategists.update(dict.fromkeys(owners))
        if unaligned:
            yield Hit(
                (owner, *strategists),
                {"owner": ix.name(owner), "products": ix.names(unaligned), "strategists": ix.names(strategists)},
            )


def _partners(ix: OrgIndex, person: str) -> set[str]:
    """The people ``person`` aligns with or has a reporting line with, in either direction."""
    partners: set[str] = set()
    for connected in (ix.out[ALIGNS_WITH], ix.into[ALIGNS_WITH], ix.out[REPORTS_TO], ix.into[REPORTS_TO]):
        partners.update(connected.get(person, ()))
    return partners


def _strategists_without_execution(ix: OrgIndex) -> Iterator[tuple[str, list[str]]]:
    """Each product manager who holds strategy, owns no backlog and has no product owner connected, with the
    products whose teams they could reach (ALN005); products nobody builds are STR001's."""
    for pm in ix.out[OWNS_STRATEGY]:
        built = _built_without_execution(ix, pm)
        if built:
            yield pm, built


def _built_without_execution(ix: OrgIndex, pm: str) -> list[str]:
    """The products built by some team whose strategy ``pm`` holds, when ``pm`` is a product manager who owns no
    backlog and has no product owner connected (empty otherwise): what :func:`_strategists_without_execution`
    asks of each strategy owner."""
    kind_of, backlog_owners = ix.kind_of, ix.out[OWNS_BACKLOG]
    if kind_of[pm] != PRODUCT_MANAGER or pm in backlog_owners:
        return []
    if any(kind_of[p] == PRODUCT_OWNER or p in backlog_owners for p in _partners(ix, pm)):
        return []
    builders = ix.into[BUILDS]
    return [p for p in ix.out[OWNS_STRATEGY].get(pm, ()) if p in builders]


@REGISTRY.remedy_for("ALN001", stage="link")
def align_owner_with_strategy(ctx, findings):
    """Link the backlog owner with the strategy owner of each product its teams build ('aligns with')."""
    for finding in findings:
        owner = finding.subject
        products = list(dict.fromkeys(p for t in ctx.teams_owned(owner) for p in ctx.products_of(t)))
        missing = []
        for product in products:
            strategists = [s for s in ctx.strategists(product) if s != owner]
            if strategists and not any(ctx.connected(owner, s) for s in strategists):
                missing.append(strategists)
        if not missing:
            ctx.credit(finding, [owner])
            continue
        links = [_alignment_for(ctx, owner, strategists) for strategists in missing]
        if None in links:
            stuck = [s for strategists, link in zip(missing, links, strict=True) if link is None for s in strategists]
            yield ctx.decide(
                finding,
                f"Set up a standing link between {ctx.name(owner)} and {ctx.names(stuck)}, "
                "who holds the strategy their teams build for.",
            )
            continue
        for partner, kind in links:
            verb = "Align {} with {}" if kind == ALIGNS_WITH else "Have {} report to {} as well"
            ctx.link(
                owner,
                partner,
                kind,
                [finding],
                lambda d, owner=owner, verb=verb: verb.format(ctx.who(owner), ctx.people(d.items)),
                key=(kind, owner),
                detail=f"{ctx.name(owner)} orders the backlog; the strategy comes from "
                f"{ctx.names(d for s in missing for d in s)}. A standing link keeps the two in step.",
            )


def _alignment_for(ctx, owner, strategists):
    """The link that connects a backlog owner with one of a product's strategy owners: (partner, kind) or None.

    'Aligns with' joins product owners and managers only; a leader holding the strategy gets a reporting line,
    when the leader has room and no loop would follow.
    """
    partner = next((s for s in strategists if ctx.can_link(owner, s, ALIGNS_WITH)), None)
    if partner is not None:
        return partner, ALIGNS_WITH
    for s in strategists:
        if ctx.can_link(owner, s, REPORTS_TO) and ctx.span_room(s) and not ctx.reaches(s, owner):
            return s, REPORTS_TO
    return None


@REGISTRY.rule(
    code="ALN002",
    name="stakeholder-unrepresented",
    title="Stakeholder nobody engages",
    severity="warning",
    message="Stakeholder '{stakeholder}' is engaged by nobody",
    detects="A stakeholder with no 'engages' link from a product manager, product owner or leader.",
    why=(
        "Stakeholders who have nobody to talk to go around the structure: they lobby teams directly, escalate "
        "to executives, or stop caring. External stakeholders usually belong with the product manager, internal "
        "ones with the product owner."
    ),
    fix=(
        "Link the person who represents them with 'engages': the PM for customers and partners, the PO for "
        "internal ones."
    ),
    sources=(SEED_STAKEHOLDERS,),
)
def stakeholder_unrepresented(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for stakeholder in ix.with_no_link_into(STAKEHOLDER, ENGAGES):
        yield Hit((stakeholder,), {"stakeholder": ix.name(stakeholder)})


@REGISTRY.remedy_for("ALN002", stage="link")
def give_stakeholder_a_contact(ctx, findings):
    """Name who engages the stakeholder: a product owner of its products for internal ones, the PM for others."""
    for finding in findings:
        stakeholder = finding.subject
        if ctx.into(ENGAGES, stakeholder):
            ctx.credit(finding, [stakeholder])
            continue
        products = [p for p in ctx.out(STAKEHOLDER_OF, stakeholder) if ctx.kind(p) == PRODUCT]
        strategists = [s for p in products for s in ctx.strategists(p)]
        owners = [o for p in products for t in ctx.teams_of(p) for o in ctx.backlog_owners(t)]
        internal = ctx.node(stakeholder).scope == "internal"
        candidates = [
            c
            for c in (owners + strategists if internal else strategists + owners)
            if ctx.can_link(c, stakeholder, ENGAGES)
        ]
        if not candidates:
            yield ctx.decide(
                finding,
                f"Name who represents {ctx.name(stakeholder)}: nobody on the chart holds a product of theirs.",
            )
            continue
        contact = candidates[0]
        ctx.link(
            contact,
            stakeholder,
            ENGAGES,
            [finding],
            lambda d, contact=contact: f"Make {ctx.who(contact)} the contact for {ctx.names(d.items)}",
            key=("engage", contact),
            detail=f"{ctx.name(stakeholder)} has a stake in {ctx.names(products)} but nobody engages them.",
        )


@REGISTRY.rule(
    code="ALN003",
    name="product-without-stakeholder",
    title="Product without stakeholders",
    severity="info",
    message="Product '{product}' has no stakeholder",
    detects="A product with no 'stakeholder of' link.",
    why=(
        "Every product serves somebody. A product with no stakeholders on the chart usually means its customers, "
        "sales or legal contacts were simply not drawn, which hides who its owners must listen to."
    ),
    fix=(
        "Add the product's main stakeholders (customers, sales, support, legal...) and link them with 'stakeholder of'."
    ),
    sources=(SEED_STAKEHOLDERS,),
)
def product_without_stakeholder(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for product in ix.with_no_link_into(PRODUCT, STAKEHOLDER_OF):
        yield Hit((product,), {"product": ix.name(product)})


@REGISTRY.rule(
    code="ALN004",
    name="seniority-inversion",
    title="Product manager reporting to a product owner",
    severity="warning",
    message="Product manager '{pm}' reports to product owner '{po}'",
    detects="A product manager with a 'reports to' link to a product owner.",
    why=(
        "Strategy normally frames execution: product owners commonly report to product managers, not the other "
        "way round. An inverted line often means titles that do not match the work actually done."
    ),
    fix="Check the titles against the work. Reverse the line, or have both report to the same product leader.",
    sources=(SEED_STAKEHOLDERS, SEED_REPORTING),
)
def seniority_inversion(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for pm in ix.ids_by_kind.get(PRODUCT_MANAGER, ()):
        for manager in ix.targets(REPORTS_TO, pm):
            if ix.kind_of[manager] == PRODUCT_OWNER:
                yield Hit((pm, manager), {"pm": ix.name(pm), "po": ix.name(manager)})


@REGISTRY.remedy_for("ALN004", stage="clean")
def straighten_inverted_line(ctx, findings):
    """Have the product manager report to the product owner's own manager, or reverse the line."""
    for finding in findings:
        pm, po = finding.nodes[0], finding.nodes[1]
        if not ctx.has_link(pm, po, REPORTS_TO):
            ctx.credit(finding, [pm])
            continue
        line = (pm, po, REPORTS_TO)
        above = [
            m
            for m in ctx.managers(po)
            if m != pm
            and ctx.kind(m) != PRODUCT_OWNER
            and ctx.can_link(pm, m, REPORTS_TO)
            and ctx.span_room(m)
            and not ctx.reaches(m, pm)
        ]
        if above:
            new = (pm, above[0])
            headline = f"Have {ctx.name(pm)} report to {ctx.name(above[0])}, not {ctx.name(po)}"
        elif not ctx.reaches(pm, po, skip=line) and ctx.span_room(pm):
            new = (po, pm)
            headline = f"Turn the line round: {ctx.name(po)} to report to {ctx.name(pm)}"
        else:
            new = ("", "")
            headline = f"Remove the line from {ctx.name(pm)} to {ctx.name(po)}"
        ctx.link(
            new[0],
            new[1],
            REPORTS_TO if new[0] else "",
            [finding],
            lambda d, text=headline: text,
            replaces=[line],
            detail=f"{ctx.name(pm)} holds strategy yet reports to {ctx.name(po)}, who turns strategy into "
            "sprints. Check the titles against the work done.",
        )


@REGISTRY.rule(
    code="ALN005",
    name="strategy-without-execution",
    title="Strategy with no path to execution",
    severity="warning",
    message="Product manager '{pm}' has no product owner aligned with or reporting to them for {products}{owners}",
    detects=(
        "A product manager who holds the strategy of products that teams build, but has no product owner "
        "aligned with them or reporting to them, and owns no backlog themself. Products nobody builds are "
        "STR001's finding."
    ),
    why=(
        "Strategy reaches the teams through the product owner: the product manager sets the direction, the "
        "product owner turns it into an ordered backlog. With nobody on the execution side to work with, the "
        "roadmap stays on slides and the teams' backlogs are ordered by whoever happens to own them."
    ),
    fix=(
        "Link the product owner of the product's teams to the product manager with 'aligns with', or make them "
        "report to the product manager; hire a product owner if the teams have none."
    ),
    sources=(SEED_DIFFERENCE, SEED_NOT_YOUR_PM, SEED_STAKEHOLDERS),
)
def strategy_without_execution(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    builders, backlog_owners = ix.into[BUILDS], ix.into[OWNS_BACKLOG]
    for pm, products in _strategists_without_execution(ix):
        owners: dict[str, None] = {}
        for product in products:
            for team in builders.get(product, ()):
                owners.update(dict.fromkeys(backlog_owners.get(team, ())))
        owners.pop(pm, None)
        named = f" (its teams' backlogs are owned by {ix.names(owners)})" if owners else ""
        yield Hit((pm, *products, *owners), {"pm": ix.name(pm), "products": ix.names(products), "owners": named})


@REGISTRY.remedy_for("ALN005", stage="link")
def connect_strategy_to_execution(ctx, findings):
    """Align the product owners of the product's teams with its product manager."""
    for finding in findings:
        pm = finding.subject
        products = [n for n in finding.nodes if ctx.kind(n) == PRODUCT]
        owners = {o for p in products for t in ctx.teams_of(p) for o in ctx.backlog_owners(t) if o != pm}
        if any(ctx.connected(pm, o) for o in owners):
            ctx.credit(finding, [pm, *owners])
            continue
        owner = next((o for o in sorted(owners, key=ctx.name) if ctx.can_link(o, pm, ALIGNS_WITH)), None)
        if owner is None:
            yield ctx.decide(
                finding,
                f"Give {ctx.name(pm)} a product owner to work with on {ctx.names(products)}: the teams' backlogs "
                "have no owner who could align with them.",
            )
            continue
        ctx.link(
            owner,
            pm,
            ALIGNS_WITH,
            [finding],
            lambda d, owner=owner: f"Align {ctx.who(owner)} with {ctx.people(d.items)}",
            key=(ALIGNS_WITH, owner),
            detail=f"{ctx.name(pm)} holds the strategy of {ctx.names(products)}; {ctx.name(owner)} orders the "
            "backlog of its teams. A standing link carries the strategy into the sprints.",
        )
