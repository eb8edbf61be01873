"""``awsdoctor check --live`` end to end: exit status, stdout and stderr, with STS on 127.0.0.1.

The root-user case (fixtures/cases/049-root-user-assume-role) is served from
its own ``live`` spec: GetCallerIdentity of the source profile returns the
root ARN and AssumeRole is denied with STS's root message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from live.stub_sts import ISSUED_ACCESS_KEY_ID, ISSUED_SECRET_ACCESS_KEY, ISSUED_SESSION_TOKEN, Reply, StubSts
from live.support import live_env

from awsdoctor.cli import main
from conftest import FIXTURES, AwsHome

# The loopback-only socket guard (autouse) and the moto server fixture.
pytest_plugins = ("live.fixtures",)

CASE = FIXTURES / "cases" / "049-root-user-assume-role"
ROOT_KEY_ID = "AKIAEXAMPLE000000047"
ROOT_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE053"
# botocore names the session botocore-session-<epoch seconds> when role_session_name is unset.
VIEWER_PATTERN = "arn:aws:sts::444455556666:assumed-role/infra-viewer/botocore-session-*"


def case_replies(case: Path) -> list[Reply]:
    """Translate a case's ``live.sts`` spec (action, when, status, response) into stub replies."""
    grade = json.loads((case / "grade.json").read_text(encoding="utf-8"))
    replies = []
    for entry in grade["live"]["sts"]:
        response: dict[str, Any] = entry.get("response", {})
        error = response.get("Error")
        replies.append(Reply(
            action=entry["action"],
            when=entry.get("when", {}),
            status=entry.get("status", 200),
            fields={} if error else response,
            error=(error["Code"], error["Message"]) if error else None,
        ))
    return replies


def write_case(home: AwsHome, case: Path) -> None:
    home.write(config=(case / "config").read_bytes(), credentials=(case / "credentials").read_bytes())


def run_cli(monkeypatch: pytest.MonkeyPatch, home: AwsHome, env: dict[str, str], *argv: str) -> int:
    """Run ``awsdoctor`` in-process with exactly ``env`` as the environment and the temp root as cwd."""
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(home.root)
    return main(list(argv))


def findings_at(report: dict[str, Any], profile: str) -> list[tuple[str, str]]:
    return [(finding["rule"], finding["severity"]) for finding in report["findings"]
            if finding["location"]["profile"] == profile]


