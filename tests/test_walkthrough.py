"""A whole workshop against the real server (python app.py, eventlet) with real Socket.IO clients.

The facilitator runs the Brugfiguren programme; a control and a projector screen and 30 phones
connect; the phones answer one activity of each kind with a known distribution (some change
their answer, some retry with the same client_id, some reconnect). Results, counts and error
codes are checked exactly, on the control screen, the projector and the phones.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.livesrv import (  # noqa: F401  (server is a fixture)
    BRUGFIGUREN,
    Phone,
    Refused,
    Screen,
    Server,
    create_live,
    in_parallel,
    phones,
    refusal_code,
    server,
)

pytestmark = pytest.mark.server

N_PHONES = 30
TOTAL_ACTIVITIES = 39

# ---------------------------------------------------------------- expected results (by hand)

DOELEN_RESULT = {
    "options": [
        {"id": "armoede", "count": 23, "percent": 82.1},
        {"id": "gelijke_kansen", "count": 16, "percent": 57.1},
        {"id": "rechten", "count": 9, "percent": 32.1},
        {"id": "partnerschap", "count": 8, "percent": 28.6},
        {"id": "verbindend", "count": 3, "percent": 10.7},
        {"id": "gezinnen", "count": 3, "percent": 10.7},
        {"id": "netwerk", "count": 3, "percent": 10.7},
    ],
    "respondents": 28,
    "votes": 65,
}
DOELEN_REV = 30  # 28 first answers + 2 changes; retries count nothing

SCALE_HISTOGRAM = [1, 0, 5, 0, 7, 6, 1, 4, 0, 2, 0]  # positions 0..10
SCALE_WHYS = ["Gezinnen eerst", "Beide kanten", "Schoolbeleid"]
SCALE_REV = 29  # 26 + 3 changes

ROL_FIRST_ROUND = {  # after the 29 first answers (rev 29)
    "options": [
        {"id": "aanspreekpunt", "count": 4, "percent": 13.8},
        {"id": "draaischijf", "count": 6, "percent": 20.7},
        {"id": "vertrouwensfiguur", "count": 3, "percent": 10.3},
        {"id": "verbindend", "count": 5, "percent": 17.2},
        {"id": "netwerker", "count": 1, "percent": 3.4},
        {"id": "luis_in_de_pels", "count": 10, "percent": 34.5},
    ],
    "respondents": 29,
    "votes": 29,
}
ROL_RESULT = {
    "options": [
        {"id": "aanspreekpunt", "count": 4, "percent": 13.8},
        {"id": "draaischijf", "count": 5, "percent": 17.2},
        {"id": "vertrouwensfiguur", "count": 3, "percent": 10.3},
        {"id": "verbindend", "count": 5, "percent": 17.2},
        {"id": "netwerker", "count": 3, "percent": 10.3},
        {"id": "luis_in_de_pels", "count": 9, "percent": 31.0},
    ],
    "respondents": 29,
    "votes": 29,
}
ROL_REV = 32  # 29 + 3 changes

VRAGEN = {  # phone -> text as sent
    4: "Hoe financieren jullie de brugfiguren?",
    1: "Werken jullie samen met het CLB?",
    9: "Hoeveel scholen bereiken jullie?",
    0: "Wat met de privacy van gezinnen?",
    6: "Is er een intervisiegroep?",
    2: "Hoe lang loopt het project al?",
    8: "  Kan ik de   slides krijgen?  ",
    3: "Wie stuurt de schoolcoaches aan?",
    5: "Hoe meten jullie impact? 🙂",
    7: "a" * 280,
}
VRAGEN_ENTRIES = [  # first-submitted order; phone 3's change keeps its place
    "Hoe financieren jullie de brugfiguren?",
    "Werken jullie samen met het CLB?",
    "Hoeveel scholen bereiken jullie?",
    "Wat met de privacy van gezinnen?",
    "Is er een intervisiegroep?",
    "Hoe lang loopt het project al?",
    "Kan ik de slides krijgen?",
    "Wie stuurt de schoolcoaches aan, en hoe?",
    "Hoe meten jullie impact? 🙂",
    "a" * 280,
]
VRAGEN_REV = 11


# ----------------------------------------------------------------------------- helpers


class Room:
    """The screens and phones of one live session, and what each phone should have stored."""

    def __init__(self, server: Server, code: str, control: Screen, projector: Screen,
                 phones: list[Phone]):
        self.server, self.code = server, code
        self.control, self.projector, self.phones = control, projector, phones
        self.expected: list[dict[str, Any]] = [{} for _ in phones]
        self.version = control.state["version"]

    def answer(self, i: int, activity: str, value: Any, stored: Any,
               client_id: str | None = None) -> dict[str, Any]:
        """Phone i answers; the ack must be a fresh (not duplicate) commit of ``stored``."""
        ack = self.phones[i].respond(activity, value, client_id)
        assert ack["ok"] is True, (i, activity, value, ack)
        assert ack["activity"] == activity
        assert ack["value"] == stored, (i, activity, ack)
        assert ack["duplicate"] is False, (i, activity, ack)
        self.expected[i][activity] = stored
        return ack

    def answer_all(self, activity: str, plan: dict[int, tuple[Any, Any]]) -> dict[int, str]:
        """Many phones answer at the same time; returns each phone's client_id."""
        acks = in_parallel(lambda i: (i, self.phones[i].respond(activity, plan[i][0])), plan)
        ids = {}
        for i, ack in acks:
            assert ack["ok"] is True and ack["duplicate"] is False, (i, ack)
            assert ack["value"] == plan[i][1], (i, ack)
            self.expected[i][activity] = plan[i][1]
            ids[i] = ack["client_id"]
        return ids

    def refused(self, i: int, payload: Any, code: str, event: str = "respond") -> None:
        ack = self.phones[i].call(event, payload)
        assert ack["ok"] is False, (payload, ack)
        assert ack["error"]["code"] == code, (payload, ack)
        assert isinstance(ack["error"]["message"], str) and ack["error"]["message"]

    def act(self, event: str, payload: dict[str, Any] | None = None,
            activity: str | None = None, answering: bool | None = None) -> int:
        """A control action; every connected phone, the projector and the control screen get a
        ``state`` with the new, higher version (and the given current activity)."""
        marks = [(p, len(p.states)) for p in self.phones if p.connected]
        screens = [(s, len(s.states)) for s in (self.control, self.projector)]
        ack = self.control.control(event, payload)
        version = ack["version"]
        assert version > self.version, (event, version, self.version)
        for conn, mark in marks + screens:
            state = conn.wait_state(lambda s, v=version: s["version"] == v, since=mark,
                                    what=f"state v{version} after {event}")
            assert state["code"] == self.code
            if activity is not None:
                assert state["activity"]["id"] == activity, (event, state["activity"])
                assert state["position"]["total"] == TOTAL_ACTIVITIES
            if answering is not None:
                assert state["answering"] is answering
            if isinstance(conn, Phone):
                # room broadcasts never carry one phone's answers
                assert state["answers"] is None
        self.version = version
        return version

    def check_reconnect(self, i: int) -> None:
        """A new socket with the same token gets a snapshot holding this phone's answers."""
        snap = self.phones[i].reconnect()
        assert snap["version"] == self.version
        assert snap["answers"] == self.expected[i], i
        ack = self.phones[i].call("snapshot")
        assert ack["ok"] is True and ack["state"]["answers"] == self.expected[i]


