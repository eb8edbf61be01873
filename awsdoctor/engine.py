"""Run the rules over a Setup and turn their issues into filtered, sorted findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsdoctor.findings import Finding, Location, Severity
from awsdoctor.log import get_logger
from awsdoctor.secrets import redact_text
from awsdoctor.suppressions import UNUSED_CODE, apply_suppressions

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from awsdoctor.project_config import FileIgnore
    from awsdoctor.rule import Rule
    from awsdoctor.setup import Setup

logger = get_logger(__name__)

INTERNAL_ERROR_CODE = "AD001"
INTERNAL_ERROR_NAME = "internal-error"


class RuleFilter:
    """``--select`` / ``--ignore`` by code prefix: the longest matching prefix decides.

    With ``select = ["AD4"]`` and ``ignore = ["AD41"]``, AD401 is ignored and
    AD420 selected; with ``select = ["AD401"]`` and ``ignore = ["AD4"]``,
    AD401 is selected because its select prefix is longer. A tie goes to
    ignore. An empty select list selects everything. Internal errors are
    never filtered out.
    """

    __slots__ = ("ignore", "select")

    def __init__(self, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> None:
        self.select = select
        self.ignore = ignore

    def enabled(self, code: str) -> bool:
        if code == INTERNAL_ERROR_CODE:
            return True
        selected = _longest_prefix(code, self.select) if self.select else 0
        if self.select and selected < 0:
            return False
        ignored = _longest_prefix(code, self.ignore)
        return ignored < 0 or selected > ignored

    def names(self, code: str) -> bool:
        """Return True when ``select`` lists ``code`` in full, which opt-in rules need to run."""
        return any(prefix.strip().upper() == code for prefix in self.select) and self.enabled(code)


def _longest_prefix(code: str, prefixes: Iterable[str]) -> int:
    """Return the length of the longest prefix of ``code`` in ``prefixes`` (ALL matches with length 0), or -1."""
    best = -1
    for prefix in prefixes:
        normalized = prefix.strip().upper()
        if normalized == "ALL":
            best = max(best, 0)
        elif code.startswith(normalized):
            best = max(best, len(normalized))
    return best


class EngineOptions:
    """Settings that filter and adjust findings: rule selection, severity overrides, per-file ignores, suppressions."""

    __slots__ = ("file_ignores", "rule_filter", "severities", "suppressions")

    def __init__(self, rule_filter: RuleFilter | None = None, severities: Mapping[str, Severity] | None = None,
                 file_ignores: tuple[FileIgnore, ...] = (), suppressions: bool = True) -> None:
        self.rule_filter = RuleFilter() if rule_filter is None else rule_filter
        self.severities: Mapping[str, Severity] = {} if severities is None else severities
        self.file_ignores = file_ignores
        self.suppressions = suppressions


# Messages quote values from the files, which can be megabytes long.
MAX_TEXT_LENGTH = 1000


def shorten(text: str) -> str:
    """Return ``text``, or for a text over MAX_TEXT_LENGTH characters its start and end around a note of the cut."""
    if len(text) <= MAX_TEXT_LENGTH:
        return text
    head, tail = text[:600], text[-300:]
    return f"{head} ... ({len(text) - 900} characters left out) ... {tail}"


def run_rules(setup: Setup, rules: Sequence[Rule], options: EngineOptions | None = None) -> list[Finding]:
    """Run each enabled rule on ``setup``; a rule that raises becomes an internal-error finding."""
    options = options or EngineOptions()
    findings: list[Finding] = []
    ran: set[str] = set()
    deselected: list[str] = []
    environment_only: list[str] = []
    for rule in rules:
        if not options.rule_filter.enabled(rule.code) or (rule.opt_in and not options.rule_filter.names(rule.code)):
            deselected.append(rule.code)
            continue
        if rule.needs_environment and not setup.uses_environment:
            environment_only.append(rule.code)
            continue
        ran.add(rule.code)
        severity = options.severities.get(rule.code, rule.severity)
        try:
            for issue in rule.run(setup):
                findings.append(Finding(
                    rule=rule.code,
                    name=rule.name,
                    severity=issue.severity if issue.severity is not None and rule.code not in options.severities
                    else severity,
                    # A safety net: no access key id leaves a rule unmasked.
                    message=shorten(redact_text(issue.message)),
                    hint=shorten(redact_text(issue.hint)),
                    location=issue.location,
                    related=issue.related,
                ))
        except Exception as error:  # one broken rule must not stop the others
            logger.debug("rule %s raised", rule.code, exc_info=True)
            findings.append(internal_error(rule, error, setup))

    logger.info("ran %d rules; %d not selected; %d skipped because they read the environment, which is "
                "ignored when files are linted as arguments", len(ran), len(deselected), len(environment_only))
    logger.debug("rules not selected: %s", ", ".join(deselected) or "none")

    if options.suppressions:
        findings = apply_suppressions(
            findings, setup.sources(), [rule.code for rule in rules], ran,
            report_unused=UNUSED_CODE in ran, severities=options.severities,
        )
    if options.file_ignores:
        findings = drop_file_ignores(findings, setup, options.file_ignores)
    return findings


def drop_file_ignores(findings: Iterable[Finding], setup: Setup, file_ignores: Sequence[FileIgnore]) -> list[Finding]:
    """Drop findings in files that match a per-file-ignores pattern for their rule (never internal errors)."""
    absolute = {source.display: source.path for source in setup.sources()}
    remaining = []
    for finding in findings:
        path = absolute.get(finding.location.path or "")
        if path and finding.rule != INTERNAL_ERROR_CODE and any(
            file_ignore.matches(path) and finding.rule.startswith(file_ignore.prefixes)
            for file_ignore in file_ignores
        ):
            logger.debug("%s at %s ignored by per-file-ignores", finding.rule, finding.location.describe())
            continue
        remaining.append(finding)
    return remaining


def internal_error(rule: Rule, error: Exception, setup: Setup) -> Finding:
    """Describe a crashing rule without echoing the exception text, which may quote a secret value."""
    import traceback  # imported on use: it loads linecache and tokenize, and only a crashing rule needs it

    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
    source = setup.config or setup.credentials
    return Finding(
        rule=INTERNAL_ERROR_CODE,
        name=INTERNAL_ERROR_NAME,
        severity=Severity.ERROR,
        message=f"rule {rule.code} ({rule.name}) failed with {type(error).__name__}{where}; "
                "its findings are missing from this report",
        hint="This is a bug in awsdoctor, not in your configuration. Report it with the rule code; "
             "run with -vv to see the traceback.",
        location=Location(kind="file", path=source.display if source else None),
    )


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def exit_code(findings: Iterable[Finding], fail_on: Severity | None) -> int:
    """Return 1 when some finding is at or above ``fail_on`` (None: never), else 0."""
    if fail_on is None:
        return 0
    return 1 if any(finding.severity >= fail_on for finding in findings) else 0
