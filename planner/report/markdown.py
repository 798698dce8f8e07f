"""The gap report as Markdown, for wikis, pull requests and chat. No Qt here.

Every piece of user-supplied text (org, node and file names) goes through
:func:`md_text`, which escapes Markdown and HTML syntax so that a name can
neither break a table nor inject markup. The chart is not part of this format;
the report says where to get it. Given a baseline, a before/after section
follows the executive summary.
"""

from __future__ import annotations

from planner.report.content import SEVERITY_HEADINGS, Comparison, FindingEntry, Report, Table

_SPECIAL = "\\`*_[]<>|~&#"


def md_text(text: object) -> str:
    """Escape text for Markdown prose and table cells (markup characters, pipes and line breaks)."""
    escaped = "".join("\\" + char if char in _SPECIAL else char for char in str(text))
    return escaped.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _table(table: Table) -> list[str]:
    lines = [f"### {table.title}", ""]
    if table.note:
        lines += [table.note + (" Such rows start with ⚠." if any(table.flagged) else ""), ""]
    if not table.rows:
        return lines + ["None.", ""]
    lines.append("| " + " | ".join(table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    for index, row in enumerate(table.rows):
        cells = [md_text(cell) for cell in row]
        if table.is_flagged(index):
            cells[0] = "⚠ " + cells[0]
        lines.append("| " + " | ".join(cells) + " |")
    return lines + [""]


def _rule_group(entries: list[FindingEntry], level: str = "####") -> list[str]:
    first = entries[0]
    lines = [f"{level} {first.code} {first.title} ({len(entries)})", ""]
    for entry in entries:
        names = ", ".join(md_text(name) for name in entry.node_names)
        lines.append(f"- {md_text(entry.message)} — nodes: {names or '—'}")
    return lines + ["", f"*Why it matters:* {md_text(first.why)}", "", f"*What to do:* {md_text(first.fix)}", ""]


def _gap_line(entry: FindingEntry) -> str:
    return f"{entry.severity.upper()} {entry.code} {md_text(entry.message)}"


def _listed(title: str, items: list[str], empty: str) -> list[str]:
    lines = [f"### {title} ({len(items)})", ""]
    return lines + ([f"- {item}" for item in items] if items else [empty]) + [""]


def _comparison(comparison: Comparison) -> list[str]:
    lines = ["## Before and after", "", md_text(comparison.introduction()), ""]
    lines += ["| Measure | Before | After | Change |", "|---|---|---|---|"]
    lines += [f"| {row.label} | {row.before} | {row.after} | {row.trend} |" for row in comparison.health_rows()]
    lines.append("")
    lines += _listed("Gaps fixed", [_gap_line(e) for e in comparison.fixed], "None.")
    lines += [f"### Gaps introduced ({len(comparison.introduced)})", ""]
    if comparison.introduced:
        lines += ["**New gaps that leadership must accept, or change the proposal to avoid:**", ""]
        lines += [f"- ⚠ **{_gap_line(entry)}**" for entry in comparison.introduced]
    else:
        lines.append("None: the proposal opens no new gap.")
    lines += ["", md_text(comparison.remaining_sentence()), ""]
    lines += _listed("Added", [md_text(e.describe()) for e in comparison.added], "Nothing.")
    lines += _listed("Removed", [md_text(e.describe()) for e in comparison.removed], "Nothing.")
    lines += _listed("Changed", [md_text(e.describe()) for e in comparison.changed], "Nothing.")
    lines += _listed("Links added", [md_text(text) for text in comparison.links_added], "None.")
    lines += _listed("Links removed", [md_text(text) for text in comparison.links_removed], "None.")
    return lines


def render_markdown(report: Report) -> str:
    """The whole report as one Markdown document."""
    lines = [
        f"# {report.title}",
        "",
        f"**Organisation:** {md_text(report.org_name)}  ",
        f"**Date:** {report.date}  ",
        f"**Profile:** {md_text(report.profile.title)} — {md_text(report.profile.description)}  ",
    ]
    if report.source:
        lines.append(f"**File:** {md_text(report.source)}  ")
    lines += [f"**Size:** {report.nodes} nodes, {report.links} links", "", "## Executive summary", ""]
    lines += ["| Measure | Value |", "|---|---|"]
    lines += [f"| {label} | {value} |" for label, value in report.health_rows()]
    lines += ["", "### Fix these first", ""]
    if report.fix_first:
        for rank, item in enumerate(report.fix_first, 1):
            names = ", ".join(md_text(n) for n in item.node_names[:8])
            more = f" and {len(item.node_names) - 8} more" if len(item.node_names) > 8 else ""
            lines.append(f"{rank}. **{item.title}** ({item.code}, {item.severity}, {item.count}×): {names}{more}. "
                         f"{md_text(item.fix)}")
    else:
        lines.append("Nothing to fix: no gaps found.")
    lines.append("")
    if report.comparison is not None:
        lines += _comparison(report.comparison)
    lines += [
        "## Org chart",
        "",
        "The chart is in the PDF and HTML versions of this report (`planner report FILE -o report.pdf`), "
        "or export it alone with `planner export FILE -o chart.svg`.",
        "",
        "## Findings",
        "",
    ]
    groups = report.findings_by_severity()
    if not groups:
        lines += ["No gaps found.", ""]
    for severity, entries in groups:
        lines += [f"### {SEVERITY_HEADINGS[severity]} ({len(entries)})", ""]
        for group in report.findings_by_rule(entries):
            lines += _rule_group(group)
    lines += ["## Coverage", ""]
    for table in report.coverage:
        lines += _table(table)
    lines += ["## Load against the profile's limits", ""]
    for table in report.load:
        lines += _table(table)
    lines += ["## Staffing recommendations", ""]
    for step in report.recommendations:
        lines.append(f"- **{md_text(step.headline)}.** {md_text(step.detail)}")
    lines += ["", "## Accepted risks", ""]
    if report.accepted:
        lines += ["Findings that a node's ignore list accepts. They are not counted above, but they are real.", ""]
        for group in report.findings_by_rule(report.accepted):
            lines += _rule_group(group, "###")
    else:
        lines.append("None: no node accepts any finding.")
    lines += ["", "## Appendix: the rules that fired", ""]
    if not report.appendix:
        lines.append("No rule fired.")
    for rule in report.appendix:
        lines += [
            f"### {rule.code} {rule.name}: {rule.title}",
            "",
            f"Severity: {rule.severity}",
            "",
            f"**What it detects.** {rule.detects}",
            "",
            f"**Why it matters.** {rule.why}",
            "",
            f"**How to fix.** {rule.fix}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"
