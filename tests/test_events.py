"""Socket.IO handlers in-process (threading mode, Flask-SocketIO's test client): identity from
the join cookie, room isolation, rights per event, rate limit. The same behaviour over a real
connection to the real server process is in test_walkthrough.py and test_restart.py."""

from __future__ import annotations

import pytest

from facilitator import broadcast, live
from facilitator.extensions import socketio
from tests.inprocess import phone


def screen(app, live_state, role: str):
    key = live_state.control_key if role == "control" else live_state.projector_key
    return socketio.test_client(app, auth={"role": role, "code": live_state.code, "key": key})


def events(sock, name: str) -> list:
    return [m["args"][0] for m in sock.get_received() if m["name"] == name]


def flush(app) -> None:
    with app.app_context():
        broadcast.coalescer.flush()


def test_phone_gets_snapshot_then_answers(app, mini_live) -> None:
    p = phone(app, mini_live.code)
    [state] = events(p, "state")
    assert state["activity"] is None and state["answers"] == {}
    ctl = screen(app, mini_live, "control")
    assert ctl.emit("goto", {"activity": "kies"}, callback=True)["ok"] is True
    [state] = events(p, "state")
    assert state["activity"]["id"] == "kies" and state["answering"] is True
    assert state["answers"] is None  # room broadcast: no personal data
    ack = p.emit(
        "respond", {"activity": "kies", "value": "groen", "client_id": "c-000001"}, callback=True
    )
    assert ack == {
        "ok": True,
        "activity": "kies",
        "client_id": "c-000001",
        "value": "groen",
        "duplicate": False,
    }
    # reconnect: the snapshot carries the stored answer
    p.disconnect()
    p.connect(auth={"role": "participant", "code": mini_live.code})
    [state] = events(p, "state")
    assert state["answers"] == {"kies": "groen"}


def test_phones_never_receive_results_or_control_state(app, mini_live) -> None:
    p1, p2 = phone(app, mini_live.code), phone(app, mini_live.code)
    ctl, proj = screen(app, mini_live, "control"), screen(app, mini_live, "projector")
    ctl.emit("goto", {"activity": "tekst"}, callback=True)
    p1.emit(
        "respond", {"activity": "tekst", "value": "geheim", "client_id": "c-000002"}, callback=True
    )
    flush(app)
    for p in (p1, p2):
        names = {m["name"] for m in p.get_received()}
        assert names == {"state"}
    [res] = events(ctl, "results")
    assert res["result"]["entries"] == [
        {"id": res["result"]["entries"][0]["id"], "text": "geheim", "status": "approved"}
    ]
    # hidden on the projector: only the number of answers
    [pres] = events(proj, "results")
    assert pres["result"] is None and pres["respondents"] == 1
    # the projector's state never carries control-only fields
    ctl.emit("show_results", {}, callback=True)
    [pstate] = events(proj, "state")
    assert pstate["result"]["entries"][0]["text"] == "geheim"
    assert "links" not in pstate and "programme" not in pstate


@pytest.mark.parametrize(
    "event",
    [
        "goto",
        "next",
        "previous",
        "open_answering",
        "close_answering",
        "show_results",
        "hide_results",
    ],
)
def test_control_events_are_refused_to_phones_and_projector(app, mini_live, event) -> None:
    p = phone(app, mini_live.code)
    proj = screen(app, mini_live, "projector")
    for sock, role in ((p, "participant"), (proj, "projector")):
        ack = sock.emit(event, {"activity": "kies"}, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", role
    with app.app_context():
        assert live.get(mini_live.code).version == mini_live.version  # nothing changed


@pytest.mark.parametrize(
    ("auth", "code"),
    [
        ({"role": "control", "key": "wrong"}, "forbidden"),
        ({"role": "projector"}, "forbidden"),
        ({"role": "participant"}, "not_participant"),
        ({"role": "participant", "token": "made-up"}, "not_participant"),
        ({"role": "admin"}, "bad_payload"),
    ],
)
def test_refused_connections(app, mini_live, auth, code) -> None:
    sock = socketio.test_client(app, auth=dict(auth, code=mini_live.code))
    assert not sock.is_connected()


def test_unknown_code_refused(app, mini_live) -> None:
    sock = socketio.test_client(app, auth={"role": "participant", "code": "ZZZZ22"})
    assert not sock.is_connected()


def test_projector_key_cannot_control(app, mini_live) -> None:
    sock = socketio.test_client(
        app, auth={"role": "control", "code": mini_live.code, "key": mini_live.projector_key}
    )
    assert not sock.is_connected()


def test_flood_is_rate_limited_without_losing_accepted_answers(app, mini_live) -> None:
    ctl = screen(app, mini_live, "control")
    ctl.emit("goto", {"activity": "kies"}, callback=True)
    p = phone(app, mini_live.code)
    acks = [
        p.emit(
            "respond",
            {"activity": "kies", "value": "rood", "client_id": f"c-{i:06d}"},
            callback=True,
        )
        for i in range(60)
    ]
    ok = [a for a in acks if a["ok"]]
    limited = [a for a in acks if not a["ok"]]
    assert 20 <= len(ok) < 60
    assert {a["error"]["code"] for a in limited} == {"rate_limited"}
    with app.app_context():
        res, respondents, _rev = live.result(live.get(mini_live.code), "kies")
    assert respondents == 1 and res["options"][0]["count"] == 1


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("kies", "bad_payload"),
        ([1, 2], "bad_payload"),
        ({"activity": "kies", "value": "rood"}, "bad_payload"),  # no client_id
        ({"activity": "kies", "value": "rood", "client_id": "short"}, "bad_payload"),
        ({"activity": 5, "value": "rood", "client_id": "c-123456"}, "bad_payload"),
        ({"activity": "kies", "client_id": "c-123456"}, "bad_payload"),  # no value
        ({"activity": "nope", "value": "rood", "client_id": "c-123456"}, "unknown_activity"),
        ({"activity": "welkom", "value": "x", "client_id": "c-123456"}, "not_answerable"),
        ({"activity": "kies", "value": "paars", "client_id": "c-123456"}, "invalid_response"),
        ({"activity": "meer", "value": ["a"], "client_id": "c-123456"}, "closed"),
    ],
)
def test_malformed_respond_gets_error_ack_and_changes_nothing(app, mini_live, payload, code):
    ctl = screen(app, mini_live, "control")
    ctl.emit("goto", {"activity": "kies"}, callback=True)
    p = phone(app, mini_live.code)
    ack = p.emit("respond", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == code
    assert ack["error"]["message"]
    with app.app_context():
        assert live.result(live.get(mini_live.code), "kies")[1] == 0
        assert live.result(live.get(mini_live.code), "meer")[1] == 0
