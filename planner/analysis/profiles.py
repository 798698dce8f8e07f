"""Profiles: the thresholds of Scrum, SAFe, LeSS and a small startup, and profile files of your own.

A profile sets the numbers the rules compare against and, for a profile file,
the severity of any rule. Each built-in profile is set so that the structure
its framework prescribes is clean under it: one LeSS product owner over eight
teams holding the product's vision is LeSS as designed, not a risk.

A profile file is TOML, read with the standard library's :mod:`tomllib`, the
way linters are configured::

    extends = "less"            # scrum, safe, less or startup
    title = "Acme product org"
    [limits]                    # the Profile fields, by name
    max_teams_per_backlog_owner = 4
    [severity]                  # per code: error, warning, info or off
    RSK002 = "off"
    [duties]                    # per duty id: the role kind (or kinds) that normally holds it
    vision = "product_owner"

Anything the file does not recognise is refused with a :class:`ProfileError`
naming the file, the key and its line. An org can carry a profile file's
settings (:attr:`planner.model.org.Org.profile_settings`); :func:`profile_for`
turns them back into a :class:`Profile`.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.analysis.rule import REGISTRY  # filled as planner.analysis is imported, before any file is read
from planner.model.duties import DUTIES, EXECUTION_DUTIES, STRATEGY_DUTIES
from planner.model.org import ModelError, validate_conventions
from planner.model.vocabulary import (
    DEFAULT_PROFILE,
    LEADER,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    PROFILE_LIMITS,
    PROFILES,
    SEVERITY_LEVELS,
)

if TYPE_CHECKING:
    from planner.model.org import Org


@dataclass(frozen=True)
class Profile:
    """Thresholds (and, for a profile file, severities) for one way of working."""

    name: str
    title: str
    description: str
    #: LOAD001: teams one backlog owner may serve. Nexus Guide: up to 9 teams on one product with one
    #: product owner (the Scrum Guide itself sets no figure); SAFe: 1, at most 2; LeSS: up to 8;
    #: startup: 2, the planner's own default.
    max_teams_per_backlog_owner: int
    #: LOAD002: products one strategy owner may hold (planner default, no outside source).
    max_products_per_strategy_owner: int = 3
    #: LOAD003: direct reports before a span of control is too wide (research suggests about 10).
    max_direct_reports: int = 10
    #: LOAD004: team size range. Scrum Guide 2020: 10 or fewer; the minimum of 3 is the planner's
    #: default (the 2017 Scrum Guide's lower bound, dropped in 2020).
    max_team_size: int = 10
    min_team_size: int = 3
    #: RSK001: teams one person's absence would leave without an owner at which that person is a key-person
    #: risk. The planner's default is 5; a framework that puts more teams behind one person by design starts
    #: above what it designs (Nexus 9, LeSS 8, a SAFe release train 12).
    key_person_teams: int = 5
    #: RSK002: teams of one product a person may lead while also holding that product's strategy
    #: (0: the profile keeps strategy and backlog apart, as SAFe does).
    dual_hat_teams: int = 1
    #: DUT005: duties one person may be accountable for, over every product (planner default, no outside source:
    #: the strategy duties of the three products LOAD002 lets one strategy owner hold).
    max_accountable_duties: int = 21
    #: DUT003: the role kinds that normally hold each duty (duty id → kinds); a profile file's [duties] table
    #: changes it duty by duty.
    duties: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    #: The built-in profile whose per-rule severities apply (the profile itself for a built-in one).
    extends: str = ""
    #: Severities a profile file sets, by rule code: error, warning, info or off.
    severity: Mapping[str, str] = field(default_factory=dict, hash=False)
    #: The profile file it was read from (its name), empty for a built-in profile.
    file: str = ""

    def __post_init__(self) -> None:
        if not self.extends:
            object.__setattr__(self, "extends", self.name)
        if not self.duties:
            object.__setattr__(self, "duties", default_conventions(self.extends))

    def holders(self, duty: str) -> tuple[str, ...]:
        """The role kinds that fit ``duty`` under this profile's convention."""
        return self.duties.get(duty) or default_conventions(self.extends)[duty]

    @property
    def is_custom(self) -> bool:
        return bool(self.file)

    def limits(self) -> dict[str, int]:
        """The thresholds by name, as a profile file's ``[limits]`` table names them."""
        return {name: getattr(self, name) for name in PROFILE_LIMITS}

    def settings(self) -> dict[str, Any]:
        """What an org stores of a profile file: its name, title, description and what it changes.

        ``extends`` is not in it: the org's own ``profile`` field holds the built-in profile it extends.
        """
        base = PROFILE_TABLE[self.extends]
        limits = {name: value for name, value in self.limits().items() if value != getattr(base, name)}
        settings = {
            "file": self.file,
            "title": self.title,
            "description": self.description,
            "limits": limits,
            "severity": dict(self.severity),
        }
        duties = {duty: list(kinds) for duty, kinds in self.duties.items() if kinds != base.holders(duty)}
        if duties:
            settings["duties"] = duties
        return settings


