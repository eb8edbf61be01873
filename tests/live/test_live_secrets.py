"""Replies and errors that quote credentials never reach a live report, in any format or log.

botocore's ResponseParserError repeats the whole reply it could not parse.
For AssumeRole that reply contains the issued secret access key and session
token. The stub here sends three such replies: one that is invalid XML
because the echoed role_session_name contains the byte 0x01, a truncated
one, and an error page that quotes credentials as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from live.stub_sts import (
    ISSUED_ACCESS_KEY_ID,
    ISSUED_SECRET_ACCESS_KEY,
    ISSUED_SESSION_TOKEN,
    NAMESPACE,
    Reply,
    StubSts,
)
from live.support import live_env, run_live_check

from awsdoctor.findings import Location
from awsdoctor.live import ClientSettings
from awsdoctor.secrets import hide_credential_fields, redact_error_text
from conftest import AwsHome

# The loopback-only socket guard (autouse) and the moto server fixture.
pytest_plugins = ("live.fixtures",)

# Unlike the documentation's example keys, which the SARIF rule help quotes, these occur nowhere else.
BASE_KEY_ID = "AKIAEXAMPLELIVE00001"
BASE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYLIVESECRET1"
SECRETS = (BASE_KEY_ID, BASE_SECRET, ISSUED_ACCESS_KEY_ID, ISSUED_SECRET_ACCESS_KEY, ISSUED_SESSION_TOKEN)
ALICE = "arn:aws:iam::111122223333:user/alice"

CREDENTIALS = f"""\
[base]
aws_access_key_id = {BASE_KEY_ID}
aws_secret_access_key = {BASE_SECRET}
"""

# STS would reject the session name, but the stub echoes it into its reply, which is then not well-formed XML.
CONFIG = """\
[profile base]
region = us-east-1

