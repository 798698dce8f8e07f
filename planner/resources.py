"""Find the files shipped in ``resources/`` (samples, schema, icons, help).

In a source checkout they sit beside the package; a wheel carries them inside
it as ``planner/resources`` (see pyproject.toml), so both layouts are tried.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

SAMPLES = ("startup", "scaleup", "enterprise")


@cache
def resources_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "resources", here.parent / "resources"):
        if (candidate / "samples").is_dir():
            return candidate
    raise FileNotFoundError("the planner's resources folder is missing from this installation")


def resource_path(*parts: str) -> Path:
    """The path of a shipped resource file, e.g. ``resource_path("samples", "startup.json")``."""
    return resources_dir().joinpath(*parts)


def sample_path(name: str) -> Path:
    """The path of a built-in sample org: ``startup``, ``scaleup`` or ``enterprise``."""
    if name not in SAMPLES:
        raise ValueError(f"unknown sample {name!r} (expected one of {', '.join(SAMPLES)})")
    return resource_path("samples", f"{name}.json")
