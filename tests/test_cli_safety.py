"""Command-line guards: live-only options, reports written over inputs, terminals that lack UTF-8, and streams
that fail: a closed stdout, a full device, a reader that stops early."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AwsHome


def run(home: AwsHome, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home.home),
           "AWS_EC2_METADATA_DISABLED": "true", **extra}
    return subprocess.run([sys.executable, "-m", "awsdoctor", *args], env=env, cwd=home.root,
                          capture_output=True, text=True, check=False)


def test_expect_account_needs_live(aws_home: AwsHome) -> None:
    completed = run(aws_home, "check", "--expect-account", "111122223333")
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == "awsdoctor: error: --expect-account only applies with --live\n"


def test_output_over_checked_file(aws_home: AwsHome) -> None:
    aws_home.write(credentials="[default]\nregion = us-east-1\n")
    completed = run(aws_home, "check", "--output", str(aws_home.credentials))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == (
        f"awsdoctor: error: --output {aws_home.credentials} is the credentials file being checked; "
        "choose another file for the report\n"
    )
    assert aws_home.credentials.read_text() == "[default]\nregion = us-east-1\n"


def test_output_through_hard_link(aws_home: AwsHome) -> None:
    aws_home.write(credentials="[default]\nregion = us-east-1\n")
    link = aws_home.root / "report.txt"
    os.link(aws_home.credentials, link)
    completed = run(aws_home, "check", "--output", str(link))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == (
        f"awsdoctor: error: --output {link} is the credentials file being checked; choose another file for the report\n"
    )
    assert aws_home.credentials.read_text() == "[default]\nregion = us-east-1\n"


def test_ascii_terminal_escapes_names(aws_home: AwsHome) -> None:
    aws_home.write(config="[profile café]\nregion = us-east-1\n")
    completed = run(aws_home, "check", "--profile", "cafe", PYTHONIOENCODING="ascii")
    assert completed.returncode == 1
    assert completed.stderr == ""
    assert "caf\\xe9" in completed.stdout


def test_control_characters_escaped(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-east-1\x1b[2J\n")
    completed = run(aws_home, "check")
    assert "\x1b" not in completed.stdout
    assert "\\x1b[2J" in completed.stdout


KEYS = "[default]\naws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = example\n"


def test_verbose_logs_inputs(aws_home: AwsHome) -> None:
    aws_home.write(config="[default]\nregion = us-east-1\n", credentials=KEYS)
    completed = run(aws_home, "check", "-v", "--format", "json")
    assert completed.returncode == 0
    assert "awsdoctor: INFO: read config file ~/.aws/config (1 sections)\n" in completed.stderr
    assert "awsdoctor: INFO: profile 'default' selected by default\n" in completed.stderr


def test_report_file_leaves_terminal_summary(aws_home: AwsHome, tmp_path: Path) -> None:
    aws_home.write(config="[default]\nregion = us-east-1\n", credentials=KEYS)
    report = tmp_path / "report.json"
    completed = run(aws_home, "check", "--format", "json", "--output", str(report))
    assert completed.returncode == 0
    assert completed.stdout == ""
    assert completed.stderr == f"awsdoctor: 0 errors, 0 warnings, 0 info; report written to {report}\n"
    assert report.read_text().startswith("{")


def test_guessed_file_type_is_shown(tmp_path: Path) -> None:
    path = tmp_path / "creds.txt"
    path.write_text("[default]\nregion = us-east-1\n")
    completed = subprocess.run([sys.executable, "-m", "awsdoctor", "check", "creds.txt"], cwd=tmp_path,
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0
    assert completed.stdout.splitlines()[0] == "awsdoctor check: creds.txt (read as a config file)"
    assert completed.stderr == ""


def test_rules_lists_an_area_by_prefix() -> None:
    completed = subprocess.run([sys.executable, "-m", "awsdoctor", "rules", "AD40"],
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 0
    assert [line.split()[0] for line in completed.stdout.splitlines()] == [
        "AD400", "AD401", "AD402", "AD403", "AD404", "AD405", "AD406", "AD407"]
    assert completed.stderr == ""


def test_reader_closing_pipe_early(aws_home: AwsHome) -> None:
    # `awsdoctor rules --format markdown | head -1`: the rest of the report has nowhere to go, quietly.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(aws_home.home)}
    process = subprocess.Popen([sys.executable, "-m", "awsdoctor", "rules", "--format", "markdown"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    errors = process.stderr.read()
    status = process.wait()
    assert first == b"# awsdoctor rules\n"
    assert errors == b""
    assert status == 0


def test_report_reaches_a_pipe_whole(aws_home: AwsHome) -> None:
    # The process ends without interpreter teardown; everything written must still arrive.
    completed = run(aws_home, "rules", "--format", "markdown")
    assert completed.returncode == 0
    assert completed.stderr == ""
    assert completed.stdout == (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text()


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "awsdoctor", *args]


def clean_env(home: AwsHome, **extra: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home.home),
            "AWS_EC2_METADATA_DISABLED": "true", **extra}


def run_into_closed_pipe(home: AwsHome, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run with stdout a pipe whose reader has already gone, so that the first write fails with EPIPE."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(command(*args), env=clean_env(home, **extra), cwd=home.root, stdout=writer,
                              stderr=subprocess.PIPE, text=True, check=False)
    finally:
        os.close(writer)


# [dev] without the 'profile ' prefix is not a profile for botocore: one AD200 warning.
WARNING_CONFIG = "[dev]\nregion = eu-west-1\n"


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (("rules",), 0),
        (("rules", "--format", "markdown"), 0),
        (("check",), 1),
        (("check", "--fail-on", "never"), 0),
        (("check", "--fail-on", "never", "--format", "sarif"), 0),
        (("check", "--format", "sarif"), 1),
        (("explain",), 0),
    ],
)
def test_reader_gone_keeps_status(aws_home: AwsHome, args: tuple[str, ...], status: int) -> None:
    aws_home.write(config=WARNING_CONFIG, credentials=KEYS)
    completed = run_into_closed_pipe(aws_home, *args)
    assert completed.returncode == status
    assert completed.stderr == ""


def test_reader_gone_unbuffered(aws_home: AwsHome) -> None:
    aws_home.write(config=WARNING_CONFIG, credentials=KEYS)
    completed = run_into_closed_pipe(aws_home, "check", "--fail-on", "never", PYTHONUNBUFFERED="1")
    assert completed.returncode == 0
    assert completed.stderr == ""


@pytest.mark.parametrize("args", [("check",), ("explain",), ("rules",), ("rules", "AD401")])
def test_closed_stdout_is_an_error(aws_home: AwsHome, args: tuple[str, ...]) -> None:
    aws_home.write(config=WARNING_CONFIG, credentials=KEYS)
    completed = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *command(*args)], env=clean_env(aws_home),
                               cwd=aws_home.root, capture_output=True, text=True, check=False)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == "awsdoctor: error: cannot write the report: standard output is closed\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs the Linux /dev/full device")
@pytest.mark.parametrize(
    "args",
    [("rules",), ("rules", "--format", "markdown"), ("check",), ("check", "--format", "json"), ("explain",),
     ("--help",)],
)
def test_full_device_is_an_error(aws_home: AwsHome, args: tuple[str, ...]) -> None:
    aws_home.write(config=WARNING_CONFIG, credentials=KEYS)
    with open("/dev/full", "w", encoding="utf-8") as full:
        completed = subprocess.run(command(*args), env=clean_env(aws_home), cwd=aws_home.root, stdout=full,
                                   stderr=subprocess.PIPE, text=True, check=False)
    assert completed.returncode == 2
    assert completed.stderr == "awsdoctor: error: cannot write the report: No space left on device\n"


def test_sarif_profile_not_utf8(aws_home: AwsHome) -> None:
    # The variable's value is the bytes ff fe, which Python reads as the lone surrogates U+DCFF U+DCFE.
    aws_home.write(config="[default]\nregion = us-east-1\n", credentials=KEYS)
    completed = run(aws_home, "check", "--format", "sarif", AWS_PROFILE="\udcff\udcfe")
    results = json.loads(completed.stdout)["runs"][0]["results"]
    assert completed.returncode == 1
    assert [result["ruleId"] for result in results] == ["AD609"]
    assert results[0]["message"]["text"].startswith("AWS_PROFILE names profile '\\udcff\\udcfe', which is not found")
    assert completed.stderr == ""
