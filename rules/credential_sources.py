"""AD500-AD599: IAM Identity Center (SSO), web identity, container credentials and credential_process.

The facts come from botocore's providers in ``botocore/credentials.py``:
``SSOProvider`` (with ``tokens.SSOTokenProvider`` and ``utils.SSOTokenLoader``),
``AssumeRoleWithWebIdentityProvider``, ``ContainerProvider`` (with
``utils.ContainerMetadataFetcher``) and ``ProcessProvider``. Rules that look
at files on disk use ``setup.probes``, which is empty when files are linted
without an environment, so those rules stay silent there.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from awsdoctor.findings import Location, Severity
from awsdoctor.ini import Entry
from awsdoctor.probes import PathProbe, sso_cache_key
from awsdoctor.profiles import CONFIG, CREDENTIALS, Profile
from awsdoctor.rule import Issue, rule
from awsdoctor.setup import Setup
from awsdoctor.shell import split_command

from .setting_schema import SSO_SESSION, catalog, check_value, describe_region, suggest_key

# Related locations listed for a finding shared by many profiles.
MAX_RELATED = 10

# SSOProvider._PROFILE_REQUIRED_CONFIG_VARS + _SSO_REQUIRED_CONFIG_VARS, in
# the order botocore lists missing keys.
SSO_PROFILE_KEYS = ("sso_role_name", "sso_account_id")
SSO_REQUIRED_KEYS = ("sso_role_name", "sso_account_id", "sso_start_url", "sso_region")

# ContainerMetadataFetcher._ALLOWED_HOSTS: plain-HTTP full URIs must point here or at a loopback address.
CONTAINER_ALLOWED_HOSTS = ("169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost")

# Tokens that a shell would interpret. ProcessProvider runs the command with
# subprocess.Popen and no shell, so they reach the program as literal arguments.
SHELL_OPERATORS = frozenset({"|", "||", "&&", "&", ";", ">", ">>", "<", "<<", "2>", "2>&1", "&>", "|&"})

WEB_IDENTITY_NO_ROLE_ERROR = (
    "The provided profile or the current environment is configured to assume role with web identity but has "
    "no role ARN configured. Ensure that the profile has the role_arnconfiguration set or the AWS_ROLE_ARN env "
    "var is set."
)


def _is_sso_credentials_profile(profile: Profile) -> bool:
    """Return True when SSOProvider handles the profile: it has sso_role_name or sso_account_id."""
    return any(profile.has(key) for key in SSO_PROFILE_KEYS)


def _sso_credentials_profiles(setup: Setup) -> list[Profile]:
    return setup.profiles.having(*SSO_PROFILE_KEYS)


def _session_location(setup: Setup, name: str, key: str | None = None) -> Location:
    definition = setup.profiles.sso_sessions.get(name)
    if definition is None:
        return Location(kind="config", section=f"sso-session {name}", key=key)
    entry = definition.entries.get(key) if key else None
    if entry is not None:
        return setup.entry_location(CONFIG, definition.section, entry, at_value=True)
    section = setup.find_section(CONFIG, definition.section)
    if section is None:
        return Location(kind="config", section=definition.section, key=key)
    return setup.file_location(CONFIG, section.line, section.column, section.name, None, key)


# -- IAM Identity Center ---------------------------------------------------------


@rule(
    "AD500", "sso-session-not-found", Severity.ERROR,
    summary="sso_session names an [sso-session NAME] section that does not exist in the config file.",
    why="""
botocore's SSOProvider._resolve_sso_session_reference looks the name up among
the config file's [sso-session NAME] sections, exactly as written, and raises
InvalidConfigError: The specified sso-session does not exist: "NAME". The
profile then yields no credentials, and `aws sso login` cannot log in for it.
Sections of that name in the credentials file do not count.
""",
    example="""
[sso-session my-session]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile dev]
sso_session = mysession
sso_account_id = 111122223333
sso_role_name = admin
""",
    fix="Make sso_session and the [sso-session NAME] header spell the same name.",
)
def sso_session_not_found(setup: Setup) -> Iterator[Issue]:
    sessions = list(setup.profiles.sso_sessions)
    for profile in setup.profiles.having("sso_session"):
        name = profile.text("sso_session")
        if name is None or name in sessions:
            continue
        close = _closest_session(name, sessions)
        related: tuple[Location, ...] = ()
        if close is not None:
            hint = (f"Set sso_session = {close} (the [sso-session {close}] section that exists), "
                    f"or rename that section to [sso-session {name}].")
            related = (_session_location(setup, close),)
        elif sessions:
            hint = (f"Add an [sso-session {name}] section to the config file, or set sso_session to one of "
                    f"{', '.join(sessions)}.")
        else:
            hint = (f"Add an [sso-session {name}] section with sso_start_url and sso_region to the config file "
                    "(`aws configure sso` writes one).")
        yield Issue(
            message=f"profile '{profile.name}': sso_session = {name} names no [sso-session {name}] section in "
                    f"the config file; botocore raises 'The specified sso-session does not exist: \"{name}\"'",
            hint=hint,
            location=setup.key_location(profile.name, "sso_session", at_value=True),
            related=related,
        )


def _closest_session(name: str, sessions: list[str]) -> str | None:
    """Return the session whose name differs from ``name`` only in case, - and _, or by a near spelling."""
    def folded(text: str) -> str:
        return text.lower().replace("-", "").replace("_", "")

    same = [session for session in sessions if folded(session) == folded(name)]
    if same:
        return same[0]
    return suggest_key(name, sessions)


@rule(
    "AD501", "sso-missing-required-keys", Severity.ERROR,
    summary="An SSO profile lacks keys SSOProvider requires (sso_start_url, sso_region, sso_account_id, "
            "sso_role_name).",
    why="""
