"""Faults survived, against the REAL server process (``python app.py``, eventlet) on loopback.

Every phone here keeps a history of what it sent (Jepsen-style): each submission has a client_id
that it keeps until an ack comes, and is sent again with the same client_id after a reconnect or
an ack timeout, like the real phone page does (python-socketio's client does not buffer emits
while disconnected). After the fault the checker compares three things that must agree:
- the phones' histories: every acknowledged submission, the last value per phone and activity;
- the database file, read directly with sqlite3: every submission's client_id exactly once, one
  response per phone and activity holding that last value, every question once;
- the server's results (the control screen), recounted independently from the database.

- crash: ``kill -9`` of the server while 300 phones answer, restart on the same port and file;
- flaky phones: 40 phones behind a TCP proxy that cuts their connections at random moments
  (often just after an answer went out, so the answer is stored but its ack is lost), and a real
  browser (Chromium, Playwright ``set_offline``) that shows saved / not sent yet / not saved;
- concurrent changes: 500 phones change their answers at the same moment;
- slow database: another process holds SQLite's write lock for 2 s; other connections keep
  being served within 0.5 s, the waiting answers are acked after it and counted once.
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import re
import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import requests

from tests.livesrv import (
    MINI,
    Phone,
    Screen,
    Server,
    connect_all,
    create_live,
    in_parallel,
    join,
    running_server,
    wait_for,
)

pytestmark = [
    pytest.mark.server,
    # python-engineio's client leaves its socket to the garbage collector when the server or the
    # network drops the connection, which these tests do on purpose
    pytest.mark.filterwarnings("ignore:unclosed <socket:ResourceWarning"),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <socket:pytest.PytestUnraisableExceptionWarning"
    ),
]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKSHOP = HERE / "programmes" / "workshop.yaml"
FIGURES = ROOT / "test-artifacts" / "reliability"
FAST = {"reconnection_delay": 0.2, "reconnection_delay_max": 1.0}
#: the fault tests are not about the join limit (test_hostile.py is): room for 500 phones
MANY = {"DIALOOGTAFEL_JOIN_BURST": "5000"}


@pytest.fixture(autouse=True)
def _collect_garbage() -> Iterator[None]:
    yield
    gc.collect()


def record_figures(name: str, **figures: Any) -> None:
    """Keep this run's numbers for docs/reliability.md (test-artifacts/reliability/*.json)."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    (FIGURES / f"{name}.json").write_text(
        json.dumps({**figures, "at": time.strftime("%Y-%m-%d %H:%M:%S")}, indent=1, sort_keys=True)
    )


@pytest.fixture
def many_server(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path, env=MANY, log_tail=20_000) as srv:
        yield srv


# ------------------------------------------------------------------------------ history


@dataclass
class Op:
    """One user action of one phone: sent until acknowledged, always with the same client_id."""

    phone: int
    event: str  # "respond" or "ask"
    activity: str
    value: Any
    client_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    outcome: str = "pending"  # "ok" | "fail" | "pending"
    acks: list[dict[str, Any]] = field(default_factory=list)
    sends: int = 0
    acked_at: float | None = None

    def payload(self) -> dict[str, Any]:
        body = {"activity": self.activity, "client_id": self.client_id}
        body["text" if self.event == "ask" else "value"] = self.value
        return body

    @property
    def duplicate(self) -> bool:
        """The server had it already when the acknowledged send arrived (an earlier send was
        stored, its ack lost)."""
        return bool(self.acks) and any(a.get("duplicate") for a in self.acks if a.get("ok"))


