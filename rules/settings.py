"""AD320-AD399: setting values, declared as data in settings.schema.json.

The schema beside this module lists every key botocore and the AWS CLI read
from a profile, an ``[sso-session NAME]`` and a ``[services NAME]`` section,
with the values they accept. :mod:`awsdoctor.rules.setting_schema` compiles
it into small validators, so the check path never imports jsonschema. The
rules read the file text itself (one finding per line, ``[DEFAULT]`` entries
included) and leave inline comments, quotes and folded lines to the AD1xx
rules: a value is judged here only after those are taken off. That includes
``cli_pager = ""``, which AD113 (quoted-value) reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from awsdoctor.findings import Location, Severity
from awsdoctor.probes import PathProbe
from awsdoctor.rule import Issue, rule
from awsdoctor.secrets import redact_text
from awsdoctor.setup import Setup

from .setting_schema import (
    BOOLEAN,
    PROFILE,
    SERVICE,
    SettingEntry,
    Spec,
    Violation,
    catalog,
    check_value,
    describe_region,
    nested_items,
    owner_text,
    scope_spec,
    setting_groups,
    suggest_key,
    suggest_value,
)

TOOL_NAMES = {"botocore": "botocore and boto3", "cli-v1": "AWS CLI v1", "cli-v2": "AWS CLI v2"}


def _location(setup: Setup, item: SettingEntry, line: int | None = None, column: int | None = None) -> Location:
    return setup.file_location(
        item.file, line if line is not None else item.entry.line,
        column if column is not None else item.entry.value_column, item.section, item.profile, item.entry.key,
    )


class _Scalars(NamedTuple):
    """The judged values of one setting, under its dotted key (``s3.addressing_style`` for a nested line).

    ``members`` are the lines of a plain setting, whose value is the entry's
    cleaned value, at the entry's value column; ``nested`` are the inner
    lines of nested blocks, each with its value, line and column.
    """

    key: str
    spec: Spec
    members: list[SettingEntry]
    nested: list[tuple[SettingEntry, str, tuple[int, int]]]

    def items(self) -> Iterator[tuple[SettingEntry, str, tuple[int, int]]]:
        """Yield (entry, value, (line, column)) for every value of the setting."""
        for item in self.members:
            if item.value is not None:
                yield item, item.value, (item.entry.line, item.entry.value_column)
        yield from self.nested

    def failing(self) -> Iterator[tuple[SettingEntry, str, tuple[int, int], Violation]]:
        """Yield the items whose value fails the spec, checking each distinct value once."""
        if not self.spec.constrained:
            return
        values = {item.value for item in self.members}
        values.update(value for _, value, _ in self.nested)
        values.discard(None)
        problems = {}
        for value in values:
            assert value is not None
            problem = check_value(self.spec, value)
            if problem is not None:
                problems[value] = problem
        if not problems:
            return
        for item, value, place in self.items():
            if value in problems:
                yield item, value, place, problems[value]


def _scalar_groups(setup: Setup) -> list[_Scalars]:
    """Return every judged scalar value, grouped by setting and built once per Setup."""
    return setup.derived("settings.scalars", _collect_scalars)


def _collect_scalars(setup: Setup) -> list[_Scalars]:
    groups: dict[str, _Scalars] = {}
    for (scope, key), members in setting_groups(setup).items():
        spec = scope_spec(scope, key)
        if spec is None:
            continue
        if not spec.nested:
            groups[f"{scope} {key}"] = _Scalars(key, spec, members, [])
            continue
        for item in members:
            for nested in nested_items(item.entry):
                inner = spec.properties.get(nested.key)
                if inner is None:
                    continue
                dotted = f"{key}.{nested.key}"
                group = groups.get(f"{scope} {dotted}")
                if group is None:
                    group = groups[f"{scope} {dotted}"] = _Scalars(dotted, inner, [], [])
                group.nested.append((item, nested.value, (nested.line, nested.value_column)))
    return list(groups.values())


@rule(
    "AD320", "invalid-setting-value", Severity.ERROR,
    summary="A setting has a value its tool rejects: not one of the allowed values, not an integer, or out of range.",
    why="""
