"""``planner rules [CODE]``: the rule catalog, or one rule's explanation."""

from __future__ import annotations

import argparse

from planner.cli import CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser("rules", help="list the rule catalog, or explain one rule")
    parser.add_argument("code", nargs="?", help="a rule code (OWN001) or name (team-without-backlog-owner)")
    parser.add_argument("--format", choices=("text", "markdown"), default="text", help="output format of the list")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from planner.analysis import all_rules, get_rule

    if args.code:
        rule = get_rule(args.code)
        if rule is None:
            raise CommandError(f"unknown rule {args.code!r}; 'planner rules' lists them")
        print(rule.explanation(), end="")
        return 0
    rules = all_rules()
    if args.format == "markdown":
        print(rules_table_markdown(rules))
        return 0
    width = max(len(r.name) for r in rules)
    for rule in rules:
        print(f"{rule.code:<8} {rule.name:<{width}}  {rule.severity_summary()}")
    return 0


def rules_table_markdown(rules) -> str:
    """The catalog as the Markdown table the README carries (a test keeps the two in sync)."""
    lines = ["| Code | Name | Severity | Detects |", "|---|---|---|---|"]
    for rule in rules:
        lines.append(f"| {rule.code} | {rule.name} | {rule.severity_summary()} | {rule.detects} |")
    return "\n".join(lines)
