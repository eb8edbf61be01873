"""awsdoctor's own settings: ``.awsdoctor.toml`` or ``[tool.awsdoctor]`` in ``pyproject.toml``.

Example ``.awsdoctor.toml``::

    select = ["AD"]
    ignore = ["AD3"]
    fail-on = "error"

    [severity]
    AD601 = "info"

    [per-file-ignores]
    "dotfiles/work/*" = ["AD7"]

    [profiles.prod]
    account = "123456789012"
    arn = "arn:aws:sts::123456789012:assumed-role/Deploy/*"

The search starts in the current directory and walks up to the filesystem
root. The first directory with ``.awsdoctor.toml``, or with a
``pyproject.toml`` that has a ``[tool.awsdoctor]`` table, wins. Within one
directory ``.awsdoctor.toml`` comes first. The file is validated against
``schemas/project-config.schema.json``; jsonschema is imported only when a
file is found, so the default ``check`` path does not pay for it.

Command-line options replace the file's values (``--fail-on`` replaces
``fail-on``); ``--select`` and ``--ignore`` together replace ``select`` and
``ignore``, so either one on the command line sets the whole rule selection.
"""

from __future__ import annotations

import fnmatch
import json
import os
import sys
from typing import TYPE_CHECKING

from awsdoctor.findings import Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

CONFIG_FILE_NAME = ".awsdoctor.toml"
PYPROJECT_FILE_NAME = "pyproject.toml"
SCHEMA_RESOURCE = "project-config.schema.json"


class ProjectConfigError(Exception):
    """The configuration file is unreadable, is not valid TOML, or does not match the schema."""


class Expectation:
    """The identity ``--live`` expects for a profile: an account id, a caller ARN pattern, or both."""

    __slots__ = ("account", "arn")

    def __init__(self, account: str | None = None, arn: str | None = None) -> None:
        self.account = account
        self.arn = arn

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expectation):
            return NotImplemented
        return (self.account, self.arn) == (other.account, other.arn)

    def __hash__(self) -> int:
        return hash((self.account, self.arn))

    def __repr__(self) -> str:
        return f"Expectation(account={self.account!r}, arn={self.arn!r})"


class FileIgnore:
    """Rule prefixes to drop for findings in files matching ``pattern``.

    ``pattern`` is an ``fnmatch`` glob made absolute against the directory of
    the configuration file. A pattern without ``/`` is matched against the
    file name alone, so ``"credentials" = ["AD7"]`` applies in every directory.
    """

    __slots__ = ("name_only", "pattern", "prefixes")

    def __init__(self, pattern: str, prefixes: tuple[str, ...], name_only: bool = False) -> None:
        self.pattern = pattern
        self.prefixes = prefixes
        self.name_only = name_only

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FileIgnore):
            return NotImplemented
        return (self.pattern, self.prefixes, self.name_only) == (other.pattern, other.prefixes, other.name_only)

    def __hash__(self) -> int:
        return hash((self.pattern, self.prefixes, self.name_only))

    def __repr__(self) -> str:
        return f"FileIgnore({self.pattern!r}, {self.prefixes!r}, name_only={self.name_only!r})"

    def matches(self, path: str) -> bool:
        if self.name_only:
            return fnmatch.fnmatchcase(os.path.basename(path), self.pattern)
        return fnmatch.fnmatchcase(path, self.pattern)


class ProjectConfig:
    """The settings from one file; ``path`` is None when no file was found (every field then has its default)."""

    __slots__ = ("expectations", "fail_on", "file_ignores", "ignore", "path", "select", "severity")

    def __init__(self, path: str | None = None, select: tuple[str, ...] | None = None,
                 ignore: tuple[str, ...] | None = None, severity: Mapping[str, Severity] | None = None,
                 file_ignores: tuple[FileIgnore, ...] = (), fail_on: str | None = None,
                 expectations: Mapping[str, Expectation] | None = None) -> None:
        self.path = path
        self.select = select
        self.ignore = ignore
        self.severity: Mapping[str, Severity] = {} if severity is None else severity
        self.file_ignores = file_ignores
        self.fail_on = fail_on
        self.expectations: Mapping[str, Expectation] = {} if expectations is None else expectations

    def _values(self) -> tuple[object, ...]:
        return (self.path, self.select, self.ignore, self.severity, self.file_ignores, self.fail_on,
                self.expectations)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProjectConfig):
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        return f"ProjectConfig(path={self.path!r})"

    def prefixes(self) -> list[str]:
        """Return every rule prefix the file names, to check that each one matches some rule."""
        found = [*(self.select or ()), *(self.ignore or ()), *self.severity]
        for file_ignore in self.file_ignores:
            found.extend(file_ignore.prefixes)
        return found

    def severities_for(self, codes: Iterable[str]) -> dict[str, Severity]:
        """Expand the severity table to rule codes: the longest matching prefix wins, ``ALL`` matches every code."""
        expanded: dict[str, Severity] = {}
        for code in codes:
            best = -1
            for prefix, severity in self.severity.items():
                if prefix == "ALL":
                    length = 0
                elif code.startswith(prefix):
                    length = len(prefix)
                else:
                    continue
                if length > best:
                    best = length
                    expanded[code] = severity
        return expanded


