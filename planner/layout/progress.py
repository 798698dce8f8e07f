"""Progress reports from the automatic layouts, and how a caller stops one midway.

A layout takes an optional ``progress`` callable and calls it as
``progress(done, total)``: once with ``done == 0`` before the first step, so
the caller learns how many steps there are, then after every step. A step is
one pass of the algorithm over the whole graph (a dozen or so per layout), so
the calls cost nothing measurable. When the callable returns ``False`` the
layout stops at once and raises :class:`LayoutCancelled`; any other answer,
``None`` included, lets it go on. The layouts never touch the org they were
given while they run, so stopping one leaves nothing half done. The callable
is called on the thread that runs the layout: a GUI running a layout in a
worker thread must hand the figures over to its own thread itself.
"""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(done, total)``; returning ``False`` cancels the layout.
Progress = Callable[[int, int], "bool | None"]


class LayoutCancelled(Exception):
    """The ``progress`` callable asked a layout to stop; no positions were produced."""


class Steps:
    """Counts a layout's steps and reports each one to an optional ``progress`` callable.

    Examples
    --------
    >>> seen = []
    >>> steps = Steps(lambda done, total: seen.append((done, total)), 2)
    >>> steps.advance()
    >>> steps.advance()
    >>> seen
    [(0, 2), (1, 2), (2, 2)]
    >>> Steps(lambda done, total: False, 3)
    Traceback (most recent call last):
        ...
    planner.layout.progress.LayoutCancelled: layout cancelled at step 0 of 3
    """

    def __init__(self, progress: Progress | None, total: int) -> None:
        self._progress = progress
        self.total = total
        self.done = 0
        self._report()

    def advance(self) -> None:
        """One more step done: report it, and stop the layout if the caller says so."""
        self.done = min(self.total, self.done + 1)
        self._report()

    def finish(self) -> None:
        """Every step done (a layout with nothing to place skips straight here)."""
        if self.done < self.total:
            self.done = self.total
            self._report()

    def _report(self) -> None:
        if self._progress is not None and self._progress(self.done, self.total) is False:
            raise LayoutCancelled(f"layout cancelled at step {self.done} of {self.total}")
