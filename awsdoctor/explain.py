"""The model behind ``awsdoctor explain`` and its text and JSON renderings.

:func:`build_explanation` gathers, for the selected profile, every effective
setting with its value and origin, botocore's credential chain and role chain
from :mod:`awsdoctor.resolver`, the expected caller ARN, and what the other
AWS SDKs would pick for the same environment. Everything comes from the
Setup: no socket, no process, nothing written.

No secret leaves this module: access key ids are masked with
:func:`awsdoctor.secrets.mask_key_id`, secret keys and tokens are shown only
as ``(hidden)``, and a credential_process command is shown as its program.
"""

from __future__ import annotations

import json
import shlex
from typing import TYPE_CHECKING, Any

from awsdoctor.formats import printable
from awsdoctor.profiles import CREDENTIALS
from awsdoctor.resolver import (
    ASSUME_ROLE,
    CONFIG_FILE,
    CONTAINER_ROLE,
    CUSTOM_PROCESS,
    DEPENDS_ON_HOST,
    ENV,
    IAM_ROLE,
    LOGIN,
    NOT_REACHED,
    SHARED_CREDENTIALS_FILE,
    SSO,
    USED,
    WEB_IDENTITY,
    resolve_selection,
)
from awsdoctor.secrets import display_setting, mask_key_id, redact_text
from awsdoctor.setup import Selection

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from awsdoctor.findings import Location
    from awsdoctor.profiles import Profile
    from awsdoctor.resolver import Region, Resolution
    from awsdoctor.setup import Setup

HIDDEN = "(hidden)"
SECRET_KEYS = frozenset({"aws_secret_access_key", "aws_session_token", "aws_security_token"})
SECRET_VARIABLES = frozenset({
    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
})
KEY_ID_VARIABLES = frozenset({"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY"})

# STS applies these when the profile leaves them out (AssumeRole DurationSeconds; botocore's
# BaseAssumeRoleCredentialFetcher._generate_assume_role_name).
DEFAULT_DURATION_SECONDS = "3600"
DEFAULT_SESSION_NAME = "botocore-session-<epoch>"

RESET = "\033[0m"
STATUS_COLORS = {USED: "\033[32m", "failed": "\033[1;31m", DEPENDS_ON_HOST: "\033[33m", NOT_REACHED: "\033[2m"}

# Provider METHODs grouped into the kinds of credentials every SDK supports, so that tools compare.
KIND_OF_METHOD = {
    ENV: "environment keys",
    ASSUME_ROLE: "assume role",
    WEB_IDENTITY: "web identity",
    SSO: "SSO",
    SHARED_CREDENTIALS_FILE: "static keys",
    CONFIG_FILE: "static keys",
    LOGIN: "login session",
    CUSTOM_PROCESS: "credential_process",
    CONTAINER_ROLE: "container endpoint",
    IAM_ROLE: "IMDS",
}
NO_CREDENTIALS = "none"
ON_EC2_ONLY = "IMDS (EC2 only)"
PROFILE_NOT_FOUND = "profile not found"


class Setting:
    """One effective setting: its value as shown (masked where secret) and where it comes from."""

    __slots__ = ("location", "name", "note", "origin", "value")

    def __init__(self, name: str, value: str | None, origin: str, location: Location | None = None,
                 note: str | None = None) -> None:
        self.name = name
        self.value = value
        self.origin = origin
        self.location = location
        self.note = note


class ToolResult:
    """The profile, credentials and region one tool would pick, and the parts that differ from CLI v1 / boto3."""

    __slots__ = ("credentials", "differs", "profile", "region", "region_origin", "tool")

    def __init__(self, tool: str, profile: str, credentials: str, region: str | None, region_origin: str,
                 differs: tuple[str, ...] = ()) -> None:
        self.tool = tool
        self.profile = profile
        self.credentials = credentials
        self.region = region
        self.region_origin = region_origin
        self.differs = differs


class Explanation:
    __slots__ = ("environment", "resolution", "settings", "tools")

    def __init__(self, resolution: Resolution, settings: tuple[Setting, ...], environment: tuple[Setting, ...],
                 tools: tuple[ToolResult, ...]) -> None:
        self.resolution = resolution
        self.settings = settings
        self.environment = environment
        self.tools = tools


