"""The check's JSON document (``planner check --format json``): a published contract. No Qt here.

It lives beside the engine so that the CLI and the gap report's JSON, which
starts with the same keys, share one definition.
"""

from __future__ import annotations

from typing import Any

from planner.analysis.coverage import duties_json
from planner.analysis.engine import AnalysisResult
from planner.model.org import Org


def check_json(path: str, result: AnalysisResult, plan: Any = None, org: Org | list | None = None) -> dict[str, Any]:
    """The ``--format json`` document; the shape is a published contract (keys are added, never renamed).

    With a staffing plan (:func:`planner.analysis.plan.build_plan`), the document has its ``plan``; with the
    org (or its duty coverage), its ``duties`` (:func:`planner.analysis.coverage.duties_json`) come last.
    """
    document = {
        "file": path,
        "profile": result.profile.name,
        "summary": result.counts,
        "gaps": [finding.to_dict() for finding in result.findings],
    }
    if plan is not None:
        document["plan"] = plan.to_dict()
    if org is not None:
        document["duties"] = duties_json(org)
    return document
