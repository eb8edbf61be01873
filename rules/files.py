"""AD1xx: the files themselves: presence, encoding and INI syntax.

botocore reads ``~/.aws/config`` and ``~/.aws/credentials`` with
``botocore.configloader.raw_config_parse``: a plain
``configparser.RawConfigParser()`` (strict, ``=`` and ``:`` delimiters,
whole-line comments only) on text decoded with the locale encoding. Any
``configparser.Error`` or ``UnicodeDecodeError`` becomes ``ConfigParseError``
("Unable to parse config file: PATH"), which ``Session.full_config`` does not
catch, so one bad line in either file stops every command, whatever the
profile. The rules here point at that line, and at the lines botocore
accepts but reads differently from what the author meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from awsdoctor.findings import Location, Severity
from awsdoctor.ini import (
    BOM,
    DECODE,
    DEFAULT_SECTION,
    DUPLICATE_KEY,
    DUPLICATE_SECTION,
    EMPTY_KEY,
    MISSING_SECTION_HEADER,
    NESTED_SYNTAX,
    NO_DELIMITER,
    NUL,
    UTF16,
    ZERO_FILLED,
    Continuation,
    Entry,
    IniDocument,
    Problem,
    Section,
)
from awsdoctor.profiles import CREDENTIALS, section_target
from awsdoctor.rule import Issue, rule
from awsdoctor.setup import Setup
from awsdoctor.sources import MAX_FILE_BYTES, FileStatus, SourceFile

PARSE_ERROR = 'botocore raises ConfigParseError "Unable to parse config file"'
EVERY_PROFILE = "every profile stops working, in both files"

# Variables that configure credentials or name where they come from. Others,
# such as AWS_CA_BUNDLE or AWS_EC2_METADATA_DISABLED, only tune a setup that
# must exist anyway.
CONFIGURATION_VARIABLES = frozenset({
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
    "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CREDENTIAL_FILE",
    "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
})

SECRET_KEYS = frozenset({"aws_secret_access_key", "aws_session_token", "aws_security_token"})
CREDENTIAL_KEYS = frozenset({"aws_access_key_id", *SECRET_KEYS})
# Words in a key name (of any tool) whose value a message must not repeat.
_SECRET_WORDS = ("secret", "token", "password")

# Keys whose value is a command line split with shlex, where quotes and a
# "#" argument can be meant literally.
COMMAND_KEYS = frozenset({"credential_process"})

# Keys that decide which credentials a profile gets; under [DEFAULT] they
# change the credential provider of every profile.
IDENTITY_KEYS = frozenset({
    *CREDENTIAL_KEYS, "role_arn", "source_profile", "credential_source", "web_identity_token_file",
    "credential_process", "sso_session", "sso_account_id", "sso_role_name", "sso_start_url", "login_session",
})

# Settings botocore or the AWS CLI read from a profile, an [sso-session] or a
# [services] section. A quoted value of one of these is an error: the quotes
# reach the setting. Quotes in an unknown key may be meant for another tool.
# A test checks that every config-file name in botocore's
# BOTOCORE_DEFAUT_SESSION_VARIABLES is listed.
KNOWN_KEYS = frozenset({
    *IDENTITY_KEYS, "aws_account_id", "region", "output", "external_id", "mfa_serial", "role_session_name",
    "duration_seconds", "sso_region", "sso_registration_scopes", "ca_bundle", "endpoint_url",
    "ignore_configured_endpoint_urls", "services", "retry_mode", "max_attempts", "sts_regional_endpoints",
    "defaults_mode", "use_fips_endpoint", "use_dualstack_endpoint", "parameter_validation",
    "cli_pager", "cli_binary_format", "cli_timestamp_format", "cli_follow_urlparam", "cli_auto_prompt",
    "cli_history", "tcp_keepalive", "ec2_metadata_service_endpoint", "ec2_metadata_service_endpoint_mode",
    "ec2_metadata_v1_disabled", "imds_use_ipv6", "metadata_service_timeout", "metadata_service_num_attempts",
    "account_id_endpoint_mode", "request_min_compression_size_bytes", "disable_request_compression",
    "sigv4a_signing_region_set", "request_checksum_calculation", "response_checksum_validation",
    "auth_scheme_preference", "disable_host_prefix_injection", "api_versions", "csm_client_id",
    "csm_enabled", "csm_host", "csm_port", "data_path", "endpoint_discovery_enabled",
    "s3_disable_express_session_auth", "sdk_ua_app_id",
})

# A whitespace followed by "#" or ";": JavaScript v3 and Java v2 treat this as
# the start of an inline comment, Go v2 cuts at any "#" or ";", botocore at none.
_INLINE_COMMENT = re.compile(r"\s[#;]")
# A section header glued to the end of a value when a line was appended to a
# file without a final newline (``region=eu-west-1[new]``).
_GLUED_HEADER = re.compile(r"\S(\[(?:profile |sso-session |services )?[\w.@+=,-]+\])$")
_SETTING_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
# ``key = value`` or ``key: value``, but not a URL such as ``https://...``.
_OPTION_LINE = re.compile(r"(?P<key>[A-Za-z][A-Za-z0-9_.-]*)\s*(?:=|:(?!//))")
_QUOTES = ('"', "'")
MEBIBYTE = 1024 * 1024
_PREVIEW_LENGTH = 40


# -- places ------------------------------------------------------------------

def profile_name(kind: str, section: str) -> str | None:
    """Return the botocore profile a section of the config or credentials file defines, if any."""
    if section == DEFAULT_SECTION:
        return None
    if kind == CREDENTIALS:
        return section
    group, name = section_target(section)
    return name if group == "profiles" else None


def subject(kind: str, section: str | None) -> str:
    """Return the message prefix naming a section's profile, or the section itself."""
    if section is None:
        return f"{kind} file"
    profile = profile_name(kind, section)
    return f"profile {profile!r}" if profile is not None else f"section [{section}]"


