"""The live check against a scripted STS on 127.0.0.1: every STS error a doctor must explain.

Each test writes a config and credentials file into a temporary HOME, starts
the stub with the responses real STS returns in that situation, and runs the
live check through botocore with AWS_ENDPOINT_URL_STS pointing at the stub.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import re
import subprocess
import sys
import time
from typing import Any

from live.stub_sts import ISSUED_ACCESS_KEY_ID, Reply, StubSts
from live.support import live_env, run_live_check

from awsdoctor.findings import Location, Severity
from awsdoctor.live import ClientSettings
from conftest import AwsHome

# The loopback-only socket guard (autouse) and the moto server fixture.
pytest_plugins = ("live.fixtures",)

BASE_KEY_ID = "AKIAEXAMPLE000000001"
BASE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
ALICE = "arn:aws:iam::111122223333:user/alice"
DEPLOYER = "arn:aws:iam::444455556666:role/deployer"
DEPLOYER_SESSION = "arn:aws:sts::444455556666:assumed-role/deployer/botocore-session-1796415809"

CREDENTIALS = f"""\
[base]
aws_access_key_id = {BASE_KEY_ID}
aws_secret_access_key = {BASE_SECRET}
"""

CONFIG = f"""\
[profile base]
region = us-east-1

[profile deploy]
role_arn = {DEPLOYER}
source_profile = base
region = us-east-1
"""

CHAIN_CONFIG = """\
[profile base]
region = us-east-1

[profile hub]
role_arn = arn:aws:iam::444455556666:role/hub
source_profile = base