botocore checks most settings only when it creates a client, so a bad value
in a profile goes unnoticed until the first command fails: retry_mode is
compared case-sensitively (botocore.config.Config raises InvalidRetryModeError),
max_attempts must be an integer of at least 1 (InvalidMaxRetryAttemptsError),
sts_regional_endpoints must be exactly regional or legacy
(InvalidSTSRegionalEndpointsConfigError), region must be a host label
(botocore.utils.validate_region_name raises InvalidRegionError) and
endpoint_url needs a scheme (ValueError: Invalid endpoint). The CLI rejects
an unknown output format on every command.
""",
    example="""
[profile dev]
retry_mode = Standard
max_attempts = 0
""",
    fix="Use one of the values the message lists, spelled exactly as shown.",
)
def invalid_setting_value(setup: Setup) -> Iterator[Issue]:
    for group in _scalar_groups(setup):
        key, spec = group.key, group.spec
        if spec.rule is not None or spec.kind == BOOLEAN:
            continue
        for item, value, place, problem in group.failing():
            suggestion = suggest_value(spec, value)
            hint = f"Set {key} = {suggestion}." if suggestion else f"Set {key} to {problem.expected}."
            yield Issue(
                message=f"{owner_text(item)}: {key} = {value} is invalid: expected {problem.expected}; "
                        f"{spec.invalid or 'the tools that read it reject the value'}",
                hint=hint,
                location=_location(setup, item, *place),
            )


@rule(
    "AD321", "region-not-known", Severity.WARNING,
    summary="A region name passes botocore's format check but is no AWS region: an availability zone, upper case, "
            "or a name missing from botocore's endpoint data.",
    why="""
botocore.utils.validate_region_name accepts any host label, so us-east-1a
(an availability zone), US-EAST-1 or mars-1 make it build endpoints such as
https://sts.us-east-1a.amazonaws.com that fail only when DNS lookup or the
TLS handshake fails. The partitions in botocore/data/partitions.json list the
regions the installed botocore contains.
""",
    example="""
[profile dev]
region = us-east-1a
""",
    fix="Use the region name, e.g. us-east-1 for the zone us-east-1a, in lower case.",
)
def region_not_known(setup: Setup) -> Iterator[Issue]:
    spec = catalog().spec(PROFILE, "region")
    described: dict[str, tuple[str, str, Severity | None] | None] = {}
    for item in setting_groups(setup).get((PROFILE, "region"), ()):
        if item.value is None or spec is None:
            continue
        # Thousands of profiles share a handful of regions: each is judged once.
        if item.value not in described:
            valid = check_value(spec, item.value) is None
            described[item.value] = describe_region(item.value) if valid else None
        found = described[item.value]
        if found is None:
            continue
        message, hint, severity = found
        yield Issue(
            message=f"{owner_text(item)}: region = {item.value} {message}",
            hint=hint,
            location=_location(setup, item),
            severity=severity,
        )


# Region variables: botocore, boto3 and CLI v1 read AWS_DEFAULT_REGION; CLI v2,
# the JavaScript and Go SDKs read AWS_REGION first.
REGION_VARIABLES = ("AWS_DEFAULT_REGION", "AWS_REGION")


@rule(
    "AD331", "invalid-region-variable", Severity.ERROR,
    summary="AWS_DEFAULT_REGION or AWS_REGION holds a value that is no AWS region.",
    why="""
A region from the environment beats the profile's region setting, so a
mistake there breaks every profile. botocore.utils.validate_region_name
rejects a value that is no host label (InvalidRegionError when the first
client is created) and accepts anything else, so an availability zone
(us-east-1a), upper case or a typo (us-esat-1) gives endpoints such as
https://sts.us-esat-1.amazonaws.com that fail only at DNS lookup.
""",
    example="""
# export AWS_DEFAULT_REGION=us-east-1a
""",
    fix="Export a region name from the AWS region list, e.g. AWS_DEFAULT_REGION=us-east-1.",
    needs_environment=True,
)
def invalid_region_variable(setup: Setup) -> Iterator[Issue]:
    spec = catalog().spec(PROFILE, "region")
    for variable in REGION_VARIABLES:
        value = setup.env.get(variable)
        if not value or spec is None:
            continue
        problem = check_value(spec, value)
        if problem is not None:
            yield Issue(
                message=f"{variable}={value} is invalid: expected {problem.expected}; botocore raises "
                        "InvalidRegionError when it creates the first client",
                hint=f"Export a region name, e.g. {variable}=us-east-1.",
                location=setup.variable_location(variable),
            )
            continue
        found = describe_region(value)
        if found is None:
            continue
        message, hint, severity = found
        yield Issue(
            message=f"{variable}={value} {message}",
            hint=hint.replace("Write region =", f"Export {variable}=").replace(f"{variable}= ", f"{variable}="),
            location=setup.variable_location(variable),
            severity=severity or Severity.WARNING,
        )


@rule(
    "AD332", "setting-ignored-by-cli-v2", Severity.INFO,
    summary="A setting that only botocore, boto3 and CLI v1 read; AWS CLI v2 ignores it.",
    why="""
