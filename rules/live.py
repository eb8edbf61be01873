"""AD8xx: live checks, produced by ``awsdoctor check --live`` (awsdoctor.live), not by a Setup rule.

These entries carry the code, name, severity and documentation of each live
finding. Their check functions yield nothing, because the findings come from
real STS responses, which a Setup does not contain: GetCallerIdentity, and the
AssumeRole calls botocore makes for role profiles.
"""

from __future__ import annotations

from collections.abc import Iterator

from awsdoctor.findings import Severity
from awsdoctor.rule import Issue, rule
from awsdoctor.setup import Setup

LIVE_ONLY = "Reported only by `awsdoctor check --live`."


def _live_only(setup: Setup) -> Iterator[Issue]:
    # The live checker (awsdoctor.live) produces these findings from STS responses.
    yield from ()


environment_keys_won = rule(
    "AD801", "environment-keys-won", Severity.WARNING,
    summary=f"Exported access keys, not the selected profile, decided who you are. {LIVE_ONLY}",
    why="""
botocore's credential chain (botocore.credentials.create_credential_resolver)
starts with the environment provider and removes it only when the profile is
given as --profile (a session instance variable). With AWS_PROFILE and
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY all exported, requests are signed
with the exported keys while region and other settings still come from the
profile. The live check shows the identity STS returned for those keys.
""",
    example="""
# env: AWS_PROFILE=prod AWS_ACCESS_KEY_ID=AKIA... AWS_SECRET_ACCESS_KEY=...
[profile prod]
role_arn = arn:aws:iam::111122223333:role/admin
source_profile = base
""",
    fix="""
Unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or pass
--profile, which makes botocore ignore the exported keys.
""",
)(_live_only)

unexpected_account = rule(
    "AD802", "unexpected-account", Severity.ERROR,
    summary=f"STS returned a caller in another account than expected. {LIVE_ONLY}",
    why="""
The account of the caller (GetCallerIdentity Account) is compared with the
account of the profile's role_arn, with --expect-account, and with the
account declared for the profile in awsdoctor's settings file. A mismatch
means commands run against the wrong account.
""",
    example="""
# awsdoctor check --live --profile prod --expect-account 111122223333
[profile prod]
aws_access_key_id = AKIA...
aws_secret_access_key = ...
""",
    fix="""
Point the profile at credentials of the intended account (another
source_profile or role_arn), or correct the declared expectation.
""",
)(_live_only)

unexpected_arn = rule(
    "AD803", "unexpected-arn", Severity.ERROR,
    summary=f"STS returned another caller ARN than expected. {LIVE_ONLY}",
    why="""
For a role profile STS returns arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION
(the role's path dropped); the session name is compared only when
role_session_name is set, since botocore otherwise generates
botocore-session-<epoch seconds>. --expect-arn and the settings file can
declare a shell-style pattern for any profile.
""",
    example="""
# awsdoctor check --live --profile ci --expect-arn 'arn:aws:sts::*:assumed-role/deployer/*'
[profile ci]
aws_access_key_id = AKIA...
aws_secret_access_key = ...
""",
    fix="""
Change the profile so that it resolves to the intended identity, or correct
the declared pattern.
""",
)(_live_only)

root_cannot_assume_role = rule(
    "AD804", "root-cannot-assume-role", Severity.ERROR,
    summary=f"A role profile's source credentials belong to the account root user. {LIVE_ONLY}",
    why="""
STS rejects AssumeRole called with root user credentials (AccessDenied: Roles
may not be assumed by root accounts.) whatever the role's trust policy allows.
Nothing in the files distinguishes root keys from IAM user keys, but
GetCallerIdentity returns arn:PARTITION:iam::ACCOUNT:root for them.
""",
    example="""
[profile eks-viewer]
role_arn = arn:aws:iam::444455556666:role/infra-viewer
source_profile = default
# [default] in ~/.aws/credentials contains root user access keys
""",
    fix="""
Make the source profile an IAM user or IAM Identity Center profile, then
delete the root user's access keys.
""",
)(_live_only)

root_access_keys = rule(
    "AD805", "root-access-keys", Severity.WARNING,
    summary=f"A profile contains long-term access keys of the account root user. {LIVE_ONLY}",
    why="""
Root user access keys cannot be limited by IAM policies and cannot assume
roles. AWS recommends that the root user has no access keys at all.
""",
    example="""
# ~/.aws/credentials
[default]
aws_access_key_id = AKIA...      # GetCallerIdentity: arn:aws:iam::111122223333:root
aws_secret_access_key = ...
""",
    fix="""
Delete the root user's access keys in the IAM console (Security credentials of
the root user) and use an IAM user or IAM Identity Center instead.
""",
)(_live_only)

