"""Bare websocket reference for bench/load.py: a vote counter on eventlet's own websocket, with
no Socket.IO library, no Flask and no database. It is the floor the connect storm is compared
with ("within 2x the bare reference's time in the same run", issue 16).

It frames the few messages the bench's phones and screens exchange by hand, in the text form
Engine.IO 4 / Socket.IO 5 give them (so ``bench/load.py``'s ``RawClient`` talks to it
unchanged): ``0{...}`` open, ``40{auth}`` / ``40{sid}`` connect, ``44{...}`` refusal,
``42["state",{...}]`` an event, ``42<id>[event,data]`` with ``43<id>[ack]`` as its answer. No
pings, no long-polling, no namespaces, no rooms: a list of phones and a list of screens.

- ``GET /health``, ``POST /api/join/<code>`` (a token), ``GET /j/<code>`` (a fixed 100-byte page
  and a cookie), as bench/refserver.py;
- ``respond {activity, value, client_id}``: counted once per participant and activity (a client
  id seen before is a duplicate); ``goto``/``next`` (control): the new ``state`` to everyone;
- ``results {activity, kind, rev, respondents, result}`` to the screens every ``--interval``
  seconds (0.1) while something changed.

Usage: ``python bench/bareserver.py --host 127.0.0.1 --port 5002 --programme
bench/programme.yaml --code BENCH2 --key SECRET``. Always eventlet (monkey-patched first).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--programme", required=True)
    p.add_argument("--code", default="BENCH2")
    p.add_argument("--key", default="refkey")
    p.add_argument("--interval", type=float, default=0.1)
    p.add_argument("--max-connections", type=int, default=20000)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    import warnings

    warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
    import json
    import secrets

    import eventlet.websocket
    import eventlet.wsgi
    from eventlet.semaphore import Semaphore

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.refcommon import Room

    room = Room(args.programme, args.code)
    order, kinds = room.order, room.kinds
    tokens, answers, seen, revs = room.tokens, room.answers, room.seen, room.revs
    dirty, live, state, result = room.dirty, room.live, room.state, room.result
    dumps = json.JSONEncoder(separators=(",", ":")).encode

    class Conn:
        __slots__ = ("ws", "lock", "role", "pid")

        def __init__(self, ws: Any) -> None:
            self.ws, self.lock = ws, Semaphore()
            self.role: str | None = None
            self.pid: int | None = None

        def send(self, text: str) -> bool:
            try:
                with self.lock:
                    self.ws.send(text)
                return True
            except OSError:
                return False

    phones: set[Conn] = set()
    screens: set[Conn] = set()

    def error(code: str) -> dict[str, Any]:
        return {"ok": False, "error": {"code": code, "message": code}}

    def respond(conn: Conn, data: Any) -> dict[str, Any]:
        if conn.role != "participant" or conn.pid is None:
            return error("forbidden")
        if not isinstance(data, dict) or not isinstance(data.get("client_id"), str):
            return error("bad_payload")
        aid, cid, value = data.get("activity"), data["client_id"], data.get("value")
        if not isinstance(aid, str) or aid not in kinds:
            return error("unknown_activity")
        if (conn.pid, cid) in seen:
            return {
                "ok": True,
                "activity": aid,
                "client_id": cid,
                "value": answers[aid].get(conn.pid),
                "duplicate": True,
            }
        if aid not in live["opened"]:
            return error("closed")
        seen[(conn.pid, cid)] = aid
        answers[aid][conn.pid] = value
        revs[aid] += 1
        dirty.add(aid)
        return {"ok": True, "activity": aid, "client_id": cid, "value": value, "duplicate": False}

    def move(conn: Conn, target: str | None) -> dict[str, Any]:
        if conn.role != "control":
            return error("forbidden")
        if target is not None:
            live["current"] = target
            live["opened"].add(target)
            live["version"] += 1
        frame = "42" + dumps(["state", state()])
        for c in list(phones) + list(screens):
            c.send(frame)
        return {"ok": True, "version": live["version"]}

    def on_event(conn: Conn, event: str, data: Any) -> dict[str, Any]:
        if event == "respond":
            return respond(conn, data)
        if event == "goto":
            aid = data.get("activity") if isinstance(data, dict) else None
            return move(conn, aid) if aid in kinds else error("unknown_activity")
        if event == "next":
            cur = live["current"]
            i = 0 if cur is None else order.index(cur) + 1
            return move(conn, order[i] if i < len(order) else None)
        return error("unknown_event")

    def identify(conn: Conn, auth: Any, cookie: str) -> str | None:
        """None when accepted, else a refusal code."""
        if not isinstance(auth, dict) or auth.get("code") != args.code:
            return "unknown_code"
        role = auth.get("role")
        if role == "participant":
            token = auth.get("token")
            if not token:
                parts = [c.strip() for c in cookie.split(";")]
                token = next((c[9:] for c in parts if c.startswith("reftoken=")), "")
            conn.pid = tokens.get(token or "")
            if conn.pid is None:
                return "not_participant"
            phones.add(conn)
        elif role in ("control", "projector") and auth.get("key") == args.key:
            screens.add(conn)
        else:
            return "forbidden"
        conn.role = role
        return None

    @eventlet.websocket.WebSocketWSGI
    def socket(ws: Any) -> None:
        conn = Conn(ws)
        sid = secrets.token_urlsafe(12)
        conn.send(
            "0"
            + dumps(
                {
                    "sid": sid,
                    "upgrades": [],
                    "pingInterval": 25000,
                    "pingTimeout": 60000,
                    "maxPayload": 1000000,
                }
            )
        )
        try:
            while True:
                text = ws.wait()
                if text is None:
                    break
                if not isinstance(text, str) or not text.startswith("4") or len(text) < 2:
                    continue  # pongs and the rest: nothing to do
                kind, body = text[1], text[2:]
                if kind == "0":  # connect with auth
                    refused = identify(
                        conn, json.loads(body or "null"), ws.environ.get("HTTP_COOKIE", "")
                    )
                    if refused:
                        conn.send("44" + dumps({"message": refused, "data": {"code": refused}}))
                        break
                    conn.send("40" + dumps({"sid": sid}))
                    conn.send("42" + dumps(["state", state()]))
                elif kind == "2":  # an event, with an ack id before its array
                    j = body.index("[")
                    event, *data = json.loads(body[j:])
                    ack = on_event(conn, event, data[0] if data else None)
                    if j:
                        conn.send("43" + body[:j] + dumps([ack]))
        finally:
            phones.discard(conn)
            screens.discard(conn)

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO", "").startswith("/socket.io"):
            return socket(environ, start_response)
        return room.http(environ, start_response)

    def broadcaster() -> None:
        while True:
            eventlet.sleep(args.interval)
            todo = sorted(dirty)
            dirty.clear()
            for a in todo:
                frame = "42" + dumps(
                    [
                        "results",
                        {
                            "activity": a,
                            "kind": kinds[a],
                            "rev": revs[a],
                            "respondents": len(answers[a]),
                            "result": result(a),
                        },
                    ]
                )
                for c in list(screens):
                    c.send(frame)

    eventlet.spawn(broadcaster)
    print(f"bareserver on http://{args.host}:{args.port} (eventlet websocket)", flush=True)
    eventlet.wsgi.server(
        eventlet.listen((args.host, args.port), backlog=2048),
        app,
        log_output=False,
        max_size=args.max_connections,
    )


if __name__ == "__main__":
    main()
