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
    return json.dumps(build(report), indent=2) + "\n"
