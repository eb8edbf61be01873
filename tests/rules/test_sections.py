"""AD2xx section rules: botocore's own behaviour behind each rule, header fixes, and the section-naming cases.

The exact findings of every rule are pinned in fixtures/rules/sections.toml.
This file checks against the installed botocore that each rule describes what
botocore really does, and grades the acceptance cases in fixtures/cases.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from awsdoctor.findings import Finding, Severity
from awsdoctor.rules.sections import classify_named_section, classify_profile_header
from conftest import FIXTURES, AwsHome, botocore_session, check_setup

CASES = ("030-profile-prefix-in-credentials-file", "031-missing-profile-prefix-in-config")


# -- botocore behaviour -------------------------------------------------------


def test_unprefixed_section_not_a_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import botocore.exceptions

    session = botocore_session(tmp_path, monkeypatch, config="[dev]\nregion = eu-west-1\n", profile="dev")
    assert "dev" not in session.available_profiles
    with pytest.raises(botocore.exceptions.ProfileNotFound):
        session.get_scoped_config()


def test_unprefixed_source_profile_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import botocore.exceptions

    config = (
        "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n"
        "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n"
    )
    session = botocore_session(tmp_path, monkeypatch, config=config, profile="deploy")
    with pytest.raises(botocore.exceptions.InvalidConfigError) as raised:
        session.get_credentials()
    assert 'The source_profile "base" referenced in the profile "deploy" does not exist' in str(raised.value)


def test_credentials_prefix_literal_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = "[profile sts]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n"
    session = botocore_session(tmp_path, monkeypatch, credentials=credentials)
    assert session.available_profiles == ["profile sts"]


def test_credentials_prefix_selected_not_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import botocore.exceptions

    credentials = "[profile sts]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n"
    session = botocore_session(tmp_path, monkeypatch, credentials=credentials, env={"AWS_PROFILE": "sts"})
    with pytest.raises(botocore.exceptions.ProfileNotFound):
        session.get_scoped_config()


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("[default]\nregion = us-east-1\n", "[profile default]\noutput = json\n", {"output": "json"}),
    ("[profile default]\noutput = json\n", "[default]\nregion = us-east-1\n", {"region": "us-east-1"}),
    ("[profile dev]\nregion = us-east-1\n", '[profile "dev"]\noutput = json\n', {"output": "json"}),
])
def test_later_spelling_replaces_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str, second: str,
                                       expected: dict[str, str]) -> None:
    session = botocore_session(tmp_path, monkeypatch, config=first + second)
    profiles = session.full_config["profiles"]
    assert list(profiles.values()) == [expected]


def test_later_sso_session_replaces_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = "[sso-session corp]\nsso_region = us-east-1\n[sso-session 'corp']\nsso_start_url = https://x\n"
    session = botocore_session(tmp_path, monkeypatch, config=config)
    assert session.full_config["sso_sessions"] == {"corp": {"sso_start_url": "https://x"}}


# Each broken header, the header AD204 suggests, and the profile name the fix gives.
HEADER_FIXES = [
    ("profile my dev", '[profile "my dev"]', "my dev"),
    ('profile dev"', "[profile dev]", "dev"),
    ("profilex", "[profile x]", "x"),
    ("profile-dev", "[profile dev]", "dev"),
    (" profile ops ", "[profile ops]", "ops"),
    ("Profile qa", "[profile qa]", "qa"),
    ("PROFILE qa", "[profile qa]", "qa"),
    (" Profile my qa", '[profile "my qa"]', "my qa"),
    ("Default", "[default]", "default"),
    (" default ", "[default]", "default"),
]


@pytest.mark.parametrize(("header", "fixed", "name"), HEADER_FIXES)
def test_header_fix_suggestion(header: str, fixed: str, name: str) -> None:
    fix = classify_profile_header(header)
    assert fix is not None
    assert fix.header == fixed
    assert fix.name == name


@pytest.mark.parametrize(("header", "fixed", "name"), HEADER_FIXES)
def test_broken_header_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str, fixed: str,
                               name: str) -> None:
    session = botocore_session(tmp_path, monkeypatch, config=f"[{header}]\nregion = eu-west-1\n")
    assert session.available_profiles == []


@pytest.mark.parametrize(("header", "fixed", "name"), HEADER_FIXES)
def test_fixed_header_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str, fixed: str,
                            name: str) -> None:
    session = botocore_session(tmp_path, monkeypatch, config=f"{fixed}\nregion = eu-west-1\n")
    assert session.available_profiles == [name]


def test_nameless_header_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = botocore_session(tmp_path, monkeypatch, config="[profile]\nregion = eu-west-1\n")
    assert session.available_profiles == []


@pytest.mark.parametrize("header", ["default", "profile dev", 'profile "my dev"', "profile  dev", "plugins", "dev"])
def test_valid_headers_not_malformed(header: str) -> None:
    assert classify_profile_header(header) is None


@pytest.mark.parametrize(("header", "fixed"), [
    ("sso-session my sso", '[sso-session "my sso"]'),
    ("services my svc", '[services "my svc"]'),
    ("sso_session corp", "[sso-session corp]"),
    ("SSO-Session corp", "[sso-session corp]"),
])
def test_named_section_fix(header: str, fixed: str) -> None:
    classified = classify_named_section(header)
    assert classified is not None
    assert classified[1].header == fixed


@pytest.mark.parametrize("header", ["sso-session", "services", "sso-session my sso", "sso_session corp"])
def test_broken_sso_session_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str) -> None:
    session = botocore_session(tmp_path, monkeypatch, config=f"[{header}]\nsso_region = us-east-1\n")
    assert session.full_config["sso_sessions"] == {}
    assert session.full_config["services"] == {}


def test_dropped_sso_session_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import botocore.exceptions

    config = (
        "[sso-session my sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
        "[profile dev]\nsso_session = my sso\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n"
    )
    session = botocore_session(tmp_path, monkeypatch, config=config, profile="dev")
    with pytest.raises(botocore.exceptions.InvalidConfigError) as raised:
        session.get_credentials()
    assert 'The specified sso-session does not exist: "my sso"' in str(raised.value)


def test_profile_name_case_sensitive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import botocore.exceptions

    session = botocore_session(tmp_path, monkeypatch, config="[profile dev]\nregion = eu-west-1\n",
                               env={"AWS_PROFILE": "Dev"})
    with pytest.raises(botocore.exceptions.ProfileNotFound):
        session.get_scoped_config()


# -- acceptance cases ---------------------------------------------------------


def run_case(name: str, root: Path) -> list[Finding]:
    """Lay out a case's files byte for byte in a temporary HOME and run every rule on it."""
    case_dir = FIXTURES / "cases" / name
    grade = json.loads((case_dir / "grade.json").read_text())
    files = grade["setup"]["files"]
    home = AwsHome(root)
    contents = {target: (case_dir / source).read_bytes() for target, source in files.items()}
    home.write(config=contents.get("~/.aws/config"), credentials=contents.get("~/.aws/credentials"))
    args = grade["args"]
    profile = args[args.index("--profile") + 1] if "--profile" in args else None
    return check_setup(home.setup(grade["setup"]["env"], profile=profile))


