"""AD6xx environment rules: the parts the TOML cases cannot express, and botocore's own behaviour behind them.

The ``test_botocore_*`` tests run the installed botocore offline against
temporary files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, HOME) with the
container and instance-metadata providers removed and every socket connection
refused, and check that botocore behaves as each rule states.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from awsdoctor.rules.environment import (
    BOTOCORE_SESSION_VARIABLES,
    GO_FALLBACK_VARIABLES,
    KNOWN_VARIABLES,
    TOKEN_VARIABLES,
    suggest_variable,
)
from awsdoctor.setup import load_setup
from conftest import FIXTURES, AwsHome, check_setup

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
TEMPORARY_KEY_ID = "ASIAIOSFODNN7EXAMPLE"
TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN0000000000000000"
OLD_TOKEN = "FwoGZXIvYXdzEXAMPLETOKEN1111111111111111"
PROFILE_KEY_ID = "AKIAPROFILE000000001"

PLATFORM_CONFIG = "[profile platform]\nregion = eu-central-1\n"
PLATFORM_CREDENTIALS = f"[platform]\naws_access_key_id = {PROFILE_KEY_ID}\naws_secret_access_key = profile-secret\n"


def findings_for(setup_env: dict[str, str], home: AwsHome, select: str = "AD6",
                 profile: str | None = None) -> list[tuple[str, str, str | None]]:
    findings = check_setup(home.setup(setup_env, profile=profile), (select,))
    return [(f.rule, f.severity.label, f.location.variable) for f in findings]


# -- the reported cases ----------------------------------------------------


def run_reported_case(name: str, tmp_path: Path) -> list[tuple[str, str, str | None]]:
    """Lay out fixtures/cases/NAME as its grade.json describes and run only the AD6xx rules on it."""
    case = FIXTURES / "cases" / name
    grade = json.loads((case / "grade.json").read_text())
    home = AwsHome(tmp_path)
    for target, source in grade["setup"]["files"].items():
        path = home.home / target.removeprefix("~/")
        path.write_bytes((case / source).read_bytes())
    args = grade["args"]
    profile = args[args.index("--profile") + 1] if "--profile" in args else None
    return findings_for(dict(grade["setup"]["env"]), home, profile=profile)


def test_case_env_keys_shadow_aws_profile(tmp_path: Path) -> None:
    assert run_reported_case("001-env-keys-shadow-aws-profile", tmp_path) == [
        ("AD601", "warning", "AWS_ACCESS_KEY_ID"),
        ("AD602", "info", "AWS_PROFILE"),
    ]


def test_case_env_keys_vs_profile_flag(tmp_path: Path) -> None:
    assert run_reported_case("002-env-keys-vs-explicit-profile-flag", tmp_path) == [
        ("AD603", "info", "AWS_ACCESS_KEY_ID"),
    ]


def test_case_nonexistent_aws_profile(tmp_path: Path) -> None:
    assert run_reported_case("004-nonexistent-aws-profile-env", tmp_path) == [
        ("AD609", "error", "AWS_PROFILE"),
    ]


def test_case_security_token_shadows(tmp_path: Path) -> None:
    assert run_reported_case("007-security-token-env-shadows-session-token", tmp_path) == [
        ("AD607", "error", "AWS_SECURITY_TOKEN"),
        ("AD608", "info", "AWS_SECURITY_TOKEN"),
    ]


# -- file variables the TOML harness cannot lay out ------------------------


def test_tilde_inside_path(aws_home: AwsHome) -> None:
    literal = aws_home.root / "app" / "~" / ".aws"
    literal.mkdir(parents=True)
    (literal / "config").write_text("[default]\nregion = us-east-1\n")
    findings = check_setup(aws_home.setup({"AWS_CONFIG_FILE": f"{aws_home.root}/app/~/.aws/config"}), ("AD614",))
    assert [(f.rule, f.location.variable) for f in findings] == [("AD614", "AWS_CONFIG_FILE")]
    assert findings[0].message == (
        f"AWS_CONFIG_FILE = {aws_home.root}/app/~/.aws/config contains a ~ that botocore does not expand "
        f"(only a leading ~ is), so it reads {aws_home.root}/app/~/.aws/config, where ~ is a literal directory name"
    )


def test_trailing_tilde_is_a_name(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-east-1\n")
    backup = aws_home.aws / "config~"
    backup.write_text("[default]\nregion = us-east-1\n")
    assert check_setup(aws_home.setup({"AWS_CONFIG_FILE": str(backup)}), ("AD614",)) == []


def test_relative_path_missing(aws_home: AwsHome) -> None:
    findings = check_setup(aws_home.setup({"AWS_CONFIG_FILE": "aws/config"}), ("AD612",))
    assert [(f.rule, f.severity.label) for f in findings] == [("AD612", "warning")]
    assert findings[0].message == (
        f"AWS_CONFIG_FILE points at {aws_home.root}/aws/config, which does not exist (the path is relative, so "
        "botocore resolves it against the working directory): botocore silently treats the config file as "
        "empty, so its profiles and settings are missing"
    )


def test_fifo_as_config_file(aws_home: AwsHome) -> None:
    fifo = aws_home.root / "fifo"
    os.mkfifo(fifo)
    findings = check_setup(aws_home.setup({"AWS_CONFIG_FILE": str(fifo), "AWS_PROFILE": "dev"}), ("AD612",))
    assert [(f.rule, f.severity.label) for f in findings] == [("AD612", "error")]
    assert findings[0].message == (
        f"AWS_CONFIG_FILE points at {fifo}, which is not a regular file: botocore silently treats the config "
        "file as empty, so profile 'dev' is not found"
    )


def test_broken_symlink_as_credentials(aws_home: AwsHome) -> None:
    aws_home.credentials.symlink_to(aws_home.root / "gone")
    env = {"AWS_SHARED_CREDENTIALS_FILE": str(aws_home.credentials)}
    findings = check_setup(aws_home.setup(env), ("AD612",))
    assert [(f.rule, f.severity.label) for f in findings] == [("AD612", "warning")]
    assert "which is a symbolic link to a missing target" in findings[0].message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_config_file(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-east-1\n")
    aws_home.config.chmod(0)
    findings = check_setup(aws_home.setup({"AWS_CONFIG_FILE": str(aws_home.config)}), ("AD612",))
    assert [(f.rule, f.severity.label) for f in findings] == [("AD612", "warning")]
    assert "which cannot be read" in findings[0].message


def test_file_variables_skipped_for_file_arguments(aws_home: AwsHome) -> None:
    from conftest import check_files

    aws_home.write(config="[default]\nregion = us-east-1\n")
    assert check_files([str(aws_home.config)], ("AD6",)) == []


# -- secrets ---------------------------------------------------------------


def test_no_secret_in_any_finding(aws_home: AwsHome) -> None:
    aws_home.write(config=PLATFORM_CONFIG, credentials=PLATFORM_CREDENTIALS)
    env = {
        "AWS_PROFILE": "platform",
        "AWS_ACCESS_KEY_ID": KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_SESSION_TOKEN": TOKEN,
        "AWS_SECURITY_TOKEN": OLD_TOKEN,
        "AWS_SECRET_ACCESS_KEY_ID": SECRET,
        "AWS_SECRET_KEY": SECRET,
        "AWS_CREDENTIAL_EXPIRATION": "2001-01-01T00:00:00Z",
    }
    findings = check_setup(aws_home.setup(env), ("AD6",))
    texts = [f"{f.message} {f.hint}" for f in findings]
    assert len(findings) >= 8
    for secret in (SECRET, TOKEN, OLD_TOKEN, KEY_ID):
        assert not any(secret in text for text in texts), secret


# -- variable names --------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("AWS_DEFAULT_REGIONS", "AWS_DEFAULT_REGION"),
    ("AWS_DEFUALT_REGION", "AWS_DEFAULT_REGION"),
    ("AWS_PROFILES", "AWS_PROFILE"),
    ("AWS_DEFAULT_OUTPUTS", "AWS_DEFAULT_OUTPUT"),
    ("AWS_SECRET_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
    ("AWS_ACESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
    ("AWS_CREDENTIALS_FILE", "AWS_SHARED_CREDENTIALS_FILE"),
    ("AWS_SHARED_CONFIG_FILE", "AWS_CONFIG_FILE"),
    ("aws_profile", "AWS_PROFILE"),
    ("Aws_Region", "AWS_REGION"),
    ("aws_endpoint_url_s3", "AWS_ENDPOINT_URL_S3"),
])
def test_suggest_misspelled(name: str, expected: str) -> None:
    assert suggest_variable(name) == expected


@pytest.mark.parametrize("name", [
    "AWS_REGION", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_VAULT", "AWS_VAULT_BACKEND", "AWS_SESSION_EXPIRATION",
    "AWS_SESSION_TOKEN_TTL", "AWS_ASSUME_ROLE_TTL", "AWS_SSO_PROFILE", "AWS_SAM_STACK_NAME", "AWS_LAMBDA_RUNTIME_API",
    "AWS_ENDPOINT_URL_STS", "AWS_BEARER_TOKEN_BEDROCK", "AWS_CLI_AUTO_PROMPT", "AWS_SDK_LOAD_CONFIG",
    "AWS_ACCOUNT", "AWS_ACCOUNT_NUMBER", "AWS_BUCKET", "AWS_ROLE", "AWS_REGION_NAME", "GRANTED_SSO",
    "AWSUME_PROFILE", "SAML2AWS_PROFILE", "CDK_DEFAULT_ACCOUNT", "PATH",
])
def test_suggest_leaves_alone(name: str) -> None:
    assert suggest_variable(name) is None


def test_known_names_cover_botocore() -> None:
    import botocore.configprovider

    variables = botocore.configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES
    names: set[str] = set()
    for _, env_names, _, _ in variables.values():
        if isinstance(env_names, str):
            names.add(env_names)
        elif env_names:
            names.update(env_names)
    assert names <= BOTOCORE_SESSION_VARIABLES, sorted(names - BOTOCORE_SESSION_VARIABLES)


def test_known_names_cover_env_provider() -> None:
    from botocore.credentials import EnvProvider

    provider_names = {EnvProvider.ACCESS_KEY, EnvProvider.SECRET_KEY, EnvProvider.EXPIRY_TIME,
                      EnvProvider.ACCOUNT_ID, *EnvProvider.TOKENS}
    assert provider_names <= KNOWN_VARIABLES


def test_token_order_matches_botocore() -> None:
    from botocore.credentials import EnvProvider

    assert list(TOKEN_VARIABLES) == EnvProvider.TOKENS


def test_go_fallbacks_are_not_known() -> None:
    assert not set(GO_FALLBACK_VARIABLES) & KNOWN_VARIABLES


def test_check_path_skips_botocore() -> None:
    code = (
        "import sys, awsdoctor.rules.environment; "
        "print(sorted(name for name in ('botocore', 'boto3', 'dateutil') if name in sys.modules))"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


# -- botocore behaves as each rule states --------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make any connection attempt fail the test, even where botocore would swallow the error."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object, *args: object) -> None:
        attempts.append(address)
        raise AssertionError(f"network access attempted: {address!r}")

    def refuse_create(address: object, *args: object, **kwargs: object) -> socket.socket:
        attempts.append(address)
        raise AssertionError(f"network access attempted: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse_create)
    yield
    assert attempts == []


class Botocore:
    """A botocore session on temporary files and a controlled environment, with no network provider."""

    def __init__(self, home: AwsHome, monkeypatch: pytest.MonkeyPatch) -> None:
        self.home = home
        self.monkeypatch = monkeypatch

    def session(self, env: dict[str, str], profile: str | None = None, strip_providers: bool = True) -> Any:
        """Build a session; ``strip_providers`` resolves the profile at once, so pass False to see ProfileNotFound."""
        import botocore.session

        for name in list(os.environ):
            if name.startswith(("AWS_", "BOTO")):
                self.monkeypatch.delenv(name)
        base = {
            "HOME": str(self.home.home),
            "AWS_CONFIG_FILE": str(self.home.config),
            "AWS_SHARED_CREDENTIALS_FILE": str(self.home.credentials),
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        }
        for name, value in {**base, **env}.items():
            self.monkeypatch.setenv(name, value)
        session = botocore.session.Session(profile=profile)
        if strip_providers:
            resolver = session.get_component("credential_provider")
            for method in ("container-role", "iam-role"):
                resolver.remove(method)
        return session


@pytest.fixture
def botocore_env(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch, no_network: None) -> Botocore:
    return Botocore(aws_home, monkeypatch)


def test_botocore_env_keys_beat_aws_profile(botocore_env: Botocore) -> None:
    botocore_env.home.write(config=PLATFORM_CONFIG, credentials=PLATFORM_CREDENTIALS)
    session = botocore_env.session({"AWS_PROFILE": "platform", "AWS_ACCESS_KEY_ID": KEY_ID,
                                    "AWS_SECRET_ACCESS_KEY": SECRET})
    credentials = session.get_credentials()
    assert credentials.method == "env"
    assert credentials.access_key == KEY_ID
    assert session.get_config_variable("region") == "eu-central-1"


def test_botocore_profile_flag_drops_env_keys(botocore_env: Botocore) -> None:
    botocore_env.home.write(config=PLATFORM_CONFIG, credentials=PLATFORM_CREDENTIALS)
    session = botocore_env.session({"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET},
                                   profile="platform")
    assert session.get_credentials().access_key == PROFILE_KEY_ID


def test_botocore_key_without_secret_fails(botocore_env: Botocore) -> None:
    from botocore.exceptions import PartialCredentialsError

    botocore_env.home.write(config=PLATFORM_CONFIG, credentials=PLATFORM_CREDENTIALS)
    session = botocore_env.session({"AWS_PROFILE": "platform", "AWS_ACCESS_KEY_ID": KEY_ID})
    with pytest.raises(PartialCredentialsError) as raised:
        session.get_credentials()
    assert str(raised.value) == "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY"


def test_botocore_key_without_secret_flag(botocore_env: Botocore) -> None:
    botocore_env.home.write(config=PLATFORM_CONFIG, credentials=PLATFORM_CREDENTIALS)
    session = botocore_env.session({"AWS_ACCESS_KEY_ID": KEY_ID}, profile="platform")
    assert session.get_credentials().access_key == PROFILE_KEY_ID


@pytest.mark.parametrize("env", [
    {"AWS_SECRET_ACCESS_KEY": SECRET},
    {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": SECRET},
])
def test_botocore_ignores_incomplete_keys(botocore_env: Botocore, env: dict[str, str]) -> None:
    botocore_env.home.write(config=PLATFORM_CONFIG, credentials=PLATFORM_CREDENTIALS)
    session = botocore_env.session({"AWS_PROFILE": "platform", **env})
    assert session.get_credentials().access_key == PROFILE_KEY_ID


def test_botocore_temporary_key_without_token(botocore_env: Botocore) -> None:
    session = botocore_env.session({"AWS_ACCESS_KEY_ID": TEMPORARY_KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET})
    assert session.get_credentials().token is None


def test_botocore_sends_leftover_token(botocore_env: Botocore) -> None:
    session = botocore_env.session({"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET,
                                    "AWS_SESSION_TOKEN": OLD_TOKEN})
    assert session.get_credentials().token == OLD_TOKEN


def test_botocore_legacy_token_wins(botocore_env: Botocore) -> None:
    session = botocore_env.session({"AWS_ACCESS_KEY_ID": TEMPORARY_KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET,
                                    "AWS_SESSION_TOKEN": TOKEN, "AWS_SECURITY_TOKEN": OLD_TOKEN})
    assert session.get_credentials().token == OLD_TOKEN


def test_botocore_empty_legacy_token_skipped(botocore_env: Botocore) -> None:
    session = botocore_env.session({"AWS_ACCESS_KEY_ID": TEMPORARY_KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET,
                                    "AWS_SESSION_TOKEN": TOKEN, "AWS_SECURITY_TOKEN": ""})
    assert session.get_credentials().token == TOKEN


@pytest.mark.parametrize(("value", "message"), [
    ("sandbox", "The config profile (sandbox) could not be found"),
    ("", "The config profile () could not be found"),
    ("default", "The config profile (default) could not be found"),
    ("Platform", "The config profile (Platform) could not be found"),
])
def test_botocore_profile_not_found(botocore_env: Botocore, value: str, message: str) -> None:
    from botocore.exceptions import ProfileNotFound

    botocore_env.home.write(config=PLATFORM_CONFIG)
    session = botocore_env.session({"AWS_PROFILE": value}, strip_providers=False)
    with pytest.raises(ProfileNotFound) as raised:
        session.get_scoped_config()
    assert str(raised.value) == message


def test_botocore_no_default_needed_unset(botocore_env: Botocore) -> None:
    botocore_env.home.write(config=PLATFORM_CONFIG)
    assert botocore_env.session({}).get_scoped_config() == {}


def test_botocore_default_profile_first(botocore_env: Botocore) -> None:
    botocore_env.home.write(config=PLATFORM_CONFIG + "[profile other]\nregion = us-west-2\n")
    session = botocore_env.session({"AWS_DEFAULT_PROFILE": "other", "AWS_PROFILE": "platform"})
    assert session.get_config_variable("region") == "us-west-2"


def test_botocore_ignores_aws_region(botocore_env: Botocore) -> None:
    botocore_env.home.write(config="[default]\nregion = us-east-1\n")
    session = botocore_env.session({"AWS_REGION": "eu-west-1"})
    assert session.get_config_variable("region") == "us-east-1"


@pytest.mark.parametrize("path", ["{root}/cofnig", "{root}", ""])
def test_botocore_unusable_config_is_empty(botocore_env: Botocore, path: str) -> None:
    from botocore.exceptions import ProfileNotFound

    botocore_env.home.write(config=PLATFORM_CONFIG)
    session = botocore_env.session({"AWS_CONFIG_FILE": path.format(root=botocore_env.home.root),
                                    "AWS_PROFILE": "platform"}, strip_providers=False)
    assert session.full_config["profiles"] == {}
    with pytest.raises(ProfileNotFound):
        session.get_scoped_config()


def test_botocore_relative_path_uses_cwd(botocore_env: Botocore, monkeypatch: pytest.MonkeyPatch) -> None:
    botocore_env.home.write(config=PLATFORM_CONFIG)
    monkeypatch.chdir(botocore_env.home.home)
    session = botocore_env.session({"AWS_CONFIG_FILE": ".aws/config"})
    assert list(session.full_config["profiles"]) == ["platform"]


def test_botocore_inner_tilde_literal(botocore_env: Botocore) -> None:
    botocore_env.home.write(config=PLATFORM_CONFIG)
    session = botocore_env.session({"AWS_CONFIG_FILE": f"{botocore_env.home.root}/~/.aws/config"})
    assert session.full_config["profiles"] == {}


@pytest.mark.parametrize(("value", "error"), [
    ("2001-01-01T00:00:00Z", "RuntimeError"),
    ("2999-01-01T00:00:00", "TypeError"),
    ("1893456000", "ParserError"),
    ("tomorrow", "ParserError"),
])
def test_botocore_unusable_expiration(botocore_env: Botocore, value: str, error: str) -> None:
    session = botocore_env.session({"AWS_ACCESS_KEY_ID": TEMPORARY_KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET,
                                    "AWS_SESSION_TOKEN": TOKEN, "AWS_CREDENTIAL_EXPIRATION": value})
    # The errors come from dateutil, Python and botocore, so the class name is compared.
    with pytest.raises(Exception) as raised:
        session.get_credentials().get_frozen_credentials()
    assert type(raised.value).__name__ == error


def test_botocore_future_expiration(botocore_env: Botocore) -> None:
    session = botocore_env.session({"AWS_ACCESS_KEY_ID": TEMPORARY_KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET,
                                    "AWS_SESSION_TOKEN": TOKEN, "AWS_CREDENTIAL_EXPIRATION": "2999-01-01T00:00:00Z"})
    assert session.get_credentials().get_frozen_credentials().access_key == TEMPORARY_KEY_ID


@pytest.mark.parametrize(("value", "disabled"), [("1", False), ("yes", False), ("TRUE", True), ("true", True)])
def test_botocore_imds_disabled_value(value: str, disabled: bool) -> None:
    from botocore.utils import IMDSFetcher

    assert IMDSFetcher(env={"AWS_EC2_METADATA_DISABLED": value})._disabled is disabled


ENVIRONMENT_ROLE = """
[profile deploy]
role_arn = arn:aws:iam::123456789012:role/deploy
credential_source = Environment
"""


def test_botocore_environment_role_skipped(botocore_env: Botocore) -> None:
    botocore_env.home.write(config=ENVIRONMENT_ROLE)
    session = botocore_env.session({"AWS_PROFILE": "deploy", "AWS_ACCESS_KEY_ID": KEY_ID,
                                    "AWS_SECRET_ACCESS_KEY": SECRET})
    credentials = session.get_credentials()
    assert credentials.method == "env"


def test_botocore_profile_flag_removes_env(botocore_env: Botocore) -> None:
    botocore_env.home.write(config=ENVIRONMENT_ROLE)
    session = botocore_env.session({"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET},
                                   profile="deploy")
    methods = [provider.METHOD for provider in session.get_component("credential_provider").providers]
    assert methods[0] == "assume-role"


def test_botocore_session_name_env_unused(botocore_env: Botocore) -> None:
    botocore_env.home.write(config=PLATFORM_CONFIG, credentials=PLATFORM_CREDENTIALS)
    botocore_env.home.config.write_text(
        PLATFORM_CONFIG + "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
        "source_profile = platform\n"
    )
    session = botocore_env.session({"AWS_PROFILE": "deploy", "AWS_ROLE_SESSION_NAME": "ci-build"})
    provider = session.get_component("credential_provider").get_provider("assume-role")
    provider._loaded_config = session.full_config
    assert provider._get_role_config("deploy")["role_session_name"] is None


def test_botocore_session_name_flag_ignored(botocore_env: Botocore) -> None:
    botocore_env.home.write(config=(
        "[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/ci\n"
        "web_identity_token_file = /nonexistent/token\nrole_session_name = from-profile\n"
    ))
    session = botocore_env.session({"AWS_ROLE_SESSION_NAME": "ci-build"}, profile="ci")
    provider = session.get_component("credential_provider").get_provider("assume-role-with-web-identity")
    assert provider._get_config("role_session_name") == "from-profile"


def test_botocore_ignores_misspelled_region(botocore_env: Botocore) -> None:
    session = botocore_env.session({"AWS_DEFAULT_REGIONS": "eu-west-1"})
    assert session.get_config_variable("region") is None


def test_botocore_ignores_go_fallbacks(botocore_env: Botocore) -> None:
    session = botocore_env.session({"AWS_ACCESS_KEY": KEY_ID, "AWS_SECRET_KEY": SECRET})
    assert session.get_credentials() is None


def test_setup_selection_matches_botocore(aws_home: AwsHome) -> None:
    setup = load_setup({"HOME": str(aws_home.home), "AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "b"})
    assert (setup.selection.name, setup.selection_v2.name) == ("a", "b")


def test_botocore_parse_error_beats_env_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken config file stops botocore before the environment provider is asked."""
    import botocore.session
    from botocore.exceptions import ConfigParseError

    config = tmp_path / "config"
    config.write_text("[profile base]\nregion = us-east-1\n\n[profile base]\noutput = json\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("AWS_PROFILE", "base")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE000000003")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(ConfigParseError):
        botocore.session.Session().get_credentials()


def test_botocore_keeps_whitespace_in_env_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.credentials import EnvProvider

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", " AKIAEXAMPLE000000003")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example\n")
    credentials = EnvProvider().load()
    assert credentials is not None
    assert credentials.access_key == " AKIAEXAMPLE000000003"
