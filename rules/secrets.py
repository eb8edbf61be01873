"""AD70x-AD71x: secrets committed to files, and file permissions and ownership."""

from __future__ import annotations

from collections.abc import Iterator

from awsdoctor.findings import Location, Severity
from awsdoctor.profiles import CREDENTIALS
from awsdoctor.rule import Issue, rule
from awsdoctor.secrets import mask_key_id
from awsdoctor.setup import Setup
from awsdoctor.sources import SourceFile

GROUP_OTHER_READ = 0o044
GROUP_OTHER_WRITE = 0o022
SECRET_KEYS = ("aws_secret_access_key", "aws_session_token", "aws_security_token")


def _who(mode: int, read: bool) -> str:
    group = mode & (0o040 if read else 0o020)
    other = mode & (0o004 if read else 0o002)
    if group and other:
        return "its group and all other users"
    return "its group" if group else "all other users"


def _secret_sections(source: SourceFile) -> Iterator[tuple[str, str | None, int, int]]:
    """Yield (section, key id or None, line, column) for every section of a file that contains a secret."""
    if source.document is None:
        return
    for section in source.document.sections:
        secret = None
        for entry in section.entries:
            if entry.key in SECRET_KEYS and entry.value:
                secret = entry
                break
        if secret is None:
            continue
        key_id = section.get("aws_access_key_id")
        anchor = key_id if key_id is not None else secret
        yield section.name, key_id.value if key_id is not None else None, anchor.line, anchor.column


@rule(
    "AD701", "secret-in-linted-file", Severity.ERROR,
    summary="A file linted as a file argument (a dotfile repository) contains an access key secret.",
    why="""
Files passed as arguments are usually about to be committed: dotfile
repositories, infrastructure repositories, CI fixtures. A secret access key in
such a file is readable by everyone with access to the repository and its
history, and long-term keys (AKIA...) stay valid until someone deactivates
them in IAM. Temporary keys (ASIA...) expire, but are just as usable until then.
""",
    example="""
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
""",
    fix="""
Remove the keys from the file and from the repository history, deactivate and
delete the access key in IAM, and keep only non-secret settings under version
control. Use IAM Identity Center (`aws configure sso`) or a credential_process
helper such as aws-vault instead of long-term keys.
""",
)
def secret_in_linted_file(setup: Setup) -> Iterator[Issue]:
    if setup.uses_environment:
        # In ~/.aws the credentials file is where keys belong; permissions are checked instead.
        return
    for source in setup.sources():
        for section, key_id, line, column in _secret_sections(source):
            masked = mask_key_id(key_id) if key_id else None
            if key_id is not None and key_id.strip().startswith("AKIA"):
                contents = f"the long-term access key {masked} and its secret"
                action = "deactivate and delete that access key in IAM"
            elif masked is not None:
                contents = f"the temporary access key {masked} and its secret"
                action = "let it expire or revoke the role session"
            else:
                contents = "a secret access key or session token"
                action = "rotate the credentials it belongs to"
            yield Issue(
                message=f"{source.display}: section [{section}] contains {contents}; "
                        "anyone who can read this file or its history can use it",
                hint=f"Remove the credentials from the file and from version control history, {action}, "
                     "and keep only non-secret settings in the repository.",
                location=setup.file_location(source.kind, line, column, section,
                                             section if source.kind == CREDENTIALS else None),
            )


