"""Socket.IO's client manager, as Dialoogtafel uses it (python-socketio's own, or a message
queue's for scale-out), with two changes:

- right after a connection's CONNECT packet is sent, ``events.after_connect`` runs (so that a
  screen's first ``state`` follows CONNECT);
- the rooms each connection is in are indexed, so a disconnect leaves its own rooms only.
  python-socketio finds a connection's rooms by testing every room of the namespace, and every
  connection has a room of its own and every phone a participant room: with 5,000 phones one
  disconnect tested 10,000 rooms (about 8 ms of CPU), and a room of phones leaving at once (the
  venue's Wi-Fi drops, the session ends) took the server 40 s of CPU, quadratic in the phones.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask


def client_manager(app: Flask) -> Any:
    """The manager for ``app``'s configuration. On Redis, with our own settings: redis-py's
    defaults (a 5 s socket timeout, at most 100 connections) made publishes fail under a burst,
    and python-socketio gives up on an emit after two attempts, logging it through its own
    logger only, here the app's ``socketio.redis`` logger."""
    import socketio as python_socketio

    url = app.config["MESSAGE_QUEUE"] or None
    channel = f"dialoogtafel-sio:{app.config['BUS_CHANNEL']}"
    if url is None:
        return ours(python_socketio.Manager)()
    if url.startswith(("redis://", "rediss://")):
        return ours(python_socketio.RedisManager)(
            url,
            channel=channel,
            logger=logging.getLogger("socketio.redis"),
            redis_options={
                "socket_timeout": 30,
                "socket_connect_timeout": 5,
                "max_connections": 1000,
            },
        )
    queue = python_socketio.KafkaManager if url.startswith("kafka://") else None
    if url.startswith("zmq"):
        queue = python_socketio.ZmqManager
    return ours(queue or python_socketio.KombuManager)(url, channel=channel)


def ours(base: type) -> type:
    """``base`` (a python-socketio client manager) with its rooms indexed per connection and
    ``events.after_connect`` called after CONNECT."""
    from . import events

    class Manager(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            #: (namespace, sid) -> the rooms it is in (None: the namespace's list of
            #: connections; its own sid room), in the order entered
            self.rooms_of: dict[tuple[str, str], dict[Any, None]] = {}

        def connect(self, sid: str, namespace: str) -> Any:
            sid = super().connect(sid, namespace)
            if namespace in (None, "/"):
                events.after_connect(sid)
            return sid

        def basic_enter_room(
            self, sid: str, namespace: str, room: Any, eio_sid: str | None = None
        ) -> None:
            super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
            self.rooms_of.setdefault((namespace, sid), {})[room] = None

        def basic_leave_room(self, sid: str, namespace: str, room: Any) -> None:
            super().basic_leave_room(sid, namespace, room)
            rooms = self.rooms_of.get((namespace, sid))
            if rooms is not None:
                rooms.pop(room, None)
                if not rooms:
                    del self.rooms_of[(namespace, sid)]

        def basic_disconnect(self, sid: str, namespace: str, **kwargs: Any) -> None:
            """What python-socketio's does, without testing every room of the namespace."""
            if namespace not in self.rooms:
                self.rooms_of.pop((namespace, sid), None)
                return
            for room in list(self.rooms_of.get((namespace, sid), ())):
                self.basic_leave_room(sid, namespace, room)
            self.callbacks.pop(sid, None)
            for pending in (self.pending_connect, self.pending_disconnect):
                sids = pending.get(namespace)
                if sids is not None and sid in sids:
                    sids.remove(sid)
                    if not sids:
                        del pending[namespace]

        def get_rooms(self, sid: str, namespace: str) -> list[Any]:
            return [r for r in self.rooms_of.get((namespace, sid), ()) if r is not None]

    Manager.__name__ = f"Dialoogtafel{base.__name__}"
    return Manager