A profile with sso_account_id or sso_role_name is handed to botocore's
SSOProvider, which requires sso_role_name, sso_account_id, sso_start_url and
sso_region. With sso_session the [sso-session NAME] section supplies
sso_start_url and sso_region. A missing one makes it raise InvalidConfigError:
The profile "NAME" is configured to use SSO but is missing required
configuration: ... (SSOProvider._load_sso_config).
""",
    example="""
[profile dev]
sso_start_url = https://example.awsapps.com/start
sso_account_id = 111122223333
sso_role_name = admin
""",
    fix="Add the keys the message lists, or move sso_start_url and sso_region into an [sso-session] section.",
)
def sso_missing_required_keys(setup: Setup) -> Iterator[Issue]:
    for profile in _sso_credentials_profiles(setup):
        session_name = profile.text("sso_session")
        session_entries: Mapping[str, Entry] = {}
        if session_name is not None:
            session = setup.profiles.sso_sessions.get(session_name)
            if session is None:
                continue  # AD500 reports the missing session, which botocore raises first.
            session_entries = session.entries
        missing = [key for key in SSO_REQUIRED_KEYS if not profile.has(key) and key not in session_entries]
        if not missing:
            continue
        where = (f" (the profile and [sso-session {session_name}] together)" if session_name is not None else "")
        session_keys = [key for key in missing if key in ("sso_start_url", "sso_region")]
        if session_name is not None and session_keys:
            hint = f"Add {', '.join(session_keys)} to [sso-session {session_name}]"
            other = [key for key in missing if key not in session_keys]
            hint += f" and {', '.join(other)} to the profile." if other else "."
        else:
            hint = f"Add {', '.join(missing)} to the profile, or run `aws configure sso --profile {profile.name}`."
        yield Issue(
            message=f"profile '{profile.name}': botocore raises 'The profile \"{profile.name}\" is configured to "
                    f"use SSO but is missing required configuration: {', '.join(missing)}'{where}",
            hint=hint,
            location=setup.profile_location(profile.name),
        )


@rule(
    "AD502", "sso-value-inconsistent", Severity.ERROR,
    summary="A profile and its [sso-session] set the same key (sso_region, sso_start_url ...) to different values.",
    why="""
SSOProvider._resolve_sso_session_reference merges the session's keys over
the profile's and raises InvalidConfigError when a key is set in both with
different values: The value for sso_region is inconsistent between profile
(eu-west-1) and sso-session (us-east-1). The profile's region key is not
compared: it is the region of the AWS calls, and may differ from sso_region.
""",
    example="""
[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile dev]
sso_session = corp
sso_region = eu-west-1
sso_account_id = 111122223333
sso_role_name = admin
""",
    fix="Remove the key from the profile: the session's value is the one used.",
)
def sso_value_inconsistent(setup: Setup) -> Iterator[Issue]:
    for profile in setup.profiles.having("sso_session"):
        session_name = profile.text("sso_session")
        if session_name is None:
            continue
        session = setup.profiles.sso_sessions.get(session_name)
        if session is None:
            continue
        for key in session.entries:
            profile_value = profile.get(key)
            if profile_value is None:
                continue
            session_value = session.value(key)
            if profile_value == session_value:
                continue
            yield Issue(
                message=f"profile '{profile.name}': {key} = {profile_value} disagrees with {key} = {session_value} "
                        f"in [sso-session {session_name}]; botocore raises 'The value for {key} is inconsistent "
                        f"between profile ({profile_value}) and sso-session ({session_value}).'",
                hint=f"Remove {key} from profile '{profile.name}'; [sso-session {session_name}] supplies it.",
                location=setup.key_location(profile.name, key, at_value=True),
                related=(_session_location(setup, session_name, key),),
            )


@rule(
    "AD503", "sso-profile-without-credentials", Severity.INFO,
    summary="A profile with only sso_session or sso_start_url (no sso_account_id, sso_role_name) yields no "
            "credentials.",
    why="""
botocore's SSOProvider takes a profile only when it has sso_account_id or
sso_role_name. A "token-only" profile is right for `aws sso login` and for
services that use the bearer token, but any call that needs AWS credentials
falls through the provider chain and ends in 'Unable to locate credentials'.
""",
    example="""
[profile login]
sso_session = corp
""",
    fix="Add sso_account_id and sso_role_name to use the profile for AWS calls.",
)
def sso_profile_without_credentials(setup: Setup) -> Iterator[Issue]:
    credential_keys = ("aws_access_key_id", "role_arn", "credential_process", "web_identity_token_file",
                       "login_session")
    for profile in setup.profiles.having("sso_session", "sso_start_url"):
        if _is_sso_credentials_profile(profile):
            continue
            continue
        if any(profile.has(key) for key in credential_keys):
            continue
        selected = setup.selection.name == profile.name and setup.selection.source is not None
        yield Issue(
            message=f"profile '{profile.name}' has SSO login settings but no sso_account_id or sso_role_name, "
                    "so it yields no AWS credentials; commands that need them fail with 'Unable to locate "
                    "credentials'",
            hint=f"Add sso_account_id and sso_role_name to '{profile.name}' (or use another profile that has them "
                 "for AWS calls); keep it as is if it only serves `aws sso login`.",
            location=setup.profile_location(profile.name),
            severity=Severity.WARNING if selected else None,
        )


@rule(
    "AD504", "sso-start-url-malformed", Severity.ERROR,
    summary="sso_start_url is not an https:// URL, or ends in #/ which the Go SDK cuts off.",
    why="""
