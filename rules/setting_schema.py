"""settings.schema.json compiled into small validators, and the file entries the setting rules judge.

Importing jsonschema takes about 100 ms, which the check path cannot afford.
The schema is therefore compiled once into :class:`Spec` objects that check
the only keywords it uses: ``enum``, ``pattern``, ``type: integer`` with
``minimum`` / ``maximum``, and ``type: object`` for nested blocks. The tests
hold these validators to jsonschema's verdict on every fixture value.

Each INI value is first converted as the key's ``x-ini`` annotation says,
which is what the tool does before it compares: ``integer`` (``int()``),
``lower`` (lower-cased, for botocore's case-insensitive settings),
``boolean`` (lower-cased; botocore's ``ensure_boolean`` takes only ``true``
as true) or ``string`` (as written).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from awsdoctor.findings import Severity
from awsdoctor.ini import DEFAULT_SECTION, Entry
from awsdoctor.profiles import CONFIG, CREDENTIALS, section_target
from awsdoctor.setup import Setup

SCHEMA_PATH = os.path.join(os.path.dirname(__file__), "settings.schema.json")

PROFILE = "profile"
SSO_SESSION = "sso-session"
SERVICE = "services"
# The profile map's section groups, by the scope their settings have here.
_SCOPES = {"profiles": PROFILE, "sso_sessions": SSO_SESSION, "services": SERVICE}

STRING = "string"
INTEGER = "integer"
LOWER = "lower"
BOOLEAN = "boolean"
NESTED = "nested"

# A # or ; after whitespace starts what the writer meant as a comment. The
# AD1xx rules report it, so the value is judged without it.
_INLINE_COMMENT = re.compile(r"\s[#;].*$")
_QUOTE_MARKS = ("'", '"')
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def close_matches(word: str, possibilities: Iterable[str], n: int, cutoff: float) -> list[str]:
    """Return ``difflib.get_close_matches``, importing difflib only when a value or key needs a suggestion.

    A word far longer than every possibility cannot reach ``cutoff``, so it
    is not compared at all. difflib's ratio is 2*M/T, which is at most
    2*p/(p+w) for a possibility of length p. Comparing a multi-megabyte value
    with each region name would take minutes.
    """
    candidates = list(possibilities)
    longest = max((len(candidate) for candidate in candidates), default=0)
    if not candidates or 2 * longest < cutoff * (longest + len(word)):
        return []
    import difflib

    return difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff)


class Spec(NamedTuple):
    """One setting compiled from the schema; ``path`` such as ``profile.s3.addressing_style`` identifies it."""

    path: str
    key: str
    kind: str
    enum: tuple[str, ...] | None = None
    pattern: re.Pattern[str] | None = None
    minimum: int | None = None
    maximum: int | None = None
    tools: tuple[str, ...] = ()
    tool_values: Mapping[str, tuple[str, ...]] = _EMPTY
    expected: str | None = None
    invalid: str | None = None
    rule: str | None = None
    properties: Mapping[str, Spec] = _EMPTY

    @property
    def nested(self) -> bool:
        return self.kind == NESTED

    @property
    def constrained(self) -> bool:
        """Return False when no value can fail the spec (a free-form string such as source_profile)."""
        return self.kind in (NESTED, INTEGER) or self.enum is not None or self.pattern is not None


class Violation(NamedTuple):
    """The reason a value fails its spec, worded to follow "expected" in a message."""

    expected: str


class Catalog(NamedTuple):
    """The compiled schema: the specs of each section type and the companion tools' keys."""

    scopes: Mapping[str, Mapping[str, Spec]]
    service_block: Spec
    companion_keys: Mapping[str, str]
    companion_prefixes: tuple[tuple[str, str], ...]
    aliases: Mapping[str, str] = _EMPTY

    def spec(self, scope: str, key: str) -> Spec | None:
        return self.scopes.get(scope, {}).get(key)

    def key_names(self, scope: str) -> list[str]:
        return list(self.scopes.get(scope, {}))

    def companion(self, key: str) -> str | None:
        """Return the companion tool that owns ``key`` (aws-vault, granted ...), or None."""
        tool = self.companion_keys.get(key)
        if tool is not None:
            return tool
        return next((name for prefix, name in self.companion_prefixes if key.startswith(prefix)), None)


def load_schema() -> dict[str, Any]:
    with open(SCHEMA_PATH, "rb") as handle:
        document: dict[str, Any] = json.load(handle)
    return document