[profile prod]
role_arn = arn:aws:iam::444455556666:role/deployer
source_profile = base
role_session_name = a\x01b
region = us-east-1
"""

REPLIES = [Reply("GetCallerIdentity", signed_by=BASE_KEY_ID, fields={"Arn": ALICE}), Reply("AssumeRole")]
FAST = ClientSettings(connect_timeout=1.0, read_timeout=2.0, max_attempts=1)

PARSE_FAULT = ("ResponseParserError: Unable to parse response (not well-formed (invalid token): line 1, column "
               "142), invalid XML received. Further retries may succeed")
MESSAGE = (f"profile 'prod': the STS endpoint answered AssumeRole, but botocore could not parse the reply "
           f"({PARSE_FAULT}); the identity is unknown")
HINT = ("Check that AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, endpoint_url and the proxy variables lead to STS, "
        "then run the check again.")

TRUNCATED = (f'<AssumeRoleResponse xmlns="{NAMESPACE}"><AssumeRoleResult><Credentials>'
             f"<AccessKeyId>{ISSUED_ACCESS_KEY_ID}</AccessKeyId><SecretAccessKey>{ISSUED_SECRET_ACCESS_KEY}"
             f"</SecretAccessKey><SessionToken>{ISSUED_SESSION_TOKEN}")
ERROR_PAGE = (f'<html><body>{{"AccessKeyId": "{ISSUED_ACCESS_KEY_ID}", "SecretAccessKey": '
              f'"{ISSUED_SECRET_ACCESS_KEY}", "SessionToken": "{ISSUED_SESSION_TOKEN}"}}</body>')


def leaked(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def run_check(home: AwsHome, url: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsdoctor", "check", "--live", "--profile", "prod", "--max-attempts", "1", *options],
        env=live_env(home, url), cwd=home.root, capture_output=True, text=True, timeout=60, check=False,
    )


def test_unparsable_reply_finding(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    with StubSts(REPLIES) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "prod", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD818"]
    assert report.findings[0].message == MESSAGE
    assert report.findings[0].hint == HINT
    assert report.findings[0].location == Location(kind="config", path="~/.aws/config", line=4, column=1,
                                                   section="profile prod", profile="prod")
    assert stub.actions() == ["GetCallerIdentity", "AssumeRole"]


def test_unparsable_reply_row(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    with StubSts(REPLIES) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "prod", settings=FAST)
    assert report.results[0].status == "error"
    assert report.results[0].error == PARSE_FAULT


@pytest.mark.parametrize("format_name", ["text", "json", "sarif", "github"])
def test_unparsable_reply_hidden(aws_home: AwsHome, format_name: str) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    with StubSts(REPLIES) as stub:
        completed = run_check(aws_home, stub.url, "--format", format_name, "--color", "never")
    assert completed.returncode == 1
    assert completed.stderr == ""
    assert leaked(completed.stdout) == []
    assert MESSAGE in completed.stdout


def test_unparsable_reply_json(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    with StubSts(REPLIES) as stub:
        completed = run_check(aws_home, stub.url, "--format", "json", "--select", "AD8")
    report: dict[str, Any] = json.loads(completed.stdout)
    assert [(finding["rule"], finding["message"]) for finding in report["findings"]] == [("AD818", MESSAGE)]
    assert report["live"][0]["error"] == PARSE_FAULT


def test_unparsable_reply_debug_log(aws_home: AwsHome) -> None:
    # botocore logs the failed refresh as a warning with the exception, whose text is the whole reply.
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    with StubSts(REPLIES) as stub:
        completed = run_check(aws_home, stub.url, "--format", "json", "-vv")
    warning = ("awsdoctor: WARNING: Refreshing temporary credentials failed during mandatory refresh period. "
               f"({PARSE_FAULT})")
    assert completed.returncode == 1
    assert leaked(completed.stdout + completed.stderr) == []
    assert warning in completed.stderr.splitlines()
    assert "Traceback" not in completed.stderr


def test_table_escapes_control_bytes(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    with StubSts(REPLIES) as stub:
        completed = run_check(aws_home, stub.url, "--format", "text", "--color", "never", "--select", "AD8")
    row = completed.stdout.splitlines()[4]
    assert row.split()[:3] == ["prod", "assume-role", "arn:aws:sts::444455556666:assumed-role/deployer/a\\x01b"]


def test_truncated_reply_hidden(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG.replace("role_session_name = a\x01b\n", ""), credentials=CREDENTIALS)
    replies = [REPLIES[0], Reply("AssumeRole", body=TRUNCATED)]
    with StubSts(replies) as stub:
        completed = run_check(aws_home, stub.url, "--format", "json", "--select", "AD8")
    report: dict[str, Any] = json.loads(completed.stdout)
    assert completed.returncode == 1
    assert leaked(completed.stdout + completed.stderr) == []
    assert [finding["rule"] for finding in report["findings"]] == ["AD818"]


def test_error_page_hidden(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    with StubSts([Reply("GetCallerIdentity", status=403, body=ERROR_PAGE)]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "prod", settings=FAST)
    assert report.findings[0].message == (
        "source profile 'base': the STS endpoint answered GetCallerIdentity, but botocore could not parse the "
        "reply (ResponseParserError: Unable to parse response (no element found: line 1, column 209), invalid XML "
        "received. Further retries may succeed); the identity is unknown"
    )


def test_reply_without_credentials(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG.replace("role_session_name = a\x01b\n", ""), credentials=CREDENTIALS)
    empty = f'<AssumeRoleResponse xmlns="{NAMESPACE}"><AssumeRoleResult></AssumeRoleResult></AssumeRoleResponse>'
    with StubSts([REPLIES[0], Reply("AssumeRole", body=empty)]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "prod", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD817"]
    assert report.findings[0].message == (
        "profile 'prod': botocore could not build credentials after calling STS (AssumeRole): KeyError: 'Credentials'"
    )


def test_process_error_hidden(aws_home: AwsHome) -> None:
    # botocore quotes credential_process's stderr in CredentialRetrievalError.
    script = aws_home.root / "creds.py"
    script.write_text(f"import sys\nsys.stderr.write({ERROR_PAGE!r})\nsys.exit(1)\n", encoding="utf-8")
    config = f"[profile prod]\ncredential_process = {sys.executable} {script}\nregion = us-east-1\n"
    aws_home.write(config=config)
    with StubSts([]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "prod", settings=FAST)
    assert report.findings[0].message == (
        "profile 'prod': botocore could not build credentials, so STS was not called: CredentialRetrievalError: "
        'Error when retrieving credentials from custom-process: <html><body>{"AccessKeyId": "(hidden)", '
        '"SecretAccessKey": "(hidden)", "SessionToken": "(hidden)"}</body>'
    )
    assert stub.requests == []


def test_hide_xml_elements() -> None:
    xml = (f"<Credentials><AccessKeyId>{ISSUED_ACCESS_KEY_ID}</AccessKeyId><SecretAccessKey>"
           f"{ISSUED_SECRET_ACCESS_KEY}</SecretAccessKey><SessionToken>{ISSUED_SESSION_TOKEN}</SessionToken>"
           "<Expiration>2026-12-05T00:00:00Z</Expiration></Credentials>")
    assert hide_credential_fields(xml) == (
        "<Credentials><AccessKeyId>(hidden)</AccessKeyId><SecretAccessKey>(hidden)</SecretAccessKey>"
        "<SessionToken>(hidden)</SessionToken><Expiration>2026-12-05T00:00:00Z</Expiration></Credentials>"
    )


def test_hide_json_fields() -> None:
    text = '{"Version": 1, "SecretAccessKey": "a\\"b", "Token": "t", "Expiration": "soon"}'
    assert hide_credential_fields(text) == (
        '{"Version": 1, "SecretAccessKey": "(hidden)", "Token": "(hidden)", "Expiration": "soon"}'
    )


def test_hide_python_literal() -> None:
    text = "{'sessionToken': 'abc', 'accessKeyId': 'ASIA', 'expiration': 1}"
    assert hide_credential_fields(text) == "{'sessionToken': '(hidden)', 'accessKeyId': '(hidden)', 'expiration': 1}"


def test_hide_unterminated_values() -> None:
    assert hide_credential_fields('<SessionToken>abc "SecretAccessKey": "xyz') == (
        '<SessionToken>(hidden)'
    )


def test_hide_setting() -> None:
    assert hide_credential_fields("aws_session_token = abc rest") == "aws_session_token = (hidden) rest"


def test_redact_error_cuts_after_redaction() -> None:
    text = f"first\nsecond {BASE_KEY_ID} <SecretAccessKey>{BASE_SECRET}</SecretAccessKey>"
    assert redact_error_text(text, limit=40) == "first second AKIA**************** <Se..."
