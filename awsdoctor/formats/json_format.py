"""``--format json``: the versioned report contract (schema in awsdoctor/schemas/report.schema.json)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from awsdoctor import __version__
from awsdoctor.formats import Report

if TYPE_CHECKING:
    from typing import Any

REPORT_VERSION = 1
HELP_URI = "https://github.com/awsdoctor/awsdoctor/blob/main/docs/rules.md"


def help_uri(code: str, name: str) -> str:
    """Return the stable link to a rule's section of docs/rules.md."""
    return f"{HELP_URI}#{code.lower()}-{name}"


def build(report: Report) -> dict[str, Any]:
    findings = []
    for finding in report.findings:
        record = finding.to_dict()
        record["help_uri"] = help_uri(finding.rule, finding.name)
        findings.append(record)
    document: dict[str, Any] = {
        "version": REPORT_VERSION,
        "tool": {"name": "awsdoctor", "version": __version__},
        "summary": report.counts(),
        "findings": findings,
    }
    document.update(report.extra)
    return document


def render(report: Report) -> str:
    return json.dumps(_valid_unicode(build(report)), indent=2) + "\n"


def _valid_unicode(value: Any) -> Any:
    """Return ``value`` with bytes that were not UTF-8 written as ``\\xff`` text, as the text format does.

    Python keeps such bytes of a path or an environment value as lone
    surrogates, which JSON can escape but no UTF-8 reader can decode.
    """
    if isinstance(value, str):
        if value.isascii():
            return value
        try:
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that stands for no byte
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, list):
        return [_valid_unicode(item) for item in value]
    if isinstance(value, dict):
        return {key: _valid_unicode(item) for key, item in value.items()}
    return value
