"""Responsibility matrices in every format, and old files opening as they did."""

import json

import jsonschema
import pytest

from planner.analysis import analyze
from planner.io import csvpair, graphml, native
from planner.io.errors import LoadError
from planner.resources import resource_path
from tests.helpers import healthy_org

SAMPLES = sorted(p.name for p in resource_path("samples").glob("*.json"))


def _org_with_matrix():
    org = healthy_org()
    org.set_duty("p", "pricing", "po", "C")
    org.set_duty("p", "sprint_goals", "vp", "I")
    return org


@pytest.mark.parametrize(("module", "name"), [(native, "org.json"), (graphml, "org.graphml"), (csvpair, "nodes.csv")])
def test_matrices_survive_a_round_trip(tmp_path, module, name):
    org = _org_with_matrix()
    module.save(org, tmp_path / name)
    again = module.load(tmp_path / name)
    assert again.saved_duties() == org.saved_duties()
    assert again.follows_links("p") is False


def test_a_saved_matrix_follows_the_schema():
    schema = json.loads(resource_path("schema", "org.schema.json").read_text())
    document = native.to_dict(_org_with_matrix())
    assert document["version"] == 3 and document["duties"]["p"]["pricing"] == {"pm": "A", "po": "C"}
    jsonschema.validate(document, schema)


def test_an_org_following_its_links_writes_no_duties():
    assert "duties" not in native.to_dict(healthy_org())


@pytest.mark.parametrize("name", SAMPLES)
def test_a_version_2_file_opens_with_every_product_following_its_links(name):
    text = resource_path("samples", name).read_text(encoding="utf-8").replace('"version": 3', '"version": 2', 1)
    org = native.loads(text)
    assert not org.saved_duties()
    result = analyze(org)
    assert not [f for f in result.findings if f.code.startswith("DUT")]
    assert result.findings == analyze(org, ignore=["DUT"]).findings


@pytest.mark.parametrize(
    ("duties", "where"),
    [
        ({"ghost": {"vision": {"pm": "A"}}}, "duties.ghost"),
        ({"p": {"vision": {"pm": "X"}}}, "duties.p"),
        ({"p": {"haircut": {"pm": "A"}}}, "duties.p"),
        ({"p": {"vision": {"t1": "A"}}}, "duties.p"),
    ],
)
def test_a_broken_matrix_is_named_with_its_place(duties, where):
    document = native.to_dict(healthy_org())
    document["duties"] = duties
    with pytest.raises(LoadError) as info:
        native.loads(json.dumps(document))
    assert where in info.value.summary()


def test_duties_in_a_version_2_file_are_an_unknown_field():
    document = native.to_dict(healthy_org())
    document["version"] = 2
    document["duties"] = {"p": {"vision": {"pm": "A"}}}
    with pytest.raises(LoadError, match="duties"):
        native.loads(json.dumps(document))
