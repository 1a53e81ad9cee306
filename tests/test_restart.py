"""A crash (kill -9) and restart of the real server in the middle of a live session.

The clients (python-socketio, reconnection on) come back by themselves and get fresh snapshots:
phones with their stored answers, the control screen with the same state and the same result as
before the crash. The server rebuilds its tallies from the database, so answers after the restart
are counted on top, free texts keep their first-sent order, and a closed activity stays closed.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.livesrv import (
    MINI,
    Phone,
    Screen,
    Server,
    create_live,
    in_parallel,
    phones,
)

pytestmark = pytest.mark.server

N = 20
FAST = {"reconnection_delay": 0.1, "reconnection_delay_max": 0.5}

KIES_RESULT = {
    "options": [
        {"id": "rood", "count": 9, "percent": 45.0},
        {"id": "groen", "count": 7, "percent": 35.0},
        {"id": "blauw", "count": 4, "percent": 20.0},
    ],
    "respondents": 20,
    "votes": 20,
}
MEER_BEFORE = {
    "options": [
        {"id": "a", "count": 10, "percent": 50.0},
        {"id": "b", "count": 14, "percent": 70.0},
        {"id": "c", "count": 6, "percent": 30.0},
        {"id": "d", "count": 6, "percent": 30.0},
    ],
    "respondents": 20,
    "votes": 36,
}
MEER_AFTER = {  # phone 0 a,b -> b; two new phones: c and c,d
    "options": [
        {"id": "a", "count": 9, "percent": 40.9},
        {"id": "b", "count": 14, "percent": 63.6},
        {"id": "c", "count": 8, "percent": 36.4},
        {"id": "d", "count": 7, "percent": 31.8},
    ],
    "respondents": 22,
    "votes": 38,
}
TEKST_ORDER = [5, 2, 7, 0, 3, 6, 1, 4]  # phones, in the order they send (one after the other)
TEKST = {i: f"Idee van tafel {i}: meer tijd voor overleg" for i in range(10)}
TEKST_CHANGED = "Idee van tafel 2, herzien na de pauze"


def ok(ack: dict[str, Any], stored: Any, duplicate: bool = False) -> str:
    assert ack["ok"] is True, ack
    assert ack["value"] == stored and ack["duplicate"] is duplicate, ack
    return str(ack["client_id"])


def entries(result: dict[str, Any]) -> list[str]:
    return [e["text"] for e in result["entries"]]


def latest_result(screen: Screen, activity: str) -> dict[str, Any] | None:
    got = screen.results_for(activity)
    return got[-1] if got else None


def test_kill_and_restart_keeps_everything(server: Server) -> None:  # noqa: F811
    live = create_live(server, MINI)
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"], **FAST).connect()
    projector = Screen(server, code, "projector", live["projector_key"], **FAST).connect()
    ps = phones(server, code, N, **FAST)
    expected: list[dict[str, Any]] = [{} for _ in range(N)]

    # --- kies: 20 answers, then closed (after_close: results shown)
    control.control("goto", {"activity": "kies"})
    kies = ["rood"] * 9 + ["groen"] * 7 + ["blauw"] * 4
    kies_ids = dict(
        in_parallel(lambda i: (i, ok(ps[i].respond("kies", kies[i]), kies[i])), range(N))
    )
    for i in range(N):
        expected[i]["kies"] = kies[i]
    assert control.wait_results("kies", 20)["result"] == KIES_RESULT
    control.control("close_answering")

    # --- tekst: 8 texts, one after the other; left open when the facilitator moves on
    # (keep_open in mini.yaml)
    control.control("goto", {"activity": "tekst"})
    for i in TEKST_ORDER:
        ok(ps[i].respond("tekst", TEKST[i]), TEKST[i])
        expected[i]["tekst"] = TEKST[i]
    control.wait_results("tekst", 8)
    tekst_before = control.call("snapshot")["state"]["result"]
    assert entries(tekst_before) == [TEKST[i] for i in TEKST_ORDER]

    # --- meer (at most 2 choices): all 20 answer; the live session stays on it, open
    control.control("goto", {"activity": "meer"})
    ack = ps[0].respond("meer", ["a", "b", "c"])
    assert ack["ok"] is False and ack["error"]["code"] == "invalid_response", ack
    meer = [["a", "b"]] * 8 + [["b", "c"]] * 6 + [["d"]] * 4 + [["d", "a"]] * 2
    stored_meer = [sorted(v) for v in meer]  # programme order a, b, c, d is alphabetical here
    meer_ids = dict(
        in_parallel(lambda i: (i, ok(ps[i].respond("meer", meer[i]), stored_meer[i])), range(N))
    )
    for i in range(N):
        expected[i]["meer"] = stored_meer[i]
    assert control.wait_results("meer", 20)["result"] == MEER_BEFORE
    control.wait_counts({"connected": N, "participants": N, "answered": N})
    before = control.call("snapshot")["state"]
    assert before["current"] == "meer" and before["answering"] is True
    assert before["result"] == MEER_BEFORE
    assert before["activity_states"] == {
        "kies": {"status": "closed", "results_visible": True},
        "meer": {"status": "open", "results_visible": False},
        "schaal": {"status": "pending", "results_visible": False},
        "schuif": {"status": "pending", "results_visible": False},
        "tekst": {"status": "open", "results_visible": False},
    }
    projector_before = projector.state
    assert projector_before["version"] == before["version"]

    # --- crash
    clients = [control, projector, *ps]
    marks = {id(c): (c.connects, len(c.states)) for c in clients}
    server.kill()
    for c in clients:
        c.wait(lambda c=c: not c.sio.connected and c.disconnects >= 1, what="the drop")
    server.restart()

    # --- every client reconnects by itself and gets a fresh snapshot
    def snapshot_after(c: Any) -> dict[str, Any]:
        connects, states = marks[id(c)]
        c.wait(
            lambda: c.connects > connects and len(c.states) > states,
            timeout=15,
            what="reconnect and snapshot",
        )
        return c.states[states]  # type: ignore[no-any-return]

    after = snapshot_after(control)
    assert {k: v for k, v in after.items() if k not in ("counts", "server_time")} == {
        k: v for k, v in before.items() if k not in ("counts", "server_time")
    }
    assert after["counts"]["participants"] == N and after["counts"]["answered"] == N
    projector_after = snapshot_after(projector)
    assert {
        k: v for k, v in projector_after.items() if k not in ("respondents", "server_time")
    } == {k: v for k, v in projector_before.items() if k not in ("respondents", "server_time")}
    assert projector_after["respondents"] == N and projector_after["result"] is None
    for i, p in enumerate(ps):
        snap = snapshot_after(p)
        assert snap["version"] == before["version"]
        assert snap["activity"]["id"] == "meer" and snap["answering"] is True
        assert snap["answers"] == expected[i], i
    control.wait_counts({"connected": N, "participants": N, "answered": N})

    # --- answers after the restart count on top of the rebuilt tally
    new = [Phone(server, code, **FAST).connect() for _ in range(2)]
    control.wait_counts({"connected": N + 2, "participants": N + 2, "answered": N})
    ok(new[0].respond("meer", ["c"]), ["c"])
    ok(new[1].respond("meer", ["d", "c"]), ["c", "d"])
    ok(ps[0].respond("meer", ["b"]), ["b"])
    expected[0]["meer"] = ["b"]
    # the retry of an answer sent before the crash is still recognised
    ok(ps[19].respond("meer", meer[19], client_id=meer_ids[19]), ["a", "d"], duplicate=True)
    reused = ps[19].respond("meer", ["b"], client_id=meer_ids[19])  # not a retry: another value
    assert reused["ok"] is False and reused["error"]["code"] == "client_id_reused", reused
    control.wait(
        lambda: (latest_result(control, "meer") or {}).get("result") == MEER_AFTER,
        what="the result after the restart",
    )
    assert latest_result(control, "meer")["respondents"] == N + 2  # type: ignore[index]
    revs = [r["rev"] for r in control.results_for("meer") if r["result"]["respondents"] > N]
    assert revs == sorted(revs) and len(set(revs)) == len(revs)
    assert control.call("snapshot")["state"]["result"] == MEER_AFTER
    control.wait_counts({"connected": N + 2, "participants": N + 2, "answered": N + 2})

    # kies is still closed; a retry from before the close is still acknowledged
    ack = ps[5].respond("kies", "groen")
    assert ack["ok"] is False and ack["error"]["code"] == "closed", ack
    ok(ps[0].respond("kies", kies[0], client_id=kies_ids[0]), "rood", duplicate=True)
    reused = ps[0].respond("kies", "blauw", client_id=kies_ids[0])
    assert reused["ok"] is False and reused["error"]["code"] == "client_id_reused", reused

    # --- tekst: still open, rebuilt in first-sent order; new texts go after the old ones
    mark = len(control.states)
    version = control.control("goto", {"activity": "tekst"})["version"]
    assert version > before["version"]
    state = control.wait_state(lambda s: s["version"] == version, since=mark)
    assert state["answering"] is True and state["result"] == tekst_before
    ok(ps[8].respond("tekst", TEKST[8]), TEKST[8])
    ok(ps[2].respond("tekst", TEKST_CHANGED), TEKST_CHANGED)
    ok(ps[9].respond("tekst", TEKST[9]), TEKST[9])
    expected[8]["tekst"], expected[2]["tekst"], expected[9]["tekst"] = (
        TEKST[8],
        TEKST_CHANGED,
        TEKST[9],
    )
    want = [TEKST_CHANGED if i == 2 else TEKST[i] for i in TEKST_ORDER] + [TEKST[8], TEKST[9]]

    def texts_now() -> list[str] | None:
        last = latest_result(control, "tekst")
        return entries(last["result"]) if last and last["respondents"] == 10 else None

    control.wait(lambda: texts_now() == want, what="the texts after the restart")
    assert entries(control.call("snapshot")["state"]["result"]) == want

    # --- kies: closed and shown, with the same result as before the crash
    marks_kies = [(c, len(c.states)) for c in (control, projector, *ps)]
    version = control.control("goto", {"activity": "kies"})["version"]
    for c, m in marks_kies:
        s = c.wait_state(lambda s: s["version"] == version, since=m)
        assert s["activity"]["id"] == "kies" and s["answering"] is False
    assert control.state["result"] == KIES_RESULT
    assert control.state["activity_states"]["kies"] == {"status": "closed", "results_visible": True}
    assert projector.state["results_visible"] is True
    assert projector.state["result"] == KIES_RESULT

    # a phone that reconnects now sees what it answered before and after the crash
    snap = ps[0].reconnect()
    assert snap["answers"] == expected[0] == {"kies": "rood", "tekst": TEKST[0], "meer": ["b"]}
    assert ps[2].reconnect()["answers"] == {
        "kies": "rood",
        "tekst": TEKST_CHANGED,
        "meer": ["a", "b"],
    }
    server.assert_no_tracebacks()
