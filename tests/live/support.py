"""Helpers for the live-check tests: a loopback-only environment and a one-call live check.

Every test here talks to a server it started on 127.0.0.1. The environment
given to the check points STS at that server (AWS_ENDPOINT_URL_STS), disables
the instance metadata service, and sends any other HTTP(S) request to a closed
loopback proxy port, so a request that escapes the endpoint fails on the spot.
"""

from __future__ import annotations

from typing import Any

from awsdoctor.live import LiveOptions, LiveReport, run_live
from awsdoctor.setup import load_setup
from conftest import AwsHome

CLOSED_LOOPBACK_PROXY = "http://127.0.0.1:9"


def live_env(home: AwsHome, endpoint: str, **variables: str) -> dict[str, str]:
    """Return an environment that sends STS to ``endpoint`` and every other request to a closed port."""
    return {
        "HOME": str(home.home),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL_STS": endpoint,
        "HTTP_PROXY": CLOSED_LOOPBACK_PROXY,
        "HTTPS_PROXY": CLOSED_LOOPBACK_PROXY,
        "http_proxy": CLOSED_LOOPBACK_PROXY,
        "https_proxy": CLOSED_LOOPBACK_PROXY,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        **variables,
    }


def run_live_check(home: AwsHome, env: dict[str, str], profile: str | None = None, **options: Any) -> LiveReport:
    """Snapshot the Setup for ``env`` (and --profile) and run the live check on it."""
    setup = load_setup(env, profile=profile, cwd=str(home.root))
    return run_live(setup, LiveOptions(**options))