class Driver:
    """Sends every phone's plan in order, one submission in flight per phone, from one thread.

    A submission in flight is sent again (same client_id) when its phone reconnected since
    (the connection it went out on is gone) or after ``ack_timeout``; a ``rate_limited`` ack is
    retried after a pause; any other error ack is final ("fail")."""

    def __init__(self, phones: list[Phone], plans: list[list[Op]], ack_timeout: float = 6.0):
        self.phones = phones
        self.plans = plans
        self.ack_timeout = ack_timeout
        self.next = [0] * len(phones)
        self.inflight: list[tuple[Op, int, float] | None] = [None] * len(phones)
        self.not_before = [0.0] * len(phones)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.resends = 0
        self.thread = threading.Thread(target=self._run, name="driver", daemon=True)

    @property
    def ops(self) -> list[Op]:
        return [op for plan in self.plans for op in plan]

    def acked(self) -> int:
        return sum(op.outcome == "ok" for op in self.ops)

    def done(self) -> bool:
        return all(op.outcome != "pending" for op in self.ops)

    def start(self) -> Driver:
        self.thread.start()
        return self

    def _on_ack(self, i: int, op: Op, *args: Any) -> None:
        ack = args[0] if args else None
        with self.lock:
            if not isinstance(ack, dict):
                return
            op.acks.append(ack)
            current = self.inflight[i]
            if current is not None and current[0] is op:
                self.inflight[i] = None
            if op.outcome != "pending":
                return  # a second ack for a resent submission
            if ack.get("ok"):
                op.outcome, op.acked_at = "ok", time.monotonic()
                self.next[i] += 1
            elif ack["error"]["code"] == "rate_limited":
                self.not_before[i] = time.monotonic() + 0.5
            else:
                op.outcome = "fail"
                self.next[i] += 1

    def _run(self) -> None:
        while not self.stop.is_set():
            now = time.monotonic()
            for i, phone in enumerate(self.phones):
                with self.lock:
                    current = self.inflight[i]
                    if current is not None:
                        op, generation, sent_at = current
                        if phone.connects != generation or now - sent_at > self.ack_timeout:
                            self.inflight[i] = None  # lost with its connection: send again
                            self.resends += 1
                        else:
                            continue
                    if self.next[i] >= len(self.plans[i]) or now < self.not_before[i]:
                        continue
                    op = self.plans[i][self.next[i]]
                    generation = phone.connects
                if not phone.sio.connected:
                    continue
                try:
                    phone.sio.emit(op.event, op.payload(), callback=partial(self._on_ack, i, op))
                except Exception:  # noqa: BLE001 - disconnected meanwhile: next round
                    continue
                with self.lock:
                    op.sends += 1
                    if op.outcome == "pending":
                        self.inflight[i] = (op, generation, now)
            if self.done():
                return
            time.sleep(0.005)

    def finish(self, timeout: float) -> None:
        try:
            wait_for(self.done, timeout, "every submission acknowledged", interval=0.05)
        finally:
            self.stop.set()
            self.thread.join(5)


# ------------------------------------------------------------------------------ the database


def db(srv: Server) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{srv.db_path}?mode=ro", uri=True, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def live_id(srv: Server, code: str) -> int:
    with db(srv) as conn:
        return int(
            conn.execute("SELECT id FROM live_sessions WHERE code = ?", (code,)).fetchone()[0]
        )


def participant_of(srv: Server, lid: int, tokens: dict[str, int]) -> dict[int, int]:
    """Phone index -> participant id (by the hash of the phone's token)."""
    import hashlib

    with db(srv) as conn:
        rows = dict(
            conn.execute(
                "SELECT token_hash, id FROM participants WHERE live_id = ?", (lid,)
            ).fetchall()
        )
    return {i: rows[hashlib.sha256(t.encode()).hexdigest()] for t, i in tokens.items()}


def stored(srv: Server, lid: int) -> dict[str, Any]:
    """What the database holds for a live session."""
    with db(srv) as conn:
        responses = [
            (r["participant_id"], r["activity_id"], json.loads(r["value"]), r["changes"])
            for r in conn.execute(
                "SELECT participant_id, activity_id, value, changes FROM responses "
                "WHERE live_id = ? ORDER BY submitted_at, id",
                (lid,),
            )
        ]
        submissions = [
            (r["participant_id"], r["client_id"], r["activity_id"])
            for r in conn.execute(
                "SELECT s.participant_id, s.client_id, s.activity_id FROM submissions s "
                "JOIN participants p ON p.id = s.participant_id WHERE p.live_id = ?",
                (lid,),
            )
        ]
        questions = [
            (r["participant_id"], r["client_id"], r["text"])
            for r in conn.execute(
                "SELECT participant_id, client_id, text FROM questions WHERE live_id = ?", (lid,)
            )
        ]
    return {"responses": responses, "submissions": submissions, "questions": questions}


def recount(kind: str, values: list[Any]) -> Any:
    """An activity's result, counted here from the stored values (not by the server's code)."""
    if kind == "single_choice":
        return dict(Counter(values)), len(values)
    if kind in ("multi_choice", "word_cloud"):
        return dict(Counter(v for value in values for v in value)), len(values)
    if kind == "scale":
        return dict(Counter(v["position"] for v in values)), len(values)
    if kind == "open_text":
        return sorted(values), len(values)
    if kind == "ranking":
        firsts = Counter(v[0] for v in values)
        ranks: dict[str, list[int]] = {}
        for v in values:
            for rank, oid in enumerate(v, start=1):
                ranks.setdefault(oid, []).append(rank)
        return {o: (round(sum(r) / len(r), 2), firsts.get(o, 0)) for o, r in ranks.items()}, len(
            values
        )
    if kind == "qna":
        return sorted(values), len(values)
    raise AssertionError(kind)


