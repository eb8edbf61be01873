"""AD300-AD319: the shape of static credentials in the two files.

botocore reads static keys per file, never from the merged view: the
credentials file through ``SharedCredentialProvider`` and the config file
through ``ConfigProvider`` (botocore/credentials.py). Each provider triggers on
``aws_access_key_id`` in its own file, takes ``aws_secret_access_key`` from the
same section (or raises ``PartialCredentialsError``), and takes the token from
``aws_security_token`` first, then ``aws_session_token``, again from the same
section. So for

    # ~/.aws/credentials          # ~/.aws/config
    [dev]                         [profile dev]
    aws_access_key_id = AKIA...   aws_secret_access_key = ...

the credentials-file provider raises, although the merged profile contains
both keys. Key ids in messages are masked with :func:`awsdoctor.secrets.mask_key_id`;
secrets and tokens are never shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from awsdoctor.findings import Location, Severity
from awsdoctor.ini import DEFAULT_SECTION
from awsdoctor.profiles import CONFIG, CREDENTIALS, Definition, Profile
from awsdoctor.rule import Issue, rule
from awsdoctor.secrets import mask_key_id
from awsdoctor.setup import Setup

KEY_ID = "aws_access_key_id"
SECRET = "aws_secret_access_key"
# The order SharedCredentialProvider.TOKENS and ConfigProvider.TOKENS read them in.
TOKEN_KEYS = ("aws_security_token", "aws_session_token")

FILE_NAMES = {CREDENTIALS: "the credentials file", CONFIG: "the config file"}
PROVIDER_METHODS = {CREDENTIALS: "shared-credentials-file", CONFIG: "config-file"}

# Prefixes of IAM access key ids: AKIA is a long-term IAM user key, ASIA a
# temporary key from STS that is valid only with its session token.
LONG_TERM_PREFIX = "AKIA"
TEMPORARY_PREFIX = "ASIA"


class FileKeys(NamedTuple):
    """The static-key entries one file gives a profile, as that file's provider reads them.

    ``key_id`` and ``secret`` are the values, None when missing or a nested
    block. ``token_key`` is the token key the provider reads
    (aws_security_token first), and ``token`` its value. The rules read these
    for thousands of profiles, so :func:`file_keys` works them out once.
    """

    file: str
    definition: Definition
    has_key_id: bool
    has_secret: bool
    key_id: str | None
    secret: str | None
    token_key: str | None
    token: str | None

    def has(self, key: str) -> bool:
        return key in self.definition.entries

    def text(self, key: str) -> str | None:
        return _text(self.definition, key)


def _text(definition: Definition, key: str) -> str | None:
    entry = definition.entries.get(key)
    if entry is None or entry.value.startswith("\n"):
        return None
    return entry.value


def _file_keys(file: str, definition: Definition) -> FileKeys:
    entries = definition.entries
    token_key = next((key for key in TOKEN_KEYS if key in entries), None)
    return FileKeys(
        file, definition, KEY_ID in entries, SECRET in entries, _text(definition, KEY_ID), _text(definition, SECRET),
        token_key, None if token_key is None else _text(definition, token_key),
    )


def key_profiles(setup: Setup) -> list[tuple[Profile, list[FileKeys]]]:
    """Return the profiles with a static key or token in either file, the only ones these rules judge.

    Each comes with its :func:`file_keys`, and the list is built once per Setup.
    """
    return setup.derived("keys.profiles", _collect_key_profiles)


def _collect_key_profiles(setup: Setup) -> list[tuple[Profile, list[FileKeys]]]:
    return [(profile, file_keys(profile)) for profile in setup.profiles.having(KEY_ID, SECRET, *TOKEN_KEYS)]


def file_keys(profile: Profile) -> list[FileKeys]:
    """Return the profile's definitions in provider order: credentials file first, then config file."""
    found = []
    if profile.credentials is not None:
        found.append(_file_keys(CREDENTIALS, profile.credentials))
    if profile.config is not None:
        found.append(_file_keys(CONFIG, profile.config))
    return found


def other_file(keys: list[FileKeys], current: FileKeys) -> FileKeys | None:
    for item in keys:
        if item.file != current.file:
            return item
    return None