def find_project_config(start: str) -> str | None:
    """Return the first ``.awsdoctor.toml`` or ``pyproject.toml`` with ``[tool.awsdoctor]`` from ``start`` upwards."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, CONFIG_FILE_NAME)
        if os.path.isfile(candidate):
            return candidate
        pyproject = os.path.join(directory, PYPROJECT_FILE_NAME)
        if os.path.isfile(pyproject):
            tool = _read_toml(pyproject).get("tool")
            if isinstance(tool, dict) and "awsdoctor" in tool:
                return pyproject
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def load_project_config(explicit: str | None, cwd: str) -> ProjectConfig:
    """Load ``explicit`` (``--config``), else the file found from ``cwd`` upwards, else return the defaults."""
    if explicit is not None:
        path = os.path.join(cwd, explicit)
        if not os.path.exists(path):
            raise ProjectConfigError(f"configuration file {explicit} not found")
        if not os.path.isfile(path):
            raise ProjectConfigError(f"configuration file {explicit} is not a regular file")
    else:
        found = find_project_config(cwd)
        if found is None:
            return ProjectConfig()
        path = found

    document = _read_toml(path)
    where = path
    if os.path.basename(path) == PYPROJECT_FILE_NAME:
        where = f"[tool.awsdoctor] in {path}"
        tool = document.get("tool", {})
        if not isinstance(tool, dict) or "awsdoctor" not in tool:
            raise ProjectConfigError(f"{path} has no [tool.awsdoctor] table")
        document = tool["awsdoctor"]
        if not isinstance(document, dict):
            raise ProjectConfigError(f"{where}: tool.awsdoctor must be a table")
    validate(document, where)
    return build_config(document, path)


def validate(document: dict[str, Any], where: str) -> None:
    """Check ``document`` against the schema and raise one error listing every problem."""
    import jsonschema

    schema = load_schema()
    validator = jsonschema.Draft202012Validator(schema)
    # Keys and list indexes both appear in a path, so compare them as text.
    errors = sorted(validator.iter_errors(document), key=lambda error: [str(part) for part in error.absolute_path])
    if not errors:
        return
    problems = [describe_error(error, schema) for error in errors]
    raise ProjectConfigError(f"invalid configuration in {where}:\n" + "\n".join(f"  {p}" for p in problems))


def load_schema() -> dict[str, Any]:
    from importlib import resources  # only when a settings file exists; it costs milliseconds at start-up

    text = resources.files("awsdoctor").joinpath("schemas").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def describe_error(error: Any, schema: dict[str, Any]) -> str:
    """Turn one jsonschema error into a sentence that names the option and, for an unknown one, the valid ones."""
    path = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = sorted(error.schema.get("properties", {}))
        unknown = sorted(key for key in error.instance if key not in known)
        scope = f" in {path}" if path else ""
        names = ", ".join(repr(key) for key in unknown)
        return f"unknown option {names}{scope}; valid options are {', '.join(known)}"
    if error.validator == "pattern" and error.schema == schema["$defs"]["prefix"]:
        return f"{path}: {error.instance!r} is not a rule code or prefix (expected AD401, AD4 or ALL)"
    if error.validator == "pattern" and path.endswith(".account"):
        return f"{path}: {error.instance!r} is not a 12-digit AWS account id"
    if error.validator == "pattern" and path.endswith(".arn"):
        return f"{path}: {error.instance!r} is not an ARN (it must start with 'arn:')"
    if error.validator == "propertyNames":
        return f"{path}: {error.message}"
    return f"{path or 'top level'}: {error.message}"


def _codes(prefixes: Iterable[str]) -> tuple[str, ...]:
    """Return rule codes and prefixes in upper case, as --select and --ignore accept them in any case."""
    return tuple(prefix.upper() for prefix in prefixes)


def build_config(document: dict[str, Any], path: str) -> ProjectConfig:
    base = os.path.dirname(os.path.abspath(path))
    file_ignores = []
    for pattern, prefixes in document.get("per-file-ignores", {}).items():
        name_only = "/" not in pattern
        absolute = pattern if name_only else os.path.normpath(os.path.join(base, pattern))
        file_ignores.append(FileIgnore(absolute, _codes(prefixes), name_only))
    expectations = {
        name: Expectation(account=values.get("account"), arn=values.get("arn"))
        for name, values in document.get("profiles", {}).items()
    }
    return ProjectConfig(
        path=path,
        select=_codes(document["select"]) if "select" in document else None,
        ignore=_codes(document["ignore"]) if "ignore" in document else None,
        severity={prefix.upper(): Severity.parse(level) for prefix, level in document.get("severity", {}).items()},
        file_ignores=tuple(file_ignores),
        fail_on=document.get("fail-on"),
        expectations=expectations,
    )


def _read_toml(path: str) -> dict[str, Any]:
    # Imported here so that a run without any TOML file does not pay for the parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ProjectConfigError(f"cannot read {path}: {error.strerror}") from None
    try:
        # TOML requires UTF-8, and tomllib.load would let the UnicodeDecodeError escape.
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        # Everything before the first bad byte decodes, so the column counts characters as tomllib's do.
        column = len(data[line_start:error.start].decode("utf-8")) + 1
        raise ProjectConfigError(f"{path} is not valid TOML: byte 0x{data[error.start]:02x} at line {line}, "
                                 f"column {column} is not UTF-8") from None
    try:
        document: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProjectConfigError(f"{path} is not valid TOML: {error}") from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise ProjectConfigError(f"{path} nests arrays or tables too deeply to be read") from None
    return document
