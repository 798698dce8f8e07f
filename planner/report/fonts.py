"""The report's fonts: DejaVu Sans, shipped in ``resources/fonts``, registered with ReportLab once.

ReportLab's built-in Helvetica knows only Latin-1, so a name such as "Zoë
Łukasiewicz" or "Nakamura 中村" would print as boxes; DejaVu Sans covers most
scripts a product org's names are written in, and its metrics are what every
figure measures its labels with. When the font files are missing (a broken
installation) the report still prints, in Helvetica.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from planner.resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
#: The family name a browser knows the same font by, for SVG and HTML.
CSS_FAMILY = "DejaVu Sans"


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) with ReportLab; return the two font names to draw with.

    Safe to call any number of times: the work is done once. Paragraph markup
    (``<b>``) maps to the bold face too.

    Examples
    --------
    >>> register_fonts()
    ('DejaVuSans', 'DejaVuSans-Bold')
    """
    try:
        pdfmetrics.registerFont(TTFont(REGULAR, str(resource_path("fonts", "DejaVuSans.ttf"))))
        pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    except (OSError, TTFError):
        return "Helvetica", "Helvetica-Bold"
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
