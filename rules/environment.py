"""AD6xx: the AWS_* environment variables and how they change what botocore and the CLI use.

Every rule here reads ``setup.env`` and the profile selection, so all of them
are declared with ``needs_environment=True`` and never run when files are
linted as arguments. Two botocore behaviours drive most of them:

* The environment credential provider (``EnvProvider`` in
  ``botocore/credentials.py``) is first in the chain, and
  ``create_credential_resolver`` removes it only when the profile was given
  programmatically (``--profile``, ``Session(profile=...)``), never when it
  came from ``AWS_PROFILE`` or ``AWS_DEFAULT_PROFILE``.
* Settings variables count as set when they exist, even empty
  (``EnvironmentProvider.provide`` in ``botocore/configprovider.py``), while
  the credential variables count only when non-empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from awsdoctor.findings import Location, Severity
from awsdoctor.profiles import CONFIG, CREDENTIALS, Profile
from awsdoctor.rule import Issue, rule
from awsdoctor.secrets import mask_key_id
from awsdoctor.setup import Setup
from awsdoctor.sources import FileStatus, expand_vars

from .setting_schema import close_matches

# botocore's ContainerProvider reads credentials over HTTP when either is set.
CONTAINER_VARIABLES = ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI")

if TYPE_CHECKING:
    from awsdoctor.sources import SourceFile

KEY_ID = "AWS_ACCESS_KEY_ID"
SECRET_KEY = "AWS_SECRET_ACCESS_KEY"
SESSION_TOKEN = "AWS_SESSION_TOKEN"
SECURITY_TOKEN = "AWS_SECURITY_TOKEN"
# EnvProvider.TOKENS: the legacy name is checked first, and empty values are skipped.
TOKEN_VARIABLES = (SECURITY_TOKEN, SESSION_TOKEN)
EXPIRATION = "AWS_CREDENTIAL_EXPIRATION"
PROFILE_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
FILE_VARIABLES = ((CONFIG, "AWS_CONFIG_FILE"), (CREDENTIALS, "AWS_SHARED_CREDENTIALS_FILE"))

LONG_TERM_KEY_PREFIX = "AKIA"
TEMPORARY_KEY_PREFIX = "ASIA"

UNSET_KEYS = "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN"


# -- helpers ---------------------------------------------------------------


def _value(setup: Setup, name: str) -> str:
    """Return a credential variable as EnvProvider reads it: missing and empty are both ''."""
    return setup.env.get(name, "")


def _has_env_keys(setup: Setup) -> bool:
    """Return True when EnvProvider would build credentials (key id and secret both non-empty)."""
    return bool(_value(setup, KEY_ID)) and bool(_value(setup, SECRET_KEY))


def _env_provider_active(setup: Setup) -> bool:
    """Return True unless --profile removed the environment provider from botocore's chain."""
    return not setup.selection.explicit


def _token_variable(setup: Setup) -> str | None:
    """Return the variable whose token botocore sends, or None when neither is set non-empty."""
    for name in TOKEN_VARIABLES:
        if _value(setup, name):
            return name
    return None


def _ambient_profile(setup: Setup) -> tuple[Profile, str] | None:
    """Return the selected profile and the variable that selected it, when no --profile was given."""
    selection = setup.selection
    if selection.source not in PROFILE_VARIABLES or selection.name is None:
        return None
    if any(source.document is not None and source.document.fatal for source in setup.sources()):
        # botocore reads both files to find the profile setting before any provider runs, so
        # ConfigParseError stops everything and the exported keys win nothing (the AD1xx rules report the cause).
        return None
    profile = setup.profile(selection.name)
    return None if profile is None else (profile, selection.source)


def _text(profile: Profile, key: str) -> str | None:
    """Return a profile value when it is a non-empty string (nested blocks and empty values give None)."""
    value = profile.get(key)
    return value if isinstance(value, str) and value else None


def _is_role_with_source(profile: Profile) -> bool:
    """Return True for a profile botocore's AssumeRoleProvider handles (role_arn, no web identity token file)."""
    return (
        profile.has("role_arn")
        and not profile.has("web_identity_token_file")
        and (profile.has("source_profile") or profile.has("credential_source"))
    )


def _is_environment_role(profile: Profile) -> bool:
    """Return True for a role profile whose source credentials are the environment keys."""
    return _is_role_with_source(profile) and profile.get("credential_source") == "Environment"


def _credential_kind(profile: Profile) -> str | None:
    """Describe the credentials a profile supplies, in the order botocore's profile providers try them."""
    if profile.has("role_arn") and not profile.has("web_identity_token_file"):
        return "role_arn role"
    if profile.has("web_identity_token_file"):
        return "web identity role"
    if profile.has("sso_account_id") or profile.has("sso_role_name"):
        return "IAM Identity Center role"
    if profile.file_value(CREDENTIALS, "aws_access_key_id") is not None:
        return "access keys"
    if profile.has("login_session"):
        return "login_session"
    if profile.has("credential_process"):
        return "credential_process"
    if profile.file_value(CONFIG, "aws_access_key_id") is not None:
        return "access keys"
    return None


def _describe(location: Location) -> str:
    """Return a place for a message: ``~/.aws/config line 5``, or the profile when no line is known."""
    if location.path is not None and location.line is not None:
        return f"{location.path} line {location.line}"
    if location.path is not None:
        return location.path
    return f"profile {location.profile!r}"


def _file_names(setup: Setup) -> str:
    names = [source.display or f"${source.origin} (empty)" for source in setup.sources()]
    return " or ".join(names) if names else "any file"


def _downgrade(setup: Setup, when_inactive: Severity) -> Severity | None:
    """Return ``when_inactive`` when --profile keeps the environment keys out of this command, else None."""
    return None if _env_provider_active(setup) else when_inactive


def _explicit_clause(setup: Setup) -> str:
    return (
        f"; --profile {setup.selection.name} keeps this command from using the environment keys, "
        "but commands in the same shell without --profile use them"
    )


# -- exported keys and the selected profile --------------------------------


@rule(
    "AD601", "env-keys-beat-ambient-profile", Severity.WARNING,
    summary="Exported access keys take precedence over the credentials of a profile chosen with AWS_PROFILE.",
    why="""
botocore puts EnvProvider first in the credential chain. create_credential_resolver
(botocore/credentials.py) removes it only when the profile is given
programmatically: --profile, botocore Session(profile=...) or
boto3.Session(profile_name=...). AWS_PROFILE and AWS_DEFAULT_PROFILE only
choose which profile supplies settings such as the region, so with
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY exported, boto3, CLI v1 and CLI v2
sign every request with the exported keys. The JavaScript SDK v3 does the
opposite and uses the profile, so one shell acts as two identities.
""",
    example="""
# export AWS_PROFILE=platform AWS_ACCESS_KEY_ID=AKIA... AWS_SECRET_ACCESS_KEY=...
[profile platform]
region = eu-central-1
""",
    fix="""
Unset AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (often
loaded from a dotenv file) to use the profile, or pass --profile, which drops
the environment keys.
""",
    needs_environment=True,
)
def env_keys_beat_ambient_profile(setup: Setup) -> Iterator[Issue]:
    found = _ambient_profile(setup)
    if found is None or not _has_env_keys(setup):
        return
    profile, variable = found
    kind = _credential_kind(profile)
    if kind is None or _is_environment_role(profile):
        # A profile without credentials of its own loses nothing; a credential_source =
        # Environment role is reported by AD617.
        return
    name = profile.name
    yield Issue(
        message=f"exported AWS_ACCESS_KEY_ID ({mask_key_id(_value(setup, KEY_ID))}) and AWS_SECRET_ACCESS_KEY "
                f"take precedence over profile {name!r} ({kind}), which {variable} selects: botocore and the AWS "
                "CLI keep the environment keys first unless the profile comes from --profile",
        hint=f"Unset the keys ({UNSET_KEYS}) to use profile {name!r}, or run with --profile {name}, which makes "
             "the AWS CLI and botocore ignore them. The JavaScript SDK v3 uses the profile here, so Node.js "
             "tools run as a different identity than Python, Go, Java and the CLI.",
        location=setup.variable_location(KEY_ID),
        related=(setup.profile_location(name),),
    )


