"""Read-only snapshots of the files a profile points at: token files, CA bundles, executables, SSO tokens.

Rules may not touch the disk, so :func:`collect_probes` looks once, at Setup
load time, at every path the configuration names and records what is there.
Nothing here opens a socket, runs a process or writes a file, and no token
value is kept: an SSO cache entry records only which fields exist and when
they expire.
"""

from __future__ import annotations

import json
import os
import stat
from typing import TYPE_CHECKING

from awsdoctor.shell import split_command
from awsdoctor.sources import expand_user

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from awsdoctor.profiles import ProfileMap

# An SSO token file is a few hundred bytes, so anything larger is not one.
MAX_TOKEN_FILE_BYTES = 1024 * 1024

SSO_CACHE_DIRECTORY = "~/.aws/sso/cache"


class PathProbe:
    """The result of ``os.stat`` at one path (symlinks followed) and this user's access to it.

    ``kind`` is ``file``, ``directory``, ``other``, ``missing`` or ``error``.
    """

    __slots__ = ("detail", "executable", "kind", "path", "readable", "size")

    def __init__(self, path: str, kind: str, readable: bool = False, executable: bool = False,
                 size: int | None = None, detail: str | None = None) -> None:
        self.path = path
        self.kind = kind
        self.readable = readable
        self.executable = executable
        self.size = size
        self.detail = detail


class SsoToken:
    """One ``~/.aws/sso/cache/<sha1>.json`` entry, without the token itself.

    ``status`` is ``ok``, ``missing``, ``unreadable`` or ``invalid`` (not a
    JSON object, or ``accessToken`` / ``expiresAt`` absent or unparsable).
    Times are seconds since the epoch. ``path`` is computed on use, because
    the file name is a SHA-1 and hashlib is slow to import.
    """

    __slots__ = ("cache_key", "can_refresh", "directory", "expires_at", "registration_expires_at", "status")

    def __init__(self, cache_key: str, directory: str, status: str, expires_at: float | None = None,
                 can_refresh: bool = False, registration_expires_at: float | None = None) -> None:
        self.cache_key = cache_key
        self.directory = directory
        self.status = status
        self.expires_at = expires_at
        self.can_refresh = can_refresh
        self.registration_expires_at = registration_expires_at

    @property
    def path(self) -> str:
        return sso_token_path(self.cache_key, self.directory)


class Probes:
    """Everything looked up on disk for one Setup; empty when files are linted without an environment."""

    __slots__ = ("commands", "paths", "sso_tokens")

    def __init__(self, paths: Mapping[str, PathProbe] | None = None,
                 commands: Mapping[str, str | None] | None = None,
                 sso_tokens: Mapping[str, SsoToken] | None = None) -> None:
        self.paths: Mapping[str, PathProbe] = {} if paths is None else paths
        self.commands: Mapping[str, str | None] = {} if commands is None else commands
        self.sso_tokens: Mapping[str, SsoToken] = {} if sso_tokens is None else sso_tokens

    def path(self, raw: str, cwd: str) -> PathProbe | None:
        return self.paths.get(os.path.join(cwd, raw))


