"""The native loader's fast path accepts exactly what the full validation accepts, and builds the same org.

A well-formed file is decoded straight into typed nodes and links
(``_typed_org``); any other goes through the field-by-field validation that
names each problem. These tests run both ways on the same input (the fast
path switched off by monkeypatching) and demand the same org, byte for byte,
or the same problems, word for word.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.io import native
from planner.io.errors import LoadError
from planner.model.org import make_node
from planner.model.vocabulary import LINK_KINDS, NODE_KINDS
from planner.synthetic import synthetic_org

anything_odd = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", " ", "x", "internal", "external", "OWN001"]),
    st.lists(st.sampled_from(["OWN001", "bad"]), max_size=2),
    st.dictionaries(st.just("k"), st.integers(), max_size=1),
)
field_values = {
    "id": st.one_of(st.sampled_from(["a", "po-1", " ", "", "Ünï"]), anything_odd),
    "kind": st.one_of(st.sampled_from((*NODE_KINDS, "robot")), anything_odd),
    "name": st.one_of(st.text(max_size=5), anything_odd),
    "title": st.one_of(st.text(max_size=5), anything_odd),
    "notes": st.one_of(st.text(max_size=5), anything_odd),
    "x": st.one_of(st.integers(-(2**60), 2**60), st.floats(), anything_odd),
    "y": st.one_of(st.integers(-5, 5), st.floats(), anything_odd),
    "vacant": st.one_of(st.booleans(), anything_odd),
    "size": st.one_of(st.none(), st.integers(-2, 40), anything_odd),
    "scope": st.one_of(st.sampled_from([None, "", "internal", "external", "Internal"]), anything_odd),
    "ignore": st.one_of(st.lists(st.sampled_from(["OWN001", "STR004"]), max_size=2), anything_odd),
    "colour": st.just("red"),
}
records = st.fixed_dictionaries(
    {"id": field_values["id"], "kind": field_values["kind"]},
    optional={name: strategy for name, strategy in field_values.items() if name not in ("id", "kind")},
)


def load_both_ways(monkeypatch, text: str):
    """The org (as file text) or the problems that loading ``text`` gives, with the fast path on and off."""
    results = []
    for fast in (True, False):
        with monkeypatch.context() as patch:
            if not fast:
                patch.setattr(native, "_typed_org", lambda document: None)
            try:
                results.append(native.dumps(native.loads(text, "org.json")))
            except LoadError as exc:
                results.append([str(problem) for problem in exc.problems])
    return results


def test_a_large_file_loads_the_same_both_ways(monkeypatch):
    text = native.dumps(synthetic_org(3000, seed=3))
    fast, slow = load_both_ways(monkeypatch, text)
    assert fast == slow == text


def test_a_well_formed_file_is_decoded_straight_into_nodes(monkeypatch, tmp_path):
    """The record-by-record checks are for files with something unusual; a plain file never reaches them."""
    org = synthetic_org(500, seed=4)
    path = tmp_path / "org.json"
    native.save(org, path)
    monkeypatch.setattr(native, "from_dict", None)
    loaded = native.load(path)
    assert native.dumps(loaded) == native.dumps(org)
    assert all(type(node.x) is float and type(node.y) is float for node in loaded.nodes())


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(records, min_size=1, max_size=3))
def test_any_node_records_load_the_same_both_ways(monkeypatch, node_records):
    """Odd values (huge numbers, NaN, true for a number, empty scopes, rule codes) get one answer either way."""
    text = json.dumps({"format": native.FORMAT_NAME, "version": 2, "nodes": node_records})
    fast, slow = load_both_ways(monkeypatch, text)
    assert fast == slow


def test_rule_codes_to_ignore_are_sorted_and_checked_on_the_fast_path():
    nodes = [{"id": "a", "kind": "dev_team", "ignore": ["STR004", "OWN001", "OWN001"]}]
    text = json.dumps({"format": native.FORMAT_NAME, "version": 2, "nodes": nodes})
    assert native._typed_org(text).node("a").ignore == ("OWN001", "STR004")
    nodes[0]["ignore"] = ["own001"]
    assert native._typed_org(json.dumps({"format": native.FORMAT_NAME, "version": 2, "nodes": nodes})) is None


def test_a_node_loaded_in_bulk_behaves_like_one_built_field_by_field():
    for node in native.loads(native.dumps(synthetic_org(60, seed=8))).nodes():
        twin = make_node(**native.node_record(node))
        assert node == twin and hash(node) == hash(twin) and repr(node) == repr(twin)
        assert node.ignore == twin.ignore == ()
        with pytest.raises(AttributeError):
            node.name = "changed"


def sample_document() -> dict:
    return json.loads(native.dumps(synthetic_org(40, seed=11)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_broken_documents_give_the_same_problems_both_ways(monkeypatch, data):
    document = sample_document()
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        part = data.draw(st.sampled_from(["nodes", "links"]), label="part")
        records = document[part]
        index = data.draw(st.integers(0, len(records) - 1), label="index")
        if part == "nodes":
            field = data.draw(st.sampled_from(sorted(field_values)), label="field")
            records[index][field] = data.draw(field_values[field], label="value")
        else:
            field = data.draw(st.sampled_from(["source", "target", "kind", "extra"]), label="field")
            value = data.draw(
                st.one_of(st.sampled_from([*LINK_KINDS, records[0]["source"], "ghost", ""]), anything_odd),
                label="value",
            )
            records[index][field] = value
        if data.draw(st.booleans(), label="duplicate"):
            records.append(dict(records[index]))
    text = json.dumps(document)
    fast, slow = load_both_ways(monkeypatch, text)
    assert fast == slow


@pytest.mark.parametrize(
    "record",
    [
        {"id": "a", "kind": "leader", "x": 10**400},
        {"id": "a", "kind": "leader", "x": True},
        {"id": "a", "kind": "leader", "size": True},
        {"id": "a", "kind": "leader", "scope": ["internal"]},
        {"id": ["a"], "kind": "leader"},
        {"id": "a", "kind": ["leader"]},
    ],
)
def test_odd_values_are_named_not_crashed_on(record):
    text = json.dumps({"format": native.FORMAT_NAME, "version": 2, "nodes": [record]})
    with pytest.raises(LoadError) as refused:
        native.loads(text, "odd.json")
    assert "nodes[0]" in refused.value.summary()


def test_duplicates_give_the_same_problems_both_ways(monkeypatch):
    document = sample_document()
    document["nodes"].append(dict(document["nodes"][3]))
    document["links"].append(dict(document["links"][5]))
    document["links"].insert(0, dict(document["links"][7]))
    fast, slow = load_both_ways(monkeypatch, json.dumps(document))
    assert fast == slow
    last = len(document["links"]) - 1
    assert [problem.split(":")[0] for problem in fast] == ["nodes[40].id", "links[8]", f"links[{last}]"]


def test_odd_link_records_are_named_not_crashed_on():
    nodes = [{"id": "a", "kind": "leader"}]
    links = [{"source": ["a"], "target": "a", "kind": "reports_to"}, {"source": "a", "target": "a", "kind": ["x"]}]
    text = json.dumps({"format": native.FORMAT_NAME, "version": 2, "nodes": nodes, "links": links})
    with pytest.raises(LoadError) as refused:
        native.loads(text, "odd.json")
    assert [problem.where for problem in refused.value.problems] == ["links[0].source", "links[1].kind"]


def well_formed(nodes: list[dict], links: list[dict]) -> str:
    return json.dumps({"format": native.FORMAT_NAME, "version": 2, "nodes": nodes, "links": links})


TWO_NODES = [{"id": "po", "kind": "product_owner"}, {"id": "pm", "kind": "product_manager"}]


@pytest.mark.parametrize(
    ("links", "where", "words"),
    [
        ([{"source": "ghost", "target": "pm", "kind": "aligns_with"}], "links[0].source", "missing node 'ghost'"),
        ([{"source": "po", "target": "ghost", "kind": "aligns_with"}], "links[0].target", "missing node 'ghost'"),
        (
            [
                {"source": "po", "target": "pm", "kind": "aligns_with"},
                {"source": "po", "target": "pm", "kind": "reports_to"},
                {"source": "po", "target": "pm", "kind": "aligns_with"},
            ],
            "links[2]",
            "duplicate link po -[aligns_with]-> pm",
        ),
    ],
)
def test_links_the_fast_path_cannot_build_are_named_by_the_full_check(monkeypatch, links, where, words):
    """Link ends and repeated links are found while building the graph; the fast path then steps aside."""
    text = well_formed(TWO_NODES, links)
    assert native._typed_org(text) is None
    fast, slow = load_both_ways(monkeypatch, text)
    assert fast == slow
    assert len(fast) == 1 and fast[0].startswith(where) and words in fast[0]


def test_two_kinds_of_link_between_the_same_nodes_stay_on_the_fast_path():
    links = [
        {"source": "po", "target": "pm", "kind": "aligns_with"},
        {"source": "po", "target": "pm", "kind": "reports_to"},
        {"source": "pm", "target": "po", "kind": "aligns_with"},
    ]
    org = native._typed_org(well_formed(TWO_NODES, links))
    assert org is not None
    assert sorted(org.graph["po"]["pm"]) == ["aligns_with", "reports_to"]
    assert list(org.graph.pred["pm"]["po"]) == ["aligns_with", "reports_to"]
    assert org.number_of_links() == 3


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"id": "a", "kind": "robot"}, "kind"),
        ({"id": "a", "kind": "dev_team", "size": -1}, "size"),
        ({"id": "a", "kind": "stakeholder", "scope": "Internal"}, "scope"),
    ],
)
def test_values_a_type_refuses_are_left_to_the_full_check(record, field):
    """Kinds, sizes and scopes are checked by the decoder's types; the full check then names the field."""
    text = well_formed([record], [])
    assert native._typed_org(text) is None
    with pytest.raises(LoadError) as refused:
        native.loads(text, "odd.json")
    assert [problem.where for problem in refused.value.problems] == [f"nodes[0].{field}"]


def test_an_empty_scope_is_read_as_none():
    text = well_formed([{"id": "a", "kind": "stakeholder", "scope": ""}], [])
    assert native._typed_org(text) is None
    assert native.loads(text).node("a").scope is None
