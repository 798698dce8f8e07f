"""The editor's Open, fed schema-shaped files stretched to extremes: it shows the org or says why not; never crashes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from PySide6.QtWidgets import QApplication

from tests.schema_fuzz import org_files

_numbers = itertools.count()


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=org_files(max_copies=100))
def test_opening_any_schema_shaped_file_shows_it_or_explains(window, tmp_path, text):
    path = tmp_path / f"org-{next(_numbers)}.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = window.document.org
    errors_before = len(window.errors)
    if window.open_path(path):
        org = window.document.org
        assert window.document.path == str(path)
        assert len(window.scene.node_items) == len(org)
        window.view.fit_all()
        QApplication.processEvents()
    else:
        assert window.document.org is before, "a refused file leaves the open org as it was"
        ((_title, text_shown, _details),) = window.errors[errors_before:]
        assert path.name in text_shown and "\n" not in text_shown


def _far_file(tmp_path, name: str, **node) -> str:
    import json

    document = {
        "format": "team-structure-planner",
        "version": 2,
        "name": "Far",
        "profile": "scrum",
        "nodes": [
            {"id": "a", "kind": "dev_team", "name": "A", "x": 0, "y": 0},
            {"id": "b", "kind": "product", "name": "B", "x": 0, "y": 0, **node},
        ],
        "links": [{"source": "a", "target": "b", "kind": "builds"}],
    }
    path = tmp_path / name
    path.write_text(json.dumps(document).replace('"size": 1234', '"size": ' + "9" * 5000), encoding="utf-8")
    return path


@pytest.mark.parametrize("node", [{"x": 1e308, "y": -1e308}, {"size": 1234}], ids=["1e308", "5000-digit size"])
def test_the_issues_hostile_files_are_refused_by_the_editor_leaving_the_open_org(window, tmp_path, node):
    before = window.document.org
    errors_before = len(window.errors)
    assert not window.open_path(_far_file(tmp_path, "hostile.json", **node))
    assert window.document.org is before
    ((_title, text_shown, details),) = window.errors[errors_before:]
    assert "hostile.json" in text_shown and "\n" not in text_shown
    assert "missing node" not in (details or ""), "the refused card's link is not one more problem"


def test_cards_at_the_edge_of_the_drawable_range_open_and_are_drawn(window, tmp_path):
    from planner.model.org import COORDINATE_LIMIT

    path = _far_file(tmp_path, "edge.json", x=COORDINATE_LIMIT, y=-COORDINATE_LIMIT)
    assert window.open_path(path)
    window.view.fit_all()
    QApplication.processEvents()
    assert not window.grab().isNull()
    assert len(window.scene.node_items) == 2