#: Who normally holds each duty, per built-in profile. Scrum and SAFe give strategy to product management and
#: execution to the product owner; LeSS gives its one product owner the vision, the roadmap and the results as
#: well; a startup's founder may hold either half, or both.
_STRATEGY_ROLES = (PRODUCT_MANAGER, LEADER)
_EXECUTION_ROLES = (PRODUCT_OWNER,)
_LESS_PRODUCT_OWNER = ("vision", "roadmap", "business_results", "external_stakeholders")


def default_conventions(profile: str) -> dict[str, tuple[str, ...]]:
    """The built-in convention of a profile (scrum, safe, less or startup): duty id → role kinds."""
    conventions = {duty: _STRATEGY_ROLES for duty in STRATEGY_DUTIES} | {
        duty: _EXECUTION_ROLES for duty in EXECUTION_DUTIES
    }
    if profile == "less":
        conventions |= {duty: (PRODUCT_OWNER, *_STRATEGY_ROLES) for duty in _LESS_PRODUCT_OWNER}
    elif profile == "startup":
        conventions = {
            duty: (*kinds, PRODUCT_OWNER if PRODUCT_OWNER not in kinds else PRODUCT_MANAGER)
            for duty, kinds in conventions.items()
        }
    return conventions


PROFILE_TABLE: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "scrum",
            "Scrum",
            "Scrum Guide 2020 with Nexus scaling: one product owner per product, up to nine teams.",
            max_teams_per_backlog_owner=9,
            key_person_teams=10,
            dual_hat_teams=9,
        ),
        Profile(
            "safe",
            "SAFe",
            "Scaled Agile Framework: a product owner serves one team, two at most; product management "
            "holds the strategy of a release train of up to twelve teams.",
            max_teams_per_backlog_owner=2,
            key_person_teams=13,
            dual_hat_teams=0,
        ),
        Profile(
            "less",
            "LeSS",
            "Large-Scale Scrum: one product owner and one backlog for up to eight teams of a product.",
            max_teams_per_backlog_owner=8,
            key_person_teams=9,
            dual_hat_teams=8,
        ),
        Profile(
            "startup",
            "Startup",
            "A young company before product-market fit: dual-hatting is expected, loads stay small.",
            max_teams_per_backlog_owner=2,
            key_person_teams=5,
            dual_hat_teams=2,
        ),
    )
}


class ProfileError(ValueError):
    """A profile file that cannot be used; the message is one line naming the file, the key and the line."""


def get_profile(name: str | Profile | None) -> Profile:
    """The built-in profile of that name (the default, ``scrum``, for None); a Profile is returned as it is."""
    if isinstance(name, Profile):
        return name
    try:
        return PROFILE_TABLE[name or DEFAULT_PROFILE]
    except KeyError:
        raise ValueError(f"unknown profile {name!r} (expected one of {', '.join(PROFILES)})") from None