def from_result(kind: str, result: dict[str, Any]) -> Any:
    """The server's result in the shape of ``recount``."""
    if kind in ("single_choice", "multi_choice"):
        return {o["id"]: o["count"] for o in result["options"] if o["count"]}, result["respondents"]
    if kind == "scale":
        return {h["value"]: h["count"] for h in result["histogram"] if h["count"]}, result["n"]
    if kind == "open_text":
        return sorted(e["text"] for e in result["entries"]), result["n"]
    if kind == "word_cloud":
        return {w["word"]: w["count"] for w in result["words"]}, result["respondents"]
    if kind == "ranking":
        return {
            o["id"]: (o["mean_rank"], o["first"])
            for o in result["options"]
            if o["mean_rank"] is not None
        }, result["respondents"]
    if kind == "qna":
        return sorted(q["text"] for q in result["questions"]), result["n"]
    raise AssertionError(kind)


def control_result(control: Screen, activity: str) -> dict[str, Any]:
    """The server's result for an activity, as the control screen gets it (goes there)."""
    control.control("goto", {"activity": activity})
    state = control.call("snapshot", timeout=10)["state"]
    assert state["current"] == activity
    return state["result"]  # type: ignore[no-any-return]


def check_history(
    srv: Server,
    code: str,
    tokens: dict[str, int],
    driver: Driver,
    kinds: dict[str, str],
    control: Screen,
) -> dict[str, int]:
    """The three-way check (histories, database, results); returns figures."""
    ops = driver.ops
    failed = [op for op in ops if op.outcome != "ok"]
    assert not failed, f"{len(failed)} submissions not acknowledged, e.g. {failed[:3]}"
    lid = live_id(srv, code)
    pid = participant_of(srv, lid, tokens)
    data = stored(srv, lid)
    # every acknowledged submission exactly once, nothing else
    got = Counter((p, c) for p, c, _a in data["submissions"])
    want = Counter((pid[op.phone], op.client_id) for op in ops)
    assert got == want, f"missing {want - got}, extra {got - want}"
    # questions: each ask once
    asked = Counter((pid[op.phone], op.client_id, op.value) for op in ops if op.event == "ask")
    assert Counter(data["questions"]) == asked
    # one response per phone and activity, holding the last value the phone sent
    last: dict[tuple[int, str], Any] = {}
    for op in ops:
        if op.event == "respond":
            last[(pid[op.phone], op.activity)] = op.value
    rows = Counter((p, a) for p, a, _v, _c in data["responses"])
    assert all(n == 1 for n in rows.values()), [k for k, n in rows.items() if n > 1]
    have = {(p, a): v for p, a, v, _c in data["responses"]}
    assert set(have) == set(last)
    wrong = {k: (have[k], v) for k, v in last.items() if not same_value(have[k], v)}
    assert not wrong, f"stored value is not the last one sent: {list(wrong.items())[:5]}"
    # the server's results equal a recount of the database
    for activity, kind in kinds.items():
        if kind == "qna":
            values = [t for _p, _c, t in data["questions"]]
        else:
            values = [v for _p, a, v, _c in data["responses"] if a == activity]
        result = control_result(control, activity)
        if kind == "open_text" and "unlisted" in result:
            # a long list comes cut (docs/protocol.md, "results"): some listed, all counted
            listed, n = from_result(kind, result)
            assert n == len(values) and len(listed) + result["unlisted"] == len(values), activity
            assert sum(result["statuses"].values()) == len(values), activity
            assert not Counter(listed) - Counter(values), activity
        else:
            assert from_result(kind, result) == recount(kind, values), activity
    return {
        "submissions": len(ops),
        "acked": len(ops),
        "lost": 0,
        "counted_twice": 0,
        "resends": driver.resends,
        "duplicates_absorbed": sum(op.duplicate for op in ops),
    }


def same_value(stored_value: Any, sent: Any) -> bool:
    """A stored value against what was sent (the server cleans: multi-choice in programme
    order, scale why None, word-cloud words case-folded)."""
    if isinstance(sent, dict) and "position" in sent:
        return stored_value == {"position": sent["position"], "why": sent.get("why")}
    if isinstance(sent, list):
        return sorted(stored_value) == sorted(sent)
    return bool(stored_value == sent)


def keeping_open(programme: Path, ids: Iterable[str], folder: Path) -> Path:
    """A copy of a programme whose activities ``ids`` say ``keep_open: true``: these tests open
    several activities one after the other and answer them all at once (issue 13: leaving an
    activity closes its answering otherwise)."""
    text = programme.read_text(encoding="utf-8")
    for aid in ids:
        marker = f"        - id: {aid}\n"
        assert text.count(marker) == 1, aid
        start = text.index(marker) + len(marker)
        block = text[start : text.find("        - id: ", start) % (len(text) + 1)]
        if "keep_open: true" not in block:  # mini.yaml's tekst says it already
            text = text.replace(marker, marker + "          keep_open: true\n")
    path = folder / programme.name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ crash

