"""``check --live``: ask STS who each profile really is and compare that with what it should be.

For a role profile two calls are made, as the AWS CLI would make them:

1. GetCallerIdentity with the source profile's own credentials, which shows
   the principal that will call AssumeRole (an IAM user, the root user ...);
2. GetCallerIdentity with the profile itself, which makes botocore's
   AssumeRoleProvider call AssumeRole for every role of the chain first.

Both go through a botocore Session built from the Setup's environment, so
profile selection, the credential chain and STS endpoint resolution
(AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, endpoint_url, sts_regional_endpoints)
are botocore's own.
"""

from __future__ import annotations

import fnmatch
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from awsdoctor.findings import Finding, Severity
from awsdoctor.live.errors import CallContext, classify, describe_error
from awsdoctor.live.model import Expectation, Identity, LiveOptions, ProfileResult, make_finding
from awsdoctor.live.plan import ProfilePlan, plan_profile
from awsdoctor.live.session import (
    SOURCE_PROFILE_PROVIDERS,
    LiveSession,
    MfaCodeUnavailable,
    MfaPrompter,
    build_session,
    process_environment,
    quiet_secret_logging,
    read_only_file_caches,
)
from awsdoctor.resolver import ExpectedArn, resolve
from awsdoctor.rules import live as rules
from awsdoctor.secrets import mask_key_id
from awsdoctor.setup import Setup

logger = logging.getLogger(__name__)

# AssumeRole parameters worth showing in a finding; TokenCode and the
# credentials never leave the request.
RECORDED_PARAMETERS = ("RoleArn", "RoleSessionName", "DurationSeconds", "SerialNumber")

# Credential providers whose caller is the assumed role named by role_arn.
ROLE_METHODS = ("assume-role", "assume-role-with-web-identity")


@dataclass(frozen=True)
class Target:
    """One profile to check and how it was selected (``--profile``, a variable, or ``--all-profiles``)."""

    name: str
    explicit: bool
    selected_by: str


@dataclass(frozen=True)
class LiveReport:
    """The rows of every checked profile, in the order they were requested."""

    results: tuple[ProfileResult, ...]

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.results for finding in result.findings]

    def to_list(self) -> list[dict[str, Any]]:
        return [result.to_dict() for result in self.results]


def choose_targets(setup: Setup, all_profiles: bool) -> list[Target]:
    """Return the selected profile, or every profile (each as if given with --profile)."""
    if all_profiles:
        return [Target(name, True, "--all-profiles") for name in sorted(setup.profiles.profiles)]
    selection = setup.selection
    return [Target(selection.effective_name, selection.explicit, selection.source or "default")]


def run_live(setup: Setup, options: LiveOptions) -> LiveReport:
    """Check every target profile against STS, a few at a time, with ``os.environ`` set to the Setup's."""
    targets = choose_targets(setup, options.all_profiles)
    with process_environment(setup.env), quiet_secret_logging(), read_only_file_caches():
        if len(targets) == 1:
            results = [check_profile(setup, targets[0], options)]
        else:
            workers = max(1, min(options.max_workers, len(targets)))
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="awsdoctor-live") as pool:
                results = list(pool.map(lambda target: check_profile(setup, target, options), targets))
    return LiveReport(tuple(results))


def check_profile(setup: Setup, target: Target, options: LiveOptions) -> ProfileResult:
    """Run the source-identity and profile-identity calls for one profile and judge the responses."""
    plan = plan_profile(setup, target.name)
    result = ProfileResult(profile=target.name, selected_by=target.selected_by, source_profile=plan.source)
    expectations = collect_expectations(setup, target, plan, options)
    if expectations:
        result.expected_arn = expectations[0].arn
        result.expected_account = expectations[0].account
        result.expected_from = expectations[0].origin

    prompter = MfaPrompter(options.mfa_code)
    calls: list[dict[str, Any]] = []
    sent: list[str] = []
    context = CallContext(setup, plan, target.name, "profile", assume_role_calls=calls, sent=sent)
    try:
        session = build_session(target.name if target.explicit else None, options.settings, prompter)
        session.register("provide-client-params.sts.AssumeRole", _recorder(calls))
        session.register("before-send.sts", _send_recorder(sent))
    except Exception as error:  # noqa: BLE001 - any botocore failure is a finding, never a traceback
        return _failed(result, error, context)

    if plan.source is not None and not _check_source(setup, plan, session, prompter, options, result, sent):
        return result
    # The profile step reports only its own requests.
    sent.clear()

    context.caller = result.source_identity
    try:
        # NOTE: a credential_process in the chain runs here as botocore runs it,
        # with no timeout of awsdoctor's own.
        credentials = session.get_credentials()
        context.credentials_from = None if credentials is None else credentials.method
        result.credentials_from = context.credentials_from
        result.actual = _caller_identity(session.sts_client())
    except Exception as error:  # noqa: BLE001 - any botocore failure is a finding, never a traceback
        return _failed(result, error, context)

    key_id = None if credentials is None else credentials.access_key
    judge(setup, target, plan, expectations, result, key_id)
    return result


