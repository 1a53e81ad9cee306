"""Phones: joining, connecting, answering (``respond``) and saying at which table they sit."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from flask import current_app

from .. import kinds, store
from ..activities import InvalidResponse, clean_response
from ..broadcast import coalescer, to_participant
from ..bus import bus
from ..programme import Activity
from ..snapshot import OPEN, TABLE, LiveState
from .access import admit
from .cache import LiveCache, cache
from .checks import LiveError, activity_of, client_id, reused, table_number
from .lookup import get, remember

W = TypeVar("W", bound="Waiting")


def join(code: str, table: Any = None, key: Any = None) -> tuple[LiveState, int, str]:
    """Make a new participant: (live, participant id, token), at a table if given. ``key``:
    the table card's key or the personal code, when the live session's join mode asks for one
    (``access``)."""
    live = get(code)
    if live.ended_at is not None:
        raise LiveError("ended", "this live session has ended")
    if live.join_locked:
        raise LiveError("locked", "joining is locked by the facilitator")
    number = table_number(live, table)
    personal = admit(live, number, key)
    c = cache()
    if personal is None:  # joins that arrive together share a commit (a connect storm)
        if c.joins is None:
            c.joins = GroupCommit(_commit_joins)
        joins: GroupCommit[_Joining] = c.joins
        pid, token = joins.submit(_Joining(live.id, number))
    else:  # a personal code is marked used in the same transaction, or refused
        try:
            pid, token = store.create_participant(live.id, number, personal)
        except store.CodeUsed:
            raise LiveError(
                "join_code_used", "this personal code was used already: each joins one person"
            ) from None
    with c.lock:
        c.tokens[(live.id, store.hash_token(token))] = pid
        if not bus.active:
            c.fresh[pid] = number
    joined(live, pid, number)
    bus.publish({"t": "joined", "live": live.id, "code": live.code, "pid": pid, "table": number})
    coalescer.counts_changed(live.code)
    return live, pid, token


def _commit_joins(batch: list[_Joining]) -> None:
    """Commit a batch of new participants in one transaction; each one's ack is its
    (participant id, token)."""
    made = store.create_participants([(r.live_id, r.table) for r in batch])
    for r, ack in zip(batch, made, strict=True):
        r.ack = ack


def joined(live: LiveState, pid: int, table: int | None) -> None:
    """Count a new participant (of this process or, through the bus, another)."""
    c = cache()
    with store.write_lock, c.mem:  # write_lock: after any recount of the segments under way
        if live.id in c.segments:
            c.segments[live.id][pid] = {TABLE: table}
    with c.lock:
        c.participants.setdefault(live.code, set()).add(pid)


def participant_for(live: LiveState, token: str | None) -> int | None:
    """The participant holding the token: known in memory when it joined through this
    process, else looked up in the database."""
    if not token or len(token) > 100:
        return None
    c = cache()
    with c.lock:
        pid = c.tokens.get((live.id, store.hash_token(token)))
    return pid if pid is not None else store.find_participant(live.id, token)


def own_view(
    participant_id: int, with_questions: bool
) -> tuple[dict[str, Any], dict[str, dict[str, list[Any]]], int | None]:
    """What a phone's snapshot needs of its own: (answers, Q&A, table); without a query for a
    participant who has none yet (joined through this process, nothing sent since)."""
    c = cache()
    with c.lock:
        if participant_id in c.fresh:
            return {}, {}, c.fresh[participant_id]
    return store.participant_view(participant_id, with_questions)


def connected(live: LiveState, participant_id: int, delta: int, local: bool = True) -> None:
    """A phone's connection opened (+1) or closed (-1)."""
    if local:
        bus.publish({"t": "connected", "code": live.code, "pid": participant_id, "d": delta})
    c = cache()
    with c.lock:
        n = c.connected.setdefault(live.code, Counter())
        n[participant_id] += delta
        if n[participant_id] <= 0:
            del n[participant_id]
    coalescer.counts_changed(live.code)


