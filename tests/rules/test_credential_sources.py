"""Tests of rules/credential_sources.py that need files on disk, and botocore's own behaviour for each rule.

botocore runs with IMDS disabled, AWS_ENDPOINT_URL at a closed loopback
port and no network call: the providers either raise on the configuration
or return deferred credentials that are never refreshed. The only process a
test starts is a stand-in credential_process script written to tmp_path.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from awsdoctor.findings import Finding
from awsdoctor.setup import load_setup
from conftest import FIXTURES, AwsHome, check_setup

NOW = 1_800_000_000.0
LOOPBACK = "http://127.0.0.1:9"
TOKEN_TEXT = "eyJ-placeholder-access-token"

SSO_SESSION_CONFIG = """\
[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = admin
"""

SSO_LEGACY_CONFIG = """\
[profile old]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = admin
"""


def run(home: AwsHome, select: str, env: dict[str, str] | None = None, profile: str | None = None) -> list[Finding]:
    setup = load_setup({"HOME": str(home.home), **(env or {})}, profile=profile, cwd=str(home.root))
    return check_setup(setup.replace(now=NOW), (select,))


def write_token(home: AwsHome, cache_input: str, **fields: Any) -> Path:
    directory = home.aws / "sso" / "cache"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (hashlib.sha1(cache_input.encode()).hexdigest() + ".json")
    path.write_text(json.dumps(fields))
    return path


def iso(seconds: float) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- SSO token cache -----------------------------------------------------------------


def test_sso_token_missing(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_SESSION_CONFIG)
    findings = run(aws_home, "AD507")
    digest = hashlib.sha1(b"corp").hexdigest()
    assert [finding.message for finding in findings] == [
        f"profile 'dev': no cached SSO token for sso_session corp (~/.aws/sso/cache/{digest}.json does not exist); "
        "botocore cannot get credentials until you log in again"
    ]


def test_sso_token_missing_hint(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_SESSION_CONFIG)
    assert run(aws_home, "AD507")[0].hint == "Run `aws sso login --profile dev`."


def test_sso_token_valid(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_SESSION_CONFIG)
    write_token(aws_home, "corp", accessToken=TOKEN_TEXT, expiresAt=iso(NOW + 3600))
    assert run(aws_home, "AD507") == []


def test_legacy_token_expired(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_LEGACY_CONFIG)
    write_token(aws_home, "https://legacy.awsapps.com/start", accessToken=TOKEN_TEXT, expiresAt=iso(NOW - 60))
    messages = [finding.message for finding in run(aws_home, "AD507")]
    assert messages == [
        "profile 'old': the cached SSO token for sso_start_url https://legacy.awsapps.com/start has expired; "
        "botocore cannot get credentials until you log in again"
    ]


def test_session_token_expired_refreshable(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_SESSION_CONFIG)
    write_token(aws_home, "corp", accessToken=TOKEN_TEXT, expiresAt=iso(NOW - 60), refreshToken="r",
                clientId="c", clientSecret="s", registrationExpiresAt=iso(NOW + 86400))
    assert run(aws_home, "AD507") == []


def test_session_token_registration_expired(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_SESSION_CONFIG)
    write_token(aws_home, "corp", accessToken=TOKEN_TEXT, expiresAt=iso(NOW - 60), refreshToken="r",
                clientId="c", clientSecret="s", registrationExpiresAt=iso(NOW - 1))
    assert len(run(aws_home, "AD507")) == 1


def test_sso_token_invalid(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_SESSION_CONFIG)
    write_token(aws_home, "corp", expiresAt=iso(NOW + 3600))
    assert "lacks accessToken" in run(aws_home, "AD507")[0].message


def test_sso_token_never_printed(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_LEGACY_CONFIG)
    write_token(aws_home, "https://legacy.awsapps.com/start", accessToken=TOKEN_TEXT, expiresAt=iso(NOW - 60))
    finding = run(aws_home, "AD507")[0]
    assert TOKEN_TEXT not in f"{finding.message} {finding.hint}"


def test_sso_token_skipped_for_files(aws_home: AwsHome) -> None:
    from conftest import check_files

    aws_home.write(config=SSO_SESSION_CONFIG)
    assert check_files([str(aws_home.config)], ("AD507",)) == []


# -- web identity token files -----------------------------------------------------------


def web_identity_config(path: str) -> str:
    return f"[profile ci]\nrole_arn = arn:aws:iam::111122223333:role/ci\nweb_identity_token_file = {path}\n"


def test_token_file_present(aws_home: AwsHome) -> None:
    token = aws_home.root / "token"
    token.write_text("header.payload.signature")
    aws_home.write(config=web_identity_config(str(token)))
    assert run(aws_home, "AD510") == []


def test_token_file_directory(aws_home: AwsHome) -> None:
    aws_home.write(config=web_identity_config(str(aws_home.root)))
    assert run(aws_home, "AD510")[0].message == (
        f"profile 'ci': web_identity_token_file = {aws_home.root} is a directory, not a token file"
    )


def test_token_file_empty(aws_home: AwsHome) -> None:
    token = aws_home.root / "token"
    token.write_text("")
    aws_home.write(config=web_identity_config(str(token)))
    assert run(aws_home, "AD510")[0].message.endswith("is empty; STS rejects an empty web identity token")


def test_token_file_relative_to_cwd(aws_home: AwsHome) -> None:
    (aws_home.root / "token").write_text("header.payload.signature")
    aws_home.write(config=web_identity_config("token"))
    assert run(aws_home, "AD510") == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_token_file_unreadable(aws_home: AwsHome) -> None:
    token = aws_home.root / "token"
    token.write_text("header.payload.signature")
    token.chmod(0)
    aws_home.write(config=web_identity_config(str(token)))
    assert run(aws_home, "AD510")[0].message.endswith("cannot be read by this user")


def test_env_token_file_present_with_role(aws_home: AwsHome) -> None:
    token = aws_home.root / "token"
    token.write_text("header.payload.signature")
    env = {"AWS_WEB_IDENTITY_TOKEN_FILE": str(token), "AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/ci"}
    assert run(aws_home, "AD511", env) == []


# -- credential_process programs ---------------------------------------------------------


def make_program(directory: Path, name: str, mode: int = 0o755) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text("#!/bin/sh\nexit 1\n")
    path.chmod(mode)
    return path


def test_process_found_on_path(aws_home: AwsHome) -> None:
    make_program(aws_home.root / "bin", "creds-helper")
    aws_home.write(config="[profile dev]\ncredential_process = creds-helper --profile dev\n")
    assert run(aws_home, "AD521", {"PATH": str(aws_home.root / "bin")}) == []


def test_process_not_executable(aws_home: AwsHome) -> None:
    make_program(aws_home.root / "bin", "creds-helper", mode=0o644)
    aws_home.write(config="[profile dev]\ncredential_process = creds-helper --profile dev\n")
    findings = run(aws_home, "AD521", {"PATH": str(aws_home.root / "bin")})
    assert [finding.rule for finding in findings] == ["AD521"]


def test_process_tilde_not_expanded(aws_home: AwsHome) -> None:
    make_program(aws_home.home / "bin", "creds-helper")
    aws_home.write(config="[profile dev]\ncredential_process = ~/bin/creds-helper\n")
    assert run(aws_home, "AD521")[0].message == (
        "profile 'dev': credential_process runs ~/bin/creds-helper, which is not found: without a shell ~ is not "
        "expanded; botocore raises FileNotFoundError when it needs credentials"
    )


def test_process_never_run(aws_home: AwsHome) -> None:
    marker = aws_home.root / "ran"
    program = aws_home.root / "bin" / "creds-helper"
    program.parent.mkdir()
    program.write_text(f"#!/bin/sh\ntouch {marker}\n")
    program.chmod(0o755)
    aws_home.write(config=f"[profile dev]\ncredential_process = {program}\n")
    check_setup(load_setup({"HOME": str(aws_home.home)}, cwd=str(aws_home.root)))
    assert not marker.exists()


# -- the reported case -------------------------------------------------------------------


def test_case_054_both_profiles(aws_home: AwsHome) -> None:
    config = (FIXTURES / "cases" / "054-sso-session-name-mismatch" / "config").read_bytes()
    aws_home.write(config=config)
    findings = run(aws_home, "AD5", profile="profile-west")
    found = [(finding.rule, finding.severity.label, finding.location.profile) for finding in findings]
    assert found == [("AD500", "error", "profile-east"), ("AD500", "error", "profile-west")]


def test_case_054_names_both_spellings(aws_home: AwsHome) -> None:
    config = (FIXTURES / "cases" / "054-sso-session-name-mismatch" / "config").read_bytes()
    aws_home.write(config=config)
    finding = run(aws_home, "AD5", profile="profile-west")[1]
    assert "sso_session = mysession" in finding.message
    assert "Set sso_session = my-session" in finding.hint


def test_case_054_region_not_blamed(aws_home: AwsHome) -> None:
    config = (FIXTURES / "cases" / "054-sso-session-name-mismatch" / "config").read_bytes()
    aws_home.write(config=config)
    findings = run(aws_home, "AD", profile="profile-west")
    assert [finding.rule for finding in findings if "sso_region" in finding.message] == []


# -- botocore as the oracle --------------------------------------------------------------


BotocoreSession = Callable[..., Any]


@pytest.fixture
def botocore_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BotocoreSession:
    """Return a function that writes the two files, sets the environment and returns a botocore Session."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "BOTO")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", LOOPBACK)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))

    def create(config: str, credentials: str = "", profile: str | None = None, **env: str) -> Any:
        import botocore.session

        (tmp_path / "config").write_text(config)
        (tmp_path / "credentials").write_text(credentials)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return botocore.session.Session(profile=profile)

    return create


