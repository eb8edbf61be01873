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


def test_secret_key_shape_hidden() -> None:
    text = "region = Zq8xT3vLk2mN9pR4sW7yB1cD5fG6hJ0kL3nP8qRt is not an AWS region"
    assert redact_text(text) == "region = (hidden: looks like a secret key or token) is not an AWS region"


def test_session_token_shape_hidden() -> None:
    token = "IQoJb3JpZ2luX2VjEHgaCXVzLWVhc3QtMSJHMEUCIQD" * 4
    assert redact_text(f"output = {token}") == "output = (hidden: looks like a secret key or token)"


def test_hex_digest_kept() -> None:
    text = "~/.aws/cli/cache/0f6ab4b2b2c4e5d1a9f8e7c6b5a4d3c2b1a0f9e8.json"
    assert redact_text(text) == text


def test_secret_in_region_hidden(aws_home: AwsHome) -> None:
    secret = "Zq8xT3vLk2mN9pR4sW7yB1cD5fG6hJ0kL3nP8qRt"
    aws_home.write(config=f"[default]\nregion = {secret}\noutput = {secret}\n{secret} = 1\n")
    findings = check_setup(aws_home.setup({"AWS_EC2_METADATA_DISABLED": "true"}))
    assert findings != []
    assert all(secret not in finding.message and secret not in finding.hint for finding in findings)
