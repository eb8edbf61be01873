"""The README's GitHub Actions step, run as written on a small dotfile repository."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import jsonschema

README = Path(__file__).resolve().parent.parent / "README.md"
SARIF_SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"


def workflow_check_command() -> list[str]:
    """Return the `awsdoctor check` command of the workflow in the README, split as a shell would."""
    text = README.read_text(encoding="utf-8")
    workflow = text.split("# .github/workflows/awsdoctor.yml", 1)[1].split("```", 1)[0]
    line = next(line for line in workflow.splitlines() if "run: awsdoctor check" in line)
    return shlex.split(line.split("run:", 1)[1])


def test_workflow_step_on_clean_repository(tmp_path: Path) -> None:
    aws = tmp_path / ".aws"
    aws.mkdir()
    (aws / "config").write_text("[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n")
    command = workflow_check_command()
    completed = subprocess.run([sys.executable, "-m", "awsdoctor", *command[1:]], cwd=tmp_path,
                               capture_output=True, text=True, check=False, env={"PATH": "/usr/bin:/bin"})
    assert completed.returncode == 0
    assert completed.stdout == ""
    sarif = json.loads((tmp_path / "awsdoctor.sarif").read_text())
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))
    assert sarif["runs"][0]["results"] == []


def test_workflow_step_fails_on_committed_keys(tmp_path: Path) -> None:
    aws = tmp_path / ".aws"
    aws.mkdir()
    (aws / "config").write_text(
        "[default]\naws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = example\n")
    command = workflow_check_command()
    completed = subprocess.run([sys.executable, "-m", "awsdoctor", *command[1:]], cwd=tmp_path,
                               capture_output=True, text=True, check=False, env={"PATH": "/usr/bin:/bin"})
    assert completed.returncode == 1
    sarif = json.loads((tmp_path / "awsdoctor.sarif").read_text())
    assert "AD701" in {result["ruleId"] for result in sarif["runs"][0]["results"]}
