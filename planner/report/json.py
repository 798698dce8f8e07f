"""The gap report as JSON, in full detail: the check's document, the staffing plan, every finding and row. No Qt here.

The keys of ``planner check --format json`` (``file``, ``profile``,
``summary``, ``gaps``) come first and unchanged, so scripts written for the
check read a report too. The report adds ``accepted`` (accepted risks in the
gap shape, with names), ``plan`` (:meth:`StaffingPlan.to_dict`: ``ask``,
``hires``, ``actions``, ``decisions``) and ``report``: title, org, date,
profile, ``people`` (the census), ``health``, ``verdict``, ``top_risks``,
``findings`` (each with the products it hits, its reach, its impact and the
plan's step or decision), ``tables`` (full coverage and load rows) and
``appendix``. Given a baseline it adds ``comparison``: the one-line summary,
the health figures before and after, the ``fixed``, ``introduced`` and
``remaining`` gaps in the check's gap shape, and ``nodes`` and ``links`` in
the shape of ``planner diff --format json``.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from planner.analysis.output import check_json
from planner.diff import diff_json
from planner.report.content import Comparison, FindingEntry, Health, Report, verdict


def _finding(entry: FindingEntry) -> dict:
    return {
        "code": entry.code,
        "name": entry.name,
        "severity": entry.severity,
        "message": entry.message,
        "nodes": list(entry.node_ids),
        "node_names": list(entry.node_names),
        "products": list(entry.products),
        "area": entry.area,
        "reach": {"teams": entry.teams_affected, "products": entry.products_affected, "people": entry.people_affected},
        "impact": entry.impact,
        "action": entry.action,
        "decision": entry.decision,
        "why": entry.why,
        "fix": entry.fix,
    }


def _health(health: Health) -> dict:
    return {
        "teams": health.teams,
        "teams_with_one_backlog_owner": health.teams_with_one_owner,
        "products": health.products,
        "products_with_strategy_owner": health.products_with_strategy_owner,
        "counts": health.counts,
        "accepted": health.accepted,
    }


def comparison_json(comparison: Comparison, proposal_source: str = "") -> dict:
    """The ``comparison`` object of the JSON report."""
    diff = diff_json(comparison.diff, comparison.baseline_source, proposal_source)
    return {
        "baseline": comparison.baseline_source,
        "baseline_org": comparison.baseline_name,
        "summary": comparison.summary,
        "headline": comparison.headline(),
        "worse": comparison.worse,
        "health": {"before": _health(comparison.health_before), "after": _health(comparison.health_after)},
        "fixed": diff["fixed"],
        "introduced": diff["introduced"],
        "remaining": diff["remaining"],
        "nodes": diff["nodes"],
        "links": diff["links"],
        "duties": diff["duties"],
    }


def report_json(report: Report) -> dict:
    """The JSON document as Python data."""
    document = check_json(report.source, report.result, report.plan, report.duties)
    document["accepted"] = [_finding(entry) for entry in report.accepted]
    sentence, tone = verdict(report)
    document["report"] = {
        "title": report.title,
        "org": report.org_name,
        "date": report.date,
        "profile": {"name": report.profile.name, "title": report.profile.title},
        "nodes": report.nodes,
        "links": report.links,
        "people": asdict(report.census),
        "health": _health(report.health),
        "verdict": {"text": sentence, "tone": tone},
        "top_risks": [
            {
                "code": risk.code,
                "severity": risk.severity,
                "sentence": risk.sentence,
                "impact": risk.impact,
                "reach": {"teams": risk.teams, "products": risk.products, "people": risk.people},
                "action": risk.action,
                "findings": len(risk.findings),
            }
            for risk in report.risks
        ],
        "findings": [_finding(entry) for entry in report.findings],
        "tables": {table.key: table.to_dict() for table in (*report.coverage, *report.load)},
        "appendix": [asdict(rule) for rule in report.appendix],
    }
    if report.comparison is not None:
        document["comparison"] = comparison_json(report.comparison, report.source)
    return document


def render_json(report: Report) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
