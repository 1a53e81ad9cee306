"""The in-process caches of every live session, as one object owned by the app.

``cache()`` is the app's ``LiveCache`` (``app.extensions["dialoogtafel.live"]``, made by
``live.init_app``). The locks and what each guards are described in the package docstring
(``facilitator/live/__init__.py``); the methods here say which lock their caller holds.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, has_app_context

from .. import kinds, store
from ..aggregate import NO_GROUP, QuestionBoard, Tally, new_tally
from ..bus import bus
from ..programme import Activity
from ..snapshot import BEFORE, EARLIER, ROOM, LiveState

EXTENSION = "dialoogtafel.live"
#: the screens' results list at most this many free-text entries of one status
#: (``Tally.cut``; docs/protocol.md, "results"); the exports list them all
LISTED = 200

#: (live id, activity id): one activity's result in one live session
ResultKey = tuple[int, str]
#: (live id, activity id, dimension): one activity's breakdown by one dimension
BreakdownKey = tuple[int, str, str]

T = TypeVar("T")


class LiveCache:
    """What one server process keeps in memory; all of it can be rebuilt from the database.

    Under ``lock``: ``lives`` (join code -> newest ``LiveState``), ``connected`` (join code ->
    participant id -> open connections) and ``participants`` (join code -> the ids of the
    participants ever joined). Under ``mem``: ``tallies`` and ``revs`` (per ``ResultKey``),
    ``applied`` (scale-out: per ``ResultKey``, how many changes of each participant's answer
    the tally has applied), ``segments`` (live id -> participant id -> dimension -> group) and
    ``breakdowns`` (per ``BreakdownKey``: group -> tally, kept up to date once asked for).
    """

    def __init__(self, secret: str = "") -> None:
        #: the app's secret key, for opaque entry ids (read outside any request)
        self.secret = secret
        self.lock = threading.Lock()
        self.mem = threading.Lock()
        self.lives: dict[str, LiveState] = {}
        self.connected: dict[str, Counter[int]] = {}
        #: join code -> the ids of its participants: read from the database once
        #: (``results.counts``; the code is then in ``participants_read``) and added to by each
        #: join, here or through the bus, whether it comes before or after that read (a count
        #: kept instead counted a join twice when its bus message came after a read that
        #: already held it)
        self.participants: dict[str, set[int]] = {}
        self.participants_read: set[str] = set()
        self.tallies: dict[ResultKey, Tally] = {}
        self.revs: dict[ResultKey, int] = {}
        self.applied: dict[ResultKey, dict[int, int]] = {}
        self.segments: dict[int, dict[int, dict[str, Any]]] = {}
        self.breakdowns: dict[BreakdownKey, dict[str, Tally]] = {}
        #: answers.GroupCommit of the answers, made by the first answer, and of the joins
        self.group: Any = None
        self.joins: Any = None
        #: under ``lock``: (live id, token hash) -> participant id, for the participants who
        #: joined through this process (a phone's connect finds itself without a query)
        self.tokens: dict[tuple[int, str], int] = {}
        #: under ``lock``, one process only (no bus): participant id -> table of the
        #: participants who joined here and have no answer, question, vote of their own yet;
        #: their snapshot needs no query (``answers.own_view``)
        self.fresh: dict[int, int | None] = {}
        #: (lock) (live id, activity id, table) -> the phone that asked for the table's role
        #: (a per-table kind's reporter) while another holds it; forgotten on a restart
        self.role_requests: dict[tuple[int, str, int], int] = {}
        #: (lock) join code -> earlier live sessions of its programme (live/pooled.py)
        self.earlier: dict[str, list[LiveState]] = {}
        #: (mem) per ``ResultKey``: the earlier live sessions' pooled tally
        self.pooled: dict[ResultKey, Tally] = {}

    def clear(self) -> None:
        """Forget everything (tests; the CLI after deleting a live session)."""
        with self.lock:
            self.lives.clear()
            self.connected.clear()
            self.participants.clear()
            self.participants_read.clear()
            self.earlier.clear()
            self.role_requests.clear()
            self.tokens.clear()
            self.fresh.clear()
        with self.mem:
            self.pooled.clear()
            self.tallies.clear()
            self.revs.clear()
            self.applied.clear()
            self.segments.clear()
            self.breakdowns.clear()

    def forget_live(self, live_id: int, code: str) -> None:
        """Forget one live session (deleted): everything kept of it, and the earlier-rooms
        comparisons, which may have pooled it (they are rebuilt when asked for)."""
        with self.mem:
            self.pooled.clear()
            for key in [k for k in self.tallies if k[0] == live_id]:
                self.tallies.pop(key, None)
                self.revs.pop(key, None)
                self.applied.pop(key, None)
            pids = list(self.segments.pop(live_id, {}))
            self.forget_breakdowns(live_id)
            for pooling in [k for k in self.breakdowns if k[2] == EARLIER]:  # may pool it
                del self.breakdowns[pooling]
        with self.lock:
            self.lives.pop(code, None)
            self.connected.pop(code, None)
            self.participants.pop(code, None)
            self.participants_read.discard(code)
            self.earlier.clear()
            for token in [k for k in self.tokens if k[0] == live_id]:
                del self.tokens[token]
            for request in [k for k in self.role_requests if k[0] == live_id]:
                del self.role_requests[request]
            for pid in pids:
                self.fresh.pop(pid, None)

    # ------------------------------------------------------------------------ results

    def bump(self, live: LiveState, activity_id: str) -> None:
        """A new revision of an activity's result. With several processes a revision is also a
        time (microseconds), so the newest result wins whichever process built it. Hold mem."""
        key = (live.id, activity_id)
        rev = self.revs.get(key, 0) + 1
        if bus.active:
            rev = max(rev, time.time_ns() // 1000)
        self.revs[key] = rev

    def tally(self, live: LiveState, activity_id: str) -> Tally:
        """The activity's tally, recounted from the database the first time. Hold write_lock
        (not mem); change the tally only under mem."""
        key = (live.id, activity_id)
        with self.mem:
            tally = self.tallies.get(key)
        if tally is not None:
            return tally
        activity = live.programme.activity(activity_id)
        assert activity is not None
        applied: dict[int, int] | None
        if kinds.of(activity).questions:
            board = new_tally(activity, str)
            assert isinstance(board, QuestionBoard)
            for q in store.questions_for(live.id, activity_id):
                board.ask(q.id, q.participant_id, q.text, q.status, q.votes, q.pinned, q.answered)
            tally, applied = board, None  # question changes reach other processes as
            # "invalidate"
        else:
            tally = new_tally(activity, labeller(f"{self.secret}:{live.id}:{activity_id}".encode()))
            tally.cut = LISTED
            rows = store.responses_for(live.id, activity_id)
            for pid, value, status, _changes in rows:
                tally.add(pid, value)
                tally.set_status(pid, status)
            # scale-out: which changes the recount holds, from the same query (see
            # sync.apply_response)
            applied = {pid: changes for pid, _v, _s, changes in rows} if bus.active else None
        st = live.status(activity_id)
        tally.mark_words(st.hidden_words, st.approved_words)
        if activity.compare_with:  # a scale's before/after
            tally.compare(self.tally(live, activity.compare_with))
        with self.mem:
            self.tallies[key] = tally
            self.revs.setdefault(key, 0)
            if applied is not None:
                self.applied[key] = applied
        return tally

    def board(self, live: LiveState, activity_id: str) -> QuestionBoard:
        """``tally`` of an activity whose kind has ``questions``: its ``QuestionBoard``."""
        board = self.tally(live, activity_id)
        assert isinstance(board, QuestionBoard)
        return board

    def reading(self, live: LiveState, activity_id: str, read: Callable[[Tally, int], T]) -> T:
        """``read(tally, rev)`` under mem. An existing tally is read without waiting for
        writers; a missing one is recounted under write_lock first."""
        key = (live.id, activity_id)
        with self.mem:
            tally = self.tallies.get(key)
            if tally is not None:
                return read(tally, self.revs[key])
        with store.write_lock:
            tally = self.tally(live, activity_id)
            with self.mem:
                return read(tally, self.revs[key])

    def drop(self, live_id: int, activity_id: str) -> None:
        """Forget an activity's tally and breakdowns (they are recounted when next needed).
        Hold mem."""
        self.tallies.pop((live_id, activity_id), None)
        self.applied.pop((live_id, activity_id), None)
        for key in [k for k in self.breakdowns if k[0] == live_id and k[1] == activity_id]:
            del self.breakdowns[key]
        for tkey, tally in list(self.tallies.items()):  # a before/after view holds the old tally
            if tkey[0] == live_id and tally.activity.compare_with == activity_id:
                self.tallies.pop(tkey)
                self.applied.pop(tkey, None)

    # --------------------------------------------------------------------- breakdowns

    def segment_map(self, live: LiveState) -> dict[int, dict[str, Any]]:
        """Every participant's segments, loaded once. Hold write_lock (not mem)."""
        with self.mem:
            segments = self.segments.get(live.id)
        if segments is None:
            loaded = store.segments(live.id, [a.id for a in live.programme.profile_activities])
            with self.mem:
                segments = self.segments.setdefault(live.id, loaded)
        return segments

    def breakdown_tallies(
        self, live: LiveState, activity_id: str, dimension: str
    ) -> dict[str, Tally]:
        """An activity's responses broken down by a dimension (group -> tally), recounted the
        first time. Hold write_lock (not mem). A breakdown is cached only together with the
        segments it was counted from (while both are cached, ``follow_breakdowns`` keeps them
        in step)."""
        key = (live.id, activity_id, dimension)
        with self.mem:
            by_group = self.breakdowns.get(key)
        if by_group is None:
            activity = live.programme.activity(activity_id)
            assert activity is not None
            segments = self.segment_map(live)
            rows = store.responses_for(live.id, activity_id)
            by_group = {}
            if dimension == EARLIER:  # this room beside the earlier rooms pooled
                from .pooled import earlier_tally

                by_group[BEFORE] = earlier_tally(live, activity_id)
            with self.mem:
                for pid, value, _status, _changes in rows:
                    group = group_of(segments, pid, dimension)
                    if group not in by_group:
                        by_group[group] = group_tally(live, activity)
                    by_group[group].add(pid, value)
                if self.segments.get(live.id) is segments:
                    self.breakdowns[key] = by_group
        return by_group

    def follow_breakdowns(
        self, live: LiveState, activity: Activity, participant_id: int, saved: store.Saved
    ) -> None:
        """Keep the breakdowns in step with a committed change. Hold mem."""
        segments = self.segments.get(live.id)
        if segments is None:
            return  # then no breakdown of this live session is cached either
        if activity.profile:
            # the participant moves to another group: recount the breakdowns by this question
            segments.setdefault(participant_id, {})[activity.id] = saved.value
            self.forget_breakdowns(live.id, dimension=activity.id)
        for (lid, aid, dimension), by_group in self.breakdowns.items():
            if lid != live.id or aid != activity.id:
                continue
            group = group_of(segments, participant_id, dimension)
            if group not in by_group:
                by_group[group] = group_tally(live, activity)
            if saved.kind == "new":
                by_group[group].add(participant_id, saved.value)
            else:
                by_group[group].replace(participant_id, saved.old, saved.value)

    def forget_breakdowns(self, live_id: int, dimension: str | None = None) -> None:
        """Forget a live session's breakdowns (by one dimension, or all). Hold mem."""
        for key in [
            k
            for k in self.breakdowns
            if k[0] == live_id and (dimension is None or k[2] == dimension)
        ]:
            del self.breakdowns[key]