def earlier_provider(profile: Profile, file: str) -> str | None:
    """Name what botocore takes this profile's credentials from before reaching the static keys of ``file``.

    The order is that of create_credential_resolver and
    ProfileProviderBuilder: assume-role, web identity, SSO, the credentials
    file, login, credential_process, the config file. The environment provider
    is left out because it depends on the shell, not on the profile.
    """
    if profile.has("web_identity_token_file"):
        return "web_identity_token_file"
    if profile.has("role_arn"):
        return "role_arn"
    if profile.has("sso_role_name") or profile.has("sso_account_id"):
        return "its SSO settings"
    if file == CONFIG:
        if profile.credentials is not None and KEY_ID in profile.credentials.entries:
            return "the keys in the credentials file"
        if profile.has("login_session"):
            return "login_session"
        if profile.has("credential_process"):
            return "credential_process"
    return None


def reach(profile: Profile, file: str, severity: Severity) -> tuple[Severity, str]:
    """Return the severity and a closing clause: a warning when botocore never reaches these keys today."""
    winner = earlier_provider(profile, file)
    if winner is None:
        return severity, ""
    return Severity.WARNING, f" (not reached today, because botocore takes this profile's credentials from {winner})"


def location(setup: Setup, profile: str, keys: FileKeys, key: str) -> Location:
    return setup.file_key_location(profile, keys.file, key)


# -- AD300-AD302: a key id and its secret -----------------------------------


@rule(
    "AD300", "access-key-without-secret", Severity.ERROR,
    summary="aws_access_key_id is set without aws_secret_access_key in either file.",
    why="""
SharedCredentialProvider and ConfigProvider use a profile as soon as its
section in their file has aws_access_key_id, and then require
aws_secret_access_key in the same section. Without it botocore raises
PartialCredentialsError ('Partial credentials found in
shared-credentials-file, missing: aws_secret_access_key', or config-file for
the config file) and stops the credential chain, so no other provider is tried.
""",
    example="""
# ~/.aws/credentials
[dev]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
""",
    fix="""
Add aws_secret_access_key next to the key id, or delete the key id.
""",
)
def access_key_without_secret(setup: Setup) -> Iterator[Issue]:
    for profile, keys in key_profiles(setup):
        for current in keys:
            other = other_file(keys, current)
            if not current.has_key_id or current.has_secret or (other is not None and other.has_secret):
                continue
            severity, clause = reach(profile, current.file, Severity.ERROR)
            where = FILE_NAMES[current.file]
            yield Issue(
                message=f"profile '{profile.name}': aws_access_key_id is set in {where} without "
                        f"aws_secret_access_key, so botocore raises PartialCredentialsError (\"Partial credentials "
                        f"found in {PROVIDER_METHODS[current.file]}, missing: aws_secret_access_key\") when the "
                        f"profile is used{clause}",
                hint=f"Add aws_secret_access_key to [{current.definition.section}] in {where}, "
                     f"or delete aws_access_key_id.",
                location=location(setup, profile.name, current, KEY_ID),
                severity=severity,
            )


@rule(
    "AD301", "secret-without-access-key", Severity.WARNING,
    summary="aws_secret_access_key is set without aws_access_key_id in either file, so botocore ignores it.",
    why="""
The static-key providers trigger on aws_access_key_id only. A section with just
the secret is skipped without a message and the chain moves on, usually to
NoCredentialsError ('Unable to locate credentials') or, on EC2, to the instance
role. Used as a source_profile, such a profile makes the AssumeRoleProvider
raise InvalidConfigError ('The source profile "dev" must have credentials.'),
which AD404 reports at the role profile.
""",
    example="""
[profile dev]
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
""",
    fix="""
Add the matching aws_access_key_id next to the secret, or delete the secret.
""",
)
def secret_without_access_key(setup: Setup) -> Iterator[Issue]:
    for profile, keys in key_profiles(setup):
        if any(item.has_key_id for item in keys):
            continue
        for current in keys:
            if not current.has_secret:
                continue
            where = FILE_NAMES[current.file]
            yield Issue(
                message=f"profile '{profile.name}': aws_secret_access_key is set in {where} without "
                        f"aws_access_key_id, so botocore ignores the secret and looks for credentials elsewhere",
                hint=f"Add the matching aws_access_key_id to [{current.definition.section}] in {where}, "
                     f"or delete the secret.",
                location=location(setup, profile.name, current, SECRET),
            )


