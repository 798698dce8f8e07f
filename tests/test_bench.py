"""The benchmark runs and prints each step beside its floor; its figures are read by people, never asserted."""

import json

from planner.bench import main


def test_the_headless_benchmark_reports_each_step_with_its_floor(capsys):
    assert main(["--sizes", "300", "--repeat", "1", "--no-gui", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = {row["step"]: row for row in report["rows"]}
    steps = {"load", "save", "analysis", "staffing plan", "re-analysis after edit", "layout", "planner check (process)",
             "slowest report figure"}
    assert steps <= set(rows)
    assert rows["staffing plan"]["floor"] == rows["analysis"]["seconds"]
    for step, floor in (("load", "json.load"), ("save", "json.dump"), ("analysis", "bare pass")):
        assert rows[step]["floor_name"] == floor and rows[step]["floor"] > 0 and rows[step]["seconds"] > 0
        assert "×" in rows[step]["verdict"]
    assert rows["planner check (process)"]["peak_mib"] > 0
    assert report["machine"]["cpus"] >= 1


def test_the_cold_start_row_names_the_sample_it_opens_and_its_size(monkeypatch, tmp_path):
    import subprocess

    import planner.bench as bench

    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, b"", b""))
    (row,) = bench.measure_cold_start(tmp_path, 1)
    assert row["step"] == "cold start (scale-up sample)"
    assert row["size"] == bench.COLD_START_SIZE > 0
    assert bench.judge(row).startswith("budget 1000 ms")


def test_the_html_report_is_timed_in_a_browser_when_one_is_installed(monkeypatch, tmp_path):
    import shutil
    import subprocess

    import planner.bench as bench

    page = tmp_path / "report.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    calls = []

    def run(args, **kwargs):
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, '<body data-ms="850.5"><iframe></iframe></body>', "")

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/chromium" if name == "chromium" else None)
    monkeypatch.setattr(subprocess, "run", run)
    assert bench.browser_display_seconds(page) == 0.8505
    assert calls and "--headless" in calls[0] and calls[0][-1].endswith("report-timing.html")
    assert 'src="report.html"' in (tmp_path / "report-timing.html").read_text(encoding="utf-8")
    row = {"size": 10_000, "step": "HTML report in a browser", "seconds": 0.8505}
    assert bench.judge(row) == "budget 2000 ms: ok"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert bench.browser_display_seconds(page) is None
