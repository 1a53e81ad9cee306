"""The scale-out bus's message handling (facilitator/bus.py), without Redis: events are applied
in order, a process's own messages are skipped, and a gap in a sender's sequence numbers asks
for a resync before the next events are applied."""

from __future__ import annotations

from typing import Any

import pytest

from facilitator.bus import Bus


def received(messages: list[dict[str, Any]]) -> list[Any]:
    bus = Bus()
    bus.id = "me"
    got: list[Any] = []
    bus._handler = lambda event: got.append(
        event.get("t") if event.get("t") == "resync" else event["n"]
    )
    for m in messages:
        bus.receive(m)
    return got


def msg(sender: str, seq: Any, *ns: int) -> dict[str, Any]:
    return {"from": sender, "seq": seq, "events": [{"t": "x", "n": n} for n in ns]}


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        # in order, several events per message
        ([msg("a", 1, 1, 2), msg("a", 2, 3)], [1, 2, 3]),
        # the first message seen from a sender may have any number (it started before us)
        ([msg("a", 7, 1), msg("a", 8, 2)], [1, 2]),
        # a lost message: resync, then the events of the message after the gap
        ([msg("a", 1, 1), msg("a", 3, 3)], [1, "resync", 3]),
        # a message seen again (a retried PUBLISH that had reached Redis) is skipped, as is an
        # older one; a restarted process is a new sender (a new id), so seq never goes back
        ([msg("a", 5, 1), msg("a", 5, 1), msg("a", 6, 2)], [1, 2]),
        ([msg("a", 5, 1), msg("a", 4, 9), msg("a", 6, 2)], [1, 2]),
        # senders are counted apart
        ([msg("a", 1, 1), msg("b", 1, 2), msg("a", 2, 3), msg("b", 2, 4)], [1, 2, 3, 4]),
        ([msg("a", 1, 1), msg("b", 9, 2), msg("b", 11, 3)], [1, 2, "resync", 3]),
        # this process's own messages are not applied
        ([msg("me", 1, 1), msg("a", 1, 2)], [2]),
        # malformed: no sequence number, or events that are not objects
        ([{"from": "a", "events": [{"t": "x", "n": 1}]}], []),
        ([{"from": "a", "seq": 1, "events": ["x", 3, None, {"t": "x", "n": 4}]}], [4]),
    ],
)
def test_receive(messages: list[dict[str, Any]], expected: list[Any]) -> None:
    assert received(messages) == expected


def test_a_failing_event_does_not_stop_the_others() -> None:
    bus = Bus()
    got: list[int] = []

    def handler(event: dict[str, Any]) -> None:
        if event["n"] == 2:
            raise RuntimeError("broken event")
        got.append(event["n"])

    bus._handler = handler
    bus.receive(msg("a", 1, 1, 2, 3))
    assert got == [1, 3]


def test_publish_without_a_message_queue_does_nothing() -> None:
    bus = Bus()
    bus.publish({"t": "x"})
    assert not bus.active and len(bus._outbox) == 0
