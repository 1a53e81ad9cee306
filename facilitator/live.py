"""Use cases of a live session: start, join, respond, and the facilitator's controls.

The only module that combines a write, a result and a broadcast, so that Socket.IO handlers,
HTTP views and the CLI stay thin and share the behaviour. Every failure is a ``LiveError`` with a
protocol error code and a message that says what was wrong.

In-process state (caches, rebuilt from the database after a restart):
- the current ``LiveState`` per join code (a control action replaces it);
- one incremental ``Tally`` per activity (built once from the stored responses, then updated
  with every committed change, under ``store.write_lock`` so it follows commit order);
- who is connected.
With several server processes these caches are per process; see docs/deployment notes.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import Counter
from typing import Any

from flask import current_app, has_request_context, request, url_for

from . import store
from .activities import InvalidResponse, clean_response
from .aggregate import Tally, new_tally
from .broadcast import coalescer, state_to, state_to_rooms
from .programme import Programme
from .snapshot import (
    CLOSED,
    OPEN,
    PENDING,
    ActivityStatus,
    Links,
    LiveState,
    control_state,
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


_lock = threading.Lock()  # guards the dicts below (not the database)
_lives: dict[str, LiveState] = {}
_tallies: dict[tuple[int, str], Tally] = {}
_revs: dict[tuple[int, str], int] = {}
_connected: dict[str, Counter[int]] = {}
_participants: dict[str, int] = {}
_secret = [""]  # the app's secret key, for opaque entry ids (read outside any app context)


def reset_caches() -> None:
    """Forget every in-process cache (tests; a new app on the same process)."""
    with _lock:
        _lives.clear()
        _tallies.clear()
        _revs.clear()
        _connected.clear()
        _participants.clear()
    store._programmes.clear()


def init_app(app: Any) -> None:
    """Start the coalesced broadcaster for this app."""
    reset_caches()
    _secret[0] = app.config["SECRET_KEY"]
    coalescer.start(_results_payloads, _counts, app.config["BROADCAST_INTERVAL"])


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


def links(live: LiveState) -> Links:
    """The live session's addresses, on the public URL when one is configured."""
    base = current_app.config.get("PUBLIC_URL") or (
        request.host_url if has_request_context() else "http://localhost:5000/")
    base = base.rstrip("/")
    return Links(
        participant_url=f"{base}/j/{live.code}",
        projector_url=f"{base}/projector/{live.code}?key={live.projector_key}",
        control_url=f"{base}/control/{live.code}?key={live.control_key}",
        qr_url=url_for("projector.qr", code=live.code) if has_request_context()
        else f"/projector/{live.code}/qr.svg",
    )


# ------------------------------------------------------------------------------ start, join


def start(programme: Programme, programme_file: str = "") -> LiveState:
    """A new live session of a validated programme."""
    return _remember(store.create_live(programme, programme_file))


def join(code: str) -> tuple[LiveState, int, str]:
    """Make a new participant: (live, participant id, token)."""
    live = get(code)
    if live.ended_at is not None:
        raise LiveError("ended", "this live session has ended")
    if live.join_locked:
        raise LiveError("locked", "joining is locked by the facilitator")
    pid, token = store.create_participant(live.id)
    with _lock:
        if live.code in _participants:
            _participants[live.code] += 1
    coalescer.counts_changed(live.code)
    return live, pid, token


def participant_for(live: LiveState, token: str | None) -> int | None:
    return store.find_participant(live.id, token) if token else None


def connected(live: LiveState, participant_id: int, delta: int) -> None:
    """A phone's connection opened (+1) or closed (-1)."""
    with _lock:
        c = _connected.setdefault(live.code, Counter())
        c[participant_id] += delta
        if c[participant_id] <= 0:
            del c[participant_id]
    coalescer.counts_changed(live.code)


# -------------------------------------------------------------------------------- respond


def respond(live: LiveState, participant_id: int, payload: Any) -> dict[str, Any]:
    """Clean, commit, then count a participant's answer; returns the ack."""
    if not isinstance(payload, dict):
        raise LiveError("bad_payload", "respond expects an object {activity, value, client_id}")
    activity_id, client_id = payload.get("activity"), payload.get("client_id")
    if not isinstance(activity_id, str) or not activity_id:
        raise LiveError("bad_payload", "field 'activity' must be an activity id (string)")
    if not isinstance(client_id, str) or not 8 <= len(client_id) <= MAX_CLIENT_ID:
        raise LiveError("bad_payload", f"field 'client_id' must be a string of 8 to "
                        f"{MAX_CLIENT_ID} characters")
    if "value" not in payload:
        raise LiveError("bad_payload", "field 'value' is missing")
    live = get(live.code)  # the newest state: the activity may have closed meanwhile
    activity = live.programme.activity(activity_id)
    if activity is None:
        raise LiveError("unknown_activity", f"no activity '{activity_id[:64]}' in this programme")
    try:
        value = clean_response(activity, payload["value"])
    except InvalidResponse as exc:
        raise LiveError(exc.code, exc.message) from None
    with store.write_lock:
        live = get(live.code)
        if live.status(activity.id).status != OPEN:
            if store.submission_activity(participant_id, client_id) == activity.id:
                # a retry of an answer committed before answering closed: its ack got lost
                return {"ok": True, "activity": activity.id, "client_id": client_id,
                        "value": store.answers_of(participant_id).get(activity.id),
                        "duplicate": True}
            raise LiveError("closed", f"answering for '{activity.id}' is not open")
        tally = _tally(live, activity.id)
        saved = store.save_response(live.id, activity.id, participant_id, client_id, value)
        if saved.kind == "new":
            tally.add(participant_id, saved.value)
        elif saved.kind == "changed":
            tally.replace(participant_id, saved.old, saved.value)
        if saved.kind != "duplicate":
            key = (live.id, activity.id)
            _revs[key] = _revs.get(key, 0) + 1
    if saved.kind != "duplicate":
        coalescer.results_changed(live.code, activity.id)
    return {"ok": True, "activity": activity.id, "client_id": client_id, "value": saved.value,
            "duplicate": saved.kind == "duplicate"}


