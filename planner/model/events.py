"""A tiny signal/slot mechanism in plain Python.

The model must not depend on Qt, yet the canvas and the panels need to follow
it; a :class:`Signal` is a list of callbacks that are called in order when the
model changes.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any


class Signal:
    """A list of callbacks called with the same arguments on :meth:`emit`."""

    __slots__ = ("_slots", "_blocked")

    def __init__(self) -> None:
        self._slots: list[Callable[..., Any]] = []
        self._blocked = 0

    def connect(self, slot: Callable[..., Any]) -> None:
        if slot not in self._slots:
            self._slots.append(slot)

    def disconnect(self, slot: Callable[..., Any]) -> None:
        try:
            self._slots.remove(slot)
        except ValueError:
            pass

    def emit(self, *args: Any) -> None:
        if self._blocked:
            return
        for slot in list(self._slots):
            slot(*args)

    @contextmanager
    def blocked(self):
        """Silence the signal inside a ``with`` block."""
        self._blocked += 1
        try:
            yield
        finally:
            self._blocked -= 1

    def __len__(self) -> int:
        return len(self._slots)