@rule(
    "AD602", "env-keys-with-profile-region", Severity.INFO,
    summary="The exported keys sign the requests while the region still comes from the AWS_PROFILE profile.",
    why="""
When exported keys win over a profile chosen with AWS_PROFILE (AD601), botocore
still reads every setting other than credentials from that profile, the region
included (configprovider.py: AWS_DEFAULT_REGION, then the profile's region).
Identity and region then come from two different sources, which is how
commands end up running against the right region of the wrong account.
""",
    example="""
# export AWS_PROFILE=platform AWS_ACCESS_KEY_ID=AKIA... AWS_SECRET_ACCESS_KEY=...
[profile platform]
region = eu-central-1
""",
    fix="""
Unset the exported keys, or set AWS_DEFAULT_REGION to the region that belongs
to them.
""",
    needs_environment=True,
)
def env_keys_with_profile_region(setup: Setup) -> Iterator[Issue]:
    found = _ambient_profile(setup)
    if found is None or not _has_env_keys(setup) or "AWS_DEFAULT_REGION" in setup.env:
        return
    profile, variable = found
    region = _text(profile, "region")
    if region is None or _credential_kind(profile) is None:
        return
    region_location = setup.key_location(profile.name, "region")
    yield Issue(
        message=f"region {region} comes from profile {profile.name!r} ({_describe(region_location)}), selected "
                f"by {variable}, while the credentials come from the exported AWS_ACCESS_KEY_ID: identity and "
                "region are taken from different sources",
        hint="If the exported keys belong to another account or region, unset them or set AWS_DEFAULT_REGION "
             "to their region; if the mix is intended, ignore this finding.",
        location=setup.variable_location(variable),
        related=(region_location,),
    )


@rule(
    "AD603", "env-keys-beside-explicit-profile", Severity.INFO,
    summary="Access keys are exported while --profile names a profile; only commands without --profile use them.",
    why="""
With --profile, create_credential_resolver (botocore/credentials.py) removes
EnvProvider from the chain, so the AWS CLI uses the named profile for that
command. Every command in the same shell run without --profile, and every
program that selects its profile through AWS_PROFILE, still signs with the
exported keys.
""",
    example="""
# export AWS_ACCESS_KEY_ID=AKIA... AWS_SECRET_ACCESS_KEY=...; aws s3 ls --profile dev
[profile dev]
region = us-west-2
""",
    fix="""
Nothing breaks the --profile command. Unset the exported keys if they are
stale, so that later commands do not pick them up.
""",
    needs_environment=True,
)
def env_keys_beside_explicit_profile(setup: Setup) -> Iterator[Issue]:
    if not setup.selection.explicit or not _has_env_keys(setup):
        return
    name = setup.selection.name
    yield Issue(
        message=f"AWS_ACCESS_KEY_ID ({mask_key_id(_value(setup, KEY_ID))}) and AWS_SECRET_ACCESS_KEY are "
                f"exported, and the AWS CLI and botocore ignore them for this command because of --profile "
                f"{name}; commands in the same shell run without --profile use the exported keys",
        hint=f"Nothing to change for --profile {name}. If the exported keys are stale, unset them ({UNSET_KEYS}).",
        location=setup.variable_location(KEY_ID),
        related=(setup.profile_location(name or "default"),),
    )


@rule(
    "AD604", "partial-env-credentials", Severity.ERROR,
    summary="Only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is exported, or the key id is empty.",
    why="""
EnvProvider.load (botocore/credentials.py) triggers on a non-empty
AWS_ACCESS_KEY_ID. Without a non-empty AWS_SECRET_ACCESS_KEY it raises
PartialCredentialsError ("Partial credentials found in env, missing:
AWS_SECRET_ACCESS_KEY"), which stops the whole chain even when the selected
profile is complete. A secret without a key id, or an empty key id, is ignored
and the chain moves on to the profile.
""",
    example="""
# export AWS_PROFILE=dev AWS_ACCESS_KEY_ID=AKIA...   (no AWS_SECRET_ACCESS_KEY)
[profile dev]
region = us-east-1
""",
    fix="""
Export both variables, or unset both.
""",
    needs_environment=True,
)
def partial_env_credentials(setup: Setup) -> Iterator[Issue]:
    key_id = _value(setup, KEY_ID)
    secret = _value(setup, SECRET_KEY)
    if key_id and not secret:
        state = "empty" if SECRET_KEY in setup.env else "not set"
        message = (f"AWS_ACCESS_KEY_ID is exported but AWS_SECRET_ACCESS_KEY is {state}: botocore raises "
                   "PartialCredentialsError (Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY)")
        if _env_provider_active(setup):
            profile = setup.selection.effective_name
            if setup.profile(profile) is not None:
                message += f" before it looks at profile {profile!r}"
        else:
            message += _explicit_clause(setup)
        yield Issue(
            message=message,
            hint="Export AWS_SECRET_ACCESS_KEY with the secret that belongs to this key id, or unset "
                 f"AWS_ACCESS_KEY_ID to use the profile ({UNSET_KEYS}).",
            location=setup.variable_location(KEY_ID),
            severity=_downgrade(setup, Severity.INFO),
        )
        return
    if key_id:
        return
    if secret:
        state = "empty" if KEY_ID in setup.env else "not set"
        yield Issue(
            message=f"AWS_SECRET_ACCESS_KEY is exported but AWS_ACCESS_KEY_ID is {state}: botocore ignores the "
                    "secret and takes credentials from the next provider, usually the profile",
            hint="Export AWS_ACCESS_KEY_ID together with the secret, or unset AWS_SECRET_ACCESS_KEY.",
            location=setup.variable_location(SECRET_KEY),
            severity=Severity.WARNING,
        )
    elif KEY_ID in setup.env:
        yield Issue(
            message="AWS_ACCESS_KEY_ID is set but empty: botocore treats it as unset and takes credentials "
                    "from the next provider",
            hint="Unset AWS_ACCESS_KEY_ID rather than setting it to an empty value.",
            location=setup.variable_location(KEY_ID),
            severity=Severity.INFO,
        )


# -- key type and session token --------------------------------------------


@rule(
    "AD605", "temporary-key-without-token-in-env", Severity.ERROR,
    summary="AWS_ACCESS_KEY_ID is a temporary (ASIA) key but no session token is exported.",
    why="""
Keys that start with ASIA come from STS and are valid only together with their
session token. EnvProvider (botocore/credentials.py) does not check this: it
builds credentials with no token, and the service rejects every request signed
with them.
""",
    example="""
# export AWS_ACCESS_KEY_ID=ASIA... AWS_SECRET_ACCESS_KEY=...   (no AWS_SESSION_TOKEN)
""",
    fix="""
Export AWS_SESSION_TOKEN from the same STS response as the keys, or fetch new
temporary credentials.
""",
    needs_environment=True,
)
def temporary_key_without_token_in_env(setup: Setup) -> Iterator[Issue]:
    key_id = _value(setup, KEY_ID)
    if not _has_env_keys(setup) or not key_id.strip().startswith(TEMPORARY_KEY_PREFIX):
        return
    if _token_variable(setup) is not None:
        return
    empty = [name for name in TOKEN_VARIABLES if name in setup.env]
    state = f"{' and '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty" if empty else \
        "neither AWS_SESSION_TOKEN nor AWS_SECURITY_TOKEN is set"
    message = (f"AWS_ACCESS_KEY_ID ({mask_key_id(key_id)}) is a temporary key, but {state}: botocore signs "
               "without a session token and the service rejects every request")
    if not _env_provider_active(setup):
        message += _explicit_clause(setup)
    yield Issue(
        message=message,
        hint="Export AWS_SESSION_TOKEN from the same STS response as the keys, or fetch new credentials.",
        location=setup.variable_location(KEY_ID),
        severity=_downgrade(setup, Severity.WARNING),
    )


