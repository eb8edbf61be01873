"""Shared test helpers: temporary AWS homes and rule runs on them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from awsdoctor.engine import EngineOptions, RuleFilter, run_rules, sort_findings
from awsdoctor.findings import Finding
from awsdoctor.rules import registry
from awsdoctor.setup import Setup, load_file_setups, load_setup

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


class AwsHome:
    """A temporary HOME with ~/.aws/config and ~/.aws/credentials written from strings."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.aws = self.home / ".aws"
        self.aws.mkdir(parents=True)
        self.config = self.aws / "config"
        self.credentials = self.aws / "credentials"

    def write(self, config: str | bytes | None = None, credentials: str | bytes | None = None) -> AwsHome:
        for path, content in ((self.config, config), (self.credentials, credentials)):
            if content is None:
                continue
            data = content.encode("utf-8") if isinstance(content, str) else content
            path.write_bytes(data)
            path.chmod(0o600)
        return self

    def env(self, **variables: str) -> dict[str, str]:
        return {"HOME": str(self.home), **variables}

    def setup(self, env: Mapping[str, str] | None = None, profile: str | None = None) -> Setup:
        variables = {"HOME": str(self.home), **(env or {})}
        return load_setup(variables, profile=profile, cwd=str(self.root))


@pytest.fixture
def aws_home(tmp_path: Path) -> AwsHome:
    return AwsHome(tmp_path)


def check_setup(setup: Setup, select: tuple[str, ...] = ()) -> list[Finding]:
    """Run the selected rules (all when empty) on one Setup and return sorted findings."""
    options = EngineOptions(rule_filter=RuleFilter(select=select))
    return sort_findings(run_rules(setup, list(registry().values()), options))


def check_files(paths: list[str], select: tuple[str, ...] = (), cwd: str | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for setup in load_file_setups(paths, cwd=cwd or os.getcwd()):
        findings.extend(check_setup(setup, select))
    return sort_findings(findings)


def botocore_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str = "", credentials: str = "",
                     profile: str | None = None, env: dict[str, str] | None = None) -> Any:
    """Build a botocore session on temporary files, with IMDS disabled and endpoints at a closed loopback port."""
    import botocore.session

    for name in list(os.environ):
        if name.startswith("AWS_") or name == "BOTO_CONFIG":
            monkeypatch.delenv(name)
    config_path = tmp_path / "botocore-config"
    credentials_path = tmp_path / "botocore-credentials"
    config_path.write_text(config)
    credentials_path.write_text(credentials)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config_path))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials_path))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("BOTO_CONFIG", str(tmp_path / "no-boto-config"))
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    return botocore.session.Session(profile=profile)
