"""The resolver's details that botocore does not expose: steps, role chain, expected ARN and region origin."""

from __future__ import annotations

import hashlib
import json

from awsdoctor.resolver import (
    DEPENDS_ON_HOST,
    FAILED,
    NOT_REACHED,
    SKIPPED,
    Resolution,
    Step,
    parse_role_arn,
    resolve,
    resolve_selection,
)
from conftest import AwsHome

KEYS = "aws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = secret-one\n"
ROLE = "role_arn = arn:aws:iam::123456789012:role/admin\n"


def step(resolution: Resolution, method: str) -> Step:
    return next(item for item in resolution.steps if item.method == method)


def test_chain_order(aws_home: AwsHome) -> None:
    resolution = resolve(aws_home.setup())
    assert [item.method for item in resolution.steps] == [
        "env", "assume-role", "assume-role-with-web-identity", "sso", "shared-credentials-file", "login",
        "custom-process", "config-file", "ec2-credentials-file", "boto-config", "container-role", "iam-role",
    ]


def test_explicit_profile_removes_env(aws_home: AwsHome) -> None:
    aws_home.write(credentials=f"[p]\n{KEYS}")
    resolution = resolve(aws_home.setup({"AWS_ACCESS_KEY_ID": "AKIAX", "AWS_SECRET_ACCESS_KEY": "s"}), "p")
    assert step(resolution, "env") == Step("env", SKIPPED,
                                           "removed from the chain because the profile was given as --profile")
    assert resolution.explicit is True


def test_ambient_profile_keeps_env(aws_home: AwsHome) -> None:
    aws_home.write(credentials=f"[p]\n{KEYS}")
    setup = aws_home.setup({"AWS_PROFILE": "p", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE000000009",
                            "AWS_SECRET_ACCESS_KEY": "s", "AWS_SECURITY_TOKEN": "t1", "AWS_SESSION_TOKEN": "t2"})
    resolution = resolve(setup)
    assert resolution.method == "env"
    assert step(resolution, "env").reason == ("AWS_ACCESS_KEY_ID (AKIA****************) and AWS_SECRET_ACCESS_KEY, "
                                              "with the session token from AWS_SECURITY_TOKEN")
    assert step(resolution, "assume-role").status == NOT_REACHED
    assert resolution.selection_source == "AWS_PROFILE"


def test_failed_step_stops_chain(aws_home: AwsHome) -> None:
    aws_home.write(credentials=f"[default]\n{KEYS}")
    resolution = resolve(aws_home.setup({"AWS_ACCESS_KEY_ID": "AKIAX"}))
    assert step(resolution, "env") == Step(
        "env", FAILED, "PartialCredentialsError: Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY")
    assert step(resolution, "shared-credentials-file").status == NOT_REACHED


def test_role_chain_hops(aws_home: AwsHome) -> None:
    aws_home.write(config=f"[profile top]\n{ROLE}source_profile = mid\n"
                          "[profile mid]\nrole_arn = arn:aws:iam::123456789012:role/hub\nsource_profile = base\n",
                   credentials=f"[base]\n{KEYS}")
    resolution = resolve(aws_home.setup(), "top")
    assert [(hop.profile, hop.role_arn, hop.method, hop.chained) for hop in resolution.role_chain] == [
        ("top", "arn:aws:iam::123456789012:role/admin", "assume-role", True),
        ("mid", "arn:aws:iam::123456789012:role/hub", "assume-role", False),
        ("base", None, "shared-credentials-file", False),
    ]
    assert resolution.role_chain[2].source == "static keys (AKIA****************) in ~/.aws/credentials [base], line 2"


def test_source_keys_skip_source_role(aws_home: AwsHome) -> None:
    aws_home.write(config=f"[profile top]\n{ROLE}source_profile = mid\n"
                          f"[profile mid]\nrole_arn = arn:aws:iam::123456789012:role/hub\nsource_profile = x\n{KEYS}")
    resolution = resolve(aws_home.setup(), "top")
    assert [(hop.profile, hop.method) for hop in resolution.role_chain] == [("top", "assume-role"),
                                                                            ("mid", "config-file")]
    assert resolution.role_chain[0].chained is False


def test_role_from_sso_is_chained(aws_home: AwsHome) -> None:
    aws_home.write(config=f"[profile r]\n{ROLE}source_profile = s\n[profile s]\n"
                          "sso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
                          "sso_account_id = 111122223333\nsso_role_name = Admin\n")
    resolution = resolve(aws_home.setup(), "r")
    assert resolution.role_chain[0].chained is True
    assert resolution.role_chain[1].source == ("SSO role Admin in account 111122223333 through start URL "
                                               "https://example.awsapps.com/start; no cached SSO token: run "
                                               "'aws sso login' first")


