"""Use cases of a live session: start, join, respond, and the facilitator's controls.

The only module that combines a write, a result and a broadcast, so that Socket.IO handlers,
HTTP views and the CLI stay thin and share the behaviour. Every failure is a ``LiveError`` with a
protocol error code and a message that says what was wrong.

In-process state (caches, rebuilt from the database after a restart):
- the current ``LiveState`` per join code (a control action replaces it);
- one incremental ``Tally`` per activity (built once from the stored responses, then updated
  with every committed change while the writer still holds ``store.write_lock``, so it follows
  commit order), the breakdowns (``_splits``) and the participants' segments;
- who is connected.
With several server processes these caches are per process; see docs/deployment notes.

Two locks, always taken in this order and never the other way round:
- ``store.write_lock`` serialises writers: commit, then update the caches. A writer may hold it
  for a long time (a write waiting for another process's SQLite lock);
- ``_mem`` guards the contents of the caches and is only ever held for in-memory work, never
  across a database call, a sleep or an emit. Screens read results under ``_mem`` alone, so
  a waiting writer never stalls the control screen or the projector; only building a missing
  tally or breakdown from the database waits for ``write_lock`` (so that no commit falls
  between the recount and the cache).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import Counter
from collections.abc import Hashable
from dataclasses import replace
from typing import Any

from flask import current_app, has_app_context, has_request_context, request

from . import store
from .activities import InvalidResponse, clean_question, clean_response
from .aggregate import (
    APPROVED,
    BREAKDOWN_KINDS,
    CONTROL,
    HIDDEN,
    NO_GROUP,
    PROJECTOR,
    QuestionBoard,
    ScaleTally,
    Tally,
    WordCloudTally,
    breakdown,
    new_tally,
)
from .aggregate import (
    PENDING as TEXT_PENDING,
)
from .broadcast import coalescer, state_to, state_to_control, state_to_rooms, to_participant
from .bus import bus
from .programme import Activity, Programme
from .snapshot import (
    CLOSED,
    OPEN,
    PENDING,
    TABLE,
    ActivityStatus,
    Countdown,
    Links,
    LiveState,
    activity_view,
    control_state,
    dimensions,
    groups,
    participant_state,
    projector_state,
)

MAX_CLIENT_ID = 64


class LiveError(Exception):
    """A refused request: ``code`` from docs/protocol.md, ``message`` in English."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")

    def to_ack(self) -> dict[str, Any]:
        return {"ok": False, "error": {"code": self.code, "message": self.message}}


_lock = threading.Lock()  # guards _lives, _connected and _participants
_mem = threading.Lock()  # guards _tallies, _revs, _applied, _segments, _splits (see above)
_lives: dict[str, LiveState] = {}
_tallies: dict[tuple[int, str], Tally] = {}
_revs: dict[tuple[int, str], int] = {}
#: scale-out: per tally, how many changes of each participant's answer it has applied
_applied: dict[tuple[int, str], dict[int, int]] = {}
_connected: dict[str, Counter[int]] = {}
_participants: dict[str, int] = {}
#: live id -> participant id -> {"table": n, <profile activity id>: option id}
_segments: dict[int, dict[int, dict[str, Any]]] = {}
#: (live id, activity id, dimension) -> group id -> tally: results broken down, kept
#: incrementally once someone asked for them
_splits: dict[tuple[int, str, str], dict[str, Tally]] = {}
_secret = [""]  # the app's secret key, for opaque entry ids (read outside any app context)


def reset_caches() -> None:
    """Forget every in-process cache (tests; a new app on the same process)."""
    with _lock:
        _lives.clear()
        _connected.clear()
        _participants.clear()
    with _mem:
        _tallies.clear()
        _revs.clear()
        _applied.clear()
        _segments.clear()
        _splits.clear()
    store._programmes.clear()


def init_app(app: Any) -> None:
    """Start the coalesced broadcaster for this app."""
    reset_caches()
    _secret[0] = app.config["SECRET_KEY"]
    coalescer.start(app, _results_payloads, _counts, _questions_payload, _tick,
                    app.config["BROADCAST_INTERVAL"],
                    settle=1.0 if app.config.get("MESSAGE_QUEUE") else None)
    bus.init_app(app, apply_remote)


# ------------------------------------------------------------------------------- lookups


def find(code: str) -> LiveState | None:
    """The live session with that join code, from the cache or the database."""
    code = store.normalise_code(code)
    with _lock:
        live = _lives.get(code)
    if live is None:
        live = store.get_live(code)
        if live is not None:
            with _lock:
                live = _lives.setdefault(live.code, live)
    return live


def get(code: str) -> LiveState:
    live = find(code)
    if live is None:
        raise LiveError("unknown_code", f"no live session with code '{code[:12]}'")
    return live


def _remember(live: LiveState) -> LiveState:
    with _lock:
        old = _lives.get(live.code)
        if old is None or old.version <= live.version:
            _lives[live.code] = live
    return live


def _forget(code: str) -> None:
    with _lock:
        _lives.pop(code, None)


def links(live: LiveState) -> Links:
    """The live session's addresses, on the public URL when one is configured."""
    base = (current_app.config.get("PUBLIC_URL") if has_app_context() else "") or (
        request.host_url if has_request_context() else "http://localhost:5000/")
    base = base.rstrip("/")
    return Links(
        participant_url=f"{base}/j/{live.code}",
        projector_url=f"{base}/projector/{live.code}?key={live.projector_key}",
        control_url=f"{base}/control/{live.code}?key={live.control_key}",
        qr_url=f"/projector/{live.code}/qr.svg",
    )


# ------------------------------------------------------------------------------ start, join


def start(programme: Programme, programme_file: str = "", tables: int | None = None
          ) -> LiveState:
    """A new live session of a validated programme (``tables``: default the programme's)."""
    return _remember(store.create_live(programme, programme_file, tables))


