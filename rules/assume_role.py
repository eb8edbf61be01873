"""AD4xx: role profiles, as botocore's ``AssumeRoleProvider`` reads and validates them.

A profile is a role profile for botocore when its merged view (config file and
credentials file, the credentials file winning per key) has ``role_arn`` and no
``web_identity_token_file`` (``AssumeRoleProvider._has_assume_role_config_vars``).
``_get_role_config`` then requires exactly one of ``source_profile`` and
``credential_source``. A source profile is followed recursively until a profile
with static keys, or one without ``role_arn``, supplies the source credentials.
botocore sends ``role_arn``, ``role_session_name``, ``external_id`` and
``mfa_serial`` to STS unchecked, so the rules here check them against the STS
limits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from awsdoctor.findings import Location, Severity
from awsdoctor.ini import DEFAULT_SECTION, Entry
from awsdoctor.profiles import CONFIG, CREDENTIALS, Profile
from awsdoctor.resolver import BOTOCORE_CHAIN_LIMIT
from awsdoctor.rule import Issue, rule
from awsdoctor.setup import Setup

# CANONICAL_NAME of the providers botocore's CanonicalNameCredentialSourcer
# offers; is_supported() compares with ``in``, so case matters.
CREDENTIAL_SOURCES = ("Environment", "Ec2InstanceMetadata", "EcsContainer")

# AssumeRole limits from the STS model shipped with botocore
# (data/sts/2011-06-15/service-2.json).
# NOTE: re.ASCII assumes STS reads \w as Java does by default ([A-Za-z0-9_]); not verified against the service.
MIN_DURATION_SECONDS = 900
MAX_DURATION_SECONDS = 43200
CHAINED_MAX_DURATION_SECONDS = 3600
DEFAULT_DURATION_SECONDS = 3600
SESSION_NAME_LENGTH = (2, 64)
SESSION_NAME_PATTERN = re.compile(r"[\w+=,.@-]*", re.ASCII)
EXTERNAL_ID_LENGTH = (2, 1224)
EXTERNAL_ID_PATTERN = re.compile(r"[\w+=,.@:/-]*", re.ASCII)
SERIAL_NUMBER_LENGTH = (9, 256)
SERIAL_NUMBER_PATTERN = re.compile(r"[\w+=/:,.@-]*", re.ASCII)
ROLE_ARN_LENGTH = (20, 2048)

# Partition ids and region patterns from botocore's data/partitions.json
# (1.43.11). An explicit region list is checked before the patterns, as
# botocore's endpoint resolver does.
PARTITION_REGIONS: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...] = (
    ("aws", re.compile(r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$"), frozenset({"aws-global"})),
    ("aws-cn", re.compile(r"^cn\-\w+\-\d+$"), frozenset({"aws-cn-global"})),
    ("aws-eusc", re.compile(r"^eusc\-(de)\-\w+\-\d+$"), frozenset()),
    ("aws-iso", re.compile(r"^us\-iso\-\w+\-\d+$"), frozenset({"aws-iso-global"})),
    ("aws-iso-b", re.compile(r"^us\-isob\-\w+\-\d+$"), frozenset({"aws-iso-b-global"})),
    ("aws-iso-e", re.compile(r"^eu\-isoe\-\w+\-\d+$"), frozenset({"aws-iso-e-global"})),
    ("aws-iso-f", re.compile(r"^us\-isof\-\w+\-\d+$"), frozenset({"aws-iso-f-global"})),
    ("aws-us-gov", re.compile(r"^us\-gov\-\w+\-\d+$"), frozenset({"aws-us-gov-global"})),
)
PARTITIONS = tuple(partition for partition, _, _ in PARTITION_REGIONS)

# arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME; IAM role names are 1-64 of
# [\w+=,.@-] and path segments are printable ASCII without "/".
ROLE_ARN = re.compile(r"^arn:(?P<partition>[a-z-]+):iam::(?P<account>\d{12}):role/(?:[!-.0-~]+/)*[\w+=,.@-]{1,64}$",
                      re.ASCII)
ARN_PARTS = re.compile(r"^arn:(?P<partition>[^:]*):(?P<service>[^:]*):(?P<region>[^:]*):(?P<account>[^:]*):"
                       r"(?P<resource>.*)$")
MFA_ARN = re.compile(r"^arn:(?P<partition>[a-z-]+):iam::\d{12}:mfa/(?:[!-.0-~]+/)*[\w+=,.@-]{1,128}$", re.ASCII)

STATIC_KEYS = ("aws_access_key_id", "aws_secret_access_key")
SSO_CREDENTIAL_KEYS = ("sso_account_id", "sso_role_name")

# Kinds of source credentials that are themselves role sessions, so STS
# treats a role assumed with them as role chaining (1-hour limit).
CHAINED_KINDS = ("role", "web identity", "SSO")

# Role settings that only AssumeRoleProvider reads.
ROLE_ONLY_KEYS = ("source_profile", "credential_source", "mfa_serial", "external_id", "role_session_name",
                  "duration_seconds")


# -- reading profiles ------------------------------------------------------


_INLINE_COMMENT_TAIL = re.compile(r"\s[#;].*$")


def _as_meant(value: str) -> str:
    """Return a value without an inline comment or surrounding quotes, which AD112 and AD113 report."""
    meant = _INLINE_COMMENT_TAIL.sub("", value).strip()
    if len(meant) >= 2 and meant[0] == meant[-1] and meant[0] in "\"'":
        meant = meant[1:-1].strip()
    return meant


def _is_role_profile(profile: Profile) -> bool:
    """Return True for the profiles AssumeRoleProvider handles: role_arn without web_identity_token_file."""
    return profile.has("role_arn") and not profile.has("web_identity_token_file")


def _has_static_keys(profile: Profile) -> bool:
    """Mirror AssumeRoleProvider._has_static_credentials: either key name in the merged view counts."""
    return any(profile.has(key) for key in STATIC_KEYS)


def _role_profiles(setup: Setup) -> list[Profile]:
    """Return the profiles AssumeRoleProvider handles, built once per Setup for the twenty rules that walk them."""
    return setup.derived("assume_role.profiles", _collect_role_profiles)


def _collect_role_profiles(setup: Setup) -> list[Profile]:
    return [profile for profile in setup.profiles.having("role_arn") if not profile.has("web_identity_token_file")]


def _source_name(profile: Profile) -> str | None:
    """Return the source_profile botocore follows: only set when credential_source is not also set."""
    if profile.has("credential_source"):
        return None
    return profile.text("source_profile")


def credential_kind(profile: Profile) -> str | None:
    """Name the credentials a profile supplies when botocore resolves it as a source profile.

    Follows ``AssumeRoleProvider._resolve_credentials_from_profile``. A role
    profile without static keys is assumed in turn ("role"). Any other profile
    goes through the profile providers with the environment disabled, in
    botocore's order: web identity, SSO, credentials-file keys, login,
    process, config-file keys. None means that botocore raises 'The source
    profile "X" must have credentials.'
    """
    if _is_role_profile(profile) and not _has_static_keys(profile):
        return "role"
    if profile.has("web_identity_token_file"):
        return "web identity"
    if any(profile.has(key) for key in SSO_CREDENTIAL_KEYS):
        return "SSO"
    if profile.file_value(CREDENTIALS, "aws_access_key_id") is not None:
        return "static keys"
    if profile.has("login_session"):
        return "login"
    if profile.has("credential_process"):
        return "credential_process"
    if profile.file_value(CONFIG, "aws_access_key_id") is not None:
        return "static keys"
    return None


def _describe_kind(kind: str) -> str:
    return {"role": "itself a role", "web identity": "a web-identity role", "SSO": "an IAM Identity Center (SSO) role"
            }.get(kind, kind)


def _key_location(setup: Setup, name: str, key: str, at_value: bool = False) -> Location:
    """Locate the entry that gives ``key`` to a profile, naming [DEFAULT] as the section when it comes from there."""
    location = setup.key_location(name, key, at_value)
    profile = setup.profile(name)
    found = None if profile is None else profile.source(key)
    if found is not None and _is_default_entry(setup, found[0].file, found[1]):
        return location._replace(section=DEFAULT_SECTION)
    return location


def _is_default_entry(setup: Setup, kind: str, entry: Entry) -> bool:
    source = setup.source(kind)
    if source is None or source.document is None:
        return False
    return source.document.defaults().get(entry.key) is entry


def partition_of_region(region: str) -> str | None:
    """Return the partition botocore's endpoint resolver puts ``region`` in, or None when no pattern matches."""
    for partition, _, names in PARTITION_REGIONS:
        if region in names:
            return partition
    for partition, pattern, _ in PARTITION_REGIONS:
        if pattern.match(region):
            return partition
    return None


