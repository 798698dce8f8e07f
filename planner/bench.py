"""The benchmark: how fast the planner is on synthetic orgs of 1,000 to 100,000 nodes.

``python -m planner.bench [--sizes 1000 10000 100000] [--json]`` (or ``planner
bench``) prints, for each size, every measured step beside a floor measured in
the same run (``json.load``/``json.dump`` for loading and saving, one bare
networkx pass over nodes and edges for the analysis) and the budget from the
performance issue. "Scene build" lasts until the chart can be painted (cards,
links and Qt's index of them); "scene teardown" is closing that org. Frames are
what the editor's chart view paints at Fit and at 100 %; "edit: longest
wait" is the longest the window goes without handling its events from one
edit until the gaps panel shows its new findings (the check running on a
worker thread meanwhile), and "edit until gaps shown" the whole of that time;
"cold start" is a fresh process opening the editor on the scale-up
sample until the chart is first painted. Figures are printed, never asserted:
budgets are judged by people reading the table, not by timed tests that flake
on a busy machine. "Staffing plan" is the plan built from the analysis
(:func:`planner.analysis.plan.build_plan`); its floor column is the analysis time.
"PDF report" and "HTML report" are the gap report written on top of the
analysis, with its pages and bytes; "HTML report in a browser" is how long
headless Chromium, when installed, takes to load, lay out and paint that HTML.

``--json`` names every figure by a stable key (:mod:`planner.bench_compare`);
``--compare OLD.json`` runs and then prints each figure's change from that
saved run, and ``--compare OLD.json NEW.json`` compares two saved runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from planner.bench_compare import (
    DEFAULT_TOLERANCE,
    BenchFileError,
    compare,
    document,
    format_changes,
    markdown_table,
    read_document,
    read_run,
)
from planner.bench_report import best_of, measure_figures, measure_report
from planner.bench_window import measure_window_open

#: Cards in the scale-up sample, which the cold start opens (the editor's default org).
COLD_START_SIZE = 24
#: step → (size → budget in seconds); a missing size has no budget.
BUDGETS: dict[str, dict[int, float]] = {
    "analysis": {10_000: 0.1, 100_000: 1.5},
    "staffing plan": {10_000: 0.5},
    "scene build": {10_000: 1.5},
    # Issue 20: interactive at 100,000 cards.
    # Judged on the whole window (the bare view's "first frame" is printed beside it).
    "open in the window": {100_000: 3.0},
    "scene teardown": {100_000: 0.5},
    "scene teardown after use": {100_000: 0.5},
    "fit-all frame": {10_000: 0.15, 100_000: 0.05},
    "zoomed-in frame": {10_000: 0.016, 100_000: 0.016},
    "edit: longest wait": {1_000: 0.05, 10_000: 0.05, 100_000: 0.05},
    "incremental re-analysis": {10_000: 0.005, 100_000: 0.030},
    "re-analysis after any edit": {10_000: 0.005, 100_000: 0.030},
    "gaps panel update": {10_000: 0.016},
    "gaps panel update after any edit": {10_000: 0.016},
    "layout": {10_000: 3.0, 100_000: 1.0},
    "cold start (scale-up sample)": {COLD_START_SIZE: 1.0},
    "HR import (csv)": {300_000: 15.0},
    "HR import (xlsx)": {300_000: 15.0},
    "slowest report figure": {10_000: 0.2},
    # The gap report, on top of the analysis (issue 15).
    "PDF report": {10_000: 2.0},
    # The HTML report opened in a browser: loaded, laid out and first painted (headless Chromium).
    "HTML report in a browser": {10_000: 2.0},
}
#: step → (size → (key, limit, unit)): the report's length budgets.
SIZE_BUDGETS: dict[str, dict[int, tuple[str, float, str]]] = {
    "PDF report": {10_000: ("pages", 40, "pages")},
    "HTML report": {10_000: ("bytes", 5 * 1024 * 1024, "bytes")},
}
#: step → allowed ratio to its floor.
RATIO_BUDGETS = {"load": 2.0, "save": 2.0, "analysis": 10.0, "check GraphML": 0.7}
#: step → peak memory allowed to the process, in MiB.
PEAK_BUDGETS = {"planner check (process)": 300, "check GraphML": 200, "HR import (csv)": 500, "HR import (xlsx)": 500}


def _bare_pass(graph) -> int:
    count = 0
    for _ in graph.nodes(data=True):
        count += 1
    for _ in graph.edges(keys=True):
        count += 1
    return count


def measure_headless(size: int, workdir: Path, repeat: int) -> list[dict]:
    from planner.analysis import analyze
    from planner.analysis.plan import build_plan
    from planner.bench_edits import reanalysis_after_edits
    from planner.io import native
    from planner.layout import layered_layout
    from planner.synthetic import synthetic_org

    org = synthetic_org(size, seed=size)
    path = workdir / f"org-{size}.json"
    native.save(org, path)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    rows = []

    def row(step, seconds, floor=None, floor_name=""):
        rows.append({"size": size, "step": step, "seconds": seconds, "floor": floor, "floor_name": floor_name})

    row(
        "load",
        best_of(lambda: native.load(path), repeat),
        best_of(lambda: json.loads(path.read_text(encoding="utf-8")), repeat),
        "json.load",
    )
    row(
        "save",
        best_of(lambda: native.save(org, path), repeat),
        best_of(lambda: path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n"), repeat),
        "json.dump",
    )
    analysis = best_of(lambda: analyze(org), repeat)
    row("analysis", analysis, best_of(lambda: _bare_pass(org.graph), repeat), "bare pass")
    result = analyze(org)
    row("staffing plan", best_of(lambda: build_plan(org, result), repeat), analysis, "analysis")
    team = next(n.id for n in org.nodes() if n.kind == "dev_team")

    def edit_and_reanalyze():
        org.update_node(team, name="Renamed team")
        analyze(org)

    row("re-analysis after edit", best_of(edit_and_reanalyze, repeat))
    # What the editor's check does after a rename: no rule reruns, the messages naming the team are written again;
    # after any other edit, each rule reruns for the cards the edit can change (planner.bench_edits).
    times = reanalysis_after_edits(org, repeat)
    row("incremental re-analysis", times["rename a card"])
    row("re-analysis after any edit", max(times.values()))
    row("layout", best_of(lambda: layered_layout(org), 1 if size > 10_000 else repeat))
    return rows


def measure_gui(size: int, workdir: Path, repeat: int) -> list[dict]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from planner.io import load_org, native
    from planner.layout import layered_layout
    from planner.synthetic import synthetic_org
    from planner.ui.canvas.scene import EditorScene
    from planner.ui.canvas.view import ChartView

    app = QApplication.instance() or QApplication([])
    org = synthetic_org(size, seed=size)
    org.move_nodes(layered_layout(org))
    rows = []

    builds, closes = [], []
    for _ in range(1 if size > 10_000 else repeat):
        gc.collect()
        scene = EditorScene()
        start = time.perf_counter()
        scene.set_org(org)
        scene.items(scene.sceneRect().topLeft())  # the first look-up builds Qt's index of the items
        built = time.perf_counter()
        scene.clear_org()
        builds.append(built - start)
        closes.append(time.perf_counter() - built)
        scene.deleteLater()
        app.processEvents()
    rows.append({"size": size, "step": "scene build", "seconds": min(builds)})
    rows.append({"size": size, "step": "scene teardown", "seconds": min(closes)})
    # Frames are what the editor's view paints into its 1440×900 viewport, level of detail included. The first
    # one is timed from reading the file: opening an org, until it is seen.
    path = workdir / f"open-{size}.json"
    native.save(org, path)
    gc.collect()
    start = time.perf_counter()
    scene = EditorScene()
    scene.set_org(load_org(path, layout=False))
    view = ChartView(scene)
    view.resize(1440, 900)
    view.show()
    view.fit_all()
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)

    def frame():
        view.viewport().render(image)

    frame()
    rows.append({"size": size, "step": "first frame", "seconds": time.perf_counter() - start})
    app.processEvents()
    rows.append({"size": size, "step": "fit-all frame", "seconds": best_of(frame, repeat)})
    # Zooming in to 100 %: a large org's chart makes the items in view (planner/chart/lazy.py) before this paint.
    start = time.perf_counter()
    view.reset_zoom()
    view.centerOn(scene.itemsBoundingRect().center())
    frame()
    rows.append({"size": size, "step": "zoom in: first frame", "seconds": time.perf_counter() - start})
    rows.append({"size": size, "step": "zoomed-in frame", "seconds": best_of(frame, repeat)})
    view.close()
    start = time.perf_counter()
    scene.clear_org()  # after its far-away picture and the items in view were made (what a user closes)
    rows.append({"size": size, "step": "scene teardown after use", "seconds": time.perf_counter() - start})
    rows.append({"size": size, "step": "gaps panel update", "seconds": _gaps_update(org, repeat)})
    from planner.bench_edits import gaps_after_edits

    slowest = max(gaps_after_edits(org, repeat).values())
    rows.append({"size": size, "step": "gaps panel update after any edit", "seconds": slowest})
    longest, whole = _edit_waits(size, workdir, repeat)
    rows.append({"size": size, "step": "edit: longest wait", "seconds": longest})
    rows.append({"size": size, "step": "edit until gaps shown", "seconds": whole})
    app.processEvents()
    return rows


def _team_with_findings(org, result) -> str:
    """A team some finding is about (its rename changes what the panel shows), else the first team."""
    teams = {node.id for node in org.nodes() if node.kind == "dev_team"}
    return next((f.subject for f in result.findings if f.subject in teams), min(teams))


def _gaps_update(org, repeat: int) -> float:
    """The gaps panel showing the analysis after a team is renamed (the check itself not included)."""
    from planner.analysis import analyze
    from planner.analysis.engine import reanalyze
    from planner.ui.docks.gaps import GapsWidget

    panel = GapsWidget()
    panel.resize(900, 300)
    panel.show()
    result = analyze(org)
    panel.set_result(org, result)
    team = _team_with_findings(org, result)
    times = []
    for number in range(repeat):
        org.update_node(team, name=f"Renamed team {number}")
        after = reanalyze(result, org, (team,))
        gc.collect()
        start = time.perf_counter()
        panel.set_result(org, after)
        times.append(time.perf_counter() - start)
    panel.close()
    panel.deleteLater()
    return min(times)


def _edit_waits(size: int, workdir: Path, repeat: int) -> tuple[float, float]:
    """One edit in the editor, until the gaps panel shows its findings: the window's longest wait, and the whole.

    A timer that ticks every millisecond on the window's thread measures how
    long the window goes without handling its events, the edit itself, the
    check's start (catching its copy of the org up) and the result's display
    included, while the check runs on its worker thread. Returns the longest
    of those waits and the time from the edit to the gaps shown, best of
    ``repeat`` edits.
    """
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from planner.synthetic import synthetic_org
    from planner.ui.mainwindow import MainWindow

    settings = QSettings(str(workdir / "bench-settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    org = synthetic_org(size, seed=size)
    window.document.replace(org, None)
    while window.analysis.is_pending():
        QApplication.processEvents()
        time.sleep(0.01)
    team = next(n.id for n in org.nodes() if n.kind == "dev_team")
    waits = [_one_edit(window, team, number) for number in range(repeat)]
    window.detach()
    window.deleteLater()
    QApplication.processEvents()
    return min(longest for longest, _ in waits), min(whole for _, whole in waits)


def _one_edit(window, team: str, number: int) -> tuple[float, float]:
    """Rename ``team`` and run the window's event loop until the analysis is shown: (longest wait, whole)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    waits: list[float] = []
    last = [0.0]
    started = [0.0]

    def tick():
        now = time.perf_counter()
        waits.append(now - last[0])
        last[0] = now

    def edit():
        last[0] = started[0] = time.perf_counter()
        window.document.edit_node(team, name=f"Renamed team {number}")

    probe = QTimer()
    probe.setInterval(1)
    probe.timeout.connect(tick)
    shown = window.analysis.updated.connect(lambda _result: QTimer.singleShot(0, loop.quit))
    QTimer.singleShot(0, edit)
    QTimer.singleShot(0, probe.start)
    gc.collect()
    loop.exec()
    whole = time.perf_counter() - started[0]
    probe.stop()
    window.analysis.updated.disconnect(shown)
    return max(waits, default=0.0), whole