def respond(live: LiveState, participant_id: int, payload: Any) -> dict[str, Any]:
    """Clean, commit, then count a participant's answer; returns the ack once the answer is
    committed. Answers that arrive together are committed together (``GroupCommit``)."""
    if not isinstance(payload, dict):
        raise LiveError("bad_payload", "respond expects an object {activity, value, client_id}")
    live = get(live.code)  # the newest state: the activity may have closed meanwhile
    activity = activity_of(live, payload)
    cid = client_id(payload)
    if "value" not in payload:
        raise LiveError("bad_payload", "field 'value' is missing")
    kind = kinds.of(activity)
    if kind.questions:
        raise LiveError("not_answerable", f"'{activity.id}' is a Q&A: send 'ask' or 'upvote'")
    try:
        value = clean_response(activity, payload["value"])
    except InvalidResponse as exc:
        raise LiveError(exc.code, exc.message) from None
    status = kind.moderation_status(activity, value)
    request = _Pending(live, activity, participant_id, cid, value, status)
    if kind.per_table:
        # answered per table: stamped against the table's answers so far, so committed alone
        # (one after the other, never in a batch: a batch would stamp two of a table alike)
        try:
            return _respond_at_table(request, kind)
        except LiveError as exc:
            if getattr(exc, "asked", False):  # the control screen shows a phone asks a role
                from ..broadcast import state_to_control
                from .state import control_snapshot

                state_to_control(live.code, control_snapshot(get(live.code)))
            raise
    c = cache()
    if c.group is None:
        c.group = GroupCommit(_commit, pace=current_app.config["ANSWERS_PACE"])
    group: GroupCommit[_Pending] = c.group
    ack: dict[str, Any] = group.submit(request)
    return ack


def _respond_at_table(r: _Pending, kind: kinds.Kind) -> dict[str, Any]:
    """An answer of a per-table kind: refused without a table, stamped by the kind (its table,
    edits, time), committed on its own; the phone may take its table's role (``hold``)."""
    c = cache()
    claimed: LiveState | None = None
    with store.write_lock:
        ack = _closed_retry(c, r)
        if ack is not None:
            return ack
        live = r.live
        table = table_of(live, r.participant_id)
        if table is None:
            raise LiveError(
                "no_table", "choose your table first: this activity is answered per table"
            )
        # a retry (same client id and value) stays a duplicate, whatever the stamps
        if store.submission_use(r.participant_id, r.client_id, r.value) == r.activity.id:
            return {
                "ok": True,
                "activity": r.activity.id,
                "client_id": r.client_id,
                "value": store.answers_of(r.participant_id).get(r.activity.id),
                "duplicate": True,
            }
        tally = c.tally(live, r.activity.id)
        stamped, claim = _at_table(live, r.activity, kind, r.participant_id, r.value, tally)
        saved = store.save_response(
            live.id, r.activity.id, r.participant_id, r.client_id, stamped, r.status, r.value
        )
        if saved.kind == "reused":
            raise reused(r.client_id)
        if saved.kind != "duplicate":
            with c.mem:
                _count(c, r, saved)
            if claim is not None:
                claimed = hold(live, r.activity.id, claim, r.participant_id)
            if bus.active:
                bus.publish(
                    {
                        "t": "response",
                        "live": live.id,
                        "code": live.code,
                        "activity": r.activity.id,
                        "pid": r.participant_id,
                        "kind": saved.kind,
                        "old": saved.old,
                        "new": saved.value,
                        "status": r.status,
                        "changes": saved.changes,
                    }
                )
    if claimed is not None:  # this phone now holds its table's role: every screen hears it
        from .control import publish

        publish(claimed)
    if saved.kind != "duplicate":
        coalescer.results_changed(live.code, r.activity.id)
        tell_table(live, r.activity, table)
    return {
        "ok": True,
        "activity": r.activity.id,
        "client_id": r.client_id,
        "value": saved.value,
        "duplicate": saved.kind == "duplicate",
    }


