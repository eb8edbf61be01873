"""Read-only snapshot of the AWS CLI's role-credential cache and of ``~/.aws`` itself.

The CLI (v1 and v2) stores AssumeRole and AssumeRoleWithWebIdentity results
in ``~/.aws/cli/cache/<sha1>.json`` (``awscli/customizations/assumerole.py``,
``JSONFileCache``); the directory is relative to HOME and does not follow
``AWS_CONFIG_FILE``. Only the fields a rule needs are kept: the expiry, the
assumed-role ARN and the account. Access keys, secrets and session tokens
are dropped as soon as the JSON is parsed.
"""

from __future__ import annotations

import enum
import json
import os
import stat

from awsdoctor.sources import display_path

CLI_CACHE_DIRECTORY = (".aws", "cli", "cache")

# A cache file larger than this is not a role-credential response.
MAX_CACHE_FILE_BYTES = 1024 * 1024

# botocore's CachedCredentialFetcher reuses an entry only while more than this
# many seconds remain (DEFAULT_EXPIRY_WINDOW_SECONDS).
EXPIRY_WINDOW_SECONDS = 15 * 60


class CacheStatus(enum.Enum):
    OK = "ok"
    EMPTY = "empty"
    CORRUPT = "corrupt"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too-large"
    NOT_A_FILE = "not-a-file"


class CacheEntry:
    """One file of ``~/.aws/cli/cache``, reduced to what can be shown without a secret."""

    __slots__ = ("account", "arn", "detail", "display", "expiration", "mtime", "path", "status")

    def __init__(self, path: str, display: str, status: CacheStatus, detail: str | None = None,
                 expiration: float | None = None, arn: str | None = None, account: str | None = None,
                 mtime: float | None = None) -> None:
        self.path = path
        self.display = display
        self.status = status
        self.detail = detail
        self.expiration = expiration
        self.arn = arn
        self.account = account
        self.mtime = mtime

    @property
    def key(self) -> str:
        """Return the cache key: the file name without ``.json``."""
        name = os.path.basename(self.path)
        return name[:-5] if name.endswith(".json") else name


class PathInfo:
    """Ownership and permission bits of one path, as ``os.stat`` gives them."""

    __slots__ = ("display", "is_dir", "mode", "path", "uid")

    def __init__(self, path: str, display: str, mode: int, uid: int, is_dir: bool) -> None:
        self.path = path
        self.display = display
        self.mode = mode
        self.uid = uid
        self.is_dir = is_dir


def stat_path(path: str, home: str | None) -> PathInfo | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return PathInfo(
        path=path,
        display=display_path(path, {"HOME": home} if home else {}),
        mode=stat.S_IMODE(info.st_mode),
        uid=info.st_uid,
        is_dir=stat.S_ISDIR(info.st_mode),
    )


def parse_expiration(text: str) -> float | None:
    """Parse an ``Expiration`` as the CLI writes it (``2030-01-01T12:00:00UTC``) or as ISO 8601.

    Returns seconds since the epoch, or None when the text is not a timestamp.
    """
    from datetime import datetime, timezone  # only a cache entry has a time to parse

    value = text.strip()
    if value.endswith("UTC"):
        value = value[:-3] + "+00:00"
    elif value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def read_cli_cache(home: str | None) -> tuple[CacheEntry, ...]:
    """Read every ``*.json`` file of ``~/.aws/cli/cache``; a missing directory gives no entries."""
    if not home:
        return ()
    directory = os.path.join(home, *CLI_CACHE_DIRECTORY)
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return ()
    return tuple(
        _read_entry(os.path.join(directory, name), home) for name in names if name.endswith(".json")
    )


def _read_entry(path: str, home: str) -> CacheEntry:
    display = display_path(path, {"HOME": home})
    try:
        info = os.stat(path)
    except OSError as error:
        return CacheEntry(path, display, CacheStatus.UNREADABLE, error.strerror)
    if not stat.S_ISREG(info.st_mode):
        return CacheEntry(path, display, CacheStatus.NOT_A_FILE, mtime=info.st_mtime)
    if info.st_size > MAX_CACHE_FILE_BYTES:
        return CacheEntry(path, display, CacheStatus.TOO_LARGE, mtime=info.st_mtime)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CACHE_FILE_BYTES + 1)
    except OSError as error:
        return CacheEntry(path, display, CacheStatus.UNREADABLE, error.strerror, mtime=info.st_mtime)
    if not data.strip():
        return CacheEntry(path, display, CacheStatus.EMPTY, mtime=info.st_mtime)
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        # The message of a JSONDecodeError names a position only, never file content.
        return CacheEntry(path, display, CacheStatus.CORRUPT, str(error), mtime=info.st_mtime)
    if not isinstance(document, dict) or not isinstance(document.get("Credentials"), dict):
        return CacheEntry(path, display, CacheStatus.CORRUPT, "no Credentials object", mtime=info.st_mtime)

    credentials = document["Credentials"]
    expiration = credentials.get("Expiration")
    user = document.get("AssumedRoleUser")
    arn = user.get("Arn") if isinstance(user, dict) else None
    account = credentials.get("AccountId")
    return CacheEntry(
        path=path,
        display=display,
        status=CacheStatus.OK,
        expiration=parse_expiration(expiration) if isinstance(expiration, str) else None,
        arn=arn if isinstance(arn, str) else None,
        account=account if isinstance(account, str) else None,
        mtime=info.st_mtime,
    )


def assume_role_cache_input(role_arn: str, role_session_name: str | None, external_id: str | None,
                            mfa_serial: str | None, duration_seconds: int | None) -> str:
    """Return the text whose SHA-1 is the CLI cache key of an AssumeRole call (:func:`assume_role_cache_key`).

    Two profiles share a cache entry exactly when this text is equal, so it
    can be compared without hashing.
    """
    arguments: dict[str, object] = {"RoleArn": role_arn}
    if role_session_name is not None:
        arguments["RoleSessionName"] = role_session_name
    if external_id is not None:
        arguments["ExternalId"] = external_id
    if mfa_serial is not None:
        arguments["SerialNumber"] = mfa_serial
    if duration_seconds is not None:
        arguments["DurationSeconds"] = duration_seconds
    return json.dumps(arguments, sort_keys=True)


def assume_role_cache_key(role_arn: str, role_session_name: str | None, external_id: str | None,
                          mfa_serial: str | None, duration_seconds: int | None) -> str:
    """Return the CLI cache file key for an AssumeRole call, as botocore computes it.

    ``BaseAssumeRoleCredentialFetcher._create_cache_key`` hashes the request
    parameters known before the call, sorted, with SHA-1; a generated session
    name is left out, the source credentials are never part of it, and
    ``CachedCredentialFetcher._make_file_safe`` replaces ``:`` and ``/``.
    """
    text = assume_role_cache_input(role_arn, role_session_name, external_id, mfa_serial, duration_seconds)
    import hashlib  # imported on use: hashlib loads OpenSSL, which slows every start

    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
    return digest.replace(":", "_").replace("/", "_")
