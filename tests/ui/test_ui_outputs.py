"""The editor's own file outputs (a screenshot, a chart printed to PDF) go through the atomic writer too."""

from __future__ import annotations

import os
import stat
import sys

import pytest
from PySide6.QtGui import QImage

from planner.io import SaveError, save_org
from planner.ui import app
from planner.ui.printing import print_to_pdf
from tests.helpers import healthy_org

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX device files")


@pytest.fixture
def device_link(tmp_path):
    """An output name that is a link to a device: writing through it would feed the device, not make a file."""
    link = tmp_path / "out.png"
    link.symlink_to(os.devnull)
    return link


def test_a_screenshot_onto_a_link_to_a_device_is_refused(qtbot, tmp_path, device_link):
    source = tmp_path / "org.json"
    save_org(healthy_org(), source)
    with pytest.raises(SaveError, match="not a regular file"):
        app.screenshot(source, device_link, size=(600, 400))
    assert device_link.is_symlink() and stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_screenshot_replaces_an_earlier_one_whole(qtbot, tmp_path):
    source, out = tmp_path / "org.json", tmp_path / "shot.png"
    save_org(healthy_org(), source)
    out.write_bytes(b"an earlier picture")
    app.screenshot(source, out, size=(1000, 700))
    assert QImage(str(out)).width() == 1000
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_printing_to_a_pdf_onto_a_link_to_a_device_is_refused(qtbot, tmp_path):
    link = tmp_path / "chart.pdf"
    link.symlink_to(os.devnull)
    with pytest.raises(SaveError, match="not a regular file"):
        print_to_pdf(healthy_org(), str(link))
    assert link.is_symlink()
