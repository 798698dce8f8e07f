"""The gap report as JSON: the ``planner check --format json`` document plus the report's tables. No Qt here.

The keys of :func:`planner.cli.check_cmd.check_json` (``file``, ``profile``,
``summary``, ``gaps``) come first and unchanged, so scripts written for the
check read a report too; the report adds ``report`` (title, org, date, health,
fix-first list, tables, recommendations, appendix) and ``accepted``. Given a
baseline it adds ``comparison``: the one-line summary, the health figures
before and after, the ``fixed``, ``introduced`` and ``remaining`` gaps in the
check's gap shape, and ``nodes`` and ``links`` in the shape of ``planner diff
--format json``.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from planner.cli.check_cmd import check_json
from planner.diff import diff_json
from planner.report.content import Comparison, FindingEntry, Health, Report


def _finding(entry: FindingEntry) -> dict:
    return {
        "code": entry.code,
        "name": entry.name,
        "severity": entry.severity,
        "message": entry.message,
        "nodes": list(entry.node_ids),
        "node_names": list(entry.node_names),
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
        "health": {"before": _health(comparison.health_before), "after": _health(comparison.health_after)},
        "fixed": diff["fixed"],
        "introduced": diff["introduced"],
        "remaining": diff["remaining"],
        "nodes": diff["nodes"],
        "links": diff["links"],
    }


def report_json(report: Report) -> dict:
    """The JSON document as Python data."""
    document = check_json(report.source, report.result)
    document["accepted"] = [_finding(entry) for entry in report.accepted]
    document["report"] = {
        "title": report.title,
        "org": report.org_name,
        "date": report.date,
        "profile": {"name": report.profile.name, "title": report.profile.title},
        "nodes": report.nodes,
        "links": report.links,
        "health": _health(report.health),
        "fix_first": [asdict(item) for item in report.fix_first],
        "findings": [_finding(entry) for entry in report.findings],
        "tables": {table.key: table.to_dict() for table in (*report.coverage, *report.load)},
        "recommendations": [asdict(step) for step in report.recommendations],
        "appendix": [asdict(rule) for rule in report.appendix],
    }
    if report.comparison is not None:
        document["comparison"] = comparison_json(report.comparison, report.source)
    return document


def render_json(report: Report) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
