"""Output formats, each a small module with a ``render(report) -> str`` function, chosen by name."""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING

from awsdoctor.findings import Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from awsdoctor.findings import Finding
    from awsdoctor.rule import Rule

    Formatter = Callable[["Report"], str]

FORMATS = ("text", "json", "sarif", "github")
CHOICES = ("auto", *FORMATS)


class Report:
    """Finished findings plus what a formatter needs to describe the run."""

    __slots__ = ("color", "context", "extra", "findings", "inputs", "rules")

    def __init__(self, findings: tuple[Finding, ...], rules: Mapping[str, Rule], inputs: tuple[str, ...] = (),
                 context: str = "", color: bool = False, extra: Mapping[str, object] | None = None) -> None:
        self.findings = findings
        self.rules = rules
        self.inputs = inputs
        self.context = context
        self.color = color
        self.extra: Mapping[str, object] = {} if extra is None else extra

    def replace(self, *, findings: tuple[Finding, ...] | None = None, context: str | None = None,
                extra: Mapping[str, object] | None = None) -> Report:
        """Return a copy with the given findings, context or extra JSON members (the live checks add these)."""
        return Report(
            findings=self.findings if findings is None else findings,
            rules=self.rules,
            inputs=self.inputs,
            context=self.context if context is None else context,
            color=self.color,
            extra=self.extra if extra is None else extra,
        )

    def counts(self) -> dict[str, int]:
        counts = {severity.label: 0 for severity in sorted(Severity, reverse=True)}
        for finding in self.findings:
            counts[finding.severity.label] += 1
        return counts


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