def test_credential_source_hop(aws_home: AwsHome) -> None:
    aws_home.write(config=f"[profile ci]\n{ROLE}credential_source = EcsContainer\n")
    setup = aws_home.setup({"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"})
    resolution = resolve(setup, "ci")
    assert resolution.method == "assume-role"
    assert resolution.role_chain[0].source == (
        "credential_source EcsContainer: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set: credentials from "
        "http://169.254.170.2/v2/credentials/abc; whether it answers depends on the host")


def test_credential_source_imds_enabled(aws_home: AwsHome) -> None:
    aws_home.write(config=f"[profile ci]\n{ROLE}credential_source = Ec2InstanceMetadata\n")
    resolution = resolve(aws_home.setup(), "ci")
    assert resolution.method == "assume-role"
    assert resolution.error is None


def test_credential_source_imds_disabled(aws_home: AwsHome) -> None:
    aws_home.write(config=f"[profile ci]\n{ROLE}credential_source = Ec2InstanceMetadata\n")
    resolution = resolve(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "TRUE"}), "ci")
    assert resolution.error_tuple == (
        "CredentialRetrievalError",
        "Error when retrieving credentials from Ec2InstanceMetadata: No credentials found in credential_source "
        "referenced in profile ci",
    )


def test_imds_depends_on_host(aws_home: AwsHome) -> None:
    resolution = resolve(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "yes"}))
    assert resolution.method is None
    assert step(resolution, "iam-role").status == DEPENDS_ON_HOST
    assert resolution.depends_on_host is True


def test_imds_disabled(aws_home: AwsHome) -> None:
    resolution = resolve(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}))
    assert step(resolution, "iam-role") == Step("iam-role", SKIPPED, "disabled by AWS_EC2_METADATA_DISABLED=true")
    assert resolution.depends_on_host is False