@functools.cache
def catalog() -> Catalog:
    """Compile settings.schema.json once per process."""
    schema = load_schema()
    definitions = schema["$defs"]
    scopes = {
        PROFILE: _compile_properties(PROFILE, definitions["profile"]["properties"]),
        SSO_SESSION: _compile_properties(SSO_SESSION, definitions["sso-session"]["properties"]),
    }
    service_block = _compile(f"{SERVICE}.*", "*", definitions["services"]["additionalProperties"])
    companion_keys: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    for tool, declared in schema.get("x-companion-tools", {}).items():
        for key in declared.get("keys", []):
            companion_keys[key] = tool
        for prefix in declared.get("prefixes", []):
            prefixes.append((prefix, tool))
    return Catalog(scopes, service_block, companion_keys, tuple(prefixes), dict(schema.get("x-aliases", {})))


def _compile_properties(path: str, properties: Mapping[str, Any]) -> dict[str, Spec]:
    return {key: _compile(f"{path}.{key}", key, body) for key, body in properties.items()}


def _compile(path: str, key: str, body: Mapping[str, Any]) -> Spec:
    declared_type = body.get("type", "string")
    default_kind = STRING
    if declared_type == "integer":
        default_kind = INTEGER
    elif declared_type == "object":
        default_kind = NESTED
    kind = body.get("x-ini", default_kind)
    pattern = body.get("pattern")
    enum = body.get("enum")
    return Spec(
        path=path,
        key=key,
        kind=kind,
        enum=tuple(enum) if enum is not None else None,
        pattern=re.compile(pattern) if pattern is not None else None,
        minimum=body.get("minimum"),
        maximum=body.get("maximum"),
        tools=tuple(body.get("x-tools", ())),
        tool_values={tool: tuple(values) for tool, values in body.get("x-tool-values", {}).items()},
        expected=body.get("x-expected"),
        invalid=body.get("x-invalid"),
        rule=body.get("x-rule"),
        properties=_compile_properties(path, body.get("properties", {})),
    )


def convert(spec: Spec, value: str) -> object:
    """Convert an INI value as its tool does before comparing it.

    A value that int() rejects stays a string, which the integer check then reports.
    """
    if spec.kind == INTEGER:
        try:
            return int(value)
        except ValueError:
            return value
    if spec.kind in (LOWER, BOOLEAN):
        return value.lower()
    return value


_results: dict[tuple[str, str], Violation | None] = {}


def check_value(spec: Spec, value: str) -> Violation | None:
    """Return the reason ``value`` fails ``spec``, or None. Results are cached per distinct (setting, value)."""
    cache_key = (spec.path, value)
    if cache_key not in _results:
        _results[cache_key] = _check(spec, convert(spec, value))
    return _results[cache_key]


def _check(spec: Spec, converted: object) -> Violation | None:
    if spec.kind == NESTED:
        return None if isinstance(converted, dict) else Violation("a nested block of indented key = value lines")
    if spec.kind == INTEGER:
        if not isinstance(converted, int):
            return Violation(_integer_range(spec))
        too_small = spec.minimum is not None and converted < spec.minimum
        too_large = spec.maximum is not None and converted > spec.maximum
        return Violation(_integer_range(spec)) if too_small or too_large else None
    assert isinstance(converted, str)
    if spec.enum is not None and converted not in spec.enum:
        sensitivity = " (case-sensitive)" if spec.kind == STRING else ""
        return Violation(f"one of {', '.join(spec.enum)}{sensitivity}")
    # JSON Schema's pattern is an unanchored search, so the schema's patterns carry their own anchors.
    if spec.pattern is not None and spec.pattern.search(converted) is None:
        return Violation(spec.expected or f"a value matching {spec.pattern.pattern}")
    return None


def _integer_range(spec: Spec) -> str:
    if spec.minimum is not None and spec.maximum is not None:
        return f"an integer from {spec.minimum} to {spec.maximum}"
    if spec.minimum is not None:
        return f"an integer of at least {spec.minimum}"
    return "an integer"


def suggest_value(spec: Spec, value: str) -> str | None:
    """Return the allowed value closest to ``value`` (same letters in another case first), or None."""
    if spec.enum is None:
        return None
    folded = value.strip().lower()
    for candidate in spec.enum:
        if candidate.lower() == folded:
            return candidate
    close = close_matches(folded, spec.enum, n=1, cutoff=0.6)
    return close[0] if close else None


