"""The native JSON format: deterministic output, migration, and a clear message for every kind of bad file."""

import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.io import LoadError, load_org, native, save_org
from planner.io.errors import UnsupportedFormatVersionError
from planner.model.org import COORDINATE_LIMIT, MAX_TEAM_SIZE, Node, Org, make_node
from planner.model.vocabulary import LINK_KINDS, NODE_KINDS, PROFILES
from planner.resources import SAMPLES, resource_path, sample_path
from planner.synthetic import synthetic_org
from tests.helpers import healthy_org, make_org


def _doc(**overrides):
    doc = {
        "format": "team-structure-planner",
        "version": 2,
        "name": "Acme",
        "profile": "scrum",
        "nodes": [{"id": "a", "kind": "product_owner", "name": "Ana"}, {"id": "t", "kind": "dev_team", "name": "T"}],
        "links": [{"source": "a", "target": "t", "kind": "owns_backlog"}],
    }
    doc.update(overrides)
    return doc


def _load(tmp_path, doc, name="org.json"):
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return load_org(path)


def test_save_load_save_is_byte_identical(tmp_path):
    org = make_org(
        [
            ("a", "product_owner", {"name": "Ána", "title": "PO", "notes": "line\nbreak", "x": 10.256, "y": -4}),
            ("t", "dev_team", {"size": 7, "ignore": ("OWN005", "LOAD004"), "x": 10, "y": 200}),
            ("s", "stakeholder", {"scope": "external", "vacant": True, "x": 300, "y": 200}),
        ],
        "a owns_backlog t, a engages s",
    )
    first = tmp_path / "one.json"
    second = tmp_path / "two.json"
    save_org(org, first)
    save_org(load_org(first), second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().endswith(b"}\n")


def test_output_order_does_not_depend_on_edit_order():
    one = make_org("po:b team:a", "b owns_backlog a")
    two = make_org("team:a po:b", "b owns_backlog a")
    assert native.dumps(one) == native.dumps(two)


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_follow_the_schema_and_round_trip(name):
    schema = json.loads(resource_path("schema", "org.schema.json").read_text())
    text = sample_path(name).read_text(encoding="utf-8")
    jsonschema.validate(json.loads(text), schema)
    assert native.dumps(native.loads(text)) == text


def test_saved_files_follow_the_schema():
    schema = json.loads(resource_path("schema", "org.schema.json").read_text())
    jsonschema.validate(native.to_dict(healthy_org()), schema)


def test_malformed_json_names_line_and_column(tmp_path):
    with pytest.raises(LoadError) as info:
        _load(tmp_path, '{\n  "format": "team-structure-planner",\n  "version": 2,,\n}')
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (3, 16)
    assert "org.json" in info.value.summary() and "line 3" in info.value.summary()


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ({"nodes": [{"id": "a", "kind": "wizard"}]}, "nodes[0].kind", "unknown node kind"),
        ({"links": [{"source": "a", "target": "ghost", "kind": "owns_backlog"}]}, "links[0].target", "missing node"),
        (
            {"nodes": [{"id": "a", "kind": "leader"}, {"id": "a", "kind": "leader"}], "links": []},
            "nodes[1].id",
            "duplicate id",
        ),
        ({"nodes": [{"id": "t", "kind": "dev_team", "size": "seven"}], "links": []}, "nodes[0].size", "whole number"),
        ({"nodes": [{"id": "t", "kind": "dev_team", "x": "left"}], "links": []}, "nodes[0].x", "number"),
        ({"nodes": [{"id": 5, "kind": "dev_team"}], "links": []}, "nodes[0].id", "text"),
        ({"nodes": [{"kind": "dev_team"}], "links": []}, "nodes[0]", "missing 'id'"),
        (
            {"nodes": [{"id": "t", "kind": "dev_team", "colour": "red"}], "links": []},
            "nodes[0].colour",
            "unknown attribute",
        ),
        ({"links": [{"source": "a", "target": "t", "kind": "likes"}]}, "links[0].kind", "unknown link kind"),
        ({"profile": "kanban"}, "profile", "unknown profile"),
        ({"nodes": {"a": 1}}, "nodes", "must be a list"),
        ({"format": "drawio"}, "format", "not a Team Structure Planner file"),
    ],
)
def test_every_problem_names_its_place(tmp_path, change, where, words):
    with pytest.raises(LoadError) as info:
        _load(tmp_path, _doc(**change))
    assert any(p.where == where and words in p.message for p in info.value.problems), info.value.details()


def test_all_problems_are_reported_at_once(tmp_path):
    doc = _doc(
        nodes=[{"id": "a", "kind": "wizard"}, {"id": "b", "kind": "dev_team", "size": -2}],
        links=[{"source": "x", "target": "y", "kind": "builds"}],
    )
    with pytest.raises(LoadError) as info:
        _load(tmp_path, doc)
    assert len(info.value.problems) >= 4
    assert "more problems" in info.value.summary()


