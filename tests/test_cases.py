"""Real reported problems in fixtures/cases/, each run through the CLI and graded on its grade.json.

Each case folder contains the reporter's files byte for byte and a grade.json
that names the findings a correct diagnosis must contain (``must``) and must
not contain (``must_not``): a finding matches an item when its severity is at
least ``severity_min``, one anchor of ``any_of`` equals its location (or a
related location, unless ``match_related`` is false), one ``text_any`` word
appears in its message or hint, and no ``text_none`` word does.

Cases that need STS answers (``live``) are graded here on their ``offline``
block only; the live runs are in tests/live/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES

CASES = FIXTURES / "cases"
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def case_dirs() -> list[Any]:
    return [pytest.param(path, id=path.name) for path in sorted(CASES.iterdir()) if (path / "grade.json").is_file()]


def lay_out(case: Path, setup: dict[str, Any], home: Path) -> None:
    for target, source in setup.get("files", {}).items():
        assert isinstance(source, str), f"{case.name}: only plain files are laid out here"
        path = home / target.removeprefix("~/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((case / source).read_bytes())
        path.chmod(0o600)
    for directory in [home / ".aws", home / ".aws" / "cli", home / ".aws" / "cli" / "cache"]:
        if directory.is_dir():
            directory.chmod(0o700)
    for target, mode in setup.get("modes", {}).items():
        (home / target.removeprefix("~/")).chmod(int(mode, 8))


def run_check(case: Path, grade: dict[str, Any], root: Path) -> tuple[int, list[dict[str, Any]], str]:
    home = root / "home" / "user"
    home.mkdir(parents=True)
    work = root / "work"
    work.mkdir()
    lay_out(case, grade["setup"], home)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "AWS_EC2_METADATA_DISABLED": "true",
        **grade["setup"].get("env", {}),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "awsdoctor", "check", "--format", "json", *grade["args"]],
        cwd=work, env=env, capture_output=True, text=True, check=False, timeout=60,
    )
    report = json.loads(completed.stdout) if completed.stdout.strip() else {"findings": []}
    return completed.returncode, report["findings"], completed.stderr


def matches(finding: dict[str, Any], item: dict[str, Any]) -> bool:
    if SEVERITY_RANK[finding["severity"]] < SEVERITY_RANK[item["severity_min"]]:
        return False
    locations = [finding["location"]]
    if item.get("match_related", True):
        locations += finding.get("related", [])
    if not any(all(location.get(key) == value for key, value in anchor.items())
               for anchor in item["any_of"] for location in locations):
        return False
    text = f"{finding['message']} {finding['hint']}".lower()
    words_any = item.get("text_any", [])
    if words_any and not any(word.lower() in text for word in words_any):
        return False
    return not any(word.lower() in text for word in item.get("text_none", []))


def describe(finding: dict[str, Any]) -> str:
    location = {key: value for key, value in finding["location"].items() if value is not None}
    return f"{finding['rule']} {finding['severity']} {location}: {finding['message']}"


@pytest.mark.parametrize("case", case_dirs())
def test_case(case: Path, tmp_path: Path) -> None:
    grade = json.loads((case / "grade.json").read_text(encoding="utf-8"))
    if grade.get("live") is not None:
        block = grade.get("offline") or {"must": [], "must_not": []}
        must, must_not = block.get("must", []), block.get("must_not", [])
    else:
        must, must_not = grade["must"], grade["must_not"]

    status, findings, stderr = run_check(case, grade, tmp_path)
    shown = "\n".join(describe(finding) for finding in findings)

    assert status in (0, 1), stderr
    assert stderr == ""
    blocking = any(SEVERITY_RANK[finding["severity"]] >= 1 for finding in findings)
    assert status == (1 if blocking else 0)
    for item in must:
        assert any(matches(finding, item) for finding in findings), f"missing: {item['why']}\n{shown}"
    for item in must_not:
        wrong = [describe(finding) for finding in findings if matches(finding, item)]
        assert wrong == [], f"forbidden: {item['why']}"
