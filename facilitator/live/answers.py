"""Phones: joining, connecting, answering (``respond``) and saying at which table they sit."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .. import kinds, store
from ..activities import InvalidResponse, clean_response
from ..broadcast import coalescer
from ..bus import bus
from ..snapshot import OPEN, TABLE, LiveState
from .access import admit
from .cache import cache
from .checks import LiveError, activity_of, client_id, reused, table_number
from .lookup import get


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
    try:
        pid, token = store.create_participant(live.id, number, personal)
    except store.CodeUsed:
        raise LiveError(
            "join_code_used", "this personal code was used already: each joins one person"
        ) from None
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
        saved = store.save_response(live.id, activity.id, participant_id, cid, value, status)
        if saved.kind == "reused":
            raise reused(cid)
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
