"""Output formats, each a small module with a ``render(report) -> str`` function, chosen by name."""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from awsdoctor.findings import Finding, Severity
from awsdoctor.rule import Rule

FORMATS = ("text", "json", "sarif", "github")
CHOICES = ("auto", *FORMATS)


@dataclass(frozen=True)
class Report:
    """Finished findings plus what a formatter needs to describe the run."""

    findings: tuple[Finding, ...]
    rules: Mapping[str, Rule]
    inputs: tuple[str, ...] = ()
    context: str = ""
    color: bool = False
    extra: Mapping[str, object] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts = {severity.label: 0 for severity in sorted(Severity, reverse=True)}
        for finding in self.findings:
            counts[finding.severity.label] += 1
        return counts


class Formatter(Protocol):
    def __call__(self, report: Report) -> str: ...


def resolve_format(name: str, env: Mapping[str, str] | None = None) -> str:
    """Map ``auto`` to ``github`` under GitHub Actions and to ``text`` elsewhere."""
    env = os.environ if env is None else env
    if name != "auto":
        return name
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


def get_formatter(name: str) -> Formatter:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}: expected one of {', '.join(CHOICES)}")
    module = importlib.import_module(f"{__name__}.{name}_format")
    render: Formatter = module.render
    return render


def printable(text: str) -> str:
    r"""Escape control characters (ESC, NUL, ...) that a value from a file could smuggle into a terminal.

    Tabs stay; every other non-printable character is written as Python
    escapes it, e.g. ``\x1b``.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == "\t" else repr(char)[1:-1] for char in text)


def summary_line(report: Report) -> str:
    """Return the one-line summary, e.g. ``2 errors, 1 warning, 0 info``."""
    counts = report.counts()
    parts = []
    for label, count in counts.items():
        noun = label if label == "info" or count == 1 else label + "s"
        parts.append(f"{count} {noun}")
    return ", ".join(parts)
