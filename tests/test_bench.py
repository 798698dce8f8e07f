"""The benchmark runs and prints each step beside its floor; its figures are read by people, never asserted."""

import json

from planner.bench import main


def test_the_headless_benchmark_reports_each_step_with_its_floor(capsys):
    assert main(["--sizes", "300", "--repeat", "1", "--no-gui", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = {row["step"]: row for row in report["rows"]}
    steps = {
        "load",
        "save",
        "analysis",
        "staffing plan",
        "re-analysis after edit",
        "layout",
        "planner check (process)",
        "slowest report figure",
        "check GraphML",
        "HR import (csv)",
        "HR import (xlsx)",
    }
    assert steps <= set(rows)
    assert rows["staffing plan"]["floor"] == rows["analysis"]["seconds"]
    for step, floor in (("load", "json.load"), ("save", "json.dump"), ("analysis", "bare pass")):
        assert rows[step]["floor_name"] == floor and rows[step]["floor"] > 0 and rows[step]["seconds"] > 0
        assert "×" in rows[step]["verdict"]
    assert rows["planner check (process)"]["peak_mib"] > 0
    # The GraphML check is printed beside networkx reading the same file, and judged against both budgets.
    graphml = rows["check GraphML"]
    assert graphml["floor_name"] == "networkx.read_graphml" and graphml["floor"] > 0 and graphml["peak_mib"] > 0
    assert "networkx.read_graphml (≤ 0.7×" in graphml["verdict"] and "(≤ 200:" in graphml["verdict"]
    assert report["machine"]["cpus"] >= 1
    # An HR export three times the org's size, as CSV and as XLSX, with its peak memory.
    assert rows["HR import (csv)"]["size"] == 900 and rows["HR import (xlsx)"]["peak_mib"] > 0


def test_the_cold_start_row_names_the_sample_it_opens_and_its_size(monkeypatch, tmp_path):
    import subprocess

    import planner.bench as bench

    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, b"", b""))
    (row,) = bench.measure_cold_start(tmp_path, 1)
    assert row["step"] == "cold start (scale-up sample)"
    assert row["size"] == bench.COLD_START_SIZE > 0
    assert bench.judge(row).startswith("budget 1000 ms")


def test_the_window_row_opens_the_org_in_a_real_editor_window_until_its_chart_is_painted(tmp_path):
    import math

    import planner.bench as bench
    from planner.bench_window import measure_window_open

    (row,) = measure_window_open(300, tmp_path)
    # A window that failed to open the file, or never painted it, gives nan (never a fast time).
    assert row["step"] == "open in the window" and row["size"] == 300
    assert math.isfinite(row["seconds"]) and row["seconds"] > 0 and row["cpu_seconds"] > 0
    assert bench.BUDGETS["open in the window"] == {100_000: 3.0}


