"""The rule documentation: docs/rules.md is current, every rule is documented, and help links reach their section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from awsdoctor.cli import main
from awsdoctor.commands.rules import render_catalog_markdown
from awsdoctor.formats.json_format import help_uri
from awsdoctor.rule import Rule
from awsdoctor.rules import registry

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
RULES = list(registry().values())


def github_anchor(heading: str) -> str:
    """Return the anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_docs_file_current() -> None:
    # On failure, regenerate: awsdoctor rules --format markdown > docs/rules.md
    assert DOCS.read_text(encoding="utf-8") == render_catalog_markdown(registry())


def test_markdown_command_output(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rules", "--format", "markdown"])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == DOCS.read_text(encoding="utf-8")
    assert captured.err == ""


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_documented(rule: Rule) -> None:
    assert "\n" not in rule.summary
    assert rule.summary.endswith(".")
    assert rule.why
    assert rule.example
    assert rule.fix


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_help_uri_reaches_section(rule: Rule) -> None:
    heading = rule.documentation().splitlines()[0]
    assert heading == f"## {rule.code} {rule.name}"
    assert help_uri(rule.code, rule.name).endswith("#" + github_anchor(heading[3:]))


def test_every_rule_in_docs() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [rule.code for rule in RULES if f"\n## {rule.code} {rule.name}\n" not in text]
    assert missing == []
