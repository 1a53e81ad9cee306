"""Eventlet's WebSocket, one function faster: unmasking a frame from a phone.

Every frame a browser sends is masked (RFC 6455, section 5.3: each payload byte XORed with a
byte of a 4-byte key). eventlet's ``RFC6455WebSocket._apply_mask`` unmasks one byte at a time in
Python, building a ``bytes`` object for each; with 5,000 phones answering within ten seconds it
was about 5 % of the server's CPU (docs/performance.md). ``unmask`` does the same with one XOR
of two integers. ``use_fast_unmask`` installs it (app.py, in eventlet mode only: gevent's
WebSocket is simple-websocket's, which unmasks in wsproto); ``tests/test_websocket.py`` checks
it against eventlet's own function byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence


def unmask(data: bytes, mask: Sequence[int], length: int | None = None, offset: int = 0) -> bytes:
    """``data[:length]`` XORed with the 4-byte ``mask``, starting at byte ``offset`` of the
    mask's cycle (a frame's payload may arrive in several reads); eventlet's signature."""
    if length is None:
        length = len(data)
    if length <= 0:
        return b""
    turn = offset % 4
    key = bytes(mask[turn:]) + bytes(mask[:turn])
    keys = key * (length // 4 + 1)
    masked = int.from_bytes(data[:length], "big") ^ int.from_bytes(keys[:length], "big")
    return masked.to_bytes(length, "big")


def use_fast_unmask() -> None:
    """Have eventlet's WebSocket unmask frames with ``unmask``."""
    from eventlet.websocket import RFC6455WebSocket

    RFC6455WebSocket._apply_mask = staticmethod(unmask)  # type: ignore[method-assign,assignment]
