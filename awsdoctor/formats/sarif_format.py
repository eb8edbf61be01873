"""``--format sarif``: one SARIF 2.1.0 run, for GitHub code scanning and other SARIF viewers.

The rule metadata (``tool.driver.rules``) comes from the rule registry, so each
result links to the same documentation as ``awsdoctor rules CODE``. Paths are
written as given on the command line: a relative path stays relative, which
code scanning resolves against the repository root, and an absolute path
becomes a ``file://`` URI.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from typing import TYPE_CHECKING
from urllib.parse import quote

from awsdoctor import __version__
from awsdoctor.findings import Finding, Location, Severity
from awsdoctor.formats import Report
from awsdoctor.formats.json_format import help_uri
from awsdoctor.rule import Rule

if TYPE_CHECKING:
    from typing import Any

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/awsdoctor/awsdoctor"

# SARIF has no "info" level; "note" is its lowest level that still shows in viewers.
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# "~/.aws/config" is reported relative to the home directory, which SARIF
# expresses as a URI base id that the consumer may resolve.
HOME_BASE_ID = "HOME"

FINGERPRINT_KEY = "awsdoctor/v1"


def render(report: Report) -> str:
    document = build(report)
    text = json.dumps(document, indent=2) + "\n"
    if "\\ud" in text:
        # Python reads a byte that is not UTF-8 in an environment variable or a path as a lone surrogate
        # (\xff as \udcff). That is not a Unicode character, and strict JSON readers reject or replace
        # it, so such strings are written with the escape as text, as the text format shows them.
        text = json.dumps(without_surrogates(document), indent=2) + "\n"
    return text


def without_surrogates(value: Any) -> Any:
    """Return ``value`` with every lone surrogate in its strings replaced by its backslash escape."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {without_surrogates(key): without_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_surrogates(item) for item in value]
    return value


def build(report: Report) -> dict[str, Any]:
    """Return the SARIF log as a JSON-ready dictionary."""
    rule_index = {code: index for index, code in enumerate(report.rules)}
    fallback = report.inputs[0] if report.inputs else None
    results = [build_result(finding, rule_index, fallback) for finding in report.findings]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "awsdoctor",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [build_rule(rule) for rule in report.rules.values()],
            },
        },
        # Columns count characters, as the INI reader does.
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def build_rule(rule: Rule) -> dict[str, Any]:
    """Describe one rule as a SARIF reportingDescriptor."""
    documentation = rule.documentation()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": documentation, "markdown": documentation},
        "helpUri": help_uri(rule.code, rule.name),
        # An opt-in rule runs only when selected by its code, so SARIF viewers show it as disabled.
        "defaultConfiguration": {"level": LEVELS[rule.severity], **({"enabled": False} if rule.opt_in else {})},
        "properties": {"tags": [rule.area]},
    }


def build_result(finding: Finding, rule_index: dict[str, int], fallback_path: str | None = None) -> dict[str, Any]:
    """Describe one finding as a SARIF result.

    GitHub code scanning rejects the whole upload when a result has no
    artifact location ("locationFromSarifResult: expected artifact
    location"), so a finding without a path (a profile that has no section, a
    variable) is attached to ``fallback_path``, the first input file, with no
    region, and keeps its logical locations.
    """
    text = finding.message if not finding.hint else f"{finding.message}\nFix: {finding.hint}"
    location = build_location(finding.location)
    if "physicalLocation" not in location and fallback_path is not None:
        location["physicalLocation"] = {"artifactLocation": artifact_location(fallback_path)}
        location.pop("message", None)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
        "properties": {"severity": finding.severity.label, "name": finding.name},
    }
    if finding.rule in rule_index:
        result["ruleIndex"] = rule_index[finding.rule]
    if finding.related:
        result["relatedLocations"] = [
            {"id": number, **build_location(location)} for number, location in enumerate(finding.related, start=1)
        ]
    return result


def build_location(location: Location) -> dict[str, Any]:
    """Map a finding's place to a physical location (file, line, column) and logical ones (profile, key, variable)."""
    sarif_location: dict[str, Any] = {}
    if location.path is not None:
        physical: dict[str, Any] = {"artifactLocation": artifact_location(location.path)}
        if location.line is not None:
            region: dict[str, int] = {"startLine": location.line}
            if location.column is not None:
                region["startColumn"] = location.column
            physical["region"] = region
        sarif_location["physicalLocation"] = physical
    logical = logical_locations(location)
    if logical:
        sarif_location["logicalLocations"] = logical
    if not sarif_location:
        sarif_location["message"] = {"text": location.describe()}
    return sarif_location


def artifact_location(path: str) -> dict[str, str]:
    """Return the artifactLocation for a path as displayed: relative, ``~/...`` or absolute."""
    if path.startswith("~/"):
        return {"uri": quote_path(path[2:]), "uriBaseId": HOME_BASE_ID}
    if posixpath.isabs(path):
        return {"uri": "file://" + quote_path(path)}
    return {"uri": quote_path(posixpath.normpath(path))}


def quote_path(path: str) -> str:
    """Percent-encode a path for a URI, a byte that is not UTF-8 (``\\xff``, read as ``\\udcff``) as ``%FF``."""
    try:
        return quote(path, errors="surrogateescape")
    except UnicodeEncodeError:
        # Only U+DC80-U+DCFF are escaped bytes, so any other lone surrogate is written as its escape.
        return quote(path, errors="backslashreplace")


def logical_locations(location: Location) -> list[dict[str, str]]:
    logical: list[dict[str, str]] = []
    if location.profile is not None:
        logical.append({"name": location.profile, "fullyQualifiedName": f"profile {location.profile}",
                        "kind": "namespace"})
    elif location.section is not None:
        logical.append({"name": location.section, "fullyQualifiedName": f"[{location.section}]",
                        "kind": "namespace"})
    if location.key is not None:
        owner = location.profile if location.profile is not None else location.section
        qualified = location.key if owner is None else f"{owner}.{location.key}"
        logical.append({"name": location.key, "fullyQualifiedName": qualified, "kind": "property"})
    if location.variable is not None:
        logical.append({"name": location.variable, "fullyQualifiedName": f"${location.variable}", "kind": "variable"})
    return logical


def fingerprint(finding: Finding) -> str:
    """Hash what identifies a finding but not its line, so that moving a section keeps the same fingerprint.

    Messages never contain a secret (key ids are masked), so hashing them is safe.
    """
    location = finding.location
    parts = (finding.rule, location.path, location.profile, location.key, location.variable, finding.message)
    data = "\0".join("" if part is None else part for part in parts)
    # Names from the environment and paths may contain lone surrogates (bytes that are not UTF-8). surrogatepass
    # encodes every one of them, and unlike backslashreplace never gives two names the same bytes.
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()
