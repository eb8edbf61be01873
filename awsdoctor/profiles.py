"""Build the profile map from the two files, as botocore's session does.

The config file goes through ``botocore.configloader.build_profile_map``:
``[profile NAME]`` (split with ``shlex``, kept only when it gives exactly two
tokens), ``[default]``, ``[sso-session NAME]`` and ``[services NAME]``; every
other section is not a profile. The credentials file is used raw: each section
name is a profile name. ``Session.full_config`` then folds the credentials
sections into the profiles key by key, so for the same profile and key the
credentials file wins.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from awsdoctor.ini import DEFAULT_SECTION, Entry, IniDocument, parse_value

CONFIG = "config"
CREDENTIALS = "credentials"

_SHLEX_SPECIAL = re.compile(r"['\"\\]")
_SHLEX_WHITESPACE = re.compile(r"[ \t\r\n]+")


def split_section_name(name: str) -> list[str] | None:
    """Split a section name like ``shlex.split``; None where shlex raises (an unbalanced quote)."""
    if _SHLEX_SPECIAL.search(name) is None:
        # Without quotes or backslashes shlex only splits on its own whitespace set.
        return [token for token in _SHLEX_WHITESPACE.split(name) if token]
    try:
        return shlex.split(name)
    except ValueError:
        return None


def section_target(name: str) -> tuple[str, str | None]:
    """Return (map, name) for a config-file section: map is profiles, sso_sessions, services or other.

    The name is None when botocore silently drops the section (``[profile]``,
    ``[profile a b]``, an unbalanced quote).
    """
    if name.startswith("profile"):
        group = "profiles"
    elif name.startswith("sso-session"):
        group = "sso_sessions"
    elif name.startswith("services"):
        group = "services"
    elif name == "default":
        return "profiles", "default"
    else:
        return "other", name
    tokens = split_section_name(name)
    if tokens is None or len(tokens) != 2:
        return group, None
    return group, tokens[1]


@dataclass(frozen=True)
class Definition:
    """The entries one file contributes to a profile (or session, or services block).

    ``entries`` is what botocore reads: the section's keys plus the keys it
    inherits from ``[DEFAULT]``. ``shadowed`` lists earlier section names that
    mapped to the same name and were replaced whole (``[default]`` before
    ``[profile default]``, ``[profile dev]`` before ``[profile "dev"]``).
    """

    file: str
    section: str
    entries: Mapping[str, Entry]
    shadowed: tuple[str, ...] = ()

    def value(self, key: str) -> str | dict[str, str] | None:
        entry = self.entries.get(key)
        return None if entry is None else parse_value(entry.value)


@dataclass(frozen=True)
class Profile:
    """One profile of the merged view: its config-file part and its credentials-file part."""

    name: str
    config: Definition | None = None
    credentials: Definition | None = None
    _merged: dict[str, tuple[Definition, Entry]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Rules look keys up many times per profile, so the merge is done once.
        merged: dict[str, tuple[Definition, Entry]] = {}
        for definition in (self.config, self.credentials):
            if definition is not None:
                for key, entry in definition.entries.items():
                    merged[key] = (definition, entry)
        object.__setattr__(self, "_merged", merged)

    def source(self, key: str) -> tuple[Definition, Entry] | None:
        """Return where the merged value of ``key`` comes from (the credentials file wins)."""
        return self._merged.get(key)

    def get(self, key: str) -> str | dict[str, str] | None:
        """Return the merged value of ``key``, as ``session.full_config['profiles'][name]`` contains it."""
        found = self._merged.get(key)
        return None if found is None else parse_value(found[1].value)

    def has(self, key: str) -> bool:
        return key in self._merged

    def keys(self) -> list[str]:
        merged: dict[str, None] = {}
        for definition in (self.config, self.credentials):
            if definition is not None:
                merged.update(dict.fromkeys(definition.entries))
        return list(merged)

    def values(self) -> dict[str, str | dict[str, str]]:
        """Return the merged key -> value map (config keys, then credentials keys over them)."""
        merged: dict[str, str | dict[str, str]] = {}
        for definition in (self.config, self.credentials):
            if definition is not None:
                for key, entry in definition.entries.items():
                    merged[key] = parse_value(entry.value)
        return merged

    def file_value(self, file: str, key: str) -> str | dict[str, str] | None:
        """Return ``key`` from one file only, as the static-key providers read it."""
        definition = self.config if file == CONFIG else self.credentials
        return None if definition is None else definition.value(key)


@dataclass(frozen=True)
class ProfileMap:
    """The profiles, sso-sessions and services blocks, plus the config sections that belong to none of them."""

    profiles: Mapping[str, Profile]
    sso_sessions: Mapping[str, Definition]
    services: Mapping[str, Definition]
    other_sections: Mapping[str, Definition]
    dropped_sections: tuple[str, ...] = field(default=())

    def get(self, name: str) -> Profile | None:
        return self.profiles.get(name)

    def __iter__(self) -> Iterator[Profile]:
        return iter(self.profiles.values())


def build_profile_map(config: IniDocument | None, credentials: IniDocument | None) -> ProfileMap:
    """Build the merged profile map exactly as botocore's ``Session.full_config`` does."""
    config_profiles: dict[str, Definition] = {}
    sso_sessions: dict[str, Definition] = {}
    services: dict[str, Definition] = {}
    other: dict[str, Definition] = {}
    dropped: list[str] = []
    groups = {"profiles": config_profiles, "sso_sessions": sso_sessions, "services": services, "other": other}

    if config is not None:
        for section_name, entries in config.merged_entries().items():
            group, name = section_target(section_name)
            if name is None:
                dropped.append(section_name)
                continue
            target = groups[group]
            previous = target.get(name)
            shadowed = () if previous is None else (*previous.shadowed, previous.section)
            # Later sections replace earlier ones whole: build_profile_map uses dict.update.
            target[name] = Definition(CONFIG, section_name, entries, shadowed)

    profiles: dict[str, Profile] = {
        name: Profile(name=name, config=definition) for name, definition in config_profiles.items()
    }
    if credentials is not None:
        for section_name, entries in credentials.merged_entries().items():
            definition = Definition(CREDENTIALS, section_name, entries)
            existing = profiles.get(section_name)
            if existing is None:
                profiles[section_name] = Profile(name=section_name, credentials=definition)
            else:
                profiles[section_name] = Profile(name=section_name, config=existing.config, credentials=definition)

    return ProfileMap(profiles, sso_sessions, services, other, tuple(dropped))


def config_sections_named(document: IniDocument, name: str) -> list[str]:
    """Return the config-file section names that botocore maps to profile ``name``, in file order."""
    found = []
    for section in document.sections:
        if section.name == DEFAULT_SECTION or section.occurrence > 1:
            continue
        group, target = section_target(section.name)
        if group == "profiles" and target == name:
            found.append(section.name)
    return found