[profile ci]
role_arn = arn:aws:iam::555566667777:role/ci
source_profile = hub
duration_seconds = 7200
region = us-east-1
"""

ALICE_IDENTITY = Reply("GetCallerIdentity", signed_by=BASE_KEY_ID,
                       fields={"Arn": ALICE, "Account": "111122223333", "UserId": "AIDAEXAMPLEALICE0001"})
FAST = ClientSettings(connect_timeout=1.0, read_timeout=2.0, max_attempts=1)


def config_location(home: AwsHome, line: int, section: str, profile: str, key: str | None) -> Location:
    return Location(kind="config", path="~/.aws/config", line=line, column=1, section=section, profile=profile,
                    key=key)


def credentials_location(line: int, key: str) -> Location:
    return Location(kind="credentials", path="~/.aws/credentials", line=line, column=1, section="base",
                    profile="base", key=key)


def test_trust_policy_denial(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    denial = (f"User: {ALICE} is not authorized to perform: sts:AssumeRole on resource: {DEPLOYER}")
    replies = [ALICE_IDENTITY, Reply("AssumeRole", status=403, error=("AccessDenied", denial))]
    with StubSts(replies) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "deploy", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD806"]
    finding = report.findings[0]
    assert finding.message == (
        f"profile 'deploy': STS denied AssumeRole on {DEPLOYER} to {ALICE}: this is a cross-account call "
        "(account 111122223333 to 444455556666), so both sides must allow it; the likely cause is the caller's "
        "own policies lacking sts:AssumeRole on the role, unless the trust policy does not name the caller or its "
        "account; or the trust policy requires an sts:ExternalId and the profile sets no external_id"
    )
    assert finding.location == config_location(aws_home, 5, "profile deploy", "deploy", "role_arn")


def test_same_account_denial_blames_trust(aws_home: AwsHome) -> None:
    config = CONFIG.replace("444455556666", "111122223333") + "external_id = partner-42\n"
    aws_home.write(config=config, credentials=CREDENTIALS)
    role = "arn:aws:iam::111122223333:role/deployer"
    denial = f"User: {ALICE} is not authorized to perform: sts:AssumeRole on resource: {role}"
    replies = [ALICE_IDENTITY, Reply("AssumeRole", status=403, error=("AccessDenied", denial))]
    with StubSts(replies) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "deploy", settings=FAST)
    assert report.findings[0].message == (
        f"profile 'deploy': STS denied AssumeRole on {role} to {ALICE}: the caller and the role are in the same "
        "account, so the likely cause is the role's trust policy, which does not name this caller; or the trust "
        "policy's sts:ExternalId condition does not match the profile's external_id"
    )


def test_source_identity_recorded(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    denial = f"User: {ALICE} is not authorized to perform: sts:AssumeRole on resource: {DEPLOYER}"
    replies = [ALICE_IDENTITY, Reply("AssumeRole", status=403, error=("AccessDenied", denial))]
    with StubSts(replies) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "deploy", settings=FAST)
    assert report.results[0].source_identity is not None
    assert report.results[0].source_identity.arn == ALICE


def test_duration_above_role_maximum(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG + "duration_seconds = 43200\n", credentials=CREDENTIALS)
    message = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    replies = [ALICE_IDENTITY, Reply("AssumeRole", status=400, error=("ValidationError", message))]
    with StubSts(replies) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "deploy", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD807"]
    finding = report.findings[0]
    assert finding.message == (
        f"profile 'deploy': duration_seconds = 43200 is above the MaxSessionDuration of role {DEPLOYER} "
        f"(STS ValidationError: {message})"
    )
    assert finding.location == config_location(aws_home, 8, "profile deploy", "deploy", "duration_seconds")


def test_duration_above_chaining_cap(aws_home: AwsHome) -> None:
    aws_home.write(config=CHAIN_CONFIG, credentials=CREDENTIALS)
    message = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
    replies = [
        ALICE_IDENTITY,
        Reply("AssumeRole", when={"RoleArn": "arn:aws:iam::444455556666:role/hub"}),
        Reply("AssumeRole", when={"RoleArn": "arn:aws:iam::555566667777:role/ci"}, status=400,
              error=("ValidationError", message)),
    ]
    with StubSts(replies) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "ci", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD807"]
    finding = report.findings[0]
    assert finding.message == (
        "profile 'ci': duration_seconds = 7200 is above the 3600-second limit STS puts on chained roles "
        f"('ci' assumes its role with the credentials of another role) (STS ValidationError: {message})"
    )
    assert finding.hint == "Set duration_seconds = 3600 or less."
    assert finding.location == config_location(aws_home, 11, "profile ci", "ci", "duration_seconds")


def test_chain_assumes_hub_first(aws_home: AwsHome) -> None:
    aws_home.write(config=CHAIN_CONFIG, credentials=CREDENTIALS)
    replies = [ALICE_IDENTITY, Reply("AssumeRole"),
               Reply("GetCallerIdentity", signed_by=ISSUED_ACCESS_KEY_ID,
                     fields={"Arn": "arn:aws:sts::555566667777:assumed-role/ci/botocore-session-1"})]
    with StubSts(replies) as stub:
        run_live_check(aws_home, live_env(aws_home, stub.url), "ci", settings=FAST)
    role_arns = [request.params.get("RoleArn") for request in stub.requests if request.action == "AssumeRole"]
    assert role_arns == ["arn:aws:iam::444455556666:role/hub", "arn:aws:iam::555566667777:role/ci"]


def test_expired_session_token(aws_home: AwsHome) -> None:
    credentials = CREDENTIALS + "aws_session_token = FwoGZXIvYXdzEXAMPLEOLDTOKEN\n"
    aws_home.write(config=CONFIG, credentials=credentials)
    message = "The security token included in the request is expired"
    with StubSts([Reply("GetCallerIdentity", status=400, error=("ExpiredToken", message))]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "base", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD811"]
    finding = report.findings[0]
    assert finding.message == (
        f"profile 'base': STS rejected the session token of profile 'base' as expired (ExpiredToken: {message})"
    )
    assert finding.location == credentials_location(4, "aws_session_token")


def test_invalid_client_token_id(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    message = "The security token included in the request is invalid."
    with StubSts([Reply("GetCallerIdentity", status=403, error=("InvalidClientTokenId", message))]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "base", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD812"]
    finding = report.findings[0]
    assert finding.message == (
        f"profile 'base': STS does not accept the access key id of profile 'base' (InvalidClientTokenId: "
        f"{message}); the key was deleted or deactivated, is mistyped, or is a temporary key sent without its "
        "session token"
    )
    assert finding.location == credentials_location(2, "aws_access_key_id")


def test_invalid_key_on_assume_role(aws_home: AwsHome) -> None:
    # The role profile's AssumeRole is signed with the source profile's keys, so the finding points there.
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    message = "The security token included in the request is invalid."
    with StubSts([ALICE_IDENTITY, Reply("AssumeRole", status=403, error=("InvalidClientTokenId", message))]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "deploy", settings=FAST)
    assert report.findings[0].location == credentials_location(2, "aws_access_key_id")


def test_signature_with_skewed_clock(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    message = "Signature expired: 20261204T100000Z is now earlier than 20261204T115500Z (20261204T121000Z - 15 min.)"
    skewed = email.utils.formatdate(time.time() + 7200, usegmt=True)
    reply = Reply("GetCallerIdentity", status=403, error=("SignatureDoesNotMatch", message), date=skewed)
    with StubSts([reply]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "base", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD813"]
    pattern = (r"profile 'base': STS rejected the request signature \(SignatureDoesNotMatch: .*\): the local clock "
               r"is 7(19\d|200) seconds behind STS's clock \(Date header of the response\), and SigV4 rejects "
               r"requests signed more than 5 minutes off")
    assert re.fullmatch(pattern, report.findings[0].message) is not None


def test_signature_with_wrong_secret(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    message = ("The request signature we calculated does not match the signature you provided. Check your AWS "
               "Secret Access Key and signing method. Consult the service documentation for details.")
    reply = Reply("GetCallerIdentity", status=403, error=("SignatureDoesNotMatch", message))
    with StubSts([reply]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "base", settings=FAST)
    finding = report.findings[0]
    assert re.fullmatch(
        r"profile 'base': STS rejected the request signature \(SignatureDoesNotMatch: The request signature .*\): "
        r"the secret access key of profile 'base' does not belong to its access key id \(clock skew \d s, within "
        r"limits\)", finding.message) is not None
    assert finding.location == credentials_location(3, "aws_secret_access_key")


def test_throttling_after_retries(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    reply = Reply("GetCallerIdentity", status=400, error=("Throttling", "Rate exceeded"))
    settings = ClientSettings(connect_timeout=1.0, read_timeout=2.0, max_attempts=2)
    with StubSts([reply]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "base", settings=settings)
    assert [finding.rule for finding in report.findings] == ["AD816"]
    assert report.findings[0].message == (
        "profile 'base': STS throttled GetCallerIdentity (Throttling: Rate exceeded) after 2 attempt(s); the "
        "identity is unknown"
    )
    assert stub.actions() == ["GetCallerIdentity", "GetCallerIdentity"]


def test_slow_response_times_out(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    reply = Reply("GetCallerIdentity", fields={"Arn": ALICE}, delay=3.0)
    settings = ClientSettings(connect_timeout=1.0, read_timeout=0.5, max_attempts=1)
    started = time.monotonic()
    with StubSts([reply]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "base", settings=settings)
        elapsed = time.monotonic() - started
    assert [finding.rule for finding in report.findings] == ["AD815"]
    assert report.findings[0].message.startswith(
        "profile 'base': STS did not respond within --read-timeout (ReadTimeoutError: Read timeout on endpoint URL:"
    )
    assert elapsed < 2.5


def test_closed_port_unreachable(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    report = run_live_check(aws_home, live_env(aws_home, "http://127.0.0.1:9"), "base", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD815"]
    assert report.findings[0].location == Location(kind="live", profile="base")


def test_mfa_without_code_skipped(aws_home: AwsHome) -> None:
    config = CONFIG + "mfa_serial = arn:aws:iam::111122223333:mfa/alice\n"
    aws_home.write(config=config, credentials=CREDENTIALS)
    with StubSts([ALICE_IDENTITY]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "deploy", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD809"]
    finding = report.findings[0]
    assert finding.severity == Severity.INFO
    assert finding.message == (
        "profile 'deploy': the role of profile 'deploy' needs an MFA code for arn:aws:iam::111122223333:mfa/alice; "
        "the live check does not prompt, so this profile was not checked"
    )
    assert stub.actions() == ["GetCallerIdentity"]


def test_mfa_code_sent(aws_home: AwsHome) -> None:
    config = CONFIG + "mfa_serial = arn:aws:iam::111122223333:mfa/alice\n"
    aws_home.write(config=config, credentials=CREDENTIALS)
    replies = [ALICE_IDENTITY, Reply("AssumeRole"),
               Reply("GetCallerIdentity", fields={"Arn": DEPLOYER_SESSION})]
    with StubSts(replies) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "deploy", settings=FAST, mfa_code="123456")
    assume_role = [request for request in stub.requests if request.action == "AssumeRole"]
    assert assume_role[0].has_token_code is True
    assert assume_role[0].params["SerialNumber"] == "arn:aws:iam::111122223333:mfa/alice"
    assert report.results[0].status == "ok"


def test_mfa_code_rejected(aws_home: AwsHome) -> None:
    config = CONFIG + "mfa_serial = arn:aws:iam::111122223333:mfa/alice\n"
    aws_home.write(config=config, credentials=CREDENTIALS)
    message = "MultiFactorAuthentication failed with invalid MFA one time pass code."
    replies = [ALICE_IDENTITY, Reply("AssumeRole", status=403, error=("AccessDenied", message))]
    with StubSts(replies) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "deploy", settings=FAST, mfa_code="123456")
    assert [finding.rule for finding in report.findings] == ["AD810"]
    assert report.findings[0].location == config_location(aws_home, 8, "profile deploy", "deploy", "mfa_serial")


def test_external_id_too_short(aws_home: AwsHome) -> None:
    # botocore validates the model minimum (2 characters) before sending.
    aws_home.write(config=CONFIG + "external_id = x\n", credentials=CREDENTIALS)
    with StubSts([ALICE_IDENTITY]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "deploy", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD808"]
    assert report.findings[0].message == (
        "profile 'deploy': the AssumeRole parameter from external_id was rejected: Parameter validation failed: "
        "Invalid length for parameter ExternalId, value: 1, valid min length: 2"
    )
    assert stub.actions() == ["GetCallerIdentity"]


def test_role_success_no_cache_written(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    replies = [ALICE_IDENTITY, Reply("AssumeRole"),
               Reply("GetCallerIdentity", fields={"Arn": DEPLOYER_SESSION})]
    with StubSts(replies) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "deploy", settings=FAST)
    assert report.findings == []
    assert sorted(path.name for path in aws_home.aws.iterdir()) == ["config", "credentials"]


def test_missing_source_credentials(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG)
    with StubSts([]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "deploy", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD817"]
    assert report.findings[0].message == (
        "source profile 'base': botocore could not build credentials, so STS was not called: InvalidConfigError: "
        'The source profile "base" must have credentials.'
    )
    assert stub.actions() == []


SSO_CONFIG = """\
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
"""

LEGACY_SSO_CONFIG = """\
[profile legacy]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = Developer
"""


def run_subprocess_check(home: AwsHome, env: dict[str, str], profile: str) -> dict[str, Any]:
    """Run ``awsdoctor check --live --select AD8`` in a new process and return the JSON report.

    botocore fixes the SSO token cache directory from HOME when it is first
    imported, so SSO cases need a process whose HOME is the test's from the start.
    """
    completed = subprocess.run(
        [sys.executable, "-m", "awsdoctor", "check", "--format", "json", "--live", "--select", "AD8",
         "--profile", profile, "--read-timeout", "2", "--max-attempts", "1"],
        env=env, cwd=home.root, capture_output=True, text=True, timeout=60, check=False,
    )
    report: dict[str, Any] = json.loads(completed.stdout)
    return report


def test_sso_token_missing(aws_home: AwsHome) -> None:
    aws_home.write(config=SSO_CONFIG)
    with StubSts([]) as stub:
        report = run_subprocess_check(aws_home, live_env(aws_home, stub.url), "dev")
    assert [finding["rule"] for finding in report["findings"]] == ["AD814"]
    assert report["findings"][0]["message"] == (
        "profile 'dev': the IAM Identity Center token is missing or expired (SSOTokenLoadError: Error loading SSO "
        "Token: Token for corp does not exist)"
    )
    assert stub.requests == []


def test_sso_legacy_token_expired(aws_home: AwsHome) -> None:
    # The legacy form is never refreshed: an expired token fails before any network call.
    aws_home.write(config=LEGACY_SSO_CONFIG)
    cache = aws_home.aws / "sso" / "cache"
    cache.mkdir(parents=True)
    name = hashlib.sha1(b"https://corp.awsapps.com/start").hexdigest()
    token = {"accessToken": "stub-sso-access-token", "expiresAt": "2020-01-01T00:00:00Z",
             "startUrl": "https://corp.awsapps.com/start", "region": "us-east-1"}
    (cache / f"{name}.json").write_text(json.dumps(token), encoding="utf-8")
    with StubSts([]) as stub:
        report = run_subprocess_check(aws_home, live_env(aws_home, stub.url), "legacy")
    assert [finding["rule"] for finding in report["findings"]] == ["AD814"]
    assert report["findings"][0]["message"].startswith(
        "profile 'legacy': the IAM Identity Center token is missing or expired (UnauthorizedSSOTokenError: "
    )


def test_token_cache_not_written(aws_home: AwsHome) -> None:
    import botocore.utils

    from awsdoctor.live.session import read_only_file_caches

    cache = botocore.utils.JSONFileCache(str(aws_home.aws / "sso" / "cache"))
    with read_only_file_caches():
        cache["refreshed"] = {"accessToken": "new"}
    assert not (aws_home.aws / "sso").exists()


def test_other_sts_error(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    message = "STS is not activated in this region for account:111122223333."
    reply = Reply("GetCallerIdentity", status=403, error=("RegionDisabledException", message))
    with StubSts([reply]) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "base", settings=FAST)
    assert [finding.rule for finding in report.findings] == ["AD818"]
    assert report.findings[0].message == (
        f"profile 'base': STS rejected GetCallerIdentity: RegionDisabledException: {message}"
    )


def test_web_identity_role_checked(aws_home: AwsHome) -> None:
    token_file = aws_home.root / "token"
    token_file.write_text("stub-oidc-token", encoding="utf-8")
    config = ("[profile ci]\nrole_arn = arn:aws:iam::444455556666:role/ci\n"
              f"web_identity_token_file = {token_file}\nrole_session_name = gha\nregion = us-east-1\n")
    aws_home.write(config=config)
    replies = [Reply("AssumeRoleWithWebIdentity"),
               Reply("GetCallerIdentity", fields={"Arn": "arn:aws:sts::444455556666:assumed-role/ci/gha"})]
    with StubSts(replies) as stub:
        report = run_live_check(aws_home, live_env(aws_home, stub.url), "ci", settings=FAST)
    result = report.results[0]
    assert stub.actions() == ["AssumeRoleWithWebIdentity", "GetCallerIdentity"]
    assert result.credentials_from == "assume-role-with-web-identity"
    assert result.expected_arn == "arn:aws:sts::444455556666:assumed-role/ci/gha"
    assert result.status == "ok"