N_CRASH = 300
MINI_KINDS = {
    "kies": "single_choice",
    "meer": "multi_choice",
    "schaal": "scale",
    "tekst": "open_text",
}


def mini_plan(i: int, rng: random.Random) -> list[Op]:
    return [
        Op(i, "respond", "kies", rng.choice(["rood", "groen", "blauw"])),
        Op(i, "respond", "meer", sorted(rng.sample(["a", "b", "c", "d"], rng.randint(1, 2)))),
        Op(i, "respond", "schaal", {"position": rng.randint(1, 5)}),
        Op(i, "respond", "tekst", f"Telefoon {i}: {rng.choice(['meer tijd', 'minder regels'])}"),
        Op(i, "respond", "kies", rng.choice(["rood", "groen", "blauw"])),  # a change
    ]


def test_kill_9_while_300_phones_answer(many_server: Server, tmp_path: Path) -> None:
    """kill -9 in the middle of 300 phones answering; restart. Every answer acknowledged before
    the kill is in the database exactly once; the phones reconnect by themselves and resend
    what was not acknowledged; the results equal a recount of the database."""
    srv = many_server
    live_ = create_live(srv, keeping_open(MINI, MINI_KINDS, tmp_path))
    code = live_["code"]
    control = Screen(srv, code, "control", live_["control_key"], **FAST).connect()
    for activity in MINI_KINDS:  # all four open; they stay open when the facilitator moves on
        control.control("goto", {"activity": activity})
    tokens = in_parallel(lambda _i: join(srv, code), range(N_CRASH), workers=16)
    phones = [Phone(srv, code, token=t, **FAST) for t in tokens]
    connect_all(phones, workers=32)
    rng = random.Random(20261126)
    driver = Driver(phones, [mini_plan(i, rng) for i in range(N_CRASH)])
    total = len(driver.ops)

    driver.start()
    wait_for(lambda: driver.acked() >= total * 0.3, timeout=60, what="30% acknowledged")
    srv.kill()
    killed_at = time.monotonic()
    acked_before = [op for op in driver.ops if op.acked_at is not None and op.acked_at <= killed_at]
    assert len(acked_before) < total, "everything was acknowledged before the kill"
    marks = [p.connects for p in phones]
    srv.restart()
    restarted = time.monotonic()
    driver.finish(timeout=120)
    finished = time.monotonic()

    # the phones came back by themselves (the test never reconnects them)
    assert all(p.connects > m for p, m in zip(phones, marks, strict=True))
    figures = check_history(
        srv, code, dict(zip(tokens, range(N_CRASH), strict=True)), driver, MINI_KINDS, control
    )
    # phones' own snapshots after the restart carry their answers
    for i in (0, N_CRASH // 2, N_CRASH - 1):
        answers = phones[i].call("snapshot", timeout=10)["state"]["answers"]
        last = {op.activity: op.value for op in driver.plans[i]}
        assert all(same_value(answers[a], v) for a, v in last.items()), (i, answers)
    srv.assert_no_tracebacks()
    record_figures(
        "crash",
        phones=N_CRASH,
        **figures,
        acked_before_kill=len(acked_before),
        in_db_after_restart=len(acked_before),
        seconds_to_recover=round(finished - restarted, 1),
    )


# ------------------------------------------------------------------------------ flaky phones


class ChaosProxy:
    """A TCP proxy on loopback between the phones and the server that cuts connections: after
    a phone's handshake, each chunk it sends cuts its connection with ``probability``, a few
    milliseconds later (often after the server stored an answer and before its ack got back),
    dropping whatever is still on its way."""

    def __init__(self, target_port: int, seed: int):
        self.target_port = target_port
        self.rng = random.Random(seed)
        self.probability = 0.0
        self.cuts = 0
        self.connections = 0
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.port = 0
        self._server: Any = None
        self.thread = threading.Thread(target=self._run, name="chaos-proxy", daemon=True)
        self.thread.start()
        assert self.ready.wait(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def start() -> None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]
            self.ready.set()

        self.loop.run_until_complete(start())
        self.loop.run_forever()
        self.loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self.connections += 1
        conn = {"cut": False, "chunks": 0, "writers": (writer, up_writer)}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter, client: bool) -> None:
            try:
                while not conn["cut"]:
                    data = await src.read(65536)
                    if not data or conn["cut"]:
                        break
                    dst.write(data)
                    await dst.drain()
                    if client:
                        conn["chunks"] += 1
                        if conn["chunks"] > 2 and self.rng.random() < self.probability:
                            self.loop.call_later(
                                self.rng.uniform(0.0, 0.012), self._cut, conn, True
                            )
            except (ConnectionError, OSError):
                pass
            finally:
                self._cut(conn, False)

        await asyncio.gather(pipe(reader, up_writer, True), pipe(up_reader, writer, False))

    def _cut(self, conn: dict[str, Any], chaos: bool) -> None:
        if conn["cut"]:
            return
        conn["cut"] = True
        if chaos:
            self.cuts += 1
        for w in conn["writers"]:
            w.transport.abort()

    def close(self) -> None:
        def stop() -> None:
            if self._server is not None:
                self._server.close()
            self.loop.stop()

        self.loop.call_soon_threadsafe(stop)
        self.thread.join(5)


