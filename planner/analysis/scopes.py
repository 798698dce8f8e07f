"""Which subjects an edit can change the findings of, rule by rule: what lets a check rerun only those.

Every rule of the catalog reports on subjects (the first node of each finding)
and, for each subject, reads a neighbourhood of it: its own links and data,
and along some link kinds the links and data of nodes further away. A rule's
:class:`Scope` says which. After edits that touched some nodes (changed them,
or added or removed a link at them), the findings that may differ are those
whose subject reaches a touched node along the rule's paths; :meth:`Scope.subjects`
walks those paths backwards from the touched nodes to find them.

A path is a tuple of steps from the subject outwards; a step is a set of
``(direction, link kind)`` pairs, ``"out"`` following links from the node,
``"in"`` to it. The subject's own links and data are always read, so every
scope includes the touched nodes themselves. A few rules read the whole org
(reporting loops, branches with no leader above, products' own duties): their
scopes say so, and when to run them again.

The catalog's own test (tests/analysis/test_incremental.py) checks over random
edit sequences that a check rerunning only these subjects finds what a full
check finds; a rule with no scope here is run again in full after every edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.analysis.live_index import LiveIndex
from planner.analysis.rules.duties import own_matrices
from planner.model.vocabulary import ALIGNS_WITH, BUILDS, LEADER, OWNS_BACKLOG, OWNS_STRATEGY, REPORTS_TO

#: Every subject: the rule runs over the whole org.
EVERYTHING = None

Step = frozenset[tuple[str, str]]


def _step(*pairs: tuple[str, str]) -> Step:
    return frozenset(pairs)


OUT_BACKLOG = _step(("out", OWNS_BACKLOG))
IN_BACKLOG = _step(("in", OWNS_BACKLOG))
OUT_STRATEGY = _step(("out", OWNS_STRATEGY))
IN_STRATEGY = _step(("in", OWNS_STRATEGY))
OUT_BUILDS = _step(("out", BUILDS))
IN_BUILDS = _step(("in", BUILDS))
OUT_REPORTS = _step(("out", REPORTS_TO))
#: The people someone aligns with or has a reporting line with, either way (alignment rules' "partners").
PARTNERS = _step(("out", ALIGNS_WITH), ("in", ALIGNS_WITH), ("out", REPORTS_TO), ("in", REPORTS_TO))


@dataclass(frozen=True)
class Edit:
    """What a check needs to know of the edits since the last one (see :class:`planner.model.mirror.Changes`)."""

    #: Nodes whose data or links (or whose neighbours' kinds) changed, added and removed ones included.
    nodes: frozenset[str]
    #: The link kinds whose valid links changed.
    link_kinds: frozenset[str]
    #: Whether the org had a leader before the edits.
    had_leader: bool


class Scope:
    """Which subjects of a rule an edit can change the findings of (the rule's own subjects by default)."""

    #: Whether the rule runs over the live index itself (it reads the whole org and finds its own subjects).
    whole = False

    def subjects(self, index: LiveIndex, edit: Edit, previous_subjects: Iterable[str]) -> set[str] | None:
        """The subjects to check again after ``edit`` (:data:`EVERYTHING`: all of them; empty: none).

        ``previous_subjects`` are the subjects of the rule's findings before the edit (true when there are any).
        """
        return set(edit.nodes)


@dataclass(frozen=True)
class Paths(Scope):
    """A subject's findings read its own links and data and those of the nodes along ``paths``."""

    paths: tuple[tuple[Step, ...], ...] = ()

    def subjects(self, index, edit, previous_subjects):
        found = set(edit.nodes)
        for path in self.paths:
            for length in range(1, len(path) + 1):
                frontier: set[str] = set(edit.nodes)
                for step in reversed(path[:length]):
                    frontier = _back(index, frontier, step)
                    if not frontier:
                        break
                found |= frontier
        return found


def _back(index: LiveIndex, nodes: set[str], step: Step) -> set[str]:
    """The nodes one step back along ``step`` from ``nodes``: those that reach one of them by that step."""
    found: set[str] = set()
    for direction, kind in step:
        # A subject that follows its links out to a node is among that node's sources, and the other way round.
        table = index.into[kind] if direction == "out" else index.out[kind]
        for node_id in nodes:
            found.update(table.get(node_id, ()))
    return found


class ReportingLoops(Scope):
    """STR003: loops of reporting lines. Run again in full when a reporting line changed and may close or open one."""

    whole = True

    def subjects(self, index, edit, previous_subjects):
        if REPORTS_TO not in edit.link_kinds:
            return set()
        if previous_subjects:
            return EVERYTHING  # a loop was there: a change may have opened it
        managers = index.out[REPORTS_TO]
        for node_id in edit.nodes:
            for manager in managers.get(node_id, ()):
                if _reaches(managers, manager, node_id):
                    return EVERYTHING
        return set()


def _reaches(managers, start: str, goal: str) -> bool:
    """Whether following reporting lines up from ``start`` comes to ``goal``."""
    seen = {start}
    stack = [start]
    while stack:
        node_id = stack.pop()
        if node_id == goal:
            return True
        for manager in managers.get(node_id, ()):
            if manager not in seen:
                seen.add(manager)
                stack.append(manager)
    return False


class UpTheLine(Scope):
    """STR007: a branch's top reads everyone below it. The tops above a touched node (and itself) are checked again;
    all of them when the org gains its first leader or loses its last."""

    def subjects(self, index, edit, previous_subjects):
        if index.has_kind(LEADER) != edit.had_leader:
            return set(index.into[REPORTS_TO]) | set(previous_subjects) | set(edit.nodes)
        managers = index.out[REPORTS_TO]
        found = set(edit.nodes)
        stack = list(found)
        while stack:
            for manager in managers.get(stack.pop(), ()):
                if manager not in found:
                    found.add(manager)
                    stack.append(manager)
        return found


class Duties(Scope):
    """DUT rules: products' own matrices, read whole. Run again in full while any product has one (or had findings)."""

    whole = True

    def subjects(self, index, edit, previous_subjects):
        if own_matrices(index) or previous_subjects:
            return EVERYTHING
        return set()


SELF = Scope()

#: Each rule's scope, by code. Paths are from the subject outwards (see the module's docstring).
SCOPES: dict[str, Scope] = {
    "OWN001": SELF,
    "OWN002": SELF,
    "OWN003": SELF,
    "OWN004": SELF,
    "OWN005": Paths(((IN_BUILDS,),)),
    "OWN006": SELF,
    "OWN007": Paths(((OUT_STRATEGY, IN_STRATEGY),)),
    "STR001": SELF,
    "STR002": SELF,
    "STR003": ReportingLoops(),
    "STR004": SELF,
    "STR005": SELF,
    "STR006": SELF,
    "STR007": UpTheLine(),
    "LOAD001": SELF,
    "LOAD002": Paths(((OUT_STRATEGY, IN_STRATEGY),)),
    "LOAD003": SELF,
    "LOAD004": SELF,
    "LOAD005": Paths(((OUT_BACKLOG, OUT_BUILDS, IN_STRATEGY),)),
    "ALN001": Paths(
        (
            (OUT_BACKLOG, OUT_BUILDS, IN_STRATEGY, PARTNERS),
            (OUT_BACKLOG, OUT_BUILDS, IN_STRATEGY, OUT_STRATEGY),
            (PARTNERS,),
        )
    ),
    "ALN002": SELF,
    "ALN003": SELF,
    "ALN004": Paths(((OUT_REPORTS,),)),
    "ALN005": Paths(((PARTNERS,), (OUT_STRATEGY, IN_BUILDS))),
    "RSK001": Paths(((OUT_BACKLOG,), (OUT_STRATEGY,))),
    "RSK002": Paths(((OUT_BACKLOG,), (OUT_STRATEGY, IN_STRATEGY))),
    "RSK003": SELF,
    "DUT001": Duties(),
    "DUT002": Duties(),
    "DUT003": Duties(),
    "DUT004": Duties(),
    "DUT005": Duties(),
}


class Everything(Scope):
    """A rule with no scope declared: every subject, after every edit."""

    def subjects(self, index, edit, previous_subjects):
        return EVERYTHING


def scope_of(code: str) -> Scope:
    return SCOPES.get(code) or Everything()
