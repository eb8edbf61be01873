"""Run every rule case in fixtures/rules/*.toml: each case runs its rules alone and lists every finding.

A case file holds ``[[case]]`` tables::

    [[case]]
    name = "inline comment after region"
    rules = ["AD110"]                      # prefixes passed to --select
    config = '''
    [default]
    region = us-east-1 # prod
    '''
    credentials = '''...'''                # optional
    env = { AWS_PROFILE = "default" }      # optional; the live setup is used unless mode = "files"
    profile = "default"                    # optional, as --profile
    mode = "files"                         # optional: lint the two files as file arguments
                                           # (named home/.aws/config and home/.aws/credentials)
    modes = { credentials = "0644" }       # optional: chmod of files in ~/.aws

    [[case.expect]]
    rule = "AD110"
    severity = "error"
    kind = "config"
    line = 3
    column = 10
    profile = "default"                    # every location field given is compared;
    key = "region"                         # fields left out must be null
    message = "..."                        # exact text
    hint_contains = "..."                  # optional

A case without ``expect`` must produce no finding at all.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, AwsHome, check_files, check_setup

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

LOCATION_FIELDS = ("kind", "path", "line", "column", "section", "profile", "key", "variable")
CASE_KEYS = {"name", "rules", "config", "credentials", "env", "profile", "mode", "expect", "modes"}
EXPECT_KEYS = {"rule", "severity", "message", "hint_contains", *LOCATION_FIELDS}


def load_cases() -> list[Any]:
    params = []
    for path in sorted((FIXTURES / "rules").glob("*.toml")):
        with path.open("rb") as handle:
            document = tomllib.load(handle)
        for case in document.get("case", []):
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


def run_case(case: dict[str, Any], root: Path) -> list[dict[str, Any]]:
    home = AwsHome(root)
    home.write(config=case.get("config"), credentials=case.get("credentials"))
    for name, mode in case.get("modes", {}).items():
        (home.aws / name).chmod(int(mode, 8))
    select = tuple(case["rules"])
    if case.get("mode") == "files":
        paths = [str(path.relative_to(root)) for path in (home.config, home.credentials) if path.exists()]
        findings = check_files(paths, select, cwd=str(root))
    else:
        env = {key: value.replace("{HOME}", str(home.home)) for key, value in case.get("env", {}).items()}
        findings = check_setup(home.setup(env, profile=case.get("profile")), select)
    return [
        {"rule": f.rule, "severity": f.severity.label, "message": f.message, "hint": f.hint, **f.location.to_dict()}
        for f in findings
    ]


@pytest.mark.parametrize("case", load_cases())
def test_rule_case(case: dict[str, Any], tmp_path: Path) -> None:
    assert set(case) <= CASE_KEYS, f"unknown case keys: {set(case) - CASE_KEYS}"
    actual = run_case(case, tmp_path)
    expected = case.get("expect", [])
    assert len(actual) == len(expected), "\n".join(
        ["finding count differs; actual findings:"] + [f"  {item}" for item in actual]
    )
    for want, got in zip(expected, actual, strict=True):
        assert set(want) <= EXPECT_KEYS, f"unknown expect keys: {set(want) - EXPECT_KEYS}"
        assert got["rule"] == want["rule"]
        assert got["severity"] == want["severity"]
        for field in LOCATION_FIELDS:
            if field == "path":
                continue
            assert got[field] == want.get(field), f"location field {field!r} of {got['rule']}"
        assert got["message"] == want["message"]
        if "hint_contains" in want:
            assert want["hint_contains"] in got["hint"]