def profile_for(org: Org, override: str | Profile | None = None) -> Profile:
    """The profile to check ``org`` with: ``override`` when given, else the org's own (a stored file's settings
    included)."""
    if override is not None and override != "":
        return get_profile(override)
    settings = org.profile_settings
    if not settings:
        return get_profile(org.profile)
    return _from_settings(org.profile, settings, strict=False)


def resolve_profile(value: str) -> Profile:
    """A ``--profile`` value: a built-in name, or the path of a ``.toml`` profile file.

    Raises
    ------
    ProfileError
        The name is unknown, or the file cannot be read or holds something it should not.
    """
    if value in PROFILE_TABLE:
        return PROFILE_TABLE[value]
    if value.lower().endswith(".toml") or Path(value).is_file():
        return load_profile(value)
    raise ProfileError(f"unknown profile {value!r} (expected one of {', '.join(PROFILES)}, or a .toml profile file)")


#: A profile file is a few lines; anything far larger is not one (and is not read whole).
MAX_PROFILE_BYTES = 1 << 20


def load_profile(path: str | Path) -> Profile:
    """Read a profile file (TOML)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path):
            # A named pipe would keep the command waiting for a writer; a device might never end.
            raise ProfileError(f"{path}: not a regular file (a pipe, socket or device)")
        with open(path, "rb") as file:
            raw = file.read(MAX_PROFILE_BYTES + 1)
        if len(raw) > MAX_PROFILE_BYTES:
            raise ProfileError(f"{path}: line 1: over {MAX_PROFILE_BYTES >> 20} MiB, too large for a profile file")
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read the profile file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: line 1: not UTF-8 text (byte {exc.start})") from None
    return parse_profile(text, str(path))


_TOP_KEYS = ("extends", "title", "description", "limits", "severity", "duties")


def parse_profile(text: str, source: str = "profile.toml") -> Profile:
    """Build a profile from the text of a profile file; ``source`` names the file in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{source}: {_toml_message(exc)}") from None

    def fail(table: str | None, key: str, problem: str) -> ProfileError:
        shown = f"{table}.{key}" if table else key
        return ProfileError(f"{source}: line {_line_of(text, table, key)}: {shown}: {problem}")

    for key in data:
        if key not in _TOP_KEYS:
            raise fail(None, key, f"unknown key (expected {', '.join(_TOP_KEYS)})")
    extends = data.get("extends", DEFAULT_PROFILE)
    if not isinstance(extends, str) or extends not in PROFILES:
        raise fail(None, "extends", f"must be one of {', '.join(PROFILES)}, not {extends!r}")
    for key in ("title", "description"):
        if key in data and not isinstance(data[key], str):
            raise fail(None, key, f"must be text, not {_type_name(data[key])}")
    settings: dict[str, Any] = {
        "file": Path(source).name,
        "title": data.get("title", ""),
        "description": data.get("description", ""),
        "limits": {},
        "severity": {},
    }
    for table in ("limits", "severity", "duties"):
        if table in data and not isinstance(data[table], dict):
            raise fail(None, table, f"must be a table ([{table}]), not {_type_name(data[table])}")
    settings["limits"] = _checked_limits(data.get("limits", {}), fail)
    settings["severity"] = _checked_severity(data.get("severity", {}), fail)
    if data.get("duties"):
        settings["duties"] = _checked_duties(data["duties"], fail)
    return _from_settings(extends, settings, strict=True)


_Fail = Callable[[str | None, str, str], ProfileError]