def item_matches(item: dict[str, Any], finding: Finding) -> bool:
    """Return True when a finding meets a grade.json item: severity, one anchor, and the text conditions."""
    if finding.severity < Severity.parse(item["severity_min"]):
        return False
    locations = [finding.location]
    if item.get("match_related", True):
        locations.extend(finding.related)
    anchored = any(
        all(location.to_dict().get(field) == value for field, value in anchor.items())
        for anchor in item["any_of"] for location in locations
    )
    if not anchored:
        return False
    text = f"{finding.message}\n{finding.hint}".lower()
    words = item.get("text_any", [])
    if words and not any(word.lower() in text for word in words):
        return False
    return not any(word.lower() in text for word in item.get("text_none", []))


def case_items(names: tuple[str, ...]) -> list[Any]:
    params = []
    for name in names:
        grade = json.loads((FIXTURES / "cases" / name / "grade.json").read_text())
        for kind in ("must", "must_not"):
            for index, item in enumerate(grade[kind]):
                params.append(pytest.param(name, kind, item, id=f"{name[:3]}-{kind}-{index}"))
    return params


@pytest.mark.parametrize(("name", "kind", "item"), case_items(CASES))
def test_case_item(name: str, kind: str, item: dict[str, Any], tmp_path: Path) -> None:
    matched = [finding for finding in run_case(name, tmp_path) if item_matches(item, finding)]
    if kind == "must":
        assert matched, item["why"]
    else:
        assert matched == [], item["why"]
