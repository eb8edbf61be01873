"""The finding record every rule produces and every formatter reads."""

from __future__ import annotations

import enum
from typing import Any, NamedTuple


class Severity(enum.IntEnum):
    """Finding severity; the integer order is the order of importance."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Return the severity named by ``text`` (``error``, ``warning`` or ``info``)."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"invalid severity {text!r}: expected error, warning or info") from None


LOCATION_KINDS = ("config", "credentials", "environment", "cache", "live", "file")


class Location(NamedTuple):
    """Where a finding sits: a file position, a profile and key, or a variable.

    Every field is None when it does not apply, so ``Location(kind="environment",
    variable="AWS_PROFILE")`` names a variable and ``Location(kind="config",
    path=..., line=4, column=1, section="profile dev", profile="dev")`` a
    section header.
    """

    kind: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    section: str | None = None
    profile: str | None = None
    key: str | None = None
    variable: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "section": self.section,
            "profile": self.profile,
            "key": self.key,
            "variable": self.variable,
        }

    def sort_key(self) -> tuple[str, int, int]:
        return (self.path or "", self.line or 0, self.column or 0)

    def describe(self) -> str:
        """Return a short place for text output, e.g. ``~/.aws/config:4:1``."""
        if self.path is not None:
            place = self.path
            if self.line is not None:
                place += f":{self.line}"
                if self.column is not None:
                    place += f":{self.column}"
            return place
        if self.variable is not None:
            return f"${self.variable}"
        if self.profile is not None:
            return f"profile {self.profile!r}"
        return self.kind


class Finding(NamedTuple):
    """One problem found by one rule: a frozen record, built by the engine."""

    rule: str
    name: str
    severity: Severity
    message: str
    hint: str
    location: Location
    related: tuple[Location, ...] = ()

    def __repr__(self) -> str:
        return f"Finding({self.rule}, {self.severity.label}, {self.location.describe()}, {self.message!r})"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (*self.location.sort_key(), self.rule)

    def with_severity(self, severity: Severity) -> Finding:
        return self._replace(severity=severity)

    def with_location(self, location: Location) -> Finding:
        return self._replace(location=location)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "hint": self.hint,
            "location": self.location.to_dict(),
            "related": [location.to_dict() for location in self.related],
        }