def build_explanation(setup: Setup, profile: str | None = None) -> Explanation:
    """Explain the selected profile (``profile`` acts as ``--profile``)."""
    selection = setup.selection if profile is None else Selection(profile, "--profile")
    resolution = resolve_selection(setup, selection)
    v2_selection = selection if selection.explicit else setup.selection_v2
    return Explanation(
        resolution=resolution,
        settings=tuple(_settings(setup, selection, resolution)),
        environment=tuple(_environment(setup.env)),
        tools=tuple(_tools(setup, selection, v2_selection, resolution)),
    )


# -- settings -----------------------------------------------------------------


def display_value(key: str, value: str | dict[str, str] | None) -> str | None:
    """Return a setting's value as explain shows it: secrets hidden, key ids masked, commands cut to the program."""
    if value is None:
        return None
    if isinstance(value, dict):
        return "; ".join(f"{name} = {item}" for name, item in value.items())
    if key in SECRET_KEYS:
        return HIDDEN
    if key == "aws_access_key_id":
        return mask_key_id(value)
    if key == "credential_process":
        return program_of(value)
    # Misspelled secret keys (aws_secret_key), key ids under other names and
    # passwords in endpoint URLs are hidden too; control characters escaped.
    return printable(display_setting(key, value))


def display_variable(name: str, value: str) -> str:
    if name in SECRET_VARIABLES or name.startswith("AWS_BEARER_TOKEN_"):
        return HIDDEN
    if name in KEY_ID_VARIABLES:
        return mask_key_id(value)
    return printable(display_setting(name, value))


def program_of(command: str) -> str:
    """Return the program of a credential_process command; its arguments may hold secrets."""
    try:
        words = shlex.split(command)
    except ValueError:
        return "(unparsable command)"
    if not words:
        return ""
    return words[0] if len(words) == 1 else f"{words[0]} (arguments hidden)"


def describe_location(location: Location) -> str:
    if location.path is None:
        return location.describe()
    return f"{location.path}:{location.line}" if location.line is not None else location.path


def _settings(setup: Setup, selection: Selection, resolution: Resolution) -> list[Setting]:
    settings = [_profile_setting(selection)]
    for source, variable in ((setup.config, "AWS_CONFIG_FILE"), (setup.credentials, "AWS_SHARED_CREDENTIALS_FILE")):
        if source is None:
            continue
        origin = f"${variable}" if source.origin == variable else source.origin
        note = None if source.readable else f"not read: {source.status.value}"
        if source.document is not None and source.document.fatal:
            note = "botocore cannot parse it (ConfigParseError)"
        name = "config_file" if variable == "AWS_CONFIG_FILE" else "credentials_file"
        settings.append(Setting(name, source.display or "''", origin, note=note))
    found = setup.profiles.get(resolution.profile)
    settings.append(_region_setting(setup, found, resolution.region))

    if found is not None:
        overrides = environment_overrides()
        for key in found.keys():  # noqa: SIM118 (Profile is not a mapping)
            if key == "region":
                continue
            setting = _profile_key_setting(setup, found, key)
            override = next((name for name in overrides.get(key, ()) if name in setup.env), None)
            if override is not None:
                # botocore's config chain: an environment variable that exists, even empty, beats the profile.
                setting = Setting(key, display_variable(override, setup.env[override]), f"${override}",
                                  note=f"overrides {setting.origin}")
            settings.append(setting)
    if resolution.method == ASSUME_ROLE and found is not None:
        if not found.has("duration_seconds"):
            settings.append(Setting("duration_seconds", DEFAULT_DURATION_SECONDS, "default (STS)"))
        if not found.has("role_session_name"):
            settings.append(Setting("role_session_name", DEFAULT_SESSION_NAME, "default (botocore)"))
    return settings