@rule(
    "AD606", "long-term-key-with-token-in-env", Severity.WARNING,
    summary="A long-term (AKIA) key is exported together with a leftover session token.",
    why="""
EnvProvider (botocore/credentials.py) attaches AWS_SECURITY_TOKEN or
AWS_SESSION_TOKEN to whatever keys are exported. A session token belongs to
temporary (ASIA) keys; sent with a long-term key it makes the service reject
the request. This usually means new long-term keys were exported in a shell
that still has the token of an earlier session.
""",
    example="""
# export AWS_ACCESS_KEY_ID=AKIA... AWS_SECRET_ACCESS_KEY=... AWS_SESSION_TOKEN=<old token>
""",
    fix="""
Unset AWS_SESSION_TOKEN (and AWS_SECURITY_TOKEN).
""",
    needs_environment=True,
)
def long_term_key_with_token_in_env(setup: Setup) -> Iterator[Issue]:
    key_id = _value(setup, KEY_ID)
    token_variable = _token_variable(setup)
    if not _has_env_keys(setup) or token_variable is None:
        return
    if not key_id.strip().startswith(LONG_TERM_KEY_PREFIX):
        return
    message = (f"{token_variable} is set next to a long-term key ({mask_key_id(key_id)}) in AWS_ACCESS_KEY_ID: "
               "botocore sends the token with the key and the service rejects the request; the token is "
               "probably left over from an earlier session")
    if not _env_provider_active(setup):
        message += _explicit_clause(setup)
    yield Issue(
        message=message,
        hint="Unset the token: unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN",
        location=setup.variable_location(token_variable),
        severity=_downgrade(setup, Severity.INFO),
    )


@rule(
    "AD607", "session-token-variables-differ", Severity.ERROR,
    summary="AWS_SECURITY_TOKEN and AWS_SESSION_TOKEN are both set to different tokens.",
    why="""
EnvProvider.TOKENS (botocore/credentials.py) checks the legacy
AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN, so botocore, boto3 and the AWS
CLI send the legacy token. The JavaScript and Go SDKs read only
AWS_SESSION_TOKEN. With two different tokens, at most one group of tools signs
with the token that belongs to the exported keys, and the other fails with
InvalidClientTokenId.
""",
    example="""
# export AWS_SECURITY_TOKEN=<old token> AWS_SESSION_TOKEN=<new token>
""",
    fix="""
Unset AWS_SECURITY_TOKEN; no current tool needs it.
""",
    needs_environment=True,
)
def session_token_variables_differ(setup: Setup) -> Iterator[Issue]:
    legacy = _value(setup, SECURITY_TOKEN)
    current = _value(setup, SESSION_TOKEN)
    if not legacy or not current or legacy == current:
        return
    yield Issue(
        message="AWS_SECURITY_TOKEN and AWS_SESSION_TOKEN differ: botocore, boto3 and the AWS CLI send the "
                "legacy AWS_SECURITY_TOKEN, while the JavaScript and Go SDKs read only AWS_SESSION_TOKEN, so "
                "the two groups of tools sign with different tokens",
        hint="Unset AWS_SECURITY_TOKEN (unset AWS_SECURITY_TOKEN). If an old tool still exports it, make it "
             "export the same token as AWS_SESSION_TOKEN.",
        location=setup.variable_location(SECURITY_TOKEN),
        related=(setup.variable_location(SESSION_TOKEN),),
        severity=None if _value(setup, KEY_ID) and _env_provider_active(setup) else Severity.WARNING,
    )


@rule(
    "AD608", "legacy-security-token-variable", Severity.INFO,
    summary="AWS_SECURITY_TOKEN is the legacy (boto2) name of AWS_SESSION_TOKEN.",
    why="""
botocore still reads AWS_SECURITY_TOKEN, and before AWS_SESSION_TOKEN
(EnvProvider.TOKENS in botocore/credentials.py), but the JavaScript and Go
SDKs do not read it at all. Exporting the token under the legacy name gives
those SDKs keys without a token.
""",
    example="""
# export AWS_SECURITY_TOKEN=<token>
""",
    fix="""
Export the token as AWS_SESSION_TOKEN and unset AWS_SECURITY_TOKEN.
""",
    needs_environment=True,
)
def legacy_security_token_variable(setup: Setup) -> Iterator[Issue]:
    if SECURITY_TOKEN not in setup.env:
        return
    yield Issue(
        message="AWS_SECURITY_TOKEN is the legacy (boto2) name of AWS_SESSION_TOKEN: botocore reads it first, "
                "but the JavaScript and Go SDKs ignore it",
        hint="Export the token as AWS_SESSION_TOKEN only, and unset AWS_SECURITY_TOKEN.",
        location=setup.variable_location(SECURITY_TOKEN),
    )


# -- profile selection -----------------------------------------------------


def _profile_users(variable: str, both_set: bool) -> str:
    """Name the botocore-based tools that take their profile from ``variable``."""
    if not both_set:
        return "botocore, boto3 and the AWS CLI"
    # With both variables set, botocore and CLI v1 read AWS_DEFAULT_PROFILE and CLI v2 reads AWS_PROFILE.
    if variable == "AWS_DEFAULT_PROFILE":
        return "botocore, boto3 and CLI v1, which read AWS_DEFAULT_PROFILE first"
    return "CLI v2, which reads AWS_PROFILE first"


def _near_matches(setup: Setup, variable: str, name: str) -> list[tuple[str, str, Location]]:
    """Return (reason, hint, location) for sections a user probably meant by profile ``name``."""
    matches: list[tuple[str, str, Location]] = []
    for other in setup.profiles.profiles:
        if other != name and other.lower() == name.lower():
            matches.append((
                f"profile {other!r} differs only in case, and profile names are case-sensitive",
                f"Use the exact name: export {variable}={other}",
                setup.profile_location(other),
            ))
    credentials_section = setup.find_section(CREDENTIALS, f"profile {name}")
    if credentials_section is not None:
        matches.append((
            f"the credentials file has [profile {name}], which defines a profile literally named "
            f"'profile {name}' because the credentials file takes bare names",
            f"Rename [profile {name}] to [{name}] in the credentials file.",
            setup.section_location(CREDENTIALS, credentials_section, f"profile {name}"),
        ))
    config_section = setup.find_section(CONFIG, name)
    if name != "default" and config_section is not None:
        matches.append((
            f"the config file has [{name}] without the 'profile ' prefix, which botocore does not read as a "
            "profile",
            f"Rename [{name}] to [profile {name}] in the config file.",
            setup.section_location(CONFIG, config_section),
        ))
    return matches


