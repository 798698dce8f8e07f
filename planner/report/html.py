"""The gap report as one standalone HTML file that reads well on screen and prints well. No Qt here.

The page carries its own CSS (with ``@media print`` rules: paper size, table
headers repeated on each page, no row split across pages) and the chart as a
data-URI image, so it can be mailed or archived as a single file. The chart's
SVG or PNG bytes come from :mod:`planner.render.chart`; this module only
embeds them, so that it stays free of Qt. Every user-supplied text is escaped
with :func:`html.escape`, and the chart sits in an ``<img>``, where a browser
never runs scripts. Given a baseline, a before/after section follows the
executive summary, the gaps a proposal introduces set apart in red, and the
chart's caption explains the green NEW tags on added cards.
"""

from __future__ import annotations

import base64
from html import escape

from planner.report.content import SEVERITY_HEADINGS, Comparison, FindingEntry, Report, Table

PAPER_CSS = {"a4": "A4", "letter": "letter"}

_STYLE = """
:root { --new: #15803d; --error: #dc2626; --warning: #d97706; --info: #2563eb; --ink: #15171a; --muted: #5f6672;
        --rule: #d3d7de; --band: #f5f6f8; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: var(--ink);
       max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
.meta { color: var(--muted); margin: 0; }
.meta b { color: var(--ink); font-weight: 600; }
.figures { display: flex; flex-wrap: wrap; gap: .6rem; margin: .8rem 0; }
.figure { border: 1px solid var(--rule); border-radius: 8px; padding: .5rem .8rem; min-width: 9.5rem; }
.figure .value { font-size: 1.5rem; font-weight: 700; }
.figure .label { color: var(--muted); font-size: .85rem; }
.figure.error .value { color: var(--error); } .figure.warning .value { color: var(--warning); }
.figure.info .value { color: var(--info); }
ol.first li { margin-bottom: .5rem; }
.chart { margin: 1rem 0; text-align: center; }
.chart img { max-width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 6px; }
.chart img.key { display: block; margin: .5rem 0 0; border: none; border-radius: 0; }
.chart figcaption { color: var(--muted); font-size: .85rem; margin-top: .3rem; }
.sev { display: inline-block; border-radius: 4px; padding: 0 .4rem; font-size: .8rem; font-weight: 700;
       color: #fff; text-transform: uppercase; letter-spacing: .03em; }
.sev.error { background: var(--error); } .sev.warning { background: var(--warning); color: #1f1300; }
.sev.info { background: var(--info); }
.finding { border-left: 4px solid var(--rule); padding: .3rem .8rem; margin: .6rem 0; break-inside: avoid; }
.finding.error { border-color: var(--error); } .finding.warning { border-color: var(--warning); }
.finding.info { border-color: var(--info); }
.finding p { margin: .2rem 0; } .finding h4 { margin: .2rem 0; font-size: 1rem; }
.finding ul { margin: .2rem 0 .4rem; padding-left: 1.2rem; }
.finding .label { font-weight: 600; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--band); }
td.num { text-align: right; }
tr.flagged td { background: #fef3c7; }
tr.flagged td:first-child::before { content: "\\26A0\\FE0E  "; color: var(--warning); }
.note { color: var(--muted); font-size: .85rem; margin: .2rem 0; }
.rule { break-inside: avoid; }
.lead { font-size: 1.05rem; }
table.health { width: auto; min-width: 28rem; }
td.better { color: var(--new); font-weight: 600; } td.worse { color: var(--error); font-weight: 600; }
td.same { color: var(--muted); }
ul.gaps { padding-left: 1.2rem; } ul.gaps li { margin: .15rem 0; }
.introduced { border: 2px solid var(--error); background: #fef2f2; border-radius: 6px; padding: .4rem .9rem;
              margin: .6rem 0; break-inside: avoid; }
.introduced h3 { color: var(--error); margin-top: .3rem; }
.introduced.none { border-color: var(--rule); background: none; }
.introduced.none h3 { color: var(--ink); }
.changes { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0 1.5rem; }
.tag-new { display: inline-block; background: var(--new); color: #fff; border-radius: 4px; padding: 0 .35rem;
           font-size: .75rem; font-weight: 700; }
@media print {
  @page { size: PAPER_SIZE; margin: 16mm 14mm; }
  body { font-size: 10.5pt; max-width: none; margin: 0; padding: 0; }
  h2 { break-after: avoid; } h3 { break-after: avoid; }
  section.chart-page { break-before: page; break-after: page; }
  .chart img { max-height: 240mm; border: none; }
  thead { display: table-header-group; }
  tr, .figure { break-inside: avoid; }
  tr.flagged td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .introduced, .tag-new { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .sev, .figure { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _names(names) -> str:
    return ", ".join(f"<b>{_text(n)}</b>" for n in names) or "—"


def _table(table: Table) -> str:
    head = "".join(f"<th scope=\"col\">{_text(c)}</th>" for c in table.columns)
    parts = [f"<h3>{_text(table.title)}</h3>"]
    if table.note:
        parts.append(f"<p class=\"note\">{_text(table.note)}</p>")
    if not table.rows:
        parts.append("<p>None.</p>")
        return "\n".join(parts)
    body = []
    for index, row in enumerate(table.rows):
        cells = "".join(
            f"<td class=\"num\">{cell}</td>" if isinstance(cell, int) else f"<td>{_text(cell)}</td>" for cell in row
        )
        flagged = " class=\"flagged\"" if table.is_flagged(index) else ""
        body.append(f"<tr{flagged}>{cells}</tr>")
    parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table>")
    return "\n".join(parts)


def _rule_group(entries: list[FindingEntry]) -> str:
    first = entries[0]
    items = "".join(
        f"<li>{_text(entry.message)} <span class=\"note\">— nodes: {_names(entry.node_names)}</span></li>"
        for entry in entries
    )
    return (
        f"<div class=\"finding {first.severity}\">"
        f"<h4><span class=\"sev {first.severity}\">{first.severity}</span> <code>{first.code}</code> "
        f"{_text(first.title)} ({len(entries)})</h4><ul>{items}</ul>"
        f"<p><span class=\"label\">Why it matters:</span> {_text(first.why)}</p>"
        f"<p><span class=\"label\">What to do:</span> {_text(first.fix)}</p>"
        "</div>"
    )


def _gap_item(entry: FindingEntry) -> str:
    severity = f"<span class=\"sev {entry.severity}\">{entry.severity}</span>"
    return f"<li>{severity} <code>{entry.code}</code> {_text(entry.message)}</li>"


def _list(title: str, items: list[str], empty: str) -> str:
    body = f"<ul>{''.join(f'<li>{_text(item)}</li>' for item in items)}</ul>" if items else f"<p>{empty}</p>"
    return f"<div><h3>{_text(title)} ({len(items)})</h3>{body}</div>"


def _comparison(comparison: Comparison) -> str:
    rows = "".join(
        f"<tr><td>{_text(row.label)}</td><td class=\"num\">{_text(row.before)}</td>"
        f"<td class=\"num\">{_text(row.after)}</td><td class=\"{row.trend}\">{row.trend}</td></tr>"
        for row in comparison.health_rows()
    )
    parts = [
        "<section id=\"before-after\"><h2>Before and after</h2>",
        f"<p class=\"lead\">{_text(comparison.introduction())}</p>",
        "<table class=\"health\"><thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Before</th>"
        f"<th scope=\"col\">After</th><th scope=\"col\">Change</th></tr></thead><tbody>{rows}</tbody></table>",
        f"<h3>Gaps fixed ({len(comparison.fixed)})</h3>",
        f"<ul class=\"gaps\">{''.join(_gap_item(e) for e in comparison.fixed)}</ul>" if comparison.fixed
        else "<p>None.</p>",
    ]
    if comparison.introduced:
        parts.append(
            f"<div class=\"introduced\"><h3>Gaps introduced ({len(comparison.introduced)})</h3>"
            "<p><b>New gaps that leadership must accept, or change the proposal to avoid.</b></p>"
            f"<ul class=\"gaps\">{''.join(_gap_item(e) for e in comparison.introduced)}</ul></div>"
        )
    else:
        parts.append(
            "<div class=\"introduced none\"><h3>Gaps introduced (0)</h3>"
            "<p>None: the proposal opens no new gap.</p></div>"
        )
    parts.append(f"<p class=\"note\">{_text(comparison.remaining_sentence())}</p>")
    parts.append("<div class=\"changes\">")
    parts.append(_list("Added", [e.describe() for e in comparison.added], "Nothing."))
    parts.append(_list("Removed", [e.describe() for e in comparison.removed], "Nothing."))
    parts.append(_list("Changed", [e.describe() for e in comparison.changed], "Nothing."))
    parts.append(_list("Links added", comparison.links_added, "None."))
    parts.append(_list("Links removed", comparison.links_removed, "None."))
    parts.append("</div></section>")
    return "\n".join(parts)


def _chart(report: Report, chart_svg: bytes | None, chart_png: bytes | None, legend_svg: bytes | None) -> str:
    if chart_svg is not None:
        source = "data:image/svg+xml;base64," + base64.b64encode(chart_svg).decode("ascii")
    elif chart_png is not None:
        source = "data:image/png;base64," + base64.b64encode(chart_png).decode("ascii")
    else:
        return "<p>The chart was not included in this file; export it with <code>planner export</code>.</p>"
    marked = len(report.highlight)
    key = ""
    if legend_svg is not None:
        key_source = "data:image/svg+xml;base64," + base64.b64encode(legend_svg).decode("ascii")
        key = f"<img class=\"key\" src=\"{key_source}\" alt=\"Key to the chart's colours and lines\">"
    return (
        f"<figure class=\"chart\"><img src=\"{source}\" alt=\"Org chart of {_text(report.org_name)}\">{key}"
        f"<figcaption>{marked} {'node has' if marked == 1 else 'nodes have'} findings: ringed and badged in the "
        f"colour of the worst one (red error, amber warning, blue info); the badge counts them.{_new_note(report)}"
        "</figcaption></figure>"
    )


def _new_note(report: Report) -> str:
    if report.comparison is None or not report.comparison.added:
        return ""
    added = len(report.comparison.added)
    return (
        f" {added} {'card is' if added == 1 else 'cards are'} new in this proposal: tagged "
        "<span class=\"tag-new\">NEW</span> in green. Removed nodes are listed under Before and after."
    )


def render_html(
    report: Report,
    chart_svg: bytes | None = None,
    chart_png: bytes | None = None,
    paper: str = "a4",
    legend_svg: bytes | None = None,
) -> str:
    """The whole report as one HTML document; pass the chart as SVG (preferred) or PNG bytes, and its key."""
    css = _STYLE.replace("PAPER_SIZE", PAPER_CSS.get(paper, "A4"))
    out = [
        "<!DOCTYPE html>",
        "<html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        f"<title>{_text(report.title)}: {_text(report.org_name)}</title>",
        f"<style>{css}</style></head><body>",
        f"<header><h1>{_text(report.title)}</h1>",
        f"<p class=\"meta\"><b>Organisation:</b> {_text(report.org_name)}</p>",
        f"<p class=\"meta\"><b>Date:</b> {_text(report.date)}</p>",
        f"<p class=\"meta\"><b>Profile:</b> {_text(report.profile.title)} — {_text(report.profile.description)}</p>",
    ]
    if report.source:
        out.append(f"<p class=\"meta\"><b>File:</b> {_text(report.source)}</p>")
    out.append(f"<p class=\"meta\"><b>Size:</b> {report.nodes} nodes, {report.links} links</p></header>")

    out.append("<section><h2>Executive summary</h2><div class=\"figures\">")
    classes = {"Errors": "error", "Warnings": "warning", "Infos": "info"}
    for label, value in report.health_rows():
        out.append(
            f"<div class=\"figure {classes.get(label, '')}\"><div class=\"value\">{_text(value)}</div>"
            f"<div class=\"label\">{_text(label)}</div></div>"
        )
    out.append("</div><h3>Fix these first</h3>")
    if report.fix_first:
        out.append("<ol class=\"first\">")
        for item in report.fix_first:
            shown = item.node_names[:8]
            more = f" and {len(item.node_names) - 8} more" if len(item.node_names) > 8 else ""
            out.append(
                f"<li><b>{_text(item.title)}</b> <span class=\"sev {item.severity}\">{item.severity}</span> "
                f"<code>{item.code}</code>, {item.count}&times;: {_names(shown)}{more}.<br>{_text(item.fix)}</li>"
            )
        out.append("</ol>")
    else:
        out.append("<p>Nothing to fix: no gaps found.</p>")
    out.append("</section>")
    if report.comparison is not None:
        out.append(_comparison(report.comparison))

    chart = _chart(report, chart_svg, chart_png, legend_svg)
    out.append(f"<section class=\"chart-page\"><h2>Org chart</h2>{chart}</section>")

    out.append("<section><h2>Findings</h2>")
    groups = report.findings_by_severity()
    if not groups:
        out.append("<p>No gaps found.</p>")
    for severity, entries in groups:
        out.append(f"<h3>{SEVERITY_HEADINGS[severity]} ({len(entries)})</h3>")
        out.extend(_rule_group(group) for group in report.findings_by_rule(entries))
    out.append("</section>")

    out.append("<section><h2>Coverage</h2>")
    out.extend(_table(table) for table in report.coverage)
    out.append("</section><section><h2>Load against the profile's limits</h2>")
    out.extend(_table(table) for table in report.load)
    out.append("</section><section><h2>Staffing recommendations</h2><ul>")
    out.extend(f"<li><b>{_text(step.headline)}.</b> {_text(step.detail)}</li>" for step in report.recommendations)
    out.append("</ul></section>")

    out.append("<section><h2>Accepted risks</h2>")
    if report.accepted:
        out.append(
            "<p>Findings that a node's ignore list accepts. They are left out of the counts above, "
            "but they are real.</p>"
        )
        out.extend(_rule_group(group) for group in report.findings_by_rule(report.accepted))
    else:
        out.append("<p>None: no node accepts any finding.</p>")
    out.append("</section>")

    out.append("<section><h2>Appendix: the rules that fired</h2>")
    if not report.appendix:
        out.append("<p>No rule fired.</p>")
    for rule in report.appendix:
        out.append(
            f"<div class=\"rule\"><h3><code>{rule.code}</code> {_text(rule.name)}: {_text(rule.title)}</h3>"
            f"<p class=\"note\">Severity: {_text(rule.severity)}</p>"
            f"<p><b>What it detects.</b> {_text(rule.detects)}</p>"
            f"<p><b>Why it matters.</b> {_text(rule.why)}</p>"
            f"<p><b>How to fix.</b> {_text(rule.fix)}</p></div>"
        )
    out.append("</section>")
    out.append(f"<footer class=\"note\"><p>Made by Team Structure Planner on {_text(report.date)}.</p></footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