def place(setup: Setup, kind: str, line: int, column: int, section: str | None = None,
          key: str | None = None) -> Location:
    profile = None if section is None else profile_name(kind, section)
    return setup.file_location(kind, line, column, section, profile, key)


def documents(setup: Setup) -> Iterator[tuple[str, IniDocument]]:
    for source in setup.sources():
        if source.document is not None:
            yield source.kind, source.document


def problems(setup: Setup, kind_name: str) -> Iterator[tuple[str, IniDocument, Problem]]:
    for kind, document in documents(setup):
        for problem in document.problems:
            if problem.kind == kind_name:
                yield kind, document, problem


def entries(document: IniDocument) -> Iterator[tuple[Section, Entry]]:
    """Yield every entry with its section, none for a UTF-16 file read as UTF-8 (its names are garbled)."""
    if any(problem.kind == UTF16 for problem in document.problems):
        return
    for section in document.sections:
        for entry in section.entries:
            yield section, entry


class ValueCandidates(NamedTuple):
    """The entries of one file that the value rules could report, found in one pass over the file.

    Each rule below looks at its own list only: on a large, clean file all
    four are empty, and no rule walks every line.
    """

    continued: list[tuple[Section, Entry]]  # with continuation lines (AD111)
    commented: list[tuple[Section, Entry]]  # a '#' or ';' in the value (AD112)
    quoted: list[tuple[Section, Entry]]  # the value starts with a quote mark (AD113)
    bracketed: list[tuple[Section, Entry]]  # the value ends with ']' or is folded (AD115)


def value_candidates(setup: Setup, kind: str) -> ValueCandidates:
    """Return the candidate entries of the ``kind`` file, built once per Setup."""
    return setup.derived("files.candidates", _collect_candidates)[kind]


def _collect_candidates(setup: Setup) -> dict[str, ValueCandidates]:
    found: dict[str, ValueCandidates] = {}
    for kind, document in documents(setup):
        continued, commented, quoted, bracketed = lists = ValueCandidates([], [], [], [])
        found[kind] = lists
        if any(problem.kind == UTF16 for problem in document.problems):
            continue  # as entries(): the names of a UTF-16 file read as UTF-8 are garbled
        for section in document.sections:
            for entry in section.entries:
                value = entry.value
                if entry.continuations:
                    continued.append((section, entry))
                    bracketed.append((section, entry))
                elif value.endswith("]"):
                    bracketed.append((section, entry))
                if "#" in value or ";" in value:
                    commented.append((section, entry))
                if value[:1] in _QUOTES:
                    quoted.append((section, entry))
    return found


def section_at(document: IniDocument, line: int) -> Section | None:
    """Return the section whose header is the last one at or above ``line``."""
    found = None
    for section in document.sections:
        if section.line > line:
            break
        found = section
    return found


def hides_value(key: str) -> bool:
    """Return True for keys whose value no message may show: key ids, secrets, tokens, passwords."""
    return key in CREDENTIAL_KEYS or any(word in key for word in _SECRET_WORDS)


def preview(text: str) -> str:
    """Quote a value for a message, shortened to a readable length."""
    if len(text) > _PREVIEW_LENGTH:
        text = text[:_PREVIEW_LENGTH].rstrip() + " ..."
    return repr(text)


# -- presence ------------------------------------------------------------------