@rule(
    "AD710", "credentials-file-permissions", Severity.WARNING,
    summary="The credentials file, or a config file that holds keys, is readable or writable by other users.",
    why="""
The shared credentials file contains secret access keys. With group or other
read permission (mode 0644, a common umask default), every user of the
machine in that group, or every user at all, can copy them. Write permission
is worse: another user can add a credential_process line to either file and
have their program run as you the next time you call AWS. The AWS CLI creates
these files with mode 0600.
""",
    example="""
$ ls -l ~/.aws/credentials
-rw-r--r--  1 alice  staff  116 ~/.aws/credentials
""",
    fix="""
Run `chmod 600 ~/.aws/credentials ~/.aws/config` and `chmod 700 ~/.aws`.
""",
    needs_environment=True,
)
def credentials_file_permissions(setup: Setup) -> Iterator[Issue]:
    for source in setup.sources():
        if source.mode is None or source.document is None:
            continue
        writable = source.mode & GROUP_OTHER_WRITE
        readable = source.mode & GROUP_OTHER_READ
        if not writable and not readable:
            continue
        holds_secrets = any(True for _ in _secret_sections(source))
        mode = f"{source.mode:04o}"
        if writable:
            yield Issue(
                message=f"{source.display} is writable by {_who(source.mode, read=False)} (mode {mode}); "
                        "they can add a credential_process line that runs their program as you",
                hint=f"Run `chmod 600 {source.display}`.",
                location=setup.file_location(source.kind),
                severity=Severity.ERROR,
            )
        elif readable and (source.kind == CREDENTIALS or holds_secrets):
            what = "the credentials file" if source.kind == CREDENTIALS else "this config file holds access keys and"
            yield Issue(
                message=f"{source.display} is readable by {_who(source.mode, read=True)} (mode {mode}); "
                        f"{what} should be private to you",
                hint=f"Run `chmod 600 {source.display}`.",
                location=setup.file_location(source.kind),
            )


@rule(
    "AD711", "aws-directory-permissions", Severity.WARNING,
    summary="The ~/.aws directory is writable by other users.",
    why="""
A user who can write to ~/.aws can replace the config or credentials file (or
the CLI caches under ~/.aws/cli and ~/.aws/sso) even when the files themselves
are private, and so choose which credentials and which credential_process you
use.
""",
    example="""
$ ls -ld ~/.aws
drwxrwxrwx  4 alice  staff  128 ~/.aws
""",
    fix="""
Run `chmod 700 ~/.aws`.
""",
    needs_environment=True,
)
def aws_directory_permissions(setup: Setup) -> Iterator[Issue]:
    directory = setup.aws_directory
    if directory is None or not directory.is_dir or not directory.mode & GROUP_OTHER_WRITE:
        return
    yield Issue(
        message=f"{directory.display} is writable by {_who(directory.mode, read=False)} "
                f"(mode {directory.mode:04o}); they can replace your AWS config, credentials and caches",
        hint=f"Run `chmod 700 {directory.display}`.",
        location=Location(kind="file", path=directory.display),
    )


@rule(
    "AD712", "file-owned-by-another-user", Severity.WARNING,
    summary="The config or credentials file, or ~/.aws, belongs to another user (often root, after sudo).",
    why="""
Running `sudo aws configure` or a root-run installer in your home directory
leaves files owned by root. With mode 0600 you can no longer read them, and
botocore then silently treats the file as empty (configparser skips files it
cannot open), so profiles vanish with no error about permissions. A file owned
by another ordinary user can also be changed by that user.
""",
    example="""
$ ls -l ~/.aws/credentials
-rw-------  1 root  root  116 ~/.aws/credentials
""",
    fix="""
Run `sudo chown -R "$USER" ~/.aws` and keep using `aws configure` without sudo.
""",
    needs_environment=True,
)
def file_owned_by_another_user(setup: Setup) -> Iterator[Issue]:
    for source in setup.sources():
        if source.uid is not None and source.uid != setup.uid:
            yield Issue(
                message=f"{source.display} belongs to user id {source.uid}, not to you (user id {setup.uid})",
                hint=f"Run `sudo chown \"$USER\" {source.display}` so that only you own and can change it.",
                location=setup.file_location(source.kind),
            )
    directory = setup.aws_directory
    if directory is not None and directory.uid != setup.uid:
        yield Issue(
            message=f"{directory.display} belongs to user id {directory.uid}, not to you (user id {setup.uid})",
            hint=f"Run `sudo chown -R \"$USER\" {directory.display}`.",
            location=Location(kind="file", path=directory.display),
        )
