"""The live check's success paths against moto's STS in server mode on 127.0.0.1.

For any long-term key moto's GetCallerIdentity returns
arn:aws:sts::123456789012:user/moto. Its AssumeRole returns assumed-role
credentials, and GetCallerIdentity with those returns the assumed-role ARN.
"""

from __future__ import annotations

import json
import os
import socket

import pytest
from live.support import live_env, run_live_check

from awsdoctor.cli import main
from awsdoctor.findings import Location, Severity
from awsdoctor.live import Expectation
from conftest import AwsHome

# The loopback-only socket guard (autouse) and the moto server fixture.
pytest_plugins = ("live.fixtures",)

MOTO_USER = "arn:aws:sts::123456789012:user/moto"
KEY_ID = "AKIAEXAMPLE000000002"

CREDENTIALS = f"""\
[base]
aws_access_key_id = {KEY_ID}
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
"""

CONFIG = """\
[profile base]
region = eu-west-1

[profile deploy]
role_arn = arn:aws:iam::444455556666:role/platform/deployer
source_profile = base
role_session_name = doctor
region = eu-west-1
"""

DEPLOYER_ARN = "arn:aws:sts::444455556666:assumed-role/deployer/doctor"


def test_static_keys_user_arn(aws_home: AwsHome, moto_url: str) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    report = run_live_check(aws_home, live_env(aws_home, moto_url), "base")
    assert report.results[0].actual is not None
    assert report.results[0].actual.arn == MOTO_USER


def test_static_keys_status_unknown(aws_home: AwsHome, moto_url: str) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    report = run_live_check(aws_home, live_env(aws_home, moto_url), "base")
    assert report.results[0].status == "unknown"
    assert report.findings == []


def test_role_profile_assumed_arn(aws_home: AwsHome, moto_url: str) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    report = run_live_check(aws_home, live_env(aws_home, moto_url), "deploy")
    result = report.results[0]
    assert result.actual is not None
    assert result.actual.arn == DEPLOYER_ARN
    assert result.credentials_from == "assume-role"
    assert result.status == "ok"
    assert report.findings == []


def test_role_profile_source_identity(aws_home: AwsHome, moto_url: str) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    report = run_live_check(aws_home, live_env(aws_home, moto_url), "deploy")
    assert report.results[0].source_identity is not None
    assert report.results[0].source_identity.arn == MOTO_USER


def test_wrong_session_name(aws_home: AwsHome, moto_url: str) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    report = run_live_check(aws_home, live_env(aws_home, moto_url), "deploy",
                            expect=Expectation(arn="arn:aws:sts::444455556666:assumed-role/deployer/ci-*"))
    assert [finding.rule for finding in report.findings] == ["AD803"]
    assert report.findings[0].message == (
        f"profile 'deploy': GetCallerIdentity returned {DEPLOYER_ARN}, but --expect-account / --expect-arn expects "
        "arn:aws:sts::444455556666:assumed-role/deployer/ci-*"
    )


def test_expected_account_mismatch(aws_home: AwsHome, moto_url: str) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    declared = {"base": Expectation(account="999999999999", origin="the awsdoctor settings file (profiles.base)")}
    report = run_live_check(aws_home, live_env(aws_home, moto_url), "base", declared=declared)
    assert [finding.rule for finding in report.findings] == ["AD802"]
    finding = report.findings[0]
    assert finding.message == (
        f"profile 'base': GetCallerIdentity returned account 123456789012 ({MOTO_USER}), but the awsdoctor "
        "settings file (profiles.base) expects account 999999999999"
    )
    assert finding.location == Location(kind="config", path="~/.aws/config", line=1, column=1,
                                        section="profile base", profile="base")


def test_expected_account_match(aws_home: AwsHome, moto_url: str) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    report = run_live_check(aws_home, live_env(aws_home, moto_url), "base",
                            expect=Expectation(account="123456789012"))
    assert report.results[0].status == "ok"


def test_exported_keys_beat_aws_profile(aws_home: AwsHome, moto_url: str) -> None:
    # botocore keeps the environment provider first when the profile comes from AWS_PROFILE.
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    env = live_env(aws_home, moto_url, AWS_PROFILE="deploy", AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXPORTED1",
                   AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXPORTED1")
    report = run_live_check(aws_home, env)
    assert [finding.rule for finding in report.findings] == ["AD801"]
    finding = report.findings[0]
    assert finding.severity == Severity.ERROR
    assert finding.message == (
        "AWS_PROFILE selects profile 'deploy', but the exported AWS_ACCESS_KEY_ID (AKIA****************) won: "
        f"GetCallerIdentity returned {MOTO_USER}; profile 'deploy' would be {DEPLOYER_ARN}"
    )
    assert finding.location == Location(kind="environment", variable="AWS_ACCESS_KEY_ID")


def test_profile_flag_beats_exported_keys(aws_home: AwsHome, moto_url: str) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    env = live_env(aws_home, moto_url, AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXPORTED1",
                   AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXPORTED1")
    report = run_live_check(aws_home, env, "deploy")
    assert report.results[0].credentials_from == "assume-role"
    assert report.findings == []


def test_all_profiles_checked(aws_home: AwsHome, moto_url: str) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    report = run_live_check(aws_home, live_env(aws_home, moto_url), all_profiles=True)
    assert [(result.profile, result.status) for result in report.results] == [("base", "unknown"),
                                                                                ("deploy", "ok")]


def test_guard_rejects_other_hosts(loopback_only: list[str]) -> None:
    # 192.0.2.1 is TEST-NET-1 (RFC 5737); the guard rejects it before any packet is sent.
    with pytest.raises(OSError, match=r"rejected \(loopback only\)"):
        socket.create_connection(("192.0.2.1", 443), timeout=0.1)
    assert loopback_only == ["192.0.2.1"]
    loopback_only.clear()


def test_settings_file_expectation(aws_home: AwsHome, moto_url: str, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    (aws_home.root / ".awsdoctor.toml").write_text('[profiles.base]\naccount = "999999999999"\n', encoding="utf-8")
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in live_env(aws_home, moto_url).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(aws_home.root)
    status = main(["check", "--format", "json", "--live", "--profile", "base", "--select", "AD8"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1
    assert [finding["rule"] for finding in report["findings"]] == ["AD802"]
    assert report["findings"][0]["message"] == (
        f"profile 'base': GetCallerIdentity returned account 123456789012 ({MOTO_USER}), but the awsdoctor "
        "settings file (profiles.base) expects account 999999999999"
    )
    assert report["live"][0]["expected"] == {"arn": None, "account": "999999999999",
                                             "from": "the awsdoctor settings file (profiles.base)"}


def test_exported_keys_without_aws_profile(aws_home: AwsHome, moto_url: str) -> None:
    # With nothing selecting a profile, exported keys are the ordinary way to pass credentials.
    config = CONFIG.replace("[profile deploy]", "[default]")
    aws_home.write(config=config, credentials=CREDENTIALS)
    env = live_env(aws_home, moto_url, AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXPORTED1",
                   AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXPORTED1")
    report = run_live_check(aws_home, env)
    assert report.findings == []
    assert report.results[0].status == "unknown"