@rule(
    "AD100", "no-configuration", Severity.INFO,
    summary="No AWS configuration at all: neither file exists and no credential, profile or role variable is set.",
    why="""
Without a config file, a credentials file or credentials in the environment,
every AWS CLI or SDK call fails with NoCredentialsError unless it runs on an
EC2 instance, in a container with a task role, or under another tool that
injects credentials. Variables such as AWS_CA_BUNDLE or
AWS_EC2_METADATA_DISABLED only tune such a setup and do not count.
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
    if any(source.status != FileStatus.MISSING or source.origin != "default" for source in setup.sources()):
        return
    if any(name in CONFIGURATION_VARIABLES for name in setup.env):
        return
    yield Issue(
        message="no AWS configuration found: ~/.aws/config and ~/.aws/credentials do not exist "
                "and no credential, profile, role or container variable is set",
        hint="Nothing to check. Run `aws configure` or `aws configure sso` to create a profile.",
        location=setup.file_location("config"),
    )


_STATUS_PROBLEMS = {
    FileStatus.MISSING: "does not exist",
    FileStatus.DIRECTORY: "is a directory, not a file",
    FileStatus.NOT_A_FILE: "is not a regular file (a FIFO, socket or device)",
    FileStatus.BROKEN_SYMLINK: "is a symbolic link whose target cannot be reached",
    FileStatus.UNREADABLE: "cannot be read",
}


def _status_problem(source: SourceFile) -> str | None:
    text = _STATUS_PROBLEMS.get(source.status)
    if text is not None and source.detail and source.status != FileStatus.MISSING:
        text += f" ({source.detail})"
    return text


@rule(
    "AD101", "file-unreadable", Severity.ERROR,
    summary="The config or credentials file is a directory, a broken link, unreadable or not a regular file.",
    why="""
raw_config_parse (botocore/configloader.py) treats a path that is not a
regular file as absent (os.path.isfile, then ConfigNotFound, which
Session.full_config swallows), and configparser's read() skips a file it
cannot open. Either way botocore carries on as if the file were empty:
its profiles vanish without an error, and a command that names one fails
with ProfileNotFound. A missing file at the default ~/.aws path is normal
and not reported; paths set by AWS_CONFIG_FILE or
AWS_SHARED_CREDENTIALS_FILE are checked by the environment rules (AD6xx).
""",
    example="""
# ~/.aws/config is a directory, or readable by another user only
""",
    fix="""
Make the path a regular file readable by the user who runs the AWS CLI,
or repair the symbolic link.
""",
)
def file_unreadable(setup: Setup) -> Iterator[Issue]:
    for source in setup.sources():
        location = Location(kind=source.kind, path=source.display or None)
        if source.status == FileStatus.TOO_LARGE:
            size = f"{source.size / MEBIBYTE:.1f} MiB" if source.size is not None else "too large"
            yield Issue(
                message=f"the {source.kind} file is {size}, above awsdoctor's limit of "
                        f"{MAX_FILE_BYTES // MEBIBYTE} MiB, so it was not checked; a hand-written AWS "
                        f"{source.kind} file is a few kilobytes",
                hint="Check that the path names the right file; botocore would read all of it on every command.",
                location=location,
                severity=Severity.WARNING,
            )
            continue
        # The environment rules report paths that AWS_* variables set.
        if source.origin not in ("default", "argument"):
            continue
        if source.status == FileStatus.MISSING and source.origin == "default":
            continue
        problem = _status_problem(source)
        if problem is None:
            continue
        if source.origin == "argument":
            consequence = "so awsdoctor could not check it"
        else:
            consequence = f"so botocore silently treats the {source.kind} file as empty and its profiles vanish"
        if source.status == FileStatus.MISSING:
            hint = f"Check the path {source.display}: no file exists there."
        else:
            hint = f"Make {source.display} a regular file that the user running the AWS CLI can read."
        yield Issue(message=f"{source.display} {problem}, {consequence}", hint=hint, location=location)


# -- encoding ------------------------------------------------------------------

@rule(
    "AD102", "undecodable-bytes", Severity.ERROR,
    summary="The file contains bytes that are not valid UTF-8, even if only in a comment.",
    why="""
raw_config_parse opens the file with the locale's encoding (UTF-8 on Linux,
macOS and CI runners) and strict error handling, so one invalid byte, even
inside a # comment, raises UnicodeDecodeError, which botocore turns into
ConfigParseError "Unable to parse config file". Every command then fails,
whatever the profile. Latin-1 or Windows-1252 accents (é saved as E9) are
the usual cause.
""",
    example="""
# café (saved as Latin-1: byte E9)
[default]
region = eu-west-3
""",
    fix="""
Re-save the file as UTF-8, or remove the non-ASCII characters: AWS
documents both files as ASCII text.
""",
)
def undecodable_bytes(setup: Setup) -> Iterator[Issue]:
    for kind, document, problem in problems(setup, DECODE):
        section = section_at(document, problem.line)
        in_comment = any(comment.line == problem.line for comment in document.comments)
        where = " (in a comment, which botocore decodes too)" if in_comment else ""
        yield Issue(
            message=f"the {kind} file is not UTF-8: {problem.message}{where}; {PARSE_ERROR}, so {EVERY_PROFILE}",
            hint="Re-save the file as UTF-8, or replace the character with plain ASCII.",
            location=place(setup, kind, problem.line, problem.column, section.name if section else None),
        )


@rule(
    "AD103", "utf8-bom", Severity.ERROR,
    summary="The file starts with a UTF-8 byte-order mark (BOM).",
    why="""
