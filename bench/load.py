"""Load benchmark: N phones answering in a burst against the REAL server, and a reference.

    .venv/bin/python bench/load.py --n 500                 # one run, Dialoogtafel + reference
    .venv/bin/python bench/load.py --n 100,500,1000 --runs 2 --window 10
    .venv/bin/python bench/load.py --n 1000 --async-mode eventlet,gevent   # side by side
    .venv/bin/python bench/load.py --n 10000 --processes 2 --procs 4 --no-ref  # scale-out
    .venv/bin/python bench/load.py --report bench/results/2026-...jsonl   # table from a file

What one run does (docs/performance.md explains the numbers):

1. Starts ``python app.py`` (or ``bench/refserver.py`` for the reference) on 127.0.0.1 with a free
   port and a fresh SQLite file in a temporary directory; ``--async-mode`` becomes
   DIALOOGTAFEL_ASYNC_MODE. Creates a live session of ``bench/programme.yaml`` with
   ``flask --app app live create FILE --json``. The server is stopped by its PID in ``finally``
   (SIGTERM, then SIGKILL).
2. Spawns ``--procs`` phone processes and one screens process (control + projector), each an
   asyncio loop driven over a pipe. Phones: ``POST /api/join/<code>`` then a Socket.IO connection
   with ``auth.token``; at most ~100 connects in flight in total. ``--client raw`` (default) is a
   small Engine.IO 4 / Socket.IO 5 client over aiohttp's websocket (it can count bytes);
   ``--client sio`` is python-socketio's ``AsyncClient`` (fidelity check, heavier).
3. Scenario "burst": control ``goto`` the single_choice; barrier (every phone shows it); every
   phone answers at t0 + U(0, window) with a unique client_id and waits for the ack; control
   ``next`` (fan-out: time until 99 % of phones got the ``state`` with the new activity); the
   same for the multi_choice and the open_text.
4. Measures: connect time, ack latency, answer->projector latency (each phone records its send
   time; the projector records (time, respondents) of every ``results``; a vote's latency is the
   first projector message received after the send whose ``respondents`` >= the vote's rank in
   ack order, minus the send time), state fan-out after ``next``, answers lost / counted twice
   (acks == projector's final respondents and option counts == database recount of the
   ``responses`` table after the server stopped), server CPU (utime+stime from /proc/<pid>/stat)
   and peak RSS (VmHWM), payload bytes per phone, and the load generator's own CPU and
   event-loop lag (a run whose generator lagged > 100 ms is flagged).
Scale-out (``--processes K``, K > 1): K ``python app.py`` processes on K ports share a fresh
PostgreSQL database (``--pg``, created for the run and dropped after the recount) and Redis
(``--redis``: Flask-SocketIO's message queue and Dialoogtafel's bus, on a channel of the run's
own). Phone i connects to process i mod K; the projector to the first process, the control
screen to the last, so every result and every state crosses processes. Server CPU and memory are
the sums over the K processes (Redis and PostgreSQL are counted as "other processes").

5. Appends one JSON line per run to ``bench/results/<timestamp>.jsonl`` and prints a table.

All timestamps are ``time.monotonic()`` (CLOCK_MONOTONIC, shared by all processes). Only
loopback. Every wait is bounded (per connect, per ack, per phase, per run).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import importlib.util
import json
import math
import multiprocessing as mp
import os
import platform
import random
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PROGRAMME = BENCH / "programme.yaml"
RESULTS_DIR = BENCH / "results"

# --- bounds (seconds)
START_TIMEOUT = 30.0
CONNECT_TIMEOUT = 30.0  # one phone: join + connect + first state
ACK_TIMEOUT = 30.0  # one answer
FANOUT_TIMEOUT = 30.0  # every phone shows a new activity
DRAIN_TIMEOUT = 15.0  # projector reaches the acked total
IDLE_S = 25.0  # the quiet phase of the connect storm: one Engine.IO ping interval (25 s)
CONTROL_TIMEOUT = 10.0
AGENT_SLACK = 15.0  # orchestrator waits this much longer than an agent's own bound
CONNECT_CONCURRENCY = 100  # in flight, over all phone processes
STOP_TIMEOUT = 5.0
LAG_FLAG = 0.100  # load generator event-loop lag that makes a run suspect
OTHER_LOAD_FLAG = 0.5  # cores used by processes other than server and generator
#: the reference servers: python-socketio alone (refserver.py), a bare websocket (bareserver.py)
REFERENCES = ("ref", "bare")


# ==================================================================================== clients


class Refused(Exception):
    pass


class RawClient:
    """Engine.IO 4 / Socket.IO 5 over aiohttp's websocket: text frames only, default namespace.

    Frames: ``0{...}`` open, ``40{auth}`` connect, ``44{...}`` connect_error, ``42[ev,data]``
    event, ``42<id>[ev,data]`` emit with ack, ``43<id>[...]`` ack, ``2``/``3`` ping/pong.
    """

    def __init__(self, session: Any, handlers: dict[str, Any]):
        self.session = session
        self.handlers = handlers
        self.ws: Any = None
        self.acks: dict[int, asyncio.Future[Any]] = {}
        self.next_id = 0
        self.bytes_in = 0
        self.bytes_out = 0
        self.connected: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.reader: asyncio.Task[None] | None = None

    async def connect(
        self, url: str, auth: dict[str, Any], timeout: float, headers: dict[str, str] | None = None
    ) -> None:
        import aiohttp

        ws_url = url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
        async with asyncio.timeout(timeout):
            self.ws = await self.session.ws_connect(
                ws_url, autoping=True, heartbeat=None, max_msg_size=0, compress=0, headers=headers
            )
            msg = await self.ws.receive()
            if msg.type != aiohttp.WSMsgType.TEXT or not msg.data.startswith("0"):
                raise Refused(f"no Engine.IO open packet: {msg!r:.200}")
            self.bytes_in += len(msg.data)
            await self._send("40" + json.dumps(auth, separators=(",", ":")))
            self.reader = asyncio.create_task(self._read())
            await self.connected

    async def _send(self, text: str) -> None:
        self.bytes_out += len(text)
        await self.ws.send_str(text)

    async def _read(self) -> None:
        import aiohttp

        try:
            async for msg in self.ws:
                if msg.type != aiohttp.WSMsgType.TEXT:
                    continue
                text = msg.data
                t = time.monotonic()
                self.bytes_in += len(text)
                c = text[0]
                if c == "2":
                    await self._send("3")
                    continue
                if c != "4" or len(text) < 2:
                    continue
                p, body = text[1], text[2:]
                if p == "2":
                    j = body.index("[")
                    ev, *data = json.loads(body[j:])
                    h = self.handlers.get(ev)
                    if h is not None:
                        h(t, data[0] if data else None)
                elif p == "3":
                    j = body.index("[")
                    fut = self.acks.pop(int(body[:j]), None)
                    if fut is not None and not fut.done():
                        args = json.loads(body[j:])
                        fut.set_result((t, args[0] if args else None))
                elif p == "0":
                    if not self.connected.done():
                        self.connected.set_result(t)
                elif p == "4":
                    if not self.connected.done():
                        self.connected.set_exception(Refused(body[:300]))
                elif p == "1":
                    break
        except (asyncio.CancelledError, ConnectionError):
            pass
        finally:
            err = ConnectionError("connection closed")
            if not self.connected.done():
                self.connected.set_exception(err)
            for fut in self.acks.values():
                if not fut.done():
                    fut.set_exception(err)

    async def call(self, event: str, data: Any, timeout: float) -> tuple[float, Any]:
        self.next_id += 1
        aid = self.next_id
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.acks[aid] = fut
        try:
            await self._send(f"42{aid}" + json.dumps([event, data], separators=(",", ":")))
            return await asyncio.wait_for(fut, timeout)  # type: ignore[no-any-return]
        finally:
            self.acks.pop(aid, None)

    async def close(self) -> None:
        try:
            if self.ws is not None and not self.ws.closed:
                await asyncio.wait_for(self.ws.close(), 2)
        except Exception:  # noqa: BLE001 - best effort
            pass
        if self.reader is not None:
            self.reader.cancel()


class SioClient:
    """python-socketio's AsyncClient (websocket transport): the fidelity check."""

    def __init__(self, session: Any, handlers: dict[str, Any]):
        import socketio

        self.sio = socketio.AsyncClient(reconnection=False)
        self.bytes_in = self.bytes_out = -1  # not measured
        self.refused: Any = None
        for ev, h in handlers.items():
            self.sio.on(ev, lambda data=None, h=h: h(time.monotonic(), data))
        self.sio.on("connect_error", self._refused)

    def _refused(self, data: Any = None) -> None:
        self.refused = data

    async def connect(
        self, url: str, auth: dict[str, Any], timeout: float, headers: dict[str, str] | None = None
    ) -> None:
        try:
            await asyncio.wait_for(
                self.sio.connect(
                    url,
                    auth=auth,
                    transports=["websocket"],
                    headers=headers or {},
                    wait_timeout=timeout,
                ),
                timeout + 1,
            )
        except Exception as exc:
            raise Refused(f"{exc!r} {self.refused!r}"[:300]) from None

    async def call(self, event: str, data: Any, timeout: float) -> tuple[float, Any]:
        r = await self.sio.call(event, data, timeout=timeout)
        return time.monotonic(), r

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.sio.disconnect(), 3)
        except Exception:  # noqa: BLE001
            pass


# ===================================================================================== agents


def raise_nofile() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def cpu_self() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def is_page_phone(i: int, share: float) -> bool:
    """Whether phone i opens the phone page (GET /j/<code>) instead of POST /api/join: a
    ``share`` of the phones, spread evenly over the indexes."""
    return share > 0 and math.floor((i + 1) * share) > math.floor(i * share)


class Phone:
    __slots__ = ("i", "token", "cookie", "client", "first_state", "got_state")

    def __init__(self, i: int):
        self.i = i
        self.token: str | None = None
        self.cookie: str | None = None  # a page phone's session cookie
        self.client: Any = None
        self.first_state: dict[Any, float] = {}
        self.got_state = asyncio.Event()

    def on_state(self, t: float, data: Any) -> None:
        act = data.get("activity") if isinstance(data, dict) else None
        aid = act.get("id") if isinstance(act, dict) else None
        self.first_state.setdefault(aid, t)
        self.got_state.set()


