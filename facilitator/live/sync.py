"""Keeping several server processes in step (scale-out): what this process tells the others
through the bus (``bus.py``), and applying what they tell it to this process's caches."""

from __future__ import annotations

import time
from typing import Any

from .. import store
from ..broadcast import coalescer
from ..bus import bus
from ..snapshot import LiveState
from .answers import connected, joined
from .cache import LiveCache, cache
from .lookup import find, forget


def recount_elsewhere(live: LiveState, activity_id: str, questions: bool = False) -> None:
    """Results changed in a rare way (moderation, questions, a reset): send them, and have
    other server processes recount theirs."""
    coalescer.results_changed(live.code, activity_id)
    if questions:
        coalescer.questions_changed(live.code, activity_id)
    bus.publish({"t": "invalidate", "live": live.id, "activity": activity_id})


def apply_remote(event: dict[str, Any]) -> None:
    """Apply what another server process committed to this process's caches (called by the
    bus's listener, outside any app context: ``cache()`` is the served app's)."""
    what = event.get("t")
    c = cache()
    if what == "resync":
        resync(c)
    elif what == "live":
        forget(event["code"])
    elif what == "deleted":
        from .retention import gone

        gone(event["code"], event["live"], tell=False)
    elif what == "response":
        apply_response(c, event)
    elif what == "invalidate":
        with store.write_lock, c.mem:
            c.drop(event["live"], event["activity"])
    elif what == "segments":
        with store.write_lock, c.mem:
            c.segments.pop(event["live"], None)
            c.forget_breakdowns(event["live"])
    elif what == "joined":
        live = find(event["code"])
        if live is not None:
            joined(live, event["pid"], event.get("table"))
    elif what == "connected":
        live = find(event["code"])
        if live is not None:
            connected(live, event["pid"], event["d"], local=False)


def resync(c: LiveCache) -> None:
    """Another process's events were missed (bus.py): forget every cached state, result,
    breakdown and count; they are reread from the database when next needed, and the screens
    of every live session get fresh results now. (Who is connected cannot be reread: phones on
    other processes are counted again as they reconnect.)"""
    with c.lock:
        codes = {code: live.current for code, live in c.lives.items()}
        c.lives.clear()
        c.participants.clear()
        c.participants_read.clear()
    with store.write_lock, c.mem:
        c.tallies.clear()
        c.applied.clear()
        c.breakdowns.clear()
        c.segments.clear()
        now = time.time_ns() // 1000
        for key, rev in c.revs.items():  # the recounted results are newer than any sent
            c.revs[key] = max(rev + 1, now)
    for code, current in codes.items():
        coalescer.counts_changed(code)
        if current:
            coalescer.results_changed(code, current)


def apply_response(c: LiveCache, event: dict[str, Any]) -> None:
    """An answer committed by another process: count it here too, in the order of its
    changes (a change that went missing: recount from the database)."""
    live = find(event["code"])
    activity = live.programme.activity(event["activity"]) if live else None
    if live is None or activity is None:
        return
    key, pid, n = (live.id, activity.id), event["pid"], event["changes"]
    # write_lock: not while this process recounts the tally from the database
    with store.write_lock, c.mem:
        tally = c.tallies.get(key)
        if tally is None:
            return  # built from the database when it is first needed, with this answer in it
        applied = c.applied.setdefault(key, {})
        before = applied.get(pid, -1)
        if n <= before:
            return  # already counted (the tally was recounted after this answer)
        if event["kind"] == "new" and before == -1:
            tally.add(pid, event["new"])
        elif event["kind"] == "changed" and before == n - 1:
            tally.replace(pid, event["old"], event["new"])
        else:
            c.drop(*key)  # a change went missing: recount from the database
            return
        tally.set_status(pid, event["status"])
        applied[pid] = n
        c.bump(live, activity.id)
        c.follow_breakdowns(
            live, activity, pid, store.Saved(event["kind"], event["new"], event["old"], n)
        )
