"""Bad input on disk: every case gives a status or a problem, never an exception, and a clear CLI finding.

The in-process tests call :func:`read_source` directly. The CLI tests run
``python -m awsdoctor check`` in a subprocess with HOME at a temporary
directory and AWS_CONFIG_FILE (or ~/.aws/config) at the file, and check the
exit status, stdout and stderr together.

Tests run as root, which ``chmod 000`` does not stop. The unreadable-file CLI
tests therefore run awsdoctor under ``setpriv`` with CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH removed from the bounding set, so that even root is
refused. Without a usable setpriv they are skipped; the in-process tests here
and in tests/rules/test_files.py make ``open`` raise PermissionError instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from awsdoctor import ini
from awsdoctor.sources import FileStatus, SourceFile, parse_bytes, read_source

BIG = 50 * 1024 * 1024


def read(path: Path | str) -> SourceFile:
    return read_source("config", str(path), str(path), "AWS_CONFIG_FILE")


def kinds(source: SourceFile) -> list[tuple[str, bool]]:
    assert source.document is not None
    return [(problem.kind, problem.fatal) for problem in source.document.problems]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- read_source --------------------------------------------------------------

BYTE_INPUTS = {
    "undecodable byte": (b"[default]\nregion = caf\xe9\n", [(ini.DECODE, True)]),
    "undecodable byte in a comment": (b"# caf\xe9\n[default]\n", [(ini.DECODE, True)]),
    "utf-8 bom": (b"\xef\xbb\xbf[default]\n", [(ini.BOM, True)]),
    "utf-16 with bom": ("[default]\n".encode("utf-16"), [(ini.UTF16, True)]),
    "utf-16 without bom": ("[default]\nregion = a".encode("utf-16-le"), [(ini.UTF16, False)]),
    "nul byte": (b"[default]\nregion = a\x00\n", [(ini.NUL, False)]),
    "empty file": (b"", []),
}


@pytest.mark.parametrize("case", list(BYTE_INPUTS.values()), ids=list(BYTE_INPUTS))
def test_byte_problems(tmp_path: Path, case: tuple[bytes, list[tuple[str, bool]]]) -> None:
    data, expected = case
    source = read(write(tmp_path / "config", data))
    assert source.status == FileStatus.OK
    assert kinds(source) == expected


def test_empty_file_has_no_sections(tmp_path: Path) -> None:
    source = read(write(tmp_path / "config", b""))
    assert source.document is not None
    assert source.document.sections == ()


def test_directory(tmp_path: Path) -> None:
    assert read(tmp_path).status == FileStatus.DIRECTORY


def test_missing_file(tmp_path: Path) -> None:
    assert read(tmp_path / "nothing").status == FileStatus.MISSING


def test_empty_path() -> None:
    assert read("").status == FileStatus.EMPTY_PATH


def test_broken_symlink(tmp_path: Path) -> None:
    (tmp_path / "config").symlink_to(tmp_path / "gone")
    source = read(tmp_path / "config")
    assert source.status == FileStatus.BROKEN_SYMLINK
    assert source.detail == f"its target {tmp_path}/gone does not exist"


def test_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "config").symlink_to(tmp_path / "config")
    source = read(tmp_path / "config")
    assert source.status == FileStatus.BROKEN_SYMLINK
    assert source.detail == "Too many levels of symbolic links"


def test_fifo_not_opened(tmp_path: Path) -> None:
    # Opening a FIFO without a writer would block; the status comes from stat alone.
    os.mkfifo(tmp_path / "config")
    assert read(tmp_path / "config").status == FileStatus.NOT_A_FILE


def test_large_file_not_read(tmp_path: Path) -> None:
    with (tmp_path / "config").open("wb") as handle:
        handle.truncate(BIG)
    source = read(tmp_path / "config")
    assert source.status == FileStatus.TOO_LARGE
    assert source.document is None


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "config", b"[default]\n")

    def deny(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", deny)
    source = read(path)
    assert source.status == FileStatus.UNREADABLE
    assert source.detail == "Permission denied"


def test_parse_bytes_never_raises() -> None:
    for data in (b"\xff\xfe\x00", b"\xfe\xff", b"\x00" * 7, b"\xef\xbb\xbf", b"[\xff]\n\xc3", b"\r\r\n\x00["):
        assert isinstance(parse_bytes(data), ini.IniDocument)


# -- the CLI ---------------------------------------------------------------------

def awsdoctor(home: Path, env: dict[str, str], *args: str,
              prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    home.mkdir(exist_ok=True)
    variables = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "AWS_EC2_METADATA_DISABLED": "true",
        **env,
    }
    return subprocess.run(
        [*prefix, sys.executable, "-m", "awsdoctor", "check", *args],
        env=variables, cwd=home, capture_output=True, text=True, check=False, timeout=60,
    )


def context(path: str) -> str:
    return (f"awsdoctor check: {path}, ~/.aws/credentials and the environment; "
            "profile 'default' (nothing selects another)\n\n")


PARSE_FAILS = ('botocore raises ConfigParseError "Unable to parse config file", so every profile stops working, '
               "in both files")

CLI_BYTE_CASES = {
    "undecodable byte in a comment": (
        b"[default]\n# caf\xe9\n", "2:6 (profile 'default')",
        "the config file is not UTF-8: byte 0xE9 at line 2, column 6 is not valid UTF-8 (in a comment, which "
        f"botocore decodes too); {PARSE_FAILS} [AD102]",
        "Re-save the file as UTF-8, or replace the character with plain ASCII.",
    ),
    "utf-8 bom": (
        b"\xef\xbb\xbf[default]\nregion = eu-west-1\n", "1:1",
        "the config file starts with a UTF-8 byte-order mark (BOM, bytes EF BB BF); botocore keeps it, so the "
        "first line is not a section header and botocore raises ConfigParseError \"Unable to parse config file\": "
        "every profile stops working, in both files [AD103]",
        "Save the file as UTF-8 without BOM, or delete the first three bytes (sed -i '1s/^\\xEF\\xBB\\xBF//' FILE).",
    ),
    "utf-16 with bom": (
        "[default]\r\nregion = eu-west-1\r\n".encode("utf-16"), "1:1",
        "the file is encoded as UTF-16 little-endian (it starts with the byte-order mark FF FE); botocore reads "
        f"it as UTF-8 and {PARSE_FAILS} [AD104]",
        "Convert the file to UTF-8: iconv -f UTF-16 -t UTF-8 FILE > FILE.new, then replace FILE.",
    ),
    "utf-16 without bom": (
        "[default]\nregion = eu-west-1".encode("utf-16-le"), "1:1",
        "the file looks like UTF-16 little-endian without a byte-order mark (every second byte is NUL); botocore "
        "reads it as UTF-8, so every section and key name contains NUL characters and no profile or setting in "
        "it matches [AD104]",
        "Convert the file to UTF-8: iconv -f UTF-16 -t UTF-8 FILE > FILE.new, then replace FILE.",
    ),
    "nul byte": (
        b"[default]\nregion = eu-west-1\x00\n", "2:19 (profile 'default')",
        "line 2 contains a NUL byte (0x00) at column 19, which botocore keeps as part of the name or value [AD105]",
        "Delete the NUL byte; it is invisible in most editors (tr -d '\\000' < FILE > FILE.new).",
    ),
}


@pytest.mark.parametrize("case", list(CLI_BYTE_CASES.values()), ids=list(CLI_BYTE_CASES))
def test_cli_byte_input(tmp_path: Path, case: tuple[bytes, str, str, str]) -> None:
    data, place, message, hint = case
    path = write(tmp_path / "config", data)
    result = awsdoctor(tmp_path / "home", {"AWS_CONFIG_FILE": str(path)}, "--select", "AD1")
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout == (
        f"{context(str(path))}Files and syntax\n"
        f"  error   {path}:{place}\n"
        f"          {message}\n"
        f"          fix: {hint}\n\n"
        "1 error, 0 warnings, 0 info\n"
    )


def test_cli_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path / "config", b"")
    result = awsdoctor(tmp_path / "home", {"AWS_CONFIG_FILE": str(path)}, "--select", "AD1")
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout == f"{context(str(path))}No problems found.\n0 errors, 0 warnings, 0 info\n"


def test_cli_large_file(tmp_path: Path) -> None:
    path = tmp_path / "config"
    with path.open("wb") as handle:
        handle.truncate(BIG)
    result = awsdoctor(tmp_path / "home", {"AWS_CONFIG_FILE": str(path)}, "--select", "AD1")
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout == (
        f"{context(str(path))}Files and syntax\n"
        f"  warning {path}\n"
        "          the config file is 50.0 MiB, above awsdoctor's limit of 10 MiB, so it was not checked; a "
        "hand-written AWS config file is a few kilobytes [AD101]\n"
        "          fix: Check that the path names the right file; botocore would read all of it on every "
        "command.\n\n"
        "0 errors, 1 warning, 0 info\n"
    )


def test_cli_default_path_directory(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".aws" / "config").mkdir(parents=True)
    result = awsdoctor(home, {}, "--select", "AD1")
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout == (
        f"{context('~/.aws/config')}Files and syntax\n"
        "  error   ~/.aws/config\n"
        "          ~/.aws/config is a directory, not a file, so botocore silently treats the config file as "
        "empty and its profiles vanish [AD101]\n"
        "          fix: Make ~/.aws/config a regular file that the user running the AWS CLI can read.\n\n"
        "1 error, 0 warnings, 0 info\n"
    )


def json_findings(result: subprocess.CompletedProcess[str]) -> list[tuple[str, str, str | None]]:
    report = json.loads(result.stdout)
    return [(item["rule"], item["location"]["kind"], item["location"]["variable"]) for item in report["findings"]]


def special_path(tmp_path: Path, kind: str) -> str:
    """Create the special file ``kind`` under tmp_path and return the value for AWS_CONFIG_FILE."""
    path = tmp_path / "config"
    if kind == "directory":
        path.mkdir()
    elif kind == "broken symlink":
        path.symlink_to(tmp_path / "gone")
    elif kind == "symlink loop":
        path.symlink_to(path)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "empty path":
        return ""
    return str(path)


@pytest.mark.parametrize("kind", ["directory", "missing", "broken symlink", "symlink loop", "fifo", "empty path"])
def test_cli_variable_names_no_file(tmp_path: Path, kind: str) -> None:
    # botocore treats each of these as an empty file; the environment rule AD612 reports it at the variable.
    result = awsdoctor(tmp_path / "home", {"AWS_CONFIG_FILE": special_path(tmp_path, kind)},
                       "--select", "AD1,AD612", "--format", "json")
    assert result.returncode == 1
    assert result.stderr == ""
    assert json_findings(result) == [("AD612", "environment", "AWS_CONFIG_FILE")]


def drop_read_override() -> tuple[str, ...] | None:
    """Return a command prefix under which files without read permission cannot be read, or None."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search")
    # Changing the bounding set needs CAP_SETPCAP, which some containers withhold.
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False, timeout=10)
    return prefix if probe.returncode == 0 else None


