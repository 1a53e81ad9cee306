"""The workshop kinds and facilitator tools over Socket.IO, in-process (threading mode):
word cloud, ranking, matrix, Q&A, moderation, reset, lock joining, timer, paced sections,
references and presenter notes. tests/programmes/workshop.yaml lists the ids."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from facilitator import broadcast, live
from facilitator.extensions import socketio
from facilitator.programme import load_programme
from tests.inprocess import phone

WORKSHOP = Path(__file__).resolve().parent / "programmes" / "workshop.yaml"


@pytest.fixture
def ws(app):
    with app.app_context():
        return live.start(load_programme(WORKSHOP), WORKSHOP.name)


def screen(app, ws, role: str = "control"):
    key = ws.control_key if role == "control" else ws.projector_key
    return socketio.test_client(app, auth={"role": role, "code": ws.code, "key": key})


def last(sock, name: str):
    got = [m["args"][0] for m in sock.get_received() if m["name"] == name]
    return got[-1] if got else None


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def refused(ack, code: str):
    assert ack["ok"] is False and ack["error"]["code"] == code, ack
    return ack


def answer(p, activity: str, value, n: int):
    return ok(
        p.emit(
            "respond",
            {"activity": activity, "value": value, "client_id": f"{activity}-{n:06d}"},
            callback=True,
        )
    )


def current_result(app, ws, activity: str, audience: str = "control"):
    with app.app_context():
        return live.result(live.get(ws.code), activity, audience)[0]


def test_word_cloud_counts_words_once_per_participant_without_stop_words(app, ws) -> None:
    ctl = screen(app, ws)
    ok(ctl.emit("goto", {"activity": "wolk"}, callback=True))
    phones = [phone(app, ws.code) for _ in range(4)]
    acks = [
        answer(phones[0], "wolk", ["Armoede", " armoede ", "De"], 0),
        answer(phones[1], "wolk", ["armoede,", "Wachtlijsten"], 1),
        answer(phones[2], "wolk", ["wachtlijsten", "taal"], 2),
        answer(phones[3], "wolk", "Één woord", 3),
    ]
    assert acks[0]["value"] == ["armoede", "de"]
    assert acks[3]["value"] == ["één woord"]
    refused(
        phones[0].emit(
            "respond",
            {"activity": "wolk", "value": ["a", "b", "c", "d"], "client_id": "wolk-x00001"},
            callback=True,
        ),
        "invalid_response",
    )
    refused(
        phones[0].emit(
            "respond",
            {"activity": "wolk", "value": ["x" * 31], "client_id": "wolk-x00002"},
            callback=True,
        ),
        "invalid_response",
    )
    res = current_result(app, ws, "wolk")
    assert res["words"] == [
        {"word": "armoede", "count": 2, "status": "approved"},
        {"word": "wachtlijsten", "count": 2, "status": "approved"},
        {"word": "taal", "count": 1, "status": "approved"},
        {"word": "één woord", "count": 1, "status": "approved"},
    ]
    assert res["respondents"] == 4 and res["hidden"] == []
    ok(ctl.emit("hide_word", {"activity": "wolk", "word": "taal", "hidden": True}, callback=True))
    res = current_result(app, ws, "wolk")
    assert [w["word"] for w in res["words"]] == ["armoede", "wachtlijsten", "één woord"]
    assert res["hidden"] == [{"word": "taal", "count": 1}]
    public = current_result(app, ws, "wolk", "projector")
    assert public == {
        "words": [
            {"word": "armoede", "count": 2},
            {"word": "wachtlijsten", "count": 2},
            {"word": "één woord", "count": 1},
        ],
        "respondents": 4,
    }
    # a changed answer moves the counts
    answer(phones[0], "wolk", ["taal"], 10)
    res = current_result(app, ws, "wolk")
    assert {w["word"]: w["count"] for w in res["words"]} == {
        "armoede": 1,
        "wachtlijsten": 2,
        "één woord": 1,
    }
    assert res["hidden"] == [{"word": "taal", "count": 2}]


def test_ranking_mean_rank_and_first_places(app, ws) -> None:
    ctl = screen(app, ws)
    ok(ctl.emit("goto", {"activity": "rang"}, callback=True))
    p = [phone(app, ws.code) for _ in range(3)]
    answer(p[0], "rang", ["a", "b", "c", "d"], 0)
    answer(p[1], "rang", ["b", "a", "d", "c"], 1)
    answer(p[2], "rang", ["a", "c", "b", "d"], 2)
    for bad in (["a", "b", "c"], ["a", "b", "c", "c"], ["a", "b", "c", "e"], "a"):
        refused(
            p[0].emit(
                "respond",
                {"activity": "rang", "value": bad, "client_id": "rang-x00001"},
                callback=True,
            ),
            "invalid_response",
        )
    res = current_result(app, ws, "rang")
    assert res == {
        "options": [
            {"id": "a", "mean_rank": 1.33, "first": 2, "first_percent": 66.7},
            {"id": "b", "mean_rank": 2.0, "first": 1, "first_percent": 33.3},
            {"id": "c", "mean_rank": 3.0, "first": 0, "first_percent": 0.0},
            {"id": "d", "mean_rank": 3.67, "first": 0, "first_percent": 0.0},
        ],
        "respondents": 3,
    }


def test_matrix_counts_per_item(app, ws) -> None:
    ctl = screen(app, ws)
    ok(ctl.emit("goto", {"activity": "blokken"}, callback=True))
    p = [phone(app, ws.code) for _ in range(3)]
    answer(p[0], "blokken", {"x": "ok", "y": "moeilijk", "z": "weetniet"}, 0)
    answer(p[1], "blokken", {"x": "ok", "y": "ok"}, 1)
    ack = answer(p[2], "blokken", {"z": "moeilijk", "x": "moeilijk"}, 2)
    assert list(ack["value"]) == ["x", "z"]  # programme order
    refused(
        p[0].emit(
            "respond",
            {"activity": "blokken", "value": {"q": "ok"}, "client_id": "blok-x00001"},
            callback=True,
        ),
        "invalid_response",
    )
    refused(
        p[0].emit(
            "respond",
            {"activity": "blokken", "value": {"x": "super"}, "client_id": "blok-x00002"},
            callback=True,
        ),
        "invalid_response",
    )
    res = current_result(app, ws, "blokken")
    assert res["ratings"] == ["ok", "moeilijk", "weetniet"] and res["respondents"] == 3
    assert res["items"] == [
        {
            "id": "x",
            "n": 3,
            "counts": {"ok": 2, "moeilijk": 1, "weetniet": 0},
            "percents": {"ok": 66.7, "moeilijk": 33.3, "weetniet": 0.0},
        },
        {
            "id": "y",
            "n": 2,
            "counts": {"ok": 1, "moeilijk": 1, "weetniet": 0},
            "percents": {"ok": 50.0, "moeilijk": 50.0, "weetniet": 0.0},
        },
        {
            "id": "z",
            "n": 2,
            "counts": {"ok": 0, "moeilijk": 1, "weetniet": 1},
            "percents": {"ok": 0.0, "moeilijk": 50.0, "weetniet": 50.0},
        },
    ]


def test_moderated_open_text_reaches_the_projector_only_when_approved(app, ws) -> None:
    ctl, proj = screen(app, ws), screen(app, ws, "projector")
    ok(ctl.emit("goto", {"activity": "mening"}, callback=True))
    ok(ctl.emit("show_results", {}, callback=True))
    p1, p2 = phone(app, ws.code), phone(app, ws.code)
    answer(p1, "mening", "Eerste mening", 0)
    answer(p2, "mening", "Naam van een kind", 1)
    res = current_result(app, ws, "mening")
    assert [(e["text"], e["status"]) for e in res["entries"]] == [
        ("Eerste mening", "pending"),
        ("Naam van een kind", "pending"),
    ]
    assert current_result(app, ws, "mening", "projector") == {"entries": [], "n": 2}
    first, second = (e["id"] for e in res["entries"])
    ok(
        ctl.emit(
            "moderate", {"activity": "mening", "entry": first, "action": "approve"}, callback=True
        )
    )
    ok(
        ctl.emit(
            "moderate", {"activity": "mening", "entry": second, "action": "hide"}, callback=True
        )
    )
    refused(
        ctl.emit(
            "moderate", {"activity": "mening", "entry": "nope", "action": "hide"}, callback=True
        ),
        "unknown_entry",
    )
    refused(
        ctl.emit(
            "moderate", {"activity": "mening", "entry": first, "action": "pin"}, callback=True
        ),
        "bad_payload",
    )
    with app.app_context():
        broadcast.coalescer.flush()
    assert last(proj, "results")["result"] == {
        "entries": [{"id": first, "text": "Eerste mening"}],
        "n": 2,
    }
    # a changed text goes back to the queue
    answer(p1, "mening", "Bijgestelde mening", 2)
    assert current_result(app, ws, "mening", "projector") == {"entries": [], "n": 2}
    assert [e["status"] for e in current_result(app, ws, "mening")["entries"]] == [
        "pending",
        "hidden",
    ]
    # moderation is logged
    [snap] = [m["args"][0] for m in ctl.get_received() if m["name"] == "state"][-1:]
    ack = ok(ctl.emit("snapshot", {}, callback=True))
    actions = [e["action"] for e in ack["state"]["log"]]
    assert actions.count("moderate") == 2
    del snap


def test_qna_ask_moderate_upvote_once(app, ws) -> None:
    ctl = screen(app, ws)
    ok(ctl.emit("goto", {"activity": "vragen"}, callback=True))
    a, b, c = (phone(app, ws.code) for _ in range(3))
    q1 = ok(
        a.emit(
            "ask",
            {"activity": "vragen", "text": "Wie betaalt?", "client_id": "ask-000001"},
            callback=True,
        )
    )["question"]
    assert q1["status"] == "pending"
    again = ok(
        a.emit(
            "ask",
            {"activity": "vragen", "text": "Wie betaalt?", "client_id": "ask-000001"},
            callback=True,
        )
    )
    assert again["duplicate"] is True and again["question"]["id"] == q1["id"]
    q2 = ok(
        b.emit(
            "ask",
            {"activity": "vragen", "text": "Hoe vaak?", "client_id": "ask-000002"},
            callback=True,
        )
    )["question"]
    # not approved yet: nobody can vote, the phones do not see it
    refused(
        c.emit("upvote", {"activity": "vragen", "question": q1["id"], "vote": True}, callback=True),
        "unknown_question",
    )
    for q in (q1, q2):
        ok(
            ctl.emit(
                "moderate",
                {"activity": "vragen", "entry": q["id"], "action": "approve"},
                callback=True,
            )
        )
    for voter in (b, c):
        assert (
            ok(voter.emit("upvote", {"activity": "vragen", "question": q1["id"]}, callback=True))[
                "voted"
            ]
            is True
        )
    # a second vote by the same phone changes nothing
    assert (
        ok(
            c.emit(
                "upvote", {"activity": "vragen", "question": q1["id"], "vote": True}, callback=True
            )
        )["votes"]
        == 2
    )
    ok(a.emit("upvote", {"activity": "vragen", "question": q2["id"]}, callback=True))
    ok(
        ctl.emit(
            "moderate", {"activity": "vragen", "entry": q2["id"], "action": "pin"}, callback=True
        )
    )
    with app.app_context():
        broadcast.coalescer.flush()
    res = current_result(app, ws, "vragen", "projector")
    assert [(q["text"], q["votes"], q["pinned"]) for q in res["questions"]] == [
        ("Hoe vaak?", 1, True),
        ("Wie betaalt?", 2, False),
    ]
    pushed = last(c, "questions")
    assert pushed["activity"] == "vragen" and pushed["questions"] == res["questions"]
    # take a vote back
    assert (
        ok(
            b.emit(
                "upvote", {"activity": "vragen", "question": q1["id"], "vote": False}, callback=True
            )
        )["votes"]
        == 1
    )
    # the asker's snapshot lists its question and its vote
    snap = ok(a.emit("snapshot", {}, callback=True))["state"]
    assert snap["qna"]["vragen"] == {
        "asked": [{"id": q1["id"], "text": "Wie betaalt?", "status": "approved"}],
        "voted": [q2["id"]],
    }
    refused(
        a.emit(
            "respond",
            {"activity": "vragen", "value": "x", "client_id": "ask-000009"},
            callback=True,
        ),
        "not_answerable",
    )


def test_only_the_asker_hears_that_the_facilitator_hid_or_approved_their_question(app, ws) -> None:
    """A hidden question never reaches the other phones; its asker's phone is told (both of its
    connections, e.g. a second tab), so it no longer shows it as waiting; the same for an
    approval. Pinning is not news for the asker."""
    ctl = screen(app, ws)
    ok(ctl.emit("goto", {"activity": "vragen"}, callback=True))
    http = app.test_client()
    assert http.get(f"/j/{ws.code}").status_code == 200
    asker, second_tab = (
        socketio.test_client(
            app, flask_test_client=http, auth={"role": "participant", "code": ws.code}
        )
        for _ in range(2)
    )
    other = phone(app, ws.code)
    q1 = ok(
        asker.emit(
            "ask",
            {"activity": "vragen", "text": "Mag ik dit vragen?", "client_id": "own-000001"},
            callback=True,
        )
    )["question"]
    q2 = ok(
        asker.emit(
            "ask",
            {"activity": "vragen", "text": "En dit?", "client_id": "own-000002"},
            callback=True,
        )
    )["question"]
    for sock in (asker, second_tab, other):
        sock.get_received()
    ok(
        ctl.emit(
            "moderate", {"activity": "vragen", "entry": q1["id"], "action": "hide"}, callback=True
        )
    )
    ok(
        ctl.emit(
            "moderate",
            {"activity": "vragen", "entry": q2["id"], "action": "approve"},
            callback=True,
        )
    )
    ok(
        ctl.emit(
            "moderate", {"activity": "vragen", "entry": q2["id"], "action": "pin"}, callback=True
        )
    )
    expected = [
        {
            "activity": "vragen",
            "question": {"id": q1["id"], "text": "Mag ik dit vragen?", "status": "hidden"},
        },
        {
            "activity": "vragen",
            "question": {"id": q2["id"], "text": "En dit?", "status": "approved"},
        },
    ]
    for sock in (asker, second_tab):
        got = [m["args"][0] for m in sock.get_received() if m["name"] == "own_question"]
        assert got == expected
    assert [m for m in other.get_received() if m["name"] == "own_question"] == []
    # a reconnect tells the same through the snapshot
    snap = ok(asker.emit("snapshot", {}, callback=True))["state"]
    assert [(a["id"], a["status"]) for a in snap["qna"]["vragen"]["asked"]] == [
        (q1["id"], "hidden"),
        (q2["id"], "approved"),
    ]


def test_unmoderated_qna_is_visible_at_once(app, ws) -> None:
    ctl = screen(app, ws)
    ok(ctl.emit("goto", {"activity": "vrij"}, callback=True))
    a = phone(app, ws.code)
    q = ok(
        a.emit(
            "ask",
            {"activity": "vrij", "text": "Meteen zichtbaar?", "client_id": "ask-000003"},
            callback=True,
        )
    )["question"]
    assert q["status"] == "approved"
    assert (
        current_result(app, ws, "vrij", "projector")["questions"][0]["text"] == "Meteen zichtbaar?"
    )


def test_reset_needs_confirmation_and_is_logged(app, ws) -> None:
    ctl = screen(app, ws)
    ok(ctl.emit("goto", {"activity": "org"}, callback=True))
    p = phone(app, ws.code)
    answer(p, "org", "clb", 0)
    refused(ctl.emit("reset_activity", {"activity": "org"}, callback=True), "not_confirmed")
    refused(
        ctl.emit("reset_activity", {"activity": "org", "confirm": "wolk"}, callback=True),
        "not_confirmed",
    )
    assert current_result(app, ws, "org")["respondents"] == 1
    ok(ctl.emit("reset_activity", {"activity": "org", "confirm": "org"}, callback=True))
    assert current_result(app, ws, "org")["respondents"] == 0
    state = ok(p.emit("snapshot", {}, callback=True))["state"]
    assert state["answers"] == {} and state["resets"] == {"org": 1}
    log = ok(ctl.emit("snapshot", {}, callback=True))["state"]["log"]
    assert log[0]["action"] == "reset" and log[0]["activity"] == "org"
    assert log[0]["detail"] == {"removed": 1}
    # the old client id is not counted again; a new answer is
    assert ok(
        p.emit(
            "respond", {"activity": "org", "value": "clb", "client_id": "org-000000"}, callback=True
        )
    )["duplicate"]
    answer(p, "org", "school", 1)
    assert current_result(app, ws, "org")["respondents"] == 1


def test_lock_joining(app, client, ws) -> None:
    ctl = screen(app, ws)
    inside = phone(app, ws.code)
    ok(ctl.emit("lock_joining", {"locked": True}, callback=True))
    assert app.test_client().get(f"/j/{ws.code}").status_code == 403
    assert client.post(f"/api/join/{ws.code}").get_json()["error"]["code"] == "locked"
    # a phone that was in already stays in
    assert inside.emit("snapshot", {}, callback=True)["ok"] is True
    refused(ctl.emit("lock_joining", {"locked": "yes"}, callback=True), "bad_payload")
    ok(ctl.emit("lock_joining", {"locked": False}, callback=True))
    assert app.test_client().get(f"/j/{ws.code}").status_code == 200


def test_timer_closes_answering_at_zero(app, ws, monkeypatch) -> None:
    ctl = screen(app, ws)
    ok(ctl.emit("goto", {"activity": "wolk"}, callback=True))
    refused(ctl.emit("start_timer", {"seconds": 2}, callback=True), "bad_payload")
    ok(ctl.emit("start_timer", {}, callback=True))  # the activity's default: 30 s
    state = ok(ctl.emit("snapshot", {}, callback=True))["state"]
    assert state["timer"]["activity"] == "wolk" and state["timer"]["seconds"] == 30
    assert state["timer"]["ends_at"] - state["server_time"] in range(29_000, 30_001)
    # time passes
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 31)
    with app.app_context():
        live.tick()
    state = ok(ctl.emit("snapshot", {}, callback=True))["state"]
    assert state["timer"] is None and state["answering"] is False
    assert state["activity_states"]["wolk"]["status"] == "closed"
    assert state["log"][0]["action"] == "timer_ended"


def test_stop_timer_and_a_timer_without_auto_close(app, ws) -> None:
    ctl = screen(app, ws)
    ok(ctl.emit("goto", {"activity": "rang"}, callback=True))
    ok(ctl.emit("start_timer", {"seconds": 5}, callback=True))
    ok(ctl.emit("stop_timer", {}, callback=True))
    assert ok(ctl.emit("snapshot", {}, callback=True))["state"]["timer"] is None


def test_paced_section_opens_all_its_activities(app, ws) -> None:
    ctl = screen(app, ws)
    p = phone(app, ws.code)
    ok(ctl.emit("goto", {"activity": "e1"}, callback=True))
    state = ok(p.emit("snapshot", {}, callback=True))["state"]
    assert state["paced"]["section"] == "enquete"
    assert [a["id"] for a in state["paced"]["activities"]] == ["e1", "e2", "e3"]
    assert all(a["answering"] for a in state["paced"]["activities"])
    # the phone answers at its own pace, in any order
    answer(p, "e3", "Later eerst", 0)
    answer(p, "e1", "ja", 1)
    answer(p, "e2", {"position": 7}, 2)
    counts = ok(ctl.emit("snapshot", {}, callback=True))["state"]["section_counts"]
    assert counts == {"e1": 1, "e2": 1, "e3": 1}
    ok(ctl.emit("close_answering", {}, callback=True))
    state = ok(ctl.emit("snapshot", {}, callback=True))["state"]
    assert [state["activity_states"][a]["status"] for a in ("e1", "e2", "e3")] == ["closed"] * 3


def test_before_after_scale(app, ws) -> None:
    ctl = screen(app, ws)
    p = [phone(app, ws.code) for _ in range(2)]
    ok(ctl.emit("goto", {"activity": "voor"}, callback=True))
    answer(p[0], "voor", {"position": 1}, 0)
    answer(p[1], "voor", {"position": 3, "why": "twijfel"}, 1)
    ok(ctl.emit("goto", {"activity": "na"}, callback=True))
    answer(p[0], "na", {"position": 4}, 2)
    answer(p[1], "na", {"position": 5}, 3)
    res = current_result(app, ws, "na")
    assert (res["mean"], res["before"]["mean"]) == (4.5, 2.0)
    assert [h["count"] for h in res["before"]["histogram"]] == [1, 0, 1, 0, 0]
    # the 'why' of a moderated scale waits for approval
    voor = current_result(app, ws, "voor")
    assert [(w["text"], w["status"]) for w in voor["whys"]] == [("twijfel", "pending")]
    assert current_result(app, ws, "voor", "projector")["whys"] == []


def test_reference_and_presenter_notes_only_where_they_belong(app, ws) -> None:
    ctl, proj = screen(app, ws), screen(app, ws, "projector")
    p = phone(app, ws.code)
    ok(ctl.emit("goto", {"activity": "org"}, callback=True))
    c_state = ok(ctl.emit("snapshot", {}, callback=True))["state"]
    p_state = ok(proj.emit("snapshot", {}, callback=True))["state"]
    ph_state = ok(p.emit("snapshot", {}, callback=True))["state"]
    ref = c_state["activity"]["reference"]
    assert ref["values"] == {"school": 50.0, "clb": 30.0, "welzijn": None}
    assert ref["n"] == 40 and ref["year"] == 2024 and ref["sums_to_100"] is False
    assert p_state["activity"]["reference"] == ref
    assert "reference" not in ph_state["activity"]
    ok(ctl.emit("goto", {"activity": "rang"}, callback=True))
    c_state = ok(ctl.emit("snapshot", {}, callback=True))["state"]
    assert c_state["activity"]["presenter_notes"]["nl"]
    assert (
        "presenter_notes" not in ok(proj.emit("snapshot", {}, callback=True))["state"]["activity"]
    )
    assert "presenter_notes" not in ok(p.emit("snapshot", {}, callback=True))["state"]["activity"]


def test_approve_several_words_at_once(app, tmp_path) -> None:
    moderated = tmp_path / "cloud.yaml"
    moderated.write_text("""
