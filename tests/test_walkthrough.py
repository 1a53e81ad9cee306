"""A whole workshop against the real server (python app.py, eventlet) with real Socket.IO clients.

The facilitator runs the Brugfiguren programme in its natural form; a control and a projector
screen and 30 phones connect; the phones answer one activity of each kind with a known
distribution (some change their answer, some retry with the same client_id, some reconnect):
a moderated word cloud, multiple choice, a scale with moderated "why" texts, single choice, the
building-block matrix, moderated open text, a ranking and the moderated Q&A with votes. Results,
counts, moderation and error codes are checked exactly, on the control screen, the projector and
the phones; at the end every screen shows exactly the expected result again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.livesrv import (
    BRUGFIGUREN,
    Phone,
    Refused,
    Screen,
    Server,
    create_live,
    in_parallel,
    phones,
    refusal_code,
)

pytestmark = pytest.mark.server

N_PHONES = 30
TOTAL_ACTIVITIES = 40

# ---------------------------------------------------------------- expected results (by hand)

# problematieken_woordwolk (word cloud, at most 3 words of 40 characters, moderated):
# phone -> (sent, stored). "de", "the" and "and" are stop words: stored, never counted.
WOLK_PLAN: dict[int, tuple[Any, Any]] = {}
for _i in range(0, 10):
    WOLK_PLAN[_i] = (["Armoede", "Taal", "de"], ["armoede", "taal", "de"])
for _i in range(10, 16):
    WOLK_PLAN[_i] = (
        [" ARMOEDE ", "huisvesting!", "Wachtlijsten"],
        ["armoede", "huisvesting", "wachtlijsten"],
    )
for _i in range(16, 20):  # a repeated word once; inner spaces collapsed
    WOLK_PLAN[_i] = (
        ["schulden", "Schulden.", "  psychisch   welzijn "],
        ["schulden", "psychisch welzijn"],
    )
for _i in (20, 21):
    WOLK_PLAN[_i] = (["Familie Peeters", "«taal»"], ["familie peeters", "taal"])
WOLK_PLAN[22] = (["the", "and"], ["the", "and"])  # a respondent without a counted word
WOLK_PLAN[23] = ("Één woord", ["één woord"])  # one string is one entry; accents kept
WOLK_PLAN[24] = (["Een woord"], ["een woord"])  # "een" and "één" are different words
WOLK_CHANGE = (["armoede", "SCHULDEN"], ["armoede", "schulden"])  # phone 0, after the others
WOLK_RESPONDENTS = 25
WOLK_FIRST = [  # control, before any moderation (rev 26): everything pending
    ("armoede", 16),
    ("taal", 11),
    ("huisvesting", 6),
    ("wachtlijsten", 6),
    ("schulden", 5),
    ("psychisch welzijn", 4),
    ("familie peeters", 2),
    ("een woord", 1),
    ("één woord", 1),
]
WOLK_APPROVE = [
    "armoede",
    "taal",
    "huisvesting",
    "wachtlijsten",
    "schulden",
    "psychisch welzijn",
    "één woord",
]
WOLK_HIDE = "familie peeters"
WOLK_RESULT = {
    "words": [
        {"word": "armoede", "count": 16, "status": "approved"},
        {"word": "taal", "count": 11, "status": "approved"},
        {"word": "huisvesting", "count": 6, "status": "approved"},
        {"word": "wachtlijsten", "count": 6, "status": "approved"},
        {"word": "schulden", "count": 5, "status": "approved"},
        {"word": "psychisch welzijn", "count": 4, "status": "approved"},
        {"word": "een woord", "count": 1, "status": "pending"},
        {"word": "één woord", "count": 1, "status": "approved"},
    ],
    "hidden": [{"word": "familie peeters", "count": 2}],
    "respondents": 25,
}
WOLK_PUBLIC = {  # approved words only, no statuses, no hidden list
    "words": [
        {"word": "armoede", "count": 16},
        {"word": "taal", "count": 11},
        {"word": "huisvesting", "count": 6},
        {"word": "wachtlijsten", "count": 6},
        {"word": "schulden", "count": 5},
        {"word": "psychisch welzijn", "count": 4},
        {"word": "één woord", "count": 1},
    ],
    "respondents": 25,
}
WOLK_REV = 34  # 25 answers + 1 change + 8 moderated words; retries count nothing

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
# the "why" texts (phone, text) in first-sent order; all wait for approval
SCALE_WHYS = [(0, "Gezinnen eerst"), (5, "Beide kanten"), (18, "Schoolbeleid")]
SCALE_ANSWERS_REV = 29  # 26 + 3 changes
SCALE_REV = 32  # + approve phone 0's, hide phone 5's (before closing), approve phone 18's

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

BLOKKEN = ["kennen", "visie", "rollen", "ouders", "communicatie", "randvoorwaarden"]
MATRIX_ALL = {
    "kennen": "makkelijk",
    "visie": "uitdaging",
    "rollen": "uitdaging",
    "ouders": "weet_niet",
    "communicatie": "makkelijk",
    "randvoorwaarden": "uitdaging",
}
MATRIX_PLAN: dict[int, tuple[Any, Any]] = {}
for _i in range(0, 10):  # every block rated
    MATRIX_PLAN[_i] = (dict(MATRIX_ALL), dict(MATRIX_ALL))
for _i in range(10, 18):  # sent in reverse order, stored in programme order
    MATRIX_PLAN[_i] = (
        {"randvoorwaarden": "uitdaging", "visie": "makkelijk", "kennen": "makkelijk"},
        {"kennen": "makkelijk", "visie": "makkelijk", "randvoorwaarden": "uitdaging"},
    )
for _i in range(18, 22):
    MATRIX_PLAN[_i] = (
        {"ouders": "uitdaging", "rollen": "makkelijk"},
        {"rollen": "makkelijk", "ouders": "uitdaging"},
    )
for _i in (22, 23):
    MATRIX_PLAN[_i] = ({"randvoorwaarden": "weet_niet"}, {"randvoorwaarden": "weet_niet"})
MATRIX_CHANGE = {"kennen": "uitdaging"}  # phone 5 keeps only one block


def _item(
    item: str, makkelijk: int, uitdaging: int, weet_niet: int, percents: tuple[float, float, float]
) -> dict[str, Any]:
    return {
        "id": item,
        "n": makkelijk + uitdaging + weet_niet,
        "counts": {"makkelijk": makkelijk, "uitdaging": uitdaging, "weet_niet": weet_niet},
        "percents": dict(zip(("makkelijk", "uitdaging", "weet_niet"), percents, strict=True)),
    }


MATRIX_RESULT = {
    "items": [
        _item("kennen", 17, 1, 0, (94.4, 5.6, 0.0)),
        _item("visie", 8, 9, 0, (47.1, 52.9, 0.0)),
        _item("rollen", 4, 9, 0, (30.8, 69.2, 0.0)),
        _item("ouders", 0, 4, 9, (0.0, 30.8, 69.2)),
        _item("communicatie", 9, 0, 0, (100.0, 0.0, 0.0)),
        _item("randvoorwaarden", 0, 17, 2, (0.0, 89.5, 10.5)),
    ],
    "ratings": ["makkelijk", "uitdaging", "weet_niet"],
    "respondents": 24,
}
MATRIX_REV = 25  # 24 + 1 change

TOELICHTING = {  # phone -> text as sent (one after the other: this is the first-sent order)
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
TOELICHTING_CHANGED = "Wie stuurt de schoolcoaches aan, en hoe?"  # phone 3, after approval
TOELICHTING_APPROVE = [4, 1, 8, 5, 3]
TOELICHTING_HIDE = 7
TOELICHTING_STATUS = {
    4: "approved",
    1: "approved",
    9: "pending",
    0: "pending",
    6: "pending",
    2: "pending",
    8: "approved",
    3: "approved",
    5: "approved",
    7: "hidden",
}
TOELICHTING_PUBLIC_TEXTS = [
    "Hoe financieren jullie de brugfiguren?",
    "Werken jullie samen met het CLB?",
    "Kan ik de slides krijgen?",
    "Wie stuurt de schoolcoaches aan, en hoe?",
    "Hoe meten jullie impact? 🙂",
]
TOELICHTING_REV = 18  # 10 texts + approve 3 + change 3 + approve 5 + hide 1

RANG = {  # phone -> ranking (first = easiest)
    **{
        i: ["kennen", "visie", "rollen", "ouders", "communicatie", "randvoorwaarden"]
        for i in range(0, 4)
    },
    **{
        i: ["communicatie", "kennen", "ouders", "visie", "randvoorwaarden", "rollen"]
        for i in (4, 5)
    },
    **{
        i: ["randvoorwaarden", "communicatie", "visie", "kennen", "rollen", "ouders"]
        for i in (6, 7)
    },
    8: ["visie", "rollen", "kennen", "communicatie", "ouders", "randvoorwaarden"],
}
RANG_RESULT = {
    "options": [
        {"id": "kennen", "mean_rank": 2.11, "first": 4, "first_percent": 44.4},
        {"id": "visie", "mean_rank": 2.56, "first": 1, "first_percent": 11.1},
        {"id": "rollen", "mean_rank": 4.0, "first": 0, "first_percent": 0.0},
        {"id": "ouders", "mean_rank": 4.33, "first": 0, "first_percent": 0.0},
        {"id": "communicatie", "mean_rank": 3.33, "first": 2, "first_percent": 22.2},
        {"id": "randvoorwaarden", "mean_rank": 4.67, "first": 2, "first_percent": 22.2},
    ],
    "respondents": 9,
}
RANG_REV = 9

# vragen (Q&A, moderated): questions in the order they are asked, (phone, sent, stored)
QUESTIONS = [
    (4, "Hoe financieren jullie de brugfiguren?", "Hoe financieren jullie de brugfiguren?"),
    (9, "Hoeveel scholen bereiken jullie?", "Hoeveel scholen bereiken jullie?"),
    (2, "Hoe lang loopt het project al?", "Hoe lang loopt het project al?"),
    (6, "Is er een intervisiegroep?", "Is er een intervisiegroep?"),
    (15, "Kan ik de slides krijgen?", "Kan ik de slides krijgen?"),
    (13, "Wat met de juf van 3B in school X?", "Wat met de juf van 3B in school X?"),
    (17, "  Bestaat er een   draaiboek?  ", "Bestaat er een draaiboek?"),
    (2, "Komt er een vervolgsessie?", "Komt er een vervolgsessie?"),  # phone 2's second
    (20, "Hoe meten jullie impact?", "Hoe meten jullie impact?"),
    (11, "Wie is het aanspreekpunt bij de stad?", "Wie is het aanspreekpunt bij de stad?"),
]
Q_APPROVE = [0, 1, 2, 3, 4, 6, 7]
Q_HIDE = 5
Q_PENDING = [8, 9]
Q_VOTERS = {  # question index -> phones that vote for it (phone 4 votes for its own question)
    0: range(0, 12),
    1: range(0, 5),
    2: range(10, 18),
    3: (20, 21),
    4: range(0, 15),
    6: range(5, 10),
}
Q_UNVOTE = (11, 0)  # phone 11 takes its vote for question 0 back
Q_PIN, Q_ANSWERED = 3, 4
# pinned first, then most votes, then oldest: (question index, votes, pinned, answered)
Q_ORDER = [
    (3, 2, True, False),
    (4, 15, False, True),
    (0, 11, False, False),
    (2, 8, False, False),
    (1, 5, False, False),
    (6, 5, False, False),
    (7, 0, False, False),
]
Q_CONTROL_ORDER = [3, 4, 0, 2, 1, 6, 5, 7, 8, 9]  # the hidden one (5) is older than 7
Q_ASKERS = 9  # phone 2 asked two
VRAGEN_REV = 68  # 10 asks + 8 moderations + 47 votes + 1 vote taken back + pin + answered


# ----------------------------------------------------------------------------- helpers


class Room:
    """The screens and phones of one live session, and what each phone should have stored."""

    def __init__(
        self,
        server: Server,
        code: str,
        control: Screen,
        projector: Screen,  # noqa: F811
        phones: list[Phone],
        live: dict[str, Any],
    ):
        self.server, self.code, self.live = server, code, live
        self.control, self.projector, self.phones = control, projector, phones
        self.expected: list[dict[str, Any]] = [{} for _ in phones]
        self.version = control.state["version"]
        #: activity -> (the control screen's final result, the projector's)
        self.finals: dict[str, tuple[Any, Any]] = {}
        self.stopped: str | None = None

    def run(self, step: Callable[[Room], None]) -> None:
        """A step of the walkthrough, unless one before it failed (then it is skipped)."""
        if self.stopped is not None:
            pytest.skip(f"the walkthrough stopped at {self.stopped}, which this step goes on from")
        try:
            step(self)
        except BaseException:
            self.stopped = step.__name__
            raise

    def answer(
        self, i: int, activity: str, value: Any, stored: Any, client_id: str | None = None
    ) -> dict[str, Any]:
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
        acks = in_parallel(
            lambda i: (i, self.phones[i].respond(activity, plan[i][0])), plan, workers=15
        )
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

    def act(
        self,
        event: str,
        payload: dict[str, Any] | None = None,
        activity: str | None = None,
        answering: bool | None = None,
    ) -> int:
        """A control action; every connected phone, the projector and the control screen get a
        ``state`` with the new, higher version (and the given current activity)."""
        marks = [(p, len(p.states)) for p in self.phones if p.connected]
        screens = [(s, len(s.states)) for s in (self.control, self.projector)]
        ack = self.control.control(event, payload)
        version = ack["version"]
        assert version > self.version, (event, version, self.version)
        for conn, mark in marks + screens:
            state = conn.wait_state(
                lambda s, v=version: s["version"] == v,
                since=mark,
                what=f"state v{version} after {event}",
            )
            assert state["code"] == self.code
            if activity is not None:
                assert state["activity"]["id"] == activity, (event, state["activity"])
                assert state["position"]["total"] == TOTAL_ACTIVITIES
            if answering is not None:
                assert state["answering"] is answering
            if isinstance(conn, Phone):
                # room broadcasts never carry one phone's answers or questions
                assert state["answers"] is None and state["qna"] is None
        self.version = version
        return version

    def control_call(self, event: str, payload: Any = None) -> dict[str, Any]:
        """A control event's ack, retried (bounded) while rate limited."""
        return self.control.call_retrying(event, payload, timeout=5)

    def control_refused(self, event: str, payload: Any, code: str) -> None:
        """A control event that must be refused with ``code``."""
        ack = self.control_call(event, payload)
        assert ack["ok"] is False and ack["error"]["code"] == code, (event, payload, ack)

    def moderate(self, activity: str, entry: str, action: str) -> None:
        """Moderation changes a result, not what the screens show: no new state version."""
        ack = self.control.control(
            "moderate", {"activity": activity, "entry": entry, "action": action}
        )
        assert ack == {"ok": True, "version": self.version}, ack

    def check_reconnect(self, i: int) -> dict[str, Any]:
        """A new socket with the same token gets a snapshot holding this phone's answers."""
        snap = self.phones[i].reconnect()
        assert snap["version"] == self.version
        assert snap["answers"] == self.expected[i], i
        ack = self.phones[i].call("snapshot")
        assert ack["ok"] is True and ack["state"]["answers"] == self.expected[i]
        return snap


