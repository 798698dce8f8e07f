"""Files shaped by the JSON Schema, stretched to extremes, load or are refused with a clear error; nothing else."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from planner.analysis import analyze
from planner.io import LoadError, native
from tests.schema_fuzz import org_files

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.slow
@FUZZ
@given(org_files())
def test_schema_shaped_files_load_or_are_refused_in_one_line(text):
    try:
        org = native.loads(text, "org.json")
    except LoadError as exc:
        assert exc.problems and "\n" not in exc.summary()
        return
    analyze(org)
    again = native.loads(native.dumps(org))
    assert sorted(n.id for n in again.nodes()) == sorted(n.id for n in org.nodes())
    assert again.number_of_links() == org.number_of_links()
