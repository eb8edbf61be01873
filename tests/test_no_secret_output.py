"""Known secrets fed through every rule and every output format never come out.

The setup below puts secret keys, session tokens, full access key ids, an SSO
access token, a password inside an endpoint URL and a secret in a
credential_process argument everywhere awsdoctor reads: both files (with
mistakes that make rules quote values), the environment and the CLI and SSO
caches. Each command's stdout and stderr together must contain none of them.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest

from conftest import AwsHome

KEY_IDS = ("AKIAEXAMPLESECRET001", "ASIAEXAMPLESECRET002", "AKIAEXAMPLESECRET003", "AKIAEXAMPLESECRET004")
SECRETS = (
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLES01",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLES02",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLES03",
    "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0004",
    "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0005",
    "FwoGZXIvYXdzEXAMPLESECURITYTOKEN006",
    "ssoAccessTokenEXAMPLE0007",
    "urlPasswordEXAMPLE0008",
    "processSecretEXAMPLE0009",
    "misspelledSecretEXAMPLE0010",
)

CONFIG = f"""\
[default]
region = us-east-1 # with an inline comment
aws_access_key_id = "{KEY_IDS[0]}"
aws_secret_access_key = {SECRETS[0]}
aws_session_token = {SECRETS[3]}

[profile temp]
aws_access_key_id = {KEY_IDS[1]}
aws_secret_key = {SECRETS[9]}
endpoint_url = https://admin:{SECRETS[7]}@localhost:4566

[profile tool]
credential_process = /usr/bin/env get-creds --token {SECRETS[8]} --profile tool

[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile role]
role_arn = arn:aws:iam::111122223333:role/r
source_profile = default
aws_access_key_id = {KEY_IDS[3]}

[DEFAULT]
aws_security_token = {SECRETS[5]}
"""
CREDENTIALS = f"""\
[default]
aws_access_key_id = {KEY_IDS[2]}
aws_secret_access_key =  {SECRETS[1]}

[profile split]
aws_secret_access_key = {SECRETS[2]}
"""
ENVIRONMENT = {
    "AWS_PROFILE": "temp",
    "AWS_ACCESS_KEY_ID": f" {KEY_IDS[1]}",
    "AWS_SECRET_ACCESS_KEY": SECRETS[1],
    "AWS_SESSION_TOKEN": SECRETS[4],
    "AWS_SECURITY_TOKEN": SECRETS[5],
    "AWS_ENDPOINT_URL_STS": f"https://user:{SECRETS[7]}@127.0.0.1:9",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN": SECRETS[6],
}
COMMANDS = [
    *[["check", "--format", name] for name in ("text", "json", "sarif", "github")],
    ["check", "--format", "text", "-vv"],
    ["check", "--profile", "default", "--format", "json"],
    ["explain", "--format", "text"],
    ["explain", "--format", "json", "-vv"],
    ["explain", "--profile", "tool"],
]


@pytest.fixture
def leaky_home(aws_home: AwsHome) -> AwsHome:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    cli_cache = aws_home.aws / "cli" / "cache"
    cli_cache.mkdir(parents=True)
    (cli_cache / "0123.json").write_text(json.dumps({"Credentials": {
        "AccessKeyId": KEY_IDS[1], "SecretAccessKey": SECRETS[2], "SessionToken": SECRETS[4],
        "Expiration": "2001-01-01T00:00:00UTC"}}))
    sso_cache = aws_home.aws / "sso" / "cache"
    sso_cache.mkdir(parents=True)
    (sso_cache / f"{hashlib.sha1(b'corp').hexdigest()}.json").write_text(json.dumps({
        "accessToken": SECRETS[6], "expiresAt": "2001-01-01T00:00:00Z"}))
    return aws_home


def run(home: AwsHome, arguments: list[str], env: dict[str, str]) -> str:
    variables = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home.home),
                 "AWS_EC2_METADATA_DISABLED": "true", **env}
    completed = subprocess.run([sys.executable, "-m", "awsdoctor", *arguments], env=variables, cwd=home.root,
                               capture_output=True, text=True, check=False, timeout=60)
    assert completed.returncode in (0, 1), completed.stderr
    return completed.stdout + completed.stderr


@pytest.mark.parametrize("arguments", COMMANDS, ids=lambda arguments: " ".join(arguments))
def test_live_setup_hides_secrets(leaky_home: AwsHome, arguments: list[str]) -> None:
    output = run(leaky_home, arguments, ENVIRONMENT)
    print("OUT", output)
    assert [secret for secret in (*KEY_IDS, *SECRETS) if secret in output] == []


@pytest.mark.parametrize("format_name", ["text", "json", "sarif", "github"])
def test_linted_files_hide_secrets(leaky_home: AwsHome, format_name: str) -> None:
    arguments = ["check", "--format", format_name, str(leaky_home.config), str(leaky_home.credentials)]
    output = run(leaky_home, arguments, {})
    assert [secret for secret in (*KEY_IDS, *SECRETS) if secret in output] == []


def test_secrets_reach_many_rule_areas(leaky_home: AwsHome) -> None:
    """Make sure the secrets really pass through rules: the setup gives findings from many areas."""
    report = json.loads(run(leaky_home, ["check", "--format", "json"], ENVIRONMENT))
    areas = {finding["rule"][:3] for finding in report["findings"]}
    assert {"AD1", "AD2", "AD3", "AD4", "AD5", "AD6", "AD7"} <= areas


# Any request that is not for AWS_ENDPOINT_URL_STS goes to a closed loopback port, so nothing leaves the machine.
CLOSED_PROXY = {name: "http://127.0.0.1:9" for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")}


@pytest.mark.parametrize("format_name", ["text", "json", "sarif", "github"])
def test_live_check_hides_secrets(leaky_home: AwsHome, format_name: str) -> None:
    # AWS_ENDPOINT_URL_STS is a closed loopback port, so each profile fails with botocore's error text
    # (connection, partial keys, credential_process, SSO token).
    arguments = ["check", "--live", "--all-profiles", "--max-attempts", "1", "--format", format_name]
    output = run(leaky_home, arguments, {**ENVIRONMENT, **CLOSED_PROXY, "NO_PROXY": "127.0.0.1"})
    assert [secret for secret in (*KEY_IDS, *SECRETS) if secret in output] == []