def _check_source(setup: Setup, plan: ProfilePlan, session: LiveSession, prompter: MfaPrompter, options: LiveOptions,
                  result: ProfileResult, sent: list[str]) -> bool:
    """Call GetCallerIdentity with the source profile's credentials; return False when that failed."""
    import botocore.exceptions

    assert plan.source is not None
    context = CallContext(setup, plan, plan.source, "source", sent=sent)
    try:
        source_session = build_session(plan.source, options.settings, prompter, SOURCE_PROFILE_PROVIDERS)
        credentials = source_session.get_credentials()
        if credentials is None:
            # The message botocore's AssumeRoleProvider raises for the same situation.
            raise botocore.exceptions.InvalidConfigError(
                error_msg=f'The source profile "{plan.source}" must have credentials.')
        context.credentials_from = credentials.method
        frozen = credentials.get_frozen_credentials()
        # The target profile's session decides region and endpoint, as it does for the AssumeRole call.
        client = session.sts_client(aws_access_key_id=frozen.access_key, aws_secret_access_key=frozen.secret_key,
                                    aws_session_token=frozen.token)
        result.source_identity = _caller_identity(client)
    except Exception as error:  # noqa: BLE001 - any botocore failure is a finding, never a traceback
        _failed(result, error, context)
        return False

    if result.source_identity.is_root:
        result.findings.append(_root_keys_finding(setup, plan.source, result.source_identity, context.credentials_from))
    return True


def _caller_identity(client: Any) -> Identity:
    response = client.get_caller_identity()
    return Identity(arn=str(response.get("Arn", "")), account=str(response.get("Account", "")),
                    user_id=str(response.get("UserId", "")))


def _recorder(calls: list[dict[str, Any]]) -> Callable[..., None]:
    def record(params: dict[str, Any], **_: Any) -> None:
        calls.append({name: params[name] for name in RECORDED_PARAMETERS if name in params})

    return record


def _send_recorder(sent: list[str]) -> Callable[..., None]:
    def record(event_name: str, **_: Any) -> None:
        # The event name is before-send.sts.<Operation>. A handler that returns None lets botocore send the request.
        sent.append(event_name.rsplit(".", 1)[-1])

    return record


def _failed(result: ProfileResult, error: BaseException, context: CallContext) -> ProfileResult:
    context.local_time = time.time()
    logger.debug("live check of profile %r failed at the %s step: %s", result.profile, context.step,
                 type(error).__name__)
    result.findings.append(classify(error, context))
    result.status = "skipped" if isinstance(error, MfaCodeUnavailable) else "error"
    result.error = describe_error(error)
    return result


def collect_expectations(setup: Setup, target: Target, plan: ProfilePlan, options: LiveOptions) -> list[Expectation]:
    """Return the expectations for a profile, most specific first: command line, settings file, role_arn."""
    found = []
    if options.expect.account is not None or options.expect.arn is not None:
        found.append(options.expect)
    declared = options.declared.get(target.name)
    if declared is not None and (declared.account is not None or declared.arn is not None):
        found.append(declared)

    origin = f"role_arn of profile {target.name!r}"
    modelled = expected_role_arn(setup, target)
    if modelled is not None:
        found.append(Expectation(account=modelled.account, arn=modelled.pattern, origin=origin))
    elif plan.role is not None:
        # The offline model predicts that another provider wins, exported keys for
        # example. The role's ARN is still the identity the profile is meant to have.
        found.append(Expectation(account=plan.role.account, arn=plan.expected_arn, origin=origin))
    return found


