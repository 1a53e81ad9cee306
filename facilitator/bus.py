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

One sender per process publishes the events in order, batched: a message is
``{"from": process id, "seq": n, "events": [...]}`` with ``seq`` counting up by one per message.
``publish`` never waits for Redis (it runs on the answer path); under load, the events that
queued meanwhile leave in one message. A receiver that sees a sender's ``seq`` jump (a message
lost: Redis was unreachable, the sender gave up on a message, this process's subscription was
re-established) cannot know what it missed, so it asks for a ``resync``: every cached result is
dropped and recounted from the database when next needed. A message seen again (the sender
retried a PUBLISH whose reply timed out, though Redis had sent it on) is skipped.

With no message queue configured (one process), nothing is published and nothing listens.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any

from .extensions import socketio

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], None]


#: events per message at most (a burst of answers leaves in a few messages)
MAX_BATCH = 500
#: attempts to publish one message before giving up on it (receivers then resync)
SEND_ATTEMPTS = 20
#: Redis connections per process; a publisher waits for a free one instead of failing
POOL_SIZE = 8
CLIENT_NAME = "dialoogtafel-bus"


class Bus:
    def __init__(self) -> None:
        self.redis: Any = None
        self.channel = "dialoogtafel:bus"
        self.id = uuid.uuid4().hex
        self._handler: Handler | None = None
        self._outbox: deque[dict[str, Any]] = deque()
        self._wake = threading.Event()
        self._seq = 0
        self._last_seen: dict[str, int] = {}
        #: what happened, for tests and the log: messages sent, lost (given up), gaps seen
        self.stats = {"sent": 0, "given_up": 0, "gaps": 0}

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
        self.redis = redis_client(url)
        self.channel = f"dialoogtafel-bus:{app.config.get('BUS_CHANNEL') or 'main'}"
        ready: list[bool] = []
        socketio.start_background_task(self._listen, ready)
        socketio.start_background_task(self._send)
        deadline = time.monotonic() + 5
        while not ready and time.monotonic() < deadline:  # subscribed before serving
            socketio.sleep(0.01)

    def publish(self, event: dict[str, Any]) -> None:
        """Queue an event for the other processes (sent by ``_send``, in order)."""
        if self.redis is None:
            return
        self._outbox.append(event)
        self._wake.set()

    def _send(self) -> None:
        while True:
            self._wake.wait(1.0)
            self._wake.clear()
            while self._outbox:
                batch = [self._outbox.popleft() for _ in range(min(MAX_BATCH, len(self._outbox)))]
                self._seq += 1
                try:
                    self._publish(batch)
                except Exception:  # noqa: BLE001 - the sender must live on; receivers resync
                    log.exception("bus message %d could not be sent", self._seq)

    def _publish(self, batch: list[dict[str, Any]]) -> None:
        message = json.dumps(
            {"from": self.id, "seq": self._seq, "events": batch}, separators=(",", ":")
        )
        for attempt in range(SEND_ATTEMPTS):
            try:
                self.redis.publish(self.channel, message)
                self.stats["sent"] += 1
                return
            except Exception:  # noqa: BLE001 - retried, then given up on
                if attempt == 0:
                    log.exception("could not publish on the bus; retrying")
                socketio.sleep(min(0.05 * 2**attempt, 2.0))
        # the data is committed; the other processes see the gap in seq and recount from the
        # database
        self.stats["given_up"] += 1
        log.error("gave up publishing %d events on the bus (message %d)", len(batch), self._seq)

    def receive(self, data: dict[str, Any]) -> None:
        """Apply one message of another process (in the order they were published)."""
        sender, seq = data.get("from"), data.get("seq")
        if sender == self.id or self._handler is None or not isinstance(seq, int):
            return
        last = self._last_seen.get(sender)  # type: ignore[arg-type]
        if last is not None and seq <= last:
            # published twice: the sender retried a PUBLISH whose reply it did not get
            return
        self._last_seen[sender] = seq  # type: ignore[index]
        if last is not None and seq != last + 1:
            self.stats["gaps"] += 1
            log.warning(
                "bus: %d message(s) of process %s missed; recounting",
                seq - last - 1,
                str(sender)[:8],
            )
            self._apply({"t": "resync"})
        for event in data.get("events") or ():
            if isinstance(event, dict):
                self._apply(event)

    def _apply(self, event: dict[str, Any]) -> None:
        assert self._handler is not None
        try:
            self._handler(event)
        except Exception:  # noqa: BLE001 - one bad event must not stop the listener
            log.exception("bus event %s failed", event.get("t"))

    def _listen(self, ready: list[bool]) -> None:
        while True:
            try:
                pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                ready.append(True)
                for message in pubsub.listen():
                    self.receive(json.loads(message["data"]))
            except Exception:
                log.exception("bus connection lost; reconnecting")
                ready.append(True)
                socketio.sleep(1)


def redis_client(url: str) -> Any:
    """A Redis client whose callers wait for a free connection (green under eventlet and
    gevent) rather than fail: redis-py's default pool refuses a 101st concurrent command, which
    a burst of answers on one process reaches."""
    import redis  # only needed for scale-out

    # named, so that an operator's CLIENT LIST shows which connections are the app's bus
    pool = redis.BlockingConnectionPool.from_url(
        url,
        max_connections=POOL_SIZE,
        timeout=30,
        client_name=CLIENT_NAME,
        socket_connect_timeout=5,
        socket_timeout=30,
    )
    return redis.Redis(connection_pool=pool)


bus = Bus()