# Each setting botocore reads from a variable before the profile, from
# botocore.configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES (botocore 1.43).
# Kept here because importing botocore loads urllib3, whose IPv6 probe opens a
# socket, and explain opens none; tests/test_explain.py compares the two.
# NOTE: variables that later botocore versions add are missing until listed.
SESSION_VARIABLES = {
    "account_id_endpoint_mode": "AWS_ACCOUNT_ID_ENDPOINT_MODE",
    "auth_scheme_preference": "AWS_AUTH_SCHEME_PREFERENCE",
    "ca_bundle": "AWS_CA_BUNDLE",
    "csm_client_id": "AWS_CSM_CLIENT_ID",
    "csm_enabled": "AWS_CSM_ENABLED",
    "csm_host": "AWS_CSM_HOST",
    "csm_port": "AWS_CSM_PORT",
    "data_path": "AWS_DATA_PATH",
    "defaults_mode": "AWS_DEFAULTS_MODE",
    "disable_host_prefix_injection": "AWS_DISABLE_HOST_PREFIX_INJECTION",
    "disable_request_compression": "AWS_DISABLE_REQUEST_COMPRESSION",
    "ec2_metadata_service_endpoint": "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "ec2_metadata_service_endpoint_mode": "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "ec2_metadata_v1_disabled": "AWS_EC2_METADATA_V1_DISABLED",
    "endpoint_discovery_enabled": "AWS_ENDPOINT_DISCOVERY_ENABLED",
    "ignore_configured_endpoint_urls": "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "imds_use_ipv6": "AWS_IMDS_USE_IPV6",
    "max_attempts": "AWS_MAX_ATTEMPTS",
    "metadata_service_num_attempts": "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
    "metadata_service_timeout": "AWS_METADATA_SERVICE_TIMEOUT",
    "region": "AWS_DEFAULT_REGION",
    "request_checksum_calculation": "AWS_REQUEST_CHECKSUM_CALCULATION",
    "request_min_compression_size_bytes": "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
    "response_checksum_validation": "AWS_RESPONSE_CHECKSUM_VALIDATION",
    "retry_mode": "AWS_RETRY_MODE",
    "s3_disable_express_session_auth": "AWS_S3_DISABLE_EXPRESS_SESSION_AUTH",
    "sdk_ua_app_id": "AWS_SDK_UA_APP_ID",
    "sigv4a_signing_region_set": "AWS_SIGV4A_SIGNING_REGION_SET",
    "sts_regional_endpoints": "AWS_STS_REGIONAL_ENDPOINTS",
    "tcp_keepalive": "BOTOCORE_TCP_KEEPALIVE",
    "use_dualstack_endpoint": "AWS_USE_DUALSTACK_ENDPOINT",
    "use_fips_endpoint": "AWS_USE_FIPS_ENDPOINT",
}


def environment_overrides() -> dict[str, tuple[str, ...]]:
    """Return setting -> the variables that override it: botocore's session variables, plus two CLI ones."""
    overrides: dict[str, tuple[str, ...]] = {"output": ("AWS_DEFAULT_OUTPUT",), "endpoint_url": ("AWS_ENDPOINT_URL",)}
    for config_key, variable in SESSION_VARIABLES.items():
        overrides[config_key] = (variable,)
    return overrides


def _profile_setting(selection: Selection) -> Setting:
    if selection.source is None:
        return Setting("profile", "default", "default", note="nothing selects a profile")
    origin = "--profile" if selection.explicit else f"${selection.source}"
    return Setting("profile", selection.name, origin)


def _region_setting(setup: Setup, profile: Profile | None, region: Region) -> Setting:
    if region.value is None:
        return Setting("region", None, "not set", note=region.note)
    if region.source is None:
        return Setting("region", region.value, _region_origin(region))
    location = region.source
    if location.variable is None:
        return Setting("region", region.value, describe_location(location), location, note=region.note)
    note = None
    if profile is not None and profile.has("region"):
        note = f"overrides {describe_location(setup.key_location(profile.name, 'region'))}"
    return Setting("region", region.value, f"${location.variable}", location, note)


def _profile_key_setting(setup: Setup, profile: Profile, key: str) -> Setting:
    found = profile.source(key)
    assert found is not None
    definition, entry = found
    location = setup.entry_location(definition.file, definition.section, entry, profile.name)
    origin = describe_location(location)
    if _inherited_from_defaults(setup, definition.file, definition.section, key):
        origin = f"[DEFAULT] {origin}"
    note = None
    if definition.file == CREDENTIALS and profile.config is not None and key in profile.config.entries:
        shadowed = setup.entry_location("config", profile.config.section, profile.config.entries[key], profile.name)
        note = f"the credentials file wins over {describe_location(shadowed)}"
    return Setting(key, display_value(key, profile.get(key)), origin, location, note)


def _inherited_from_defaults(setup: Setup, kind: str, section_name: str, key: str) -> bool:
    source = setup.source(kind)
    if source is None or source.document is None:
        return False
    for section in source.document.sections:
        if section.name == section_name and any(entry.key == key for entry in section.entries):
            return False
    return True


