"""AD1xx file rules: the reported cases, inputs TOML cannot hold, file statuses, and botocore's own behaviour.

The plain-text cases are in fixtures/rules/files.toml. Here are the inputs
that need raw bytes (invalid UTF-8, UTF-16) or a special file at the path
(directory, FIFO, symbolic link, a large file), the three reported cases
copied into fixtures/cases/, and tests that run botocore on the same input to
show that it behaves as each rule's message states.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from awsdoctor.findings import Finding, Location, Severity
from conftest import FIXTURES, AwsHome, check_files, check_setup

PARSE_FAILS = (
    'botocore raises ConfigParseError "Unable to parse config file", so every profile stops working, in both files'
)
CASES = FIXTURES / "cases"


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [finding for finding in findings if finding.rule == code]


def run(home: AwsHome, code: str, **env: str) -> list[Finding]:
    return only(check_setup(home.setup(env), (code,)), code)


# -- the reported cases --------------------------------------------------------

def case_home(tmp_path: Path, name: str) -> AwsHome:
    home = AwsHome(tmp_path)
    for kind in ("config", "credentials"):
        source = CASES / name / kind
        if source.is_file():
            home.write(**{kind: source.read_bytes()})
    return home


def test_case_inline_comment(tmp_path: Path) -> None:
    findings = check_setup(case_home(tmp_path, "020-inline-comment-in-value").setup(), ("AD1",))
    assert [(f.rule, f.severity) for f in findings] == [("AD112", Severity.ERROR)]
    assert findings[0].location == Location(
        kind="config", path="~/.aws/config", line=2, column=19, section="default", profile="default", key="region",
    )
    assert findings[0].message == (
        "profile 'default': the value of region contains an inline comment; only lines that start with # or ; "
        "are comments, so botocore reads region as 'us-west-1  # optional, to define default ...'"
    )
    assert findings[0].hint == (
        "Move the comment to a line of its own that starts with #, and leave `region = us-west-1`. "
        "The JavaScript v3 and Java v2 SDKs strip a # or ; that follows whitespace and Go v2 cuts at the first "
        "# or ;, so the same file can work there and fail in the AWS CLI and boto3."
    )


def test_case_utf8_bom(tmp_path: Path) -> None:
    findings = check_setup(case_home(tmp_path, "021-utf8-bom").setup(), ("AD1",))
    assert [(f.rule, f.severity) for f in findings] == [("AD103", Severity.ERROR)]
    assert findings[0].location == Location(kind="config", path="~/.aws/config", line=1, column=1)
    assert findings[0].message == (
        "the config file starts with a UTF-8 byte-order mark (BOM, bytes EF BB BF); botocore keeps it, so the "
        "first line is not a section header and botocore raises ConfigParseError \"Unable to parse config file\": "
        "every profile stops working, in both files"
    )


def test_case_duplicate_section(tmp_path: Path) -> None:
    findings = check_setup(case_home(tmp_path, "027-duplicate-profile-section").setup(), ("AD1",))
    assert [(f.rule, f.severity) for f in findings] == [("AD106", Severity.ERROR)]
    assert findings[0].location == Location(
        kind="config", path="~/.aws/config", line=11, column=1, section="profile test", profile="test",
    )
    assert findings[0].related == (
        Location(kind="config", path="~/.aws/config", line=4, column=1, section="profile test", profile="test"),
    )
    assert findings[0].message == (
        "section [profile test] appears twice in the config file (lines 4 and 11); botocore raises "
        "ConfigParseError \"Unable to parse config file\" for the whole file, so every profile stops working, "
        "in both files"
    )
    assert "JavaScript, Go and Java SDKs merge duplicate sections" in findings[0].hint


# -- byte-level input -----------------------------------------------------------

BYTE_CASES = {
    "latin-1 in a comment": (
        b"[default]\n# caf\xe9\nregion = eu-west-3\n", "AD102", 2, 6, "default",
        "the config file is not UTF-8: byte 0xE9 at line 2, column 6 is not valid UTF-8 (in a comment, which "
        f"botocore decodes too); {PARSE_FAILS}",
    ),
    "latin-1 in a value": (
        b"[profile dev]\nregion = eu-west-3\nrole_session_name = jos\xe9\n", "AD102", 3, 24, "profile dev",
        f"the config file is not UTF-8: byte 0xE9 at line 3, column 24 is not valid UTF-8; {PARSE_FAILS}",
    ),
    "utf-16 with byte-order mark": (
        "[default]\r\nregion = us-east-1\r\n".encode("utf-16"), "AD104", 1, 1, None,
        "the file is encoded as UTF-16 little-endian (it starts with the byte-order mark FF FE); botocore reads "
        f"it as UTF-8 and {PARSE_FAILS}",
    ),
    "utf-16 big-endian with byte-order mark": (
        b"\xfe\xff" + "[default]\n".encode("utf-16-be"), "AD104", 1, 1, None,
        "the file is encoded as UTF-16 big-endian (it starts with the byte-order mark FE FF); botocore reads "
        f"it as UTF-8 and {PARSE_FAILS}",
    ),
    "utf-16 without byte-order mark": (
        "[default]\nregion = us-east-1".encode("utf-16-le"), "AD104", 1, 1, None,
        "the file looks like UTF-16 little-endian without a byte-order mark (every second byte is NUL); botocore "
        "reads it as UTF-8, so every section and key name contains NUL characters and no profile or setting in "
        "it matches",
    ),
    "utf-16 without byte-order mark, final newline": (
        "[default]\n".encode("utf-16-le"), "AD104", 1, 1, None,
        "the file looks like UTF-16 little-endian without a byte-order mark (every second byte is NUL); botocore "
        f"reads it as UTF-8 and {PARSE_FAILS}",
    ),
}


@pytest.mark.parametrize("case", list(BYTE_CASES.values()), ids=list(BYTE_CASES))
def test_byte_input(aws_home: AwsHome, case: tuple[bytes, str, int, int, str | None, str]) -> None:
    data, code, line, column, section, message = case
    findings = run(aws_home.write(config=data), code)
    profile = None if section is None else section.removeprefix("profile ")
    assert [f.location for f in findings] == [Location(
        kind="config", path="~/.aws/config", line=line, column=column, section=section, profile=profile,
    )]
    assert findings[0].message == message


def test_utf16_no_nul_finding(aws_home: AwsHome) -> None:
    findings = check_setup(aws_home.write(config="[default]\n".encode("utf-16-le")).setup(), ("AD1",))
    assert [f.rule for f in findings] == ["AD104"]


def test_valid_utf8_accents_pass(aws_home: AwsHome) -> None:
    findings = check_setup(aws_home.write(config="# café\n[default]\nregion = eu-west-3\n").setup(), ("AD1",))
    assert findings == []


# -- file statuses ---------------------------------------------------------------

def status_message(home: AwsHome, code: str = "AD101") -> list[tuple[str, str | None, str]]:
    return [(f.severity.label, f.location.path, f.message) for f in run(home, code)]


def test_directory_at_default_path(aws_home: AwsHome) -> None:
    aws_home.config.mkdir()
    assert status_message(aws_home) == [(
        "error", "~/.aws/config",
        "~/.aws/config is a directory, not a file, so botocore silently treats the config file as empty and its "
        "profiles vanish",
    )]


def test_broken_symlink_at_default_path(aws_home: AwsHome) -> None:
    aws_home.credentials.symlink_to(aws_home.root / "gone")
    assert status_message(aws_home) == [(
        "error", "~/.aws/credentials",
        f"~/.aws/credentials is a symbolic link whose target cannot be reached (its target {aws_home.root}/gone "
        "does not exist), so botocore silently treats the credentials file as empty and its profiles vanish",
    )]


def test_symlink_loop_at_default_path(aws_home: AwsHome) -> None:
    aws_home.config.symlink_to(aws_home.config)
    assert status_message(aws_home) == [(
        "error", "~/.aws/config",
        "~/.aws/config is a symbolic link whose target cannot be reached (Too many levels of symbolic links), so "
        "botocore silently treats the config file as empty and its profiles vanish",
    )]


def test_fifo_at_default_path(aws_home: AwsHome) -> None:
    os.mkfifo(aws_home.config)
    assert status_message(aws_home) == [(
        "error", "~/.aws/config",
        "~/.aws/config is not a regular file (a FIFO, socket or device), so botocore silently treats the config "
        "file as empty and its profiles vanish",
    )]


def test_unreadable_default_path(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, which chmod 000 does not stop, so open() is made to fail.
    aws_home.write(config="[default]\n")
    real_open = open

    def deny(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path) == str(aws_home.config):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    assert status_message(aws_home) == [(
        "error", "~/.aws/config",
        "~/.aws/config cannot be read (Permission denied), so botocore silently treats the config file as empty "
        "and its profiles vanish",
    )]


def test_large_file(aws_home: AwsHome) -> None:
    with aws_home.config.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert status_message(aws_home) == [(
        "warning", "~/.aws/config",
        "the config file is 50.0 MiB, above awsdoctor's limit of 10 MiB, so it was not checked; a hand-written AWS "
        "config file is a few kilobytes",
    )]


def test_large_file_named_by_variable(aws_home: AwsHome) -> None:
    big = aws_home.root / "big"
    with big.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    findings = run(aws_home, "AD101", AWS_CONFIG_FILE=str(big))
    assert [(f.severity, f.location.path) for f in findings] == [(Severity.WARNING, str(big))]


def test_variable_paths_left_to_environment_rules(aws_home: AwsHome) -> None:
    (aws_home.root / "dir").mkdir()
    findings = run(aws_home, "AD101", AWS_CONFIG_FILE=str(aws_home.root / "dir"),
                   AWS_SHARED_CREDENTIALS_FILE=str(aws_home.root / "missing"))
    assert findings == []


def test_missing_file_argument(tmp_path: Path) -> None:
    findings = check_files(["nowhere/config"], ("AD101",), cwd=str(tmp_path))
    assert [(f.location.path, f.message) for f in findings] == [
        ("nowhere/config", "nowhere/config does not exist, so awsdoctor could not check it"),
    ]


def test_directory_argument(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    findings = check_files(["config"], ("AD101",), cwd=str(tmp_path))
    assert [f.message for f in findings] == ["config is a directory, not a file, so awsdoctor could not check it"]


# -- botocore behaves as the messages state ----------------------------------

@pytest.fixture
def botocore_home(aws_home: AwsHome, monkeypatch: pytest.MonkeyPatch) -> Iterator[AwsHome]:
    """Point botocore at the temporary files; no AWS_* variable of the test process leaks in."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(aws_home.home))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws_home.config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(aws_home.credentials))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    yield aws_home


