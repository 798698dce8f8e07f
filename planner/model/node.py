"""A card and a link as the model holds them, and the one validator of a card's values.

:class:`Node` is the one definition of a card's fields: the native file's reader and writer and the
published JSON schema follow it (tests/model/test_node_schema.py). :func:`validate_node_value` checks and
normalises one field (one checker per field); :func:`make_node` is the checked way to build a node.
:mod:`planner.model.org` re-exports all of this.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, NamedTuple

import msgspec

from planner.model.duties import DUTIES
from planner.model.vocabulary import (
    NODE_KINDS,
    PERSON_KINDS,
    PROFILE_LIMITS,
    RULE_CODE,
    SEVERITY_LEVELS,
    STAKEHOLDER_SCOPES,
)


class ModelError(ValueError):
    """An edit that would break the model's invariants (unknown kind, duplicate id...)."""


#: The types a node's kind, size and scope may take. Building a :class:`Node` checks none of them
#: (:func:`make_node` does); decoding a file into nodes checks them all, in C.
NodeKind = Literal[NODE_KINDS]
#: How far from the origin a card may sit, in chart units: ten thousand kilometres of cards is no chart, and much
#: further out Qt's scene index overflows. The layouts of a million cards stay well inside.
COORDINATE_LIMIT = 10_000_000
#: The most people a team may count (the schema's ``size`` maximum): an HR import counts whole departments in.
MAX_TEAM_SIZE = 1_000_000
Coordinate = Annotated[float, msgspec.Meta(ge=-COORDINATE_LIMIT, le=COORDINATE_LIMIT)]
Headcount = Annotated[int, msgspec.Meta(ge=0, le=MAX_TEAM_SIZE)]
Scope = Literal[STAKEHOLDER_SCOPES]


