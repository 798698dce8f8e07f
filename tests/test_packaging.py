"""A normal (non-editable) install ships the resources and the ``planner`` command works from it."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("*.whl")
    return path


@pytest.mark.slow
def test_wheel_carries_every_resource(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    resources = ROOT / "resources"
    shipped = sorted(p.relative_to(resources).as_posix() for p in resources.rglob("*") if p.is_file())
    assert shipped, "resources/ is empty"
    missing = [name for name in shipped if f"planner/resources/{name}" not in names]
    assert not missing
    assert any(name.endswith("entry_points.txt") for name in names)


@pytest.mark.slow
def test_installed_package_finds_its_samples_outside_the_source_tree(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    code = (
        "import planner.resources as r, planner.cli as c; "
        f"assert str(r.resources_dir()).startswith({str(target)!r}), r.resources_dir(); "
        "raise SystemExit(c.main(['check', str(r.sample_path('startup')), '--fail-on', 'never']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "Mealbox" in out.stdout