@rule(
    "AD302", "keys-split-across-files", Severity.ERROR,
    summary="A profile's key id is in one file and its secret in the other; botocore does not combine them.",
    why="""
Each static-key provider reads one file. With the key id in the credentials
file and the secret in the config file, SharedCredentialProvider raises
PartialCredentialsError ('Partial credentials found in
shared-credentials-file, missing: aws_secret_access_key'). The other way round,
the credentials-file provider skips the profile and ConfigProvider raises the
same error for config-file. Other settings are merged across the files
(Session.full_config); static keys are not.
""",
    example="""
# ~/.aws/credentials
[dev]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE

# ~/.aws/config
[profile dev]
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
""",
    fix="""
Put both keys (and any session token) in the same section of the credentials
file, and delete them from the config file.
""",
)
def keys_split_across_files(setup: Setup) -> Iterator[Issue]:
    for profile, keys in key_profiles(setup):
        for current in keys:
            other = other_file(keys, current)
            if other is None or not current.has_key_id or current.has_secret or not other.has_secret:
                continue
            severity, clause = reach(profile, current.file, Severity.ERROR)
            where, elsewhere = FILE_NAMES[current.file], FILE_NAMES[other.file]
            yield Issue(
                message=f"profile '{profile.name}': aws_access_key_id is in {where} but aws_secret_access_key is "
                        f"in {elsewhere}; botocore reads both keys from one file, so it raises "
                        f"PartialCredentialsError (\"Partial credentials found in {PROVIDER_METHODS[current.file]}, "
                        f"missing: aws_secret_access_key\") when the profile is used{clause}",
                hint=f"Put aws_access_key_id and aws_secret_access_key together in [{profile.name}] in the "
                     f"credentials file and delete them from the config file.",
                location=location(setup, profile.name, current, KEY_ID),
                related=(location(setup, profile.name, other, SECRET),),
                severity=severity,
            )


# -- AD303-AD304: session tokens --------------------------------------------


def key_file(keys: list[FileKeys]) -> FileKeys | None:
    """Return the file whose keys botocore uses: the first, in provider order, with aws_access_key_id."""
    return next((item for item in keys if item.has_key_id), None)


@rule(
    "AD303", "session-token-in-other-file", Severity.WARNING,
    summary="The session token is in the other file than the keys, so botocore never sends it.",
    why="""
SharedCredentialProvider and ConfigProvider take the token
(aws_security_token, then aws_session_token) from the same section as the keys.
A token in the other file is silently ignored, so temporary (ASIA) keys are
sent without their token and every request fails with InvalidClientTokenId.
The rule is an error for ASIA keys and a warning otherwise.
""",
    example="""
# ~/.aws/credentials
[dev]
aws_access_key_id = ASIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

# ~/.aws/config
[profile dev]
aws_session_token = IQoJb3JpZ2luX2VjEXAMPLE
""",
    fix="""
Move the token next to the keys, in the same section of the same file.
""",
)
def session_token_in_other_file(setup: Setup) -> Iterator[Issue]:
    for profile, keys in key_profiles(setup):
        used = key_file(keys)
        if used is None or not used.has_secret or used.token_key is not None:
            continue
        other = other_file(keys, used)
        if other is None or other.token_key is None:
            continue
        key_id = used.key_id or ""
        base = Severity.ERROR if key_id.startswith(TEMPORARY_PREFIX) else Severity.WARNING
        severity, clause = reach(profile, used.file, base)
        token_key = other.token_key
        where, elsewhere = FILE_NAMES[used.file], FILE_NAMES[other.file]
        yield Issue(
            message=f"profile '{profile.name}': {token_key} is in {elsewhere} but the keys "
                    f"({mask_key_id(key_id)}) are in {where}; botocore reads the token only from the file that "
                    f"supplies the keys, so it signs requests without a session token{clause}",
            hint=f"Move {token_key} to [{used.definition.section}] in {where}, next to the keys.",
            location=location(setup, profile.name, other, token_key),
            related=(location(setup, profile.name, used, KEY_ID),),
            severity=severity,
        )