def scale_result(histogram: list[int], n: int, mean: float | None, median: float | None,
                 whys: list[str], got: dict[str, Any]) -> None:
    """Assert a scale result exactly (the why ids are participant keys: distinct strings)."""
    assert {k: v for k, v in got.items() if k != "whys"} == {
        "min": 0, "max": 10, "step": 1,
        "histogram": [{"value": v, "count": c} for v, c in enumerate(histogram)],
        "n": n, "mean": mean, "median": median,
    }
    assert [w["text"] for w in got["whys"]] == whys
    ids = [w["id"] for w in got["whys"]]
    assert all(isinstance(x, str) for x in ids) and len(set(ids)) == len(ids)


def text_result(entries: list[str], got: dict[str, Any]) -> None:
    assert got["n"] == len(entries)
    assert [e["text"] for e in got["entries"]] == entries
    ids = [e["id"] for e in got["entries"]]
    assert set(got) == {"entries", "n"} and len(set(ids)) == len(ids)


def results_message(screen: Screen, activity: str, kind: str, rev: int, respondents: int
                    ) -> dict[str, Any]:
    """The final coalesced ``results`` (exactly ``rev``) and its envelope."""
    msg = screen.wait_results(activity, rev)
    assert msg["kind"] == kind and msg["respondents"] == respondents, msg
    return msg