def _environment(env: Mapping[str, str]) -> list[Setting]:
    names = sorted(name for name in env if name.startswith("AWS_") or name == "BOTO_CONFIG")
    return [Setting(name, display_variable(name, env[name]), "environment") for name in names]


# -- other tools --------------------------------------------------------------


def credentials_label(resolution: Resolution) -> str:
    """Return the credential kind botocore ends with, for comparison with the other SDKs."""
    if resolution.error is not None:
        return f"error: {resolution.error.exception}"
    if resolution.method is not None:
        return KIND_OF_METHOD[resolution.method]
    return ON_EC2_ONLY if resolution.depends_on_host else NO_CREDENTIALS


def _tools(setup: Setup, selection: Selection, v2_selection: Selection, v1: Resolution) -> list[ToolResult]:
    """Return what each tool would pick. The JavaScript, Go and Java results follow their SDK source, simplified.

    NOTE: the non-Python results model only what decides the credential kind
    and region: profile variables, env keys, role sources, and the SSO and
    process order. Their parsers also differ ([profile default] beats
    [default], inline comments are cut), which is not modelled here.
    """
    env = setup.env
    explicit = selection.explicit
    v2 = resolve_selection(setup, v2_selection)
    results = [
        ToolResult("CLI v1 / boto3", _profile_name(selection), credentials_label(v1), v1.region.value,
                   _region_origin(v1.region)),
        ToolResult("CLI v2", _profile_name(v2_selection), credentials_label(v2), v2.region_v2.value,
                   _region_origin(v2.region_v2)),
    ]

    js_profile = selection.name if explicit else _first_set(env, ("AWS_PROFILE",))
    js_credentials = _check_source_chain(setup, js_profile, _javascript_credentials(setup, js_profile, explicit),
                                         keys_end_chain=True)
    results.append(_sdk_result(setup, "JavaScript v3", js_profile, js_credentials, ("AWS_REGION",)))

    go_profile = selection.name if explicit else _first_set(env, ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"))
    go_credentials = _check_source_chain(setup, go_profile, _go_credentials(setup, go_profile, explicit),
                                         keys_end_chain=True)
    results.append(_sdk_result(setup, "Go v2", go_profile, go_credentials, ("AWS_REGION", "AWS_DEFAULT_REGION")))

    java_profile = selection.name if explicit else _first_set(env, ("AWS_PROFILE",))
    java_credentials = _check_source_chain(setup, java_profile, _java_credentials(setup, java_profile),
                                           keys_end_chain=False)
    results.append(_sdk_result(setup, "Java v2", java_profile, java_credentials, ("AWS_REGION",)))

    baseline = results[0]
    marked = [baseline]
    for result in results[1:]:
        differs = tuple(
            aspect for aspect, mine, theirs in (
                ("profile", result.profile, baseline.profile),
                ("credentials", _credential_category(result.credentials), _credential_category(baseline.credentials)),
                ("region", result.region, baseline.region),
            ) if mine != theirs
        )
        marked.append(ToolResult(result.tool, result.profile, result.credentials, result.region,
                                 result.region_origin, differs))
    return marked


def _credential_category(label: str) -> str:
    """Return the label, or "error" for any error, so that two tools failing differently do not differ."""
    return "error" if label.startswith("error:") else label


def _check_source_chain(setup: Setup, profile_name: str | None, credentials: str, keys_end_chain: bool) -> str:
    """Return an error label when an assumed role's source_profile links are missing or form a cycle.

    In JavaScript and Go a source profile with static keys ends the chain, so
    a profile may name itself when it has keys. Java assumes every role on
    the way and rejects any profile visited twice.
    """
    if credentials != KIND_OF_METHOD[ASSUME_ROLE]:
        return credentials
    current = setup.profiles.get("default" if profile_name is None else profile_name)
    visited: set[str] = set()
    while current is not None and current.has("role_arn") and current.has("source_profile"):
        has_keys = current.has("aws_access_key_id") and current.has("aws_secret_access_key")
        if visited and keys_end_chain and has_keys:
            return credentials
        source = current.get("source_profile")
        if not isinstance(source, str):
            return credentials
        if keys_end_chain and has_keys and source == current.name:
            return credentials
        visited.add(current.name)
        if source in visited:
            return "error: source_profile cycle"
        current = setup.profiles.get(source)
        if current is None:
            return "error: source profile not found"
    return credentials


def _profile_name(selection: Selection) -> str:
    return "default" if selection.name is None else selection.name


def _first_set(env: Mapping[str, str], names: tuple[str, ...]) -> str | None:
    """Return the first non-empty variable: the JavaScript, Go and Java SDKs treat an empty one as unset."""
    for name in names:
        if env.get(name):
            return env[name]
    return None


def _region_origin(region: Region) -> str:
    if region.explicit:
        return "--region"
    if region.source is None:
        return region.note or "not set"
    if region.source.variable is not None:
        return f"${region.source.variable}"
    return describe_location(region.source)


def _sdk_result(setup: Setup, tool: str, profile_name: str | None, credentials: str,
                region_variables: tuple[str, ...]) -> ToolResult:
    name = "default" if profile_name is None else profile_name
    if profile_name is not None and setup.profiles.get(profile_name) is None:
        # NOTE: whether the SDK then fails or falls through to its container and IMDS providers is not modelled.
        credentials = PROFILE_NOT_FOUND
    for variable in region_variables:
        if setup.env.get(variable):
            return ToolResult(tool, name, credentials, setup.env[variable], f"${variable}")
    found = setup.profiles.get(name)
    region = None if found is None else found.get("region")
    if isinstance(region, str):
        return ToolResult(tool, name, credentials, region, describe_location(setup.key_location(name, "region")))
    return ToolResult(tool, name, credentials, None, "not set")


def _has_env_keys(env: Mapping[str, str]) -> bool:
    return bool(env.get("AWS_ACCESS_KEY_ID")) and bool(env.get("AWS_SECRET_ACCESS_KEY"))


def _has_env_web_identity(env: Mapping[str, str]) -> bool:
    return bool(env.get("AWS_WEB_IDENTITY_TOKEN_FILE")) and bool(env.get("AWS_ROLE_ARN"))


class _ProfileFacts:
    __slots__ = ("credential_source", "exists", "keys", "login", "process", "role", "source_profile", "sso",
                 "web_identity")

    def __init__(self, exists: bool, role: bool, source_profile: bool, credential_source: bool, keys: bool,
                 web_identity: bool, sso: bool, process: bool, login: bool) -> None:
        self.exists = exists
        self.role = role
        self.source_profile = source_profile
        self.credential_source = credential_source
        self.keys = keys
        self.web_identity = web_identity
        self.sso = sso
        self.process = process
        self.login = login

    @classmethod
    def of(cls, profile: Profile | None) -> _ProfileFacts:
        if profile is None:
            return cls(False, False, False, False, False, False, False, False, False)
        return cls(
            exists=True,
            role=profile.has("role_arn"),
            source_profile=profile.has("source_profile"),
            credential_source=profile.has("credential_source"),
            keys=profile.has("aws_access_key_id") and profile.has("aws_secret_access_key"),
            web_identity=profile.has("web_identity_token_file"),
            sso=profile.has("sso_account_id") or profile.has("sso_role_name") or profile.has("sso_session"),
            process=profile.has("credential_process"),
            login=profile.has("login_session"),
        )


def _fallback(env: Mapping[str, str], imds_disabled: bool) -> str:
    if env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") or env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        return KIND_OF_METHOD[CONTAINER_ROLE]
    return NO_CREDENTIALS if imds_disabled else ON_EC2_ONLY


def _facts(setup: Setup, profile_name: str | None) -> _ProfileFacts:
    return _ProfileFacts.of(setup.profiles.get("default" if profile_name is None else profile_name))


def _javascript_credentials(setup: Setup, profile_name: str | None, explicit: bool) -> str:
    """credential-provider-node defaultProvider: env keys are skipped whenever a profile is named."""
    env = setup.env
    if profile_name is None and not explicit and _has_env_keys(env):
        return KIND_OF_METHOD[ENV]
    facts = _facts(setup, profile_name)
    # resolveProfileData: a role needs exactly one source, else the profile is read as if it had no role.
    if facts.role and facts.source_profile != facts.credential_source:
        return KIND_OF_METHOD[ASSUME_ROLE]
    for present, method in ((facts.keys, CONFIG_FILE), (facts.web_identity, WEB_IDENTITY),
                            (facts.process, CUSTOM_PROCESS), (facts.sso, SSO), (facts.login, LOGIN)):
        if present:
            return KIND_OF_METHOD[method]
    if _has_env_web_identity(env):
        return KIND_OF_METHOD[WEB_IDENTITY]
    # remoteProvider: any AWS_EC2_METADATA_DISABLED value except "false" disables IMDS.
    disabled = "AWS_EC2_METADATA_DISABLED" in env and env["AWS_EC2_METADATA_DISABLED"] != "false"
    return _fallback(env, disabled)


def _go_credentials(setup: Setup, profile_name: str | None, explicit: bool) -> str:
    """config.resolveCredentialChain: env keys first unless the profile was given in code."""
    env = setup.env
    facts = _facts(setup, profile_name)
    if facts.source_profile and facts.credential_source:
        return "error: only one credential type per profile"
    profile_credentials = _go_profile_credentials(facts)
    if explicit and profile_credentials is not None:
        return profile_credentials
    if _has_env_keys(env):
        return KIND_OF_METHOD[ENV]
    if _has_env_web_identity(env):
        return KIND_OF_METHOD[WEB_IDENTITY]
    if profile_credentials is not None:
        return profile_credentials
    disabled = env.get("AWS_EC2_METADATA_DISABLED", "").lower() == "true"
    return _fallback(env, disabled)


def _go_profile_credentials(facts: _ProfileFacts) -> str | None:
    # A role_arn wraps whatever the profile provides, its own keys included (shared_config.go).
    if facts.role:
        return KIND_OF_METHOD[ASSUME_ROLE]
    for present, method in ((facts.keys, CONFIG_FILE), (facts.web_identity, WEB_IDENTITY), (facts.sso, SSO),
                            (facts.process, CUSTOM_PROCESS)):
        if present:
            return KIND_OF_METHOD[method]
    return None


def _java_credentials(setup: Setup, profile_name: str | None) -> str:
    """DefaultCredentialsProvider: env keys, env web identity, then the profile, whatever selected it."""
    env = setup.env
    if _has_env_keys(env):
        return KIND_OF_METHOD[ENV]
    if _has_env_web_identity(env):
        return KIND_OF_METHOD[WEB_IDENTITY]
    facts = _facts(setup, profile_name)
    if facts.role and facts.source_profile and facts.credential_source:
        return "error: both source_profile and credential_source"
    ordered = (
        (facts.role and facts.web_identity, WEB_IDENTITY),
        (facts.sso, SSO),
        (facts.role and (facts.source_profile or facts.credential_source), ASSUME_ROLE),
        (facts.login, LOGIN),
        (facts.process, CUSTOM_PROCESS),
        (facts.keys, CONFIG_FILE),
    )
    for present, method in ordered:
        if present:
            return KIND_OF_METHOD[method]
    disabled = env.get("AWS_EC2_METADATA_DISABLED", "").lower() == "true"
    return _fallback(env, disabled)


# -- rendering ----------------------------------------------------------------


# Text longer than this (a megabyte value from a broken file) is cut, so
# that it neither floods the terminal nor widens every row of its table.
MAX_CELL_LENGTH = 300


def _cell(text: str) -> str:
    """Return text from the files or the environment as a cell shows it: redacted, escaped and cut to length."""
    text = printable(redact_text(text))
    if len(text) <= MAX_CELL_LENGTH:
        return text
    return f"{text[:MAX_CELL_LENGTH - 40]} ... ({len(text) - MAX_CELL_LENGTH + 40} more characters)"


def _table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    rows = [[_cell(cell) for cell in row] for row in rows]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths[:-1], strict=True)] + [row[-1]]
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines


