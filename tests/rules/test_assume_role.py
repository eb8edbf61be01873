"""AD4xx assume-role rules: botocore's own behaviour behind each rule, the documented role-profile example, and
the exact findings for the assume-role acceptance cases.

The exact findings of every rule are pinned in fixtures/rules/assume_role.toml.
Here botocore runs on the same files with the STS call replaced by a recorder
(AssumeRoleCredentialFetcher._get_credentials), the HTTP layer made to fail,
and every endpoint pointed at a loopback socket the test opens, so nothing
leaves the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsdoctor.explain import build_explanation, render_text
from awsdoctor.findings import Finding
from awsdoctor.resolver import resolve_selection
from awsdoctor.rules import assume_role
from awsdoctor.setup import load_setup
from conftest import FIXTURES, AwsHome, check_setup

EXAMPLES = FIXTURES / "example"
EXAMPLE = EXAMPLES / "production-admin"
SOURCE_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SOURCE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
BASE_CREDENTIALS = "[base]\naws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = example-secret-0001\n"
BASE_KEY_ID = "AKIAEXAMPLE000000001"


# -- botocore on temporary files ----------------------------------------------


@dataclass
class AssumeRoleCall:
    """One AssumeRole request botocore would have sent, and the key id of the credentials that sign it."""

    arguments: dict[str, Any]
    source_key_id: str


def role_response(number: int) -> dict[str, Any]:
    """Return an AssumeRole response with fake role credentials valid for one hour."""
    return {"Credentials": {
        "AccessKeyId": f"ASIAFAKEROLE{number:08d}",
        "SecretAccessKey": "fake-role-secret",
        "SessionToken": "fake-role-token",
        "Expiration": datetime.now(timezone.utc) + timedelta(hours=1),
    }}


@dataclass
class FakeSts:
    """Stands in for the AssumeRole call and records each request; returns fresh role credentials."""

    calls: list[AssumeRoleCall] = field(default_factory=list)

    def assume_role(self, fetcher: Any) -> dict[str, Any]:
        source = fetcher._source_credentials.get_frozen_credentials()
        self.calls.append(AssumeRoleCall(dict(fetcher._assume_kwargs), source.access_key))
        return role_response(len(self.calls))


@dataclass
class Botocore:
    """Temporary AWS files, the matching awsdoctor home, and the recorder that replaces STS."""

    home: AwsHome
    sts: FakeSts

    def write(self, config: str = "", credentials: str = "") -> Botocore:
        self.home.write(config=config, credentials=credentials)
        return self

    def credentials(self, profile: str) -> Any:
        """Resolve ``profile`` as ``--profile`` does and fetch its credentials (through the recorder)."""
        import botocore.session

        resolved = botocore.session.Session(profile=profile).get_credentials()
        return None if resolved is None else resolved.get_frozen_credentials()

    def findings(self, profile: str | None = None) -> list[Finding]:
        # AD414 and AD425 note how the other SDKs treat role and MFA profiles; these tests look at the
        # other AD4 rules.
        setup = self.home.setup({"AWS_EC2_METADATA_DISABLED": "true"}, profile=profile)
        return [finding for finding in check_setup(setup, ("AD4",)) if finding.rule not in ("AD414", "AD425")]


@pytest.fixture
def loopback() -> Iterator[str]:
    """Open a listening loopback socket that accepts nothing, and return its URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