botocore decodes the file as plain UTF-8, which keeps the byte-order mark
(EF BB BF) as the character U+FEFF. The first line is then not a section
header, configparser raises MissingSectionHeaderError and botocore
ConfigParseError "Unable to parse config file": every command fails. Windows
editors that save "UTF-8 with BOM", and PowerShell's Out-File -Encoding utf8
in Windows PowerShell 5, write this mark.
""",
    example="""
# the file starts with the bytes EF BB BF, invisible in most editors
[default]
region = eu-west-1
""",
    fix="""
Save the file as UTF-8 without BOM (in VS Code: "Save with Encoding", UTF-8;
in PowerShell 7: Out-File -Encoding utf8NoBOM).
""",
)
def utf8_bom(setup: Setup) -> Iterator[Issue]:
    for kind, _, problem in problems(setup, BOM):
        yield Issue(
            message=f"the {kind} file starts with a UTF-8 byte-order mark (BOM, bytes EF BB BF); botocore keeps "
                    f"it, so the first line is not a section header and {PARSE_ERROR}: {EVERY_PROFILE}",
            hint="Save the file as UTF-8 without BOM, or delete the first three bytes "
                 "(sed -i '1s/^\\xEF\\xBB\\xBF//' FILE).",
            location=place(setup, kind, problem.line, problem.column),
        )


@rule(
    "AD104", "utf16-encoding", Severity.ERROR,
    summary="The file is encoded as UTF-16 instead of UTF-8.",
    why="""
botocore reads the file as UTF-8. A UTF-16 byte-order mark (FF FE or FE FF)
is invalid UTF-8, so botocore raises ConfigParseError "Unable to parse
config file". Without the mark, ASCII text in UTF-16 is valid UTF-8 with a
NUL byte next to every character: botocore may parse it, but every section
and key name then contains NUL characters, so no profile and no setting
matches. Windows PowerShell 5 writes UTF-16 with `>` and Out-File.
""",
    example="""
# bytes FF FE 5B 00 64 00 65 00 ... ("[de..." in UTF-16 little-endian)
""",
    fix="""
Convert the file to UTF-8, e.g. iconv -f UTF-16 -t UTF-8, or in PowerShell
Get-Content FILE | Set-Content -Encoding ascii FILE.
""",
)
def utf16_encoding(setup: Setup) -> Iterator[Issue]:
    for kind, _, problem in problems(setup, UTF16):
        if problem.fatal:
            consequence = f"botocore reads it as UTF-8 and {PARSE_ERROR}, so {EVERY_PROFILE}"
        else:
            consequence = ("botocore reads it as UTF-8, so every section and key name contains NUL characters "
                           "and no profile or setting in it matches")
        yield Issue(
            message=f"{problem.message}; {consequence}",
            hint="Convert the file to UTF-8: iconv -f UTF-16 -t UTF-8 FILE > FILE.new, then replace FILE.",
            location=place(setup, kind, problem.line, problem.column),
        )


@rule(
    "AD105", "nul-byte", Severity.ERROR,
    summary="The file contains a NUL byte.",
    why="""
configparser keeps a NUL (0x00) as an ordinary character, so a key, section
name or value with one in it is not the name or value it looks like: a
setting is silently unknown, or a value reaches AWS with the NUL inside. A
NUL usually comes from a damaged file or a binary paste.
""",
    example="""
[default]
region = us-east-1\\0
""",
    fix="""
Remove the NUL byte (tr -d '\\000' < FILE > FILE.new), then check the line.
""",
)
def nul_byte(setup: Setup) -> Iterator[Issue]:
    for kind, _, problem in problems(setup, ZERO_FILLED):
        yield Issue(
            message=problem.message,
            hint="Restore the file from a backup, or delete it and run `aws configure` again.",
            location=place(setup, kind, problem.line, problem.column, None),
        )
    for kind, document, problem in problems(setup, NUL):
        section = section_at(document, problem.line)
        in_comment = any(comment.line == problem.line for comment in document.comments)
        where = "in a comment" if in_comment else "which botocore keeps as part of the name or value"
        yield Issue(
            message=f"line {problem.line} contains a NUL byte (0x00) at column {problem.column}, {where}",
            hint="Delete the NUL byte; it is invisible in most editors (tr -d '\\000' < FILE > FILE.new).",
            location=place(setup, kind, problem.line, problem.column, section.name if section else None),
            severity=Severity.WARNING if in_comment else None,
        )


# -- structure -------------------------------------------------------------------

@rule(
    "AD106", "duplicate-section", Severity.ERROR,
    summary="A section header appears twice in one file.",
    why="""
botocore's RawConfigParser is strict: a second [profile x] in the same file
raises DuplicateSectionError, reported only as ConfigParseError "Unable to
parse config file" without a line number, and every command fails. The
JavaScript v3, Go v2 and Java v2 SDKs merge the two sections instead, so the
same file can work for them and fail in the AWS CLI and boto3.
""",
    example="""
[profile test]
region = eu-central-1

[profile test]
output = json
""",
    fix="""