The start URL is the OIDC issuer botocore's SSO login and token refresh talk
to; it must be an https:// URL such as https://example.awsapps.com/start.
The fragment in a copied browser URL (https://example.awsapps.com/start#/)
works in Python, JS and Java but the Go SDK v2 cuts values at the first #,
and the cached token is keyed by the exact text (SSOTokenLoader), so two
spellings of one URL need two logins.
""",
    example="""
[sso-session corp]
sso_start_url = https://example.awsapps.com/start#/
sso_region = us-east-1
""",
    fix="Write the start URL without the fragment: https://NAME.awsapps.com/start.",
)
def sso_start_url_malformed(setup: Setup) -> Iterator[Issue]:
    for item in _sso_values(setup, "sso_start_url"):
        owner, value = item.owner, item.value
        trimmed = value.strip()
        from urllib.parse import urlsplit  # on use: it loads ipaddress too, a cost at every start

        parts = urlsplit(trimmed)
        if parts.scheme != "https" or not parts.netloc:
            yield Issue(
                message=f"{owner}: sso_start_url = {value} is not an https:// URL; SSO login and token refresh "
                        "cannot reach it",
                hint="Use the start URL shown in the IAM Identity Center console, e.g. "
                     "https://NAME.awsapps.com/start.",
                location=item.location(setup, "sso_start_url"),
            )
        elif "#" in trimmed:
            base = trimmed.split("#", 1)[0]
            yield Issue(
                message=f"{owner}: sso_start_url = {value} has a # fragment; the Go SDK v2 cuts the value at #, "
                        "and a token cached for one spelling is not found for the other",
                hint=f"Write sso_start_url = {base}.",
                location=item.location(setup, "sso_start_url"),
                severity=Severity.WARNING,
            )


class _SsoValue(NamedTuple):
    """One value of an SSO key, in a profile or in an [sso-session] section."""

    in_session: bool
    name: str
    value: str

    @property
    def owner(self) -> str:
        return f"[sso-session {self.name}]" if self.in_session else f"profile '{self.name}'"

    def location(self, setup: Setup, key: str) -> Location:
        if self.in_session:
            return _session_location(setup, self.name, key)
        return setup.key_location(self.name, key, at_value=True)


def _sso_values(setup: Setup, key: str) -> Iterator[_SsoValue]:
    """Yield ``key`` from every profile and sso-session section that sets it."""
    for profile in setup.profiles.having(key):
        value = profile.text(key)
        if value is not None:
            yield _SsoValue(False, profile.name, value)
    for name, definition in setup.profiles.sso_sessions.items():
        session_value = definition.value(key)
        if isinstance(session_value, str):
            yield _SsoValue(True, name, session_value)


@rule(
    "AD505", "sso-region-invalid", Severity.ERROR,
    summary="sso_region is not a valid region name, or not a region at all.",
    why="""
botocore creates the SSO and SSO-OIDC clients in sso_region, so a name that
fails botocore.utils.validate_region_name raises InvalidRegionError, and an
availability zone or unknown name builds an endpoint such as
portal.sso.us-east-1a.amazonaws.com that fails at DNS lookup. sso_region is
the region of IAM Identity Center, which is often not the profile's region.
""",
    example="""
[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1a
""",
    fix="Set sso_region to the region of your IAM Identity Center instance, e.g. us-east-1.",
)
def sso_region_invalid(setup: Setup) -> Iterator[Issue]:
    spec = catalog().spec(SSO_SESSION, "sso_region")
    assert spec is not None
    for item in _sso_values(setup, "sso_region"):
        owner, value = item.owner, item.value
        problem = check_value(spec, value)
        if problem is not None:
            yield Issue(
                message=f"{owner}: sso_region = {value} is invalid: expected {problem.expected}; botocore raises "
                        "InvalidRegionError when it creates the SSO client",
                hint="Set sso_region to the region of your IAM Identity Center instance, e.g. us-east-1.",
                location=item.location(setup, "sso_region"),
            )
            continue
        found = describe_region(value, host="portal.sso")
        if found is not None:
            message, hint, severity = found
            yield Issue(
                message=f"{owner}: sso_region = {value} {message}",
                hint=hint.replace("region =", "sso_region ="),
                location=item.location(setup, "sso_region"),
                severity=severity or Severity.WARNING,
            )


@rule(
    "AD506", "sso-account-id-invalid", Severity.ERROR,
    summary="sso_account_id is not a 12-digit AWS account id.",
    why="""
SSOProvider sends sso_account_id unchanged to the SSO GetRoleCredentials
API, which accepts only a 12-digit account id. A dropped leading zero, an
account alias or an inline comment therefore makes every credential request
fail.
""",
    example="""
[profile dev]
sso_account_id = 11112222333
""",
    fix="Copy the 12-digit account id from the AWS access portal, leading zeros included.",
)
def sso_account_id_invalid(setup: Setup) -> Iterator[Issue]:
    spec = catalog().spec("profile", "sso_account_id")
    assert spec is not None
    for item in _sso_values(setup, "sso_account_id"):
        owner, value = item.owner, item.value
        if check_value(spec, value.strip()) is None:
            continue
        yield Issue(
            message=f"{owner}: sso_account_id = {value} is not a 12-digit account id; the SSO GetRoleCredentials "
                    "call rejects it",
            hint="Copy the 12-digit account id from the AWS access portal, leading zeros included.",
            location=item.location(setup, "sso_account_id"),
        )


@rule(
    "AD507", "sso-token-not-usable", Severity.INFO,
    summary="The cached IAM Identity Center token an SSO profile needs is missing, unreadable or expired.",
    why="""
botocore finds the SSO token in ~/.aws/sso/cache/<sha1>.json, where sha1 is
taken of the sso_session name or, for the legacy form, of sso_start_url
(SSOTokenLoader._generate_cache_key). Without the file it raises
SSOTokenLoadError: Token for ... does not exist; a legacy token past its
expiresAt raises UnauthorizedSSOTokenError before any call. A session-form
token is refreshed with its refresh token while the client registration is
valid, so its expiry alone is no problem.
""",
    example="""
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = admin
# ~/.aws/sso/cache/<sha1 of "corp">.json is missing
""",
    fix="Run `aws sso login --profile NAME` (or `aws sso login --sso-session NAME`).",
    needs_environment=True,
)
def sso_token_not_usable(setup: Setup) -> Iterator[Issue]:
    # One token file serves every profile of a session (or start URL), so it is
    # reported once, at the selected profile when that is one of them.
    users: dict[str, list[Profile]] = {}
    for profile in _sso_credentials_profiles(setup):
        session_name = profile.text("sso_session")
        if session_name is not None and session_name not in setup.profiles.sso_sessions:
            continue  # botocore fails on the missing session first (AD500).
        cache_input = session_name if session_name is not None else profile.text("sso_start_url")
        if cache_input is not None and cache_input in setup.probes.sso_tokens:
            users.setdefault(cache_input, []).append(profile)

    for cache_input, profiles in users.items():
        token = setup.probes.sso_tokens[cache_input]
        session_name = profiles[0].text("sso_session")
        file_name = f"~/.aws/sso/cache/{sso_cache_key(cache_input)}.json"
        what = f"sso_session {session_name}" if session_name is not None else f"sso_start_url {cache_input}"
        if token.status == "missing":
            problem = f"no cached SSO token for {what} ({file_name} does not exist)"
        elif token.status == "unreadable":
            problem = f"the cached SSO token {file_name} cannot be read"
        elif token.status == "invalid":
            problem = f"the cached SSO token {file_name} lacks accessToken or a valid expiresAt"
        elif token.expires_at is not None and token.expires_at <= setup.now:
            registration_valid = token.registration_expires_at is None or token.registration_expires_at > setup.now
            if session_name is not None and token.can_refresh and registration_valid:
                continue
            problem = f"the cached SSO token for {what} has expired"
        else:
            continue

        selected = setup.selection.effective_name
        first = next((profile for profile in profiles if profile.name == selected), profiles[0])
        others = [profile for profile in profiles if profile is not first]
        who = f"profile '{first.name}'"
        if others:
            who += f" (and {len(others)} other profile{'s' if len(others) > 1 else ''} using it)"
        login = f"aws sso login --sso-session {session_name}" if session_name is not None and others \
            else f"aws sso login --profile {first.name}"
        yield Issue(
            message=f"{who}: {problem}; botocore cannot get credentials until you log in again",
            hint=f"Run `{login}`.",
            location=setup.profile_location(first.name),
            related=tuple(setup.profile_location(profile.name) for profile in others[:MAX_RELATED]),
        )


# -- web identity and containers -------------------------------------------------


def _path_problem(value: str, probe: PathProbe | None) -> str | None:
    """Say why botocore cannot open ``value``, as the end of a sentence, or None (also when not probed)."""
    if probe is None:
        return None
    if value.startswith("~") and probe.kind == "missing":
        return "does not exist: botocore opens the path as written and does not expand ~"
    if probe.kind == "missing":
        return "does not exist"
    if probe.kind == "directory":
        return "is a directory, not a token file"
    if probe.kind in ("other", "error") or not probe.readable:
        return "cannot be read by this user"
    return None


def _token_file_problem(value: str, probe: PathProbe | None) -> str | None:
    problem = _path_problem(value, probe)
    if problem is None and probe is not None and probe.size == 0:
        return "is empty; STS rejects an empty web identity token"
    return problem


@rule(
    "AD510", "web-identity-token-file-unusable", Severity.ERROR,
    summary="web_identity_token_file names a file that is missing, a directory, unreadable or empty.",
    why="""
AssumeRoleWithWebIdentityProvider reads the token with
FileWebIdentityTokenLoader, a plain open() of the path as written: no ~
expansion, relative paths against the working directory. A missing or
unreadable file raises an OSError each time credentials are needed.
""",
    example="""
[profile ci]
role_arn = arn:aws:iam::111122223333:role/ci
web_identity_token_file = ~/token
""",
    fix="Point web_identity_token_file at the token file by its absolute path.",
)
def web_identity_token_file_unusable(setup: Setup) -> Iterator[Issue]:
    for profile in setup.profiles.having("web_identity_token_file"):
        value = profile.text("web_identity_token_file")
        if not value:
            continue
        problem = _token_file_problem(value, setup.probes.path(value, setup.cwd))
        if problem is None:
            continue
        yield Issue(
            message=f"profile '{profile.name}': web_identity_token_file = {value} {problem}",
            hint="Write the absolute path of the token file (for EKS, /var/run/secrets/eks.amazonaws.com/"
                 "serviceaccount/token) and check that the process can read it.",
            location=setup.key_location(profile.name, "web_identity_token_file", at_value=True),
        )


@rule(
    "AD511", "web-identity-environment-incomplete", Severity.ERROR,
    summary="AWS_WEB_IDENTITY_TOKEN_FILE is unusable or set without AWS_ROLE_ARN, or AWS_ROLE_ARN without a token "
            "file.",
    why="""
AssumeRoleWithWebIdentityProvider takes AWS_WEB_IDENTITY_TOKEN_FILE,
AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME before the profile's keys (unless the
profile was chosen with --profile). A token file without a role ARN raises
InvalidConfigError ('... configured to assume role with web identity but has
no role ARN configured ...'); AWS_ROLE_ARN without a token file is ignored,
and the chain moves on to other credentials.
""",
    example="""
export AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/token
# AWS_ROLE_ARN not set
""",
    fix="Export both AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, or neither.",
    needs_environment=True,
)
def web_identity_environment_incomplete(setup: Setup) -> Iterator[Issue]:
    if setup.selection.explicit:
        return  # --profile sets disable_env_vars: botocore reads none of these variables.
    env = setup.env
    profile = setup.profile(setup.selection.effective_name)
    token_file = env.get("AWS_WEB_IDENTITY_TOKEN_FILE")
    role_arn = env.get("AWS_ROLE_ARN")
    if "AWS_ROLE_ARN" not in env and profile is not None:
        role_arn = profile.text("role_arn")
    if token_file:
        problem = _token_file_problem(token_file, setup.probes.path(token_file, setup.cwd))
        if problem is not None:
            yield Issue(
                message=f"AWS_WEB_IDENTITY_TOKEN_FILE = {token_file} {problem}",
                hint="Point AWS_WEB_IDENTITY_TOKEN_FILE at the projected token file by its absolute path.",
                location=setup.variable_location("AWS_WEB_IDENTITY_TOKEN_FILE"),
            )
        if not role_arn:
            empty = "AWS_ROLE_ARN is empty" if "AWS_ROLE_ARN" in env else "AWS_ROLE_ARN is not set"
            # EnvProvider runs first, so exported keys hide the error until they are removed.
            hidden = bool(env.get("AWS_ACCESS_KEY_ID")) and bool(env.get("AWS_SECRET_ACCESS_KEY"))
            raises = "once the exported keys are unset, botocore raises" if hidden else "botocore raises"
            yield Issue(
                message=f"AWS_WEB_IDENTITY_TOKEN_FILE is set but {empty} and profile "
                        f"'{setup.selection.effective_name}' has no role_arn; {raises} "
                        f"'{WEB_IDENTITY_NO_ROLE_ERROR}'",
                severity=Severity.WARNING if hidden else None,
                hint="Export AWS_ROLE_ARN with the ARN of the role to assume, or unset AWS_WEB_IDENTITY_TOKEN_FILE.",
                location=setup.variable_location("AWS_WEB_IDENTITY_TOKEN_FILE"),
            )
    elif env.get("AWS_ROLE_ARN"):
        has_profile_token = profile is not None and bool(profile.text("web_identity_token_file"))
        if not has_profile_token:
            yield Issue(
                message="AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not, so botocore ignores "
                        "AWS_ROLE_ARN and takes credentials from elsewhere in the chain",
                hint="Export AWS_WEB_IDENTITY_TOKEN_FILE with the path of the OIDC token, or unset AWS_ROLE_ARN.",
                location=setup.variable_location("AWS_ROLE_ARN"),
                severity=Severity.WARNING,
            )


@rule(
    "AD512", "web-identity-environment-overrides-profile", Severity.WARNING,
    summary="Web identity variables in the environment take over from the selected profile's own credentials.",
    why="""
botocore's chain tries the environment keys, then the profile's role_arn
with a source, then AssumeRoleWithWebIdentityProvider, which reads
AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN before the profile's own keys.
A profile chosen through AWS_PROFILE (or the default profile) that has SSO
settings, static keys or credential_process is then never used for
credentials, because the role of the environment is assumed instead. With --profile botocore ignores the
variables.
""",
    example="""
export AWS_PROFILE=dev AWS_ROLE_ARN=arn:aws:iam::111122223333:role/pod
export AWS_WEB_IDENTITY_TOKEN_FILE=/var/run/secrets/token
[profile dev]
sso_session = corp
sso_account_id = 444455556666
sso_role_name = admin
""",
    fix="Unset the web identity variables, or select the profile with --profile.",
    needs_environment=True,
)
def web_identity_environment_overrides_profile(setup: Setup) -> Iterator[Issue]:
    if setup.selection.explicit:
        return
    env = setup.env
    if not env.get("AWS_WEB_IDENTITY_TOKEN_FILE") or not env.get("AWS_ROLE_ARN"):
        return
    if env.get("AWS_ACCESS_KEY_ID"):
        return  # The environment keys win before either.
    name = setup.selection.effective_name
    profile = setup.profile(name)
    if profile is None:
        return
    kinds = [kind for kind in credential_kinds(profile) if kind not in (ROLE, WEB_IDENTITY)]
    if ROLE in credential_kinds(profile) or not kinds:
        return
    chosen = f"selected by {setup.selection.source}" if setup.selection.source else "used when no profile is chosen"
    yield Issue(
        message=f"AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set, so botocore assumes {env['AWS_ROLE_ARN']} "
                f"with web identity and ignores the {KIND_NAMES[kinds[0]]} of profile '{name}' ({chosen})",
        hint=f"Unset AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN to use profile '{name}', or run with "
             f"--profile {name}, which makes botocore ignore the web identity variables.",
        location=setup.variable_location("AWS_WEB_IDENTITY_TOKEN_FILE"),
        related=(setup.profile_location(name),),
    )


@rule(
    "AD513", "source-profile-ignored-by-web-identity", Severity.WARNING,
    summary="source_profile or credential_source on a web-identity profile is ignored.",
    why="""
AssumeRoleProvider._has_assume_role_config_vars skips every profile with
web_identity_token_file, so AssumeRoleWithWebIdentityProvider assumes
role_arn with the token and source_profile or credential_source never
takes part. A reader of the file may believe the role is chained from the
source profile.
""",
    example="""
[profile ci]
role_arn = arn:aws:iam::111122223333:role/ci
web_identity_token_file = /var/run/secrets/token
source_profile = base
""",
    fix="Remove source_profile (or credential_source), or move the web identity settings to their own profile.",
)
def source_profile_ignored_by_web_identity(setup: Setup) -> Iterator[Issue]:
    for profile in setup.profiles.having("web_identity_token_file"):
        for key in ("source_profile", "credential_source"):
            value = profile.text(key)
            if value is None:
                continue
            yield Issue(
                message=f"profile '{profile.name}': {key} = {value} is ignored because the profile has "
                        "web_identity_token_file; botocore assumes role_arn with the web identity token",
                hint=f"Remove {key}, or put the web identity settings in a profile of their own and use that "
                     f"profile as the source_profile.",
                location=setup.key_location(profile.name, key, at_value=True),
            )


@rule(
    "AD514", "container-credentials-misconfigured", Severity.ERROR,
    summary="Container credential variables are set in a way botocore rejects or that hides one of them.",
    why="""
botocore's ContainerProvider uses AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
(appended to http://169.254.170.2) when it is set, and only then
AWS_CONTAINER_CREDENTIALS_FULL_URI. A full URI over plain http must point at
a loopback address or 169.254.170.2, 169.254.170.23, fd00:ec2::23 or
localhost; ContainerMetadataFetcher._validate_allowed_url raises ValueError
('Unsupported host ...') for any other host. The authorization token comes
from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (opened on every fetch) before
AWS_CONTAINER_AUTHORIZATION_TOKEN, and a token with a CR or LF raises
ValueError ('Auth token value is not a legal header value'). Outside ECS,
EKS Pod Identity or a local emulator these variables are usually left over
from copying an environment.
""",
    example="""
export AWS_CONTAINER_CREDENTIALS_FULL_URI=http://10.0.0.5/creds
""",
    fix="Use https, a loopback address or one of the allowed hosts, and set only one of the two URI variables.",
    needs_environment=True,
)
def container_credentials_misconfigured(setup: Setup) -> Iterator[Issue]:
    env = setup.env
    relative = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
    full = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    if relative is not None or full is not None:
        yield from _container_token_issues(setup)
    if relative is not None and full is not None:
        yield Issue(
            message="AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are both set; "
                    f"botocore uses the relative URI (http://169.254.170.2{relative}) and ignores the full URI",
            hint="Unset the variable you do not mean to use.",
            location=setup.variable_location("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
            severity=Severity.WARNING,
        )
        return
    if full is None:
        return
    from urllib.parse import urlsplit  # on use: it loads ipaddress too, a cost at every start

    parts = urlsplit(full)
    if parts.scheme == "https":
        return
    host = parts.hostname
    if host is not None and (host in CONTAINER_ALLOWED_HOSTS or _is_loopback(host)):
        return
    yield Issue(
        message=f"AWS_CONTAINER_CREDENTIALS_FULL_URI = {full} is a plain-http URL to a host botocore does not "
                f"allow; it raises ValueError: Unsupported host '{host}'.  Can only retrieve metadata from a "
                f"loopback address or one of these hosts: {', '.join(CONTAINER_ALLOWED_HOSTS)}",
        hint="Use an https:// URL, a loopback address, or one of the allowed hosts; unset the variable outside "
             "a container.",
        location=setup.variable_location("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
    )


def _container_token_issues(setup: Setup) -> Iterator[Issue]:
    """Check the authorization token botocore's ContainerProvider._build_headers would send (never its value)."""
    token_file = setup.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
    if token_file is not None:
        if token_file:
            problem = _path_problem(token_file, setup.probes.path(token_file, setup.cwd))
        else:
            problem = "is empty, so botocore tries to open the path ''"
        if problem is not None:
            yield Issue(
                message=f"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = {token_file or '(empty)'} {problem}; botocore "
                        "fails with an OSError each time it fetches container credentials",
                hint="Point AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE at the token file the container runtime "
                     "mounts, or unset it.",
                location=setup.variable_location("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
            )
        return
    token = setup.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
    if token is not None and ("\r" in token or "\n" in token):
        yield Issue(
            message="AWS_CONTAINER_AUTHORIZATION_TOKEN contains a line break; botocore raises ValueError: "
                    "Auth token value is not a legal header value",
            hint="Export the token without the trailing newline, e.g. "
                 "AWS_CONTAINER_AUTHORIZATION_TOKEN=\"$(tr -d '\\r\\n' < FILE)\".",
            location=setup.variable_location("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        )


def _is_loopback(host: str) -> bool:
    import ipaddress  # on use: only container credential URLs need it

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- credential_process ----------------------------------------------------------


def _process_profiles(setup: Setup) -> Iterator[tuple[Profile, str]]:
    for profile in setup.profiles.having("credential_process"):
        command = profile.text("credential_process")
        if command is not None and command.strip():
            yield profile, command


@rule(
    "AD520", "credential-process-unbalanced-quotes", Severity.ERROR,
    summary="credential_process has an unclosed quote or a trailing backslash, so it cannot be split.",
    why="""
ProcessProvider splits the command with botocore.compat.compat_shell_split,
which is shlex.split on Linux and macOS. An unclosed quote makes it raise a
bare ValueError: No closing quotation, with no hint of which profile is at
fault.
""",
    example="""
[profile dev]
credential_process = "/opt/bin/get creds --profile dev
""",
    fix="Close the quote, or quote the whole path of a program whose path contains spaces.",
)
def credential_process_unbalanced_quotes(setup: Setup) -> Iterator[Issue]:
    for profile, command in _process_profiles(setup):
        if split_command(command) is not None:
            continue
        try:
            shlex.split(command)
        except ValueError as error:
            yield Issue(
                message=f"profile '{profile.name}': credential_process cannot be split into arguments "
                        f"(shlex: {error}); botocore raises ValueError: {error}",
                hint="Close the quote; quote a program path that contains spaces as a whole, e.g. "
                     "\"/opt/my tools/creds\" --json.",
                location=setup.key_location(profile.name, "credential_process", at_value=True),
            )


@rule(
    "AD521", "credential-process-not-found", Severity.ERROR,
    summary="The program credential_process runs is not found on PATH, or is not executable.",
    why="""
ProcessProvider starts the program with subprocess.Popen and no shell, so the
first word must be an executable file: a path, or a name found on PATH. A
missing program raises a bare FileNotFoundError, a file without execute
permission PermissionError; the command line does not say which profile ran it.
""",
    example="""
[profile dev]
credential_process = get-aws-creds --profile dev
""",
    fix="Install the program, add its directory to PATH, or write its absolute path.",
)
def credential_process_not_found(setup: Setup) -> Iterator[Issue]:
    for profile, command in _process_profiles(setup):
        parts = split_command(command)
        if parts is None:
            continue
        if not parts or parts[0] not in setup.probes.commands:
            continue
        program = parts[0]
        if setup.probes.commands[program] is not None:
            continue
        if program.startswith("~"):
            problem = "is not found: without a shell ~ is not expanded"
        elif "/" in program:
            problem = "does not exist or is not an executable file"
        else:
            problem = "is not found in any directory of PATH (or is not executable there)"
        yield Issue(
            message=f"profile '{profile.name}': credential_process runs {program}, which {problem}; botocore "
                    "raises FileNotFoundError when it needs credentials",
            hint=f"Install {program}, add its directory to PATH, or write its absolute path in credential_process.",
            location=setup.key_location(profile.name, "credential_process", at_value=True),
        )


def _shell_syntax(parts: Sequence[str]) -> list[str]:
    found: list[str] = []
    for part in parts:
        if part in SHELL_OPERATORS:
            found.append(part)
        elif part.startswith("~"):
            found.append("~")
        elif "`" in part:
            found.append("`...`")
        elif "$(" in part:
            found.append("$(...)")
        elif "$" in part:
            found.append("$VARIABLE")
    return list(dict.fromkeys(found))


@rule(
    "AD522", "credential-process-shell-syntax", Severity.WARNING,
    summary="credential_process uses shell syntax (pipes, &&, ;, redirection, ~, $VAR, backticks) that is never "
            "interpreted.",
    why="""
ProcessProvider runs the command without a shell (subprocess.Popen with an
argument list from shlex.split). A pipe, &&, ;, a redirection, ~, $HOME or
backticks reach the program as literal arguments, so `cat ~/creds.json`,
`vault read ... | jq` or `2>/dev/null` do not do what they say.
""",
    example="""
[profile dev]
credential_process = sh-helper --profile dev | jq .
""",
    fix="Put the pipeline in a script and point credential_process at the script, "
        "or wrap it as sh -c '...'.",
)
def credential_process_shell_syntax(setup: Setup) -> Iterator[Issue]:
    for profile, command in _process_profiles(setup):
        parts = split_command(command)
        if parts is None:
            continue
        if parts and parts[0] in ("sh", "bash", "zsh", "dash") and "-c" in parts[1:]:
            continue  # An explicit shell interprets its own script.
        found = _shell_syntax(parts)
        if not found:
            continue
        yield Issue(
            message=f"profile '{profile.name}': credential_process uses shell syntax ({', '.join(found)}) but "
                    "botocore runs it without a shell, so the program receives these as literal arguments",
            hint="Move the command into a script and set credential_process to the script's absolute path, or "
                 "run it through a shell explicitly: credential_process = sh -c '...'.",
            location=setup.key_location(profile.name, "credential_process", at_value=True),
        )


def _profile_argument(parts: Sequence[str]) -> str | None:
    for index, part in enumerate(parts):
        if part == "--profile" and index + 1 < len(parts):
            return parts[index + 1]
        if part.startswith("--profile="):
            return part.split("=", 1)[1]
    return None


@rule(
    "AD523", "credential-process-recursion", Severity.ERROR,
    summary="credential_process runs the AWS CLI with the same profile, which runs the same process again.",
    why="""
To run `aws ... --profile dev`, botocore first runs dev's credential_process.
If that command is itself `aws ... --profile dev` (for example `aws configure
export-credentials --profile dev`), the inner CLI resolves the same profile,
runs the same process, and so on until the machine runs out of processes or
the user interrupts it.
""",
    example="""
[profile dev]
credential_process = aws configure export-credentials --profile dev
""",
    fix="Point the inner command at the profile that really holds the credentials.",
)
def credential_process_recursion(setup: Setup) -> Iterator[Issue]:
    for profile, command in _process_profiles(setup):
        parts = split_command(command)
        if parts is None:
            continue
        if not parts or parts[0].rsplit("/", 1)[-1] not in ("aws", "aws2"):
            continue
        if _profile_argument(parts) != profile.name:
            continue
        yield Issue(
            message=f"profile '{profile.name}': credential_process runs the AWS CLI with --profile "
                    f"{profile.name}, which runs this credential_process again without end",
            hint="Use --profile with the profile that holds the credentials (for example the SSO profile), "
                 f"not '{profile.name}' itself.",
            location=setup.key_location(profile.name, "credential_process", at_value=True),
        )


# -- several credential kinds in one profile ----------------------------------------

ROLE = "role"
WEB_IDENTITY = "web-identity"
SSO = "sso"
CREDENTIALS_FILE_KEYS = "credentials-file-keys"
LOGIN = "login"
PROCESS = "process"
CONFIG_FILE_KEYS = "config-file-keys"

# botocore's create_credential_resolver order for one profile (env providers aside).
BOTOCORE_ORDER = (ROLE, WEB_IDENTITY, SSO, CREDENTIALS_FILE_KEYS, LOGIN, PROCESS, CONFIG_FILE_KEYS)

KIND_NAMES = {
    ROLE: "role_arn with its source",
    WEB_IDENTITY: "web identity token",
    SSO: "SSO settings",
    CREDENTIALS_FILE_KEYS: "static keys in the credentials file",
    LOGIN: "login_session",
    PROCESS: "credential_process",
    CONFIG_FILE_KEYS: "static keys in the config file",
}

# Orders of the other SDKs, from their profile credential resolvers: JS v3
# credential-provider-ini resolveProfileData, Go v2 config/resolve_credentials.go,
# Java v2 ProfileCredentialsUtils. Static keys of either file count as one kind there.
OTHER_SDK_ORDERS = (
    ("JS v3", (ROLE, "keys", WEB_IDENTITY, PROCESS, SSO, LOGIN)),
    ("Go v2", (ROLE, "keys", WEB_IDENTITY, SSO, PROCESS)),
    ("Java v2", (WEB_IDENTITY, SSO, ROLE, LOGIN, PROCESS, "keys")),
)


# The keys that make each kind: a profile needs one key of a group for that kind.
_KIND_KEYS = (
    ("web_identity_token_file",), ("role_arn",), SSO_PROFILE_KEYS, ("aws_access_key_id",), ("login_session",),
    ("credential_process",),
)


def credential_kinds(profile: Profile) -> list[str]:
    """Return the credential kinds a profile declares, in botocore's order of preference."""
    kinds: set[str] = set()
    if profile.has("web_identity_token_file"):
        kinds.add(WEB_IDENTITY)
    elif profile.has("role_arn") and (profile.has("source_profile") or profile.has("credential_source")):
        kinds.add(ROLE)
    if _is_sso_credentials_profile(profile):
        kinds.add(SSO)
    if profile.file_value(CREDENTIALS, "aws_access_key_id") is not None:
        kinds.add(CREDENTIALS_FILE_KEYS)
    if profile.has("login_session"):
        kinds.add(LOGIN)
    if profile.has("credential_process"):
        kinds.add(PROCESS)
    if profile.file_value(CONFIG, "aws_access_key_id") is not None:
        kinds.add(CONFIG_FILE_KEYS)
    return [kind for kind in BOTOCORE_ORDER if kind in kinds]


def _other_sdk_winners(kinds: list[str]) -> str:
    generic = {CREDENTIALS_FILE_KEYS: "keys", CONFIG_FILE_KEYS: "keys"}
    present = {generic.get(kind, kind) for kind in kinds}
    parts = []
    for sdk, order in OTHER_SDK_ORDERS:
        winner = next((kind for kind in order if kind in present), None)
        if winner is not None:
            parts.append(f"{sdk} uses {'static keys' if winner == 'keys' else KIND_NAMES[winner]}")
    return "; ".join(parts)


def _mixed_candidates(setup: Setup) -> list[Profile]:
    """Return the profiles that can declare two kinds: keys of two kinds, or a key id in each file."""
    counts: dict[str, int] = {}
    for keys in _KIND_KEYS:
        for profile in setup.profiles.having(*keys):
            counts[profile.name] = counts.get(profile.name, 0) + 1
    candidates = []
    for name, count in counts.items():
        profile = setup.profiles.profiles[name]
        if count >= 2 or (profile.config is not None and profile.credentials is not None
                          and "aws_access_key_id" in profile.config.entries):
            candidates.append(profile)
    return candidates


@rule(
    "AD530", "credential-kinds-mixed", Severity.WARNING,
    summary="One profile declares several kinds of credentials; botocore uses one and silently ignores the rest.",
    why="""
botocore tries the providers in a fixed order for the profile: role_arn with
a source, web identity, SSO, credentials-file keys, login_session,
credential_process, config-file keys (create_credential_resolver). The first
that finds its keys wins and the others are ignored, so credential_process
next to static keys in the credentials file never runs, while next to keys
in the config file it does. The JS, Go and Java SDKs use other orders, so the
same profile can give another identity there.
""",
    example="""
[profile dev]
credential_process = /opt/bin/creds
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = ...
""",
    fix="Keep one kind of credentials per profile; put another kind in its own profile.",
)
def credential_kinds_mixed(setup: Setup) -> Iterator[Issue]:
    for profile in _mixed_candidates(setup):
        role_without_source = (
            profile.has("role_arn") and not profile.has("web_identity_token_file")
            and not (profile.has("source_profile") or profile.has("credential_source"))
        )
        if role_without_source:
            # botocore raises for a role without a source, and the AD4xx rules report that.
            continue
        kinds = credential_kinds(profile)
        if ROLE in kinds:
            # A role's own static keys are reported by the assume-role rules.
            kinds = [kind for kind in kinds if kind not in (CREDENTIALS_FILE_KEYS, CONFIG_FILE_KEYS)]
        if len(kinds) < 2:
            continue
        winner, ignored = kinds[0], kinds[1:]
        yield Issue(
            message=f"profile '{profile.name}' declares {len(kinds)} kinds of credentials; botocore uses the "
                    f"{KIND_NAMES[winner]} and ignores the {', '.join(KIND_NAMES[kind] for kind in ignored)}",
            hint=f"Keep only the kind you mean and move the others to profiles of their own. Other SDKs choose "
                 f"differently: {_other_sdk_winners(kinds)}.",
            location=setup.profile_location(profile.name),
        )
