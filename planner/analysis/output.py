"""The check's JSON document (``planner check --format json``): a published contract. No Qt here.

It lives beside the engine so that the CLI and the gap report's JSON, which
starts with the same keys, share one definition.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from planner.analysis.coverage import duties_json
from planner.analysis.engine import AnalysisResult
from planner.model.org import Org


def check_json(path: str, result: AnalysisResult, plan: Any = None, org: Org | list | None = None) -> dict[str, Any]:
    """The ``--format json`` document; the shape is a published contract (keys are added, never renamed).

    With a staffing plan (:func:`planner.analysis.plan.build_plan`), the document has its ``plan``; with the
    org (or its duty coverage), its ``duties`` (:func:`planner.analysis.coverage.duties_json`) come last.
    """
    return dict(check_json_members(path, result, plan, org))


def check_json_members(
    path: str, result: AnalysisResult, plan: Any = None, org: Org | list | None = None
) -> Iterator[tuple[str, Any]]:
    """The keys and values of :func:`check_json`'s document, in order, each value made when its turn comes.

    ``planner check`` writes each one out before the next is made (:func:`planner.cli.say_json_members`):
    on a 100,000-card org the whole document held at once is some 40 MB.
    """
    yield "file", path
    yield "profile", result.profile.name
    yield "summary", result.counts
    yield "gaps", [finding.to_dict() for finding in result.findings]
    if plan is not None:
        yield "plan", plan.to_dict()
        plan = None  # let the plan go (the caller may hold no other reference) before the duties are worked out
    if org is not None:
        yield "duties", duties_json(org)