CLI v2 vendors its own copy of botocore with a different table of session
variables (awscli/botocore/configprovider.py): it has no
sts_regional_endpoints (v2 always uses regional STS endpoints), no
api_versions and no cli_follow_urlparam. The same profile therefore behaves
differently under `aws` v2 than under boto3 or CLI v1, with no warning.
""",
    example="""
[profile legacy-sts]
sts_regional_endpoints = legacy
""",
    fix="""
Keep the setting if boto3 or CLI v1 need it, and do not rely on it with CLI
v2; for v2, set the behaviour another way (for STS, an explicit
AWS_ENDPOINT_URL_STS).
""",
)
def setting_ignored_by_cli_v2(setup: Setup) -> Iterator[Issue]:
    for (scope, key), group in setting_groups(setup).items():
        spec = catalog().spec(PROFILE, key) if scope == PROFILE else None
        if spec is None or not spec.tools or "cli-v2" in spec.tools:
            continue
        readers = "boto3, botocore and AWS CLI v1" if "botocore" in spec.tools else "AWS CLI v1"
        for item in group:
            yield Issue(
                message=f"{owner_text(item)}: {key} has no effect in AWS CLI v2, which does not read it "
                        f"(only {readers} do)",
                hint=f"Do not rely on {key} with AWS CLI v2.",
                location=_location(setup, item, column=item.entry.column),
            )


@rule(
    "AD333", "invalid-endpoint-url-variable", Severity.ERROR,
    summary="AWS_ENDPOINT_URL or an AWS_ENDPOINT_URL_<SERVICE> variable holds a URL without a scheme or host.",
    why="""
ConfiguredEndpointProvider (botocore/configprovider.py) takes the
service-specific variable first, then AWS_ENDPOINT_URL, before any file
setting. The client then rejects a value without a scheme, such as
localhost:4566, with ValueError ("Invalid endpoint"), for every service the
variable covers, including the STS client used to assume roles.
""",
    example="""
# export AWS_ENDPOINT_URL=localhost:4566
""",
    fix="Include the scheme: export AWS_ENDPOINT_URL=http://localhost:4566.",
    needs_environment=True,
)
def invalid_endpoint_url_variable(setup: Setup) -> Iterator[Issue]:
    spec = catalog().spec(PROFILE, "endpoint_url")
    if spec is None:
        return
    for variable in sorted(setup.env):
        if variable != "AWS_ENDPOINT_URL" and not variable.startswith("AWS_ENDPOINT_URL_"):
            continue
        value = setup.env[variable]
        problem = check_value(spec, value) if value else None
        if problem is None:
            continue
        shown = redact_text(value)
        yield Issue(
            message=f"{variable}={shown} is invalid: expected {problem.expected}; botocore raises ValueError "
                    "(Invalid endpoint) when it creates a client",
            hint=f"Include the scheme, e.g. {variable}=http://{shown}.",
            location=setup.variable_location(variable),
        )


@rule(
    "AD322", "boolean-not-true-or-false", Severity.WARNING,
    summary="A boolean setting is neither true nor false; botocore reads anything but true as false.",
    why="""
botocore.utils.ensure_boolean returns True only for the text true (any
case). yes, 1 and on are read as false without a warning, so
use_fips_endpoint = yes leaves FIPS endpoints off, and
parameter_validation = yes turns client-side parameter validation OFF.
""",
    example="""
