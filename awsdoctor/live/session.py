"""botocore sessions built as the AWS CLI builds them, but safe to run from a doctor.

botocore reads ``os.environ`` directly (its config chain, the credential
providers, endpoint and proxy resolution), so the live check runs with the
process environment swapped for the Setup's environment. Four things differ
from the CLI on purpose. Client timeouts and retries come from the command
line. The assume-role cache is an in-memory dict, where the CLI installs a
JSONFileCache in ~/.aws/cli/cache. Token caches are never written. The MFA
prompter never blocks.

botocore is imported inside the functions, so importing this module costs
nothing on the offline ``check`` path.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from awsdoctor.secrets import redact_error_text

logger = logging.getLogger(__name__)

_ENVIRON_LOCK = threading.Lock()

# The providers botocore consults for a source profile that assumes no role
# (AssumeRoleProvider._resolve_credentials_from_profile): the profile chain of
# ProfileProviderBuilder, without the environment, container or IMDS providers.
SOURCE_PROFILE_PROVIDERS = (
    "assume-role-with-web-identity",
    "sso",
    "shared-credentials-file",
    "login",
    "custom-process",
    "config-file",
)


@dataclass(frozen=True)
class ClientSettings:
    """Timeouts (seconds) and total attempts for every STS call of a live check."""

    connect_timeout: float = 3.0
    read_timeout: float = 5.0
    max_attempts: int = 2


class MfaCodeUnavailable(Exception):
    """Raised instead of prompting when a role needs an MFA code and none was given."""

    def __init__(self, prompt: str) -> None:
        super().__init__(prompt)
        self.prompt = prompt


class MfaPrompter:
    """Return the --mfa-code value to botocore's MFA prompt, never reading the terminal."""

    def __init__(self, code: str | None) -> None:
        self.code = code
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if self.code is None:
            raise MfaCodeUnavailable(prompt)
        return self.code


# botocore and urllib3 log request headers (the SigV4 Authorization header
# names the full access key id, X-Amz-Security-Token is the session token) and
# response bodies (AssumeRole returns a secret key) at DEBUG level.
SECRET_LOGGING_LOGGERS = ("botocore", "urllib3")


class RedactingFilter(logging.Filter):
    """Rewrite botocore's and urllib3's records as one redacted line, without the traceback.

    botocore logs a failed credential refresh as a warning with the
    exception attached. When AssumeRole's reply cannot be parsed, that
    exception's text is the whole reply, secret access key and session
    token included.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".", 1)[0] not in SECRET_LOGGING_LOGGERS:
            return True
        message = record.getMessage()
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            # botocore puts response bodies after the first line, so only that line is kept.
            first_line = str(error).strip().split("\n", 1)[0].rstrip(": ")
            message = f"{message} ({type(error).__name__}: {first_line})"
        record.msg = redact_error_text(message, limit=1000)
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


@contextmanager
def quiet_secret_logging() -> Iterator[None]:
    """Keep botocore's and urllib3's DEBUG records, which quote credentials, out of -vv output.

    Their other records pass through :class:`RedactingFilter` on every
    handler of the root logger, and on the handler logging falls back to
    when the root logger has none.
    """
    loggers = [logging.getLogger(name) for name in SECRET_LOGGING_LOGGERS]
    saved = [logger.level for logger in loggers]
    for logger in loggers:
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)
    redacting = RedactingFilter()
    handlers = [*logging.getLogger().handlers, *([logging.lastResort] if logging.lastResort is not None else [])]
    for handler in handlers:
        handler.addFilter(redacting)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(redacting)
        for logger, level in zip(loggers, saved, strict=True):
            logger.setLevel(level)


@contextmanager
def read_only_file_caches() -> Iterator[None]:
    """Drop every write to a botocore JSONFileCache while the live check runs.

    botocore writes refreshed IAM Identity Center and login tokens back to
    ~/.aws/sso/cache and ~/.aws/login/cache through JSONFileCache. A doctor
    must leave those files as it found them, so writes are dropped and reads
    still work.
    """
    import botocore.utils

    cache_class = botocore.utils.JSONFileCache
    saved = cache_class.__setitem__

    def skip_write(cache: Any, cache_key: str, value: Any) -> None:
        logger.debug("live check: not writing cache entry %s (awsdoctor is read-only)", cache_key)

    # NOTE: a class attribute is replaced for the whole process; the caller
    # holds the environment lock, so no other botocore work runs meanwhile.
    cache_class.__setitem__ = skip_write
    try:
        yield
    finally:
        cache_class.__setitem__ = saved


@contextmanager
def process_environment(env: Mapping[str, str]) -> Iterator[None]:
    """Make ``os.environ`` equal to ``env`` while botocore runs, then restore it.

    One live run holds the lock for its whole duration, so concurrent profile
    checks inside it share the same environment.
    """
    # NOTE: botocore computes its SSO token cache directory from HOME when it is
    # first imported. ``awsdoctor check`` imports it here, with the same HOME;
    # a caller that imported botocore under another HOME keeps that directory.
    with _ENVIRON_LOCK:
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


# The signing region of botocore's global STS endpoint (aws-global); see
# signing_region_fallback for when it is used.
GLOBAL_STS_SIGNING_REGION = "us-east-1"


@dataclass
class LiveSession:
    """A botocore Session plus the region its STS clients are created with (None: botocore decides)."""

    session: Any
    sts_region: str | None = None

    def sts_client(self, **credentials: Any) -> Any:
        """Create the STS client a CLI command would create: the session's region, endpoint and settings."""
        return self.session.create_client("sts", region_name=self.sts_region, **credentials)

    def register(self, event: str, handler: Any) -> None:
        self.session.register(event, handler)

    def get_credentials(self) -> Any:
        return self.session.get_credentials()


