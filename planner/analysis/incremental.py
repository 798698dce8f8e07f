"""A check kept from edit to edit: after each burst of edits only what they can change is checked again.

:class:`LiveCheck` checks an org in full once (the org a background check
reads: the mirror's copy, see planner.ui.live_analysis), keeping its index
(:class:`~planner.analysis.live_index.LiveIndex`) and its findings. After edits,
:meth:`LiveCheck.update` brings the index up to date for the nodes the edits
touched, asks each rule's scope (planner.analysis.scopes) which subjects the
edits can change the findings of, runs the rule for those subjects only, and
puts its findings in the place of theirs. The result is the one :func:`analyze`
gives for the org as it now is, finding for finding and message for message;
tests/analysis/test_incremental.py checks it over random edit sequences.

Findings are kept in buckets of one severity and one rule, each sorted by its
findings' nodes (subject first): the published order, severity then code then
nodes, is the buckets' order, and a subject's findings are found by bisection.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain
from operator import itemgetter

from planner.analysis.changes import FINDING_IDENTITY, ResultChanges
from planner.analysis.engine import AnalysisResult, _render, select_rules
from planner.analysis.live_index import LiveIndex, SubjectView
from planner.analysis.profiles import Profile, profile_for
from planner.analysis.rule import SEVERITIES, SEVERITY_RANK, Finding
from planner.analysis.scopes import EVERYTHING, Edit, scope_of
from planner.collector import collector_paused
from planner.model.mirror import Changes
from planner.model.org import Org
from planner.model.vocabulary import LEADER

_NODES = itemgetter(0)
_SHOWN = itemgetter(2)
#: (nodes, the finding with its message's template, the finding as shown)
Entry = tuple[tuple[str, ...], Finding, Finding]
#: (accepted, severity rank, code)
BucketKey = tuple[bool, int, str]


class _Previous:
    """The subjects of one rule's findings before an edit, for the scopes that ask (counted without a scan)."""

    def __init__(self, check: LiveCheck, code: str) -> None:
        self._check, self._code = check, code

    def __bool__(self) -> bool:
        return any(self._check._buckets.get(key) for key in self._check._keys_of(self._code))

    def __iter__(self) -> Iterator[str]:
        for key in self._check._keys_of(self._code):
            for nodes, _, _ in self._check._buckets.get(key, ()):
                if nodes:
                    yield nodes[0]