def _paint(text: str, status: str, color: bool) -> str:
    code = STATUS_COLORS.get(status)
    return f"{code}{text}{RESET}" if color and code else text


def render_text(explanation: Explanation, color: bool = False) -> str:
    resolution = explanation.resolution
    if resolution.explicit:
        selected_by = "--profile"
    elif resolution.selection_source is not None:
        selected_by = f"${resolution.selection_source}"
    else:
        selected_by = "nothing selects another"
    lines = [f"awsdoctor explain: profile {_cell(repr(resolution.profile))} ({selected_by})", "", "Settings"]
    rows = [[setting.name, setting.value if setting.value is not None else "-",
             setting.origin + (f" ({setting.note})" if setting.note else "")] for setting in explanation.settings]
    lines += _table(rows)
    if explanation.environment:
        lines += ["", "Environment"]
        lines += _table([[setting.name, setting.value or "''"] for setting in explanation.environment])

    lines += ["", "Credential chain (botocore: boto3, CLI v1 and v2)"]
    step_rows = [[step.method, step.status, step.reason] for step in resolution.steps]
    for row, line in zip(step_rows, _table(step_rows), strict=True):
        lines.append(line.replace(row[1], _paint(row[1], row[1], color), 1) if color else line)

    if resolution.role_chain:
        lines += ["", "Role chain"]
        hop_rows = []
        for hop in resolution.role_chain:
            if hop.role_arn is not None:
                description = f"assumes {hop.role_arn} with {hop.source}"
                if hop.chained:
                    description += " (chained: the source is itself a role session, so STS allows at most 1 hour)"
            else:
                description = hop.source
            hop_rows.append([hop.profile or "-", hop.method, description])
        lines += _table(hop_rows)

    if resolution.expected_arn is not None:
        lines += ["", "Expected caller ARN", f"  {resolution.expected_arn.arn}"]

    lines += ["", f"Result: {_cell(_result_sentence(resolution))}"]

    lines += ["", "Other tools in this environment"]
    tool_rows = [["tool", "profile", "credentials", "region", "differs from CLI v1 / boto3"]]
    for result in explanation.tools:
        region = f"{result.region} ({result.region_origin})" if result.region is not None else result.region_origin
        tool_rows.append([result.tool, result.profile, result.credentials, region,
                          ", ".join(result.differs) if result.differs else "-"])
    lines += _table(tool_rows)
    return "\n".join(lines) + "\n"


