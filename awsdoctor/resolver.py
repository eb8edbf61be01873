"""A pure model of botocore's credential chain for one profile.

:func:`resolve` walks the providers that ``botocore.credentials.
create_credential_resolver`` builds, in the same order and with the same
decisions, but reads only a :class:`~awsdoctor.setup.Setup`: nothing is
fetched, no process is run and no socket is opened. The result names the
provider that would supply credentials (its ``METHOD``, as ``aws configure list``
shows it), or the exception botocore would raise, with its exact message.

For example, with ``AWS_PROFILE=prod`` and ``AWS_ACCESS_KEY_ID`` exported
without ``AWS_SECRET_ACCESS_KEY``, the environment provider is still first in
the chain (only ``--profile`` removes it), so the resolution is::

    method=None
    error=("PartialCredentialsError",
           "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY")

The network providers are modelled, not called: the container provider is
taken to return credentials whenever its URI variable is set, and the
instance metadata provider (IMDS) is reported as host-dependent unless
``AWS_EC2_METADATA_DISABLED`` is ``true``.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

from awsdoctor.profiles import CONFIG, CREDENTIALS
from awsdoctor.secrets import mask_key_id
from awsdoctor.setup import Selection, Setup

if TYPE_CHECKING:
    from collections.abc import Callable

    from awsdoctor.findings import Location
    from awsdoctor.profiles import Definition, Profile
    from awsdoctor.sources import SourceFile

# Provider METHOD strings (botocore/credentials.py), in chain order.
ENV = "env"
ASSUME_ROLE = "assume-role"
WEB_IDENTITY = "assume-role-with-web-identity"
SSO = "sso"
SHARED_CREDENTIALS_FILE = "shared-credentials-file"
LOGIN = "login"
CUSTOM_PROCESS = "custom-process"
CONFIG_FILE = "config-file"
EC2_CREDENTIALS_FILE = "ec2-credentials-file"
BOTO_CONFIG = "boto-config"
CONTAINER_ROLE = "container-role"
IAM_ROLE = "iam-role"

CHAIN = (
    ENV, ASSUME_ROLE, WEB_IDENTITY, SSO, SHARED_CREDENTIALS_FILE, LOGIN, CUSTOM_PROCESS, CONFIG_FILE,
    EC2_CREDENTIALS_FILE, BOTO_CONFIG, CONTAINER_ROLE, IAM_ROLE,
)

# Credentials from these providers are role sessions: a role assumed with them
# is a chained role, which STS limits to one-hour sessions.
ROLE_METHODS = frozenset({ASSUME_ROLE, WEB_IDENTITY, SSO})

# Step statuses.
USED = "used"
SKIPPED = "skipped"
FAILED = "failed"
NOT_REACHED = "not-reached"
DEPENDS_ON_HOST = "depends-on-host"

# credential_source values botocore accepts (CanonicalNameCredentialSourcer.is_supported compares
# case-sensitively) and the provider each one runs.
CREDENTIAL_SOURCES = {"Environment": ENV, "EcsContainer": CONTAINER_ROLE, "Ec2InstanceMetadata": IAM_ROLE}

# AssumeRoleProvider follows source_profile recursively, several frames per
# role. Under Python's default recursion limit, botocore 1.43 on Python 3.11
# resolves a chain of 328 source_profile hops from a script and raises
# RecursionError at 329.
# NOTE: deeper call stacks (the AWS CLI's own) fail on somewhat shorter chains.
BOTOCORE_CHAIN_LIMIT = 328


def chain_too_long(profile: str, hops: int) -> str:
    return (f"maximum recursion depth exceeded while following source_profile from profile {profile!r} "
            f"({hops} or more hops; botocore follows the chain recursively and fails beyond about "
            f"{BOTOCORE_CHAIN_LIMIT})")

CONTAINER_VARIABLES = ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI")
CONTAINER_HOST = "http://169.254.170.2"
CONTAINER_ALLOWED_HOSTS = ("169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost")
IMDS_VARIABLE = "AWS_EC2_METADATA_DISABLED"
IMDS_ENDPOINT_MODES = ("ipv4", "ipv6")

# Session variables create_credential_resolver looks up before building the chain, in order.
# Each one that is not in the environment reads the selected profile, which is where a missing
# profile raises ProfileNotFound and a broken file raises ConfigParseError.
_CREATION_LOOKUPS = (
    ("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout"),
    ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts"),
    ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint"),
    ("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode"),
    ("AWS_IMDS_USE_IPV6", "imds_use_ipv6"),
    ("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled"),
)

_WEB_IDENTITY_VARIABLES = {
    "web_identity_token_file": "AWS_WEB_IDENTITY_TOKEN_FILE",
    "role_arn": "AWS_ROLE_ARN",
    "role_session_name": "AWS_ROLE_SESSION_NAME",
}

_ROLE_ARN = re.compile(r"^arn:(?P<partition>[^:]+):iam::(?P<account>\d{12}):role/(?:.*/)?(?P<name>[^/]+)$")

DEFAULT_SESSION_PREFIX = "botocore-session-"


class BotocoreError:
    """An exception botocore would raise: its class name and exact message."""

    __slots__ = ("exception", "message")

    def __init__(self, exception: str, message: str) -> None:
        self.exception = exception
        self.message = message

    def as_tuple(self) -> tuple[str, str]:
        return (self.exception, self.message)


class Step:
    """One provider of the chain and what it would do with this setup."""

    __slots__ = ("method", "reason", "status")

    def __init__(self, method: str, status: str, reason: str = "") -> None:
        self.method = method
        self.status = status
        self.reason = reason

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Step):
            return NotImplemented
        return (self.method, self.status, self.reason) == (other.method, other.status, other.reason)

    def __hash__(self) -> int:
        return hash((self.method, self.status, self.reason))

    def __repr__(self) -> str:
        return f"Step({self.method!r}, {self.status!r}, {self.reason!r})"


class Hop:
    """One link of a role chain.

    ``method`` is the provider METHOD that gives this profile its credentials.
    A role hop has ``role_arn`` set, and ``source`` describes where the
    credentials used to assume the role come from. ``chained`` is true when
    those are themselves a role session (assume-role, SSO or web identity).
    The last hop is often the source profile itself (``role_arn`` None) with
    its static keys, SSO role or process.
    """

    __slots__ = ("chained", "location", "method", "profile", "role_arn", "source")

    def __init__(self, profile: str | None, role_arn: str | None, method: str, source: str, chained: bool = False,
                 location: Location | None = None) -> None:
        self.profile = profile
        self.role_arn = role_arn
        self.method = method
        self.source = source
        self.chained = chained
        self.location = location


class ExpectedArn:
    """The caller ARN STS would report for the assumed role (the role's path is dropped)."""

    __slots__ = ("account", "partition", "role_name", "session_name")

    def __init__(self, partition: str, account: str, role_name: str, session_name: str | None) -> None:
        self.partition = partition
        self.account = account
        self.role_name = role_name
        self.session_name = session_name

    @property
    def arn(self) -> str:
        session = self.session_name if self.session_name is not None else DEFAULT_SESSION_PREFIX + "<epoch>"
        return f"arn:{self.partition}:sts::{self.account}:assumed-role/{self.role_name}/{session}"

    @property
    def pattern(self) -> str:
        """Return the ARN as a shell-style pattern; botocore's default session name ends in the call's epoch."""
        session = self.session_name if self.session_name is not None else DEFAULT_SESSION_PREFIX + "*"
        return f"arn:{self.partition}:sts::{self.account}:assumed-role/{self.role_name}/{session}"


class Region:
    """A resolved region and its origin (both None when no region is set)."""

    __slots__ = ("explicit", "note", "source", "value")

    def __init__(self, value: str | None, source: Location | None, note: str | None = None,
                 explicit: bool = False) -> None:
        self.value = value
        self.source = source
        self.note = note
        self.explicit = explicit


class Resolution:
    """The outcome of botocore's credential chain for one profile."""

    __slots__ = ("error", "expected_arn", "explicit", "method", "profile", "region", "region_v2", "role_chain",
                 "selection_source", "steps")

    def __init__(self, profile: str, explicit: bool, selection_source: str | None, method: str | None,
                 error: BotocoreError | None, steps: tuple[Step, ...], role_chain: tuple[Hop, ...], region: Region,
                 region_v2: Region, expected_arn: ExpectedArn | None = None) -> None:
        self.profile = profile
        self.explicit = explicit
        self.selection_source = selection_source
        self.method = method
        self.error = error
        self.steps = steps
        self.role_chain = role_chain
        self.region = region
        self.region_v2 = region_v2
        self.expected_arn = expected_arn

    @property
    def error_tuple(self) -> tuple[str, str] | None:
        return None if self.error is None else self.error.as_tuple()

    @property
    def depends_on_host(self) -> bool:
        """Return True when no file or variable supplies credentials but IMDS still might."""
        return any(step.status == DEPENDS_ON_HOST for step in self.steps)


class _Failure(Exception):
    def __init__(self, error: BotocoreError) -> None:
        super().__init__(error.message)
        self.error = error


def partial_credentials(provider: str, missing: str) -> _Failure:
    return _Failure(BotocoreError(
        "PartialCredentialsError", f"Partial credentials found in {provider}, missing: {missing}",
    ))


def invalid_config(message: str) -> _Failure:
    return _Failure(BotocoreError("InvalidConfigError", message))


class _Outcome:
    """The result of one provider: credentials (``used``) or a pass to the next provider."""

    __slots__ = ("hops", "location", "reason", "status", "used")

    def __init__(self, used: bool, reason: str, hops: list[Hop] | None = None, status: str | None = None,
                 location: Location | None = None) -> None:
        self.used = used
        self.reason = reason
        self.hops: list[Hop] = [] if hops is None else hops
        self.status = status
        self.location = location


def parse_role_arn(role_arn: str, session_name: str | None) -> ExpectedArn | None:
    """Return the expected caller ARN for ``role_arn``, or None when it is not an IAM role ARN."""
    match = _ROLE_ARN.match(role_arn.strip())
    if match is None:
        return None
    return ExpectedArn(match["partition"], match["account"], match["name"], session_name)


def resolve(setup: Setup, profile: str | None = None, region: str | None = None) -> Resolution:
    """Model ``create_credential_resolver(session).load_credentials()`` for ``profile``.

    ``profile`` None takes ``setup.selection`` (``AWS_DEFAULT_PROFILE``, then
    ``AWS_PROFILE``); a name is treated as ``--profile``, which removes the
    environment provider from the chain. ``region`` is an explicit region
    (``--region``, ``region_name=``), which beats every other source.
    """
    selection = setup.selection if profile is None else Selection(profile, "--profile")
    return _Resolver(setup, selection, region).run()


def resolve_selection(setup: Setup, selection: Selection, region: str | None = None) -> Resolution:
    """Model the chain for a given selection, such as ``setup.selection_v2`` for the AWS CLI v2."""
    return _Resolver(setup, selection, region).run()


class _Resolver:
    """One walk of the chain; like AssumeRoleProvider it keeps the profiles visited while following sources."""

    def __init__(self, setup: Setup, selection: Selection, region: str | None = None) -> None:
        self.setup = setup
        self.explicit_region = region
        self.env = setup.env
        self.selection = selection
        # create_credential_resolver: get_config_variable('profile') or 'default', so '' becomes 'default'.
        self.chain_profile = selection.name or "default"
        self.visited: list[str] = []
        self.config_loaded = False

    # -- the main chain ----------------------------------------------------

    def run(self) -> Resolution:
        steps: list[Step] = []
        method: str | None = None
        error: BotocoreError | None = None
        hops: list[Hop] = []

        try:
            self._check_creation()
        except _Failure as failure:
            error = failure.error

        providers: list[tuple[str, Callable[[], _Outcome]]] = [
            (ENV, self._env_main),
            (ASSUME_ROLE, self._assume_role_main),
            (WEB_IDENTITY, lambda: self._web_identity(self.chain_profile, env_enabled=not self.selection.explicit)),
            (SSO, lambda: self._sso(self.chain_profile)),
            (SHARED_CREDENTIALS_FILE, lambda: self._shared_credentials(self.chain_profile)),
            (LOGIN, lambda: self._login(self.chain_profile)),
            (CUSTOM_PROCESS, lambda: self._process(self.chain_profile)),
            (CONFIG_FILE, lambda: self._config_file(self.chain_profile)),
            (EC2_CREDENTIALS_FILE, self._ec2_credentials_file),
            (BOTO_CONFIG, self._boto_config),
            (CONTAINER_ROLE, self._container),
            (IAM_ROLE, self._instance_metadata),
        ]
        for provider, load in providers:
            if error is not None or method is not None:
                steps.append(Step(provider, NOT_REACHED))
                continue
            try:
                outcome = load()
            except _Failure as failure:
                error = failure.error
                steps.append(Step(provider, FAILED, f"{error.exception}: {error.message}"))
                continue
            except RecursionError:
                # A safety net: chains longer than BOTOCORE_CHAIN_LIMIT already fail above,
                # so only an unusually deep caller reaches this.
                error = BotocoreError("RecursionError", chain_too_long(self.chain_profile, BOTOCORE_CHAIN_LIMIT))
                steps.append(Step(provider, FAILED, f"{error.exception}: {error.message}"))
                continue
            if outcome.used:
                method = provider
                hops = outcome.hops
            steps.append(Step(provider, outcome.status or (USED if outcome.used else SKIPPED), outcome.reason))

        expected = None
        if method in (ASSUME_ROLE, WEB_IDENTITY) and hops and hops[0].role_arn is not None:
            expected = parse_role_arn(hops[0].role_arn, self._session_name(method))

        return Resolution(
            profile=self.chain_profile if self.selection.name is None else self.selection.name,
            explicit=self.selection.explicit,
            selection_source=self.selection.source,
            method=method,
            error=error,
            steps=tuple(steps),
            role_chain=tuple(hops),
            region=self._region(),
            region_v2=self._region_v2(),
            expected_arn=expected,
        )

    def _check_creation(self) -> None:
        """Raise what create_credential_resolver raises before any provider runs."""
        for variable, key in _CREATION_LOOKUPS:
            if key == "imds_use_ipv6" and self._creation_value(
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode") is not None:
                # resolve_imds_endpoint_mode reads imds_use_ipv6 only when no endpoint mode is set.
                continue
            value = self._creation_value(variable, key)
            if key == "ec2_metadata_service_endpoint_mode" and isinstance(value, str) \
                    and value.lower() not in IMDS_ENDPOINT_MODES:
                raise _Failure(BotocoreError(
                    "InvalidIMDSEndpointModeError",
                    f"Invalid EC2 Instance Metadata endpoint mode: {value} "
                    f"Valid endpoint modes (case-insensitive): {IMDS_ENDPOINT_MODES}.",
                ))

    def _creation_value(self, variable: str, key: str) -> str | dict[str, str] | None:
        if variable in self.env:
            return self.env[variable]
        return self._scoped_config(self.selection).get(key)

    # -- files and the merged profile map ----------------------------------

    def _load_full_config(self) -> None:
        """Raise ConfigParseError as Session.full_config does: config file first, then credentials file."""
        if self.config_loaded:
            return
        for source in (self.setup.config, self.setup.credentials):
            if _is_fatal(source):
                assert source is not None
                raise _Failure(BotocoreError("ConfigParseError", f"Unable to parse config file: {source.path}"))
        self.config_loaded = True

    def _scoped_config(self, selection: Selection) -> dict[str, str | dict[str, str]]:
        """Return Session.get_scoped_config() for ``selection``: ProfileNotFound when a named profile is absent."""
        self._load_full_config()
        if selection.name is None:
            default = self.setup.profiles.get("default")
            return {} if default is None else default.values()
        found = self.setup.profiles.get(selection.name)
        if found is None:
            message = f"The config profile ({selection.name}) could not be found"
            raise _Failure(BotocoreError("ProfileNotFound", message))
        return found.values()

    def _profile(self, name: str) -> Profile | None:
        self._load_full_config()
        return self.setup.profiles.get(name)

    def _value(self, name: str, key: str) -> str | dict[str, str] | None:
        found = self._profile(name)
        return None if found is None else found.get(key)

    def _has(self, name: str, key: str) -> bool:
        found = self._profile(name)
        return found is not None and found.has(key)

    # -- providers -----------------------------------------------------------

    def _env_main(self) -> _Outcome:
        if self.selection.explicit:
            return _Outcome(False, "removed from the chain because the profile was given as --profile")
        return self._env_credentials()

    def _env_credentials(self) -> _Outcome:
        """EnvProvider.load: AWS_ACCESS_KEY_ID must be non-empty, then the secret is required."""
        key_id = self.env.get("AWS_ACCESS_KEY_ID", "")
        if not key_id:
            state = "is empty" if "AWS_ACCESS_KEY_ID" in self.env else "is not set"
            return _Outcome(False, f"AWS_ACCESS_KEY_ID {state}")
        if not self.env.get("AWS_SECRET_ACCESS_KEY", ""):
            raise partial_credentials(ENV, "AWS_SECRET_ACCESS_KEY")
        reason = f"AWS_ACCESS_KEY_ID ({mask_key_id(key_id)}) and AWS_SECRET_ACCESS_KEY"
        # EnvProvider.TOKENS: the legacy AWS_SECURITY_TOKEN is checked first.
        for variable in ("AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"):
            if self.env.get(variable, ""):
                reason += f", with the session token from {variable}"
                break
        expiration = self.env.get("AWS_CREDENTIAL_EXPIRATION", "")
        if expiration:
            reason += self._expiration_note(expiration)
        return _Outcome(True, reason, location=Setup.variable_location("AWS_ACCESS_KEY_ID"))

    def _expiration_note(self, expiration: str) -> str:
        """Parse AWS_CREDENTIAL_EXPIRATION as EnvProvider.load does (dateutil), raising what it raises."""
        from dateutil.parser import ParserError, parse  # type: ignore[import-untyped]

        try:
            moment = parse(expiration)
        except (ParserError, OverflowError) as error:
            raise _Failure(BotocoreError(type(error).__name__, str(error))) from None
        if moment.tzinfo is not None and moment.timestamp() <= self.setup.now:
            return (f"; AWS_CREDENTIAL_EXPIRATION {expiration} is in the past, so botocore raises RuntimeError "
                    "when the credentials are first used")
        return f"; they expire at {expiration} (AWS_CREDENTIAL_EXPIRATION)"

    def _assume_role_main(self) -> _Outcome:
        name = self.chain_profile
        self.visited = [name]
        if not self._has(name, "role_arn"):
            return _Outcome(False, f"profile {name!r} has no role_arn")
        if self._has(name, "web_identity_token_file"):
            # AssumeRoleProvider._has_assume_role_config_vars leaves web identity profiles to the next provider.
            return _Outcome(False, f"profile {name!r} has web_identity_token_file, so web identity assumes its role")
        hops = self._assume_role(name)
        return _Outcome(True, f"assume {hops[0].role_arn} with credentials from {hops[0].source}", hops)

    def _assume_role(self, name: str) -> list[Hop]:
        """Model AssumeRoleProvider._load_creds_via_assume_role for profile ``name``."""
        role_arn = _text(self._value(name, "role_arn"))
        source_profile = self._value(name, "source_profile")
        credential_source = self._value(name, "credential_source")
        location = self.setup.key_location(name, "role_arn")

        # _get_role_config: exactly one of the two sources, then validate it.
        if credential_source is not None and source_profile is not None:
            raise invalid_config(f'The profile "{name}" contains both source_profile and credential_source.')
        if credential_source is None and source_profile is None:
            raise partial_credentials(ASSUME_ROLE, "source_profile or credential_source")

        if credential_source is not None:
            source_text = _text(credential_source)
            method = CREDENTIAL_SOURCES.get(source_text)
            if method is None:
                raise invalid_config(
                    f'The credential source "{source_text}" referenced in profile "{name}" is not valid.'
                )
            outcome = self._credential_source(source_text, name)
            return [Hop(name, role_arn, ASSUME_ROLE, f"credential_source {source_text}: {outcome.reason}",
                        chained=method in ROLE_METHODS, location=location)]

        source_name = _text(source_profile)
        self._validate_source_profile(name, source_name)
        self.visited.append(source_name)
        if len(self.visited) - 1 > BOTOCORE_CHAIN_LIMIT:
            raise _Failure(BotocoreError("RecursionError", chain_too_long(self.visited[0], len(self.visited) - 1)))
        rest = self._from_source_profile(source_name)
        hop = Hop(name, role_arn, ASSUME_ROLE, f"source_profile {source_name!r}",
                  chained=rest[0].method in ROLE_METHODS, location=location)
        return [hop, *rest]

    def _validate_source_profile(self, parent: str, source: str) -> None:
        if self._profile(source) is None:
            raise invalid_config(
                f'The source_profile "{source}" referenced in the profile "{parent}" does not exist.'
            )
        if source not in self.visited:
            return
        # A profile may name itself as its source only when it has static keys to start from.
        if source != parent or not self._has_static_keys(source):
            raise _Failure(BotocoreError(
                "InfiniteLoopConfigError",
                "Infinite loop in credential configuration detected. Attempting to load from profile "
                f"{source} which has already been visited. Visited profiles: {self.visited}",
            ))

    def _has_static_keys(self, name: str) -> bool:
        return self._has(name, "aws_secret_access_key") or self._has(name, "aws_access_key_id")

    def _has_role_config(self, name: str) -> bool:
        return self._has(name, "role_arn") and not self._has(name, "web_identity_token_file")

    def _from_source_profile(self, name: str) -> list[Hop]:
        """Model AssumeRoleProvider._resolve_credentials_from_profile.

        A source profile with static keys, or without role settings, goes
        through the profile providers: web identity without the environment,
        SSO, credentials file, login, process and config file. Its own
        role_arn is then ignored. Otherwise its role is assumed in turn.
        """
        if self._has_static_keys(name) or not self._has_role_config(name):
            for method, load in self._profile_providers(name, env_enabled=False):
                outcome = load()
                if outcome.used:
                    if outcome.hops:
                        return outcome.hops
                    return [Hop(name, None, method, outcome.reason, location=outcome.location)]
            raise invalid_config(f'The source profile "{name}" must have credentials.')
        return self._assume_role(name)

    def _credential_source(self, source: str, profile: str) -> _Outcome:
        """Model CanonicalNameCredentialSourcer.source_credentials for a valid credential_source."""
        if source == "Environment":
            outcome = self._env_credentials()
        elif source == "EcsContainer":
            outcome = self._container()
        else:
            outcome = self._instance_metadata()
            if outcome.status == DEPENDS_ON_HOST:
                return _Outcome(True, outcome.reason)
        if not outcome.used:
            raise _Failure(BotocoreError(
                "CredentialRetrievalError",
                f"Error when retrieving credentials from {source}: "
                f"No credentials found in credential_source referenced in profile {profile}",
            ))
        return outcome

    def _profile_providers(self, name: str, env_enabled: bool) -> list[tuple[str, Callable[[], _Outcome]]]:
        return [
            (WEB_IDENTITY, lambda: self._web_identity(name, env_enabled)),
            (SSO, lambda: self._sso(name)),
            (SHARED_CREDENTIALS_FILE, lambda: self._shared_credentials(name)),
            (LOGIN, lambda: self._login(name)),
            (CUSTOM_PROCESS, lambda: self._process(name)),
            (CONFIG_FILE, lambda: self._config_file(name)),
        ]

    def _web_identity_value(self, name: str, key: str, env_enabled: bool) -> tuple[str | None, str]:
        """Return a web identity setting and its origin: the variable (when allowed), else the profile."""
        variable = _WEB_IDENTITY_VARIABLES[key]
        if env_enabled and variable in self.env:
            return self.env[variable], variable
        value = self._value(name, key)
        return (None if value is None else _text(value)), key

    def _web_identity(self, name: str, env_enabled: bool) -> _Outcome:
        token_file, token_origin = self._web_identity_value(name, "web_identity_token_file", env_enabled)
        if not token_file:
            if token_file == "":
                return _Outcome(False, f"{token_origin} is empty")
            where = "AWS_WEB_IDENTITY_TOKEN_FILE is not set and " if env_enabled else ""
            return _Outcome(False, f"{where}profile {name!r} has no web_identity_token_file")
        role_arn, role_origin = self._web_identity_value(name, "role_arn", env_enabled)
        if not role_arn:
            raise invalid_config(
                "The provided profile or the current environment is configured to assume role with web "
                "identity but has no role ARN configured. Ensure that the profile has the role_arnconfiguration "
                "set or the AWS_ROLE_ARN env var is set."
            )
        source = f"the web identity token in {token_file} (from {token_origin})"
        probe = self.setup.probes.path(token_file, self.setup.cwd)
        if probe is not None and (probe.kind != "file" or not probe.readable):
            # FileWebIdentityTokenLoader reads the file only when the credentials are first used.
            source += f", which is {probe.kind if probe.kind != 'file' else 'unreadable'}: the first AWS call fails"
        location = (Setup.variable_location(role_origin) if role_origin in self.env
                    else self.setup.key_location(name, "role_arn"))
        hop = Hop(name, role_arn, WEB_IDENTITY, source, location=location)
        return _Outcome(True, f"assume {role_arn} (from {role_origin}) with {source}", [hop])

    def _sso(self, name: str) -> _Outcome:
        found = self._profile(name)
        config: dict[str, str | dict[str, str]] = {} if found is None else found.values()
        if "sso_role_name" not in config and "sso_account_id" not in config:
            return _Outcome(False, f"profile {name!r} has neither sso_account_id nor sso_role_name")

        required = ["sso_role_name", "sso_account_id", "sso_start_url", "sso_region"]
        session_name = config.get("sso_session")
        if session_name is not None:
            # SSOProvider._resolve_sso_session_reference: the [sso-session] keys must agree with the profile's.
            session = self.setup.profiles.sso_sessions.get(_text(session_name))
            if session is None:
                raise invalid_config(f'The specified sso-session does not exist: "{_text(session_name)}"')
            for key, value in _definition_values(session).items():
                if config.get(key, value) != value:
                    raise invalid_config(
                        f"The value for {key} is inconsistent between profile ({_text(config[key])}) "
                        f"and sso-session ({_text(value)})."
                    )
                config[key] = value
            required.append("sso_session")
        missing = [key for key in required if key not in config]
        if missing:
            raise invalid_config(
                f'The profile "{name}" is configured to use SSO but is missing required configuration: '
                f"{', '.join(missing)}"
            )
        via = f"sso-session {_text(session_name)!r}" if session_name is not None else \
            f"start URL {_text(config['sso_start_url'])}"
        reason = (f"SSO role {_text(config['sso_role_name'])} in account {_text(config['sso_account_id'])} "
                  f"through {via}")
        cache_key = _text(session_name) if session_name is not None else _text(config["sso_start_url"])
        reason += self._sso_token_note(cache_key)
        return _Outcome(True, reason, location=self.setup.key_location(name, "sso_account_id"))

    def _sso_token_note(self, cache_key: str) -> str:
        """Describe the cached SSO token botocore would read when the credentials are first used."""
        token = self.setup.probes.sso_tokens.get(cache_key)
        if token is None:
            return "; the cached SSO token was not looked at"
        if token.status == "missing":
            return "; no cached SSO token: run 'aws sso login' first"
        if token.status != "ok" or token.expires_at is None:
            return f"; the cached SSO token is {token.status}: run 'aws sso login'"
        if token.expires_at <= self.setup.now:
            if token.can_refresh:
                return "; the cached SSO token has expired, but botocore can refresh it"
            return "; the cached SSO token has expired: run 'aws sso login'"
        return "; the cached SSO token is valid"

    def _static_keys(self, name: str, kind: str, provider: str) -> _Outcome:
        """Model SharedCredentialProvider / ConfigProvider: one file only, triggered by aws_access_key_id."""
        source = self.setup.source(kind)
        found = self.setup.profiles.get(name)
        definition = None
        if found is not None:
            definition = found.credentials if kind == CREDENTIALS else found.config
        label = "credentials file" if kind == CREDENTIALS else "config file"
        if source is None or source.document is None:
            return _Outcome(False, f"the {label} is not readable ({_status(source)})")
        if definition is None or "aws_access_key_id" not in definition.entries:
            return _Outcome(False, f"profile {name!r} has no aws_access_key_id in the {label}")
        if "aws_secret_access_key" not in definition.entries:
            raise partial_credentials(provider, "aws_secret_access_key")
        location = self.setup.file_key_location(name, kind, "aws_access_key_id")
        key_id = _text(definition.value("aws_access_key_id") or "")
        reason = f"static keys ({mask_key_id(key_id)}) in {_place(location)}"
        return _Outcome(True, reason, location=location)

    def _shared_credentials(self, name: str) -> _Outcome:
        return self._static_keys(name, CREDENTIALS, SHARED_CREDENTIALS_FILE)

    def _config_file(self, name: str) -> _Outcome:
        return self._static_keys(name, CONFIG, CONFIG_FILE)

    def _login(self, name: str) -> _Outcome:
        session = self._value(name, "login_session")
        if session is None:
            return _Outcome(False, f"profile {name!r} has no login_session")
        # NOTE: botocore also needs botocore[crt] and a cached login token; neither is checked here.
        return _Outcome(True, f"login session {_text(session)!r} from the login token cache",
                        location=self.setup.key_location(name, "login_session"))

    def _process(self, name: str) -> _Outcome:
        command = self._value(name, "credential_process")
        if command is None:
            return _Outcome(False, f"profile {name!r} has no credential_process")
        text = _text(command)
        try:
            # ProcessProvider splits the command (compat_shell_split, shlex on POSIX) before it runs anything.
            words = shlex.split(text)
        except ValueError as error:
            raise _Failure(BotocoreError("ValueError", str(error))) from None
        reason = f"would run {_program(text)} (credential_process; not run by awsdoctor)"
        if words and words[0] in self.setup.probes.commands:
            found = self.setup.probes.commands[words[0]]
            if found is None:
                # ProcessProvider starts it with subprocess.Popen, which raises and stops the chain.
                raise _Failure(BotocoreError(
                    "FileNotFoundError", f"[Errno 2] No such file or directory: {words[0]!r}",
                ))
            else:
                reason += f"; found at {found}"
        return _Outcome(True, reason, location=self.setup.key_location(name, "credential_process"))

    def _ec2_credentials_file(self) -> _Outcome:
        if "AWS_CREDENTIAL_FILE" not in self.env:
            return _Outcome(False, "AWS_CREDENTIAL_FILE is not set")
        # NOTE: the legacy EC2 tools file is not read; a file with AWSAccessKeyId would supply credentials here.
        return _Outcome(False, f"AWS_CREDENTIAL_FILE names {self.env['AWS_CREDENTIAL_FILE']}, "
                               "a legacy EC2 tools file awsdoctor does not read")

    def _boto_config(self) -> _Outcome:
        # NOTE: boto 2 files are not read; [Credentials] aws_access_key_id in one would supply credentials here.
        if "BOTO_CONFIG" in self.env:
            return _Outcome(False, f"BOTO_CONFIG names {self.env['BOTO_CONFIG']}, "
                                   "a boto 2 file awsdoctor does not read")
        return _Outcome(False, "boto 2 files (/etc/boto.cfg, ~/.boto) are not read by awsdoctor")

    def _container(self) -> _Outcome:
        relative, full = CONTAINER_VARIABLES
        if relative in self.env:
            url = CONTAINER_HOST + self.env[relative]
            variable = relative
        elif full in self.env:
            url = self.env[full]
            variable = full
        else:
            return _Outcome(False, "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set")
        self._check_container_request(url)
        return _Outcome(True, f"{variable} is set: credentials from {url}; whether it answers depends on the host",
                        location=Setup.variable_location(variable))

    def _check_container_request(self, url: str) -> None:
        """Raise what ContainerProvider raises before its request: a bad token or a host it rejects."""
        token_file = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
        # NOTE: a token read from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE is not checked; botocore opens it here.
        if token_file not in self.env:
            token = self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
            if token is not None and ("\r" in token or "\n" in token):
                raise _Failure(BotocoreError("ValueError", "Auth token value is not a legal header value"))

        # Imported here: only a container credentials URL needs them.
        import ipaddress
        import urllib.parse

        # ContainerMetadataFetcher._validate_allowed_url: plain HTTP only to loopback or the ECS and EKS hosts.
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme == "https" or parsed.hostname in CONTAINER_ALLOWED_HOSTS:
            return
        try:
            if ipaddress.ip_address(parsed.hostname or "").is_loopback:
                return
        except ValueError:
            pass
        raise _Failure(BotocoreError(
            "ValueError",
            f"Unsupported host '{parsed.hostname}'.  Can only retrieve metadata from a loopback address or "
            f"one of these hosts: {', '.join(CONTAINER_ALLOWED_HOSTS)}",
        ))

    def _instance_metadata(self) -> _Outcome:
        value = self.env.get(IMDS_VARIABLE)
        if value is not None and value.lower() == "true":
            return _Outcome(False, f"disabled by {IMDS_VARIABLE}={value}")
        reason = "would ask the instance metadata service (IMDS); only an EC2 instance with a role answers"
        if value is not None:
            reason += f" ({IMDS_VARIABLE}={value} does not disable it: only 'true' does)"
        return _Outcome(False, reason, status=DEPENDS_ON_HOST)

    # -- role session name, region -------------------------------------------

    def _session_name(self, method: str | None) -> str | None:
        if method == WEB_IDENTITY:
            name, _ = self._web_identity_value(self.chain_profile, "role_session_name", not self.selection.explicit)
            return name
        configured = self._value(self.chain_profile, "role_session_name")
        return None if configured is None else _text(configured)

    def _region(self) -> Region:
        """Model get_config_variable('region'): explicit, AWS_DEFAULT_REGION, then the profile's region."""
        if self.explicit_region is not None:
            return Region(self.explicit_region, None, explicit=True)
        if "AWS_DEFAULT_REGION" in self.env:
            return Region(self.env["AWS_DEFAULT_REGION"], Setup.variable_location("AWS_DEFAULT_REGION"))
        return self._profile_region(self.selection)

    def _region_v2(self) -> Region:
        """Model CLI v2: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile (CLI v2 selection), then IMDS."""
        if self.explicit_region is not None:
            return Region(self.explicit_region, None, explicit=True)
        for variable in ("AWS_REGION", "AWS_DEFAULT_REGION"):
            if variable in self.env:
                return Region(self.env[variable], Setup.variable_location(variable))
        selection = self.selection if self.selection.explicit else self.setup.selection_v2
        region = self._profile_region(selection)
        imds_disabled = self.env.get(IMDS_VARIABLE, "").lower() == "true"
        if region.value is None and region.note is None and not imds_disabled:
            return Region(None, None, "CLI v2 would ask IMDS for the region (only on EC2)")
        return region

    def _profile_region(self, selection: Selection) -> Region:
        try:
            config = self._scoped_config(selection)
        except _Failure as failure:
            return Region(None, None, failure.error.message)
        value = config.get("region")
        if not isinstance(value, str):
            return Region(None, None)
        name = "default" if selection.name is None else selection.name
        return Region(value, self.setup.key_location(name, "region", at_value=True))


def _is_fatal(source: SourceFile | None) -> bool:
    return source is not None and source.document is not None and source.document.fatal


def _status(source: SourceFile | None) -> str:
    return "not loaded" if source is None else source.status.value


def _definition_values(definition: Definition) -> dict[str, str | dict[str, str]]:
    values: dict[str, str | dict[str, str]] = {}
    for key in definition.entries:
        value = definition.value(key)
        if value is not None:
            values[key] = value
    return values


def _text(value: str | dict[str, str] | None) -> str:
    """Return a setting as text; a nested block (``key =`` then indented lines) is shown as its key list."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return "{" + ", ".join(value) + "}"
    return value


def _program(command: str) -> str:
    """Return the program a credential_process command runs, without its arguments (they may hold secrets)."""
    try:
        words = shlex.split(command)
    except ValueError:
        return "an unparsable command (unbalanced quotes)"
    return repr(words[0]) if words else "an empty command"


def _place(location: Location) -> str:
    """Return a place such as ``~/.aws/credentials [source-user], line 2``."""
    if location.path is None:
        return location.describe()
    place = location.path
    if location.section is not None:
        place += f" [{location.section}]"
    if location.line is not None:
        place += f", line {location.line}"
    return place