N_FLAKY = 40
WORKSHOP_KINDS = {"org": "single_choice", "wolk": "word_cloud", "rang": "ranking", "vrij": "qna"}


def workshop_plan(i: int, rng: random.Random) -> list[Op]:
    return [
        Op(i, "respond", "org", rng.choice(["school", "clb", "welzijn"])),
        Op(i, "respond", "wolk", rng.sample(["samen", "tijd", "vertrouwen", "overleg"], 2)),
        Op(i, "ask", "vrij", f"Vraag {i}-a: wie beslist?"),
        Op(i, "respond", "rang", rng.sample(["a", "b", "c", "d"], 4)),
        Op(i, "respond", "org", rng.choice(["school", "clb", "welzijn"])),  # a change
        Op(i, "ask", "vrij", f"Vraag {i}-b: wanneer?"),
        Op(i, "respond", "wolk", rng.sample(["ruimte", "koffie", "energie"], 1)),  # a change
    ]


def test_flaky_phones_lose_nothing_and_count_nothing_twice(
    many_server: Server, tmp_path: Path
) -> None:
    """40 phones whose connections are cut again and again while they answer and ask (many cuts
    land between the stored answer and its ack): every answer and question is stored exactly
    once, the last value wins, the results equal a recount."""
    srv = many_server
    live_ = create_live(srv, keeping_open(WORKSHOP, WORKSHOP_KINDS, tmp_path))
    code = live_["code"]
    control = Screen(srv, code, "control", live_["control_key"], **FAST).connect()
    for activity in WORKSHOP_KINDS:
        control.control("goto", {"activity": activity})
    proxy = ChaosProxy(srv.port, seed=7)
    shim = SimpleNamespace(url=proxy.url, clients=[])
    try:
        tokens = [join(srv, code) for _ in range(N_FLAKY)]
        phones = [
            Phone(
                shim,
                code,
                token=t,
                reconnection_delay=0.05,  # type: ignore[arg-type]
                reconnection_delay_max=0.3,
            )
            for t in tokens
        ]
        connect_all(phones)
        rng = random.Random(42)
        driver = Driver(phones, [workshop_plan(i, rng) for i in range(N_FLAKY)], ack_timeout=3.0)
        proxy.probability = 0.35
        driver.start()
        driver.finish(timeout=90)
        proxy.probability = 0.0
        # late retries: a phone's very first answer arrives again (a retry that was stuck
        # somewhere) after the phone changed it: acknowledged as a duplicate, changes nothing
        wait_for(lambda: all(p.sio.connected for p in phones), what="every phone back")
        for i in range(0, N_FLAKY, 4):
            first = driver.plans[i][0]
            ack = phones[i].call("respond", first.payload(), timeout=10)
            assert ack["ok"] and ack["duplicate"] is True, ack
        figures = check_history(
            srv,
            code,
            dict(zip(tokens, range(N_FLAKY), strict=True)),
            driver,
            WORKSHOP_KINDS,
            control,
        )
        drops = sum(p.disconnects for p in phones)
        assert proxy.cuts >= 50 and drops >= 50, (proxy.cuts, drops)
        # the lost-ack path was taken: answers stored, ack cut off, resent, absorbed
        assert figures["duplicates_absorbed"] >= 1, figures
        srv.assert_no_tracebacks()
        record_figures(
            "flaky_phones",
            phones=N_FLAKY,
            connections_cut=proxy.cuts,
            disconnects_seen=drops,
            **figures,
        )
    finally:
        for c in shim.clients:
            c.close()
        proxy.close()


# ------------------------------------------------------------------------------ 500 at once

N_CONCURRENT = 500