def scale_result(
    histogram: list[int],
    n: int,
    mean: float | None,
    median: float | None,
    whys: list[tuple[str, str | None]],
    got: dict[str, Any],
) -> None:
    """Assert a scale result exactly: ``whys`` are (text, status) in order, status None on the
    projector (which gets no status); the why ids are opaque, distinct strings."""
    assert {k: v for k, v in got.items() if k != "whys"} == {
        "min": 0,
        "max": 10,
        "step": 1,
        "histogram": [{"value": v, "count": c} for v, c in enumerate(histogram)],
        "n": n,
        "mean": mean,
        "median": median,
    }
    assert [(w["text"], w.get("status")) for w in got["whys"]] == whys
    for w in got["whys"]:
        assert set(w) == ({"id", "text", "status"} if w.get("status") else {"id", "text"}), w
    ids = [w["id"] for w in got["whys"]]
    assert all(isinstance(x, str) for x in ids) and len(set(ids)) == len(ids)


def results_message(
    screen: Screen, activity: str, kind: str, rev: int, respondents: int
) -> dict[str, Any]:
    """The final coalesced ``results`` (exactly ``rev``) and its envelope."""
    msg = screen.wait_results(activity, rev)
    assert msg["kind"] == kind and msg["respondents"] == respondents, msg
    return msg