[profile dev]
use_fips_endpoint = yes
""",
    fix="Write true or false.",
)
def boolean_not_true_or_false(setup: Setup) -> Iterator[Issue]:
    for group in _scalar_groups(setup):
        key = group.key
        if group.spec.kind != BOOLEAN:
            continue
        effect = "reads it as false"
        if key == "parameter_validation":
            effect = "reads it as false, so client-side parameter validation is turned OFF"
        for item, value, place, _ in group.failing():
            yield Issue(
                message=f"{owner_text(item)}: {key} = {value} is not true or false; botocore {effect}",
                hint=f"Write {key} = true to turn it on, or {key} = false to turn it off.",
                location=_location(setup, item, *place),
            )


@rule(
    "AD323", "nested-setting-given-as-scalar", Severity.ERROR,
    summary="A setting that must be a nested block (s3, api_versions, a [services] entry) is given a plain value.",
    why="""
botocore.configloader._parse_nested turns a key with an empty value and
indented key = value lines below it into a dictionary. Given a plain value
instead, `s3 = path` stays a string and botocore raises AttributeError
when it creates an S3 client, because it calls .get() on it.
""",
    example="""
[profile dev]
s3 = path
""",
    fix="Leave the key's own value empty and put each setting on an indented line below it.",
)
def nested_setting_given_as_scalar(setup: Setup) -> Iterator[Issue]:
    for (scope, key), group in setting_groups(setup).items():
        spec = scope_spec(scope, key)
        if spec is None or not spec.nested:
            continue
        example = next(iter(spec.properties), "setting")
        for item in group:
            if item.entry.value.startswith("\n"):
                continue
            yield Issue(
                message=f"{owner_text(item)}: {key} = {item.entry.first_line_value} must be a nested block "
                        f"of indented key = value lines; {spec.invalid}",
                hint=f"Write `{key} =` on its own line and indent the settings below it, "
                     f"e.g. `  {example} = ...`.",
                location=_location(setup, item),
            )


@rule(
    "AD324", "services-section-missing", Severity.ERROR,
    summary="services names a [services NAME] section that does not exist in the config file.",
    why="""
botocore's ConfiguredEndpointProvider looks the name up in the config file's
[services NAME] sections and raises InvalidConfigError for every client the
profile creates when it is missing: 'The profile is configured to use the
services section but the "NAME" services configuration does not exist.'
""",
    example="""
[profile dev]
services = local

[services locals]
s3 =
  endpoint_url = http://localhost:4566
""",
    fix="Add the [services NAME] section or correct the name.",
)
def services_section_missing(setup: Setup) -> Iterator[Issue]:
    known = setup.profiles.services
    for item in setting_groups(setup).get((PROFILE, "services"), ()):
        if item.value is None or item.value in known:
            continue
        close = suggest_key(item.value, list(known))
        hint = f"Add a [services {item.value}] section to the config file, or set services to an existing one."
        if close:
            hint = f"Set services = {close}, the [services {close}] section that exists."
        yield Issue(
            message=f"{owner_text(item)}: services = {item.value} names no [services {item.value}] section; "
                    f"botocore raises 'The profile is configured to use the services section but the "
                    f"\"{item.value}\" services configuration does not exist.'",
            hint=hint,
            location=_location(setup, item),
        )


@rule(
    "AD325", "value-unsupported-by-tool", Severity.WARNING,
    summary="A setting has a value that one tool accepts and another tool reading the same file rejects.",
    why="""
The AWS CLI v1 and v2 read the same files but accept different values:
output = yaml, yaml-stream and off exist only in CLI v2, and CLI v1's
awscli/formatter.py get_formatter fails every command with 'Unknown output
type: yaml'; cli_timestamp_format = none exists only in CLI v1.
""",
    example="""
