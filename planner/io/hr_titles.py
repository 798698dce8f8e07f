"""Which job titles the HR import draws, and as what: product owners, product managers and leaders.

A title is normalised (case, punctuation, "&" and "R&D" spelt out) and must
match one of :data:`TITLE_PATTERNS` whole, with optional seniority words in
front; a qualifier after a dash, comma, slash or bracket is tried away too.
docs/importing.md gives users the same table in words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from planner.model.vocabulary import LEADER, PRODUCT_MANAGER, PRODUCT_OWNER

#: Optional words in front of a role name: seniority, scope, interim status.
_PM_PREFIXES = (
    "senior",
    "sr",
    "junior",
    "jr",
    "associate",
    "lead",
    "principal",
    "staff",
    "group",
    "technical",
    "tech",
    "digital",
    "global",
    "regional",
    "interim",
    "acting",
)
_PO_PREFIXES = _PM_PREFIXES + ("chief", "area", "proxy", "agile")
_LEADER_PREFIXES = (
    "senior",
    "sr",
    "executive",
    "exec",
    "group",
    "global",
    "deputy",
    "associate",
    "assistant",
    "interim",
    "acting",
)
_LEADER_RANKS = ("vp", "svp", "evp", "avp", "vice president", "head", "director", "managing director", "chief")
_LEADER_AREAS = (
    "product",
    "products",
    "product management",
    "product development",
    "product engineering",
    "product and engineering",
    "engineering and product",
    "product and technology",
    "engineering",
    "eng",
    "software engineering",
    "software development",
    "development",
    "technology",
    "research and development",
)
_LEVEL = r"(?: (?:i{1,3}|iv|v|[1-7]|level [1-7]|l[1-9]))?"


def _any(words: Sequence[str]) -> str:
    return "(?:" + "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)) + ")"


def _prefixed(prefixes: Sequence[str], core: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{_any(prefixes)} )*{core}{_LEVEL}$")


#: (pattern, role), tried in order against a normalised whole title; the first match wins.
TITLE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_prefixed(_PO_PREFIXES, r"(?:product owner|po)"), PRODUCT_OWNER),
    (_prefixed(_PM_PREFIXES, r"product manager"), PRODUCT_MANAGER),
    (_prefixed(_LEADER_PREFIXES, rf"{_any(_LEADER_RANKS)} (?:of |for )?(?:the )?{_any(_LEADER_AREAS)}"), LEADER),
    (_prefixed(_LEADER_PREFIXES, rf"{_any(_LEADER_AREAS)} (?:director|vp|head)"), LEADER),
    (
        _prefixed(
            ("interim", "acting", "deputy"),
            r"(?:cpo|cto|chief (?:product|technology|technical|product and technology|product and engineering)"
            r" officer)",
        ),
        LEADER,
    ),
)

#: What separates a title from a qualifier: "Product Owner - Payments", "Head of Product (interim)".
_QUALIFIER = re.compile(r"\s+[-–—]\s+|[,(|:/–—]")


def _normalise_title(text: str) -> str:
    text = text.casefold().replace("r&d", "research and development").replace("&", " and ")
    text = text.replace(".", "")
    text = re.sub(r"[-–—,()|:/_]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def role_for_title(title: str) -> str | None:
    """The node kind a job title stands for (``product_owner``, ``product_manager``, ``leader``), or None.

    The whole title must be a role name, with optional seniority words in
    front; a qualifier after a dash, comma, slash or bracket is ignored. So a
    "Senior Product Manager, Payments" is a product manager and a "Product
    Marketing Manager" is not.

    Examples
    --------
    >>> role_for_title("Sr. Product Owner")
    'product_owner'
    >>> role_for_title("Product Designer") is None
    True
    >>> role_for_title("VP of Engineering")
    'leader'
    """
    if not title or not title.strip():
        return None
    return _role_for(title)


@functools.lru_cache(maxsize=4096)
def _role_for(title: str) -> str | None:
    # A company has a few hundred titles for a hundred thousand people: each is worked out once.
    candidates = [_normalise_title(title), _normalise_title(_QUALIFIER.split(title, maxsplit=1)[0])]
    for candidate in candidates:
        for pattern, role in TITLE_PATTERNS:
            if pattern.match(candidate):
                return role
    return None
