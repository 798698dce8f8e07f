"""Compare two orgs: what a proposal adds, removes and changes, and which gaps it fixes or introduces.

Nodes are matched by id, so a rename is a change, not a removal plus an
addition. Findings are matched by code and node ids; a finding whose message
changed only because a node was renamed still counts as the same gap. No Qt.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from planner.analysis import AnalysisResult, Finding, Profile, analyze, profile_for
from planner.model.duties import DUTIES, accountable, duties_phrase
from planner.model.org import Link, Node, Org
from planner.model.vocabulary import LINK_KINDS, NODE_LABELS, PRODUCT
from planner.wording import plural


@dataclass(frozen=True)
class NodeChange:
    """A node present in both orgs whose attributes differ (positions left out)."""

    before: Node
    after: Node

    @property
    def fields(self) -> dict[str, tuple]:
        return {
            name: (getattr(self.before, name), getattr(self.after, name))
            for name in Node.__struct_fields__
            if name not in ("x", "y") and getattr(self.before, name) != getattr(self.after, name)
        }

    def phrases(self) -> tuple[str, ...]:
        """Each change in words, as the gap report and the Compare panel say it: ``renamed from 'API'``."""
        words = []
        for name, (before, after) in self.fields.items():
            if name == "vacant":
                words.append("now to be hired (vacant)" if after else "filled (no longer vacant)")
            elif name == "kind":
                roles = (NODE_LABELS.get(kind, kind).lower() for kind in (before, after))
                words.append("role {} → {}".format(*roles))
            elif name == "notes":
                words.append("notes edited")
            elif name == "ignore":
                words.append(f"accepted risks {', '.join(before) or 'none'} → {', '.join(after) or 'none'}")
            elif name == "name":
                words.append(f"renamed from {_quoted(before)}")
            else:
                words.append(f"{name} {_quoted(before)} → {_quoted(after)}")
        return tuple(words)


def _quoted(value: object) -> str:
    if value in ("", None):
        return "none"
    return f"'{value}'" if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class DutyChange:
    """Duties of one product whose accountable people differ between the two orgs (the same change grouped)."""

    product: str
    duties: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]

    def sentence(self, current: Org, proposed: Org) -> str:
        """``Checkout: vision and roadmap pass from Priya Nair to Tom Berg``."""
        product = proposed.get(self.product) or current.get(self.product)
        labels = duties_phrase(self.duties)

        def names(org: Org, people: tuple[str, ...]) -> str:
            return _listed([(org.get(p).label if org.get(p) else p) for p in people]) if people else "nobody"

        verb = "passes" if len(self.duties) == 1 or labels == "every duty" else "pass"
        return (
            f"{product.label if product else self.product}: {labels} {verb} from {names(current, self.before)} "
            f"to {names(proposed, self.after)}"
        )


def duty_changes(current: Org, proposed: Org) -> list[DutyChange]:
    """The duties that change hands: for each product in both orgs, duties whose accountable people differ."""
    changes: list[DutyChange] = []
    for node in proposed.nodes():
        if node.kind != PRODUCT or not current.is_product(node.id):
            continue
        before, after = current.duty_matrix(node.id), proposed.duty_matrix(node.id)
        grouped: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
        for duty in DUTIES:
            old, new = tuple(sorted(accountable(before, duty))), tuple(sorted(accountable(after, duty)))
            if old != new:
                grouped.setdefault((old, new), []).append(duty)
        changes += [DutyChange(node.id, tuple(duties), old, new) for (old, new), duties in grouped.items()]
    return changes


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
    #: Duties whose accountable people change, grouped per product (see :func:`duty_changes`).
    duties: list[DutyChange] = field(default_factory=list)
    before: AnalysisResult | None = None
    after: AnalysisResult | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.links_added or self.links_removed)

    def summary(self) -> str:
        """One line: ``fixes 4 errors and 1 warning; introduces 1 info; adds 2 product owners``."""
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
            parts.append(f"moves {plural(len(self.moved), 'card')}")
        if self.changed:
            parts.append(f"changes {plural(len(self.changed), 'node')}")
        if self.links_added:
            parts.append(f"adds {plural(len(self.links_added), 'link')}")
        if self.links_removed:
            parts.append(f"removes {plural(len(self.links_removed), 'link')}")
        return "; ".join(parts) if parts else "no change"


def link_sentence(org: Org, link: Link) -> str:
    """The link as a sentence between the two names: ``Ana owns the backlog of Payments``."""
    source, target = org.get(link.source), org.get(link.target)
    return (
        f"{source.label if source else link.source} {LINK_KINDS[link.kind].phrase} "
        f"{target.label if target else link.target}"
    )


def _listed(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _counted(counter: Counter) -> str:
    return _listed([plural(counter[s], s) for s in ("error", "warning", "info") if counter[s]])


def _kinds(counter: Counter) -> str:
    return _listed([plural(count, NODE_LABELS[kind].lower()) for kind, count in sorted(counter.items())])


def _finding_key(finding: Finding) -> tuple:
    return (finding.code, finding.nodes)


def diff_orgs(current: Org, proposed: Org, profile: str | Profile | None = None) -> OrgDiff:
    """Compare ``current`` with ``proposed``; both are checked with the proposal's profile (its profile file
    included) unless given."""
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
    result.duties = duty_changes(current, proposed)

    profile = profile_for(proposed, profile)
    result.before = analyze(current, profile)
    result.after = analyze(proposed, profile)
    before = {_finding_key(f): f for f in result.before.findings}
    after = {_finding_key(f): f for f in result.after.findings}
    result.fixed = [f for key, f in before.items() if key not in after]
    result.introduced = [f for key, f in after.items() if key not in before]
    result.remaining = [f for key, f in after.items() if key in before]
    return result


def diff_json(diff: OrgDiff, current: str, proposed: str) -> dict:
    """The comparison as JSON-ready data: the ``planner diff --format json`` shape."""
    return {
        "current": current,
        "proposed": proposed,
        "profile": diff.after.profile.name,
        "summary": diff.summary(),
        "nodes": {
            "added": [n.id for n in diff.added],
            "removed": [n.id for n in diff.removed],
            "changed": [
                {"id": c.after.id, "fields": {k: {"before": b, "after": a} for k, (b, a) in c.fields.items()}}
                for c in diff.changed
            ],
        },
        "links": {
            "added": [{"source": x.source, "target": x.target, "kind": x.kind} for x in diff.links_added],
            "removed": [{"source": x.source, "target": x.target, "kind": x.kind} for x in diff.links_removed],
        },
        "fixed": [f.to_dict() for f in diff.fixed],
        "introduced": [f.to_dict() for f in diff.introduced],
        "remaining": [f.to_dict() for f in diff.remaining],
        "duties": [
            {"product": c.product, "duties": list(c.duties), "before": list(c.before), "after": list(c.after)}
            for c in diff.duties
        ],
    }
