"""The ``awsdoctor`` command line: exit status, rule selection, colour, output files and the project config.

Every test runs ``awsdoctor.cli.main`` in-process on files in a temporary
directory and checks the exit status, stdout and stderr together. Files are
named on the command line, so the environment of the machine running the
tests plays no part.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path

import jsonschema
import pytest

from awsdoctor import cli
from awsdoctor.cli import main, terminal_columns, use_color
from awsdoctor.commands import check as check_command
from awsdoctor.engine import RuleFilter

ROOT = Path(__file__).resolve().parent.parent
REPORT_SCHEMA = ROOT / "awsdoctor" / "schemas" / "report.schema.json"
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"

CLEAN = "[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n"
# [dev] without the 'profile ' prefix is not a profile for botocore: one AD200 warning on line 1.
WARNING = "[dev]\nregion = eu-west-1\n"
# A marker that hides nothing: one AD003 info finding on line 3, column 3 (where "awsdoctor:" starts).
INFO = "[default]\nregion = us-east-1\n# awsdoctor: ignore[AD200]\n[profile dev]\nregion = eu-west-1\n"
INFO_REPORT = (
    "awsdoctor check: config\n"
    "\n"
    "Awsdoctor itself\n"
    "  info    config:3:3 (section [profile dev])\n"
    "          suppression ignore[AD200] hides no finding: AD200 found nothing in section [profile dev] [AD003]\n"
    "          fix: Remove the comment.\n"
    "\n"
    "0 errors, 0 warnings, 1 info\n"
)
CLEAN_REPORT = "awsdoctor check: config\n\nNo problems found.\n0 errors, 0 warnings, 0 info\n"
ANSI = "\033["
# Made-up keys in the AWS formats. They differ from the AWS documentation's example keys, which the rule
# documentation quotes, so a test can show that no key from the linted file reaches the output.
ACCESS_KEY_ID = "AKIAZ7TESTKEYVALUE12"
SECRET_ACCESS_KEY = "q8Xz/TestSecretAccessKey+0123456789abcdE"


@pytest.fixture(autouse=True)
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty temporary directory, with no CI or colour variables."""
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def write_config(directory: Path, text: str) -> None:
    (directory / "config").write_text(text, encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- exit status -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "fail_on", "expected"),
    [
        (CLEAN, None, 0),
        (CLEAN, "info", 0),
        (WARNING, None, 1),
        (WARNING, "warning", 1),
        (WARNING, "error", 0),
        (WARNING, "info", 1),
        (WARNING, "never", 0),
        (INFO, None, 0),
        (INFO, "info", 1),
        (INFO, "warning", 0),
    ],
)
def test_exit_status_fail_on(capsys: pytest.CaptureFixture[str], project: Path, content: str, fail_on: str | None,
                             expected: int) -> None:
    write_config(project, content)
    options = [] if fail_on is None else ["--fail-on", fail_on]
    code, out, err = run(capsys, "check", "config", *options)
    assert code == expected
    assert out.startswith("awsdoctor check: config\n")
    assert err == ""


def test_clean_report(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, CLEAN)
    assert run(capsys, "check", "config") == (0, CLEAN_REPORT, "")


def test_info_report(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, INFO)
    assert run(capsys, "check", "config") == (0, INFO_REPORT, "")


def test_warning_report(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, WARNING)
    code, out, err = run(capsys, "check", "config")
    assert code == 1
    assert "  warning config:1:1 (section [dev])\n" in out
    assert "[AD200]\n" in out
    assert out.endswith("0 errors, 1 warning, 0 info\n")
    assert err == ""


def test_missing_file_argument(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "absent-config")
    assert code == 1
    assert out.startswith("awsdoctor check: absent-config\n")
    assert "  error   absent-config\n" in out
    assert "[AD101]\n" in out
    assert err == ""


# -- rule selection ------------------------------------------------------------