@rule(
    "AD609", "profile-variable-not-found", Severity.ERROR,
    summary="AWS_PROFILE or AWS_DEFAULT_PROFILE is empty or names a profile that exists in neither file.",
    why="""
Session.get_scoped_config (botocore/session.py) raises ProfileNotFound ("The
config profile (NAME) could not be found") whenever a profile name is set and
missing from the merged config and credentials files. An empty variable still
counts as set (EnvironmentProvider.provide tests `name in environ`), so
AWS_PROFILE= fails with "The config profile () could not be found", while the
JavaScript and Go SDKs treat it as unset. AWS_PROFILE=default needs a
[default] section, even though leaving the variable unset works without one.
""",
    example="""
# export AWS_PROFILE=sandbox
[profile dev]
region = us-east-1
""",
    fix="""
Correct the name, unset the variable, or add the profile: [profile NAME] in
the config file or [NAME] in the credentials file.
""",
    needs_environment=True,
)
def profile_variable_not_found(setup: Setup) -> Iterator[Issue]:
    severity = None if not setup.selection.explicit else Severity.WARNING
    for variable in PROFILE_VARIABLES:
        if variable not in setup.env:
            continue
        name = setup.env[variable]
        if name and setup.profile(name) is not None:
            continue
        both_set = all(other in setup.env for other in PROFILE_VARIABLES)
        users = _profile_users(variable, both_set)
        explicit = (f"; this command uses --profile {setup.selection.name}, but commands without --profile fail"
                    if setup.selection.explicit else "")
        if not name:
            yield Issue(
                message=f"{variable} is set but empty, so ProfileNotFound (The config profile () could not be "
                        f"found) stops {users}; other SDKs treat an empty {variable} as unset{explicit}",
                hint=f"Unset the variable instead of setting it to an empty value: unset {variable}",
                location=setup.variable_location(variable),
                severity=severity,
            )
            continue
        message = (f"{variable} names profile {name!r}, which is not found in {_file_names(setup)}, so "
                   f"ProfileNotFound (The config profile ({name}) could not be found) stops {users}")
        near = _near_matches(setup, variable, name)
        if near:
            message += "; " + "; ".join(reason for reason, _, _ in near)
            hint = " ".join(hint for _, hint, _ in near)
        elif name == "default":
            message += ("; botocore runs without a [default] section only when no profile is named, and "
                        "naming 'default' makes the section required")
            hint = f"Unset {variable}, or add a [default] section to the config or credentials file."
        else:
            hint = (f"Correct the name or unset {variable}, or define the profile: [profile {name}] in the "
                    f"config file or [{name}] in the credentials file.")
        yield Issue(
            message=message + explicit,
            hint=hint,
            location=setup.variable_location(variable),
            related=tuple(location for _, _, location in near),
            severity=severity,
        )


@rule(
    "AD610", "profile-variables-disagree", Severity.WARNING,
    summary="AWS_DEFAULT_PROFILE and AWS_PROFILE name different profiles, so tools disagree on the profile.",
    why="""
botocore's 'profile' setting reads AWS_DEFAULT_PROFILE before AWS_PROFILE
(BOTOCORE_DEFAUT_SESSION_VARIABLES in botocore/configprovider.py), so boto3
and CLI v1 use AWS_DEFAULT_PROFILE. CLI v2 swaps the order and the Go SDK v2
reads AWS_PROFILE first; the JavaScript and Java SDKs read only AWS_PROFILE.
""",
    example="""
# export AWS_DEFAULT_PROFILE=staging AWS_PROFILE=prod
""",
    fix="""
Unset AWS_DEFAULT_PROFILE and select the profile with AWS_PROFILE, which every
tool reads.
""",
    needs_environment=True,
)
def profile_variables_disagree(setup: Setup) -> Iterator[Issue]:
    if not all(variable in setup.env for variable in PROFILE_VARIABLES):
        return
    legacy = setup.env["AWS_DEFAULT_PROFILE"]
    current = setup.env["AWS_PROFILE"]
    if legacy == current:
        return
    message = (f"AWS_DEFAULT_PROFILE = {legacy!r} and AWS_PROFILE = {current!r} select different profiles: "
               f"botocore, boto3 and CLI v1 use {legacy!r} (AWS_DEFAULT_PROFILE first), CLI v2 and the Go SDK "
               f"use {current!r} (AWS_PROFILE first), and the JavaScript and Java SDKs read only AWS_PROFILE")
    if setup.selection.explicit:
        message += f"; this command uses --profile {setup.selection.name}"
    yield Issue(
        message=message,
        hint="Unset AWS_DEFAULT_PROFILE (unset AWS_DEFAULT_PROFILE) and keep AWS_PROFILE, which every tool reads.",
        location=setup.variable_location("AWS_DEFAULT_PROFILE"),
        related=(setup.variable_location("AWS_PROFILE"),),
        severity=Severity.INFO if setup.selection.explicit else None,
    )


# -- region ----------------------------------------------------------------


@rule(
    "AD611", "aws-region-ignored-by-botocore", Severity.INFO,
    summary="AWS_REGION is set, but boto3 and CLI v1 ignore it and read only AWS_DEFAULT_REGION.",
    why="""
botocore's 'region' setting reads only AWS_DEFAULT_REGION and then the
profile's region (BOTOCORE_DEFAUT_SESSION_VARIABLES in
botocore/configprovider.py), so boto3 and CLI v1 ignore AWS_REGION. CLI v2
and the Go SDK read AWS_REGION before AWS_DEFAULT_REGION, and the JavaScript
SDK v3 reads only AWS_REGION. When the values differ, the same shell sends
requests to different regions depending on the tool.
""",
    example="""
# export AWS_REGION=eu-west-1
[default]
region = us-east-1
""",
    fix="""
Set AWS_DEFAULT_REGION to the same value as AWS_REGION, or unset AWS_REGION.
""",
    needs_environment=True,
)
def aws_region_ignored_by_botocore(setup: Setup) -> Iterator[Issue]:
    region = setup.env.get("AWS_REGION", "")
    if not region:
        return
    related: tuple[Location, ...] = ()
    if "AWS_DEFAULT_REGION" in setup.env:
        botocore_region = setup.env["AWS_DEFAULT_REGION"]
        source = "AWS_DEFAULT_REGION"
        related = (setup.variable_location("AWS_DEFAULT_REGION"),)
    else:
        name = setup.selection.effective_name
        profile = setup.profile(name)
        botocore_region = (_text(profile, "region") if profile is not None else None) or ""
        source = f"profile {name!r}"
        if botocore_region:
            related = (setup.key_location(name, "region"),)
    others = f"CLI v2 and the Go and JavaScript SDKs use AWS_REGION = {region}"
    if botocore_region == region:
        yield Issue(
            message=f"AWS_REGION = {region} is ignored by boto3 and CLI v1, which read only AWS_DEFAULT_REGION; "
                    f"they get the same region from {source}, so all tools agree",
            hint="Nothing to change while both give the same region.",
            location=setup.variable_location("AWS_REGION"),
            related=related,
        )
    elif not botocore_region:
        yield Issue(
            message=f"AWS_REGION = {region} is ignored by boto3 and CLI v1, which find no region "
                    f"(AWS_DEFAULT_REGION is not set and {source} has no region) and fail with NoRegionError for "
                    f"regional services; {others}",
            hint=f"Also export AWS_DEFAULT_REGION={region}, or set region in the profile.",
            location=setup.variable_location("AWS_REGION"),
            related=related,
            severity=Severity.WARNING,
        )
    else:
        yield Issue(
            message=f"AWS_REGION = {region} is ignored by boto3 and CLI v1, which use {botocore_region} from "
                    f"{source}; {others}",
            hint=f"Export AWS_DEFAULT_REGION={region} as well, or unset AWS_REGION, so that every tool uses "
                 "one region.",
            location=setup.variable_location("AWS_REGION"),
            related=related,
            severity=Severity.WARNING,
        )


# -- AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE -----------------------

_UNSET_REFERENCE = re.compile(r"\$(\w+|\{[^}]*\})", re.ASCII)

_STATUS_TEXT = {
    FileStatus.MISSING: "does not exist",
    FileStatus.DIRECTORY: "is a directory",
    FileStatus.NOT_A_FILE: "is not a regular file",
    FileStatus.BROKEN_SYMLINK: "is a symbolic link to a missing target",
}


