"""Entry point. ``python app.py [--host HOST] [--port PORT]`` serves Dialoogtafel with eventlet
(the async mode is the DIALOOGTAFEL_ASYNC_MODE setting; monkey-patching happens here only).
``flask --app app ...`` finds ``create_app`` below for the command line.
"""

from __future__ import annotations

import argparse
import errno
import gc
import json
import os
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

#: DIALOOGTAFEL_GC="tuned": CPython's collector thresholds after start-up (generation 0, 1, 2).
#: A full collection walks every live object, and with thousands of connected phones that
#: stops the whole event loop for 60-600 ms (shared perf baseline; 0.8-1.3 s measured here with
#: 10,000 phones, docs/performance.md). It is considered after 1,000 middle collections
#: instead of 10, so it (nearly) never comes during a burst, and the full collections are made
#: while the room is quiet instead (``collect_when_quiet``); gc.freeze() keeps the start-up
#: objects (modules, templates, the programme) out of every collection. Young collections stay
#: small (1,000 instead of 700): a young threshold of 50,000 was measured too, and each of its
#: collections then paused the server for 200-750 ms (the garbage of 50,000 allocations freed
#: at once).
GC_TUNED = (1_000, 10, 1_000)
#: with the tuned collector, a full collection when nothing happened in the room (no answer,
#: join, connect or leave: ``broadcast.coalescer.busy_at``) for GC_QUIET seconds, at most every
#: GC_EVERY seconds
GC_QUIET, GC_EVERY = 5.0, 60.0

#: exit codes of a server that refuses to start (docs/deployment.md)
EXIT_PORT_IN_USE = 3
EXIT_DATABASE_IN_USE = 4