def test_500_phones_change_their_answers_at_once(many_server: Server, tmp_path: Path) -> None:
    """500 phones each send three answers to one question and two to another without waiting
    for acks (as fast taps do), all phones at the same moment: one response per phone and
    activity, every submission stored once, the result equals a recount of the database, and
    every phone's own snapshot equals what the database holds for it."""
    srv = many_server
    live_ = create_live(srv, keeping_open(MINI, ["meer"], tmp_path))
    code = live_["code"]
    control = Screen(srv, code, "control", live_["control_key"]).connect()
    projector = Screen(srv, code, "projector", live_["projector_key"]).connect()
    control.control("goto", {"activity": "meer"})
    control.control("goto", {"activity": "kies"})
    control.control("show_results")
    tokens = in_parallel(lambda _i: join(srv, code), range(N_CONCURRENT), workers=16)
    phones = [Phone(srv, code, token=t) for t in tokens]
    connect_all(phones, workers=32)
    rng = random.Random(500)
    sends: list[tuple[int, str, Any, str]] = []
    for i in range(N_CONCURRENT):
        kies = rng.sample(["rood", "groen", "blauw"], 3)  # three different values
        meer = [sorted(rng.sample(["a", "b", "c", "d"], 2)), [rng.choice("abcd")]]
        sends += [(i, "kies", v, uuid.uuid4().hex) for v in kies]
        sends += [(i, "meer", v, uuid.uuid4().hex) for v in meer]
    # round by round over all phones: every phone's taps are in flight at the same time
    order = sorted(range(len(sends)), key=lambda k: (k % 5, k))
    acks: dict[str, Any] = {}
    lock = threading.Lock()
    all_acked = threading.Event()

    def on_ack(client_id: str, *args: Any) -> None:
        with lock:
            acks[client_id] = args[0] if args else None
            if len(acks) == len(sends):
                all_acked.set()

    t0 = time.monotonic()
    for k in order:
        i, activity, value, client_id = sends[k]
        phones[i].sio.emit(
            "respond",
            {"activity": activity, "value": value, "client_id": client_id},
            callback=partial(on_ack, client_id),
        )
    assert all_acked.wait(120), f"{len(acks)} of {len(sends)} acks"
    elapsed = time.monotonic() - t0
    bad = [a for a in acks.values() if not (isinstance(a, dict) and a.get("ok"))]
    assert not bad, bad[:5]
    assert not any(a["duplicate"] for a in acks.values())

    lid = live_id(srv, code)
    pid = participant_of(srv, lid, dict(zip(tokens, range(N_CONCURRENT), strict=True)))
    data = stored(srv, lid)
    assert Counter(c for _p, c, _a in data["submissions"]) == Counter(s[3] for s in sends)
    rows = Counter((p, a) for p, a, _v, _c in data["responses"])
    assert len(rows) == 2 * N_CONCURRENT and set(rows.values()) == {1}
    changes = Counter((a, c) for _p, a, _v, c in data["responses"])
    assert changes == {("kies", 2): N_CONCURRENT, ("meer", 1): N_CONCURRENT}, changes
    have = {(p, a): v for p, a, v, _c in data["responses"]}
    sent_by = {}
    for i, activity, value, _c in sends:
        sent_by.setdefault((pid[i], activity), []).append(value)
    assert all(any(same_value(have[k], v) for v in vs) for k, vs in sent_by.items())
    not_last = sum(not same_value(have[k], vs[-1]) for k, vs in sent_by.items())
    # the result, on the control screen and on the projector, equals the recount
    for activity in ("kies", "meer"):
        kind = MINI_KINDS[activity]
        values = [v for _p, a, v, _c in data["responses"] if a == activity]
        assert from_result(kind, control_result(control, activity)) == recount(kind, values)
    control.control("goto", {"activity": "kies"})
    values = [v for _p, a, v, _c in data["responses"] if a == "kies"]
    projector.wait(
        lambda: (
            projector.states
            and projector.states[-1].get("result") is not None
            and from_result("single_choice", projector.states[-1]["result"])
            == recount("single_choice", values)
        ),
        what="the projector's result",
    )
    # each phone's own view (a sample of 50) equals the database
    for i in range(0, N_CONCURRENT, 10):
        answers = phones[i].call("snapshot", timeout=10)["state"]["answers"]
        assert answers == {"kies": have[(pid[i], "kies")], "meer": have[(pid[i], "meer")]}
    srv.assert_no_tracebacks()
    record_figures(
        "concurrent_changes",
        phones=N_CONCURRENT,
        submissions=len(sends),
        acked=len(acks),
        lost=0,
        counted_twice=0,
        seconds=round(elapsed, 1),
        stored_value_not_the_last_sent=not_last,
    )


# ------------------------------------------------------------------------------ slow database

HOLD = 2.0
BOUND = 0.5


