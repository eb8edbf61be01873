"""The default check path stays light: no botocore, boto3 or jsonschema without --live.

It also leaves out the standard modules that take milliseconds to import (see
awsdoctor.log), because awsdoctor runs at every shell prompt and in pre-commit
hooks.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import AwsHome

CONFIG = """\
[default]
region = us-east-1

[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = default
duration_seconds = 3600

[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile tool]
credential_process = /bin/true --profile tool
"""
CREDENTIALS = "[default]\naws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = example\n"
HEAVY = ("botocore", "boto3", "jsonschema", "dateutil", "awsdoctor.live")
SCRIPT = (
    "import sys\n"
    "from awsdoctor.cli import main\n"
    "status = main(['check', '--format', 'json'])\n"
    f"print(sorted(name for name in {HEAVY!r} if name in sys.modules), file=sys.stderr)\n"
)


def test_check_imports_no_heavy_module(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(aws_home.home),
           "AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "deploy"}
    completed = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=aws_home.root,
                               capture_output=True, text=True, check=False)
    assert completed.stderr == "[]\n"


# Standard modules that no check run imports: logging only for -v or --live,
# hashlib only when an SSO or CLI cache has files whose names must be matched,
# difflib only for a "did you mean". locale is not listed because argparse
# imports it to translate its messages, nor typing, whose NamedTuple makes the
# records of the reader and the rules.
UNUSED_ON_CHECK = ("dataclasses", "difflib", "hashlib", "inspect", "logging", "pathlib", "shutil", "traceback")
# Every module awsdoctor's own core avoids.
SLOW_STDLIB = UNUSED_ON_CHECK
# The modules of the check path that import no awsdoctor module beyond this list.
CORE = (
    "awsdoctor.cli",
    "awsdoctor.engine",
    "awsdoctor.findings",
    "awsdoctor.formats",
    "awsdoctor.formats.github_format",
    "awsdoctor.formats.json_format",
    "awsdoctor.formats.text_format",
    "awsdoctor.log",
    "awsdoctor.project_config",
    "awsdoctor.rule",
    "awsdoctor.secrets",
    "awsdoctor.shell",
    "awsdoctor.suppressions",
)
# NOTE: no SSO profile, because AD507 names a missing SSO token by the SHA-1 of its file name.
PLAIN_CONFIG = """\
[default]
region = us-east-1

[profile deploy]
role_arn = arn:aws:iam::111122223333:role/deploy
source_profile = default

[profile tool]
credential_process = /bin/true --profile tool
"""


def imported(aws_home: AwsHome, script: str, modules: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter, then print to stderr which of ``modules`` it imported.

    Modules loaded before the script starts (by the import hook of an
    editable install, for one) do not count.
    """
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(aws_home.home),
           "AWS_EC2_METADATA_DISABLED": "true"}
    code = (f"import sys\nbefore = set(sys.modules)\n{script}\n"
            f"print(sorted(name for name in {modules!r} if name in sys.modules and name not in before), "
            "file=sys.stderr)\n")
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=aws_home.root, capture_output=True, text=True,
                          check=False)


@pytest.mark.parametrize("report_format", ["text", "json", "github"])
def test_check_skips_slow_stdlib(aws_home: AwsHome, report_format: str) -> None:
    aws_home.write(config=PLAIN_CONFIG, credentials=CREDENTIALS)
    script = f"from awsdoctor.cli import main\nmain(['check', '--format', {report_format!r}])"
    assert imported(aws_home, script, UNUSED_ON_CHECK).stderr == "[]\n"


def test_check_verbose_imports_logging(aws_home: AwsHome) -> None:
    aws_home.write(config=PLAIN_CONFIG, credentials=CREDENTIALS)
    script = "from awsdoctor.cli import main\nmain(['check', '-v', '--format', 'json'])"
    assert imported(aws_home, script, ("logging",)).stderr.endswith("['logging']\n")


def test_sso_probe_without_cache_skips_hashlib(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    script = (
        "import os\n"
        "from awsdoctor.setup import load_setup\n"
        "status = load_setup(dict(os.environ)).probes.sso_tokens['corp'].status\n"
        "print(status, file=sys.stderr)"
    )
    status, modules = imported(aws_home, script, ("hashlib",)).stderr.splitlines()
    assert status == "missing"
    assert modules == "[]"


def test_sso_probe_with_cache_reads_token(aws_home: AwsHome) -> None:
    aws_home.write(config=CONFIG, credentials=CREDENTIALS)
    cache = aws_home.home / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True)
    # sha1 of "corp", the sso_session name (SSOTokenLoader._generate_cache_key).
    (cache / "ee0bfd2552fbd840c02cc48b6e823320543c450f.json").write_text(
        '{"accessToken": "x", "expiresAt": "2030-01-01T00:00:00Z"}')
    assert aws_home.setup().probes.sso_tokens["corp"].status == "ok"


def test_core_modules_skip_slow_stdlib(aws_home: AwsHome) -> None:
    script = (
        "import os\n"
        f"for name in {CORE!r}:\n"
        "    __import__(name)\n"
        "from awsdoctor.cli import build_parser\n"
        "from awsdoctor.engine import EngineOptions, RuleFilter\n"
        "from awsdoctor.findings import Finding, Location, Severity\n"
        "from awsdoctor.formats import Report, get_formatter\n"
        "from awsdoctor.project_config import load_project_config\n"
        "build_parser().parse_args(['check'])\n"
        "EngineOptions(rule_filter=RuleFilter(select=('AD4',)), severities=load_project_config(None, os.getcwd())\n"
        "              .severities_for(['AD401']))\n"
        "finding = Finding('AD401', 'role-with-two-sources', Severity.ERROR, 'm', 'h', Location(kind='config'))\n"
        "for name in ('text', 'json', 'github'):\n"
        "    get_formatter(name)(Report(findings=(finding,), rules={}))"
    )
    assert imported(aws_home, script, SLOW_STDLIB).stderr == "[]\n"