class Node(msgspec.Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """One box of the org chart: a person, a team, a product or a stakeholder.

    An immutable record (a msgspec Struct), so that a file's node records
    decode straight into nodes, in C (:mod:`planner.io.native`), with each
    field's type checked on the way (a known kind, a size of 0 or more...);
    and, holding only text, numbers and a tuple of text, it is left out of the
    garbage collector's scans. Building one checks nothing; :func:`make_node`
    is the checked way in.
    """

    id: str
    kind: NodeKind
    name: str = ""
    title: str = ""
    notes: str = ""
    x: Coordinate = 0.0
    y: Coordinate = 0.0
    vacant: bool = False
    size: Headcount | None = None
    scope: Scope | None = None
    ignore: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name to show: the node's name, or its id when it has none."""
        return self.name or self.id

    def replace(self, **changes: Any) -> Node:
        """A copy with some fields changed, unchecked (see :func:`validate_node_value`)."""
        return msgspec.structs.replace(self, **changes)


#: Attributes an edit may change (everything but the id).
EDITABLE_FIELDS: tuple[str, ...] = tuple(name for name in Node.__struct_fields__ if name != "id")

_CODE_RE = RULE_CODE


class LinkKey(NamedTuple):
    source: str
    target: str
    kind: str


@dataclass(frozen=True)
class Link:
    """A directed, typed link between two nodes."""

    source: str
    target: str
    kind: str

    @property
    def key(self) -> LinkKey:
        return LinkKey(self.source, self.target, self.kind)


def _fits_float(value: int | float) -> bool:
    """Finite, and (for a whole number) not too large to become a float."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _kind(name: str, value: Any) -> str:
    if value not in NODE_KINDS:
        raise ModelError(f"unknown node kind {value!r} (expected one of {', '.join(NODE_KINDS)})")
    return value


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ModelError(f"{name} must be text, not {type(value).__name__}")
    if name == "id" and not value.strip():
        raise ModelError("id must not be empty")
    return value


def _coordinate(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not _fits_float(value):
        raise ModelError(f"{name} must be a finite number, not {value!r}")
    if not -COORDINATE_LIMIT <= value <= COORDINATE_LIMIT:
        raise ModelError(
            f"{name} must be between -{COORDINATE_LIMIT:,} and {COORDINATE_LIMIT:,} "
            f"(further out the chart cannot be drawn), not {value:g}"
        )
    return float(value)


def _vacant(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ModelError(f"vacant must be true or false, not {value!r}")
    return value


def _size(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TEAM_SIZE:
        raise ModelError(f"size must be a whole number of people (0 to {MAX_TEAM_SIZE:,}), not {value!r}")
    return value


def _scope(name: str, value: Any) -> str | None:
    if value in (None, ""):
        return None
    if value not in STAKEHOLDER_SCOPES:
        raise ModelError(f"scope must be 'internal' or 'external', not {value!r}")
    return value


def _ignore(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ModelError("ignore must be a list of rule codes")
    codes = []
    for code in value:
        if not isinstance(code, str) or not _CODE_RE.match(code):
            raise ModelError(f"ignore holds {code!r}, which is not a rule code like OWN001")
        if code not in codes:
            codes.append(code)
    return tuple(sorted(codes))


#: One checker per node attribute: it returns the value normalised, or raises :class:`ModelError`.
_CHECKERS = {
    "id": _text,
    "kind": _kind,
    "name": _text,
    "title": _text,
    "notes": _text,
    "x": _coordinate,
    "y": _coordinate,
    "vacant": _vacant,
    "size": _size,
    "scope": _scope,
    "ignore": _ignore,
}


def validate_node_value(name: str, value: Any) -> Any:
    """Check and normalise one attribute value; raise :class:`ModelError` when it is wrong."""
    checker = _CHECKERS.get(name)
    if checker is None:
        raise ModelError(f"unknown node attribute {name!r}")
    return checker(name, value)


_SETTINGS_KEYS = ("file", "title", "description", "limits", "severity", "duties")


def validate_conventions(conventions: Any, where: str = "duties") -> dict[str, tuple[str, ...]]:
    """Check a profile's duty conventions (duty id → a role kind or a list of them); return them as tuples."""
    if not isinstance(conventions, Mapping):
        raise ModelError(f"{where} must be an object of duty id → role kind")
    clean: dict[str, tuple[str, ...]] = {}
    for duty, roles in conventions.items():
        if duty not in DUTIES:
            raise ModelError(f"{where}.{duty}: unknown duty (expected one of {', '.join(DUTIES)})")
        kinds = (roles,) if isinstance(roles, str) else roles
        if not isinstance(kinds, (list, tuple)) or not kinds or any(k not in PERSON_KINDS for k in kinds):
            raise ModelError(
                f"{where}.{duty}: must be a role kind (product_manager, product_owner or leader) or a list of them"
            )
        clean[duty] = tuple(dict.fromkeys(kinds))
    return clean


def validate_profile_settings(settings: Any) -> dict[str, Any] | None:
    """Check what an org stores of a profile file; return a clean copy (None for no settings).

    The shape is checked here, the meaning by planner.analysis.profiles (which
    knows the rule catalog): text fields, limits that are known thresholds and
    whole numbers of 0 or more, severities per rule code that are one of
    error, warning, info or off. Raises :class:`ModelError` naming the field.
    """
    if settings is None or settings == {}:
        return None
    if not isinstance(settings, Mapping):
        raise ModelError("profile_settings must be an object")
    clean: dict[str, Any] = {"file": "", "title": "", "description": "", "limits": {}, "severity": {}}
    if settings.get("duties"):
        clean["duties"] = {
            duty: list(kinds)
            for duty, kinds in validate_conventions(settings["duties"], "profile_settings.duties").items()
        }
    for key, value in settings.items():
        if key not in _SETTINGS_KEYS:
            raise ModelError(f"profile_settings.{key}: unknown field (expected {', '.join(_SETTINGS_KEYS)})")
        if key in ("file", "title", "description"):
            if not isinstance(value, str):
                raise ModelError(f"profile_settings.{key} must be text")
            clean[key] = value
        elif not isinstance(value, Mapping):
            raise ModelError(f"profile_settings.{key} must be an object")
    for name, value in (settings.get("limits") or {}).items():
        if name not in PROFILE_LIMITS:
            raise ModelError(f"profile_settings.limits.{name}: unknown limit")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ModelError(f"profile_settings.limits.{name} must be a whole number, 0 or more")
        clean["limits"][name] = value
    for code, level in (settings.get("severity") or {}).items():
        if not isinstance(code, str) or not _CODE_RE.match(code):
            raise ModelError(f"profile_settings.severity holds {code!r}, which is not a rule code like OWN001")
        if level not in SEVERITY_LEVELS:
            raise ModelError(f"profile_settings.severity.{code} must be one of {', '.join(SEVERITY_LEVELS)}")
        clean["severity"][code] = level
    return clean


def make_node(**values: Any) -> Node:
    """Build a :class:`Node`, validating every value given."""
    checked = {name: validate_node_value(name, value) for name, value in values.items()}
    if "id" not in checked or "kind" not in checked:
        raise ModelError("a node needs an id and a kind")
    return Node(**checked)


_NODE_KIND_SET = frozenset(NODE_KINDS)


def link_columns(links: Iterable[tuple[str, str, str]]) -> tuple[list[str], list[str], list[str]]:
    """The sources, targets and kinds of ``(source, target, kind)`` links, as three lists."""
    columns = tuple(map(list, zip(*links, strict=True)))
    return columns if columns else ([], [], [])  # type: ignore[return-value]