def botocore_session(profile: str | None = None) -> Any:
    import botocore.session

    return botocore.session.Session(profile=profile)


def scoped_config(profile: str | None = None) -> dict[str, Any]:
    config: dict[str, Any] = botocore_session(profile).get_scoped_config()
    return config


FATAL_INPUTS = {
    "AD102 undecodable": b"[default]\n# caf\xe9\n",
    "AD103 bom": b"\xef\xbb\xbf[default]\nregion = eu-west-1\n",
    "AD104 utf-16": "[default]\n".encode("utf-16"),
    "AD106 duplicate section": b"[profile test]\n[profile test]\n",
    "AD107 duplicate key": b"[default]\nregion = a\nRegion = b\n",
    "AD108 bare word": b"[default]\noutput\n",
    "AD109 before header": b"region = a\n[default]\n",
    "AD110 empty key": b"[default]\n= a\n",
    "AD116 nested colon": b"[default]\ns3 =\n  addressing_style: path\n",
}


@pytest.mark.parametrize("data", list(FATAL_INPUTS.values()), ids=list(FATAL_INPUTS))
def test_botocore_rejects_config(botocore_home: AwsHome, data: bytes) -> None:
    from botocore.exceptions import ConfigParseError

    botocore_home.write(config=data, credentials="[ok]\naws_access_key_id = AKIAEXAMPLE000000001\n")
    with pytest.raises(ConfigParseError, match="Unable to parse config file"):
        scoped_config("ok")


