"""Structure rules (STR): links that make sense, no orphans, no reporting loops."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import chain

import networkx as nx

from planner.analysis.index import OrgIndex
from planner.analysis.profiles import Profile
from planner.analysis.rule import REGISTRY, Hit
from planner.analysis.sources import SEED_DIFFERENCE, SEED_REPORTING, SEED_STAKEHOLDERS, TEAM_TOPOLOGIES
from planner.model.vocabulary import BUILDS, DEV_TEAM, LEADER, LINK_KINDS, PRODUCT, REPORTS_TO


@REGISTRY.rule(
    code="STR001",
    name="product-without-team",
    title="Product without a team",
    severity="warning",
    message="Product '{product}' has no team building it",
    detects="A product that no development team builds.",
    why=(
        "A strategy that nobody builds is a wish. Either the product is not staffed yet, in which case the plan "
        "should show it, or a team that works on it is missing its 'builds' link and the chart understates "
        "the product's real cost."
    ),
    fix="Link the team that delivers the product with 'builds', or plan a new team (with a backlog owner).",
    sources=(SEED_DIFFERENCE, TEAM_TOPOLOGIES),
)
def product_without_team(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for product in ix.with_no_link_into(PRODUCT, BUILDS):
        yield Hit((product,), {"product": ix.name(product)})


@REGISTRY.remedy_for("STR001", stage="clean")
def find_product_a_team(ctx, findings):
    """Link a team of the product's own people that builds nothing yet; otherwise staffing it is a decision."""
    for finding in findings:
        product = finding.subject
        if ctx.teams_of(product):
            ctx.credit(finding, [product])
            continue
        people = set(ctx.strategists(product))
        for strategist in list(people):
            people.update(ctx.partners(strategist))
            people.update(ctx.into(REPORTS_TO, strategist))
        idle = sorted(
            {
                t
                for person in people
                for t in ctx.teams_owned(person)
                if not ctx.products_of(t) and ctx.builds_room(t, product)
            },
            key=ctx.name,
        )
        if not idle:
            yield ctx.decide(
                finding,
                f"Nobody builds {ctx.name(product)}: staff a team for it, with a backlog owner, or retire it.",
            )
            continue
        team = idle[0]
        clears = [f for f in (finding, ctx.finding("STR002", team)) if f is not None]
        ctx.link(
            team,
            product,
            BUILDS,
            clears,
            lambda d, team=team: f"Record that team {ctx.name(team)} builds {ctx.names(d.items)}",
            key=("builds", team),
            detail=f"{ctx.name(team)} builds no product, and its owner works for {ctx.name(product)}, "
            "which no team builds.",
        )


