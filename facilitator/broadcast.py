"""Server -> client Socket.IO events, and the rooms they go to. Nothing else emits.

Events (payloads in docs/protocol.md):
- ``state``   full snapshot for one screen; to one connection after connect, and to each screen's
              room after every control action (three emits, no per-phone work).
- ``results`` an activity's result; to the control and projector rooms, coalesced.
- ``counts``  connected / joined / answered numbers; to control and projector, coalesced.
- ``questions`` the approved Q&A questions; to the phones' room while a Q&A is on their screens,
              coalesced.
- ``own_question`` a participant's own question was approved or hidden by the facilitator; to
              that participant's room only.
- ``deleted`` the live session was deleted (by the facilitator, or its retention ran out); to
              every screen's room.

Rooms: ``live:<code>`` (phones), ``live:<code>:control``, ``live:<code>:projector``, and
``live:<code>:p:<participant id>`` (each of one participant's connections). Phones never join the
control or projector room.

Coalescing: ``results_changed`` and ``counts_changed`` only mark a live session dirty; a background
task sends what is dirty at most once per ``BROADCAST_INTERVAL`` (0.1 s), so a burst of a thousand
answers costs ten result messages a second, not a thousand.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from .extensions import socketio

log = logging.getLogger(__name__)


def participants_room(code: str) -> str:
    return f"live:{code}"


def participant_room(code: str, participant_id: int) -> str:
    """One participant's own room: each of their connections (a phone, a second tab)."""
    return f"live:{code}:p:{participant_id}"


def to_participant(code: str, participant_id: int, event: str, data: dict[str, Any]) -> None:
    """An event for one participant only, on whichever process their phone is connected."""
    socketio.emit(event, data, to=participant_room(code, participant_id))


def control_room(code: str) -> str:
    return f"live:{code}:control"


def projector_room(code: str) -> str:
    return f"live:{code}:projector"


def room_for(role: str, code: str) -> str:
    return {"participant": participants_room, "control": control_room, "projector": projector_room}[
        role
    ](code)


# ------------------------------------------------------------------------------ snapshots


def state_to(sid: str, state: Mapping[str, Any]) -> None:
    """The snapshot for one connection, sent by the process that holds it (in its connect or
    ``snapshot`` handler): straight to the client, not through the scale-out message queue,
    where every process would decode every phone's snapshot."""
    socketio.emit("state", state, to=sid, ignore_queue=True)


def state_to_control(code: str, control: Mapping[str, Any]) -> None:
    """A fresh snapshot for the control screens only (e.g. after moderation: a new log line)."""
    socketio.emit("state", control, to=control_room(code))


def state_to_rooms(
    code: str, participant: Mapping[str, Any], projector: Mapping[str, Any], control: dict[str, Any]
) -> None:
    """A new snapshot for every screen of a live session."""
    socketio.emit("state", participant, to=participants_room(code))
    socketio.emit("state", projector, to=projector_room(code))
    socketio.emit("state", control, to=control_room(code))


def deleted_to_rooms(code: str) -> None:
    """The live session is gone: every screen of it hears so (and stops using it)."""
    rooms = [participants_room(code), projector_room(code), control_room(code)]
    socketio.emit("deleted", {"code": code}, to=rooms)


# ------------------------------------------------------------------------------ coalescing

#: (code, activity_id) -> (control payload, projector payload); registered by facilitator/live
ResultsProvider = Callable[[str, str], tuple[Mapping[str, Any], Mapping[str, Any]] | None]
CountsProvider = Callable[[str], Mapping[str, Any] | None]
QuestionsProvider = Callable[[str, str], Mapping[str, Any] | None]


def questions_to_room(code: str, payload: Mapping[str, Any]) -> None:
    socketio.emit("questions", payload, to=participants_room(code))


