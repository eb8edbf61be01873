"""AD72x: the AWS CLI's role-credential cache in ~/.aws/cli/cache."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from awsdoctor.caches import EXPIRY_WINDOW_SECONDS, CacheEntry, CacheStatus, assume_role_cache_key
from awsdoctor.findings import Location, Severity
from awsdoctor.rule import Issue, rule
from awsdoctor.setup import Setup

Parameters = tuple[str, "str | None", "str | None", "str | None", "int | None"]


class RoleCacheUser(NamedTuple):
    """A role profile and the AssumeRole parameters its cache key is made of."""

    profile: str
    parameters: Parameters
    source: str | None


def role_cache_users(setup: Setup) -> list[RoleCacheUser]:
    """Return every profile that assumes a role with source_profile or credential_source, built once per Setup."""
    return setup.derived("caches.users", _collect_users)


def _collect_users(setup: Setup) -> list[RoleCacheUser]:
    users = []
    for profile in setup.profiles.having("role_arn"):
        text = profile.text
        role_arn = text("role_arn")
        if role_arn is None or profile.has("web_identity_token_file"):
            continue
        duration: int | None = None
        raw_duration = text("duration_seconds")
        if raw_duration is not None:
            try:
                duration = int(raw_duration)
            except ValueError:
                duration = None
        parameters = (role_arn, text("role_session_name"), text("external_id"), text("mfa_serial"), duration)
        users.append(RoleCacheUser(profile.name, parameters, text("source_profile") or text("credential_source")))
    return users


def users_by_cache_key(setup: Setup) -> dict[str, list[RoleCacheUser]]:
    """Return the role profiles by CLI cache file key, hashing only when the cache has files to match."""
    return setup.derived("caches.by_key", _hash_users)


def _hash_users(setup: Setup) -> dict[str, list[RoleCacheUser]]:
    by_key: dict[str, list[RoleCacheUser]] = {}
    for user in role_cache_users(setup):
        by_key.setdefault(assume_role_cache_key(*user.parameters), []).append(user)
    return by_key


def _cache_location(entry: CacheEntry) -> Location:
    return Location(kind="cache", path=entry.display)


def _users_of(entry: CacheEntry, setup: Setup) -> list[RoleCacheUser]:
    return users_by_cache_key(setup).get(entry.key, [])


@rule(
    "AD720", "broken-cli-cache-entry", Severity.ERROR,
    summary="A file in ~/.aws/cli/cache is empty or not valid JSON.",
    why="""
The CLI keeps one JSON file per role configuration in ~/.aws/cli/cache.
botocore's JSONFileCache reports a key as present when the file exists, but
turns a failed read into a KeyError whose text is only the cache key, so every
command that uses that role fails with a message that is just a long hex
string. A disk-full event or an interrupted write leaves exactly such a file.
""",
    example="""
$ ls -l ~/.aws/cli/cache
-rw-------  1 alice  staff  0  7c9a1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b.json
""",
    fix="""
Delete the file; the CLI calls AssumeRole again and writes a new one.
Deleting the whole ~/.aws/cli/cache directory is also safe.
""",
    needs_environment=True,
)
def broken_cli_cache_entry(setup: Setup) -> Iterator[Issue]:
    for entry in setup.cli_cache:
        if entry.status is CacheStatus.OK:
            continue
        if entry.status is CacheStatus.EMPTY:
            problem = "is empty (a truncated write)"
        elif entry.status is CacheStatus.CORRUPT:
            problem = f"is not a valid JSON cache entry ({entry.detail})"
        elif entry.status is CacheStatus.UNREADABLE:
            problem = f"cannot be read ({entry.detail})"
        elif entry.status is CacheStatus.TOO_LARGE:
            problem = "is too large to be a cached AssumeRole response"
        else:
            problem = "is not a regular file"
        users = _users_of(entry, setup)
        if users:
            names = ", ".join(repr(user.profile) for user in users)
            effect = f"commands with profile {names} fail with KeyError: '{entry.key}'"
        else:
            effect = f"any command whose role maps to this entry fails with KeyError: '{entry.key}'"
        yield Issue(
            message=f"CLI credential cache file {entry.display} {problem}; {effect}",
            hint=f"Delete {entry.display}; the CLI calls AssumeRole again and writes a fresh entry.",
            location=_cache_location(entry),
        )


@rule(
    "AD721", "expired-cli-cache-entry", Severity.INFO,
    summary="A cached role session in ~/.aws/cli/cache has expired (or expires within 15 minutes).",
    why="""
