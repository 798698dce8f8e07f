"""The shipped DejaVu Sans: text is drawn even on a machine with no fonts at all."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
from PySide6.QtGui import QFontDatabase, QFontInfo, QFontMetrics
from planner.render.app import ensure_app
app = ensure_app()
print(QFontInfo(app.font()).family(), QFontMetrics(app.font()).inFont("A"), "DejaVu Sans" in QFontDatabase.families())
"""


def test_exports_draw_text_without_any_system_font(tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>')
    env = {
        "FONTCONFIG_FILE": str(config),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["DejaVu", "Sans", "True", "True"]
