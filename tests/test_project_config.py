"""awsdoctor's own settings file: discovery, validation messages, and how the values are applied."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from awsdoctor.findings import Severity
from awsdoctor.project_config import (
    Expectation,
    FileIgnore,
    ProjectConfig,
    ProjectConfigError,
    find_project_config,
    load_project_config,
)

SCHEMA = Path(__file__).resolve().parent.parent / "awsdoctor" / "schemas" / "project-config.schema.json"

FULL = """\
select = ["AD"]
ignore = ["AD3", "AD401"]
fail-on = "error"

[severity]
AD4 = "warning"
AD401 = "info"

[per-file-ignores]
"dotfiles/work/*" = ["AD7"]
"credentials" = ["AD2"]

[profiles.prod]
account = "123456789012"
arn = "arn:aws:sts::123456789012:assumed-role/Deploy/*"
"""


def test_schema_is_valid_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_no_file_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert find_project_config(str(tmp_path)) is None
    assert load_project_config(None, str(tmp_path)) == ProjectConfig()


def test_full_file_loaded(tmp_path: Path) -> None:
    (tmp_path / ".awsdoctor.toml").write_text(FULL, encoding="utf-8")
    config = load_project_config(None, str(tmp_path))
    assert config.path == str(tmp_path / ".awsdoctor.toml")
    assert config.select == ("AD",)
    assert config.ignore == ("AD3", "AD401")
    assert config.fail_on == "error"
    assert config.severity == {"AD4": Severity.WARNING, "AD401": Severity.INFO}
    assert config.file_ignores == (
        FileIgnore(str(tmp_path / "dotfiles" / "work" / "*"), ("AD7",)),
        FileIgnore("credentials", ("AD2",), name_only=True),
    )
    assert config.expectations == {
        "prod": Expectation(account="123456789012", arn="arn:aws:sts::123456789012:assumed-role/Deploy/*"),
    }


def test_found_in_parent_directory(tmp_path: Path) -> None:
    (tmp_path / ".awsdoctor.toml").write_text('ignore = ["AD2"]\n', encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_project_config(str(nested)) == str(tmp_path / ".awsdoctor.toml")


def test_nearest_directory_wins(tmp_path: Path) -> None:
    (tmp_path / ".awsdoctor.toml").write_text('ignore = ["AD2"]\n', encoding="utf-8")
    nested = tmp_path / "sub"
    nested.mkdir()
    (nested / "pyproject.toml").write_text('[tool.awsdoctor]\nignore = ["AD7"]\n', encoding="utf-8")
    config = load_project_config(None, str(nested))
    assert config.path == str(nested / "pyproject.toml")
    assert config.ignore == ("AD7",)


def test_pyproject_without_table_skipped(tmp_path: Path) -> None:
    (tmp_path / ".awsdoctor.toml").write_text('ignore = ["AD2"]\n', encoding="utf-8")
    nested = tmp_path / "sub"
    nested.mkdir()
    (nested / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n", encoding="utf-8")
    assert find_project_config(str(nested)) == str(tmp_path / ".awsdoctor.toml")


def test_dotfile_before_pyproject(tmp_path: Path) -> None:
    (tmp_path / ".awsdoctor.toml").write_text('ignore = ["AD2"]\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.awsdoctor]\nignore = ["AD7"]\n', encoding="utf-8")
    assert find_project_config(str(tmp_path)) == str(tmp_path / ".awsdoctor.toml")


def test_explicit_file_relative_to_cwd(tmp_path: Path) -> None:
    (tmp_path / "lint.toml").write_text('fail-on = "never"\n', encoding="utf-8")
    config = load_project_config("lint.toml", str(tmp_path))
    assert config.fail_on == "never"


def test_explicit_file_missing(tmp_path: Path) -> None:
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config("absent.toml", str(tmp_path))
    assert str(raised.value) == "configuration file absent.toml not found"


def test_explicit_pyproject_without_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config("pyproject.toml", str(tmp_path))
    assert str(raised.value) == f"{tmp_path / 'pyproject.toml'} has no [tool.awsdoctor] table"


def test_lower_case_codes_accepted(tmp_path: Path) -> None:
    (tmp_path / ".awsdoctor.toml").write_text(
        'select = ["ad4", "all"]\nignore = ["ad321"]\n[severity]\nad401 = "info"\n'
        '[per-file-ignores]\n"config" = ["ad1"]\n', encoding="utf-8")
    config = load_project_config(None, str(tmp_path))
    assert config.select == ("AD4", "ALL")
    assert config.ignore == ("AD321",)
    assert config.severities_for(["AD401"]) == {"AD401": Severity.INFO}
    assert config.file_ignores[0].prefixes == ("AD1",)


def test_deeply_nested_toml(tmp_path: Path) -> None:
    (tmp_path / ".awsdoctor.toml").write_text("a = " + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config(None, str(tmp_path))
    assert str(raised.value) == f"{tmp_path / '.awsdoctor.toml'} nests arrays or tables too deeply to be read"


def test_invalid_toml(tmp_path: Path) -> None:
    (tmp_path / ".awsdoctor.toml").write_text("ignore = [\n", encoding="utf-8")
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config(None, str(tmp_path))
    assert str(raised.value).startswith(f"{tmp_path / '.awsdoctor.toml'} is not valid TOML: ")


def test_config_not_utf8(tmp_path: Path) -> None:
    (tmp_path / ".awsdoctor.toml").write_bytes('fail-on = "never"\nselect = ["AD", "é\xff"]\n'.encode("latin-1"))
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config(None, str(tmp_path))
    assert str(raised.value) == (f"{tmp_path / '.awsdoctor.toml'} is not valid TOML: byte 0xe9 at line 2, column 18 "
                                 "is not UTF-8")


def test_pyproject_not_utf8_found_upwards(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\nname = "\xc3\xa9\xff"\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config(None, str(nested))
    assert str(raised.value) == (f"{tmp_path / 'pyproject.toml'} is not valid TOML: byte 0xff at line 2, column 10 "
                                 "is not UTF-8")


def test_unknown_option_names_valid_ones(tmp_path: Path) -> None:
    (tmp_path / ".awsdoctor.toml").write_text('ignored = ["AD3"]\n', encoding="utf-8")
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config(None, str(tmp_path))
    assert str(raised.value) == (
        f"invalid configuration in {tmp_path / '.awsdoctor.toml'}:\n"
        "  unknown option 'ignored'; valid options are fail-on, ignore, per-file-ignores, profiles, select, severity"
    )


def test_unknown_profile_option(tmp_path: Path) -> None:
    (tmp_path / ".awsdoctor.toml").write_text('[profiles.prod]\naccount_id = "123456789012"\n', encoding="utf-8")
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config(None, str(tmp_path))
    assert str(raised.value).endswith(
        "\n  unknown option 'account_id' in profiles.prod; valid options are account, arn"
    )


def test_every_problem_listed(tmp_path: Path) -> None:
    text = 'fail-on = "warn"\nselect = ["E501"]\n[severity]\nAD401 = "fatal"\n[profiles.prod]\naccount = "12"\n'
    (tmp_path / ".awsdoctor.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config(None, str(tmp_path))
    lines = str(raised.value).splitlines()
    assert lines[0] == f"invalid configuration in {tmp_path / '.awsdoctor.toml'}:"
    assert lines[1] == "  fail-on: 'warn' is not one of ['error', 'warning', 'info', 'never']"
    assert lines[2] == "  profiles.prod.account: '12' is not a 12-digit AWS account id"
    assert lines[3] == "  select.0: 'E501' is not a rule code or prefix (expected AD401, AD4 or ALL)"
    assert lines[4] == "  severity.AD401: 'fatal' is not one of ['error', 'warning', 'info']"
    assert len(lines) == 5


def test_pyproject_errors_name_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.awsdoctor]\nselect = "AD4"\n', encoding="utf-8")
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config(None, str(tmp_path))
    assert str(raised.value) == (
        f"invalid configuration in [tool.awsdoctor] in {tmp_path / 'pyproject.toml'}:\n"
        "  select: 'AD4' is not of type 'array'"
    )


@pytest.mark.parametrize(
    ("table", "code", "expected"),
    [
        ({"AD4": Severity.INFO}, "AD401", Severity.INFO),
        ({"AD4": Severity.INFO, "AD40": Severity.ERROR}, "AD401", Severity.ERROR),
        ({"AD401": Severity.WARNING, "AD4": Severity.INFO}, "AD401", Severity.WARNING),
        ({"ALL": Severity.INFO, "AD4": Severity.ERROR}, "AD401", Severity.ERROR),
        ({"ALL": Severity.INFO}, "AD701", Severity.INFO),
        ({"AD4": Severity.INFO}, "AD701", None),
    ],
)
def test_severity_longest_prefix(table: dict[str, Severity], code: str, expected: Severity | None) -> None:
    assert ProjectConfig(severity=table).severities_for([code]).get(code) == expected


@pytest.mark.parametrize(
    ("file_ignore", "path", "expected"),
    [
        (FileIgnore("/repo/dotfiles/work/*", ("AD7",)), "/repo/dotfiles/work/credentials", True),
        (FileIgnore("/repo/dotfiles/work/*", ("AD7",)), "/repo/dotfiles/home/credentials", False),
        (FileIgnore("credentials", ("AD7",), name_only=True), "/repo/any/where/credentials", True),
        (FileIgnore("*.aws-config", ("AD7",), name_only=True), "/repo/work.aws-config", True),
        (FileIgnore("credentials", ("AD7",), name_only=True), "/repo/credentials.bak", False),
    ],
)
def test_file_ignore_matches(file_ignore: FileIgnore, path: str, expected: bool) -> None:
    assert file_ignore.matches(path) is expected


def test_explicit_directory_rejected(tmp_path: Path) -> None:
    (tmp_path / "conf.d").mkdir()
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config("conf.d", str(tmp_path))
    assert str(raised.value) == "configuration file conf.d is not a regular file"


def test_pyproject_tool_not_table_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('tool = "x"\n', encoding="utf-8")
    assert find_project_config(str(tmp_path)) is None


def test_errors_sorted_mixed_paths(tmp_path: Path) -> None:
    text = 'select = ["AD4", "bad"]\nignore = "AD3"\n[per-file-ignores]\n"x" = ["nope"]\n'
    (tmp_path / ".awsdoctor.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ProjectConfigError) as raised:
        load_project_config(None, str(tmp_path))
    assert str(raised.value).splitlines()[1:] == [
        "  ignore: 'AD3' is not of type 'array'",
        "  per-file-ignores.x.0: 'nope' is not a rule code or prefix (expected AD401, AD4 or ALL)",
        "  select.1: 'bad' is not a rule code or prefix (expected AD401, AD4 or ALL)",
    ]
