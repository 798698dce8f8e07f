"""The committed samples are what tools/build_samples.py builds: rebuilding them changes no byte."""

import importlib.util
from pathlib import Path

from planner.io.native import dumps, load
from planner.resources import resource_path

ROOT = Path(__file__).parents[1]


def _builder():
    spec = importlib.util.spec_from_file_location("build_samples", ROOT / "tools" / "build_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_samples_reproduces_the_committed_samples():
    for name, org in _builder().build_all().items():
        committed = resource_path("samples", f"{name}.json").read_text(encoding="utf-8")
        assert dumps(org) == committed, f"resources/samples/{name}.json is stale: run tools/build_samples.py"


def test_the_proposal_keeps_the_places_of_the_cards_it_shares_with_the_scaleup_sample():
    sample = load(resource_path("samples", "scaleup.json"))
    proposal = load(resource_path("samples", "scaleup-proposal.json"))
    moved = [
        node.id
        for node in proposal.nodes()
        if node.id in sample and (node.x, node.y) != (sample.node(node.id).x, sample.node(node.id).y)
    ]
    assert moved == []