@pytest.mark.parametrize("data", list(FATAL_INPUTS.values()), ids=list(FATAL_INPUTS))
def test_botocore_rejects_credentials(botocore_home: AwsHome, data: bytes) -> None:
    from botocore.exceptions import ConfigParseError

    # A broken credentials file also stops a profile that lives only in the config file.
    botocore_home.write(config="[profile ok]\nregion = us-east-1\n", credentials=data)
    with pytest.raises(ConfigParseError, match="Unable to parse config file"):
        scoped_config("ok")


def test_botocore_keeps_inline_comment(botocore_home: AwsHome) -> None:
    botocore_home.write(config="[default]\nregion=us-west-1  # optional\n")
    assert scoped_config()["region"] == "us-west-1  # optional"


def test_botocore_keeps_quotes(botocore_home: AwsHome) -> None:
    botocore_home.write(config='[default]\nregion = "us-east-1"\n')
    assert scoped_config()["region"] == '"us-east-1"'


def test_botocore_keeps_quoted_key_id(botocore_home: AwsHome) -> None:
    botocore_home.write(credentials='[default]\naws_access_key_id = "AKIAEXAMPLE000000016"\n'
                                    'aws_secret_access_key = "secret"\n')
    credentials = botocore_session().get_credentials()
    assert credentials.access_key == '"AKIAEXAMPLE000000016"'