def _status_text(source: SourceFile) -> str | None:
    if source.status == FileStatus.UNREADABLE:
        return "cannot be read" + (f" ({source.detail})" if source.detail else "")
    return _STATUS_TEXT.get(source.status)


def _has_inner_tilde(path: str) -> bool:
    """Return True when a directory or file name after the first starts with ~, which expanduser leaves alone."""
    return any(part.startswith("~") for part in path.split("/")[1:])


def _path_notes(setup: Setup, raw: str) -> list[str]:
    """Explain why a path variable may not mean what it looks like: unset $VARs, a mid-path ~, a relative path."""
    expanded = expand_vars(raw, setup.env)
    notes = [f"${match.group(1).strip('{}')} is not set, so it stays literal"
             for match in _UNSET_REFERENCE.finditer(expanded)]
    if _has_inner_tilde(expanded):
        notes.append("only a leading ~ is expanded, so the ~ inside the path is a literal directory name")
    if not expanded.startswith(("/", "~")):
        notes.append("the path is relative, so botocore resolves it against the working directory")
    return notes


@rule(
    "AD612", "broken-file-variable", Severity.ERROR,
    summary="AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE is empty or points at no readable file.",
    why="""
raw_config_parse (botocore/configloader.py) checks os.path.isfile and raises
ConfigNotFound, which Session.full_config swallows; configparser also skips a
file it cannot open. A typo, a directory, an empty value or a file without
read permission therefore leaves botocore with an empty file and no error. A
profile selected by name then fails with ProfileNotFound; without one,
commands fail later with "Unable to locate credentials".
""",
    example="""
# export AWS_CONFIG_FILE=~/.aws/cofnig
""",
    fix="""
Point the variable at the real file, or unset it to use ~/.aws/config and
~/.aws/credentials.
""",
    needs_environment=True,
)
def broken_file_variable(setup: Setup) -> Iterator[Issue]:
    selected = setup.selection.name is not None or setup.selection_v2.name is not None
    for kind, variable in FILE_VARIABLES:
        source = setup.source(kind)
        if source is None or source.origin != variable:
            continue
        raw = setup.env.get(variable, "")
        if source.status == FileStatus.EMPTY_PATH:
            problem = f"{variable} is set but empty"
        else:
            status = _status_text(source)
            if status is None:
                continue
            problem = f"{variable} points at {source.display}, which {status}"
            notes = _path_notes(setup, raw)
            if notes:
                problem += f" ({'; '.join(notes)})"
        consequence = (f"so profile {setup.selection.name!r} is not found"
                       if selected and setup.selection.name is not None and setup.profile(setup.selection.name) is None
                       else "so its profiles and settings are missing")
        yield Issue(
            message=f"{problem}: botocore silently treats the {kind} file as empty, {consequence}",
            hint=f"Point {variable} at the {kind} file (an absolute path), or unset {variable} to use "
                 f"~/.aws/{kind}.",
            location=setup.variable_location(variable),
            severity=None if selected else Severity.WARNING,
        )


@rule(
    "AD613", "relative-file-variable", Severity.INFO,
    summary="AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE is a relative path.",
    why="""
botocore expands $VARIABLES and a leading ~ in the path (raw_config_parse in
botocore/configloader.py) but resolves a relative path against the working
directory of each process. The same shell reads the file only from one
directory; anywhere else the file is missing and treated as empty (AD612).
""",
    example="""
# export AWS_CONFIG_FILE=aws/config
""",
    fix="""
Use an absolute path, e.g. export AWS_CONFIG_FILE="$PWD/aws/config".
""",
    needs_environment=True,
)
def relative_file_variable(setup: Setup) -> Iterator[Issue]:
    for kind, variable in FILE_VARIABLES:
        source = setup.source(kind)
        if source is None or source.origin != variable or source.status != FileStatus.OK:
            continue
        raw = setup.env.get(variable, "")
        expanded = expand_vars(raw, setup.env)
        if expanded.startswith(("/", "~")):
            continue
        yield Issue(
            message=f"{variable} = {raw} is a relative path: botocore resolves it against the working directory "
                    f"(here {source.display}), so commands run from another directory get no {kind} file",
            hint=f"Use an absolute path: export {variable}=\"{source.path}\"",
            location=setup.variable_location(variable),
        )


@rule(
    "AD614", "literal-tilde-in-file-variable", Severity.WARNING,
    summary="AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE contains a ~ that is not at the start.",
    why="""
botocore calls os.path.expanduser on the path (raw_config_parse in
botocore/configloader.py), which expands only a leading ~. A ~ anywhere else,
often left by quoting in a Dockerfile or a CI variable, names a directory
literally called ~, so botocore reads a different file than the one in the
home directory.
""",
    example="""
# export AWS_CONFIG_FILE=/app/~/.aws/config
""",
    fix="""
Write the home directory out ($HOME/.aws/config) or start the path with ~.
""",
    needs_environment=True,
)
def literal_tilde_in_file_variable(setup: Setup) -> Iterator[Issue]:
    for kind, variable in FILE_VARIABLES:
        source = setup.source(kind)
        if source is None or source.origin != variable or source.status != FileStatus.OK:
            continue
        raw = setup.env.get(variable, "")
        if not _has_inner_tilde(expand_vars(raw, setup.env)):
            continue
        yield Issue(
            message=f"{variable} = {raw} contains a ~ that botocore does not expand (only a leading ~ is), so it "
                    f"reads {source.display}, where ~ is a literal directory name",
            hint=f"Use $HOME instead of the inner ~, e.g. export {variable}=\"$HOME/.aws/{kind}\"",
            location=setup.variable_location(variable),
        )


# -- credential expiration, IMDS, roles ------------------------------------


def _parse_expiration(value: str) -> tuple[float | None, str | None]:
    """Parse AWS_CREDENTIAL_EXPIRATION as EnvProvider does; return (Unix time, None) or (None, reason)."""
    # EnvProvider.load passes the value to dateutil.parser.parse; imported here so that
    # the check path does not load dateutil unless the variable is set.
    from dateutil.parser import ParserError, parse  # type: ignore[import-untyped]

    try:
        expiry = parse(value)
    except (ParserError, ValueError, OverflowError):
        if value.strip().isdigit():
            return None, ("it looks like Unix epoch seconds, which dateutil does not accept, so the first "
                          "request fails with ParserError")
        return None, "dateutil cannot parse it, so the first request fails with ParserError"
    if expiry.tzinfo is None:
        return None, ("it has no time zone, so the first request fails with TypeError (can't subtract "
                      "offset-naive and offset-aware datetimes)")
    return expiry.timestamp(), None


@rule(
    "AD615", "unusable-credential-expiration", Severity.ERROR,
    summary="AWS_CREDENTIAL_EXPIRATION is in the past, or is a value botocore cannot use.",
    why="""
With AWS_CREDENTIAL_EXPIRATION set, EnvProvider.load (botocore/credentials.py)
returns RefreshableCredentials that re-read the environment when they expire.
A time in the past makes the first request fail with "RuntimeError:
Credentials were refreshed, but the refreshed credentials are still expired."
The value goes through dateutil.parser.parse: text it cannot parse, including
Unix epoch seconds, raises ParserError, and a time without a zone raises
TypeError when compared with the current time.
""",
    example="""
# export AWS_ACCESS_KEY_ID=ASIA... AWS_SECRET_ACCESS_KEY=... AWS_SESSION_TOKEN=...
# export AWS_CREDENTIAL_EXPIRATION=2001-01-01T00:00:00Z
""",
    fix="""
Fetch new credentials and export them with their new expiration time in ISO
8601 form with a zone (2030-01-01T00:00:00Z), or unset all of them.
""",
    needs_environment=True,
)
def unusable_credential_expiration(setup: Setup) -> Iterator[Issue]:
    value = _value(setup, EXPIRATION)
    if not value or not _has_env_keys(setup):
        return
    expiry, reason = _parse_expiration(value)
    if reason is not None:
        message = f"AWS_CREDENTIAL_EXPIRATION = {value} is not a time botocore can use: {reason}"
        hint = ("Export the expiration in ISO 8601 form with a zone, e.g. 2030-01-01T00:00:00Z, "
                "or unset AWS_CREDENTIAL_EXPIRATION.")
    elif expiry is not None and expiry < setup.now:
        message = (f"AWS_CREDENTIAL_EXPIRATION = {value} is in the past: botocore rejects the exported keys on "
                   "the first request (Credentials were refreshed, but the refreshed credentials are still "
                   "expired)")
        hint = f"Fetch new credentials and export them with their new expiration, or unset them ({UNSET_KEYS} " \
               f"{EXPIRATION})."
    else:
        return
    if not _env_provider_active(setup):
        message += _explicit_clause(setup)
    yield Issue(
        message=message,
        hint=hint,
        location=setup.variable_location(EXPIRATION),
        severity=_downgrade(setup, Severity.WARNING),
    )