@dataclass(eq=False, kw_only=True)
class Waiting:
    """A request waiting for its group commit (``GroupCommit``), and then its outcome."""

    wake: threading.Event = field(default_factory=threading.Event)
    #: this request's thread commits the next batch
    lead: bool = False
    #: what the request gets back once committed (or ``error``)
    ack: Any = None
    error: BaseException | None = None


@dataclass(eq=False)
class _Pending(Waiting):
    """One answer waiting for its commit."""

    live: LiveState
    activity: Activity
    participant_id: int
    client_id: str
    value: Any
    status: str


@dataclass(eq=False)
class _Joining(Waiting):
    """A new participant waiting for its commit; ``ack``: (participant id, token)."""

    live_id: int
    table: int | None


class GroupCommit(Generic[W]):
    """Requests that arrive together share one transaction; each gets its outcome after the
    commit that holds it. Answers (``respond``) and new participants (``join``) each have one.

    Every request is added to ``pending``. The first one while nobody leads becomes the
    leader: it yields once (under eventlet or gevent the other requests already read from the
    sockets run up to here meanwhile and join the batch), takes up to ``BATCH`` pending ones,
    and ``commit``s them (answers: ONE transaction under ``store.write_lock``, ``_commit``,
    then the caches in commit order), which sets each one's ``ack`` or ``error``. Then it
    wakes each of them, and hands the lead to the oldest request still pending, whose thread
    commits the next batch. Nothing is acknowledged before the commit that holds it, so a
    ``kill -9`` loses no acknowledged answer; an answer in a batch that failed gets the error,
    and its phone sends it again (with the same client id, so it is counted once).

    A batch is bounded so that one commit never holds the event loop for long: between two
    batches the broadcaster, the sockets' writers and the connects get their turn.

    The answers' commits are paced (``pace``, the setting ``ANSWERS_PACE``): after a small batch
    (fewer than ``PACED_UNDER``), the next leader starts its batch no sooner than ``pace`` after
    the previous one started, so while answers keep coming one by one (a room answering within
    ten seconds is one every 2 ms) they share commits instead of taking one each, and an answer
    waits at most ``pace`` longer for its ack. An answer after a pause (the previous batch
    started longer than ``pace`` ago) is committed at once, and so is the next batch after a
    large one: then the answers are batching by themselves (a room answering within two
    seconds), and waiting only made the projector's updates fewer. A commit of a batch of
    answers costs little more than a commit of one (``bench/commit.py``: 0.16 ms of CPU
    per answer alone, 0.05 in batches of ten). The joins are not paced: their storm showed no
    gain (docs/performance.md)."""

    BATCH = 200
    #: a batch this large or larger is not followed by a paced one
    PACED_UNDER = 10

    def __init__(self, commit: Callable[[list[W]], None], pace: float = 0.0) -> None:
        self.commit = commit
        #: the shortest time from the start of one batch to the start of the next (seconds)
        self.pace = pace
        self.lock = threading.Lock()
        self.pending: list[W] = []
        self.leading = False
        #: when the last batch started (time.monotonic), and how many it took
        self.started = -1e9
        self.last_size = 0
        #: batches committed and requests in them (for the curious: bench, tests)
        self.batches = 0
        self.answers = 0

    def submit(self, req: W) -> Any:
        with self.lock:
            self.pending.append(req)
            if not self.leading:
                self.leading = req.lead = True
        if not req.lead:
            req.wake.wait()
        if req.lead and req.ack is None and req.error is None:
            self._lead()
        if req.error is not None:
            raise req.error
        assert req.ack is not None
        return req.ack

    def _lead(self) -> None:
        # let the requests that arrived together (and, while they keep coming one by one,
        # those of the rest of the pace) join this batch
        paced = self.last_size < self.PACED_UNDER
        time.sleep(max(0.0, self.started + self.pace - time.monotonic()) if paced else 0)
        self.started = time.monotonic()
        with self.lock:
            batch, self.pending = self.pending[: self.BATCH], self.pending[self.BATCH :]
        self.last_size = len(batch)
        try:
            self.commit(batch)
            self.batches += 1
            self.answers += len(batch)
        except BaseException as exc:  # nothing of this batch is acknowledged
            for r in batch:
                if r.ack is None and r.error is None:
                    r.error = exc
            raise
        finally:
            with self.lock:
                following = self.pending[0] if self.pending else None
                if following is not None:
                    following.lead = True
                else:
                    self.leading = False
            for r in batch:
                r.wake.set()
            if following is not None:
                following.wake.set()