def test_a_locked_database_does_not_freeze_the_server(many_server: Server) -> None:
    """Another process holds SQLite's write lock for 2 s while 20 phones answer: meanwhile
    /health, a phone's snapshot and a new phone's connect answer within 0.5 s (the eventlet
    hub is not blocked by the wait); no answer is acked before the lock is gone; then every
    answer is acked and counted once."""
    srv = many_server
    live_ = create_live(srv, MINI)
    code = live_["code"]
    control = Screen(srv, code, "control", live_["control_key"]).connect()
    control.control("goto", {"activity": "kies"})
    phones = [Phone(srv, code) for _ in range(21)]
    connect_all(phones)
    probe, phones = phones[0], phones[1:]
    late_token = join(srv, code)
    lid = live_id(srv, code)

    blocker = sqlite3.connect(srv.db_path, isolation_level=None, timeout=5)
    blocker.execute("BEGIN IMMEDIATE")
    blocker.execute(
        "INSERT INTO log_entries (live_id, at, action, detail) "
        "VALUES (?, '2026-01-01 00:00:00', 'lock-test', '{}')",
        (lid,),
    )
    locked_at = time.monotonic()
    acks: dict[int, tuple[float, Any]] = {}

    def on_ack(i: int, *args: Any) -> None:
        acks[i] = (time.monotonic(), args[0] if args else None)

    try:
        for i, p in enumerate(phones):
            p.sio.emit(
                "respond",
                {"activity": "kies", "value": "groen", "client_id": f"locked-{i:04d}"},
                callback=partial(on_ack, i),
            )
        waits: list[tuple[str, float]] = []
        late = None
        while time.monotonic() - locked_at < HOLD:
            t = time.monotonic()
            assert requests.get(srv.url + "/health", timeout=5).json() == {"ok": True}
            waits.append(("health", time.monotonic() - t))
            t = time.monotonic()
            assert probe.call("snapshot", timeout=5)["ok"]
            waits.append(("phone snapshot", time.monotonic() - t))
            if late is None:
                t = time.monotonic()
                late = Phone(srv, code, token=late_token).connect(timeout=5)
                waits.append(("phone connect", time.monotonic() - t))
            time.sleep(0.05)
        acked_while_locked = dict(acks)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    released_at = time.monotonic()
    wait_for(lambda: len(acks) == len(phones), timeout=10, what="the waiting answers' acks")
    slowest = max(waits, key=lambda w: w[1])
    assert slowest[1] < BOUND, f"{slowest[0]} took {slowest[1]:.2f} s while the lock was held"
    assert len(waits) >= 10, waits
    assert not acked_while_locked, f"acked while the database was locked: {acked_while_locked}"
    assert all(a is not None and a["ok"] and not a["duplicate"] for _t, a in acks.values()), acks
    data = stored(srv, lid)
    assert len([r for r in data["responses"] if r[1] == "kies"]) == len(phones)
    assert from_result("single_choice", control_result(control, "kies")) == (
        {"groen": len(phones)},
        len(phones),
    )
    srv.assert_no_tracebacks()
    record_figures(
        "slow_database",
        held_seconds=HOLD,
        probes=len(waits),
        slowest_probe_seconds=round(slowest[1], 3),
        answers_waiting=len(phones),
        acked_after_release_within=round(max(t for t, _a in acks.values()) - released_at, 3),
    )


# ------------------------------------------------------------------------------ a real browser


