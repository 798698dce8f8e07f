"""Run the rule catalog over an org: select rules, apply a profile and accepted risks, sort the findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.analysis import rules as _rules  # noqa: F401  (registers the catalog)
from planner.analysis.index import OrgIndex
from planner.analysis.profiles import Profile, profile_for
from planner.analysis.rule import REGISTRY, SEVERITIES, Finding, Rule
from planner.collector import collector_paused
from planner.model.org import Org


class UnknownRuleError(ValueError):
    """A code given to --select or --ignore names no rule of the catalog."""


@dataclass
class AnalysisResult:
    """What a check found: the open findings and the accepted risks, both sorted."""

    profile: Profile
    findings: list[Finding] = field(default_factory=list)
    accepted: list[Finding] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    def by_node(self) -> dict[str, list[Finding]]:
        """Findings per node id, each list in severity order (for badges and panels)."""
        result: dict[str, list[Finding]] = {}
        for finding in self.findings:
            for node_id in dict.fromkeys(finding.nodes):
                result.setdefault(node_id, []).append(finding)
        return result


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
        index = OrgIndex(org)
        for rule in rules:
            for finding in rule.run(index, profile):
                subject = finding.subject
                if subject is not None and finding.code in index.node(subject).ignore:
                    result.accepted.append(finding)
                else:
                    result.findings.append(finding)
        result.findings.sort(key=Finding.sort_key)
        result.accepted.sort(key=Finding.sort_key)
        # Let the index go while the collector is still paused: freed by reference counting now, it is not
        # scanned (hundreds of thousands of lists on a large org) by the collection that follows the pause.
        del index
    return result
