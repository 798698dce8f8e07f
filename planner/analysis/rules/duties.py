"""Duty rules (DUT): each duty of a product has one person accountable, of the role the profile expects.

They read the responsibility matrices (:mod:`planner.model.duties`). A matrix
that follows its links is the links said another way, so a gap in it is the
link rules' finding (OWN001, OWN002, OWN004, OWN005, LOAD002): DUT001 to
DUT004 look only at the matrices products have of their own, and DUT005 names
only people accountable for some duty in such a matrix.
"""

from __future__ import annotations

from collections.abc import Iterator

from planner.analysis.index import OrgIndex
from planner.analysis.profiles import Profile
from planner.analysis.rule import REGISTRY, Hit
from planner.analysis.sources import RACI, SCRUM_GUIDE, SEED_DIFFERENCE, SEED_INDEED, planner_default
from planner.model.duties import (
    ACCOUNTABLE,
    DUTIES,
    EXECUTION,
    EXECUTION_DUTIES,
    STRATEGY,
    STRATEGY_DUTIES,
    Matrix,
    accountable,
    duties_phrase,
)
from planner.model.vocabulary import BUILDS, NODE_LABELS, OWNS_BACKLOG, OWNS_STRATEGY


def own_matrices(ix: OrgIndex) -> dict[str, Matrix]:
    """The matrices products have of their own, by product id (worked out once per index)."""
    cached = ix.__dict__.get("_own_duties")
    if cached is None:
        org = ix.org
        cached = {}
        for product in org.own_duties:
            matrix = org.duties_of(product)
            if matrix is not None:
                cached[product] = matrix
        ix.__dict__["_own_duties"] = cached
    return cached


def strategy_owners(ix: OrgIndex, product: str) -> list[str]:
    return ix.sources(OWNS_STRATEGY, product)


def backlog_owners(ix: OrgIndex, product: str) -> list[str]:
    """The backlog owners of the teams that build ``product``, by valid links."""
    owners: dict[str, None] = {}
    for team in ix.sources(BUILDS, product):
        owners.update(dict.fromkeys(ix.sources(OWNS_BACKLOG, team)))
    return list(owners)


def link_owners(ix: OrgIndex, product: str, duty: str) -> list[str]:
    """Who the links make accountable for ``duty`` of ``product``."""
    return strategy_owners(ix, product) if duty in STRATEGY_DUTIES else backlog_owners(ix, product)


def duty_labels(duties) -> str:
    return duties_phrase(duties)


def off_convention(ix: OrgIndex, profile: Profile, matrix: Matrix, duty: str) -> list[str]:
    """The people accountable for ``duty`` when none of them holds a role the profile's convention gives it."""
    people = accountable(matrix, duty)
    fits = profile.holders(duty)
    if not people or any(ix.kind_of[p] in fits for p in people):
        return []
    return people