def _tally(live: LiveState, activity_id: str) -> Tally:
    """The activity's tally, recounted from the database the first time. Hold write_lock."""
    key = (live.id, activity_id)
    tally = _tallies.get(key)
    if tally is None:
        activity = live.programme.activity(activity_id)
        assert activity is not None
        secret = f"{_secret[0]}:{live.id}:{activity_id}".encode()
        tally = new_tally(activity, lambda pid: _opaque(secret, pid))
        for pid, value in store.responses_for(live.id, activity_id):
            tally.add(pid, value)
        _tallies[key] = tally
        _revs.setdefault(key, 0)
    return tally


def _opaque(secret: bytes, participant_id: Any) -> str:
    """A short id for a participant's entry in one activity; unlinkable across activities."""
    return hmac.new(secret, str(participant_id).encode(), hashlib.sha256).hexdigest()[:12]


def result(live: LiveState, activity_id: str) -> tuple[dict[str, Any] | None, int, int]:
    """(result, respondents, rev) of an activity."""
    with store.write_lock:
        tally = _tally(live, activity_id)
        return tally.result(), tally.respondents, _revs[(live.id, activity_id)]


def _results_payloads(code: str, activity_id: str
                      ) -> tuple[dict[str, Any], dict[str, Any]] | None:
    live = find(code)
    if live is None or live.programme.activity(activity_id) is None:
        return None
    res, respondents, rev = result(live, activity_id)
    kind = live.programme.activity(activity_id).kind  # type: ignore[union-attr]
    control = {"activity": activity_id, "kind": kind, "rev": rev, "respondents": respondents,
               "result": res}
    visible = live.status(activity_id).results_visible
    projector = dict(control, result=res if visible else None)
    return control, projector


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
        answered = result(live, current.id)[1]
    return {"connected": connected_now, "participants": participants, "answered": answered}


def _counts(code: str) -> dict[str, int] | None:
    live = find(code)
    return counts(live) if live else None


# ----------------------------------------------------------------------------- snapshots


def participant_snapshot(live: LiveState, participant_id: int) -> dict[str, Any]:
    return participant_state(live, store.answers_of(participant_id))


def projector_snapshot(live: LiveState) -> dict[str, Any]:
    res, respondents = None, 0
    current = live.current_activity
    if current is not None and current.answerable:
        res, respondents, _ = result(live, current.id)
    return projector_state(live, links(live), res, respondents)


def control_snapshot(live: LiveState) -> dict[str, Any]:
    res = None
    current = live.current_activity
    if current is not None and current.answerable:
        res = result(live, current.id)[0]
    return control_state(live, links(live), res, counts(live))


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
    coalescer.counts_changed(live.code)  # "answered" follows the current activity
    state_to_rooms(live.code, participant_state(live, None), projector_snapshot(live),
                   control_snapshot(live))
    return live


# ------------------------------------------------------------------------------ controls


def _change(live: LiveState, *, current: str | None = ...,  # type: ignore[assignment]
            statuses: dict[str, ActivityStatus] | None = None,
            join_locked: bool | None = None) -> LiveState:
    with store.write_lock:
        new = store.update_live(live.id, current=current, statuses=statuses,
                                join_locked=join_locked)
    return _publish(new)


def _opened(live: LiveState, activity_id: str) -> ActivityStatus:
    activity = live.programme.activity(activity_id)
    assert activity is not None
    visible = live.status(activity_id).results_visible or \
        live.programme.show_results_for(activity) == "live"
    return ActivityStatus(OPEN, visible)


def _closed(live: LiveState, activity_id: str) -> ActivityStatus:
    activity = live.programme.activity(activity_id)
    assert activity is not None
    visible = live.status(activity_id).results_visible or \
        live.programme.show_results_for(activity) == "after_close"
    return ActivityStatus(CLOSED, visible)


def goto(live: LiveState, activity_id: Any) -> LiveState:
    """Make an activity current; one that was never opened opens."""
    live = get(live.code)
    if not isinstance(activity_id, str) or live.programme.activity(activity_id) is None:
        raise LiveError("unknown_activity", f"no activity {str(activity_id)[:64]!r} in this "
                        "programme")
    statuses = {}
    activity = live.programme.activity(activity_id)
    assert activity is not None
    if activity.answerable and live.status(activity_id).status == PENDING:
        statuses[activity_id] = _opened(live, activity_id)
    return _change(live, current=activity_id, statuses=statuses)


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
    """Open or close answering for the current activity."""
    live = get(live.code)
    aid = _current_answerable(live)
    status = _opened(live, aid) if open_ else _closed(live, aid)
    if live.status(aid) == status:
        return live
    return _change(live, statuses={aid: status})


def set_results_visible(live: LiveState, visible: bool) -> LiveState:
    """Show or hide the current activity's results on the projector."""
    live = get(live.code)
    aid = _current_answerable(live)
    st = live.status(aid)
    if st.results_visible == visible:
        return live
    return _change(live, statuses={aid: ActivityStatus(st.status, visible)})


def set_join_locked(live: LiveState, locked: bool) -> LiveState:
    live = get(live.code)
    return _change(live, join_locked=bool(locked))