#: the app whose ``live.init_app`` ran last: the one the database, the broadcaster and the bus
#: serve (``extensions.db`` and ``broadcast.coalescer`` are bound to it too)
_serving: list[Any] = [None]


def cache() -> LiveCache:
    """The current app's live-session caches; outside an app context (a test's plain call, the
    bus's listener) those of the app being served."""
    app = current_app if has_app_context() else _serving[0]
    if app is None:
        raise RuntimeError("live.init_app was not called (no app to take the caches from)")
    return app.extensions[EXTENSION]  # type: ignore[no-any-return]


def install(app: Any) -> LiveCache:
    """Give ``app`` caches of its own, and make it the app being served."""
    c = app.extensions[EXTENSION] = LiveCache(app.config["SECRET_KEY"])
    _serving[0] = app
    return c


def group_of(segments: dict[int, dict[str, Any]], participant_id: int, dimension: str) -> str:
    """The participant's group in a dimension (``NO_GROUP`` without one); every phone of
    this room is in its group ``ROOM`` beside the earlier rooms."""
    if dimension == EARLIER:
        return ROOM
    value = segments.get(participant_id, {}).get(dimension)
    return NO_GROUP if value is None else str(value)


def group_tally(live: LiveState, activity: Activity) -> Tally:
    """An empty tally for one group of a breakdown; a word cloud's group follows the
    facilitator's hidden and approved words like the whole room's cloud."""
    tally = new_tally(activity)
    st = live.status(activity.id)
    tally.mark_words(st.hidden_words, st.approved_words)
    return tally


def labeller(secret: bytes) -> Callable[[Any], str]:
    """The opaque entry ids of one tally, each computed once: a text result lists every entry
    several times a second."""
    labels: dict[Any, str] = {}

    def label(participant_id: Any) -> str:
        found = labels.get(participant_id)
        if found is None:
            found = labels[participant_id] = opaque(secret, participant_id)
        return found

    return label


def opaque(secret: bytes, participant_id: Any) -> str:
    """A short id for a participant's entry in one activity; unlinkable across activities."""
    return hmac.new(secret, str(participant_id).encode(), hashlib.sha256).hexdigest()[:12]
