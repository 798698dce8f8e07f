"""The benchmark's figures under stable names, and two runs of it compared figure by figure.

``planner bench --json`` writes, beside its rows, a flat table of *figures*:
``"<step key>/<size>/<measure>"`` (``"load/10000/seconds"``,
``"check-graphml/100000/peak_mib"``) to a number. The step keys are fixed in
:data:`STEP_KEYS`, so a step's wording may change in the printed table without
breaking a saved run. ``planner bench --compare OLD.json`` prints, for each
figure found in both runs, the old value, the new one and their ratio, and
marks the ratios past the tolerance: a regression is seen at a glance. Every
figure is a cost (time, memory, pages, a ratio to a floor): lower is better.
No Qt here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: The bench JSON's format name and version: a reader refuses what it does not know.
FORMAT = "planner-bench"
VERSION = 1

#: Printed step → its stable key in the JSON. A new step gets a new key; a key is never reused for another step.
STEP_KEYS: dict[str, str] = {
    "load": "load",
    "save": "save",
    "analysis": "analysis",
    "staffing plan": "staffing-plan",
    "re-analysis after edit": "reanalysis-after-edit",
    "incremental re-analysis": "incremental-reanalysis",
    "re-analysis after any edit": "reanalysis-after-any-edit",
    "gaps panel update after any edit": "gaps-panel-update-after-any-edit",
    "gaps panel update": "gaps-panel-update",
    "layout": "layout",
    "scene build": "scene-build",
    "scene teardown": "scene-teardown",
    "scene teardown after use": "scene-teardown-after-use",
    "first frame": "first-frame",
    "open in the window": "window-first-frame",
    "fit-all frame": "fit-all-frame",
    "zoomed-in frame": "zoomed-in-frame",
    "zoom in: first frame": "zoom-in-first-frame",
    "edit: longest wait": "edit-longest-wait",
    "edit until gaps shown": "edit-until-gaps-shown",
    "cold start (scale-up sample)": "cold-start",
    "slowest report figure": "slowest-report-figure",
    "PDF report": "pdf-report",
    "HTML report": "html-report",
    "HTML report in a browser": "html-report-in-browser",
    "planner check (process)": "check-process",
    "check GraphML": "check-graphml",
    "HR import (csv)": "hr-import-csv",
    "HR import (xlsx)": "hr-import-xlsx",
}

#: The measures of a row that become figures (``ratio`` is worked out by the judging, from ``floor``).
MEASURES = ("seconds", "floor", "ratio", "cpu_seconds", "peak_mib", "pages", "bytes")

#: How far a figure may move before it is marked: 15 % (the spread of a timing on a shared machine).
DEFAULT_TOLERANCE = 0.15


class BenchFileError(ValueError):
    """A file given to ``--compare`` is not a benchmark run; the message names it."""


def step_key(step: str) -> str:
    """The stable key of a printed step (a step missing from :data:`STEP_KEYS` gets its words, hyphenated)."""
    return STEP_KEYS.get(step) or re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")


def row_key(row: dict) -> str:
    return f"{step_key(row['step'])}/{row['size']}"


def figures_of(rows: Iterable[dict]) -> dict[str, float]:
    """The flat table of figures of these rows: ``"<step key>/<size>/<measure>"`` → number."""
    figures: dict[str, float] = {}
    for row in rows:
        key = row.get("key") or row_key(row)
        for measure in MEASURES:
            value = row.get(measure)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
                figures[f"{key}/{measure}"] = float(value)
    return figures


def document(machine: dict, rows: list[dict]) -> dict:
    """What ``planner bench --json`` prints: format, machine, the rows (each with its key) and the figures."""
    for row in rows:
        row["key"] = row_key(row)
    return {"format": FORMAT, "version": VERSION, "machine": machine, "rows": rows, "figures": figures_of(rows)}


def read_run(path: str | Path) -> dict[str, float]:
    """The figures of a saved run (``planner bench --json`` output, this version or the rows-only one before it)."""
    data = read_document(path)
    figures = data.get("figures")
    if isinstance(figures, dict):
        return {key: float(value) for key, value in figures.items() if isinstance(value, (int, float))}
    return figures_of(row for row in data["rows"] if isinstance(row, dict) and {"step", "size"} <= row.keys())


def read_document(path: str | Path) -> dict:
    """A saved ``planner bench --json`` run, checked to be one; :class:`BenchFileError` names the file if not."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BenchFileError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise BenchFileError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise BenchFileError(f"{path}: not the output of 'planner bench --json'")
    if data.get("version", VERSION) > VERSION:
        raise BenchFileError(f"{path}: written by a newer planner (bench format {data['version']})")
    return data


