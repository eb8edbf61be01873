"""Live identity checks (``awsdoctor check --live``): the only part of awsdoctor that talks to AWS.

:func:`run_live` calls STS through botocore for the selected profile (or
every profile) and returns a :class:`LiveReport` with one row per profile and
the AD8xx findings. :func:`render_table` draws the expected-against-actual
table that the text report shows before the findings. Nothing is written to
disk and no prompt is shown; botocore is imported only once a check runs.
"""

from __future__ import annotations

from awsdoctor.live.checker import LiveReport, run_live
from awsdoctor.live.model import Expectation, Identity, LiveOptions, ProfileResult
from awsdoctor.live.session import ClientSettings

__all__ = [
    "ClientSettings",
    "Expectation",
    "Identity",
    "LiveOptions",
    "LiveReport",
    "ProfileResult",
    "render_table",
    "run_live",
]

TABLE_HEADER = ("profile", "credentials", "expected", "actual", "status")


def render_table(report: LiveReport) -> str:
    """Return the expected-against-actual table, one row per profile plus one per source identity."""
    rows: list[tuple[str, ...]] = [TABLE_HEADER]
    for result in report.results:
        actual = result.actual.arn if result.actual is not None else f"({result.error or 'not checked'})"
        rows.append((
            result.profile,
            result.credentials_from or "-",
            result.expected_arn or (f"account {result.expected_account}" if result.expected_account else "unknown"),
            actual,
            result.status,
        ))
        if result.source_profile is not None:
            source = result.source_identity.arn if result.source_identity is not None else "(not checked)"
            rows.append((f"  via {result.source_profile}", "source", "-", source, ""))
    rows = [tuple(_printable(cell) for cell in row) for row in rows]
    widths = [max(len(row[column]) for row in rows) for column in range(len(TABLE_HEADER))]
    lines = ["Live identity (STS GetCallerIdentity)"]
    for row in rows:
        lines.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def _printable(cell: str) -> str:
    """Escape control characters (a role_session_name may contain any byte) so they cannot move the terminal cursor."""
    if cell.isprintable():
        return cell
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in cell)