def revs_in_order(screen: Screen, activity: str, final: int) -> None:
    """``rev`` only grows, and nothing came after the final one."""
    revs = [r["rev"] for r in screen.results_for(activity)]
    assert revs == sorted(revs) and revs[-1] == final, (activity, revs)


# ------------------------------------------------------------------------------- the test


def test_walkthrough(server: Server) -> None:  # noqa: F811
    live = create_live(server, BRUGFIGUREN)
    code = live["code"]
    assert live["participant_url"] == f"{server.url}/j/{code}"

    # --- screens, and who may connect
    control = Screen(server, code, "control", live["control_key"]).connect()
    projector = Screen(server, code, "projector", live["projector_key"]).connect()
    first = control.state
    assert first["current"] is None and first["activity"] is None
    assert first["answering"] is False
    assert first["counts"] == {"connected": 0, "participants": 0, "answered": 0}
    assert first["links"]["control_url"] == live["control_url"]
    assert first["programme"]["id"] == "brugfiguren"
    assert projector.state["join"]["url"] == f"{server.url}/j/{code}"
    assert projector.state["results_visible"] is False and projector.state["result"] is None
    # the control link also opens the projector
    Screen(server, code, "projector", live["control_key"]).connect().close()

    for role, key, auth_code, expect in [
        ("control", "wrong-key", code, "forbidden"),
        ("control", live["projector_key"], code, "forbidden"),  # projector key is not enough
        ("projector", None, code, "forbidden"),
        ("control", live["control_key"], "Z0Z0Z0", "unknown_code"),  # 0 is never in a code
    ]:
        with pytest.raises(Refused) as refused:
            Screen(server, auth_code, role, key, reconnection=False).connect()
        assert refusal_code(refused.value.data) == expect, refused.value.data
    with pytest.raises(Refused) as refused:
        Phone(server, code, token="not-a-token", reconnection=False).connect()
    assert refusal_code(refused.value.data) == "not_participant", refused.value.data
    r = requests.post(f"{server.url}/api/join/Z0Z0Z0", timeout=5)
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_code"

    # --- 30 phones join; the first snapshot has no activity and (empty) own answers
    ps = phones(server, code, N_PHONES)
    room = Room(server, code, control, projector, ps)
    for p in ps:
        assert p.states[0]["version"] == first["version"]
        assert p.states[0]["activity"] is None and p.states[0]["answers"] == {}
    control.wait_counts({"connected": 30, "participants": 30, "answered": 0})
    projector.wait_counts({"connected": 30, "participants": 30, "answered": 0})

    # --- next, next: every phone gets the room broadcast with the new activity
    room.act("next", activity="programma", answering=False)
    assert ps[7].state["position"] == {"index": 0, "total": TOTAL_ACTIVITIES}
    room.act("next", activity="privacy", answering=False)
    assert ps[7].state["position"] == {"index": 1, "total": TOTAL_ACTIVITIES}

    # --- wrong senders and wrong payloads change nothing
    room.refused(0, {"activity": "doelen"}, "forbidden", event="goto")
    room.refused(0, {}, "forbidden", event="next")
    ack = projector.call("next")
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack
    ack = projector.call("show_results")
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack
    ack = control.call("goto", {"activity": "bestaat_niet"})
    assert ack["ok"] is False and ack["error"]["code"] == "unknown_activity", ack
    ack = control.call("goto", ["doelen"])
    assert ack["ok"] is False and ack["error"]["code"] == "bad_payload", ack
    room.refused(29, {"activity": "programma", "value": "x", "client_id": "c" * 16},
                 "not_answerable")
    room.refused(29, {"activity": "doelen", "value": ["armoede"], "client_id": "c" * 16},
                 "closed")  # never opened yet
    assert control.call("snapshot")["state"]["current"] == "privacy"

    # --- doelen (multi_choice, all 7 may be chosen): goto opens it
    room.act("goto", {"activity": "doelen"}, activity="doelen", answering=True)
    view = ps[0].state["activity"]
    assert view["kind"] == "multi_choice" and view["max_choices"] == 7
    assert [o["id"] for o in view["options"]][:2] == ["armoede", "gelijke_kansen"]
    assert control.state["activity_states"]["doelen"] == {"status": "open",
                                                          "results_visible": False}
    for payload, expect in [
        ("armoede", "bad_payload"),  # not an object
        ({"activity": "doelen", "value": ["armoede"]}, "bad_payload"),  # no client_id
        ({"activity": "doelen", "value": ["armoede"], "client_id": "short"}, "bad_payload"),
        ({"activity": "doelen", "client_id": "c" * 16}, "bad_payload"),  # no value
        ({"activity": 7, "value": ["armoede"], "client_id": "c" * 16}, "bad_payload"),
        ({"activity": "bestaat_niet", "value": ["armoede"], "client_id": "c" * 16},
         "unknown_activity"),
        ({"activity": "doelen", "value": ["armoede", "onbekend"], "client_id": "c" * 16},
         "invalid_response"),
        ({"activity": "doelen", "value": ["armoede", "armoede"], "client_id": "c" * 17},
         "invalid_response"),
        ({"activity": "doelen", "value": [], "client_id": "c" * 18}, "invalid_response"),
        ({"activity": "doelen", "value": "armoede", "client_id": "c" * 19}, "invalid_response"),
    ]:
        room.refused(28, payload, expect)

    plan: dict[int, tuple[Any, Any]] = {}
    for i in range(0, 12):
        plan[i] = (["armoede", "gelijke_kansen"], ["armoede", "gelijke_kansen"])
    for i in range(12, 20):  # sent out of order, stored in programme order
        plan[i] = (["partnerschap", "armoede", "rechten"], ["armoede", "rechten", "partnerschap"])
    for i in range(20, 25):
        plan[i] = (["gelijke_kansen"], ["gelijke_kansen"])
    for i in range(25, 28):
        plan[i] = (["netwerk", "verbindend", "gezinnen", "armoede"],
                   ["armoede", "verbindend", "gezinnen", "netwerk"])
    doelen_ids = room.answer_all("doelen", plan)
    room.answer(20, "doelen", ["rechten", "gelijke_kansen"], ["gelijke_kansen", "rechten"])
    room.answer(0, "doelen", ["armoede"], ["armoede"])
    for i in (5, 6):  # a retry after a lost ack: acknowledged again, counted once
        ack = ps[i].respond("doelen", ["armoede"], client_id=doelen_ids[i])
        assert ack == {"ok": True, "activity": "doelen", "client_id": doelen_ids[i],
                       "value": ["armoede", "gelijke_kansen"], "duplicate": True}

    msg = results_message(control, "doelen", "multi_choice", DOELEN_REV, 28)
    assert msg["result"] == DOELEN_RESULT
    assert sum(o["percent"] for o in msg["result"]["options"]) > 100  # of respondents
    hidden = results_message(projector, "doelen", "multi_choice", DOELEN_REV, 28)
    assert hidden["result"] is None  # after_close: hidden while answering is open
    assert all(r["result"] is None for r in projector.results_for("doelen"))
    control.wait_counts({"connected": 30, "participants": 30, "answered": 28})
    projector.wait_counts({"connected": 30, "participants": 30, "answered": 28})

    # reconnecting phones get their own answers back
    room.check_reconnect(3)
    room.check_reconnect(25)

    # --- close: after_close shows the result on the projector; answers are refused
    room.act("close_answering", activity="doelen", answering=False)
    assert projector.state["results_visible"] is True
    assert projector.state["result"] == DOELEN_RESULT
    assert control.state["activity_states"]["doelen"] == {"status": "closed",
                                                          "results_visible": True}
    room.refused(29, {"activity": "doelen", "value": ["netwerk"], "client_id": "late-29-a"},
                 "closed")
    room.refused(1, {"activity": "doelen", "value": ["netwerk"], "client_id": "late-01-a"},
                 "closed")
    # a retry of an answer committed before the close is still acknowledged
    ack = ps[5].respond("doelen", ["netwerk"], client_id=doelen_ids[5])
    assert ack["ok"] is True and ack["duplicate"] is True
    assert ack["value"] == ["armoede", "gelijke_kansen"]
    snap = control.call("snapshot")["state"]
    assert snap["result"] == DOELEN_RESULT and snap["counts"]["answered"] == 28

    # --- bruggencontinuum (scale 0..10 with an optional why)
    room.act("goto", {"activity": "bruggencontinuum"}, activity="bruggencontinuum",
             answering=True)
    assert ps[0].state["activity"]["scale"]["why"]["max_length"] == 280
    for value in [{"position": 11}, {"position": -1}, {"position": 4.5}, {"position": "5"},
                  {"position": True}, {"position": 3, "extra": 1}, 5, {"why": "x"},
                  {"position": 3, "why": "w" * 281}]:
        room.refused(27, {"activity": "bruggencontinuum", "value": value,
                          "client_id": "bad-scale-1"}, "invalid_response")
    positions = [2] * 5 + [4] * 7 + [5] * 6 + [7] * 4 + [9] * 2 + [10, 6]  # phones 0..25
    whys = {0: ("Omdat ik vooral met gezinnen werk", "Omdat ik vooral met gezinnen werk"),
            5: ("  Beide   kanten  ", "Beide kanten"), 12: ("   ", None),
            18: ("Schoolbeleid", "Schoolbeleid"),
            22: ("Ik zit aan de schoolkant", "Ik zit aan de schoolkant")}
    for i, position in enumerate(positions):  # one after the other: the whys' order is known
        value: dict[str, Any] = {"position": float(position) if i == 11 else position}
        why = whys.get(i)
        if why:
            value["why"] = why[0]
        room.answer(i, "bruggencontinuum", value,
                    {"position": position, "why": why[1] if why else None})
    room.answer(24, "bruggencontinuum", {"position": 0}, {"position": 0, "why": None})
    room.answer(22, "bruggencontinuum", {"position": 9}, {"position": 9, "why": None})
    room.answer(0, "bruggencontinuum", {"position": 2, "why": "Gezinnen eerst"},
                {"position": 2, "why": "Gezinnen eerst"})

    msg = results_message(control, "bruggencontinuum", "scale", SCALE_REV, 26)
    scale_result(SCALE_HISTOGRAM, 26, 4.62, 4.5, SCALE_WHYS, msg["result"])
    assert results_message(projector, "bruggencontinuum", "scale", SCALE_REV, 26)[
        "result"] is None
    control.wait_counts({"connected": 30, "participants": 30, "answered": 26})
    room.act("close_answering", activity="bruggencontinuum", answering=False)
    scale_result(SCALE_HISTOGRAM, 26, 4.62, 4.5, SCALE_WHYS, projector.state["result"])
    assert projector.state["result"] == msg["result"]

    # --- next, next, next to rol_moeilijkst: each phone follows
    room.act("next", activity="rollen_overzicht", answering=False)
    assert control.state["counts"]["answered"] == 0  # info takes no answers
    room.act("next", activity="rol_comfortabel", answering=True)
    room.act("next", activity="rol_moeilijkst", answering=True)
    assert control.state["activity_states"]["rol_comfortabel"]["status"] == "open"
    room.refused(29, {"activity": "rol_moeilijkst", "value": "bestaat_niet",
                      "client_id": "bad-rol-01"}, "invalid_response")
    room.refused(29, {"activity": "rol_moeilijkst", "value": ["draaischijf"],
                      "client_id": "bad-rol-02"}, "invalid_response")

    roles = (["luis_in_de_pels"] * 10 + ["draaischijf"] * 6 + ["verbindend"] * 5
             + ["aanspreekpunt"] * 4 + ["vertrouwensfiguur"] * 3 + ["netwerker"])  # 0..28
    rol_ids = room.answer_all("rol_moeilijkst", {i: (r, r) for i, r in enumerate(roles)})
    msg = results_message(control, "rol_moeilijkst", "single_choice", 29, 29)
    assert msg["result"] == ROL_FIRST_ROUND
    assert results_message(projector, "rol_moeilijkst", "single_choice", 29, 29)[
        "result"] is None

    # shown while answering is still open: the projector gets the full result from now on
    room.act("show_results", activity="rol_moeilijkst", answering=True)
    assert projector.state["results_visible"] is True
    assert projector.state["result"] == ROL_FIRST_ROUND
    assert projector.state["respondents"] == 29
    room.answer(0, "rol_moeilijkst", "netwerker", "netwerker")
    room.answer(1, "rol_moeilijkst", "netwerker", "netwerker")
    room.answer(10, "rol_moeilijkst", "luis_in_de_pels", "luis_in_de_pels")
    for i in (2, 3):
        ack = ps[i].respond("rol_moeilijkst", "draaischijf", client_id=rol_ids[i])
        assert ack["ok"] is True and ack["duplicate"] is True and ack["value"] == roles[i]
    msg = results_message(control, "rol_moeilijkst", "single_choice", ROL_REV, 29)
    assert msg["result"] == ROL_RESULT
    assert results_message(projector, "rol_moeilijkst", "single_choice", ROL_REV, 29)[
        "result"] == ROL_RESULT
    control.wait_counts({"connected": 30, "participants": 30, "answered": 29})
    room.act("close_answering", activity="rol_moeilijkst", answering=False)
    room.refused(29, {"activity": "rol_moeilijkst", "value": "draaischijf",
                      "client_id": "late-29-b"}, "closed")
    assert control.call("snapshot")["state"]["result"] == ROL_RESULT

    # --- vragen (open_text, shown only by hand)
    room.act("goto", {"activity": "vragen"}, activity="vragen", answering=True)
    room.refused(7, {"activity": "vragen", "value": " \n\t ", "client_id": "empty-07"},
                 "invalid_response")
    room.refused(9, {"activity": "vragen", "value": "b" * 281, "client_id": "long-text-09"},
                 "invalid_response")
    room.refused(9, {"activity": "vragen", "value": ["lijst"], "client_id": "list-value-09"},
                 "invalid_response")
    for i, text in VRAGEN.items():
        room.answer(i, "vragen", text, " ".join(text.split()))
    room.answer(3, "vragen", "Wie stuurt de schoolcoaches aan, en hoe?",
                "Wie stuurt de schoolcoaches aan, en hoe?")
    msg = results_message(control, "vragen", "open_text", VRAGEN_REV, 10)
    text_result(VRAGEN_ENTRIES, msg["result"])
    control.wait_counts({"connected": 30, "participants": 30, "answered": 10})

    room.act("close_answering", activity="vragen", answering=False)
    assert projector.state["results_visible"] is False  # manual: closing does not show
    assert projector.state["result"] is None and projector.state["respondents"] == 10
    assert all(r["result"] is None for r in projector.results_for("vragen"))
    room.act("show_results", activity="vragen", answering=False)
    assert projector.state["results_visible"] is True
    assert projector.state["result"] == msg["result"]
    assert control.state["activity_states"]["vragen"] == {"status": "closed",
                                                          "results_visible": True}

    # --- more reconnects (all four kinds answered by some), then two phones leave
    for i in (0, 3, 12, 20, 22, 24, 29):
        room.check_reconnect(i)
    assert room.expected[0] == {
        "doelen": ["armoede"],
        "bruggencontinuum": {"position": 2, "why": "Gezinnen eerst"},
        "rol_moeilijkst": "netwerker",
        "vragen": "Wat met de privacy van gezinnen?",
    }
    assert room.expected[29] == {}
    control.wait_counts({"connected": 30, "participants": 30, "answered": 10})
    ps[27].disconnect()
    ps[28].disconnect()
    control.wait_counts({"connected": 28, "participants": 30, "answered": 10})
    projector.wait_counts({"connected": 28, "participants": 30, "answered": 10})

    room.act("hide_results", activity="vragen", answering=False)
    assert projector.state["result"] is None and projector.state["results_visible"] is False
    # reconnected phones are back in the room: the last step reaches them too
    room.act("next", activity="contact_materialen", answering=False)
    assert ps[29].state["activity"]["links"][0]["url"].startswith("https://")

    # --- nothing was counted twice, nothing came late
    revs_in_order(control, "doelen", DOELEN_REV)
    revs_in_order(control, "bruggencontinuum", SCALE_REV)
    revs_in_order(control, "rol_moeilijkst", ROL_REV)
    revs_in_order(control, "vragen", VRAGEN_REV)
    assert {r["activity"] for r in control.results} == {
        "doelen", "bruggencontinuum", "rol_moeilijkst", "vragen"}
    assert all(not p.results and not p.counts for p in ps)  # phones get neither
    server.assert_no_tracebacks()