def _result_sentence(resolution: Resolution) -> str:
    if resolution.error is not None:
        credentials = f"botocore raises {resolution.error.exception}: {resolution.error.message}"
    elif resolution.method == ENV and resolution.selection_source is not None:
        credentials = (f"credentials from env: the exported keys win over the credentials of profile "
                       f"{resolution.profile!r}, which ${resolution.selection_source} selects")
    elif resolution.method is not None:
        credentials = f"credentials from {resolution.method}"
    elif resolution.depends_on_host:
        credentials = "no credentials from the files or the environment; only an EC2 instance role could supply them"
    else:
        credentials = "no credentials (botocore: Unable to locate credentials)"
    region = resolution.region
    where = "no region" if region.value is None else f"region {region.value} ({_region_origin(region)})"
    return f"{credentials}; {where}"


def _location_json(location: Location | None) -> dict[str, Any] | None:
    return None if location is None else location.to_dict()


def _region_json(region: Region) -> dict[str, Any]:
    return {"value": region.value, "source": _location_json(region.source), "note": region.note}


def to_json(explanation: Explanation) -> dict[str, Any]:
    resolution = explanation.resolution
    arn = resolution.expected_arn
    return {
        "version": 1,
        "profile": {"name": resolution.profile, "explicit": resolution.explicit,
                    "source": resolution.selection_source},
        "settings": [
            {"name": setting.name, "value": setting.value, "origin": setting.origin,
             "location": _location_json(setting.location), "note": setting.note}
            for setting in explanation.settings
        ],
        "environment": [{"name": setting.name, "value": setting.value} for setting in explanation.environment],
        "credentials": {
            "method": resolution.method,
            "error": None if resolution.error is None else {
                "exception": resolution.error.exception, "message": resolution.error.message},
            "depends_on_host": resolution.depends_on_host,
        },
        "chain": [{"method": step.method, "status": step.status, "reason": step.reason} for step in resolution.steps],
        "role_chain": [
            {"profile": hop.profile, "role_arn": hop.role_arn, "method": hop.method, "source": hop.source,
             "chained": hop.chained, "location": _location_json(hop.location)}
            for hop in resolution.role_chain
        ],
        "expected_arn": None if arn is None else {"arn": arn.arn, "pattern": arn.pattern,
                                                  "session_name_is_default": arn.session_name is None},
        "region": _region_json(resolution.region),
        "region_cli_v2": _region_json(resolution.region_v2),
        "tools": [
            {"tool": result.tool, "profile": result.profile, "credentials": result.credentials,
             "region": result.region, "region_origin": result.region_origin, "differs": list(result.differs)}
            for result in explanation.tools
        ],
    }


def render_json(explanation: Explanation) -> str:
    return json.dumps(_redacted(to_json(explanation)), indent=2) + "\n"


def _redacted(value: Any) -> Any:
    """Return a JSON document with every string passed through redact_text, as a net under the values shown."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    return value
