"""AD1xx: the files themselves: presence, encoding and INI syntax."""

from __future__ import annotations

from collections.abc import Iterator

from awsdoctor.findings import Severity
from awsdoctor.rule import Issue, rule
from awsdoctor.setup import Setup
from awsdoctor.sources import FileStatus


@rule(
    "AD100", "no-configuration", Severity.INFO,
    summary="No AWS configuration at all: neither file exists and no AWS_* variable is set.",
    why="""
Without a config file, a credentials file or credentials in the environment,
every AWS CLI or SDK call fails with NoCredentialsError unless it runs on an
EC2 instance, in a container with a task role, or under another tool that
injects credentials.
""",
    example="""
# ~/.aws/config and ~/.aws/credentials do not exist
""",
    fix="""
Run `aws configure` (long-term keys) or `aws configure sso` (IAM Identity
Center) to create the files, or export credentials in the environment.
""",
    needs_environment=True,
)
def no_configuration(setup: Setup) -> Iterator[Issue]:
    absent = (FileStatus.MISSING,)
    if any(source.status not in absent or source.origin != "default" for source in setup.sources()):
        return
    if any(name.startswith("AWS_") for name in setup.env):
        return
    yield Issue(
        message="no AWS configuration found: ~/.aws/config and ~/.aws/credentials do not exist "
                "and no AWS_* variable is set",
        hint="Nothing to check. Run `aws configure` or `aws configure sso` to create a profile.",
        location=setup.file_location("config"),
    )