def revs_in_order(screen: Screen, activity: str, final: int) -> None:
    """``rev`` only grows, and nothing came after the final one."""
    revs = [r["rev"] for r in screen.results_for(activity)]
    assert revs == sorted(revs) and revs[-1] == final, (activity, revs)


def last_questions(phone: Phone) -> dict[str, Any] | None:
    """The newest ``questions`` the phone got: the one with the highest rev (python-engineio's
    client handles each message in a thread of its own, so the list is not always in the order
    the messages arrived)."""
    with phone._cond:
        return max(phone.questions, key=lambda q: q["rev"]) if phone.questions else None


# ------------------------------------------------------------------------------- the steps


def enter_room(server: Server) -> Room:
    """The live session of the walkthrough: the Brugfiguren programme, a control and a
    projector screen, and 30 phones joined (one after the other) and connected."""
    live = create_live(server, BRUGFIGUREN)
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"]).connect()
    projector = Screen(server, code, "projector", live["projector_key"]).connect()
    ps = phones(server, code, N_PHONES)
    return Room(server, code, control, projector, ps, live)


def opening(room: Room) -> None:
    """Who may connect, the phones' first snapshots, next, and wrong senders."""
    server, control, projector, ps = room.server, room.control, room.projector, room.phones
    live, code = room.live, room.code
    assert live["participant_url"] == f"{server.url}/j/{code}"

    # --- screens, and who may connect
    first = control.states[0]  # before the phones joined
    assert first["current"] is None and first["activity"] is None
    assert first["answering"] is False
    assert first["counts"] == {"connected": 0, "participants": 0, "answered": 0}
    assert first["links"]["control_url"] == live["control_url"]
    assert first["programme"]["id"] == "brugfiguren"
    assert projector.states[0]["join"]["url"] == f"{server.url}/j/{code}"
    assert projector.states[0]["results_visible"] is False and projector.states[0]["result"] is None
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
    room.refused(
        0, {"activity": "vragen", "entry": "x", "action": "approve"}, "forbidden", event="moderate"
    )
    room.refused(
        0,
        {"activity": "problematieken_woordwolk", "word": "taal", "hidden": True},
        "forbidden",
        event="hide_word",
    )
    ack = projector.call("next")
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack
    ack = projector.call("show_results")
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack
    room.control_refused("goto", {"activity": "bestaat_niet"}, "unknown_activity")
    room.control_refused("goto", ["doelen"], "bad_payload")
    room.refused(
        29, {"activity": "programma", "value": "x", "client_id": "c" * 16}, "not_answerable"
    )
    room.refused(
        29, {"activity": "doelen", "value": ["armoede"], "client_id": "c" * 16}, "closed"
    )  # never opened yet
    room.refused(
        29,
        {"activity": "vragen", "text": "Mag dit al?", "client_id": "c" * 16},
        "closed",
        event="ask",
    )
    assert room.control_call("snapshot")["state"]["current"] == "privacy"