def test_process_shows_program_only(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\ncredential_process = /no/such/dir/vault read --token s3cr3t\n")
    resolution = resolve(aws_home.setup())
    assert resolution.error_tuple == ("FileNotFoundError", "[Errno 2] No such file or directory: '/no/such/dir/vault'")
    assert "s3cr3t" not in repr(resolution)


def test_expected_arn_drops_path() -> None:
    arn = parse_role_arn("arn:aws-cn:iam::123456789012:role/teams/ops/deployer", "ci-run")
    assert arn is not None
    assert arn.arn == "arn:aws-cn:sts::123456789012:assumed-role/deployer/ci-run"


def test_expected_arn_default_session() -> None:
    arn = parse_role_arn("arn:aws:iam::123456789012:role/admin", None)
    assert arn is not None
    assert arn.pattern == "arn:aws:sts::123456789012:assumed-role/admin/botocore-session-*"


def test_expected_arn_rejects_non_role() -> None:
    assert parse_role_arn("arn:aws:iam::123456789012:user/alice", None) is None


def test_web_identity_expected_arn(aws_home: AwsHome) -> None:
    setup = aws_home.setup({"AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/web",
                            "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token", "AWS_ROLE_SESSION_NAME": "job-7"})
    resolution = resolve(setup)
    assert resolution.expected_arn is not None
    assert resolution.expected_arn.arn == "arn:aws:sts::123456789012:assumed-role/web/job-7"


def test_region_from_credentials_file(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-west-2\n", credentials="[default]\nregion = ap-south-1\n")
    region = resolve(aws_home.setup()).region
    assert region.value == "ap-south-1"
    assert region.source is not None
    assert (region.source.path, region.source.line) == ("~/.aws/credentials", 2)


def test_region_env_before_profile(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-west-2\n")
    region = resolve(aws_home.setup({"AWS_DEFAULT_REGION": "eu-west-1"})).region
    assert region.value == "eu-west-1"
    assert region.source is not None
    assert region.source.variable == "AWS_DEFAULT_REGION"


def test_region_v2_reads_aws_region(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-west-2\n")
    resolution = resolve(aws_home.setup({"AWS_REGION": "eu-north-1"}))
    assert resolution.region.value == "us-west-2"
    assert resolution.region_v2.value == "eu-north-1"


def test_region_v2_uses_v2_selection(aws_home: AwsHome) -> None:
    aws_home.write(config="[profile a]\nregion = us-east-1\n[profile b]\nregion = us-east-2\n")
    setup = aws_home.setup({"AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "b"})
    assert resolve(setup).region_v2.value == "us-east-2"
    assert resolve_selection(setup, setup.selection_v2).profile == "b"


def test_missing_profile_region_note(aws_home: AwsHome) -> None:
    region = resolve(aws_home.setup({"AWS_PROFILE": "nope"})).region
    assert region.value is None
    assert region.note == "The config profile (nope) could not be found"


def test_parse_error_blocks_every_step(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = a\n[default]\n")
    resolution = resolve(aws_home.setup())
    assert resolution.error_tuple == ("ConfigParseError", f"Unable to parse config file: {aws_home.config}")
    assert {item.status for item in resolution.steps} == {NOT_REACHED}


def test_empty_profile_name_kept(aws_home: AwsHome) -> None:
    resolution = resolve(aws_home.setup({"AWS_PROFILE": ""}))
    assert resolution.profile == ""
    assert resolution.error_tuple == ("ProfileNotFound", "The config profile () could not be found")


def test_explicit_region_wins(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-west-2\n")
    resolution = resolve(aws_home.setup({"AWS_DEFAULT_REGION": "eu-west-1", "AWS_REGION": "eu-north-1"}),
                         region="ap-east-1")
    assert resolution.region.value == "ap-east-1"
    assert resolution.region.explicit is True
    assert resolution.region_v2.value == "ap-east-1"


def test_region_v2_imds_note(aws_home: AwsHome) -> None:
    resolution = resolve(aws_home.setup())
    assert resolution.region_v2.note == "CLI v2 would ask IMDS for the region (only on EC2)"


def test_region_v2_imds_disabled(aws_home: AwsHome) -> None:
    resolution = resolve(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}))
    assert resolution.region_v2.note is None


SSO_PROFILE = ("[profile s]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n"
               "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n")


def write_sso_token(aws_home: AwsHome, expires_at: str) -> None:
    cache = aws_home.aws / "sso" / "cache"
    cache.mkdir(parents=True)
    name = hashlib.sha1(b"corp").hexdigest() + ".json"
    (cache / name).write_text(json.dumps({"accessToken": "token", "expiresAt": expires_at}), encoding="utf-8")


def test_sso_token_missing(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_PROFILE)
    resolution = resolve(aws_home.setup(), "s")
    assert step(resolution, "sso").reason == ("SSO role Admin in account 111122223333 through sso-session 'corp'; "
                                              "no cached SSO token: run 'aws sso login' first")


def test_sso_token_expired(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_PROFILE)
    write_sso_token(aws_home, "2001-01-01T00:00:00Z")
    resolution = resolve(aws_home.setup(), "s")
    assert step(resolution, "sso").reason.endswith("; the cached SSO token has expired: run 'aws sso login'")


def test_sso_token_valid(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_PROFILE)
    write_sso_token(aws_home, "2999-01-01T00:00:00Z")
    resolution = resolve(aws_home.setup(), "s")
    assert step(resolution, "sso").reason.endswith("; the cached SSO token is valid")


def test_process_program_missing(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\ncredential_process = no-such-credential-helper --json\n")
    resolution = resolve(aws_home.setup({"PATH": str(aws_home.root)}))
    assert resolution.error_tuple == (
        "FileNotFoundError", "[Errno 2] No such file or directory: 'no-such-credential-helper'")
    assert step(resolution, "custom-process").status == "failed"


def test_process_unbalanced_quote(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\ncredential_process = helper --name 'x\n")
    resolution = resolve(aws_home.setup())
    assert resolution.error_tuple == ("ValueError", "No closing quotation")


def test_web_identity_token_missing(aws_home: AwsHome) -> None:
    token = aws_home.root / "missing-token"
    setup = aws_home.setup({"AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/web",
                            "AWS_WEB_IDENTITY_TOKEN_FILE": str(token)})
    resolution = resolve(setup)
    assert resolution.method == "assume-role-with-web-identity"
    assert resolution.role_chain[0].source == (f"the web identity token in {token} (from AWS_WEB_IDENTITY_TOKEN_FILE), "
                                               "which is missing: the first AWS call fails")


def test_env_expiration_in_past(aws_home: AwsHome) -> None:
    setup = aws_home.setup({"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE000000009", "AWS_SECRET_ACCESS_KEY": "s",
                            "AWS_CREDENTIAL_EXPIRATION": "2001-01-01T00:00:00Z"})
    assert step(resolve(setup), "env").reason == (
        "AWS_ACCESS_KEY_ID (AKIA****************) and AWS_SECRET_ACCESS_KEY; AWS_CREDENTIAL_EXPIRATION "
        "2001-01-01T00:00:00Z is in the past, so botocore raises RuntimeError when the credentials are first used")


def test_env_expiration_unparsable(aws_home: AwsHome) -> None:
    setup = aws_home.setup({"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE000000009", "AWS_SECRET_ACCESS_KEY": "s",
                            "AWS_CREDENTIAL_EXPIRATION": "soon"})
    assert resolve(setup).error_tuple == ("ParserError", "Unknown string format: soon")