@pytest.mark.browser
def test_browser_phone_offline_again_and_again(server_for_browser: Server) -> None:
    """A phone in Chromium goes offline (Playwright set_offline) three times and answers while
    offline: the page says the answer is kept and not sent yet, then saved once back online;
    the database holds exactly one response with the last answer, each answer counted once.
    A fourth answer given offline while the facilitator closes answering: back online the page
    says it was not saved, and the database still holds the previous answer."""
    from tests.browser import CHROMIUM, TIMEOUT_MS, Screens, launch

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    srv = server_for_browser
    live_ = create_live(srv, MINI)
    code = live_["code"]
    control = Screen(srv, code, "control", live_["control_key"]).connect()
    lid = live_id(srv, code)

    def db_state() -> tuple[list[Any], int]:
        data = stored(srv, lid)
        return [v for _p, a, v, _c in data["responses"] if a == "kies"], len(data["submissions"])

    with sync_api.sync_playwright() as p:
        browser = launch(p)
        screens = Screens(browser, "faults-offline")
        try:
            phone = screens.phone("phone", live_["participant_url"])
            screens.expect_errors(phone, r"ERR_INTERNET_DISCONNECTED")  # offline on purpose
            page = phone.page
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Wacht op de begeleider", timeout=TIMEOUT_MS
            )
            control.control("goto", {"activity": "kies"})
            expect(page.get_by_role("heading", level=1)).to_have_text("Welke kleur?")
            box = page.locator("#main .answer-status")

            def tap(label: str) -> None:
                page.locator("#main").get_by_role("button", name=label, exact=True).tap()

            previous: list[Any] = []
            for n, (label, value) in enumerate(
                (("Groen", "groen"), ("Blauw", "blauw"), ("Rood", "rood")), start=1
            ):
                phone.context.set_offline(True)
                expect(page.locator("#conn")).to_contain_text("Geen verbinding")
                tap(label)
                expect(box).to_have_class(re.compile(r"\bstatus-offline\b"))
                expect(box.locator(".status-line")).to_contain_text("Nog niet verstuurd")
                expect(box.locator(".status-answer-value")).to_have_text(label)
                assert db_state() == (previous, n - 1)  # nothing arrived while offline
                if n == 1:
                    screens.shot(phone, "offline-pending")
                phone.context.set_offline(False)
                expect(box.locator(".status-line")).to_have_text(
                    "\u2713Antwoord opgeslagen", timeout=15_000
                )
                expect(box.locator(".status-answer-value")).to_have_text(label)
                wait_for(
                    lambda n=n, value=value: db_state() == ([value], n),
                    what=f"answer {n} stored once",
                )
                previous = [value]
            screens.shot(phone, "online-saved")
            # offline, an answer; the facilitator closes answering meanwhile
            phone.context.set_offline(True)
            expect(page.locator("#conn")).to_contain_text("Geen verbinding")
            tap("Groen")
            expect(box).to_have_class(re.compile(r"\bstatus-offline\b"))
            control.control("close_answering")
            phone.context.set_offline(False)
            expect(box).to_have_class(re.compile(r"\bstatus-failed\b"), timeout=15_000)
            failed = box.locator(".status-line[role=alert]")
            expect(failed).to_contain_text("Niet opgeslagen")
            expect(failed).to_contain_text("gesloten")
            # the answer saved before stays shown as saved
            expect(box.locator(".status-answer-value")).to_have_text("Rood")
            screens.shot(phone, "closed-not-saved")
            assert db_state() == (["rood"], 3)
            result = control.call("snapshot")["state"]["result"]
            assert from_result("single_choice", result) == ({"rood": 1}, 1)
            screens.assert_clean()
        finally:
            screens.close()
            browser.close()
    srv.assert_no_tracebacks()
    record_figures(
        "browser_offline",
        offline_cycles=3,
        answers_saved=3,
        refused_after_close=1,
        lost=0,
        counted_twice=0,
    )


@pytest.fixture
def server_for_browser(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path, log_tail=20_000) as srv:
        yield srv


def test_a_locked_database_does_not_freeze_the_screens(many_server: Server) -> None:
    """While another process holds SQLite's write lock and a phone's answer waits for it (holding
    store.write_lock in the retry loop), the control screen's snapshot and a projector's connect
    still answer within 0.5 s (they read the tallies under a lock of their own); once the lock
    is gone the answer is acked and counted once."""
    srv = many_server
    live_ = create_live(srv, MINI)
    code = live_["code"]
    control = Screen(srv, code, "control", live_["control_key"]).connect()
    control.control("goto", {"activity": "kies"})
    phone = Phone(srv, code).connect()
    blocker = sqlite3.connect(srv.db_path, isolation_level=None, timeout=5, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    blocker.execute(
        "INSERT INTO log_entries (live_id, at, action, detail) "
        "VALUES (?, '2026-01-01 00:00:00', 'lock-test', '{}')",
        (live_id(srv, code),),
    )
    release = threading.Timer(HOLD, blocker.execute, args=("ROLLBACK",))
    release.start()
    acks: list[Any] = []
    try:
        phone.sio.emit(
            "respond",
            {"activity": "kies", "value": "rood", "client_id": "screens-0001"},
            callback=lambda *a: acks.append(a[0] if a else None),
        )
        time.sleep(0.2)  # the answer is now waiting for the lock
        t = time.monotonic()
        assert control.call("snapshot", timeout=HOLD + 5)["ok"]
        waited = time.monotonic() - t
        t = time.monotonic()
        Screen(srv, code, "projector", live_["projector_key"]).connect(timeout=HOLD + 5)
        waited = max(waited, time.monotonic() - t)
    finally:
        release.join()
        blocker.close()
    assert waited < BOUND, f"a control/projector screen waited {waited:.2f} s for the lock"
    wait_for(lambda: len(acks) == 1, timeout=10, what="the waiting answer's ack")
    assert acks[0]["ok"] and not acks[0]["duplicate"], acks
    assert from_result("single_choice", control_result(control, "kies")) == ({"rood": 1}, 1)
    srv.assert_no_tracebacks()
    record_figures(
        "slow_database_screens", held_seconds=HOLD, slowest_screen_seconds=round(waited, 3)
    )