@rule(
    "AD616", "imds-disabled-value-not-true", Severity.WARNING,
    summary="AWS_EC2_METADATA_DISABLED is set to a value other than true, which botocore does not honour.",
    why="""
IMDSFetcher (botocore/utils.py) disables the instance metadata service only
when AWS_EC2_METADATA_DISABLED equals 'true' in any case; 1, yes or on leave it
enabled, so a machine outside EC2 waits for the metadata endpoint at the end
of the credential chain. The JavaScript SDK v3 treats any value but 'false' as
disabled, so the tools disagree.
""",
    example="""
# export AWS_EC2_METADATA_DISABLED=1
""",
    fix="""
Set AWS_EC2_METADATA_DISABLED=true.
""",
    needs_environment=True,
)
def imds_disabled_value_not_true(setup: Setup) -> Iterator[Issue]:
    value = setup.env.get("AWS_EC2_METADATA_DISABLED")
    if value is None or value.lower() in ("true", "false"):
        return
    yield Issue(
        message=f"AWS_EC2_METADATA_DISABLED = {value!r} does not disable the instance metadata service in "
                "botocore, boto3 or the AWS CLI, which accept only 'true' (any case); the JavaScript SDK v3 "
                "treats any value but 'false' as disabled",
        hint="Set AWS_EC2_METADATA_DISABLED=true.",
        location=setup.variable_location("AWS_EC2_METADATA_DISABLED"),
    )


@rule(
    "AD617", "environment-role-never-assumed", Severity.WARNING,
    summary="A credential_source = Environment role is selected with AWS_PROFILE, so the role is never assumed.",
    why="""
A role profile with credential_source = Environment should assume its role
with the exported keys. But when AWS_PROFILE selects it, EnvProvider stays
first in the chain (create_credential_resolver in botocore/credentials.py) and
returns the exported keys as they are, before AssumeRoleProvider runs. Only
--profile or Session(profile=...) removes EnvProvider, so that the role is
assumed.
""",
    example="""
# export AWS_PROFILE=deploy AWS_ACCESS_KEY_ID=AKIA... AWS_SECRET_ACCESS_KEY=...
[profile deploy]
role_arn = arn:aws:iam::123456789012:role/deploy
credential_source = Environment
""",
    fix="""
Select the profile with --profile (or boto3.Session(profile_name=...)) instead
of AWS_PROFILE.
""",
    needs_environment=True,
)
def environment_role_never_assumed(setup: Setup) -> Iterator[Issue]:
    found = _ambient_profile(setup)
    if found is None or not _has_env_keys(setup):
        return
    profile, variable = found
    if not _is_environment_role(profile):
        return
    name = profile.name
    yield Issue(
        message=f"profile {name!r} has credential_source = Environment, but because {variable} selects it, "
                "botocore uses the exported AWS_ACCESS_KEY_ID directly and never assumes the role in role_arn",
        hint=f"Run with --profile {name} (in Python: boto3.Session(profile_name={name!r})) and unset {variable}; "
             "then the exported keys are used to assume the role.",
        location=setup.variable_location(KEY_ID),
        related=(setup.key_location(name, "credential_source"),),
    )


@rule(
    "AD618", "role-session-name-variable-unused", Severity.WARNING,
    summary="AWS_ROLE_SESSION_NAME is set, but the selected profile does not use it.",
    why="""
Only AssumeRoleWithWebIdentityProvider reads AWS_ROLE_SESSION_NAME
(_CONFIG_TO_ENV_VAR in botocore/credentials.py). A role profile with
source_profile or credential_source goes through AssumeRoleProvider, which
takes role_session_name from the profile or makes up botocore-session-<time>.
With --profile, botocore also ignores the web-identity variables for a
web-identity profile.
""",
    example="""
# export AWS_PROFILE=deploy AWS_ROLE_SESSION_NAME=ci-build-42
[profile deploy]
role_arn = arn:aws:iam::123456789012:role/deploy
source_profile = base
""",
    fix="""
Set role_session_name in the profile.
""",
    needs_environment=True,
)
def role_session_name_variable_unused(setup: Setup) -> Iterator[Issue]:
    if "AWS_ROLE_SESSION_NAME" not in setup.env:
        return
    name = setup.selection.effective_name
    profile = setup.profile(name)
    if profile is None:
        return
    configured = _text(profile, "role_session_name")
    used = f"the profile's role_session_name ({configured})" if configured else "botocore-session-<Unix time>"
    if _is_role_with_source(profile):
        reason = (f"profile {name!r} assumes its role through "
                  f"{'source_profile' if profile.has('source_profile') else 'credential_source'}, and only web "
                  "identity reads AWS_ROLE_SESSION_NAME")
    elif setup.selection.explicit and profile.has("web_identity_token_file") and profile.has("role_arn"):
        reason = (f"--profile {name} makes botocore ignore the web-identity variables, AWS_ROLE_SESSION_NAME "
                  "included")
    else:
        return
    yield Issue(
        message=f"AWS_ROLE_SESSION_NAME is set but unused: {reason}; the session name is {used}",
        hint=(f"Unset AWS_ROLE_SESSION_NAME, or change role_session_name in profile {name!r}." if configured
              else f"Set role_session_name in profile {name!r} to choose the session name."),
        location=setup.variable_location("AWS_ROLE_SESSION_NAME"),
        related=(setup.profile_location(name),),
    )


# -- variable names --------------------------------------------------------

# The environment side of BOTOCORE_DEFAUT_SESSION_VARIABLES in botocore 1.43.11
# (botocore/configprovider.py), copied so that the check path never imports
# botocore. tests/rules/test_environment.py fails when botocore adds a name.
BOTOCORE_SESSION_VARIABLES = frozenset({
    "AWS_ACCOUNT_ID_ENDPOINT_MODE", "AWS_AUTH_SCHEME_PREFERENCE", "AWS_CA_BUNDLE", "AWS_CONFIG_FILE",
    "AWS_CSM_CLIENT_ID", "AWS_CSM_ENABLED", "AWS_CSM_HOST", "AWS_CSM_PORT", "AWS_DATA_PATH", "AWS_DEFAULTS_MODE",
    "AWS_DEFAULT_PROFILE", "AWS_DEFAULT_REGION", "AWS_DISABLE_HOST_PREFIX_INJECTION",
    "AWS_DISABLE_REQUEST_COMPRESSION", "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "AWS_EC2_METADATA_V1_DISABLED", "AWS_ENDPOINT_DISCOVERY_ENABLED", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_IMDS_USE_IPV6", "AWS_MAX_ATTEMPTS", "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "AWS_METADATA_SERVICE_TIMEOUT",
    "AWS_PROFILE", "AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
    "AWS_RESPONSE_CHECKSUM_VALIDATION", "AWS_RETRY_MODE", "AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", "AWS_SDK_UA_APP_ID",
    "AWS_SHARED_CREDENTIALS_FILE", "AWS_SIGV4A_SIGNING_REGION_SET", "AWS_STS_REGIONAL_ENDPOINTS",
    "AWS_USE_DUALSTACK_ENDPOINT", "AWS_USE_FIPS_ENDPOINT", "BOTOCORE_TCP_KEEPALIVE",
})

