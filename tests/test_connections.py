"""The connection guard's deadline (facilitator/connections.py), on real socket pairs: a
connection whose request waits unread (a busy server) gets another deadline; one with nothing
waiting (an idle client) is cut, and the cut is logged. The guard over a real server is in
tests/test_audit.py."""

from __future__ import annotations

import logging
import socket
from collections import Counter

import pytest

from facilitator import connections
from facilitator.connections import ConnectionGuard

pytest.importorskip("eventlet")


@pytest.fixture(autouse=True)
def fresh_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connections, "_logged", [-connections.LOG_EVERY, 0.0])


def test_a_request_waiting_unread_gets_another_deadline_an_idle_socket_is_cut(
    caplog: pytest.LogCaptureFixture,
) -> None:
    guard = ConnectionGuard(10, 2, 0, 5.0)
    server_side, client = socket.socketpair()
    try:
        client.sendall(b"GET /health HTTP/1.1\r\n")
        guard._expire(server_side, reserved=False)
        assert guard.refused == Counter()  # not cut: the server had not read it yet
        assert id(server_side) in guard.deadlines  # a new deadline instead
        guard.deadlines.pop(id(server_side)).cancel()
        assert server_side.recv(100) == b"GET /health HTTP/1.1\r\n"  # the peek took nothing

        with caplog.at_level(logging.WARNING, logger="dialoogtafel.connections"):
            guard._expire(server_side, reserved=False)  # nothing waits now: an idle client
        assert guard.refused == Counter({"handshake_timeout": 1})
        assert client.recv(10) == b""  # the client sees the end
        assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
            "connections refused or cut so far: handshake_timeout 1"
        ]
    finally:
        server_side.close()
        client.close()


def test_a_reserved_connection_is_cut_at_its_deadline_even_with_a_request_waiting() -> None:
    """The reserve is for /health while the cap is reached: it never gets a second deadline."""
    guard = ConnectionGuard(10, 2, 0, 5.0)
    server_side, client = socket.socketpair()
    try:
        client.sendall(b"GET /health HTTP/1.1\r\n")
        guard._expire(server_side, reserved=True)
        assert guard.refused == Counter({"reserve_ended": 1})
        assert id(server_side) not in guard.deadlines
    finally:
        server_side.close()
        client.close()
