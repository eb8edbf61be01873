"""What a rule is: identity, documentation and check in one object.

A rule module declares each rule with the :func:`rule` decorator::

    @rule(
        "AD401", "role-with-two-sources", Severity.ERROR,
        summary="A role profile sets both source_profile and credential_source.",
        why="botocore raises InvalidConfigError ...",
        example="[profile deploy]\\nrole_arn = ...\\nsource_profile = base\\ncredential_source = Environment",
        fix="Keep one of the two keys.",
    )
    def role_with_two_sources(setup: Setup) -> Iterator[Issue]:
        ...

The check yields :class:`Issue` objects (message, hint, place); the engine
turns them into frozen findings with the rule's code, name and severity.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from awsdoctor.findings import Location, Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from awsdoctor.setup import Setup

    CheckFunction = Callable[[Setup], Iterable["Issue"]]

CODE_PATTERN = re.compile(r"^AD\d{3}$")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

AREAS = {
    "AD0": "awsdoctor itself",
    "AD1": "files and syntax",
    "AD2": "sections and profile names",
    "AD3": "keys and values",
    "AD4": "assume role",
    "AD5": "SSO, web identity and credential_process",
    "AD6": "environment",
    "AD7": "secrets, permissions and caches",
    "AD8": "live checks",
}


class Issue:
    """One problem a check found, before the engine makes it a finding.

    ``severity`` overrides the rule's default for this one issue, for rules
    whose consequences differ by case (a warning in one profile, an error
    when the profile is the one in use).
    """

    __slots__ = ("hint", "location", "message", "related", "severity")

    def __init__(self, message: str, hint: str, location: Location, related: tuple[Location, ...] = (),
                 severity: Severity | None = None) -> None:
        self.message = message
        self.hint = hint
        self.location = location
        self.related = related
        self.severity = severity


class Rule:
    """A rule: code, kebab-case name, default severity, documentation and the check itself.

    ``needs_environment`` rules look at environment variables or caches and
    are skipped when only files named on the command line are linted.
    ``opt_in`` rules note what matters only to some users (how another SDK
    reads a correct file) and run only when selected by their full code.
    """

    __slots__ = ("check", "code", "example", "fix", "name", "needs_environment", "opt_in", "severity", "summary",
                 "why")

    def __init__(self, code: str, name: str, severity: Severity, summary: str, why: str, example: str, fix: str,
                 check: CheckFunction, needs_environment: bool = False, opt_in: bool = False) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.summary = summary
        self.why = why
        self.example = example
        self.fix = fix
        self.check = check
        self.needs_environment = needs_environment
        self.opt_in = opt_in

    def __repr__(self) -> str:
        return f"Rule({self.code}, {self.name})"

    @property
    def area(self) -> str:
        return AREAS.get(self.code[:3], "other")

    def run(self, setup: Setup) -> Iterator[Issue]:
        yield from self.check(setup)

    def documentation(self) -> str:
        """Return the rule's documentation as Markdown, in the fixed sections."""
        return (
            f"## {self.code} {self.name}\n\n"
            f"Default severity: {self.severity.label}\n\n"
            + (f"Opt-in: runs only when selected by its code (`--select {self.code}`).\n\n" if self.opt_in else "")
            + f"{self.summary}\n\n"
            f"### Why it matters\n\n{self.why}\n\n"
            f"### Example\n\n```ini\n{self.example}\n```\n\n"
            f"### How to fix it\n\n{self.fix}\n"
        )


def rule(code: str, name: str, severity: Severity, *, summary: str, why: str, example: str, fix: str,
         needs_environment: bool = False, opt_in: bool = False) -> Callable[[CheckFunction], Rule]:
    """Declare a rule around its check function."""
    if not CODE_PATTERN.match(code):
        raise ValueError(f"rule code {code!r} must be AD followed by three digits")
    if not NAME_PATTERN.match(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")

    def declare(check: CheckFunction) -> Rule:
        return Rule(
            code=code, name=name, severity=severity, summary=summary.strip(), why=why.strip(),
            example=example.strip("\n"), fix=fix.strip(), check=check, needs_environment=needs_environment,
            opt_in=opt_in,
        )

    return declare