class Coalescer:
    """Collects dirty live sessions and flushes them from one background task."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._results: dict[str, set[str]] = {}
        self._counts: set[str] = set()
        self._questions: dict[str, set[str]] = {}
        self._results_provider: ResultsProvider | None = None
        self._counts_provider: CountsProvider | None = None
        self._questions_provider: QuestionsProvider | None = None
        self._tick: Callable[[], None] = lambda: None
        self._app: Any = None
        self._started = False
        self.interval = 0.1
        #: scale-out: results are sent once more this long after their last change, since an
        #: emit through the message queue can be lost (python-socketio gives up on a publish
        #: after two attempts) and a projector would then stay one update behind
        self.settle: float | None = None
        self._unsettled: dict[tuple[str, str], float] = {}
        #: one flush at a time; when the next one may start (time.monotonic)
        self._flushing = threading.Lock()
        self._due = 0.0
        #: time.monotonic() of the last change marked (an answer, a join, a connect or leave):
        #: app.collect_when_quiet waits for a quiet room
        self.busy_at = 0.0

    def start(
        self,
        app: Any,
        results: ResultsProvider,
        counts: CountsProvider,
        questions: QuestionsProvider,
        tick: Callable[[], None],
        interval: float,
        settle: float | None = None,
    ) -> None:
        """Register what builds the payloads (and a tick run every interval, for timers); the
        loop runs them inside ``app``'s context."""
        self._app = app
        self._results_provider, self._counts_provider = results, counts
        self._questions_provider, self._tick = questions, tick
        self.interval = interval
        self.settle = settle
        self._unsettled.clear()
        with self._lock:
            if self._started:
                return
            self._started = True
        socketio.start_background_task(self._run)

    def results_changed(self, code: str, activity_id: str) -> None:
        with self._lock:
            self._results.setdefault(code, set()).add(activity_id)
            self._counts.add(code)
            self.busy_at = time.monotonic()

    def questions_changed(self, code: str, activity_id: str) -> None:
        with self._lock:
            self._questions.setdefault(code, set()).add(activity_id)
            self.busy_at = time.monotonic()

    def counts_changed(self, code: str) -> None:
        with self._lock:
            self._counts.add(code)
            self.busy_at = time.monotonic()

    def _run(self) -> None:
        while True:
            socketio.sleep(self.interval)
            with self._app.app_context():
                try:
                    self._tick()
                except Exception:
                    log.exception("timer tick failed")
                try:
                    if time.monotonic() >= self._due:
                        self.flush()
                except Exception:  # keep broadcasting whatever one bad payload did
                    log.exception("broadcast flush failed")

    def flush_if_due(self) -> None:
        """Flush now if the last flush is an interval ago (and none is running): called by the
        answer path once per committed batch, so that while a burst of answers keeps the event
        loop busy, and the background task's timer comes late, the screens still get their
        results every interval; or, when the last flush took long, once four times its
        duration has passed (``FLUSH_SHARE``). Needs the app context (the caller's request
        has it)."""
        if self._results_provider is None or time.monotonic() < self._due:
            return
        if not self._flushing.acquire(blocking=False):
            return  # a flush is sending: what it did not take stays dirty for the next one
        try:
            self._timed_flush()
        except Exception:  # the answer was committed: never fail its ack for a broadcast
            log.exception("broadcast flush failed")
        finally:
            self._flushing.release()

    #: the answer path's flushes take at most this share of the time: a result whose payload
    #: grows with the room (an open text lists every entry) is sent less often than every
    #: interval while a burst keeps the server busy, instead of crowding out the answers
    FLUSH_SHARE = 0.25

    def _timed_flush(self) -> None:
        started = time.monotonic()
        self._due = started + self.interval
        self._flush()
        took = time.monotonic() - started
        self._due = max(self._due, started + took / self.FLUSH_SHARE)

    def flush(self) -> None:
        """Send everything that is dirty now."""
        with self._flushing:
            self._timed_flush()

    def _flush(self) -> None:
        with self._lock:
            results, self._results = self._results, {}
            counts, self._counts = self._counts, set()
            questions, self._questions = self._questions, {}
        assert self._results_provider and self._counts_provider and self._questions_provider
        now = time.monotonic()
        settled: set[tuple[str, str]] = set()
        if self.settle is not None:
            for key, due in list(self._unsettled.items()):
                if due <= now and key[1] not in results.get(key[0], ()):
                    del self._unsettled[key]  # quiet for a while: send the last results again
                    settled.add(key)
                    results.setdefault(key[0], set()).add(key[1])
        for code, activity_ids in results.items():
            for activity_id in activity_ids:
                payloads = self._results_provider(code, activity_id)
                if payloads is None:
                    continue
                control, projector = payloads
                socketio.emit("results", control, to=control_room(code))
                socketio.emit("results", projector, to=projector_room(code))
                if self.settle is not None and (code, activity_id) not in settled:
                    self._unsettled[(code, activity_id)] = now + self.settle
        for code, activity_ids in questions.items():
            for activity_id in activity_ids:
                payload = self._questions_provider(code, activity_id)
                if payload is not None:
                    questions_to_room(code, payload)
        for code in counts:
            numbers = self._counts_provider(code)
            if numbers is not None:
                socketio.emit("counts", numbers, to=[control_room(code), projector_room(code)])


coalescer = Coalescer()
