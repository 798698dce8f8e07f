"""What a staffing plan is made of, and the questions its remedies ask of the org as the plan has changed it.

:class:`Edit`, :class:`Draft` and :class:`PlannedDecision` are the plan's records; :class:`LedgerQueries`
answers who owns, builds and manages what in the ledger of :class:`~planner.analysis.remedy.PlanContext`,
and whether someone has room for more. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from planner.analysis.rule import Finding
from planner.model.org import Node
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
            return {
                "op": self.op,
                "product": self.node_id,
                "duty": self.duty,
                "person": self.source,
                "raci": self.letter or None,
            }
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


class LedgerQueries:
    """Read-only questions about the ledger (the org's links as the plan has changed them so far).

    A part of :class:`~planner.analysis.remedy.PlanContext`, which holds the ledger itself.
    """

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