# Variables botocore reads outside the session-variable table: the credential
# providers (credentials.py), IMDS (utils.py), S3 and endpoint settings, and
# the ones the AWS CLI v1 and v2 add.
OTHER_KNOWN_VARIABLES = frozenset({
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION", "AWS_ACCOUNT_ID", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_EC2_METADATA_DISABLED",
    "AWS_CREDENTIAL_FILE", "AWS_LOGIN_CACHE_DIRECTORY", "AWS_REGION", "AWS_ENDPOINT_URL",
    "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "AWS_S3_USE_ARN_REGION", "AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS",
    "AWS_EXECUTION_ENV", "AWS_NEW_RETRIES_2026", "AWS_PARTITION",
    # AWS CLI
    "AWS_DEFAULT_OUTPUT", "AWS_PAGER",
    # Other AWS SDKs
    "AWS_SDK_LOAD_CONFIG", "AWS_ENABLE_ENDPOINT_DISCOVERY", "AWS_NODEJS_CONNECTION_REUSE_ENABLED",
    "AWS_CBOR_DISABLE", "AWS_ION_BINARY_DISABLE",
    # aws-vault
    "AWS_VAULT", "AWS_MFA_SERIAL", "AWS_ASSUME_ROLE_TTL", "AWS_CHAINED_SESSION_TOKEN_TTL",
    "AWS_FEDERATION_TOKEN_TTL", "AWS_MIN_TTL",
})

KNOWN_VARIABLES = BOTOCORE_SESSION_VARIABLES | OTHER_KNOWN_VARIABLES

# Families of names: per-service endpoints and bearer tokens (botocore), the AWS
# CLI v2 settings, other SDKs, and companion tools: aws-vault (AWS_VAULT_*,
# AWS_SESSION_TOKEN_TTL, AWS_SESSION_EXPIRATION), granted and saml2aws
# (AWS_SESSION_EXPIRATION), aws-sso-cli (AWS_SSO_*), AWS SAM (AWS_SAM_*), and
# the variables Lambda, X-Ray and Batch set in their runtimes.
KNOWN_PATTERN = re.compile(
    r"^AWS_(?:ENDPOINT_URL_|BEARER_TOKEN_|CLI_|SDK_|NODEJS_|JAVA_|VAULT_|SESSION_|SSO_|SAM_|LAMBDA_|XRAY_|BATCH_)"
    r"[A-Z0-9_]+$"
)

# Names a person plausibly wrote for a real variable but too far from it for the
# edit-distance match below.
COMMON_MISTAKES = {
    "AWS_SECRET_ACCESS_KEY_ID": SECRET_KEY,
    "AWS_SECRET_KEY_ID": SECRET_KEY,
    "AWS_ACCESS_KEY_SECRET": SECRET_KEY,
    "AWS_ACCESS_SECRET_KEY": SECRET_KEY,
    "AWS_PROFILE_NAME": "AWS_PROFILE",
    "AWS_SHARED_CONFIG_FILE": "AWS_CONFIG_FILE",
    "AWS_CREDENTIALS_FILE": "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG": "AWS_CONFIG_FILE",
    "AWS_OUTPUT": "AWS_DEFAULT_OUTPUT",
    "AWS_TOKEN": SESSION_TOKEN,
    "AWS_ACCESS_TOKEN": SESSION_TOKEN,
}

# Fallback names the Go SDK v2 reads after the standard ones (credAccessEnvKeys and
# credSecretEnvKeys in config/env_config.go); botocore and the JavaScript SDK do not.
GO_FALLBACK_VARIABLES = {"AWS_ACCESS_KEY": KEY_ID, "AWS_SECRET_KEY": SECRET_KEY}

MAX_EDIT_DISTANCE = 2


def _edit_distance(left: str, right: str) -> int:
    """Return the optimal string alignment distance (insertions, deletions, substitutions, swaps)."""
    previous_row: list[int] | None = None
    row = list(range(len(right) + 1))
    for i, left_char in enumerate(left, 1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(right)
        for j, right_char in enumerate(right, 1):
            cost = 0 if left_char == right_char else 1
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if (before is not None and i > 1 and j > 1 and left_char == right[j - 2]
                    and left[i - 2] == right_char):
                row[j] = min(row[j], before[j - 2] + 1)
    return row[-1]


def suggest_variable(name: str) -> str | None:
    """Return the real variable ``name`` was probably meant to be, or None when it is known or unrelated."""
    upper = name.upper()
    if not upper.startswith("AWS_") or name in KNOWN_VARIABLES or KNOWN_PATTERN.match(name):
        return None
    if name in GO_FALLBACK_VARIABLES:
        return None
    if upper != name and (upper in KNOWN_VARIABLES or KNOWN_PATTERN.match(upper)):
        return upper
    if upper in COMMON_MISTAKES:
        return COMMON_MISTAKES[upper]
    limit = 1 if len(upper) <= 10 else MAX_EDIT_DISTANCE
    best: tuple[int, str] | None = None
    for known in sorted(KNOWN_VARIABLES):
        distance = _edit_distance(upper, known)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, known)
    return None if best is None else best[1]


@rule(
    "AD619", "misspelled-variable", Severity.WARNING,
    summary="An AWS_* variable name that no AWS tool reads, close to one that they do.",
    why="""
botocore, the AWS CLI and the SDKs read fixed variable names, case-sensitive,
and say nothing about names they do not know: AWS_DEFAULT_REGIONS or
aws_profile is silently ignored, and the setting falls back to the profile or
the default. AWS_CREDENTIAL_FILE is a real but different variable: the legacy
EC2 API tools file with AWSAccessKeyId= lines, not the shared credentials file.
""",
    example="""
# export AWS_DEFAULT_REGIONS=eu-west-1
""",
    fix="""
Rename the variable to the name the tools read.
""",
    needs_environment=True,
)
def misspelled_variable(setup: Setup) -> Iterator[Issue]:
    for name in sorted(setup.env):
        if name == "AWS_CREDENTIAL_FILE" and "AWS_SHARED_CREDENTIALS_FILE" not in setup.env:
            yield Issue(
                message="AWS_CREDENTIAL_FILE names the legacy EC2 API tools credential file (AWSAccessKeyId= and "
                        "AWSSecretKey= lines), not the shared credentials file, so botocore reads no profiles "
                        "from it; did you mean AWS_SHARED_CREDENTIALS_FILE?",
                hint="Rename it: export AWS_SHARED_CREDENTIALS_FILE=\"$AWS_CREDENTIAL_FILE\"; unset "
                     "AWS_CREDENTIAL_FILE",
                location=setup.variable_location(name),
            )
            continue
        intended = suggest_variable(name)
        if intended is None:
            continue
        if intended == name.upper():
            reason = "variable names are case-sensitive, so no AWS tool reads it"
        else:
            reason = "no AWS tool reads it"
        also = f" ({intended} is set too)" if intended in setup.env else ""
        yield Issue(
            message=f"{name} is not an AWS variable and {reason}; did you mean {intended}?{also}",
            hint=f"Rename it: export {intended}=\"${name}\"; unset {name}",
            location=setup.variable_location(name),
        )


