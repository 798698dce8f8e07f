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
        (_title, text_shown, _details), = window.errors[errors_before:]
        assert path.name in text_shown and "\n" not in text_shown