assume_role_denied = rule(
    "AD806", "assume-role-denied", Severity.ERROR,
    summary=f"STS denied AssumeRole for a role profile. {LIVE_ONLY}",
    why="""
STS returns AccessDenied "User: CALLER is not authorized to perform:
sts:AssumeRole on resource: ROLE" when the role's trust policy does not allow
the caller (or its conditions, such as sts:ExternalId or MFA, are not met) or
when the caller's own policies do not allow sts:AssumeRole on the role. The
message names the caller the live check saw and the role.
""",
    example="""
[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deployer
source_profile = base
""",
    fix="""
Add the caller to the role's trust policy (Principal), or grant the caller
sts:AssumeRole on the role; set external_id when the trust policy requires
one.
""",
)(_live_only)

duration_above_role_limit = rule(
    "AD807", "duration-above-role-limit", Severity.ERROR,
    summary=f"STS rejected duration_seconds: above the role's maximum or the role-chaining cap. {LIVE_ONLY}",
    why="""
botocore sends duration_seconds unchecked (only the model minimum of 900 is
validated). STS rejects a value above the role's MaxSessionDuration, and any
value above 3600 when the caller is itself a role session (role chaining),
with ValidationError.
""",
    example="""
[profile ci]
role_arn = arn:aws:iam::111122223333:role/deployer
source_profile = hub              # hub is itself a role profile
duration_seconds = 43200
""",
    fix="""
Lower duration_seconds to 3600 for a chained role, or to the role's
MaxSessionDuration (or raise that maximum on the role).
""",
)(_live_only)

assume_role_parameter_rejected = rule(
    "AD808", "assume-role-parameter-rejected", Severity.ERROR,
    summary=f"botocore or STS rejected an AssumeRole parameter taken from the profile. {LIVE_ONLY}",
    why="""
botocore checks only the model minimums before sending (ParamValidationError,
for example external_id shorter than 2 characters); STS enforces the patterns
and maximums (ValidationError, for example a role_session_name with a colon or
more than 64 characters, an external_id with characters outside
[\\w+=,.@:/-]).
""",
    example="""
[profile partner]
role_arn = arn:aws:iam::111122223333:role/partner
source_profile = base
external_id = x
""",
    fix="""
Correct the key the message names so that it fits the STS limits.
""",
)(_live_only)

mfa_check_skipped = rule(
    "AD809", "mfa-check-skipped", Severity.INFO,
    summary=f"A role in the chain needs an MFA code and none was given, so it was not assumed. {LIVE_ONLY}",
    why="""
botocore prompts for the code of mfa_serial with getpass when it assumes the
role. The live check never prompts. It passes the --mfa-code value instead,
and without one it skips the role rather than wait for input.
""",
    example="""
[profile admin]
role_arn = arn:aws:iam::111122223333:role/admin
source_profile = base
mfa_serial = arn:aws:iam::111122223333:mfa/alice
""",
    fix="""
Run again with --mfa-code CODE (six digits from the device named by
mfa_serial).
""",
)(_live_only)

mfa_code_rejected = rule(
    "AD810", "mfa-code-rejected", Severity.ERROR,
    summary=f"STS rejected the MFA code or the MFA device for a role. {LIVE_ONLY}",
    why="""
STS returns AccessDenied "MultiFactorAuthentication failed ..." when the code
is wrong or expired, or when mfa_serial is not a device of the caller.
""",
    example="""
[profile admin]
role_arn = arn:aws:iam::111122223333:role/admin
source_profile = base
mfa_serial = arn:aws:iam::111122223333:mfa/alice
""",
    fix="""
Check that mfa_serial is the ARN (or serial number) of a device assigned to
the source identity, and pass a fresh code.
""",
)(_live_only)

expired_token = rule(
    "AD811", "expired-token", Severity.ERROR,
    summary=f"STS reported the session token as expired. {LIVE_ONLY}",
    why="""
Temporary credentials (access key id, secret, session token) stop working at
their expiration, and STS then returns ExpiredToken. A stale AWS_SESSION_TOKEN in the
environment or an old aws_session_token in the credentials file is the usual
cause.
""",
    example="""
# ~/.aws/credentials
[default]
aws_access_key_id = ASIA...
aws_secret_access_key = ...
aws_session_token = ...           # issued yesterday
""",
    fix="""
Get new temporary credentials (aws sso login, aws sts get-session-token, your
identity broker) or remove the stale token.
""",
)(_live_only)

