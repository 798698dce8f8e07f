"""Shared geometry of the chart: a node's ``x``/``y`` is the centre of its card.

The layout, the canvas and the exports all draw cards of this size, so the
figures live in the model layer where each of them can read them without Qt.
"""

CARD_WIDTH = 200.0
CARD_HEIGHT = 72.0
GRID = 20.0
