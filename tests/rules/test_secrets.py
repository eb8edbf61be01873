"""Permission and ownership rules, which need real file modes and owners."""

from __future__ import annotations

import os

import pytest

from conftest import AwsHome, check_setup

OTHER_UID = 65534


def test_aws_directory_writable_by_others(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-east-1\n")
    aws_home.aws.chmod(0o777)
    findings = check_setup(aws_home.setup(), ("AD711",))
    assert [(f.rule, f.location.kind, f.location.path) for f in findings] == [("AD711", "file", "~/.aws")]
    assert findings[0].message == (
        "~/.aws is writable by its group and all other users (mode 0777); "
        "they can replace your AWS config, credentials and caches"
    )


def test_aws_directory_private(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-east-1\n")
    aws_home.aws.chmod(0o755)
    assert check_setup(aws_home.setup(), ("AD711",)) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_credentials_owned_by_another_user(aws_home: AwsHome) -> None:
    aws_home.write(credentials="[default]\nregion = us-east-1\n")
    os.chown(aws_home.credentials, OTHER_UID, OTHER_UID)
    findings = check_setup(aws_home.setup(), ("AD712",))
    assert [(f.rule, f.location.kind) for f in findings] == [("AD712", "credentials")]
    assert findings[0].message == f"~/.aws/credentials belongs to user id {OTHER_UID}, not to you (user id 0)"


def test_own_files_are_clean(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-east-1\n", credentials="[default]\nregion = us-east-1\n")
    assert check_setup(aws_home.setup(), ("AD712",)) == []