def measure_cold_start(workdir: Path, repeat: int) -> list[dict]:
    """Wall time from a fresh process to the editor's first painted window on the scale-up sample."""
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", PLANNER_EXIT_WHEN_SHOWN="1", XDG_CONFIG_HOME=str(workdir / "config")
    )
    # As an installed planner starts: pip compiles its bytecode when installing. A checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module from source on each start (0.3 s of the second), so the
    # children may write bytecode, and one unmeasured start writes it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    code = "import sys; from planner.cli import main; sys.exit(main([]))"
    subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, cwd=Path(__file__).parents[1])
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, cwd=Path(__file__).parents[1])
        times.append(time.perf_counter() - start if done.returncode == 0 else float("nan"))
    # The size is the sample's, the chart a user sees at first; a failed start shows as nan, not as fast.
    return [{"size": _sample_size(), "step": "cold start (scale-up sample)", "seconds": min(times)}]


def _sample_size() -> int:
    from planner.io import load_org
    from planner.resources import sample_path

    return len(load_org(sample_path("scaleup"), layout=False))


def measure_check_memory(size: int, workdir: Path) -> list[dict]:
    """Peak memory of ``planner check`` on a file of this size, in a child process."""
    from planner.io import native
    from planner.synthetic import synthetic_org

    path = workdir / f"check-{size}.json"
    native.save(synthetic_org(size, seed=size), path)
    code = (
        "import sys; from planner.cli import main; "
        f"main(['check', {str(path)!r}, '--fail-on', 'never', '--format', 'json']); "
        # VmHWM, unlike ru_maxrss, is not inherited from the parent across exec.
        "sys.stderr.write([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    seconds = time.perf_counter() - start
    peak_mib = int(out.stderr.strip().splitlines()[-1]) / 1024 if out.returncode == 0 else float("nan")
    return [{"size": size, "step": "planner check (process)", "seconds": seconds, "peak_mib": peak_mib}]


def _in_child(code: str) -> tuple[float, float]:
    """Run ``code`` (which sets ``seconds``) in a fresh interpreter: (its ``seconds``, the process's peak MiB)."""
    script = (
        f"{code}\n"
        "import sys\n"
        # VmHWM, unlike ru_maxrss, is not inherited from the parent across exec.
        "peak = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "sys.stderr.write(f'{seconds} {peak}')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    if out.returncode != 0:
        return float("nan"), float("nan")
    seconds, peak = out.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(peak) / 1024


def measure_check_graphml(size: int, workdir: Path) -> list[dict]:
    """``planner check`` of a GraphML file beside networkx merely reading it, each in a process of its own.

    Both are timed inside their process (the interpreter's start left out);
    the check reads, analyses and writes its JSON report.
    """
    from planner.io import graphml
    from planner.synthetic import synthetic_org

    path = workdir / f"check-{size}.graphml"
    graphml.save(synthetic_org(size, seed=size), path)
    timed = "import time\nstart = time.perf_counter()\n{}\nseconds = time.perf_counter() - start"
    networkx, _ = _in_child(timed.format(f"import networkx\nnetworkx.read_graphml({str(path)!r})"))
    check, peak = _in_child(
        timed.format(
            "import io, contextlib\nfrom planner.cli import main\nwith contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main(['check', {str(path)!r}, '--fail-on', 'never', '--format', 'json'])"
        )
    )
    return [
        {
            "size": size,
            "step": "check GraphML",
            "seconds": check,
            "floor": networkx,
            "floor_name": "networkx.read_graphml",
            "peak_mib": peak,
        }
    ]


def measure_hr_import(rows: int, workdir: Path) -> list[dict]:
    """``planner import`` of an HR export of ``rows`` people, as CSV and as XLSX, each in a process of its own.

    The time is the whole import (reading, drafting and laying the org out);
    the peak is the process's. The XLSX file is written with openpyxl when it
    is installed.
    """
    import csv

    from planner.synthetic import hr_export_rows

    table = hr_export_rows(rows, seed=rows)
    files = {"csv": workdir / f"people-{rows}.csv"}
    with files["csv"].open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)
    try:
        import openpyxl
    except ImportError:
        openpyxl = None
    if openpyxl is not None:
        files["xlsx"] = workdir / f"people-{rows}.xlsx"
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for line in table:
            sheet.append(line)
        workbook.save(files["xlsx"])
    del table
    measured = []
    for kind, path in files.items():
        seconds, peak = _in_child(
            "import time\nfrom planner.io.hr_import import import_people\nstart = time.perf_counter()\n"
            f"import_people({str(path)!r})\nseconds = time.perf_counter() - start"
        )
        measured.append({"size": rows, "step": f"HR import ({kind})", "seconds": seconds, "peak_mib": peak})
    return measured


def judge(row: dict) -> str:
    notes = [row["detail"]] if row.get("detail") else []
    budget = BUDGETS.get(row["step"], {}).get(row["size"])
    if budget is not None and "cpu_seconds" in row:
        verdict = "ok" if row["cpu_seconds"] <= budget else "OVER"
        notes.append(f"processor {row['cpu_seconds'] * 1000:.0f} ms (budget {budget * 1000:.0f} ms: {verdict})")
    elif budget is not None:
        notes.append(f"budget {budget * 1000:.0f} ms: {'ok' if row['seconds'] <= budget else 'OVER'}")
    ratio_budget = RATIO_BUDGETS.get(row["step"])
    if ratio_budget and row.get("floor"):
        ratio = row["seconds"] / row["floor"]
        row["ratio"] = ratio
        verdict = "ok" if ratio <= ratio_budget else "OVER"
        notes.append(
            f"{ratio:.2f}× {row['floor_name']} (≤ {ratio_budget:g}×: {verdict})"
            if ratio < 1
            else f"{ratio:.1f}× {row['floor_name']} (≤ {ratio_budget:g}×: {verdict})"
        )
    size_budget = SIZE_BUDGETS.get(row["step"], {}).get(row["size"])
    if size_budget is not None and row.get(size_budget[0]) is not None:
        key, limit, unit = size_budget
        shown = (
            f"{row[key] / 1048576:.1f} MB (≤ {limit / 1048576:g} MB"
            if unit == "bytes"
            else f"{row[key]} {unit} (≤ {limit:g}"
        )
        notes.append(f"{shown}: {'ok' if row[key] <= limit else 'OVER'})")
    elif row["step"] in SIZE_BUDGETS and "bytes" in row:
        pages = f"{row['pages']} pages, " if row.get("pages") else ""
        notes.append(f"{pages}{row['bytes'] / 1024:.0f} KB")
    if "analysis_seconds" in row:
        notes.append(f"on top of the analysis ({row['analysis_seconds'] * 1000:.0f} ms)")
    if "peak_mib" in row:
        limit = PEAK_BUDGETS.get(row["step"], 300)
        verdict = "ok" if row["peak_mib"] <= limit else "OVER"
        notes.append(f"peak {row['peak_mib']:.0f} MiB (≤ {limit}: {verdict})")
    row["verdict"] = "; ".join(notes)
    return row["verdict"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="planner bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per step; the fastest counts")
    parser.add_argument("--json", action="store_true", help="print JSON (stable figure names) instead of a table")
    parser.add_argument("--no-gui", action="store_true", help="skip the scene and frame steps")
    parser.add_argument(
        "--compare",
        nargs="+",
        metavar="RUN.json",
        help="OLD.json: run, then print each figure's change from OLD; OLD.json NEW.json: compare "
        "two saved runs without running",
    )
    parser.add_argument(
        "--table", metavar="RUN.json", help="print the README's performance table from a saved run, without running"
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        help="how far a figure may move before it is marked (default 0.15: 15%%)",
    )
    args = parser.parse_args(argv)
    if args.compare and len(args.compare) > 2:
        parser.error("--compare takes OLD.json, or OLD.json NEW.json")
    try:
        if args.table:
            print(markdown_table(read_document(args.table)))
            return 0
        old = read_run(args.compare[0]) if args.compare else None
        if args.compare and len(args.compare) == 2:
            print(format_changes(compare(old, read_run(args.compare[1]), args.tolerance)))
            return 0
    except BenchFileError as exc:
        print(f"planner bench: {exc}", file=sys.stderr)
        return 2
    report = document(_machine(), run(args))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    if old is not None:
        print(format_changes(compare(old, report["figures"], args.tolerance)), file=sys.stderr if args.json else None)
    return 0


def run(args: argparse.Namespace) -> list[dict]:
    """Every step at every size asked for, judged against its budget."""
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for size in args.sizes:
            rows += measure_headless(size, workdir, args.repeat)
            if size <= 10_000:
                rows += measure_figures(size, args.repeat)
            if not args.no_gui:
                rows += measure_gui(size, workdir, args.repeat)
                rows += measure_window_open(size, workdir)
            if size <= 10_000:
                rows += measure_report(size, workdir)
            if size == max(args.sizes):
                rows += measure_check_memory(size, workdir)
                rows += measure_check_graphml(size, workdir)
                rows += measure_hr_import(3 * size, workdir)
        if not args.no_gui:
            rows += measure_cold_start(workdir, args.repeat)
    for row in rows:
        judge(row)
    return rows


def _machine() -> dict:
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "system": platform.system(),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def print_table(report: dict) -> None:
    machine = report["machine"]
    print(f"Python {machine['python']} on {machine['system']} {machine['machine']}, {machine['cpus']} CPUs")
    print(f"{'size':>8}  {'step':<26} {'time':>10}  {'floor':>10}  verdict")
    for row in report["rows"]:
        floor = f"{row['floor'] * 1000:9.1f}ms" if row.get("floor") else ""
        print(f"{row['size']:>8}  {row['step']:<26} {row['seconds'] * 1000:9.1f}ms  {floor:>10}  {row['verdict']}")


if __name__ == "__main__":
    sys.exit(main())