@pytest.fixture
def boto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loopback: str) -> Botocore:
    import botocore.credentials
    import botocore.httpsession

    home = AwsHome(tmp_path)
    for name in list(os.environ):
        if name.startswith("AWS_") or name == "BOTO_CONFIG":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home.home))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home.config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home.credentials))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", loopback)
    monkeypatch.setenv("BOTO_CONFIG", str(tmp_path / "no-boto-config"))

    def fail_on_send(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("botocore tried to send a request")

    def fail_on_prompt(prompt: str) -> str:
        raise AssertionError(f"botocore prompted: {prompt}")

    sts = FakeSts()
    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", fail_on_send)
    # A plain function, so that botocore's call passes the fetcher as its argument.
    monkeypatch.setattr(botocore.credentials.AssumeRoleCredentialFetcher, "_get_credentials",
                        lambda fetcher: sts.assume_role(fetcher))
    monkeypatch.setattr("getpass.getpass", fail_on_prompt)
    return Botocore(home, sts)


def codes(findings: list[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


# -- role sources ----------------------------------------------------------


def test_two_sources_raise(boto: Botocore) -> None:
    import botocore.exceptions

    boto.write(config="[profile deploy]\nrole_arn = arn:aws:iam::444455556666:role/Deployer\nsource_profile = base\n"
                      "credential_source = Ec2InstanceMetadata\n", credentials=BASE_CREDENTIALS)
    with pytest.raises(botocore.exceptions.InvalidConfigError) as error:
        boto.credentials("deploy")
    findings = boto.findings()
    assert codes(findings) == ["AD401"]
    assert str(error.value) == 'The profile "deploy" contains both source_profile and credential_source.'
    assert str(error.value) in findings[0].hint


@pytest.mark.parametrize(("config", "credentials"), [
    ("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\n", ""),
    ("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\n",
     "[admin]\naws_access_key_id = AKIAEXAMPLE000000002\naws_secret_access_key = example-secret-0002\n"),
    ("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\ncredential_process = /bin/false\n", ""),
    ("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsso_account_id = 123456789012\n"
     "sso_role_name = Admin\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n", ""),
], ids=["alone", "static-keys", "credential-process", "sso"])
def test_role_without_source_raises(boto: Botocore, config: str, credentials: str) -> None:
    import botocore.exceptions

    boto.write(config=config, credentials=credentials)
    with pytest.raises(botocore.exceptions.PartialCredentialsError) as error:
        boto.credentials("admin")
    findings = boto.findings()
    assert codes(findings) == ["AD400"]
    assert str(error.value) == "Partial credentials found in assume-role, missing: source_profile or credential_source"
    assert str(error.value) in findings[0].hint
    assert boto.sts.calls == []


@pytest.mark.parametrize(("config", "credentials"), [
    ("[dev]\nregion = us-east-1\n", ""),
    ("", "[profile dev]\naws_access_key_id = AKIAEXAMPLE000000002\naws_secret_access_key = example-secret-0002\n"),
    ("", "[Dev]\naws_access_key_id = AKIAEXAMPLE000000002\naws_secret_access_key = example-secret-0002\n"),
], ids=["unprefixed-config-section", "prefixed-credentials-section", "other-case"])
def test_missing_source_raises(boto: Botocore, config: str, credentials: str) -> None:
    import botocore.exceptions

    role = "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = dev\n"
    boto.write(config=config + role, credentials=credentials)
    with pytest.raises(botocore.exceptions.InvalidConfigError) as error:
        boto.credentials("admin")
    findings = boto.findings()
    assert codes(findings) == ["AD402"]
    assert str(error.value) == 'The source_profile "dev" referenced in the profile "admin" does not exist.'
    assert str(error.value) in findings[0].hint
    assert findings[0].related != ()


def test_three_profile_cycle_raises(boto: Botocore) -> None:
    import botocore.exceptions

    boto.write(config=(FIXTURES / "cases" / "035-circular-source-profile" / "config").read_text())
    with pytest.raises(botocore.exceptions.InfiniteLoopConfigError) as error:
        boto.credentials("ops-user")
    findings = boto.findings(profile="ops-user")
    assert codes(findings) == ["AD403"]
    assert "Visited profiles: ['ops-user', 'prod', 'dev']" in str(error.value)
    assert str(error.value) in findings[0].hint
    assert [location.profile for location in findings[0].related] == ["prod", "dev"]


def test_self_reference_without_keys_raises(boto: Botocore) -> None:
    import botocore.exceptions

    boto.write(config="[profile solo]\nrole_arn = arn:aws:iam::123456789012:role/solo\nsource_profile = solo\n")
    with pytest.raises(botocore.exceptions.InfiniteLoopConfigError) as error:
        boto.credentials("solo")
    findings = boto.findings()
    assert codes(findings) == ["AD403"]
    assert str(error.value) in findings[0].hint


def test_self_reference_with_keys_works(boto: Botocore) -> None:
    boto.write(config="[profile solo]\nrole_arn = arn:aws:iam::123456789012:role/solo\nsource_profile = solo\n",
               credentials="[solo]\naws_access_key_id = AKIAEXAMPLE000000002\naws_secret_access_key = s2\n")
    boto.credentials("solo")
    assert [call.source_key_id for call in boto.sts.calls] == ["AKIAEXAMPLE000000002"]
    assert boto.findings() == []


def test_loop_back_to_keys_depends_on_start(boto: Botocore) -> None:
    """A -> B -> A fails from A although A has keys; from B, A's keys end the chain."""
    import botocore.exceptions

    boto.write(config="[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n\n"
                      "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n",
               credentials="[a]\naws_access_key_id = AKIAEXAMPLE000000002\naws_secret_access_key = s2\n")
    with pytest.raises(botocore.exceptions.InfiniteLoopConfigError) as error:
        boto.credentials("a")
    boto.credentials("b")
    findings = boto.findings()
    assert [call.source_key_id for call in boto.sts.calls] == ["AKIAEXAMPLE000000002"]
    assert codes(findings) == ["AD403", "AD406"]
    assert findings[0].location.profile == "a"
    assert str(error.value) in findings[0].hint


@pytest.mark.parametrize(("config", "credentials"), [
    ("[profile base]\nregion = us-east-1\n", ""),
    ("", "[base]\naws_secret_access_key = s\n"),
], ids=["region-only", "secret-only"])
def test_source_without_credentials_raises(boto: Botocore, config: str, credentials: str) -> None:
    import botocore.exceptions

    boto.write(config=config + "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\n"
                               "source_profile = base\n", credentials=credentials)
    with pytest.raises(botocore.exceptions.InvalidConfigError) as error:
        boto.credentials("admin")
    findings = boto.findings()
    assert codes(findings) == ["AD404"]
    assert str(error.value) == 'The source profile "base" must have credentials.'
    assert str(error.value) in findings[0].hint


@pytest.mark.parametrize("value", ["Ec2InstanceMetaData", "environment", "ecscontainer", "Ec2Metadata"])
def test_credential_source_case_raises(boto: Botocore, value: str) -> None:
    import botocore.exceptions

    boto.write(config=f"[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/ci\ncredential_source = {value}\n")
    with pytest.raises(botocore.exceptions.InvalidConfigError) as error:
        boto.credentials("ci")
    findings = boto.findings()
    assert codes(findings) == ["AD405"]
    assert str(error.value) == f'The credential source "{value}" referenced in profile "ci" is not valid.'
    assert str(error.value) in findings[0].hint


def test_credential_source_environment_works(boto: Botocore, monkeypatch: pytest.MonkeyPatch) -> None:
    boto.write(config="[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/ci\ncredential_source = Environment\n")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE000000003")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "example-secret-0003")
    boto.credentials("ci")
    assert [call.source_key_id for call in boto.sts.calls] == ["AKIAEXAMPLE000000003"]
    assert boto.findings() == []


def test_own_keys_ignored(boto: Botocore) -> None:
    boto.write(config="[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n",
               credentials=BASE_CREDENTIALS + "[admin]\naws_access_key_id = AKIAEXAMPLE000000002\n"
                                              "aws_secret_access_key = example-secret-0002\n")
    boto.credentials("admin")
    findings = boto.findings()
    assert [call.source_key_id for call in boto.sts.calls] == [BASE_KEY_ID]
    assert codes(findings) == ["AD406"]
    assert findings[0].location.key == "aws_access_key_id"


# -- duration_seconds ------------------------------------------------------


def role_with_duration(value: str) -> str:
    return f"[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n" \
           f"duration_seconds = {value}\n"


@pytest.mark.parametrize("value", ["7200 # 2h", "1h", "3600.0", ""])
def test_duration_not_integer_dropped(boto: Botocore, value: str) -> None:
    boto.write(config=role_with_duration(value), credentials=BASE_CREDENTIALS)
    boto.credentials("admin")
    assert "DurationSeconds" not in boto.sts.calls[0].arguments
    assert codes(boto.findings()) == ["AD410"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(alphabet="0123456789 .#h+-_e\u0663", min_size=1, max_size=8).map(str.strip).filter(bool))
def test_duration_values_match_botocore(boto: Botocore, value: str) -> None:
    """AD410 fires exactly when botocore drops the value, and AD411 exactly when STS limits reject what it sends."""
    import botocore.exceptions
    import botocore.validate

    boto.sts.calls.clear()
    boto.write(config=role_with_duration(value), credentials=BASE_CREDENTIALS)
    boto.credentials("admin")
    arguments = boto.sts.calls[0].arguments
    found = codes(boto.findings())
    assert ("DurationSeconds" not in arguments) == ("AD410" in found), value
    if "DurationSeconds" in arguments:
        seconds = arguments["DurationSeconds"]
        try:
            botocore.validate.validate_parameters(arguments, assume_role_shape())
        except botocore.exceptions.ParamValidationError:
            assert seconds < 900, value
        assert (seconds < 900 or seconds > 43200) == ("AD411" in found), value


def test_duration_unset_sends_none(boto: Botocore) -> None:
    # botocore leaves the session length to STS (one hour); the Go SDK would ask for 15 minutes (AD414).
    boto.write(config="[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n",
               credentials=BASE_CREDENTIALS)
    boto.credentials("admin")
    assert "DurationSeconds" not in boto.sts.calls[0].arguments
    found = check_setup(boto.home.setup({"AWS_EC2_METADATA_DISABLED": "true"}), ("AD414",))
    assert codes(found) == ["AD414"]
    assert found[0].location.profile == "admin"


def test_duration_integer_sent(boto: Botocore) -> None:
    boto.write(config=role_with_duration("7200"), credentials=BASE_CREDENTIALS)
    boto.credentials("admin")
    assert boto.sts.calls[0].arguments["DurationSeconds"] == 7200
    assert boto.findings() == []


def assume_role_shape() -> Any:
    import botocore.session

    model = botocore.session.get_session().get_service_model("sts")
    return model.operation_model("AssumeRole").input_shape


def test_duration_below_minimum_rejected(boto: Botocore) -> None:
    import botocore.exceptions
    import botocore.validate

    boto.write(config=role_with_duration("600"), credentials=BASE_CREDENTIALS)
    boto.credentials("admin")
    with pytest.raises(botocore.exceptions.ParamValidationError) as error:
        botocore.validate.validate_parameters(boto.sts.calls[0].arguments, assume_role_shape())
    findings = boto.findings()
    assert "Invalid value for parameter DurationSeconds, value: 600, valid min value: 900" in str(error.value)
    assert codes(findings) == ["AD411"]
    assert "valid min value: 900" in findings[0].hint


def test_duration_above_maximum_sent(boto: Botocore) -> None:
    """botocore checks only the model minimum: 86400 passes validation and is left for STS to reject."""
    import botocore.validate

    boto.write(config=role_with_duration("86400"), credentials=BASE_CREDENTIALS)
    boto.credentials("admin")
    botocore.validate.validate_parameters(boto.sts.calls[0].arguments, assume_role_shape())
    assert codes(boto.findings()) == ["AD411"]


def test_chained_role_assumed_twice(boto: Botocore) -> None:
    boto.write(config=(FIXTURES / "cases" / "042-role-chain-duration-over-one-hour" / "config").read_text(),
               credentials="[base]\naws_access_key_id = AKIAEXAMPLE000000040\naws_secret_access_key = s\n")
    boto.credentials("target")
    findings = boto.findings()
    assert [call.arguments["RoleArn"] for call in boto.sts.calls] == [
        "arn:aws:iam::111122223333:role/hub", "arn:aws:iam::444455556666:role/deploy"]
    assert boto.sts.calls[1].source_key_id == "ASIAFAKEROLE00000001"
    assert codes(findings) == ["AD412"]
    assert findings[0].related[0].profile == "hub"


def test_source_keys_skip_its_role(boto: Botocore) -> None:
    boto.write(config="[profile mid]\nrole_arn = arn:aws:iam::111122223333:role/mid\nsource_profile = base\n\n"
                      "[profile target]\nrole_arn = arn:aws:iam::444455556666:role/deploy\nsource_profile = mid\n"
                      "duration_seconds = 43200\n",
               credentials=BASE_CREDENTIALS + "[mid]\naws_access_key_id = AKIAEXAMPLE000000002\n"
                                              "aws_secret_access_key = s2\n")
    boto.credentials("target")
    assert [(call.arguments["RoleArn"], call.source_key_id) for call in boto.sts.calls] == [
        ("arn:aws:iam::444455556666:role/deploy", "AKIAEXAMPLE000000002")]
    assert codes(boto.findings()) == ["AD406"]


def test_web_identity_ignores_duration(boto: Botocore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import botocore.credentials

    token = tmp_path / "token"
    token.write_text("header.payload.signature")
    boto.write(config=f"[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/ci\nweb_identity_token_file = {token}\n"
                      "source_profile = base\nduration_seconds = 7200\n", credentials=BASE_CREDENTIALS)
    web_calls: list[dict[str, Any]] = []

    def record(fetcher: Any) -> dict[str, Any]:
        web_calls.append(dict(fetcher._assume_kwargs))
        return role_response(len(web_calls))

    monkeypatch.setattr(botocore.credentials.AssumeRoleWithWebIdentityCredentialFetcher, "_get_credentials", record)
    boto.credentials("ci")
    findings = boto.findings()
    assert [call["RoleArn"] for call in web_calls] == ["arn:aws:iam::123456789012:role/ci"]
    assert "DurationSeconds" not in web_calls[0]
    assert boto.sts.calls == []
    assert codes(findings) == ["AD413"]


# -- request parameters ----------------------------------------------------


@pytest.mark.parametrize(("name", "client_side"), [("a", True), ("a" * 65, False), ("alice/admin", False)])
def test_session_name_checks(boto: Botocore, name: str, client_side: bool) -> None:
    """botocore rejects only a name under 2 characters; longer names and other characters go to STS."""
    import botocore.exceptions
    import botocore.validate

    boto.write(config="[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n"
                      f"role_session_name = {name}\n", credentials=BASE_CREDENTIALS)
    boto.credentials("admin")
    arguments = boto.sts.calls[0].arguments
    if client_side:
        with pytest.raises(botocore.exceptions.ParamValidationError):
            botocore.validate.validate_parameters(arguments, assume_role_shape())
    else:
        botocore.validate.validate_parameters(arguments, assume_role_shape())
    assert arguments["RoleSessionName"] == name
    assert codes(boto.findings()) == ["AD421"]


def test_role_arn_sent_unchecked(boto: Botocore) -> None:
    boto.write(config="[profile admin]\nrole_arn = arn:aws:iam::123456789012:user/alice\nsource_profile = base\n",
               credentials=BASE_CREDENTIALS)
    boto.credentials("admin")
    assert boto.sts.calls[0].arguments["RoleArn"] == "arn:aws:iam::123456789012:user/alice"
    assert codes(boto.findings()) == ["AD420"]


@pytest.mark.parametrize(("key", "value", "parameter", "client_side", "code"), [
    ("external_id", "x", "ExternalId", True, "AD422"),
    ("external_id", "my external id", "ExternalId", False, "AD422"),
    ("mfa_serial", "GAHT123", "SerialNumber", True, "AD423"),
    ("mfa_serial", "arn:aws:iam::123456789012:user/alice", "SerialNumber", False, "AD423"),
])
def test_parameter_checks(boto: Botocore, key: str, value: str, parameter: str, client_side: bool,
                          code: str) -> None:
    """botocore checks only the minimum length; the pattern is left to STS."""
    import botocore.exceptions
    import botocore.validate

    boto.write(config="[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\n"
                      f"{key} = {value}\n", credentials=BASE_CREDENTIALS)
    boto.credentials("admin")
    arguments = boto.sts.calls[0].arguments
    if client_side:
        with pytest.raises(botocore.exceptions.ParamValidationError):
            botocore.validate.validate_parameters(arguments, assume_role_shape())
    else:
        botocore.validate.validate_parameters(arguments, assume_role_shape())
    assert arguments[parameter] == value
    assert codes(boto.findings()) == [code]


def test_example_parameters_sent(boto: Botocore) -> None:
    boto.write(config=(EXAMPLE / "config").read_text(), credentials=(EXAMPLE / "credentials").read_text())
    boto.credentials("production-admin")
    assert boto.sts.calls == [AssumeRoleCall(
        arguments={"RoleArn": "arn:aws:iam::123456789012:role/admin", "RoleSessionName": "alice-admin",
                   "ExternalId": "my-external-id"},
        source_key_id=SOURCE_KEY_ID,
    )]
    assert boto.findings(profile="production-admin") == []


def test_example_credential_source_raises(boto: Botocore) -> None:
    import botocore.exceptions

    tree = EXAMPLES / "production-admin-credential-source"
    boto.write(config=(tree / "config").read_text(), credentials=(tree / "credentials").read_text())
    with pytest.raises(botocore.exceptions.InvalidConfigError) as error:
        boto.credentials("production-admin")
    assert str(error.value) == 'The profile "production-admin" contains both source_profile and credential_source.'


def test_example_chained_sends_duration(boto: Botocore) -> None:
    tree = EXAMPLES / "production-admin-chained"
    boto.write(config=(tree / "config").read_text(), credentials=(tree / "credentials").read_text())
    boto.credentials("production-admin")
    assert [call.source_key_id for call in boto.sts.calls] == [SOURCE_KEY_ID, "ASIAFAKEROLE00000001"]
    assert boto.sts.calls[1].arguments["DurationSeconds"] == 43200


def test_mfa_serial_without_role_unused(boto: Botocore) -> None:
    boto.write(config=(FIXTURES / "cases" / "047-mfa-serial-on-static-key-profile" / "config").read_text())
    credentials = boto.credentials("default")
    assert credentials.access_key == "AKIAEXAMPLE000000045"
    assert credentials.token is None
    assert codes(boto.findings()) == ["AD430"]


@pytest.mark.parametrize(("region", "endpoint"), [
    (None, "https://sts.amazonaws.com"),
    ("cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn"),
])
def test_sts_endpoint_by_region(boto: Botocore, monkeypatch: pytest.MonkeyPatch, region: str | None,
                                endpoint: str) -> None:
    """Without a region botocore's STS client uses the aws partition's global endpoint (no request is made)."""
    import botocore.session

    monkeypatch.delenv("AWS_ENDPOINT_URL")
    config = "[profile china]\nrole_arn = arn:aws-cn:iam::123456789012:role/admin\nsource_profile = base\n"
    boto.write(config=config + (f"region = {region}\n" if region else ""), credentials=BASE_CREDENTIALS)
    client = botocore.session.Session(profile="china").create_client(
        "sts", aws_access_key_id=BASE_KEY_ID, aws_secret_access_key="s")
    findings = boto.findings()
    assert client.meta.endpoint_url == endpoint
    assert codes(findings) == ([] if region else ["AD440"])


# -- tables against botocore's data ------------------------------------------


def test_partitions_match_botocore() -> None:
    import botocore

    data = json.loads((Path(botocore.__file__).parent / "data" / "partitions.json").read_text())
    expected = {
        partition["id"]: (partition["regionRegex"], frozenset(name for name in partition["regions"]
                                                             if name.endswith("-global")))
        for partition in data["partitions"]
    }
    actual = {name: (pattern.pattern, globals_) for name, pattern, globals_ in assume_role.PARTITION_REGIONS}
    assert actual == expected


def test_every_botocore_region_partitioned() -> None:
    import botocore

    data = json.loads((Path(botocore.__file__).parent / "data" / "partitions.json").read_text())
    for partition in data["partitions"]:
        for region in partition["regions"]:
            assert assume_role.partition_of_region(region) == partition["id"], region


def test_credential_sources_match_botocore() -> None:
    import botocore.credentials

    providers = (botocore.credentials.EnvProvider, botocore.credentials.InstanceMetadataProvider,
                 botocore.credentials.ContainerProvider)
    assert set(assume_role.CREDENTIAL_SOURCES) == {provider.CANONICAL_NAME for provider in providers}


def test_sts_limits_match_model() -> None:
    members = assume_role_shape().members
    assert (members["DurationSeconds"].metadata["min"], members["DurationSeconds"].metadata["max"]) == (
        assume_role.MIN_DURATION_SECONDS, assume_role.MAX_DURATION_SECONDS)
    for member, length, pattern in (
        ("RoleSessionName", assume_role.SESSION_NAME_LENGTH, assume_role.SESSION_NAME_PATTERN),
        ("ExternalId", assume_role.EXTERNAL_ID_LENGTH, assume_role.EXTERNAL_ID_PATTERN),
        ("SerialNumber", assume_role.SERIAL_NUMBER_LENGTH, assume_role.SERIAL_NUMBER_PATTERN),
    ):
        metadata = members[member].metadata
        assert (metadata["min"], metadata["max"]) == length, member
        assert metadata["pattern"].replace("\\/", "/") == pattern.pattern, member


# -- any input -------------------------------------------------------------


PROFILE_NAMES = ("default", "a", "b", "c")
ROLE_KEYS = ("role_arn", "source_profile", "credential_source", "duration_seconds", "role_session_name",
             "external_id", "mfa_serial", "web_identity_token_file", "aws_access_key_id", "aws_secret_access_key",
             "sso_account_id", "credential_process", "region")
VALUES = st.one_of(
    st.sampled_from(["", "a", "b", "c", "default", "Environment", "environment", "3600", "600", "99999", "1h",
                     "arn:aws:iam::123456789012:role/r", "arn:aws-cn:iam::123456789012:role/r", "cn-north-1",
                     "us-east-1", "arn:aws:iam::123456789012:mfa/m", "AKIAEXAMPLE000000001", "\n  x = y"]),
    st.text(alphabet="az09:/ @#-=é", max_size=12),
)
ENTRIES = st.dictionaries(st.sampled_from(ROLE_KEYS), VALUES, max_size=5)
SECTIONS = st.lists(st.tuples(st.sampled_from((*PROFILE_NAMES, "DEFAULT")), ENTRIES), max_size=5)


def render_sections(sections: list[tuple[str, dict[str, str]]], prefix: bool) -> str:
    lines = []
    seen = set()
    for name, entries in sections:
        header = name if name in ("DEFAULT", "default") or not prefix else f"profile {name}"
        if header in seen:
            continue
        seen.add(header)
        lines.append(f"[{header}]")
        lines += [f"{key} = {value}" for key, value in entries.items()]
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=SECTIONS, credentials=SECTIONS, selected=st.sampled_from(PROFILE_NAMES))
def test_rules_never_raise(tmp_path: Path, config: list[tuple[str, dict[str, str]]],
                           credentials: list[tuple[str, dict[str, str]]], selected: str) -> None:
    aws = tmp_path / "home" / ".aws"
    aws.mkdir(parents=True, exist_ok=True)
    (aws / "config").write_text(render_sections(config, prefix=True))
    (aws / "credentials").write_text(render_sections(credentials, prefix=False))
    setup = load_setup({"HOME": str(tmp_path / "home")}, profile=selected, cwd=str(tmp_path))
    findings = check_setup(setup, ("AD4",))
    assert [finding.rule for finding in findings if finding.rule == "AD001"] == []


# The messages AssumeRoleProvider raises for configuration errors, before any request.
ASSUME_ROLE_ERRORS = ("contains both source_profile and credential_source.", "Partial credentials found in assume-role",
                      'The source_profile "', 'The credential source "', "must have credentials.",
                      "Infinite loop in credential configuration")
ORACLE_VALUES = {
    "role_arn": st.sampled_from(["arn:aws:iam::123456789012:role/r"]),
    "source_profile": st.sampled_from(["a", "b", "c", "default", "missing", "A"]),
    "credential_source": st.sampled_from(["Environment", "environment", "Ec2InstanceMetadata", "Foo"]),
    "aws_access_key_id": st.sampled_from(["AKIAEXAMPLE000000009"]),
    "aws_secret_access_key": st.sampled_from(["example-secret-0009"]),
    "web_identity_token_file": st.sampled_from(["/nonexistent/token"]),
    "region": st.sampled_from(["us-east-1"]),
}
ORACLE_ENTRIES = st.fixed_dictionaries({}, optional=ORACLE_VALUES)
ORACLE_SECTIONS = st.lists(st.tuples(st.sampled_from((*PROFILE_NAMES, "DEFAULT")), ORACLE_ENTRIES), max_size=4)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=ORACLE_SECTIONS, credentials=ORACLE_SECTIONS)
def test_errors_match_botocore(boto: Botocore, config: list[tuple[str, dict[str, str]]],
                               credentials: list[tuple[str, dict[str, str]]]) -> None:
    """For every profile: botocore's assume-role configuration error is reported, and success is not flagged."""
    boto.write(config=render_sections(config, prefix=True), credentials=render_sections(credentials, prefix=False))
    findings = [finding for finding in boto.findings() if finding.rule <= "AD405"]
    for profile in boto.home.setup().profiles:
        try:
            boto.credentials(profile.name)
        except Exception as error:  # noqa: BLE001 - any error botocore raises is compared below
            message = str(error)
            if not any(text in message for text in ASSUME_ROLE_ERRORS):
                continue
            if "Infinite loop" in message:
                assert "AD403" in codes(findings), message
            else:
                assert any(message in finding.hint for finding in findings), message
        else:
            flagged = [finding.rule for finding in findings if finding.location.profile == profile.name]
            assert flagged == [], profile.name


# -- the documented role-profile example, through the CLI -------------------


def run_cli(tmp_path: Path, tree: str, *args: str, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    """Copy an example tree into a temporary HOME and run ``awsdoctor check`` there."""
    aws = tmp_path / "home" / ".aws"
    aws.mkdir(parents=True)
    for name in ("config", "credentials"):
        shutil.copyfile(EXAMPLES / tree / name, aws / name)
        (aws / name).chmod(0o600)
    variables = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8",
                 "AWS_EC2_METADATA_DISABLED": "true", **(env or {})}
    return subprocess.run([sys.executable, "-m", "awsdoctor", "check", *args], cwd=tmp_path, env=variables,
                          capture_output=True, text=True, check=False, timeout=60)


def summarize(stdout: str) -> list[dict[str, Any]]:
    """Reduce a JSON report to each finding's code, severity, place and message."""
    return [
        {"rule": finding["rule"], "severity": finding["severity"], "message": finding["message"],
         **{key: value for key, value in finding["location"].items() if value is not None and key != "path"}}
        for finding in json.loads(stdout)["findings"]
    ]


def test_example_trees() -> None:
    """The broken trees are the example with one change each."""
    clean = (EXAMPLE / "config").read_text()
    chained = clean.replace("source_profile = source-user\n", "source_profile = hub\nduration_seconds = 43200\n")
    chained += "\n[profile hub]\nrole_arn = arn:aws:iam::123456789012:role/hub\nsource_profile = source-user\n"
    assert (EXAMPLES / "production-admin-credential-source" / "config").read_text() == (
        clean + "credential_source = Environment\n")
    assert (EXAMPLES / "production-admin-chained" / "config").read_text() == chained
    for tree in ("production-admin-credential-source", "production-admin-chained"):
        assert (EXAMPLES / tree / "credentials").read_bytes() == (EXAMPLE / "credentials").read_bytes(), tree


def test_example_files() -> None:
    assert (EXAMPLE / "config").read_text() == (
        "[profile production-admin]\n"
        "role_arn = arn:aws:iam::123456789012:role/admin\n"
        "source_profile = source-user\n"
        "role_session_name = alice-admin\n"
        "region = us-west-2\n"
        "external_id = my-external-id\n"
    )
    assert (EXAMPLE / "credentials").read_text() == (
        f"[source-user]\naws_access_key_id = {SOURCE_KEY_ID}\naws_secret_access_key = {SOURCE_SECRET}\n"
    )


@pytest.mark.parametrize(("args", "chosen"), [
    ((), "profile 'default' (nothing selects another)"),
    (("--profile", "production-admin"), "profile 'production-admin' from --profile"),
], ids=["no-profile", "explicit-profile"])
def test_example_clean(tmp_path: Path, args: tuple[str, ...], chosen: str) -> None:
    done = run_cli(tmp_path, "production-admin", *args)
    assert done.returncode == 0
    assert done.stdout == (
        f"awsdoctor check: ~/.aws/config, ~/.aws/credentials and the environment; {chosen}\n"
        "\n"
        "No problems found.\n"
        "0 errors, 0 warnings, 0 info\n"
    )
    assert done.stderr == ""


def test_example_exported_keys(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "production-admin", "--format", "json", env={
        "AWS_PROFILE": "production-admin", "AWS_ACCESS_KEY_ID": SOURCE_KEY_ID, "AWS_SECRET_ACCESS_KEY": SOURCE_SECRET})
    findings = summarize(done.stdout)
    assert done.returncode == 1
    assert done.stderr == ""
    places = [(finding["rule"], finding["severity"], finding["kind"], finding.get("variable")) for finding in findings]
    assert places == [
        ("AD601", "warning", "environment", "AWS_ACCESS_KEY_ID"),
        ("AD602", "info", "environment", "AWS_PROFILE"),
    ]
    assert all("production-admin" in finding["message"] for finding in findings)
    assert SOURCE_KEY_ID not in done.stdout
    assert SOURCE_SECRET not in done.stdout


def test_example_credential_source(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "production-admin-credential-source", "--format", "json")
    assert done.returncode == 1
    assert done.stderr == ""
    assert summarize(done.stdout) == [{
        "rule": "AD401", "severity": "error", "kind": "config", "line": 7, "column": 1,
        "section": "profile production-admin", "profile": "production-admin", "key": "credential_source",
        "message": "profile 'production-admin' sets both source_profile ('source-user') and credential_source "
                   "('Environment'); botocore accepts only one of them",
    }]


def test_example_chained_duration(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "production-admin-chained", "--format", "json")
    assert done.returncode == 1
    assert done.stderr == ""
    assert summarize(done.stdout) == [{
        "rule": "AD412", "severity": "error", "kind": "config", "line": 4, "column": 20,
        "section": "profile production-admin", "profile": "production-admin", "key": "duration_seconds",
        "message": "profile 'production-admin': duration_seconds = 43200 is above the 3600-second limit STS puts "
                   "on chained roles ('production-admin' assumes a role through 'hub', itself a role)",
    }]


# -- acceptance cases: the exact assume-role findings --------------------------


CASE_FINDINGS = {
    "033-source-profile-and-credential-source": [{
        "rule": "AD401", "severity": "error", "profile": "deploy", "key": "credential_source", "line": 7,
        "message": "profile 'deploy' sets both source_profile ('base') and credential_source "
                   "('Ec2InstanceMetadata'); botocore accepts only one of them",
    }],
    "035-circular-source-profile": [{
        "rule": "AD403", "severity": "error", "profile": "ops-user", "key": "source_profile", "line": 6,
        "message": "profile 'ops-user': the source_profile chain ops-user -> prod -> dev -> ops-user is a loop "
                   "and no profile in it has credentials of its own",
    }],
    "042-role-chain-duration-over-one-hour": [{
        "rule": "AD412", "severity": "error", "profile": "target", "key": "duration_seconds", "line": 11,
        "message": "profile 'target': duration_seconds = 43200 is above the 3600-second limit STS puts on chained "
                   "roles ('target' assumes a role through 'hub', itself a role)",
    }],
    "043-duration-seconds-below-minimum": [{
        "rule": "AD411", "severity": "error", "profile": "ops", "key": "duration_seconds", "line": 7,
        "message": "profile 'ops': duration_seconds = 600 is below the STS minimum of 900 seconds",
    }],
    "047-mfa-serial-on-static-key-profile": [{
        "rule": "AD308", "severity": "info", "profile": "default", "key": "aws_access_key_id", "line": 3,
        "message": "profile 'default' stores static keys in the config file; keys belong in the credentials file",
    }, {
        "rule": "AD430", "severity": "warning", "profile": "default", "key": "mfa_serial", "line": 5,
        "message": "profile 'default': mfa_serial has no effect because the profile has no role_arn "
                   "(the CLI will not prompt for an MFA code)",
    }],
}


@pytest.mark.parametrize("name", sorted(CASE_FINDINGS))
def test_case_findings(tmp_path: Path, name: str) -> None:
    case = FIXTURES / "cases" / name
    grade = json.loads((case / "grade.json").read_text())
    aws = tmp_path / "home" / ".aws"
    aws.mkdir(parents=True)
    for target, source in grade["setup"]["files"].items():
        (tmp_path / "home" / target.removeprefix("~/")).write_bytes((case / source).read_bytes())
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8",
           "AWS_EC2_METADATA_DISABLED": "true"}
    command = [sys.executable, "-m", "awsdoctor", "check", "--format", "json", "--select", "AD4,AD308",
               "--ignore", "AD425", *grade["args"]]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=60)
    actual = [{key: finding[key] for key in ("rule", "severity", "profile", "key", "line", "message")}
              for finding in summarize(done.stdout)]
    assert done.stderr == ""
    assert actual == CASE_FINDINGS[name]


