"""The report formats: SARIF against the official 2.1.0 schema, GitHub workflow commands, and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from awsdoctor.findings import Finding, Location, Severity
from awsdoctor.formats import Report, get_formatter, resolve_format
from awsdoctor.formats.github_format import escape_data, escape_property
from awsdoctor.formats.github_format import render as render_github
from awsdoctor.formats.json_format import build as build_json
from awsdoctor.formats.json_format import render as render_json
from awsdoctor.formats.sarif_format import artifact_location, fingerprint
from awsdoctor.formats.sarif_format import build as build_sarif
from awsdoctor.formats.sarif_format import render as render_sarif
from awsdoctor.rule import Issue, Rule
from awsdoctor.rules import registry
from awsdoctor.setup import Setup
from awsdoctor.suppressions import UNUSED_CODE

SARIF_SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"
REPORT_SCHEMA = Path(__file__).resolve().parent.parent / "awsdoctor" / "schemas" / "report.schema.json"


def no_issues(setup: Setup) -> list[Issue]:
    return []


ROLE_RULE = Rule(
    code="AD401", name="role-with-two-sources", severity=Severity.ERROR,
    summary="A role profile sets both source_profile and credential_source.",
    why="botocore raises InvalidConfigError when a role profile sets both keys.",
    example="[profile deploy]\nsource_profile = base\ncredential_source = Environment",
    fix="Keep one of the two keys.", check=no_issues,
)
ENV_RULE = Rule(
    code="AD601", name="profile-variable-ignored", severity=Severity.WARNING,
    summary="An AWS_PROFILE setting loses to static keys in the environment.",
    why="EnvProvider comes before the profile in botocore's credential chain.",
    example="# environment only", fix="Unset one of them.", check=no_issues,
)
RULES = {ROLE_RULE.code: ROLE_RULE, ENV_RULE.code: ENV_RULE}

ROLE_FINDING = Finding(
    rule="AD401", name="role-with-two-sources", severity=Severity.ERROR,
    message="profile 'deploy': source_profile and credential_source are both set",
    hint="Keep source_profile = base or credential_source = Environment, not both.",
    location=Location(kind="config", path="dotfiles/aws/config", line=7, column=1, section="profile deploy",
                      profile="deploy", key="credential_source"),
    related=(Location(kind="config", path="dotfiles/aws/config", line=6, column=1, section="profile deploy",
                      profile="deploy", key="source_profile"),),
)
ENV_FINDING = Finding(
    rule="AD601", name="profile-variable-ignored", severity=Severity.WARNING,
    message="$AWS_PROFILE = 'prod' is ignored: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY win",
    hint="Unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or unset AWS_PROFILE.",
    location=Location(kind="environment", variable="AWS_PROFILE"),
)
INFO_FINDING = Finding(
    rule="AD401", name="role-with-two-sources", severity=Severity.INFO,
    message="100% odd: a, b\r\nnext line", hint="",
    location=Location(kind="credentials", path="/home/me/.aws/credentials", line=2, column=3),
)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def sarif_validator() -> jsonschema.protocols.Validator:
    schema = load_json(SARIF_SCHEMA)
    validator_class = jsonschema.validators.validator_for(schema)
    validator: jsonschema.protocols.Validator = validator_class(schema)
    return validator


def report(*findings: Finding) -> Report:
    return Report(findings=findings, rules=RULES)


# -- SARIF -----------------------------------------------------------------


def test_sarif_valid_against_schema() -> None:
    document = build_sarif(report(ROLE_FINDING, ENV_FINDING, INFO_FINDING))
    errors = [error.message for error in sarif_validator().iter_errors(document)]
    assert errors == []


def test_sarif_empty_report_valid() -> None:
    document = build_sarif(report())
    errors = [error.message for error in sarif_validator().iter_errors(document)]
    assert errors == []
    assert document["runs"][0]["results"] == []


def test_sarif_schema_rejects_broken_log() -> None:
    document = build_sarif(report(ROLE_FINDING))
    document["runs"][0]["results"][0]["level"] = "info"
    assert not sarif_validator().is_valid(document)


def test_sarif_driver_rules_from_registry() -> None:
    driver = build_sarif(report())["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == ["AD401", "AD601"]
    first = driver["rules"][0]
    assert first["name"] == "role-with-two-sources"
    assert first["shortDescription"] == {"text": ROLE_RULE.summary}
    assert first["help"]["markdown"] == ROLE_RULE.documentation()
    assert first["help"]["text"] == ROLE_RULE.documentation()
    assert first["helpUri"] == (
        "https://github.com/awsdoctor/awsdoctor/blob/main/docs/rules.md#ad401-role-with-two-sources"
    )
    assert first["defaultConfiguration"] == {"level": "error"}
    assert driver["rules"][1]["defaultConfiguration"] == {"level": "warning"}


def test_sarif_opt_in_rule_disabled_by_default() -> None:
    opt_in = registry()["AD414"]
    driver = build_sarif(Report(findings=(), rules={"AD414": opt_in}))["runs"][0]["tool"]["driver"]
    assert driver["rules"][0]["defaultConfiguration"] == {"level": "note", "enabled": False}


def test_sarif_result_file_location() -> None:
    result = build_sarif(report(ROLE_FINDING))["runs"][0]["results"][0]
    assert result["ruleId"] == "AD401"
    assert result["ruleIndex"] == 0
    assert result["level"] == "error"
    assert result["message"]["text"] == (
        "profile 'deploy': source_profile and credential_source are both set\n"
        "Fix: Keep source_profile = base or credential_source = Environment, not both."
    )
    location = result["locations"][0]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "dotfiles/aws/config"},
        "region": {"startLine": 7, "startColumn": 1},
    }
    assert location["logicalLocations"] == [
        {"name": "deploy", "fullyQualifiedName": "profile deploy", "kind": "namespace"},
        {"name": "credential_source", "fullyQualifiedName": "deploy.credential_source", "kind": "property"},
    ]
    assert result["relatedLocations"][0]["id"] == 1
    assert result["relatedLocations"][0]["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 1}


def test_sarif_result_variable_location() -> None:
    result = build_sarif(report(ENV_FINDING))["runs"][0]["results"][0]
    assert result["level"] == "warning"
    assert result["locations"] == [
        {"logicalLocations": [{"name": "AWS_PROFILE", "fullyQualifiedName": "$AWS_PROFILE", "kind": "variable"}]}
    ]


def test_sarif_pathless_finding_uses_first_input() -> None:
    with_inputs = Report(findings=(ENV_FINDING,), rules=RULES, inputs=("aws/config", "aws/credentials"))
    location = build_sarif(with_inputs)["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"] == {"artifactLocation": {"uri": "aws/config"}}
    assert location["logicalLocations"][0]["name"] == "AWS_PROFILE"
    assert "message" not in location


def test_sarif_info_is_note() -> None:
    result = build_sarif(report(INFO_FINDING))["runs"][0]["results"][0]
    assert result["level"] == "note"
    assert result["message"]["text"] == "100% odd: a, b\r\nnext line"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("config", {"uri": "config"}),
        ("./dotfiles/aws/../aws/config", {"uri": "dotfiles/aws/config"}),
        ("dot files/aws config", {"uri": "dot%20files/aws%20config"}),
        ("~/.aws/credentials", {"uri": ".aws/credentials", "uriBaseId": "HOME"}),
        ("/etc/aws/config", {"uri": "file:///etc/aws/config"}),
        ("p\udcff/config", {"uri": "p%FF/config"}),
        ("/p\ud800/config", {"uri": "file:///p%5Cud800/config"}),
    ],
)
def test_sarif_artifact_uri(path: str, expected: dict[str, str]) -> None:
    assert artifact_location(path) == expected


def test_sarif_fingerprint_ignores_line() -> None:
    moved = ROLE_FINDING.with_location(ROLE_FINDING.location._replace(line=40))
    assert fingerprint(moved) == fingerprint(ROLE_FINDING)


def test_sarif_fingerprint_differs_by_profile() -> None:
    other = ROLE_FINDING.with_location(ROLE_FINDING.location._replace(profile="other"))
    assert fingerprint(other) != fingerprint(ROLE_FINDING)


def test_sarif_fingerprint_in_result() -> None:
    result = build_sarif(report(ROLE_FINDING))["runs"][0]["results"][0]
    assert result["partialFingerprints"] == {"awsdoctor/v1": fingerprint(ROLE_FINDING)}
    assert len(fingerprint(ROLE_FINDING)) == 64


# Python reads a byte that is not UTF-8 in a path or an environment variable as a lone surrogate (\xff as \udcff).
NON_UTF8_FINDING = Finding(
    rule="AD401", name="role-with-two-sources", severity=Severity.ERROR,
    message="profile '\udcff\udcfe': source_profile and credential_source are both set", hint="",
    location=Location(kind="config", path="p\udcff/config", line=1, column=1, section="profile \udcff\udcfe",
                      profile="\udcff\udcfe", key="credential_source"),
)


def test_sarif_fingerprint_non_utf8_names() -> None:
    assert len(fingerprint(NON_UTF8_FINDING)) == 64


def test_sarif_fingerprint_keeps_escape_text_apart() -> None:
    text = NON_UTF8_FINDING.with_location(NON_UTF8_FINDING.location._replace(path="p\\udcff/config"))
    assert fingerprint(text) != fingerprint(NON_UTF8_FINDING)


def test_sarif_non_utf8_names_as_escapes() -> None:
    document = json.loads(render_sarif(report(NON_UTF8_FINDING)))
    result = document["runs"][0]["results"][0]
    assert result["message"]["text"] == "profile '\\udcff\\udcfe': source_profile and credential_source are both set"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "p%FF/config"}
    assert result["locations"][0]["logicalLocations"][0]["name"] == "\\udcff\\udcfe"
    assert result["partialFingerprints"] == {"awsdoctor/v1": fingerprint(NON_UTF8_FINDING)}


def test_sarif_non_utf8_names_valid() -> None:
    document = json.loads(render_sarif(report(NON_UTF8_FINDING)))
    assert [error.message for error in sarif_validator().iter_errors(document)] == []
    # Encoding fails on any lone surrogate left in a string.
    assert json.dumps(document, ensure_ascii=False).encode("utf-8").startswith(b"{")


def test_sarif_render_matches_build() -> None:
    assert json.loads(render_sarif(report(ROLE_FINDING, ENV_FINDING))) == build_sarif(report(ROLE_FINDING, ENV_FINDING))


def test_sarif_unknown_rule_has_no_index() -> None:
    unused = Finding(rule=UNUSED_CODE, name="unused-suppression", severity=Severity.INFO, message="m", hint="",
                     location=Location(kind="config", path="config", line=1, column=1))
    result = build_sarif(report(unused))["runs"][0]["results"][0]
    assert "ruleIndex" not in result


# -- GitHub ----------------------------------------------------------------


def test_github_error_annotation() -> None:
    lines = render_github(report(ROLE_FINDING)).splitlines()
    assert lines[0] == (
        "::error file=dotfiles/aws/config,line=7,col=1,title=AD401 role-with-two-sources::"
        "profile 'deploy': source_profile and credential_source are both set%0A"
        "Fix: Keep source_profile = base or credential_source = Environment, not both."
    )
    assert lines[1] == "awsdoctor: 1 error, 0 warnings, 0 info"


def test_github_annotation_without_file() -> None:
    lines = render_github(report(ENV_FINDING)).splitlines()
    assert lines[0] == (
        "::warning title=AD601 profile-variable-ignored::"
        "$AWS_PROFILE = 'prod' is ignored: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY win%0A"
        "Fix: Unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or unset AWS_PROFILE."
    )


def pathless(message: str, location: Location) -> str:
    finding = Finding(rule="AD401", name="role-with-two-sources", severity=Severity.ERROR, message=message,
                      hint="", location=location)
    return render_github(report(finding)).splitlines()[0]


def test_github_profile_named_once() -> None:
    line = pathless("profile 'default': no credentials", Location(kind="config", profile="default"))
    assert line == "::error title=AD401 role-with-two-sources::profile 'default': no credentials"


def test_github_variable_named_once() -> None:
    line = pathless("AWS_PROFILE names profile 'x'", Location(kind="environment", variable="AWS_PROFILE"))
    assert line == "::error title=AD401 role-with-two-sources::AWS_PROFILE names profile 'x'"


def test_github_place_added_when_missing() -> None:
    line = pathless("no credentials", Location(kind="config", profile="default"))
    assert line == "::error title=AD401 role-with-two-sources::profile 'default': no credentials"


def test_github_longer_name_is_another_place() -> None:
    line = pathless("AWS_PROFILE_X is set", Location(kind="environment", variable="AWS_PROFILE"))
    assert line == "::error title=AD401 role-with-two-sources::$AWS_PROFILE: AWS_PROFILE_X is set"


def test_github_info_is_notice_escaped() -> None:
    lines = render_github(report(INFO_FINDING)).splitlines()
    assert lines[0] == (
        "::notice file=/home/me/.aws/credentials,line=2,col=3,title=AD401 role-with-two-sources::"
        "100%25 odd: a, b%0D%0Anext line"
    )


def test_github_errors_first() -> None:
    lines = render_github(report(INFO_FINDING, ENV_FINDING, ROLE_FINDING)).splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:3]] == ["::error", "::warning", "::notice"]


def test_github_property_escaping() -> None:
    assert escape_property("C:\\a,b%\n") == "C%3A\\a%2Cb%25%0A"


def test_github_data_keeps_colon_comma() -> None:
    assert escape_data("a: b, c%\r") == "a: b, c%25%0D"


def test_github_property_file_with_comma() -> None:
    finding = Finding(rule="AD401", name="role-with-two-sources", severity=Severity.ERROR, message="m", hint="",
                      location=Location(kind="config", path="a,b:c/config", line=1, column=1))
    assert render_github(report(finding)).splitlines()[0] == (
        "::error file=a%2Cb%3Ac/config,line=1,col=1,title=AD401 role-with-two-sources::m"
    )


# -- JSON and format choice --------------------------------------------------


def test_json_valid_against_report_schema() -> None:
    schema = load_json(REPORT_SCHEMA)
    document = build_json(report(ROLE_FINDING, ENV_FINDING, INFO_FINDING))
    errors = [error.message for error in jsonschema.Draft202012Validator(schema).iter_errors(document)]
    assert errors == []


def test_json_non_utf8_path_as_text() -> None:
    # A path byte that is not UTF-8 reaches Python as a lone surrogate; JSON shows it as the text format does.
    finding = ROLE_FINDING.with_location(Location(kind="config", path="p\udcff/config", line=1))
    text = render_json(report(finding))
    assert '"path": "p\\\\xff/config"' in text
    assert "\\udcff" not in text
    assert json.loads(text)["findings"][0]["location"]["path"] == "p\\xff/config"


def test_report_schema_rejects_bad_severity() -> None:
    schema = load_json(REPORT_SCHEMA)
    document = build_json(report(ROLE_FINDING))
    document["findings"][0]["severity"] = "fatal"
    assert not jsonschema.Draft202012Validator(schema).is_valid(document)


def test_report_schema_is_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(load_json(REPORT_SCHEMA))


def test_json_help_uri() -> None:
    document = build_json(report(ROLE_FINDING))
    assert document["findings"][0]["help_uri"] == (
        "https://github.com/awsdoctor/awsdoctor/blob/main/docs/rules.md#ad401-role-with-two-sources"
    )


@pytest.mark.parametrize(
    ("requested", "env", "expected"),
    [
        ("auto", {"GITHUB_ACTIONS": "true"}, "github"),
        ("auto", {"GITHUB_ACTIONS": "false"}, "text"),
        ("auto", {}, "text"),
        ("sarif", {"GITHUB_ACTIONS": "true"}, "sarif"),
        ("text", {"GITHUB_ACTIONS": "true"}, "text"),
    ],
)
def test_resolve_format(requested: str, env: dict[str, str], expected: str) -> None:
    assert resolve_format(requested, env) == expected


@pytest.mark.parametrize("name", ["text", "json", "sarif", "github"])
def test_every_format_renders(name: str) -> None:
    text = get_formatter(name)(report(ROLE_FINDING, ENV_FINDING))
    assert text.endswith("\n")
