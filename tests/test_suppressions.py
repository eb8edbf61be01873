"""Inline suppressions: where markers apply, what they never hide, and how unused or misplaced ones are reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from awsdoctor.engine import EngineOptions, RuleFilter, run_rules
from awsdoctor.findings import Finding, Severity
from awsdoctor.rule import Issue, Rule
from awsdoctor.setup import Setup, load_file_setups
from awsdoctor.suppressions import UNUSED_CODE, UNUSED_NAME

UNUSED_RULE = Rule(
    code=UNUSED_CODE, name=UNUSED_NAME, severity=Severity.INFO, summary="s", why="w", example="e", fix="f",
    check=lambda setup: iter(()),
)


def flag_every_entry(setup: Setup) -> Iterator[Issue]:
    """Report each key line and each section header of the config file, so every line can be suppressed."""
    source = setup.config
    if source is None or source.document is None:
        return
    for section in source.document.sections:
        yield Issue(f"header [{section.name}]", "", setup.section_location("config", section))
        for entry in section.entries:
            yield Issue(f"key {entry.key}", "", setup.entry_location("config", section.name, entry))


def flag_nothing(setup: Setup) -> Iterator[Issue]:
    yield from ()


def crash(setup: Setup) -> Iterator[Issue]:
    raise RuntimeError("boom")


FLAG_RULE = Rule(code="AD301", name="flag-entry", severity=Severity.WARNING, summary="s", why="w", example="e",
                 fix="f", check=flag_every_entry)
QUIET_RULE = Rule(code="AD302", name="flag-nothing", severity=Severity.WARNING, summary="s", why="w",
                  example="e", fix="f", check=flag_nothing)
CRASH_RULE = Rule(code="AD303", name="crash", severity=Severity.WARNING, summary="s", why="w", example="e",
                  fix="f", check=crash)
RULES = [UNUSED_RULE, FLAG_RULE, QUIET_RULE]


def run(tmp_path: Path, text: str, rules: list[Rule] | None = None, select: tuple[str, ...] = ()) -> list[Finding]:
    path = tmp_path / "config"
    path.write_text(text, encoding="utf-8")
    setup = load_file_setups([str(path)], cwd=str(tmp_path))[0]
    options = EngineOptions(rule_filter=RuleFilter(select=select))
    return sorted(run_rules(setup, rules or RULES, options), key=Finding.sort_key)


def places(findings: list[Finding]) -> list[tuple[str, int | None, str]]:
    return [(finding.rule, finding.location.line, finding.message) for finding in findings]


def test_marker_above_line(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\n# awsdoctor: ignore[AD301] known\nregion = x\noutput = json\n")
    assert places(findings) == [
        ("AD301", 1, "header [default]"),
        ("AD301", 4, "key output"),
    ]


def test_marker_skips_comment_lines(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\n# awsdoctor: ignore[AD301]\n; other comment\nregion = x\n")
    assert places(findings) == [("AD301", 1, "header [default]")]


def test_marker_does_not_skip_blank(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\nregion = x\n# awsdoctor: ignore[AD301]\n\n[dev]\n")
    assert places(findings) == [
        ("AD301", 1, "header [default]"),
        ("AD301", 2, "key region"),
        ("AD003", 3, "suppression ignore[AD301] hides no finding: AD301 found nothing on line 4"),
        ("AD301", 5, "header [dev]"),
    ]


def test_marker_above_header_covers_section(tmp_path: Path) -> None:
    text = "# awsdoctor: ignore[AD3]\n[default]\nregion = x\n\noutput = json\n[dev]\nregion = y\n"
    findings = run(tmp_path, text)
    assert places(findings) == [
        ("AD301", 6, "header [dev]"),
        ("AD301", 7, "key region"),
    ]


def test_ignore_file_anywhere(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\nregion = x\n[dev]\n# awsdoctor: ignore-file[AD301] examples only\n")
    assert findings == []


def test_marker_for_other_code_hides_nothing(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\n# awsdoctor: ignore[AD302]\nregion = x\n")
    assert places(findings) == [
        ("AD301", 1, "header [default]"),
        ("AD003", 2, "suppression ignore[AD302] hides no finding: AD302 found nothing on line 3"),
        ("AD301", 3, "key region"),
    ]


def test_unused_code_of_used_marker(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\n# awsdoctor: ignore[AD301, AD302]\nregion = x\n")
    unused = [finding for finding in findings if finding.rule == UNUSED_CODE]
    assert len(unused) == 1
    assert unused[0].message == "suppression ignore[AD302] hides no finding: AD302 found nothing on line 3"
    assert unused[0].hint == "Remove AD302 from the marker, or the whole comment if nothing is left."
    assert unused[0].severity == Severity.INFO


def test_unused_location(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\n  # awsdoctor: ignore-file[AD302]\n", rules=[UNUSED_RULE, QUIET_RULE])
    assert len(findings) == 1
    location = findings[0].location
    assert (location.kind, location.path, location.line, location.column) == (
        "config", str(tmp_path / "config"), 2, 5,
    )
    assert findings[0].message == "suppression ignore-file[AD302] hides no finding: AD302 found nothing in this file"
    assert findings[0].hint == "Remove the comment."


def test_unused_not_reported_when_rule_skipped(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\n# awsdoctor: ignore[AD302]\nregion = x\n", select=("AD0", "AD301"))
    assert places(findings) == [
        ("AD301", 1, "header [default]"),
        ("AD301", 3, "key region"),
    ]


def test_unused_not_reported_without_ad003(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\n# awsdoctor: ignore[AD302]\n", select=("AD302",))
    assert findings == []


def test_internal_error_never_hidden(tmp_path: Path) -> None:
    findings = run(tmp_path, "# awsdoctor: ignore-file[AD0, AD303]\n[default]\n", rules=[UNUSED_RULE, CRASH_RULE])
    assert [finding.rule for finding in findings] == ["AD001", "AD003"]
    assert findings[1].message == (
        "suppression ignore-file[AD0, AD303] hides no finding: AD0, AD303 found nothing in this file"
    )


def test_marker_codes_case_insensitive(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\n#AWSDOCTOR: Ignore[ad301]\nregion = x\n")
    assert places(findings) == [("AD301", 1, "header [default]")]


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("# awsdoctor: ignore AD301",
         "invalid suppression: 'awsdoctor: ignore AD301' is not a valid marker: expected "
         "'awsdoctor: ignore[CODES] reason' or 'awsdoctor: ignore-file[CODES] reason'"),
        ("# awsdoctor: ignore[]",
         "invalid suppression: 'awsdoctor: ignore[]' names no rule code between the brackets"),
        ("# awsdoctor: ignore[E501]",
         "invalid suppression: 'awsdoctor: ignore[E501]' names E501, which is not a rule code or prefix"),
        ("# awsdoctor: ignore[AD9]",
         "invalid suppression: 'awsdoctor: ignore[AD9]' names AD9, but no rule code starts with it"),
        ("# awsdoctor: disable[AD301]",
         "invalid suppression: 'awsdoctor: disable[AD301]' is not a valid marker: expected "
         "'awsdoctor: ignore[CODES] reason' or 'awsdoctor: ignore-file[CODES] reason'"),
    ],
)
def test_invalid_marker(tmp_path: Path, comment: str, message: str) -> None:
    findings = run(tmp_path, f"{comment}\n", rules=[UNUSED_RULE, QUIET_RULE])
    assert places(findings) == [("AD003", 1, message)]


def test_marker_at_end_of_file(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\n# awsdoctor: ignore[AD302]\n", rules=[UNUSED_RULE, QUIET_RULE])
    assert places(findings) == [(
        "AD003", 2,
        "invalid suppression: 'awsdoctor: ignore[AD302]' is at the end of the file, so there is no line for it "
        "to apply to",
    )]


def test_marker_after_value_reported(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\nregion = x # awsdoctor: ignore[AD301]\n")
    assert places(findings) == [
        ("AD301", 1, "header [default]"),
        ("AD301", 2, "key region"),
        ("AD003", 2, "invalid suppression: the marker after 'region =' is part of the value botocore reads, "
                     "because the files have no inline comments"),
    ]


def test_marker_after_header_reported(tmp_path: Path) -> None:
    findings = run(tmp_path, "[dev] # awsdoctor: ignore[AD301]\n", rules=[UNUSED_RULE, QUIET_RULE])
    assert places(findings) == [(
        "AD003", 1,
        "invalid suppression: the marker after the section header is part of the section name botocore reads, "
        "because configparser takes the name up to the last ']'",
    )]


def test_severity_override_applies_to_unused(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text("# awsdoctor: ignore-file[AD302]\n", encoding="utf-8")
    setup = load_file_setups([str(path)], cwd=str(tmp_path))[0]
    options = EngineOptions(severities={UNUSED_CODE: Severity.WARNING})
    findings = run_rules(setup, [UNUSED_RULE, QUIET_RULE], options)
    assert [finding.severity for finding in findings] == [Severity.WARNING]


def test_suppressions_can_be_disabled(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text("# awsdoctor: ignore-file[AD301]\n[default]\n", encoding="utf-8")
    setup = load_file_setups([str(path)], cwd=str(tmp_path))[0]
    findings = run_rules(setup, RULES, EngineOptions(suppressions=False))
    assert places(findings) == [("AD301", 2, "header [default]")]


def test_botocore_reads_inline_marker_as_value(tmp_path: Path) -> None:
    from botocore.configloader import raw_config_parse

    path = tmp_path / "config"
    path.write_text("[default]\nregion = us-east-1 # awsdoctor: ignore[AD301]\n", encoding="utf-8")
    parsed = raw_config_parse(str(path))
    assert parsed["default"]["region"] == "us-east-1 # awsdoctor: ignore[AD301]"


def test_botocore_reads_header_marker_as_name(tmp_path: Path) -> None:
    from botocore.configloader import raw_config_parse

    path = tmp_path / "config"
    path.write_text("[profile dev] # awsdoctor: ignore[AD204]\nregion = us-east-1\n", encoding="utf-8")
    parsed = raw_config_parse(str(path))
    assert list(parsed) == ["profile dev] # awsdoctor: ignore[AD204"]


def test_botocore_ignores_marker_comment_line(tmp_path: Path) -> None:
    from botocore.configloader import raw_config_parse

    path = tmp_path / "config"
    path.write_text("# awsdoctor: ignore[AD2]\n[profile dev]\n# awsdoctor: ignore[AD301]\nregion = x\n",
                    encoding="utf-8")
    parsed = raw_config_parse(str(path))
    assert parsed == {"profile dev": {"region": "x"}}


def test_shared_file_reported_once(tmp_path: Path) -> None:
    from awsdoctor.setup import load_setup

    path = tmp_path / "both"
    path.write_text("# awsdoctor: ignore-file[AD302]\n[default]\n", encoding="utf-8")
    env = {"HOME": str(tmp_path), "AWS_CONFIG_FILE": str(path), "AWS_SHARED_CREDENTIALS_FILE": str(path)}
    setup = load_setup(env, cwd=str(tmp_path))
    findings = run_rules(setup, [UNUSED_RULE, QUIET_RULE])
    assert [(finding.rule, finding.location.line) for finding in findings] == [("AD003", 1)]


def flag_continuation_lines(setup: Setup) -> Iterator[Issue]:
    """Report each continuation line of the config file, as a rule about nested values would."""
    source = setup.config
    if source is None or source.document is None:
        return
    for section in source.document.sections:
        for entry in section.entries:
            for continuation in entry.continuations:
                if continuation.text:
                    location = setup.file_location("config", continuation.line, continuation.column, section.name)
                    yield Issue(f"nested {continuation.text}", "", location)


NESTED_RULE = Rule(code="AD304", name="flag-nested", severity=Severity.WARNING, summary="s", why="w", example="e",
                   fix="f", check=flag_continuation_lines)


def test_marker_covers_continuation_lines(tmp_path: Path) -> None:
    text = "[default]\n# awsdoctor: ignore[AD304]\ns3 =\n  addressing_style = path\n  max_concurrent_requests = 4\n"
    findings = run(tmp_path, text, rules=[UNUSED_RULE, NESTED_RULE])
    assert findings == []


def test_unused_marker_names_line_range(tmp_path: Path) -> None:
    text = "[default]\n# awsdoctor: ignore[AD302]\ns3 =\n  addressing_style = path\n"
    findings = run(tmp_path, text, rules=[UNUSED_RULE, QUIET_RULE])
    assert places(findings) == [
        ("AD003", 2, "suppression ignore[AD302] hides no finding: AD302 found nothing on lines 3-4"),
    ]


def test_botocore_skips_marker_inside_nested_value(tmp_path: Path) -> None:
    from botocore.configloader import raw_config_parse

    path = tmp_path / "config"
    path.write_text("[default]\ns3 =\n  addressing_style = path\n# awsdoctor: ignore[AD3]\n"
                    "  max_concurrent_requests = 4\n", encoding="utf-8")
    parsed = raw_config_parse(str(path))
    assert parsed == {"default": {"s3": {"addressing_style": "path", "max_concurrent_requests": "4"}}}


def test_trailing_semicolon_marker_reported(tmp_path: Path) -> None:
    findings = run(tmp_path, "[default]\noutput = json ; awsdoctor: ignore[AD302]\n", rules=[UNUSED_RULE, QUIET_RULE])
    assert places(findings) == [
        ("AD003", 2, "invalid suppression: the marker after 'output =' is part of the value botocore reads, "
                     "because the files have no inline comments"),
    ]


def test_value_mentioning_awsdoctor_ignored(tmp_path: Path) -> None:
    text = "[default]\ncredential_process = /usr/bin/awsdoctor: --profile x\n"
    findings = run(tmp_path, text, rules=[UNUSED_RULE, QUIET_RULE])
    assert findings == []