def table_number(live: LiveState, raw: Any) -> int | None:
    """A table number given by a QR code or a phone, checked against the live session's."""
    if raw is None or raw == "":
        return None
    try:
        n = int(raw)
    except (TypeError, ValueError, OverflowError):
        raise LiveError("bad_payload", "the table must be a number") from None
    if isinstance(raw, bool) or not 1 <= n <= live.tables:
        raise LiveError("bad_payload", f"there is no table {str(raw)[:8]} (tables: "
                        f"{live.tables or 'none'})")
    return n


def join(code: str, table: Any = None) -> tuple[LiveState, int, str]:
    """Make a new participant: (live, participant id, token), at a table if given."""
    live = get(code)
    if live.ended_at is not None:
        raise LiveError("ended", "this live session has ended")
    if live.join_locked:
        raise LiveError("locked", "joining is locked by the facilitator")
    number = table_number(live, table)
    pid, token = store.create_participant(live.id, number)
    _joined(live, pid, number)
    bus.publish({"t": "joined", "live": live.id, "code": live.code, "pid": pid,
                 "table": number})
    coalescer.counts_changed(live.code)
    return live, pid, token


def _joined(live: LiveState, pid: int, table: int | None) -> None:
    with store.write_lock, _mem:  # write_lock: after any recount of the segments under way
        if live.id in _segments:
            _segments[live.id][pid] = {TABLE: table}
    with _lock:
        if live.code in _participants:
            _participants[live.code] += 1


def participant_for(live: LiveState, token: str | None) -> int | None:
    return store.find_participant(live.id, token) if token else None


def connected(live: LiveState, participant_id: int, delta: int, local: bool = True) -> None:
    """A phone's connection opened (+1) or closed (-1)."""
    if local:
        bus.publish({"t": "connected", "code": live.code, "pid": participant_id, "d": delta})
    with _lock:
        c = _connected.setdefault(live.code, Counter())
        c[participant_id] += delta
        if c[participant_id] <= 0:
            del c[participant_id]
    coalescer.counts_changed(live.code)


# -------------------------------------------------------------------------------- respond


def _client_id(payload: dict[str, Any], required: bool = True) -> str | None:
    client_id = payload.get("client_id")
    if client_id is None and not required:
        return None
    if not isinstance(client_id, str) or not 8 <= len(client_id) <= MAX_CLIENT_ID:
        raise LiveError("bad_payload", f"field 'client_id' must be a string of 8 to "
                        f"{MAX_CLIENT_ID} characters")
    return client_id


def _activity(live: LiveState, payload: dict[str, Any], kinds: tuple[str, ...] | None = None
              ) -> Activity:
    activity_id = payload.get("activity")
    if not isinstance(activity_id, str) or not activity_id:
        raise LiveError("bad_payload", "field 'activity' must be an activity id (string)")
    activity = live.programme.activity(activity_id)
    if activity is None:
        raise LiveError("unknown_activity", f"no activity '{activity_id[:64]}' in this programme")
    if kinds is not None and activity.kind not in kinds:
        raise LiveError("not_answerable" if activity.kind == "info" else "bad_payload",
                        f"activity '{activity.id}' is a {activity.kind}, this needs "
                        f"{' or '.join(kinds)}")
    return activity


def _text_status(activity: Activity, value: Any) -> str:
    """Moderation status of a new or changed response."""
    if not activity.moderated:
        return APPROVED
    if activity.kind == "open_text":
        return TEXT_PENDING
    if activity.kind == "scale" and isinstance(value, dict) and value.get("why"):
        return TEXT_PENDING
    return APPROVED


