"""Org files for fuzzing, generated from the format's JSON Schema, then stretched: extreme numbers, long texts, size.

:func:`org_files` draws the text of a native file. It starts from a document
hypothesis-jsonschema builds out of ``resources/schema/org.schema.json`` (so
every field has a type the schema allows), usually joins its links to its
nodes (or nearly every file would stop at "links to a missing node"), then may
put an extreme value in a field (a number of thousands of digits, 1e308, just
past the drawable range, a negative size), make a text a hundred thousand
characters long, or repeat the nodes until the file is megabytes long.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from planner.model.org import COORDINATE_LIMIT, MAX_TEAM_SIZE
from planner.resources import resource_path

SCHEMA = json.loads(resource_path("schema", "org.schema.json").read_text(encoding="utf-8"))
documents = from_schema(SCHEMA)

_HUGE = "__huge_number__"
EXTREME_NUMBERS = [
    1e308,
    -1e308,
    COORDINATE_LIMIT + 1,
    -COORDINATE_LIMIT - 0.5,
    COORDINATE_LIMIT,
    5e-324,
    MAX_TEAM_SIZE + 1,
    -1,
    2**63,
    -(2**63) - 1,
    _HUGE,
]


@st.composite
def org_files(draw, max_copies: int = 2000) -> str:
    document = draw(documents)
    nodes, links = document["nodes"], document["links"]
    if nodes and draw(st.integers(0, 3)):  # mostly: links between the document's own nodes
        ids = [node["id"] for node in nodes]
        for link in links:
            link["source"], link["target"] = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
    if nodes and draw(st.booleans()):
        node = draw(st.sampled_from(nodes))
        node[draw(st.sampled_from(["x", "y", "size"]))] = draw(st.sampled_from(EXTREME_NUMBERS))
    copies = draw(st.sampled_from([1, 1, 1, 10, max_copies]))
    if nodes and copies > 1:
        document["nodes"] = [dict(node, id=f"{node['id']}~{copy}") for copy in range(copies) for node in nodes]
    if nodes and draw(st.booleans()):
        node = draw(st.sampled_from(document["nodes"]))
        field = draw(st.sampled_from(["name", "title", "notes"]))
        node[field] = (node.get(field) or "x") * draw(st.sampled_from([1_000, 100_000]))
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    return text.replace(f'"{_HUGE}"', "9" * draw(st.sampled_from([4301, 20_000])))