@dataclass(frozen=True)
class Change:
    """One figure in two runs: ``old`` or ``new`` is None when only the other run has it."""

    figure: str
    old: float | None
    new: float | None
    tolerance: float = DEFAULT_TOLERANCE

    @property
    def ratio(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        if self.old == 0:
            return 1.0 if self.new == 0 else float("inf")
        return self.new / self.old

    @property
    def verdict(self) -> str:
        """``regression``, ``better``, ``same``, ``new`` (only in the new run) or ``gone`` (only in the old)."""
        if self.old is None:
            return "new"
        if self.new is None:
            return "gone"
        ratio = self.ratio
        if ratio > 1 + self.tolerance:
            return "regression"
        if ratio < 1 / (1 + self.tolerance):
            return "better"
        return "same"


def compare(old: dict[str, float], new: dict[str, float], tolerance: float = DEFAULT_TOLERANCE) -> list[Change]:
    """Every figure of either run, in the new run's order, then those only the old run has."""
    names = list(new) + [name for name in old if name not in new]
    return [Change(name, old.get(name), new.get(name), tolerance) for name in names]


def _shown(figure: str, value: float | None) -> str:
    if value is None:
        return "—"
    measure = figure.rsplit("/", 1)[-1]
    if measure in ("seconds", "floor", "cpu_seconds"):
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if measure == "ratio":
        return f"{value:.2f}×"
    if measure == "peak_mib":
        return f"{value:.0f} MiB"
    return f"{value:g}"


_MARKS = {"regression": "REGRESSION", "better": "better", "same": "", "new": "new", "gone": "gone"}


def format_changes(changes: list[Change]) -> str:
    """The comparison as a table: figure, old, new, new/old, and a mark on what moved past the tolerance."""
    width = max((len(change.figure) for change in changes), default=6)
    lines = [f"{'figure':<{width}}  {'old':>10}  {'new':>10}  {'new/old':>8}  change"]
    for change in changes:
        ratio = "" if change.ratio is None else f"{change.ratio:.2f}×"
        lines.append(
            f"{change.figure:<{width}}  {_shown(change.figure, change.old):>10}  "
            f"{_shown(change.figure, change.new):>10}  {ratio:>8}  {_MARKS[change.verdict]}".rstrip()
        )
    regressions = sum(change.verdict == "regression" for change in changes)
    better = sum(change.verdict == "better" for change in changes)
    tolerance = changes[0].tolerance if changes else DEFAULT_TOLERANCE
    lines.append(f"{regressions} regressed, {better} better, beyond ±{tolerance:.0%}")
    return "\n".join(lines)


#: The README's performance table: (step key, what it is, its budget), in the order shown.
README_ROWS: tuple[tuple[str, str, str], ...] = (
    ("load", "load native file", "≤ 2× `json.load`"),
    ("save", "save native file", "≤ 2× `json.dump`"),
    ("analysis", "full analysis", "≤ 0.1 s at 10k, ≤ 1.5 s at 100k, ≤ 10× bare pass"),
    ("reanalysis-after-edit", "full re-analysis after an edit", ""),
    ("incremental-reanalysis", "re-analysis after a rename (the editor's)", "≤ 5 ms at 10k, ≤ 30 ms at 100k"),
    (
        "reanalysis-after-any-edit",
        "re-analysis after any edit (the editor's, slowest kind of edit)",
        "≤ 5 ms at 10k, ≤ 30 ms at 100k",
    ),
    ("gaps-panel-update", "gaps panel update after a rename", "≤ 16 ms at 10k"),
    ("gaps-panel-update-after-any-edit", "gaps panel update after any edit (slowest kind)", "≤ 16 ms at 10k"),
    ("layout", "auto-layout (layered)", "≤ 3 s at 10k, ≤ 1 s at 100k"),
    ("window-first-frame", "open in the editor's window to its first frame (chart and map)", "≤ 3 s at 100k"),
    ("first-frame", "open to first frame, bare view (read, build, paint)", ""),
    ("scene-build", "scene build (until paintable)", "≤ 1.5 s at 10k"),
    ("scene-teardown", "closing the org's scene, just opened", "≤ 0.5 s at 100k"),
    ("scene-teardown-after-use", "closing it after it was shown and zoomed in", "≤ 0.5 s at 100k"),
    ("fit-all-frame", "fit-all frame", "≤ 150 ms at 10k, ≤ 50 ms at 100k"),
    ("zoom-in-first-frame", "zooming in to 100 %, until painted (items made)", ""),
    ("zoomed-in-frame", "zoomed-in frame (100 %)", "≤ 16 ms at 10k and 100k"),
    ("edit-longest-wait", "longest wait of the window during an edit", "≤ 50 ms"),
    ("pdf-report", "PDF gap report, on top of the analysis", "≤ 2 s processor at 10k"),
    ("check-process", "`planner check` of a native file (process)", "≤ 300 MB"),
    ("check-graphml", "`planner check` of GraphML, beside `networkx.read_graphml`", "≤ 0.7×, ≤ 200 MB at 100k"),
    ("hr-import-csv", "HR import of 3× as many rows, CSV", "≤ 15 s, ≤ 500 MB at 300,000 rows"),
    ("hr-import-xlsx", "HR import of 3× as many rows, XLSX", "≤ 15 s, ≤ 500 MB at 300,000 rows"),
    ("cold-start", "cold start to a painted window (scale-up sample)", "≤ 1 s"),
)
#: Steps measured at three times the org's size (an HR export has a row per person; the org draws a third).
_TRIPLED = ("hr-import-csv", "hr-import-xlsx")


def _seconds(value: float) -> str:
    if value < 0.01:
        return f"{value * 1000:.1f} ms"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def _cell(row: dict | None, first: bool) -> str:
    if row is None:
        return ""
    text = _seconds(row["seconds"]) if row.get("seconds") == row.get("seconds") else "failed"
    if row.get("floor") and row.get("ratio"):
        text += f" ({row['ratio']:.2g}× {row['floor_name']})" if first else f" ({row['ratio']:.2g}×)"
    if row.get("peak_mib"):
        text += f", peak {row['peak_mib']:.0f} MiB"
    return text


def markdown_table(run: dict, sizes: tuple[int, ...] = (1_000, 10_000, 100_000)) -> str:
    """The README's performance table from a saved ``planner bench --json`` run: figures beside their budgets."""
    by_key = {row.get("key") or row_key(row): row for row in run["rows"]}
    header = "| step | " + " | ".join(f"{size:,}" for size in sizes) + " | budget |"
    lines = [header, "| --- | " + " | ".join("---:" for _ in sizes) + " | --- |"]
    for key, what, budget in README_ROWS:
        if key == "cold-start":
            row = next((r for k, r in by_key.items() if k.startswith("cold-start/")), None)
            cells = [_cell(row, True)] + [""] * (len(sizes) - 1)
        else:
            factor = 3 if key in _TRIPLED else 1
            found = [by_key.get(f"{key}/{size * factor}") for size in sizes]
            if not any(found):
                continue
            first = next(index for index, row in enumerate(found) if row)
            cells = [_cell(row, index == first) for index, row in enumerate(found)]
        lines.append(f"| {what} | " + " | ".join(cells) + f" | {budget} |")
    return "\n".join(lines)
