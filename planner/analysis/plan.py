"""The staffing plan: what leadership should do about the findings. No Qt here.

Each rule may declare a *remedy* in its own unit, below its check
(``@REGISTRY.remedy_for(CODE)``): a function that turns the rule's findings
into steps (hire, hand over, split a team, narrow a span, add or remove a link)
with the helpers of :class:`~planner.analysis.remedy.PlanContext`, or into
questions for leadership. :func:`build_plan` runs the remedies of every rule,
merges what can be merged (one hiring line per role, one hand-over per giver
and taker) into :class:`Action` records, and lists every error or warning no
action clears as a :class:`Decision` leadership must take. The plan never says
that nothing is needed while an error or warning stands.

The report, the JSON output and the editor's Plan tab all read the plan from
here; none of them words advice of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from planner.analysis.coverage import unowned_duties
from planner.analysis.engine import AnalysisResult, analyze
from planner.analysis.index import OrgIndex
from planner.analysis.remedy import Draft, Edit, PlanContext, PlannedDecision, join_names, role_words
from planner.analysis.rule import REGISTRY, REMEDY_STAGES, Finding
from planner.collector import collector_paused
from planner.model.duties import with_cell
from planner.model.nxfast import drop_link, has_link, node_table, predecessors, put_link, successors
from planner.model.org import Node, Org, link_columns
from planner.model.vocabulary import LEADER, PRODUCT_MANAGER, PRODUCT_OWNER

#: Kinds of action, in the order the plan lists them. A published part of the JSON output.
ACTION_KINDS: tuple[str, ...] = (
    "hire",  # hire (or appoint from outside the org) people of a role
    "hand_over",  # move teams or products from one person to another who has room
    "split_team",  # split an oversized team
    "narrow_span",  # add a manager or regroup reports under a too-wide span
    "add_link",  # draw a missing link (an alignment, an engagement, a 'builds')
    "remove_link",  # remove a link that is wrong or duplicated (or redraw it)
    "assign_duty",  # change who is accountable (or responsible) for duties in a product's own matrix
    "accept",  # keep as is, knowingly (an accepted risk)
)

#: Weight of a severity in an action's impact (times the nodes its findings involve).
SEVERITY_WEIGHT = {"error": 3, "warning": 2, "info": 1}

#: Roles in the order hires are listed.
HIRE_ORDER = (PRODUCT_OWNER, PRODUCT_MANAGER, LEADER)


@dataclass(frozen=True)
class Action:
    """One step of the plan, in plain words, with the findings it clears.

    ``role`` is a node kind for hires (``product_owner``...) and new managers, ``count`` the
    number of people (hires, managers) or of items acted on; ``giver``/``taker`` are the node ids of
    the people of a hand-over (``giver`` is None when the work had no owner; a taker may be a new
    hire's id); ``subjects`` are the node ids acted on; ``edits`` the changes to the org that carry
    the step out (what :func:`apply_plan` replays); ``impact`` ranks steps: severity weight
    (error 3, warning 2, info 1) times the nodes involved, summed over the findings cleared.
    """

    kind: str
    headline: str
    detail: str = ""
    role: str | None = None
    count: int = 1
    subjects: tuple[str, ...] = ()
    giver: str | None = None
    taker: str | None = None
    clears: tuple[Finding, ...] = ()
    impact: int = 0
    edits: tuple[Edit, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "headline": self.headline,
            "detail": self.detail,
            "role": self.role,
            "count": self.count,
            "subjects": list(self.subjects),
            "giver": self.giver,
            "taker": self.taker,
            "impact": self.impact,
            "clears": [f.to_dict() for f in self.clears],
            "edits": [e.to_dict() for e in self.edits],
        }


@dataclass(frozen=True)
class Decision:
    """A finding no action of the plan clears: leadership must decide (fix by hand, or accept the risk)."""

    finding: Finding
    question: str

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "finding": self.finding.to_dict()}


@dataclass(frozen=True)
class StaffingPlan:
    """Actions in :data:`ACTION_KINDS` order, the decisions left, and hires per role.

    ``after`` counts the errors, warnings and infos left once every action is carried out, and
    ``introduces`` lists the errors and warnings the actions would bring that the org does not have
    today (normally none).
    """

    actions: tuple[Action, ...] = ()
    decisions: tuple[Decision, ...] = ()
    hires: dict[str, int] = field(default_factory=dict)
    edits: tuple[Edit, ...] = ()
    after: dict[str, int] = field(default_factory=dict)
    introduces: tuple[Finding, ...] = ()
    #: Duties, over every product, that nobody is accountable for: today, and once the plan is carried out.
    unowned_duties: int = 0
    unowned_duties_after: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.actions and not self.decisions

    def cleared(self) -> set[Finding]:
        return {f for action in self.actions for f in action.clears}

    def of_kind(self, kind: str) -> list[Action]:
        return [a for a in self.actions if a.kind == kind]

    def ask_parts(self) -> list[str]:
        """The plan's totals as short clauses, most important first, e.g. for a bulleted ask."""
        if self.is_empty:
            return ["No change needed: no errors or warnings stand"]
        parts: list[str] = []
        hires = [role_words(role, self.hires[role]) for role in HIRE_ORDER if self.hires.get(role)]
        hires += [role_words(r, n) for r, n in self.hires.items() if r not in HIRE_ORDER and n]
        if hires:
            parts.append("Hire " + join_names(hires, limit=len(hires)))
        hand_overs = self.of_kind("hand_over")
        if len(hand_overs) <= 3:
            parts += [action.headline for action in hand_overs]
        else:
            moved = sum(action.count for action in hand_overs)
            takers = len({action.taker for action in hand_overs})
            people = "1 person" if takers == 1 else f"{takers} people"
            parts.append(f"hand {moved} teams and products over to {people} with room")
        splits = self.of_kind("split_team")
        if splits:
            names = [a.headline.split(" (")[0].removeprefix("Split team ") for a in splits]
            if len(splits) <= 3:
                parts.append(f"Split team{'s' if len(splits) > 1 else ''} {join_names(names)}")
            else:
                parts.append(f"Split {len(splits)} teams")
        spans = self.of_kind("narrow_span")
        if len(spans) <= 2:
            parts += [action.headline.split(" for ")[0] for action in spans]
        else:
            parts.append(f"narrow {len(spans)} spans of control ({sum(a.count for a in spans)} new managers)")
        added = len(self.of_kind("add_link"))
        fixed = len(self.of_kind("remove_link"))
        if added:
            parts.append(f"add {added} missing {'link' if added == 1 else 'links'}")
        if fixed:
            parts.append(f"remove or redraw {fixed} {'link' if fixed == 1 else 'links'}")
        settled = len(self.of_kind("assign_duty"))
        if settled:
            parts.append(
                f"settle who is accountable for the duties of {settled} {'product' if settled == 1 else 'products'}"
            )
        if self.decisions:
            n = len(self.decisions)
            parts.append(f"decide on {n} {'finding' if n == 1 else 'findings'} the plan cannot settle")
        return [p[:1].upper() + p[1:] for p in parts]

    def ask(self) -> str:
        """The plan in one sentence for page 1, e.g. 'Hire 2 product owners; split team Core'."""
        parts = self.ask_parts()
        text = "; ".join([parts[0], *(p[:1].lower() + p[1:] for p in parts[1:])])
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "ask": self.ask(),
            "hires": dict(self.hires),
            "actions": [a.to_dict() for a in self.actions],
            "decisions": [d.to_dict() for d in self.decisions],
            "after": dict(self.after),
            "introduces": [f.to_dict() for f in self.introduces],
            "unowned_duties": {"before": self.unowned_duties, "after": self.unowned_duties_after},
        }


