"""The built wheel: rules/ is installed as awsdoctor.rules and nothing else lands at the top level."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
IGNORED = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(REPOSITORY, source, symlinks=True, ignore=IGNORED)
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work), "."],
        cwd=source, capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    wheel = next(work.glob("awsdoctor-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_wheel_has_only_awsdoctor_at_top(wheel_names: list[str]) -> None:
    tops = {name.split("/", 1)[0] for name in wheel_names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"awsdoctor"}


def test_wheel_installs_rules_as_subpackage(wheel_names: list[str]) -> None:
    assert "awsdoctor/rules/__init__.py" in wheel_names


def test_wheel_ships_every_rule_module(wheel_names: list[str]) -> None:
    modules = sorted(path.name for path in (REPOSITORY / "rules").glob("*.py"))
    shipped = sorted(name.rsplit("/", 1)[1] for name in wheel_names if name.startswith("awsdoctor/rules/"))
    assert [name for name in modules if name not in shipped] == []


def test_wheel_ships_json_schemas(wheel_names: list[str]) -> None:
    schemas = sorted(
        str(path.relative_to(REPOSITORY / "rules")) for path in (REPOSITORY / "rules").glob("*.json")
    )
    missing = [name for name in schemas if f"awsdoctor/rules/{name}" not in wheel_names]
    assert missing == []


def test_wheel_has_entry_point(wheel_names: list[str]) -> None:
    assert any(name.endswith(".dist-info/entry_points.txt") for name in wheel_names)
