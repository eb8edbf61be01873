"""pytest fixtures for the live-check tests, loaded with ``pytest_plugins = ("live.fixtures",)``.

``loopback_only`` (autouse) rejects and records every socket connection to a
host other than loopback, and fails the test that tried one. ``moto_url``
serves moto's STS on a free loopback port for the whole session.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Reject and record any socket connection to a host other than loopback, then fail the test if one happened."""
    rejected: list[str] = []
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in LOOPBACK_HOSTS:
            rejected.append(str(address[0]))
            raise OSError(f"test guard: connection to {address[0]} rejected (loopback only)")

    def connect(sock: socket.socket, address: Any) -> None:
        check(sock, address)
        original_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        check(sock, address)
        return original_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield rejected
    if rejected:
        pytest.fail(f"a test tried to connect outside loopback: {', '.join(rejected)}")


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """Start moto's server mode on a free loopback port for the whole session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