def test_botocore_folds_indented_key(botocore_home: AwsHome) -> None:
    botocore_home.write(config="[default]\nregion = us-east-1\n  output = json\n")
    config = scoped_config()
    assert config["region"] == "us-east-1\noutput = json"
    assert "output" not in config


def test_botocore_leaks_default_section(botocore_home: AwsHome) -> None:
    botocore_home.write(config="[DEFAULT]\nregion = eu-west-1\n[profile dev]\n")
    assert scoped_config("dev")["region"] == "eu-west-1"


def test_botocore_default_role_breaks_keys(botocore_home: AwsHome) -> None:
    from botocore.exceptions import PartialCredentialsError

    botocore_home.write(config="[DEFAULT]\nrole_arn = arn:aws:iam::123456789012:role/admin\n[profile a]\n"
                               "aws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = x\n")
    with pytest.raises(PartialCredentialsError, match="source_profile or credential_source"):
        botocore_session("a").get_credentials()


def test_botocore_glued_header(botocore_home: AwsHome) -> None:
    botocore_home.write(config="[default]\nregion=eu-west-1[profile new]\noutput = json\n")
    session = botocore_session()
    assert session.available_profiles == ["default"]
    assert session.get_scoped_config()["region"] == "eu-west-1[profile new]"


def test_botocore_keeps_nul(botocore_home: AwsHome) -> None:
    botocore_home.write(config=b"[default]\nregion = us-east-1\x00\n")
    assert scoped_config()["region"] == "us-east-1\x00"


def test_botocore_reads_unmarked_utf16(botocore_home: AwsHome) -> None:
    botocore_home.write(config="[default]\nregion = us-east-1".encode("utf-16-le"))
    assert "default" not in botocore_session().available_profiles


def test_botocore_ignores_directory(botocore_home: AwsHome) -> None:
    botocore_home.config.mkdir()
    assert botocore_session().available_profiles == []


def test_known_keys_cover_botocore() -> None:
    from botocore.configprovider import BOTOCORE_DEFAUT_SESSION_VARIABLES

    from awsdoctor.rules.files import KNOWN_KEYS

    names: set[str] = set()
    for config_name, *_ in BOTOCORE_DEFAUT_SESSION_VARIABLES.values():
        if isinstance(config_name, str):
            names.add(config_name)
        elif isinstance(config_name, tuple):
            names.update(config_name)
    assert names - KNOWN_KEYS == set()


def test_botocore_accepts_hash_in_url(botocore_home: AwsHome) -> None:
    botocore_home.write(config="[profile sso]\nsso_start_url = https://example.awsapps.com/start#/\n")
    assert scoped_config("sso")["sso_start_url"] == "https://example.awsapps.com/start#/"


def test_botocore_folds_indented_value(botocore_home: AwsHome) -> None:
    botocore_home.write(config="[default]\nregion = us-east-1\n\tus-west-1\n")
    assert scoped_config()["region"] == "us-east-1\nus-west-1"


def test_botocore_folds_indented_header(botocore_home: AwsHome) -> None:
    botocore_home.write(config="[profile x]\nregion = us-east-1\n  [profile y]\noutput = json\n")
    assert "y" not in botocore_session().available_profiles
    assert scoped_config("x")["output"] == "json"