Merge the two sections into one and delete the other.
""",
)
def duplicate_section(setup: Setup) -> Iterator[Issue]:
    for kind, document, problem in problems(setup, DUPLICATE_SECTION):
        name = problem.section or ""
        first = next(section for section in document.sections if section.name == name)
        yield Issue(
            message=f"section [{name}] appears twice in the {kind} file (lines {first.line} and {problem.line}); "
                    f"{PARSE_ERROR} for the whole file, so {EVERY_PROFILE}",
            hint=f"Merge the keys of both [{name}] sections into the first one and delete the second. "
                 "The JavaScript, Go and Java SDKs merge duplicate sections instead, which is why the file "
                 "may work in other tools.",
            location=place(setup, kind, problem.line, problem.column, name),
            related=(place(setup, kind, first.line, first.column, name),),
        )


@rule(
    "AD107", "duplicate-key", Severity.ERROR,
    summary="A key appears twice in one section (key names are case-insensitive).",
    why="""
configparser lower-cases key names and, being strict, raises
DuplicateOptionError for a second `region` (or `Region`) in the same
section, which botocore reports as ConfigParseError "Unable to parse config
file": every command fails. Two [DEFAULT] sections count as one section.
""",
    example="""
[default]
region = us-east-1
Region = eu-west-1
""",
    fix="""
Keep one of the two lines.
""",
)
def duplicate_key(setup: Setup) -> Iterator[Issue]:
    for kind, document, problem in problems(setup, DUPLICATE_KEY):
        section = section_at(document, problem.line)
        # A key repeated inside a repeated section is part of that duplicate (AD106).
        if section is None or (section.occurrence > 1 and section.name != DEFAULT_SECTION):
            continue
        first = next(
            entry for candidate in document.sections if candidate.name == section.name
            for entry in candidate.entries if entry.key == problem.key
        )
        yield Issue(
            message=f"{subject(kind, section.name)}: key {problem.key} appears twice (lines {first.line} and "
                    f"{problem.line}); {PARSE_ERROR} for the whole file, so {EVERY_PROFILE}",
            hint=f"Delete one of the two {problem.key} lines (key names are case-insensitive).",
            location=place(setup, kind, problem.line, problem.column, section.name, problem.key),
            related=(place(setup, kind, first.line, first.column, section.name, problem.key),),
        )


@rule(
    "AD108", "line-without-delimiter", Severity.ERROR,
    summary="A line inside a section has no '=' or ':', so it is neither a key nor a comment.",
    why="""
botocore's RawConfigParser does not allow keys without values
(allow_no_value=False): a bare word such as `output` raises ParsingError,
reported as ConfigParseError "Unable to parse config file", and every
command fails.
""",
    example="""
[default]
output
""",
    fix="""
Write the line as `key = value`, start it with # to make it a comment, or
delete it.
""",
)
def line_without_delimiter(setup: Setup) -> Iterator[Issue]:
    for kind, document, problem in problems(setup, NO_DELIMITER):
        text = document.lines[problem.line - 1].strip()
        # Show the line only when it looks like a setting name, never a pasted secret.
        shown = f" ({text!r})" if _SETTING_NAME.fullmatch(text) else ""
        yield Issue(
            message=f"{subject(kind, problem.section)}: line {problem.line}{shown} has no '=' or ':', so it is "
                    f"neither a key nor a comment; {PARSE_ERROR}, so {EVERY_PROFILE}",
            hint="Write it as `key = value`, put # at its start to make it a comment, or delete it.",
            location=place(setup, kind, problem.line, problem.column, problem.section),
        )


@rule(
    "AD109", "line-before-section-header", Severity.ERROR,
    summary="A key or other text comes before the first [section] header.",
    why="""
configparser needs a section header before the first key: otherwise it
raises MissingSectionHeaderError ("File contains no section headers"),
which botocore reports as ConfigParseError "Unable to parse config file",
and every command fails.
""",
    example="""
region = us-east-1
[default]
output = json
""",
    fix="""
Move the line into a section, e.g. under [default], or delete it.
""",
)
def line_before_section_header(setup: Setup) -> Iterator[Issue]:
    for kind, _, problem in problems(setup, MISSING_SECTION_HEADER):
        yield Issue(
            message=f"line {problem.line} of the {kind} file comes before any [section] header; "
                    f"{PARSE_ERROR} (File contains no section headers), so {EVERY_PROFILE}",
            hint="Move the line under the section it belongs to (e.g. [default]), or delete it.",
            location=place(setup, kind, problem.line, problem.column),
        )


@rule(
    "AD110", "empty-key", Severity.ERROR,
    summary="A line has a value but no key before '=' or ':'.",
    why="""
configparser records a line such as `= us-east-1` as a ParsingError, which
botocore reports as ConfigParseError "Unable to parse config file": every
command fails.
""",
    example="""
[default]
= us-east-1
""",
    fix="""