@rule(
    "AD304", "session-token-names-differ", Severity.ERROR,
    summary="aws_security_token and aws_session_token are both set with different values; the legacy one wins.",
    why="""
botocore checks aws_security_token (the legacy boto2 name) before
aws_session_token (SharedCredentialProvider.TOKENS and ConfigProvider.TOKENS),
so when both are present the legacy value is sent. A refreshed token written
only to aws_session_token is then never used, and requests fail with the old,
expired one.
""",
    example="""
[dev]
aws_access_key_id = ASIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
aws_session_token = IQoJb3JpZ2luX2VjNEW
aws_security_token = IQoJb3JpZ2luX2VjOLD
""",
    fix="""
Delete aws_security_token and keep the current token in aws_session_token.
""",
)
def session_token_names_differ(setup: Setup) -> Iterator[Issue]:
    for profile, keys in key_profiles(setup):
        for current in keys:
            legacy, current_token = (current.text(key) for key in TOKEN_KEYS)
            if legacy is None or current_token is None or legacy == current_token:
                continue
            where = FILE_NAMES[current.file]
            yield Issue(
                message=f"profile '{profile.name}': aws_security_token and aws_session_token in {where} differ; "
                        f"botocore sends aws_security_token (the legacy name, read first) and ignores "
                        f"aws_session_token",
                hint=f"Delete aws_security_token from [{current.definition.section}] in {where} and keep the "
                     f"current token in aws_session_token.",
                location=location(setup, profile.name, current, "aws_security_token"),
                related=(location(setup, profile.name, current, "aws_session_token"),),
            )


# -- AD305: empty keys -------------------------------------------------------


@rule(
    "AD305", "empty-static-key", Severity.ERROR,
    summary="aws_access_key_id or aws_secret_access_key is present but empty; botocore accepts it anyway.",
    why="""
The static-key providers test whether the key is present, not whether it has a
value. `aws_access_key_id =` with a secret beside it therefore yields
credentials with an empty key id: botocore does not fall back to another
provider, signs requests with it, and every request is rejected by the
service. An empty secret behaves the same way.
""",
    example="""
[dev]
aws_access_key_id =
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
""",
    fix="""
Fill in the value, or delete both keys so that botocore looks for credentials
elsewhere.
""",
)
def empty_static_key(setup: Setup) -> Iterator[Issue]:
    for profile, keys in key_profiles(setup):
        for current in keys:
            if not (current.has_key_id and current.has_secret):
                continue
            severity, clause = reach(profile, current.file, Severity.ERROR)
            where = FILE_NAMES[current.file]
            for key in (KEY_ID, SECRET):
                if current.text(key) != "":
                    continue
                yield Issue(
                    message=f"profile '{profile.name}': {key} in {where} is empty; botocore still uses these keys "
                            f"instead of looking elsewhere, and every request is rejected{clause}",
                    hint=f"Set {key} in [{current.definition.section}] in {where}, or delete both keys.",
                    location=location(setup, profile.name, current, key),
                    severity=severity,
                )


# -- AD306-AD307: key id prefix and session token ---------------------------


