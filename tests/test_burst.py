"""Correctness under the burst (issue 16): a few hundred phones answer at the same moment,
against the REAL server process (``python app.py``, eventlet), over raw Socket.IO.

The phones are bench/load.py's ``RawClient`` (Engine.IO 4 / Socket.IO 5 frames over aiohttp's
websocket, one asyncio loop), so 300 of them cost the test little, and every phone's answer is
on the wire within a few milliseconds of the others': the server gets them all at once, as it
does when a room answers together. The test asserts exact counts, never times:

- every answer is acknowledged ``ok``; the acks that are not duplicates are exactly one per
  phone and activity, plus one per changed answer; a resend with the same ``client_id`` (a phone
  whose ack got lost) is acknowledged as a duplicate of the same value;
- the database (read with sqlite3) holds every ``client_id`` sent exactly once, one response per
  phone and activity, each with the last value the phone sent and its number of changes;
- the control screen's result equals a recount of the database.

A change of answer is sent only after its first answer's ack, so the last value is known.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import sqlite3
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.livesrv import MINI, Screen, Server, create_live, running_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
try:
    import load  # bench/load.py: the raw Socket.IO client
finally:
    sys.path.pop(0)

pytestmark = [pytest.mark.server, pytest.mark.slow]

N = 300
#: phones that also answer the multi-choice question, in the same burst
MEER_EVERY = 3
#: phones that send their first answer twice at once, with the same client_id
RESEND_EVERY = 10
#: phones that change their first answer once its ack arrived
CHANGE_EVERY = 7
#: bounds, not timings: generous for a loaded machine
BOUND = 60.0


@pytest.fixture
def burst_server(tmp_path: Path) -> Iterator[Server]:
    # every phone joins from 127.0.0.1: room for all of them in the join budget
    with running_server(tmp_path, env={"DIALOOGTAFEL_JOIN_BURST": "5000"}, log_tail=20_000) as srv:
        yield srv


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def _phones(url: str, code: str, plans: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Join and connect N raw phones, then send every phone's first answers at once; changes
    follow their first answer's ack. Returns the tokens and every (phone, payload, ack)."""
    import aiohttp

    sem = asyncio.Semaphore(50)
    sent: list[tuple[int, dict[str, Any], Any]] = []
    # websockets: no connection limit (aiohttp's default is 100) and no total timeout
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=BOUND)) as http,
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, force_close=True),
            timeout=aiohttp.ClientTimeout(total=None),
        ) as wss,
    ):

        async def join_one(i: int) -> tuple[str, Any]:
            async with sem:
                async with http.post(f"{url}/api/join/{code}") as r:
                    body = await r.json()
                assert body.get("ok") is True, body
                states: list[Any] = []
                client = load.RawClient(wss, {"state": lambda _t, d: states.append(d)})
                await client.connect(
                    url, {"role": "participant", "code": code, "token": body["token"]}, BOUND
                )
                return body["token"], client

        joined = await asyncio.gather(*(join_one(i) for i in range(len(plans))))
        tokens = [t for t, _c in joined]
        clients = [c for _t, c in joined]
        try:

            async def send(i: int, payload: dict[str, Any]) -> None:
                _t, ack = await clients[i].call("respond", payload, BOUND)
                sent.append((i, payload, ack))

            async def phone(i: int) -> None:
                first = [p for p in plans[i] if not p.get("after_ack")]
                await asyncio.gather(*(send(i, p) for p in first))
                for p in plans[i]:
                    if p.get("after_ack"):
                        await send(i, {k: v for k, v in p.items() if k != "after_ack"})

            await asyncio.gather(*(phone(i) for i in range(len(plans))))
        finally:
            await asyncio.gather(*(c.close() for c in clients))
    return {"tokens": tokens, "sent": sent}


def _plans(rng: random.Random) -> list[list[dict[str, Any]]]:
    plans = []
    for i in range(N):
        kies = {
            "activity": "kies",
            "value": rng.choice(["rood", "groen", "blauw"]),
            "client_id": uuid.uuid4().hex,
        }
        plan = [kies]
        if i % RESEND_EVERY == 0:
            plan.append(dict(kies))  # the same answer again, same client_id, at the same time
        if i % MEER_EVERY == 0:
            plan.append(
                {
                    "activity": "meer",
                    "value": sorted(rng.sample(["a", "b", "c", "d"], rng.randint(1, 2))),
                    "client_id": uuid.uuid4().hex,
                }
            )
        if i % CHANGE_EVERY == 0:
            other = [v for v in ("rood", "groen", "blauw") if v != kies["value"]]
            plan.append(
                {
                    "activity": "kies",
                    "value": rng.choice(other),
                    "client_id": uuid.uuid4().hex,
                    "after_ack": True,
                }
            )
        plans.append(plan)
    return plans


