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
from typing import NamedTuple

from awsdoctor.ini import DEFAULT_SECTION, Entry, IniDocument, parse_value

CONFIG = "config"
CREDENTIALS = "credentials"

_SHLEX_WHITESPACE = re.compile(r"[ \t\r\n]+")


def split_section_name(name: str) -> list[str] | None:
    """Split a section name like ``shlex.split``; None where shlex raises (an unbalanced quote)."""
    if '"' not in name and "'" not in name and "\\" not in name:
        # Without quotes or backslashes shlex only splits on its own whitespace set.
        if name.isascii() and name.isprintable():
            # There str.split agrees with it: the space is the one whitespace character left.
            return name.split()
        return [token for token in _SHLEX_WHITESPACE.split(name) if token]
    try:
        return shlex.split(name)
    except ValueError:
        return None


_targets: dict[str, tuple[str, str | None]] = {}


def section_target(name: str) -> tuple[str, str | None]:
    """Return (map, name) for a config-file section: map is profiles, sso_sessions, services or other.

    The name is None when botocore silently drops the section (``[profile]``,
    ``[profile a b]``, an unbalanced quote). Rules look up the same section
    many times, so results are cached.
    """
    target = _targets.get(name)
    if target is None:
        target = _targets[name] = _section_target(name)
    return target


def _section_target(name: str) -> tuple[str, str | None]:
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


class Definition(NamedTuple):
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


class Profile:
    """One profile of the merged view: its config-file part and its credentials-file part.

    Immutable by convention. Rules look keys up many times per profile, so
    the merged key -> entry view (credentials file over config file, as
    ``Session.full_config`` folds them) is built once, here.
    """

    __slots__ = ("name", "config", "credentials", "_entries")

    def __init__(self, name: str, config: Definition | None = None, credentials: Definition | None = None) -> None:
        self.name = name
        self.config = config
        self.credentials = credentials
        self._entries: Mapping[str, Entry]
        if credentials is None:
            self._entries = {} if config is None else config.entries
        elif config is None:
            self._entries = credentials.entries
        else:
            self._entries = {**config.entries, **credentials.entries}

    def __repr__(self) -> str:
        return f"Profile({self.name!r})"

    def source(self, key: str) -> tuple[Definition, Entry] | None:
        """Return where the merged value of ``key`` comes from (the credentials file wins)."""
        for definition in (self.credentials, self.config):
            if definition is not None:
                entry = definition.entries.get(key)
                if entry is not None:
                    return definition, entry
        return None

    def entry(self, key: str) -> Entry | None:
        """Return the entry that supplies the merged value of ``key``."""
        return self._entries.get(key)

    def get(self, key: str) -> str | dict[str, str] | None:
        """Return the merged value of ``key``, as ``session.full_config['profiles'][name]`` contains it."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        value = entry.value
        return parse_value(value) if value.startswith("\n") else value

    def text(self, key: str) -> str | None:
        """Return the merged value of ``key`` when it is a string, None when it is missing or a nested block."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        value = entry.value
        if value.startswith("\n"):
            parsed = parse_value(value)
            return parsed if isinstance(parsed, str) else None
        return value

    def has(self, key: str) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        return list(self._entries)

    def values(self) -> dict[str, str | dict[str, str]]:
        """Return the merged key -> value map (config keys, then credentials keys over them)."""
        return {key: parse_value(entry.value) for key, entry in self._entries.items()}

    def file_value(self, file: str, key: str) -> str | dict[str, str] | None:
        """Return ``key`` from one file only, as the static-key providers read it."""
        definition = self.config if file == CONFIG else self.credentials
        return None if definition is None else definition.value(key)


class ProfileMap:
    """The profiles, sso-sessions and services blocks, plus the config sections that belong to none of them."""

    __slots__ = ("profiles", "sso_sessions", "services", "other_sections", "dropped_sections", "_by_key",
                 "_by_keys")

    def __init__(self, profiles: Mapping[str, Profile], sso_sessions: Mapping[str, Definition],
                 services: Mapping[str, Definition], other_sections: Mapping[str, Definition],
                 dropped_sections: tuple[str, ...] = ()) -> None:
        self.profiles = profiles
        self.sso_sessions = sso_sessions
        self.services = services
        self.other_sections = other_sections
        self.dropped_sections = dropped_sections
        self._by_key: dict[str, list[Profile]] | None = None
        self._by_keys: dict[tuple[str, ...], list[Profile]] = {}

    def get(self, name: str) -> Profile | None:
        return self.profiles.get(name)

    def __iter__(self) -> Iterator[Profile]:
        return iter(self.profiles.values())

    def __len__(self) -> int:
        return len(self.profiles)

    def having(self, *keys: str) -> list[Profile]:
        """Return the profiles whose merged view has any of ``keys``, in map order.

        Most rules look only at profiles with some key (role_arn, sso_session,
        credential_process). The index is built in one pass, so that none of
        them walks every profile of a large file.
        """
        index = self._by_key
        if index is None:
            index = self._by_key = {}
            for profile in self.profiles.values():
                for key in profile._entries:
                    found = index.get(key)
                    if found is None:
                        index[key] = [profile]
                    else:
                        found.append(profile)
        if len(keys) == 1:
            return index.get(keys[0], [])
        found = self._by_keys.get(keys)
        if found is None:
            members = {id(profile) for key in keys for profile in index.get(key, ())}
            found = self._by_keys[keys] = [profile for profile in self.profiles.values() if id(profile) in members]
        return found


# NamedTuple's constructor without its keyword handling, because a large
# config has a definition per section.
_new_definition = tuple.__new__


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
            target[name] = _new_definition(Definition, (CONFIG, section_name, entries, shadowed))

    from_credentials: dict[str, Definition] = {}
    if credentials is not None:
        from_credentials = {
            name: _new_definition(Definition, (CREDENTIALS, name, entries, ()))
            for name, entries in credentials.merged_entries().items()
        }
    # Config profiles first, in file order, then the credentials-only ones, as
    # Session.full_config adds them.
    profiles: dict[str, Profile] = {
        name: Profile(name, definition, from_credentials.get(name)) for name, definition in config_profiles.items()
    }
    for name, definition in from_credentials.items():
        if name not in profiles:
            profiles[name] = Profile(name, None, definition)

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