@rule(
    "AD306", "temporary-key-without-token-in-file", Severity.ERROR,
    summary="An ASIA (temporary) access key id has no session token beside it.",
    why="""
Key ids starting with ASIA come from STS (AssumeRole, GetSessionToken, SSO)
and are valid only together with their session token. botocore does not check
this: it builds credentials with no token, sends requests without
X-Amz-Security-Token, and the service rejects them (InvalidClientTokenId,
'The security token included in the request is invalid'; InvalidAccessKeyId
for S3).
""",
    example="""
[default]
aws_access_key_id = ASIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
""",
    fix="""
Add the aws_session_token that came with the keys (it expires with them), or
configure a role or SSO profile that fetches fresh temporary credentials.
""",
)
def temporary_key_without_session_token(setup: Setup) -> Iterator[Issue]:
    for profile, keys in key_profiles(setup):
        for current in keys:
            key_id = current.key_id
            if key_id is None or not key_id.startswith(TEMPORARY_PREFIX) or not current.has_secret:
                continue
            other = other_file(keys, current)
            if current.token_key is None and other is not None and other.token_key is not None:
                continue  # AD303 reports the token that sits in the other file.
            if current.token:
                continue
            where = FILE_NAMES[current.file]
            state = "is empty" if current.token_key is not None else "is not set"
            severity, clause = reach(profile, current.file, Severity.ERROR)
            yield Issue(
                message=f"profile '{profile.name}': aws_access_key_id {mask_key_id(key_id)} in {where} starts "
                        f"with ASIA (temporary STS credentials) but aws_session_token {state}, so every request "
                        f"signed with it is rejected{clause}",
                hint=f"Add the aws_session_token issued with these keys to [{current.definition.section}] in "
                     f"{where}, or use a role or SSO profile that fetches fresh session credentials.",
                location=location(setup, profile.name, current, KEY_ID),
                severity=severity,
            )


@rule(
    "AD307", "long-term-key-with-token-in-file", Severity.WARNING,
    summary="An AKIA (long-term) access key id has a session token beside it.",
    why="""
Long-term IAM user keys (AKIA) take no session token. botocore sends whatever
token sits in the same section (aws_security_token, then aws_session_token)
with the key, and the service rejects the request ('The security token
included in the request is invalid'). The token is usually left over from
temporary keys that were replaced.
""",
    example="""
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
aws_session_token = IQoJb3JpZ2luX2VjEXAMPLE
""",
    fix="""
Delete the session token from the section.
""",
)
def long_term_key_with_session_token(setup: Setup) -> Iterator[Issue]:
    for profile, keys in key_profiles(setup):
        for current in keys:
            key_id = current.key_id
            token_key = current.token_key
            if key_id is None or not key_id.startswith(LONG_TERM_PREFIX) or token_key is None or not current.token:
                continue
            where = FILE_NAMES[current.file]
            severity, clause = reach(profile, current.file, Severity.WARNING)
            yield Issue(
                message=f"profile '{profile.name}': aws_access_key_id {mask_key_id(key_id)} in {where} is a "
                        f"long-term (AKIA) key but {token_key} is also set; botocore sends the token with the key "
                        f"and the service rejects the request{clause}",
                hint=f"Delete {token_key} from [{current.definition.section}] in {where}.",
                location=location(setup, profile.name, current, token_key),
                related=(location(setup, profile.name, current, KEY_ID),),
                severity=severity,
            )


# An access key id is 16 to 128 upper-case letters and digits that start with a
# four-letter prefix. A secret access key is 40 characters of base64.
_KEY_ID_SHAPE = re.compile(r"^A[A-Z0-9]{3}[A-Z0-9]{12,124}$")
_SECRET_SHAPE = re.compile(r"^[A-Za-z0-9/+=]{40}$")


@rule(
    "AD309", "key-id-and-secret-swapped", Severity.ERROR,
    summary="aws_access_key_id holds something shaped like a secret key and aws_secret_access_key a key id.",
    why="""
botocore sends aws_access_key_id as the credential's name and signs with
aws_secret_access_key; it checks neither. With the two values swapped, AWS
answers every request with InvalidClientTokenId ("The security token included
in the request is invalid"), which does not hint at the mix-up.
""",
    example="""
[default]
aws_access_key_id = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
aws_secret_access_key = AKIAIOSFODNN7EXAMPLE
""",
    fix="Swap the two values.",
)
def key_id_and_secret_swapped(setup: Setup) -> Iterator[Issue]:
    for profile, all_keys in key_profiles(setup):
        for keys in all_keys:
            key_id, secret = keys.key_id, keys.secret
            if key_id is None or secret is None:
                continue
            key_id, secret = key_id.strip(), secret.strip()
            if not (_KEY_ID_SHAPE.match(secret) and _SECRET_SHAPE.match(key_id)):
                continue
            yield Issue(
                message=f"profile {profile.name!r}: aws_access_key_id holds a 40-character secret and "
                        f"aws_secret_access_key holds the key id {mask_key_id(secret)}; the two values are swapped, "
                        "so AWS answers InvalidClientTokenId",
                hint="Swap the values of aws_access_key_id and aws_secret_access_key.",
                location=location(setup, profile.name, keys, KEY_ID),
                related=(location(setup, profile.name, keys, SECRET),),
            )