def sso_error(session: Any, profile: str) -> str:
    from botocore.credentials import SSOProvider
    from botocore.exceptions import InvalidConfigError

    provider = SSOProvider(load_config=lambda: session.full_config, client_creator=None, profile_name=profile)
    with pytest.raises(InvalidConfigError) as raised:
        provider.load()
    return str(raised.value)


def first_message(aws_home: AwsHome, config: str, code: str, **env: str) -> str:
    aws_home.write(config=config)
    return run(aws_home, code, env)[0].message


def test_botocore_sso_missing_keys(botocore_session: BotocoreSession, aws_home: AwsHome) -> None:
    config = "[profile dev]\nsso_account_id = 111122223333\n"
    error = sso_error(botocore_session(config), "dev")
    assert error in first_message(aws_home, config, "AD501")


def test_botocore_sso_session_missing(botocore_session: BotocoreSession, aws_home: AwsHome) -> None:
    config = SSO_SESSION_CONFIG.replace("sso_session = corp", "sso_session = crop")
    error = sso_error(botocore_session(config), "dev")
    assert error in first_message(aws_home, config, "AD500")


def test_botocore_sso_inconsistent(botocore_session: BotocoreSession, aws_home: AwsHome) -> None:
    config = SSO_SESSION_CONFIG + "sso_region = eu-west-1\n"
    error = sso_error(botocore_session(config), "dev")
    assert error in first_message(aws_home, config, "AD502")