[default]
output = yaml
""",
    fix="Use a value every tool you run accepts, or keep the tool-specific value in a profile only that tool uses.",
)
def value_unsupported_by_tool(setup: Setup) -> Iterator[Issue]:
    for group in _scalar_groups(setup):
        key, spec = group.key, group.spec
        if not spec.tool_values:
            continue
        for item, value, place in group.items():
            if check_value(spec, value) is None:
                yield from _unsupported(setup, item, key, spec, value, place)


def _unsupported(setup: Setup, item: SettingEntry, key: str, spec: Spec, value: str,
                 place: tuple[int, int]) -> Iterator[Issue]:
    """Name each tool that rejects a value the others accept (output = yaml and CLI v1)."""
    for tool, allowed in spec.tool_values.items():
        if value in allowed:
            continue
        name = TOOL_NAMES.get(tool, tool)
        yield Issue(
            message=f"{owner_text(item)}: {key} = {value} is not supported by {name}, which accepts only "
                    f"{', '.join(allowed)}; {spec.invalid}",
            hint=f"Use {' or '.join(allowed)} if you also run {name}, or pass --{key.replace('_', '-')} "
                 f"on the command line where the other value is needed.",
            location=_location(setup, item, *place),
        )


def _ca_bundle_problem(value: str, probe: PathProbe | None) -> str | None:
    if value.strip() == "":
        return ("is empty: botocore up to 1.43.53 then turns TLS certificate verification OFF without a warning, "
                "and botocore 1.43.54 and later raise InvalidConfigError ('Invalid CA bundle')")
    if probe is None:
        return None
    if probe.kind == "missing":
        return "names a file that does not exist; every HTTPS request fails with an SSL error"
    if probe.kind == "directory":
        return "names a directory, not a PEM file; every HTTPS request fails with an SSL error"
    if probe.kind in ("other", "error") or not probe.readable:
        return "names a file this user cannot read; every HTTPS request fails with an SSL error"
    if probe.size == 0:
        return "names an empty file that holds no certificate; every HTTPS request fails with an SSL error"
    return None


@rule(
    "AD326", "ca-bundle-unusable", Severity.ERROR,
    summary="ca_bundle is empty or names a file that is missing, a directory, unreadable or empty.",
    why="""
botocore passes ca_bundle unchanged (no ~ expansion) to urllib3 as the CA
file when it verifies TLS certificates (botocore.endpoint
EndpointCreator._get_verify_value). A missing file fails every HTTPS
request. An empty value is worse: up to botocore 1.43.53 it resolves to
verify='' and botocore.httpsession.URLLib3Session._setup_ssl_cert treats
that as false, so certificate verification is silently off; from 1.43.54
botocore raises InvalidConfigError instead.
""",
    example="""
[profile dev]
ca_bundle = /etc/ssl/corp-ca.pem
""",
    fix="Point ca_bundle at an existing PEM file (absolute path, no ~), or remove the key.",
)
def ca_bundle_unusable(setup: Setup) -> Iterator[Issue]:
    for item in setting_groups(setup).get((PROFILE, "ca_bundle"), ()):
        if item.value is None:
            continue
        probe = setup.probes.path(item.value, setup.cwd) if item.value else None
        problem = _ca_bundle_problem(item.value, probe)
        if problem is None:
            continue
        hint = "Point ca_bundle at an existing PEM file, or remove the key to use the bundled certificates."
        if item.value.startswith("~"):
            hint = "botocore does not expand ~ in ca_bundle: write the absolute path of the PEM file."
        shown = item.value if item.value else "(empty)"
        yield Issue(
            message=f"{owner_text(item)}: ca_bundle = {shown} {problem}",
            hint=hint,
            location=_location(setup, item),
        )


@rule(
    "AD327", "aws-ca-bundle-unusable", Severity.ERROR,
    summary="AWS_CA_BUNDLE is empty or names a file that is missing, a directory, unreadable or empty.",
    why="""
AWS_CA_BUNDLE wins over the profile's ca_bundle. botocore does not check the
path when it creates a client, so a missing file fails every HTTPS request.
An empty AWS_CA_BUNDLE counts as set (botocore's EnvironmentProvider tests
only that the variable exists) and, up to botocore 1.43.53, turns TLS
certificate verification off without a warning; from 1.43.54 botocore raises
InvalidConfigError instead.
""",
    example="""
export AWS_CA_BUNDLE=
""",
    fix="Unset AWS_CA_BUNDLE, or point it at an existing PEM file.",
    needs_environment=True,
)
def aws_ca_bundle_unusable(setup: Setup) -> Iterator[Issue]:
    value = setup.env.get("AWS_CA_BUNDLE")
    if value is None:
        return
    probe = setup.probes.path(value, setup.cwd) if value else None
    problem = _ca_bundle_problem(value, probe)
    if problem is None:
        return
    shown = value if value.strip() else "(empty)"
    yield Issue(
        message=f"AWS_CA_BUNDLE = {shown} {problem}",
        hint="Unset AWS_CA_BUNDLE (`unset AWS_CA_BUNDLE`) or point it at an existing PEM file.",
        location=setup.variable_location("AWS_CA_BUNDLE"),
    )


@rule(
    "AD328", "endpoint-url-redirects-credentials", Severity.INFO,
    summary="endpoint_url on a role or SSO profile also redirects the STS or SSO call that fetches its credentials.",
    why="""
