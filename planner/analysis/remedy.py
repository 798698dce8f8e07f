"""The working state of a staffing plan while the rules' remedies write it. No Qt here.

A remedy (declared by each rule, below its check, with ``REGISTRY.remedy_for``)
receives a :class:`PlanContext` and the rule's findings, and yields steps built
with the context's helpers: give teams or products to a named person with room
(or to a hire), keep one owner, split a team, narrow a span, add or remove a
link, hire a planned vacancy, or leave a decision to leadership.

The context keeps a *ledger*: the org's ownership, 'builds', reporting and
alignment links as the plan has changed them so far. Every helper reads the
ledger and writes its edits to it at once, so a later remedy sees what earlier
ones did: a person given two teams by one rule has two teams less room for the
next, and a team already handed over is not handed over twice. Nothing here
touches the org itself; :func:`planner.analysis.plan.apply_plan` replays the
edits on a copy.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from planner.analysis.index import OrgIndex
from planner.analysis.profiles import Profile
from planner.analysis.rule import Finding
from planner.model.duties import EXECUTION_DUTIES, STRATEGY_DUTIES, duties_phrase
from planner.model.org import Node, Org
from planner.model.vocabulary import (
    ALIGNS_WITH,
    BUILDS,
    DEV_TEAM,
    ENGAGES,
    LEADER,
    LINK_KINDS,
    NODE_LABELS,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PRODUCT,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
    STAKEHOLDER_OF,
    is_link_allowed,
)

#: Seniority, to decide which line of a loop or an inversion is the wrong one.
SENIORITY = {LEADER: 3, PRODUCT_MANAGER: 2, PRODUCT_OWNER: 1, DEV_TEAM: 0}

#: The links whose change can clear a finding of each rule: what :meth:`PlanContext.credit` looks at.
CREDIT_KINDS: dict[str, frozenset[str]] = {
    code: frozenset(kinds)
    for code, kinds in {
        "OWN001": (OWNS_BACKLOG,),
        "OWN002": (OWNS_STRATEGY,),
        "OWN003": (OWNS_BACKLOG,),
        "OWN004": (OWNS_STRATEGY,),
        "OWN005": (OWNS_BACKLOG, BUILDS),
        "STR001": (BUILDS,),
        "STR002": (BUILDS,),
        "STR003": (REPORTS_TO,),
        "LOAD001": (OWNS_BACKLOG,),
        "LOAD002": (OWNS_STRATEGY,),
        "LOAD003": (REPORTS_TO,),
        "ALN001": (ALIGNS_WITH, REPORTS_TO, OWNS_BACKLOG, OWNS_STRATEGY, BUILDS),
        "ALN002": (ENGAGES,),
        "ALN004": (REPORTS_TO,),
        "RSK001": (OWNS_BACKLOG, OWNS_STRATEGY, BUILDS),
        "RSK002": (OWNS_BACKLOG, OWNS_STRATEGY),
    }.items()
}

_BACKLOG_OWNERS = LINK_KINDS[OWNS_BACKLOG].sources
_STRATEGY_OWNERS = LINK_KINDS[OWNS_STRATEGY].sources

#: Plural role names for headlines.
ROLE_PLURALS = {
    PRODUCT_OWNER: ("product owner", "product owners"),
    PRODUCT_MANAGER: ("product manager", "product managers"),
    LEADER: ("leader", "leaders"),
    DEV_TEAM: ("team", "teams"),
    "manager": ("manager", "managers"),
}


def role_words(role: str, count: int) -> str:
    """``1 product owner``, ``2 product managers``."""
    one, many = ROLE_PLURALS.get(role, (NODE_LABELS.get(role, role).lower(),) * 2)
    return f"{count} {one if count == 1 else many}"


def join_names(names: Sequence[str], limit: int = 4) -> str:
    """``Ana``, ``Ana and Ben``, ``Ana, Ben and Chloé``, ``Ana, Ben, Chloé and 3 more``."""
    names = list(dict.fromkeys(names))
    if len(names) <= 1:
        return "".join(names)
    if len(names) > limit:
        return ", ".join(names[: limit - 1]) + f" and {len(names) - limit + 1} more"
    return ", ".join(names[:-1]) + " and " + names[-1]


# -- edits ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One change to the org: ``add_node``, ``add_link``, ``remove_link`` or ``update`` (a node's fields)."""

    op: str
    node: Node | None = None
    source: str = ""
    target: str = ""
    kind: str = ""
    node_id: str = ""
    changes: tuple[tuple[str, Any], ...] = ()
    #: ``set_duty``: the duty of product ``node_id`` whose cell for person ``source`` becomes ``letter``.
    duty: str = ""
    letter: str = ""

    def to_dict(self) -> dict[str, Any]:
        if self.op == "add_node":
            assert self.node is not None
            node = {"id": self.node.id, "kind": self.node.kind, "name": self.node.name}
            if self.node.size is not None:
                node["size"] = self.node.size
            return {"op": self.op, "node": node}
        if self.op == "update":
            return {"op": self.op, "id": self.node_id, "changes": dict(self.changes)}
        if self.op == "set_duty":
            return {"op": self.op, "product": self.node_id, "duty": self.duty, "person": self.source,
                    "raci": self.letter or None}
        return {"op": self.op, "source": self.source, "target": self.target, "kind": self.kind}

    def touches(self) -> tuple[str, ...]:
        if self.op == "add_node":
            assert self.node is not None
            return (self.node.id,)
        if self.op == "update":
            return (self.node_id,)
        if self.op == "set_duty":
            return (self.node_id, self.source)
        return (self.source, self.target)


