"""``planner report`` and ``planner export`` from a shell with no display and no Qt platform set."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QImage

from planner.resources import sample_path

ROOT = Path(__file__).parents[2]


def _headless_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _planner(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        env=_headless_env(),
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.mark.slow
def test_export_png_and_tiled_pdf_without_a_display(qapp, tmp_path):
    png = tmp_path / "chart.png"
    done = _planner("export", str(sample_path("scaleup")), "-o", str(png), "--dpi", "72", "--highlight")
    assert done.returncode == 0, done.stderr
    assert not QImage(str(png)).isNull()
    pdf = tmp_path / "chart.pdf"
    done = _planner("export", str(sample_path("enterprise")), "-o", str(pdf), "--tiles")
    assert done.returncode == 0, done.stderr
    assert len(PdfReader(pdf).pages) > 1


@pytest.mark.slow
def test_report_pdf_without_a_display(tmp_path):
    out = tmp_path / "report.pdf"
    done = _planner("report", str(sample_path("scaleup")), "-o", str(out), "--paper", "letter")
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout
    assert "Northwind" in PdfReader(out).pages[0].extract_text()


@pytest.mark.parametrize("extension", [".pdf", ".html", ".md", ".csv", ".json"])
def test_reports_never_load_qt(tmp_path, extension):
    out = tmp_path / f"report{extension}"
    code = (
        "import sys\n"
        "from planner.cli import main\n"
        f"status = main(['report', {str(sample_path('startup'))!r}, '-o', {str(out)!r}])\n"
        "assert status == 0\n"
        "assert not any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules), 'Qt was loaded'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_headless_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["report", "missing.json", "-o", "out.pdf"], "missing.json"),
        (["report", "SAMPLE", "-o", "out.docx"], "unknown report format"),
        (["export", "SAMPLE", "-o", "out.gif"], "unknown chart format"),
        (["export", "missing.json", "-o", "out.svg"], "missing.json"),
    ],
)
def test_bad_input_or_extension_exits_2_with_one_line(tmp_path, args, message):
    args = [
        str(sample_path("startup")) if a == "SAMPLE" else str(tmp_path / a) if a.startswith("out") else a for a in args
    ]
    done = _planner(*args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_report_profile_option_sets_the_thresholds(tmp_path):
    out = tmp_path / "report.json"
    done = _planner("report", str(sample_path("scaleup")), "-o", str(out), "--profile", "safe")
    assert done.returncode == 0, done.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["profile"] == "safe"
    assert {row["Limit"] for row in document["report"]["tables"]["backlog_load"]["rows"]} == {2}
