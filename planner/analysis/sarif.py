"""The gap check as SARIF 2.1.0, the format code-scanning services (GitHub, Azure DevOps...) read.

One run of the tool ``planner``: its driver lists every rule of the catalog
(code, name, title, what it detects, the full explanation as help, and the
default level in the profile used), and each finding is a result with its
rule, level (info findings are SARIF ``note``), message, the cards it names as
logical locations, and the org file as the physical location, on the line
where its first card is defined when that can be found, so that code
scanning annotates that line. Accepted risks (a card's ``ignore`` codes) are
results too, marked as suppressed in source. Pure data: the caller writes it.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any, NamedTuple

from planner import __version__
from planner.analysis.profiles import Profile, get_profile
from planner.analysis.rule import OFF, Finding, Rule

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_NAME = "planner"
#: SARIF's words for the planner's severities.
LEVELS = {"error": "error", "warning": "warning", "info": "note", OFF: "none"}


def artifact_uri(path: str) -> str:
    """The file as a SARIF URI: relative paths with forward slashes (as code scanning wants), absolute as file://."""
    pure = PurePath(path)
    if pure.is_absolute():
        return Path(path).resolve().as_uri()
    return "/".join(part for part in pure.parts if part != ".")


def _rule_descriptor(rule: Rule, profile: Profile) -> dict[str, Any]:
    severity = rule.severity_in(profile) or rule.severity_for(profile.extends)  # a profile file's severity first
    configuration: dict[str, Any] = {"level": LEVELS[severity]}
    if severity == OFF:
        configuration["enabled"] = False
    markdown = (
        f"**{rule.title}**\n\n### What it detects\n{rule.detects}\n\n### Why it matters\n{rule.why}\n\n"
        f"### How to fix\n{rule.fix}\n\nSeverity: {rule.severity_summary()}."
        + "".join(f"\n\n{line}" for line in rule.source_lines())
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.detects},
        "help": {"text": rule.explanation(), "markdown": markdown},
        "defaultConfiguration": configuration,
        "properties": {"tags": ["org-structure", rule.code[:3].lower()], "severities": rule.severity_summary()},
    }


#: Where a card's id is written, in each org format: its value is the first group.
_ID_PATTERNS = (
    re.compile(r'"id"\s*:\s*("(?:[^"\\]|\\.)*")'),  # the planner's JSON (a JSON string)
    re.compile(r"""<node\s+id=("[^"]*"|'[^']*')"""),  # GraphML (XML-escaped, in either quote)
    re.compile(r"""planner_id=("[^"]*"|'[^']*')"""),  # draw.io (XML-escaped, in either quote)
    re.compile(r"^([^,\n\"]+),", re.MULTILINE),  # nodes.csv
)


def line_index(text: str) -> dict[str, int]:
    """Card id → the 1-based line it is defined on in an org file's text (JSON, GraphML, draw.io or nodes.csv).

    One pass per format over the text, so locating every finding of a large org stays cheap.
    """
    for number, pattern in enumerate(_ID_PATTERNS):
        found: dict[str, int] = {}
        line, position = 1, 0
        for match in pattern.finditer(text):
            line += text.count("\n", position, match.start())
            position = match.start()
            raw = match.group(1)
            try:
                key = json.loads(raw) if number == 0 else html.unescape(raw[1:-1]) if number < 3 else raw
            except ValueError:
                continue
            found.setdefault(key, line)
        if found:
            return found
    return {}


def line_of(text: str, node_id: str) -> int | None:
    """The 1-based line where a card with this id is defined in an org file's text, or None."""
    return line_index(text).get(node_id)


def _result(
    finding: Finding, rules: dict[str, int], uri: str, names: dict[str, str], lines: dict[str, int], suppressed: bool
) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri}}}
    line = next((lines[node] for node in finding.nodes if node in lines), None)
    location["physicalLocation"]["region"] = {"startLine": line or 1}
    location["logicalLocations"] = [
        {"name": names.get(node, node), "fullyQualifiedName": node, "kind": "card"} for node in finding.nodes
    ]
    fingerprint = hashlib.sha256("\x1f".join((finding.code, *finding.nodes)).encode("utf-8")).hexdigest()
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rules[finding.code],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {"plannerFinding/v1": fingerprint},
        "properties": {"cards": list(finding.nodes), "severity": finding.severity},
    }
    if suppressed:
        result["suppressions"] = [{"kind": "inSource", "justification": "accepted in the org file (ignore codes)"}]
    return result


class CheckedFile(NamedTuple):
    """One org file checked: its path as given, the org, the analysis result, and its text (to find lines)."""

    path: str
    org: Any
    result: Any
    text: str | None = None


def sarif_log(files: Sequence[CheckedFile], rules: Sequence[Rule]) -> dict[str, Any]:
    """The SARIF log of a check of one or more org files: one run, one artifact per file.

    The rules' default levels follow the first file's profile.
    """
    profile = files[0].result.profile if files else get_profile(None)
    index = {rule.code: position for position, rule in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for checked in files:
        uri = artifact_uri(checked.path)
        names = {node.id: node.label for node in checked.org.nodes()}
        lines = line_index(checked.text) if checked.text is not None else {}
        results += [_result(f, index, uri, names, lines, suppressed=False) for f in checked.result.findings]
        results += [_result(f, index, uri, names, lines, suppressed=True) for f in checked.result.accepted]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "fullName": "Team Structure Planner gap check",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule_descriptor(rule, profile) for rule in rules],
                    }
                },
                "artifacts": [{"location": {"uri": artifact_uri(checked.path)}} for checked in files],
                "invocations": [{"executionSuccessful": True}],
                "results": results,
                "properties": {
                    "files": [
                        {
                            "uri": artifact_uri(c.path),
                            "org": c.org.name,
                            "profile": c.result.profile.name,
                            "summary": c.result.counts,
                        }
                        for c in files
                    ]
                },
            }
        ],
    }
