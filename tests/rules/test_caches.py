"""The ~/.aws/cli/cache rules and the cache key they compute, checked against botocore."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from awsdoctor.caches import CacheStatus, assume_role_cache_key, parse_expiration, read_cli_cache
from conftest import AwsHome, check_setup

ROLE_PROFILE = """\
[profile ci]
role_arn = arn:aws:iam::111122223333:role/ci-runner
credential_source = Ec2InstanceMetadata
region = us-west-2
"""
CI_KEY = assume_role_cache_key("arn:aws:iam::111122223333:role/ci-runner", None, None, None, None)
FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLESECRET"
FAKE_TOKEN = "FwoGZXIvYXdzEXAMPLETOKENVALUE"


def write_cache(home: AwsHome, name: str, content: str | bytes) -> Path:
    directory = home.aws / "cli" / "cache"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def cache_document(expiration: str) -> str:
    return json.dumps({
        "Credentials": {
            "AccessKeyId": "ASIAEXAMPLE000000009",
            "SecretAccessKey": FAKE_SECRET,
            "SessionToken": FAKE_TOKEN,
            "Expiration": expiration,
            "AccountId": "111122223333",
        },
        "AssumedRoleUser": {"Arn": "arn:aws:sts::111122223333:assumed-role/ci-runner/botocore-session-1"},
    })


@pytest.mark.parametrize(
    ("arguments", "kwargs"),
    [
        ({"RoleArn": "arn:aws:iam::123456789012:role/R", "DurationSeconds": 3600},
         {"duration_seconds": 3600}),
        ({"RoleArn": "arn:aws:iam::123456789012:role/R", "RoleSessionName": "alice", "ExternalId": "x-1"},
         {"role_session_name": "alice", "external_id": "x-1"}),
        ({"RoleArn": "arn:aws:iam::123456789012:role/R", "SerialNumber": "arn:aws:iam::123456789012:mfa/a"},
         {"mfa_serial": "arn:aws:iam::123456789012:mfa/a"}),
    ],
)
def test_cache_key_matches_botocore(arguments: dict[str, object], kwargs: dict[str, object]) -> None:
    from botocore.credentials import AssumeRoleCredentialFetcher, Credentials

    extra = {key: value for key, value in arguments.items() if key != "RoleArn"}
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=lambda *a, **k: None,
        source_credentials=Credentials("AKIAEXAMPLE000000001", "secret"),
        role_arn=str(arguments["RoleArn"]),
        extra_args=extra,
    )
    expected = fetcher._create_cache_key()
    actual = assume_role_cache_key(
        str(arguments["RoleArn"]),
        kwargs.get("role_session_name"),  # type: ignore[arg-type]
        kwargs.get("external_id"),  # type: ignore[arg-type]
        kwargs.get("mfa_serial"),  # type: ignore[arg-type]
        kwargs.get("duration_seconds"),  # type: ignore[arg-type]
    )
    assert actual == expected


def test_cache_key_documented_example() -> None:
    key = assume_role_cache_key("arn:aws:iam::123456789012:role/R", None, None, None, 3600)
    assert key == "4c827687aaf7050e8dc5a54a55f2b9aa7bb420f4"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2030-01-01T12:00:00UTC", 1893499200.0),
        ("2030-01-01T12:00:00Z", 1893499200.0),
        ("2030-01-01T12:00:00+00:00", 1893499200.0),
        ("not a date", None),
    ],
)
def test_parse_expiration(text: str, expected: float | None) -> None:
    assert parse_expiration(text) == expected


def test_cache_reader_drops_secrets(aws_home: AwsHome) -> None:
    write_cache(aws_home, f"{CI_KEY}.json", cache_document("2030-01-01T12:00:00UTC"))
    entries = read_cli_cache(str(aws_home.home))
    assert len(entries) == 1
    assert entries[0].status is CacheStatus.OK
    assert FAKE_SECRET not in repr(entries[0])
    assert FAKE_TOKEN not in repr(entries[0])


def test_empty_cache_file_is_error(aws_home: AwsHome) -> None:
    aws_home.write(config=ROLE_PROFILE)
    write_cache(aws_home, f"{CI_KEY}.json", b"")
    findings = check_setup(aws_home.setup(profile="ci"), ("AD72",))
    assert [(f.rule, f.severity.label) for f in findings] == [("AD720", "error")]
    assert findings[0].location.kind == "cache"
    assert findings[0].location.path == f"~/.aws/cli/cache/{CI_KEY}.json"
    assert findings[0].message == (
        f"CLI credential cache file ~/.aws/cli/cache/{CI_KEY}.json is empty (a truncated write); "
        f"commands with profile 'ci' fail with KeyError: '{CI_KEY}'"
    )


def test_empty_cache_file_breaks_botocore(aws_home: AwsHome) -> None:
    """botocore turns the unreadable entry into a KeyError carrying only the cache key."""
    from botocore.credentials import AssumeRoleCredentialFetcher, Credentials
    from botocore.utils import JSONFileCache

    path = write_cache(aws_home, f"{CI_KEY}.json", b"")
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=lambda *a, **k: None,
        source_credentials=Credentials("AKIAEXAMPLE000000001", "secret"),
        role_arn="arn:aws:iam::111122223333:role/ci-runner",
        cache=JSONFileCache(str(path.parent)),
    )
    with pytest.raises(KeyError) as raised:
        fetcher.fetch_credentials()
    assert raised.value.args == (CI_KEY,)


def test_corrupt_cache_file_unmatched(aws_home: AwsHome) -> None:
    aws_home.write(config=ROLE_PROFILE)
    write_cache(aws_home, "0123.json", "{not json")
    findings = check_setup(aws_home.setup(), ("AD720",))
    assert len(findings) == 1
    assert findings[0].message == (
        "CLI credential cache file ~/.aws/cli/cache/0123.json is not a valid JSON cache entry "
        "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1)); "
        "any command whose role maps to this entry fails with KeyError: '0123'"
    )


def test_valid_cache_entry_is_clean(aws_home: AwsHome) -> None:
    aws_home.write(config=ROLE_PROFILE)
    write_cache(aws_home, f"{CI_KEY}.json", cache_document("2099-01-01T00:00:00UTC"))
    assert check_setup(aws_home.setup(), ("AD72",)) == []


def test_expired_cache_entry_is_info(aws_home: AwsHome) -> None:
    aws_home.write(config=ROLE_PROFILE)
    write_cache(aws_home, f"{CI_KEY}.json", cache_document("2001-01-01T00:00:00UTC"))
    findings = check_setup(aws_home.setup(), ("AD721",))
    assert [(f.rule, f.severity.label) for f in findings] == [("AD721", "info")]
    assert findings[0].message == (
        f"cached role credentials ~/.aws/cli/cache/{CI_KEY}.json (profile 'ci') expired; "
        "the next command assumes the role again"
    )


def test_shared_cache_key_with_different_sources(aws_home: AwsHome) -> None:
    aws_home.write(config="""\
[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = new-user

[profile deploy-legacy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = old-user

[profile new-user]
region = us-east-1

[profile old-user]
region = us-east-1
""")
    findings = check_setup(aws_home.setup(), ("AD722",))
    assert [(f.rule, f.location.profile, f.location.line) for f in findings] == [("AD722", "deploy-legacy", 6)]
    assert findings[0].related[0].profile == "deploy"


def test_cache_written_before_config_change(aws_home: AwsHome) -> None:
    aws_home.write(config=ROLE_PROFILE)
    path = write_cache(aws_home, f"{CI_KEY}.json", cache_document("2099-01-01T00:00:00UTC"))
    os.utime(path, (1_000_000, 1_000_000))
    findings = check_setup(aws_home.setup(), ("AD722",))
    assert [(f.rule, f.severity.label, f.location.key) for f in findings] == [("AD722", "info", "role_arn")]


def test_cache_rules_skip_linted_files(tmp_path: Path) -> None:
    from conftest import check_files

    config = tmp_path / "config"
    config.write_text(ROLE_PROFILE)
    assert check_files([str(config)], ("AD72",)) == []