# -- long and looping chains ---------------------------------------------------


@st.composite
def chain_configs(draw: st.DrawFn) -> str:
    """Draw up to six role profiles whose sources point at each other, some with keys of their own."""
    count = draw(st.integers(min_value=1, max_value=6))
    names = [f"p{index}" for index in range(count)]
    sections = []
    for name in names:
        lines = [f"[profile {name}]"]
        if draw(st.booleans()) or name == "p0":
            lines.append(f"role_arn = arn:aws:iam::123456789012:role/{name}")
        source = draw(st.sampled_from([*names, "missing", None]))
        if source is not None:
            lines.append(f"source_profile = {source}")
        if draw(st.integers(min_value=0, max_value=3)) == 0:
            lines.append("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = example")
        sections.append("\n".join(lines))
    return "\n\n".join(sections) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=chain_configs())
def test_loop_filter_matches_walk(aws_home: AwsHome, config: str) -> None:
    """The one-pass filter picks exactly the starts whose own walk comes back into a loop that contains them."""
    aws_home.write(config=config)
    setup = aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"})
    terminals = assume_role._chain_terminals(setup)
    for profile in assume_role._role_profiles(setup):
        loop = assume_role.find_loop(setup, profile.name)
        member = loop is not None and profile.name in loop[0][loop[0].index(loop[1]):]
        assert assume_role._may_loop(setup, profile.name, terminals) is member, (config, profile.name)