def test_botocore_sso_profile_region_free(botocore_session: BotocoreSession) -> None:
    from botocore.credentials import SSOProvider

    session = botocore_session(SSO_SESSION_CONFIG + "region = eu-west-1\n")
    provider = SSOProvider(load_config=lambda: session.full_config, client_creator=None, profile_name="dev")
    assert provider._load_sso_config()["sso_region"] == "us-east-1"


def test_botocore_token_only_profile(botocore_session: BotocoreSession) -> None:
    from botocore.credentials import SSOProvider

    session = botocore_session("[profile login]\nsso_start_url = https://example.awsapps.com/start\n")
    provider = SSOProvider(load_config=lambda: session.full_config, client_creator=None, profile_name="login")
    assert provider.load() is None


def test_botocore_web_identity_without_role(botocore_session: BotocoreSession, aws_home: AwsHome) -> None:
    from botocore.credentials import AssumeRoleWithWebIdentityProvider
    from botocore.exceptions import InvalidConfigError

    session = botocore_session("", AWS_WEB_IDENTITY_TOKEN_FILE="/nonexistent/awsdoctor/token")
    provider = AssumeRoleWithWebIdentityProvider(load_config=lambda: session.full_config, client_creator=None,
                                                 profile_name="default")
    with pytest.raises(InvalidConfigError) as raised:
        provider.load()
    aws_home.write()
    messages = [finding.message for finding in run(
        aws_home, "AD511", {"AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/awsdoctor/token"})]
    assert any(str(raised.value) in message for message in messages)


