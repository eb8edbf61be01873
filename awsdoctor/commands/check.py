"""``awsdoctor check``: build the Setup(s), run the rules, filter, format, and choose the exit status."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from awsdoctor.cli import (
    UsageError,
    parse_fail_on,
    split_prefixes,
    stdout_is_terminal,
    use_color,
    write_message,
    write_report,
)
from awsdoctor.engine import EngineOptions, RuleFilter, exit_code, run_rules, sort_findings
from awsdoctor.formats import Report, get_formatter, resolve_format, summary_line
from awsdoctor.log import get_logger
from awsdoctor.project_config import ProjectConfigError, load_project_config
from awsdoctor.rules import registry
from awsdoctor.setup import load_file_setups, load_setup

if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping

    from awsdoctor.findings import Finding
    from awsdoctor.project_config import ProjectConfig
    from awsdoctor.setup import Setup

logger = get_logger(__name__)


def describe_context(setups: list[Setup]) -> str:
    """Return the report's first line: which files and which profile the diagnosis is about."""
    files = [source.display or f"${source.origin} (empty)" for setup in setups for source in setup.sources()]
    if len(setups) == 1 and setups[0].uses_environment:
        selection = setups[0].selection
        if selection.source is None:
            chosen = "profile 'default' (nothing selects another)"
        else:
            chosen = f"profile {selection.name!r} from {selection.source}"
        return f"awsdoctor check: {', '.join(files)} and the environment; {chosen}"
    # In file mode the type comes from the file name unless --type sets it; show the type where
    # the name does not contain it.
    typed = [
        source.display if source.kind in os.path.basename(source.display).lower()
        else f"{source.display} (read as a {source.kind} file)"
        for setup in setups for source in setup.sources()
    ]
    return f"awsdoctor check: {', '.join(typed)}"


def describe_setup(setup: Setup) -> None:
    """Log, for -v, which files were read and which profile was chosen."""
    for source in setup.sources():
        if source.document is not None:
            logger.info("read %s file %s (%d sections)", source.kind, source.display, len(source.document.sections))
        else:
            logger.info("%s file %s not read: %s", source.kind, source.display or "(empty path)", source.status.value)
    if setup.uses_environment:
        selection = setup.selection
        logger.info("profile %r selected by %s", selection.effective_name, selection.source or "default")


def build_setups(args: argparse.Namespace, env: Mapping[str, str]) -> list[Setup]:
    if args.files:
        if args.profile is not None:
            raise UsageError("--profile applies to the live setup; it cannot be combined with FILE arguments")
        return load_file_setups(args.files, forced_type=args.type)
    if args.type is not None:
        raise UsageError("--type applies to FILE arguments; none were given")
    return [load_setup(env, profile=args.profile)]


def load_settings(args: argparse.Namespace) -> ProjectConfig:
    """Load the project configuration (``--config`` or the file found upwards); an invalid file is a usage error."""
    try:
        return load_project_config(args.project_config, os.getcwd())
    except ProjectConfigError as error:
        raise UsageError(str(error)) from None


def unknown_prefixes(prefixes: list[str], rules: Mapping[str, object]) -> list[str]:
    return [prefix for prefix in prefixes if prefix != "ALL" and not any(code.startswith(prefix) for code in rules)]


def check_live_options(args: argparse.Namespace) -> None:
    """Reject live-only options without --live, which would otherwise be silently ignored."""
    if args.live:
        if args.files:
            raise UsageError("--live checks the live setup; it cannot be combined with FILE arguments")
        return
    given = [option for option, value in (("--all-profiles", args.all_profiles),
                                          ("--expect-account", args.expect_account),
                                          ("--expect-arn", args.expect_arn),
                                          ("--mfa-code", args.mfa_code)) if value]
    if given:
        raise UsageError(f"{', '.join(given)} only applies with --live")


def check_output_path(output: str | None, setups: list[Setup]) -> None:
    """Refuse to write the report over one of the files being checked."""
    if output is None:
        return
    target = os.path.realpath(output)
    for setup in setups:
        for source in setup.sources():
            if source.path and (os.path.realpath(source.path) == target or _same_file(source.path, output)):
                raise UsageError(f"--output {output} is the {source.kind} file being checked; "
                                 "choose another file for the report")


def _same_file(first: str, second: str) -> bool:
    """Return True when both paths name one existing file, as a hard link does under another name."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def run_check(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    check_live_options(args)
    rules = registry()
    project = load_settings(args)
    unknown = unknown_prefixes(project.prefixes(), rules)
    if unknown:
        raise UsageError(f"invalid configuration in {project.path}: no rule code starts with "
                         f"{', '.join(unknown)}; run 'awsdoctor rules' to list them")

    # Command-line options replace the file's values. --select and --ignore form one rule selection, so
    # either of them replaces both file keys: `--select AD2` runs AD2 even if the file ignores it.
    if args.select or args.ignore:
        select, ignore = split_prefixes(args.select), split_prefixes(args.ignore)
    else:
        select, ignore = project.select or (), project.ignore or ()
    rule_filter = RuleFilter(select=select, ignore=ignore)
    unknown = unknown_prefixes([*split_prefixes(args.select), *split_prefixes(args.ignore)], rules)
    if unknown:
        raise UsageError(f"no rule code starts with {', '.join(unknown)}; run 'awsdoctor rules' to list them")
    options = EngineOptions(
        rule_filter=rule_filter,
        severities=project.severities_for(rules),
        file_ignores=project.file_ignores,
    )
    fail_on = parse_fail_on(args.fail_on if args.fail_on is not None else project.fail_on)
    # The --live checks read what each profile is expected to resolve to from here.
    args.expectations = project.expectations

    setups = build_setups(args, env)
    check_output_path(args.output, setups)
    for setup in setups:
        describe_setup(setup)
    findings: list[Finding] = []
    for setup in setups:
        findings.extend(run_rules(setup, list(rules.values()), options))
    findings = sort_findings(findings)

    format_name = resolve_format(args.format, env)
    # A report written to a file is read later, in an editor or a CI artefact, where colour codes are noise.
    color = args.output is None and format_name == "text" and use_color(args.color, stdout_is_terminal(), env)
    report = Report(
        findings=tuple(findings),
        rules=rules,
        inputs=tuple(source.display for setup in setups for source in setup.sources() if source.display),
        context=describe_context(setups),
        color=color,
    )

    # --live: STS responses become AD8xx findings, a table in the text report and a "live" array in JSON.
    if args.live:
        from awsdoctor.live.command import add_live_results

        report = add_live_results(report, setups[0], args, options, format_name)
        findings = list(report.findings)

    text = get_formatter(format_name)(report)
    if args.output is None:
        write_report(text)
    else:
        try:
            with open(args.output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            raise UsageError(f"cannot write the report to {args.output}: {error.strerror}") from None
        write_message(f"awsdoctor: {summary_line(report)}; report written to {args.output}")
    return exit_code(findings, fail_on)
