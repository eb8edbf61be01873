"""``awsdoctor explain``: the documented role-profile example in text and JSON, and the command line."""

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

from awsdoctor.cli import main
from awsdoctor.explain import SESSION_VARIABLES, build_explanation, display_value, render_json, render_text
from conftest import AwsHome

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXAMPLE = FIXTURES / "resolver" / "production-admin"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

EXPECTED_TEXT = """\
awsdoctor explain: profile 'production-admin' (--profile)

Settings
  profile            production-admin                      --profile
  config_file        ~/.aws/config                         default
  credentials_file   ~/.aws/credentials                    default
  region             us-west-2                             ~/.aws/config:5
  role_arn           arn:aws:iam::123456789012:role/admin  ~/.aws/config:2
  source_profile     source-user                           ~/.aws/config:3
  role_session_name  alice-admin                           ~/.aws/config:4
  external_id        my-external-id                        ~/.aws/config:6
  duration_seconds   3600                                  default (STS)

Credential chain (botocore: boto3, CLI v1 and v2)
  env                            skipped      removed from the chain because the profile was given as --profile
  assume-role                    used         assume arn:aws:iam::123456789012:role/admin with credentials from \
source_profile 'source-user'
  assume-role-with-web-identity  not-reached
  sso                            not-reached
  shared-credentials-file        not-reached
  login                          not-reached
  custom-process                 not-reached
  config-file                    not-reached
  ec2-credentials-file           not-reached
  boto-config                    not-reached
  container-role                 not-reached
  iam-role                       not-reached

Role chain
  production-admin  assume-role              assumes arn:aws:iam::123456789012:role/admin with source_profile \
'source-user'
  source-user       shared-credentials-file  static keys (AKIA****************) in ~/.aws/credentials [source-user], \
line 2

Expected caller ARN
  arn:aws:sts::123456789012:assumed-role/admin/alice-admin

Result: credentials from assume-role; region us-west-2 (~/.aws/config:5)

Other tools in this environment
  tool            profile           credentials  region                       differs from CLI v1 / boto3
  CLI v1 / boto3  production-admin  assume role  us-west-2 (~/.aws/config:5)  -
  CLI v2          production-admin  assume role  us-west-2 (~/.aws/config:5)  -
  JavaScript v3   production-admin  assume role  us-west-2 (~/.aws/config:5)  -
  Go v2           production-admin  assume role  us-west-2 (~/.aws/config:5)  -
  Java v2         production-admin  assume role  us-west-2 (~/.aws/config:5)  -
"""


def config_location(line: int, column: int, key: str) -> dict[str, Any]:
    return {"kind": "config", "path": "~/.aws/config", "line": line, "column": column,
            "section": "profile production-admin", "profile": "production-admin", "key": key, "variable": None}


def setting(name: str, value: str, origin: str, location: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "value": value, "origin": origin, "location": location, "note": None}


def tool(name: str) -> dict[str, Any]:
    return {"tool": name, "profile": "production-admin", "credentials": "assume role", "region": "us-west-2",
            "region_origin": "~/.aws/config:5", "differs": []}


REGION_LOCATION = config_location(5, 10, "region")