def _checked_limits(table: Mapping[str, Any], fail: _Fail) -> dict[str, int]:
    """A profile file's [limits]: known names, whole numbers of 0 or more."""
    limits = {}
    for key, value in table.items():
        if key not in PROFILE_LIMITS:
            raise fail("limits", key, f"unknown limit (expected one of {', '.join(PROFILE_LIMITS)})")
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail("limits", key, f"must be a whole number, not {_type_name(value)}")
        if value < 0:
            raise fail("limits", key, f"must be 0 or more, not {value}")
        limits[key] = value
    return limits


def _checked_severity(table: Mapping[str, Any], fail: _Fail) -> dict[str, str]:
    """A profile file's [severity]: rule codes (or names) to a severity level, keyed by code."""
    severity = {}
    for key, value in table.items():
        code = _rule_code(key)
        if code is None:
            raise fail("severity", key, "unknown rule code ('planner rules' lists them)")
        if not isinstance(value, str) or value not in SEVERITY_LEVELS:
            raise fail("severity", key, f"must be one of {', '.join(SEVERITY_LEVELS)}, not {value!r}")
        severity[code] = value
    return severity


def _checked_duties(table: Mapping[str, Any], fail: _Fail) -> dict[str, Any]:
    """A profile file's [duties]: known duties, each held by a role or a list of roles."""
    duties = {}
    for key, value in table.items():
        if key not in DUTIES:
            raise fail("duties", key, f"unknown duty (expected one of {', '.join(DUTIES)})")
        try:
            validate_conventions({key: value})
        except ModelError:
            raise fail("duties", key, "must be product_manager, product_owner or leader, or a list of them") from None
        duties[key] = value
    return duties


def _from_settings(extends: str, settings: Mapping[str, Any], *, strict: bool) -> Profile:
    """A profile from stored settings; ``strict`` False skips limits and codes this version does not know."""
    base = get_profile(extends)
    file = str(settings.get("file") or "profile.toml")
    limits = {k: v for k, v in dict(settings.get("limits") or {}).items() if strict or k in PROFILE_LIMITS}
    severity = {}
    for key, value in dict(settings.get("severity") or {}).items():
        code = key if strict else _rule_code(key)
        if code is not None:
            severity[code] = value
    duties = dict(base.duties)
    for duty, kinds in dict(settings.get("duties") or {}).items():
        if duty in DUTIES:
            duties[duty] = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    return dataclasses.replace(
        base,
        duties=duties,
        name=Path(file).stem,
        title=settings.get("title") or f"{base.title} ({Path(file).stem})",
        description=settings.get("description") or base.description,
        extends=base.name,
        severity=severity,
        file=file,
        **limits,
    )


def _rule_code(key: str) -> str | None:
    rule = REGISTRY.get(key)
    return rule.code if rule is not None and rule.code == key.strip().upper() else None


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "text", dict: "a table", list: "a list"}.get(
        type(value), type(value).__name__
    )


def _toml_message(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's message, with its place first: ``line 3: Invalid value``."""
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    if match:
        return f"line {match.group(1)}: column {match.group(2)}: {message[: match.start()].strip()}"
    return f"line 1: {message}" if "line" not in message else message


_TABLE_RE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"' -]+?)\s*\]\s*(#.*)?$")


def _line_of(text: str, table: str | None, key: str) -> int:
    """The line of ``key`` (in ``[table]``, or at the top when None) in a TOML text; tomllib gives no places."""
    current: str | None = None
    plain = re.escape(key)
    key_re = re.compile(rf"^\s*(?:{plain}|\"{plain}\"|'{plain}')\s*[=.]")
    dotted_re = re.compile(rf"^\s*{re.escape(table)}\s*\.\s*(?:{plain}|\"{plain}\")\s*=") if table else None
    for number, line in enumerate(text.splitlines(), 1):
        header = _TABLE_RE.match(line)
        if header:
            current = header.group(1).strip("\"' ")
            continue
        if current == table and key_re.match(line):
            return number
        if current is None and dotted_re is not None and dotted_re.match(line):
            return number
    for number, line in enumerate(text.splitlines(), 1):
        if key in line:
            return number
    return 1