def probe_path(path: str) -> PathProbe:
    """Stat ``path`` without raising; the path is used as given, as ``open()`` would use it."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return PathProbe(path, "missing")
    except OSError as error:
        return PathProbe(path, "error", detail=error.strerror)
    if stat.S_ISDIR(info.st_mode):
        kind = "directory"
    elif stat.S_ISREG(info.st_mode):
        kind = "file"
    else:
        kind = "other"
    return PathProbe(
        path, kind, readable=os.access(path, os.R_OK), executable=os.access(path, os.X_OK), size=info.st_size,
    )


def find_command(name: str, search_path: str | None, cwd: str) -> str | None:
    """Find ``name`` as ``subprocess.Popen`` would (``execvpe``): a name with ``/`` is a path, else PATH is searched.

    Returns the path of the first executable regular file, or None.
    """
    if "/" in name:
        candidate = os.path.join(cwd, name)
        return candidate if _is_executable_file(candidate) else None
    # execvpe falls back to os.defpath when PATH is not set at all.
    directories = (os.defpath if search_path is None else search_path).split(os.pathsep)
    for directory in directories:
        candidate = os.path.join(cwd, directory or ".", name)
        if _is_executable_file(candidate):
            return candidate
    return None


def _is_executable_file(path: str) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and os.access(path, os.X_OK)


def sso_cache_key(name_or_url: str) -> str:
    """Return the cache file stem botocore uses (``SSOTokenLoader._generate_cache_key``): sha1 of the UTF-8 text."""
    import hashlib  # imported on use: hashlib loads OpenSSL, which slows every start

    return hashlib.sha1(name_or_url.encode("utf-8")).hexdigest()


def sso_token_path(cache_key: str, directory: str) -> str:
    return os.path.join(directory, sso_cache_key(cache_key) + ".json")


def read_sso_token(cache_key: str, directory: str) -> SsoToken:
    """Read one cached SSO token file and keep only its shape and expiry times."""
    try:
        with open(sso_token_path(cache_key, directory), "rb") as handle:
            data = handle.read(MAX_TOKEN_FILE_BYTES + 1)
    except FileNotFoundError:
        return SsoToken(cache_key, directory, "missing")
    except OSError:
        return SsoToken(cache_key, directory, "unreadable")
    try:
        document = json.loads(data)
    except ValueError:
        return SsoToken(cache_key, directory, "invalid")
    if not isinstance(document, dict) or "accessToken" not in document:
        return SsoToken(cache_key, directory, "invalid")
    expires_at = parse_timestamp(document.get("expiresAt"))
    if expires_at is None:
        return SsoToken(cache_key, directory, "invalid")
    refresh_fields = ("refreshToken", "clientId", "clientSecret")
    return SsoToken(
        cache_key, directory, "ok", expires_at=expires_at,
        can_refresh=all(document.get(name) for name in refresh_fields),
        registration_expires_at=parse_timestamp(document.get("registrationExpiresAt")),
    )


def parse_timestamp(value: object) -> float | None:
    """Parse an ISO 8601 time such as ``2026-01-01T00:00:00Z``; a time without a zone is taken as UTC."""
    if not isinstance(value, str) or not value:
        return None
    from datetime import datetime, timezone  # only a cached token has a time to parse

    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def process_command_name(command: str) -> str | None:
    """Return the program a ``credential_process`` value runs, split as botocore's ``compat_shell_split`` does."""
    parts = split_command(command)
    if parts is None:
        return None
    return parts[0] if parts else None


def collect_probes(profiles: ProfileMap, env: Mapping[str, str], cwd: str) -> Probes:
    """Look at every path the profiles and the environment name, and at the SSO tokens they would use."""
    raw_paths: set[str] = set()
    commands: set[str] = set()
    token_keys: set[str] = set()

    for key in ("web_identity_token_file", "ca_bundle"):
        for profile in profiles.having(key):
            value = profile.get(key)
            if isinstance(value, str) and value:
                raw_paths.add(value)
    for process in {profile.text("credential_process") for profile in profiles.having("credential_process")}:
        name = process_command_name(process) if process is not None else None
        if name is not None:
            commands.add(name)
    for profile in profiles.having("sso_session", "sso_start_url"):
        token_keys.update(_sso_cache_inputs(profiles, profile.name))

    for variable in ("AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CA_BUNDLE", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"):
        value = env.get(variable)
        if value:
            raw_paths.add(value)

    paths = {os.path.join(cwd, raw): probe_path(os.path.join(cwd, raw)) for raw in sorted(raw_paths)}
    found_commands = {name: find_command(name, env.get("PATH"), cwd) for name in sorted(commands)}
    tokens: dict[str, SsoToken] = {}
    home = env.get("HOME")
    if home:
        directory = expand_user(SSO_CACHE_DIRECTORY, env)
        # Without a cache directory, or with an empty one, every token is missing: no file name to hash.
        has_files = _has_entries(directory)
        tokens = {key: read_sso_token(key, directory) if has_files else SsoToken(key, directory, "missing")
                  for key in sorted(token_keys)}
    return Probes(paths=paths, commands=found_commands, sso_tokens=tokens)


def _has_entries(directory: str) -> bool:
    """Return True unless ``directory`` is missing or empty (an unreadable one counts as having entries)."""
    try:
        with os.scandir(directory) as entries:
            return next(entries, None) is not None
    except FileNotFoundError:
        return False
    except OSError:
        return True


def _sso_cache_inputs(profiles: ProfileMap, name: str) -> Iterable[str]:
    """Yield the text botocore hashes to find a profile's SSO token: the session name, else the start URL."""
    profile = profiles.profiles.get(name)
    if profile is None:
        return
    session = profile.get("sso_session")
    if isinstance(session, str):
        yield session
        return
    start_url = profile.get("sso_start_url")
    if isinstance(start_url, str) and start_url:
        yield start_url