def test_cli_unreadable_file(tmp_path: Path) -> None:
    prefix = drop_read_override()
    if prefix is None:
        pytest.skip("running as root without a usable setpriv: a chmod 000 file stays readable")
    home = tmp_path / "home"
    config = home / ".aws" / "config"
    config.parent.mkdir(parents=True)
    write(config, b"[default]\nregion = eu-west-1\n").chmod(0)
    result = awsdoctor(home, {}, "--select", "AD1", prefix=prefix)
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout == (
        f"{context('~/.aws/config')}Files and syntax\n"
        "  error   ~/.aws/config\n"
        "          ~/.aws/config cannot be read (Permission denied), so botocore silently treats the config "
        "file as empty and its profiles vanish [AD101]\n"
        "          fix: Make ~/.aws/config a regular file that the user running the AWS CLI can read.\n\n"
        "1 error, 0 warnings, 0 info\n"
    )


def test_cli_unreadable_variable_file(tmp_path: Path) -> None:
    prefix = drop_read_override()
    if prefix is None:
        pytest.skip("running as root without a usable setpriv: a chmod 000 file stays readable")
    path = write(tmp_path / "config", b"[default]\n")
    path.chmod(0)
    result = awsdoctor(tmp_path / "home", {"AWS_CONFIG_FILE": str(path)}, "--select", "AD1,AD612",
                       "--format", "json", prefix=prefix)
    assert result.returncode == 1
    assert result.stderr == ""
    assert json_findings(result) == [("AD612", "environment", "AWS_CONFIG_FILE")]


def test_zero_filled_file_is_not_utf16() -> None:
    document = parse_bytes(b"\x00" * 64)
    assert [(problem.kind, problem.fatal) for problem in document.problems] == [("zero-filled", True)]
    assert document.problems[0].message.startswith("the file consists only of NUL bytes (64 of them)")


def test_zero_filled_file_breaks_botocore(tmp_path: Path) -> None:
    from botocore.configloader import raw_config_parse
    from botocore.exceptions import ConfigParseError

    path = tmp_path / "config"
    path.write_bytes(b"\x00" * 64)
    with pytest.raises(ConfigParseError):
        raw_config_parse(str(path))