def word_cloud(room: Room) -> None:
    """problematieken_woordwolk: a moderated word cloud."""
    control, projector, ps = room.control, room.projector, room.phones
    # --- problematieken_woordwolk (word cloud, moderated): goto opens it
    room.act(
        "goto",
        {"activity": "problematieken_woordwolk"},
        activity="problematieken_woordwolk",
        answering=True,
    )
    view = ps[0].state["activity"]
    assert view["kind"] == "word_cloud" and view["moderated"] is True
    assert (view["max_words"], view["max_length"]) == (3, 40)
    assert view["timer"] == {"seconds": 90, "auto_close": True}
    assert "presenter_notes" not in view and control.state["activity"]["presenter_notes"]["nl"]
    for value in [
        ["a", "b", "c", "d"],
        ["x" * 41],
        ["!!!"],
        [],
        "  ",
        5,
        {"w": "armoede"},
        ["armoede", 3],
    ]:
        room.refused(
            28,
            {"activity": "problematieken_woordwolk", "value": value, "client_id": "bad-wolk-1"},
            "invalid_response",
        )
    wolk_ids = room.answer_all("problematieken_woordwolk", WOLK_PLAN)
    room.answer(0, "problematieken_woordwolk", *WOLK_CHANGE)
    ack = ps[5].respond(
        "problematieken_woordwolk", WOLK_PLAN[5][0], client_id=wolk_ids[5]
    )  # a retry: counted once
    # the same id for another value is no retry: refused, nothing stored (issue 12)
    room.refused(
        5,
        {
            "activity": "problematieken_woordwolk",
            "value": ["iets anders"],
            "client_id": wolk_ids[5],
        },
        "client_id_reused",
    )
    assert ack == {
        "ok": True,
        "activity": "problematieken_woordwolk",
        "client_id": wolk_ids[5],
        "value": WOLK_PLAN[5][1],
        "duplicate": True,
    }
    msg = results_message(control, "problematieken_woordwolk", "word_cloud", 26, WOLK_RESPONDENTS)
    assert msg["result"] == {
        "words": [{"word": w, "count": c, "status": "pending"} for w, c in WOLK_FIRST],
        "hidden": [],
        "respondents": WOLK_RESPONDENTS,
    }
    control.wait_counts({"connected": 30, "participants": 30, "answered": WOLK_RESPONDENTS})
    # the facilitator approves words (and hides a name): each is a new state for every screen
    for word in WOLK_APPROVE:
        room.act(
            "hide_word",
            {"activity": "problematieken_woordwolk", "word": word, "hidden": False},
            activity="problematieken_woordwolk",
        )
    room.act(
        "hide_word",
        {"activity": "problematieken_woordwolk", "word": WOLK_HIDE, "hidden": True},
        activity="problematieken_woordwolk",
    )
    room.control_refused(
        "hide_word",
        {"activity": "problematieken_woordwolk", "word": "taal", "hidden": "ja"},
        "bad_payload",
    )
    room.control_refused(
        "hide_word", {"activity": "doelen", "word": "taal", "hidden": True}, "bad_payload"
    )
    msg = results_message(
        control, "problematieken_woordwolk", "word_cloud", WOLK_REV, WOLK_RESPONDENTS
    )
    assert msg["result"] == WOLK_RESULT
    assert all(r["result"] is None for r in projector.results_for("problematieken_woordwolk"))
    room.act("close_answering", activity="problematieken_woordwolk", answering=False)
    assert projector.state["results_visible"] is True
    assert projector.state["result"] == WOLK_PUBLIC
    assert control.state["result"] == WOLK_RESULT
    log = control.state["log"]
    assert [(e["action"], e["activity"], e["detail"]) for e in log[:8]] == [
        ("hide_word", "problematieken_woordwolk", {"word": WOLK_HIDE})
    ] + [("show_word", "problematieken_woordwolk", {"word": w}) for w in reversed(WOLK_APPROVE)]
    room.refused(
        1,
        {"activity": "problematieken_woordwolk", "value": ["taal"], "client_id": "late-wolk-1"},
        "closed",
    )