def role_chain(roles: int) -> str:
    """Return a config of ``roles`` role profiles, each sourced from the one before and the first from base."""
    return "\n".join(f"[profile p{index}]\nrole_arn = arn:aws:iam::123456789012:role/r{index}\n"
                     f"source_profile = {'base' if index == 0 else f'p{index - 1}'}\n" for index in range(roles))


def test_long_chain_checked(aws_home: AwsHome) -> None:
    # 3,000 roles, each assumed with the next one's credentials: checked in linear time, without recursion.
    aws_home.write(config=role_chain(3000), credentials=BASE_CREDENTIALS)
    findings = check_setup(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}), ("AD403", "AD001"))
    assert findings == []


def test_long_loop_reported_once(aws_home: AwsHome) -> None:
    sections = [f"[profile p{index}]\nrole_arn = arn:aws:iam::123456789012:role/r{index}\n"
                f"source_profile = p{(index + 1) % 20000}\n" for index in range(20000)]
    aws_home.write(config="\n".join(sections))
    findings = check_setup(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}), ("AD403",))
    assert [(finding.rule, finding.location.profile) for finding in findings] == [("AD403", "p0")]


def test_chain_too_deep_for_recursion(aws_home: AwsHome) -> None:
    # botocore follows source_profile recursively and raises RecursionError on chains this long.
    aws_home.write(config=role_chain(1500), credentials=BASE_CREDENTIALS)
    setup = aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}, profile="p1499")
    resolution = resolve_selection(setup, setup.selection)
    assert resolution.error is not None
    assert resolution.error.exception == "RecursionError"
    assert "AD001" not in [finding.rule for finding in check_setup(setup)]
    assert "RecursionError" in render_text(build_explanation(setup))


