"""Letting go of a large chart's drawing data a slice at a time, so that closing the chart does not hold the window.

Far out, a 100,000-card chart is drawn from a quarter of a million Qt
rectangles and lines (:mod:`planner.chart.blocks`), each a Python object
with its C++ value behind it. Freeing them all at once, when the org is
closed or replaced, took 0.3 to 0.6 s on the window's thread. Handed to
:func:`release_later`, they are freed a slice at a time, one slice per turn
of the event loop: the window paints and takes clicks between slices, and the
whole work is done within a second or so of closing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from PySide6.QtCore import QTimer

#: Objects freed per turn of the event loop: a few milliseconds of work.
SLICE = 20_000

_pending: deque[list | dict] = deque()


def release_later(containers: Iterable[list | dict | None]) -> None:
    """Empty each list or dict a slice at a time, after this turn of the event loop (the caller drops its own
    references; what nothing else refers to is freed as it is taken out)."""
    was_idle = not _pending
    _pending.extend(container for container in containers if container)
    if was_idle and _pending:
        QTimer.singleShot(0, _release_a_slice)


def pending() -> int:
    """How many objects are still waiting to be let go (what tests look at)."""
    return sum(map(len, _pending))


def _release_a_slice() -> None:
    budget = SLICE
    while _pending and budget > 0:
        container = _pending[0]
        count = min(budget, len(container))
        if isinstance(container, dict):
            for _ in range(count):
                container.popitem()
        else:
            del container[len(container) - count :]
        budget -= count
        if not container:
            _pending.popleft()
    if _pending:
        QTimer.singleShot(0, _release_a_slice)
