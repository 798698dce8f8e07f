"""The fast path into networkx's private dicts runs only on the networkx releases it was checked against."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import networkx as nx

from planner.model import nxfast
from planner.model.org import Link, Node, Org
from planner.synthetic import synthetic_org

ROOT = Path(__file__).parents[2]


def _release(text: str) -> tuple[int, int]:
    major, minor = re.match(r"(\d+)\.(\d+)", text).groups()
    return int(major), int(minor)


def test_the_installed_networkx_is_one_the_fast_path_was_checked_against():
    low, high = nxfast.VERIFIED
    installed = _release(version("networkx"))
    assert low <= installed < high, (
        f"networkx {version('networkx')} is outside {low}..{high}: check planner/model/nxfast.py against it "
        "(tests/model/test_bulk_loading.py), then widen VERIFIED and the pin in pyproject.toml"
    )


def test_pyproject_pins_networkx_to_the_checked_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pin = next(dep for dep in project["dependencies"] if dep.startswith("networkx"))
    low, high = nxfast.VERIFIED
    assert pin.replace(" ", "") == f"networkx>={low[0]}.{low[1]},<{high[0]}.{high[1]}"


def test_no_other_module_touches_networkx_private_dicts():
    private = re.compile(r"graph\)?\._(node|succ|pred|adj)\b")
    offenders = []
    for path in sorted((ROOT / "planner").rglob("*.py")):
        if path.name == "nxfast.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if private.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_the_fast_readers_agree_with_the_public_api():
    org = synthetic_org(500, seed=9)
    graph = org.graph
    assert nxfast.link_triples(graph) == list(graph.edges(keys=True))
    assert nxfast.number_of_links(graph) == graph.number_of_edges()
    assert dict(nxfast.node_table(graph)) == dict(graph.nodes(data=True))
    assert {n: {m: dict(k) for m, k in adj.items()} for n, adj in nxfast.successors(graph).items()} == {
        n: {m: dict(k) for m, k in adj.items()} for n, adj in graph.succ.items()
    }


def test_a_bulk_filled_graph_works_with_networkx_algorithms():
    org = Org.from_checked(
        "x", "scrum", [Node("a", "leader"), Node("b", "product_manager")], ["b"], ["a"], ["reports_to"]
    )
    org.add_link(Link("a", "b", "aligns_with"))
    assert nx.is_weakly_connected(org.graph)
    assert [sorted(cycle) for cycle in nx.simple_cycles(nx.DiGraph(org.graph))] == [["a", "b"]]