def _commit(batch: list[_Pending]) -> None:
    """Check, commit and count a batch of answers; sets each one's ack or error."""
    c = cache()
    changed: set[tuple[str, str]] = set()
    with store.write_lock:
        todo: list[_Pending] = []
        for r in batch:
            try:
                r.ack = _closed_retry(c, r)
            except LiveError as exc:
                r.error = exc
                continue
            if r.ack is None:
                todo.append(r)
        outcomes = store.save_responses(
            [
                store.Answer(
                    r.live.id, r.activity.id, r.participant_id, r.client_id, r.value, r.status
                )
                for r in todo
            ]
        )
        with c.mem:
            for r, saved in zip(todo, outcomes, strict=True):
                if isinstance(saved, Exception):
                    r.error = saved
                    continue
                if saved.kind == "reused":  # used before for another activity or value
                    r.error = reused(r.client_id)
                    continue
                r.ack = {
                    "ok": True,
                    "activity": r.activity.id,
                    "client_id": r.client_id,
                    "value": saved.value,
                    "duplicate": saved.kind == "duplicate",
                }
                if saved.kind == "duplicate":
                    continue
                _count(c, r, saved)
                changed.add((r.live.code, r.activity.id))
                live = r.live
                if r.activity.profile and live.breakdown_by == r.activity.id and live.current:
                    # the participant moved to another group of the breakdown on the screens
                    changed.add((live.code, live.current))
        if bus.active:
            for r, saved in zip(todo, outcomes, strict=True):
                if isinstance(saved, store.Saved) and saved.kind in ("new", "changed"):
                    bus.publish(
                        {
                            "t": "response",
                            "live": r.live.id,
                            "code": r.live.code,
                            "activity": r.activity.id,
                            "pid": r.participant_id,
                            "kind": saved.kind,
                            "old": saved.old,
                            "new": saved.value,
                            "status": r.status,
                            "changes": saved.changes,
                        }
                    )
    for code, activity_id in changed:
        coalescer.results_changed(code, activity_id)
    coalescer.flush_if_due()


def _closed_retry(c: LiveCache, r: _Pending) -> dict[str, Any] | None:
    """None while answering is open (and the tally is counted, before this batch commits);
    the ack of a retry of an answer committed before answering closed; else LiveError.
    Hold write_lock."""
    live = r.live = get(r.live.code)
    activity = r.activity
    anytime = activity.profile and live.programme.profile_at_join and live.ended_at is None
    if live.status(activity.id).status != OPEN and not anytime:
        use = store.submission_use(r.participant_id, r.client_id, r.value)
        if use == "reused":
            raise reused(r.client_id)
        if use == activity.id:
            # a retry of an answer committed before answering closed: its ack got lost
            return {
                "ok": True,
                "activity": activity.id,
                "client_id": r.client_id,
                "value": store.answers_of(r.participant_id).get(activity.id),
                "duplicate": True,
            }
        raise LiveError("closed", f"answering for '{activity.id}' is not open")
    c.tally(live, activity.id)  # a first recount sees the database without this batch
    return None


def _count(c: LiveCache, r: _Pending, saved: store.Saved) -> None:
    """A committed new or changed answer into the tally and breakdowns. Hold write_lock, mem."""
    tally = c.tallies[(r.live.id, r.activity.id)]
    pid = r.participant_id
    with c.lock:
        c.fresh.pop(pid, None)
    if saved.kind == "new":
        tally.add(pid, saved.value)
    else:
        tally.replace(pid, saved.old, saved.value)
    tally.set_status(pid, r.status)
    c.bump(r.live, r.activity.id)  # a revision per change (screens and tests count them)
    c.follow_breakdowns(r.live, r.activity, pid, saved)
    if bus.active:
        c.applied.setdefault((r.live.id, r.activity.id), {})[pid] = saved.changes


