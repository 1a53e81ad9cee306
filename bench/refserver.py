"""Reference server for bench/load.py: the smallest honest Socket.IO vote counter.

Same wire protocol subset as Dialoogtafel (docs/protocol.md), on plain python-socketio with the
same async mode, and nothing else: no Flask, no database, no per-screen snapshots, no rate
limit. It exists so the benchmark can report Dialoogtafel's latencies as a ratio to what the
Socket.IO stack alone costs on the same machine.

- ``GET /health`` -> ``{"ok": true}``; ``POST /api/join/<code>`` -> ``{"ok": true, "token": ...}``.
- ``GET /j/<code>``: the phone page's stand-in (bench/load.py's connect storm): a new participant
  whose token is set as a cookie, and a small fixed HTML page (no template, no snapshot).
- ``connect`` with ``auth {role, code, token | key}`` (a participant's token may come from that
  cookie instead); then the client gets a ``state``
  ``{version, code, activity: {id, kind} | null, answering}``.
- ``respond {activity, value, client_id}`` (participant): counted once per participant and
  activity (a repeated client_id is a duplicate); acks ``{ok, activity, client_id, value,
  duplicate}``.
- ``goto {activity}`` / ``next`` (control): the new ``state`` goes to every client.
- ``results {activity, kind, rev, respondents, result}`` to the screens room, coalesced: at most
  one per activity every ``--interval`` seconds (0.1), like Dialoogtafel's broadcaster. ``result``
  is the option counts (choices) or ``{"n": ...}`` (open text; no entries, unlike Dialoogtafel).

Usage: ``python bench/refserver.py --host 127.0.0.1 --port 5001 --async-mode eventlet
--programme bench/programme.yaml --code BENCH2 --key SECRET``. Monkey-patching comes first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--async-mode", default="eventlet", choices=["eventlet", "gevent", "threading"])
    p.add_argument("--programme", required=True)
    p.add_argument("--code", default="BENCH2")
    p.add_argument("--key", default="refkey")
    p.add_argument("--interval", type=float, default=0.1)
    p.add_argument("--max-connections", type=int, default=10000)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.async_mode == "eventlet":
        import warnings

        warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
        import eventlet

        eventlet.monkey_patch()
    elif args.async_mode == "gevent":
        from gevent import monkey

        monkey.patch_all()

    import socketio

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.refcommon import Room

    room = Room(args.programme, args.code)
    order, kinds, options, lock = room.order, room.kinds, room.options, room.lock
    tokens, answers, seen, revs = room.tokens, room.answers, room.seen, room.revs
    dirty, live, state, result = room.dirty, room.live, room.state, room.result

    sio = socketio.Server(
        async_mode=args.async_mode, cors_allowed_origins=None, logger=False, engineio_logger=False
    )
    sids: dict[str, tuple[str, int | None]] = {}  # sid -> (role, participant id)

    @sio.event
    def connect(sid, environ, auth):  # type: ignore[no-untyped-def]
        if not isinstance(auth, dict) or auth.get("code") != args.code:
            raise socketio.exceptions.ConnectionRefusedError(
                {"code": "unknown_code", "message": "no such live session"}
            )
        role = auth.get("role")
        pid = None
        if role == "participant":
            token = auth.get("token")
            if not token:
                cookies = (environ.get("HTTP_COOKIE") or "").split(";")
                token = next(
                    (c.strip()[9:] for c in cookies if c.strip().startswith("reftoken=")), ""
                )
            pid = tokens.get(token or "")
            if pid is None:
                raise socketio.exceptions.ConnectionRefusedError(
                    {"code": "not_participant", "message": "join first"}
                )
            sio.enter_room(sid, "phones")
        elif role in ("control", "projector") and auth.get("key") == args.key:
            sio.enter_room(sid, "screens")
        else:
            raise socketio.exceptions.ConnectionRefusedError(
                {"code": "forbidden", "message": "bad key"}
            )
        sids[sid] = (role, pid)
        sio.emit("state", state(), to=sid)

    @sio.event
    def disconnect(sid, *_):  # type: ignore[no-untyped-def]
        sids.pop(sid, None)

    def error(code: str) -> dict:
        return {"ok": False, "error": {"code": code, "message": code}}

    @sio.event
    def respond(sid, data):  # type: ignore[no-untyped-def]
        role, pid = sids.get(sid, (None, None))
        if role != "participant" or pid is None:
            return error("forbidden")
        if not isinstance(data, dict) or not isinstance(data.get("client_id"), str):
            return error("bad_payload")
        aid, cid, value = data.get("activity"), data["client_id"], data.get("value")
        if not isinstance(aid, str) or aid not in kinds:
            return error("unknown_activity")
        opts = options[aid]
        if kinds[aid] == "single_choice" and value not in opts:
            return error("invalid_response")
        if kinds[aid] == "multi_choice" and not (
            isinstance(value, list)
            and value
            and all(v in opts for v in value)
            and len(set(value)) == len(value)
        ):
            return error("invalid_response")
        if kinds[aid] == "open_text" and not (isinstance(value, str) and value.strip()):
            return error("invalid_response")
        with lock:
            if (pid, cid) in seen:
                return {
                    "ok": True,
                    "activity": aid,
                    "client_id": cid,
                    "value": answers[aid].get(pid),
                    "duplicate": True,
                }
            if aid not in live["opened"]:
                return error("closed")
            seen[(pid, cid)] = aid
            answers[aid][pid] = value
            revs[aid] += 1
            dirty.add(aid)
        return {"ok": True, "activity": aid, "client_id": cid, "value": value, "duplicate": False}

    def move(target: str | None) -> dict:
        with lock:
            if target is not None:
                live["current"] = target
                live["opened"].add(target)
                live["version"] += 1
            snap = state()
        sio.emit("state", snap, to="phones")
        sio.emit("state", snap, to="screens")
        return {"ok": True, "version": snap["version"]}

    @sio.event
    def goto(sid, data):  # type: ignore[no-untyped-def]
        if sids.get(sid, (None,))[0] != "control":
            return error("forbidden")
        aid = data.get("activity") if isinstance(data, dict) else None
        if aid not in kinds:
            return error("unknown_activity")
        return move(aid)

    @sio.on("next")
    def next_(sid, data=None):  # type: ignore[no-untyped-def]
        if sids.get(sid, (None,))[0] != "control":
            return error("forbidden")
        cur = live["current"]
        i = 0 if cur is None else order.index(cur) + 1
        return move(order[i] if i < len(order) else None)

    def broadcaster() -> None:
        while True:
            sio.sleep(args.interval)
            with lock:
                todo = sorted(dirty)
                dirty.clear()
                payloads = [
                    {
                        "activity": a,
                        "kind": kinds[a],
                        "rev": revs[a],
                        "respondents": len(answers[a]),
                        "result": result(a),
                    }
                    for a in todo
                ]
            for p in payloads:
                sio.emit("results", p, to="screens")

    sio.start_background_task(broadcaster)
    app = socketio.WSGIApp(sio, room.http)
    print(f"refserver on http://{args.host}:{args.port} ({args.async_mode})", flush=True)
    if args.async_mode == "eventlet":
        import eventlet
        import eventlet.wsgi

        # as Flask-SocketIO's run(): eventlet.listen with its default backlog
        eventlet.wsgi.server(
            eventlet.listen((args.host, args.port)),
            app,
            log_output=False,
            max_size=args.max_connections,
        )
    elif args.async_mode == "gevent":
        from gevent import pywsgi

        try:
            from geventwebsocket.handler import WebSocketHandler

            server = pywsgi.WSGIServer(
                (args.host, args.port), app, log=None, handler_class=WebSocketHandler
            )
        except ImportError:
            server = pywsgi.WSGIServer((args.host, args.port), app, log=None)
        server.serve_forever()
    else:
        from werkzeug.serving import run_simple

        run_simple(args.host, args.port, app, threaded=True)


if __name__ == "__main__":
    main()
