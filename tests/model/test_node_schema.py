"""One node schema: the model's Node defines a card's fields; the file format, the validator and the JSON schema follow.

Node (planner/model/node.py) is the definition. The validator
(validate_node_value) has one checker per field, the careful reader takes
Node's fields as the known attributes, the writer's record (_NodeOnDisk)
has the same fields in the same order, and the published JSON schema
describes the same attributes. A field added to Node without the others
fails here.
"""

import json

import msgspec

from planner.io import native, native_records
from planner.model import node as model
from planner.model.org import Node
from planner.resources import resource_path

FIELDS = Node.__struct_fields__


def test_the_validator_checks_every_field_of_a_node_and_no_other():
    assert tuple(model._CHECKERS) == FIELDS


def test_the_file_format_reads_and_writes_the_fields_of_a_node():
    assert native_records._NODE_FIELDS == FIELDS
    assert native._NodeOnDisk.__struct_fields__ == FIELDS


def test_the_published_schema_describes_the_fields_of_a_node():
    schema = json.loads(resource_path("schema", "org.schema.json").read_text(encoding="utf-8"))
    assert tuple(schema["$defs"]["node"]["properties"]) == FIELDS


def test_a_written_record_leaves_out_what_is_at_its_default_and_keeps_the_position():
    bare = Node("a", "dev_team", "Core")
    assert native.node_record(bare) == {"id": "a", "kind": "dev_team", "name": "Core", "x": 0, "y": 0}
    full = Node("b", "stakeholder", "Legal", "Counsel", "n", 1.234, -2.0, True, 3, "external", ("RSK002", "OWN001"))
    record = native.node_record(full)
    assert list(record) == list(FIELDS)
    assert record["x"] == 1.23 and record["y"] == -2 and record["ignore"] == ["OWN001", "RSK002"]
    # What is written reads back as the same node, by the fast reader's own type.
    assert msgspec.convert(record, Node) == full.replace(x=1.23, ignore=("OWN001", "RSK002"))
