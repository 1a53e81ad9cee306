"""Our Socket.IO client manager (facilitator/clients.py) keeps python-socketio's rooms exactly
as python-socketio's own manager does, for the same steps, and a disconnect leaves the
connection's own rooms without testing the namespace's other rooms (python-socketio's way is
quadratic when a room of phones leaves at once)."""

from __future__ import annotations

from typing import Any

import pytest
import socketio as python_socketio

from facilitator.clients import ours

NS = "/"


class _Eio:
    def __init__(self) -> None:
        self.n = 0

    def generate_id(self) -> str:
        self.n += 1
        return f"s{self.n}"


class _Server:
    def __init__(self) -> None:
        self.eio = _Eio()
        self.packet_class = python_socketio.packet.Packet


def managers() -> tuple[Any, Any]:
    plain, mine = python_socketio.Manager(), ours(python_socketio.Manager)()
    for m in (plain, mine):
        m.set_server(_Server())
    return plain, mine


def snapshot(m: Any) -> dict[Any, dict[Any, dict[str, str]]]:
    return {
        ns: {room: dict(members) for room, members in rooms.items()}
        for ns, rooms in m.rooms.items()
    }


def connect(m: Any, eio_sid: str, rooms: list[str]) -> str:
    sid = m.pre_connect(eio_sid, NS)
    # what Manager.connect does, without the events (no app here)
    python_socketio.Manager.connect(m, sid, NS)
    for room in rooms:
        m.enter_room(sid, NS, room)
    return str(sid)


# each step: (operation, arguments); sids are named by their order of connecting
STEPS: list[tuple[str, tuple[Any, ...]]] = [
    ("connect", ("e1", ["phones:ABC", "p:ABC:1"])),
    ("connect", ("e2", ["phones:ABC", "p:ABC:2"])),
    ("connect", ("e3", ["control:ABC", "projector:ABC"])),
    ("connect", ("e4", ["phones:ABC", "p:ABC:1"])),  # a second tab of participant 1
    ("leave", (0, "phones:ABC")),
    ("enter", (0, "phones:ABC")),
    ("disconnect", (1,)),
    ("close", ("projector:ABC",)),
    ("disconnect", (0,)),
    ("connect", ("e5", ["phones:ABC", "p:ABC:2"])),
    ("disconnect", (3,)),
    ("leave", (4, "not-a-room")),
    ("disconnect", (2,)),
    ("disconnect", (4,)),
]


@pytest.mark.parametrize("upto", range(1, len(STEPS) + 1))
def test_rooms_as_python_socketio_keeps_them(upto: int) -> None:
    plain, mine = managers()
    sids: dict[int, list[str]] = {id(plain): [], id(mine): []}
    for op, args in STEPS[:upto]:
        for m in (plain, mine):
            own = sids[id(m)]
            if op == "connect":
                own.append(connect(m, *args))
            elif op == "leave":
                m.leave_room(own[args[0]], NS, args[1])
            elif op == "enter":
                m.enter_room(own[args[0]], NS, args[1])
            elif op == "close":
                m.close_room(args[0], NS)
            else:
                m.disconnect(own[args[0]], NS)
    assert snapshot(mine) == snapshot(plain)
    for a, b in zip(sids[id(plain)], sids[id(mine)], strict=True):
        assert a == b
        assert sorted(mine.get_rooms(b, NS)) == sorted(plain.get_rooms(a, NS))
        assert mine.is_connected(b, NS) == plain.is_connected(a, NS)
    # every connection gone: nothing indexed is left behind
    if upto == len(STEPS):
        assert mine.rooms_of == {}
        assert snapshot(mine) == {}


class _NoScan(dict[Any, Any]):
    """A namespace's rooms that fail the test when they are listed (scanned)."""

    def _scan(self, *_a: Any) -> Any:
        raise AssertionError("the namespace's rooms were scanned")

    items = keys = values = copy = __iter__ = _scan  # type: ignore[assignment]


def test_a_disconnect_leaves_its_own_rooms_without_testing_the_others() -> None:
    _plain, mine = managers()
    sids = [connect(mine, f"e{i}", ["phones:ABC", f"p:ABC:{i}"]) for i in range(1000)]
    assert len(mine.rooms[NS]) == 2 + 2 * 1000  # None, the phones' room, 1000 × (sid, p:…)
    mine.rooms[NS] = _NoScan(mine.rooms[NS])
    mine.disconnect(sids[500], NS)
    rooms = dict.items(mine.rooms[NS])
    assert len(rooms) == 2 + 2 * 999
    assert sids[500] not in dict(rooms)[None]
    assert "p:ABC:500" not in dict(rooms)
    assert len(dict(rooms)["phones:ABC"]) == 999
    assert mine.get_rooms(sids[501], NS) == [sids[501], "phones:ABC", "p:ABC:501"]

    plain, _mine = managers()
    psids = [connect(plain, f"e{i}", ["phones:ABC"]) for i in range(3)]
    plain.rooms[NS] = _NoScan(plain.rooms[NS])
    with pytest.raises(AssertionError, match="scanned"):  # python-socketio's own does scan
        plain.disconnect(psids[0], NS)
