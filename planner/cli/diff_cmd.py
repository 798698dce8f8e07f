"""``planner diff CURRENT PROPOSED``: what a reorg proposal changes, fixes and breaks.

Exit status: 0 when the files were compared (whatever they hold), 2 when one
cannot be read.
"""

from __future__ import annotations

import argparse
import html

from planner.cli import load_or_fail, profile_argument, say, say_json
from planner.diff import link_sentence
from planner.io.errors import terminal_safe
from planner.model.vocabulary import NODE_LABELS


def register(subparsers) -> None:
    parser = subparsers.add_parser("diff", help="compare a current org with a proposal")
    parser.add_argument("current", help="today's org file")
    parser.add_argument("proposed", help="the proposal")
    profile_argument(parser, "thresholds to apply (default: the proposal's profile)")
    parser.add_argument("--format", choices=("text", "json", "markdown", "html"), default="text")
    parser.set_defaults(run=run)


def _node_line(node) -> str:
    return f"{node.label} ({NODE_LABELS[node.kind].lower()}, {node.id})"


def _change_line(change) -> str:
    parts = [f"{name}: {before!r} → {after!r}" for name, (before, after) in change.fields.items()]
    return f"{change.after.label} ({change.after.id}): " + "; ".join(parts)


def sections(diff) -> list[tuple[str, list[str]]]:
    """The diff as titled lists of lines, shared by the text, Markdown and HTML outputs."""
    return [
        ("Nodes added", [_node_line(n) for n in diff.added]),
        ("Nodes removed", [_node_line(n) for n in diff.removed]),
        ("Nodes changed", [_change_line(c) for c in diff.changed]),
        ("Links added", [link_sentence(diff.proposed, link) for link in diff.links_added]),
        ("Links removed", [link_sentence(diff.current, link) for link in diff.links_removed]),
        ("Duties changing hands", [c.sentence(diff.current, diff.proposed) for c in diff.duties]),
        ("Gaps fixed", [f"{f.code} [{f.severity}] {f.message}" for f in diff.fixed]),
        ("Gaps introduced", [f"{f.code} [{f.severity}] {f.message}" for f in diff.introduced]),
        ("Gaps remaining", [f"{f.code} [{f.severity}] {f.message}" for f in diff.remaining]),
    ]


def diff_html(diff, current: str, proposed: str) -> str:
    esc = html.escape
    body = [
        f"<h1>Reorg: {esc(diff.current.name)} → {esc(diff.proposed.name)}</h1>",
        f"<p class=summary>{esc(diff.summary())}</p>",
    ]
    for title, lines in sections(diff):
        if lines:
            items = "".join(f"<li>{esc(line)}</li>" for line in lines)
            body.append(f"<h2>{esc(title)} ({len(lines)})</h2><ul>{items}</ul>")
    style = (
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#1f2933;line-height:1.45}"
        "h1{font-size:1.6rem}h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #d9dee3}"
        ".summary{font-size:1.1rem;background:#eef4fb;padding:.6rem .9rem;border-radius:6px}"
    )
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        f"<title>Reorg comparison</title><style>{style}</style></head><body>"
        f"<p>Current: <code>{esc(current)}</code> · Proposed: <code>{esc(proposed)}</code></p>"
        + "".join(body)
        + "</body></html>\n"
    )


def run(args: argparse.Namespace) -> int:
    from planner.cli.check_cmd import _md
    from planner.diff import diff_json, diff_orgs

    current = load_or_fail(args.current)
    proposed = load_or_fail(args.proposed)
    diff = diff_orgs(current, proposed, args.profile)
    if args.format == "json":
        say_json(diff_json(diff, args.current, args.proposed))
    elif args.format == "html":
        print(terminal_safe(diff_html(diff, args.current, args.proposed), keep_newlines=True), end="")
    elif args.format == "markdown":
        lines = [f"# Reorg: {_md(current.name)} → {_md(proposed.name)}", "", f"**{_md(diff.summary())}**"]
        for title, items in sections(diff):
            if items:
                lines += ["", f"## {title} ({len(items)})", ""] + [f"- {_md(item)}" for item in items]
        say("\n".join(lines))
    else:
        say(f"{args.current} → {args.proposed}: {diff.summary()}")
        for title, items in sections(diff):
            if items:
                say(f"\n{title} ({len(items)}):")
                for item in items:
                    say(f"  {item}")
    return 0