def _needs_plan(finding: Finding) -> bool:
    return finding.severity in ("error", "warning")


def finding_key(finding: Finding) -> tuple:
    """What identifies a finding across two analyses of an org and its changed copy.

    Most findings are about one subject; an invalid link or an inverted line is about a pair, and
    one node can have several.
    """
    if finding.code in ("STR005", "ALN004", "DUT003", "DUT004"):
        return (finding.code, *finding.nodes[:2], finding.message)
    return (finding.code, finding.subject)


def _persists(finding: Finding, keys: set[tuple], loops: list[set[str]]) -> bool:
    if finding.code == "STR003":
        members = set(finding.nodes)
        return any(members & loop for loop in loops)
    return finding_key(finding) in keys


def apply_plan(org: Org, plan: StaffingPlan | Iterable[Edit]) -> Org:
    """A copy of ``org`` with the plan carried out: hires made, work handed over, teams split, links redrawn.

    The org itself is not changed. Edits that no longer apply (a link already there, or gone) are skipped.
    """
    edits = plan.edits if isinstance(plan, StaffingPlan) else tuple(plan)
    nodes = list(org.nodes())
    copy = Org.from_checked(org.name, org.profile, nodes, *link_columns(org.link_triples()))
    graph = copy.graph
    for edit in edits:
        if edit.op == "add_node":
            assert edit.node is not None
            if edit.node.id not in graph:
                graph.add_node(edit.node.id, node=edit.node)
        elif edit.op == "add_link":
            ends = edit.source in graph and edit.target in graph
            if ends and not graph.has_edge(edit.source, edit.target, edit.kind):
                graph.add_edge(edit.source, edit.target, key=edit.kind)
        elif edit.op == "remove_link":
            if graph.has_edge(edit.source, edit.target, edit.kind):
                graph.remove_edge(edit.source, edit.target, key=edit.kind)
        elif edit.op == "update" and edit.node_id in graph:
            data = graph.nodes[edit.node_id]
            data["node"] = data["node"].replace(**dict(edit.changes))
    copy.swap_duties(org.own_duties)
    _carry_out_duties(copy, edits)
    return copy


