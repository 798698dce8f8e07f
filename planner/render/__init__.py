"""Offscreen rendering with Qt: the chart export (PNG, SVG, PDF).

The gap report is not drawn here: :mod:`planner.report` writes every format
of it without Qt.
"""

from __future__ import annotations


class RenderError(Exception):
    """A chart could not be written: unknown format, too big an image, unwritable file..."""


__all__ = ["RenderError"]
