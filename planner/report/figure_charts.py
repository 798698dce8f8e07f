"""The report's bar charts: span of control, people per product, findings by area, before and after.

Re-exported by :mod:`planner.report.figures`, which callers import them from.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing

from planner.model.vocabulary import (
    DEV_TEAM,
)
from planner.report.figure_kit import (
    _EXTRA_AREA_COLORS,
    _GRID,
    _LINE,
    _SECONDARY,
    _TEXT,
    _WITHIN,
    AREA_COLORS,
    KIND_COLORS,
    MIN_TEXT_SIZE,
    SEVERITIES,
    SEVERITY_COLORS,
    TOP_ROWS,
    _clean,
    _fit_or_break,
    _natural_key,
    _plural,
    _Sketch,
    _text_on,
    _tint,
    _width,
    _wrap,
)
from planner.report.figure_legends import _box_swatch, _legend, _ordered

# -- bar charts ----------------------------------------------------------------------------------


def _nice_step(largest: float, ticks: int = 4) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) for an axis reaching ``largest``."""
    raw = max(largest, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return max(1.0, factor * power)
    return max(1.0, 10 * power)


def _span_bins(largest: int, limit: int) -> list[tuple[int, int]]:
    """Ranges of direct reports (inclusive): single values up to a small limit, wider ranges beyond it.

    The ranges split exactly at the limit, so that the limit's line falls
    between two bars; above it they widen (15, 20, 30, 50, 75, 100, 150...)
    so that a span of hundreds still takes a handful of bars.
    """
    limit = max(0, limit)
    bins: list[tuple[int, int]] = []
    if limit <= 15:
        bins += [(value, value) for value in range(1, limit + 1)]
    else:
        step = _nice_step(limit, 10)
        high = limit
        while high >= 1:
            low = max(1, int(high - step + 1))
            bins.insert(0, (low, high))
            high = low - 1
    low = limit + 1
    while low <= largest:
        high = next(edge for edge in _round_edges() if edge >= low)
        bins.append((low, high))
        low = high + 1
    return bins


def _round_edges() -> Iterable[int]:
    yield from (1, 2, 3, 5, 7)
    power = 1
    while True:
        for factor in (10, 15, 20, 30, 50, 75):
            yield factor * power
        power *= 10


def _range_label(low: int, high: int) -> str:
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def span_of_control_chart(spans: list[int], limit: int, width: float) -> Drawing | None:
    """How many managers have how many direct reports: bars of managers per span, the limit marked.

    Spans above the limit are in the warning colour, and the profile's limit is
    a dashed line between the last bar within it and the first over it.
    Beyond the limit the bars cover widening ranges (11–15, 16–20, 21–30...),
    so a span of hundreds still takes only a handful of bars. Managers with no
    reports are left out; None when no manager has any.
    """
    values = sorted(value for value in spans if value > 0)
    if not values:
        return None
    limit = max(0, int(limit))
    bins = _span_bins(values[-1], limit)
    counts = [bisect.bisect_right(values, high) - bisect.bisect_left(values, low) for low, high in bins]
    within = sum(1 for _, high in bins if high <= limit)
    over_count = sum(count for (low, _), count in zip(bins, counts, strict=True) if low > limit)
    sketch = _Sketch()
    size = 7.5

    within_label = f"within the limit of {limit:,}: {_plural(len(values) - over_count, 'manager', 'managers')}"
    legend_bottom = _legend(
        sketch,
        0,
        width,
        [
            (_box_swatch(sketch, _WITHIN), 9, within_label),
            (
                _box_swatch(sketch, SEVERITY_COLORS["warning"]),
                9,
                f"over it: {_plural(over_count, 'manager', 'managers')}",
            ),
        ],
    )
    step = _nice_step(max(counts))
    top_value = step * math.ceil(max(counts) / step)
    tick_labels = [f"{int(step * i):,}" for i in range(int(round(top_value / step)) + 1)]
    left = max(_width(label, size) for label in tick_labels) + 16
    right = 4.0
    slot = (width - left - right) / len(bins)
    labels = [_range_label(low, high) for low, high in bins]
    rotate = max(_width(label, size) for label in labels) > slot - 2
    label_room = (max(_width(label, size) for label in labels) + 4) if rotate else size * 1.6
    plot_top = legend_bottom + 26  # room for the limit's label above the bars' values
    plot_height = max(90.0, min(180.0, width * 0.3))
    base = plot_top + plot_height

    for i, label in enumerate(tick_labels):
        y = base - plot_height * i / (len(tick_labels) - 1)
        sketch.line(left, y, width - right, y, _GRID, 0.6)
        sketch.text(left - 4, y + size * 0.35, label, size, color=_SECONDARY, anchor="end")
    sketch.text(size, plot_top + plot_height / 2, "managers", size, color=_SECONDARY, anchor="middle", rotate=True)
    bar_width = slot * 0.72
    for i, ((low, _high), count, label) in enumerate(zip(bins, counts, labels, strict=True)):
        centre = left + slot * (i + 0.5)
        colour = SEVERITY_COLORS["warning"] if low > limit else _WITHIN
        if count:
            height = max(3.0, plot_height * count / top_value)
            sketch.rect(centre - bar_width / 2, base - height, bar_width, height, colour)
            value = f"{count:,}"
            if _width(value, size) <= slot + 2:
                sketch.text(centre, base - height - 2.5, value, size, bold=low > limit, color=colour, anchor="middle")
        if rotate:
            sketch.text(centre + size * 0.35, base + 4, label, size, color=_TEXT, anchor="end", rotate=True)
        else:
            sketch.text(centre, base + 4 + size, label, size, color=_TEXT, anchor="middle")
    sketch.line(left, base, width - right, base, _LINE, 0.8)

    limit_x = left + slot * within
    sketch.line(limit_x, legend_bottom + 2, limit_x, base, SEVERITY_COLORS["warning"], 1.2, (3, 2))
    limit_label = f"limit {limit:,}"
    label_width = _width(limit_label, size, bold=True)
    if limit_x + 3 + label_width <= width:
        sketch.text(limit_x + 3, legend_bottom + 9, limit_label, size, bold=True, color=SEVERITY_COLORS["warning"])
    else:
        sketch.text(
            limit_x - 3, legend_bottom + 9, limit_label, size, bold=True, color=SEVERITY_COLORS["warning"], anchor="end"
        )
    axis_top = base + label_room + 4
    sketch.text(
        left + (width - left - right) / 2,
        axis_top + size,
        "direct reports per manager",
        size,
        color=_SECONDARY,
        anchor="middle",
    )
    return sketch.drawing(width, axis_top + size + 4)


@dataclass(frozen=True)
class _BarRow:
    """One row of a horizontal bar chart: its name, its bar's segments (value, colour) and the label after it."""

    name: str
    segments: tuple[tuple[int, str], ...]
    label: str


def _row_chart(
    width: float,
    rows: Sequence[_BarRow],
    legend: Sequence[tuple[Callable[[float, float], None], float, str]],
    sketch: _Sketch,
    note: str = "",
    label_segments: bool = False,
) -> Drawing:
    """Horizontal bars, one per row, names on the left wrapped onto up to three lines, labels after the bars."""
    name_sizes = (8.0, 7.5, 7.0)
    label_size = 7.5
    top = _legend(sketch, 0, width, legend) + (4 if legend else 0)
    longest = max(_width(row.name, name_sizes[0]) for row in rows)
    name_column = max(60.0, min(width * 0.38, longest + 8))
    label_column = max(_width(row.label, label_size) for row in rows) + 6
    bar_left = name_column
    bar_room = max(20.0, width - bar_left - label_column)
    largest = max(sum(value for value, _ in row.segments) for row in rows) or 1
    y = top
    for row in rows:
        size, lines = _fit_or_break(row.name, name_sizes, name_column - 8, 3)
        leading = size * 1.2
        pitch = max(15.0, leading * len(lines) + 5)
        middle = y + pitch / 2
        sketch.lines(name_column - 6, middle - leading * len(lines) / 2, lines, size, anchor="end", leading=leading)
        bar_height = 10.0
        x = bar_left
        for value, colour in row.segments:
            if value <= 0:
                continue
            length = max(1.0, bar_room * value / largest)
            sketch.rect(x, middle - bar_height / 2, length, bar_height, colour)
            text = f"{value:,}"
            if label_segments and _width(text, MIN_TEXT_SIZE) + 3 <= length:
                sketch.text(
                    x + length / 2,
                    middle + MIN_TEXT_SIZE * 0.35,
                    text,
                    MIN_TEXT_SIZE,
                    color=_text_on(colour),
                    anchor="middle",
                )
            x += length
        sketch.text(x + 4, middle + label_size * 0.35, row.label, label_size, color=_TEXT)
        y += pitch
    sketch.line(bar_left, top, bar_left, y, _LINE, 0.8)
    if note:
        note_lines = _wrap(note, 7.5, width, 3) or [note]
        y = sketch.lines(0, y + 4, note_lines, 7.5, color=_SECONDARY)
    return sketch.drawing(width, y + 2)


def people_per_product_chart(rows: list[tuple[str, int, int]], width: float) -> Drawing | None:
    """People per product, most first, each bar labelled with its people and teams.

    ``rows`` are (product name, people, teams). Beyond :data:`TOP_ROWS`
    products the chart shows the largest and a line inside the drawing says
    how many more products there are and how many people and teams they hold.
    None when there is no product.
    """
    rows = [(_clean(name), max(0, int(people)), max(0, int(teams))) for name, people, teams in rows]
    if not rows:
        return None
    rows.sort(key=lambda row: (-row[1], _natural_key(row[0])))
    shown, rest = rows[:TOP_ROWS], rows[TOP_ROWS:]
    colour = KIND_COLORS[DEV_TEAM]
    bars = [
        _BarRow(
            name or "(unnamed)",
            ((people, colour),),
            f"{_plural(people, 'person', 'people')} · {_plural(teams, 'team', 'teams')}",
        )
        for name, people, teams in shown
    ]
    note = ""
    if rest:
        people = sum(row[1] for row in rest)
        teams = sum(row[2] for row in rest)
        note = (
            f"{_plural(len(rest), 'smaller product', 'smaller products')} not shown: "
            f"{_plural(people, 'person', 'people')} in {_plural(teams, 'team', 'teams')} between them."
        )
    return _row_chart(width, bars, [], _Sketch(), note)


def findings_by_area_chart(rows: list[tuple[str, dict[str, int]]], width: float) -> Drawing | None:
    """Findings per product as stacked bars, one colour per area (ownership, structure, load, alignment, risk).

    Products with the most findings come first; beyond :data:`TOP_ROWS` a line
    inside the drawing says how many more products have findings, and how
    many. Products without findings are left out; None when none has any.
    """
    cleaned = []
    for name, counts in rows:
        counts = {str(area): max(0, int(count)) for area, count in counts.items() if count}
        if sum(counts.values()):
            cleaned.append((_clean(name) or "(unnamed)", counts))
    if not cleaned:
        return None
    cleaned.sort(key=lambda row: (-sum(row[1].values()), _natural_key(row[0])))
    areas = _ordered((area for _, counts in cleaned for area in counts), tuple(AREA_COLORS))
    extra = iter(_EXTRA_AREA_COLORS * (len(areas) // len(_EXTRA_AREA_COLORS) + 1))
    colours = {area: AREA_COLORS.get(area) or next(extra) for area in areas}
    shown, rest = cleaned[:TOP_ROWS], cleaned[TOP_ROWS:]
    bars = [
        _BarRow(
            name,
            tuple((counts.get(area, 0), colours[area]) for area in areas),
            _plural(sum(counts.values()), "finding", "findings"),
        )
        for name, counts in shown
    ]
    sketch = _Sketch()
    legend = [(_box_swatch(sketch, colours[area]), 9, area) for area in areas]
    note = ""
    if rest:
        total = sum(sum(counts.values()) for _, counts in rest)
        note = (
            f"{_plural(len(rest), 'product', 'products')} with fewer findings not shown: "
            f"{_plural(total, 'finding', 'findings')} between them."
        )
    return _row_chart(width, bars, legend, sketch, note, label_segments=True)


def before_after_chart(
    before: dict[str, int], after: dict[str, int], width: float, labels: tuple[str, str] = ("before", "after")
) -> Drawing | None:
    """Errors, warnings and infos before and after a reorg (or a plan): pairs of bars, every value labelled.

    The bar before is a pale tint of the severity's colour, the bar after
    the full colour; ``labels`` name the two in the legend. None when both sides have no finding at all.
    """
    values = [
        (max(0, int(before.get(severity, 0) or 0)), max(0, int(after.get(severity, 0) or 0))) for severity in SEVERITIES
    ]
    if not any(old or new for old, new in values):
        return None
    sketch = _Sketch()
    size = 7.5
    top = (
        _legend(
            sketch,
            0,
            width,
            [
                (_box_swatch(sketch, _tint(_LINE, 0.3), _LINE), 9, labels[0]),
                (_box_swatch(sketch, _LINE), 9, labels[1]),
            ],
        )
        + 14
    )
    plot_height = 110.0
    base = top + plot_height
    largest = max(max(pair) for pair in values) or 1
    group = width / len(SEVERITIES)
    bar_width = min(38.0, group * 0.3)
    names = {"error": "Errors", "warning": "Warnings", "info": "Notes (info)"}
    for index, (severity, (old, new)) in enumerate(zip(SEVERITIES, values, strict=True)):
        colour = SEVERITY_COLORS[severity]
        centre = group * (index + 0.5)
        for offset, value, fill, bold in ((-0.55, old, _tint(colour, 0.3), False), (0.55, new, colour, True)):
            x = centre + offset * bar_width - bar_width / 2
            height = plot_height * value / largest
            if value:
                sketch.rect(x, base - height, bar_width, max(1.0, height), fill, colour, 0.8)
            sketch.text(
                x + bar_width / 2, base - height - 3, f"{value:,}", size + 0.5, bold=bold, color=colour, anchor="middle"
            )
        sketch.text(centre, base + 4 + size + 1, names[severity], size + 0.5, bold=True, color=_TEXT, anchor="middle")
        change = new - old
        verdict = "no change" if not change else f"{change:+,}"
        sketch.text(centre, base + 6 + 2 * (size + 1), verdict, size, color=_SECONDARY, anchor="middle")
    sketch.line(0, base, width, base, _LINE, 0.8)
    return sketch.drawing(width, base + 8 + 2 * (size + 1))