def _carry_out_duties(org: Org, edits: Iterable[Edit]) -> None:
    """Make the plan's ``set_duty`` edits on the org's matrices, unannounced (see :meth:`Org.swap_duties`)."""
    duties = dict(org.own_duties)
    changed = False
    for edit in edits:
        if edit.op != "set_duty" or not org.is_product(edit.node_id) or not org.is_person(edit.source):
            continue
        matrix = duties.get(edit.node_id) or org.duty_matrix(edit.node_id)
        duties[edit.node_id] = with_cell(matrix, edit.duty, edit.source, edit.letter or None)
        changed = True
    if changed:
        org.swap_duties(duties)


def _analyze_carried_out(org: Org, edits: tuple[Edit, ...], profile) -> tuple[AnalysisResult, int]:
    """The analysis of ``org`` with ``edits`` carried out, the org left exactly as it was.

    The edits are made on the org's own graph and taken back afterwards, down to the order of each
    node's neighbours (which the findings' messages follow): a copy of a 100,000-card org would cost
    a hundred megabytes more at the peak. No key dict of the graph is changed in place (a link added
    or removed gives its pair a new one, :func:`~planner.model.nxfast.put_link`), so the key dicts
    may be shared (``planner check``) and only the neighbours of the nodes a link edit touches, and
    the records of the nodes updated, are kept to be put back. Nothing else reads the graph meanwhile:
    the editor's background work reads snapshots. No signal is sent, so views do not notice. Returns
    the analysis and how many duties nobody would be accountable for.
    """
    graph = org.graph
    node_attrs, succ, pred = node_table(graph), successors(graph), predecessors(graph)
    saved_adjacency: dict[int, tuple[dict, list]] = {}
    saved_nodes: dict[str, Node] = {}
    saved_duties = org.own_duties
    added: list[str] = []

    def keep(source: str, target: str) -> None:
        for table in (succ[source], pred[target]):
            if id(table) not in saved_adjacency:
                saved_adjacency[id(table)] = (table, list(table.items()))

    try:
        for edit in edits:
            if edit.op == "add_node":
                assert edit.node is not None
                if edit.node.id not in node_attrs:
                    graph.add_node(edit.node.id, node=edit.node)
                    added.append(edit.node.id)
            elif edit.op in ("add_link", "remove_link"):
                if edit.source in node_attrs and edit.target in node_attrs:
                    there = has_link(graph, edit.source, edit.target, edit.kind)
                    if there == (edit.op == "remove_link"):
                        keep(edit.source, edit.target)
                        (drop_link if there else put_link)(graph, edit.source, edit.target, edit.kind)
            elif edit.op == "update" and edit.node_id in node_attrs:
                data = node_attrs[edit.node_id]
                saved_nodes.setdefault(edit.node_id, data["node"])
                data["node"] = data["node"].replace(**dict(edit.changes))
        _carry_out_duties(org, edits)
        return analyze(org, profile), unowned_duties(org)
    finally:
        org.swap_duties(saved_duties)
        for node_id in reversed(added):
            graph.remove_node(node_id)
        for adjacency, items in saved_adjacency.values():
            adjacency.clear()
            adjacency.update(items)
        for node_id, node in saved_nodes.items():
            node_attrs[node_id]["node"] = node
        cache = getattr(graph, "__networkx_cache__", None)
        if cache:
            cache.clear()


