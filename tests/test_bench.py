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
