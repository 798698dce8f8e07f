"""The staffing plan: what leadership should do about the findings. No Qt here.

Each rule may declare a *remedy* in its own unit: a function that turns the
rule's findings into :class:`Action` records (hire, appoint, hand over, split a
team, narrow a span, add or remove a link, accept a risk). :func:`build_plan`
runs the remedies of every rule that fired, merges what can be merged (one
hiring line per role, one hand-over per giver and taker) and lists every error
or warning no action clears as a :class:`Decision` leadership must take. The
plan never says that nothing is needed while an error or warning stands.

The report, the JSON output and the editor's Plan tab all read the plan from
here; none of them words advice of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planner.analysis.engine import AnalysisResult
from planner.analysis.rule import Finding
from planner.model.org import Org

#: Kinds of action, in the order the plan lists them. A published part of the JSON output.
ACTION_KINDS: tuple[str, ...] = (
    "hire",  # hire (or appoint from outside the org) people of a role
    "hand_over",  # move teams or products from one person to another who has room
    "split_team",  # split an oversized team
    "narrow_span",  # add a manager or regroup reports under a too-wide span
    "add_link",  # draw a missing link (an alignment, an engagement, a 'builds')
    "remove_link",  # remove a link that is wrong or duplicated
    "accept",  # keep as is, knowingly (an accepted risk)
)


@dataclass(frozen=True)
class Action:
    """One step of the plan, in plain words, with the findings it clears.

    ``role`` is a node kind for hires (``product_owner``...), ``count`` the
    number of people (hires) or of items acted on; ``giver``/``taker`` name the
    people of a hand-over; ``subjects`` are the node ids acted on.
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
            "clears": [f.to_dict() for f in self.clears],
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
    """Actions in :data:`ACTION_KINDS` order, the decisions left, and hires per role."""

    actions: tuple[Action, ...] = ()
    decisions: tuple[Decision, ...] = ()
    hires: dict[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.actions and not self.decisions

    def cleared(self) -> set[Finding]:
        return {f for action in self.actions for f in action.clears}

    def ask(self) -> str:
        """The plan in one sentence for page 1, e.g. 'Hire 2 product owners; split team Core'."""
        if not self.actions and not self.decisions:
            return "No change needed: no errors or warnings stand."
        parts = [a.headline.rstrip(".") for a in self.actions if a.kind != "accept"]
        if self.decisions:
            n = len(self.decisions)
            parts.append(f"decide on {n} {'finding' if n == 1 else 'findings'} the plan cannot settle")
        text = "; ".join(parts)
        return text[:1].upper() + text[1:] + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "ask": self.ask(),
            "hires": dict(self.hires),
            "actions": [a.to_dict() for a in self.actions],
            "decisions": [d.to_dict() for d in self.decisions],
        }


def _needs_plan(finding: Finding) -> bool:
    return finding.severity in ("error", "warning")


def build_plan(org: Org, result: AnalysisResult) -> StaffingPlan:
    """The staffing plan for an org and its analysis result (run with the profile the plan should respect).

    Skeleton: rule remedies are not wired in yet, so every error and warning
    becomes a decision. The remedies fill ``actions``.
    """
    actions: tuple[Action, ...] = ()
    cleared = {f for a in actions for f in a.clears}
    decisions = tuple(
        Decision(f, f"Fix by hand or accept: {f.message}")
        for f in result.findings
        if _needs_plan(f) and f not in cleared
    )
    hires: dict[str, int] = {}
    for a in actions:
        if a.kind == "hire" and a.role:
            hires[a.role] = hires.get(a.role, 0) + a.count
    return StaffingPlan(actions, decisions, hires)