def hold(live: LiveState, activity_id: str, table: int, participant_id: int) -> LiveState:
    """Give a phone its table's role for an activity (a per-table kind's reporter) and cache
    the new state at once, so the next answer of its table sees it. Hold write_lock; publish
    the returned state after releasing it."""
    st = live.status(activity_id)
    holders = dict(st.holders)
    holders[table] = participant_id
    new = store.update_live(
        live.id, statuses={activity_id: replace(st, holders=tuple(sorted(holders.items())))}
    )
    store.log(live.id, "hold", activity_id, {"table": table})
    c = cache()
    with c.lock:  # the role is taken: an earlier request for it is answered
        c.role_requests.pop((live.id, activity_id, table), None)
    return remember(new)


def table_answer(live: LiveState, activity: Any, table: int) -> dict[str, Any] | None:
    """A per-table activity's answer of one table as its phones see it (``table_result``)."""
    kind = kinds.of(activity)
    return cache().reading(live, activity.id, lambda tally, _rev: kind.table_result(tally, table))


def tell_table(live: LiveState, activity: Any, table: int) -> None:
    """Send the phones of a table their table's newest answer (``table_answer``), so a
    member edits the table's version, not an old one of their own. Not under a lock."""
    data = table_answer(live, activity, table)
    c = cache()
    with c.mem:
        segments = c.segments.get(live.id) or {}
        members = [pid for pid, seg in segments.items() if seg.get(TABLE) == table]
    for pid in members:
        to_participant(
            live.code,
            pid,
            "table_answer",
            {"activity": activity.id, "table": table, "result": data},
        )


def table_of(live: LiveState, participant_id: int) -> int | None:
    """The participant's table (from the cached segments). Hold write_lock."""
    value = cache().segment_map(live).get(participant_id, {}).get(TABLE)
    return None if value is None else int(value)


def _at_table(
    live: LiveState,
    activity: Any,
    kind: kinds.Kind,
    participant_id: int,
    value: Any,
    tally: Any,
) -> tuple[Any, int | None]:
    """A per-table kind's answer: refused without a table; stamped by the kind. Returns the
    value and the table whose role this phone takes (None: no change). Hold write_lock."""
    table = table_of(live, participant_id)
    if table is None:
        raise LiveError("no_table", "choose your table first: this activity is answered per table")
    holder = live.status(activity.id).holder(table)
    c = cache()
    try:
        with c.mem:
            stamped, claims = kind.at_table(activity, value, table, participant_id, tally, holder)
    except InvalidResponse as exc:
        error = LiveError(exc.code, exc.message)
        if holder is not None and holder != participant_id:
            # another phone holds the table's role: this one asks for it (the control screen
            # can hand it over: hand_holder); the newest asker is the one it goes to
            key = (live.id, activity.id, table)
            with c.lock:
                error.asked = c.role_requests.get(key) != participant_id  # type: ignore[attr-defined]
                c.role_requests[key] = participant_id
        raise error from None
    return stamped, (table if claims else None)


def set_table(live: LiveState, participant_id: int, payload: Any) -> dict[str, Any]:
    """A phone says (or changes) at which table it sits."""
    if not isinstance(payload, dict) or "table" not in payload:
        raise LiveError("bad_payload", "set_table expects an object {table}")
    live = get(live.code)
    number = table_number(live, payload["table"])
    c = cache()
    with store.write_lock:
        store.set_table(participant_id, number)
        with c.lock:
            if participant_id in c.fresh:
                c.fresh[participant_id] = number
        with c.mem:
            if live.id in c.segments:
                c.segments[live.id].setdefault(participant_id, {})[TABLE] = number
            c.forget_breakdowns(live.id, dimension=TABLE)
    bus.publish({"t": "segments", "live": live.id})
    if live.breakdown_by == TABLE and live.current:
        coalescer.results_changed(live.code, live.current)
    return {"ok": True, "table": number}
