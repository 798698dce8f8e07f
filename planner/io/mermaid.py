"""Mermaid flowcharts of an org, for READMEs and wikis that render Mermaid (GitHub, GitLab, Notion, Obsidian...).

One box per card, shaped by kind (rounded people, square teams, hexagon
products, stadium stakeholders) and coloured by a ``classDef`` per kind with
the editor's colours; one arrow per link, styled by a ``linkStyle`` per link
kind (the legend's colour, dashes and width) and labelled with the kind,
except the plain reporting line. Every label is quoted, and the characters
that would end the quote, start markup or an entity code are written as HTML
named entities (``&quot;``, ``&lt;``, ``&num;``...), so any name renders as
typed. Mermaid's own ``#quot;``-style codes are not used: Mermaid 11 leaves
them undecoded in labels without markup (seen rendering with mermaid 11.17
in Chromium), while named entities pass its parser untouched and render in
every label. With
findings given, cards that have some get a class per worst severity and a
warning sign. Mermaid lays the chart out itself; the planner's positions are
not used. Export only: Mermaid is not read back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from planner.io.chart_style import KIND_COLORS, LINK_LOOKS, SEVERITY_COLORS, TEXT_COLOR, tint
from planner.io.native import write_atomically
from planner.model.org import Node, Org
from planner.model.vocabulary import LINK_KINDS, NODE_KINDS, REPORTS_TO

#: Opening and closing brackets of each kind's box.
_SHAPES: dict[str, tuple[str, str]] = {
    "leader": ("(", ")"),
    "product_manager": ("(", ")"),
    "product_owner": ("(", ")"),
    "dev_team": ("[", "]"),
    "product": ("{{", "}}"),
    "stakeholder": ("([", "])"),
}
#: Mermaid arrows for the editor's heads; colour, width and dashes come from linkStyle.
_ARROWS = {"filled": "-->", "open": "-->", "circle": "--o", "diamond": "-->"}
#: Characters written as HTML named entities inside a quoted label. Brackets, braces and bars need none there;
#: "#" would start a Mermaid entity code and a leading backtick a Markdown string.
_ENTITIES = {'"': "&quot;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "#": "&num;", "`": "&grave;"}
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_SEVERITY_ORDER = ("error", "warning", "info")


def escape(text: str) -> str:
    """Text safe inside a quoted Mermaid label: markup characters as named entities, line breaks as ``<br/>``.

    Examples
    --------
    >>> escape('Ana "Ops" #1 <lead>')
    'Ana &quot;Ops&quot; &num;1 &lt;lead&gt;'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for char in text:
        if char == "\n":
            out.append("<br/>")
        elif char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif _CONTROL.match(char):
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def _label(node: Node, badge: str) -> str:
    text = escape(node.label)
    if node.title:
        text += "<br/>" + escape(node.title)
    if node.size is not None:
        text += f"<br/>{node.size} people"
    if node.vacant:
        text += "<br/>" + escape("(vacant)")
    return badge + text


def _style(color: str, fill: str, extra: str = "") -> str:
    return f"fill:{fill},stroke:{color},color:{TEXT_COLOR},stroke-width:1.5px{extra}"


def dumps(org: Org, severities: Mapping[str, str] | None = None, direction: str = "TB") -> str:
    """The org as a Mermaid ``flowchart``; ``severities`` (node id → worst severity) marks cards with findings."""
    severities = severities or {}
    nodes = sorted(org.nodes(), key=lambda n: (NODE_KINDS.index(n.kind), n.label.casefold(), n.id))
    ids = {node.id: f"n{index}" for index, node in enumerate(nodes)}
    lines = ["---", f"title: {_title(org.name)}", "---", f"flowchart {direction}"]
    for kind in NODE_KINDS:
        colour = KIND_COLORS[kind]
        lines.append(f"  classDef {kind} {_style(colour, tint(colour))}")
    lines.append("  classDef vacant stroke-dasharray:5 4")
    for severity in _SEVERITY_ORDER:
        lines.append(f"  classDef finding_{severity} stroke:{SEVERITY_COLORS[severity]},stroke-width:4px")
    for node in nodes:
        opening, closing = _SHAPES[node.kind]
        badge = "⚠ " if node.id in severities else ""
        lines.append(f'  {ids[node.id]}{opening}"{_label(node, badge)}"{closing}:::{node.kind}')
    vacant = [ids[n.id] for n in nodes if n.vacant]
    if vacant:
        lines.append(f"  class {','.join(vacant)} vacant")
    for severity in _SEVERITY_ORDER:
        marked = [ids[n.id] for n in nodes if severities.get(n.id) == severity]
        if marked:
            lines.append(f"  class {','.join(marked)} finding_{severity}")
    links = sorted(org.links(), key=lambda link: (ids[link.source], ids[link.target], link.kind))
    by_kind: dict[str, list[int]] = {}
    for index, link in enumerate(links):
        arrow = _ARROWS[LINK_LOOKS[link.kind].head]
        label = "" if link.kind == REPORTS_TO else f'|"{escape(LINK_KINDS[link.kind].label)}"|'
        lines.append(f"  {ids[link.source]} {arrow}{label} {ids[link.target]}")
        by_kind.setdefault(link.kind, []).append(index)
    for kind, indexes in by_kind.items():
        look = LINK_LOOKS[kind]
        style = f"stroke:{look.color},stroke-width:{look.width}px"
        if look.dashes:
            style += f",stroke-dasharray:{' '.join(f'{d:g}' for d in look.dashes)}"
        lines.append(f"  linkStyle {','.join(str(i) for i in indexes)} {style}")
    return "\n".join(lines) + "\n"


def _title(name: str) -> str:
    # The front matter is YAML: a double-quoted scalar with its own escapes.
    cleaned = _CONTROL.sub(" ", name)
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: Mermaid's default limits (its ``maxEdges`` and ``maxTextSize`` settings), which GitHub and most wikis keep:
#: beyond either the chart is not drawn, only an error message.
MAX_EDGES = 500
MAX_TEXT_SIZE = 50_000


def beyond_render_limits(text: str, links: int) -> str:
    """Why a Mermaid renderer with default settings will refuse this chart, or "" when it will draw it."""
    over = []
    if links > MAX_EDGES:
        over.append(f"{links:,} links (Mermaid draws at most {MAX_EDGES:,})")
    if len(text) > MAX_TEXT_SIZE:
        over.append(f"{len(text):,} characters (Mermaid reads at most {MAX_TEXT_SIZE:,})")
    if not over:
        return ""
    return (
        f"too large for Mermaid's default settings, used by GitHub: {' and '.join(over)}; "
        "export part of the org with --select PRODUCT or --select PERSON"
    )


def worst_severities(findings: Sequence) -> dict[str, str]:
    """Node id → the worst severity among the findings that name it."""
    worst: dict[str, str] = {}
    for finding in findings:
        for node_id in finding.nodes:
            current = worst.get(node_id)
            if current is None or _SEVERITY_ORDER.index(finding.severity) < _SEVERITY_ORDER.index(current):
                worst[node_id] = finding.severity
    return worst


def save(org: Org, path, severities: Mapping[str, str] | None = None) -> str:
    """Write the chart atomically; return its text."""
    text = dumps(org, severities)
    write_atomically(path, text)
    return text
