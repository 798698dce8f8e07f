"""Small pieces of English shared by every layer: counted nouns.

Qt-free and importing nothing of the planner, so that the model, the
analysis, the command line and the editor all say "1 error, 2 warnings" the
same way.
"""

from __future__ import annotations


def plural(count: int, word: str, sep: str = " ", *, many: str | None = None) -> str:
    """``count`` (thousands grouped) and ``word``, with an "s" unless there is one: ``1 error``, ``12,000 cards``.

    ``many`` is the plural when it is not ``word`` and an "s": ``plural(3, "person", many="people")``.
    """
    return f"{count:,}{sep}{word if count == 1 else many or word + 's'}"