botocore reuses a cached AssumeRole response only while more than 15 minutes
remain (CachedCredentialFetcher, DEFAULT_EXPIRY_WINDOW_SECONDS). An expired
entry is harmless: the next command assumes the role again, and prompts for an
MFA code when the profile has mfa_serial. It is reported so that a surprise
MFA prompt or a new session name in CloudTrail has an explanation.
""",
    example="""
~/.aws/cli/cache/4c827687aaf7050e8dc5a54a55f2b9aa7bb420f4.json
  "Expiration": "2024-01-01T12:00:00UTC"
""",
    fix="""
Nothing is required. Delete expired files to tidy up.
""",
    needs_environment=True,
)
def expired_cli_cache_entry(setup: Setup) -> Iterator[Issue]:
    for entry in setup.cli_cache:
        if entry.status is not CacheStatus.OK or entry.expiration is None:
            continue
        remaining = entry.expiration - setup.now
        if remaining > EXPIRY_WINDOW_SECONDS:
            continue
        users = _users_of(entry, setup)
        for_whom = f" (profile {', '.join(repr(user.profile) for user in users)})" if users else ""
        state = "expired" if remaining <= 0 else f"expires in {int(remaining // 60)} minutes"
        yield Issue(
            message=f"cached role credentials {entry.display}{for_whom} {state}; "
                    "the next command assumes the role again",
            hint="Nothing to do; delete the file to tidy up.",
            location=_cache_location(entry),
        )


@rule(
    "AD722", "stale-cli-cache-entry", Severity.WARNING,
    summary="Cached role credentials outlive a change of source_profile, because the cache key ignores the source.",
    why="""
The CLI's cache key is a SHA-1 of the AssumeRole parameters only (role_arn,
role_session_name when set, external_id, mfa_serial, duration_seconds);
botocore's _create_cache_key never includes the source profile or its
credentials. After you edit source_profile, or change the keys it holds, the
CLI keeps serving the old session until it expires, and two profiles that
assume the same role with different sources share one entry.
""",
    example="""
[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = new-user     # edited from old-user an hour ago

[profile deploy-legacy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = old-user
""",
    fix="""
Delete the cache file named in the finding (or all of ~/.aws/cli/cache) after
changing how a role is sourced. Give profiles that must stay apart different
role_session_name values, so that their cache keys differ.
""",
    needs_environment=True,
)
def stale_cli_cache_entry(setup: Setup) -> Iterator[Issue]:
    # Equal parameters give equal cache keys, so profiles share an entry
    # exactly when their parameters match. No hashing is needed for that.
    sharing_groups: dict[Parameters, list[RoleCacheUser]] = {}
    for user in role_cache_users(setup):
        sharing_groups.setdefault(user.parameters, []).append(user)

    for sharing in sharing_groups.values():
        sources = {user.source for user in sharing}
        if len(sharing) > 1 and len(sources) > 1:
            names = " and ".join(repr(user.profile) for user in sharing)
            yield Issue(
                message=f"profiles {names} assume the same role with the same parameters but different sources, "
                        "so the CLI's credential cache serves both from one entry and ignores which source was used",
                hint="Set a different role_session_name in each profile so that their cache keys differ.",
                location=setup.key_location(sharing[1].profile, "role_arn"),
                related=(setup.key_location(sharing[0].profile, "role_arn"),),
            )

    config = setup.config
    entries = {entry.key: entry for entry in setup.cli_cache if entry.status is CacheStatus.OK}
    if config is None or config.mtime is None or not entries:
        return
    for key, users in users_by_cache_key(setup).items():
        entry = entries.get(key)
        if entry is None or entry.mtime is None or entry.expiration is None:
            continue
        if entry.expiration - setup.now <= EXPIRY_WINDOW_SECONDS or entry.mtime >= config.mtime:
            continue
        minutes = int((entry.expiration - setup.now) // 60)
        for user in users:
            yield Issue(
                message=f"profile {user.profile!r}: the CLI's cached session {entry.display} was written before "
                        f"{config.display} last changed and stays in use for {minutes} more minutes, "
                        "whatever source_profile now says",
                hint=f"If you changed how profile {user.profile!r} gets its credentials, delete {entry.display}.",
                location=setup.key_location(user.profile, "role_arn"),
                related=(_cache_location(entry),),
                severity=Severity.INFO,
            )
