"""The default check path stays light: no botocore, boto3 or jsonschema without --live."""

from __future__ import annotations

import os
import subprocess
import sys

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
