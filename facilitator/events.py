"""Client -> server Socket.IO events (the inbound protocol). Each handler: identify, check the
payload's shape, call ``live``, ack. Payloads and acks are documented in docs/protocol.md.

- ``connect`` auth ``{role, code, key?, token?}``: participant (cookie from /j/<code>, or
  ``token``), control (signed-in facilitator, control link, or ``key``), projector (projector or
  control link, or ``key``). Refused with ``{code, message}``. Then, after Socket.IO's CONNECT
  packet (``after_connect``), the screen joins its rooms and gets a ``state``.
- ``respond`` (participant): ``{activity, value, client_id}``.
- ``ask`` (participant): ``{activity, text, client_id}``;
  ``upvote``: ``{activity, question, vote}``; ``set_table``: ``{table}``.
- ``snapshot`` (any role): ``{}``; the ack carries the state.
- ``goto`` ``{activity}``, ``next``, ``previous``, ``open_answering``, ``close_answering``,
  ``show_results``, ``hide_results``, ``moderate`` ``{activity, entry, action}``,
  ``approve_all`` ``{activity, entry?}``, ``hide_word``
  ``{activity, word, hidden}``, ``reset_activity`` ``{activity, confirm}``, ``lock_joining``
  ``{locked}``, ``start_timer`` ``{seconds}``, ``stop_timer``, ``set_breakdown`` ``{by, compare}``,
  ``spotlight`` ``{group}``, ``release_holder`` and ``hand_holder`` ``{activity, table}``,
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

from flask import current_app, session
from flask_socketio import ConnectionRefusedError

from . import live as live_cases
from .broadcast import participant_room, room_for
from .config import Config
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


#: the event budget against floods (``ratelimit``, kind "event"): at most RATE events a second,
#: in bursts of BURST, per participant (across all their connections: a new connection does
#: not refill it) and per control or projector connection. The defaults of the settings
#: EVENT_RATE and EVENT_BURST.
RATE, BURST = Config.EVENT_RATE, Config.EVENT_BURST
_clients: dict[str, Client] = {}
#: connections accepted by ``on_connect`` whose rooms and first state wait for ``after_connect``
_welcome: dict[str, tuple[Any, Client]] = {}
_clients_lock = threading.Lock()


def _error(code: str, message: str) -> dict[str, Any]:
    return LiveError(code, message).to_ack()


def _refuse(code: str, message: str) -> ConnectionRefusedError:
    return ConnectionRefusedError(message, {"code": code, "message": message})


def on_connect(sid: str, auth: Any) -> None:
    """Accept (record the connection's role) or refuse (``ConnectionRefusedError``) a
    connection. Runs in an app context; ``_connect`` gives it a request context (the browser's
    session cookie) when it needs one."""
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
    client = Client(role, live.code, participant_id)
    with _clients_lock:
        _clients[sid] = client
        # rooms and the first state wait until Socket.IO has sent CONNECT (after_connect): a
        # packet sent from inside this handler reaches the client before CONNECT, and a strict
        # client drops it
        _welcome[sid] = (current_app._get_current_object(), client)  # type: ignore[attr-defined]
    if participant_id is not None:
        live_cases.connected(live, participant_id, +1)


def _needs_cookie(auth: Any) -> bool:
    """Whether a connect's answer may depend on the browser's session cookie: every connect
    but a participant's with a ``token`` (the phones that joined by ``POST /api/join``)."""
    if not isinstance(auth, dict) or auth.get("role") != "participant":
        return True
    token = auth.get("token")
    return not (isinstance(token, str) and token)


def _connect(app: Any) -> Callable[..., None]:
    """python-socketio's ``connect`` handler for ``app``: ``on_connect`` in an app context, in
    a request context (the session cookie) only when ``_needs_cookie``. Flask-SocketIO made a
    request context for every connect and disconnect: matching the URL (a miss: /socket.io/ is
    no Flask route) and opening the cookie were about 3 % of the server's CPU in a connect
    storm, where nine phones in ten carry a token."""

    def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        with app.app_context():
            if _needs_cookie(auth):
                with app.request_context(environ):
                    on_connect(sid, auth)
            else:
                on_connect(sid, auth)

    return connect


def after_connect(sid: str) -> None:
    """Called by the Socket.IO client manager right after the CONNECT packet went to ``sid``
    (facilitator/clients.py): join the screen's rooms, then send the first
    state, made now, so that it is no older than any room broadcast the screen could miss."""
    with _clients_lock:
        welcome = _welcome.pop(sid, None)
    if welcome is None:
        return
    app, client = welcome
    with app.app_context():
        socketio.server.enter_room(sid, room_for(client.role, client.code), namespace="/")
        if client.participant_id is not None:
            socketio.server.enter_room(
                sid, participant_room(client.code, client.participant_id), namespace="/"
            )
        live = live_cases.find(client.code)
        if live is not None:
            live_cases.send_snapshot(sid, client.role, live, client.participant_id)


def on_disconnect(sid: str, *_: Any) -> None:
    """python-socketio's ``disconnect`` handler (any reason); runs in an app context."""
    with _clients_lock:
        client = _clients.pop(sid, None)
        _welcome.pop(sid, None)
    # a screen's budget goes with its connection; a participant's stays (a new connection does
    # not refill it; Buckets forgets it once it has been full for a while)
    limiter("event").forget(f"c:{sid}")
    if client is not None and client.participant_id is not None:
        live = live_cases.find(client.code)
        if live is not None:
            live_cases.connected(live, client.participant_id, -1)


def _budget_key(client: Client, sid: str) -> str:
    """Whose event budget an event spends: the participant's (shared by every connection of
    theirs), else the connection's."""
    if client.participant_id is not None:
        return f"p:{client.code}:{client.participant_id}"
    return f"c:{sid}"


#: integers a payload may carry: what a 64-bit signed database column holds
INT_LIMIT = 2**63


def oversized_int(value: Any, where: str = "payload", depth: int = 0) -> str | None:
    """Where in a payload an integer lies beyond 64 bits (SQLite and PostgreSQL would refuse
    it with an OverflowError deep in a write), or None."""
    path = _oversized(value, depth)
    if path is None:
        return None
    return ".".join([where, *(str(key)[:32] for key in reversed(path))])


def _oversized(value: Any, depth: int) -> list[Any] | None:
    """The keys from an oversized integer up to ``value`` (innermost first), or None; the
    path is only spelled out once one is found (this runs on every answer)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return None if -INT_LIMIT <= value < INT_LIMIT else []
    if depth > 32:
        return None  # Socket.IO's JSON decoding bounds the nesting; a deeper one is no integer
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(item, str):
            continue
        found = _oversized(item, depth + 1)
        if found is not None:
            found.append(key)
            return found
    return None


def log_failure(event: str) -> None:
    """An event handler failed (a bug): the traceback, at most ``TRACEBACK_BURST`` in a row and
    ``TRACEBACK_RATE`` a second after that (ratelimit kind "traceback"); beyond that one short
    line each, so a client that found a failing payload cannot fill the disk with tracebacks."""
    if limiter("traceback").allow("events"):
        log.exception("event %s failed", event)
    else:
        log.error("event %s failed (traceback left out: too many at once)", event)


#: the events of ``handler``: name -> ``on_event(sid, payload, *extra)``, registered on each
#: app's Socket.IO server by ``init_app``
_events: dict[str, Callable[..., dict[str, Any]]] = {}


def init_app(app: Any) -> None:
    """Register the events on ``app``'s Socket.IO server (after ``socketio.init_app``), each
    handled in an app context rather than Flask-SocketIO's request context per event: no
    handler reads the request or the session (the connect did, once, and only when it needs
    the cookie: ``_connect``), and making a Flask request context (matching the URL, opening
    the session cookie) cost about a third of an answer's CPU in the 5,000-phone burst."""
    socketio.server.on("connect", _connect(app), namespace="/")
    socketio.server.on("disconnect", _in_app(app, on_disconnect), namespace="/")
    for event, on_event in _events.items():
        socketio.server.on(event, _in_app(app, on_event), namespace="/")


def _in_app(app: Any, on_event: Callable[..., Any]) -> Callable[..., Any]:
    def in_app(sid: str, *args: Any) -> Any:
        with app.app_context():
            return on_event(sid, *args)

    return in_app


def handler(event: str, *roles: str) -> Callable[[Callable[..., dict[str, Any]]], Any]:
    """Register an event for the given roles: rate limit, role check, errors as acks."""

    def wrap(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        @wraps(fn)
        def on_event(sid: str, payload: Any = None, *extra: Any) -> dict[str, Any]:
            with _clients_lock:
                client = _clients.get(sid)
            if client is None:
                return _error("forbidden", "this connection is not identified; reconnect")
            if not limiter("event").allow(_budget_key(client, sid)):
                return _error("rate_limited", "too many events; wait a moment and retry")
            if client.role not in roles:
                return _error("forbidden", f"'{event}' may not be sent by a {client.role} screen")
            if payload is None:
                payload = {}
            if not isinstance(payload, dict) or extra:
                return _error("bad_payload", f"'{event}' expects one object as its payload")
            too_big = oversized_int(payload)
            if too_big is not None:
                return _error(
                    "bad_payload", f"{too_big}: a number beyond 64 bits is no valid value here"
                )
            try:
                live = live_cases.get(client.code)
                return fn(client, live, payload)
            except LiveError as exc:
                return exc.to_ack()
            except Exception:
                if live_cases.vanished(client.code):
                    # deleted by another server process a moment ago (its word was on its way)
                    return live_cases.unknown(client.code).to_ack()
                log_failure(event)
                return _error("server_error", "the server failed to handle this event; retry")

        _events[event] = on_event
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
_control("spotlight", live_cases.spotlight)
_control("release_holder", live_cases.release_holder)
_control("hand_holder", live_cases.hand_holder)
_control("end", live_cases.end)
_control("set_language", live_cases.set_language)
