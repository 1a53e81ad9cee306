"""Keeps several server processes in step (scale-out on Redis and PostgreSQL).

Flask-SocketIO's message queue carries the emits to clients connected to any process. What it
does not carry is this app's in-process state: the cached live-session state, the incremental
tallies, who is connected. So every process publishes what it committed on a Redis channel,
and every other process applies it to its caches (``live.apply_remote``):

- ``response``: an answer was stored or changed (the tally follows incrementally; a gap in a
  participant's sequence of changes drops the tally so it is recounted from the database);
- ``live``: the live session's state changed (the cache entry is dropped and reread);
- ``invalidate``: an activity's results changed in a way that is rare enough to recount
  (moderation, votes, questions, a reset);
- ``segments``: a participant changed table; ``joined`` and ``connected`` keep counts.

With no message queue configured (one process), nothing is published and nothing listens.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from .extensions import socketio

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]


class Bus:
    def __init__(self) -> None:
        self.redis: Any = None
        self.channel = "dialoogtafel:bus"
        self.id = uuid.uuid4().hex
        self._handler: Handler | None = None

    @property
    def active(self) -> bool:
        return self.redis is not None

    def init_app(self, app: Any, handler: Handler) -> None:
        """Connect to the message queue's Redis, if one is configured, and start listening."""
        url = app.config.get("MESSAGE_QUEUE") or ""
        self._handler = handler
        if not url.startswith(("redis://", "rediss://", "unix://")):
            self.redis = None
            return
        import redis  # only needed for scale-out

        self.redis = redis.Redis.from_url(url)
        self.channel = f"dialoogtafel-bus:{app.config.get('BUS_CHANNEL') or 'main'}"
        ready: list[bool] = []
        socketio.start_background_task(self._listen, ready)
        deadline = time.monotonic() + 5
        while not ready and time.monotonic() < deadline:  # subscribed before serving
            socketio.sleep(0.01)

    def publish(self, event: dict[str, Any]) -> None:
        if self.redis is None:
            return
        event["from"] = self.id
        try:
            self.redis.publish(self.channel, json.dumps(event, separators=(",", ":")))
        except Exception:  # the data is committed; other processes recount when they notice
            log.exception("could not publish %s on the bus", event.get("t"))

    def _listen(self, ready: list[bool]) -> None:
        while True:
            try:
                pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                ready.append(True)
                for message in pubsub.listen():
                    event = json.loads(message["data"])
                    if event.get("from") == self.id or self._handler is None:
                        continue
                    try:
                        self._handler(event)
                    except Exception:
                        log.exception("bus event %s failed", event.get("t"))
            except Exception:
                log.exception("bus connection lost; reconnecting")
                ready.append(True)
                socketio.sleep(1)


bus = Bus()
