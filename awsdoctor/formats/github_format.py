"""``--format github``: GitHub Actions workflow commands that annotate the files in a pull request.

Each finding becomes one line such as::

    ::error file=aws/config,line=4,col=1,title=AD401 role-with-two-sources::profile 'deploy': ...

The runner decodes ``%25``, ``%0D`` and ``%0A`` in the message, and also
``%3A`` and ``%2C`` in the properties, where a raw ``:`` or ``,`` would end
the value (``escapeData`` and ``escapeProperty`` in ``@actions/core``).

GitHub turns only the first 10 error and 10 warning commands of a step into
annotations (a limit stated in GitHub's community forum, discussion 26680);
the rest appear in the log only. Errors are therefore written first.
"""

from __future__ import annotations

from awsdoctor.findings import Finding, Location, Severity
from awsdoctor.formats import Report, printable, summary_line

# GitHub has no "info" annotation; "notice" is its lowest level.
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    # Other control characters would reach the runner's log as they are.
    return printable(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def names_place(message: str, location: Location) -> bool:
    """Return whether ``message`` already starts with its place: ``profile 'dev': ...``, ``AWS_PROFILE names ...``."""
    places = [location.describe()]
    if location.variable is not None:
        places.append(location.variable)
    for place in places:
        following = message[len(place):len(place) + 1]
        if message.startswith(place) and not (following.isalnum() or following == "_"):
            return True
    return False


def render_finding(finding: Finding) -> str:
    location = finding.location
    properties: list[tuple[str, str]] = []
    if location.path is not None:
        properties.append(("file", location.path))
        if location.line is not None:
            properties.append(("line", str(location.line)))
            if location.column is not None:
                properties.append(("col", str(location.column)))
    properties.append(("title", f"{finding.rule} {finding.name}"))
    rendered = ",".join(f"{name}={escape_property(value)}" for name, value in properties)

    message = finding.message
    if location.path is None and not names_place(message, location):
        # Without a file the annotation appears only in the run summary, so the message starts with the place.
        message = f"{location.describe()}: {message}"
    if finding.hint:
        message += f"\nFix: {finding.hint}"
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(message)}"


def render(report: Report) -> str:
    ordered = sorted(report.findings, key=lambda finding: (-finding.severity, finding.sort_key()))
    lines = [render_finding(finding) for finding in ordered]
    # A line that is not a workflow command shows in the job log as it is.
    lines.append(f"awsdoctor: {summary_line(report)}")
    return "\n".join(lines) + "\n"
