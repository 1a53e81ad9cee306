"""The eventlet server's guard against idle and hoarded connections (app.py uses it; it imports
eventlet only when a guard is made, so the rest of the package never needs it).

eventlet's WSGI server keeps a connection for as long as the client keeps it open, and when its
pool is full it stops accepting, so 200 sockets that never send a byte (at a cap of 200) made
``/health`` wait 20 s. The guard is the server's pool (``custom_pool``) and a WSGI wrapper:

- **handshake deadline**: a connection whose request head has not reached the app within
  ``HANDSHAKE_TIMEOUT`` seconds of being accepted (nothing sent, or a head sent byte by byte)
  is shut down; once the app has the request (a page, a long-poll, a WebSocket upgrade) the
  deadline is off;
- **a cap per client address** (``MAX_CONNECTIONS_PER_ADDRESS``; 0: none): one more from that
  address is closed at once. Behind a reverse proxy (``PROXY_COUNT`` > 0) every connection
  comes from the proxy, so there is no cap per address then;
- **a reserve** (``CONNECTION_RESERVE``) above ``MAX_CONNECTIONS``: when the cap is reached, a
  new connection is still accepted, but only for the handshake deadline, so ``/health`` (and a
  page) still answers; past the reserve a new connection is closed at once, and the accept loop
  never blocks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ConnectionGuard:
    """``custom_pool`` for ``eventlet.wsgi.server`` (``spawn``, ``waitall``) and ``wrap`` for
    its WSGI app."""

    def __init__(
        self,
        max_connections: int,
        reserve: int,
        per_address: int,
        handshake_timeout: float,
    ):
        import eventlet

        self.max_connections = max_connections
        self.size = max_connections + max(reserve, 0)
        self.per_address = per_address
        self.timeout = handshake_timeout
        self.pool = eventlet.GreenPool(self.size)
        self.total = 0
        self.open: Counter[str] = Counter()
        #: id(client socket) -> (its deadline timer, whether in the reserve), until the app has
        #: its request (a reserved connection's stays until it closes)
        self.deadlines: dict[int, tuple[Any, bool]] = {}
        #: what was refused or cut, for the log and the tests: reason -> count
        self.refused: Counter[str] = Counter()

    # -- the pool

    def spawn(self, fn: Callable[..., Any], connection: list[Any]) -> Any:
        import eventlet

        addr, sock = connection[0], connection[1]
        ip = str(addr[0]) if isinstance(addr, tuple) else str(addr)
        if self.total >= self.size:
            return eventlet.spawn(self._refuse, sock, "full")
        if self.per_address and self.open[ip] >= self.per_address:
            return eventlet.spawn(self._refuse, sock, "per_address")
        self.total += 1
        self.open[ip] += 1
        reserved = self.total > self.max_connections
        self.deadlines[id(sock)] = (self._deadline(sock, reserved), reserved)
        thread = self.pool.spawn(fn, connection)
        thread.link(self._closed, ip, sock)
        return thread

    def waitall(self) -> None:
        self.pool.waitall()

    def _deadline(self, sock: Any, reserved: bool) -> Any:
        """A timer of the hub that runs ``_expire`` in a green thread of its own once the
        handshake deadline has passed. A timer, not a green thread waiting from the start
        (``spawn_after``): nearly every deadline is cancelled, and making and killing a green
        thread per connection was 1.3 % of the server's CPU in a connect storm."""
        import eventlet
        from eventlet.hubs import get_hub

        return get_hub().schedule_call_global(
            self.timeout, eventlet.spawn_n, self._expire, sock, reserved
        )

    def _closed(self, _thread: Any, ip: str, sock: Any) -> None:
        deadline = self.deadlines.pop(id(sock), None)
        if deadline is not None:
            deadline[0].cancel()
        self.total -= 1
        self.open[ip] -= 1
        if self.open[ip] <= 0:
            del self.open[ip]

    def _refuse(self, sock: Any, reason: str) -> None:
        from eventlet import greenio

        self.refused[reason] += 1
        _log_refusals(self.refused)
        greenio.shutdown_safe(sock)

    def _expire(self, sock: Any, reserved: bool) -> None:
        """The deadline passed: shut the connection down (its reader sees the end and eventlet
        closes it), unless the app got its request in time (then the timer was cancelled).

        A connection whose bytes wait unread in the kernel did send its request: the server is
        the slow one (a connect storm of thousands of phones keeps it busy for longer than the
        deadline), so it gets another deadline instead of being cut. An idle socket has nothing
        waiting, and one that sends its head a byte at a time has its bytes read as they come,
        so both are still cut. Nothing is done when the deadline was called off between the
        timer and this green thread (the app got the request, or the connection closed)."""
        from eventlet import greenio

        if id(sock) not in self.deadlines:
            return
        if not reserved and _unread(sock):
            self.deadlines[id(sock)] = (self._deadline(sock, reserved), reserved)
            return
        self.deadlines.pop(id(sock), None)
        reason = "reserve_ended" if reserved else "handshake_timeout"
        self.refused[reason] += 1
        _log_refusals(self.refused)
        greenio.shutdown_safe(sock)

    # -- the app

    def wrap(self, app: WSGIApp) -> WSGIApp:
        """The app, marking each connection whose request reached it as past the handshake."""

        def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            source = environ.get("eventlet.input")
            sock = source.get_socket() if source is not None else None
            if sock is not None:
                deadline = self.deadlines.get(id(sock))
                if deadline is not None and not deadline[1]:  # a reserved one stays
                    del self.deadlines[id(sock)]
                    deadline[0].cancel()
            return app(environ, start_response)

        return guarded


def _unread(sock: Any) -> bool:
    """Whether bytes from the client wait unread in the kernel (a peek that never blocks)."""
    import socket

    raw = getattr(sock, "fd", sock)  # eventlet's GreenSocket wraps a non-blocking socket
    try:
        return bool(raw.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT))
    except OSError:  # nothing there (EAGAIN), or the socket is gone
        return False


#: when the guard last logged what it refused (at most one line every LOG_EVERY seconds)
LOG_EVERY = 10.0
#: [time of the last line, 1.0 while a later line is scheduled]
_logged = [-LOG_EVERY, 0.0]


def _log_later(refused: Counter[str]) -> None:
    _logged[1] = 0.0
    _log_refusals(refused)


def _log_refusals(refused: Counter[str]) -> None:
    """One warning line with the counts so far, at most every ``LOG_EVERY`` seconds: a cap or
    a deadline that cuts phones must be visible to whoever runs the server."""
    import logging
    import time

    now = time.monotonic()
    wait = _logged[0] + LOG_EVERY - now
    if wait > 0:
        if not _logged[1]:  # the counts after this line come in one more line, later
            import eventlet

            _logged[1] = 1.0
            eventlet.spawn_after(wait, _log_later, refused)
        return
    _logged[0] = now
    counts = ", ".join(f"{reason} {n}" for reason, n in sorted(refused.items()))
    logging.getLogger("dialoogtafel.connections").warning(
        "connections refused or cut so far: %s (settings MAX_CONNECTIONS, "
        "MAX_CONNECTIONS_PER_ADDRESS, HANDSHAKE_TIMEOUT)",
        counts,
    )
