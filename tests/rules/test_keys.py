"""AD300-AD319 static-key rules: botocore's per-file key handling, masking, and the credential-shape cases.

The exact findings of every rule are pinned in fixtures/rules/keys.toml. This
file checks against the installed botocore that SharedCredentialProvider and
ConfigProvider behave as the rules describe.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from awsdoctor.findings import Finding, Severity
from conftest import FIXTURES, AwsHome, botocore_session, check_setup

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
TEMPORARY_KEY_ID = "ASIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN"
OLD_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEOLDTOKEN"


def partial_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, credentials: str) -> str:
    """Return the PartialCredentialsError text botocore raises for profile 'dev'."""
    import botocore.exceptions

    session = botocore_session(tmp_path, monkeypatch, config, credentials, profile="dev")
    with pytest.raises(botocore.exceptions.PartialCredentialsError) as raised:
        session.get_credentials()
    return str(raised.value)


# -- botocore behaviour -------------------------------------------------------


def test_key_id_alone_in_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = partial_error(tmp_path, monkeypatch, "", f"[dev]\naws_access_key_id = {KEY_ID}\n")
    assert text == "Partial credentials found in shared-credentials-file, missing: aws_secret_access_key"


def test_key_id_alone_in_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = partial_error(tmp_path, monkeypatch, f"[profile dev]\naws_access_key_id = {KEY_ID}\n", "")
    assert text == "Partial credentials found in config-file, missing: aws_secret_access_key"


def test_split_key_id_in_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = partial_error(tmp_path, monkeypatch, f"[profile dev]\naws_secret_access_key = {SECRET}\n",
                         f"[dev]\naws_access_key_id = {KEY_ID}\n")
    assert text == "Partial credentials found in shared-credentials-file, missing: aws_secret_access_key"


def test_split_key_id_in_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = partial_error(tmp_path, monkeypatch, f"[profile dev]\naws_access_key_id = {KEY_ID}\n",
                         f"[dev]\naws_secret_access_key = {SECRET}\n")
    assert text == "Partial credentials found in config-file, missing: aws_secret_access_key"


def test_secret_alone_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = botocore_session(tmp_path, monkeypatch, f"[profile dev]\naws_secret_access_key = {SECRET}\n",
                               profile="dev")
    assert session.get_credentials() is None


def test_role_hides_partial_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = (
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n"
        f"aws_access_key_id = {KEY_ID}\n"
    )
    credentials = f"[base]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"
    session = botocore_session(tmp_path, monkeypatch, config, credentials, profile="dev")
    # The role credentials are deferred: nothing calls STS until they are read.
    assert session.get_credentials().method == "assume-role"


def test_sso_hides_config_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = (
        "[profile dev]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
        f"sso_account_id = 123456789012\nsso_role_name = ReadOnly\naws_access_key_id = {TEMPORARY_KEY_ID}\n"
        f"aws_secret_access_key = {SECRET}\n"
    )
    session = botocore_session(tmp_path, monkeypatch, config, profile="dev")
    assert session.get_credentials().method == "sso"


def test_token_in_config_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = botocore_session(
        tmp_path, monkeypatch, f"[default]\naws_session_token = {TOKEN}\n",
        f"[default]\naws_access_key_id = {TEMPORARY_KEY_ID}\naws_secret_access_key = {SECRET}\n",
    )
    assert session.get_credentials().token is None


def test_token_in_credentials_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = botocore_session(
        tmp_path, monkeypatch, f"[profile dev]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n",
        f"[dev]\naws_session_token = {TOKEN}\n", profile="dev",
    )
    assert session.get_credentials().token is None


def test_legacy_token_name_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = (
        f"[default]\naws_access_key_id = {TEMPORARY_KEY_ID}\naws_secret_access_key = {SECRET}\n"
        f"aws_session_token = {TOKEN}\naws_security_token = {OLD_TOKEN}\n"
    )
    session = botocore_session(tmp_path, monkeypatch, credentials=credentials)
    assert session.get_credentials().token == OLD_TOKEN


def test_empty_key_id_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = f"[default]\naws_access_key_id =\naws_secret_access_key = {SECRET}\n"
    credentials_object = botocore_session(tmp_path, monkeypatch, credentials=credentials).get_credentials()
    assert credentials_object.method == "shared-credentials-file"
    assert credentials_object.access_key == ""


def test_empty_secret_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = f"[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key =\n"
    credentials_object = botocore_session(tmp_path, monkeypatch, credentials=credentials).get_credentials()
    assert credentials_object.secret_key == ""


def test_temporary_key_without_token_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = f"[default]\naws_access_key_id = {TEMPORARY_KEY_ID}\naws_secret_access_key = {SECRET}\n"
    credentials_object = botocore_session(tmp_path, monkeypatch, credentials=credentials).get_credentials()
    assert credentials_object.access_key == TEMPORARY_KEY_ID
    assert credentials_object.token is None


def test_long_term_key_token_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = (
        f"[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"
    )
    credentials_object = botocore_session(tmp_path, monkeypatch, credentials=credentials).get_credentials()
    assert credentials_object.token == TOKEN


# -- secrets never shown ------------------------------------------------------


BROKEN_SHAPES_CONFIG = f"""
[profile split]
aws_secret_access_key = {SECRET}

