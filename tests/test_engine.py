"""The engine: crashing rules, broken rule modules, rule selection and severity overrides."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

import pytest

import awsdoctor.rules as rules_package
from awsdoctor.engine import EngineOptions, RuleFilter, exit_code, run_rules
from awsdoctor.findings import Finding, Location, Severity
from awsdoctor.rule import Issue, Rule, rule
from awsdoctor.setup import Setup
from conftest import AwsHome

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLESECRET"


def make_rule(code: str, name: str, raises: bool) -> Rule:
    @rule(code, name, Severity.WARNING, summary="s", why="w", example="e", fix="f")
    def check(setup: Setup) -> Iterator[Issue]:
        if raises:
            raise ValueError(f"bad value {SECRET}")
        yield Issue(message=f"{name} found", hint="h", location=Location(kind="config"))

    return check


def test_crashing_rule_becomes_internal_error(aws_home: AwsHome) -> None:
    crashing = make_rule("AD991", "always-crashes", raises=True)
    healthy = make_rule("AD992", "always-finds", raises=False)
    findings = run_rules(aws_home.setup(), [crashing, healthy])
    assert [(f.rule, f.severity) for f in findings] == [("AD001", Severity.ERROR), ("AD992", Severity.WARNING)]


def test_internal_error_hides_exception_text(aws_home: AwsHome) -> None:
    crashing = make_rule("AD991", "always-crashes", raises=True)
    finding = run_rules(aws_home.setup(), [crashing])[0]
    assert SECRET not in finding.message
    assert finding.message.startswith("rule AD991 (always-crashes) failed with ValueError at test_engine.py:")


def test_internal_error_survives_ignore(aws_home: AwsHome) -> None:
    crashing = make_rule("AD991", "always-crashes", raises=True)
    options = EngineOptions(rule_filter=RuleFilter(ignore=("AD",)))
    assert [f.rule for f in run_rules(aws_home.setup(), [crashing], options)] == []


def make_opt_in_rule() -> Rule:
    @rule("AD993", "noted-on-request", Severity.INFO, summary="s", why="w", example="e", fix="f", opt_in=True)
    def check(setup: Setup) -> Iterator[Issue]:
        yield Issue(message="noted", hint="h", location=Location(kind="config"))

    return check


@pytest.mark.parametrize(
    ("select", "ignore", "runs"),
    [
        ((), (), False),
        (("AD9",), (), False),
        (("ALL",), (), False),
        (("AD993",), (), True),
        ((" ad993 ",), (), True),
        (("AD993", "AD1"), (), True),
        (("AD993",), ("AD993",), False),
    ],
)
def test_opt_in_rule_needs_its_code(aws_home: AwsHome, select: tuple[str, ...], ignore: tuple[str, ...],
                                    runs: bool) -> None:
    options = EngineOptions(rule_filter=RuleFilter(select=select, ignore=ignore))
    found = [f.rule for f in run_rules(aws_home.setup(), [make_opt_in_rule()], options)]
    assert found == (["AD993"] if runs else [])


def test_severity_override(aws_home: AwsHome) -> None:
    healthy = make_rule("AD992", "always-finds", raises=False)
    options = EngineOptions(severities={"AD992": Severity.ERROR})
    assert [f.severity for f in run_rules(aws_home.setup(), [healthy], options)] == [Severity.ERROR]


@pytest.mark.parametrize(
    ("select", "ignore", "code", "enabled"),
    [
        ((), (), "AD401", True),
        (("AD4",), (), "AD401", True),
        (("AD4",), (), "AD501", False),
        (("AD4",), ("AD40",), "AD401", False),
        (("AD4",), ("AD40",), "AD410", True),
        (("AD401",), ("AD4",), "AD401", True),
        (("AD401",), ("AD4",), "AD402", False),
        ((), ("AD4",), "AD401", False),
        ((), ("AD4",), "AD601", True),
        (("AD4",), ("AD4",), "AD401", False),
        (("ALL",), ("AD4",), "AD401", False),
        (("ALL",), ("AD4",), "AD101", True),
        ((), ("ALL",), "AD001", True),
    ],
)
def test_rule_filter_longest_prefix(select: tuple[str, ...], ignore: tuple[str, ...], code: str,
                                    enabled: bool) -> None:
    assert RuleFilter(select=select, ignore=ignore).enabled(code) is enabled


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        ((), Severity.WARNING, 0),
        ((Severity.INFO,), Severity.WARNING, 0),
        ((Severity.INFO, Severity.WARNING), Severity.WARNING, 1),
        ((Severity.WARNING,), Severity.ERROR, 0),
        ((Severity.ERROR,), Severity.ERROR, 1),
        ((Severity.INFO,), Severity.INFO, 1),
        ((Severity.ERROR,), None, 0),
    ],
)
def test_exit_code(severities: tuple[Severity, ...], fail_on: Severity | None, expected: int) -> None:
    findings = [
        Finding("AD999", "test", severity, "m", "h", Location(kind="config")) for severity in severities
    ]
    assert exit_code(findings, fail_on) == expected


def test_broken_rule_module_is_reported(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = importlib.import_module

    def import_module(name: str, package: str | None = None) -> ModuleType:
        if name == "awsdoctor.rules.secrets":
            raise SyntaxError("broken on purpose")
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", import_module)
    monkeypatch.setattr(rules_package, "_registry", None)
    monkeypatch.setattr(rules_package, "_load_failures", {})
    loaded = rules_package.registry()
    findings = run_rules(aws_home.setup(), [loaded["AD001"]])

    assert "AD710" not in loaded
    assert [f.message for f in findings] == [
        "the rule module 'secrets' failed to import (SyntaxError); all of its rules are missing from this report"
    ]
    monkeypatch.setattr(rules_package, "_registry", None)


def test_location_positional_order() -> None:
    # Rules and formatters build locations positionally as well as by keyword, so the field order is fixed.
    location = Location("config", "~/.aws/config", 4, 1, "profile dev", "dev", "region", "AWS_REGION")
    assert location.to_dict() == {
        "kind": "config", "path": "~/.aws/config", "line": 4, "column": 1, "section": "profile dev",
        "profile": "dev", "key": "region", "variable": "AWS_REGION",
    }


def test_long_message_shortened(aws_home: AwsHome) -> None:
    @rule("AD994", "quotes-a-huge-value", Severity.WARNING, summary="s", why="w", example="e", fix="f")
    def check(setup: Setup) -> Iterator[Issue]:
        yield Issue(message="region = " + "A" * 5000 + " is invalid", hint="h", location=Location(kind="config"))

    message = run_rules(aws_home.setup(), [check])[0].message
    assert len(message) < 1000
    assert message.startswith("region = AAA")
    assert "... (4120 characters left out) ..." in message
    assert message.endswith("A is invalid")


def test_short_message_kept(aws_home: AwsHome) -> None:
    finding = run_rules(aws_home.setup(), [make_rule("AD992", "always-finds", raises=False)])[0]
    assert finding.message == "always-finds found"


def test_finding_frozen_record() -> None:
    finding = Finding("AD401", "role-with-two-sources", Severity.ERROR, "m", "h", Location(kind="config"))
    with pytest.raises(AttributeError):
        finding.message = "changed"  # type: ignore[misc]
    assert finding == Finding("AD401", "role-with-two-sources", Severity.ERROR, "m", "h", Location(kind="config"))
    assert finding.with_severity(Severity.INFO).severity is Severity.INFO