@pytest.mark.parametrize(
    ("select", "ignore", "code", "enabled"),
    [
        ((), (), "AD401", True),
        (("AD4",), (), "AD401", True),
        (("AD4",), (), "AD501", False),
        ((), ("AD4",), "AD401", False),
        ((), ("AD4",), "AD501", True),
        (("AD4",), ("AD41",), "AD410", False),
        (("AD4",), ("AD41",), "AD401", True),
        (("AD401",), ("AD4",), "AD401", True),
        (("AD401",), ("AD4",), "AD402", False),
        (("AD4",), ("AD4",), "AD401", False),
        (("AD40", "AD4"), ("AD4",), "AD401", True),
        (("ALL",), ("AD4",), "AD401", False),
        (("ALL",), ("AD4",), "AD501", True),
        ((), ("ALL",), "AD401", False),
        (("AD40",), ("ALL",), "AD401", True),
        (("ALL",), ("ALL",), "AD401", False),
        ((), ("ALL",), "AD001", True),
        (("AD4",), ("AD0",), "AD001", True),
    ],
)
def test_rule_filter_longest_prefix(select: tuple[str, ...], ignore: tuple[str, ...], code: str,
                                    enabled: bool) -> None:
    assert RuleFilter(select=select, ignore=ignore).enabled(code) is enabled


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--ignore", "AD2"], 0),
        (["--ignore", "ad200"], 0),
        (["--select", "AD2", "--ignore", "AD20"], 0),
        (["--select", "AD200", "--ignore", "AD2"], 1),
        (["--select", "AD7,AD200"], 1),
        (["--select", "AD7", "--select", "AD1"], 0),
    ],
)
def test_select_ignore_options(capsys: pytest.CaptureFixture[str], project: Path, options: list[str],
                               expected: int) -> None:
    write_config(project, WARNING)
    code, out, err = run(capsys, "check", "config", *options)
    assert code == expected
    assert ("[AD200]" in out) is (expected == 1)
    assert err == ""


@pytest.mark.parametrize("options", [["--select", "AD9"], ["--ignore", "AD2,XY1"], ["--select", "foo"]])
def test_unknown_prefix_is_usage_error(capsys: pytest.CaptureFixture[str], project: Path,
                                       options: list[str]) -> None:
    write_config(project, WARNING)
    code, out, err = run(capsys, "check", "config", *options)
    unknown = options[1].upper().split(",")[-1]
    assert code == 2
    assert out == ""
    assert err == f"awsdoctor: error: no rule code starts with {unknown}; run 'awsdoctor rules' to list them\n"


# -- colour --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "options", "colored"),
    [
        ({}, [], False),
        ({}, ["--color", "always"], True),
        ({"NO_COLOR": "1"}, [], False),
        ({"FORCE_COLOR": "1"}, [], True),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, [], False),
        ({"NO_COLOR": "1"}, ["--color", "always"], True),
        ({"FORCE_COLOR": "1"}, ["--color", "never"], False),
        ({"NO_COLOR": ""}, ["--color", "auto"], False),
    ],
)
def test_color_choice(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, project: Path,
                      variables: dict[str, str], options: list[str], colored: bool) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    write_config(project, WARNING)
    code, out, err = run(capsys, "check", "config", *options)
    assert code == 1
    assert (ANSI in out) is colored
    assert err == ""