@REGISTRY.rule(
    code="STR002",
    name="team-without-product",
    title="Team without a product",
    severity="warning",
    message="Team '{team}' builds no product",
    detects="A development team that has no 'builds' link to any product.",
    why=(
        "A team that delivers for no product cannot be traced to a strategy or a business result. It is often "
        "a platform or component team whose customers are invisible on the chart, or a team whose mission "
        "ended."
    ),
    fix="Link the team to the product it delivers with 'builds'; a platform team can build an internal product.",
    sources=(TEAM_TOPOLOGIES,),
)
def team_without_product(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for team in ix.with_no_link_out(DEV_TEAM, BUILDS):
        yield Hit((team,), {"team": ix.name(team)})


@REGISTRY.remedy_for("STR002", stage="clean")
def find_team_a_product(ctx, findings):
    """Link the team to the product its owner's other teams, or its owner's manager, work on."""
    for finding in findings:
        team = finding.subject
        if ctx.products_of(team):
            ctx.credit(finding, [team])
            continue
        votes = {}
        owners = set(ctx.backlog_owners(team))
        for owner in owners:
            near = [p for t in ctx.teams_owned(owner) for p in ctx.products_of(t)]
            near += ctx.products_held(owner)
            if not near:
                for partner in ctx.managers(owner) + ctx.partners(owner):
                    near += ctx.products_held(partner)
            for product in near:
                # Not a product whose teams take their backlogs from someone else: it would then have two owners.
                if (
                    ctx.kind(product) == PRODUCT
                    and all(set(ctx.backlog_owners(t)) <= owners for t in ctx.teams_of(product))
                    and ctx.builds_room(team, product)
                ):
                    votes[product] = votes.get(product, 0) + 1
        if not votes:
            yield ctx.decide(
                finding,
                f"Say which product team {ctx.name(team)} builds, or give the team a new mission.",
            )
            continue
        product = min(votes, key=lambda p: (-votes[p], ctx.name(p)))
        for builder in (team, *ctx.parts_of(team)):  # the halves of a team the plan splits build it too
            ctx.link(
                builder,
                product,
                BUILDS,
                [finding],
                lambda d, team=team: f"Record that team {ctx.name(team)} builds {ctx.names(d.items)}",
                key=("builds", team),
                detail=f"The people who lead {ctx.name(team)} work on {ctx.name(product)}; check that the team "
                "builds it too.",
            )


@REGISTRY.rule(
    code="STR003",
    name="reporting-cycle",
    title="Reporting cycle",
    severity="error",
    message="Reporting lines loop: {cycle}",
    detects="People (or teams) whose 'reports to' links form a loop.",
    why=(
        "Line management must end somewhere. In a loop every member has a manager, yet nobody has the final "
        "say: escalations circle back, and nobody above the loop is accountable for it."
    ),
    fix="Remove or reverse one 'reports to' link of the loop so that the line ends at a leader.",
    sources=("Line management by definition: every reporting line ends at someone who reports to nobody",),
)
def reporting_cycle(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    managers = ix.out[REPORTS_TO]
    if not managers:
        return
    if not _has_cycle(managers, ix.into[REPORTS_TO]):
        return
    graph = nx.DiGraph()
    graph.add_edges_from((source, target) for source, targets in managers.items() for target in targets)
    for component in nx.strongly_connected_components(graph):
        if len(component) == 1:
            (only,) = component
            if not graph.has_edge(only, only):
                continue
        members = _cycle_order(graph, component)
        names = " → ".join(ix.name(m) for m in (*members, members[0]))
        yield Hit(tuple(members), {"cycle": names})


@REGISTRY.remedy_for("STR003", stage="clean")
def break_reporting_loop(ctx, findings):
    """Cut the lines of the loop where a more senior person reports to a more junior one."""
    rank = {"leader": 3, "product_manager": 2, "product_owner": 1}
    for finding in findings:
        members = set(finding.nodes)
        lines = {m: [x for x in ctx.managers(m) if x in members] for m in members}
        cuts = []
        while cycle := _find_cycle(lines):
            edges = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
            source, target = max(edges, key=lambda e: rank.get(ctx.kind(e[0]), 0) - rank.get(ctx.kind(e[1]), 0))
            lines[source].remove(target)
            cuts.append((source, target, REPORTS_TO))
        if not cuts:
            ctx.credit(finding, finding.nodes)
            continue
        said = "; ".join(f"{ctx.name(s)} no longer reports to {ctx.name(t)}" for s, t, _ in cuts)
        ctx.unlink(
            cuts,
            [finding],
            f"End the reporting loop of {ctx.names(dict.fromkeys(finding.nodes))}: {said}",
            f"{finding.message}. Nobody above the loop is accountable for it; cutting "
            f"{'this line' if len(cuts) == 1 else 'these lines'} lets the reporting end at a leader.",
        )


def _find_cycle(lines):
    """One cycle in ``lines`` (person → the people they report to), as a list of people, or []."""
    state = {}
    for start in sorted(lines):
        if start in state:
            continue
        state[start] = 1
        path = [start]
        stack = [iter(lines[start])]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                state[path.pop()] = 2
            elif state.get(step) == 1:
                return path[path.index(step) :]
            elif step not in state:
                state[step] = 1
                path.append(step)
                stack.append(iter(lines[step]))
    return []


def _has_cycle(managers: dict[str, list[str]], reported_to: dict[str, list[str]]) -> bool:
    """Whether the 'reports to' links loop anywhere.

    Only someone who reports to somebody and is reported to can be part of a
    loop: in most orgs that leaves the leaders, a few per cent of the people,
    found with one set operation. Among them, Kahn's algorithm peels off
    those nobody reports to until none are left; whoever remains is in or
    behind a loop. The components are only built (with networkx) when this
    finds one, which a healthy org never has.
    """
    middle = managers.keys() & reported_to.keys()
    among = {person: [m for m in managers[person] if m in middle] for person in middle}
    reports = Counter(chain.from_iterable(among.values()))
    free = [person for person in among if person not in reports]
    peeled = 0
    while free:
        person = free.pop()
        peeled += 1
        for manager in among[person]:
            reports[manager] -= 1
            if not reports[manager]:
                free.append(manager)
    return peeled < len(among)


def _cycle_order(graph: nx.DiGraph, component: set[str]) -> list[str]:
    """The members of a strongly connected component, in the order of one cycle through them when possible."""
    sub = graph.subgraph(component)
    try:
        cycle = nx.find_cycle(sub, source=min(component))
    except nx.NetworkXNoCycle:
        return sorted(component)
    order = [edge[0] for edge in cycle]
    rest = sorted(component - set(order))
    return order + rest


@REGISTRY.rule(
    code="STR004",
    name="isolated-node",
    title="Isolated node",
    severity="info",
    message="'{node}' has no links{detail}",
    detects="A node with no links at all, or none but invalid ones (STR005).",
    why=(
        "A box with no lines is either a draft or a forgotten role. Nothing can be checked about it: the "
        "analysis cannot tell whether it owns, builds or reports to anything."
    ),
    fix="Connect it (reporting line, ownership, 'builds' or 'engages'), or delete it if it is not part of the org.",
    sources=(
        "The planner's vocabulary: a role is defined by its links; an unlinked card says nothing the rules can check",
    ),
)
def isolated_node(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    invalid_ends = {end for _, source, target in ix.invalid for end in (source, target)}
    for node_id in ix.isolated():
        detail = " other than invalid ones" if node_id in invalid_ends else ""
        yield Hit((node_id,), {"node": ix.name(node_id), "detail": detail})


@REGISTRY.rule(
    code="STR005",
    name="invalid-link",
    title="Invalid link",
    severity="error",
    message="'{source}' {label} '{target}' is not a valid link between a {source_kind} and a {target_kind}",
    detects="A link whose kind is not allowed between the kinds of its two nodes, e.g. a team that owns a strategy.",
    why=(
        "Each link kind means one relationship between particular roles. A link that breaks the vocabulary is "
        "usually a kind changed by mistake or a file imported from another tool, and the rules that depend on "
        "it silently give wrong answers."
    ),
    fix="Change the link to a kind these two nodes allow, reverse its direction, or delete it.",
    sources=("The planner's vocabulary (README, 'Vocabulary'): the node kinds each link kind may join",),
)
def invalid_link(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    # The index sets these links aside (no other rule sees them); this rule only words them.
    kind_of = ix.kind_of
    for kind, source, target in ix.invalid:
        yield Hit(
            (source, target),
            {
                "source": ix.name(source),
                "target": ix.name(target),
                "label": LINK_KINDS[kind].label,
                "source_kind": kind_of[source].replace("_", " "),
                "target_kind": kind_of[target].replace("_", " "),
            },
        )


@REGISTRY.remedy_for("STR005", stage="clean")
def fix_invalid_link(ctx, findings):
    """Turn a reporting line the right way round when that makes it valid; otherwise remove the link."""
    for finding in findings:
        source, target = finding.nodes[0], finding.nodes[1]
        kinds = [
            kind
            for kind, spec in LINK_KINDS.items()
            if f" {spec.label} " in finding.message and ctx.has_invalid_link(source, target, kind)
        ]
        if not kinds:
            ctx.credit(finding, [source, target])
            continue
        kind = kinds[0]
        label = LINK_KINDS[kind].label
        # Only a reporting line is turned round: other kinds reversed would hand out ownership nobody chose.
        if (
            kind == REPORTS_TO
            and ctx.can_link(target, source, kind)
            and not ctx.has_link(target, source, kind)
            and ctx.span_room(source)
            and not ctx.reaches(source, target, skip=(source, target, kind))
        ):
            ctx.link(
                target,
                source,
                kind,
                [finding],
                lambda d, s=source, t=target, label=label: f"Turn round the link '{ctx.name(s)} {label} {ctx.name(t)}'",
                replaces=[(source, target, kind)],
                detail=f"{finding.message}; the other way round it is valid.",
            )
            continue
        ctx.unlink(
            [(source, target, kind)],
            [finding],
            f"Remove the invalid link '{ctx.name(source)} {label} {ctx.name(target)}'",
            f"{finding.message}.",
        )


@REGISTRY.rule(
    code="STR006",
    name="several-managers",
    title="Several managers",
    severity="info",
    message="'{node}' reports to {count} managers: {managers}",
    detects="Someone with two or more 'reports to' links: matrix reporting.",
    why=(
        "A matrix can work, but it must be deliberate: two managers means two sets of expectations, two "
        "performance reviews and a person caught in between when they disagree."
    ),
    fix="Keep one line manager and turn the other link into 'aligns with' or 'engages', or accept it explicitly.",
    sources=(SEED_STAKEHOLDERS,),
)
def several_managers(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    for node_id, managers in ix.out[REPORTS_TO].items():
        if len(managers) > 1 and node_id in managers:
            managers = [m for m in managers if m != node_id]  # reporting to oneself is STR003's loop
        if len(managers) > 1:
            yield Hit(
                (node_id, *managers),
                {"node": ix.name(node_id), "count": len(managers), "managers": ix.names(managers)},
            )


@REGISTRY.rule(
    code="STR007",
    name="no-leader-above",
    title="Reporting lines that reach no leader",
    severity="info",
    message="The reporting lines of {count} under '{top}' end at a {top_kind} and never reach a leader",
    detects=(
        "Part of the org whose reporting lines end at someone other than a leader: a product manager or product "
        "owner who reports to nobody but has people or teams reporting to them, while the org has leaders "
        "elsewhere. Loops are STR003's finding."
    ),
    why=(
        "Leaders are where reporting lines end: the head of product or development director who settles "
        "priorities between products and answers for the people in them. A branch that stops short of every "
        "leader has nobody to escalate to, and often means a line was simply not drawn."
    ),
    fix="Draw the missing 'reports to' link from the top of the branch to the leader it answers to.",
    sources=(SEED_REPORTING,),
)
def no_leader_above(ix: OrgIndex, profile: Profile) -> Iterator[Hit]:
    if not ix.has_kind(LEADER):
        return  # an org with no leader drawn at all (a small startup) has no branch cut off from one
    managers, reports = ix.out[REPORTS_TO], ix.into[REPORTS_TO]
    kind_of = ix.kind_of
    for top in reports:
        if kind_of[top] == LEADER or top in managers:
            continue
        below: dict[str, None] = {}
        stack = [top]
        while stack:
            for member in reports.get(stack.pop(), ()):
                if member not in below and member != top:
                    below[member] = None
                    stack.append(member)
        count = f"{len(below)} {'person or team' if len(below) == 1 else 'people and teams'}"
        yield Hit(
            (top, *below),
            {"top": ix.name(top), "top_kind": kind_of[top].replace("_", " "), "count": count},
        )