def test_botocore_role_arn_alone_ignored(botocore_session: BotocoreSession) -> None:
    from botocore.credentials import AssumeRoleWithWebIdentityProvider

    session = botocore_session("", AWS_ROLE_ARN="arn:aws:iam::111122223333:role/ci")
    provider = AssumeRoleWithWebIdentityProvider(load_config=lambda: session.full_config, client_creator=None,
                                                 profile_name="default")
    assert provider.load() is None


def test_botocore_web_identity_beats_source(botocore_session: BotocoreSession) -> None:
    config = ("[profile base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = placeholder\n"
              "[profile ci]\nrole_arn = arn:aws:iam::111122223333:role/ci\n"
              "web_identity_token_file = /nonexistent/token\nsource_profile = base\n")
    credentials = botocore_session(config, profile="ci").get_credentials()
    assert credentials.method == "assume-role-with-web-identity"


def test_botocore_web_identity_env_over_ambient_profile(botocore_session: BotocoreSession) -> None:
    session = botocore_session(SSO_SESSION_CONFIG, AWS_PROFILE="dev",
                               AWS_ROLE_ARN="arn:aws:iam::111122223333:role/pod",
                               AWS_WEB_IDENTITY_TOKEN_FILE="/nonexistent/token")
    assert session.get_credentials().method == "assume-role-with-web-identity"


def test_botocore_web_identity_env_ignored_with_profile(botocore_session: BotocoreSession) -> None:
    session = botocore_session(SSO_SESSION_CONFIG, profile="dev",
                               AWS_ROLE_ARN="arn:aws:iam::111122223333:role/pod",
                               AWS_WEB_IDENTITY_TOKEN_FILE="/nonexistent/token")
    assert session.get_credentials().method == "sso"


@pytest.mark.parametrize("url", ["http://10.0.0.5/creds", "169.254.170.2/creds"])
def test_botocore_container_host_rejected(url: str, aws_home: AwsHome) -> None:
    from botocore.utils import ContainerMetadataFetcher

    with pytest.raises(ValueError, match="Unsupported host") as raised:
        ContainerMetadataFetcher()._validate_allowed_url(url)
    aws_home.write()
    messages = [finding.message for finding in run(aws_home, "AD514", {"AWS_CONTAINER_CREDENTIALS_FULL_URI": url})]
    assert any(str(raised.value) in message for message in messages)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/creds", "http://[::1]/creds", "http://localhost/creds",
                                 "http://169.254.170.23/v1/credentials", "https://creds.example.com/"])
def test_botocore_container_host_allowed(url: str, aws_home: AwsHome) -> None:
    from botocore.utils import ContainerMetadataFetcher

    ContainerMetadataFetcher()._validate_allowed_url(url)
    aws_home.write()
    assert run(aws_home, "AD514", {"AWS_CONTAINER_CREDENTIALS_FULL_URI": url}) == []


def test_botocore_process_unbalanced_quote(botocore_session: BotocoreSession) -> None:
    from botocore.credentials import ProcessProvider

    session = botocore_session('[profile dev]\ncredential_process = "/opt/bin/get creds\n')
    provider = ProcessProvider("dev", load_config=lambda: session.full_config)
    with pytest.raises(ValueError, match="No closing quotation"):
        provider.load()


def test_botocore_process_not_found(botocore_session: BotocoreSession) -> None:
    from botocore.credentials import ProcessProvider

    session = botocore_session("[profile dev]\ncredential_process = /nonexistent/awsdoctor/helper\n")
    provider = ProcessProvider("dev", load_config=lambda: session.full_config)
    with pytest.raises(FileNotFoundError):
        provider.load()