def _role_words(kinds) -> str:
    words = [NODE_LABELS[k].lower() for k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


@REGISTRY.rule(
    code="DUT001",
    name="duty-without-accountable",
    title="Duty nobody is accountable for",
    severity="warning",
    message="Nobody is accountable for {duties} of product '{product}'",
    detects=(
        "A duty of a product (its roadmap, its pricing, acceptance of the work...) that nobody is accountable for "
        "in the product's own responsibility matrix. A product whose matrix follows its links has its gaps "
        "reported by OWN001 and OWN002 instead."
    ),
    why=(
        "A duty with nobody accountable is done by whoever has time, or by nobody: the roadmap goes stale, prices "
        "are never revisited, finished work waits for someone to accept it. Writing the matrix down is meant to "
        "make these holes visible before they cost a quarter."
    ),
    fix=(
        "In the Responsibilities panel, mark one person A for the duty: normally the product's strategy owner for a "
        "strategy duty and the backlog owner of its teams for an execution duty."
    ),
    sources=(RACI, SEED_DIFFERENCE),
)
def duty_without_accountable(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for product, matrix in own_matrices(ix).items():
        missing = [duty for duty in DUTIES if not accountable(matrix, duty)]
        if missing:
            yield Hit((product,), {"product": ix.name(product), "duties": duty_labels(missing)})


@REGISTRY.remedy_for("DUT001", stage="link")
def give_duties_an_accountable(ctx, findings):
    """Make the one person the links name accountable for each unheld duty; ask when there is none or several."""
    for finding in findings:
        product = finding.subject
        matrix = ctx.org.duties_of(product) or {}
        missing = [duty for duty in DUTIES if not accountable(matrix, duty)]
        unsettled = False
        for duty in missing:
            owners = link_owners(ctx.index, product, duty)
            if len(owners) == 1:
                ctx.assign_duty(product, duty, owners[0], ACCOUNTABLE, [finding])
            else:
                unsettled = True
        if unsettled:
            yield ctx.decide(
                finding, f"{finding.message}: who should be? Mark one person A in the Responsibilities panel."
            )


@REGISTRY.rule(
    code="DUT002",
    name="duty-with-several-accountable",
    title="Duty with several people accountable",
    severity="warning",
    message="Product '{product}' has {count} people accountable for {duties}: {people}",
    detects=(
        "A duty of a product that two or more people are accountable for in the product's own matrix. With the "
        "matrix following its links this is OWN003, OWN004 or OWN005's finding."
    ),
    why=(
        "Accountable means the one person who answers for the outcome and has the last word. Two of them means "
        "decisions wait for agreement, each can assume the other has it, and nobody can be asked why it went wrong."
    ),
    fix=(
        "Keep one A per duty; the others become R (they do the work) or C (they are asked first). Split the duty "
        "in the org, not in the matrix, when two people really decide separately."
    ),
    sources=(RACI, SCRUM_GUIDE),
)
def duty_with_several_accountable(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for product, matrix in own_matrices(ix).items():
        shared = [duty for duty in DUTIES if len(accountable(matrix, duty)) > 1]
        if not shared:
            continue
        people = list(dict.fromkeys(p for duty in shared for p in accountable(matrix, duty)))
        yield Hit(
            (product, *people),
            {
                "product": ix.name(product),
                "count": len(people),
                "duties": duty_labels(shared),
                "people": ix.names(people),
            },
        )


@REGISTRY.remedy_for("DUT002", stage="link")
def keep_one_accountable(ctx, findings):
    """Keep the person the links name as the one accountable; the others become responsible."""
    for finding in findings:
        product = finding.subject
        matrix = ctx.org.duties_of(product) or {}
        unsettled = False
        for duty in DUTIES:
            people = accountable(matrix, duty)
            if len(people) < 2:
                continue
            keep = [p for p in people if p in link_owners(ctx.index, product, duty)]
            if len(keep) != 1:
                unsettled = True
                continue
            for person in people:
                if person != keep[0]:
                    ctx.assign_duty(product, duty, person, "R", [finding])
        if unsettled:
            yield ctx.decide(
                finding, f"{finding.message}: which one of them answers for it? Keep one A; the others become R or C."
            )


@REGISTRY.rule(
    code="DUT003",
    name="duty-off-convention",
    title="Duty held by a role the profile does not give it",
    severity="warning",
    message="Product '{product}' has {duties} held by {holders}, not by a {roles}",
    detects=(
        "Duties of a product whose accountable people are all of a role the profile's convention does not give "
        "them: a strategy duty held only by a product owner, or an execution duty held by a leader. Each profile "
        "has a convention (the startup profile lets one person hold both halves, LeSS gives its product owner the "
        "vision), and a profile file's [duties] table changes it duty by duty."
    ),
    why=(
        "Strategy and execution look at different horizons: months and years of market and business results, or "
        "the next one to three sprints of one backlog. A product owner handed the pricing, or a director accepting "
        "sprint work, usually lacks the time or the closeness the duty needs, and the split your org chose "
        "quietly stops being the one it runs."
    ),
    fix=(
        "Move the A to someone of the expected role, or, when your org deliberately splits the work another way "
        "(a product owner who owns the whole life cycle, say), write that into a profile file's [duties] table."
    ),
    sources=(SEED_DIFFERENCE, SEED_INDEED),
)
def duty_off_convention(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for product, matrix in own_matrices(ix).items():
        for duties in (STRATEGY_DUTIES, EXECUTION_DUTIES):
            off = {duty: off_convention(ix, profile, matrix, duty) for duty in duties}
            off = {duty: people for duty, people in off.items() if people}
            if not off:
                continue
            holders = list(dict.fromkeys(p for people in off.values() for p in people))
            roles = dict.fromkeys(kind for duty in off for kind in profile.holders(duty))
            yield Hit(
                (product, *holders),
                {
                    "product": ix.name(product),
                    "duties": duty_labels(off),
                    "holders": ", ".join(f"{ix.name(p)} ({NODE_LABELS[ix.kind_of[p]].lower()})" for p in holders),
                    "roles": _role_words(roles),
                },
            )


@REGISTRY.remedy_for("DUT003", stage="link")
def settle_the_convention(ctx, findings):
    """A role split against the profile is a choice: leadership moves the duty or writes the convention down."""
    for finding in findings:
        yield ctx.decide(
            finding,
            f"{finding.message}: move these duties to the expected role, or, if this split is deliberate, name "
            "the role in a profile file's [duties] table.",
        )


@REGISTRY.rule(
    code="DUT004",
    name="duties-contradict-links",
    title="Matrix contradicting the links",
    severity="warning",
    message="'{person}' is accountable for {duties} of product '{product}' but {reason}",
    detects=(
        "Someone accountable in a product's own matrix for a strategy duty of a product whose strategy they do not "
        "own, or for an execution duty of a product whose teams' backlogs they do not own. Holders the profile's "
        "convention does not expect at all are DUT003's finding."
    ),
    why=(
        "The chart and the matrix are two descriptions of one org. When they disagree, one of them is out of date, "
        "and people read whichever they saw last: the team takes priorities from the backlog owner on the chart "
        "while someone else believes the backlog is theirs."
    ),
    fix=(
        "Either draw the link (an 'owns strategy' to the product, or an 'owns backlog' to one of its teams) or "
        "move the A in the matrix to the person who has it."
    ),
    sources=(SCRUM_GUIDE, RACI),
)
def duties_contradict_links(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for product, matrix in own_matrices(ix).items():
        strategists, backlog = set(strategy_owners(ix, product)), set(backlog_owners(ix, product))
        wrong: dict[tuple[str, str], list[str]] = {}
        for duty in DUTIES:
            if off_convention(ix, profile, matrix, duty):
                continue
            horizon = STRATEGY if duty in STRATEGY_DUTIES else EXECUTION
            owners = strategists if horizon == STRATEGY else backlog
            for person in accountable(matrix, duty):
                if person not in owners:
                    wrong.setdefault((person, horizon), []).append(duty)
        for (person, horizon), duties in wrong.items():
            reason = "does not own its strategy" if horizon == STRATEGY else "owns the backlog of none of its teams"
            yield Hit(
                (product, person),
                {
                    "person": ix.name(person),
                    "product": ix.name(product),
                    "duties": duty_labels(duties),
                    "reason": reason,
                },
            )


@REGISTRY.remedy_for("DUT004", stage="link")
def follow_the_links(ctx, findings):
    """Give the A to the one person the links name; ask when the links name nobody or several."""
    for finding in findings:
        product, person = finding.nodes[:2]
        matrix = ctx.org.duties_of(product) or {}
        unsettled = False
        for duty in DUTIES:
            owners = link_owners(ctx.index, product, duty)
            if person not in accountable(matrix, duty) or person in owners:
                continue
            if len(owners) != 1:
                unsettled = True
                continue
            ctx.assign_duty(product, duty, person, "R", [finding])
            ctx.assign_duty(product, duty, owners[0], ACCOUNTABLE, [finding])
        if unsettled:
            yield ctx.decide(finding, f"{finding.message}: draw the link, or move the A to whoever owns it.")


@REGISTRY.rule(
    code="DUT005",
    name="too-many-duties",
    title="Accountable for too many duties",
    severity="warning",
    message="'{person}' is accountable for {count} duties over {products} (the {profile} limit is {limit})",
    detects=(
        "Someone accountable for more duties, over every product, than the profile allows (21 unless a profile file "
        "says). Only people accountable for some duty in a product's own matrix are counted here: a load that "
        "follows from the links alone is LOAD001 and LOAD002's finding."
    ),
    why=(
        "Each duty takes attention every week. A person who answers for the vision, the pricing and the backlog "
        "of several products does some of them in name only, and the matrix hides it by looking complete."
    ),
    fix="Hand some duties to the people who do the work (make them A, keep yourself C), or take a product off them.",
    sources=(
        RACI,
        planner_default(
            "21 duties per person",
            "That is the seven strategy duties of the three products one strategy owner may hold (LOAD002).",
            "max_accountable_duties",
        ),
    ),
)
def too_many_duties(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    own = own_matrices(ix)
    if not own:
        return
    limit = profile.max_accountable_duties
    held: dict[str, dict[str, int]] = {}  # person → product → duties they are accountable for
    for product, matrix in own.items():
        for duty in DUTIES:
            for person in accountable(matrix, duty):
                per_product = held.setdefault(person, {})
                per_product[product] = per_product.get(product, 0) + 1
    for person, per_product in held.items():
        # Add what the links make them accountable for on the products that follow their links.
        for product in ix.targets(OWNS_STRATEGY, person):
            if product not in own:
                per_product[product] = per_product.get(product, 0) + len(STRATEGY_DUTIES)
        led = {p for team in ix.targets(OWNS_BACKLOG, person) for p in ix.targets(BUILDS, team) if p not in own}
        for product in led:
            per_product[product] = per_product.get(product, 0) + len(EXECUTION_DUTIES)
        count = sum(per_product.values())
        if count > limit:
            products = list(per_product)
            yield Hit(
                (person, *products),
                {
                    "person": ix.name(person),
                    "count": count,
                    "limit": limit,
                    "profile": profile.name,
                    "products": f"{len(products)} product{'s' if len(products) != 1 else ''}",
                },
            )


@REGISTRY.remedy_for("DUT005", stage="link")
def lighten_the_duties(ctx, findings):
    for finding in findings:
        yield ctx.decide(
            finding,
            f"{finding.message}: which duties should pass to the people who do the work (they become A, "
            f"{ctx.name(finding.subject)} stays C)?",
        )
