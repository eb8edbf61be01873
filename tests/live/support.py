"""Fixtures and helpers for the live-check tests: loopback-only sockets, a moto STS server and a live environment.

Every test here talks to a server it started on 127.0.0.1. The environment
given to the check points STS at that server (AWS_ENDPOINT_URL_STS), disables
the instance metadata service, and sends any other HTTP(S) request to a closed
loopback proxy port, so a request that escapes the endpoint fails on the spot.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from awsdoctor.live import LiveOptions, LiveReport, run_live
from awsdoctor.setup import load_setup
from conftest import AwsHome

CLOSED_LOOPBACK_PROXY = "http://127.0.0.1:9"
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse and record any socket connection to a host other than loopback; fail the test if one happened."""
    refused: list[str] = []
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in LOOPBACK_HOSTS:
            refused.append(str(address[0]))
            raise OSError(f"test guard: connection to {address[0]} refused (loopback only)")

    def connect(sock: socket.socket, address: Any) -> None:
        check(sock, address)
        original_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        check(sock, address)
        return original_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield refused
    assert refused == [], f"a test tried to leave loopback: {refused}"


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """Start moto's server mode on a free loopback port for the whole session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


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