def test_botocore_process_gets_literal_pipe(botocore_session: BotocoreSession, tmp_path: Path) -> None:
    from botocore.credentials import ProcessProvider

    program = tmp_path / "print-args"
    output = {"Version": 1, "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "placeholder"}
    program.write_text(f"#!/bin/sh\necho \"$*\" > {tmp_path / 'args'}\necho '{json.dumps(output)}'\n")
    program.chmod(0o755)
    session = botocore_session(f"[profile dev]\ncredential_process = {program} one | jq .\n")
    ProcessProvider("dev", load_config=lambda: session.full_config).load()
    assert (tmp_path / "args").read_text() == "one | jq .\n"


def test_botocore_credentials_file_keys_beat_process(botocore_session: BotocoreSession) -> None:
    session = botocore_session(
        "[profile dev]\ncredential_process = /nonexistent/awsdoctor/helper\n",
        "[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = placeholder\n",
        profile="dev",
    )
    assert session.get_credentials().method == "shared-credentials-file"


def test_botocore_process_beats_config_keys(botocore_session: BotocoreSession, tmp_path: Path) -> None:
    program = tmp_path / "creds"
    output = {"Version": 1, "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "placeholder"}
    program.write_text(f"#!/bin/sh\necho '{json.dumps(output)}'\n")
    program.chmod(0o755)
    session = botocore_session(
        f"[profile dev]\ncredential_process = {program}\n"
        "aws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = placeholder\n",
        profile="dev",
    )
    assert session.get_credentials().method == "custom-process"


def test_botocore_sso_beats_process(botocore_session: BotocoreSession) -> None:
    session = botocore_session(SSO_SESSION_CONFIG + "credential_process = /nonexistent/awsdoctor/helper\n",
                               profile="dev")
    assert session.get_credentials().method == "sso"


def test_botocore_container_token_line_break() -> None:
    from botocore.credentials import ContainerProvider

    provider = ContainerProvider(environ={"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc",
                                          "AWS_CONTAINER_AUTHORIZATION_TOKEN": "placeholder-token\n"})
    with pytest.raises(ValueError, match="Auth token value is not a legal header value"):
        provider._build_headers()


def test_botocore_container_token_file_missing(tmp_path: Path) -> None:
    from botocore.credentials import ContainerProvider

    provider = ContainerProvider(environ={"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc",
                                          "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": str(tmp_path / "missing")})
    with pytest.raises(FileNotFoundError):
        provider._build_headers()


def test_container_token_file_present(aws_home: AwsHome) -> None:
    token = aws_home.root / "eks-pod-identity-token"
    token.write_text("placeholder-token")
    aws_home.write()
    env = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
           "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": str(token)}
    assert run(aws_home, "AD514", env) == []


# -- the probes behind these rules ---------------------------------------------------------


@pytest.mark.parametrize("name", ["corp", "https://example.awsapps.com/start", "séance"])
def test_cache_key_matches_botocore(name: str) -> None:
    from botocore.utils import SSOTokenLoader

    from awsdoctor.probes import sso_cache_key

    assert sso_cache_key(name) == SSOTokenLoader()._generate_cache_key(name, None)


@pytest.mark.parametrize(("text", "expected"), [
    ("2027-01-15T08:00:00Z", NOW),
    ("2027-01-15T08:00:00UTC", None),
    ("2027-01-15T08:00:00+00:00", NOW),
    ("2027-01-15T08:00:00", NOW),
    ("tomorrow", None),
    (3600, None),
])
def test_parse_timestamp(text: object, expected: float | None) -> None:
    from awsdoctor.probes import parse_timestamp

    assert parse_timestamp(text) == expected


def test_find_command_ignores_directories(tmp_path: Path) -> None:
    from awsdoctor.probes import find_command

    (tmp_path / "first" / "helper").mkdir(parents=True)
    program = make_program(tmp_path / "second", "helper")
    search_path = f"{tmp_path / 'first'}:{tmp_path / 'second'}"
    assert find_command("helper", search_path, str(tmp_path)) == str(program)
