"""The pre-commit hook: its manifest, which paths it matches, and real commits in a dotfile repository.

The commit tests run the real ``pre-commit`` tool on a temporary git
repository whose ``.pre-commit-config.yaml`` points at this repository at
HEAD, so they exercise the committed code, not the working tree. pre-commit
builds the hook's virtualenv with pip (once per test module, in a temporary
PRE_COMMIT_HOME), which takes about a minute.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from awsdoctor.setup import guess_file_type

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
TIMEOUT_SECONDS = 300

ACCESS_KEY_ID = "AKIAZ7TESTKEYVALUE12"
SECRET_ACCESS_KEY = "q8Xz/TestSecretAccessKey+0123456789abcdE"


def load_hook() -> dict[str, object]:
    # PyYAML comes with pre-commit; imported by name so that mypy needs no stubs for it.
    yaml = importlib.import_module("yaml")
    hooks: list[dict[str, object]] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return hooks[0]


def test_manifest_valid() -> None:
    pre_commit = shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    result = subprocess.run([pre_commit, "validate-manifest", str(MANIFEST)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr == ""


def test_hook_passes_file_names() -> None:
    hook = load_hook()
    assert hook["id"] == "awsdoctor"
    assert hook["entry"] == "awsdoctor check"
    assert hook["language"] == "python"
    assert hook.get("pass_filenames", True) is True
    assert hook["require_serial"] is True


@pytest.mark.parametrize(
    ("path", "matched"),
    [
        (".aws/config", True),
        (".aws/credentials", True),
        ("home/alice/.aws/config", True),
        ("aws/.aws/credentials", True),
        ("aws/config", True),
        ("dot_aws/config", True),
        ("private_dot_aws/private_credentials", True),
        ("home/private_dot_aws/readonly_config", True),
        (".aws/config##os.Linux", True),
        ("accounts/work.aws-config", True),
        ("accounts/work.aws-credentials", True),
        ("dot_aws/config.tmpl", False),
        ("config", False),
        ("credentials", False),
        ("src/aws/config.py", False),
        (".aws/configs", False),
        (".aws/cli/alias", False),
        (".aws/sso/cache/token.json", False),
    ],
)
def test_hook_files_regex(path: str, matched: bool) -> None:
    pattern = re.compile(str(load_hook()["files"]))
    assert (pattern.search(path) is not None) is matched


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (".aws/config", "config"),
        (".aws/credentials", "credentials"),
        ("private_dot_aws/private_credentials", "credentials"),
        ("dot_aws/readonly_config", "config"),
        (".aws/credentials##os.Darwin", "credentials"),
        ("accounts/work.aws-credentials", "credentials"),
        ("accounts/work.aws-config", "config"),
    ],
)
def test_hook_paths_get_right_type(path: str, kind: str) -> None:
    assert guess_file_type(path) == kind


@dataclass
class DotfileRepo:
    path: Path
    env: dict[str, str]

    def run(self, *command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, cwd=self.path, env=self.env, capture_output=True, text=True,
                              timeout=TIMEOUT_SECONDS, check=False)

    def commit(self, relative: str, content: str) -> subprocess.CompletedProcess[str]:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        self.run("git", "add", relative).check_returncode()
        return self.run("git", "commit", "-q", "-m", f"Add {relative}")


@pytest.fixture(scope="module")
def dotfile_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DotfileRepo]:
    pre_commit = shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)
    if head.returncode != 0:
        pytest.skip("the project is not a git checkout, so pre-commit cannot clone it")

    root = tmp_path_factory.mktemp("dotfiles")
    repo = root / "repo"
    repo.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(root / "home"),
        "PRE_COMMIT_HOME": str(root / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        # The hook only lints files, but nothing it starts may reach for instance metadata either.
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    # pip inside the hook's virtualenv needs the machine's package index settings.
    env.update({name: value for name, value in os.environ.items() if name.startswith("PIP_")})
    (root / "home").mkdir()
    dotfiles = DotfileRepo(repo, env)
    dotfiles.run("git", "init", "-q").check_returncode()
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {ROOT}\n"
        f"    rev: {head.stdout.strip()}\n"
        "    hooks:\n"
        "      - id: awsdoctor\n",
        encoding="utf-8",
    )
    dotfiles.run("git", "add", ".pre-commit-config.yaml").check_returncode()
    dotfiles.run("git", "commit", "-q", "-m", "Add pre-commit configuration").check_returncode()
    dotfiles.run(pre_commit, "install").check_returncode()
    yield dotfiles


def test_commit_with_keys_fails(dotfile_repo: DotfileRepo) -> None:
    result = dotfile_repo.commit(
        ".aws/credentials",
        f"[default]\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "awsdoctor" in output
    assert "Failed" in output
    assert "[AD701]" in output
    assert ".aws/credentials:2:1" in output
    assert "AKIA****************" in output
    assert ACCESS_KEY_ID not in output
    assert SECRET_ACCESS_KEY not in output
    dotfile_repo.run("git", "rm", "-q", "--cached", ".aws/credentials").check_returncode()
    (dotfile_repo.path / ".aws" / "credentials").unlink()


def test_clean_config_passes(dotfile_repo: DotfileRepo) -> None:
    result = dotfile_repo.commit(
        "dot_aws/config",
        "[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\noutput = json\n",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"awsdoctor\.+Passed", output) is not None, output