class Agent:
    """One load-generator process: a pipe of commands in, one reply per command out."""

    def __init__(self, conn: Any, kind: str, index: int, cfg: dict[str, Any]):
        self.conn = conn
        self.kind = kind  # "phones" | "screens"
        self.index = index
        self.cfg = cfg
        self.phones: list[Phone] = []
        self.max_lag = 0.0
        self.session: Any = None
        self.http: Any = None
        self.control: Any = None
        self.projector: Any = None
        self.proj_results: list[tuple[float, str, int, int]] = []
        self.proj_last: dict[str, Any] = {}
        self.proj_states: list[tuple[float, Any]] = []
        self.paged: dict[int, Phone] = {}  # page phones: opened /j/<code>, not yet connected

    # -- plumbing

    async def serve(self) -> None:
        import aiohttp

        loop = asyncio.get_running_loop()
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, force_close=True),
            timeout=aiohttp.ClientTimeout(total=None),
        )
        self.http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=CONNECT_CONCURRENCY),
            timeout=aiohttp.ClientTimeout(total=CONNECT_TIMEOUT),
        )
        ticker = asyncio.create_task(self._ticker())
        try:
            while True:
                cmd, args = await loop.run_in_executor(None, self.conn.recv)
                if cmd == "close":
                    await self._close()
                    self.conn.send(("ok", None))
                    return
                try:
                    res = await getattr(self, f"cmd_{cmd}")(**args)
                    self.conn.send(("ok", res))
                except Exception:  # noqa: BLE001 - reported to the orchestrator
                    self.conn.send(("error", traceback.format_exc()))
        finally:
            ticker.cancel()

    async def _ticker(self) -> None:
        while True:
            t = time.monotonic()
            await asyncio.sleep(0.05)
            self.max_lag = max(self.max_lag, time.monotonic() - t - 0.05)

    def _client(self, handlers: dict[str, Any]) -> Any:
        cls = SioClient if self.cfg["client"] == "sio" else RawClient
        return cls(self.session, handlers)

    async def _close(self) -> None:
        clients = [p.client for p in self.phones if p.client is not None]
        clients += [c for c in (self.control, self.projector) if c is not None]
        sem = asyncio.Semaphore(200)

        async def one(c: Any) -> None:
            async with sem:
                await c.close()

        try:
            await asyncio.wait_for(asyncio.gather(*(one(c) for c in clients)), 20)
        except Exception:  # noqa: BLE001
            pass
        for s in (self.session, self.http):
            try:
                await asyncio.wait_for(s.close(), 5)
            except Exception:  # noqa: BLE001
                pass

    async def cmd_stats(self) -> dict[str, Any]:
        b_in = [p.client.bytes_in for p in self.phones if p.client is not None]
        b_out = [p.client.bytes_out for p in self.phones if p.client is not None]
        return {
            "cpu": cpu_self(),
            "max_lag": self.max_lag,
            "bytes_in": sum(b_in) if b_in and min(b_in) >= 0 else None,
            "bytes_out": sum(b_out) if b_out and min(b_out) >= 0 else None,
            "phones": len(b_in),
        }

    async def cmd_leave(self) -> int:
        """Every phone of this agent closes its connection at once (a room leaving: the
        session ends, the venue's Wi-Fi drops); the screens stay."""
        clients = [p.client for p in self.phones if p.client is not None]
        sem = asyncio.Semaphore(500)

        async def one(c: Any) -> None:
            async with sem:
                await c.close()

        await asyncio.wait_for(asyncio.gather(*(one(c) for c in clients)), 60)
        for p in self.phones:
            p.client = None
        return len(clients)

    async def cmd_reset_lag(self) -> float:
        self.max_lag = 0.0
        return cpu_self()

    # -- phones

    async def cmd_pages(
        self,
        urls: list[str],
        code: str,
        first: int,
        count: int,
        share: float,
        start_at: float,
        concurrency: int,
    ) -> dict[str, Any]:
        """The page phones of this agent open the phone page as a browser does (its own cookie
        jar, gzip accepted) and keep the session cookie for their connect."""
        import aiohttp

        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        sem = asyncio.Semaphore(concurrency)
        failures: Counter[str] = Counter()
        done_times: list[float] = []
        sizes: list[int] = []

        async def one(i: int, session: Any) -> None:
            phone = Phone(i)
            url = urls[i % len(urls)]
            async with sem:
                try:
                    async with session.get(
                        f"{url}/j/{code}",
                        allow_redirects=False,
                        headers={"Accept-Encoding": "gzip"},
                    ) as r:
                        body = await r.read()
                        if r.status != 200:
                            raise Refused(f"GET /j/{code}: HTTP {r.status}")
                        cookies = [c.split(";", 1)[0] for c in r.headers.getall("Set-Cookie", [])]
                    if not cookies:
                        raise Refused(f"GET /j/{code}: no session cookie")
                    phone.cookie = "; ".join(cookies)
                    sizes.append(len(body))
                    self.paged[i] = phone
                    done_times.append(time.monotonic())
                except Exception as exc:  # noqa: BLE001 - counted
                    failures[type(exc).__name__ + (": " + str(exc)[:120] if str(exc) else "")] += 1

        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=concurrency, force_close=True),
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=CONNECT_TIMEOUT),
        ) as session:
            await asyncio.gather(
                *(one(first + k, session) for k in range(count) if is_page_phone(first + k, share))
            )
        return {
            "paged": len(self.paged),
            "failures": dict(failures),
            "last": max(done_times) if done_times else None,
            "bytes": statistics.mean(sizes) if sizes else None,
            "cpu": cpu_self(),
        }

    async def cmd_connect(
        self, urls: list[str], code: str, first: int, count: int, start_at: float, concurrency: int
    ) -> dict[str, Any]:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        sem = asyncio.Semaphore(concurrency)
        failures: Counter[str] = Counter()
        done_times: list[float] = []

        async def one(i: int) -> None:
            paged = self.paged.pop(i, None)
            phone = paged or Phone(i)
            url = urls[i % len(urls)]  # scale-out: phones spread over the processes
            async with sem:
                try:
                    async with asyncio.timeout(CONNECT_TIMEOUT):
                        auth = {"role": "participant", "code": code}
                        headers = None
                        if paged is not None:  # the page's session cookie identifies it
                            headers = {"Cookie": paged.cookie or ""}
                        else:
                            async with self.http.post(f"{url}/api/join/{code}") as r:
                                body = await r.json()
                            if not body.get("ok"):
                                raise Refused(f"join: {body}")
                            phone.token = auth["token"] = body["token"]
                        phone.client = self._client({"state": phone.on_state})
                        await phone.client.connect(url, auth, CONNECT_TIMEOUT, headers)
                        await phone.got_state.wait()
                    self.phones.append(phone)
                    done_times.append(time.monotonic())
                except Exception as exc:  # noqa: BLE001 - counted
                    failures[type(exc).__name__ + (": " + str(exc)[:120] if str(exc) else "")] += 1
                    if phone.client is not None:
                        await phone.client.close()

        await asyncio.gather(*(one(first + k) for k in range(count)))
        return {
            "connected": len(self.phones),
            "failures": dict(failures),
            "last": max(done_times) if done_times else None,
            "cpu": cpu_self(),
        }

    async def cmd_wait_activity(self, activity: str, timeout: float) -> list[float | None]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(activity in p.first_state for p in self.phones):
                break
            await asyncio.sleep(0.02)
        return [p.first_state.get(activity) for p in self.phones]

    async def cmd_answer(
        self, activity: str, kind: str, options: list[str], t0: float, window: float, seed: int
    ) -> dict[str, Any]:
        rng = random.Random(seed * 1000 + self.index)
        self.max_lag = 0.0
        cpu0 = cpu_self()

        def value(i: int) -> Any:
            if kind == "single_choice":
                return rng.choice(options)
            if kind == "multi_choice":
                return rng.sample(options, rng.randint(1, min(3, len(options))))
            words = ["tijd", "vertrouwen", "overleg", "mandaat", "erkenning", "ruimte", "taal"]
            return f"phone {self.index}-{i}: " + " ".join(rng.choices(words, k=rng.randint(2, 8)))

        plan = [(p, t0 + rng.uniform(0, window), value(p.i)) for p in self.phones]
        records: list[tuple[float, float | None, str, Any, str]] = []

        async def one(phone: Phone, at: float, val: Any) -> None:
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            payload = {"activity": activity, "value": val, "client_id": uuid.uuid4().hex}
            sent = time.monotonic()
            try:
                t_ack, ack = await phone.client.call("respond", payload, ACK_TIMEOUT)
            except TimeoutError:
                records.append((sent, None, "timeout", val, payload["client_id"]))
                return
            except Exception as exc:  # noqa: BLE001
                records.append(
                    (sent, None, f"exception:{type(exc).__name__}", val, payload["client_id"])
                )
                return
            if not isinstance(ack, dict) or ack.get("ok") is not True:
                code = (ack or {}).get("error", {}).get("code") if isinstance(ack, dict) else ack
                records.append((sent, t_ack, f"error:{code}", val, payload["client_id"]))
            elif ack.get("duplicate"):
                records.append((sent, t_ack, "duplicate", val, payload["client_id"]))
            else:
                records.append((sent, t_ack, "ok", val, payload["client_id"]))

        await asyncio.gather(*(one(*x) for x in plan))
        return {"records": records, "cpu": cpu_self() - cpu0, "max_lag": self.max_lag}

    # -- screens

    async def cmd_screens(
        self, url: str, control_url: str, code: str, control_key: str, projector_key: str
    ) -> dict[str, Any]:
        def on_results(t: float, d: Any) -> None:
            if isinstance(d, dict):
                a = str(d.get("activity"))
                self.proj_results.append(
                    (t, a, int(d.get("respondents") or 0), int(d.get("rev") or 0))
                )
                self.proj_last[a] = d

        def on_state(t: float, d: Any) -> None:
            act = d.get("activity") if isinstance(d, dict) else None
            self.proj_states.append((t, act.get("id") if isinstance(act, dict) else None))

        self.projector = self._client({"results": on_results, "state": on_state})
        await self.projector.connect(
            url, {"role": "projector", "code": code, "key": projector_key}, CONNECT_TIMEOUT
        )
        self.control = self._client({})
        await self.control.connect(
            control_url, {"role": "control", "code": code, "key": control_key}, CONNECT_TIMEOUT
        )
        return {"ok": True}

    async def cmd_control(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        deadline = time.monotonic() + CONTROL_TIMEOUT
        while True:
            sent = time.monotonic()
            t_ack, ack = await self.control.call(event, payload, CONTROL_TIMEOUT)
            if (
                isinstance(ack, dict)
                and ack.get("ok") is False
                and ack.get("error", {}).get("code") == "rate_limited"
                and t_ack < deadline
            ):
                await asyncio.sleep(0.15)
                continue
            return {"sent": sent, "ack_t": t_ack, "ack": ack}

    async def cmd_drain(self, activity: str, respondents: int, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.proj_last.get(activity)
            if last is not None and int(last.get("respondents") or 0) >= respondents:
                break
            await asyncio.sleep(0.02)
        # one more coalescing interval, so a late extra count would show
        await asyncio.sleep(0.3)
        last = self.proj_last.get(activity)
        return {
            "series": [(t, r, rev) for t, a, r, rev in self.proj_results if a == activity],
            "last": last,
        }


def agent_main(conn: Any, kind: str, index: int, cfg: dict[str, Any]) -> None:
    raise_nofile()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the orchestrator decides
    asyncio.run(Agent(conn, kind, index, cfg).serve())


class AgentHandle:
    def __init__(self, ctx: Any, kind: str, index: int, cfg: dict[str, Any]):
        self.kind, self.index = kind, index
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=agent_main,
            args=(child, kind, index, cfg),
            daemon=True,
            name=f"bench-{kind}-{index}",
        )
        self.proc.start()
        child.close()

    def send(self, cmd: str, **args: Any) -> None:
        self.conn.send((cmd, args))

    def recv(self, timeout: float, what: str) -> Any:
        if not self.conn.poll(max(0.0, timeout)):
            raise PhaseTimeout(
                f"{self.kind}-{self.index}: {what} did not finish in {timeout:.0f} s"
            )
        status, res = self.conn.recv()
        if status != "ok":
            raise RuntimeError(f"{self.kind}-{self.index}: {what} failed:\n{res}")
        return res

    def call(self, bound: float, cmd: str, /, **args: Any) -> Any:
        self.send(cmd, **args)
        return self.recv(bound, cmd)

    def stop(self) -> None:
        if self.proc.is_alive():
            try:
                self.conn.send(("close", {}))
                if self.conn.poll(25):
                    self.conn.recv()
            except (OSError, EOFError):
                pass
            self.proc.join(5)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(3)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(3)


class PhaseTimeout(Exception):
    pass


def on_all(
    agents: list[AgentHandle], timeout: float, what: str, cmd: str, per_agent: list[dict[str, Any]]
) -> list[Any]:
    """Send a command to every agent (its own arguments), then collect every reply (bounded)."""
    for a, args in zip(agents, per_agent, strict=True):
        a.send(cmd, **args)
    deadline = time.monotonic() + timeout
    return [a.recv(deadline - time.monotonic(), what) for a in agents]


# ===================================================================================== server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProc:
    """``python app.py`` (kind "dialoogtafel"), ``bench/refserver.py`` (kind "ref") or
    ``bench/bareserver.py`` (kind "bare": eventlet's websocket, no Socket.IO library); with
    ``processes`` > 1, that many app.py processes sharing PostgreSQL and Redis (scale-out)."""

    def __init__(
        self,
        kind: str,
        mode: str,
        tmp: Path,
        app_dir: Path = ROOT,
        processes: int = 1,
        pg: str = "",
        redis_url: str = "",
        extra_env: dict[str, str] | None = None,
        gc_log: bool = False,
        profile: Path | None = None,
        profile_rate: int = 100,
    ):
        self.kind, self.mode, self.tmp, self.app_dir = kind, mode, tmp, app_dir
        self.processes = processes if kind == "dialoogtafel" else 1
        self.ports = [free_port() for _ in range(self.processes)]
        self.urls = [f"http://127.0.0.1:{p}" for p in self.ports]
        self.port, self.url = self.ports[0], self.urls[0]
        self.db = tmp / "bench.sqlite"
        self.pg, self.pg_db = pg, ""
        if self.processes > 1:
            self.pg_db = f"dialoogtafel_bench_{secrets.token_hex(4)}"
        self.log = tmp / f"{kind}.log"
        self.ref_key = secrets.token_urlsafe(16)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DIALOOGTAFEL_")}
        self.env.update(
            {
                "PYTHONUNBUFFERED": "1",
                "DIALOOGTAFEL_DATABASE_URL": (
                    f"postgresql+psycopg://{pg.split('://', 1)[1]}/{self.pg_db}"
                    if self.pg_db
                    else f"sqlite:///{self.db}"
                ),
                "DIALOOGTAFEL_PUBLIC_URL": self.url,
                "DIALOOGTAFEL_SECRET_KEY": "bench-secret-" + secrets.token_hex(8),
                "DIALOOGTAFEL_ASYNC_MODE": mode,
                # every simulated phone joins from 127.0.0.1: lift the per-address join budget
                # (a real room behind one NAT address is what JOIN_BURST is sized for)
                "DIALOOGTAFEL_JOIN_BURST": "1000000",
                # every simulated phone comes from this one address
                "DIALOOGTAFEL_MAX_CONNECTIONS_PER_ADDRESS": "0",
            }
        )
        if self.pg_db:
            self.env.update(
                {"DIALOOGTAFEL_MESSAGE_QUEUE": redis_url, "DIALOOGTAFEL_BUS_CHANNEL": self.pg_db}
            )
        self.gc_log = tmp / "gc.jsonl" if gc_log and kind == "dialoogtafel" else None
        if kind == "dialoogtafel":
            self.env.update(extra_env or {})
            if self.gc_log is not None:
                self.env["DIALOOGTAFEL_GC_LOG"] = str(self.gc_log)
        # py-spy starts the (first) server process as its child and samples it; the server's
        # own PID (for CPU, memory and the stop signal) is the child's
        self.profile = profile if kind == "dialoogtafel" else None
        self.profile_rate = profile_rate
        self.procs: list[subprocess.Popen[bytes]] = []
        self.server_pids: list[int] = []

    @property
    def proc(self) -> subprocess.Popen[bytes] | None:
        return self.procs[0] if self.procs else None

    def start(self) -> None:
        if self.pg_db:
            import psycopg

            with psycopg.connect(f"{self.pg}/postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_db}"')
        for i, port in enumerate(self.ports):
            if self.kind == "dialoogtafel":
                cmd = [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)]
            elif self.kind == "bare":
                cmd = [
                    sys.executable,
                    str(BENCH / "bareserver.py"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--programme",
                    str(PROGRAMME),
                    "--code",
                    "BENCH2",
                    "--key",
                    self.ref_key,
                ]
            else:
                cmd = [
                    sys.executable,
                    str(BENCH / "refserver.py"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--async-mode",
                    self.mode,
                    "--programme",
                    str(PROGRAMME),
                    "--code",
                    "BENCH2",
                    "--key",
                    self.ref_key,
                ]
            log_path = self.log if i == 0 else self.tmp / f"{self.kind}-{i}.log"
            if self.profile is not None and i == 0:
                cmd = [
                    str(Path(sys.executable).parent / "py-spy"),
                    "record",
                    "--format",
                    "raw",
                    "--function",
                    "--nonblocking",
                    "--rate",
                    str(self.profile_rate),
                    "-o",
                    str(self.profile),
                    "--",
                ] + cmd
            with log_path.open("wb") as log:
                self.procs.append(
                    subprocess.Popen(
                        cmd,
                        cwd=self.app_dir,
                        env=self.env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        stdin=subprocess.DEVNULL,
                    )
                )
        deadline = time.monotonic() + START_TIMEOUT
        for proc, url in zip(self.procs, self.urls, strict=True):
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"{self.kind} exited with {proc.returncode} while "
                        f"starting:\n{self.log_tail()}"
                    )
                try:
                    with urllib.request.urlopen(f"{url}/health", timeout=1) as r:
                        if r.status == 200 and json.loads(r.read()).get("ok") is True:
                            break
                except (OSError, ValueError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{self.kind} did not answer /health in {START_TIMEOUT} "
                        f"s:\n{self.log_tail()}"
                    )
                time.sleep(0.05)
        self.server_pids = [p.pid for p in self.procs]
        if self.profile is not None:
            kids = Path(f"/proc/{self.procs[0].pid}/task/{self.procs[0].pid}/children")
            child = kids.read_text().split()
            if len(child) != 1:
                raise RuntimeError(f"py-spy: expected one child process, found {child}")
            self.server_pids[0] = int(child[0])

    def create_live(self) -> dict[str, str]:
        if self.kind in REFERENCES:
            return {"code": "BENCH2", "control_key": self.ref_key, "projector_key": self.ref_key}
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "app",
                "live",
                "create",
                str(PROGRAMME),
                "--json",
            ],
            cwd=self.app_dir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(f"live create failed:\n{out.stdout}\n{out.stderr}")
        data = json.loads(out.stdout.strip().splitlines()[-1])
        return {
            "code": data["code"],
            "control_key": parse_qs(urlsplit(data["control_url"]).query)["key"][0],
            "projector_key": parse_qs(urlsplit(data["projector_url"]).query)["key"][0],
        }

    @property
    def pids(self) -> list[int]:
        """The server processes (not py-spy, when profiling)."""
        return list(self.server_pids)

    def running(self) -> bool:
        return bool(self.procs) and all(p.poll() is None for p in self.procs)

    def stop(self) -> None:
        if self.profile is not None and self.server_pids and self.procs[0].poll() is None:
            try:  # the server (py-spy's child) first: py-spy then writes its profile and exits
                os.kill(self.server_pids[0], signal.SIGTERM)
                self.procs[0].wait(STOP_TIMEOUT + 20)
            except (OSError, subprocess.TimeoutExpired):
                pass
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                proc.wait(STOP_TIMEOUT)
        if (
            self.profile is not None
            and self.server_pids
            and proc_cpu(self.server_pids[0]) is not None
        ):
            try:  # py-spy went first: its child is ours to stop
                os.kill(self.server_pids[0], signal.SIGKILL)
            except OSError:
                pass

    def drop_database(self) -> None:
        if self.pg_db:
            import psycopg

            with psycopg.connect(f"{self.pg}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_db}" WITH (FORCE)')

    def recount_connection(self) -> Any:
        """A DB-API connection to the run's database (read after the server stopped)."""
        if self.pg_db:
            import psycopg

            return psycopg.connect(f"{self.pg}/{self.pg_db}")
        return sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)

    def log_tail(self, lines: int = 40) -> str:
        logs = [self.log] + [self.tmp / f"{self.kind}-{i}.log" for i in range(1, self.processes)]
        out = []
        for path in logs:
            try:
                out.extend(path.read_text(errors="replace").splitlines()[-lines:])
            except OSError:
                pass
        return "\n".join(out)

    def tracebacks(self) -> int:
        logs = [self.log] + [self.tmp / f"{self.kind}-{i}.log" for i in range(1, self.processes)]
        return sum(p.read_text(errors="replace").count("Traceback") for p in logs if p.exists())


# ================================================================================== sampling

CLK_TCK = os.sysconf("SC_CLK_TCK")


def leave(phones: list[Any], server: Any, connected: int, left: Any) -> dict[str, Any]:
    """Every phone closes its connection at once; then the server's CPU until it is idle
    again (under 5 % of a core for half a second, at most 120 s): per phone that left."""
    cpu0, t0 = server_cpu(server.pids), time.monotonic()
    closed = sum(a.call(left(60 + AGENT_SLACK), "leave") for a in phones)
    last_cpu, last_t, quiet_since = server_cpu(server.pids), time.monotonic(), None
    while time.monotonic() - t0 < 120:
        time.sleep(0.1)
        cpu, t = server_cpu(server.pids), time.monotonic()
        if cpu - last_cpu < 0.05 * (t - last_t):
            quiet_since = quiet_since or last_t
            if t - quiet_since >= 0.5:
                break
        else:
            quiet_since = None
        last_cpu, last_t = cpu, t
    busy_until = quiet_since or time.monotonic()
    cpu_s = server_cpu(server.pids) - cpu0
    return {
        "closed": closed,
        "busy_s": busy_until - t0,
        "cpu_s": cpu_s,
        "cpu_per_phone_ms": 1000 * cpu_s / max(1, connected),
    }


def idle(server: ServerProc, connected: int) -> dict[str, Any]:
    """The server's CPU while the phones stay connected and send nothing but Engine.IO's pongs:
    what a quiet room costs (the stack's pings and timers), part of every answer window's CPU."""
    c0, t0 = server_cpu(server.pids), time.monotonic()
    time.sleep(IDLE_S)
    c1, t1 = server_cpu(server.pids), time.monotonic()
    return {
        "s": t1 - t0,
        "phones": connected,
        "cpu_s": c1 - c0,
        "cpu_pct": 100 * (c1 - c0) / (t1 - t0),
    }


def proc_cpu(pid: int) -> float | None:
    """utime + stime of a process in seconds, from /proc/<pid>/stat."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return None


def server_cpu(pids: list[int]) -> float:
    """utime + stime summed over the server's processes, now (seconds)."""
    return sum(proc_cpu(pid) or 0.0 for pid in pids)


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM (kB) and Threads from /proc/<pid>/status."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                if k in ("VmRSS", "VmHWM", "Threads"):
                    out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


def listen_overflows() -> int:
    """TcpExt ListenOverflows (machine-wide): SYNs dropped because an accept queue was full."""
    try:
        with open("/proc/net/netstat") as f:
            lines = f.read().splitlines()
        for head, vals in zip(lines[::2], lines[1::2], strict=False):
            if head.startswith("TcpExt:"):
                return int(dict(zip(head.split(), vals.split(), strict=False))["ListenOverflows"])
    except (OSError, KeyError, ValueError):
        pass
    return -1


def machine_busy() -> tuple[int, int]:
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


def wait_quiet(max_wait: float, cores: float = 0.3) -> dict[str, float]:
    """Wait (bounded) until the machine is nearly idle: other sessions share these 2 cores.
    Returns the busy cores of the last 2-second look and how long it waited."""
    t_start = time.monotonic()
    while True:
        b1, n1 = machine_busy()
        time.sleep(2.0)
        b2, n2 = machine_busy()
        busy = (b2 - b1) / max(1, n2 - n1) * (os.cpu_count() or 1)
        waited = time.monotonic() - t_start
        if busy < cores or waited >= max_wait:
            return {"busy_cores": busy, "waited_s": waited}


class Sampler(threading.Thread):
    """Samples the server's CPU time and RSS (summed over its processes), and the machine's
    busy time, every 0.2 s."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids = pids
        self.samples: list[tuple[float, float, int, int, int, int]] = []
        self._halt = threading.Event()

    def sample(self) -> None:
        cpus = [proc_cpu(pid) for pid in self.pids]
        rss = sum(proc_status(pid).get("VmRSS", 0) for pid in self.pids)
        busy, total = machine_busy()
        fds = 0
        for pid in self.pids:
            try:
                fds += len(os.listdir(f"/proc/{pid}/fd"))
            except OSError:
                fds = -1
                break
        if None not in cpus:
            self.samples.append(
                (
                    time.monotonic(),
                    sum(cpus),  # type: ignore[arg-type]
                    rss,
                    busy,
                    total,
                    fds,
                )
            )

    def run(self) -> None:
        while not self._halt.wait(0.2):
            self.sample()

    def stop(self) -> None:
        self._halt.set()
        self.join(2)

    def at(self, t: float) -> tuple[float, float, float]:
        """(server cpu s, machine busy jiffies, machine total jiffies) at time t (interpolated)."""
        s = self.samples
        if not s:
            return (math.nan, math.nan, math.nan)
        if t <= s[0][0]:
            return s[0][1], s[0][3], s[0][4]
        for a, b in zip(s, s[1:], strict=False):
            if a[0] <= t <= b[0]:
                f = (t - a[0]) / (b[0] - a[0]) if b[0] > a[0] else 0
                return (
                    a[1] + f * (b[1] - a[1]),
                    a[3] + f * (b[3] - a[3]),
                    a[4] + f * (b[4] - a[4]),
                )
        return s[-1][1], s[-1][3], s[-1][4]

    def between(self, t1: float, t2: float) -> dict[str, float]:
        c1, b1, n1 = self.at(t1)
        c2, b2, n2 = self.at(t2)
        dt = max(t2 - t1, 1e-9)
        return {
            "cpu_s": c2 - c1,
            "cpu_pct": 100 * (c2 - c1) / dt,
            "machine_busy_pct": 100 * (b2 - b1) / (n2 - n1) if n2 > n1 else math.nan,
        }


# =================================================================================== analysis


def pct(xs: list[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(q / 100 * len(s)) - 1))]


def summary(xs: list[float]) -> dict[str, float | None]:
    return {
        "n": len(xs),
        "p50": pct(xs, 50),
        "p95": pct(xs, 95),
        "p99": pct(xs, 99),
        "max": max(xs) if xs else None,
    }


def projector_latencies(
    records: list[tuple[float, float | None, str, Any]], series: list[tuple[float, int, int]]
) -> tuple[list[float], int]:
    """Latency of each acked vote to the projector (see module doc); also how many never showed.

    ``series``: (time, respondents, rev) of every ``results`` for the activity, in arrival order.
    """
    import bisect

    acked = sorted((r for r in records if r[2] == "ok"), key=lambda r: r[1])  # type: ignore
    times = [t for t, _, _ in series]
    resp: list[int] = []
    best = 0
    for _, r, _ in series:  # running max: a message never "un-shows" votes
        best = max(best, r)
        resp.append(best)
    out: list[float] = []
    missing = 0
    for rank, (sent, *_rest) in enumerate(acked, start=1):
        i_time = bisect.bisect_right(times, sent)
        i_resp = bisect.bisect_left(resp, rank)
        i = max(i_time, i_resp)
        if i < len(times):
            out.append(times[i] - sent)
        else:
            missing += 1
    return out, missing


def update_rate(series: list[tuple[float, int, int]], t0: float, t1: float) -> dict[str, Any]:
    """Projector ``results`` received during a burst [t0, t1] (first answer sent to last ack):
    how many, and the fewest in any whole second of it (1-second windows from t0; a burst
    shorter than a second is one window of its own length)."""
    inside = [t for t, _r, _v in series if t0 <= t <= t1]
    dur = max(0.0, t1 - t0)
    windows = max(1, int(dur))
    per = [0] * windows
    for t in inside:
        k = int(t - t0)
        if k < windows:
            per[k] += 1
    return {"count": len(inside), "burst_s": dur, "min_per_s": min(per), "per_s": per}


def gc_summary(path: Path | None, phases: list[tuple[str, float, float]]) -> dict[str, Any] | None:
    """The server's GC pause log (app.py, DIALOOGTAFEL_GC_LOG): full collections and the longest
    pause, over the run and in each phase."""
    if path is None or not path.exists():
        return None
    rows = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    young = rows[-1] if rows else {"n0": 0, "ms0": 0.0}

    def of(rs: list[dict[str, Any]]) -> dict[str, Any]:
        out = {
            "gen2": sum(1 for r in rs if r["gen"] == 2),
            "gen1": sum(1 for r in rs if r["gen"] == 1),
            "gen2_ms": round(sum(r["ms"] for r in rs if r["gen"] == 2), 1),
            "max_ms": max((r["ms"] for r in rs), default=0.0),
        }
        if any("cpu_ms" in r for r in rs):  # the CPU the collections took (older logs: none)
            out["max_cpu_ms"] = max(r.get("cpu_ms", 0.0) for r in rs)
            out["gen2_cpu_ms"] = round(sum(r.get("cpu_ms", 0.0) for r in rs if r["gen"] == 2), 1)
        return out

    out = of(rows)
    out["young"] = {"n": young["n0"], "ms": young["ms0"]}
    out["phases"] = {name: of([r for r in rows if a <= r["t"] <= b]) for name, a, b in phases}
    return out


def expected_counts(
    kind: str, records: list[tuple[float, float | None, str, Any]]
) -> dict[str, int] | int:
    ok = [r[3] for r in records if r[2] == "ok"]
    if kind == "open_text":
        return len(ok)
    c: Counter[str] = Counter()
    for v in ok:
        c.update(v if isinstance(v, list) else [v])
    return dict(sorted(c.items()))


def projector_counts(kind: str, last: Any) -> dict[str, int] | int | None:
    res = (last or {}).get("result")
    if not isinstance(res, dict):
        return None
    if kind == "open_text":  # the newest entries listed, and the earlier ones counted
        if "entries" not in res:
            return res.get("n")
        return len(res["entries"]) + int(res.get("unlisted", 0))
    return dict(sorted((o["id"], o["count"]) for o in res.get("options", []) if o["count"]))


def db_recount(server: ServerProc, code: str, kinds: dict[str, str]) -> dict[str, Any]:
    """Rows of the ``responses`` table per activity (and per option), after the server stopped
    (SQLite file, or the scale-out run's PostgreSQL database)."""
    con = server.recount_connection()
    pg = bool(server.pg_db)

    def q(sql: str, params: tuple[Any, ...]) -> Any:
        cur = con.cursor()
        cur.execute(sql.replace("?", "%s") if pg else sql, params)
        return cur

    try:
        (live_id,) = q("SELECT id FROM live_sessions WHERE code = ?", (code,)).fetchone()
        out: dict[str, Any] = {}
        for aid, kind in kinds.items():
            rows = q(
                "SELECT participant_id, value FROM responses WHERE live_id = ? AND activity_id = ?",
                (live_id, aid),
            ).fetchall()
            c: Counter[str] = Counter()
            for _pid, v in rows:
                val = v if pg else json.loads(v)  # psycopg decodes JSON columns itself
                if kind != "open_text":
                    c.update(val if isinstance(val, list) else [val])
            cids = [
                x
                for (x,) in q(
                    "SELECT s.client_id FROM submissions s JOIN participants p "
                    "ON p.id = s.participant_id WHERE p.live_id = ? AND s.activity_id = ?",
                    (live_id, aid),
                ).fetchall()
            ]
            out[aid] = {
                "rows": len(rows),
                "participants": len({p for p, _ in rows}),
                "counts": len(rows) if kind == "open_text" else dict(sorted(c.items())),
                "client_ids": cids,
            }
        out["_submissions"] = q(
            "SELECT COUNT(*) FROM submissions s JOIN participants p ON p.id = s.participant_id "
            "WHERE p.live_id = ?",
            (live_id,),
        ).fetchone()[0]
        out["_participants"] = q(
            "SELECT COUNT(*) FROM participants WHERE live_id = ?", (live_id,)
        ).fetchone()[0]
        return out
    finally:
        con.close()


# ================================================================================== one run


def load_programme() -> list[dict[str, Any]]:
    import yaml

    prog = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))["programme"]
    return [
        {"id": a["id"], "kind": a["kind"], "options": [o["id"] for o in a.get("options", [])]}
        for sec in prog["sections"]
        for a in sec["activities"]
    ]


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in (
        "flask",
        "flask-socketio",
        "python-socketio",
        "python-engineio",
        "eventlet",
        "gevent",
        "greenlet",
        "simple-websocket",
        "sqlalchemy",
        "aiohttp",
    ):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            pass
    return out