def _bump(live: LiveState, activity_id: str) -> None:
    """A new revision of an activity's result. With several processes a revision is also a
    time (microseconds), so the newest result wins whichever process built it. Hold _mem."""
    key = (live.id, activity_id)
    rev = _revs.get(key, 0) + 1
    if bus.active:
        rev = max(rev, time.time_ns() // 1000)
    _revs[key] = rev


def respond(live: LiveState, participant_id: int, payload: Any) -> dict[str, Any]:
    """Clean, commit, then count a participant's answer; returns the ack."""
    if not isinstance(payload, dict):
        raise LiveError("bad_payload", "respond expects an object {activity, value, client_id}")
    live = get(live.code)  # the newest state: the activity may have closed meanwhile
    activity = _activity(live, payload)
    client_id = _client_id(payload)
    assert client_id is not None
    if "value" not in payload:
        raise LiveError("bad_payload", "field 'value' is missing")
    if activity.kind == "qna":
        raise LiveError("not_answerable", f"'{activity.id}' is a Q&A: send 'ask' or 'upvote'")
    try:
        value = clean_response(activity, payload["value"])
    except InvalidResponse as exc:
        raise LiveError(exc.code, exc.message) from None
    status = _text_status(activity, value)
    with store.write_lock:
        live = get(live.code)
        anytime = activity.profile and live.programme.profile_at_join and live.ended_at is None
        if live.status(activity.id).status != OPEN and not anytime:
            if store.submission_activity(participant_id, client_id) == activity.id:
                # a retry of an answer committed before answering closed: its ack got lost
                return {"ok": True, "activity": activity.id, "client_id": client_id,
                        "value": store.answers_of(participant_id).get(activity.id),
                        "duplicate": True}
            raise LiveError("closed", f"answering for '{activity.id}' is not open")
        tally = _tally(live, activity.id)
        saved = store.save_response(live.id, activity.id, participant_id, client_id, value,
                                    status)
        if saved.kind != "duplicate":
            with _mem:
                if saved.kind == "new":
                    tally.add(participant_id, saved.value)
                else:
                    tally.replace(participant_id, saved.old, saved.value)
                if hasattr(tally, "set_status"):
                    tally.set_status(participant_id, status)
                _bump(live, activity.id)
                _follow_splits(live, activity, participant_id, saved)
                if bus.active:
                    _applied.setdefault((live.id, activity.id), {})[participant_id] = \
                        saved.changes
            if bus.active:
                bus.publish({"t": "response", "live": live.id, "code": live.code,
                             "activity": activity.id, "pid": participant_id,
                             "kind": saved.kind, "old": saved.old, "new": saved.value,
                             "status": status, "changes": saved.changes})
    if saved.kind != "duplicate":
        coalescer.results_changed(live.code, activity.id)
        if activity.profile and live.breakdown_by == activity.id and live.current:
            # the participant moved to another group of the breakdown on the screens
            coalescer.results_changed(live.code, live.current)
    return {"ok": True, "activity": activity.id, "client_id": client_id, "value": saved.value,
            "duplicate": saved.kind == "duplicate"}


def _tally(live: LiveState, activity_id: str) -> Tally:
    """The activity's tally, recounted from the database the first time. Hold write_lock (not
    _mem); change the tally only under _mem."""
    key = (live.id, activity_id)
    with _mem:
        tally = _tallies.get(key)
    if tally is not None:
        return tally
    activity = live.programme.activity(activity_id)
    assert activity is not None
    if activity.kind == "qna":
        board = QuestionBoard(activity, str)
        for q in store.questions_for(live.id, activity_id):
            board.ask(q.id, q.participant_id, q.text, q.status, q.votes, q.pinned, q.answered)
        tally, applied = board, None  # Q&A changes reach other processes as "invalidate"
    else:
        tally = new_tally(activity, _labeller(f"{_secret[0]}:{live.id}:{activity_id}".encode()))
        rows = store.responses_for(live.id, activity_id)
        for pid, value, status, _changes in rows:
            tally.add(pid, value)
            if hasattr(tally, "set_status"):
                tally.set_status(pid, status)
        # scale-out: which changes the recount holds, from the same query (see _apply_response)
        applied = {pid: changes for pid, _v, _s, changes in rows} if bus.active else None
    if isinstance(tally, WordCloudTally):
        st = live.status(activity_id)
        tally.hidden = set(st.hidden_words)
        tally.approved = set(st.approved_words)
    if isinstance(tally, ScaleTally) and activity.compare_with:
        before = _tally(live, activity.compare_with)
        assert isinstance(before, ScaleTally)
        tally.before = before
    with _mem:
        _tallies[key] = tally
        _revs.setdefault(key, 0)
        if applied is not None:
            _applied[key] = applied
    return tally


def _reading(live: LiveState, activity_id: str, read: Any) -> Any:
    """``read(tally, rev)`` under _mem. An existing tally is read without waiting for writers;
    a missing one is recounted under write_lock first."""
    key = (live.id, activity_id)
    with _mem:
        tally = _tallies.get(key)
        if tally is not None:
            return read(tally, _revs[key])
    with store.write_lock:
        tally = _tally(live, activity_id)
        with _mem:
            return read(tally, _revs[key])


# --------------------------------------------------------------------------- breakdowns


def _segment_map(live: LiveState) -> dict[int, dict[str, Any]]:
    """Every participant's segments, loaded once. Hold write_lock (not _mem)."""
    with _mem:
        seg = _segments.get(live.id)
    if seg is None:
        loaded = store.segments(live.id, [a.id for a in live.programme.profile_activities])
        with _mem:
            seg = _segments.setdefault(live.id, loaded)
    return seg


def _group(seg: dict[int, dict[str, Any]], participant_id: int, dimension: str) -> str:
    value = seg.get(participant_id, {}).get(dimension)
    return NO_GROUP if value is None else str(value)


def _split(live: LiveState, activity_id: str, dimension: str) -> dict[str, Tally]:
    """An activity's responses split by a dimension, recounted the first time. Hold
    write_lock (not _mem). A split is cached only together with the segments it was counted
    from (while both are cached, _follow_splits keeps them in step)."""
    key = (live.id, activity_id, dimension)
    with _mem:
        split = _splits.get(key)
    if split is None:
        activity = live.programme.activity(activity_id)
        assert activity is not None
        seg = _segment_map(live)
        rows = store.responses_for(live.id, activity_id)
        split = {}
        with _mem:
            for pid, value, _status, _changes in rows:
                g = _group(seg, pid, dimension)
                if g not in split:
                    split[g] = _group_tally(live, activity)
                split[g].add(pid, value)
            if _segments.get(live.id) is seg:
                _splits[key] = split
    return split


def _group_tally(live: LiveState, activity: Activity) -> Tally:
    """An empty tally for one group of a breakdown; a word cloud's group follows the
    facilitator's hidden and approved words like the whole room's cloud."""
    tally = new_tally(activity)
    if isinstance(tally, WordCloudTally):
        st = live.status(activity.id)
        tally.hidden, tally.approved = set(st.hidden_words), set(st.approved_words)
    return tally


def _follow_splits(live: LiveState, activity: Activity, participant_id: int,
                   saved: store.Saved) -> None:
    """Keep the breakdowns in step with a committed change. Hold _mem."""
    seg = _segments.get(live.id)
    if seg is None:
        return  # then no breakdown of this live session is cached either
    if activity.profile:
        # the participant moves to another group: recount the splits by this question
        seg.setdefault(participant_id, {})[activity.id] = saved.value
        for key in [k for k in _splits if k[0] == live.id and k[2] == activity.id]:
            del _splits[key]
    for (lid, aid, dimension), split in _splits.items():
        if lid != live.id or aid != activity.id:
            continue
        g = _group(seg, participant_id, dimension)
        if g not in split:
            split[g] = _group_tally(live, activity)
        if saved.kind == "new":
            split[g].add(participant_id, saved.value)
        else:
            split[g].replace(participant_id, saved.old, saved.value)


def set_table(live: LiveState, participant_id: int, payload: Any) -> dict[str, Any]:
    """A phone says (or changes) at which table it sits."""
    if not isinstance(payload, dict) or "table" not in payload:
        raise LiveError("bad_payload", "set_table expects an object {table}")
    live = get(live.code)
    number = table_number(live, payload["table"])
    with store.write_lock:
        store.set_table(participant_id, number)
        with _mem:
            if live.id in _segments:
                _segments[live.id].setdefault(participant_id, {})[TABLE] = number
            for key in [k for k in _splits if k[0] == live.id and k[2] == TABLE]:
                del _splits[key]
    bus.publish({"t": "segments", "live": live.id})
    if live.breakdown_by == TABLE and live.current:
        coalescer.results_changed(live.code, live.current)
    return {"ok": True, "table": number}


def breakdown_view(live: LiveState, activity_id: str, audience: str = CONTROL
                   ) -> dict[str, Any] | None:
    """The current breakdown of an activity's result, small groups suppressed."""
    activity = live.programme.activity(activity_id)
    dimension = live.breakdown_by
    if activity is None or dimension is None or activity.kind not in BREAKDOWN_KINDS:
        return None
    if activity.profile and dimension != TABLE:
        # profile questions are quasi-identifiers: never cross one with another
        return None
    names, threshold = groups(live, dimension), live.programme.privacy_threshold
    with _mem:
        split = _splits.get((live.id, activity_id, dimension))
        rows = None if split is None else breakdown(split, names, threshold, audience)
    if rows is None:
        with store.write_lock:
            split = _split(live, activity_id, dimension)
            with _mem:
                rows = breakdown(split, names, threshold, audience)
    for row in rows:  # free text never appears per group: it could name who wrote it
        if row["result"] is not None:
            row["result"].pop("whys", None)
    return {"by": dimension, "compare": list(live.breakdown_compare or []) or None,
            "threshold": live.programme.privacy_threshold, "groups": rows}


def _breakdown_choice(live: LiveState) -> dict[str, Any]:
    """What results are broken down by, also on a slide that cannot be broken down."""
    return {"by": live.breakdown_by, "compare": list(live.breakdown_compare or []) or None}


def set_breakdown(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Break results down by a dimension (or not), optionally comparing two of its groups."""
    live = get(live.code)
    by, compare = payload.get("by"), payload.get("compare")
    if by is not None and (not isinstance(by, str)
                           or by not in {d["id"] for d in dimensions(live)}):
        raise LiveError("bad_payload", f"cannot break results down by {str(by)[:64]!r} "
                        f"(possible: {', '.join(d['id'] for d in dimensions(live)) or 'none'})")
    if compare is not None:
        ids = {g for g, _label in groups(live, by)} if by else set()
        if not (isinstance(compare, list) and len(compare) == 2 and len(set(map(str, compare)))
                == 2 and all(isinstance(c, str) and c in ids for c in compare)):
            raise LiveError("bad_payload", "compare must name two different groups of the "
                            "breakdown")
    return _change(live, breakdown=(by, tuple(compare) if compare else None))


def _recount_elsewhere(live: LiveState, activity_id: str, questions: bool = False) -> None:
    """Results changed in a rare way (moderation, Q&A, a reset): send them, and have other
    server processes recount theirs."""
    coalescer.results_changed(live.code, activity_id)
    if questions:
        coalescer.questions_changed(live.code, activity_id)
    bus.publish({"t": "invalidate", "live": live.id, "activity": activity_id})


def _drop(live_id: int, activity_id: str) -> None:
    """Forget an activity's tally and breakdowns (they are recounted when next needed). Hold
    _mem."""
    _tallies.pop((live_id, activity_id), None)
    _applied.pop((live_id, activity_id), None)
    for key in [k for k in _splits if k[0] == live_id and k[1] == activity_id]:
        del _splits[key]
    for key, tally in list(_tallies.items()):  # a before/after view holds the old tally
        if key[0] == live_id and isinstance(tally, ScaleTally) \
                and tally.activity.compare_with == activity_id:
            _tallies.pop(key)
            _applied.pop(key, None)


def apply_remote(event: dict[str, Any]) -> None:
    """Apply what another server process committed to this process's caches (see bus.py)."""
    kind = event.get("t")
    if kind == "resync":
        _resync()
    elif kind == "live":
        _forget(event["code"])
    elif kind == "response":
        _apply_response(event)
    elif kind == "invalidate":
        with store.write_lock, _mem:
            _drop(event["live"], event["activity"])
    elif kind == "segments":
        with store.write_lock, _mem:
            _segments.pop(event["live"], None)
            for key in [k for k in _splits if k[0] == event["live"]]:
                del _splits[key]
    elif kind == "joined":
        live = find(event["code"])
        if live is not None:
            _joined(live, event["pid"], event.get("table"))
    elif kind == "connected":
        live = find(event["code"])
        if live is not None:
            connected(live, event["pid"], event["d"], local=False)


def _resync() -> None:
    """Another process's events were missed (bus.py): forget every cached state, result,
    breakdown and count; they are reread from the database when next needed, and the screens
    of every live session get fresh results now. (Who is connected cannot be reread: phones on
    other processes are counted again as they reconnect.)"""
    with _lock:
        codes = {code: live.current for code, live in _lives.items()}
        _lives.clear()
        _participants.clear()
    with store.write_lock, _mem:
        _tallies.clear()
        _applied.clear()
        _splits.clear()
        _segments.clear()
        now = time.time_ns() // 1000
        for key, rev in _revs.items():  # the recounted results are newer than any sent
            _revs[key] = max(rev + 1, now)
    for code, current in codes.items():
        coalescer.counts_changed(code)
        if current:
            coalescer.results_changed(code, current)


def _apply_response(event: dict[str, Any]) -> None:
    live = find(event["code"])
    activity = live.programme.activity(event["activity"]) if live else None
    if live is None or activity is None:
        return
    key, pid, n = (live.id, activity.id), event["pid"], event["changes"]
    # write_lock: not while this process recounts the tally from the database
    with store.write_lock, _mem:
        tally = _tallies.get(key)
        if tally is None:
            return  # built from the database when it is first needed, with this answer in it
        applied = _applied.setdefault(key, {})
        before = applied.get(pid, -1)
        if n <= before:
            return  # already counted (the tally was recounted after this answer)
        if event["kind"] == "new" and before == -1:
            tally.add(pid, event["new"])
        elif event["kind"] == "changed" and before == n - 1:
            tally.replace(pid, event["old"], event["new"])
        else:
            _drop(*key)  # a change went missing: recount from the database
            return
        if hasattr(tally, "set_status"):
            tally.set_status(pid, event["status"])
        applied[pid] = n
        _bump(live, activity.id)
        _follow_splits(live, activity, pid, store.Saved(event["kind"], event["new"],
                                                        event["old"], n))


def _labeller(secret: bytes) -> Any:
    """The opaque entry ids of one tally, each computed once: a text result lists every entry
    several times a second."""
    labels: dict[Any, str] = {}

    def label(participant_id: Any) -> str:
        found = labels.get(participant_id)
        if found is None:
            found = labels[participant_id] = _opaque(secret, participant_id)
        return found

    return label


def _opaque(secret: bytes, participant_id: Any) -> str:
    """A short id for a participant's entry in one activity; unlinkable across activities."""
    return hmac.new(secret, str(participant_id).encode(), hashlib.sha256).hexdigest()[:12]


def result(live: LiveState, activity_id: str, audience: str = CONTROL
           ) -> tuple[dict[str, Any] | None, int, int]:
    """(result for that audience, respondents, rev) of an activity."""
    return _reading(live, activity_id,  # type: ignore[no-any-return]
                    lambda tally, rev: (tally.result(audience), tally.respondents, rev))


def respondents(live: LiveState, activity_id: str) -> int:
    """How many answered an activity, without building its result (the counts go out with
    every burst of answers; a text result lists every entry)."""
    return _reading(live, activity_id,  # type: ignore[no-any-return]
                    lambda tally, _rev: tally.respondents)


def _results_payloads(code: str, activity_id: str
                      ) -> tuple[dict[str, Any], dict[str, Any]] | None:
    live = find(code)
    activity = live.programme.activity(activity_id) if live else None
    if live is None or activity is None:
        return None
    res, respondents, rev = result(live, activity_id)
    control = {"activity": activity_id, "kind": activity.kind, "rev": rev,
               "respondents": respondents, "result": res,
               "breakdown": breakdown_view(live, activity_id)}
    visible = live.status(activity_id).results_visible
    public = result(live, activity_id, PROJECTOR)[0] if visible else None
    public_breakdown = breakdown_view(live, activity_id, PROJECTOR) if visible else None
    return control, dict(control, result=public, breakdown=public_breakdown)


def _questions_payload(code: str, activity_id: str) -> dict[str, Any] | None:
    """The approved questions for the phones, while that Q&A is on their screens."""
    live = find(code)
    activity = live.programme.activity(activity_id) if live else None
    if live is None or activity is None or activity.kind != "qna" \
            or activity_id not in _on_phones(live):
        return None
    res, _n, rev = result(live, activity_id, PROJECTOR)
    assert res is not None
    return {"activity": activity_id, "rev": rev, "questions": res["questions"]}


def _on_phones(live: LiveState) -> set[str]:
    """Activities the phones show now (the current one, or a whole paced section)."""
    if live.current is None:
        return set()
    sid = live.paced_section
    if sid is None:
        return {live.current}
    return set(live.programme.section(sid).activity_ids)


def counts(live: LiveState) -> dict[str, int]:
    """Connected phones, participants ever joined, respondents to the current activity."""
    with _lock:
        connected_now = len(_connected.get(live.code, ()))
        participants = _participants.get(live.code)
    if participants is None:
        participants = store.participant_count(live.id)
        with _lock:
            _participants.setdefault(live.code, participants)
    answered = 0
    current = live.current_activity
    if current is not None and current.answerable:
        answered = respondents(live, current.id)
    return {"connected": connected_now, "participants": participants, "answered": answered}


def _counts(code: str) -> dict[str, int] | None:
    live = find(code)
    return counts(live) if live else None


# ------------------------------------------------------------------------------------ Q&A


def ask(live: LiveState, participant_id: int, payload: Any) -> dict[str, Any]:
    """A participant's question to an open Q&A; committed before the ack."""
    if not isinstance(payload, dict):
        raise LiveError("bad_payload", "ask expects an object {activity, text, client_id}")
    live = get(live.code)
    activity = _activity(live, payload, ("qna",))
    client_id = _client_id(payload)
    assert client_id is not None
    try:
        text = clean_question(activity, payload.get("text"))
    except InvalidResponse as exc:
        raise LiveError(exc.code, exc.message) from None
    status = TEXT_PENDING if activity.moderated else APPROVED
    with store.write_lock:
        live = get(live.code)
        if live.status(activity.id).status != OPEN \
                and store.submission_activity(participant_id, client_id) != activity.id:
            raise LiveError("closed", f"questions for '{activity.id}' are not open")
        board = _tally(live, activity.id)
        assert isinstance(board, QuestionBoard)
        new, q = store.add_question(live.id, activity.id, participant_id, client_id, text,
                                    status)
        if q is None:
            raise LiveError("bad_payload", "this client_id was already used for something else")
        if new:
            with _mem:
                board.ask(q.id, participant_id, q.text, q.status)
                _bump(live, activity.id)
    if new:
        _recount_elsewhere(live, activity.id, questions=True)
    return {"ok": True, "activity": activity.id, "client_id": client_id, "duplicate": not new,
            "question": {"id": str(q.id), "text": q.text, "status": q.status}}


def _question_id(live: LiveState, activity: Activity, raw: Any) -> int:
    return _question(live, activity, raw).id


def _question(live: LiveState, activity: Activity, raw: Any) -> store.QuestionRow:
    """The stored question a payload names (an id, as a number or digits), in that Q&A."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        qid = raw
    elif isinstance(raw, str) and raw.isdigit() and len(raw) < 12:
        qid = int(raw)
    else:
        raise LiveError("bad_payload", "field 'question' must be a question id")
    found = store.get_question(live.id, qid)
    if found is None or found[0] != activity.id:
        raise LiveError("unknown_question", f"no question {qid} in '{activity.id}'")
    return found[1]


def upvote(live: LiveState, participant_id: int, payload: Any) -> dict[str, Any]:
    """Vote for an approved question (or take the vote back); one vote per participant."""
    if not isinstance(payload, dict):
        raise LiveError("bad_payload", "upvote expects an object {activity, question, vote}")
    live = get(live.code)
    activity = _activity(live, payload, ("qna",))
    up = payload.get("vote", True)
    if not isinstance(up, bool):
        raise LiveError("bad_payload", "field 'vote' must be true or false")
    qid = _question_id(live, activity, payload.get("question"))
    with store.write_lock:
        live = get(live.code)
        if live.status(activity.id).status != OPEN:
            raise LiveError("closed", f"voting for '{activity.id}' is not open")
        board = _tally(live, activity.id)
        assert isinstance(board, QuestionBoard)
        with _mem:
            shown = board.status(qid) == APPROVED
        if not shown:
            raise LiveError("unknown_question", f"question {qid} is not shown (not approved)")
        changed, votes = store.vote(qid, participant_id, up)
        if changed:
            with _mem:
                board.mark(qid, votes=votes)
                _bump(live, activity.id)
    if changed:
        _recount_elsewhere(live, activity.id, questions=True)
    return {"ok": True, "activity": activity.id, "question": str(qid), "votes": votes,
            "voted": up}


# ----------------------------------------------------------------------------- snapshots


def _questions_view(live: LiveState) -> dict[str, Any] | None:
    """The public question list of a Q&A the phones show now (a paced section: the first)."""
    for aid in sorted(_on_phones(live), key=live.programme.position):
        activity = live.programme.activity(aid)
        if activity is not None and activity.kind == "qna":
            return _questions_payload(live.code, aid)
    return None


def participant_snapshot(live: LiveState, participant_id: int) -> dict[str, Any]:
    with_qna = any(a.kind == "qna" for a in live.programme.activities)
    answers, qna, table = store.participant_view(participant_id, with_qna)
    state = participant_state(live, answers, time.time(), qna)
    state["questions"] = _questions_view(live)
    state["resets"] = _resets(live)
    state["tables"] = live.tables
    state["table"] = table
    state["profile"] = _profile_views(live)
    return state


def _profile_views(live: LiveState) -> list[dict[str, Any]] | None:
    """The profile questions phones answer at join, when the programme asks for that."""
    if not live.programme.profile_at_join:
        return None
    return [activity_view(live.programme, a) for a in live.programme.profile_activities]


def _resets(live: LiveState) -> dict[str, int]:
    return {aid: st.resets for aid, st in live.statuses.items() if st.resets}


def projector_snapshot(live: LiveState) -> dict[str, Any]:
    res, respondents = None, 0
    current = live.current_activity
    if current is not None and current.answerable:
        res, respondents, _ = result(live, current.id, PROJECTOR)
    state = projector_state(live, links(live), res, respondents, time.time())
    state["breakdown"] = (breakdown_view(live, current.id, PROJECTOR)
                          if current is not None and state["results_visible"] else None)
    state["breakdown_choice"] = _breakdown_choice(live)
    state["dimensions"] = dimensions(live)
    return state


def control_snapshot(live: LiveState) -> dict[str, Any]:
    res = None
    current = live.current_activity
    if current is not None and current.answerable:
        res = result(live, current.id)[0]
    section_counts = None
    if live.paced_section is not None:
        section_counts = {aid: respondents(live, aid) for aid in
                          live.programme.section(live.paced_section).activity_ids
                          if live.programme.activity(aid).answerable}  # type: ignore[union-attr]
    state = control_state(live, links(live), res, counts(live), time.time(),
                          store.log_entries(live.id), section_counts)
    state["breakdown"] = breakdown_view(live, current.id) if current is not None else None
    state["breakdown_choice"] = _breakdown_choice(live)
    state["dimensions"] = dimensions(live)
    state["tables"] = live.tables
    return state


def snapshot_for(role: str, live: LiveState, participant_id: int | None = None
                 ) -> dict[str, Any]:
    if role == "participant":
        assert participant_id is not None
        return participant_snapshot(live, participant_id)
    if role == "projector":
        return projector_snapshot(live)
    return control_snapshot(live)


def send_snapshot(sid: str, role: str, live: LiveState, participant_id: int | None = None
                  ) -> None:
    state_to(sid, snapshot_for(role, live, participant_id))


def _publish(live: LiveState) -> LiveState:
    live = _remember(live)
    bus.publish({"t": "live", "code": live.code, "version": live.version})
    coalescer.counts_changed(live.code)  # "answered" follows the current activity
    phones = participant_state(live, None, time.time())
    phones["questions"] = _questions_view(live)
    phones["resets"] = _resets(live)
    phones["tables"] = live.tables
    phones["profile"] = _profile_views(live)
    state_to_rooms(live.code, phones, projector_snapshot(live), control_snapshot(live))
    return live


# ------------------------------------------------------------------------------ controls


def _change(live: LiveState, *, current: str | None = ...,  # type: ignore[assignment]
            statuses: dict[str, ActivityStatus] | None = None,
            join_locked: bool | None = None,
            timer: Countdown | None = ...,  # type: ignore[assignment]
            log: tuple[str, str | None, dict[str, Any]] | None = None,
            breakdown: tuple[str | None, tuple[str, ...] | None] | None = None,
            ended: bool | None = None) -> LiveState:
    with store.write_lock:
        new = store.update_live(live.id, current=current, statuses=statuses,
                                join_locked=join_locked, timer=timer,
                                breakdown=breakdown, ended=ended)  # type: ignore[arg-type]
        if log is not None:
            store.log(live.id, *log)
    return _publish(new)


def _moved(live: LiveState, activity_id: str, status: str) -> ActivityStatus:
    """The activity's status once opened or closed; its results appear on the projector at
    the moment the programme's ``show_results`` names ("live": on opening, "after_close")."""
    activity = live.programme.activity(activity_id)
    assert activity is not None
    st = live.status(activity_id)
    shows_at = live.programme.show_results_for(activity)
    visible = st.results_visible or (shows_at == "live" if status == OPEN
                                     else shows_at == "after_close")
    return replace(st, status=status, results_visible=visible)


def _opened(live: LiveState, activity_id: str) -> ActivityStatus:
    return _moved(live, activity_id, OPEN)


def _closed(live: LiveState, activity_id: str) -> ActivityStatus:
    return _moved(live, activity_id, CLOSED)


def goto(live: LiveState, activity_id: Any) -> LiveState:
    """Make an activity current; one that was never opened opens (in a paced section: all of
    the section's activities that were never opened)."""
    live = get(live.code)
    if not isinstance(activity_id, str) or live.programme.activity(activity_id) is None:
        raise LiveError("unknown_activity", f"no activity {str(activity_id)[:64]!r} in this "
                        "programme")
    activity = live.programme.activity(activity_id)
    assert activity is not None
    section = live.programme.section(activity.section_id)
    targets = section.activity_ids if section.paced else (activity_id,)
    statuses = {}
    for aid in targets:
        a = live.programme.activity(aid)
        if a is not None and a.answerable and live.status(aid).status == PENDING:
            statuses[aid] = _opened(live, aid)
    timer: Countdown | None = ...  # type: ignore[assignment]
    if live.timer is not None and live.timer.activity != activity_id:
        timer = None  # a countdown belongs to the activity it was started for
    return _change(live, current=activity_id, statuses=statuses, timer=timer)


def step(live: LiveState, delta: int) -> LiveState:
    """Next (+1) or previous (-1) activity; stays put at either end."""
    live = get(live.code)
    p = live.programme
    if live.current is None:
        target = 0 if delta > 0 else None
    else:
        i = p.position(live.current) + delta
        target = i if 0 <= i < len(p.activities) else None
    if target is None:
        return live
    return goto(live, p.activities[target].id)


def _current_answerable(live: LiveState) -> str:
    activity = live.current_activity
    if activity is None:
        raise LiveError("no_activity", "there is no current activity")
    if not activity.answerable:
        raise LiveError("not_answerable", f"activity '{activity.id}' ({activity.kind}) takes "
                        "no answers")
    return activity.id


def set_answering(live: LiveState, open_: bool) -> LiveState:
    """Open or close answering for the current activity (a paced section: all of it)."""
    live = get(live.code)
    aid = _current_answerable(live)
    targets = [aid]
    if live.paced_section is not None:
        targets = [a for a in live.programme.section(live.paced_section).activity_ids
                   if live.programme.activity(a).answerable]  # type: ignore[union-attr]
    statuses = {a: (_opened(live, a) if open_ else _closed(live, a)) for a in targets}
    statuses = {a: st for a, st in statuses.items() if live.status(a) != st}
    if not statuses:
        return live
    timer: Countdown | None = ...  # type: ignore[assignment]
    if not open_ and live.timer is not None:
        timer = None
    return _change(live, statuses=statuses, timer=timer)


def set_results_visible(live: LiveState, visible: bool) -> LiveState:
    """Show or hide the current activity's results on the projector."""
    live = get(live.code)
    aid = _current_answerable(live)
    st = live.status(aid)
    if st.results_visible == visible:
        return live
    return _change(live, statuses={aid: replace(st, results_visible=visible)})


def set_join_locked(live: LiveState, locked: Any) -> LiveState:
    """Stop (or allow again) new phones joining."""
    if not isinstance(locked, bool):
        raise LiveError("bad_payload", "field 'locked' must be true or false")
    live = get(live.code)
    if live.join_locked == locked:
        return live
    return _change(live, join_locked=locked,
                   log=("lock_joining" if locked else "unlock_joining", None, {}))


def end(live: LiveState, payload: dict[str, Any] | None = None) -> LiveState:
    """End the live session: every activity closes, nobody joins any more, exports are final.
    ``{"ended": false}`` reopens it (answering stays closed until opened again)."""
    live = get(live.code)
    ended = (payload or {}).get("ended", True)
    if not isinstance(ended, bool):
        raise LiveError("bad_payload", "field 'ended' must be true or false")
    if (live.ended_at is not None) == ended:
        return live
    statuses = {aid: _closed(live, aid) for aid, st in live.statuses.items()
                if st.status == OPEN} if ended else {}
    return _change(live, statuses=statuses, ended=ended, timer=None if ended else ...,
                   log=("end" if ended else "reopen", None, {}))


# ---------------------------------------------------------------------------- moderation


def _entry_key(tally: Tally, entry: Any) -> Hashable:
    """The participant behind an opaque entry id of a text or 'why' list."""
    keys = tally.entries if hasattr(tally, "entries") else getattr(tally, "whys", {})
    for key in keys:
        if tally.label(key) == entry:
            return key  # type: ignore[no-any-return]
    raise LiveError("unknown_entry", f"no entry {str(entry)[:20]!r} in '{tally.activity.id}'")


QUESTION_ACTIONS = {
    "approve": {"status": APPROVED}, "hide": {"status": HIDDEN},
    "pin": {"pinned": True}, "unpin": {"pinned": False},
    "answered": {"answered": True}, "unanswered": {"answered": False},
}


def moderate(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Approve or hide a free-text entry; for Q&A also pin and mark answered."""
    live = get(live.code)
    activity = _activity(live, payload, ("open_text", "scale", "qna"))
    action = payload.get("action")
    allowed = QUESTION_ACTIONS if activity.kind == "qna" else {"approve": {}, "hide": {}}
    if not isinstance(action, str) or action not in allowed:
        raise LiveError("bad_payload", f"field 'action' must be one of: {', '.join(allowed)}")
    with store.write_lock:
        tally = _tally(live, activity.id)
        own: tuple[int, dict[str, Any]] | None = None
        if isinstance(tally, QuestionBoard):
            question = _question(live, activity, payload.get("entry"))
            qid = question.id
            marks = QUESTION_ACTIONS[action]
            store.mark_question(qid, **marks)
            with _mem:
                tally.mark(qid, **marks)
            detail: dict[str, Any] = {"question": qid, "action": action}
            if "status" in marks:  # the asker's phone hears whether it is shown
                own = (question.participant_id, {
                    "activity": activity.id, "question": {
                        "id": str(qid), "text": question.text, "status": marks["status"]}})
        else:
            with _mem:
                key = _entry_key(tally, payload.get("entry"))
            status = APPROVED if action == "approve" else HIDDEN
            store.set_response_status(live.id, activity.id, int(key), status)  # type: ignore[call-overload]
            with _mem:
                tally.set_status(key, status)  # type: ignore[attr-defined]
            detail = {"entry": payload.get("entry"), "action": action}
        store.log(live.id, "moderate", activity.id, detail)
        with _mem:
            _bump(live, activity.id)
    _recount_elsewhere(live, activity.id, questions=activity.kind == "qna")
    if own is not None:
        to_participant(live.code, own[0], "own_question", own[1])
    state_to_control(live.code, control_snapshot(live))  # its log has a new entry
    return live


def hide_word(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Leave words out of a word cloud (hidden) or show them (approve them when moderated):
    ``word`` for one, ``words`` for several at once ("approve all")."""
    live = get(live.code)
    activity = _activity(live, payload, ("word_cloud",))
    hidden = payload.get("hidden", True)
    words = payload.get("words", [payload.get("word")] if "word" in payload else None)
    if not isinstance(words, list) or not 1 <= len(words) <= 500 or not all(
            isinstance(w, str) and 0 < len(w) <= 200 for w in words):
        raise LiveError("bad_payload", "field 'word' must be the word as shown (or 'words' a "
                        "list of 1 to 500 of them)")
    if not isinstance(hidden, bool):
        raise LiveError("bad_payload", "field 'hidden' must be true or false")
    st = live.status(activity.id)
    hidden_words = set(st.hidden_words)
    approved = set(st.approved_words)
    for word in words:
        if hidden:
            hidden_words.add(word)
            approved.discard(word)
        else:
            hidden_words.discard(word)
            approved.add(word)
    word = words[0] if len(words) == 1 else f"{len(words)} words"
    new_status = replace(st, hidden_words=tuple(sorted(hidden_words)),
                         approved_words=tuple(sorted(approved)))
    with store.write_lock:
        tally = _tally(live, activity.id)
        assert isinstance(tally, WordCloudTally)
        with _mem:
            tally.hidden, tally.approved = hidden_words, approved
            for (lid, aid, _dim), split in _splits.items():
                if lid == live.id and aid == activity.id:
                    for group in split.values():
                        assert isinstance(group, WordCloudTally)
                        group.hidden, group.approved = set(hidden_words), set(approved)
            _bump(live, activity.id)
    _recount_elsewhere(live, activity.id)
    return _change(live, statuses={activity.id: new_status},
                   log=("hide_word" if hidden else "show_word", activity.id, {"word": word}))


def reset_activity(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Delete every response of an activity, after the facilitator confirmed it."""
    live = get(live.code)
    activity = _activity(live, payload)
    if not activity.answerable:
        raise LiveError("not_answerable", f"activity '{activity.id}' has no responses")
    if payload.get("confirm") != activity.id:
        raise LiveError("not_confirmed", f"to reset, send confirm = '{activity.id}'")
    with store.write_lock:
        removed = store.reset_activity(live.id, activity.id)
        with _mem:
            _drop(live.id, activity.id)
            _bump(live, activity.id)
    st = live.status(activity.id)
    _recount_elsewhere(live, activity.id, questions=activity.kind == "qna")
    return _change(live, statuses={activity.id: replace(st, resets=st.resets + 1)},
                   log=("reset", activity.id, {"removed": removed}))


# ---------------------------------------------------------------------------------- timer


def start_timer(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """A countdown for the current activity; at zero answering closes if ``auto_close``."""
    live = get(live.code)
    activity = live.current_activity
    if activity is None:
        raise LiveError("no_activity", "there is no current activity")
    default = activity.timer.seconds if activity.timer else 60
    seconds = payload.get("seconds", default)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 5 <= seconds <= 3600:
        raise LiveError("bad_payload", "field 'seconds' must be a whole number from 5 to 3600")
    auto_close = activity.timer.auto_close if activity.timer else True
    countdown = Countdown(activity.id, time.time() + seconds, seconds, auto_close)
    return _change(live, timer=countdown,
                   log=("start_timer", activity.id, {"seconds": seconds}))


def stop_timer(live: LiveState, payload: dict[str, Any] | None = None) -> LiveState:
    live = get(live.code)
    if live.timer is None:
        return live
    return _change(live, timer=None, log=("stop_timer", live.timer.activity, {}))


def _tick() -> None:
    """Called by the broadcaster's loop: end countdowns that reached zero."""
    now = time.time()
    with _lock:
        due = [live for live in _lives.values() if live.timer and live.timer.ends_at <= now]
    for live in due:
        fresh = get(live.code)
        t = fresh.timer
        if t is None or t.ends_at > now:
            continue
        activity = fresh.programme.activity(t.activity)
        statuses = {}
        if t.auto_close and activity is not None and activity.answerable \
                and fresh.status(t.activity).status == OPEN:
            statuses[t.activity] = _closed(fresh, t.activity)
        _change(fresh, timer=None, statuses=statuses,
                log=("timer_ended", t.activity, {"closed": bool(statuses)}))