def test_the_json_names_every_figure_by_a_stable_key(capsys):
    from planner.bench_compare import FORMAT, STEP_KEYS

    assert main(["--sizes", "300", "--repeat", "1", "--no-gui", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == FORMAT and report["version"] == 1
    keys = [row["key"] for row in report["rows"]]
    assert len(keys) == len(set(keys))  # one row per key
    for row in report["rows"]:
        # Every printed step has its key written down, so rewording a step does not rename its figures.
        assert row["step"] in STEP_KEYS and row["key"] == f"{STEP_KEYS[row['step']]}/{row['size']}"
    figures = report["figures"]
    assert figures["load/300/seconds"] == report["rows"][0]["seconds"]
    assert figures["load/300/ratio"] > 0 and figures["check-process/300/peak_mib"] > 0
    assert all(isinstance(value, float) for value in figures.values())


def test_the_step_keys_are_unique_and_never_change():
    from planner.bench_compare import STEP_KEYS, step_key

    assert len(set(STEP_KEYS.values())) == len(STEP_KEYS)
    # Saved runs name their figures by these keys: changing one breaks every comparison with an older run.
    assert step_key("load") == "load" and step_key("re-analysis after edit") == "reanalysis-after-edit"
    assert step_key("planner check (process)") == "check-process"
    assert step_key("A step: not listed yet") == "a-step-not-listed-yet"


def test_a_comparison_gives_old_new_and_ratio_and_marks_what_moved_past_the_tolerance():
    from planner.bench_compare import compare, format_changes

    old = {"load/1000/seconds": 0.010, "save/1000/seconds": 0.020, "layout/1000/seconds": 0.5, "gone/1000/seconds": 1.0}
    new = {
        "load/1000/seconds": 0.013,
        "save/1000/seconds": 0.010,
        "layout/1000/seconds": 0.55,
        "check-graphml/1000/peak_mib": 80.0,
    }
    changes = {change.figure: change for change in compare(old, new, tolerance=0.15)}
    assert changes["load/1000/seconds"].verdict == "regression"
    assert round(changes["load/1000/seconds"].ratio, 2) == 1.3
    assert changes["save/1000/seconds"].verdict == "better"
    assert changes["layout/1000/seconds"].verdict == "same"  # 10 % is within a shared machine's spread
    assert changes["check-graphml/1000/peak_mib"].verdict == "new"
    assert changes["gone/1000/seconds"].verdict == "gone"
    text = format_changes(list(changes.values()))
    load_line = next(line for line in text.splitlines() if line.startswith("load/1000/seconds"))
    assert "10.0 ms" in load_line and "13.0 ms" in load_line and "1.30×" in load_line and "REGRESSION" in load_line
    assert "REGRESSION" not in next(line for line in text.splitlines() if line.startswith("layout/"))
    assert text.splitlines()[-1].startswith("1 regressed, 1 better")


def test_compare_reads_two_saved_runs_including_one_from_before_the_figures(tmp_path, capsys):
    older = tmp_path / "old.json"  # the format before stable keys: rows only
    older.write_text(
        json.dumps(
            {
                "machine": {},
                "rows": [
                    {"size": 1000, "step": "load", "seconds": 0.002, "floor": 0.001},
                    {"size": 1000, "step": "planner check (process)", "seconds": 1.0, "peak_mib": 200.0},
                ],
            }
        )
    )
    newer = tmp_path / "new.json"
    newer.write_text(
        json.dumps(
            {
                "format": "planner-bench",
                "version": 1,
                "machine": {},
                "rows": [],
                "figures": {"load/1000/seconds": 0.004, "check-process/1000/peak_mib": 150.0},
            }
        )
    )
    assert main(["--compare", str(older), str(newer)]) == 0
    out = capsys.readouterr().out
    assert "load/1000/seconds" in out and "2.00×" in out and "REGRESSION" in out
    assert "check-process/1000/peak_mib" in out and "better" in out


def test_compare_names_a_file_that_is_no_benchmark_run(tmp_path, capsys):
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}')
    assert main(["--compare", str(bad), str(bad)]) == 2
    assert "notes.json" in capsys.readouterr().err


def test_the_readme_table_is_made_from_a_saved_run(tmp_path, capsys):
    run = {
        "format": "planner-bench",
        "version": 1,
        "machine": {},
        "rows": [
            {
                "size": 1000,
                "step": "load",
                "seconds": 0.0017,
                "floor": 0.0015,
                "floor_name": "json.load",
                "ratio": 1.13,
            },
            {"size": 100000, "step": "load", "seconds": 0.29, "floor": 0.2, "floor_name": "json.load", "ratio": 1.45},
            {
                "size": 100000,
                "step": "check GraphML",
                "seconds": 4.1,
                "floor": 7.0,
                "floor_name": "networkx.read_graphml",
                "ratio": 0.59,
                "peak_mib": 221.0,
            },
            {"size": 300000, "step": "HR import (csv)", "seconds": 12.5, "peak_mib": 461.0},
        ],
    }
    path = tmp_path / "run.json"
    path.write_text(json.dumps(run))
    assert main(["--table", str(path)]) == 0
    lines = {line.split(" | ")[0].lstrip("| "): line for line in capsys.readouterr().out.splitlines()}
    assert lines["load native file"].startswith("| load native file | 1.7 ms (1.1× json.load) |  | 290 ms (1.4×) |")
    assert (
        "4.1 s (0.59× networkx.read_graphml), peak 221 MiB"
        in lines["`planner check` of GraphML, beside `networkx.read_graphml`"]
    )
    # An HR export has a row per person: the 100,000-card column shows the import of 300,000 rows.
    assert lines["HR import of 3× as many rows, CSV"].split(" | ")[3] == "12.5 s, peak 461 MiB"
    assert "full analysis" not in lines  # a step the run did not measure is left out


def test_the_html_report_is_timed_in_a_browser_when_one_is_installed(monkeypatch, tmp_path):
    import shutil
    import subprocess

    import planner.bench as bench
    import planner.bench_report as bench_report

    page = tmp_path / "report.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    calls = []

    def run(args, **kwargs):
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, '<body data-ms="850.5"><iframe></iframe></body>', "")

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/chromium" if name == "chromium" else None)
    monkeypatch.setattr(subprocess, "run", run)
    assert bench_report.browser_display_seconds(page) == 0.8505
    assert calls and "--headless" in calls[0] and calls[0][-1].endswith("report-timing.html")
    assert 'src="report.html"' in (tmp_path / "report-timing.html").read_text(encoding="utf-8")
    row = {"size": 10_000, "step": "HTML report in a browser", "seconds": 0.8505}
    assert bench.judge(row) == "budget 2000 ms: ok"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert bench_report.browser_display_seconds(page) is None
