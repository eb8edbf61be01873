"""Redaction of free text, and values far longer than any real one."""

from __future__ import annotations

from awsdoctor.secrets import redact_text
from conftest import AwsHome, check_setup


def test_url_password_masked() -> None:
    assert redact_text("proxy https://alice:hunter2@proxy.example:8080") == "proxy https://alice:****@proxy.example:8080"


def test_key_id_masked() -> None:
    assert redact_text("key AKIAIOSFODNN7EXAMPLE is old") == "key AKIA**************** is old"


def test_url_password_after_long_run() -> None:
    # The scheme is matched over at most 32 characters, so a password right after a long word is still found.
    text = "A" * 50_000 + "https://alice:hunter2@proxy.example"
    assert redact_text(text).endswith(":****@proxy.example")
    assert "hunter2" not in redact_text(text)


def test_long_letter_run_unchanged() -> None:
    text = "region = us-east-1" + "A" * 200_000
    assert redact_text(text) == text


def test_huge_values_reported(aws_home: AwsHome) -> None:
    # A value of hundreds of kilobytes: each rule stays linear in it, and messages are shortened.
    aws_home.write(config="[default]\nregion = us-east-1" + "A" * 300_000
                   + '\ncredential_process = /bin/sh -c' + ' "a #b"' * 20_000 + "\n")
    findings = check_setup(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}), ("AD320", "AD112"))
    assert [finding.rule for finding in findings] == ["AD320"]
    assert len(findings[0].message) < 1000
    assert findings[0].message.startswith("profile 'default': region = us-east-1AAA")