A profile's endpoint_url applies to every client botocore creates for that
profile, including the STS client of AssumeRoleProvider and the SSO client
of SSOProvider. With endpoint_url = http://localhost:4566 on a role profile,
the AssumeRole call goes to localhost too, which is right for a local
emulator and wrong when only one service was meant to be redirected.
""",
    example="""
[profile dev]
role_arn = arn:aws:iam::111122223333:role/dev
source_profile = base
endpoint_url = http://localhost:4566
""",
    fix="To redirect one service only, use a [services NAME] section with that service's endpoint_url.",
)
def endpoint_url_redirects_credentials(setup: Setup) -> Iterator[Issue]:
    for profile in setup.profiles.having("endpoint_url"):
        endpoint = profile.get("endpoint_url")
        if not isinstance(endpoint, str) or not endpoint:
            continue
        if profile.has("role_arn"):
            call = "the STS AssumeRole call that fetches this profile's credentials"
        elif profile.has("sso_account_id") or profile.has("sso_role_name"):
            call = "the SSO GetRoleCredentials call that fetches this profile's credentials"
        else:
            continue
        yield Issue(
            message=f"profile '{profile.name}': endpoint_url = {endpoint} also applies to {call}",
            hint="If only some services should use this endpoint, move it to a [services NAME] section "
                 "(e.g. `s3 =` with `  endpoint_url = ...` below) and set services = NAME.",
            location=setup.key_location(profile.name, "endpoint_url", at_value=True),
        )


@rule(
    "AD330", "unknown-key", Severity.WARNING,
    summary="A key that no AWS tool reads, often a misspelling of one that does.",
    why="""
botocore and the CLI look settings up by exact name and ignore every other
key without a warning, so aws_access_key instead of aws_access_key_id,
role-arn instead of role_arn or region_name instead of region leave the
setting unset. Keys that well-known companion tools keep in the same files
(aws-vault, granted, awsume, saml2aws, aws-sso-util, aws-google-auth,
aws-azure-login, aws-okta) are not reported.
""",
    example="""
[profile dev]
region_name = eu-west-1
""",
    fix="Rename the key to the one the message suggests, or remove it.",
)
def unknown_key(setup: Setup) -> Iterator[Issue]:
    known = catalog()
    for (scope, key), group in setting_groups(setup).items():
        if scope == SERVICE or not key:
            continue
        if known.spec(scope, key) is not None or known.companion(key) is not None:
            continue
        suggestion = suggest_key(key, known.key_names(scope), known.aliases)
        for item in group:
            location = setup.file_location(item.file, item.entry.line, item.entry.column, item.section,
                                           item.profile, key)
            if suggestion is None:
                yield Issue(
                    message=f"{owner_text(item)}: no AWS tool reads the key {key}; it is ignored",
                    hint="Remove the key, or check the spelling against the AWS CLI configuration documentation.",
                    location=location,
                    severity=Severity.INFO,
                )
                continue
            yield Issue(
                message=f"{owner_text(item)}: no AWS tool reads the key {key}; did you mean {suggestion}?",
                hint=f"Rename {key} to {suggestion}.",
                location=location,
            )
    yield from _unknown_nested_keys(setup)


def _unknown_nested_keys(setup: Setup) -> Iterator[Issue]:
    for (scope, key), group in setting_groups(setup).items():
        spec = catalog().spec(scope, key) if scope != SERVICE else None
        if spec is None or not spec.nested or not spec.properties:
            continue
        for item, nested in ((member, nested) for member in group for nested in nested_items(member.entry)):
            inner_key = nested.key
            if inner_key in spec.properties:
                continue
            suggestion = suggest_key(inner_key, list(spec.properties))
            ending = f"did you mean {suggestion}?" if suggestion else "it is ignored"
            yield Issue(
                message=f"{owner_text(item)}: no AWS tool reads {item.entry.key}.{inner_key}; {ending}",
                hint=f"Rename {inner_key} to {suggestion}." if suggestion
                else f"Remove the line; {item.entry.key} accepts {', '.join(spec.properties)}.",
                location=setup.file_location(item.file, nested.line, nested.key_column, item.section, item.profile,
                                             item.entry.key),
                severity=None if suggestion else Severity.INFO,
            )

