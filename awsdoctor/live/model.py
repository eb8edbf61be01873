"""Records of a live check: the identity STS returned, one row per profile, and the options."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from awsdoctor.findings import Finding, Location
from awsdoctor.live.session import ClientSettings
from awsdoctor.rule import Rule

ROOT_ARN = re.compile(r"^arn:[a-z-]+:iam::\d{12}:root$")


@dataclass(frozen=True)
class Expectation:
    """Expected identity of a profile: an account id and/or a caller ARN pattern (fnmatch)."""

    account: str | None = None
    arn: str | None = None
    origin: str = "--expect-account / --expect-arn"


@dataclass(frozen=True)
class LiveOptions:
    """Options of ``check --live``: targets, expectations, MFA code and client settings."""

    all_profiles: bool = False
    expect: Expectation = field(default_factory=Expectation)
    declared: Mapping[str, Expectation] = field(default_factory=dict)
    mfa_code: str | None = None
    settings: ClientSettings = field(default_factory=ClientSettings)
    max_workers: int = 4


@dataclass(frozen=True)
class Identity:
    """Response of GetCallerIdentity: caller ARN, account id and unique user id."""

    arn: str
    account: str
    user_id: str

    @property
    def is_root(self) -> bool:
        return ROOT_ARN.match(self.arn) is not None

    def to_dict(self) -> dict[str, str]:
        return {"arn": self.arn, "account": self.account, "user_id": self.user_id}


@dataclass
class ProfileResult:
    """Expected against actual identity of one profile, and the findings its check produced.

    ``status`` is ``ok``, ``mismatch``, ``error``, ``skipped`` (MFA) or
    ``unknown`` (the call worked but nothing was expected).
    """

    profile: str
    selected_by: str
    source_profile: str | None = None
    source_identity: Identity | None = None
    expected_arn: str | None = None
    expected_account: str | None = None
    expected_from: str | None = None
    actual: Identity | None = None
    credentials_from: str | None = None
    status: str = "unknown"
    error: str | None = None
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "selected_by": self.selected_by,
            "source_profile": self.source_profile,
            "source_identity": None if self.source_identity is None else self.source_identity.to_dict(),
            "expected": {"arn": self.expected_arn, "account": self.expected_account, "from": self.expected_from},
            "actual": None if self.actual is None else self.actual.to_dict(),
            "credentials_from": self.credentials_from,
            "status": self.status,
            "error": self.error,
        }


def make_finding(rule: Rule, message: str, hint: str, location: Location,
                 related: tuple[Location, ...] = (), severity: Any = None) -> Finding:
    """Build a live finding with the code, name and default severity of ``rule``."""
    return Finding(
        rule=rule.code, name=rule.name, severity=rule.severity if severity is None else severity,
        message=message, hint=hint, location=location, related=related,
    )