invalid_access_key = rule(
    "AD812", "invalid-access-key", Severity.ERROR,
    summary=f"STS does not know the access key id (deleted, deactivated or mistyped). {LIVE_ONLY}",
    why="""
STS returns InvalidClientTokenId "The security token included in the request
is invalid" for an access key id that does not exist or is inactive, and for
an access key id of temporary credentials sent without its session token.
""",
    example="""
[default]
aws_access_key_id = AKIA...       # key deleted in IAM
aws_secret_access_key = ...
""",
    fix="""
Create a new access key (or reactivate the old one) and replace both values.
""",
)(_live_only)

signature_mismatch = rule(
    "AD813", "signature-mismatch", Severity.ERROR,
    summary=f"STS rejected the request signature: wrong secret key or a skewed clock. {LIVE_ONLY}",
    why="""
SigV4 signs with the secret access key and the request time. STS returns
SignatureDoesNotMatch when the secret does not belong to the access key id,
and also when the local clock is far from AWS time. The live check measures
the skew from the Date header of the STS response.
""",
    example="""
[default]
aws_access_key_id = AKIA...
aws_secret_access_key = ...       # secret of another key
""",
    fix="""
Copy the secret that belongs to the access key id (or create a new key pair);
when the message reports clock skew, synchronise the clock (NTP).
""",
)(_live_only)

sso_token_invalid = rule(
    "AD814", "sso-token-invalid", Severity.ERROR,
    summary=f"The IAM Identity Center token for a profile is missing or expired. {LIVE_ONLY}",
    why="""
botocore's SSO provider reads the token written by `aws sso login` from
~/.aws/sso/cache and raises SSOTokenLoadError when it is missing or invalid,
and UnauthorizedSSOTokenError when it has expired and cannot be refreshed.
""",
    example="""
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
""",
    fix="""
Run `aws sso login --profile NAME` (AWS CLI v2).
""",
)(_live_only)

sts_unreachable = rule(
    "AD815", "sts-unreachable", Severity.ERROR,
    summary=f"The STS endpoint could not be reached or did not respond in time. {LIVE_ONLY}",
    why="""
The live check calls STS with short timeouts and few attempts
(--connect-timeout, --read-timeout, --max-attempts). A connection error or a
timeout means the endpoint botocore resolved (region, sts_regional_endpoints,
endpoint_url, AWS_ENDPOINT_URL_STS, proxies) is wrong or unreachable from here.
""",
    example="""
[default]
region = us-east-1a               # an availability zone, not a region
""",
    fix="""
Check the region and any endpoint_url or AWS_ENDPOINT_URL* setting, the proxy
variables, and the network; raise --read-timeout for a slow link.
""",
)(_live_only)

sts_throttled = rule(
    "AD816", "sts-throttled", Severity.WARNING,
    summary=f"STS throttled the live check, so the identity is unknown. {LIVE_ONLY}",
    why="""
STS limits request rates per account and region; botocore retries Throttling
responses up to --max-attempts times with backoff, then gives up.
""",
    example="""
# many concurrent jobs call STS with the same account
[default]
region = us-east-1
""",
    fix="""
Run the check again later, or raise --max-attempts.
""",
)(_live_only)

credentials_unresolved = rule(
    "AD817", "credentials-unresolved", Severity.ERROR,
    summary=f"botocore could not build credentials for a profile. {LIVE_ONLY}",
    why="""
botocore raised while it built the credentials, usually before any STS call:
no credentials in the chain (NoCredentialsError), a missing profile
(ProfileNotFound), partial keys, an invalid role configuration or a
credential_process failure. The message repeats botocore's error, which is
what the AWS CLI would print, with any credentials in it hidden, and names
the STS calls made before the failure, if any.
""",
    example="""
[profile app]
role_arn = arn:aws:iam::111122223333:role/app
""",
    fix="""
Fix the configuration error botocore names; the offline findings of this
report usually point at the line.
""",
)(_live_only)

sts_call_failed = rule(
    "AD818", "sts-call-failed", Severity.ERROR,
    summary=f"An STS call failed in a way the live check does not explain in detail. {LIVE_ONLY}",
    why="""
Any other STS error code (for example RegionDisabledException for a region
where STS is not activated) is reported with its code and message. A reply
botocore cannot parse (ResponseParserError) usually comes from an endpoint or
proxy that is not STS. It is reported with botocore's description of the
fault, never with the reply itself, because a reply to AssumeRole contains a
secret access key and a session token.
""",
    example="""
[default]
region = ap-east-1                # opt-in region, STS not activated
""",
    fix="""
Act on the STS error code in the message. For a reply that could not be
parsed, check that AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, endpoint_url and
the proxy variables lead to STS.
""",
)(_live_only)
