"""The connection guard's deadline (facilitator/connections.py), on real socket pairs: a
connection whose request waits unread (a busy server) gets another deadline; one with nothing
waiting (an idle client) is cut, and the cut is logged; a deadline called off after its timer
fired cuts nothing. The guard over a real server is in tests/test_audit.py."""

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


def accepted(guard: ConnectionGuard, sock: socket.socket, reserved: bool) -> None:
    """What ``ConnectionGuard.spawn`` records of an accepted connection: its deadline."""
    guard.deadlines[id(sock)] = (guard._deadline(sock, reserved), reserved)


def test_a_request_waiting_unread_gets_another_deadline_an_idle_socket_is_cut(
    caplog: pytest.LogCaptureFixture,
) -> None:
    guard = ConnectionGuard(10, 2, 0, 5.0)
    server_side, client = socket.socketpair()
    try:
        accepted(guard, server_side, reserved=False)
        first = guard.deadlines[id(server_side)][0]
        first.cancel()
        client.sendall(b"GET /health HTTP/1.1\r\n")
        guard._expire(server_side, reserved=False)
        assert guard.refused == Counter()  # not cut: the server had not read it yet
        again, reserved = guard.deadlines[id(server_side)]  # a new deadline instead
        assert again is not first and reserved is False
        again.cancel()
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
        accepted(guard, server_side, reserved=True)
        guard.deadlines[id(server_side)][0].cancel()
        client.sendall(b"GET /health HTTP/1.1\r\n")
        guard._expire(server_side, reserved=True)
        assert guard.refused == Counter({"reserve_ended": 1})
        assert id(server_side) not in guard.deadlines
        assert client.recv(10) == b""
    finally:
        server_side.close()
        client.close()


def test_a_deadline_called_off_after_its_timer_fired_cuts_nothing() -> None:
    """The timer only starts ``_expire`` in a green thread; the request may reach the app (or
    the connection close) before that thread runs."""
    guard = ConnectionGuard(10, 2, 0, 5.0)
    app_got: list[str] = []
    guarded = guard.wrap(lambda environ, start: app_got.append(environ["PATH_INFO"]) or [])
    server_side, client = socket.socketpair()
    try:
        accepted(guard, server_side, reserved=False)
        guard.deadlines[id(server_side)][0].cancel()  # as if it had fired

        class Input:
            def get_socket(self) -> socket.socket:
                return server_side

        guarded({"eventlet.input": Input(), "PATH_INFO": "/health"}, None)
        assert app_got == ["/health"] and guard.deadlines == {}
        guard._expire(server_side, reserved=False)  # nothing waits: it would have been cut
        assert guard.refused == Counter()
        client.sendall(b"still open")
        assert server_side.recv(100) == b"still open"
    finally:
        server_side.close()
        client.close()