EXPECTED_JSON: dict[str, Any] = {
    "version": 1,
    "profile": {"name": "production-admin", "explicit": True, "source": "--profile"},
    "settings": [
        setting("profile", "production-admin", "--profile"),
        setting("config_file", "~/.aws/config", "default"),
        setting("credentials_file", "~/.aws/credentials", "default"),
        setting("region", "us-west-2", "~/.aws/config:5", REGION_LOCATION),
        setting("role_arn", "arn:aws:iam::123456789012:role/admin", "~/.aws/config:2",
                config_location(2, 1, "role_arn")),
        setting("source_profile", "source-user", "~/.aws/config:3", config_location(3, 1, "source_profile")),
        setting("role_session_name", "alice-admin", "~/.aws/config:4", config_location(4, 1, "role_session_name")),
        setting("external_id", "my-external-id", "~/.aws/config:6", config_location(6, 1, "external_id")),
        setting("duration_seconds", "3600", "default (STS)"),
    ],
    "environment": [],
    "credentials": {"method": "assume-role", "error": None, "depends_on_host": False},
    "chain": [
        {"method": "env", "status": "skipped",
         "reason": "removed from the chain because the profile was given as --profile"},
        {"method": "assume-role", "status": "used",
         "reason": "assume arn:aws:iam::123456789012:role/admin with credentials from source_profile 'source-user'"},
        *({"method": method, "status": "not-reached", "reason": ""} for method in (
            "assume-role-with-web-identity", "sso", "shared-credentials-file", "login", "custom-process",
            "config-file", "ec2-credentials-file", "boto-config", "container-role", "iam-role")),
    ],
    "role_chain": [
        {"profile": "production-admin", "role_arn": "arn:aws:iam::123456789012:role/admin", "method": "assume-role",
         "source": "source_profile 'source-user'", "chained": False, "location": config_location(2, 1, "role_arn")},
        {"profile": "source-user", "role_arn": None, "method": "shared-credentials-file",
         "source": "static keys (AKIA****************) in ~/.aws/credentials [source-user], line 2", "chained": False,
         "location": {"kind": "credentials", "path": "~/.aws/credentials", "line": 2, "column": 1,
                      "section": "source-user", "profile": "source-user", "key": "aws_access_key_id",
                      "variable": None}},
    ],
    "expected_arn": {"arn": "arn:aws:sts::123456789012:assumed-role/admin/alice-admin",
                     "pattern": "arn:aws:sts::123456789012:assumed-role/admin/alice-admin",
                     "session_name_is_default": False},
    "region": {"value": "us-west-2", "source": REGION_LOCATION, "note": None},
    "region_cli_v2": {"value": "us-west-2", "source": REGION_LOCATION, "note": None},
    "tools": [tool("CLI v1 / boto3"), tool("CLI v2"), tool("JavaScript v3"), tool("Go v2"), tool("Java v2")],
}


