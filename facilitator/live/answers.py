"""Phones: joining, connecting, answering (``respond``) and saying at which table they sit."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from .. import kinds, store
from ..activities import InvalidResponse, clean_response
from ..broadcast import coalescer, to_participant
from ..bus import bus
from ..snapshot import OPEN, TABLE, LiveState
from .cache import cache
from .checks import LiveError, activity_of, client_id, reused, table_number
from .lookup import get, remember


def join(code: str, table: Any = None) -> tuple[LiveState, int, str]:
    """Make a new participant: (live, participant id, token), at a table if given."""
    live = get(code)
    if live.ended_at is not None:
        raise LiveError("ended", "this live session has ended")
    if live.join_locked:
        raise LiveError("locked", "joining is locked by the facilitator")
    number = table_number(live, table)
    pid, token = store.create_participant(live.id, number)
    joined(live, pid, number)
    bus.publish({"t": "joined", "live": live.id, "code": live.code, "pid": pid, "table": number})
    coalescer.counts_changed(live.code)
    return live, pid, token


def joined(live: LiveState, pid: int, table: int | None) -> None:
    """Count a new participant (of this process or, through the bus, another)."""
    c = cache()
    with store.write_lock, c.mem:  # write_lock: after any recount of the segments under way
        if live.id in c.segments:
            c.segments[live.id][pid] = {TABLE: table}
    with c.lock:
        if live.code in c.participants:
            c.participants[live.code] += 1


def participant_for(live: LiveState, token: str | None) -> int | None:
    return store.find_participant(live.id, token) if token else None


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
    """Clean, commit, then count a participant's answer; returns the ack."""
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
    try:
        return _respond(live, activity, kind, participant_id, cid, value, status)
    except LiveError as exc:
        if getattr(exc, "asked", False):  # the control screen shows that a phone asks for a role
            from ..broadcast import state_to_control
            from .state import control_snapshot

            state_to_control(live.code, control_snapshot(get(live.code)))
        raise


def _respond(
    live: LiveState,
    activity: Any,
    kind: kinds.Kind,
    participant_id: int,
    cid: str,
    value: Any,
    status: str,
) -> dict[str, Any]:
    c = cache()
    with store.write_lock:
        live = get(live.code)
        anytime = activity.profile and live.programme.profile_at_join and live.ended_at is None
        if live.status(activity.id).status != OPEN and not anytime:
            use = store.submission_use(participant_id, cid, value)
            if use == "reused":
                raise reused(cid)
            if use == activity.id:
                # a retry of an answer committed before answering closed: its ack got lost
                return {
                    "ok": True,
                    "activity": activity.id,
                    "client_id": cid,
                    "value": store.answers_of(participant_id).get(activity.id),
                    "duplicate": True,
                }
            raise LiveError("closed", f"answering for '{activity.id}' is not open")
        tally = c.tally(live, activity.id)
        claimed: LiveState | None = None
        table: int | None = None
        submitted = value
        if kind.per_table:
            table = table_of(live, participant_id)
            # a retry (same client id and value) stays a duplicate, whatever the stamps
            use = store.submission_use(participant_id, cid, submitted)
            if use == activity.id:
                return {
                    "ok": True,
                    "activity": activity.id,
                    "client_id": cid,
                    "value": store.answers_of(participant_id).get(activity.id),
                    "duplicate": True,
                }
            value, claim = _at_table(live, activity, kind, participant_id, value, tally)
        saved = store.save_response(
            live.id, activity.id, participant_id, cid, value, status, submitted=submitted
        )
        if saved.kind == "reused":
            raise reused(cid)
        if kind.per_table and claim is not None and saved.kind != "duplicate":
            claimed = hold(live, activity.id, claim, participant_id)
        if saved.kind != "duplicate":
            with c.mem:
                if saved.kind == "new":
                    tally.add(participant_id, saved.value)
                else:
                    tally.replace(participant_id, saved.old, saved.value)
                if hasattr(tally, "set_status"):
                    tally.set_status(participant_id, status)
                c.bump(live, activity.id)
                c.follow_breakdowns(live, activity, participant_id, saved)
                if bus.active:
                    c.applied.setdefault((live.id, activity.id), {})[participant_id] = saved.changes
            if bus.active:
                bus.publish(
                    {
                        "t": "response",
                        "live": live.id,
                        "code": live.code,
                        "activity": activity.id,
                        "pid": participant_id,
                        "kind": saved.kind,
                        "old": saved.old,
                        "new": saved.value,
                        "status": status,
                        "changes": saved.changes,
                    }
                )
    if claimed is not None:  # this phone now holds its table's role: every screen hears it
        from .control import publish

        publish(claimed)
    if table is not None and saved.kind != "duplicate":
        tell_table(live, activity, table)
    if saved.kind != "duplicate":
        coalescer.results_changed(live.code, activity.id)
        if activity.profile and live.breakdown_by == activity.id and live.current:
            # the participant moved to another group of the breakdown on the screens
            coalescer.results_changed(live.code, live.current)
    return {
        "ok": True,
        "activity": activity.id,
        "client_id": cid,
        "value": saved.value,
        "duplicate": saved.kind == "duplicate",
    }


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
        with c.mem:
            if live.id in c.segments:
                c.segments[live.id].setdefault(participant_id, {})[TABLE] = number
            c.forget_breakdowns(live.id, dimension=TABLE)
    bus.publish({"t": "segments", "live": live.id})
    if live.breakdown_by == TABLE and live.current:
        coalescer.results_changed(live.code, live.current)
    return {"ok": True, "table": number}
