"""``planner bench``: listed here for ``planner --help``; :func:`planner.cli.main` hands it to :mod:`planner.bench`."""

from __future__ import annotations


def register(subparsers) -> None:
    subparsers.add_parser("bench", help="measure speed and memory on synthetic orgs (planner bench --help)")
