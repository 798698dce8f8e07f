"""What changed between two analyses of one org, for the views that show a result and change in place. No Qt here.

A background check (planner.ui.live_analysis) works these out on its worker
thread, against the result the window shows, so that the window applies a
new result in time proportional to what changed rather than to the org: at
100,000 cards, comparing thousands of findings and badges took tens of
milliseconds on the window's thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from planner.analysis.engine import AnalysisResult
from planner.analysis.rule import Finding

#: What makes two findings the same row of a view: everything shown of them (compared as tuples, in C).
FINDING_IDENTITY = attrgetter("code", "severity", "message", "nodes", "name")


@dataclass(frozen=True, eq=False)
class ResultChanges:
    """From ``previous`` to ``current``: the findings gone and added, the card badges gone and changed."""

    previous: AnalysisResult
    current: AnalysisResult
    #: Identities (:data:`FINDING_IDENTITY`) of the findings of ``previous`` that ``current`` has not.
    gone_findings: list[tuple]
    #: (identity, finding) of the findings of ``current`` that ``previous`` had not, in ``current``'s order.
    added_findings: list[tuple[tuple, Finding]]
    #: Node ids that had a badge and have none now.
    gone_badges: list[str]
    #: Node id → (worst severity, count) for every badge that is new or different.
    changed_badges: list[tuple[str, tuple[str, int]]]


def changes_between(previous: AnalysisResult, current: AnalysisResult) -> ResultChanges:
    """The changes from ``previous`` to ``current`` (both results of the same org, one edit or a few apart)."""
    before = set(map(FINDING_IDENTITY, previous.findings))
    after = dict(zip(map(FINDING_IDENTITY, current.findings), current.findings, strict=True))
    old_badges, new_badges = previous.badges(), current.badges()
    return ResultChanges(
        previous,
        current,
        list(before - after.keys()),
        [(key, finding) for key, finding in after.items() if key not in before],
        list(old_badges.keys() - new_badges.keys()),
        list(new_badges.items() - old_badges.items()),
    )
