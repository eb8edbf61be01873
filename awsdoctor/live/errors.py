"""Turn what botocore raised during a live call into one AD8xx finding.

STS error codes and messages follow the Query protocol's ErrorResponse; the
texts matched here are the ones STS returns (for example ``Roles may not be
assumed by root accounts.`` and ``The requested DurationSeconds exceeds the 1
hour session limit for roles assumed by role chaining.``).
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass, field
from typing import Any

from awsdoctor.findings import Finding, Location
from awsdoctor.live.model import Identity, make_finding
from awsdoctor.live.plan import ProfilePlan, RoleArn
from awsdoctor.live.session import MfaCodeUnavailable
from awsdoctor.rules import live as rules
from awsdoctor.secrets import redact_error_text
from awsdoctor.setup import Setup

THROTTLING_CODES = {"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException"}
EXPIRED_CODES = {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}
# SigV4 accepts requests signed within 5 minutes of AWS time; beyond that a
# skew is the likely cause of SignatureDoesNotMatch.
CLOCK_SKEW_LIMIT_SECONDS = 300
DENIED_CALLER = re.compile(r"User: (?P<caller>\S+) is not authorized to perform: sts:AssumeRole on resource: "
                           r"(?P<role>\S+)")


@dataclass
class CallContext:
    """Context of a failed call: whose call it was, its credentials and the AssumeRole requests sent."""

    setup: Setup
    plan: ProfilePlan
    profile: str
    step: str
    caller: Identity | None = None
    credentials_from: str | None = None
    assume_role_calls: list[dict[str, Any]] = field(default_factory=list)
    local_time: float = 0.0
    # STS operations whose requests botocore sent during this step, in order.
    sent: list[str] = field(default_factory=list)

    def profile_location(self) -> Location:
        return self.setup.profile_location(self.profile)

    def hop_for_role(self, role_arn: str | None) -> str:
        """Return the chain profile whose role_arn is ``role_arn`` (the checked profile when unknown)."""
        for name in self.plan.chain:
            profile = self.setup.profile(name)
            if profile is not None and role_arn is not None and profile.get("role_arn") == role_arn:
                return name
        return self.profile

    def last_role_arn(self) -> str | None:
        return self.assume_role_calls[-1].get("RoleArn") if self.assume_role_calls else None


def describe_error(error: BaseException) -> str:
    """Return a short one-line description: the STS code and message, or the exception type and text.

    Every text passes through redact_error_text, because botocore's messages
    can quote what the endpoint sent back, and a reply to AssumeRole carries
    a secret access key and a session token.
    """
    import botocore.exceptions
    import botocore.parsers

    if isinstance(error, botocore.exceptions.ClientError):
        code, message = client_error_details(error)
        return f"{code}: {message}".strip()
    if isinstance(error, MfaCodeUnavailable):
        return "MFA code required"
    text = str(error).strip()
    if isinstance(error, botocore.parsers.ResponseParserError):
        # botocore appends the whole response body after the first line.
        text = text.split("\n", 1)[0].rstrip(": ")
    text = redact_error_text(text)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def client_error_details(error: Any) -> tuple[str, str]:
    """Return the redacted error code and message of a botocore ClientError."""
    details = error.response.get("Error", {})
    return (redact_error_text(str(details.get("Code", "Unknown")), limit=100),
            redact_error_text(str(details.get("Message", ""))))


def classify(error: BaseException, context: CallContext) -> Finding:
    """Return the finding that explains ``error`` raised while checking ``context.profile``."""
    import botocore.exceptions
    import botocore.parsers

    if isinstance(error, MfaCodeUnavailable):
        return _mfa_skipped(context)
    if isinstance(error, botocore.exceptions.ClientError):
        return _client_error(error, context)
    if isinstance(error, botocore.exceptions.ParamValidationError):
        return _parameter_rejected(redact_error_text(str(error)), context)
    if isinstance(error, botocore.parsers.ResponseParserError):
        return _unparsable(error, context)
    if isinstance(error, (botocore.exceptions.SSOTokenLoadError, botocore.exceptions.UnauthorizedSSOTokenError,
                          botocore.exceptions.TokenRetrievalError)):
        return _sso_token(error, context)
    if isinstance(error, (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError)):
        return _unreachable(error, context)
    return _unresolved(error, context)


def _who(context: CallContext) -> str:
    return f"profile {context.profile!r}" if context.step == "profile" else f"source profile {context.profile!r}"


def _mfa_skipped(context: CallContext) -> Finding:
    hop = context.plan.mfa_profiles[0] if context.plan.mfa_profiles else context.profile
    serial = context.setup.profile(hop)
    serial_text = serial.get("mfa_serial") if serial is not None else None
    return make_finding(
        rules.mfa_check_skipped,
        f"profile {context.profile!r}: the role of profile {hop!r} needs an MFA code for {serial_text}; "
        "the live check does not prompt, so this profile was not checked",
        "Run again with --mfa-code CODE (the current six-digit code of that device).",
        context.setup.key_location(hop, "mfa_serial"),
    )


def _client_error(error: Any, context: CallContext) -> Finding:
    code, message = client_error_details(error)
    operation = getattr(error, "operation_name", "")

    if code == "AccessDenied" and operation == "AssumeRole":
        if "root accounts" in message:
            return _root_denied(context)
        if "MultiFactorAuthentication" in message:
            return _mfa_rejected(message, context)
        return _assume_role_denied(message, context)
    if code == "ValidationError" and operation == "AssumeRole":
        if "DurationSeconds" in message:
            return _duration_rejected(message, context)
        return _parameter_rejected(message, context)
    if code in EXPIRED_CODES:
        return _expired(code, message, context)
    if code == "InvalidClientTokenId":
        return _invalid_key(message, context)
    if code == "SignatureDoesNotMatch":
        return _signature(message, error.response, context)
    if code in THROTTLING_CODES:
        return make_finding(
            rules.sts_throttled,
            f"{_who(context)}: STS throttled {operation} ({code}: {message}) after "
            f"{_attempts(error.response)} attempt(s); the identity is unknown",
            "Run the check again later, or raise --max-attempts.",
            context.profile_location(),
        )
    return make_finding(
        rules.sts_call_failed,
        f"{_who(context)}: STS rejected {operation}: {code}: {message}",
        "Act on the STS error code above; the AWS CLI would fail with the same error for this profile.",
        context.profile_location(),
    )


def _attempts(response: dict[str, Any]) -> int:
    retries = response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
    return int(retries) + 1


def _root_denied(context: CallContext) -> Finding:
    hop = context.hop_for_role(context.last_role_arn())
    role = RoleArn.parse(context.last_role_arn() or "")
    role_name = role.name if role is not None else context.last_role_arn()
    source = context.plan.source or "its source profile"
    caller = f" ({context.caller.arn})" if context.caller is not None else ""
    return make_finding(
        rules.root_cannot_assume_role,
        f"profile {hop!r}: source profile {source!r} resolves to the account root user{caller}; "
        f"STS does not let root credentials assume role {role_name} (AccessDenied: Roles may not be assumed "
        "by root accounts.)",
        f"Give profile {hop!r} a source_profile with IAM user or IAM Identity Center credentials, "
        "then delete the root user's access keys.",
        context.setup.key_location(hop, "source_profile"),
        related=(context.setup.profile_location(context.plan.source),) if context.plan.source else (),
    )


def _assume_role_denied(message: str, context: CallContext) -> Finding:
    role_arn = context.last_role_arn()
    hop = context.hop_for_role(role_arn)
    match = DENIED_CALLER.search(message)
    if match is not None:
        caller = match.group("caller")
        role_arn = match.group("role")
    else:
        caller = context.caller.arn if context.caller is not None else "the source identity"
        role_arn = role_arn or "the role"

    role = RoleArn.parse(role_arn)
    caller_account = caller.split(":")[4] if caller.count(":") >= 5 else None
    if role is not None and caller_account is not None and caller_account != role.account:
        cause = (f"this is a cross-account call (account {caller_account} to {role.account}), so both sides must "
                 "allow it; the likely cause is the caller's own policies lacking sts:AssumeRole on the role, "
                 "unless the trust policy does not name the caller or its account")
    else:
        cause = ("the caller and the role are in the same account, so the likely cause is the role's trust "
                 "policy, which does not name this caller")
    external_id = context.setup.profile(hop)
    if external_id is not None and external_id.has("external_id"):
        cause += "; or the trust policy's sts:ExternalId condition does not match the profile's external_id"
    else:
        cause += "; or the trust policy requires an sts:ExternalId and the profile sets no external_id"
    return make_finding(
        rules.assume_role_denied,
        f"profile {hop!r}: STS denied AssumeRole on {role_arn} to {caller}: {cause}",
        f"Allow {caller} in the trust policy of {role_arn} and give it sts:AssumeRole on that role "
        "(set external_id if the trust policy requires one), or use a source_profile that is allowed.",
        context.setup.key_location(hop, "role_arn"),
    )


def _mfa_rejected(message: str, context: CallContext) -> Finding:
    hop = context.plan.mfa_profiles[0] if context.plan.mfa_profiles else context.profile
    return make_finding(
        rules.mfa_code_rejected,
        f"profile {hop!r}: STS rejected the MFA code for mfa_serial (AccessDenied: {message})",
        "Pass a fresh code with --mfa-code and check that mfa_serial names a device of the source identity.",
        context.setup.key_location(hop, "mfa_serial"),
    )


def _duration_rejected(message: str, context: CallContext) -> Finding:
    role_arn = context.last_role_arn()
    hop = context.hop_for_role(role_arn)
    sent = next((call.get("DurationSeconds") for call in context.assume_role_calls
                 if call.get("RoleArn") == role_arn), None)
    sent_text = f"duration_seconds = {sent}" if sent is not None else "duration_seconds"
    if "role chaining" in message:
        why = (f"{sent_text} is above the 3600-second limit STS puts on chained roles "
               f"({hop!r} assumes its role with the credentials of another role)")
        hint = "Set duration_seconds = 3600 or less."
    else:
        why = f"{sent_text} is above the MaxSessionDuration of role {role_arn}"
        hint = ("Lower duration_seconds to the role's MaxSessionDuration (see `aws iam get-role`), "
                "or raise MaxSessionDuration on the role.")
    return make_finding(
        rules.duration_above_role_limit,
        f"profile {hop!r}: {why} (STS ValidationError: {message})",
        hint,
        context.setup.key_location(hop, "duration_seconds"),
    )


PARAMETER_KEYS = {
    "externalid": "external_id",
    "rolesessionname": "role_session_name",
    "serialnumber": "mfa_serial",
    "tokencode": "mfa_serial",
    "durationseconds": "duration_seconds",
    "rolearn": "role_arn",
}


def _parameter_rejected(message: str, context: CallContext) -> Finding:
    hop = context.hop_for_role(context.last_role_arn())
    key = None
    lowered = message.lower()
    for parameter, profile_key in PARAMETER_KEYS.items():
        if parameter in lowered:
            key = profile_key
            break
    one_line = " ".join(message.split())
    named = f"{key} " if key else ""
    return make_finding(
        rules.assume_role_parameter_rejected,
        f"profile {hop!r}: the AssumeRole parameter from {named}was rejected: {one_line}",
        f"Correct {key} in profile {hop!r} so that it fits the STS limits." if key
        else f"Correct the role settings of profile {hop!r}.",
        context.setup.key_location(hop, key) if key else context.setup.profile_location(hop),
    )


def _expired(code: str, message: str, context: CallContext) -> Finding:
    location, origin = _credentials_place(context, "aws_session_token", "AWS_SESSION_TOKEN")
    return make_finding(
        rules.expired_token,
        f"{_who(context)}: STS rejected the session token {origin} as expired ({code}: {message})",
        "Get new temporary credentials (aws sso login, aws sts get-session-token or your identity broker), "
        "or remove the stale session token.",
        location,
    )


def _invalid_key(message: str, context: CallContext) -> Finding:
    location, origin = _credentials_place(context, "aws_access_key_id", "AWS_ACCESS_KEY_ID")
    return make_finding(
        rules.invalid_access_key,
        f"{_who(context)}: STS does not accept the access key id {origin} (InvalidClientTokenId: {message}); "
        "the key was deleted or deactivated, is mistyped, or is a temporary key sent without its session token",
        "Create a new access key in IAM (or reactivate this one) and replace both aws_access_key_id and "
        "aws_secret_access_key.",
        location,
    )


def _signature(message: str, response: dict[str, Any], context: CallContext) -> Finding:
    location, origin = _credentials_place(context, "aws_secret_access_key", "AWS_SECRET_ACCESS_KEY")
    skew = measure_skew(response, context.local_time)
    if skew is not None and abs(skew) > CLOCK_SKEW_LIMIT_SECONDS:
        direction = "behind" if skew > 0 else "ahead of"
        cause = (f"the local clock is {abs(skew):.0f} seconds {direction} STS's clock (Date header of the response), "
                 "and SigV4 rejects requests signed more than 5 minutes off")
        hint = "Synchronise the system clock (NTP), then run the check again."
    else:
        measured = f" (clock skew {abs(skew):.0f} s, within limits)" if skew is not None else ""
        cause = f"the secret access key {origin} does not belong to its access key id{measured}"
        hint = "Copy the secret that belongs to the access key id, or create a new access key pair."
    return make_finding(
        rules.signature_mismatch,
        f"{_who(context)}: STS rejected the request signature (SignatureDoesNotMatch: {message}): {cause}",
        hint,
        location,
    )


def measure_skew(response: dict[str, Any], local_time: float) -> float | None:
    """Return STS's Date header minus the local time in seconds, or None without a usable header."""
    headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    date = headers.get("date")
    if not date:
        return None
    try:
        server = email.utils.parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return None
    return server.timestamp() - local_time