programme:
  id: cloud
  version: "1"
  languages: [nl, en]
  default_language: nl
  title: {nl: "Wolk", en: "Cloud"}
  settings: {moderation: true}
  sections:
    - id: s
      title: {nl: "S", en: "S"}
      activities:
        - id: wolk
          kind: word_cloud
          prompt: {nl: "Woorden?", en: "Words?"}
""")
    with app.app_context():
        started = live.start(load_programme(moderated))
    ctl = socketio.test_client(
        app, auth={"role": "control", "code": started.code, "key": started.control_key}
    )
    ok(ctl.emit("goto", {"activity": "wolk"}, callback=True))
    p = phone(app, started.code)
    answer(p, "wolk", ["alfa", "beta", "gamma"], 0)
    with app.app_context():
        res = live.result(live.get(started.code), "wolk", "projector")[0]
    assert res["words"] == []
    ok(
        ctl.emit(
            "hide_word",
            {"activity": "wolk", "words": ["alfa", "gamma"], "hidden": False},
            callback=True,
        )
    )
    with app.app_context():
        res = live.result(live.get(started.code), "wolk", "projector")[0]
        control = live.result(live.get(started.code), "wolk")[0]
    assert [w["word"] for w in res["words"]] == ["alfa", "gamma"]
    assert [(w["word"], w["status"]) for w in control["words"]] == [
        ("alfa", "approved"),
        ("beta", "pending"),
        ("gamma", "approved"),
    ]
    refused(ctl.emit("hide_word", {"activity": "wolk", "words": []}, callback=True), "bad_payload")


def test_end_closes_everything_and_stops_joining(app, client, ws) -> None:
    ctl = screen(app, ws)
    p = phone(app, ws.code)
    ok(ctl.emit("goto", {"activity": "wolk"}, callback=True))
    ok(ctl.emit("start_timer", {"seconds": 60}, callback=True))
    ok(ctl.emit("end", {}, callback=True))
    state = ok(ctl.emit("snapshot", {}, callback=True))["state"]
    assert state["ended"] is True and state["answering"] is False and state["timer"] is None
    assert state["activity_states"]["wolk"]["status"] == "closed"
    assert state["log"][0]["action"] == "end"
    refused(
        p.emit(
            "respond", {"activity": "wolk", "value": ["x"], "client_id": "w-0000001"}, callback=True
        ),
        "closed",
    )
    assert client.post(f"/api/join/{ws.code}").get_json()["error"]["code"] == "ended"
    assert ok(p.emit("snapshot", {}, callback=True))["state"]["ended"] is True
    refused(ctl.emit("end", {"ended": "yes"}, callback=True), "bad_payload")
    ok(ctl.emit("end", {"ended": False}, callback=True))
    assert ok(ctl.emit("snapshot", {}, callback=True))["state"]["ended"] is False