Write the key name before the '=' (e.g. `region = us-east-1`), or delete
the line.
""",
)
def empty_key(setup: Setup) -> Iterator[Issue]:
    for kind, document, problem in problems(setup, EMPTY_KEY):
        line = document.lines[problem.line - 1]
        delimiter = next((character for character in line if character in "=:"), "=")
        yield Issue(
            message=f"{subject(kind, problem.section)}: line {problem.line} has a value but no key before "
                    f"'{delimiter}'; {PARSE_ERROR}, so {EVERY_PROFILE}",
            hint=f"Write the key name before '{delimiter}', or delete the line.",
            location=place(setup, kind, problem.line, problem.column, problem.section),
        )


@rule(
    "AD111", "indented-key-line", Severity.ERROR,
    summary="An indented line (a `key = value` line, a section header or a value) is folded into the value above it.",
    why="""
configparser treats a line that starts with whitespace as a continuation of
the previous value and joins it with a newline. `region = us-east-1`
followed by an indented `output = json` gives region the value
"us-east-1\\noutput = json" (an invalid region) and leaves output unset; an
indented `[profile dev]` header disappears the same way, and the keys below
it stay in the section above. Only a key with an empty value (`s3 =`) may be
followed by indented lines: botocore reads those as a nested block. A
credential_process command may go on over several lines, because botocore
splits it on any whitespace, newlines included.
""",
    example="""
[default]
region = us-east-1
  output = json
""",
    fix="""
Remove the indentation so that the line starts in the first column.
""",
)
def indented_key_line(setup: Setup) -> Iterator[Issue]:
    for kind, _ in documents(setup):
        for section, entry in value_candidates(setup, kind).continued:
            if not entry.first_line_value:
                continue  # a nested block such as s3 =
            for continuation in entry.continuations:
                match = _OPTION_LINE.match(continuation.text)
                if match is None:
                    if continuation.text and entry.key in KNOWN_KEYS and entry.key not in COMMAND_KEYS:
                        yield _folded_line_issue(setup, kind, section, entry, continuation)
                    continue
                lost = match.group("key").lower()
                yield Issue(
                    message=f"{subject(kind, section.name)}: line {continuation.line} is indented, so botocore "
                            f"folds it into the value of {entry.key} (line {entry.line}) and key {lost} is "
                            f"never set",
                    hint=f"Remove the indentation before {match.group('key')} on line {continuation.line}.",
                    location=place(setup, kind, continuation.line, continuation.column, section.name, entry.key),
                    related=(place(setup, kind, entry.line, entry.column, section.name, entry.key),),
                )


def _folded_line_issue(setup: Setup, kind: str, section: Section, entry: Entry, continuation: Continuation) -> Issue:
    """Describe an indented line that is not ``key = value``: a section header, or more text for the value."""
    text = continuation.text
    header = text if text.startswith("[") and text.endswith("]") and len(text) > 2 else None
    if header is not None:
        message = (f"the section header {header} on line {continuation.line} is indented, so botocore folds it "
                   f"into the value of {entry.key} (line {entry.line}): section {header} does not exist and the "
                   f"keys below it belong to [{section.name}]")
    else:
        shown = "" if hides_value(entry.key) else f", and the value becomes {preview(entry.value)}"
        message = (f"line {continuation.line} is indented, so botocore appends it to the value of {entry.key} "
                   f"(line {entry.line}) on a new line{shown}")
    return Issue(
        message=f"{subject(kind, section.name)}: {message}",
        hint=f"Remove the indentation on line {continuation.line}, or the line if it was not meant to be there.",
        location=place(setup, kind, continuation.line, continuation.column, section.name, entry.key),
        related=(place(setup, kind, entry.line, entry.column, section.name, entry.key),),
    )


# -- values ----------------------------------------------------------------------

def _comment_start(text: str, key: str) -> int | None:
    """Return the index of the "#" or ";" that starts an inline comment in ``text``, or None.

    In a command line (credential_process) a "#" inside quotes is an argument.
    """
    if text[:1] in ("#", ";"):
        # `region = # none` gives region the value "# none", not an empty value.
        return 0
    if key not in COMMAND_KEYS:
        match = _INLINE_COMMENT.search(text)
        return None if match is None else match.start() + 1
    # One pass that tracks the open quote, so a long command stays linear.
    quote = None
    for index, character in enumerate(text):
        if quote is not None:
            if character == quote:
                quote = None
        elif character in _QUOTES:
            quote = character
        elif character in "#;" and index > 0 and text[index - 1].isspace():
            return index
    return None


@rule(
    "AD112", "inline-comment-in-value", Severity.ERROR,
    summary="A '# comment' or '; comment' after a value is part of the value.",
    why="""