def build_plan(org: Org, result: AnalysisResult, verify: bool = True) -> StaffingPlan:
    """The staffing plan for an org and its analysis result (run with the profile the plan should respect).

    Each rule's remedy runs on its open findings, stage by stage (see
    :data:`planner.analysis.rule.REMEDY_STAGES`), writing steps into one shared
    ledger so that nobody is given more than the profile allows, counting every
    hand-over of the plan. The steps are then carried out on the org in memory,
    the org analysed again and the steps taken back: a step claims only the
    findings that are really gone (``verify=False`` skips that check, and leaves ``after`` and
    ``introduces`` empty: the tests use it to check the remedies' own claims).
    Every error and warning no step clears becomes a :class:`Decision`.

    Examples
    --------
    >>> from planner.analysis import analyze
    >>> from planner.model import Link, Node, Org
    >>> org = Org()
    >>> for node in (Node("p", "product", "Payments"), Node("pm", "product_manager", "Ana"),
    ...              Node("t", "dev_team", "Core", size=6)):
    ...     _ = org.add_node(node)
    >>> for link in (Link("pm", "p", "owns_strategy"), Link("t", "p", "builds")):
    ...     _ = org.add_link(link)
    >>> build_plan(org, analyze(org)).ask()
    'Hire 1 product owner.'
    """
    with collector_paused():
        index = OrgIndex(org)
        ctx = PlanContext(org, index, result.profile, result.findings)
        by_code: dict[str, list[Finding]] = {}
        for finding in result.findings:
            by_code.setdefault(finding.code, []).append(finding)
        catalog = {rule.code: position for position, rule in enumerate(REGISTRY)}
        remedies = sorted(
            REGISTRY.remedies.values(),
            key=lambda r: (REMEDY_STAGES.index(r.stage), catalog.get(r.code, len(catalog)), r.code),
        )
        questions: dict[Finding, str] = {}
        for remedy in remedies:
            for step in remedy.function(ctx, by_code.get(remedy.code, [])) or ():
                if isinstance(step, PlannedDecision):
                    questions.setdefault(step.finding, step.question)
        ctx.finish()
        drafts = [d for d in ctx.drafts if d.edits]
        edits = tuple(edit for _, edit in sorted(e for d in drafts for e in d.edits))
        headlines = {id(d): d.headline(d) for d in drafts}
        origin = ctx.origin
        # The ledger is done with: let it and its index go before the org is analysed again (peak memory).
        ctx.release()
        ctx = index = None

        counts: dict[str, int] = {}
        introduces: tuple[Finding, ...] = ()
        unowned_before = unowned_after = unowned_duties(org)
        if verify:
            # Carry the plan out and look again: claims hold only for findings really gone.
            after, unowned_after = _analyze_carried_out(org, edits, result.profile)
            counts = after.counts
            keys = {finding_key(f) for f in after.findings}
            loops = [set(f.nodes) for f in after.findings if f.code == "STR003"]
            for draft in drafts:
                draft.clears = [f for f in draft.clears if not _persists(f, keys, loops)]
            before_keys = {finding_key(f) for f in (*result.findings, *result.accepted)}
            introduces = tuple(
                f
                for f in after.findings
                if _needs_plan(f)
                and finding_key(f) not in before_keys
                and (f.code, origin.get(f.subject or "")) not in before_keys
            )

        actions = [_action(d, headlines[id(d)]) for d in drafts]
        actions.sort(key=lambda a: (ACTION_KINDS.index(a.kind), -a.impact, a.headline))
        cleared = {f for a in actions for f in a.clears}
        decisions = tuple(
            Decision(f, questions.get(f) or _question(f))
            for f in result.findings
            if _needs_plan(f) and f not in cleared
        )
        hires: dict[str, int] = {}
        for a in actions:
            if a.kind == "hire" and a.role:
                hires[a.role] = hires.get(a.role, 0) + a.count
    return StaffingPlan(tuple(actions), decisions, hires, edits, counts, introduces, unowned_before, unowned_after)


def _action(draft: Draft, headline: str) -> Action:
    impact = sum(SEVERITY_WEIGHT[f.severity] * len(set(f.nodes)) for f in draft.clears)
    return Action(
        kind=draft.kind,
        headline=headline,
        detail=" ".join(draft.details),
        role=draft.role,
        count=draft.count,
        subjects=tuple(draft.subjects),
        giver=draft.giver,
        taker=draft.taker,
        clears=tuple(draft.clears),
        impact=impact,
        edits=tuple(edit for _, edit in sorted(draft.edits)),
    )


def _question(finding: Finding) -> str:
    rule = REGISTRY.get(finding.code)
    hint = f" {rule.fix}" if rule is not None else ""
    return f"{finding.message}: fix it by hand or accept it as a known risk.{hint}"