BOTOCORE_CREDENTIALS = (
    "import sys\nimport botocore.session\n"
    "try:\n    botocore.session.Session(profile=sys.argv[1]).get_credentials()\n    print('ok')\n"
    "except RecursionError:\n    print('RecursionError')\n"
)


@pytest.mark.parametrize("roles", [328, 329])
def test_chain_limit_matches_botocore(aws_home: AwsHome, roles: int) -> None:
    # botocore runs in a fresh interpreter, from a script's shallow stack, as the limit was measured.
    aws_home.write(config=role_chain(roles), credentials=BASE_CREDENTIALS)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(aws_home.home),
           "AWS_CONFIG_FILE": str(aws_home.config), "AWS_SHARED_CREDENTIALS_FILE": str(aws_home.credentials),
           "AWS_EC2_METADATA_DISABLED": "true"}
    botocore_result = subprocess.run([sys.executable, "-c", BOTOCORE_CREDENTIALS, f"p{roles - 1}"], env=env,
                                   capture_output=True, text=True, check=True).stdout.strip()
    setup = aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}, profile=f"p{roles - 1}")
    error = resolve_selection(setup, setup.selection).error
    assert (error.exception if error is not None else "ok") == botocore_result


def test_chain_over_limit_reported_at_head(aws_home: AwsHome) -> None:
    aws_home.write(config=role_chain(329), credentials=BASE_CREDENTIALS)
    findings = check_setup(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}), ("AD407",))
    assert [(finding.location.profile, finding.location.key) for finding in findings] == [("p328", "source_profile")]
    assert findings[0].message == (
        "profile 'p328': following source_profile takes 329 hops, more than the 328 botocore can follow, so using "
        "the profile raises RecursionError (maximum recursion depth exceeded)"
    )


def test_chain_at_limit_clean(aws_home: AwsHome) -> None:
    aws_home.write(config=role_chain(328), credentials=BASE_CREDENTIALS)
    assert check_setup(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}), ("AD407",)) == []


def test_chain_selected_inside_reported(aws_home: AwsHome) -> None:
    aws_home.write(config=role_chain(700), credentials=BASE_CREDENTIALS)
    setup = aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}, profile="p400")
    findings = check_setup(setup, ("AD407",))
    assert [finding.location.profile for finding in findings] == ["p400", "p699"]
