"""Loaders fed random and mutated input raise nothing but their own clear error."""

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.io import LoadError, csvpair, graphml, hr_import, native
from planner.resources import resource_path, sample_path
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
    st.sampled_from(KINDS)
    | st.text(max_size=6)
    | st.integers(-3, 20)
    | st.floats()
    | st.booleans()
    | st.none()
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


# -- CSV: the node/link pair and HR exports -------------------------------------------

NODES_CSV, LINKS_CSV = (text.encode("utf-8") for text in csvpair.dumps(healthy_org()))
PEOPLE_CSV = resource_path("examples", "people.csv").read_bytes()
#: What breaks a CSV in interesting ways: quotes, separators, line ends, marks of other encodings.
CSV_MARKUP = st.sampled_from(
    [
        b'"',
        b",",
        b";",
        b"\t",
        b"|",
        b"\r",
        b"\n",
        b"\r\n",
        b"\x00",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"=",
        b"'",
        b"\x81",
        "é".encode("cp1252"),
    ]
)


def mutated(data, raw: bytes) -> bytes:
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(raw)))
        cut = data.draw(st.integers(0, 12))
        raw = raw[:position] + data.draw(st.binary(max_size=6) | CSV_MARKUP) + raw[position + cut :]
    return raw


def load_pair(nodes: bytes, links: bytes | None):
    with tempfile.TemporaryDirectory() as folder:
        nodes_path = Path(folder) / "acme-nodes.csv"
        nodes_path.write_bytes(nodes)
        if links is not None:
            (Path(folder) / "acme-links.csv").write_bytes(links)
        _check(lambda: csvpair.load(nodes_path))


def import_export(raw: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "people.csv"
        path.write_bytes(raw)
        _check(lambda: hr_import.import_people(path))


@SETTINGS
@given(st.data())
def test_mutated_csv_pairs(data):
    which = data.draw(st.sampled_from(["nodes", "links", "both"]))
    nodes = mutated(data, NODES_CSV) if which != "links" else NODES_CSV
    links = mutated(data, LINKS_CSV) if which != "nodes" else LINKS_CSV
    load_pair(nodes, links)


@SETTINGS
@given(st.binary(max_size=300), st.none() | st.binary(max_size=300))
def test_random_bytes_as_a_csv_pair(nodes, links):
    load_pair(nodes, links)


@SETTINGS
@given(st.data())
def test_mutated_hr_exports(data):
    import_export(mutated(data, PEOPLE_CSV))


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_as_an_hr_export(raw):
    import_export(raw)