def test_newer_versions_are_refused_politely(tmp_path):
    with pytest.raises(UnsupportedFormatVersionError, match="newer planner"):
        _load(tmp_path, _doc(version=99))


def test_version_1_files_are_migrated(tmp_path):
    doc = {
        "format": "team-structure-planner",
        "version": 1,
        "name": "Old",
        "nodes": [{"id": "a", "kind": "product_owner", "pos": [40, 80]}, {"id": "t", "kind": "dev_team"}],
        "edges": [{"source": "a", "target": "t", "kind": "owns_backlog"}],
    }
    org = _load(tmp_path, doc)
    assert (org.node("a").x, org.node("a").y) == (40.0, 80.0)
    assert org.number_of_links() == 1


def test_not_utf8_and_not_an_object(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"name": "\xe9"}')
    with pytest.raises(LoadError, match="UTF-8"):
        load_org(path)
    with pytest.raises(LoadError, match="JSON object"):
        _load(tmp_path, "[1, 2]")


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_doc()).encode())
    assert len(load_org(path)) == 2


def test_oversized_files_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(native, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(_doc()) + " " * 200)
    with pytest.raises(LoadError, match="limit"):
        load_org(path)


def test_deeply_nested_json_is_a_clear_error(tmp_path):
    with pytest.raises(LoadError, match="malformed JSON"):
        _load(tmp_path, "[" * 100000 + "]" * 100000)


def test_missing_file_and_unknown_extension(tmp_path):
    with pytest.raises(LoadError, match="No such file"):
        load_org(tmp_path / "nope.json")
    (tmp_path / "org.txt").write_text("hello")
    with pytest.raises(LoadError, match="unknown file type"):
        load_org(tmp_path / "org.txt")


def test_files_without_positions_are_laid_out_on_load(tmp_path):
    from planner.layout import overlaps

    org = _load(tmp_path, _doc())
    positions = {n.id: (n.x, n.y) for n in org.nodes()}
    assert not overlaps(positions)
    assert positions["a"][1] < positions["t"][1]  # the owner sits above its team


def reference_text(org) -> str:
    """The file as the json module writes it: the definition of the format's bytes."""
    return json.dumps(native.to_dict(org), indent=2, ensure_ascii=False) + "\n"


text_values = st.text(st.characters(codec="utf-8"), max_size=6)
any_node = st.builds(
    make_node,
    id=st.text(st.characters(codec="utf-8"), min_size=1, max_size=4).filter(str.strip),
    kind=st.sampled_from(NODE_KINDS),
    name=text_values,
    title=text_values,
    notes=text_values,
    x=st.one_of(st.integers(-COORDINATE_LIMIT, COORDINATE_LIMIT), st.floats(-COORDINATE_LIMIT, COORDINATE_LIMIT)),
    y=st.floats(-1e6, 1e6),
    vacant=st.booleans(),
    size=st.one_of(st.none(), st.integers(0, MAX_TEAM_SIZE)),
    scope=st.sampled_from([None, "", "internal", "external"]),
    ignore=st.lists(st.sampled_from(["STR004", "OWN001", "ALN002"]), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(any_node, max_size=6, unique_by=lambda node: node.id), st.data())
def test_the_fast_writer_writes_what_the_json_module_writes(nodes, data):
    """Names in any script, control characters, huge or tiny coordinates, rule codes: the same bytes either way."""
    org = Org(data.draw(text_values, label="org name"), data.draw(st.sampled_from(PROFILES), label="profile"))
    org.add_many(nodes)
    ids = [node.id for node in nodes]
    if ids:
        triples = st.tuples(st.sampled_from(ids), st.sampled_from(ids), st.sampled_from(list(LINK_KINDS)))
        org.add_many([], data.draw(st.lists(triples, max_size=8, unique=True), label="links"))
    assert native.dump_bytes(org) == reference_text(org).encode("utf-8")


def test_the_fast_writer_on_large_orgs_and_every_sample():
    for org in [synthetic_org(3000, seed=5), *(load_org(sample_path(name)) for name in SAMPLES)]:
        assert native.dumps(org) == reference_text(org)


def test_rule_codes_are_written_sorted_even_from_a_node_built_unchecked():
    org = Org()
    org.add_node(Node("t", "dev_team", ignore=("STR004", "OWN001")))
    assert json.loads(native.dumps(org))["nodes"][0]["ignore"] == ["OWN001", "STR004"]


def test_link_triples_are_the_graphs_links():
    org = synthetic_org(300, seed=2)
    assert org.link_triples() == list(org.graph.edges(keys=True))
