"""Run the rule catalog over an org: select rules, apply a profile and accepted risks, sort the findings.

Rules write node names into their messages through the index; here they get
a placeholder per node instead, and each message is finished at the end
with the nodes' current labels. A result keeps those templates, so that after
an edit that only renames cards (or moves them) :func:`reanalyze` reruns no
rule at all: no rule decides anything on a name or a position, so the same
findings come out, and only the messages that name a renamed card are
written again. After any other edit the editor does not run the catalog
again either: it keeps a check from edit to edit and reruns each rule only
for the cards the edit can change (:class:`planner.analysis.incremental.LiveCheck`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from operator import attrgetter

from planner.analysis import rules as _rules  # noqa: F401  (registers the catalog)
from planner.analysis.index import OrgIndex
from planner.analysis.profiles import Profile, profile_for
from planner.analysis.rule import REGISTRY, SEVERITIES, Finding, Rule
from planner.collector import collector_paused
from planner.model.org import Org

_SEVERITY = attrgetter("severity")


class UnknownRuleError(ValueError):
    """A code given to --select or --ignore names no rule of the catalog."""


@dataclass
class AnalysisResult:
    """What a check found: the open findings and the accepted risks, both sorted."""

    profile: Profile
    findings: list[Finding] = field(default_factory=list)
    accepted: list[Finding] = field(default_factory=list)
    _by_node: dict[str, list[Finding]] | None = field(default=None, init=False, repr=False, compare=False)
    _badges: dict[str, tuple[str, int]] | None = field(default=None, init=False, repr=False, compare=False)
    _counts: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)
    #: How the messages were made: each finding's and accepted risk's template, and the node ids the
    #: templates' placeholders stand for (see :func:`reanalyze`). Empty for a result made otherwise.
    _templates: tuple[list[str], list[str]] = field(
        default_factory=lambda: ([], []), init=False, repr=False, compare=False
    )
    _named: list[str] = field(default_factory=list, init=False, repr=False, compare=False)
    _numbers: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)
    _shared: frozenset[tuple[str, str]] = field(default=frozenset(), init=False, repr=False, compare=False)

    @property
    def counts(self) -> dict[str, int]:
        """How many open findings of each severity (worked out once per result)."""
        if self._counts is None:
            self._counts = dict.fromkeys(SEVERITIES, 0) | Counter(map(_SEVERITY, self.findings))
        return dict(self._counts)

    def by_node(self) -> dict[str, list[Finding]]:
        """Findings per node id, each list in severity order (for badges and panels).

        Worked out once per result (a background check does it before handing the result over); do not change it.
        """
        if self._by_node is None:
            result: dict[str, list[Finding]] = {}
            for finding in self.findings:
                for node_id in dict.fromkeys(finding.nodes):
                    result.setdefault(node_id, []).append(finding)
            self._by_node = result
        return self._by_node

    def badges(self) -> dict[str, tuple[str, int]]:
        """Each node with findings → (its worst finding's severity, how many it has): what a card's badge shows."""
        if self._badges is None:
            self._badges = {node_id: (found[0].severity, len(found)) for node_id, found in self.by_node().items()}
        return self._badges


_PLACEHOLDER = re.compile("\ue000([0-9]+)\ue001")


class TemplateIndex(OrgIndex):
    """An index whose node names are placeholders, filled in once the findings are known (:func:`_render`)."""

    def __init__(self, org: Org) -> None:
        super().__init__(org)
        self.named: list[str] = []
        self._number: dict[str, int] = {}

    def name(self, node_id: str) -> str:
        number = self._number.get(node_id)
        if number is None:
            self.node(node_id)  # a node that is not there fails here, as it would for its label
            number = self._number[node_id] = len(self.named)
            self.named.append(node_id)
        return f"\ue000{number}\ue001"


def _shown_name(org: Org, node_id: str, shared: frozenset[tuple[str, str]]) -> str:
    """A card's name as messages show it: with its id when another card of its kind has the same name."""
    node = org.node(node_id)
    return f"{node.label} ({node_id})" if (node.kind, node.label) in shared else node.label


def _shared_labels(org: Org) -> frozenset[tuple[str, str]]:
    counts = Counter((node.kind, node.label) for node in org.nodes())
    return frozenset(pair for pair, count in counts.items() if count > 1)


def _render(template: str, named: list[str], org: Org, shared: frozenset[tuple[str, str]]) -> str:
    if "\ue000" not in template:
        return template
    return _PLACEHOLDER.sub(lambda match: _shown_name(org, named[int(match.group(1))], shared), template)


def resolve_codes(codes: Iterable[str]) -> set[str]:
    """Turn codes, names or prefixes (``OWN``, ``OWN001``, ``dual-hat``) into rule codes."""
    resolved: set[str] = set()
    for raw in codes:
        key = raw.strip()
        if not key:
            continue
        rule = REGISTRY.get(key)
        if rule is not None:
            resolved.add(rule.code)
            continue
        matches = {r.code for r in REGISTRY if r.code.startswith(key.upper())}
        if not matches:
            raise UnknownRuleError(f"unknown rule code {key!r}")
        resolved |= matches
    return resolved


def select_rules(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> list[Rule]:
    chosen = resolve_codes(select) if select else {r.code for r in REGISTRY}
    if ignore:
        chosen -= resolve_codes(ignore)
    return [r for r in REGISTRY if r.code in chosen]


def analyze(
    org: Org,
    profile: str | Profile | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> AnalysisResult:
    """Check ``org`` against the catalog.

    Parameters
    ----------
    org : Org
        The org to check.
    profile : str or Profile, optional
        Thresholds and severities to use; the org's own profile (a stored profile file's settings
        included) when omitted.
    select, ignore : iterable of str, optional
        Rule codes, names or code prefixes to run, or to leave out.

    Returns
    -------
    AnalysisResult
        Open findings and accepted risks (findings whose subject node lists the
        code in its ``ignore``), each sorted by severity, then code.

    Examples
    --------
    >>> from planner.model import Node, Org
    >>> org = Org()
    >>> _ = org.add_node(Node("t", "dev_team", "Checkout"))
    >>> [f.code for f in analyze(org).findings]
    ['OWN001', 'STR002', 'STR004']
    """
    if not isinstance(profile, Profile):
        profile = profile_for(org, profile)
    rules = select_rules(select, ignore)
    result = AnalysisResult(profile)
    with collector_paused():
        index = TemplateIndex(org)
        for rule in rules:
            for finding in rule.run(index, profile):
                subject = finding.subject
                if subject is not None and finding.code in index.node(subject).ignore:
                    result.accepted.append(finding)
                else:
                    result.findings.append(finding)
        result.findings.sort(key=Finding.sort_key)
        result.accepted.sort(key=Finding.sort_key)
        result._named = named = index.named
        # Let the index go while the collector is still paused: freed by reference counting now, it is not
        # scanned (hundreds of thousands of lists on a large org) by the collection that follows the pause.
        # And before the shared names are counted: the count of every card's name is not held beside it.
        index.release()
        del index
        result._shared = shared = _shared_labels(org)
        result._templates = ([f.message for f in result.findings], [f.message for f in result.accepted])
        result.findings = [replace(f, message=_render(f.message, named, org, shared)) for f in result.findings]
        result.accepted = [replace(f, message=_render(f.message, named, org, shared)) for f in result.accepted]
    return result


def reanalyze(previous: AnalysisResult, org: Org, renamed: Collection[str] = ()) -> AnalysisResult:
    """The analysis of ``org`` after edits that only renamed the ``renamed`` nodes (or moved nodes), from
    ``previous``, the analysis of ``org`` before them (same profile, same rules).

    The findings are those of ``previous``, each message naming a renamed node
    written again: what :func:`analyze` gives, at the cost of those messages.
    With nothing renamed, ``previous`` itself is returned. The caller promises
    that nothing else changed (:class:`planner.model.mirror.OrgMirror` tells).
    """
    renamed = [node_id for node_id in renamed if node_id in org]
    if not renamed:
        return previous
    named = previous._named
    numbers = previous._numbers
    if numbers is None:  # worked out once, then handed on from result to result
        numbers = previous._numbers = {node_id: number for number, node_id in enumerate(named)}
    # A rename may also make another card's name shared with a third's, or no longer: those are named anew too.
    shared = _shared_labels(org)
    flipped = shared ^ previous._shared
    if flipped:
        renamed = [
            *renamed,
            *(
                node_id
                for node_id in named
                if node_id in org and (org.node(node_id).kind, org.node(node_id).label) in flipped
            ),
        ]
    markers = [f"\ue000{numbers[node_id]}\ue001" for node_id in renamed if node_id in numbers]
    if not markers:
        return previous  # no message names them
    result = AnalysisResult(previous.profile)
    result._named, result._numbers, result._shared = named, numbers, shared
    result._templates = previous._templates
    for kept, before, templates in (
        (result.findings, previous.findings, previous._templates[0]),
        (result.accepted, previous.accepted, previous._templates[1]),
    ):
        for finding, template in zip(before, templates, strict=True):
            if any(marker in template for marker in markers):
                finding = replace(finding, message=_render(template, named, org, shared))
            kept.append(finding)
    # Severities and nodes are as they were: so are the badges and counts.
    result._badges, result._counts = previous._badges, previous._counts
    return result