def expected_role_arn(setup: Setup, target: Target) -> ExpectedArn | None:
    """Return awsdoctor.resolver's expected caller ARN when botocore would assume a role, else None."""
    try:
        resolution = resolve(setup, target.name if target.explicit else None)
    except Exception as error:  # noqa: BLE001 - a modelling error must not stop the live check
        # role_arn alone still gives the expectation. The log shows the redacted exception text and no traceback,
        # which would repeat that text unredacted.
        logger.debug("resolver failed for profile %r (%s); using role_arn alone", target.name, describe_error(error))
        return None
    return resolution.expected_arn


def judge(setup: Setup, target: Target, plan: ProfilePlan, expectations: list[Expectation],
          result: ProfileResult, key_id: str | None) -> None:
    """Compare the actual identity with each expectation and add the findings; set the row's status."""
    actual = result.actual
    assert actual is not None
    location = setup.profile_location(target.name)
    env_won = result.credentials_from == "env" and not target.explicit and setup.selection.source is not None

    mismatched = False
    compared = 0
    for expectation in expectations:
        from_role = expectation.origin.startswith("role_arn")
        if from_role and result.credentials_from not in ROLE_METHODS:
            # Another provider supplied the credentials, so the role was never
            # assumed. Only exported keys that beat AWS_PROFILE are reported (AD801).
            if env_won and not matches(expectation, actual):
                mismatched = True
            continue
        compared += 1
        if expectation.account is not None and actual.account != expectation.account:
            mismatched = True
            result.findings.append(make_finding(
                rules.unexpected_account,
                f"profile {target.name!r}: GetCallerIdentity returned account {actual.account} ({actual.arn}), "
                f"but {expectation.origin} expects account {expectation.account}",
                "Point the profile at credentials of the expected account, or correct the expectation.",
                location,
            ))
        elif expectation.arn is not None and not fnmatch.fnmatchcase(actual.arn, expectation.arn):
            mismatched = True
            result.findings.append(make_finding(
                rules.unexpected_arn,
                f"profile {target.name!r}: GetCallerIdentity returned {actual.arn}, but {expectation.origin} "
                f"expects {expectation.arn}",
                "Change the profile so that it resolves to the expected identity, or correct the expectation.",
                location,
            ))

    if env_won:
        result.findings.append(_environment_won(setup, target, plan, actual, key_id, mismatched))
    if actual.is_root and plan.role is None:
        result.findings.append(_root_keys_finding(setup, target.name, actual, result.credentials_from))
    if mismatched:
        result.status = "mismatch"
    elif compared:
        result.status = "ok"


def matches(expectation: Expectation, actual: Identity) -> bool:
    if expectation.account is not None and actual.account != expectation.account:
        return False
    return expectation.arn is None or fnmatch.fnmatchcase(actual.arn, expectation.arn)


def _environment_won(setup: Setup, target: Target, plan: ProfilePlan, actual: Identity, key_id: str | None,
                     mismatched: bool) -> Finding:
    variable = setup.selection.source or "AWS_PROFILE"
    masked = f" ({mask_key_id(key_id)})" if key_id else ""
    role_identity = f"; profile {target.name!r} would be {plan.expected_arn}" if plan.expected_arn else ""
    return make_finding(
        rules.environment_keys_won,
        f"{variable} selects profile {target.name!r}, but the exported AWS_ACCESS_KEY_ID{masked} won: "
        f"GetCallerIdentity returned {actual.arn}{role_identity}",
        f"Unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN to use profile {target.name!r}, "
        f"or pass --profile {target.name}, which makes botocore ignore the exported keys.",
        setup.variable_location("AWS_ACCESS_KEY_ID"),
        related=(setup.profile_location(target.name),),
        severity=Severity.ERROR if mismatched else None,
    )


def _root_keys_finding(setup: Setup, profile: str, identity: Identity, credentials_from: str | None) -> Finding:
    if credentials_from == "env":
        location = setup.variable_location("AWS_ACCESS_KEY_ID")
        holder = "the exported AWS_ACCESS_KEY_ID"
    else:
        location = setup.key_location(profile, "aws_access_key_id")
        holder = f"profile {profile!r}"
    return make_finding(
        rules.root_access_keys,
        f"{holder} contains long-term access keys of the account root user ({identity.arn}); root access keys "
        "cannot be limited by IAM policies and cannot assume roles",
        "Delete the root user's access keys (IAM console, Security credentials of the root user) and use an "
        "IAM user or IAM Identity Center profile instead.",
        location,
    )
