"""Client -> server Socket.IO events (the inbound protocol). Each handler: identify, check the
payload's shape, call ``live``, ack. Payloads and acks are documented in docs/protocol.md.

- ``connect`` auth ``{role, code, key?, token?}``: participant (cookie from /j/<code>, or
  ``token``), control (signed-in facilitator, control link, or ``key``), projector (projector or
  control link, or ``key``). Refused with ``{code, message}``. Then the screen gets a ``state``.
- ``respond`` (participant): ``{activity, value, client_id}``.
- ``ask`` (participant): ``{activity, text, client_id}``;
  ``upvote``: ``{activity, question, vote}``; ``set_table``: ``{table}``.
- ``snapshot`` (any role): ``{}``; the ack carries the state.
- ``goto`` ``{activity}``, ``next``, ``previous``, ``open_answering``, ``close_answering``,
  ``show_results``, ``hide_results``, ``moderate`` ``{activity, entry, action}``,
  ``approve_all`` ``{activity, entry?}``, ``hide_word``
  ``{activity, word, hidden}``, ``reset_activity`` ``{activity, confirm}``, ``lock_joining``
  ``{locked}``, ``start_timer`` ``{seconds}``, ``stop_timer``, ``set_breakdown`` ``{by, compare}``,
  ``end`` ``{ended}``, ``set_language`` ``{language}`` (control only).

Rights are checked at connect and again on every event, by the role recorded for the
connection; a participant's socket sending a control event gets ``forbidden``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import request, session
from flask_socketio import ConnectionRefusedError, join_room

from . import live as live_cases
from .broadcast import participant_room, room_for
from .extensions import socketio
from .live import LiveError
from .views import granted, key_matches, limiter, role_keys

log = logging.getLogger(__name__)

ROLES = ("participant", "control", "projector")


@dataclass
class Client:
    role: str
    code: str
    participant_id: int | None = None


#: the per-connection event budget against floods (``ratelimit``, kind "event"): at most RATE
#: events a second, in bursts of BURST; read when an app is created
RATE, BURST = 10.0, 20.0
_clients: dict[str, Client] = {}
_clients_lock = threading.Lock()


def _error(code: str, message: str) -> dict[str, Any]:
    return LiveError(code, message).to_ack()


def _refuse(code: str, message: str) -> ConnectionRefusedError:
    return ConnectionRefusedError(message, {"code": code, "message": message})


@socketio.on("connect")
def on_connect(auth: Any = None) -> None:
    if not isinstance(auth, dict):
        raise _refuse("bad_payload", "connect with auth {role, code}")
    role, code = auth.get("role"), auth.get("code")
    if role not in ROLES or not isinstance(code, str):
        raise _refuse(
            "bad_payload",
            "auth.role must be participant, control or projector, and auth.code a join code",
        )
    live = live_cases.find(code)
    if live is None:
        raise _refuse("unknown_code", f"no live session with code '{code[:12]}'")
    participant_id = None
    if role == "participant":
        token = auth.get("token") or session.get("p", {}).get(live.code)
        participant_id = live_cases.participant_for(live, token if isinstance(token, str) else None)
        if participant_id is None:
            raise _refuse("not_participant", "open the join link first (/j/<code>)")
    else:
        key = auth.get("key")
        by_key = isinstance(key, str) and key_matches(key, role_keys(live, role))
        if not (by_key or granted(role, live.code)):
            raise _refuse("forbidden", f"this connection may not open the {role} screen")
    with _clients_lock:
        _clients[request.sid] = Client(role, live.code, participant_id)  # type: ignore[attr-defined]
    join_room(room_for(role, live.code))
    if participant_id is not None:
        join_room(participant_room(live.code, participant_id))
        live_cases.connected(live, participant_id, +1)
    live_cases.send_snapshot(request.sid, role, live, participant_id)  # type: ignore[attr-defined]


@socketio.on("disconnect")
def on_disconnect(*_: Any) -> None:
    with _clients_lock:
        client = _clients.pop(request.sid, None)  # type: ignore[attr-defined]
    limiter("event").forget(request.sid)  # type: ignore[attr-defined]
    if client is not None and client.participant_id is not None:
        live = live_cases.find(client.code)
        if live is not None:
            live_cases.connected(live, client.participant_id, -1)


def handler(event: str, *roles: str) -> Callable[[Callable[..., dict[str, Any]]], Any]:
    """Register an event for the given roles: rate limit, role check, errors as acks."""

    def wrap(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        @wraps(fn)
        def on_event(payload: Any = None, *extra: Any) -> dict[str, Any]:
            with _clients_lock:
                client = _clients.get(request.sid)  # type: ignore[attr-defined]
            if client is None:
                return _error("forbidden", "this connection is not identified; reconnect")
            if not limiter("event").allow(request.sid):  # type: ignore[attr-defined]
                return _error("rate_limited", "too many events; wait a moment and retry")
            if client.role not in roles:
                return _error("forbidden", f"'{event}' may not be sent by a {client.role} screen")
            if payload is None:
                payload = {}
            if not isinstance(payload, dict) or extra:
                return _error("bad_payload", f"'{event}' expects one object as its payload")
            try:
                live = live_cases.get(client.code)
                return fn(client, live, payload)
            except LiveError as exc:
                return exc.to_ack()
            except Exception:
                log.exception("event %s failed", event)
                return _error("server_error", "the server failed to handle this event; retry")

        socketio.on_event(event, on_event)
        return on_event

    return wrap


@handler("respond", "participant")
def on_respond(
    client: Client, live: live_cases.LiveState, payload: dict[str, Any]
) -> dict[str, Any]:
    assert client.participant_id is not None
    return live_cases.respond(live, client.participant_id, payload)


@handler("ask", "participant")
def on_ask(client: Client, live: live_cases.LiveState, payload: dict[str, Any]) -> dict[str, Any]:
    assert client.participant_id is not None
    return live_cases.ask(live, client.participant_id, payload)


@handler("upvote", "participant")
def on_upvote(
    client: Client, live: live_cases.LiveState, payload: dict[str, Any]
) -> dict[str, Any]:
    assert client.participant_id is not None
    return live_cases.upvote(live, client.participant_id, payload)


@handler("set_table", "participant")
def on_set_table(
    client: Client, live: live_cases.LiveState, payload: dict[str, Any]
) -> dict[str, Any]:
    assert client.participant_id is not None
    return live_cases.set_table(live, client.participant_id, payload)


@handler("snapshot", *ROLES)
def on_snapshot(
    client: Client, live: live_cases.LiveState, payload: dict[str, Any]
) -> dict[str, Any]:
    return {"ok": True, "state": live_cases.snapshot_for(client.role, live, client.participant_id)}


def _control(
    event: str, action: Callable[[live_cases.LiveState, dict[str, Any]], live_cases.LiveState]
) -> None:
    @handler(event, "control")
    def on_control(
        client: Client, live: live_cases.LiveState, payload: dict[str, Any]
    ) -> dict[str, Any]:
        return {"ok": True, "version": action(live, payload).version}


_control("goto", lambda live, p: live_cases.goto(live, p.get("activity")))
_control("next", lambda live, p: live_cases.step(live, +1))
_control("previous", lambda live, p: live_cases.step(live, -1))
_control("open_answering", lambda live, p: live_cases.set_answering(live, True))
_control("close_answering", lambda live, p: live_cases.set_answering(live, False))
_control("show_results", lambda live, p: live_cases.set_results_visible(live, True))
_control("hide_results", lambda live, p: live_cases.set_results_visible(live, False))
_control("moderate", live_cases.moderate)
_control("hide_word", live_cases.hide_word)
_control("approve_all", live_cases.approve_all)
_control("reset_activity", live_cases.reset_activity)
_control("lock_joining", lambda live, p: live_cases.set_join_locked(live, p.get("locked")))
_control("start_timer", live_cases.start_timer)
_control("stop_timer", live_cases.stop_timer)
_control("set_breakdown", live_cases.set_breakdown)
_control("end", live_cases.end)
_control("set_language", live_cases.set_language)
