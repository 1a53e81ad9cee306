"""facilitator/websocket.py: the faster unmasking gives exactly what eventlet's own gives."""

from __future__ import annotations

import random
import warnings

import pytest

from facilitator.websocket import unmask

with warnings.catch_warnings():  # importing eventlet warns that it is deprecated
    warnings.simplefilter("ignore")
    from eventlet.websocket import RFC6455WebSocket

# eventlet's own, kept before anything installs ours (app.py does it in its server only)
EVENTLETS = RFC6455WebSocket.__dict__["_apply_mask"].__func__


@pytest.mark.parametrize(
    ("data", "mask", "length", "offset", "expected"),
    [
        (b"", (1, 2, 3, 4), None, 0, b""),
        (b"\x00\x00\x00\x00", (1, 2, 3, 4), None, 0, b"\x01\x02\x03\x04"),
        (b"\x00\x00\x00\x00\x00", (1, 2, 3, 4), None, 0, b"\x01\x02\x03\x04\x01"),
        (b"\x00\x00\x00", (1, 2, 3, 4), None, 1, b"\x02\x03\x04"),
        (b"\x00\x00\x00", (1, 2, 3, 4), None, 6, b"\x03\x04\x01"),
        (b"\xff\xff\xff\xff\xff", (0xFF, 0, 0xFF, 0), 3, 0, b"\x00\xff\x00"),
        (b"\x01\x02", (1, 2, 3, 4), 0, 0, b""),
        (b"\x00\x00", [7, 8, 9, 10], None, 2, b"\x09\x0a"),
    ],
)
def test_unmask_table(data: bytes, mask: object, length: int | None, offset: int, expected: bytes):
    assert unmask(data, mask, length, offset) == expected  # type: ignore[arg-type]
    assert EVENTLETS(data, mask, length, offset) == expected


def test_unmask_is_eventlets_for_random_frames() -> None:
    rnd = random.Random(16)
    for _ in range(2000):
        n = rnd.choice([0, 1, 2, 3, 4, 5, 7, 125, 126, 1000, rnd.randrange(0, 70000)])
        data = rnd.randbytes(n)
        mask = tuple(rnd.randrange(256) for _ in range(4))
        length = rnd.choice([None, n, rnd.randrange(0, n + 1)])
        offset = rnd.randrange(0, 4096)
        assert unmask(data, mask, length, offset) == EVENTLETS(data, mask, length, offset)
    # a leading zero byte survives (int.from_bytes would drop it without the fixed length)
    assert unmask(b"\x05\x00", (5, 0, 0, 0)) == b"\x00\x00"


def test_use_fast_unmask_installs_it() -> None:
    from facilitator.websocket import use_fast_unmask

    original = RFC6455WebSocket.__dict__["_apply_mask"]
    try:
        use_fast_unmask()
        assert RFC6455WebSocket._apply_mask is unmask
        frame = RFC6455WebSocket._apply_mask(b"hallo", (1, 2, 3, 4))
        assert frame == bytes(b ^ k for b, k in zip(b"hallo", (1, 2, 3, 4, 1), strict=True))
    finally:
        RFC6455WebSocket._apply_mask = original