def multi_choice(room: Room) -> None:
    """doelen: multiple choice, retries, reconnects and the close."""
    control, projector, ps = room.control, room.projector, room.phones
    # --- doelen (multi_choice, all 7 may be chosen): goto opens it
    room.act("goto", {"activity": "doelen"}, activity="doelen", answering=True)
    view = ps[0].state["activity"]
    assert view["kind"] == "multi_choice" and view["max_choices"] == 7
    assert [o["id"] for o in view["options"]][:2] == ["armoede", "gelijke_kansen"]
    assert control.state["activity_states"]["doelen"] == {
        "status": "open",
        "results_visible": False,
    }
    for payload, expect in [
        ("armoede", "bad_payload"),  # not an object
        ({"activity": "doelen", "value": ["armoede"]}, "bad_payload"),  # no client_id
        ({"activity": "doelen", "value": ["armoede"], "client_id": "short"}, "bad_payload"),
        ({"activity": "doelen", "client_id": "c" * 16}, "bad_payload"),  # no value
        ({"activity": 7, "value": ["armoede"], "client_id": "c" * 16}, "bad_payload"),
        (
            {"activity": "bestaat_niet", "value": ["armoede"], "client_id": "c" * 16},
            "unknown_activity",
        ),
        (
            {"activity": "doelen", "value": ["armoede", "onbekend"], "client_id": "c" * 16},
            "invalid_response",
        ),
        (
            {"activity": "doelen", "value": ["armoede", "armoede"], "client_id": "c" * 17},
            "invalid_response",
        ),
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
        plan[i] = (
            ["netwerk", "verbindend", "gezinnen", "armoede"],
            ["armoede", "verbindend", "gezinnen", "netwerk"],
        )
    doelen_ids = room.answer_all("doelen", plan)
    room.answer(20, "doelen", ["rechten", "gelijke_kansen"], ["gelijke_kansen", "rechten"])
    room.answer(0, "doelen", ["armoede"], ["armoede"])
    for i in (5, 6):  # a retry after a lost ack: acknowledged again, counted once
        room.refused(  # the same id for another value is no retry (issue 12)
            i,
            {"activity": "doelen", "value": ["armoede"], "client_id": doelen_ids[i]},
            "client_id_reused",
        )
        ack = ps[i].respond("doelen", plan[i][0], client_id=doelen_ids[i])
        assert ack == {
            "ok": True,
            "activity": "doelen",
            "client_id": doelen_ids[i],
            "value": ["armoede", "gelijke_kansen"],
            "duplicate": True,
        }

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
    assert control.state["activity_states"]["doelen"] == {
        "status": "closed",
        "results_visible": True,
    }
    room.refused(
        29, {"activity": "doelen", "value": ["netwerk"], "client_id": "late-29-a"}, "closed"
    )
    room.refused(
        1, {"activity": "doelen", "value": ["netwerk"], "client_id": "late-01-a"}, "closed"
    )
    # a retry of an answer committed before the close is still acknowledged
    ack = ps[5].respond("doelen", plan[5][0], client_id=doelen_ids[5])
    assert ack["ok"] is True and ack["duplicate"] is True
    assert ack["value"] == ["armoede", "gelijke_kansen"]
    snap = room.control_call("snapshot")["state"]
    assert snap["result"] == DOELEN_RESULT and snap["counts"]["answered"] == 28


def scale(room: Room) -> None:
    """bruggencontinuum: a scale with a moderated why."""
    control, projector, ps = room.control, room.projector, room.phones
    # --- bruggencontinuum (scale 0..10 with an optional, moderated why)
    room.act("goto", {"activity": "bruggencontinuum"}, activity="bruggencontinuum", answering=True)
    assert ps[0].state["activity"]["scale"]["why"]["max_length"] == 280
    for value in [
        {"position": 11},
        {"position": -1},
        {"position": 4.5},
        {"position": "5"},
        {"position": True},
        {"position": 3, "extra": 1},
        5,
        {"why": "x"},
        {"position": 3, "why": "w" * 281},
    ]:
        room.refused(
            27,
            {"activity": "bruggencontinuum", "value": value, "client_id": "bad-scale-1"},
            "invalid_response",
        )
    positions = [2] * 5 + [4] * 7 + [5] * 6 + [7] * 4 + [9] * 2 + [10, 6]  # phones 0..25
    whys = {
        0: ("Omdat ik vooral met gezinnen werk", "Omdat ik vooral met gezinnen werk"),
        5: ("  Beide   kanten  ", "Beide kanten"),
        12: ("   ", None),
        18: ("Schoolbeleid", "Schoolbeleid"),
        22: ("Ik zit aan de schoolkant", "Ik zit aan de schoolkant"),
    }
    for i, position in enumerate(positions):  # one after the other: the whys' order is known
        value: dict[str, Any] = {"position": float(position) if i == 11 else position}
        why = whys.get(i)
        if why:
            value["why"] = why[0]
        room.answer(
            i, "bruggencontinuum", value, {"position": position, "why": why[1] if why else None}
        )
    room.answer(24, "bruggencontinuum", {"position": 0}, {"position": 0, "why": None})
    room.answer(22, "bruggencontinuum", {"position": 9}, {"position": 9, "why": None})
    room.answer(
        0,
        "bruggencontinuum",
        {"position": 2, "why": "Gezinnen eerst"},
        {"position": 2, "why": "Gezinnen eerst"},
    )

    msg = results_message(control, "bruggencontinuum", "scale", SCALE_ANSWERS_REV, 26)
    scale_result(
        SCALE_HISTOGRAM, 26, 4.62, 4.5, [(t, "pending") for _, t in SCALE_WHYS], msg["result"]
    )
    why_ids = {
        phone: w["id"] for (phone, _), w in zip(SCALE_WHYS, msg["result"]["whys"], strict=True)
    }
    assert (
        results_message(projector, "bruggencontinuum", "scale", SCALE_ANSWERS_REV, 26)["result"]
        is None
    )
    control.wait_counts({"connected": 30, "participants": 30, "answered": 26})
    room.control_refused(
        "moderate",
        {"activity": "bruggencontinuum", "entry": "onbekend", "action": "approve"},
        "unknown_entry",
    )
    # pinning is for questions only
    room.control_refused(
        "moderate",
        {"activity": "bruggencontinuum", "entry": why_ids[0], "action": "pin"},
        "bad_payload",
    )
    room.moderate("bruggencontinuum", why_ids[0], "approve")
    room.moderate("bruggencontinuum", why_ids[5], "hide")
    msg = results_message(control, "bruggencontinuum", "scale", SCALE_ANSWERS_REV + 2, 26)
    scale_result(
        SCALE_HISTOGRAM,
        26,
        4.62,
        4.5,
        [("Gezinnen eerst", "approved"), ("Beide kanten", "hidden"), ("Schoolbeleid", "pending")],
        msg["result"],
    )
    room.act("close_answering", activity="bruggencontinuum", answering=False)
    # the projector lists the approved why only; histogram, n, mean and median are complete
    scale_result(
        SCALE_HISTOGRAM, 26, 4.62, 4.5, [("Gezinnen eerst", None)], projector.state["result"]
    )
    assert projector.state["result"]["whys"][0]["id"] == why_ids[0]
    # approving after the close reaches the projector at once
    room.moderate("bruggencontinuum", why_ids[18], "approve")
    msg = results_message(control, "bruggencontinuum", "scale", SCALE_REV, 26)
    scale_final = msg["result"]
    scale_result(
        SCALE_HISTOGRAM,
        26,
        4.62,
        4.5,
        [("Gezinnen eerst", "approved"), ("Beide kanten", "hidden"), ("Schoolbeleid", "approved")],
        scale_final,
    )
    scale_public = results_message(projector, "bruggencontinuum", "scale", SCALE_REV, 26)["result"]
    scale_result(
        SCALE_HISTOGRAM,
        26,
        4.62,
        4.5,
        [("Gezinnen eerst", None), ("Schoolbeleid", None)],
        scale_public,
    )
    assert [w["id"] for w in scale_public["whys"]] == [why_ids[0], why_ids[18]]
    log = room.control_call("snapshot")["state"]["log"]
    assert [(e["action"], e["activity"], e["detail"]) for e in log[:3]] == [
        ("moderate", "bruggencontinuum", {"entry": why_ids[18], "action": "approve"}),
        ("moderate", "bruggencontinuum", {"entry": why_ids[5], "action": "hide"}),
        ("moderate", "bruggencontinuum", {"entry": why_ids[0], "action": "approve"}),
    ]
    room.finals["bruggencontinuum"] = (scale_final, scale_public)


def single_choice(room: Room) -> None:
    """rol_moeilijkst: single choice, shown while answering is open."""
    control, projector, ps = room.control, room.projector, room.phones
    # --- next, next, next to rol_moeilijkst: each phone follows
    room.act("next", activity="rollen_overzicht", answering=False)
    assert control.state["counts"]["answered"] == 0  # info takes no answers
    room.act("next", activity="rol_comfortabel", answering=True)
    room.act("next", activity="rol_moeilijkst", answering=True)
    # the activity left behind closed (issue 13: answering is never ambiguous)
    assert control.state["activity_states"]["rol_comfortabel"]["status"] == "closed"
    room.refused(
        29,
        {"activity": "rol_moeilijkst", "value": "bestaat_niet", "client_id": "bad-rol-01"},
        "invalid_response",
    )
    room.refused(
        29,
        {"activity": "rol_moeilijkst", "value": ["draaischijf"], "client_id": "bad-rol-02"},
        "invalid_response",
    )

    roles = (
        ["luis_in_de_pels"] * 10
        + ["draaischijf"] * 6
        + ["verbindend"] * 5
        + ["aanspreekpunt"] * 4
        + ["vertrouwensfiguur"] * 3
        + ["netwerker"]
    )  # 0..28
    rol_ids = room.answer_all("rol_moeilijkst", {i: (r, r) for i, r in enumerate(roles)})
    msg = results_message(control, "rol_moeilijkst", "single_choice", 29, 29)
    assert msg["result"] == ROL_FIRST_ROUND
    assert results_message(projector, "rol_moeilijkst", "single_choice", 29, 29)["result"] is None

    # shown while answering is still open: the projector gets the full result from now on
    room.act("show_results", activity="rol_moeilijkst", answering=True)
    assert projector.state["results_visible"] is True
    assert projector.state["result"] == ROL_FIRST_ROUND
    assert projector.state["respondents"] == 29
    room.answer(0, "rol_moeilijkst", "netwerker", "netwerker")
    room.answer(1, "rol_moeilijkst", "netwerker", "netwerker")
    room.answer(10, "rol_moeilijkst", "luis_in_de_pels", "luis_in_de_pels")
    for i in (2, 3):
        ack = ps[i].respond("rol_moeilijkst", roles[i], client_id=rol_ids[i])  # a retry
        assert ack["ok"] is True and ack["duplicate"] is True and ack["value"] == roles[i]
        room.refused(  # the same id for another value is no retry (issue 12)
            i,
            {"activity": "rol_moeilijkst", "value": "draaischijf", "client_id": rol_ids[i]},
            "client_id_reused",
        )
    msg = results_message(control, "rol_moeilijkst", "single_choice", ROL_REV, 29)
    assert msg["result"] == ROL_RESULT
    assert (
        results_message(projector, "rol_moeilijkst", "single_choice", ROL_REV, 29)["result"]
        == ROL_RESULT
    )
    control.wait_counts({"connected": 30, "participants": 30, "answered": 29})
    room.act("close_answering", activity="rol_moeilijkst", answering=False)
    room.refused(
        29,
        {"activity": "rol_moeilijkst", "value": "draaischijf", "client_id": "late-29-b"},
        "closed",
    )
    assert room.control_call("snapshot")["state"]["result"] == ROL_RESULT


def matrix(room: Room) -> None:
    """bouwstenen_matrix: one rating per building block."""
    control, projector, ps = room.control, room.projector, room.phones
    # --- bouwstenen_matrix: one rating per building block
    room.act(
        "goto", {"activity": "bouwstenen_matrix"}, activity="bouwstenen_matrix", answering=True
    )
    view = ps[0].state["activity"]
    assert view["kind"] == "matrix" and [i["id"] for i in view["items"]] == BLOKKEN
    assert [(r["id"], r["polarity"]) for r in view["ratings"]] == [
        ("makkelijk", "positive"),
        ("uitdaging", "negative"),
        ("weet_niet", "neutral"),
    ]
    for value in [
        {},
        {"kennen": "super"},
        {"onbekend": "makkelijk"},
        "makkelijk",
        ["kennen", "makkelijk"],
        {"kennen": 1},
    ]:
        room.refused(
            28,
            {"activity": "bouwstenen_matrix", "value": value, "client_id": "bad-matrix-1"},
            "invalid_response",
        )
    matrix_ids = room.answer_all("bouwstenen_matrix", MATRIX_PLAN)
    room.answer(5, "bouwstenen_matrix", MATRIX_CHANGE, MATRIX_CHANGE)
    ack = ps[6].respond("bouwstenen_matrix", MATRIX_PLAN[6][0], client_id=matrix_ids[6])
    assert ack["ok"] is True and ack["duplicate"] is True and ack["value"] == MATRIX_ALL
    room.refused(  # the same id for another value is no retry (issue 12)
        6,
        {"activity": "bouwstenen_matrix", "value": MATRIX_CHANGE, "client_id": matrix_ids[6]},
        "client_id_reused",
    )
    msg = results_message(control, "bouwstenen_matrix", "matrix", MATRIX_REV, 24)
    assert msg["result"] == MATRIX_RESULT
    control.wait_counts({"connected": 30, "participants": 30, "answered": 24})
    room.act("close_answering", activity="bouwstenen_matrix", answering=False)
    assert projector.state["result"] == MATRIX_RESULT  # nothing to filter in a matrix


def open_text(room: Room) -> None:
    """bouwstenen_uitdagingen_toelichting: moderated open text."""
    control, projector, ps = room.control, room.projector, room.phones
    # --- bouwstenen_uitdagingen_toelichting (open text, moderated)
    room.act("next", activity="bouwstenen_uitdagingen_toelichting", answering=True)
    assert ps[0].state["activity"]["moderated"] is True
    assert ps[0].state["free_text_warning"]["nl"].startswith("Noem geen namen")
    room.refused(
        7,
        {
            "activity": "bouwstenen_uitdagingen_toelichting",
            "value": " \n\t ",
            "client_id": "empty-07",
        },
        "invalid_response",
    )
    room.refused(
        9,
        {
            "activity": "bouwstenen_uitdagingen_toelichting",
            "value": "b" * 281,
            "client_id": "long-text-09",
        },
        "invalid_response",
    )
    room.refused(
        9,
        {
            "activity": "bouwstenen_uitdagingen_toelichting",
            "value": ["lijst"],
            "client_id": "list-value-09",
        },
        "invalid_response",
    )
    for i, text in TOELICHTING.items():
        room.answer(i, "bouwstenen_uitdagingen_toelichting", text, " ".join(text.split()))
    msg = results_message(control, "bouwstenen_uitdagingen_toelichting", "open_text", 10, 10)
    entries = msg["result"]["entries"]
    assert [(e["text"], e["status"]) for e in entries] == [
        (" ".join(t.split()), "pending") for t in TOELICHTING.values()
    ]
    assert all(set(e) == {"id", "text", "status"} for e in entries)
    entry_ids = {i: e["id"] for i, e in zip(TOELICHTING, entries, strict=True)}
    assert len(set(entry_ids.values())) == 10
    # approved, then changed: the new text waits for approval again, in its first place
    room.moderate("bouwstenen_uitdagingen_toelichting", entry_ids[3], "approve")
    room.answer(3, "bouwstenen_uitdagingen_toelichting", TOELICHTING_CHANGED, TOELICHTING_CHANGED)
    msg = results_message(control, "bouwstenen_uitdagingen_toelichting", "open_text", 12, 10)
    assert [(e["id"], e["text"], e["status"]) for e in msg["result"]["entries"]][7] == (
        entry_ids[3],
        TOELICHTING_CHANGED,
        "pending",
    )
    for i in TOELICHTING_APPROVE:
        room.moderate("bouwstenen_uitdagingen_toelichting", entry_ids[i], "approve")
    room.moderate("bouwstenen_uitdagingen_toelichting", entry_ids[TOELICHTING_HIDE], "hide")
    msg = results_message(
        control, "bouwstenen_uitdagingen_toelichting", "open_text", TOELICHTING_REV, 10
    )
    toelichting_final = msg["result"]
    assert toelichting_final == {
        "entries": [
            {
                "id": entry_ids[i],
                "status": TOELICHTING_STATUS[i],
                "text": TOELICHTING_CHANGED if i == 3 else " ".join(t.split()),
            }
            for i, t in TOELICHTING.items()
        ],
        "n": 10,
    }
    assert all(
        r["result"] is None for r in projector.results_for("bouwstenen_uitdagingen_toelichting")
    )
    control.wait_counts({"connected": 30, "participants": 30, "answered": 10})
    room.act("close_answering", activity="bouwstenen_uitdagingen_toelichting", answering=False)
    toelichting_public = {
        "entries": [
            {"id": entry_ids[i], "text": TOELICHTING_CHANGED if i == 3 else " ".join(t.split())}
            for i, t in TOELICHTING.items()
            if TOELICHTING_STATUS[i] == "approved"
        ],
        "n": 10,
    }
    assert [e["text"] for e in toelichting_public["entries"]] == TOELICHTING_PUBLIC_TEXTS
    assert projector.state["results_visible"] is True  # after_close
    assert projector.state["result"] == toelichting_public
    assert projector.state["respondents"] == 10
    room.finals["bouwstenen_uitdagingen_toelichting"] = (toelichting_final, toelichting_public)


def ranking(room: Room) -> None:
    """bouwstenen_rangschikking: a ranking."""
    control, projector = room.control, room.projector
    # --- bouwstenen_rangschikking (ranking, optional)
    room.act("next", activity="bouwstenen_rangschikking", answering=True)
    for value in [
        BLOKKEN[:5],
        BLOKKEN[:5] + ["kennen"],
        BLOKKEN[:5] + ["onbekend"],
        "kennen",
        {"kennen": 1},
    ]:
        room.refused(
            28,
            {"activity": "bouwstenen_rangschikking", "value": value, "client_id": "bad-rang-01"},
            "invalid_response",
        )
    room.answer_all("bouwstenen_rangschikking", {i: (r, r) for i, r in RANG.items()})
    msg = results_message(control, "bouwstenen_rangschikking", "ranking", RANG_REV, 9)
    assert msg["result"] == RANG_RESULT
    room.act("close_answering", activity="bouwstenen_rangschikking", answering=False)
    assert projector.state["result"] == RANG_RESULT


def qna(room: Room) -> None:
    """vragen: the moderated Q&A with votes."""
    control, projector, ps = room.control, room.projector, room.phones
    # --- tafels_terugkoppeling (added: each table reports back): these phones sit at no table
    room.act("next", activity="tafels_terugkoppeling", answering=True)
    room.refused(
        3,
        {
            "activity": "tafels_terugkoppeling",
            "value": {"title": "Tafel", "text": "Onze conclusie"},
            "client_id": "no-table-03",
        },
        "no_table",
    )
    # --- vragen (Q&A, moderated): phones ask, the facilitator approves, phones vote
    room.act("next", activity="vragen", answering=True)
    view = ps[0].state["activity"]
    assert view["kind"] == "qna" and view["moderated"] is True and view["max_length"] == 280
    assert ps[0].state["questions"] == {"activity": "vragen", "rev": 0, "questions": []}
    room.refused(
        7,
        {"activity": "vragen", "text": " \n ", "client_id": "empty-ask-7"},
        "invalid_response",
        event="ask",
    )
    room.refused(
        7,
        {"activity": "vragen", "text": "v" * 281, "client_id": "long-ask-7"},
        "invalid_response",
        event="ask",
    )
    room.refused(
        7,
        {"activity": "vragen", "text": ["lijst"], "client_id": "list-ask-7"},
        "invalid_response",
        event="ask",
    )
    room.refused(
        7, {"activity": "vragen", "value": "vraag", "client_id": "resp-ask-7"}, "not_answerable"
    )  # a Q&A takes 'ask', not 'respond'
    room.refused(
        7,
        {"activity": "doelen", "text": "vraag", "client_id": "doelen-ask-7"},
        "bad_payload",
        event="ask",
    )
    asked: list[dict[str, Any]] = []
    for n, (i, sent, stored) in enumerate(QUESTIONS):  # one after the other: ids in order
        ack = ps[i].ask("vragen", sent, client_id=f"vraag-{n:02d}-van-{i:02d}")
        assert ack["ok"] is True and ack["duplicate"] is False, ack
        assert ack["question"]["text"] == stored and ack["question"]["status"] == "pending"
        asked.append(ack["question"])
    qids = [q["id"] for q in asked]
    assert len(set(qids)) == len(qids) and [int(q) for q in qids] == sorted(int(q) for q in qids)
    again = ps[4].ask("vragen", QUESTIONS[0][1], client_id="vraag-00-van-04")  # a retry
    room.refused(  # the same id for another text is no retry (issue 12)
        4,
        {"activity": "vragen", "text": "Iets anders", "client_id": "vraag-00-van-04"},
        "client_id_reused",
        event="ask",
    )
    assert again["ok"] is True and again["duplicate"] is True
    assert again["question"] == asked[0]
    msg = results_message(control, "vragen", "qna", len(QUESTIONS), Q_ASKERS)
    assert msg["result"] == {
        "questions": [
            {
                "id": qids[n],
                "text": stored,
                "votes": 0,
                "status": "pending",
                "pinned": False,
                "answered": False,
            }
            for n, (_, _, stored) in enumerate(QUESTIONS)
        ],
        "n": len(QUESTIONS),
    }
    # nothing is approved yet: the phones' list is empty, nobody can vote
    for p in ps:
        p.wait(
            lambda p=p: (last_questions(p) or {}).get("rev") == len(QUESTIONS),
            what="the questions after the asks",
        )
        assert last_questions(p) == {"activity": "vragen", "rev": len(QUESTIONS), "questions": []}
    room.refused(0, {"activity": "vragen", "question": qids[0]}, "unknown_question", event="upvote")
    control.wait_counts({"connected": 30, "participants": 30, "answered": Q_ASKERS})

    for n in Q_APPROVE:
        room.moderate("vragen", qids[n], "approve")
    room.moderate("vragen", qids[Q_HIDE], "hide")
    room.control_refused(
        "moderate",
        {"activity": "vragen", "entry": "999999", "action": "approve"},
        "unknown_question",
    )
    for n in (Q_HIDE, Q_PENDING[0]):  # hidden and pending questions take no votes
        room.refused(
            0, {"activity": "vragen", "question": qids[n]}, "unknown_question", event="upvote"
        )

    def votes_of(i: int) -> list[dict[str, Any]]:
        return [ps[i].upvote("vragen", qids[n]) for n, voters in Q_VOTERS.items() if i in voters]

    for i, acks in zip(
        range(N_PHONES), in_parallel(votes_of, range(N_PHONES), workers=15), strict=True
    ):
        for ack in acks:
            assert ack["ok"] is True and ack["voted"] is True, (i, ack)
    ack = ps[0].upvote("vragen", qids[0])  # a second vote by the same phone changes nothing
    assert ack == {
        "ok": True,
        "activity": "vragen",
        "question": qids[0],
        "votes": 12,
        "voted": True,
    }
    ack = ps[Q_UNVOTE[0]].upvote("vragen", qids[Q_UNVOTE[1]], vote=False)
    assert ack == {
        "ok": True,
        "activity": "vragen",
        "question": qids[0],
        "votes": 11,
        "voted": False,
    }
    room.moderate("vragen", qids[Q_PIN], "pin")
    room.moderate("vragen", qids[Q_ANSWERED], "answered")
    public_questions = [
        {
            "id": qids[n],
            "text": QUESTIONS[n][2],
            "votes": votes,
            "pinned": pinned,
            "answered": answered,
        }
        for n, votes, pinned, answered in Q_ORDER
    ]
    # the control screen lists every question in the same order (hidden and pending too)
    statuses = (
        {n: "approved" for n in Q_APPROVE} | {Q_HIDE: "hidden"} | {n: "pending" for n in Q_PENDING}
    )
    marks = {n: (votes, pinned, answered) for n, votes, pinned, answered in Q_ORDER}
    assert set(marks) == set(Q_APPROVE)
    vragen_final = {
        "questions": [
            {
                "id": qids[n],
                "text": QUESTIONS[n][2],
                "votes": marks.get(n, (0,))[0],
                "status": statuses[n],
                "pinned": n == Q_PIN,
                "answered": n == Q_ANSWERED,
            }
            for n in Q_CONTROL_ORDER
        ],
        "n": len(QUESTIONS),
    }
    msg = results_message(control, "vragen", "qna", VRAGEN_REV, Q_ASKERS)
    assert msg["result"] == vragen_final
    # every phone gets the approved list (pending and hidden questions never reach them)
    for p in ps:
        p.wait(
            lambda p=p: (last_questions(p) or {}).get("rev") == VRAGEN_REV,
            what="the questions after the votes",
        )
        assert last_questions(p) == {
            "activity": "vragen",
            "rev": VRAGEN_REV,
            "questions": public_questions,
        }
        revs = [q["rev"] for q in p.questions]
        assert max(revs) == VRAGEN_REV
    # shown while open: the projector lists the approved questions only
    room.act("show_results", activity="vragen", answering=True)
    vragen_public = {"questions": public_questions, "n": len(QUESTIONS)}
    assert projector.state["result"] == vragen_public
    assert projector.state["respondents"] == Q_ASKERS
    # a reconnecting phone sees its own questions (even a hidden one) and its votes
    snap = room.check_reconnect(2)
    assert snap["questions"] == {
        "activity": "vragen",
        "rev": VRAGEN_REV,
        "questions": public_questions,
    }
    assert snap["qna"]["vragen"]["asked"] == [
        {"id": qids[n], "text": QUESTIONS[n][2], "status": "approved"} for n in (2, 7)
    ]
    assert sorted(snap["qna"]["vragen"]["voted"]) == sorted(qids[n] for n in (0, 1, 4))
    snap = room.check_reconnect(13)
    assert snap["qna"]["vragen"] == {
        "asked": [{"id": qids[Q_HIDE], "text": QUESTIONS[Q_HIDE][2], "status": "hidden"}],
        "voted": sorted([qids[2], qids[4]], key=int),
    }
    room.act("close_answering", activity="vragen", answering=False)
    assert projector.state["result"] == vragen_public
    room.refused(1, {"activity": "vragen", "question": qids[1]}, "closed", event="upvote")
    room.refused(
        1,
        {"activity": "vragen", "text": "Te laat?", "client_id": "late-ask-01"},
        "closed",
        event="ask",
    )
    room.finals["vragen"] = (vragen_final, vragen_public)


def closing(room: Room) -> None:
    """Reconnects, phones leaving, and every final result again."""
    server, control, projector, ps = room.server, room.control, room.projector, room.phones
    scale_final, scale_public = room.finals["bruggencontinuum"]
    toelichting_final, toelichting_public = room.finals["bouwstenen_uitdagingen_toelichting"]
    vragen_final, vragen_public = room.finals["vragen"]
    # --- more reconnects (every kind answered by some), then two phones leave
    for i in (0, 3, 12, 20, 22, 24, 29):
        room.check_reconnect(i)
    assert room.expected[0] == {
        "problematieken_woordwolk": ["armoede", "schulden"],
        "doelen": ["armoede"],
        "bruggencontinuum": {"position": 2, "why": "Gezinnen eerst"},
        "rol_moeilijkst": "netwerker",
        "bouwstenen_matrix": MATRIX_ALL,
        "bouwstenen_uitdagingen_toelichting": "Wat met de privacy van gezinnen?",
        "bouwstenen_rangschikking": RANG[0],
    }
    assert room.expected[29] == {}
    control.wait_counts({"connected": 30, "participants": 30, "answered": Q_ASKERS})
    ps[27].disconnect()
    ps[28].disconnect()
    control.wait_counts({"connected": 28, "participants": 30, "answered": Q_ASKERS})
    projector.wait_counts({"connected": 28, "participants": 30, "answered": Q_ASKERS})

    room.act("hide_results", activity="vragen", answering=False)
    assert projector.state["result"] is None and projector.state["results_visible"] is False
    room.act("show_results", activity="vragen", answering=False)
    assert projector.state["result"] == vragen_public

    # --- every screen shows exactly the final results when the facilitator goes back
    finals = [
        ("problematieken_woordwolk", WOLK_RESULT, WOLK_PUBLIC),
        ("doelen", DOELEN_RESULT, DOELEN_RESULT),
        ("bruggencontinuum", scale_final, scale_public),
        ("rol_moeilijkst", ROL_RESULT, ROL_RESULT),
        ("bouwstenen_matrix", MATRIX_RESULT, MATRIX_RESULT),
        ("bouwstenen_uitdagingen_toelichting", toelichting_final, toelichting_public),
        ("bouwstenen_rangschikking", RANG_RESULT, RANG_RESULT),
        ("vragen", vragen_final, vragen_public),
    ]
    for activity, full, public in finals:
        room.act("goto", {"activity": activity}, activity=activity, answering=False)
        assert control.state["result"] == full, activity
        assert control.state["activity_states"][activity] == {
            "status": "closed",
            "results_visible": True,
        }
        assert projector.state["results_visible"] is True
        assert projector.state["result"] == public, activity
    # reconnected phones are back in the room: the last step reaches them too
    room.act(
        "goto", {"activity": "contact_materialen"}, activity="contact_materialen", answering=False
    )
    assert ps[29].state["activity"]["links"][0]["url"].startswith("https://")
    assert ps[29].state["questions"] is None  # the Q&A is no longer on the phones

    # --- nothing was counted twice, nothing came late
    revs_in_order(control, "problematieken_woordwolk", WOLK_REV)
    revs_in_order(control, "doelen", DOELEN_REV)
    revs_in_order(control, "bruggencontinuum", SCALE_REV)
    revs_in_order(control, "rol_moeilijkst", ROL_REV)
    revs_in_order(control, "bouwstenen_matrix", MATRIX_REV)
    revs_in_order(control, "bouwstenen_uitdagingen_toelichting", TOELICHTING_REV)
    revs_in_order(control, "bouwstenen_rangschikking", RANG_REV)
    revs_in_order(control, "vragen", VRAGEN_REV)
    assert {r["activity"] for r in control.results} == {
        "problematieken_woordwolk",
        "doelen",
        "bruggencontinuum",
        "rol_moeilijkst",
        "bouwstenen_matrix",
        "bouwstenen_uitdagingen_toelichting",
        "bouwstenen_rangschikking",
        "vragen",
    }
    assert all(not p.results and not p.counts for p in ps)  # phones get neither
    assert {q["activity"] for p in ps for q in p.questions} == {"vragen"}
    server.assert_no_tracebacks()


#: one step per kind (and the opening and the closing), in the order of the workshop: each
#: goes on where the one before it stopped, on the same live session
STEPS = [
    opening,
    word_cloud,
    multi_choice,
    scale,
    single_choice,
    matrix,
    open_text,
    ranking,
    qna,
    closing,
]


def walk_through(server: Server) -> None:
    """The whole walkthrough on ``server`` in one go (test_gevent.py runs it under gevent)."""
    room = enter_room(server)
    for run in STEPS:
        run(room)


@pytest.fixture(scope="module")
def room(module_server: Server) -> Room:
    return enter_room(module_server)


@pytest.mark.parametrize("step", STEPS, ids=[s.__name__ for s in STEPS])
def test_walkthrough(room: Room, step: Callable[[Room], None]) -> None:
    """One step of the workshop; when one fails, the ones after it are skipped (they need it)."""
    room.run(step)