def test_300_phones_answering_at_once_lose_nothing_and_count_nothing_twice(
    burst_server: Server, tmp_path: Path
) -> None:
    srv = burst_server
    # the multi-choice question says keep_open, so it stays open when the facilitator moves
    # on to the single choice and both are answered in the same burst
    marker = "        - id: meer\n"
    programme = tmp_path / "programmes" / MINI.name
    programme.parent.mkdir()
    text = MINI.read_text(encoding="utf-8")
    assert text.count(marker) == 1
    programme.write_text(text.replace(marker, marker + "          keep_open: true\n"))
    live_ = create_live(srv, programme)
    code = live_["code"]
    control = Screen(srv, code, "control", live_["control_key"]).connect()
    control.control("goto", {"activity": "meer"})
    control.control("goto", {"activity": "kies"})
    control.control("show_results")
    plans = _plans(random.Random(16))

    out = asyncio.run(_phones(srv.url, code, plans))
    tokens, sent = out["tokens"], out["sent"]

    # ---- the acks
    assert len(sent) == sum(len(p) for p in plans)
    bad = [(i, p, a) for i, p, a in sent if not (isinstance(a, dict) and a.get("ok") is True)]
    assert not bad, bad[:5]
    by_cid: dict[str, list[dict[str, Any]]] = {}
    for _i, p, a in sent:
        by_cid.setdefault(p["client_id"], []).append(a)
    for cid, acks in by_cid.items():
        # one send of each client_id is the answer, any other is a duplicate of the same value
        assert sorted(a["duplicate"] for a in acks) == [False] + [True] * (len(acks) - 1), acks
        assert all(a["client_id"] == cid for a in acks)
        assert len({json.dumps(a["value"], sort_keys=True) for a in acks}) == 1, acks
    resends = sum(1 for i in range(N) if i % RESEND_EVERY == 0)
    assert sum(a["duplicate"] for _i, _p, a in sent) == resends

    # ---- the database
    last: dict[tuple[int, str], Any] = {}
    changes: Counter[tuple[int, str]] = Counter()
    for i, plan in enumerate(plans):
        for p in plan:
            if (i, p["activity"]) in last and not p.get("after_ack"):
                continue  # the resend
            if (i, p["activity"]) in last:
                changes[(i, p["activity"])] += 1
            last[(i, p["activity"])] = p["value"]
    conn = sqlite3.connect(f"file:{srv.db_path}?mode=ro", uri=True, timeout=10)
    try:
        (lid,) = conn.execute("SELECT id FROM live_sessions WHERE code = ?", (code,)).fetchone()
        pid_of = {
            h: pid
            for pid, h in conn.execute(
                "SELECT id, token_hash FROM participants WHERE live_id = ?", (lid,)
            )
        }
        phone_of = {pid_of[_hash(t)]: i for i, t in enumerate(tokens)}
        assert len(phone_of) == N
        submissions = Counter(
            cid
            for (cid,) in conn.execute(
                "SELECT s.client_id FROM submissions s JOIN participants p "
                "ON p.id = s.participant_id WHERE p.live_id = ?",
                (lid,),
            )
        )
        responses = [
            (phone_of[pid], aid, json.loads(value), n)
            for pid, aid, value, n in conn.execute(
                "SELECT participant_id, activity_id, value, changes FROM responses "
                "WHERE live_id = ?",
                (lid,),
            )
        ]
    finally:
        conn.close()
    assert submissions == Counter(set(by_cid)), "every client_id sent is stored exactly once"
    assert Counter((i, a) for i, a, _v, _n in responses) == Counter(last.keys())
    assert {(i, a): v for i, a, v, _n in responses} == last
    assert {(i, a): n for i, a, _v, n in responses} == {k: changes[k] for k in last}
    meer_phones = sum(1 for i in range(N) if i % MEER_EVERY == 0)
    assert Counter(a for _i, a, _v, _n in responses) == {"kies": N, "meer": meer_phones}

    # ---- the control screen's result equals the recount
    expected_kies = Counter(v for (_i, a), v in last.items() if a == "kies")
    # the result's revision grows by one per stored change: the last one is N + the changes
    kies_changes = sum(n for (_i, a), n in changes.items() if a == "kies")
    final = control.wait_results("kies", N + kies_changes, timeout=BOUND)["result"]
    assert final["respondents"] == N
    assert {o["id"]: o["count"] for o in final["options"] if o["count"]} == expected_kies
    control.control("goto", {"activity": "meer"})
    meer = control.call("snapshot", timeout=10)["state"]["result"]
    assert meer["respondents"] == meer_phones
    expected_meer: Counter[str] = Counter()
    for (_i, a), v in last.items():
        if a == "meer":
            expected_meer.update(v)
    assert {o["id"]: o["count"] for o in meer["options"] if o["count"]} == expected_meer
    srv.assert_no_tracebacks()