# -- drafts ----------------------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Draft:
    """An action being written: merged with others of the same ``key`` into one :class:`Action` at the end."""

    kind: str
    key: tuple
    headline: Callable[[Draft], str]
    role: str | None = None
    count: int = 1
    giver: str | None = None
    taker: str | None = None
    items: list[str] = field(default_factory=list)  # node ids named in the headline
    subjects: list[str] = field(default_factory=list)
    clears: list[Finding] = field(default_factory=list)
    edits: list[tuple[int, Edit]] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def clear(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            if finding not in self.clears:
                self.clears.append(finding)


@dataclass(frozen=True)
class PlannedDecision:
    """A finding a remedy cannot settle, with the question it leaves to leadership."""

    finding: Finding
    question: str


# -- the ledger and the helpers ------------------------------------------------------------------------------------


class PlanContext:
    """The plan being written: the org as the plan has changed it so far, and helpers that change it further."""

    def __init__(self, org: Org, index: OrgIndex, profile: Profile, findings: Sequence[Finding]) -> None:
        self.org = org
        self.index = index
        self.profile = profile
        self.findings = findings
        self.drafts: list[Draft] = []
        self._merge: dict[tuple, Draft] = {}
        self._out: dict[str, dict[str, list[str]]] = {kind: {} for kind in LINK_KINDS}
        self._into: dict[str, dict[str, list[str]]] = {kind: {} for kind in LINK_KINDS}
        self._new_nodes: dict[str, Node] = {}
        self._sizes: dict[str, int | None] = {}
        self._seq = 0
        self._touched: dict[str, list[tuple[Draft, str]]] = {}
        self._hires_by_product: dict[str, list[str]] = {}
        self._hires_by_giver: dict[str, list[str]] = {}
        self._lines_changed: list[tuple[Draft, tuple[str, str]]] = []
        self._recent: list[Draft] = []
        self._invalid: set[tuple[str, str, str]] | None = None
        #: The team each new team of a split comes from: a gap it shares with it is not a new gap.
        self.origin: dict[str, str] = {}
        self._by_subject: dict[tuple[str, str], list[Finding]] | None = None

    # -- reading the ledger --------------------------------------------------------------------------------------

    def out(self, kind: str, node: str) -> list[str]:
        planned = self._out[kind].get(node)
        return planned if planned is not None else self.index.out[kind].get(node, [])

    def into(self, kind: str, node: str) -> list[str]:
        planned = self._into[kind].get(node)
        return planned if planned is not None else self.index.into[kind].get(node, [])

    def has_link(self, source: str, target: str, kind: str) -> bool:
        return target in self.out(kind, source)

    def node(self, node_id: str) -> Node:
        new = self._new_nodes.get(node_id)
        return new if new is not None else self.index.node(node_id)

    def kind(self, node_id: str) -> str:
        new = self._new_nodes.get(node_id)
        return new.kind if new is not None else self.index.kind_of[node_id]

    def name(self, node_id: str) -> str:
        new = self._new_nodes.get(node_id)
        return new.label if new is not None else self.index.name(node_id)  # with its id when the name is shared

    def names(self, node_ids: Iterable[str], limit: int = 4) -> str:
        return join_names([self.name(n) for n in node_ids], limit)

    def people(self, node_ids: Iterable[str]) -> str:
        """Names joined for a sentence, hires of the plan included ('Ana and the new product owner (Payments)')."""
        return join_names([self.who(n) for n in node_ids])

    def parts_of(self, team: str) -> list[str]:
        """The new teams the plan splits off ``team``."""
        return [new for new, old in self.origin.items() if old == team]

    def is_new(self, node_id: str) -> bool:
        return node_id in self._new_nodes

    def size(self, team: str) -> int | None:
        if team in self._sizes:
            return self._sizes[team]
        return self.node(team).size

    def finding(self, code: str, subject: str) -> Finding | None:
        """The open finding of ``code`` about ``subject``, if the analysis reported one."""
        if self._by_subject is None:
            self._by_subject = {}
            for f in self.findings:
                if f.subject is not None:
                    self._by_subject.setdefault((f.code, f.subject), []).append(f)
        found = self._by_subject.get((code, subject))
        return found[0] if found else None

    def backlog_owners(self, team: str) -> list[str]:
        """The people who own the team's backlog (through links of a valid kind) in the plan so far."""
        return [o for o in self.into(OWNS_BACKLOG, team) if self.kind(o) in _BACKLOG_OWNERS]

    def strategists(self, product: str) -> list[str]:
        return [o for o in self.into(OWNS_STRATEGY, product) if self.kind(o) in _STRATEGY_OWNERS]

    def teams_owned(self, person: str) -> list[str]:
        return self.out(OWNS_BACKLOG, person)

    def products_held(self, person: str) -> list[str]:
        return self.out(OWNS_STRATEGY, person)

    def managers(self, node: str) -> list[str]:
        return self.out(REPORTS_TO, node)

    def partners(self, person: str) -> list[str]:
        """Whom ``person`` aligns with, either way."""
        return self.out(ALIGNS_WITH, person) + self.into(ALIGNS_WITH, person)

    def can_link(self, source: str, target: str, kind: str) -> bool:
        return is_link_allowed(kind, self.kind(source), self.kind(target))

    def who(self, person: str) -> str:
        """A person's name, or 'the new product owner (Payments)' for a hire of the plan."""
        if self.is_new(person):
            name = self.name(person)
            return "the " + name[:1].lower() + name[1:]
        return self.name(person)

    def products_of(self, team: str) -> list[str]:
        return [p for p in self.out(BUILDS, team) if self.kind(p) == PRODUCT]

    def teams_of(self, product: str) -> list[str]:
        return [t for t in self.into(BUILDS, product) if self.kind(t) == DEV_TEAM]

    def connected(self, a: str, b: str) -> bool:
        """Whether two people align or report to each other, either way."""
        return any(b in self.out(kind, a) or a in self.out(kind, b) for kind in (ALIGNS_WITH, REPORTS_TO))

    def sole_load(self, person: str, extra_teams: Iterable[str] = (), extra_products: Iterable[str] = ()) -> int:
        """The teams left with no owner if ``person`` were away (key-person risk), after taking the extras."""
        teams = {t for t in self.out(OWNS_BACKLOG, person) if len(self.into(OWNS_BACKLOG, t)) == 1}
        teams.update(extra_teams)
        for product in (*self.out(OWNS_STRATEGY, person), *extra_products):
            if product in extra_products or len(self.into(OWNS_STRATEGY, product)) == 1:
                teams.update(self.into(BUILDS, product))
        return len(teams)

    def backlog_room(self, person: str, teams: Sequence[str]) -> bool:
        """Whether ``person`` may take these teams' backlogs within the profile's limits."""
        held = self.out(OWNS_BACKLOG, person)
        new = [t for t in teams if t not in held]
        if len(held) + len(new) > self.profile.max_teams_per_backlog_owner:
            return False
        if not self._one_strategy([*held, *new]):
            return False
        if self.out(OWNS_STRATEGY, person) and not self._within_dual_hat(person, [*held, *new]):
            return False
        return self.sole_load(person, extra_teams=new) < self.profile.key_person_teams

    def _within_dual_hat(self, person: str, teams: Sequence[str]) -> bool:
        """Whether someone holding strategy may own these backlogs: one product, within the profile's team count."""
        covered = set(self.out(OWNS_STRATEGY, person)) | {p for t in teams for p in self.products_of(t)}
        return len(covered) <= 1 and len(teams) <= self.profile.dual_hat_teams

    def _one_strategy(self, teams: Iterable[str]) -> bool:
        """Whether one person holds the strategy of every product these teams build (that has a strategy owner)."""
        common: set[str] | None = None
        for product in {p for t in teams for p in self.products_of(t)}:
            owners = self.strategists(product)
            if owners:
                common = set(owners) if common is None else common & set(owners)
                if not common:
                    return False
        return True

    def strategy_room(self, person: str, products: Sequence[str]) -> bool:
        held = self.out(OWNS_STRATEGY, person)
        new = [p for p in products if p not in held]
        if len(held) + len(new) > self.profile.max_products_per_strategy_owner:
            return False
        return self.sole_load(person, extra_products=new) < self.profile.key_person_teams

    def builds_room(self, team: str, product: str) -> bool:
        """Whether the product's only strategy owner can have one team more without becoming a key person."""
        owners = self.into(OWNS_STRATEGY, product)
        if len(owners) != 1 or team in self.into(BUILDS, product):
            return True
        return self.sole_load(owners[0], extra_teams=[team]) < self.profile.key_person_teams

    def span_room(self, manager: str, extra: int = 1) -> bool:
        return len(self.into(REPORTS_TO, manager)) + extra <= self.profile.max_direct_reports

    # -- writing the ledger --------------------------------------------------------------------------------------

    def _edit(self, draft: Draft, edit: Edit) -> None:
        self._seq += 1
        draft.edits.append((self._seq, edit))
        for node in edit.touches():
            touched = self._touched.setdefault(node, [])
            if (draft, edit.kind) not in touched:
                touched.append((draft, edit.kind))

    def _own(self, table: dict[str, dict[str, list[str]]], kind: str, node: str, base: dict) -> list[str]:
        planned = table[kind].get(node)
        if planned is None:
            planned = table[kind][node] = list(base[kind].get(node, ()))
        return planned

    def add_link(self, draft: Draft, source: str, target: str, kind: str) -> None:
        if self.has_link(source, target, kind):
            return
        self._own(self._out, kind, source, self.index.out).append(target)
        self._own(self._into, kind, target, self.index.into).append(source)
        self._edit(draft, Edit("add_link", source=source, target=target, kind=kind))

    def has_invalid_link(self, source: str, target: str, kind: str) -> bool:
        """Whether the org has this link although its kind is not allowed between the two nodes (STR005's)."""
        if self._invalid is None:
            self._invalid = set(getattr(self.index, "invalid", ()))
        return (kind, source, target) in self._invalid

    def remove_link(self, draft: Draft, source: str, target: str, kind: str) -> None:
        if self.has_invalid_link(source, target, kind):
            # Invalid links count for nothing in the analysis, so the ledger never had them: only the edit remains.
            self._invalid.discard((kind, source, target))
            self._edit(draft, Edit("remove_link", source=source, target=target, kind=kind))
            return
        if not self.has_link(source, target, kind):
            return
        if kind == REPORTS_TO:
            self._lines_changed.append((draft, (source, target)))
        self._own(self._out, kind, source, self.index.out).remove(target)
        self._own(self._into, kind, target, self.index.into).remove(source)
        self._edit(draft, Edit("remove_link", source=source, target=target, kind=kind))

    def assign_duty(self, product: str, duty: str, person: str, letter: str, clears: Sequence[Finding]) -> Draft:
        """Set one cell of a product's responsibility matrix; the cells of one product make one step."""
        draft = self.draft("assign_duty", self._duty_headline, key=(product,), count=0)
        edit = Edit("set_duty", node_id=product, source=person, duty=duty, letter=letter)
        draft.clear(clears)
        if any(e == edit for _, e in draft.edits):
            return draft
        if product not in draft.subjects:
            draft.subjects.append(product)
        duties = self.__dict__.setdefault("_duties_named", {}).setdefault(id(draft), [])
        if duty not in duties:
            duties.append(duty)
            draft.count = len(duties)
        if letter == "A" and person not in draft.items:
            draft.items.append(person)
            draft.details.append(f"On the chart, {self.name(person)} owns that part of {self.name(product)}.")
        self._edit(draft, edit)
        return draft

    def _duty_headline(self, draft: Draft) -> str:
        product = self.name(draft.subjects[0])
        duties = duties_phrase(self.__dict__["_duties_named"][id(draft)])
        if draft.items:
            return f"Make {self.names(draft.items)} accountable for {duties} of {product}, as the chart says"
        return f"Leave one person accountable for {duties} of {product}"

    def new_node(self, draft: Draft, kind: str, name: str, size: int | None = None) -> str:
        prefix = {PRODUCT_OWNER: "po", PRODUCT_MANAGER: "pm", DEV_TEAM: "team", LEADER: "lead"}.get(kind, kind)
        number = len(self._new_nodes) + 1
        node_id = f"plan-{prefix}-{number}"
        while node_id in self.index.kind_of or node_id in self._new_nodes:
            number += 1
            node_id = f"plan-{prefix}-{number}"
        node = Node(node_id, kind, name, size=size)
        self._new_nodes[node_id] = node
        self._edit(draft, Edit("add_node", node=node))
        return node_id

    def update(self, draft: Draft, node_id: str, **changes: Any) -> None:
        if "size" in changes:
            self._sizes[node_id] = changes["size"]
        self._edit(draft, Edit("update", node_id=node_id, changes=tuple(sorted(changes.items()))))

    def draft(self, kind: str, headline: Callable[[Draft], str], key: tuple | None = None, **fields: Any) -> Draft:
        """A new step, or the step already written under ``key`` (steps of one key become one action)."""
        if key is not None:
            full = (kind, *key)
            existing = self._merge.get(full)
            if existing is not None:
                return existing
        draft = Draft(kind, (kind, *key) if key is not None else (kind, len(self.drafts)), headline, **fields)
        if key is not None:
            self._merge[draft.key] = draft
        self.drafts.append(draft)
        return draft

    def credit(self, finding: Finding, nodes: Iterable[str]) -> bool:
        """Count ``finding`` as cleared by the steps that already changed the links of ``nodes`` that matter to it."""
        kinds = CREDIT_KINDS.get(finding.code)
        drafts = {d: None for n in nodes for d, kind in self._touched.get(n, ()) if kinds is None or kind in kinds}
        for d in drafts:
            d.clear([finding])
        return bool(drafts)

    def decide(self, finding: Finding, question: str) -> PlannedDecision:
        return PlannedDecision(finding, question)

    def _hire_headline(self, draft: Draft) -> str:
        text = f"Hire {role_words(draft.role or '', draft.count)}"
        return f"{text} (for {self.names(draft.items)})" if draft.items else text

    def _hand_over_headline(self, draft: Draft) -> str:
        items = self.names(draft.items)
        if draft.giver is None:
            return f"Give {items} to {self.who(draft.taker or '')}"
        return f"Hand {items} from {self.name(draft.giver)} to {self.who(draft.taker or '')}"

    # -- hires ---------------------------------------------------------------------------------------------------

    def _hire(self, role: str, serves: str) -> tuple[str, Draft]:
        """A new hire of ``role``; ``serves`` names what for, in the hire's card name."""
        draft = self.draft("hire", self._hire_headline, key=(role,), role=role, count=0)
        label = NODE_LABELS[role]
        node_id = self.new_node(draft, role, f"New {label.lower()} ({serves})")
        draft.count += 1
        draft.subjects.append(node_id)
        return node_id, draft

    def hire_vacancy(self, vacancy: str, clears: Sequence[Finding]) -> Draft:
        """Count a vacant role already on the chart as a hire of the plan."""
        role = self.kind(vacancy)
        draft = self.draft("hire", self._hire_headline, key=(role,), role=role, count=0)
        draft.count += 1
        owned = [*self.out(OWNS_BACKLOG, vacancy), *self.out(OWNS_STRATEGY, vacancy)]
        draft.items += [i for i in _for_items(self, owned) if i not in draft.items]
        draft.subjects.append(vacancy)
        draft.details.append(f"{self.name(vacancy)} is already on the chart as a vacancy: fill it.")
        self.update(draft, vacancy, vacant=False)
        draft.clear(clears)
        return draft

    # -- giving work to people with room -------------------------------------------------------------------------

    def _peers(self, person: str | None) -> list[str]:
        if person is None:
            return []
        around = list(self.into(REPORTS_TO, person))
        for manager in self.out(REPORTS_TO, person):
            around += self.into(REPORTS_TO, manager)
        return around

    def _pick(self, candidates: Iterable[str], role: str, fits: Callable[[str], bool], exclude: set[str]) -> str | None:
        best = None
        best_load = None
        for person in dict.fromkeys(candidates):
            if person in exclude or self.kind(person) != role or self.node(person).vacant or self.is_new(person):
                continue
            if self.out(OWNS_STRATEGY if role == PRODUCT_OWNER else OWNS_BACKLOG, person):
                continue  # a dual hat already: more work of either kind would make it worse
            if not fits(person):
                continue
            load = (len(self.out(OWNS_BACKLOG, person)) + len(self.out(OWNS_STRATEGY, person)), person)
            if best_load is None or load < best_load:
                best, best_load = person, load
        return best

    def backlog_taker(self, team: str, giver: str | None, together: Sequence[str] = ()) -> str | None:
        """A product owner with room for ``team`` (and the teams ``together`` with it): on the same product first,
        then in the same reporting line."""
        excluded = {giver} if giver else set()
        products = self.products_of(team)
        same_product = [o for p in products for t in self.teams_of(p) for o in self.backlog_owners(t)]
        wanted = list(dict.fromkeys([team, *together]))
        fits = lambda person: self.backlog_room(person, wanted)  # noqa: E731
        found = self._pick(same_product, PRODUCT_OWNER, fits, excluded)
        if found:
            return found
        line: list[str] = []
        for p in products:
            for strategist in self.strategists(p):
                line += self.into(REPORTS_TO, strategist)
                line += self.out(ALIGNS_WITH, strategist) + self.into(ALIGNS_WITH, strategist)
        for manager in self.out(REPORTS_TO, team):
            line += self.into(REPORTS_TO, manager)
            line.append(manager)
        line += self._peers(giver)
        return self._pick(line, PRODUCT_OWNER, fits, excluded)

    def strategy_taker(self, product: str, giver: str | None) -> str | None:
        """A product manager with room for ``product``: related through its teams first, then the giver's peers."""
        excluded = {giver} if giver else set()
        related: list[str] = []
        for team in self.teams_of(product):
            for other in self.products_of(team):
                related += self.strategists(other)
            for owner in self.backlog_owners(team):
                related += self.out(REPORTS_TO, owner) + self.out(ALIGNS_WITH, owner) + self.into(ALIGNS_WITH, owner)
        for stakeholder in self.into(STAKEHOLDER_OF, product):
            related += self.into(ENGAGES, stakeholder)
        fits = lambda person: self.strategy_room(person, [product])  # noqa: E731
        found = self._pick(related, PRODUCT_MANAGER, fits, excluded)
        if found:
            return found
        return self._pick(self._peers(giver), PRODUCT_MANAGER, fits, excluded)

    def _planned_hire(self, role: str, item: str, giver: str | None, fits: Callable[[str], bool]) -> str | None:
        """A hire this plan already makes that can take ``item`` too: one on the same product, or the same giver's."""
        if role == PRODUCT_OWNER:
            related = self.products_of(item)
        else:
            related = [p for t in self.teams_of(item) for p in self.products_of(t)]
        candidates = [h for p in related for h in self._hires_by_product.get(p, ())]
        if giver is not None:
            candidates += self._hires_by_giver.get(giver, ())
        for node_id in dict.fromkeys(candidates):
            if self.kind(node_id) == role and fits(node_id):
                return node_id
        return None

    def _note_hire(self, hire: str, item: str, giver: str | None) -> None:
        """Remember what a hire works on, so that related work goes to the same hire while it has room."""
        products = self.products_of(item) if self.kind(item) == DEV_TEAM else [item]
        for product in products:
            hires = self._hires_by_product.setdefault(product, [])
            if hire not in hires:
                hires.append(hire)
        if giver is not None:
            hires = self._hires_by_giver.setdefault(giver, [])
            if hire not in hires:
                hires.append(hire)

    def give_backlog(self, teams: Sequence[str], giver: str | None, clears: Sequence[Finding]) -> None:
        """Hand the teams' backlogs from ``giver`` (or from nobody) to product owners with room, else to hires.

        The teams of one product go to one person when someone has room for them all, so that the
        product keeps as few backlog owners as the limits allow.
        """
        groups: dict[tuple[str, ...], list[str]] = {}
        for team in teams:
            groups.setdefault(tuple(self.products_of(team)), []).append(team)
        for group in groups.values():
            while group:
                taker = self.backlog_taker(group[0], giver, together=group)
                if taker is not None:
                    self._give_teams(group, giver, taker)
                    group = []
                    continue
                fits = lambda p, g=tuple(group): self.backlog_room(p, g)  # noqa: E731
                taker = self._planned_hire(PRODUCT_OWNER, group[0], giver, fits)
                if taker is not None:
                    self._give_teams(group, giver, taker)
                    group = []
                    continue
                taker = self.backlog_taker(group[0], giver)
                if taker is None:
                    taker = self._planned_hire(
                        PRODUCT_OWNER, group[0], giver, lambda p, t=group[0]: self.backlog_room(p, [t])
                    )
                if taker is None:
                    serves = self.names(self.products_of(group[0])) or self.name(group[0])
                    taker, _ = self._hire(PRODUCT_OWNER, serves)
                    # A new hire takes as many of the group as the limits allow.
                    size = 1
                    while size < len(group) and self.backlog_room(taker, group[: size + 1]):
                        size += 1
                    self._give_teams(group[:size], giver, taker)
                    group = group[size:]
                else:
                    self._give_teams(group[:1], giver, taker)
                    group = group[1:]
        for draft in self._recent:
            draft.clear(clears)
        self._recent = []

    def _give_teams(self, teams: Sequence[str], giver: str | None, taker: str) -> None:
        if self.is_new(taker):
            draft = self.draft("hire", self._hire_headline, key=(PRODUCT_OWNER,), role=PRODUCT_OWNER, count=0)
        else:
            draft = self.draft(
                "hand_over", self._hand_over_headline, key=(giver, taker), giver=giver, taker=taker, count=0
            )
        for team in teams:
            if draft.kind == "hire":
                draft.items += [i for i in _for_items(self, [team]) if i not in draft.items]
                self._note_hire(taker, team, giver)
                draft.details.append(_moved_detail(self, team, giver, taker, "backlog"))
            else:
                draft.count += 1
                draft.items.append(team)
            self._move(draft, team, giver, taker, OWNS_BACKLOG)
            self._align_owner(draft, taker, self.products_of(team))
        if draft not in self._recent:
            self._recent.append(draft)

    def give_strategy(
        self, products: Sequence[str], giver: str | None, clears: Sequence[Finding], key_safe: bool = False
    ) -> bool:
        """Hand each product's strategy from ``giver`` (or from nobody) to a product manager with room, else a hire.

        With ``key_safe``, a product with so many teams that its hire would be a key person goes nowhere;
        returns whether every product found an owner.
        """
        placed_all = True
        for product in products:
            taker = self.strategy_taker(product, giver)
            if taker is not None:
                draft = self.draft(
                    "hand_over", self._hand_over_headline, key=(giver, taker), giver=giver, taker=taker, count=0
                )
            else:
                taker = self._planned_hire(
                    PRODUCT_MANAGER, product, giver, lambda p, x=product: self.strategy_room(p, [x])
                )
                if taker is None:
                    if key_safe and len(self.into(BUILDS, product)) >= self.profile.key_person_teams:
                        placed_all = False
                        continue
                    taker, draft = self._hire(PRODUCT_MANAGER, self.name(product))
                else:
                    draft = self.draft(
                        "hire", self._hire_headline, key=(PRODUCT_MANAGER,), role=PRODUCT_MANAGER, count=0
                    )
                if product not in draft.items:
                    draft.items.append(product)
                self._note_hire(taker, product, giver)
                draft.details.append(_moved_detail(self, product, giver, taker, "strategy"))
            self._move(draft, product, giver, taker, OWNS_STRATEGY)
            if draft.kind == "hand_over":
                draft.count += 1
                draft.items.append(product)
            draft.clear(clears)
            for team in self.teams_of(product):
                for owner in self.backlog_owners(team):
                    self._align_owner(draft, owner, [product])
        return placed_all

    def hand_over(self, item: str, giver: str, taker: str, kind: str, clears: Sequence[Finding]) -> Draft:
        """Hand ``item`` (a team for owns_backlog, a product for owns_strategy) from ``giver`` to a named ``taker``."""
        draft = self.draft("hand_over", self._hand_over_headline, key=(giver, taker), giver=giver, taker=taker, count=0)
        self._move(draft, item, giver, taker, kind)
        draft.count += 1
        draft.items.append(item)
        draft.clear(clears)
        if kind == OWNS_BACKLOG:
            self._align_owner(draft, taker, self.products_of(item))
        return draft

    def _move(self, draft: Draft, item: str, giver: str | None, taker: str, kind: str) -> None:
        if giver is not None:
            self.remove_link(draft, giver, item, kind)
        self.add_link(draft, taker, item, kind)
        draft.subjects += [n for n in (item,) if n not in draft.subjects]
        if giver is not None:
            self._move_duties(draft, item, giver, taker, kind)

    def _move_duties(self, draft: Draft, item: str, giver: str, taker: str, kind: str) -> None:
        """Keep products' own matrices in step with a hand-over: where the giver was accountable and no longer
        holds the link behind it, the taker becomes accountable instead (a matrix that follows the chart
        follows by itself)."""
        products = [item] if kind == OWNS_STRATEGY else self.products_of(item) if kind == OWNS_BACKLOG else []
        for product in products:
            matrix = self.org.duties_of(product) if self.org.is_product(product) else None
            if not matrix:
                continue
            if kind == OWNS_STRATEGY:
                duties, still = STRATEGY_DUTIES, giver in self.strategists(product)
            else:
                duties = EXECUTION_DUTIES
                still = any(giver in self.backlog_owners(team) for team in self.teams_of(product))
            if still:
                continue
            for duty in duties:
                if matrix.get(duty, {}).get(giver) == "A":
                    self._edit(draft, Edit("set_duty", node_id=product, source=giver, duty=duty))
                    self._edit(draft, Edit("set_duty", node_id=product, source=taker, duty=duty, letter="A"))

    def finish(self) -> None:
        """After every remedy: people whose reporting line the plan cut or moved stay aligned with their partners."""
        for draft, people in self._lines_changed:
            for person in people:
                if person in self._new_nodes or person in self.index.kind_of:
                    products = [p for t in self.teams_owned(person) for p in self.products_of(t)]
                    self._align_owner(draft, person, products)
                    for product in self.products_held(person):
                        for team in self.teams_of(product):
                            for owner in self.backlog_owners(team):
                                self._align_owner(draft, owner, [product])

    def _align_owner(self, draft: Draft, owner: str, products: Iterable[str]) -> None:
        """Keep a (new) backlog owner aligned with the strategy owner of each of its products."""
        if self.kind(owner) not in (PRODUCT_OWNER, PRODUCT_MANAGER):
            return
        for product in products:
            strategists = [s for s in self.strategists(product) if s != owner]
            if not strategists or any(self.connected(owner, s) for s in strategists):
                continue
            partner = next((s for s in strategists if self.can_link(owner, s, ALIGNS_WITH)), None)
            if partner is not None:
                self.add_link(draft, owner, partner, ALIGNS_WITH)
                continue
            # A leader holds the strategy: someone with no manager yet (a hire) can report to them.
            if not self.managers(owner):
                partner = next(
                    (s for s in strategists if self.span_room(s) and not self.reaches(s, owner)), None
                )
                if partner is not None and self.can_link(owner, partner, REPORTS_TO):
                    self.add_link(draft, owner, partner, REPORTS_TO)

    # -- other steps ---------------------------------------------------------------------------------------------

    def keep_one(self, kind: str, item: str, keeper: str, clears: Sequence[Finding]) -> Draft:
        """Leave ``keeper`` as the only owner (``kind``: owns_backlog or owns_strategy) of ``item``."""
        what = "backlog" if kind == OWNS_BACKLOG else "strategy"
        others = [o for o in self.into(kind, item) if o != keeper]
        draft = self.draft(
            "remove_link",
            lambda d: f"Make {self.name(keeper)} the only {what} owner of {self.name(item)}",
            subjects=[item, *others],
            items=[item],
            taker=keeper,
        )
        for other in others:
            self.remove_link(draft, other, item, kind)
            self._move_duties(draft, item, other, keeper, kind)
        draft.details.append(
            f"{self.names(others)} {'stops' if len(others) == 1 else 'stop'} owning the {what} of "
            f"{self.name(item)} and can feed {self.name(keeper)} instead."
        )
        draft.clear(clears)
        return draft

    def split_team(self, team: str, clears: Sequence[Finding]) -> Draft:
        """Split an oversized team into teams within the profile's size, each with a backlog owner."""
        size = self.size(team) or 0
        parts = max(2, math.ceil(size / self.profile.max_team_size))
        sizes = [size // parts + (1 if i < size % parts else 0) for i in range(parts)]
        draft = self.draft(
            "split_team",
            lambda d: f"Split team {self.name(team)} ({size} people) into {parts} teams",
            subjects=[team],
            items=[team],
            count=parts,
        )
        self.update(draft, team, size=sizes[0])
        owners = list(self.backlog_owners(team))
        new_teams = []
        for i, part in enumerate(sizes[1:], start=2):
            new = self.new_node(draft, DEV_TEAM, f"{self.name(team)} {i}", size=part)
            self.origin[new] = team
            new_teams.append(new)
            draft.subjects.append(new)
            for product in self.products_of(team):
                self.add_link(draft, new, product, BUILDS)
            for manager in self.out(REPORTS_TO, team):
                if self.span_room(manager):
                    self.add_link(draft, new, manager, REPORTS_TO)
            if len(owners) == 1 and self.backlog_room(owners[0], [new]):
                self.add_link(draft, owners[0], new, OWNS_BACKLOG)
            else:
                self.give_backlog([new], None, ())
        draft.details.append(
            f"{self.name(team)} has {size} people, more than {self.profile.max_team_size}. "
            f"Split it around parts of the product into teams of {join_names([str(s) for s in sizes])} people, "
            "each with its own backlog."
        )
        draft.clear(clears)
        return draft

    def narrow_span(self, manager: str, clears: Sequence[Finding]) -> Draft | None:
        """Put enough new managers between ``manager`` and their reports that nobody manages more than the limit."""
        limit = self.profile.max_direct_reports
        reports = list(self.into(REPORTS_TO, manager))
        if limit < 2 or len(reports) <= limit:
            return None
        count = managers_needed(len(reports), limit)
        draft = self.draft(
            "narrow_span",
            lambda d: (
                f"Narrow the span of {self.name(manager)}: add {role_words('manager', count)} "
                f"for {len(reports)} direct reports"
            ),
            subjects=[manager],
            items=[manager],
            role=LEADER,
            count=count,
        )
        new = [self.new_node(draft, LEADER, f"New manager {i} under {self.name(manager)}") for i in range(1, count + 1)]
        # Seniors stay with the manager when there is room; the rest are grouped, kind by kind, under the new
        # managers, filled breadth first so that no one (new or old) manages more than the limit.
        ordered = sorted(reports, key=lambda r: (-SENIORITY.get(self.kind(r), 0), self.kind(r), self.name(r)))
        slots: list[tuple[str, int]] = [(manager, limit)]
        placed: dict[str, str] = {}
        queue = list(new) + ordered
        position = 0
        for node in queue:
            while slots[position][1] == 0:
                position += 1
            holder, free = slots[position]
            slots[position] = (holder, free - 1)
            placed[node] = holder
            if node in new:
                slots.append((node, limit))
        for node in new:
            self.add_link(draft, node, placed[node], REPORTS_TO)
        for report in ordered:
            if placed[report] != manager:
                self.remove_link(draft, report, manager, REPORTS_TO)
                self.add_link(draft, report, placed[report], REPORTS_TO)
        kept = sum(1 for r in ordered if placed[r] == manager)
        draft.details.append(
            f"{self.name(manager)} has {len(reports)} direct reports; the limit is {limit}. At most {limit} each, "
            f"they need {role_words('manager', count)} in between (team leads, or heads of a product line), "
            f"with {kept} of today's reports staying direct. Appoint from within or hire, and regroup the reports "
            "by product."
        )
        draft.clear(clears)
        return draft

    def link(
        self,
        source: str,
        target: str,
        kind: str,
        clears: Sequence[Finding],
        headline: Callable[[Draft], str],
        key: tuple | None = None,
        detail: str = "",
        replaces: Sequence[tuple[str, str, str]] = (),
    ) -> Draft:
        """Add a link (after removing ``replaces``), as an ``add_link`` step, or ``remove_link`` when it replaces."""
        draft = self.draft("remove_link" if replaces else "add_link", headline, key=key)
        for old in replaces:
            self.remove_link(draft, *old)
            draft.subjects += [n for n in old[:2] if n not in draft.subjects]
        if kind:
            self.add_link(draft, source, target, kind)
            draft.items += [n for n in (target,) if n not in draft.items]
            draft.subjects += [n for n in (source, target) if n not in draft.subjects]
        if detail and detail not in draft.details:
            draft.details.append(detail)
        draft.clear(clears)
        return draft

    def unlink(
        self, links: Sequence[tuple[str, str, str]], clears: Sequence[Finding], headline: str, detail: str
    ) -> Draft:
        draft = self.draft("remove_link", lambda d: headline)
        for source, target, kind in links:
            self.remove_link(draft, source, target, kind)
            draft.subjects += [n for n in (source, target) if n not in draft.subjects]
        draft.details.append(detail)
        draft.clear(clears)
        return draft

    def reaches(self, start: str, goal: str, skip: tuple[str, str, str] | None = None) -> bool:
        """Whether following 'reports to' lines from ``start`` (leaving out ``skip``) leads to ``goal``."""
        seen = {start}
        stack = [start]
        while stack:
            node = stack.pop()
            for nxt in self.out(REPORTS_TO, node):
                if skip is not None and (node, nxt) == skip[:2]:
                    continue
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False


def managers_needed(reports: int, limit: int) -> int:
    """New managers so that ``reports`` people, and the managers themselves, sit under one top manager with at most
    ``limit`` direct reports each: every new manager adds ``limit`` places and takes one.

    >>> managers_needed(125, 10)
    13
    >>> managers_needed(12, 10)
    1
    """
    return max(0, math.ceil((reports - limit) / (limit - 1)))


def _for_items(ctx: PlanContext, owned: Iterable[str]) -> list[str]:
    """What a hire is for, as a CPO reads it: products rather than teams, a team's name when it builds none."""
    items: list[str] = []
    for node in owned:
        if ctx.kind(node) == DEV_TEAM:
            items += ctx.products_of(node) or [node]
        else:
            items.append(node)
    return list(dict.fromkeys(items))


def _moved_detail(ctx: PlanContext, item: str, giver: str | None, taker: str, what: str) -> str:
    who = f"a new {NODE_LABELS[ctx.kind(taker)].lower()}" if ctx.is_new(taker) else ctx.name(taker)
    source = f" from {ctx.name(giver)}" if giver else ""
    noun = f"the {what} of {ctx.name(item)}"
    return f"{who[:1].upper()}{who[1:]} takes {noun}{source}."