@rule(
    "AD620", "go-only-credential-variable", Severity.INFO,
    summary="AWS_ACCESS_KEY or AWS_SECRET_KEY is set; only the Go SDK v2 reads these fallback names.",
    why="""
The Go SDK v2 accepts AWS_ACCESS_KEY and AWS_SECRET_KEY when AWS_ACCESS_KEY_ID
and AWS_SECRET_ACCESS_KEY are not set. botocore's EnvProvider
(botocore/credentials.py), the AWS CLI and the JavaScript SDK read only the
standard names, so credentials exported under the fallback names work in Go
programs such as Terraform and nowhere else.
""",
    example="""
# export AWS_ACCESS_KEY=AKIA... AWS_SECRET_KEY=...
""",
    fix="""
Export the credentials as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
""",
    needs_environment=True,
)
def go_only_credential_variable(setup: Setup) -> Iterator[Issue]:
    for name, standard in GO_FALLBACK_VARIABLES.items():
        if not setup.env.get(name):
            continue
        message = (f"{name} is read only by the Go SDK v2, as a fallback for {standard}; botocore, boto3, the AWS "
                   "CLI and the JavaScript SDK ignore it")
        if _value(setup, standard):
            yield Issue(
                message=message + f", and use {standard}",
                hint=f"Unset {name} unless a Go program needs it.",
                location=setup.variable_location(name),
            )
        else:
            yield Issue(
                message=message + f", and {standard} is not set",
                hint=f"Export it under the standard name: export {standard}=\"${name}\"; unset {name}",
                location=setup.variable_location(name),
                severity=Severity.WARNING,
            )


@rule(
    "AD621", "selected-profile-not-found", Severity.ERROR,
    summary="The profile given with --profile exists in neither file.",
    why="""
The AWS CLI's --profile (and boto3's Session(profile_name=...)) makes botocore
look the name up in the merged config and credentials files;
Session.get_scoped_config raises ProfileNotFound ("The config profile (NAME)
could not be found") before any credential is read. Names are matched exactly
after botocore's header rules, so [Profile dev], [dev] in the config file and
[profile dev] in the credentials file do not define profile dev.
""",
    example="""
# aws s3 ls --profile prod
[profile production]
region = us-east-1
""",
    fix="""
Use the name of an existing profile (`aws configure list-profiles` lists
them), or add [profile NAME] to the config file or [NAME] to the credentials
file.
""",
    needs_environment=True,
)
def selected_profile_not_found(setup: Setup) -> Iterator[Issue]:
    selection = setup.selection
    if not selection.explicit or selection.name is None or setup.profile(selection.name) is not None:
        return
    name = selection.name
    names = [profile.name for profile in setup.profiles]
    lowered = name.lower()
    near = [other for other in names if other.lower().startswith(lowered) or lowered.startswith(other.lower())]
    near += [other for other in close_matches(name, names, n=3, cutoff=0.6) if other not in near]
    near = near[:3]
    suggestion = f" Existing profiles with a similar name: {', '.join(near)}." if near else ""
    same_letters = next((other for other in names if other.lower() == lowered), None)
    case_note = (f"; profile names are case-sensitive and the files define {same_letters!r}"
                 if same_letters is not None else "")
    yield Issue(
        message=f"--profile {name} names a profile that is not found in {_file_names(setup)}; botocore and the "
                f"AWS CLI stop with ProfileNotFound (The config profile ({name}) could not be found){case_note}",
        hint=f"Use an existing profile name, or add [profile {name}] to the config file or [{name}] to the "
             f"credentials file.{suggestion}",
        location=Location(kind="config", path=setup.config.display if setup.config else None, profile=name),
    )


@rule(
    "AD622", "no-credentials-found", Severity.INFO,
    summary="The profile in use gets no credentials from the environment, the files or a process.",
    why="""
When no provider of botocore's chain (create_credential_resolver) finds
credentials, the last one queries the EC2 instance metadata service. Outside
EC2, ECS or EKS every command then fails with NoCredentialsError ("Unable to
locate credentials"), and with AWS_EC2_METADATA_DISABLED=true it fails at
once (an error then; information otherwise, since an instance or task role
may be the intended source). A profile with only settings (region, output)
or a token-only SSO profile is the usual cause.
""",
    example="""
# no AWS_* keys exported
[default]
region = us-east-1
""",
    fix="""
Add credentials to the profile (aws configure, aws configure sso), pick
another profile with --profile or AWS_PROFILE, or run where an instance or
task role supplies them.
""",
    needs_environment=True,
)
def no_credentials_found(setup: Setup) -> Iterator[Issue]:
    from awsdoctor.resolver import resolve_selection

    selection = setup.selection
    if selection.name is not None and setup.profile(selection.name) is None:
        return  # AD609 and AD621 report the missing profile itself.
    if selection.source is None and setup.profile("default") is None and len(setup.profiles):
        return  # Only named profiles, each used with --profile or AWS_PROFILE: a common, valid layout.
    if all(source.document is None for source in setup.sources()):
        return  # Nothing to read: AD100 or the file rules report why.
    resolution = resolve_selection(setup, selection)
    if resolution.method is not None or resolution.error is not None:
        return
    if any(name in setup.env for name in CONTAINER_VARIABLES):
        return
    name = selection.effective_name
    imds_off = setup.env.get("AWS_EC2_METADATA_DISABLED", "").lower() == "true"
    if imds_off:
        outcome = ("AWS_EC2_METADATA_DISABLED=true also rules out the instance metadata service, so every "
                   "command fails with NoCredentialsError (Unable to locate credentials)")
    else:
        outcome = ("botocore falls back to the EC2 instance metadata service, so outside EC2, ECS or EKS every "
                   "command fails with NoCredentialsError (Unable to locate credentials)")
    chosen = f"profile {name!r}" if selection.source is not None else "the default profile"
    yield Issue(
        message=f"{chosen} supplies no credentials (no exported keys, no static keys, role, SSO, web identity "
                f"or credential_process): {outcome}",
        hint=f"Add credentials to profile {name!r} (`aws configure --profile {name}` or `aws configure sso`), "
             "or select a profile that has them.",
        location=setup.profile_location(name) if setup.profile(name) is not None
        else Location(kind="config", path=setup.config.display if setup.config else None, profile=name),
        severity=Severity.ERROR if imds_off else None,
    )


@rule(
    "AD623", "whitespace-in-credential-variable", Severity.ERROR,
    summary="An exported access key id, secret key or session token starts or ends with whitespace.",
    why="""
EnvProvider (botocore/credentials.py) takes the variables exactly as they
are; nothing strips them. A space or newline pasted with the value becomes
part of the key, so every request fails at AWS with InvalidClientTokenId or
SignatureDoesNotMatch, and the key looks right when printed.
""",
    example="""
# export AWS_ACCESS_KEY_ID=" AKIAIOSFODNN7EXAMPLE"
""",
    fix="""
Export the value again without the surrounding whitespace, e.g.
export AWS_ACCESS_KEY_ID="$(printf %s "$AWS_ACCESS_KEY_ID" | tr -d '[:space:]')".
""",
    needs_environment=True,
)
def whitespace_in_credential_variable(setup: Setup) -> Iterator[Issue]:
    for variable in (KEY_ID, SECRET_KEY, SESSION_TOKEN, SECURITY_TOKEN):
        value = setup.env.get(variable)
        if not value or not value.strip() or value == value.strip():
            continue
        where = " and ".join(part for part, present in (
            ("leading", value != value.lstrip()), ("trailing", value != value.rstrip())) if present)
        yield Issue(
            message=f"{variable} has {where} whitespace, which botocore sends as part of the credential, so "
                    "AWS rejects every request (InvalidClientTokenId or SignatureDoesNotMatch)",
            hint=f"Export {variable} again without the whitespace around the value.",
            location=setup.variable_location(variable),
        )