botocore's RawConfigParser has no inline comments
(inline_comment_prefixes=None): only lines that start with # or ; are
comments. `region = us-west-1  # optional` therefore sets region to
"us-west-1  # optional", and the first client fails with InvalidRegionError.
Go v2 cuts values at any # or ;, and JavaScript v3 and Java v2 at a # or ;
after whitespace, so the same file can work in other tools. A # without
whitespace before it (sso_start_url = https://example.awsapps.com/start#/)
is not flagged; in credential_process a # inside quotes is an argument.
""",
    example="""
[default]
region = us-west-1  # optional, to define default region for this profile
""",
    fix="""
Move the comment to a line of its own that starts with #.
""",
)
def inline_comment_in_value(setup: Setup) -> Iterator[Issue]:
    for kind, _ in documents(setup):
        for section, entry in value_candidates(setup, kind).commented:
            pieces = [(entry.line, entry.value_column, entry.first_line_value)]
            pieces.extend((item.line, item.column, item.text) for item in entry.continuations)
            for line, column, text in pieces:
                start = _comment_start(text, entry.key)
                if start is None:
                    continue
                name, value, offset = entry.key, text, 0
                if not entry.first_line_value and "=" in text[:start]:
                    # A line of a nested block such as s3 =: botocore splits it on the first "=".
                    nested_key, value = text.split("=", 1)
                    name = f"{nested_key.strip()} in the {entry.key} block"
                    offset = len(text) - len(value.lstrip())
                    value = value.strip()
                yield _inline_comment_issue(
                    setup, kind, section, entry, line, column + start, name, value, start - offset,
                )


def _inline_comment_issue(setup: Setup, kind: str, section: Section, entry: Entry, line: int, column: int,
                          name: str, value: str, start: int) -> Issue:
    """Describe an inline comment that starts at index ``start`` of ``value``, the value of setting ``name``."""
    kept = value[:start].rstrip()
    command = entry.key in COMMAND_KEYS
    if hides_value(entry.key):
        # Never quote a credential value.
        outcome = f"the {entry.key} includes the comment"
        if entry.key in CREDENTIAL_KEYS:
            outcome += " and AWS rejects the request"
        hint = f"Move the comment to a line of its own above {entry.key}."
    else:
        outcome = f"botocore reads {name} as {preview(value)}"
        if command:
            outcome += " and passes the comment words to the program as arguments"
        if entry.continuations:
            hint = "Move the comment to a line of its own that starts with #."
        elif not kept:
            hint = f"Move the comment to a line of its own that starts with #, and give {entry.key} a value."
        else:
            hint = f"Move the comment to a line of its own that starts with #, and leave `{entry.key} = {kept}`."
    # The same line means something else in the other SDKs (their INI readers differ).
    hint += (" The JavaScript v3 and Java v2 SDKs strip a # or ; that follows whitespace and Go v2 cuts at the "
             "first # or ;, so the same file can work there and fail in the AWS CLI and boto3.")
    return Issue(
        message=f"{subject(kind, section.name)}: the value of {name} contains an inline comment; "
                f"only lines that start with # or ; are comments, so {outcome}",
        hint=hint,
        location=place(setup, kind, line, column, section.name, entry.key),
        severity=Severity.WARNING if command else None,
    )


@rule(
    "AD113", "quoted-value", Severity.ERROR,
    summary="A value is wrapped in quotes, which botocore keeps as part of it.",
    why="""
configparser does not remove quotes: `region = "us-east-1"` sets region to
"us-east-1" including the quote marks, so botocore raises
InvalidRegionError; a quoted access key id or secret is sent with the quotes
and AWS rejects the signature; `cli_pager = ""` makes the AWS CLI run a
program named "". Go v2 strips the quotes, so the same file can work there.
Quotes in credential_process are fine: botocore splits that command line
with shlex.
""",
    example="""
[default]
region = "us-east-1"
aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"
""",
    fix="""
Remove the quote marks around the value.
""",
)
def quoted_value(setup: Setup) -> Iterator[Issue]:
    for kind, _ in documents(setup):
        for section, entry in value_candidates(setup, kind).quoted:
            value = entry.first_line_value
            if entry.key in COMMAND_KEYS or len(value) < 2 or value[-1] != value[0]:
                continue
            if entry.key in CREDENTIAL_KEYS:
                what = f"the {entry.key} is sent with the quote characters and AWS rejects the request"
            elif hides_value(entry.key):
                what = f"{entry.key} includes the quote characters"
            elif entry.key == "cli_pager" and value in ('""', "''"):
                what = f"the AWS CLI tries to run a program named {value} instead of turning the pager off"
            else:
                what = f"{entry.key} is {value!r}, quote characters included"
            known = entry.key in KNOWN_KEYS
            fix = "`cli_pager =`" if entry.key == "cli_pager" and len(value) == 2 else "the value without quotes"
            yield Issue(
                message=f"{subject(kind, section.name)}: the value of {entry.key} is in quotes; botocore keeps "
                        f"quote marks as part of the value, so {what}",
                hint=f"Remove the quote marks: write {fix}. The Go v2 SDK strips surrounding quotes, while the "
                     "JavaScript v3 and Java v2 SDKs keep them as botocore does.",
                location=place(setup, kind, entry.line, entry.value_column, section.name, entry.key),
                severity=None if known else Severity.WARNING,
            )


@rule(
    "AD114", "default-section-keys", Severity.WARNING,
    summary="Keys under the upper-case [DEFAULT] section are inherited by every section of the file.",
    why="""
configparser treats [DEFAULT] (upper case) as defaults for every other
section of the same file, including [sso-session] and [services] sections.
It is not the default profile ([default]). A region there is merely
inherited everywhere; a role_arn or access key turns every profile into a
role or key profile, so profiles that use other credentials fail, for
example with PartialCredentialsError "missing: source_profile or
credential_source".
""",
    example="""
[DEFAULT]
role_arn = arn:aws:iam::123456789012:role/admin

[profile dev]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = ...
""",
    fix="""
Rename [DEFAULT] to [default] if you meant the default profile; otherwise
move each key into the profiles that need it.
""",
)
def default_section_keys(setup: Setup) -> Iterator[Issue]:
    for kind, document in documents(setup):
        if not document.find_section(DEFAULT_SECTION):
            continue
        others = sorted({section.name for section in document.sections if section.name != DEFAULT_SECTION})
        for section in document.sections:
            if section.name != DEFAULT_SECTION:
                continue
            for entry in section.entries:
                identity = entry.key in IDENTITY_KEYS
                if others:
                    named = ", ".join(f"[{name}]" for name in others[:3])
                    if len(others) > 3:
                        named += f" and {len(others) - 3} more"
                    reach = f"every other section of the {kind} file inherits it ({named})"
                    if identity:
                        reach += ", which changes the credentials every profile in the file uses"
                else:
                    reach = f"no other section of the {kind} file exists, so it reaches no profile at all"
                yield Issue(
                    message=f"key {entry.key} is under the upper-case [DEFAULT] section, which is not the "
                            f"default profile: {reach}",
                    hint=f"If you meant the default profile, rename [DEFAULT] to [default]; otherwise move "
                         f"{entry.key} into the profiles that need it.",
                    location=place(setup, kind, entry.line, entry.column, DEFAULT_SECTION, entry.key),
                    severity=Severity.ERROR if identity and others else None,
                )


@rule(
    "AD115", "header-glued-to-value", Severity.ERROR,
    summary="A [section] header is stuck to the end of the previous line's value.",
    why="""
When a tool appends a section to a file that does not end with a newline,
the new header lands on the last line: `region=eu-west-1[new]`. configparser
reads it as part of the value, so region is invalid, the section [new]
does not exist, and its keys are added to the section above.
""",
    example="""
[default]
region=eu-west-1[profile new]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
""",
    fix="""
Insert a line break before the '[' so that the header starts its own line.
""",
)
def header_glued_to_value(setup: Setup) -> Iterator[Issue]:
    for kind, _ in documents(setup):
        # Every header this rule looks for ends the (first line of the) value with "]".
        for section, entry in value_candidates(setup, kind).bracketed:
            if entry.key in COMMAND_KEYS:
                continue
            value = entry.first_line_value
            match = _GLUED_HEADER.search(value)
            if match is None:
                continue
            comment = _INLINE_COMMENT.search(value)
            if comment is not None and comment.start() < match.start(1):
                continue  # "[AD3]" in "eu-west-1 # awsdoctor: ignore[AD3]" is comment text; AD112 reports it.
            header = match.group(1)
            column = entry.value_column + match.start(1)
            shown = "" if hides_value(entry.key) else f" (botocore reads {preview(value)})"
            yield Issue(
                message=f"{subject(kind, section.name)}: the section header {header} is glued to the end of "
                        f"the {entry.key} value on line {entry.line}{shown}, so section {header} does not exist "
                        f"and the keys below it belong to [{section.name}]",
                hint=f"Insert a line break before {header} so that it starts its own line.",
                location=place(setup, kind, entry.line, column, section.name, entry.key),
            )


@rule(
    "AD116", "nested-line-without-equals", Severity.ERROR,
    summary="A line of a nested block (such as s3 =) has no '='.",
    why="""
When a key has an empty value followed by indented lines (`s3 =` and then
`  addressing_style = path`), botocore splits each of those lines on '='
(_parse_nested in botocore/configloader.py). A line without '=' raises
ValueError, which becomes ConfigParseError "Unable to parse config file";
every command fails. A ':' does not work there, although configparser
accepts it for ordinary keys.
""",
    example="""
[default]
s3 =
  addressing_style: path
""",
    fix="""
Write the nested line as `name = value`.
""",
)
def nested_line_without_equals(setup: Setup) -> Iterator[Issue]:
    for kind, _, problem in problems(setup, NESTED_SYNTAX):
        yield Issue(
            message=f"{subject(kind, problem.section)}: line {problem.line} of the nested {problem.key} block has "
                    f"no '='; {PARSE_ERROR}, so {EVERY_PROFILE}",
            hint="Write the nested line as `name = value` (with '=', not ':').",
            location=place(setup, kind, problem.line, problem.column, problem.section, problem.key),
        )