class LiveCheck:
    """The analysis of one org, kept up to date edit by edit (on one thread at a time)."""

    def __init__(
        self,
        org: Org,
        profile: str | Profile | None = None,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
    ) -> None:
        self.org = org
        self.profile = profile if isinstance(profile, Profile) else profile_for(org, profile)
        self.rules = select_rules(select, ignore)
        self._buckets: dict[BucketKey, list[Entry]] = {}
        self._views: dict[frozenset[str] | None, SubjectView] = {}
        #: The shown findings taken out of and put into the open ones during an update.
        self._gone: list[Finding] = []
        self._added: list[Finding] = []
        #: What changed from the result before the last update to :attr:`result` (None before any update).
        self.changes: ResultChanges | None = None
        with collector_paused():
            index = self.index = LiveIndex(org)
            found = [finding for rule in self.rules for finding in rule.run(index, self.profile)]
            index.start_following()
            self._label_of = {node.id: (node.kind, node.label) for node in org.nodes()}
            self._labels = Counter(self._label_of.values())
            self._shared = {pair for pair, count in self._labels.items() if count > 1}
            self._place(found)
            self.result = self._publish()

    # -- after edits ----------------------------------------------------------------------------

    def update(self, changes: Changes) -> AnalysisResult:
        """The analysis after ``changes`` (what the org's mirror saw since the last update): :attr:`result`.

        The org must have been caught up with those changes; its profile and settings must not have changed
        (a new check is needed then: ``changes.settings``).
        """
        if changes.settings:
            raise ValueError("the profile changed: check the org again in full")
        index = self.index
        had_leader = index.has_kind(LEADER)
        with collector_paused():
            if changes.structural:
                nodes, link_kinds = index.apply(changes.touched, changes.added, changes.kinds)
            else:
                nodes, link_kinds = set(), set()
            reshown = self._relabel(nodes | changes.renamed)
            if not nodes and not reshown:
                return self.result
            edit = Edit(frozenset(nodes), frozenset(link_kinds), had_leader)
            previous = self.result
            self._gone, self._added = [], []
            found: list[Finding] = []
            self._views: dict[frozenset[str] | None, SubjectView] = {}
            for rule in self.rules if nodes else ():
                subjects = self._rerun(rule, edit, found)
                if subjects is EVERYTHING or subjects:
                    self._drop(rule.code, subjects)
            self._views = {}
            if nodes:
                found.extend(self._take_subjects(nodes))  # their accepted codes may have changed
            if reshown:
                self._rewrite(reshown)
            self._place(found)
            self.result = self._publish()
            self.changes = _changes(previous, self.result, self._gone, self._added)
            self._gone, self._added = [], []
        return self.result

    def _rerun(self, rule, edit: Edit, found: list[Finding]) -> set[str] | None:
        """Run ``rule`` for the subjects ``edit`` can change; add their findings to ``found``; return the subjects."""
        scope = scope_of(rule.code)
        subjects = scope.subjects(self.index, edit, _Previous(self, rule.code))
        if subjects is not EVERYTHING and not subjects:
            return subjects
        if scope.whole:
            subjects = EVERYTHING
            view = self.index
        else:
            # Rules with the same subjects (all those that read only their subjects' own links) share one view.
            key = None if subjects is EVERYTHING else frozenset(subjects)
            view = self._views.get(key)
            if view is None:
                view = self._views[key] = SubjectView(self.index, self.index.ordinal if key is None else key)
        for finding in rule.run(view, self.profile):
            if subjects is EVERYTHING or finding.subject in subjects:
                found.append(finding)
        return subjects

    def _keys_of(self, code: str) -> Iterator[BucketKey]:
        for accepted in (False, True):
            for rank in range(len(SEVERITIES)):
                yield (accepted, rank, code)

    def _drop(self, code: str, subjects: set[str] | None) -> None:
        """Forget the findings of rule ``code`` about ``subjects`` (:data:`EVERYTHING`: all of them)."""
        for key in self._keys_of(code):
            entries = self._buckets.get(key)
            if not entries:
                continue
            if subjects is EVERYTHING:
                if not key[0]:
                    self._gone += map(_SHOWN, entries)
                del self._buckets[key]
                continue
            spans = sorted(_span(entries, subject) for subject in subjects)
            spans = [(low, high) for low, high in spans if high > low]
            if spans:
                kept: list[Entry] = []
                start = 0
                for low, high in spans:
                    kept += entries[start:low]
                    if not key[0]:
                        self._gone += map(_SHOWN, entries[low:high])
                    start = high
                kept += entries[start:]
                self._buckets[key] = kept

    def _take_subjects(self, nodes: set[str]) -> list[Finding]:
        """Take out the findings still kept about ``nodes`` (as templates), to be placed again."""
        taken: list[Finding] = []
        for key, entries in list(self._buckets.items()):
            spans = sorted(span for span in (_span(entries, node_id) for node_id in nodes) if span[1] > span[0])
            if not spans:
                continue
            kept: list[Entry] = []
            start = 0
            for low, high in spans:
                kept += entries[start:low]
                taken += [template for _, template, _ in entries[low:high]]
                if not key[0]:
                    self._gone += map(_SHOWN, entries[low:high])
                start = high
            kept += entries[start:]
            self._buckets[key] = kept
        return taken

    def _relabel(self, node_ids: Iterable[str]) -> set[str]:
        """Follow the nodes' (kind, label) pairs; return the nodes whose name as messages show it may have changed."""
        labels, label_of, shared, org = self._labels, self._label_of, self._shared, self.org
        reshown: set[str] = set()
        flipped: set[tuple[str, str]] = set()
        for node_id in node_ids:
            node = org.get(node_id)
            new = None if node is None else (node.kind, node.label)
            old = label_of.get(node_id)
            if old == new:
                continue
            reshown.add(node_id)
            for pair, change in ((old, -1), (new, +1)):
                if pair is None:
                    continue
                labels[pair] += change
                if (labels[pair] > 1) != (pair in shared):
                    flipped.add(pair)
                    shared.symmetric_difference_update((pair,))
                if not labels[pair]:
                    del labels[pair]
            if new is None:
                del label_of[node_id]
            else:
                label_of[node_id] = new
        if flipped:
            reshown.update(node_id for node_id, pair in label_of.items() if pair in flipped)
        return reshown

    def _rewrite(self, reshown: set[str]) -> None:
        """Write again the kept messages that name one of ``reshown``."""
        numbers = self.index._number
        markers = [f"\ue000{numbers[node_id]}\ue001" for node_id in reshown if node_id in numbers]
        if not markers:
            return
        named, org, shared = self.index.named, self.org, self._shared
        for key, entries in self._buckets.items():
            if not any(marker in template.message for _, template, _ in entries for marker in markers):
                continue
            rewritten: list[Entry] = []
            for nodes, template, shown in entries:
                if any(marker in template.message for marker in markers):
                    new = replace(template, message=_render(template.message, named, org, shared))
                    if not key[0]:
                        self._gone.append(shown)
                        self._added.append(new)
                    shown = new
                rewritten.append((nodes, template, shown))
            self._buckets[key] = rewritten

    # -- keeping findings -----------------------------------------------------------------------

    def _place(self, found: list[Finding]) -> None:
        """Put new findings (messages as templates) in their buckets, in order."""
        if not found:
            return
        index, named, org, shared = self.index, self.index.named, self.org, self._shared
        touched: dict[BucketKey, list[Entry]] = {}
        for finding in found:
            subject = finding.subject
            accepted = subject is not None and finding.code in index.node(subject).ignore
            key = (accepted, SEVERITY_RANK[finding.severity], finding.code)
            shown = replace(finding, message=_render(finding.message, named, org, shared))
            touched.setdefault(key, []).append((finding.nodes, finding, shown))
            if not accepted:
                self._added.append(shown)
        for key, added in touched.items():
            entries = self._buckets.get(key, []) + added
            entries.sort(key=_NODES)  # stable: a subject's own findings stay in the order the rule gave them
            self._buckets[key] = entries

    def _publish(self) -> AnalysisResult:
        result = AnalysisResult(self.profile)
        keys = sorted(key for key, entries in self._buckets.items() if entries)
        opened = [key for key in keys if not key[0]]
        accepted = [key for key in keys if key[0]]
        result.findings = list(map(_SHOWN, chain.from_iterable(self._buckets[key] for key in opened)))
        result.accepted = list(map(_SHOWN, chain.from_iterable(self._buckets[key] for key in accepted)))
        counts = dict.fromkeys(SEVERITIES, 0)
        for key in opened:
            counts[SEVERITIES[key[1]]] += len(self._buckets[key])
        result._counts = counts
        result._named, result._numbers = self.index.named, self.index._number
        result._shared = frozenset(self._shared)
        # No templates (see AnalysisResult._templates): a kept check is brought up to date by update(), not by
        # engine.reanalyze(), and listing them cost more than the rest of an update on a large org.
        return result