# -- AD308: keys in the config file -------------------------------------------


@rule(
    "AD308", "static-keys-in-config-file", Severity.INFO,
    summary="Static access keys are stored in the config file instead of the credentials file.",
    why="""
botocore reads keys from both files (ConfigProvider for the config file,
after SharedCredentialProvider for the credentials file), so this works, but
the config file is the one people share, copy into dotfiles repositories and
print; keys there leak more easily, and keys split across the two files are
not merged.
""",
    example="""
[default]
region = us-west-2
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
""",
    fix="Move aws_access_key_id, aws_secret_access_key and aws_session_token to ~/.aws/credentials, under [NAME].",
)
def static_keys_in_config_file(setup: Setup) -> Iterator[Issue]:
    if setup.config is None or setup.config.document is None:
        return
    defaults = setup.config.document.defaults()
    if any(key in defaults for key in (KEY_ID, SECRET)):
        key = "aws_access_key_id" if "aws_access_key_id" in defaults else "aws_secret_access_key"
        entry = defaults[key]
        yield Issue(
            message="the [DEFAULT] section of the config file stores static keys, which every profile of the "
                    "file inherits; keys belong in the credentials file",
            hint="Move the keys to a profile section in the credentials file (~/.aws/credentials).",
            location=setup.file_location(CONFIG, entry.line, entry.column, DEFAULT_SECTION, None, key),
        )
    for profile in setup.profiles.having(KEY_ID, SECRET):
        definition = profile.config
        if definition is None:
            continue
        own = [key for key in (KEY_ID, SECRET)
               if key in definition.entries and definition.entries[key] is not defaults.get(key)]
        if not own:
            continue
        target = f"[{profile.name}]"
        yield Issue(
            message=f"profile {profile.name!r} stores static keys in the config file; "
                    "keys belong in the credentials file",
            hint=f"Move {' and '.join(own)} (and any aws_session_token) to {target} in the credentials file "
                 "(~/.aws/credentials), which is kept out of shared dotfiles.",
            location=setup.file_key_location(profile.name, CONFIG, own[0]),
        )


# -- AD310: one setting, two files ------------------------------------------------


@rule(
    "AD310", "setting-overridden-by-credentials-file", Severity.WARNING,
    summary="A profile sets the same setting in both files with different values; the credentials file wins.",
    why="""
Session.full_config folds every credentials-file section into the profile of
the same name key by key, so for any setting other than the static keys (which
each file's provider reads on its own) the credentials file's value wins:
region = ap-south-1 there beats region = us-west-2 in the config file. The CLI
documentation says the credentials file holds only keys, and
`aws configure list` even labels such a region as coming from the config file.
""",
    example="""
# ~/.aws/config
[default]
region = us-west-2

# ~/.aws/credentials
[default]
region = ap-south-1
""",
    fix="Keep each setting in one file, normally the config file, and delete the other copy.",
)
def setting_overridden_by_credentials_file(setup: Setup) -> Iterator[Issue]:
    for profile in setup.profiles:
        if profile.config is None or profile.credentials is None:
            continue
        for key, entry in profile.credentials.entries.items():
            if key in (KEY_ID, SECRET, *TOKEN_KEYS):
                continue
            other = profile.config.entries.get(key)
            if other is None or other.value == entry.value:
                continue
            shown = "" if "secret" in key or "token" in key else f" ({entry.value!r} over {other.value!r})"
            yield Issue(
                message=f"profile {profile.name!r}: {key} is set in both files with different values{shown}; "
                        "botocore uses the credentials file's value",
                hint=f"Delete {key} from one of the files, normally from the credentials file.",
                location=setup.file_key_location(profile.name, CREDENTIALS, key, at_value=True),
                related=(setup.file_key_location(profile.name, CONFIG, key, at_value=True),),
            )
