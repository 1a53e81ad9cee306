"""A connection's events are handled one after the other, in the order sent (docs/protocol.md,
"Acks and errors"), against the real server (python app.py, eventlet): the server reads a
connection's next event only when the previous one is done, instead of starting a green thread
per event (which cost CPU in every answer of a burst, docs/performance.md)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.livesrv import MINI, WAIT, Phone, Screen, Server, create_live

pytestmark = pytest.mark.server

ROUNDS = 5


def test_an_answer_and_a_snapshot_are_acked_in_the_order_sent(server: Server) -> None:
    """Five times an answer, and at once after it a snapshot: the answer waits for its commit,
    the snapshot for nothing, and still every ack comes in the order sent; the snapshot sent
    after an answer holds that answer."""
    live = create_live(server, MINI)
    control = Screen(server, live["code"], "control", live["control_key"]).connect()
    control.control("goto", {"activity": "kies"})
    phone = Phone(server, live["code"]).connect()
    order: list[tuple[str, int, Any]] = []
    done = threading.Event()

    def record(name: str, k: int) -> Any:
        def got(ack: Any) -> None:
            order.append((name, k, ack))
            if len(order) == 2 * ROUNDS:
                done.set()

        return got

    values = ["rood", "groen", "blauw", "rood", "groen"]
    for k, value in enumerate(values):
        payload = {"activity": "kies", "value": value, "client_id": f"order-{k:04d}"}
        phone.sio.emit("respond", payload, callback=record("respond", k))
        phone.sio.emit("snapshot", {}, callback=record("snapshot", k))
    assert done.wait(WAIT), f"acks so far: {order!r}"
    assert [(name, k) for name, k, _ack in order] == [
        (name, k) for k in range(ROUNDS) for name in ("respond", "snapshot")
    ]
    assert all(ack["ok"] is True for _name, _k, ack in order), order
    answers = [ack["state"]["answers"]["kies"] for name, _k, ack in order if name == "snapshot"]
    assert answers == values