def create_app():  # type: ignore[no-untyped-def]
    """For ``flask --app app``: the app in threading mode (the CLI serves nothing), whatever
    DIALOOGTAFEL_ASYNC_MODE the server's environment sets: without the server's monkey-patching
    an eventlet or gevent app would block on its first network wait (the scale-out bus)."""
    from facilitator import create_app as factory

    return factory({"ASYNC_MODE": "threading"})


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (for phones on the same network)."""
    found: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            addr = str(info[4][0])
            if not addr.startswith("127.") and addr not in found:
                found.append(addr)
    except OSError:
        pass
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve Dialoogtafel.")
    parser.add_argument("--host", default=os.environ.get("DIALOOGTAFEL_HOST", "0.0.0.0"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("DIALOOGTAFEL_PORT", "5000"))
    )
    args = parser.parse_args(argv)

    mode = os.environ.get("DIALOOGTAFEL_ASYNC_MODE", "eventlet")
    if mode == "eventlet":
        import warnings

        warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
        import eventlet

        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()

    from facilitator import access
    from facilitator import create_app as factory
    from facilitator.extensions import socketio
    from facilitator.instance import DatabaseInUse, lock_database

    # the port first: a second server on a taken port must not start at all (eventlet's
    # listen would share it through SO_REUSEPORT and the kernel would split the phones)
    listener = open_listener(mode, args.host, args.port)
    lan = lan_addresses()
    public = os.environ.get("DIALOOGTAFEL_PUBLIC_URL", "")
    if not public:
        shown = (
            args.host if args.host not in ("0.0.0.0", "::") else (lan[0] if lan else "127.0.0.1")
        )
        public = f"http://{shown}:{args.port}"
    app = factory({"ASYNC_MODE": mode, "PUBLIC_URL": public})
    try:
        held = lock_database(app.config["DATABASE_URL"], app.config["MESSAGE_QUEUE"])
    except DatabaseInUse as exc:
        print(
            f"Dialoogtafel is not started: another server uses this database (lock {exc}). "
            "Stop that one first; several processes share a database only in the scale-out "
            "mode (docs/deployment.md).",
            file=sys.stderr,
            flush=True,
        )
        raise SystemExit(EXIT_DATABASE_IN_USE) from None
    app.extensions["dialoogtafel.lock"] = held  # kept open for the life of the process

    local = (
        f"http://127.0.0.1:{args.port}"
        if args.host in ("0.0.0.0", "::", "127.0.0.1")
        else f"http://{args.host}:{args.port}"
    )
    with app.app_context():
        sign_in = access.new_sign_in_link(local)
        minutes = access.sign_in_minutes()
    gc_setting = tune_gc(
        os.environ.get("DIALOOGTAFEL_GC", "tuned"), os.environ.get("DIALOOGTAFEL_GC_LOG", "")
    )
    print(f"Dialoogtafel is running ({mode}).", flush=True)
    print(f"  Facilitator (one-time sign-in, {minutes:g} minutes): {sign_in}", flush=True)
    print("  (a new link: flask --app app login-link)", flush=True)
    print(f"  Phones on this network join at: {public}/", flush=True)
    if args.host in ("127.0.0.1", "localhost"):
        print(
            "  (listening on this machine only: start with --host 0.0.0.0 for phones)", flush=True
        )
    print(f"  Garbage collector: {gc_setting}", flush=True)
    sys.stdout.flush()

    from facilitator import live
    from facilitator.broadcast import coalescer

    live.start_purging(app)  # retention: delete expired live sessions, now and every hour
    if os.environ.get("DIALOOGTAFEL_GC", "tuned").strip().lower() != "default":
        socketio.start_background_task(
            collect_when_quiet, lambda: coalescer.busy_at, socketio.sleep
        )
    if mode == "eventlet":
        serve_eventlet(app, listener)
    elif mode == "gevent":
        serve_gevent(app, listener, int(app.config["MAX_CONNECTIONS"]))
    else:
        listener.close()  # only the check: werkzeug binds its own
        socketio.run(
            app,
            host=args.host,
            port=args.port,
            log_output=False,
            allow_unsafe_werkzeug=mode == "threading",
        )


def tune_gc(setting: str, log_path: str = "") -> str:
    """The garbage collector after start-up (DIALOOGTAFEL_GC), and an optional pause log.

    ``tuned`` (the default): collect once, ``gc.freeze()`` what start-up made, thresholds
    GC_TUNED. ``default``: CPython's own (700, 10, 10), nothing frozen. ``A,B,C``: freeze, then
    these thresholds. ``DIALOOGTAFEL_GC_LOG=FILE`` appends a JSON line per collection that is not
    a young one or took 1 ms or more: ``ms`` the pause (wall clock: what the event loop waited,
    including time the OS gave to other processes), ``cpu_ms`` the process's CPU meanwhile,
    ``t`` time.monotonic() (comparable with other processes' on this machine), ``n0``/``ms0``
    every young collection so far; for bench/load.py --gc-log. Returns what was set, for the
    start-up message."""
    raw = setting.strip().lower()
    if raw == "default":
        said = f"CPython's defaults {gc.get_threshold()}, nothing frozen"
    else:
        if raw == "tuned":
            thresholds = GC_TUNED
        else:
            try:
                parsed = tuple(int(x) for x in raw.split(","))
                if len(parsed) != 3 or parsed[0] < 1 or min(parsed) < 0:
                    raise ValueError
                thresholds = (parsed[0], parsed[1], parsed[2])
            except ValueError:
                raise SystemExit(
                    f"DIALOOGTAFEL_GC={setting!r}: use tuned, default, or three "
                    "thresholds such as 1000,10,100"
                ) from None
        gc.collect()
        gc.freeze()
        gc.set_threshold(*thresholds)
        said = f"thresholds {thresholds}, {gc.get_freeze_count()} start-up objects frozen"
    if log_path:
        _log_gc(open(log_path, "a", buffering=1, encoding="utf-8"))  # noqa: SIM115 - for life
        said += f"; pauses logged to {log_path}"
    return said


def collect_when_quiet(
    busy_at: Callable[[], float],
    sleep: Callable[[float], Any],
    quiet: float = GC_QUIET,
    every: float = GC_EVERY,
) -> None:
    """Forever: a full collection whenever ``quiet_enough`` (checked every second)."""
    last = time.monotonic()
    while True:
        sleep(1.0)
        now = time.monotonic()
        if quiet_enough(now, busy_at(), last, quiet, every):
            gc.collect()
            last = time.monotonic()


def quiet_enough(now: float, busy_at: float, last: float, quiet: float, every: float) -> bool:
    """Whether to make a full collection now: nothing happened in the room for ``quiet``
    seconds (``busy_at``: when something last did) and the last one is ``every`` seconds ago.
    Under a steady load it waits (the automatic full collections, rare with GC_TUNED, remain)."""
    return now - busy_at >= quiet and now - last >= every


def _log_gc(out) -> None:  # type: ignore[no-untyped-def]
    started = [0.0, 0.0]
    young = {"n0": 0, "ms0": 0.0}

    def callback(phase: str, info: dict) -> None:  # type: ignore[type-arg]
        now, cpu = time.perf_counter(), time.process_time()
        if phase == "start":
            started[0], started[1] = now, cpu
            return
        ms = (now - started[0]) * 1000
        gen = info.get("generation", 0)
        if gen == 0:
            young["n0"] += 1
            young["ms0"] += ms
        if gen > 0 or ms >= 1.0:
            out.write(
                json.dumps(
                    {
                        "t": time.monotonic(),
                        "gen": gen,
                        "ms": round(ms, 3),
                        "cpu_ms": round((cpu - started[1]) * 1000, 3),
                        "collected": info.get("collected", 0),
                        "n0": young["n0"],
                        "ms0": round(young["ms0"], 1),
                    }
                )
                + "\n"
            )

    gc.callbacks.append(callback)


def open_listener(mode: str, host: str, port: int):  # type: ignore[no-untyped-def]
    """The listening socket, with a backlog for a room full of phones connecting at once
    (eventlet's default of 50 drops connects, which then wait a second for a retransmit).
    SO_REUSEADDR (a restart need not wait for old connections in TIME_WAIT) but never
    SO_REUSEPORT, which eventlet's ``listen`` turns on by default: with it a second server on
    the same port starts silently and the kernel splits the connections between the two. A
    taken port ends the process with EXIT_PORT_IN_USE and a message that says so."""
    if mode == "gevent":
        from gevent import socket as sock_module
    else:
        sock_module = socket  # monkey-patched (green) under eventlet
    family = sock_module.AF_INET6 if ":" in host else sock_module.AF_INET
    listener = sock_module.socket(family, sock_module.SOCK_STREAM)
    listener.setsockopt(sock_module.SOL_SOCKET, sock_module.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(2048)
    except OSError as exc:
        listener.close()
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            reason = "is in use" if exc.errno == errno.EADDRINUSE else "may not be used"
            print(
                f"Dialoogtafel is not started: port {port} on {host} {reason} "
                f"({exc.strerror}). Is another server running? Stop it, or start with "
                "--port and another number.",
                file=sys.stderr,
                flush=True,
            )
            raise SystemExit(EXIT_PORT_IN_USE) from None
        raise
    return listener


def serve_eventlet(app, listener) -> None:  # type: ignore[no-untyped-def]
    """What ``socketio.run`` does for eventlet, on our listener, with the connection limit
    raised from eventlet's 1,024 (``MAX_CONNECTIONS``), and the guard against idle and hoarded
    connections (facilitator/connections.py: a handshake deadline, a cap per address, a reserve
    that keeps /health answering when the cap is reached)."""
    import eventlet.wsgi

    from facilitator.connections import ConnectionGuard
    from facilitator.websocket import use_fast_unmask

    use_fast_unmask()

    config = app.config
    guard = ConnectionGuard(
        int(config["MAX_CONNECTIONS"]),
        int(config["CONNECTION_RESERVE"]),
        0 if config["PROXY_COUNT"] else int(config["MAX_CONNECTIONS_PER_ADDRESS"]),
        float(config["HANDSHAKE_TIMEOUT"]),
    )
    # the app's header names are already in their usual case (Werkzeug's): eventlet's
    # re-capitalizing of every name of every response is work for nothing
    eventlet.wsgi.server(
        listener,
        guard.wrap(app),
        log_output=False,
        custom_pool=guard,
        capitalize_response_headers=False,
    )


def serve_gevent(app, listener, max_connections: int) -> None:  # type: ignore[no-untyped-def]
    """The same for gevent (the optional extra): gevent's WSGI server, at most
    ``max_connections`` connections at once. WebSocket goes through simple-websocket
    (python-engineio's gevent driver), so gevent-websocket is not needed."""
    from gevent import pool, pywsgi

    pywsgi.WSGIServer(listener, app, log=None, spawn=pool.Pool(max_connections)).serve_forever()


if __name__ == "__main__":
    main()
