"""Whole-process speed of ``awsdoctor check``, as ratios against references timed in the same run.

    python bench/bench.py [--repeat N]

Prints three ratios, each with its target:

- ``awsdoctor check`` on a typical 20-profile setup against ``python -c pass``
  (start-up cost; target <= 1.5);
- ``awsdoctor check`` on a 10,000-profile config against botocore loading the
  same files' profiles (``Session().full_config``; target <= 0.5);
- ``awsdoctor check`` on 10,000 profiles against 1,000 profiles (linear
  growth; target <= 12).

Every command runs as a separate process, ``--repeat`` times, interleaved
with its reference, and the minimum wall time counts, which is the least
disturbed by other load on the machine. The exit status is 1 when a ratio
misses its target.

One more line has no target: ``python -c "import argparse, json, re, typing"``
against ``python -c pass``, the start-up of the standard modules any
command line with JSON output and typed records loads before doing
anything, for comparison with the first ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

TARGETS = {"startup": 1.5, "botocore": 0.5, "linear": 12.0}


def write_setup(root: Path, profiles: int) -> dict[str, str]:
    """Write a config and credentials file with ``profiles`` profiles of mixed kinds; return the environment."""
    aws = root / ".aws"
    aws.mkdir(parents=True)
    config: list[str] = ["[default]", "region = us-east-1", "output = json", ""]
    credentials: list[str] = []
    for index in range(profiles):
        kind = index % 4
        name = f"team-{index:05d}"
        if kind == 0:
            credentials += [
                f"[{name}]",
                f"aws_access_key_id = AKIAEXAMPLE{index:09d}",
                f"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLE{index:05d}",
                "",
            ]
            config += [f"[profile {name}]", "region = eu-west-1", ""]
        elif kind == 1:
            config += [
                f"[profile {name}]",
                f"role_arn = arn:aws:iam::{111122220000 + index}:role/deploy",
                f"source_profile = team-{index - 1:05d}",
                f"role_session_name = session-{index}",
                "duration_seconds = 3600",
                "region = us-west-2",
                "",
            ]
        elif kind == 2:
            config += [
                f"[profile {name}]",
                "sso_session = corp",
                f"sso_account_id = {111122220000 + index}",
                "sso_role_name = ReadOnly",
                "region = ap-southeast-2",
                "",
            ]
        else:
            config += [
                f"[profile {name}]",
                "credential_process = /usr/bin/true --profile x",
                "region = us-east-2",
                "output = table",
                "",
            ]
    config += ["[sso-session corp]", "sso_start_url = https://example.awsapps.com/start", "sso_region = us-east-1", ""]
    (aws / "config").write_text("\n".join(config))
    (aws / "credentials").write_text("\n".join(credentials))
    (aws / "credentials").chmod(0o600)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "LANG": "C.UTF-8",
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def best_time(command: Sequence[str], env: dict[str, str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        completed = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        elapsed = time.perf_counter() - start
        if completed.returncode not in (0, 1) or completed.stderr:
            raise SystemExit(f"{' '.join(command)} failed ({completed.returncode}): {completed.stderr.decode()[-500:]}")
        best = min(best, elapsed)
    return best


def interleaved(commands: dict[str, tuple[Sequence[str], dict[str, str]]], repeat: int) -> dict[str, float]:
    """Time each command ``repeat`` times, round-robin, and keep each one's minimum."""
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(repeat):
        for name, (command, env) in commands.items():
            best[name] = min(best[name], best_time(command, env, 1))
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per command (default: %(default)s)")
    args = parser.parse_args(argv)

    awsdoctor = shutil.which("awsdoctor")
    if awsdoctor is None:
        print("bench: the awsdoctor command is not installed (pip install .)", file=sys.stderr)
        return 2
    python = sys.executable
    botocore_load = "import botocore.session; botocore.session.Session().full_config"
    stdlib_floor = "import argparse, json, re, typing"

    with tempfile.TemporaryDirectory(prefix="awsdoctor-bench-") as scratch:
        small = write_setup(Path(scratch) / "small", 20)
        thousand = write_setup(Path(scratch) / "thousand", 1_000)
        large = write_setup(Path(scratch) / "large", 10_000)
        check = [awsdoctor, "check", "--format", "json"]
        times = interleaved(
            {
                "python -c pass": ([python, "-c", "pass"], small),
                "stdlib imports only": ([python, "-c", stdlib_floor], small),
                "check, 20 profiles": (check, small),
                "botocore, 10,000 profiles": ([python, "-c", botocore_load], large),
                "check, 1,000 profiles": (check, thousand),
                "check, 10,000 profiles": (check, large),
            },
            args.repeat,
        )

    for name, seconds in times.items():
        print(f"{name:<28} {seconds * 1000:8.1f} ms")
    ratios = {
        "startup": times["check, 20 profiles"] / times["python -c pass"],
        "botocore": times["check, 10,000 profiles"] / times["botocore, 10,000 profiles"],
        "linear": times["check, 10,000 profiles"] / times["check, 1,000 profiles"],
    }
    labels = {
        "startup": "check (20 profiles) / python -c pass",
        "botocore": "check (10,000 profiles) / botocore load",
        "linear": "check 10,000 / check 1,000 profiles",
    }
    failed = False
    for key, ratio in ratios.items():
        ok = ratio <= TARGETS[key]
        failed |= not ok
        print(f"{labels[key]:<42} {ratio:6.2f}  (target <= {TARGETS[key]}) {'ok' if ok else 'MISSED'}")
    floor = times["stdlib imports only"] / times["python -c pass"]
    print(f"{'import argparse, json, re, typing / pass':<42} {floor:6.2f}  (reference, no target)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
