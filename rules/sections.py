"""AD2xx: section headers and profile names.

botocore turns config-file sections into profiles in
``botocore.configloader.build_profile_map``: ``[default]`` and ``[profile
NAME]`` are profiles, ``[sso-session NAME]`` and ``[services NAME]`` are their
own maps, and a header that starts with ``profile`` but does not split (with
``shlex``) into exactly two tokens is dropped without a word. Every other
section is kept apart from the profiles, so ``[dev]`` in the config file is not
a profile. The credentials file is read raw (``Session.full_config``,
``SharedCredentialProvider.load``): each section name is a profile name as
written, so ``[profile dev]`` there is a profile called ``profile dev``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from awsdoctor.findings import Location, Severity
from awsdoctor.ini import DEFAULT_SECTION, Section
from awsdoctor.profiles import CONFIG, CREDENTIALS, Definition, section_target, split_section_name
from awsdoctor.rule import Issue, rule
from awsdoctor.setup import Selection, Setup

# Sections the AWS CLI reads from the config file that are not profiles:
# [plugins] (CLI plugin list) and [preview] (CLI v1 preview commands).
CLI_SECTIONS = frozenset({"plugins", "preview"})

STATIC_KEYS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token")


# -- shared helpers --------------------------------------------------------


def config_sections(setup: Setup) -> Iterator[Section]:
    """Yield each config-file section once, skipping [DEFAULT] and repeats (duplicates are AD1xx findings)."""
    if setup.config is None or setup.config.document is None:
        return
    for section in setup.config.document.sections:
        if section.name != DEFAULT_SECTION and section.occurrence == 1:
            yield section


def irregular_config_sections(setup: Setup) -> list[Section]:
    """Return the config sections (as config_sections) that give no profile, sso-session or services block.

    Those are the only headers the header rules can report on. Well-formed
    headers, nearly all of a large file, are left out once for all of them.
    """
    return setup.derived("sections.irregular", _irregular_config_sections)


def _irregular_config_sections(setup: Setup) -> list[Section]:
    found = []
    for section in config_sections(setup):
        group, target = section_target(section.name)
        if group == "other" or target is None:
            found.append(section)
    return found


def credentials_sections(setup: Setup) -> Iterator[Section]:
    if setup.credentials is None or setup.credentials.document is None:
        return
    for section in setup.credentials.document.sections:
        if section.name != DEFAULT_SECTION and section.occurrence == 1:
            yield section


def selections(setup: Setup) -> list[Selection]:
    """Return the profile choices of botocore / CLI v1 and of CLI v2, once each, when a name was chosen."""
    found: list[Selection] = []
    for selection in (setup.selection, setup.selection_v2):
        if selection.name is not None and all(selection.name != other.name for other in found):
            found.append(selection)
    return found


def profiles_naming(setup: Setup, key: str) -> dict[str, list[str]]:
    """Return value -> the profiles whose ``key`` (source_profile, sso_session, services) has that value."""
    references: dict[str, list[str]] = {}
    for profile in setup.profiles.having(key):
        value = profile.get(key)
        if isinstance(value, str):
            references.setdefault(value, []).append(profile.name)
    return references


def describe_selection(selection: Selection) -> str:
    if selection.source == "--profile":
        return "selected with --profile"
    return f"selected by {selection.source}"


class Demand(NamedTuple):
    """Why a missing profile name breaks something now: the selection or a source_profile that names it."""

    reason: str
    error: str
    related: tuple[Location, ...] = ()

    def consequence(self) -> str:
        return f"{self.reason}, so botocore raises {self.error}"


def demand_for(setup: Setup, name: str) -> Demand | None:
    """Return what requires profile ``name`` to exist, or None when nothing selects or references it."""
    for selection in selections(setup):
        if selection.name == name:
            related: tuple[Location, ...] = ()
            if not selection.explicit:
                related = (setup.variable_location(str(selection.source)),)
            return Demand(f"'{name}' is {describe_selection(selection)}", "ProfileNotFound", related)
    referrers = profiles_naming(setup, "source_profile").get(name)
    if referrers:
        quoted = ", ".join(f"'{referrer}'" for referrer in referrers)
        subject = f"profile {quoted} names" if len(referrers) == 1 else f"profiles {quoted} name"
        related = tuple(setup.key_location(referrer, "source_profile") for referrer in referrers)
        return Demand(f"{subject} '{name}' as source_profile", "InvalidConfigError", related)
    return None


def profile_header(name: str) -> str:
    """Return the config-file header for profile ``name``, quoted when the name contains whitespace."""
    if name == "default":
        return "[default]"
    if any(character.isspace() for character in name):
        return f'[profile "{name}"]'
    return f"[profile {name}]"


def existing_section(setup: Setup, kind: str, name: str) -> str | None:
    """Return the header that already gives profile ``name`` its keys in file ``kind``, or None."""
    profile = setup.profile(name)
    if profile is None:
        return None
    definition = profile.config if kind == CONFIG else profile.credentials
    return None if definition is None else definition.section


def rename_hint(setup: Setup, kind: str, section: str, name: str, header: str) -> str:
    """Suggest the header to write, or a merge when that header already exists (a duplicate breaks the file)."""
    existing = existing_section(setup, kind, name)
    if existing is None:
        return f"Rename the header to {header}."
    return f"Move the keys of [{section}] into the existing [{existing}] and delete [{section}]."


def _consequence(setup: Setup, name: str, demand: Demand | None) -> tuple[str, Severity]:
    """Say what the missing profile causes and pick the severity: error when something needs it now."""
    if setup.profile(name) is not None:
        consequence = f"profile '{name}' exists through other sections but gets none of this section's settings"
        return consequence, Severity.WARNING
    if demand is None:
        return f"profile '{name}' does not exist", Severity.WARNING
    return demand.consequence(), Severity.ERROR


# -- AD200 / AD201: [name] without the profile prefix in the config file ----


def _is_near_miss(name: str) -> bool:
    """Return True for a header that other rules read as a misspelt profile, sso-session or services header."""
    normalized = name.strip().lower().replace("_", "-")
    return normalized.startswith(("profile", "sso-session", "ssosession", "services")) or normalized == "default"


def unprefixed_sections(setup: Setup) -> Iterator[Section]:
    """Yield config sections that botocore keeps apart from the profiles and that look like a profile name."""
    for section in irregular_config_sections(setup):
        group, _ = section_target(section.name)
        if group != "other" or section.name in CLI_SECTIONS or _is_near_miss(section.name):
            continue
        yield section


@rule(
    "AD200", "missing-profile-prefix", Severity.WARNING,
    summary="A config-file section other than [default] is written [NAME] instead of [profile NAME].",
    why="""
