"""The one rate limiter: token buckets, at most ``rate`` events a second per key, in bursts of
``burst``.

Every budget of the app is a ``Buckets`` made by ``init_app`` and found with ``limiter(app,
kind)``:

- ``join``: new participants per client address (``JOIN_RATE``, ``JOIN_BURST``);
- ``login``: sign-in attempts per client address (``LOGIN_RATE``, ``LOGIN_BURST``);
- ``form``: answers sent by the phone page's form, per participant (``FORM_RATE``,
  ``FORM_BURST``);
- ``event``: Socket.IO events per participant, across all of their connections, and per
  control or projector connection (``EVENT_RATE``, ``EVENT_BURST``; a closed screen
  connection's bucket is forgotten, a participant's is kept);
- ``traceback``: tracebacks the server logs for failed events (``TRACEBACK_RATE``,
  ``TRACEBACK_BURST``; one key for the process).

One process keeps its own counts; with several server processes each has its own (the limits are
per process then).
"""

from __future__ import annotations

import threading
import time
from typing import Any

KINDS = ("join", "login", "form", "event", "traceback")


class Buckets:
    """Token buckets per key, forgetting keys that have been full for a while."""

    def __init__(self, rate: float, burst: float, max_keys: int = 100_000):
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._state: dict[str, tuple[float, float]] = {}

    def allow(self, key: str, cost: float = 1.0) -> bool:
        """Take ``cost`` tokens from the key's bucket; False when there are not enough."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._state.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            allowed = tokens >= cost
            if allowed:
                tokens -= cost
            self._state[key] = (tokens, now)
            if len(self._state) > self.max_keys:
                self._prune(now)
            return allowed

    def forget(self, key: str) -> None:
        """Drop a key's bucket (a closed connection)."""
        with self._lock:
            self._state.pop(key, None)

    def _prune(self, now: float) -> None:
        full_after = self.burst / self.rate if self.rate else float("inf")
        for key, (_tokens, last) in list(self._state.items()):
            if now - last > full_after:
                del self._state[key]
        if len(self._state) > self.max_keys:  # still too many: forget the oldest half
            for key, _ in sorted(self._state.items(), key=lambda kv: kv[1][1])[
                : len(self._state) // 2
            ]:
                del self._state[key]


def init_app(app: Any, event_rate: float, event_burst: float) -> None:
    """Make the app's budgets (the configured ones, and the event budget)."""
    config = app.config
    for kind in ("join", "login", "form", "traceback"):
        app.extensions[f"dialoogtafel.{kind}_limit"] = Buckets(
            config[f"{kind.upper()}_RATE"], config[f"{kind.upper()}_BURST"]
        )
    app.extensions["dialoogtafel.event_limit"] = Buckets(event_rate, event_burst)


def limiter(app: Any, kind: str) -> Buckets:
    """The app's budget of that kind (one of ``KINDS``)."""
    return app.extensions[f"dialoogtafel.{kind}_limit"]  # type: ignore[no-any-return]