def test_root_case_exit_status(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    write_case(aws_home, CASE)
    with StubSts(case_replies(CASE)) as stub:
        status = run_cli(monkeypatch, aws_home, live_env(aws_home, stub.url),
                         "check", "--format", "json", "--profile", "eks-viewer", "--live")
    captured = capsys.readouterr()
    assert status == 1
    assert captured.err == ""
    report = json.loads(captured.out)
    assert ("AD804", "error") in findings_at(report, "eks-viewer")
    assert ("AD805", "warning") in findings_at(report, "default")


def test_root_case_messages(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    write_case(aws_home, CASE)
    with StubSts(case_replies(CASE)) as stub:
        run_cli(monkeypatch, aws_home, live_env(aws_home, stub.url),
                "check", "--format", "json", "--profile", "eks-viewer", "--live", "--select", "AD8")
    report = json.loads(capsys.readouterr().out)
    messages = {finding["rule"]: finding for finding in report["findings"]}
    assert messages["AD804"]["message"] == (
        "profile 'eks-viewer': source profile 'default' resolves to the account root user "
        "(arn:aws:iam::111122223333:root); STS does not let root credentials assume role infra-viewer "
        "(AccessDenied: Roles may not be assumed by root accounts.)"
    )
    assert messages["AD805"]["message"] == (
        "profile 'default' contains long-term access keys of the account root user (arn:aws:iam::111122223333:root); "
        "root access keys cannot be limited by IAM policies and cannot assume roles"
    )
    assert messages["AD805"]["hint"].startswith("Delete the root user's access keys")
    assert messages["AD805"]["location"]["key"] == "aws_access_key_id"


def test_root_case_live_array(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    write_case(aws_home, CASE)
    with StubSts(case_replies(CASE)) as stub:
        run_cli(monkeypatch, aws_home, live_env(aws_home, stub.url),
                "check", "--format", "json", "--profile", "eks-viewer", "--live")
    live = json.loads(capsys.readouterr().out)["live"]
    assert live == [{
        "profile": "eks-viewer",
        "selected_by": "--profile",
        "source_profile": "default",
        "source_identity": {"arn": "arn:aws:iam::111122223333:root", "account": "111122223333",
                            "user_id": "111122223333"},
        "expected": {"arn": VIEWER_PATTERN, "account": "444455556666",
                     "from": "role_arn of profile 'eks-viewer'"},
        "actual": None,
        "credentials_from": "assume-role",
        "status": "error",
        "error": "AccessDenied: Roles may not be assumed by root accounts.",
    }]


def test_root_case_offline(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    # Nothing in the files distinguishes root keys from IAM user keys, so without --live there is no error.
    write_case(aws_home, CASE)
    with StubSts(case_replies(CASE)) as stub:
        status = run_cli(monkeypatch, aws_home, live_env(aws_home, stub.url),
                         "check", "--format", "json", "--profile", "eks-viewer")
    report = json.loads(capsys.readouterr().out)
    assert [rule for rule, severity in findings_at(report, "eks-viewer") if severity == "error"] == []
    assert "live" not in report
    assert stub.requests == []
    assert status == 0


def test_text_table_before_findings(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    write_case(aws_home, CASE)
    with StubSts(case_replies(CASE)) as stub:
        status = run_cli(monkeypatch, aws_home, live_env(aws_home, stub.url),
                         "check", "--format", "text", "--color", "never", "--profile", "eks-viewer", "--live",
                         "--select", "AD8")
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert status == 1
    assert captured.err == ""
    assert lines[2] == "Live identity (STS GetCallerIdentity)"
    assert lines[4].split() == ["eks-viewer", "assume-role", VIEWER_PATTERN,
                                "(AccessDenied:", "Roles", "may", "not", "be", "assumed", "by", "root",
                                "accounts.)", "error"]
    assert lines[5].split() == ["via", "default", "source", "-", "arn:aws:iam::111122223333:root"]
    assert lines[7] == "Live checks"


def test_no_secret_in_debug_output(aws_home: AwsHome) -> None:
    # botocore's DEBUG log quotes the Authorization header and the AssumeRole response, so -vv must hide them.
    write_case(aws_home, CASE)
    replies = [Reply("GetCallerIdentity", signed_by=ROOT_KEY_ID, fields={"Arn": "arn:aws:iam::111122223333:user/a"}),
               Reply("AssumeRole"),
               Reply("GetCallerIdentity", fields={"Arn": "arn:aws:sts::444455556666:assumed-role/infra-viewer/s"})]
    with StubSts(replies) as stub:
        env = live_env(aws_home, stub.url, AWS_PROFILE="eks-viewer", AWS_ACCESS_KEY_ID=ROOT_KEY_ID,
                       AWS_SECRET_ACCESS_KEY=ROOT_SECRET)
        completed = subprocess.run(
            [sys.executable, "-m", "awsdoctor", "check", "--format", "json", "--live", "--profile", "eks-viewer",
             "-vv"],
            env=env, cwd=aws_home.root, capture_output=True, text=True, timeout=60, check=False,
        )
    output = completed.stdout + completed.stderr
    assert [request.action for request in stub.requests] == ["GetCallerIdentity", "AssumeRole", "GetCallerIdentity"]
    for secret in (ROOT_KEY_ID, ROOT_SECRET, ISSUED_ACCESS_KEY_ID, ISSUED_SECRET_ACCESS_KEY, ISSUED_SESSION_TOKEN):
        assert secret not in output


def test_mfa_code_must_be_six_digits(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    write_case(aws_home, CASE)
    status = run_cli(monkeypatch, aws_home, live_env(aws_home, "http://127.0.0.1:9"),
                     "check", "--live", "--profile", "eks-viewer", "--mfa-code", "12")
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert captured.err == "awsdoctor: error: --mfa-code must be the six digits shown by the MFA device\n"


def test_root_case_matches_schema(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    schema_path = Path(__file__).resolve().parents[2] / "awsdoctor" / "schemas" / "report.schema.json"
    write_case(aws_home, CASE)
    with StubSts(case_replies(CASE)) as stub:
        run_cli(monkeypatch, aws_home, live_env(aws_home, stub.url),
                "check", "--format", "json", "--profile", "eks-viewer", "--live")
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, json.loads(schema_path.read_text(encoding="utf-8")))


def test_failed_assume_role_keeps_stderr_quiet(aws_home: AwsHome) -> None:
    # botocore logs a failed refresh as a warning with a traceback, which the finding already reports.
    write_case(aws_home, CASE)
    with StubSts(case_replies(CASE)) as stub:
        completed = subprocess.run(
            [sys.executable, "-m", "awsdoctor", "check", "--format", "json", "--live", "--profile", "eks-viewer"],
            env=live_env(aws_home, stub.url), cwd=aws_home.root, capture_output=True, text=True, timeout=60,
            check=False,
        )
    assert completed.returncode == 1
    assert completed.stderr == ""
    assert ("AD804", "error") in findings_at(json.loads(completed.stdout), "eks-viewer")