def build_session(profile: str | None, settings: ClientSettings, prompter: MfaPrompter,
                  only_providers: tuple[str, ...] = ()) -> LiveSession:
    """Build a botocore Session for ``profile`` as ``aws --profile`` would, or as ``aws`` alone when None.

    A profile passed here is an instance variable, which removes the
    environment provider from the chain (create_credential_resolver). An
    ambient AWS_PROFILE is read from the environment and keeps that provider,
    so exported keys win over it exactly as in botocore. ``only_providers`` keeps just
    those providers, in chain order.
    """
    import botocore.config
    import botocore.credentials
    import botocore.session

    session = botocore.session.Session(profile=profile)
    # The default client config also reaches the STS clients that
    # AssumeRoleCredentialFetcher creates without a config of their own.
    session.set_default_client_config(botocore.config.Config(
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        # total_max_attempts counts the first attempt, as --max-attempts does;
        # the retries key "max_attempts" would count retries only.
        retries={"total_max_attempts": settings.max_attempts, "mode": "standard"},
    ))

    # Session.create_client builds the resolver lazily with the region of the
    # first client. The STS clients here get no explicit region, so that is
    # the configured region.
    sts_region = signing_region_fallback(session)
    region = session.get_config_variable("region") or sts_region
    resolver = botocore.credentials.create_credential_resolver(session, cache={}, region_name=region)
    assume_role = resolver.get_provider("assume-role")
    # NOTE: botocore accepts the prompter only as a constructor argument, so the
    # private attribute is replaced (checked against botocore 1.43.11).
    assume_role._prompter = prompter
    if only_providers:
        for provider in list(resolver.providers):
            if provider.METHOD not in only_providers:
                resolver.remove(provider.METHOD)
    session.register_component("credential_provider", resolver)
    return LiveSession(session, sts_region)


def signing_region_fallback(session: Any) -> str | None:
    """Return us-east-1 when an endpoint URL is configured for STS but no region is, else None.

    Without a region botocore sends STS calls to the global endpoint, which
    signs for us-east-1. A configured endpoint URL (AWS_ENDPOINT_URL_STS,
    endpoint_url ...) replaces that endpoint but leaves the client without a
    region, and SigV4 signing then raises NoRegionError.
    """
    import botocore
    import botocore.config

    if session.get_config_variable("region") is not None:
        return None
    # An unsigned client needs no credentials, so the probe does not build a resolver.
    probe = session.create_client("sts", config=botocore.config.Config(signature_version=botocore.UNSIGNED))
    if probe.meta.region_name is not None:
        return None
    # NOTE: the AWS CLI itself fails here with NoRegionError. The check signs as
    # the global endpoint would, so it can still report the caller identity.
    return GLOBAL_STS_SIGNING_REGION