def suggest_key(key: str, names: list[str], aliases: Mapping[str, str] | None = None) -> str | None:
    """Return the known name closest to ``key``, or None.

    The candidates are tried in this order:

    1. the same name with ``_`` for ``-`` (``role-arn``);
    2. a declared alias (``region_name`` is boto3's name for ``region``);
    3. the one known name that extends the key, or that the key extends, at a
       ``_`` (``aws_access_key`` for ``aws_access_key_id``);
    4. the closest difflib match.
    """
    normalized = key.strip().lower().replace("-", "_").replace(" ", "_")
    if normalized in names and normalized != key:
        return normalized
    alias = (aliases or {}).get(normalized)
    if alias is not None and alias in names:
        return alias
    extended = [name for name in names if name.startswith(normalized + "_") or normalized.startswith(name + "_")]
    if len(extended) == 1:
        return extended[0]
    close = close_matches(normalized, names, n=1, cutoff=0.7)
    return close[0] if close else None


# -- the file entries the rules judge -----------------------------------------


class SettingEntry(NamedTuple):
    """One ``key = value`` line of a profile, sso-session or services section, with its cleaned value.

    ``value`` is the value as the writer meant it, with an inline comment and
    surrounding quotes taken off (the AD1xx rules report those), or None for
    a nested block. ``name`` is the profile, sso-session or services name
    (None for ``[DEFAULT]``), and ``profile`` the same name for a profile
    only.
    """

    file: str
    section: str
    scope: str
    name: str | None
    entry: Entry
    value: str | None

    @property
    def profile(self) -> str | None:
        return self.name if self.scope == PROFILE else None

    @property
    def owner(self) -> str:
        """Name the section for a message: ``profile 'dev'``, ``[sso-session corp]``, ``[DEFAULT]``."""
        if self.name is None:
            return "[DEFAULT]"
        if self.scope == PROFILE:
            return f"profile '{self.name}'"
        return f"[{self.scope} {self.name}]"


def setting_groups(setup: Setup) -> dict[tuple[str, str], list[SettingEntry]]:
    """Return every entry of every profile, sso-session and services section, grouped by (scope, key).

    Rules that judge one key, or judge a key's spec once for all its lines,
    walk these groups instead of every line of a large file. ``[DEFAULT]``
    entries are listed once, as profile settings, although botocore copies
    them into every section. The groups are built once per Setup, each in file order.
    """
    return setup.derived("settings.groups", _collect_setting_groups)


def iter_setting_entries(setup: Setup) -> list[SettingEntry]:
    """Return the entries of :func:`setting_groups`, one key after the other."""
    return [item for group in setting_groups(setup).values() for item in group]


def _collect_setting_groups(setup: Setup) -> dict[tuple[str, str], list[SettingEntry]]:
    by_scope: dict[str, dict[str, list[SettingEntry]]] = {}
    for kind in (CONFIG, CREDENTIALS):
        source = setup.source(kind)
        if source is None or source.document is None:
            continue
        for section in source.document.sections:
            target = _section_scope(kind, section.name)
            if target is None:
                continue
            scope, name = target
            groups = by_scope.setdefault(scope, {})
            for entry in section.entries:
                key, _, raw, _, _, _, _, continuations = entry
                # Most values need no cleaning, and clean_value decides for the others.
                value: str | None = raw
                if continuations or "#" in raw or ";" in raw or '"' in raw or "'" in raw:
                    value = clean_value(entry)
                item = _new_setting_entry(SettingEntry, (kind, section.name, scope, name, entry, value))
                group = groups.get(key)
                if group is None:
                    groups[key] = [item]
                else:
                    group.append(item)
    return {(scope, key): group for scope, groups in by_scope.items() for key, group in groups.items()}


def scope_spec(scope: str, key: str) -> Spec | None:
    """Return the spec of ``key`` in a section of ``scope`` (every key of a [services] section is a service id)."""
    compiled = catalog()
    if scope == SERVICE:
        return compiled.service_block
    return compiled.spec(scope, key)


def _section_scope(kind: str, section: str) -> tuple[str, str | None] | None:
    """Return the section type and name a section gives settings to, or None for a section botocore drops."""
    if section == DEFAULT_SECTION:
        return PROFILE, None
    if kind == CREDENTIALS:
        return PROFILE, section
    group, name = section_target(section)
    scope = _SCOPES.get(group)
    if scope is None or name is None:
        return None
    return scope, name


