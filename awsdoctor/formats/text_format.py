"""``--format text``: a doctor-style report grouped by area, most severe first."""

from __future__ import annotations

from awsdoctor.findings import Finding, Location, Severity
from awsdoctor.formats import Report, printable, summary_line
from awsdoctor.rule import AREAS

RESET = "\033[0m"
COLORS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
DIM = "\033[2m"
BOLD = "\033[1m"
INDENT = "    "


def _title(area: str) -> str:
    """Capitalize the first letter only, so that acronyms such as SSO keep their case."""
    return area[:1].upper() + area[1:]


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{RESET}" if color else text


def describe_place(location: Location) -> str:
    """Return the place and, in brackets, the profile, section, key or variable it concerns."""
    place = location.describe()
    details = []
    if location.profile is not None and location.path is not None:
        details.append(f"profile {location.profile!r}")
    elif location.section is not None and location.path is not None:
        details.append(f"section [{location.section}]")
    if location.key is not None:
        details.append(f"key {location.key}")
    if location.variable is not None and location.path is not None:
        details.append(f"${location.variable}")
    return f"{place} ({', '.join(details)})" if details else place


def render_finding(finding: Finding, color: bool) -> list[str]:
    label = _paint(f"{finding.severity.label:<7}", COLORS[finding.severity], color)
    lines = [f"  {label} {printable(describe_place(finding.location))}"]
    lines.append(f"  {' ' * 7} {printable(finding.message)} {_paint(f'[{finding.rule}]', DIM, color)}")
    if finding.hint:
        lines.append(f"  {' ' * 7} {_paint('fix:', BOLD, color)} {printable(finding.hint)}")
    for related in finding.related:
        lines.append(f"  {' ' * 7} {_paint('see:', DIM, color)} {printable(describe_place(related))}")
    return lines


def render(report: Report) -> str:
    lines: list[str] = []
    if report.context:
        lines.append(report.context)
        lines.append("")

    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.rule[:3], []).append(finding)

    # Areas with the most severe finding first, then by area code.
    ordered = sorted(groups.items(), key=lambda item: (-max(f.severity for f in item[1]), item[0]))
    for prefix, findings in ordered:
        lines.append(_paint(_title(AREAS.get(prefix, "other")), BOLD, report.color))
        for finding in sorted(findings, key=lambda f: (-f.severity, f.sort_key())):
            lines.extend(render_finding(finding, report.color))
        lines.append("")

    if not report.findings:
        lines.append("No problems found.")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
