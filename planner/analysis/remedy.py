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

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from planner.analysis.index import OrgIndex
from planner.analysis.profiles import Profile

#: Seniority, to decide which line of a loop or an inversion is the wrong one.
from planner.analysis.remedy_base import (
    CREDIT_KINDS,
    SENIORITY,
    Draft,
    Edit,
    PlannedDecision,
    join_names,
    role_words,
)
from planner.analysis.remedy_moves import StaffingMoves, managers_needed
from planner.analysis.rule import Finding
from planner.model.duties import duties_phrase
from planner.model.org import Node, Org
from planner.model.vocabulary import (
    DEV_TEAM,
    LEADER,
    LINK_KINDS,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
)

#: plan.py, the rules' remedies and the tests import these from here.
__all__ = [
    "CREDIT_KINDS",
    "SENIORITY",
    "Draft",
    "Edit",
    "PlanContext",
    "PlannedDecision",
    "join_names",
    "managers_needed",
    "role_words",
]

# -- the ledger and the helpers ------------------------------------------------------------------------------------


class PlanContext(StaffingMoves):
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

    def release(self) -> None:
        """Let the ledger's tables and the index go once the drafts are written and their headlines made.

        The drafts' headlines are methods of the context, so it lives as long as they do (and, in a reference
        cycle, until the next collection): what it holds is dropped here rather than with it.
        """
        self.index = None  # type: ignore[assignment]
        self.findings = ()
        for table in (self._merge, self._out, self._into, self._new_nodes, self._sizes, self._touched):
            table.clear()
        self._lines_changed.clear()
        self._recent.clear()
        self._invalid = self._by_subject = None

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
