"""Expected identity and role chain of one profile, computed from the Setup alone (no network).

For a role profile the expected caller is the assumed-role ARN that STS
returns after AssumeRole::

    [profile deploy]                  GetCallerIdentity as 'deploy' returns
    role_arn = arn:aws:iam::111122223333:role/ci/deployer
    source_profile = base             arn:aws:sts::111122223333:assumed-role/deployer/<session>

STS drops the role's path and names the session; the session is compared only
when ``role_session_name`` is set, because botocore otherwise generates
``botocore-session-<epoch seconds>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from awsdoctor.profiles import Profile
from awsdoctor.setup import Setup

# Keys whose presence makes botocore resolve a source profile from its own
# keys instead of assuming its role (AssumeRoleProvider._has_static_credentials).
STATIC_KEYS = ("aws_access_key_id", "aws_secret_access_key")


@dataclass(frozen=True)
class RoleArn:
    """The parts of an IAM role ARN that an assumed-role caller ARN keeps."""

    partition: str
    account: str
    name: str

    @classmethod
    def parse(cls, text: str) -> RoleArn | None:
        """Split ``arn:PARTITION:iam::ACCOUNT:role/PATH/NAME``; None when ``text`` is not such an ARN."""
        parts = text.strip().split(":", 5)
        if len(parts) != 6 or parts[0] != "arn" or parts[2] != "iam" or not parts[5].startswith("role/"):
            return None
        name = parts[5].rsplit("/", 1)[-1]
        if not parts[1] or not parts[4] or not name:
            return None
        return cls(partition=parts[1], account=parts[4], name=name)

    def caller_pattern(self, session_name: str | None) -> str:
        """Return the caller ARN as an fnmatch pattern; ``*`` stands for a generated session name."""
        session = "*" if session_name is None else session_name
        return f"arn:{self.partition}:sts::{self.account}:assumed-role/{self.name}/{session}"


@dataclass(frozen=True)
class ProfilePlan:
    """The role chain of one profile and the caller it should produce.

    ``chain`` lists the profiles whose roles botocore assumes, the checked
    profile first. ``source`` is the profile whose own credentials start the
    chain, or None when the profile assumes no role or uses credential_source.
    """

    profile: str
    exists: bool
    role_arn: str | None
    role: RoleArn | None
    session_name: str | None
    chain: tuple[str, ...]
    source: str | None
    mfa_profiles: tuple[str, ...]
    duration_seconds: int | None

    @property
    def is_role(self) -> bool:
        return self.role_arn is not None

    @property
    def chained(self) -> bool:
        """Return True when this profile's role is assumed with another role's credentials (role chaining)."""
        # NOTE: an SSO or web-identity source also hands out role credentials; only role_arn hops count here.
        return len(self.chain) > 1

    @property
    def expected_arn(self) -> str | None:
        return None if self.role is None else self.role.caller_pattern(self.session_name)

    @property
    def expected_account(self) -> str | None:
        return None if self.role is None else self.role.account


def _text(profile: Profile | None, key: str) -> str | None:
    value = None if profile is None else profile.get(key)
    return value if isinstance(value, str) else None


def _assumes_role(profile: Profile | None) -> bool:
    """Return True when botocore's AssumeRoleProvider handles ``profile`` (role_arn, no web identity)."""
    return _text(profile, "role_arn") is not None and _text(profile, "web_identity_token_file") is None


def _has_static_keys(profile: Profile) -> bool:
    return any(profile.has(key) for key in STATIC_KEYS)


def parse_duration(value: str | None) -> int | None:
    """Return duration_seconds as botocore sends it: ``int(value)``, or None when int() rejects it."""
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def plan_profile(setup: Setup, name: str) -> ProfilePlan:
    """Walk the role chain of profile ``name`` as AssumeRoleProvider._resolve_credentials_from_profile does.

    Every hop after the first stops at a source profile that has static keys
    (its own role_arn is then ignored), has no role_arn, or uses web
    identity. A cycle ends the walk; botocore raises InfiniteLoopConfigError
    for it when the call is made, and the live check reports that error.
    """
    profile = setup.profile(name)
    role_arn = _text(profile, "role_arn") if _assumes_role(profile) else None
    chain: list[str] = []
    mfa: list[str] = []
    source: str | None = None
    current = name
    current_profile = profile
    while current_profile is not None and _assumes_role(current_profile):
        if chain and _has_static_keys(current_profile):
            break
        chain.append(current)
        if _text(current_profile, "mfa_serial") is not None:
            mfa.append(current)
        next_name = _text(current_profile, "source_profile")
        if next_name is None:
            current = ""
            break
        if next_name == current or next_name in chain:
            # Self-reference with static keys: the profile's own keys assume its role.
            current = next_name if next_name == current and _has_static_keys(current_profile) else ""
            break
        current = next_name
        current_profile = setup.profile(next_name)
    if chain and current:
        source = current

    return ProfilePlan(
        profile=name,
        exists=profile is not None,
        role_arn=role_arn,
        role=None if role_arn is None else RoleArn.parse(role_arn),
        session_name=_text(profile, "role_session_name") if role_arn else None,
        chain=tuple(chain),
        source=source,
        mfa_profiles=tuple(mfa),
        duration_seconds=parse_duration(_text(profile, "duration_seconds")) if role_arn else None,
    )
