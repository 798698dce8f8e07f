"""Compare two orgs: what a proposal adds, removes and changes, and which gaps it fixes or introduces.

Nodes are matched by id, so a rename is a change, not a removal plus an
addition. Findings are matched by code and node ids; a finding whose message
changed only because a node was renamed still counts as the same gap. No Qt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields

from planner.analysis import AnalysisResult, Finding, analyze
from planner.model.org import Link, Node, Org
from planner.model.vocabulary import NODE_LABELS


@dataclass(frozen=True)
class NodeChange:
    """A node present in both orgs whose attributes differ (positions left out)."""

    before: Node
    after: Node

    @property
    def fields(self) -> dict[str, tuple]:
        return {
            f.name: (getattr(self.before, f.name), getattr(self.after, f.name))
            for f in fields(Node)
            if f.name not in ("x", "y") and getattr(self.before, f.name) != getattr(self.after, f.name)
        }


@dataclass
class OrgDiff:
    """Every difference between a current org and a proposed one."""

    current: Org
    proposed: Org
    added: list[Node] = field(default_factory=list)
    removed: list[Node] = field(default_factory=list)
    changed: list[NodeChange] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    links_added: list[Link] = field(default_factory=list)
    links_removed: list[Link] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    introduced: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    before: AnalysisResult | None = None
    after: AnalysisResult | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.links_added or self.links_removed
        )

    def summary(self) -> str:
        """One line: ``fixes 4 errors, introduces 1 warning, adds 2 product owners``."""
        parts = []
        fixed = Counter(f.severity for f in self.fixed)
        introduced = Counter(f.severity for f in self.introduced)
        if fixed:
            parts.append("fixes " + _counted(fixed))
        if introduced:
            parts.append("introduces " + _counted(introduced))
        added = Counter(n.kind for n in self.added)
        removed = Counter(n.kind for n in self.removed)
        if added:
            parts.append("adds " + _kinds(added))
        if removed:
            parts.append("removes " + _kinds(removed))
        if self.moved and not (added or removed or self.changed):
            parts.append(f"moves {_plural(len(self.moved), 'card')}")
        if self.changed:
            parts.append(f"changes {_plural(len(self.changed), 'node')}")
        if self.links_added:
            parts.append(f"adds {_plural(len(self.links_added), 'link')}")
        if self.links_removed:
            parts.append(f"removes {_plural(len(self.links_removed), 'link')}")
        return ", ".join(parts) if parts else "no change"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _counted(counter: Counter) -> str:
    return ", ".join(_plural(counter[s], s) for s in ("error", "warning", "info") if counter[s])


def _kinds(counter: Counter) -> str:
    return ", ".join(_plural(count, NODE_LABELS[kind].lower()) for kind, count in sorted(counter.items()))


def _finding_key(finding: Finding) -> tuple:
    return (finding.code, finding.nodes)


def diff_orgs(current: Org, proposed: Org, profile: str | None = None) -> OrgDiff:
    """Compare ``current`` with ``proposed``; both are checked with the proposal's profile unless given."""
    result = OrgDiff(current, proposed)
    for node in proposed.nodes():
        old = current.get(node.id)
        if old is None:
            result.added.append(node)
        elif old != node:
            change = NodeChange(old, node)
            if change.fields:
                result.changed.append(change)
            else:
                result.moved.append(node.id)
    result.removed = [node for node in current.nodes() if node.id not in proposed]
    old_links = {link.key for link in current.links()}
    new_links = {link.key for link in proposed.links()}
    result.links_added = [Link(*key) for key in sorted(new_links - old_links)]
    result.links_removed = [Link(*key) for key in sorted(old_links - new_links)]

    profile = profile or proposed.profile
    result.before = analyze(current, profile)
    result.after = analyze(proposed, profile)
    before = {_finding_key(f): f for f in result.before.findings}
    after = {_finding_key(f): f for f in result.after.findings}
    result.fixed = [f for key, f in before.items() if key not in after]
    result.introduced = [f for key, f in after.items() if key not in before]
    result.remaining = [f for key, f in after.items() if key in before]
    return result