def clean_value(entry: Entry) -> str | None:
    """Return the scalar value as meant (first line, no inline comment, no surrounding quotes), or None if nested."""
    value = entry.value
    if value.startswith("\n"):
        return None
    if entry.continuations:
        value = value.split("\n", 1)[0]
    if "#" in value or ";" in value:
        value = _INLINE_COMMENT.sub("", value).strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()
    return value


# NamedTuple's constructor without its keyword handling: one entry is built
# per line of the files.
_new_setting_entry = tuple.__new__


def owner_text(item: SettingEntry) -> str:
    return item.owner


class NestedItem(NamedTuple):
    """One ``key = value`` line of a nested block, with the columns of its key and its value."""

    key: str
    value: str
    line: int
    key_column: int
    value_column: int


def nested_items(entry: Entry) -> Iterator[NestedItem]:
    """Yield each ``key = value`` line of a nested block (``s3 =`` followed by indented lines)."""
    if not entry.value.startswith("\n"):
        return
    for continuation in entry.continuations:
        if "=" not in continuation.text:
            continue
        key, value = continuation.text.split("=", 1)
        offset = len(continuation.text) - len(value.lstrip())
        yield NestedItem(key.strip(), value.strip(), continuation.line, continuation.column,
                         continuation.column + offset)


# -- regions ---------------------------------------------------------------------


class RegionData(NamedTuple):
    """The region names and partition patterns of the installed botocore's endpoint data."""

    regions: frozenset[str]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]


@functools.cache
def region_data() -> RegionData:
    """Read botocore/data/partitions.json without importing botocore (once per process).

    partitions.json lists every region of endpoints.json (and the global
    pseudo-regions) at a hundredth of its size, which keeps start-up fast.
    """
    regions: set[str] = set()
    patterns: list[tuple[str, re.Pattern[str]]] = []
    spec = importlib.util.find_spec("botocore")
    if spec is None or spec.origin is None:
        return RegionData(frozenset(), ())
    data = os.path.join(os.path.dirname(spec.origin), "data")
    try:
        with open(os.path.join(data, "partitions.json"), "rb") as handle:
            document = json.load(handle)
    except (OSError, ValueError):
        return RegionData(frozenset(), ())
    for partition in document.get("partitions", []):
        regions.update(partition.get("regions", {}))
        patterns.append((partition["id"], re.compile(partition["regionRegex"])))
    return RegionData(frozenset(regions), tuple(patterns))


_ZONE = re.compile(r"^(?P<region>[a-z]{2,4}(?:-[a-z]+)+-\d+)(?P<zone>[a-z])$")


def describe_region(value: str, host: str = "sts") -> tuple[str, str, Severity | None] | None:
    """Say what is wrong with a well-formed region name: (message tail, hint, severity override), or None.

    ``host`` is the first label of the example endpoint the message shows.
    """
    data = region_data()
    if not data.regions or value in data.regions:
        return None
    lowered = value.lower()
    if lowered in data.regions:
        return (
            "is in upper case; region names are lower case, and botocore builds endpoint host names "
            f"such as {host}.{value}.amazonaws.com from it unchanged",
            f"Write region = {lowered}.", None,
        )
    zone = _ZONE.match(lowered)
    if zone is not None and zone.group("region") in data.regions:
        region = zone.group("region")
        return (
            f"is an availability zone, not a region; botocore builds endpoints such as "
            f"{host}.{value}.amazonaws.com that do not exist",
            f"Write region = {region}, the region of zone {value}.", None,
        )
    partition = next((name for name, pattern in data.patterns if pattern.match(value)), None)
    if partition is not None:
        return (
            f"is not in this botocore's endpoint data, although it has the form of a region of the {partition} "
            "partition; it works only if the region is newer than the installed botocore",
            "Check the spelling against the AWS region list; upgrade botocore if the region is new.",
            Severity.INFO,
        )
    close = close_matches(lowered, sorted(data.regions), n=1, cutoff=0.75)
    hint = f"Did you mean region = {close[0]}?" if close else "Use a region name such as us-east-1 or eu-west-1."
    return (
        "is not an AWS region; botocore accepts the name but every request fails when the endpoint "
        "host name does not resolve",
        hint, None,
    )