# -- role sources ----------------------------------------------------------


@rule(
    "AD400", "role-without-source", Severity.ERROR,
    summary="A role profile sets role_arn but neither source_profile nor credential_source.",
    why="""
botocore's AssumeRoleProvider._get_role_config needs one of the two keys to
find the credentials that call AssumeRole. Without them, using the profile
raises PartialCredentialsError: Partial credentials found in assume-role,
missing: source_profile or credential_source. This happens even when the
profile has static keys, credential_process or sso_* settings of its own:
botocore never uses them as the source of its own role. The Go SDK assumes the
role with the profile's own keys, and the JavaScript and Java SDKs ignore the
role and use the keys, so the same profile means three different things.
""",
    example="""
[profile deploy]
role_arn = arn:aws:iam::123456789012:role/Deployer
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
""",
    fix="""
Add source_profile = NAME (a profile with credentials, or the profile itself
when it has static keys), or credential_source = Environment,
Ec2InstanceMetadata or EcsContainer.
""",
)
def role_without_source(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        if profile.has("source_profile") or profile.has("credential_source"):
            continue
        own = [label for label, present in (
            ("static keys", _has_static_keys(profile)),
            ("credential_process", profile.has("credential_process")),
            ("sso_* settings", any(profile.has(key) for key in SSO_CREDENTIAL_KEYS)),
        ) if present]
        message = (f"profile {profile.name!r} sets role_arn but neither source_profile nor credential_source, "
                   "so botocore cannot find credentials to assume the role with")
        hint = ("Using it raises: Partial credentials found in assume-role, missing: source_profile or "
                "credential_source. ")
        if own:
            message += f" (botocore does not use its own {' and '.join(own)} as the source)"
            if _has_static_keys(profile):
                hint += (f"To assume the role with this profile's keys, add source_profile = {profile.name}. "
                         "The Go SDK already does that, while the JavaScript and Java SDKs ignore role_arn and "
                         "use the keys directly.")
            else:
                hint += ("Move those settings to a profile of their own and point source_profile at it. "
                         "The JavaScript and Java SDKs ignore role_arn here and use the profile's own credentials.")
        else:
            hint += "Add source_profile = NAME or credential_source = Environment, Ec2InstanceMetadata or EcsContainer."
        yield Issue(message=message, hint=hint, location=_key_location(setup, profile.name, "role_arn"))


@rule(
    "AD401", "role-with-two-sources", Severity.ERROR,
    summary="A role profile sets both source_profile and credential_source.",
    why="""
botocore's AssumeRoleProvider._get_role_config accepts exactly one source of
credentials and raises InvalidConfigError: The profile "NAME" contains both
source_profile and credential_source. The Go and Java SDKs reject the profile
too, and the JavaScript SDK silently stops treating it as a role profile.
""",
    example="""
[profile deploy]
role_arn = arn:aws:iam::444455556666:role/Deployer
source_profile = base
credential_source = Ec2InstanceMetadata
""",
    fix="Keep one of the two keys: source_profile on a workstation, credential_source on EC2, ECS or in CI.",
)
def role_with_two_sources(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        source = profile.text("source_profile")
        credential_source = profile.text("credential_source")
        if not profile.has("source_profile") or not profile.has("credential_source"):
            continue
        yield Issue(
            message=f"profile {profile.name!r} sets both source_profile ({source!r}) and credential_source "
                    f"({credential_source!r}); botocore accepts only one of them",
            hint=f'Using it raises: The profile "{profile.name}" contains both source_profile and '
                 "credential_source. Remove credential_source to assume the role with the credentials of "
                 f"profile {source!r}, or remove source_profile to use {credential_source}.",
            location=_key_location(setup, profile.name, "credential_source"),
            related=(_key_location(setup, profile.name, "source_profile"),),
        )


@rule(
    "AD402", "source-profile-not-found", Severity.ERROR,
    summary="source_profile names a profile that does not exist.",
    why="""
botocore's AssumeRoleProvider._validate_source_profile looks the name up in
the merged profile map and raises InvalidConfigError: The source_profile "X"
referenced in the profile "NAME" does not exist. In the config file a profile
needs the `profile ` prefix (`[profile base]`); in the credentials file it must
not have it (`[base]`). Names are case-sensitive.
""",
    example="""
[base]
region = us-east-1

[profile deploy]
role_arn = arn:aws:iam::123456789012:role/Deployer
source_profile = base
""",
    fix="Point source_profile at an existing profile, or fix the section header of the profile it names.",
)
def source_profile_not_found(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        name = _source_name(profile)
        if name is None or setup.profile(name) is not None:
            continue
        if _as_meant(name) != name and setup.profile(_as_meant(name)) is not None:
            continue  # The comment or the quotes are the mistake, and the file rules name the fix.
        near, related = _near_profile(setup, name)
        message = f"profile {profile.name!r}: source_profile {name!r} does not exist"
        if near:
            message += f" ({near})"
        yield Issue(
            message=message,
            hint=f'Using it raises: The source_profile "{name}" referenced in the profile "{profile.name}" '
                 "does not exist. " + _near_fix(setup, name),
            location=_key_location(setup, profile.name, "source_profile", at_value=True),
            related=related,
        )


def _near_profile(setup: Setup, name: str) -> tuple[str, tuple[Location, ...]]:
    """Describe a section that was probably meant as profile ``name``, and locate it."""
    if name in setup.profiles.other_sections:
        section = setup.find_section(CONFIG, name)
        where = () if section is None else (setup.section_location(CONFIG, section),)
        return f"the config file has a section [{name}], which is not a profile without the 'profile ' prefix", where
    prefixed = f"profile {name}"
    if setup.profile(prefixed) is not None:
        return (f"the credentials file has a section [{prefixed}], which defines a profile literally named "
                f"{prefixed!r}", (setup.profile_location(prefixed, kind=CREDENTIALS),))
    for other in setup.profiles:
        if other.name.lower() == name.lower():
            return (f"profile {other.name!r} differs only in case, and profile names are case-sensitive",
                    (setup.profile_location(other.name),))
    return "", ()


def _near_fix(setup: Setup, name: str) -> str:
    if name in setup.profiles.other_sections:
        return f"Rename the config-file section [{name}] to [profile {name}]."
    if setup.profile(f"profile {name}") is not None:
        return f"Rename the credentials-file section [profile {name}] to [{name}]."
    return "Create that profile or point source_profile at an existing one."


@rule(
    "AD403", "source-profile-cycle", Severity.ERROR,
    summary="Following source_profile from a role profile comes back to a profile already visited.",
    why="""
botocore's AssumeRoleProvider records every profile it visits while following
source_profile, and raises InfiniteLoopConfigError (Infinite loop in credential
configuration detected. Attempting to load from profile X which has already
been visited. Visited profiles: [...]) on a revisit. The one exception is a
profile that names itself and has static keys: its keys are then used to
assume its own role. A profile with static keys ends the chain only after the
first hop, so A -> B -> A fails from A even when A has keys.
""",
    example="""
[profile ops]
role_arn = arn:aws:iam::111122223333:role/Ops
source_profile = prod

[profile prod]
role_arn = arn:aws:iam::111122223333:role/Prod
source_profile = ops
""",
    fix="End the chain at a profile with credentials (static keys, SSO, credential_process) or use credential_source.",
)
def source_profile_cycle(setup: Setup) -> Iterator[Issue]:
    starts = [profile.name for profile in _role_profiles(setup)]
    selected = setup.selection.effective_name
    if selected in starts:
        # Report from the profile in use, so the visited list matches what botocore prints for it.
        starts.remove(selected)
        starts.insert(0, selected)
    terminals = _chain_terminals(setup)
    reported: set[frozenset[str]] = set()
    for start in starts:
        if not _may_loop(setup, start, terminals) or terminals.get(start) in reported:
            continue
        loop = find_loop(setup, start)
        if loop is None:
            continue
        visited, revisited = loop
        members = frozenset(visited[visited.index(revisited):])
        end = terminals.get(start)
        if isinstance(end, frozenset) and end == members:
            # Keep the set object all members share: a set lookup tries identity before comparing
            # elements, so the check above stays constant-time for the other members of a long loop.
            members = end
        if start not in members or members in reported:
            # A profile leading into a loop fails too; the loop is reported once, from one of its members.
            continue
        reported.add(members)
        yield _cycle_issue(setup, visited, revisited)


def _next_source(setup: Setup, name: str) -> str | None:
    """Return the existing profile botocore resolves next from role profile ``name``, or None where it stops."""
    profile = setup.profile(name)
    if profile is None or not _is_role_profile(profile):
        return None
    source = _source_name(profile)
    return source if source is not None and setup.profile(source) is not None else None


def _continues(setup: Setup, name: str) -> bool:
    """Return True for a profile whose role botocore assumes in turn when it is a source: no keys of its own."""
    return name in setup.derived("assume_role.continuing", _continuing)


def _continuing(setup: Setup) -> frozenset[str]:
    return frozenset(profile.name for profile in _role_profiles(setup) if not _has_static_keys(profile))


class _Chains(NamedTuple):
    """The end of each chain that a profile continues, and the number of source_profile hops to reach it."""

    terminals: dict[str, str | frozenset[str] | None]
    hops: dict[str, int]


def _chain_terminals(setup: Setup) -> dict[str, str | frozenset[str] | None]:
    """Follow source_profile from every profile that continues a chain, once for all of them.

    Each such profile maps to where following it ends: the first profile
    that stops the chain (static keys, no role, or None for a missing
    source), or the set of profiles of the loop it runs into. Every profile
    has one source, so each is walked once and a 20,000-profile chain costs
    20,000 steps rather than one walk per start.
    """
    return _chains(setup).terminals


def _chains(setup: Setup) -> _Chains:
    def build(current: Setup) -> _Chains:
        terminals: dict[str, str | frozenset[str] | None] = {}
        # Hops botocore makes from each profile; 0 where the chain ends in a
        # loop or a missing source, which raise before any depth matters.
        hops: dict[str, int] = {}
        for profile in _role_profiles(current):
            path: list[str] = []
            on_path: dict[str, int] = {}
            name: str | None = profile.name
            while name is not None and name not in terminals and _continues(current, name):
                if name in on_path:
                    cycle = frozenset(path[on_path[name]:])
                    for member in cycle:
                        terminals[member] = cycle
                        hops[member] = 0
                    path = path[:on_path[name]]
                    end: str | frozenset[str] | None = cycle
                    break
                on_path[name] = len(path)
                path.append(name)
                name = _next_source(current, name)
            else:
                end = terminals[name] if name is not None and name in terminals else name
            if isinstance(end, frozenset) or end is None:
                count = 0
            elif name is not None and name in hops:
                count = hops[name] and hops[name] + 1
            else:
                count = 1
            for member in reversed(path):
                terminals.setdefault(member, end)
                hops.setdefault(member, count)
                count = count and count + 1
        return _Chains(terminals, hops)

    return setup.derived("assume_role.chains", build)


def _may_loop(setup: Setup, start: str, terminals: dict[str, str | frozenset[str] | None]) -> bool:
    """Return True when following source_profile from ``start`` can come back to a profile already visited.

    Only starts that are part of the loop matter here, because the rule
    reports each loop from one of its members. A start that continues chains
    is a member when its chain ends in a loop that contains it. A start with
    keys of its own (botocore still assumes its role when it is the profile
    in use) is a member when its chain comes back to it.
    """
    if _continues(setup, start):
        end = terminals.get(start)
        return isinstance(end, frozenset) and start in end
    first = _next_source(setup, start)
    if first is None or first == start:
        return False
    return _continues(setup, first) and terminals.get(first) == start


def find_loop(setup: Setup, start: str) -> tuple[list[str], str] | None:
    """Follow source_profile from ``start`` as AssumeRoleProvider does; return (visited, revisited) on a loop.

    Stops without a loop where botocore would stop: a missing profile,
    credential_source, a source with static keys or without role settings,
    or a self-reference with static keys.
    """
    visited = [start]
    seen = {start}
    current = start
    while True:
        profile = setup.profile(current)
        if profile is None or not _is_role_profile(profile):
            return None
        source = _source_name(profile)
        if source is None or setup.profile(source) is None:
            return None
        source_profile = setup.profile(source)
        assert source_profile is not None
        if source in seen:
            if source == current and _has_static_keys(source_profile):
                return None
            return visited, source
        visited.append(source)
        seen.add(source)
        if _has_static_keys(source_profile) or not _is_role_profile(source_profile):
            return None
        current = source


def _cycle_issue(setup: Setup, visited: list[str], revisited: str) -> Issue:
    start = visited[0]
    chain = " -> ".join([*visited, revisited])
    if len(visited) == 1:
        message = (f"profile {start!r} names itself as source_profile but has no static keys, "
                   "so botocore sees a loop")
        fix = ("Add aws_access_key_id and aws_secret_access_key to it, or point source_profile at a profile "
               "with credentials.")
    else:
        message = f"profile {start!r}: the source_profile chain {chain} is a loop"
        with_keys = [name for name in visited if name != start and _has_static_keys_named(setup, name)]
        if _has_static_keys_named(setup, start) and not with_keys:
            message += (f"; the static keys of {start!r} are only used when another profile sources it, "
                        "not on the first hop")
        elif not with_keys:
            message += " and no profile in it has credentials of its own"
        fix = ("End the chain at a profile with credentials (static keys, SSO, credential_process) "
               "or use credential_source.")
    hint = ("Using it raises InfiniteLoopConfigError: Infinite loop in credential configuration detected. "
            f"Attempting to load from profile {revisited} which has already been visited. "
            f"Visited profiles: {visited}. {fix}")
    related = tuple(_key_location(setup, name, "source_profile") for name in visited[1:])
    return Issue(message=message, hint=hint, location=_key_location(setup, start, "source_profile"), related=related)


def _has_static_keys_named(setup: Setup, name: str) -> bool:
    profile = setup.profile(name)
    return profile is not None and _has_static_keys(profile)


@rule(
    "AD404", "source-profile-without-credentials", Severity.ERROR,
    summary="source_profile names a profile that supplies no credentials.",
    why="""
When the source profile is not a role profile, botocore resolves it with the
profile providers (web identity, SSO, credentials-file keys, login,
credential_process, config-file keys) and raises InvalidConfigError: The
source profile "X" must have credentials. when none of them applies, for
example when the profile only sets a region, or has aws_secret_access_key
without aws_access_key_id.
""",
    example="""
[profile base]
region = us-east-1

[profile deploy]
role_arn = arn:aws:iam::123456789012:role/Deployer
source_profile = base
""",
    fix="""
Give the source profile credentials (keys in the credentials file, SSO,
credential_process), or point source_profile at another profile.
""",
)
def source_profile_without_credentials(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        name = _source_name(profile)
        source = None if name is None else setup.profile(name)
        # A self-reference without static keys counts as "role" here: AD403 reports that loop.
        if name is None or source is None or credential_kind(source) is not None:
            continue
        if name == profile.name:
            # botocore allows the self-reference because a static key name is present, then finds no key id.
            message = (f"profile {profile.name!r} names itself as source_profile but has aws_secret_access_key "
                       "without aws_access_key_id, so it has no credentials to assume its role with")
        else:
            message = (f"profile {profile.name!r}: source_profile {name!r} has no credentials "
                       "(no aws_access_key_id, sso_account_id, sso_role_name, credential_process, "
                       "web_identity_token_file or role_arn)")
        yield Issue(
            message=message,
            hint=f'Using it raises: The source profile "{name}" must have credentials. Add keys for {name!r} '
                 "to the credentials file, or point source_profile at a profile that has credentials.",
            location=_key_location(setup, profile.name, "source_profile", at_value=True),
            related=(setup.profile_location(name),),
        )


@rule(
    "AD405", "credential-source-invalid", Severity.ERROR,
    summary="credential_source is not Environment, Ec2InstanceMetadata or EcsContainer, in exactly that case.",
    why="""
botocore's CanonicalNameCredentialSourcer.is_supported compares the value with
the providers' canonical names case-sensitively, so Ec2InstanceMetaData or
environment is rejected with InvalidConfigError: The credential source "X"
referenced in profile "NAME" is not valid. The JavaScript and Go SDKs also
require the exact case; the Java SDK accepts any case, so a profile that works
in a Java program can fail in the CLI.
""",
    example="""
[profile ci]
role_arn = arn:aws:iam::123456789012:role/Deployer
credential_source = Ec2InstanceMetaData
""",
    fix="Use Environment, Ec2InstanceMetadata or EcsContainer, spelled exactly so.",
)
def credential_source_invalid(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        value = profile.text("credential_source")
        if value is None or value in CREDENTIAL_SOURCES or profile.has("source_profile"):
            continue
        same = [name for name in CREDENTIAL_SOURCES if name.lower() == value.lower()]
        if same:
            message = (f"profile {profile.name!r}: credential_source = {value} is not valid because botocore "
                       f"compares it case-sensitively; it must be {same[0]}")
            hint = f"Write credential_source = {same[0]}. (The Java SDK accepts any case, botocore does not.)"
        else:
            message = (f"profile {profile.name!r}: credential_source = {value} is not valid; "
                       f"expected one of {', '.join(CREDENTIAL_SOURCES)}")
            hint = f"Use {', '.join(CREDENTIAL_SOURCES[:-1])} or {CREDENTIAL_SOURCES[-1]}."
        yield Issue(
            message=message,
            hint=f'Using it raises: The credential source "{value}" referenced in profile "{profile.name}" '
                 f"is not valid. {hint}",
            location=_key_location(setup, profile.name, "credential_source", at_value=True),
        )


@rule(
    "AD406", "own-keys-ignored-by-role", Severity.WARNING,
    summary="A role profile has static keys of its own, but botocore assumes its role with another source.",
    why="""
AssumeRoleProvider comes before the static-key providers in botocore's chain,
so a profile with role_arn and source_profile = OTHER (or credential_source)
is always used through its role, with OTHER's credentials; its own
aws_access_key_id and aws_secret_access_key are never used for it. They only
come into play when another profile names this one as source_profile, and then
its role is skipped instead (static keys win over role settings after the
first hop). The Java SDK v2 assumes the source profile's role there instead,
so the same chain gives another identity in Java.
""",
    example="""
[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
""",
    fix="""
Remove the keys if the source profile is right. To assume the role with these
keys, set source_profile to the profile's own name.
""",
)
def own_keys_ignored_by_role(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        if not _has_static_keys(profile):
            continue
        source = profile.text("source_profile")
        credential_source = profile.text("credential_source")
        if source == profile.name or (source is None) == (credential_source is None):
            # Self-reference uses the keys; no source or two sources are AD400 and AD401.
            continue
        key = "aws_access_key_id" if profile.has("aws_access_key_id") else "aws_secret_access_key"
        if source is not None:
            via = f"the credentials of source_profile {source!r}"
            related: tuple[Location, ...] = (setup.profile_location(source),) if setup.profile(source) else ()
        else:
            via = f"credential_source = {credential_source}"
            related = ()
        sources_it = [other.name for other in _role_profiles(setup)
                      if other.name != profile.name and _source_name(other) == profile.name]
        message = (f"profile {profile.name!r} has its own static keys, but botocore assumes its role_arn with "
                   f"{via}, so its keys are ignored when {profile.name!r} is used")
        if sources_it:
            names = ", ".join(repr(name) for name in sources_it)
            message += f" (profiles sourcing it, {names}, get its keys and skip its role)"
        replace = "set" if source is not None else "replace credential_source with"
        hint = (f"If the keys are meant to assume the role, {replace} source_profile = {profile.name}; "
                "otherwise remove them from this profile.")
        if sources_it:
            # Java v2's ProfileCredentialsUtils resolves a source profile's role_arn before its keys.
            hint += (f" The Java SDK v2 differs for the profiles sourcing it: it assumes the role of "
                     f"{profile.name!r} instead of using its keys.")
        yield Issue(
            message=message,
            hint=hint,
            location=_key_location(setup, profile.name, key),
            related=related,
        )


@rule(
    "AD407", "source-profile-chain-too-long", Severity.ERROR,
    summary="A source_profile chain is longer than botocore can follow: it raises RecursionError.",
    why="""
AssumeRoleProvider resolves each source profile by calling itself again, a
few stack frames per role. Under Python's default recursion limit botocore
1.43 follows 328 source_profile hops from a script and raises RecursionError
(maximum recursion depth exceeded) on a longer chain, and on a somewhat
shorter one from deeper call stacks such as the AWS CLI's. Generated
configurations that chain every account through the previous one reach
this.
""",
    example="""
[profile hop-1]
role_arn = arn:aws:iam::111122223333:role/hop
source_profile = base
# ... hop-2 to hop-400, each with source_profile = the one before
""",
    fix="""
Point each role profile at a source with credentials of its own (static
keys, SSO or credential_source) instead of at the previous role, so that no
chain is longer than a few hops.
""",
)
def source_profile_chain_too_long(setup: Setup) -> Iterator[Issue]:
    hops = _chain_hops(setup)
    sourced = {_source_name(profile) for profile in _role_profiles(setup)}
    selected = setup.selection.effective_name
    for profile in _role_profiles(setup):
        count = hops.get(profile.name, 0)
        # Report the head of each chain (no role names it as source) and the profile in use.
        if count <= BOTOCORE_CHAIN_LIMIT or (profile.name in sourced and profile.name != selected):
            continue
        yield Issue(
            message=f"profile {profile.name!r}: following source_profile takes {count} hops, more than the "
                    f"{BOTOCORE_CHAIN_LIMIT} botocore can follow, so using the profile raises RecursionError "
                    "(maximum recursion depth exceeded)",
            hint="Give the roles sources with credentials of their own (keys, SSO or credential_source) "
                 "instead of the previous role, so that every chain stays a few hops long.",
            location=_key_location(setup, profile.name, "source_profile"),
        )


def _chain_hops(setup: Setup) -> dict[str, int]:
    """Return, for each role profile, how many source_profile hops botocore makes from it (0 for a loop)."""
    chains = _chains(setup)
    hops: dict[str, int] = {}
    for profile in _role_profiles(setup):
        if profile.name in chains.hops:
            hops[profile.name] = chains.hops[profile.name]
            continue
        # A role profile with keys of its own starts a chain but does not continue one.
        source = _next_source(setup, profile.name)
        if source is None or source == profile.name:
            hops[profile.name] = 0
        elif source in chains.hops:
            hops[profile.name] = chains.hops[source] and chains.hops[source] + 1
        else:
            hops[profile.name] = 1
    return hops


# -- duration_seconds ------------------------------------------------------


def _duration(profile: Profile) -> tuple[str, int | None] | None:
    """Return (raw value, int(value) or None when botocore drops it) for a role profile's duration_seconds."""
    if not profile.has("duration_seconds"):
        return None
    raw = profile.get("duration_seconds")
    if not isinstance(raw, str):
        return "(a nested block)", None
    try:
        # AssumeRoleProvider._get_role_config uses int() and drops the value on ValueError.
        return raw, int(raw)
    except ValueError:
        return raw, None


def chained_source(setup: Setup, profile: Profile) -> tuple[str, str] | None:
    """Return (source profile, its credential kind) when assuming this profile's role is role chaining."""
    name = _source_name(profile)
    source = None if name is None else setup.profile(name)
    if name is None or source is None or name == profile.name:
        return None
    kind = credential_kind(source)
    # NOTE: credential_source (EC2 or ECS role credentials) is never treated as
    # chaining. IAM documents the EC2 exception; ECS task roles are not verified.
    if kind not in CHAINED_KINDS:
        return None
    return name, kind


@rule(
    "AD410", "duration-seconds-not-integer", Severity.WARNING,
    summary="duration_seconds is not a plain integer, so botocore silently drops it and STS grants one hour.",
    why="""
AssumeRoleProvider._get_role_config converts duration_seconds with int() and
ignores it on ValueError: no DurationSeconds is sent and STS uses its default
of 3600 seconds. Inline comments are part of the value in these files, so
`7200 # 2h` is dropped, as are `1h` and `3600.0`.
""",
    example="""
[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base
duration_seconds = 7200 # two hours
""",
    fix="Write a whole number of seconds and nothing else on the line, e.g. duration_seconds = 7200.",
)
def duration_seconds_not_integer(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        duration = _duration(profile)
        if duration is None or duration[1] is not None:
            continue
        raw = duration[0]
        yield Issue(
            message=f"profile {profile.name!r}: duration_seconds = {raw} is not an integer, so botocore "
                    f"ignores it and the session lasts the STS default of {DEFAULT_DURATION_SECONDS} seconds",
            hint="Write a whole number of seconds with no unit or comment on the line "
                 f"(between {MIN_DURATION_SECONDS} and {MAX_DURATION_SECONDS}).",
            location=_key_location(setup, profile.name, "duration_seconds", at_value=True),
        )


@rule(
    "AD411", "duration-seconds-out-of-range", Severity.ERROR,
    summary="duration_seconds is below 900 or above 43200 seconds.",
    why="""
STS accepts DurationSeconds from 900 to 43200 (and at most the role's
MaxSessionDuration). botocore's parameter validation checks the minimum before
any network call (ParamValidationError: Invalid value for parameter
DurationSeconds, value: 600, valid min value: 900); a value above 43200 is sent
and STS rejects it with a ValidationError.
""",
    example="""
[profile ops]
role_arn = arn:aws:iam::111122223333:role/Ops
source_profile = base
duration_seconds = 600
""",
    fix="Use a value from 900 to 43200, no higher than the role's maximum session duration.",
)
def duration_seconds_out_of_range(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        duration = _duration(profile)
        if duration is None or duration[1] is None:
            continue
        seconds = duration[1]
        if seconds < MIN_DURATION_SECONDS:
            message = (f"profile {profile.name!r}: duration_seconds = {seconds} is below the STS minimum of "
                       f"{MIN_DURATION_SECONDS} seconds")
            hint = (f"botocore raises ParamValidationError (Invalid value for parameter DurationSeconds, value: "
                    f"{seconds}, valid min value: {MIN_DURATION_SECONDS}) before calling STS. "
                    f"Set duration_seconds = {MIN_DURATION_SECONDS} or more.")
        elif seconds > MAX_DURATION_SECONDS and chained_source(setup, profile) is None:
            # A chained role gets the narrower finding from AD412 instead.
            message = (f"profile {profile.name!r}: duration_seconds = {seconds} is above the STS maximum of "
                       f"{MAX_DURATION_SECONDS} seconds")
            hint = (f"STS rejects the AssumeRole call with a ValidationError. Set duration_seconds to "
                    f"{MAX_DURATION_SECONDS} or less, and no more than the role's maximum session duration.")
        else:
            continue
        yield Issue(message=message, hint=hint,
                    location=_key_location(setup, profile.name, "duration_seconds", at_value=True))


@rule(
    "AD412", "role-chain-duration-over-one-hour", Severity.ERROR,
    summary="duration_seconds is above 3600 on a role assumed with role credentials (role chaining).",
    why="""
When the credentials that call AssumeRole are themselves a role session (a
source profile that is a role, an IAM Identity Center (SSO) profile or a
web-identity profile), STS limits the new session to one hour and rejects a
larger DurationSeconds: The requested DurationSeconds exceeds the 1 hour
session limit for roles assumed by role chaining. botocore does not check this.
A source profile with static keys is not chaining, even when it also has a
role_arn, because botocore uses its keys and skips its role.
""",
    example="""
[profile hub]
role_arn = arn:aws:iam::111122223333:role/hub
source_profile = base

[profile target]
role_arn = arn:aws:iam::444455556666:role/deploy
source_profile = hub
duration_seconds = 43200
""",
    fix="Set duration_seconds = 3600 or less, or assume the role directly from long-term or SSO credentials.",
)
def role_chain_duration_over_one_hour(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        duration = _duration(profile)
        if duration is None or duration[1] is None or duration[1] <= CHAINED_MAX_DURATION_SECONDS:
            continue
        chained = chained_source(setup, profile)
        if chained is None:
            continue
        name, kind = chained
        seconds = duration[1]
        yield Issue(
            message=f"profile {profile.name!r}: duration_seconds = {seconds} is above the "
                    f"{CHAINED_MAX_DURATION_SECONDS}-second limit STS puts on chained roles "
                    f"({profile.name!r} assumes a role through {name!r}, {_describe_kind(kind)})",
            hint=f"STS rejects it: The requested DurationSeconds exceeds the 1 hour session limit for roles "
                 f"assumed by role chaining. Set duration_seconds = {CHAINED_MAX_DURATION_SECONDS} or less, or "
                 "source the role from long-term keys or SSO directly.",
            location=_key_location(setup, profile.name, "duration_seconds", at_value=True),
            related=(setup.profile_location(name),),
        )


@rule(
    "AD413", "duration-seconds-on-web-identity", Severity.INFO,
    summary="duration_seconds on a web-identity profile is ignored.",
    why="""
A profile with web_identity_token_file is handled by
AssumeRoleWithWebIdentityProvider, which forwards only the role ARN, the token
and RoleSessionName; duration_seconds is never sent, so sessions last the STS
default of one hour.
""",
    example="""
[profile ci]
role_arn = arn:aws:iam::123456789012:role/ci
web_identity_token_file = /var/run/secrets/token
duration_seconds = 7200
""",
    fix="Remove duration_seconds from the profile; it has no effect there.",
)
def duration_seconds_on_web_identity(setup: Setup) -> Iterator[Issue]:
    for profile in setup.profiles.having("web_identity_token_file"):
        if not profile.has("duration_seconds"):
            continue
        yield Issue(
            message=f"profile {profile.name!r}: duration_seconds is ignored on a web-identity profile "
                    "(botocore does not send it with AssumeRoleWithWebIdentity)",
            hint="Remove duration_seconds; web-identity sessions last the STS default of one hour.",
            location=_key_location(setup, profile.name, "duration_seconds"),
        )


# -- request parameters ----------------------------------------------------


def _check_length_and_pattern(value: str, length: tuple[int, int], pattern: re.Pattern[str]) -> str | None:
    """Return why STS would reject ``value``, or None when it fits the model's length and pattern."""
    size = f"{len(value)} character" + ("" if len(value) == 1 else "s")
    if len(value) < length[0]:
        return f"is {size} long, below the minimum of {length[0]}"
    if len(value) > length[1]:
        return f"is {size} long, above the maximum of {length[1]}"
    if pattern.fullmatch(value) is None:
        bad = sorted({char for char in value if pattern.fullmatch(char) is None})
        shown = " ".join(repr(char) for char in bad)
        return f"contains characters STS does not allow ({shown})"
    return None


@rule(
    "AD414", "session-length-differs-in-go", Severity.INFO,
    summary="Role profiles without duration_seconds get one-hour sessions, except in the Go SDK, which asks for 15 "
            "minutes.",
    why="""
When duration_seconds is unset, botocore sends no DurationSeconds, so STS
gives the default of one hour; the JavaScript v3 SDK sends 3600, and the Java
v2 SDK does not read the key at all (also one hour). The Go SDK v2 asks for
stscreds.DefaultDuration, 15 minutes, and keeps that default for any
duration_seconds below 960. Tools built on the Go SDK, such as Terraform,
therefore get sessions a quarter as long from the same profile, and a long
run fails with ExpiredToken. The rule reports once, at the first such
profile. It is opt-in, because the AWS documentation's own role profiles
have no duration_seconds: select it by code (--select AD414) where Go-based
tools use the profiles.
""",
    example="""
[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = base
""",
    fix="""
Set duration_seconds explicitly (3600 keeps today's length for the AWS CLI
and boto3) if Go-based tools use these profiles.
""",
    opt_in=True,
)
def session_length_differs_in_go(setup: Setup) -> Iterator[Issue]:
    # Roles without a source fail in botocore before any session (AD400), so only sourced roles count.
    unset = [profile for profile in _role_profiles(setup)
             if not profile.has("duration_seconds")
             and (profile.has("source_profile") or profile.has("credential_source"))]
    if not unset:
        return
    first, others = unset[0], len(unset) - 1
    who = f"profile {first.name!r}" + (f" and {others} other role profile{'s' if others > 1 else ''}" if others else "")
    yield Issue(
        message=f"{who} set no duration_seconds: the AWS CLI, boto3 and the JavaScript and Java SDKs get one-hour "
                "sessions, but the Go SDK v2 (Terraform and other Go tools) asks for 15 minutes",
        hint="Set duration_seconds = 3600 in these profiles if Go-based tools use them and run longer than "
             "15 minutes.",
        location=_key_location(setup, first.name, "role_arn"),
    )


@rule(
    "AD420", "role-arn-malformed", Severity.ERROR,
    summary="role_arn is not an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME).",
    why="""
botocore passes role_arn to STS AssumeRole unchecked, so a user, policy or
assumed-role ARN, a missing account id or a stray character only fails when
the profile is used and STS rejects the call. An
assumed-role ARN (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION), as printed
by `aws sts get-caller-identity`, is not the role's ARN.
""",
    example="""
[profile admin]
role_arn = arn:aws:iam::123456789012:user/alice
source_profile = base
""",
    fix="Copy the role's ARN from the IAM console or `aws iam get-role`: arn:aws:iam::123456789012:role/NAME.",
)
def role_arn_malformed(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        value = profile.text("role_arn")
        if value is None or _is_valid_role_arn(value) or _is_valid_role_arn(_as_meant(value)):
            continue
        shown = "role_arn" if value == "" else f"role_arn = {value}"
        yield Issue(
            message=f"profile {profile.name!r}: {shown} {_role_arn_problem(value)}",
            hint=_role_arn_fix(value),
            location=_key_location(setup, profile.name, "role_arn", at_value=True),
        )


def _is_valid_role_arn(value: str) -> bool:
    within = ROLE_ARN_LENGTH[0] <= len(value) <= ROLE_ARN_LENGTH[1]
    return within and ROLE_ARN.match(value) is not None and _partition_known(value)


def _partition_known(arn: str) -> bool:
    parts = ARN_PARTS.match(arn)
    return parts is not None and parts["partition"] in PARTITIONS


def _role_arn_problem(value: str) -> str:
    parts = ARN_PARTS.match(value)
    if value == "":
        return "is empty"
    if parts is None:
        return "is not an ARN (expected arn:aws:iam::ACCOUNT:role/NAME)"
    if parts["partition"] not in PARTITIONS:
        return f"has an unknown partition {parts['partition']!r} (expected one of {', '.join(PARTITIONS)})"
    if parts["service"] == "sts" and parts["resource"].startswith("assumed-role/"):
        return "is an assumed-role session ARN, not the ARN of the role"
    if parts["service"] != "iam":
        return f"is an ARN of service {parts['service']!r}, not an IAM role"
    resource_type = parts["resource"].split("/", 1)[0]
    if resource_type != "role":
        return f"is an IAM {resource_type} ARN, not a role ARN"
    if not re.fullmatch(r"\d{12}", parts["account"]):
        return f"has account id {parts['account']!r}; it must be 12 digits"
    if parts["region"]:
        return "has a region; IAM ARNs have an empty region field (iam::ACCOUNT)"
    return "is not a valid role ARN (the role name allows letters, digits and + = , . @ _ -, at most 64)"


def _role_arn_fix(value: str) -> str:
    parts = ARN_PARTS.match(value)
    if parts is not None and parts["service"] == "sts" and parts["resource"].startswith("assumed-role/"):
        role = parts["resource"].split("/")[1] if parts["resource"].count("/") >= 1 else "NAME"
        return (f"Use the role's own ARN, arn:{parts['partition']}:iam::{parts['account']}:role/{role} "
                "(add the role's path if it has one).")
    return "Use the role's ARN: arn:aws:iam::123456789012:role/NAME (with its path, if any, before NAME)."


@rule(
    "AD421", "role-session-name-invalid", Severity.ERROR,
    summary="role_session_name breaks the STS limits: 2-64 characters of letters, digits and + = , . @ _ -.",
    why="""
botocore sends role_session_name as RoleSessionName. Its parameter
validation only catches a name shorter than 2 characters; STS rejects a name
longer than 64 characters or with other characters (a space, / or :) with a
ValidationError such as "Member must satisfy regular expression pattern:
[\\w+=,.@-]*".
""",
    example="""
[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base
role_session_name = alice@example.com/admin
""",
    fix="Use 2 to 64 characters from letters, digits and + = , . @ _ -, e.g. alice-admin.",
)
def role_session_name_invalid(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        value = profile.text("role_session_name")
        problem = None if value is None else _check_length_and_pattern(value, SESSION_NAME_LENGTH,
                                                                     SESSION_NAME_PATTERN)
        if value is None or problem is None:
            continue
        yield Issue(
            message=f"profile {profile.name!r}: role_session_name {value!r} {problem}",
            hint="STS accepts 2 to 64 characters from letters, digits and + = , . @ _ -; "
                 "replace the others, e.g. with '-'.",
            location=_key_location(setup, profile.name, "role_session_name", at_value=True),
        )


@rule(
    "AD422", "external-id-invalid", Severity.ERROR,
    summary="external_id breaks the STS limits: 2-1224 characters of letters, digits and + = , . @ : / _ -.",
    why="""
botocore sends external_id as ExternalId; its parameter validation only
catches a value shorter than 2 characters, and STS rejects longer values or
other characters (a space, for example) with a ValidationError.
""",
    example="""
[profile vendor]
role_arn = arn:aws:iam::123456789012:role/vendor
source_profile = base
external_id = my external id
""",
    fix="Copy the external id exactly as the role's trust policy expects it; it cannot contain spaces.",
)
def external_id_invalid(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        value = profile.text("external_id")
        problem = None if value is None else _check_length_and_pattern(value, EXTERNAL_ID_LENGTH,
                                                                     EXTERNAL_ID_PATTERN)
        if value is None or problem is None:
            continue
        # The external id is shared with a third party but not meant to be broadcast: it is not printed.
        yield Issue(
            message=f"profile {profile.name!r}: external_id {problem}",
            hint="STS accepts 2 to 1224 characters from letters, digits and + = , . @ : / _ -; "
                 "check it against the condition in the role's trust policy.",
            location=_key_location(setup, profile.name, "external_id", at_value=True),
        )


@rule(
    "AD423", "mfa-serial-invalid", Severity.ERROR,
    summary="mfa_serial is neither a hardware MFA serial number nor an IAM MFA device ARN.",
    why="""
botocore prompts for a code and sends mfa_serial as SerialNumber; STS accepts
9 to 256 characters matching [\\w+=/:,.@-]*, which is either a hardware
device's serial number or a virtual device's ARN
(arn:aws:iam::ACCOUNT:mfa/NAME). A user ARN, or an ARN of another service,
is only rejected by STS, after the MFA prompt.
""",
    example="""
[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base
mfa_serial = arn:aws:iam::123456789012:user/alice
""",
    fix="Use the device ARN shown under Security credentials in the IAM console: arn:aws:iam::ACCOUNT:mfa/NAME.",
)
def mfa_serial_invalid(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        value = profile.text("mfa_serial")
        if value is None:
            continue
        problem = _check_length_and_pattern(value, SERIAL_NUMBER_LENGTH, SERIAL_NUMBER_PATTERN)
        if problem is None and value.startswith("arn:") and not MFA_ARN.match(value):
            problem = "is an ARN but not an IAM MFA device ARN (arn:aws:iam::ACCOUNT:mfa/NAME)"
        if problem is None:
            continue
        yield Issue(
            message=f"profile {profile.name!r}: mfa_serial {value!r} {problem}",
            hint="Use the MFA device's ARN, arn:aws:iam::ACCOUNT:mfa/NAME, or a hardware device's serial number.",
            location=_key_location(setup, profile.name, "mfa_serial", at_value=True),
        )


# -- settings without effect -----------------------------------------------


@rule(
    "AD430", "role-setting-without-role-arn", Severity.WARNING,
    summary="mfa_serial, source_profile or another role setting on a profile without role_arn has no effect.",
    why="""
botocore reads mfa_serial, source_profile, credential_source, external_id,
role_session_name and duration_seconds only in AssumeRoleProvider, for
profiles with role_arn (web-identity profiles, which also read
role_session_name, are not checked by this rule). On a profile with static keys, mfa_serial does not make the CLI
prompt for a code: requests carry no MFA context, so a policy conditioned on
aws:MultiFactorAuthPresent denies them.
""",
    example="""
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
mfa_serial = arn:aws:iam::123456789012:mfa/alice
""",
    fix="""
For MFA with long-term keys, put the permissions behind a role and assume it
from a profile with role_arn, source_profile and mfa_serial, or get session
credentials with `aws sts get-session-token --serial-number ARN --token-code CODE`.
Otherwise remove the setting.
""",
)
def role_setting_without_role_arn(setup: Setup) -> Iterator[Issue]:
    # configparser copies [DEFAULT] keys into every section of the same file,
    # so such a line is reported once, naming the profiles it has no effect on.
    inherited: dict[tuple[str, str], list[str]] = {}
    for profile in setup.profiles.having(*ROLE_ONLY_KEYS):
        if profile.has("role_arn") or profile.has("web_identity_token_file"):
            continue
        for key in ROLE_ONLY_KEYS:
            found = profile.source(key)
            if found is None:
                continue
            if _is_default_entry(setup, found[0].file, found[1]):
                inherited.setdefault((found[0].file, key), []).append(profile.name)
                continue
            yield Issue(
                message=f"profile {profile.name!r}: {key} has no effect because the profile has no role_arn"
                        + (" (the CLI will not prompt for an MFA code)" if key == "mfa_serial" else ""),
                hint=_without_role_fix(key),
                location=_key_location(setup, profile.name, key),
            )
    for (kind, key), names in inherited.items():
        source = setup.source(kind)
        assert source is not None and source.document is not None
        entry = source.document.defaults()[key]
        profiles = ", ".join(repr(name) for name in names)
        yield Issue(
            message=f"[DEFAULT] sets {key}, which every profile of the {kind} file inherits, but it has no effect "
                    f"on the profiles without role_arn ({profiles})",
            hint=f"Move {key} into the role profiles that need it. " + _without_role_fix(key),
            location=setup.file_location(kind, entry.line, entry.column, DEFAULT_SECTION, None, key),
        )


def _without_role_fix(key: str) -> str:
    if key == "mfa_serial":
        return ("To use MFA, assume a role that requires it (a profile with role_arn, source_profile and "
                "mfa_serial), or get session credentials with `aws sts get-session-token --serial-number ARN "
                "--token-code CODE`. Otherwise remove mfa_serial.")
    return f"Add the role_arn this {key} belongs to, or remove {key}."


# -- partitions ------------------------------------------------------------


class _Region(NamedTuple):
    name: str | None
    origin: str


def _sts_region(setup: Setup, profile: Profile) -> _Region:
    """Return the region botocore gives the STS client when ``profile`` is used (AWS_DEFAULT_REGION first)."""
    if setup.uses_environment and "AWS_DEFAULT_REGION" in setup.env:
        return _Region(setup.env["AWS_DEFAULT_REGION"], "AWS_DEFAULT_REGION")
    return _Region(profile.text("region"), "region")


def _custom_sts_endpoint(setup: Setup, profile: Profile) -> bool:
    """Return True when STS calls for ``profile`` go to an endpoint of the user's choosing."""
    return _custom_sts_endpoint_variable(setup) or profile.has("endpoint_url") or profile.has("services")


def _custom_sts_endpoint_variable(setup: Setup) -> bool:
    return setup.uses_environment and ("AWS_ENDPOINT_URL" in setup.env or "AWS_ENDPOINT_URL_STS" in setup.env)


@rule(
    "AD440", "role-partition-mismatch", Severity.ERROR,
    summary="role_arn is in another partition than the region the AssumeRole call goes to.",
    why="""
botocore creates the STS client for AssumeRole from the selected profile's
region (AWS_DEFAULT_REGION first, while CLI v2 reads AWS_REGION before it).
With no region at all it uses the global endpoint https://sts.amazonaws.com
of the aws partition. Partitions (aws, aws-cn, aws-us-gov, ...) have separate
accounts and credentials, so a role in arn:aws-cn can only be assumed through
a China region, and a call anywhere else cannot succeed.
""",
    example="""
[profile china]
role_arn = arn:aws-cn:iam::123456789012:role/admin
source_profile = base
""",
    fix="Set the profile's region to a region of the role's partition, e.g. cn-north-1 for aws-cn.",
)
def role_partition_mismatch(setup: Setup) -> Iterator[Issue]:
    if _custom_sts_endpoint_variable(setup):
        return
    region_partitions: dict[str, str | None] = {}
    for profile in _role_profiles(setup):
        value = profile.text("role_arn")
        parts = None if value is None else ARN_PARTS.match(value)
        if parts is None or parts["partition"] not in PARTITIONS or _custom_sts_endpoint(setup, profile):
            continue
        role_partition = parts["partition"]
        region = _sts_region(setup, profile)
        if region.name and role_partition == region_partitions.setdefault(
                region.name, partition_of_region(region.name)):
            continue  # the common case, decided once per region
        if region.name is None or region.name == "":
            if role_partition == "aws":
                continue
            message = (f"profile {profile.name!r}: role_arn is in partition {role_partition!r} but no region is "
                       "set, so botocore sends AssumeRole to the global endpoint of the 'aws' partition")
            location = _key_location(setup, profile.name, "role_arn", at_value=True)
        else:
            region_partition = partition_of_region(region.name)
            if region_partition is None or region_partition == role_partition:
                continue
            where = "AWS_DEFAULT_REGION" if region.origin == "AWS_DEFAULT_REGION" else "region"
            message = (f"profile {profile.name!r}: role_arn is in partition {role_partition!r} but {where} "
                       f"{region.name} is in partition {region_partition!r}")
            location = (setup.variable_location("AWS_DEFAULT_REGION") if region.origin == "AWS_DEFAULT_REGION"
                        else _key_location(setup, profile.name, "region", at_value=True))
        yield Issue(
            message=message + "; a role can only be assumed in its own partition",
            hint=f"Set region to a region of the {role_partition!r} partition"
                 + (" (unset AWS_DEFAULT_REGION or change it)" if region.origin == "AWS_DEFAULT_REGION" else "")
                 + ", or fix the partition in role_arn.",
            location=location,
            related=(_key_location(setup, profile.name, "role_arn"),),
        )


# -- MFA outside an interactive shell ----------------------------------------------

# Variables that CI services set; their presence means no one is there to type an MFA code.
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "BUILDKITE", "CIRCLECI", "TF_BUILD",
                "CODEBUILD_BUILD_ID", "TEAMCITY_VERSION", "BITBUCKET_BUILD_NUMBER")


def _mfa_profiles_in_chain(setup: Setup, name: str) -> list[Profile]:
    """Return the profiles with mfa_serial on the source_profile chain that starts at ``name``."""
    found: list[Profile] = []
    seen: set[str] = set()
    current = setup.profile(name)
    while current is not None and current.name not in seen and _is_role_profile(current):
        seen.add(current.name)
        if current.text("mfa_serial"):
            found.append(current)
        source = _source_name(current)
        current = None if source is None or source == current.name else setup.profile(source)
    return found


@rule(
    "AD424", "mfa-prompt-in-ci", Severity.ERROR,
    summary="The profile in use assumes a role with mfa_serial in a CI run, where nobody can type the code.",
    why="""
AssumeRoleCredentialFetcher reads the MFA code with getpass.getpass. Without
a terminal, getpass falls back to reading standard input; in a CI job that is
empty, so it raises EOFError and the AWS CLI v1 exits with status 255 and an
empty error line (CLI v2 and boto3 fail the same way). The CLI's credential
cache only helps when an earlier run on the same machine already entered a
code.
""",
    example="""
# CI=true
[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = ci-user
mfa_serial = arn:aws:iam::111122223333:mfa/ci-user
""",
    fix="""
Use a role without an MFA condition for automation (an OIDC web-identity role
in CI), or get session credentials interactively and pass them to the job.
""",
    needs_environment=True,
)
def mfa_prompt_in_ci(setup: Setup) -> Iterator[Issue]:
    ci = next((name for name in CI_VARIABLES if setup.env.get(name)), None)
    if ci is None:
        return
    name = setup.selection.effective_name
    for profile in _mfa_profiles_in_chain(setup, name):
        via = "" if profile.name == name else f" (profile {name!r} assumes it through the source_profile chain)"
        yield Issue(
            message=f"profile {profile.name!r} has mfa_serial{via}, but {ci} is set, so this is a CI run with no "
                    "terminal: botocore's getpass reads an empty standard input and raises EOFError",
            hint="Give the job a role without an MFA condition, such as an OIDC web-identity role, "
                 "or pass it session credentials obtained interactively.",
            location=_key_location(setup, profile.name, "mfa_serial"),
            related=(setup.variable_location(ci),),
        )


@rule(
    "AD425", "mfa-role-in-sdks", Severity.INFO,
    summary="A role profile with mfa_serial behaves differently in boto3 and the Java SDK than in the AWS CLI.",
    why="""
The AWS CLI caches the role session in ~/.aws/cli/cache, so it prompts for a code
about once an hour. boto3 keeps credentials in memory only
(create_credential_resolver uses a plain dict cache): every new Python process
prompts again, and a long-running one fails when the session expires with
RefreshWithMFAUnsupportedError ("Cannot refresh credentials: MFA token
required"). The Java SDK v2 does not read mfa_serial or duration_seconds
(StsProfileCredentialsProviderFactory) and calls AssumeRole without MFA, which
a trust policy that requires MFA denies.
""",
    example="""
[profile admin]
role_arn = arn:aws:iam::111122223333:role/admin
source_profile = base
mfa_serial = arn:aws:iam::111122223333:mfa/alice
""",
    fix="""
For scripts, get session credentials once (aws sts get-session-token, or a
tool such as aws-vault) and hand them to the process; for Java, configure the
MFA-protected role in code.
""",
)
def mfa_role_in_sdks(setup: Setup) -> Iterator[Issue]:
    for profile in _role_profiles(setup):
        if not profile.text("mfa_serial"):
            continue
        yield Issue(
            message=f"profile {profile.name!r} assumes its role with MFA: the AWS CLI caches the session, but "
                    "boto3 prompts in every new process and cannot refresh it after it expires "
                    "(RefreshWithMFAUnsupportedError), and the Java SDK v2 ignores mfa_serial",
            hint="For scripts and services, pass session credentials obtained once instead of this profile.",
            location=_key_location(setup, profile.name, "mfa_serial"),
        )