[profile token]
aws_session_token = {TOKEN}

[profile config-only]
aws_access_key_id = {TEMPORARY_KEY_ID}
"""

BROKEN_SHAPES_CREDENTIALS = f"""
[split]
aws_access_key_id = {KEY_ID}

[token]
aws_access_key_id = {TEMPORARY_KEY_ID}
aws_secret_access_key = {SECRET}

[legacy]
aws_access_key_id = {KEY_ID}
aws_secret_access_key = {SECRET}
aws_session_token = {TOKEN}
aws_security_token = {OLD_TOKEN}

[secret-only]
aws_secret_access_key = {SECRET}
"""


def test_findings_hide_secrets(aws_home: AwsHome) -> None:
    aws_home.write(config=BROKEN_SHAPES_CONFIG, credentials=BROKEN_SHAPES_CREDENTIALS)
    findings = check_setup(aws_home.setup(), select=("AD30",))
    text = "\n".join(f"{finding.message}\n{finding.hint}" for finding in findings)
    assert {finding.rule for finding in findings} == {"AD300", "AD301", "AD302", "AD303", "AD304", "AD307", "AD308"}
    for value in (KEY_ID, TEMPORARY_KEY_ID, SECRET, TOKEN, OLD_TOKEN):
        assert value not in text


# -- acceptance cases ---------------------------------------------------------


def run_case(name: str, aws_home: AwsHome, env: dict[str, str] | None = None) -> list[Finding]:
    """Lay out a case's files byte for byte in a temporary HOME and run every rule on it."""
    case_dir = FIXTURES / "cases" / name
    contents = {file: (case_dir / file).read_bytes() for file in ("config", "credentials")}
    aws_home.write(config=contents["config"], credentials=contents["credentials"])
    return check_setup(aws_home.setup(env))


def test_temporary_key_case_flagged(aws_home: AwsHome) -> None:
    findings = run_case("012-asia-key-without-session-token", aws_home)
    flagged = [finding for finding in findings if finding.rule == "AD306"]
    assert len(flagged) == 1
    assert flagged[0].severity == Severity.ERROR
    assert flagged[0].location.profile == "default"
    assert flagged[0].location.kind == "credentials"
    assert flagged[0].message == (
        "profile 'default': aws_access_key_id ASIA**************** in the credentials file starts with ASIA "
        "(temporary STS credentials) but aws_session_token is not set, so every request signed with it is rejected"
    )


def test_temporary_key_case_not_partial(aws_home: AwsHome) -> None:
    findings = run_case("012-asia-key-without-session-token", aws_home)
    partial = [
        finding for finding in findings
        if finding.location.profile == "default" and finding.severity >= Severity.WARNING
        and "session" not in f"{finding.message} {finding.hint}".lower()
        and any(word in f"{finding.message} {finding.hint}".lower() for word in ("aws_secret_access_key", "partial"))
    ]
    assert partial == []


def test_quoted_keys_case_no_key_findings(aws_home: AwsHome) -> None:
    findings = run_case("015-quoted-key-values", aws_home, env={"AWS_PROFILE": "datapull_user"})
    # The quotes are reported by the file rules; a quoted key id has no ASIA or AKIA prefix to judge.
    assert [finding.rule for finding in findings if finding.rule.startswith("AD30")] == []


def test_botocore_credentials_file_setting_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = botocore_session(tmp_path, monkeypatch, config="[default]\nregion = us-west-2\n",
                               credentials="[default]\nregion = ap-south-1\n")
    assert session.get_config_variable("region") == "ap-south-1"