def _changes(
    previous: AnalysisResult, current: AnalysisResult, gone: list[Finding], added: list[Finding]
) -> ResultChanges:
    """What changed from ``previous`` to ``current``, from the open findings an update took out (``previous``'s)
    and put in (``current``'s): what :func:`planner.analysis.changes.changes_between` says, at the cost of those
    findings rather than of all. ``current``'s findings per node and badges are worked out too, from
    ``previous``'s when it had them."""
    before = {FINDING_IDENTITY(finding): finding for finding in gone}
    after = {FINDING_IDENTITY(finding): finding for finding in added}
    gone_keys = [key for key in before if key not in after]
    added_keys = sorted((key for key in after if key not in before), key=lambda key: after[key].sort_key())
    old_badges = previous._badges
    if previous._by_node is None or old_badges is None:
        old_badges = previous.badges()
        badges = current.badges()
        gone_badges = list(old_badges.keys() - badges.keys())
        changed_badges = list(badges.items() - old_badges.items())
    else:
        gone_badges, changed_badges = _update_badges(previous._by_node, old_badges, current, gone, added)
    return ResultChanges(
        previous, current, gone_keys, [(key, after[key]) for key in added_keys], gone_badges, changed_badges
    )


def _update_badges(old_by_node, old_badges, current: AnalysisResult, gone: list[Finding], added: list[Finding]):
    """Set ``current``'s findings per node and badges from the old ones; return the badges gone and changed."""
    gone_ids = {id(finding) for finding in gone}
    arriving: dict[str, list[Finding]] = {}
    for finding in added:
        for node_id in dict.fromkeys(finding.nodes):
            arriving.setdefault(node_id, []).append(finding)
    by_node, badges = dict(old_by_node), dict(old_badges)
    gone_badges: list[str] = []
    changed_badges: list[tuple[str, tuple[str, int]]] = []
    for node_id in {node_id for finding in gone for node_id in finding.nodes} | arriving.keys():
        found = [finding for finding in old_by_node.get(node_id, ()) if id(finding) not in gone_ids]
        found += arriving.get(node_id, ())
        found.sort(key=Finding.sort_key)  # stable: the order of the result's findings
        if found:
            by_node[node_id] = found
            badge = badges[node_id] = (found[0].severity, len(found))
            if old_badges.get(node_id) != badge:
                changed_badges.append((node_id, badge))
        else:
            by_node.pop(node_id, None)
            if badges.pop(node_id, None) is not None:
                gone_badges.append(node_id)
    current._by_node, current._badges = by_node, badges
    return gone_badges, changed_badges


def _span(entries: list[Entry], subject: str) -> tuple[int, int]:
    """Where the findings about ``subject`` are in a bucket sorted by nodes (their nodes start with it)."""
    low = bisect_left(entries, (subject,), key=_NODES)
    high = bisect_left(entries, (subject + "\0",), key=_NODES)
    return low, high
