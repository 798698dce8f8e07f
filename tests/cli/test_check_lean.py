"""``planner check`` reads the org lean (shared, read-only link dicts) and writes its JSON a key at a time:
the same findings, plan, duties, messages and exit codes as an org read the ordinary way, and the org can
still be edited afterwards."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from math import copysign
from pathlib import Path
from types import MappingProxyType

import networkx as nx
import pytest

import planner.analysis.coverage as coverage
import planner.analysis.output as output
from planner.analysis import analyze
from planner.analysis.coverage import duties_json, duty_coverage
from planner.analysis.output import check_json
from planner.analysis.plan import build_plan
from planner.cli import main, say_json
from planner.io import load_org, save_org
from planner.model import nxfast
from planner.model.duties import DUTY_LIST
from planner.model.org import Link
from planner.resources import sample_path
from planner.synthetic import synthetic_org

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def org_files(tmp_path_factory):
    """The samples, and a synthetic org with duties of its own, as native files and as GraphML."""
    folder = tmp_path_factory.mktemp("orgs")
    paths = []
    for name in ("startup", "scaleup", "enterprise"):
        org = load_org(sample_path(name))
        for suffix in (".json", ".graphml"):
            paths.append(folder / f"{name}{suffix}")
            save_org(org, paths[-1])
    org = synthetic_org(1500, seed=7)
    product = next(node.id for node in org.nodes() if node.kind == "product")
    person = next(node.id for node in org.nodes() if node.kind == "product_manager")
    org.set_duties(product, {"vision": {person: "A"}, "roadmap": {person: "R"}})
    for suffix in (".json", ".graphml"):
        paths.append(folder / f"synthetic{suffix}")
        save_org(org, paths[-1])
    return paths


def _cli(*args) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([str(a) for a in args])
    return code, out.getvalue()


def _ordinary_json(path: Path) -> str:
    """What ``--format json`` printed before: the whole document of an org read the ordinary way."""
    org = load_org(path, layout=False)
    assert not org.lean
    result = analyze(org)
    out = io.StringIO()
    say_json(check_json(str(path), result, build_plan(org, result), org), out)
    return out.getvalue()


def test_check_json_is_what_an_org_read_the_ordinary_way_gives(org_files):
    for path in org_files:
        code, printed = _cli("check", path, "--format", "json", "--fail-on", "warning")
        assert printed == _ordinary_json(path), path
        assert code == (1 if json.loads(printed)["summary"]["warning"] + json.loads(printed)["summary"]["error"] else 0)


@pytest.mark.parametrize("form", ["text", "markdown", "sarif"])
def test_every_other_format_and_exit_code_is_the_same_read_lean_or_not(org_files, form, monkeypatch):
    lean = {path: _cli("check", path, "--format", form, "--fail-on", "info") for path in org_files}
    monkeypatch.setattr(nxfast, "shared_key_dicts", contextlib.nullcontext)
    for path in org_files:
        assert _cli("check", path, "--format", form, "--fail-on", "info") == lean[path], path


def test_check_json_never_holds_the_whole_document_nor_every_products_matrix(org_files, monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("planner check built what it writes a piece at a time")

    expected = _ordinary_json(org_files[-1])
    monkeypatch.setattr(output, "check_json", refused)
    monkeypatch.setattr(coverage, "duty_coverage", refused)
    assert _cli("check", org_files[-1], "--format", "json")[1] == expected


def test_duties_json_is_the_document_it_was(org_files):
    """Rows shared within a matrix write the same JSON as every row apart (the former document)."""
    for path in org_files:
        org = load_org(path, layout=False)
        products = duty_coverage(org)
        former = {
            "catalog": [{"id": d.id, "horizon": d.horizon, "label": d.label} for d in DUTY_LIST],
            "unowned": sum(len(p.unowned) for p in products),
            "products": {
                p.product: {
                    "follows_links": p.follows_links,
                    "matrix": p.matrix,
                    "unowned": list(p.unowned),
                    "shared": list(p.shared),
                }
                for p in products
            },
        }
        for made in (duties_json(org), duties_json(products)):
            assert json.dumps(made, indent=2) == json.dumps(former, indent=2)


def _lean(path: Path):
    with nxfast.shared_key_dicts():
        return load_org(path, layout=False)


def test_a_lean_org_shares_read_only_link_dicts_that_networkx_cannot_change_in_place(org_files):
    path = next(p for p in org_files if p.name == "synthetic.graphml")
    org, ordinary = _lean(path), load_org(path, layout=False)
    assert org.lean and nxfast.has_shared_key_dicts(org.graph)
    assert not ordinary.lean and not nxfast.has_shared_key_dicts(ordinary.graph)
    assert org.link_triples() == ordinary.link_triples()
    assert list(org.nodes()) == list(ordinary.nodes())
    assert [list(org.graph.predecessors(n)) for n in org.graph] == [
        list(ordinary.graph.predecessors(n)) for n in ordinary.graph
    ]
    source, target, kind = org.link_triples()[0]
    with pytest.raises(TypeError):  # loudly, rather than removing the link from every pair that shares the dict
        org.graph.remove_edge(source, target, key=kind)
    assert org.link_triples() == ordinary.link_triples()
    assert nx.is_weakly_connected(org.graph) == nx.is_weakly_connected(ordinary.graph)


def test_editing_a_lean_org_makes_its_link_dicts_its_own_and_edits_as_an_ordinary_one(org_files):
    path = next(p for p in org_files if p.name == "synthetic.json")
    for edit in ("add_link", "remove_link", "remove_node", "add_many"):
        org, ordinary = _lean(path), load_org(path, layout=False)
        assert org.lean
        for each in (org, ordinary):
            source, target, kind = each.link_triples()[3]
            if edit == "add_link":
                each.add_link(
                    Link(target, source, "aligns_with") if kind != "aligns_with" else Link(target, source, kind)
                )
            elif edit == "remove_link":
                each.remove_link((source, target, kind))
            elif edit == "remove_node":
                each.remove_node(source)
            else:
                each.add_many([], [(target, source, "aligns_with")])
        assert not org.lean and not nxfast.has_shared_key_dicts(org.graph), edit
        assert org.link_triples() == ordinary.link_triples(), edit
        assert [list(org.graph.predecessors(n)) for n in org.graph] == [
            list(ordinary.graph.predecessors(n)) for n in ordinary.graph
        ]
        # Every pair now has a key dict of its own, and every link an attribute dict of its own.
        keydicts = [keys for targets in nxfast.successors(org.graph).values() for keys in targets.values()]
        assert len({id(keys) for keys in keydicts}) == len(keydicts)
        assert all(type(attrs) is dict for keys in keydicts for attrs in keys.values())


def test_the_plan_of_a_lean_org_is_the_same_and_leaves_it_alone(org_files):
    for path in org_files:
        org, ordinary = _lean(path), load_org(path, layout=False)
        before = (org.link_triples(), [list(org.graph.predecessors(n)) for n in org.graph], list(org.nodes()))
        plan = build_plan(org, analyze(org)).to_dict()
        assert plan == build_plan(ordinary, analyze(ordinary)).to_dict(), path
        assert (org.link_triples(), [list(org.graph.predecessors(n)) for n in org.graph], list(org.nodes())) == before
        keydicts = [keys for targets in nxfast.successors(org.graph).values() for keys in targets.values()]
        assert all(isinstance(keys, MappingProxyType) for keys in keydicts)  # none was changed in place


def test_a_lean_read_keeps_minus_zero_apart_from_zero(tmp_path):
    """Positions are shared between cards (one float per value), but -0 is not 0."""
    path = tmp_path / "zero.graphml"
    save_org(synthetic_org(30, seed=1), path)
    text = path.read_text(encoding="utf-8")
    assert text.count('<data key="x">0</data>') > 2
    path.write_text(text.replace('<data key="x">0</data>', '<data key="x">-0</data>', 1), encoding="utf-8")
    lean, ordinary = _lean(path), load_org(path, layout=False)
    signs = [[copysign(1.0, node.x) for node in org.nodes()] for org in (lean, ordinary)]
    assert signs[0] == signs[1] and signs[0][:2] == [-1.0, 1.0]


def test_check_does_not_import_what_only_the_writers_need(org_files):
    code = (
        "import io, contextlib, sys\n"
        "from planner.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['check', {str(org_files[1])!r}, '--format', 'json', '--fail-on', 'never'])\n"
        "print(sorted(m for m in ('xml.sax.saxutils', 'urllib.request', 'http.client') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"
