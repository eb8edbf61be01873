"""The Setup: one immutable snapshot of everything a rule may look at.

Rules never read ``os.environ``, the clock, the network or the disk; they read
a Setup. :func:`load_setup` builds one for the live environment (the
environment variables plus the files they point at) and :func:`load_file_setups`
builds one per group of files named on the command line, with no environment.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar, cast

from awsdoctor.caches import CacheEntry, PathInfo, read_cli_cache, stat_path
from awsdoctor.findings import Location
from awsdoctor.ini import Entry, Section
from awsdoctor.probes import Probes, collect_probes
from awsdoctor.profiles import CONFIG, CREDENTIALS, Profile, ProfileMap, build_profile_map
from awsdoctor.sources import FileStatus, SourceFile, display_path, read_source, resolve_path

T = TypeVar("T")

DEFAULT_CONFIG_PATH = "~/.aws/config"
DEFAULT_CREDENTIALS_PATH = "~/.aws/credentials"

# The variables each tool reads the profile name from, first match first
# (botocore configprovider.py). CLI v2 swaps the two variables.
BOTOCORE_PROFILE_VARIABLES = ("AWS_DEFAULT_PROFILE", "AWS_PROFILE")
CLI_V2_PROFILE_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")


class Selection(NamedTuple):
    """The profile a command would use, and how it was chosen.

    ``source`` is ``--profile`` for an explicit choice, the variable name for
    an ambient one, or None when nothing chose a profile and botocore falls
    back to ``default`` without requiring it to exist.
    """

    name: str | None
    source: str | None

    @property
    def explicit(self) -> bool:
        """Return True when the profile was given as --profile, which removes the environment provider."""
        return self.source == "--profile"

    @property
    def effective_name(self) -> str:
        return "default" if self.name is None else self.name


def select_profile(explicit: str | None, env: Mapping[str, str], variables: Sequence[str]) -> Selection:
    """Choose the profile as botocore does: an explicit name, then the first variable that exists, even empty."""
    if explicit is not None:
        return Selection(explicit, "--profile")
    for variable in variables:
        if variable in env:
            return Selection(env[variable], variable)
    return Selection(None, None)


class Setup:
    """Everything one diagnosis looks at: immutable by convention, built once by the loaders below.

    ``probes`` contains the paths, executables and SSO tokens the
    configuration names, looked at once at load time. It is empty when files
    are linted without an environment.
    """

    __slots__ = ("env", "uses_environment", "config", "credentials", "profiles", "selection", "selection_v2",
                 "cwd", "home", "cli_cache", "aws_directory", "now", "uid", "probes", "_derived")

    def __init__(self, *, env: Mapping[str, str], uses_environment: bool, config: SourceFile | None,
                 credentials: SourceFile | None, profiles: ProfileMap, selection: Selection,
                 selection_v2: Selection, cwd: str, home: str | None, cli_cache: tuple[CacheEntry, ...] = (),
                 aws_directory: PathInfo | None = None, now: float | None = None, uid: int | None = None,
                 probes: Probes | None = None) -> None:
        self.env = env
        self.uses_environment = uses_environment
        self.config = config
        self.credentials = credentials
        self.profiles = profiles
        self.selection = selection
        self.selection_v2 = selection_v2
        self.cwd = cwd
        self.home = home
        self.cli_cache = cli_cache
        self.aws_directory = aws_directory
        self.now = time.time() if now is None else now
        self.uid = os.getuid() if uid is None else uid
        self.probes = Probes() if probes is None else probes
        self._derived: dict[str, object] = {}

    def __repr__(self) -> str:
        return f"Setup({len(self.profiles)} profiles, environment {'used' if self.uses_environment else 'ignored'})"

    def replace(self, **changes: Any) -> Setup:
        """Return a copy with ``changes`` applied (and nothing derived carried over)."""
        fields: dict[str, Any] = {name: getattr(self, name) for name in self.__slots__ if not name.startswith("_")}
        fields.update(changes)
        return Setup(**fields)

    def derived(self, key: str, build: Callable[[Setup], T]) -> T:
        """Compute data derived from this Setup once and share it between the rules that need it.

        ``key`` names the data (use the module name as a prefix); ``build``
        must be a pure function of the Setup.
        """
        if key not in self._derived:
            self._derived[key] = build(self)
        return cast(T, self._derived[key])

    # -- files -----------------------------------------------------------

    def source(self, kind: str) -> SourceFile | None:
        if kind == CONFIG:
            return self.config
        if kind == CREDENTIALS:
            return self.credentials
        return None

    def sources(self) -> list[SourceFile]:
        return [source for source in (self.config, self.credentials) if source is not None]

    def profile(self, name: str) -> Profile | None:
        return self.profiles.get(name)

    # -- locations -------------------------------------------------------

    def file_location(self, kind: str, line: int | None = None, column: int | None = None,
                      section: str | None = None, profile: str | None = None, key: str | None = None) -> Location:
        source = self.source(kind)
        return Location(
            kind=kind, path=source.display if source else None, line=line, column=column,
            section=section, profile=profile, key=key,
        )

    def section_location(self, kind: str, section: Section, profile: str | None = None) -> Location:
        return self.file_location(kind, section.line, section.column, section.name, profile)

    def entry_location(self, kind: str, section: str, entry: Entry, profile: str | None = None,
                       at_value: bool = False) -> Location:
        column = entry.value_column if at_value else entry.column
        return self.file_location(kind, entry.line, column, section, profile, entry.key)

    def key_location(self, profile_name: str, key: str, at_value: bool = False) -> Location:
        """Locate the entry that supplies ``key`` to a profile (credentials file first, as botocore merges)."""
        profile = self.profiles.get(profile_name)
        found = profile.source(key) if profile else None
        if found is None:
            return self.profile_location(profile_name, key=key)
        definition, entry = found
        return self.entry_location(definition.file, definition.section, entry, profile_name, at_value)

    def file_key_location(self, profile_name: str, kind: str, key: str, at_value: bool = False) -> Location:
        """Locate ``key`` of a profile in one given file."""
        profile = self.profiles.get(profile_name)
        definition = None
        if profile is not None:
            definition = profile.config if kind == CONFIG else profile.credentials
        if definition is None or key not in definition.entries:
            return self.profile_location(profile_name, key=key)
        return self.entry_location(kind, definition.section, definition.entries[key], profile_name, at_value)

    def profile_location(self, profile_name: str, key: str | None = None, kind: str | None = None) -> Location:
        """Locate the header of a profile's section (the config file's, unless ``kind`` names the other file)."""
        profile = self.profiles.get(profile_name)
        definitions = []
        if profile is not None:
            definitions = [profile.config, profile.credentials] if kind != CREDENTIALS else [profile.credentials]
        for definition in definitions:
            if definition is None:
                continue
            section = self.find_section(definition.file, definition.section)
            if section is not None:
                return self.file_location(definition.file, section.line, section.column, section.name,
                                          profile_name, key)
        return Location(kind="config" if kind is None else kind, profile=profile_name, key=key)

    def find_section(self, kind: str, name: str, occurrence: int = 1) -> Section | None:
        source = self.source(kind)
        if source is None or source.document is None:
            return None
        return source.document.find_section(name, occurrence)

    @staticmethod
    def variable_location(name: str) -> Location:
        return Location(kind="environment", variable=name)


def load_setup(env: Mapping[str, str], profile: str | None = None, cwd: str | None = None) -> Setup:
    """Snapshot the live setup: ``env``, the files it points at, and the selected profile."""
    cwd = os.getcwd() if cwd is None else cwd
    config = _read_named_file(CONFIG, "AWS_CONFIG_FILE", DEFAULT_CONFIG_PATH, env, cwd)
    credentials = _read_named_file(CREDENTIALS, "AWS_SHARED_CREDENTIALS_FILE", DEFAULT_CREDENTIALS_PATH, env, cwd)
    home = env.get("HOME")
    return _build(
        env, True, config, credentials, profile, cwd,
        cli_cache=read_cli_cache(home),
        aws_directory=stat_path(os.path.join(home, ".aws"), home) if home else None,
    )


def load_file_setups(paths: Sequence[str], forced_type: str | None = None, cwd: str | None = None,
                     env: Mapping[str, str] | None = None) -> list[Setup]:
    """Build one Setup per directory from files named on the command line; the environment is ignored.

    A config file and a credentials file in the same directory are paired, as
    they would be in ``~/.aws``, so that checks across the two files still work.
    """
    cwd = os.getcwd() if cwd is None else cwd
    env = {} if env is None else env
    groups: dict[str, dict[str, SourceFile]] = {}
    order: list[tuple[str, str]] = []
    for raw in paths:
        kind = forced_type or guess_file_type(raw)
        path = os.path.normpath(os.path.join(cwd, raw))
        source = read_source(kind, path, raw, "argument")
        directory = os.path.dirname(path)
        group = groups.setdefault(directory, {})
        if kind in group:
            # A second file of the same type in one directory gets a Setup of its own.
            directory = f"{directory}\0{len(order)}"
            group = groups.setdefault(directory, {})
        group[kind] = source
        if not order or order[-1][0] != directory:
            order.append((directory, kind))
    setups = []
    seen: set[str] = set()
    for directory, _ in order:
        if directory in seen:
            continue
        seen.add(directory)
        group = groups[directory]
        setups.append(_build({}, False, group.get(CONFIG), group.get(CREDENTIALS), None, cwd))
    return setups


def guess_file_type(path: str) -> str:
    """Return ``credentials`` for files named like a credentials file, ``config`` otherwise."""
    name = os.path.basename(path).lower()
    return CREDENTIALS if "credentials" in name else CONFIG


def _read_named_file(kind: str, variable: str, default: str, env: Mapping[str, str], cwd: str) -> SourceFile:
    raw = env.get(variable, default)
    origin = variable if variable in env else "default"
    if raw == "":
        return SourceFile(kind=kind, path="", display="", origin=origin, status=FileStatus.EMPTY_PATH)
    path = resolve_path(raw, env, cwd)
    return read_source(kind, path, display_path(path, env), origin)


def _build(env: Mapping[str, str], uses_environment: bool, config: SourceFile | None,
           credentials: SourceFile | None, profile: str | None, cwd: str,
           cli_cache: tuple[CacheEntry, ...] = (), aws_directory: PathInfo | None = None) -> Setup:
    profiles = build_profile_map(
        config.document if config is not None else None,
        credentials.document if credentials is not None else None,
    )
    frozen_env = MappingProxyType(dict(env))
    selection_env = frozen_env if uses_environment else MappingProxyType({})
    return Setup(
        env=frozen_env,
        uses_environment=uses_environment,
        config=config,
        credentials=credentials,
        profiles=profiles,
        selection=select_profile(profile, selection_env, BOTOCORE_PROFILE_VARIABLES),
        selection_v2=select_profile(profile, selection_env, CLI_V2_PROFILE_VARIABLES),
        cwd=cwd,
        home=env.get("HOME"),
        cli_cache=cli_cache,
        aws_directory=aws_directory,
        probes=collect_probes(profiles, frozen_env, cwd) if uses_environment else None,
    )