@pytest.fixture(autouse=True)
def socket_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Record and reject_connect every connection attempt; explain must stay offline."""
    attempts: list[object] = []

    def reject_connect(self: socket.socket, address: object, *args: object) -> None:
        attempts.append(address)
        raise AssertionError(f"network access attempted: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", reject_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", reject_connect)
    yield attempts


@pytest.fixture
def example_home(aws_home: AwsHome) -> AwsHome:
    return aws_home.write(
        config=(EXAMPLE / "config").read_text(encoding="utf-8"),
        credentials=(EXAMPLE / "credentials").read_text(encoding="utf-8"),
    )


def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str],
            *argv: str) -> tuple[int, str, str]:
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code = main(["explain", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_example_text(example_home: AwsHome) -> None:
    explanation = build_explanation(example_home.setup(), profile="production-admin")
    assert render_text(explanation) == EXPECTED_TEXT


def test_example_json(example_home: AwsHome) -> None:
    explanation = build_explanation(example_home.setup(), profile="production-admin")
    assert json.loads(render_json(explanation)) == EXPECTED_JSON


def test_cli_text(example_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(monkeypatch, capsys, example_home.env(), "--profile", "production-admin",
                             "--color", "never")
    assert code == 0
    assert out == EXPECTED_TEXT
    assert err == ""


def test_cli_json(example_home: AwsHome, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(monkeypatch, capsys, example_home.env(), "--profile", "production-admin",
                             "--format", "json")
    assert code == 0
    assert json.loads(out) == EXPECTED_JSON
    assert err == ""


def test_cli_missing_profile(example_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(monkeypatch, capsys, example_home.env(AWS_PROFILE="nope"), "--format", "json")
    document = json.loads(out)
    assert code == 1
    assert document["credentials"]["error"] == {
        "exception": "ProfileNotFound", "message": "The config profile (nope) could not be found"}
    assert err == ""


def test_cli_no_credentials(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    aws_home.write(config="[default]\nregion = eu-west-1\n")
    code, out, err = run_cli(monkeypatch, capsys, aws_home.env(AWS_EC2_METADATA_DISABLED="true"))
    assert code == 1
    assert ("Result: no credentials (botocore: Unable to locate credentials); "
            "region eu-west-1 (~/.aws/config:2)\n") in out
    assert err == ""


def test_cli_imds_depends_on_host(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    aws_home.write(config="[default]\nregion = eu-west-1\n")
    code, out, err = run_cli(monkeypatch, capsys, aws_home.env(AWS_EC2_METADATA_DISABLED="1"))
    assert code == 0
    assert ("  iam-role                       depends-on-host  would ask the instance metadata service (IMDS); "
            "only an EC2 instance with a role answers (AWS_EC2_METADATA_DISABLED=1 does not disable it: "
            "only 'true' does)\n") in out
    assert err == ""


def test_cli_unknown_format(example_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        run_cli(monkeypatch, capsys, example_home.env(), "--format", "sarif")
    captured = capsys.readouterr()
    assert raised.value.code == 2
    assert captured.out == ""
    assert "argument --format: invalid choice: 'sarif'" in captured.err


def test_env_keys_beat_aws_profile(aws_home: AwsHome) -> None:
    aws_home.write(config="[profile platform]\nregion = eu-central-1\n",
                   credentials="[platform]\naws_access_key_id = AKIAEXAMPLE000000002\n"
                               f"aws_secret_access_key = {SECRET}\n")
    setup = aws_home.setup({"AWS_PROFILE": "platform", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE000000003",
                            "AWS_SECRET_ACCESS_KEY": SECRET})
    text = render_text(build_explanation(setup))
    assert ("Result: credentials from env: the exported keys win over the credentials of profile 'platform', "
            "which $AWS_PROFILE selects; region eu-central-1 (~/.aws/config:2)\n") in text


def test_javascript_differs_on_env_keys(aws_home: AwsHome) -> None:
    aws_home.write(credentials="[platform]\naws_access_key_id = AKIAEXAMPLE000000002\n"
                               f"aws_secret_access_key = {SECRET}\n")
    setup = aws_home.setup({"AWS_PROFILE": "platform", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE000000003",
                            "AWS_SECRET_ACCESS_KEY": SECRET})
    tools = {result.tool: result for result in build_explanation(setup).tools}
    assert tools["JavaScript v3"].credentials == "static keys"
    assert tools["JavaScript v3"].differs == ("credentials",)
    assert tools["Go v2"].credentials == "environment keys"
    assert tools["Java v2"].differs == ()


def test_cli_v2_profile_order(aws_home: AwsHome) -> None:
    aws_home.write(config="[profile a]\nregion = us-east-1\n[profile b]\nregion = us-east-2\n")
    setup = aws_home.setup({"AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "b", "AWS_REGION": "eu-west-3"})
    tools = {result.tool: result for result in build_explanation(setup).tools}
    assert tools["CLI v1 / boto3"].region == "us-east-1"
    assert tools["CLI v2"].profile == "b"
    assert tools["CLI v2"].region == "eu-west-3"
    assert tools["CLI v2"].differs == ("profile", "region")


def test_no_secret_in_output(aws_home: AwsHome) -> None:
    aws_home.write(credentials=f"[default]\naws_access_key_id = AKIAEXAMPLE000000002\n"
                               f"aws_secret_access_key = {SECRET}\naws_session_token = TOKENVALUE123\n")
    setup = aws_home.setup({"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE000000003", "AWS_SECRET_ACCESS_KEY": SECRET,
                            "AWS_SESSION_TOKEN": "ENVTOKEN456"})
    explanation = build_explanation(setup)
    output = render_text(explanation) + render_json(explanation)
    assert SECRET not in output
    assert "TOKENVALUE123" not in output
    assert "ENVTOKEN456" not in output
    assert "AKIAEXAMPLE000000002" not in output
    assert "AKIAEXAMPLE000000003" not in output


def test_process_arguments_hidden() -> None:
    assert display_value("credential_process", "/bin/vault read --token s3cr3t") == "/bin/vault (arguments hidden)"


def test_default_section_origin(aws_home: AwsHome) -> None:
    aws_home.write(config="[DEFAULT]\noutput = json\n[profile a]\nregion = us-east-1\n")
    settings = {item.name: item for item in build_explanation(aws_home.setup(), profile="a").settings}
    assert settings["output"].origin == "[DEFAULT] ~/.aws/config:2"


def test_credentials_file_wins_note(aws_home: AwsHome) -> None:
    aws_home.write(config="[profile a]\noutput = json\n", credentials="[a]\noutput = text\n")
    settings = {item.name: item for item in build_explanation(aws_home.setup(), profile="a").settings}
    assert settings["output"].value == "text"
    assert settings["output"].note == "the credentials file wins over ~/.aws/config:2"


def test_explain_opens_no_socket(example_home: AwsHome, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str], socket_guard: list[object]) -> None:
    run_cli(monkeypatch, capsys, example_home.env(AWS_EC2_METADATA_DISABLED="false"), "--profile",
            "production-admin")
    assert socket_guard == []


def test_environment_overrides_setting(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-west-2\nretry_mode = standard\n")
    setup = aws_home.setup({"AWS_DEFAULT_REGION": "eu-west-1", "AWS_RETRY_MODE": "adaptive"})
    settings = {item.name: item for item in build_explanation(setup).settings}
    assert (settings["region"].value, settings["region"].origin) == ("eu-west-1", "$AWS_DEFAULT_REGION")
    assert settings["region"].note == "overrides ~/.aws/config:2"
    assert (settings["retry_mode"].value, settings["retry_mode"].origin) == ("adaptive", "$AWS_RETRY_MODE")
    assert settings["retry_mode"].note == "overrides ~/.aws/config:3"


def test_help_documents_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["explain", "--help"])
    captured = capsys.readouterr()
    assert raised.value.code == 0
    assert "  1  botocore would raise an error or find no credentials\n" in captured.out
    assert captured.err == ""


def test_cycle_fails_everywhere(aws_home: AwsHome) -> None:
    aws_home.write(config="[profile x]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = y\n"
                          "[profile y]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = x\n")
    results = {result.tool: result for result in build_explanation(aws_home.setup(), profile="x").tools}
    assert results["CLI v1 / boto3"].credentials == "error: InfiniteLoopConfigError"
    assert results["Go v2"].credentials == "error: source_profile cycle"
    assert results["Go v2"].differs == ()


def test_self_reference_only_java_fails(aws_home: AwsHome) -> None:
    aws_home.write(config="[profile me]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = me\n"
                          f"aws_access_key_id = AKIAEXAMPLE000000002\naws_secret_access_key = {SECRET}\n")
    results = {result.tool: result for result in build_explanation(aws_home.setup(), profile="me").tools}
    assert results["CLI v1 / boto3"].credentials == "assume role"
    assert results["JavaScript v3"].credentials == "assume role"
    assert results["Java v2"].credentials == "error: source_profile cycle"
    assert results["Java v2"].differs == ("credentials",)


def test_unparsable_file_note(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = a\n[default]\n")
    settings = {item.name: item for item in build_explanation(aws_home.setup()).settings}
    assert settings["config_file"].note == "botocore cannot parse it (ConfigParseError)"


def test_color_marks_used_step(example_home: AwsHome) -> None:
    explanation = build_explanation(example_home.setup(), profile="production-admin")
    text = render_text(explanation, color=True)
    assert "  assume-role                    \033[32mused\033[0m         assume " in text


def test_huge_value_cut_in_table(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-east-1" + "A" * 100_000 + "\n")
    text = render_text(build_explanation(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"})))
    region = next(line for line in text.splitlines() if line.strip().startswith("region"))
    assert region.endswith(" ... (99749 more characters)  ~/.aws/config:2")
    assert max(len(line) for line in text.splitlines()) < 400


def test_session_variables_match_botocore() -> None:
    from botocore.configprovider import BOTOCORE_DEFAUT_SESSION_VARIABLES

    botocore_table = {config_key: variables for config_key, variables, _default, _convert
                      in BOTOCORE_DEFAUT_SESSION_VARIABLES.values() if config_key and variables}
    for config_key, variable in SESSION_VARIABLES.items():
        assert botocore_table[config_key] == variable, config_key


def test_explain_imports_no_botocore(aws_home: AwsHome) -> None:
    # Importing botocore loads urllib3, whose IPv6 probe opens a socket at import.
    aws_home.write(config="[default]\nregion = us-west-2\nretry_mode = standard\n")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(aws_home.home),
           "AWS_EC2_METADATA_DISABLED": "true"}
    script = ("import sys\nfrom awsdoctor.cli import main\nmain(['explain'])\n"
              "print(sorted(name for name in ('botocore', 'urllib3') if name in sys.modules), file=sys.stderr)")
    completed = subprocess.run([sys.executable, "-c", script], env=env, cwd=aws_home.root, capture_output=True,
                               text=True, check=False)
    assert completed.stderr.splitlines()[-1] == "[]"


def test_secret_shaped_values_hidden(aws_home: AwsHome) -> None:
    secret = "Zq8xT3vLk2mN9pR4sW7yB1cD5fG6hJ0kL3nP8qRt"
    aws_home.write(config=f"[default]\nregion = {secret}\noutput = {secret}\nexternal_id = {secret}\n")
    explanation = build_explanation(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}))
    assert secret not in render_text(explanation)
    assert secret not in render_json(explanation)


def test_control_characters_escaped(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-east-1\x1b]0;pwned\x07\n")
    text = render_text(build_explanation(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"})))
    assert "\x1b" not in text
    assert "us-east-1\\x1b]0;pwned\\x07" in text
