"""The glue between ``awsdoctor check`` and the live checker: options in, report with live results out."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from awsdoctor.cli import UsageError
from awsdoctor.engine import EngineOptions, sort_findings
from awsdoctor.findings import Finding
from awsdoctor.formats import Report
from awsdoctor.live import render_table
from awsdoctor.live.checker import run_live
from awsdoctor.live.model import Expectation, LiveOptions
from awsdoctor.live.session import ClientSettings
from awsdoctor.setup import Setup

SETTINGS_ORIGIN = "the awsdoctor settings file (profiles.{name})"


def live_options(args: argparse.Namespace) -> LiveOptions:
    """Build the live options from the ``check`` arguments; out-of-range values are usage errors."""
    if args.connect_timeout <= 0 or args.read_timeout <= 0:
        raise UsageError("--connect-timeout and --read-timeout must be greater than 0 seconds")
    if args.max_attempts < 1:
        raise UsageError("--max-attempts must be 1 or more")
    mfa_code = args.mfa_code
    if mfa_code is not None and not (len(mfa_code) == 6 and mfa_code.isdigit()):
        raise UsageError("--mfa-code must be the six digits shown by the MFA device")

    declared: dict[str, Expectation] = {}
    # ``check`` stores the settings file's [profiles.NAME] tables here (awsdoctor.project_config).
    expectations: Mapping[str, object] = getattr(args, "expectations", None) or {}
    for name, expectation in expectations.items():
        declared[name] = Expectation(account=getattr(expectation, "account", None),
                                     arn=getattr(expectation, "arn", None),
                                     origin=SETTINGS_ORIGIN.format(name=name))
    return LiveOptions(
        all_profiles=args.all_profiles,
        expect=Expectation(account=args.expect_account, arn=args.expect_arn),
        declared=declared,
        mfa_code=mfa_code,
        settings=ClientSettings(connect_timeout=args.connect_timeout, read_timeout=args.read_timeout,
                                max_attempts=args.max_attempts),
    )


def add_live_results(report: Report, setup: Setup, args: argparse.Namespace, options: EngineOptions,
                     format_name: str) -> Report:
    """Run the live checks and return ``report`` with their findings, the JSON ``live`` array and the table."""
    live = run_live(setup, live_options(args))
    findings: list[Finding] = list(report.findings)
    for finding in live.findings:
        if not options.rule_filter.enabled(finding.rule):
            continue
        override = options.severities.get(finding.rule)
        findings.append(finding if override is None else finding.with_severity(override))

    context = report.context
    if format_name == "text":
        context = f"{context}\n\n{render_table(live)}".lstrip("\n").rstrip("\n")
    return report.replace(
        findings=tuple(sort_findings(findings)),
        context=context,
        extra={**report.extra, "live": live.to_list()},
    )
