"""The offline half of the live check: role chains and expected caller ARNs from the files."""

from __future__ import annotations

from awsdoctor.live.plan import RoleArn, parse_duration, plan_profile
from conftest import AwsHome

CHAIN_CONFIG = """\
[profile top]
role_arn = arn:aws:iam::111122223333:role/teams/ops/top-role
source_profile = mid
duration_seconds = 7200
mfa_serial = arn:aws:iam::999988887777:mfa/alice

[profile mid]
role_arn = arn:aws:iam::999988887777:role/mid-role
source_profile = base
role_session_name = doctor

[profile base]
region = us-east-1
"""


def test_role_arn_drops_path() -> None:
    role = RoleArn.parse("arn:aws:iam::111122223333:role/teams/ops/deployer")
    assert role == RoleArn(partition="aws", account="111122223333", name="deployer")


def test_role_arn_caller_pattern() -> None:
    role = RoleArn("aws-cn", "111122223333", "deployer")
    assert role.caller_pattern(None) == "arn:aws-cn:sts::111122223333:assumed-role/deployer/*"


def test_role_arn_rejects_user_arn() -> None:
    assert RoleArn.parse("arn:aws:iam::111122223333:user/alice") is None


def test_duration_like_botocore() -> None:
    assert parse_duration("7200 # 2h") is None


def test_chain_walks_to_source(aws_home: AwsHome) -> None:
    setup = aws_home.write(config=CHAIN_CONFIG).setup()
    assert plan_profile(setup, "top").chain == ("top", "mid")


def test_chain_source_profile(aws_home: AwsHome) -> None:
    setup = aws_home.write(config=CHAIN_CONFIG).setup()
    assert plan_profile(setup, "top").source == "base"


def test_chain_is_chained(aws_home: AwsHome) -> None:
    setup = aws_home.write(config=CHAIN_CONFIG).setup()
    assert plan_profile(setup, "top").chained is True


def test_chain_mfa_profiles(aws_home: AwsHome) -> None:
    setup = aws_home.write(config=CHAIN_CONFIG).setup()
    assert plan_profile(setup, "top").mfa_profiles == ("top",)


def test_expected_arn_with_session(aws_home: AwsHome) -> None:
    setup = aws_home.write(config=CHAIN_CONFIG).setup()
    assert plan_profile(setup, "mid").expected_arn == "arn:aws:sts::999988887777:assumed-role/mid-role/doctor"


def test_static_keys_stop_chain(aws_home: AwsHome) -> None:
    # botocore uses a source profile's own keys and ignores its role_arn.
    config = CHAIN_CONFIG.replace("role_session_name = doctor", "aws_access_key_id = AKIAEXAMPLE000000001")
    setup = aws_home.write(config=config).setup()
    assert plan_profile(setup, "top").source == "mid"


def test_plain_profile_has_no_chain(aws_home: AwsHome) -> None:
    setup = aws_home.write(config=CHAIN_CONFIG).setup()
    assert plan_profile(setup, "base").chain == ()


def test_cycle_has_no_source(aws_home: AwsHome) -> None:
    config = "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/a\nsource_profile = b\n" \
             "[profile b]\nrole_arn = arn:aws:iam::111122223333:role/b\nsource_profile = a\n"
    setup = aws_home.write(config=config).setup()
    assert plan_profile(setup, "a").source is None