In the config file botocore takes a section as a profile only when it is
[default] or starts with `profile ` (botocore.configloader.build_profile_map).
A section such as [dev] is kept aside as a non-profile section: AWS_PROFILE=dev
or --profile dev raises ProfileNotFound, and `source_profile = dev` raises
InvalidConfigError ('The source_profile "dev" referenced in the profile "r"
does not exist'). In the credentials file, by contrast, the header is the bare
name. The rule is an error when the name is selected or used as a
source_profile, and a warning otherwise.
""",
    example="""
# ~/.aws/config
[dev]
region = eu-west-1
""",
    fix="""
Rename the header to [profile dev]. Keep [default] as it is.
""",
)
def missing_profile_prefix(setup: Setup) -> Iterator[Issue]:
    for section in unprefixed_sections(setup):
        name = section.name.strip()
        demand = demand_for(setup, name)
        consequence, severity = _consequence(setup, name, demand)
        yield Issue(
            message=f"section [{section.name}] in the config file is not a profile for botocore because it lacks "
                    f"the 'profile ' prefix (write {profile_header(name)}); {consequence}",
            hint=f"{rename_hint(setup, CONFIG, section.name, name, profile_header(name))} "
                 "In the config file only [default] is written without the prefix.",
            location=setup.section_location(CONFIG, section),
            related=() if demand is None else demand.related,
            severity=severity,
        )


@rule(
    "AD201", "keys-in-unprefixed-section", Severity.INFO,
    summary="A config-file section without the profile prefix holds access keys.",
    why="""
Sections like [docgenerator] in the config file are not profiles (see AD200),
so their keys are never used. Renaming the header makes them a profile, but
access keys belong in the credentials file, where the header is the bare name:
`aws configure` writes them there, SharedCredentialProvider reads that file
before the config file, and the config file is the one people share.
""",
    example="""
# ~/.aws/config
[docgenerator]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
""",
    fix="""
Move the keys to [docgenerator] in ~/.aws/credentials and keep only settings
such as region in [profile docgenerator] in the config file.
""",
)
def keys_in_unprefixed_section(setup: Setup) -> Iterator[Issue]:
    credentials_path = setup.credentials.display if setup.credentials is not None else "~/.aws/credentials"
    for section in unprefixed_sections(setup):
        keys = [key for key in STATIC_KEYS if section.get(key) is not None]
        if not keys:
            continue
        yield Issue(
            message=f"section [{section.name}] in the config file holds access keys ({', '.join(keys)}), which "
                    f"belong in the credentials file ({credentials_path}) under [{section.name}]",
            hint=f"Move the keys to [{section.name}] in {credentials_path} and delete them here.",
            location=setup.section_location(CONFIG, section),
        )


# -- AD202: [profile name] in the credentials file --------------------------


@rule(
    "AD202", "profile-prefix-in-credentials-file", Severity.WARNING,
    summary="A credentials-file section is written [profile NAME], which defines a profile named 'profile NAME'.",
    why="""
botocore uses credentials-file section names as profile names exactly as
written (Session.full_config, SharedCredentialProvider.load). [profile sts]
there defines a profile called 'profile sts': AWS_PROFILE=sts or --profile sts
raises ProfileNotFound, or, when [profile sts] also exists in the config file,
that profile gets no keys. The JS SDK stores the section as 'profile.sts', and
the Go and Java SDKs ignore it. The rule is an error when the name is selected
or used as a source_profile, and a warning otherwise.
""",
    example="""
# ~/.aws/credentials
[profile sts]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
""",
    fix="""
Rename the header to [sts]. Only the config file uses the `profile ` prefix.
""",
)
def profile_prefix_in_credentials_file(setup: Setup) -> Iterator[Issue]:
    for section in credentials_sections(setup):
        tokens = split_section_name(section.name)
        if tokens is None or len(tokens) != 2 or tokens[0].lower() != "profile":
            continue
        name = tokens[1]
        demand = demand_for(setup, name)
        if setup.profile(name) is not None:
            consequence = f"profile '{name}' exists through other sections but gets none of these keys"
            severity = Severity.WARNING
            if demand is not None:
                consequence += f", and {demand.reason}"
                severity = Severity.ERROR
        elif demand is not None:
            consequence = demand.consequence()
            severity = Severity.ERROR
        else:
            consequence = f"profile '{name}' does not exist"
            severity = Severity.WARNING
        yield Issue(
            message=f"section [{section.name}] in the credentials file uses the config-file 'profile ' prefix, so "
                    f"it defines a profile named '{section.name}'; {consequence}",
            hint=f"{rename_hint(setup, CREDENTIALS, section.name, name, f'[{name}]')} "
                 "The credentials file takes the bare profile name and never the "
                 f"'profile ' prefix. The JS SDK reads this section as 'profile.{name}' and Go and Java ignore it.",
            location=setup.section_location(CREDENTIALS, section, profile=section.name),
            related=() if demand is None else demand.related,
            severity=severity,
        )


@rule(
    "AD207", "config-only-section-in-credentials-file", Severity.ERROR,
    summary="An [sso-session NAME] or [services NAME] section sits in the credentials file, where it is a profile.",
    why="""
Only load_config builds the sso_sessions and services maps, from the config
file; Session.full_config takes every credentials-file section as a profile by
its raw name. [sso-session corp] in the credentials file therefore creates a
profile literally named 'sso-session corp', and a profile with
sso_session = corp fails with "The specified sso-session does not exist".
""",
    example="""
# ~/.aws/credentials
[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
""",
    fix="Move the section to the config file (~/.aws/config).",
)
def config_only_section_in_credentials_file(setup: Setup) -> Iterator[Issue]:
    for section in credentials_sections(setup):
        tokens = split_section_name(section.name)
        if tokens is None or len(tokens) != 2 or tokens[0] not in ("sso-session", "services"):
            continue
        kind, name = tokens
        users = [profile.name for profile in setup.profiles
                 if profile.get("sso_session" if kind == "sso-session" else "services") == name]
        effect = (f"; profile {', '.join(repr(user) for user in users)} refers to it and fails" if users else "")
        yield Issue(
            message=f"section [{section.name}] is in the credentials file, where botocore reads it as a profile "
                    f"named '{section.name}', not as the {kind} {name!r}{effect}",
            hint=f"Move [{section.name}] and its keys to the config file.",
            location=setup.section_location(CREDENTIALS, section, profile=section.name),
        )


# -- AD203: one profile defined by two spellings ----------------------------


@rule(
    "AD203", "profile-defined-twice", Severity.WARNING,
    summary="Two config-file headers map to the same profile, so the later one replaces the earlier whole.",
    why="""
build_profile_map stores each profile with a dict assignment, so when two
different headers name the same profile ([default] and [profile default], or
[profile dev] and [profile "dev"]) the later section replaces the earlier one
entirely, and no key of the earlier section is used. configparser does not see a
duplicate because the header texts differ. For [default] the SDKs disagree:
JS, Go and Java always use [profile default], whatever the order.
""",
    example="""
[default]
region = us-east-1

[profile default]
output = json
""",
    fix="""
Merge the keys into one section and delete the other header.
""",
)
def profile_defined_twice(setup: Setup) -> Iterator[Issue]:
    groups: list[tuple[str, dict[str, Definition]]] = [
        ("profile", {p.name: p.config for p in setup.profiles if p.config is not None and p.config.shadowed}),
        ("sso-session", dict(setup.profiles.sso_sessions)),
        ("services block", dict(setup.profiles.services)),
    ]
    for noun, definitions in groups:
        for name, definition in definitions.items():
            if not definition.shadowed:
                continue
            winner = setup.find_section(CONFIG, definition.section)
            for shadowed_name in definition.shadowed:
                shadowed = setup.find_section(CONFIG, shadowed_name)
                if shadowed is None or winner is None:
                    continue
                if noun == "profile" and name == "default":
                    hint = "Merge the two sections into one [default] section and delete [profile default]. " \
                           "While both exist the SDKs disagree: botocore uses whichever section comes later, " \
                           "but the JS, Go and Java SDKs always use [profile default]."
                else:
                    hint = f"Merge the keys of [{shadowed_name}] into [{definition.section}] and delete " \
                           f"[{shadowed_name}]."
                profile = name if noun == "profile" else None
                yield Issue(
                    message=f"[{shadowed_name}] on line {shadowed.line} and [{definition.section}] on line "
                            f"{winner.line} both define {noun} '{name}'; botocore uses only the later "
                            f"[{definition.section}] and ignores every key of [{shadowed_name}]",
                    hint=hint,
                    location=setup.section_location(CONFIG, shadowed, profile=profile),
                    related=(setup.section_location(CONFIG, winner, profile=profile),),
                )


# -- AD204: profile headers botocore drops or does not recognise ------------


class HeaderFix(NamedTuple):
    """What is wrong with a header, the header to write instead, and the profile name it was meant to give."""

    reason: str
    header: str | None
    name: str | None


def _fix_dropped_profile_header(text: str) -> HeaderFix:
    """Explain a header that starts with 'profile' but does not split into two shlex tokens."""
    tokens = split_section_name(text)
    rest = text[len("profile"):]
    if tokens is None:
        name = rest.strip().replace('"', "").replace("'", "").strip()
        reason = "the header has an unbalanced quote"
    elif tokens == ["profile"]:
        return HeaderFix("the header has no profile name", None, None)
    elif tokens[0] != "profile":
        name = rest.lstrip("-_:.").strip()
        reason = "there is no space between 'profile' and the name"
    else:
        name = " ".join(tokens[1:])
        reason = "the profile name contains an unquoted space"
    if not name:
        return HeaderFix("the header has no profile name", None, None)
    return HeaderFix(reason, profile_header(name), name)


def classify_profile_header(name: str) -> HeaderFix | None:
    """Return the fix for a config header that looks like a profile header but gives no profile, else None."""
    group, target = section_target(name)
    if group == "profiles":
        if target is not None:
            return None
        return _fix_dropped_profile_header(name)
    if group != "other":
        return None

    reasons = []
    candidate = name
    if candidate.strip() != candidate:
        reasons.append("the header has spaces inside the brackets")
        candidate = candidate.strip()
    if candidate.lower().startswith("profile") and not candidate.startswith("profile"):
        reasons.append("'profile' is not in lower case (section names are case-sensitive)")
        candidate = "profile" + candidate[len("profile"):]
    elif candidate.lower() == "default" and candidate not in ("default", DEFAULT_SECTION):
        reasons.append("'default' is not in lower case (section names are case-sensitive)")
        candidate = "default"
    if not reasons:
        return None

    group, target = section_target(candidate)
    if group != "profiles":
        return None
    if target is None:
        inner = _fix_dropped_profile_header(candidate)
        return HeaderFix(" and ".join([*reasons, inner.reason]), inner.header, inner.name)
    return HeaderFix(" and ".join(reasons), profile_header(target), target)


@rule(
    "AD204", "malformed-profile-header", Severity.WARNING,
    summary="A config-file header meant as a profile is dropped or not recognised by botocore.",
    why="""
build_profile_map splits a header that starts with `profile` with shlex and
keeps it only when that gives exactly two tokens; [profile my dev], [profile],
[profilex] and [profile dev"] are dropped without any message. A header that
does not start with the lower-case word (such as [Profile dev] or
[ profile dev ]) is not a profile either, because section names are
case-sensitive and configparser keeps the spaces inside the brackets. The rule
is an error when the intended name is selected or used as a source_profile.
""",
    example="""
[profile my dev]
region = eu-west-1
""",
    fix="""
Write the header as botocore expects: [profile "my dev"] (quotes let a name
contain spaces, but only botocore accepts them, so a name without spaces is
better), [profile dev], [default].
""",
)
def malformed_profile_header(setup: Setup) -> Iterator[Issue]:
    for section in irregular_config_sections(setup):
        fix = classify_profile_header(section.name)
        if fix is None:
            continue
        severity = Severity.WARNING
        related: tuple[Location, ...] = ()
        consequence = ", and botocore ignores it without a warning"
        if fix.name is not None:
            demand = demand_for(setup, fix.name)
            if demand is not None and setup.profile(fix.name) is None:
                severity = Severity.ERROR
                related = demand.related
                consequence += f". {demand.consequence()[0].upper()}{demand.consequence()[1:]}"
        if fix.header is None:
            hint = "Add the profile name: [profile NAME]."
        else:
            hint = f"Write the header as {fix.header}."
            if fix.name is not None and existing_section(setup, CONFIG, fix.name) is not None:
                hint = rename_hint(setup, CONFIG, section.name, fix.name, fix.header)
            if fix.name is not None and " " in fix.name:
                hint += " Only botocore accepts a quoted name with spaces; a name without spaces works everywhere."
        yield Issue(
            message=f"section [{section.name}] in the config file is not a profile because {fix.reason}"
                    f"{consequence}",
            hint=hint,
            location=setup.section_location(CONFIG, section),
            related=related,
            severity=severity,
        )


# -- AD205: sso-session and services headers without a usable name ----------


def classify_named_section(name: str) -> tuple[str, HeaderFix] | None:
    """Return (kind, fix) for an sso-session or services header that botocore drops or does not recognise."""
    group, target = section_target(name)
    if group in ("sso_sessions", "services"):
        if target is not None:
            return None
        kind = "sso-session" if group == "sso_sessions" else "services"
        tokens = split_section_name(name)
        if tokens is None:
            rest = name[len(kind):].replace('"', "").replace("'", "").strip()
            reason = "the header has an unbalanced quote"
        elif len(tokens) == 1:
            return kind, HeaderFix(f"the header has no {kind} name", None, None)
        else:
            rest = " ".join(tokens[1:])
            reason = "the name contains an unquoted space"
        return kind, HeaderFix(reason, f'[{kind} "{rest}"]' if " " in rest else f"[{kind} {rest}]", rest)
    if group != "other":
        return None

    normalized = name.strip().lower().replace("_", "-")
    for kind, spellings in (("sso-session", ("sso-session", "ssosession")), ("services", ("services",))):
        for spelling in spellings:
            if normalized.startswith(spelling + " "):
                rest = name.strip()[len(spelling):].strip()
                fix = HeaderFix(f"the header does not start with the exact lower-case word '{kind}'",
                                f"[{kind} {rest}]", rest)
                return kind, fix
    return None


@rule(
    "AD205", "malformed-sso-session-or-services-header", Severity.WARNING,
    summary="An [sso-session] or [services] header has no usable name, so botocore drops it.",
    why="""
build_profile_map reads [sso-session NAME] and [services NAME] like profile
headers: only a header that splits into exactly two shlex tokens is kept, so
[sso-session], [services] and [sso-session my sso] are dropped silently.
Headers such as [sso_session corp] or [SSO-Session corp] are ordinary sections,
because section names are case-sensitive. A profile whose sso_session or
services key names the lost section then fails: the SSO provider raises
InvalidConfigError, and for services every client creation fails. The rule is
an error when a profile names the section.
""",
    example="""
[sso-session]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
""",
    fix="""
Name the section, e.g. [sso-session corp], and set `sso_session = corp` in the
profiles that use it.
""",
)
def malformed_named_section_header(setup: Setup) -> Iterator[Issue]:
    if not irregular_config_sections(setup):
        return
    references = {"sso-session": profiles_naming(setup, "sso_session"), "services": profiles_naming(setup, "services")}
    for section in irregular_config_sections(setup):
        classified = classify_named_section(section.name)
        if classified is None:
            continue
        kind, fix = classified
        severity = Severity.WARNING
        related: tuple[Location, ...] = ()
        consequence = ""
        noun = "an sso-session" if kind == "sso-session" else "a services block"
        key = "sso_session" if kind == "sso-session" else "services"
        existing = setup.profiles.sso_sessions if kind == "sso-session" else setup.profiles.services
        referrers = references[kind].get(fix.name or "", []) if fix.name is not None else []
        if referrers and fix.name not in existing:
            severity = Severity.ERROR
            related = tuple(setup.key_location(referrer, key) for referrer in referrers)
            subject = f"Profile '{referrers[0]}' sets" if len(referrers) == 1 else \
                "Profiles " + ", ".join(f"'{referrer}'" for referrer in referrers) + " set"
            consequence = f". {subject} {key} = {fix.name}, so botocore raises InvalidConfigError when it is used"
        hint = f"Write the header as {fix.header}." if fix.header is not None \
            else f"Name the section, e.g. [{kind} NAME], and set {key} = NAME in the profiles that use it."
        yield Issue(
            message=f"botocore does not read section [{section.name}] in the config file as {noun} because "
                    f"{fix.reason}{consequence}",
            hint=hint,
            location=setup.section_location(CONFIG, section),
            related=related,
            severity=severity,
        )


# -- AD208: quoted profile names ------------------------------------------------------


@rule(
    "AD208", "quoted-profile-name", Severity.INFO,
    summary="A profile header quotes its name ([profile \"my dev\"]), which only botocore reads as intended.",
    why="""
build_profile_map splits the header with shlex, so [profile "my dev"] defines
profile 'my dev' for boto3 and the AWS CLI. The other SDKs do not: the
JavaScript v3 and Go v2 SDKs keep the quotes as part of the name (or do not
match it at all), and the Java v2 SDK rejects names with spaces. The same
AWS_PROFILE then selects the profile in Python and fails elsewhere.
""",
    example="""
[profile "my dev"]
region = us-east-1
""",
    fix="Rename the profile to a name without spaces or quotes, e.g. [profile my-dev].",
)
def quoted_profile_name(setup: Setup) -> Iterator[Issue]:
    if setup.config is None or setup.config.document is None:
        return
    for section in setup.config.document.sections:
        if ('"' not in section.name and "'" not in section.name) or section.occurrence > 1 \
                or not section.name.startswith("profile"):
            continue
        group, name = section_target(section.name)
        if group != "profiles" or name is None:
            continue
        suggestion = "-".join(name.split()) or "NAME"
        yield Issue(
            message=f"[{section.name}] defines profile {name!r} for botocore and the AWS CLI only; the "
                    "JavaScript, Go and Java SDKs do not read a quoted profile name the same way",
            hint=f"Rename it to [profile {suggestion}] if tools other than the AWS CLI and boto3 use it.",
            location=setup.section_location(CONFIG, section, profile=name),
        )
