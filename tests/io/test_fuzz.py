"""Loaders fed random and mutated input raise nothing but their own clear error."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.io import LoadError, graphml, native
from planner.resources import sample_path
from tests.helpers import healthy_org

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
FIELDS = ["id", "kind", "name", "title", "notes", "x", "y", "vacant", "size", "scope", "ignore", "source", "target"]
KINDS = ["product_owner", "dev_team", "product", "owns_backlog", "builds", "reports_to", "nope"]


def _check(load):
    try:
        load()
    except LoadError as exc:
        assert exc.problems and str(exc)


@SETTINGS
@given(json_values)
def test_any_json_value(value):
    _check(lambda: native.loads(json.dumps(value)))


node_like = st.dictionaries(
    st.sampled_from(FIELDS),
    st.sampled_from(KINDS) | st.text(max_size=6) | st.integers(-3, 20) | st.floats() | st.booleans() | st.none()
    | st.lists(st.text(max_size=7), max_size=3),
    max_size=6,
)


@SETTINGS
@given(st.lists(node_like, max_size=8), st.lists(node_like, max_size=8), json_values)
def test_org_shaped_documents(nodes, links, profile):
    doc = {"format": "team-structure-planner", "version": 2, "profile": profile, "nodes": nodes, "links": links}
    _check(lambda: native.loads(json.dumps(doc)))


VALID_JSON = native.dumps(healthy_org())


@SETTINGS
@given(st.data())
def test_mutated_native_files(data):
    text = VALID_JSON
    for _ in range(data.draw(st.integers(1, 5))):
        position = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        insert = data.draw(st.text(alphabet='{}[]":,0123456789abcdefnulltrue \n\\', max_size=6))
        text = text[:position] + insert + text[position + cut :]
    _check(lambda: native.loads(text))


VALID_GRAPHML = graphml.dumps(healthy_org()).encode()


@SETTINGS
@given(st.data())
def test_mutated_graphml_files(data):
    raw = VALID_GRAPHML
    for _ in range(data.draw(st.integers(1, 5))):
        position = data.draw(st.integers(0, len(raw)))
        cut = data.draw(st.integers(0, 10))
        markup = st.sampled_from([b"<", b">", b"&", b"<!DOCTYPE x>", b"&x;", b"</key>"])
        insert = data.draw(st.binary(max_size=6) | markup)
        raw = raw[:position] + insert + raw[position + cut :]
    _check(lambda: graphml.loads(raw))


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_as_graphml(raw):
    _check(lambda: graphml.loads(raw))


def test_the_enterprise_sample_survives_a_truncation_at_every_tenth_of_its_length():
    text = sample_path("enterprise").read_text(encoding="utf-8")
    for tenth in range(1, 10):
        cut = text[: len(text) * tenth // 10]
        _check(lambda cut=cut: native.loads(cut))