@pytest.mark.parametrize(
    ("variables", "colored"),
    [
        ({"TERM": "xterm-256color"}, True),
        ({"TERM": "dumb"}, False),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, True),
        ({"TERM": "dumb", "NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    ],
)
def test_color_on_terminal(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, project: Path,
                           variables: dict[str, str], colored: bool) -> None:
    monkeypatch.setattr(check_command, "stdout_is_terminal", lambda: True)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    write_config(project, WARNING)
    code, out, err = run(capsys, "check", "config")
    assert code == 1
    assert (ANSI in out) is colored
    assert err == ""


def test_color_always_beats_dumb_terminal() -> None:
    assert use_color("always", False, {"TERM": "dumb"}) is True


@pytest.mark.parametrize("options", [[], ["--color", "always"]])
def test_output_file_never_colored(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                   project: Path, options: list[str]) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setattr(check_command, "stdout_is_terminal", lambda: True)
    write_config(project, INFO)
    code, out, err = run(capsys, "check", "config", "--output", "report.txt", *options)
    assert code == 0
    assert out == ""
    assert err == "awsdoctor: 0 errors, 0 warnings, 1 info; report written to report.txt\n"
    assert (project / "report.txt").read_text(encoding="utf-8") == INFO_REPORT


def test_color_never_in_json(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, WARNING)
    code, out, err = run(capsys, "check", "config", "--format", "json", "--color", "always")
    assert code == 1
    assert ANSI not in out
    assert err == ""


# -- formats and --output ----------------------------------------------------------


def test_json_output_valid(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, WARNING)
    code, out, err = run(capsys, "check", "config", "--format", "json")
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    document = json.loads(out)
    assert code == 1
    assert [error.message for error in jsonschema.Draft202012Validator(schema).iter_errors(document)] == []
    assert document["summary"] == {"error": 0, "warning": 1, "info": 0}
    assert document["findings"][0]["rule"] == "AD200"
    assert document["findings"][0]["location"]["path"] == "config"
    assert err == ""


def test_json_output_empty_valid(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, CLEAN)
    code, out, err = run(capsys, "check", "config", "--format", "json")
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    document = json.loads(out)
    assert code == 0
    assert [error.message for error in jsonschema.Draft202012Validator(schema).iter_errors(document)] == []
    assert document["findings"] == []
    assert err == ""


def test_sarif_output_valid(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, WARNING)
    (project / "credentials").write_text(
        f"[default]\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "check", "config", "credentials", "--format", "sarif")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    document = json.loads(out)
    validator = jsonschema.validators.validator_for(schema)(schema)
    results = document["runs"][0]["results"]
    assert code == 1
    assert [error.message for error in validator.iter_errors(document)] == []
    assert [(result["ruleId"], result["level"]) for result in results] == [("AD200", "warning"), ("AD701", "error")]
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "credentials"}
    assert SECRET_ACCESS_KEY not in out
    assert ACCESS_KEY_ID not in out
    assert err == ""


def test_sarif_path_not_utf8(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    # Python reads the byte 0xff of a file name as the lone surrogate U+DCFF.
    directory = project / "p\udcff"
    directory.mkdir()
    write_config(directory, WARNING)
    code, out, err = run(capsys, "check", "p\udcff/config", "--format", "sarif")
    result = json.loads(out)["runs"][0]["results"][0]
    assert code == 1
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "p%FF/config"}
    assert len(result["partialFingerprints"]["awsdoctor/v1"]) == 64
    assert err == ""


def test_github_format_under_actions(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                     project: Path) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    write_config(project, INFO)
    code, out, err = run(capsys, "check", "config")
    assert code == 0
    assert out == (
        "::notice file=config,line=3,col=3,title=AD003 unused-suppression::"
        "suppression ignore[AD200] hides no finding: AD200 found nothing in section [profile dev]%0A"
        "Fix: Remove the comment.\n"
        "awsdoctor: 0 errors, 0 warnings, 1 info\n"
    )
    assert err == ""


def test_output_file_keeps_summary(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, INFO)
    code, out, err = run(capsys, "check", "config", "--output", "report.txt")
    assert code == 0
    assert out == ""
    assert err == "awsdoctor: 0 errors, 0 warnings, 1 info; report written to report.txt\n"
    assert (project / "report.txt").read_text(encoding="utf-8") == INFO_REPORT


def test_output_file_unwritable(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, CLEAN)
    code, out, err = run(capsys, "check", "config", "--output", "missing-dir/report.txt")
    assert code == 2
    assert out == ""
    assert err == "awsdoctor: error: cannot write the report to missing-dir/report.txt: No such file or directory\n"


# -- project configuration -----------------------------------------------------------


def test_config_ignore_applies(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, WARNING)
    (project / ".awsdoctor.toml").write_text('ignore = ["AD2"]\n', encoding="utf-8")
    assert run(capsys, "check", "config") == (0, CLEAN_REPORT, "")


def test_config_found_from_subdirectory(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                        project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.awsdoctor]\nignore = ["AD2"]\n', encoding="utf-8")
    nested = project / "dotfiles"
    nested.mkdir()
    write_config(nested, WARNING)
    monkeypatch.chdir(nested)
    assert run(capsys, "check", "config") == (0, CLEAN_REPORT, "")


def test_command_line_selection_wins(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, WARNING)
    (project / ".awsdoctor.toml").write_text('ignore = ["AD2"]\n', encoding="utf-8")
    code, out, err = run(capsys, "check", "config", "--select", "AD2")
    assert code == 1
    assert "[AD200]" in out
    assert err == ""


def test_config_fail_on_and_override(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, WARNING)
    (project / ".awsdoctor.toml").write_text('fail-on = "never"\n', encoding="utf-8")
    code, out, err = run(capsys, "check", "config")
    assert (code, err) == (0, "")
    assert "[AD200]" in out
    code, out, err = run(capsys, "check", "config", "--fail-on", "warning")
    assert (code, err) == (1, "")
    assert "[AD200]" in out


def test_config_severity_override(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, WARNING)
    (project / ".awsdoctor.toml").write_text('[severity]\nAD2 = "info"\n', encoding="utf-8")
    code, out, err = run(capsys, "check", "config")
    assert code == 0
    assert "  info    config:1:1 (section [dev])\n" in out
    assert out.endswith("0 errors, 0 warnings, 1 info\n")
    assert err == ""


def test_config_per_file_ignores(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    machines = project / "machines" / "old"
    machines.mkdir(parents=True)
    write_config(machines, WARNING)
    write_config(project, WARNING)
    (project / ".awsdoctor.toml").write_text('[per-file-ignores]\n"machines/*/config" = ["AD200"]\n',
                                             encoding="utf-8")
    code, out, err = run(capsys, "check", "config", "machines/old/config")
    assert code == 1
    assert "  warning config:1:1 (section [dev])\n" in out
    assert "machines/old/config:1" not in out
    assert err == ""


def test_invalid_config_exit_status(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, CLEAN)
    (project / ".awsdoctor.toml").write_text('ignored = ["AD3"]\n', encoding="utf-8")
    code, out, err = run(capsys, "check", "config")
    assert code == 2
    assert out == ""
    assert err == (
        f"awsdoctor: error: invalid configuration in {project / '.awsdoctor.toml'}:\n"
        "  unknown option 'ignored'; valid options are fail-on, ignore, per-file-ignores, profiles, select, "
        "severity\n"
    )


def test_config_unknown_prefix(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, CLEAN)
    (project / ".awsdoctor.toml").write_text('ignore = ["AD99"]\n', encoding="utf-8")
    code, out, err = run(capsys, "check", "config")
    assert code == 2
    assert out == ""
    assert err == (
        f"awsdoctor: error: invalid configuration in {project / '.awsdoctor.toml'}: no rule code starts with AD99; "
        "run 'awsdoctor rules' to list them\n"
    )


def test_config_not_utf8(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, CLEAN)
    (project / ".awsdoctor.toml").write_bytes(b'ignore = ["AD2\xff"]\n')
    code, out, err = run(capsys, "check", "config")
    assert code == 2
    assert out == ""
    assert err == (f"awsdoctor: error: {project / '.awsdoctor.toml'} is not valid TOML: byte 0xff at line 1, "
                   "column 15 is not UTF-8\n")


def test_pyproject_not_utf8_above(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                  project: Path) -> None:
    (project / "pyproject.toml").write_bytes(b'[tool.awsdoctor]\nignore = ["\xff"]\n')
    nested = project / "dotfiles"
    nested.mkdir()
    write_config(nested, CLEAN)
    monkeypatch.chdir(nested)
    code, out, err = run(capsys, "check", "config")
    assert code == 2
    assert out == ""
    assert err == (f"awsdoctor: error: {project / 'pyproject.toml'} is not valid TOML: byte 0xff at line 2, "
                   "column 12 is not UTF-8\n")


@pytest.mark.parametrize("argv", [["check", "config"], ["rules"], ["rules", "AD401", "--format", "json"]])
def test_closed_stdout(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, project: Path,
                       argv: list[str]) -> None:
    # Python sets sys.stdout to None when file descriptor 1 is closed at start-up.
    write_config(project, WARNING)
    monkeypatch.setattr(sys, "stdout", None)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err == "awsdoctor: error: cannot write the report: standard output is closed\n"


def test_explicit_config_missing(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, CLEAN)
    code, out, err = run(capsys, "check", "config", "--config", "lint.toml")
    assert code == 2
    assert out == ""
    assert err == "awsdoctor: error: configuration file lint.toml not found\n"


# -- rules command -------------------------------------------------------------------


def test_rules_shows_documentation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rules", "AD003")
    assert code == 0
    assert out.startswith("## AD003 unused-suppression\n\nDefault severity: info\n")
    assert "### How to fix it\n" in out
    assert err == ""


def test_rules_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rules", "invalid-project-config")
    assert code == 0
    assert out.startswith("## AD002 invalid-project-config\n")
    assert err == ""


def test_rules_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rules", "AD999")
    assert code == 2
    assert out == ""
    assert err == "awsdoctor: error: no rule is called 'AD999'; run 'awsdoctor rules' to list them\n"


def test_rules_list_has_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rules")
    codes = [line.split()[0] for line in out.splitlines()]
    assert code == 0
    assert codes[:3] == ["AD001", "AD002", "AD003"]
    assert codes == sorted(codes)
    assert err == ""


def test_sarif_workflow_command(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    # The command of the GitHub Actions example in the README: SARIF to a file, summary on stderr.
    dotfiles = project / ".aws"
    dotfiles.mkdir()
    write_config(dotfiles, WARNING)
    code, out, err = run(capsys, "check", "--format", "sarif", "--output", "awsdoctor.sarif", ".aws/config")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    document = json.loads((project / "awsdoctor.sarif").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert code == 1
    assert out == ""
    assert err == "awsdoctor: 0 errors, 1 warning, 0 info; report written to awsdoctor.sarif\n"
    assert [error.message for error in validator.iter_errors(document)] == []
    assert location == {"artifactLocation": {"uri": ".aws/config"}, "region": {"startLine": 1, "startColumn": 1}}


def test_suppression_hides_finding(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_config(project, "# awsdoctor: ignore[AD200] read by a tool that expects this name\n[legacy]\n"
                          "region = us-east-1\n")
    assert run(capsys, "check", "config") == (0, CLEAN_REPORT, "")


# -- help --------------------------------------------------------------------


def help_texts(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Return the --help output of the command and of each subcommand."""
    texts = []
    for argv in ([], ["check"], ["explain"], ["rules"]):
        with pytest.raises(SystemExit):
            main([*argv, "--help"])
        texts.append(capsys.readouterr().out)
    return texts


def test_help_width_from_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "64")
    assert terminal_columns() == 64


def test_help_width_without_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(sys, "__stdout__", None)
    assert terminal_columns() == 80


@pytest.mark.parametrize("columns", ["50", "100"])
def test_help_matches_argparse(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                               columns: str) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    ours = help_texts(capsys)
    monkeypatch.setattr(cli, "HelpFormatter", argparse.HelpFormatter)
    monkeypatch.setattr(cli, "RawDescriptionHelpFormatter", argparse.RawDescriptionHelpFormatter)
    assert ours == help_texts(capsys)


def test_main_restores_garbage_collection(capsys: pytest.CaptureFixture[str]) -> None:
    # The collector is paused for a run and must be on again for a caller of main in the same process.
    assert main(["rules"]) == 0
    capsys.readouterr()
    assert gc.isenabled()
