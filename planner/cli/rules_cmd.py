"""``planner rules [CODE]``: the rule catalog, or one rule's explanation."""

from __future__ import annotations

import argparse

from planner.cli import CommandError


def register(subparsers) -> None:
    parser = subparsers.add_parser("rules", help="list the rule catalog, or explain one rule")
    parser.add_argument("code", nargs="?", help="a rule code (OWN001) or name (team-without-backlog-owner)")
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
    width = max(len(r.name) for r in rules)
    for rule in rules:
        print(f"{rule.code:<8} {rule.name:<{width}}  {rule.severity_summary()}")
    return 0