def _credentials_place(context: CallContext, key: str, variable: str) -> tuple[Location, str]:
    """Locate the credential value a call was signed with: the exported variable, or the key of a profile.

    For a role profile the failing call is AssumeRole, signed with the
    credentials of the source profile.
    """
    if context.credentials_from == "env":
        return context.setup.variable_location(variable), f"in ${variable}"
    owner = context.profile
    if context.credentials_from == "assume-role" and context.plan.source is not None:
        owner = context.plan.source
    profile = context.setup.profile(owner)
    if profile is not None and profile.has(key):
        return context.setup.key_location(owner, key), f"of profile {owner!r}"
    return context.setup.profile_location(owner), f"of profile {owner!r}"


def _sso_token(error: BaseException, context: CallContext) -> Finding:
    return make_finding(
        rules.sso_token_invalid,
        f"{_who(context)}: the IAM Identity Center token is missing or expired ({describe_error(error)})",
        f"Run `aws sso login --profile {context.profile}` (AWS CLI v2), then check again.",
        context.profile_location(),
    )


def _unreachable(error: BaseException, context: CallContext) -> Finding:
    import botocore.exceptions

    if isinstance(error, botocore.exceptions.ReadTimeoutError):
        what = "STS did not respond within --read-timeout"
    elif isinstance(error, botocore.exceptions.ConnectTimeoutError):
        what = "the connection to STS timed out (--connect-timeout)"
    else:
        what = "the STS endpoint could not be reached"
    return make_finding(
        rules.sts_unreachable,
        f"{_who(context)}: {what} ({describe_error(error)}); the identity is unknown",
        "Check region, endpoint_url, AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_STS and the proxy variables; "
        "raise --connect-timeout or --read-timeout on a slow network.",
        Location(kind="live", profile=context.profile),
    )


def _unparsable(error: BaseException, context: CallContext) -> Finding:
    operation = context.sent[-1] if context.sent else "a request"
    return make_finding(
        rules.sts_call_failed,
        f"{_who(context)}: the STS endpoint answered {operation}, but botocore could not parse the reply "
        f"({describe_error(error)}); the identity is unknown",
        "Check that AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, endpoint_url and the proxy variables lead to STS, "
        "then run the check again.",
        context.profile_location(),
    )


def _unresolved(error: BaseException, context: CallContext) -> Finding:
    if context.sent:
        when = f" after calling STS ({', '.join(dict.fromkeys(context.sent))})"
    else:
        when = ", so STS was not called"
    return make_finding(
        rules.credentials_unresolved,
        f"{_who(context)}: botocore could not build credentials{when}: {describe_error(error)}",
        "Fix the error botocore names; the other findings of this report usually point at the line.",
        context.profile_location(),
    )