def git_sha() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "facilitator", "app.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "?"


def scenario_window(scenario: str) -> float | None:
    """``burstT``: every phone answers within T seconds; ``connect``: no answers (None)."""
    if scenario == "connect":
        return None
    if scenario.startswith("burst"):
        try:
            window = float(scenario[5:])
            if window > 0:
                return window
        except ValueError:
            pass
    raise ValueError(
        f"unknown scenario {scenario!r}: use burst10, burst2 (any burstT, T in seconds) or connect"
    )


def run_once(
    kind: str,
    n: int,
    args: argparse.Namespace,
    rep: int,
    log: Any,
    mode: str = "eventlet",
    scenario: str = "burst10",
) -> dict[str, Any]:
    """One benchmark run against one server; never raises (failures go into the result).

    Every scenario starts a fresh server and connects N phones. ``connect`` (the connect storm):
    first a ``--page-share`` of the phones open the phone page (``GET /j/<code>``), then every
    phone connects (the others after ``POST /api/join``); no answers. ``burstT``: every phone
    joins by ``POST /api/join`` and connects, then answers each of the three activities within
    T seconds."""
    acts = load_programme()
    kinds = {a["id"]: a["kind"] for a in acts}
    window = scenario_window(scenario)
    if window is None:
        acts = []
    processes = args.processes if kind == "dialoogtafel" else 1
    share = args.page_share if scenario == "connect" else 0.0
    result: dict[str, Any] = {
        "server": kind,
        "mode": mode,
        "processes": processes,
        "n": n,
        "scenario": scenario,
        "window": window,
        "page_share": share,
        "server_env": args.server_env,
        "procs": args.procs,
        "client": args.client,
        "rep": rep,
        "seed": args.seed + rep,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "ok": False,
        "error": None,
    }
    run_deadline = time.monotonic() + args.run_timeout
    tmp = Path(tempfile.mkdtemp(prefix=f"dialoogtafel-bench-{kind}-"))
    profile = None
    if args.profile and kind == "dialoogtafel":
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        profile = Path(args.profile).resolve() / f"{scenario}-{mode}-n{n}-r{rep}.txt"
        result["profile"] = str(profile)
    server = ServerProc(
        kind,
        mode,
        tmp,
        args.app_path,
        processes,
        args.pg,
        args.redis,
        args.server_env,
        args.gc_log,
        profile,
        args.profile_rate,
    )
    agents: list[AgentHandle] = []
    sampler: Sampler | None = None
    phases: list[tuple[str, float, float]] = []  # (name, start, end) for the GC log

    def left(bound: float) -> float:
        rest = run_deadline - time.monotonic()
        if rest <= 0:
            raise PhaseTimeout(f"whole run exceeded {args.run_timeout:.0f} s")
        return min(bound, rest)

    def say(msg: str) -> None:
        print(f"  [{kind} n={n} rep={rep}] {msg}", file=log, flush=True)

    try:
        server.start()
        live = server.create_live()
        code = result["code"] = live["code"]
        sampler = Sampler(server.pids)
        sampler.sample()
        sampler.start()

        ctx = mp.get_context("spawn")
        cfg = {"client": args.client}
        screens = AgentHandle(ctx, "screens", 0, cfg)
        agents.append(screens)
        phones = [AgentHandle(ctx, "phones", i + 1, cfg) for i in range(args.procs)]
        agents.extend(phones)

        # projector on the first process, control on the last (scale-out: they differ)
        screens.call(
            left(CONNECT_TIMEOUT + AGENT_SLACK),
            "screens",
            url=server.urls[0],
            control_url=server.urls[-1],
            code=code,
            control_key=live["control_key"],
            projector_key=live["projector_key"],
        )

        # ---- connect storm
        shares = [n // args.procs + (1 if i < n % args.procs else 0) for i in range(args.procs)]
        firsts = [sum(shares[:i]) for i in range(args.procs)]
        conc = max(1, CONNECT_CONCURRENCY // args.procs)
        connect_bound = max(120.0, n / 20)
        overflows0 = listen_overflows()
        rss0 = sum(proc_status(pid).get("VmRSS", 0) for pid in server.pids)
        pages: dict[str, Any] | None = None
        if share > 0:
            # the phone page first, as its own phase, so its CPU is its own
            want = sum(1 for i in range(n) if is_page_phone(i, share))
            # one page before the phase, not counted: the first render compiles the templates
            # (one participant more in the database, never connected)
            with urllib.request.urlopen(f"{server.url}/j/{code}", timeout=30) as warm:
                warm.read()
            start_at = time.monotonic() + 0.5
            cpu_a = server_cpu(server.pids)
            replies = on_all(
                phones,
                left(connect_bound + AGENT_SLACK),
                "pages",
                "pages",
                [
                    {
                        "urls": server.urls,
                        "code": code,
                        "first": f,
                        "count": c,
                        "share": share,
                        "start_at": start_at,
                        "concurrency": conc,
                    }
                    for f, c in zip(firsts, shares, strict=True)
                ],
            )
            cpu_b = server_cpu(server.pids)
            paged = sum(r["paged"] for r in replies)
            pfail: Counter[str] = Counter()
            for r in replies:
                pfail.update(r["failures"])
            plast = max((r["last"] for r in replies if r["last"] is not None), default=start_at)
            sizes = [r["bytes"] for r in replies if r["bytes"] is not None]
            pages = {
                "wanted": want,
                "opened": paged,
                "failures": dict(pfail),
                "all_s": plast - start_at,
                "cpu_s": cpu_b - cpu_a,
                "cpu_per_page_ms": 1000 * (cpu_b - cpu_a) / paged if paged else None,
                "bytes": statistics.mean(sizes) if sizes else None,
            }
            say(
                f"{paged}/{want} phone pages in {plast - start_at:.2f} s, "
                f"{pages['cpu_per_page_ms'] or 0:.2f} ms of server CPU each"
                + (f"; failures {dict(pfail)}" if pfail else "")
            )
        start_at = time.monotonic() + 0.5
        cpu_gen0 = [a.call(10, "reset_lag") for a in phones]
        cpu_c0 = server_cpu(server.pids)
        replies = on_all(
            phones,
            left(connect_bound + AGENT_SLACK),
            "connect",
            "connect",
            [
                {
                    "urls": server.urls,
                    "code": code,
                    "first": f,
                    "count": c,
                    "start_at": start_at,
                    "concurrency": conc,
                }
                for f, c in zip(firsts, shares, strict=True)
            ],
        )
        cpu_c1 = server_cpu(server.pids)
        connected = sum(r["connected"] for r in replies)
        phases.append(("connect", start_at, time.monotonic()))
        failures: Counter[str] = Counter()
        for r in replies:
            failures.update(r["failures"])
        last = max((r["last"] for r in replies if r["last"] is not None), default=start_at)
        # "all": the page phase (if any) and the connect phase, each from its own start
        all_s = (last - start_at) + (pages["all_s"] if pages else 0.0)
        result["connect"] = {
            "connected": connected,
            "failures": dict(failures),
            "all_s": all_s if connected == n else None,
            "last_s": all_s,
            "connect_phase_s": last - start_at,
            "pages": pages,
            "listen_overflows": listen_overflows() - overflows0,
            "server": sampler.between(start_at, last),
            "cpu_s": cpu_c1 - cpu_c0,
            "cpu_per_phone_ms": 1000 * (cpu_c1 - cpu_c0) / connected if connected else None,
            "generator_cpu_s": sum(r["cpu"] - c for r, c in zip(replies, cpu_gen0, strict=True)),
        }
        say(
            f"connected {connected}/{n} in {last - start_at:.2f} s, "
            f"{result['connect']['cpu_per_phone_ms'] or 0:.2f} ms of server CPU each"
            + (f"; failures {dict(failures)}" if failures else "")
        )
        if connected == 0:
            raise RuntimeError("no phone connected")
        time.sleep(1.0)  # let the connect storm's counts broadcasts settle
        c = result["connect"]
        c["other_load_cores"] = (
            c["server"]["machine_busy_pct"] / 100 * (os.cpu_count() or 1)
            - c["server"]["cpu_pct"] / 100
            - c["generator_cpu_s"] / max(1e-9, last - start_at)
        )
        rss1 = sum(proc_status(pid).get("VmRSS", 0) for pid in server.pids)
        result["connect"]["rss_start_mb"] = rss0 / 1024
        result["connect"]["rss_connected_mb"] = rss1 / 1024
        result["connect"]["kb_per_phone"] = (rss1 - rss0) / connected

        # ---- three bursts
        result["activities"] = {}
        all_acks: list[float] = []
        all_proj: list[float] = []
        for k, act in enumerate(acts):
            aid = act["id"]
            cmd = ("goto", {"activity": aid}) if k == 0 else ("next", {})
            ctl = screens.call(
                left(CONTROL_TIMEOUT + AGENT_SLACK), "control", event=cmd[0], payload=cmd[1]
            )
            if not (isinstance(ctl["ack"], dict) and ctl["ack"].get("ok") is True):
                raise RuntimeError(f"control {cmd} failed: {ctl['ack']}")
            arrivals: list[float | None] = []
            for r in on_all(
                phones,
                left(FANOUT_TIMEOUT + AGENT_SLACK),
                "fan-out",
                "wait_activity",
                [{"activity": aid, "timeout": FANOUT_TIMEOUT}] * len(phones),
            ):
                arrivals.extend(r)
            lat = [a - ctl["sent"] for a in arrivals if a is not None]
            missing = sum(1 for a in arrivals if a is None)
            fan = {
                "control": cmd[0],
                "control_ack_s": ctl["ack_t"] - ctl["sent"],
                "missing": missing,
                "p50_s": pct(lat, 50),
                "p99_s": pct(lat + [math.inf] * missing, 99),
                "all_s": max(lat) if lat and not missing else None,
            }

            # barrier passed: every phone shows the activity (or the fan-out bound expired)
            t0 = time.monotonic() + 1.0
            assert window is not None  # the connect storm has no activities to answer
            answer_bound = 1.0 + window + ACK_TIMEOUT + 5
            replies = on_all(
                phones,
                left(answer_bound + AGENT_SLACK),
                "answers",
                "answer",
                [
                    {
                        "activity": aid,
                        "kind": act["kind"],
                        "options": act["options"],
                        "t0": t0,
                        "window": window,
                        "seed": args.seed + rep + k,
                    }
                ]
                * len(phones),
            )
            records = [tuple(r) for rep_ in replies for r in rep_["records"]]
            statuses = Counter(r[2] for r in records)
            ok_n = statuses.get("ok", 0)
            drain = screens.call(
                left(DRAIN_TIMEOUT + AGENT_SLACK),
                "drain",
                activity=aid,
                respondents=ok_n,
                timeout=DRAIN_TIMEOUT,
            )
            series = [tuple(x) for x in drain["series"]]
            acks = [r[1] - r[0] for r in records if r[2] == "ok"]
            proj_lat, never = projector_latencies(records, series)  # type: ignore[arg-type]
            all_acks.extend(acks)
            all_proj.extend(proj_lat)
            last_ack = max((r[1] for r in records if r[1] is not None), default=t0)
            phases.append((aid, t0, last_ack))
            proj_final = int((drain["last"] or {}).get("respondents") or 0)
            # the projector shows the final total: first results with respondents >= acked
            final_at = next((t for t, resp, _rev in series if resp >= ok_n), None)
            result["activities"][aid] = {
                "kind": act["kind"],
                "fanout": fan,
                "acked_ids": [r[4] for r in records if r[2] == "ok"],
                "unacked_ids": [r[4] for r in records if r[2] != "ok"],
                "sent": len(records),
                "statuses": dict(statuses),
                "acked": ok_n,
                "ack_s": summary(acks),
                "projector_s": summary(proj_lat),
                "projector_never": never,
                "projector_final": proj_final,
                "projector_messages": len(series),
                "projector_rate": update_rate(series, t0, last_ack),
                "expected_counts": expected_counts(act["kind"], records),  # type: ignore[arg-type]
                "projector_counts": projector_counts(act["kind"], drain["last"]),
                "burst_s": last_ack - t0,
                "final_after_last_ack_s": None if final_at is None else final_at - last_ack,
                "server": sampler.between(t0, last_ack),
                "generator_cpu_s": sum(r["cpu"] for r in replies),
                "generator_max_lag_s": max(r["max_lag"] for r in replies),
            }
            a = result["activities"][aid]
            dur = max(1e-9, last_ack - t0)
            a["other_load_cores"] = (
                a["server"]["machine_busy_pct"] / 100 * (os.cpu_count() or 1)
                - a["server"]["cpu_pct"] / 100
                - a["generator_cpu_s"] / dur
            )
            say(
                f"{aid}: {ok_n}/{len(records)} acked {dict(statuses)}; ack p99 "
                f"{_ms(a['ack_s']['p99'])} ms; projector p99 {_ms(a['projector_s']['p99'])} ms; "
                f"final {proj_final} ({_ms(a['final_after_last_ack_s'])} ms after the last ack); "
                f"fan-out p99 {_ms(fan['p99_s'])} ms"
            )

        result["pooled"] = {"ack_s": summary(all_acks), "projector_s": summary(all_proj)}
        if acts:
            answers = sum(a["acked"] for a in result["activities"].values())
            result["cpu_per_answer_ms"] = (
                1000
                * sum(a["server"]["cpu_s"] for a in result["activities"].values())
                / max(1, answers)
            )
        stats = [a.call(left(10 + AGENT_SLACK), "stats") for a in phones]
        b_in = [s["bytes_in"] for s in stats]
        b_out = [s["bytes_out"] for s in stats]
        result["bytes_per_phone"] = (
            {"in": sum(b_in) / connected, "out": sum(b_out) / connected}  # type: ignore
            if None not in b_in and None not in b_out
            else None
        )
        result["generator"] = {
            "cpu_s": sum(s["cpu"] for s in stats),
            "max_lag_s": max(s["max_lag"] for s in stats),
        }
        if not acts:  # the connect storm: the phones stay connected and quiet, then leave
            result["idle"] = idle(server, connected)
            say(
                f"{connected} phones connected and quiet for {result['idle']['s']:.0f} s: "
                f"{result['idle']['cpu_pct']:.1f} % of a core"
            )
            result["leave"] = leave(phones, server, connected, left)
            say(
                f"{result['leave']['closed']} phones left; the server was busy "
                f"{result['leave']['busy_s']:.2f} s, {result['leave']['cpu_per_phone_ms']:.2f} ms "
                "of CPU per phone"
            )
    except Exception as exc:  # noqa: BLE001 - recorded, the run continues with the next
        result["error"] = f"{type(exc).__name__}: {exc}"
        say(f"FAILED: {result['error']}")
        if not isinstance(exc, PhaseTimeout | RuntimeError):
            traceback.print_exc(file=log)
    finally:
        if sampler is not None and server.running():
            sts = [proc_status(pid) for pid in server.pids]
            result["server_proc"] = {
                "rss_start_mb": sampler.samples[0][2] / 1024 if sampler.samples else None,
                # the sum of each process's peak (an upper bound of the peak of the sum)
                "peak_rss_mb": sum(st.get("VmHWM", 0) for st in sts) / 1024,
                "threads": sum(st.get("Threads", 0) for st in sts),
                "fds_max": max((s[5] for s in sampler.samples), default=-1),
                "cpu_total_s": sum(proc_cpu(pid) or 0.0 for pid in server.pids),
            }
        try:
            for a in agents:
                try:
                    a.stop()
                except Exception:  # noqa: BLE001 - the server must be stopped regardless
                    traceback.print_exc(file=log)
            if sampler is not None:
                sampler.stop()
        finally:
            server.stop()
    result["gc"] = gc_summary(server.gc_log, phases)
    result["server_log_tracebacks"] = server.tracebacks()
    if result["server_log_tracebacks"]:
        say(f"server log has {result['server_log_tracebacks']} tracebacks:\n{server.log_tail()}")
    if kind == "dialoogtafel" and "activities" in result:
        try:
            result["db"] = db_recount(server, result["code"], kinds)
            for aid, a in result["activities"].items():
                stored = set(result["db"][aid].pop("client_ids"))
                a["acked_not_stored"] = sum(1 for c in a.pop("acked_ids") if c not in stored)
                a["unacked_stored"] = sum(1 for c in a.pop("unacked_ids") if c in stored)
        except Exception as exc:  # noqa: BLE001
            result["db"] = {"error": repr(exc)}
    try:
        server.drop_database()
    except Exception as exc:  # noqa: BLE001 - reported, the run's figures stand
        say(f"could not drop the run's database: {exc}")
    result["verdict"] = verdict(result)
    result["ok"] = result["error"] is None and not result["verdict"]["problems"]
    if args.keep_tmp:
        result["tmp"] = str(tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def _ms(x: float | None) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isinf(x)) else f"{1000 * x:.0f}"


def verdict(r: dict[str, Any]) -> dict[str, Any]:
    """Correctness: lost and double-counted answers, per activity, and other failures."""
    problems: list[str] = []
    flags: list[str] = []  # the measurement is suspect (not a failure of the server)
    lost = double = 0
    if r.get("connect", {}).get("connected", 0) != r["n"]:
        problems.append(f"connected {r.get('connect', {}).get('connected')} of {r['n']}")
    for aid, a in r.get("activities", {}).items():
        sent, acked, final = a["sent"], a["acked"], a["projector_final"]
        if acked != sent:
            problems.append(f"{aid}: {sent - acked} of {sent} answers not acked ok {a['statuses']}")
        if acked == sent and a["projector_counts"] != a["expected_counts"]:
            problems.append(
                f"{aid}: projector counts {a['projector_counts']} != acked {a['expected_counts']}"
            )
        stored = None
        db = r.get("db", {}).get(aid)
        if db is not None:
            stored = db["rows"]
            if acked == sent and db["counts"] != a["expected_counts"]:
                problems.append(
                    f"{aid}: database counts {db['counts']} != acked {a['expected_counts']}"
                )
            if db["participants"] != db["rows"]:
                problems.append(f"{aid}: {db['rows']} rows for {db['participants']} participants")
        # lost: acked ok, but missing from the projector's final count or from the database
        # (by client_id: the submissions table); double: counted more often than phones sent
        db_lost = a.get("acked_not_stored", max(0, acked - stored) if stored is not None else 0)
        lost += max(max(0, acked - final), db_lost)
        double += max(max(0, final - sent), max(0, (stored or 0) - sent))
        if final < acked:
            problems.append(
                f"{aid}: LOST on the projector: final respondents {final} < acked {acked}"
            )
        if db_lost:
            problems.append(f"{aid}: LOST in the database: {db_lost} acked answers not stored")
        if final > sent or (stored or 0) > sent:
            problems.append(
                f"{aid}: COUNTED TWICE: projector {final}, database {stored}, sent {sent}"
            )
        if acked == sent and stored is not None and stored != acked:
            problems.append(f"{aid}: database rows {stored} != acked {acked}")
        if acked < sent:
            problems.append(
                f"{aid}: of {sent - acked} answers without an ok ack, "
                f"{a.get('unacked_stored', '?')} were stored anyway; projector "
                f"final {final}"
            )
        if a["projector_never"]:
            problems.append(
                f"{aid}: {a['projector_never']} acked answers never reached the projector"
            )
        if a["generator_max_lag_s"] > LAG_FLAG:
            flags.append(f"{aid}: load generator lagged {a['generator_max_lag_s']:.2f} s")
        if a.get("other_load_cores", 0) > OTHER_LOAD_FLAG:
            flags.append(f"{aid}: other processes used {a['other_load_cores']:.1f} cores")
    return {"lost": lost, "double": double, "problems": problems, "flags": flags}


# ==================================================================================== report


def pooled(r: dict[str, Any], field: str) -> dict[str, float | None]:
    """p50/p95/p99 over the answers of all three activities of a run."""
    return r.get("pooled", {}).get(field) or {"p50": None, "p95": None, "p99": None}


def median_of(xs: list[float | None]) -> float | None:
    ys = [x for x in xs if x is not None and not (isinstance(x, float) and math.isinf(x))]
    return statistics.median(ys) if ys else None


def table(rows: list[dict[str, Any]]) -> str:
    """Markdown: one line per (server, mode, client, n, window), medians over repetitions."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(
            (
                r["n"],
                r["mode"],
                r.get("scenario") or f"burst{r['window']:g}",
                r["client"],
                r["server"],
                r.get("processes", 1),
            ),
            [],
        ).append(r)
    head = (
        "| N | server | mode | runs ok | connect all (s) | ack p50 / p95 / p99 (ms) "
        "| answer→projector p50 / p95 / p99 (ms) | ratio to ref p50 / p99 "
        "| next→99 % phones (ms) | lost / double | srv CPU connect / burst (%) "
        "| srv CPU per answer (ms) | peak RSS (MB) | bytes per phone in / out | flagged |"
    )
    lines = [head, "|" + "|".join(["---"] * (head.count("|") - 1)) + "|"]
    refs: dict[tuple[Any, ...], dict[str, float | None]] = {}
    for key, rs in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][4] != "ref", kv[0][5])
    ):
        n, mode, window, client, server, processes = key
        good = [r for r in rs if r.get("activities")]
        ack = [pooled(r, "ack_s") for r in good]
        prj = [pooled(r, "projector_s") for r in good]
        p = {q: median_of([x[q] for x in prj]) for q in ("p50", "p95", "p99")}
        a = {q: median_of([x[q] for x in ack]) for q in ("p50", "p95", "p99")}
        p99_range = [x["p99"] for x in prj if x["p99"] is not None]
        if server == "ref":
            refs[(n, mode, window, client)] = p
            ratio = "1"
        else:
            ref = refs.get((n, mode, window, client))
            ratio = "-"
            if ref and ref["p50"] and p["p50"] and ref["p99"] and p["p99"]:
                ratio = f"{p['p50'] / ref['p50']:.1f} / {p['p99'] / ref['p99']:.1f}"
        fan = median_of(
            [
                max(
                    (
                        x["fanout"]["p99_s"]
                        for k, x in r["activities"].items()
                        if x["fanout"]["control"] == "next"
                    ),
                    default=None,
                )
                for r in good
            ]
        )
        conn = median_of([r["connect"]["all_s"] for r in rs if r.get("connect")])
        cpu_c = median_of([r["connect"]["server"]["cpu_pct"] for r in good])
        cpu_b = median_of(
            [
                statistics.mean(x["server"]["cpu_pct"] for x in r["activities"].values())
                for r in good
            ]
        )
        per = median_of(
            [
                sum(x["server"]["cpu_s"] for x in r["activities"].values())
                / max(1, sum(x["acked"] for x in r["activities"].values()))
                for r in good
            ]
        )
        rss = median_of([r.get("server_proc", {}).get("peak_rss_mb") for r in good])
        bpp = [r["bytes_per_phone"] for r in good if r.get("bytes_per_phone")]
        lost = sum(r["verdict"]["lost"] for r in rs)
        dbl = sum(r["verdict"]["double"] for r in rs)
        oks = sum(1 for r in rs if r["ok"])
        flagged = sum(1 for r in rs if r["verdict"].get("flags"))
        bytes_cell = "not measured"
        if bpp:
            bytes_cell = (
                f"{median_of([b['in'] for b in bpp]):.0f} / "
                f"{median_of([b['out'] for b in bpp]):.0f}"
            )

        def f(x: float | None, scale: float = 1000, fmt: str = ".0f") -> str:
            return "-" if x is None else format(x * scale, fmt)

        p99s = f(p["p99"])
        if len(p99_range) > 1:
            p99s += f" ({f(min(p99_range))}–{f(max(p99_range))})"
        lines.append(
            f"| {n} | {server}{'' if client == 'raw' else ' (' + client + ' client)'} "
            f"| {mode}{f' ×{processes} (Redis + PostgreSQL)' if processes > 1 else ''}, {window} "
            f"| {oks}/{len(rs)} | {f(conn, 1, '.2f')} "
            f"| {f(a['p50'], fmt='.1f')} / {f(a['p95'], fmt='.1f')} / {f(a['p99'], fmt='.1f')} "
            f"| {f(p['p50'])} / {f(p['p95'])} / {p99s} | {ratio} | {f(fan)} "
            f"| {lost} / {dbl} | {f(cpu_c, 1)} / {f(cpu_b, 1)} | {f(per, fmt='.2f')} "
            f"| {f(rss, 1)} "
            f"| {bytes_cell} "
            f"| {flagged}/{len(rs)} |"
        )
    return "\n".join(lines)


#: issue 16's targets (Dialoogtafel, one process, at N = 5,000; 10,000 within 20 s)
TARGETS = {
    "ack_p99_10": 0.5,
    "proj_p99_10": 1.0,
    "ack_p99_2": 1.5,
    "proj_p99_2": 2.0,
    "updates_per_s_2": 5,
    "connect_vs_ref": 2.0,
    "cpu_connect_ms": 1.0,
    "cpu_page_ms": 2.0,
    "cpu_answer_ms": 0.6,
    "ack_p99_20": 1.0,
    "kb_per_phone": 100,
}


def run_targets(
    r: dict[str, Any], ref: dict[str, Any] | None, bare: dict[str, Any] | None = None
) -> list[tuple[str, bool]]:
    """(what, held) for every issue-16 target this run measures (correctness always). The
    connect storm is compared with the bare websocket reference of the same repetition when
    there is one (the issue's measure), else with the Socket.IO reference."""
    t = TARGETS
    out: list[tuple[str, bool]] = []
    v = r.get("verdict") or verdict(r)
    out.append(("0 lost / 0 twice", v["lost"] == 0 and v["double"] == 0 and r["ok"]))
    window = r.get("window")
    scenario = r.get("scenario") or f"burst{window:g}"
    ack = pooled(r, "ack_s")["p99"]
    prj = pooled(r, "projector_s")["p99"]
    per_answer = r.get("cpu_per_answer_ms")
    if scenario != "connect" and window is not None and r.get("activities"):
        if window <= 2:
            out.append((f"ack p99 < {t['ack_p99_2']} s", ack is not None and ack < t["ack_p99_2"]))
            out.append(
                (f"projector p99 < {t['proj_p99_2']} s", prj is not None and prj < t["proj_p99_2"])
            )
            mins = [
                a["projector_rate"]["min_per_s"]
                for a in r["activities"].values()
                if a.get("projector_rate")
            ]
            out.append(
                (
                    f"≥ {t['updates_per_s_2']} projector updates/s",
                    bool(mins) and min(mins) >= t["updates_per_s_2"],
                )
            )
        elif window >= 20:
            out.append(
                (f"ack p99 < {t['ack_p99_20']} s", ack is not None and ack < t["ack_p99_20"])
            )
        else:
            out.append(
                (f"ack p99 < {t['ack_p99_10']} s", ack is not None and ack < t["ack_p99_10"])
            )
            out.append(
                (
                    f"projector p99 < {t['proj_p99_10']} s",
                    prj is not None and prj < t["proj_p99_10"],
                )
            )
            out.append(
                (
                    f"CPU/answer ≤ {t['cpu_answer_ms']} ms",
                    per_answer is not None and per_answer <= t["cpu_answer_ms"],
                )
            )
    c = r.get("connect") or {}
    if scenario == "connect":
        against = bare if bare and (bare.get("connect") or {}).get("all_s") else ref
        name = "bare" if against is bare and bare else "ref"
        mine, theirs = c.get("all_s"), ((against or {}).get("connect") or {}).get("all_s")
        if theirs:
            out.append(
                (
                    f"connect ≤ {t['connect_vs_ref']:g}× {name}",
                    mine is not None and mine <= t["connect_vs_ref"] * theirs,
                )
            )
        per = c.get("cpu_per_phone_ms")
        out.append(
            (
                f"CPU/connect ≤ {t['cpu_connect_ms']:g} ms",
                per is not None and per <= t["cpu_connect_ms"],
            )
        )
        page = (c.get("pages") or {}).get("cpu_per_page_ms")
        if page is not None:
            out.append((f"CPU/page ≤ {t['cpu_page_ms']:g} ms", page <= t["cpu_page_ms"]))
    kb = c.get("kb_per_phone")
    if kb is not None and r["n"] >= 1000:  # below that, the server's fixed growth dominates
        out.append((f"< {t['kb_per_phone']} KB/phone", kb < t["kb_per_phone"]))
    return out


def runs_table(rows: list[dict[str, Any]]) -> str:
    """Markdown: every run on its own line (issue 16), with the targets it held or missed."""
    head = (
        "| scenario | N | mode | server | run | connect all (s) (× ref, × bare) "
        "| ack p50 / p99 (ms) | answer→projector p50 / p99 (ms) "
        "| projector updates in each burst: fewest per second (total) "
        "| lost / twice | server CPU (ms) per connect / answer / page / leave "
        "| KB per phone | GC: full collections, longest pause (ms) | other load (cores) "
        "| load average before → after | targets |"
    )
    lines = [head, "|" + "|".join(["---"] * (head.count("|") - 1)) + "|"]
    refs = {
        (r["n"], r["mode"], r.get("scenario"), r["rep"]): r for r in rows if r["server"] == "ref"
    }
    # the bare reference runs once per repetition (always eventlet): for every mode
    bares = {(r["n"], r.get("scenario"), r["rep"]): r for r in rows if r["server"] == "bare"}

    def f(x: float | None, scale: float = 1.0, fmt: str = ".0f") -> str:
        return (
            "-" if x is None or (isinstance(x, float) and math.isinf(x)) else format(x * scale, fmt)
        )

    order = {"burst10": 0, "burst2": 1, "connect": 2}

    def position(r: dict[str, Any]) -> tuple[Any, ...]:
        name = r.get("scenario") or ""
        rank = {"bare": 0, "ref": 1}.get(r["server"], 2)
        return (order.get(name, 3), name, r["n"], r["rep"], rank, r["mode"])

    for r in sorted(rows, key=position):
        ref = refs.get((r["n"], r["mode"], r.get("scenario"), r["rep"]))
        bare = bares.get((r["n"], r.get("scenario"), r["rep"]))
        c = r.get("connect") or {}
        conn = f(c.get("all_s"), fmt=".2f")
        ratios = []
        for versus in (ref, bare) if r["server"] == "dialoogtafel" else (bare,):
            theirs = ((versus or {}).get("connect") or {}).get("all_s")
            if versus is not None and versus is not r and theirs and c.get("all_s"):
                ratios.append(f"{c['all_s'] / theirs:.1f}× {versus['server']}")
        if ratios:
            conn += f" ({', '.join(ratios)})"
        acts = list((r.get("activities") or {}).values())
        ack, prj = pooled(r, "ack_s"), pooled(r, "projector_s")
        rate = (
            " · ".join(
                f"{a['projector_rate']['min_per_s']} ({a['projector_rate']['count']})"
                for a in acts
                if a.get("projector_rate")
            )
            or "-"
        )
        v = r.get("verdict") or verdict(r)
        page = (c.get("pages") or {}).get("cpu_per_page_ms")
        gc_ = r.get("gc")
        gcs = "-" if not gc_ else f"{gc_['gen2']}, {gc_['max_ms']:.0f}"
        other = [x.get("other_load_cores") for x in acts + [c]]
        other = [x for x in other if x is not None and not math.isnan(x)]
        if r["server"] in REFERENCES:
            verdict_cell = "(reference)" if r["ok"] else "reference FAILED"
        else:
            held = run_targets(r, ref, bare)
            missed = [name for name, ok in held if not ok]
            verdict_cell = "PASS" if not missed else "FAIL: " + ", ".join(missed)
        if r.get("error"):
            verdict_cell += f" (error: {r['error'].splitlines()[0][:80]})"
        scale_out = f" ×{r['processes']}" if r.get("processes", 1) > 1 else ""
        la = r.get("loadavg")
        load_cell = f"{la[0][0]:.1f} → {la[1][0]:.1f}" if la else "-"
        lines.append(
            f"| {r.get('scenario') or '-'} | {r['n']} | {r['mode']}{scale_out} "
            f"| {r['server']} | {r['rep'] + 1} | {conn} "
            f"| {f(ack['p50'], 1000, '.1f')} / {f(ack['p99'], 1000)} "
            f"| {f(prj['p50'], 1000)} / {f(prj['p99'], 1000)} | {rate} "
            f"| {v['lost']} / {v['double']} "
            f"| {f(c.get('cpu_per_phone_ms'), fmt='.2f')} / "
            f"{f(r.get('cpu_per_answer_ms'), fmt='.2f')} / {f(page, fmt='.2f')} / "
            f"{f((r.get('leave') or {}).get('cpu_per_phone_ms'), fmt='.2f')} "
            f"| {f(c.get('kb_per_phone'))} | {gcs} "
            f"| {f(max(other) if other else None, fmt='.1f')} | {load_cell} | {verdict_cell} |"
        )
    return "\n".join(lines)


def activity_table(rows: list[dict[str, Any]]) -> str:
    """Per activity: ack and projector p50/p99, fan-out p99 (medians over repetitions)."""
    lines = [
        "| N | server | activity | ack p50 / p99 (ms) | answer→projector p50 / p99 (ms) "
        "| final total after last ack (ms) | projector msgs | fan-out to 99 % (ms) "
        "| burst (s) | srv CPU (%) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        if r.get("activities"):
            name = r["server"] if r["client"] == "raw" else f"{r['server']} ({r['client']})"
            name += f" {r['mode']}" + (f" ×{r['processes']}" if r.get("processes", 1) > 1 else "")
            groups.setdefault((r["n"], name, r["mode"], r["window"]), []).append(r)
    for (n, server, _m, _w), rs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        for aid in rs[0]["activities"]:
            xs = [r["activities"][aid] for r in rs if aid in r["activities"]]

            def m(get: Any, xs: list[dict[str, Any]] = xs) -> str:
                v = median_of([get(x) for x in xs])
                return "-" if v is None else f"{1000 * v:.0f}"

            lines.append(
                f"| {n} | {server} | {aid} ({xs[0]['kind']}, {xs[0]['fanout']['control']}) "
                f"| {m(lambda x: x['ack_s']['p50'])} / {m(lambda x: x['ack_s']['p99'])} "
                f"| {m(lambda x: x['projector_s']['p50'])} / "
                f"{m(lambda x: x['projector_s']['p99'])} "
                f"| {m(lambda x: x.get('final_after_last_ack_s'))} "
                f"| {median_of([x['projector_messages'] for x in xs]):.0f} "
                f"| {m(lambda x: x['fanout']['p99_s'])} "
                f"| {median_of([x['burst_s'] for x in xs]):.1f} "
                f"| {median_of([x['server']['cpu_pct'] for x in xs]):.0f} |"
            )
    return "\n".join(lines)


def problems_text(rows: list[dict[str, Any]]) -> str:
    out = []
    for r in rows:
        if not r["ok"]:
            out.append(
                f"- FAILED {r['server']} n={r['n']} rep={r['rep']}: "
                + "; ".join(
                    ([r["error"].splitlines()[0]] if r["error"] else []) + r["verdict"]["problems"]
                )
            )
        if r["verdict"].get("flags"):
            out.append(
                f"- flagged {r['server']} n={r['n']} rep={r['rep']}: "
                + "; ".join(r["verdict"]["flags"])
            )
    return "\n".join(out) or "(none)"


# ====================================================================================== main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Dialoogtafel load benchmark (see module doc).")
    p.add_argument("--n", default="5000", help="phones; a comma list runs each (default 5000)")
    p.add_argument(
        "--scenario",
        default="",
        help="comma list of burst10 (every phone answers within 10 s), burst2 (the "
        "hard burst: within 2 s), burstT (within T s), connect (the connect "
        "storm: --page-share open the phone page, the others POST /api/join, "
        "then all connect); default burst10,burst2,connect",
    )
    p.add_argument(
        "--window",
        type=float,
        default=None,
        help="shorthand for --scenario burstT (every phone answers at t0 + U(0, T) seconds)",
    )
    p.add_argument(
        "--page-share",
        type=float,
        default=0.1,
        help="share of the phones that open GET /j/<code> in the connect scenario (default 0.1)",
    )
    p.add_argument("--procs", type=int, default=2, help="phone processes (default 2)")
    p.add_argument(
        "--async-mode",
        default="eventlet,gevent",
        help="eventlet, gevent or threading; a comma list runs each, side by side "
        "(default eventlet,gevent)",
    )
    p.add_argument(
        "--processes",
        type=int,
        default=1,
        help="Dialoogtafel server processes; > 1 is the scale-out mode on PostgreSQL "
        "and Redis (default 1: one process on SQLite)",
    )
    p.add_argument(
        "--pg",
        default="postgresql://postgres@127.0.0.1:5432",
        help="PostgreSQL server for --processes > 1 (a database is created per run)",
    )
    p.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis for --processes > 1")
    p.add_argument(
        "--ref",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run bench/refserver.py (default on)",
    )
    p.add_argument(
        "--bare",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run bench/bareserver.py (a bare eventlet websocket counter, no Socket.IO) "
        "once per scenario and repetition: the connect target's measure, and in a burst the "
        "floor of the CPU per answer (default on)",
    )
    p.add_argument("--only-ref", action="store_true", help="run the reference only")
    p.add_argument("--runs", type=int, default=3, help="repetitions of each scenario (default 3)")
    p.add_argument(
        "--client",
        default="raw",
        choices=["raw", "sio"],
        help="phone client: raw Engine.IO over aiohttp (default) or python-socketio",
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--run-timeout", type=float, default=600.0, help="bound for one run against one server (s)"
    )
    p.add_argument(
        "--stop-on-failure",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="stop escalating N after the first failed Dialoogtafel run",
    )
    p.add_argument("--keep-tmp", action="store_true", help="keep the temp dir (db, log)")
    p.add_argument(
        "--quiet-wait",
        type=float,
        default=60.0,
        help="before each run wait up to this long for the machine to be nearly "
        "idle (other processes < 0.3 cores); 0 = do not wait",
    )
    p.add_argument(
        "--git-ref",
        default="",
        help="benchmark the server of this commit (git archive into a temp dir) "
        "instead of the working tree, e.g. HEAD",
    )
    p.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the Dialoogtafel server (repeatable), e.g. "
        "DIALOOGTAFEL_GC=default to compare with CPython's GC settings",
    )
    p.add_argument(
        "--gc-log",
        action="store_true",
        help="have the server log its GC pauses (DIALOOGTAFEL_GC_LOG) and report "
        "full collections and the longest pause per run and phase",
    )
    p.add_argument(
        "--profile",
        default="",
        metavar="DIR",
        help="run the Dialoogtafel server under py-spy (pip install -e '.[bench]'); "
        "one collapsed-stack file per run in DIR (bench/profile.py reads them)",
    )
    p.add_argument("--profile-rate", type=int, default=100, help="py-spy samples per second")
    p.add_argument("--out", default="", help="JSONL file (default bench/results/<time>.jsonl)")
    p.add_argument("--report", default="", help="only print the tables of a JSONL file")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report:
        rows = [
            json.loads(line) for line in Path(args.report).read_text().splitlines() if line.strip()
        ]
        for r in rows:  # recomputed, so files written by older versions read the same way
            r["verdict"] = verdict(r)
            r["ok"] = r["error"] is None and not r["verdict"]["problems"]
        print(
            runs_table(rows),
            "\n",
            table(rows),
            "\n",
            activity_table(rows),
            "\n\nProblems:\n",
            problems_text(rows),
            sep="\n",
        )
        return 0
    args.modes = [m.strip() for m in str(args.async_mode).split(",") if m.strip()]
    if not args.scenario:
        args.scenario = f"burst{args.window:g}" if args.window else "burst10,burst2,connect"
    args.scenarios = [x.strip() for x in args.scenario.split(",") if x.strip()]
    try:
        for x in args.scenarios:
            scenario_window(x)
    except ValueError as exc:
        print(f"--scenario: {exc}", file=sys.stderr)
        return 2
    env: dict[str, str] = {}
    for item in args.server_env:
        name, eq, value = item.partition("=")
        if not eq or not name.startswith("DIALOOGTAFEL_"):
            print(f"--server-env {item!r}: use DIALOOGTAFEL_NAME=VALUE", file=sys.stderr)
            return 2
        env[name] = value
    args.server_env = env
    if args.profile and not (Path(sys.executable).parent / "py-spy").exists():
        print(
            "--profile needs py-spy beside this interpreter (pip install -e '.[bench]')",
            file=sys.stderr,
        )
        return 2
    if not args.modes or set(args.modes) - {"eventlet", "gevent", "threading"}:
        print(
            f"--async-mode: {args.async_mode!r}: use eventlet, gevent, threading or a comma "
            "list of them",
            file=sys.stderr,
        )
        return 2
    if args.processes > 1:
        for mod, extra in (("psycopg", "scale"), ("redis", "scale")):
            if importlib.util.find_spec(mod) is None:
                print(
                    f"--processes {args.processes} needs {mod} (pip install -e '.[{extra}]')",
                    file=sys.stderr,
                )
                return 2
    if "gevent" in args.modes and importlib.util.find_spec("gevent") is None:
        print(
            "gevent is not installed in this interpreter (pip install -e '.[gevent]'); skipping.",
            file=sys.stderr,
        )
        return 0
    for mod in ("aiohttp", "yaml") + (("socketio",) if args.client == "sio" else ()):
        if importlib.util.find_spec(mod) is None:
            print(f"bench/load.py needs {mod} (pip install aiohttp)", file=sys.stderr)
            return 2
    nofile = raise_nofile()
    ns = [int(x) for x in str(args.n).split(",") if x.strip()]
    need = max(ns) * 2 + 200
    if nofile < need:
        print(
            f"warning: RLIMIT_NOFILE is {nofile}; {need} would be safer (ulimit -n)",
            file=sys.stderr,
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    args.app_path = ROOT
    source = "worktree " + git_sha()
    snapshot: Path | None = None
    if args.git_ref:
        snapshot = Path(tempfile.mkdtemp(prefix="dialoogtafel-bench-src-"))
        sha = subprocess.run(
            ["git", "rev-parse", "--short", args.git_ref],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        archive = subprocess.run(
            ["git", "archive", "--format=tar", sha],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(snapshot)], input=archive, check=True, timeout=60)
        args.app_path = snapshot
        source = f"git {sha}"
    try:
        return run_matrix(args, source)
    finally:
        if snapshot is not None:
            shutil.rmtree(snapshot, ignore_errors=True)


def run_matrix(args: argparse.Namespace, source: str) -> int:
    ns = [int(x) for x in str(args.n).split(",") if x.strip()]
    out = Path(args.out) if args.out else RESULTS_DIR / f"{time.strftime('%Y%m%d-%H%M%S')}.jsonl"
    meta = {
        "machine": {"nproc": os.cpu_count(), "platform": platform.platform()},
        "versions": versions(),
        "source": source,
    }
    servers = (["ref"] if args.ref or args.only_ref else []) + (
        [] if args.only_ref else ["dialoogtafel"]
    )
    rows: list[dict[str, Any]] = []
    print(f"writing {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}", flush=True)
    stop = False
    for n in ns:
        for rep in range(args.runs):
            # the bare websocket reference: once per scenario and repetition, eventlet
            plan = [
                (sc, m, k)
                for sc in args.scenarios
                for m in args.modes
                for k in (["bare"] if args.bare and m == args.modes[0] else []) + servers
            ]
            for scenario, mode, kind in plan:
                if kind == "bare":
                    mode = "eventlet"
                quiet = wait_quiet(args.quiet_wait) if args.quiet_wait > 0 else None
                t = time.monotonic()
                load_before = os.getloadavg()
                print(f"{scenario} {kind} {mode} n={n} run {rep + 1}/{args.runs}", flush=True)
                r = run_once(kind, n, args, rep, sys.stdout, mode, scenario)
                r.update(
                    meta,
                    wall_s=time.monotonic() - t,
                    before_run=quiet,
                    # `uptime`'s load averages (1, 5, 15 min) before and after the run
                    loadavg=[list(load_before), list(os.getloadavg())],
                )
                rows.append(r)
                with out.open("a") as f:
                    f.write(json.dumps(r, default=str) + "\n")
                print(
                    f"  -> {scenario} {kind} {mode} n={n}: {'ok' if r['ok'] else 'FAILED'} "
                    f"({r['wall_s']:.0f} s)"
                    + (
                        ""
                        if r["ok"]
                        else ": "
                        + "; ".join(
                            ([r["error"].splitlines()[0]] if r["error"] else [])
                            + r["verdict"]["problems"]
                        )
                    )
                    + (
                        " [flagged: " + "; ".join(r["verdict"]["flags"]) + "]"
                        if r["verdict"]["flags"]
                        else ""
                    ),
                    flush=True,
                )
                if not r["ok"] and kind == "dialoogtafel" and args.stop_on_failure:
                    stop = True
            if stop:
                break
        if stop:
            print("stopping: a Dialoogtafel run failed at this N", flush=True)
            break
    print()
    print(runs_table(rows))
    print()
    print(table(rows))
    print()
    print(activity_table(rows))
    print("\nProblems:\n" + problems_text(rows))
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
