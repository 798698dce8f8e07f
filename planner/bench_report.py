"""The benchmark's report figures: writing the gap report of a large org, and showing it in a browser."""

from __future__ import annotations

import gc
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure_report(size: int, workdir: Path) -> list[dict]:
    """The gap report as PDF and HTML, on top of the analysis: time, pages and bytes (no Qt involved).

    ``seconds`` is wall-clock time; ``cpu_seconds`` the processor time of this
    process, which a machine busy with other work does not inflate. Writing a
    report is single-threaded, so on an idle machine the two agree; the budget
    is judged on the processor time.
    """
    from planner.analysis import analyze
    from planner.report import write_report
    from planner.synthetic import synthetic_org

    org = synthetic_org(size, seed=size)
    analysis = best_of(lambda: analyze(org), 3)
    analysis_cpu = _best_cpu(lambda: analyze(org), 3)
    rows = []
    for extension, step in ((".pdf", "PDF report"), (".html", "HTML report")):
        out = workdir / f"report-{size}{extension}"
        seconds = best_of(lambda out=out: write_report(org, out), 2)
        cpu = _best_cpu(lambda out=out: write_report(org, out), 1)
        row = {
            "size": size,
            "step": step,
            "seconds": max(0.0, seconds - analysis),
            "cpu_seconds": max(0.0, cpu - analysis_cpu),
            "analysis_seconds": analysis,
            "bytes": out.stat().st_size,
        }
        if extension == ".pdf":
            row["pages"] = _pdf_pages(out)
        rows.append(row)
        if extension == ".html":
            shown = browser_display_seconds(out)
            if shown is not None:
                rows.append({"size": size, "step": "HTML report in a browser", "seconds": shown})
    return rows


#: Browsers the benchmark looks for to time the HTML report's display.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FRAME = """<!DOCTYPE html><html><body><script>var t0 = performance.now();</script>
<iframe style="width:1200px;height:1600px" src="{name}" onload="requestAnimationFrame(function () {{
document.body.setAttribute('data-ms', String(performance.now() - t0)); }})"></iframe></body></html>"""


def browser_display_seconds(page: Path, repeat: int = 2) -> float | None:
    """How long a headless browser takes to load, lay out and paint ``page`` (best of ``repeat``; None: no browser).

    The page is opened in a frame of a small page that notes the time from its start until the frame has loaded
    and the next frame is drawn; the browser's own start-up is not counted.
    """
    import re
    import shutil

    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        return None
    frame = page.with_name(page.stem + "-timing.html")
    frame.write_text(_FRAME.format(name=page.name), encoding="utf-8")
    times = []
    for _ in range(repeat):
        try:
            done = subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--dump-dom",
                    frame.as_uri(),
                ],
                capture_output=True,
                text=True,
                timeout=120,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        found = re.search(r'data-ms="([0-9.]+)"', done.stdout)
        if found:
            times.append(float(found.group(1)) / 1000)
    return min(times) if times else None


def _best_cpu(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def _pdf_pages(path: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(path).pages)


def measure_figures(size: int, repeat: int) -> list[dict]:
    """The slowest of the report's figures (planner.report.figures) drawn for an org of this size."""
    from planner.analysis import analyze
    from planner.report import figures
    from planner.synthetic import synthetic_org

    org = synthetic_org(size, seed=size)
    severity: dict[str, str] = {}
    for finding in analyze(org).findings:
        for node_id in finding.nodes:
            severity.setdefault(node_id, finding.severity)
    graph = org.graph
    spans = [sum(1 for kinds in graph.pred[node.id].values() if "reports_to" in kinds) for node in org.nodes()]
    products = [node for node in org.nodes() if node.kind == "product"]
    rows = [(product.label, 8, 1) for product in products]
    areas = [(product.label, {"ownership": 1, "risk": index % 3}) for index, product in enumerate(products)]
    hub = max(org.nodes(), key=lambda node: graph.in_degree(node.id)).id
    figures.register_fonts()  # once per process, as a report does: not a figure's cost
    steps = {
        "span of control": lambda: figures.span_of_control_chart(spans, 10, 480),
        "people per product": lambda: figures.people_per_product_chart(rows, 480),
        "findings by area": lambda: figures.findings_by_area_chart(areas, 480),
        "focus diagram": lambda: figures.focus_diagram(org, [hub], severity, 480),
        "product overview": lambda: figures.product_overview(org, severity, 480),
        "org chart": lambda: figures.org_chart(org, severity, 480, 680),
    }
    times = {name: best_of(step, repeat) for name, step in steps.items()}
    slowest = max(times, key=times.__getitem__)
    # Judged on processor time, as the report is: a machine busy with other work does not inflate it.
    cpu = _best_cpu(steps[slowest], repeat)
    return [
        {
            "size": size,
            "step": "slowest report figure",
            "seconds": times[slowest],
            "cpu_seconds": cpu,
            "detail": slowest,
        }
    ]
