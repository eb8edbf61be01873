"""Inline suppressions: ``# awsdoctor: ignore[CODES] reason`` comments in the config and credentials files.

Two forms, each with a comma-separated list of rule codes or prefixes and an
optional free-text reason::

    # awsdoctor: ignore-file[AD7] the keys in this dotfile repository are examples

    # awsdoctor: ignore[AD2] legacy names, kept for old scripts
    [Legacy_Name]                        <- every finding in this section
    # awsdoctor: ignore[AD301]
    region = eu-central-1-x              <- findings on this line

A marker sits on a comment line of its own and applies to the next line that
is not a comment, including the continuation lines of a key. Above a section
header it applies to the whole section, up to the next header. ``ignore-file`` applies to the whole file wherever it
sits. No other place works, because botocore reads the files with
``configparser`` and no inline comment prefixes: after ``key = value`` the
marker becomes part of the value, and after a header it becomes part of the
section name (configparser takes the name up to the last ``]``, which is the
marker's own bracket). Both misplacements are reported.

Suppressions never hide internal errors (AD001). A marker, or one of its
codes, that hides nothing is reported as AD003 when every rule it names has
run, so a marker for a rule left out by ``--select`` is not reported.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from awsdoctor.findings import Finding, Location, Severity
from awsdoctor.log import get_logger

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping

    from awsdoctor.ini import IniDocument
    from awsdoctor.sources import SourceFile

logger = get_logger(__name__)

INTERNAL_ERROR_CODE = "AD001"
UNUSED_CODE = "AD003"
UNUSED_NAME = "unused-suppression"

# "awsdoctor:" anywhere in a comment starts a marker; what follows must then parse.
MARKER_START = re.compile(r"awsdoctor\s*:", re.IGNORECASE)
MARKER = re.compile(
    r"awsdoctor\s*:\s*(?P<directive>ignore-file|ignore)\s*\[(?P<codes>[^\]]*)\]\s*(?P<reason>.*)$",
    re.IGNORECASE,
)
PREFIX = re.compile(r"^AD\d{0,3}$")
# A marker written as a trailing comment, which ends up inside a section name or a value.
TRAILING_MARKER = re.compile(r"[#;]\s*awsdoctor\s*:", re.IGNORECASE)

LINE = "line"
SECTION = "section"
FILE = "file"


class Suppression:
    """One parsed marker: which codes it hides, in which file and over which lines (inclusive)."""

    __slots__ = ("column", "first_line", "kind", "last_line", "line", "path", "prefixes", "reason", "scope", "section")

    def __init__(self, path: str, kind: str, line: int, column: int, scope: str, prefixes: tuple[str, ...],
                 reason: str, first_line: int, last_line: int, section: str | None = None) -> None:
        self.path = path
        self.kind = kind
        self.line = line
        self.column = column
        self.scope = scope
        self.prefixes = prefixes
        self.reason = reason
        self.first_line = first_line
        self.last_line = last_line
        self.section = section

    def covers(self, finding: Finding) -> str | None:
        """Return the prefix that hides ``finding``, or None."""
        location = finding.location
        if finding.rule == INTERNAL_ERROR_CODE or location.path != self.path:
            return None
        if self.scope == LINE and not self._on_lines(location):
            return None
        if self.scope == SECTION and not self._in_section(location):
            return None
        for prefix in self.prefixes:
            if finding.rule.startswith(prefix):
                return prefix
        return None

    def _on_lines(self, location: Location) -> bool:
        return location.line is not None and self.first_line <= location.line <= self.last_line

    def _in_section(self, location: Location) -> bool:
        if location.line is not None:
            return self._on_lines(location)
        return location.section == self.section


class Marker:
    """A comment that starts like a marker: its suppression, or the error that makes it invalid."""

    __slots__ = ("column", "error", "kind", "line", "path", "suppression")

    def __init__(self, path: str, kind: str, line: int, column: int, suppression: Suppression | None = None,
                 error: str | None = None) -> None:
        self.path = path
        self.kind = kind
        self.line = line
        self.column = column
        self.suppression = suppression
        self.error = error


def parse_markers(source: SourceFile, known_codes: Collection[str]) -> list[Marker]:
    """Find every marker in one file: on comment lines, and misplaced after a header or a value."""
    document = source.document
    if document is None:
        return []
    # Every marker, well placed or not, contains "awsdoctor:". One search of
    # the whole text spares a large file without markers the walks below.
    if MARKER_START.search("\n".join(document.lines)) is None:
        return []
    markers: list[Marker] = []
    comment_lines = {comment.line for comment in document.comments}
    section_spans = _section_spans(document)
    entry_ends = {entry.line: entry.end_line for section in document.sections for entry in section.entries}

    for comment in document.comments:
        start = MARKER_START.search(comment.text)
        if start is None:
            continue
        column = comment.column + start.start()
        text = comment.text[start.start():]
        # 0 marks a marker with no line after it; _parse reports it unless it is ignore-file.
        target = _next_content_line(comment.line, comment_lines, len(document.lines)) or 0
        span = section_spans.get(target)
        if span is not None:
            name, last = span
            markers.append(_parse(source, text, comment.line, column, known_codes, SECTION, target, last, name))
        else:
            # Above a key, the marker also covers the key's continuation lines.
            last = entry_ends.get(target, target)
            markers.append(_parse(source, text, comment.line, column, known_codes, LINE, target, last, None))

    for section in document.sections:
        if TRAILING_MARKER.search(section.name):
            markers.append(Marker(source.display, source.kind, section.line, section.column, error=
                                  "the marker after the section header is part of the section name botocore "
                                  "reads, because configparser takes the name up to the last ']'"))

    for section in document.sections:
        for entry in section.entries:
            if TRAILING_MARKER.search(entry.first_line_value):
                markers.append(Marker(source.display, source.kind, entry.line, entry.value_column, error=
                                      f"the marker after '{entry.raw_key} {entry.delimiter}' is part of the value "
                                      "botocore reads, because the files have no inline comments"))
    return markers


def _parse(source: SourceFile, text: str, line: int, column: int, known_codes: Collection[str], scope: str,
           first_line: int, last_line: int, section: str | None) -> Marker:
    def invalid(error: str) -> Marker:
        return Marker(source.display, source.kind, line, column, error=error)

    match = MARKER.match(text)
    if match is None:
        return invalid(f"'{text}' is not a valid marker: expected 'awsdoctor: ignore[CODES] reason' "
                       "or 'awsdoctor: ignore-file[CODES] reason'")
    prefixes = tuple(part.strip().upper() for part in match.group("codes").split(",") if part.strip())
    if not prefixes:
        return invalid(f"'{text}' names no rule code between the brackets")
    malformed = [prefix for prefix in prefixes if not PREFIX.match(prefix)]
    if malformed:
        return invalid(f"'{text}' names {', '.join(malformed)}, which is not a rule code or prefix")
    unknown = [prefix for prefix in prefixes if not any(code.startswith(prefix) for code in known_codes)]
    if unknown:
        return invalid(f"'{text}' names {', '.join(unknown)}, but no rule code starts with it")
    if match.group("directive").lower() == "ignore-file":
        scope, first_line, last_line, section = FILE, 1, len(source.document.lines if source.document else ()), None
    elif first_line == 0:
        return invalid(f"'{text}' is at the end of the file, so there is no line for it to apply to")
    suppression = Suppression(
        path=source.display, kind=source.kind, line=line, column=column, scope=scope, prefixes=prefixes,
        reason=match.group("reason").strip(), first_line=first_line, last_line=last_line, section=section,
    )
    return Marker(source.display, source.kind, line, column, suppression)


def _next_content_line(line: int, comment_lines: set[int], line_count: int) -> int | None:
    """Return the first line after ``line`` that is not a comment line, or None at the end of the file."""
    for number in range(line + 1, line_count + 1):
        if number not in comment_lines:
            return number
    return None


def _section_spans(document: IniDocument) -> dict[int, tuple[str, int]]:
    """Map each header line to its section name and the last line before the next header."""
    spans: dict[int, tuple[str, int]] = {}
    headers = list(document.sections)
    for index, section in enumerate(headers):
        last = headers[index + 1].line - 1 if index + 1 < len(headers) else len(document.lines)
        spans[section.line] = (section.name, last)
    return spans


def apply_suppressions(findings: Iterable[Finding], sources: Iterable[SourceFile], known_codes: Collection[str],
                       ran: Collection[str], report_unused: bool,
                       severities: Mapping[str, Severity] | None = None) -> list[Finding]:
    """Drop the findings that markers hide and add an AD003 finding for each marker that hides nothing.

    ``ran`` contains the codes of the rules that ran. A code of a marker is
    reported unused only when every rule it covers ran.
    """
    # A file used as both the config and the credentials file is read twice but contains one set of markers.
    unique = {source.display: source for source in sources}
    markers = [marker for source in unique.values() for marker in parse_markers(source, known_codes)]
    suppressions = [marker.suppression for marker in markers if marker.suppression is not None]
    used: dict[int, set[str]] = {index: set() for index in range(len(suppressions))}

    remaining: list[Finding] = []
    for finding in findings:
        hidden = False
        for index, suppression in enumerate(suppressions):
            prefix = suppression.covers(finding)
            if prefix is None:
                continue
            used[index].add(prefix)
            hidden = True
            logger.debug("%s at %s suppressed by the marker on line %d%s", finding.rule,
                         finding.location.describe(), suppression.line,
                         f" ({suppression.reason})" if suppression.reason else "")
        if not hidden:
            remaining.append(finding)

    if not report_unused:
        return remaining
    severity = (severities or {}).get(UNUSED_CODE, Severity.INFO)
    for marker in markers:
        if marker.error is not None:
            remaining.append(_unused_finding(marker.path, marker.kind, marker.line, marker.column, None, severity,
                                        f"invalid suppression: {marker.error}",
                                        "Write the marker as '# awsdoctor: ignore[AD401] reason' on a line of "
                                        "its own, above the line or section it applies to."))
    for index, suppression in enumerate(suppressions):
        unused = [prefix for prefix in suppression.prefixes
                  if prefix not in used[index] and _all_ran(prefix, known_codes, ran)]
        if not unused:
            continue
        directive = "ignore-file" if suppression.scope == FILE else "ignore"
        listed = ", ".join(unused)
        message = (f"suppression {directive}[{listed}] hides no finding: {listed} found nothing "
                   f"{_scope_phrase(suppression)}")
        hint = (f"Remove {listed} from the marker, or the whole comment if nothing is left."
                if len(unused) < len(suppression.prefixes) else "Remove the comment.")
        remaining.append(_unused_finding(suppression.path, suppression.kind, suppression.line, suppression.column,
                                    suppression.section, severity, message, hint))
    return remaining


def _unused_finding(path: str, kind: str, line: int, column: int, section: str | None, severity: Severity,
                    message: str, hint: str) -> Finding:
    return Finding(
        rule=UNUSED_CODE, name=UNUSED_NAME, severity=severity, message=message, hint=hint,
        location=Location(kind=kind, path=path, line=line, column=column, section=section),
    )


def _scope_phrase(suppression: Suppression) -> str:
    if suppression.scope == FILE:
        return "in this file"
    if suppression.scope == SECTION:
        return f"in section [{suppression.section}]"
    if suppression.last_line > suppression.first_line:
        return f"on lines {suppression.first_line}-{suppression.last_line}"
    return f"on line {suppression.first_line}"


def _all_ran(prefix: str, known_codes: Collection[str], ran: Collection[str]) -> bool:
    covered = [code for code in known_codes if code.startswith(prefix)]
    return bool(covered) and all(code in ran for code in covered)
