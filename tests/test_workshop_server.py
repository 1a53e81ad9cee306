"""The workshop kinds and facilitator tools against the real server (python app.py, eventlet).

tests/programmes/workshop.yaml with 40 phones that answer at the same time: a choice that the
facilitator resets, a word cloud with a hidden word, a ranking, a matrix, a before/after scale
with moderated "why" texts, moderated open text, a moderated Q&A with votes, a kill -9 and
restart in the middle, the paced section `enquete`, and last the word cloud again, closed by a
5 s countdown by itself while joining is locked and unlocked. Every expected result is a
recount, in this file, of what the server acknowledged.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import requests

from tests.livesrv import (
    ROOT,
    Phone,
    Screen,
    Server,
    create_live,
    in_parallel,
    phones,
)

pytestmark = pytest.mark.server

WORKSHOP = ROOT / "tests" / "programmes" / "workshop.yaml"
N = 40
FAST = {"reconnection_delay": 0.1, "reconnection_delay_max": 0.5}
TIMER_SECONDS = 5
TIMER_BOUND = 7.5  # the countdown must have closed answering this long after it started

ORG = ["school", "clb", "welzijn"]
RANG = ["a", "b", "c", "d"]
ITEMS, RATINGS = ["x", "y", "z"], ["ok", "moeilijk", "weetniet"]
# the stop words among the words this test sends (Dutch and English function words)
STOP = {"de", "een", "the", "and"}
# word-cloud entries as sent -> as stored (case folded, spaces collapsed, edge punctuation off)
WORDS = [
    ("Armoede", "armoede"),
    ("  ARMOEDE ", "armoede"),
    ("armoede!", "armoede"),
    ("Taal", "taal"),
    ("taal.", "taal"),
    ("Wachtlijsten", "wachtlijsten"),
    ("psychisch   welzijn", "psychisch welzijn"),
    ("Psychisch Welzijn", "psychisch welzijn"),
    ("Één", "één"),
    ("een", "een"),
    ("De", "de"),
    ("the", "the"),
    ("and", "and"),
    ("«huisvesting»", "huisvesting"),
    ("Schulden", "schulden"),
    ("Zorg", "zorg"),
    ("tijd", "tijd"),
]


# ----------------------------------------------------------------------------- recounts


def pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def choice_result(options: list[str], values: Iterable[str]) -> dict[str, Any]:
    values = list(values)
    counts = Counter(values)
    return {
        "options": [
            {"id": o, "count": counts[o], "percent": pct(counts[o], len(values))} for o in options
        ],
        "respondents": len(values),
        "votes": len(values),
    }


def cloud_result(
    values: Iterable[list[str]], hidden: Iterable[str] = (), public: bool = False
) -> dict[str, Any]:
    values = list(values)
    hidden = sorted(hidden)
    counts = Counter(w for v in values for w in v if w not in STOP)
    shown = sorted(
        ((w, c) for w, c in counts.items() if w not in hidden), key=lambda wc: (-wc[1], wc[0])
    )
    if public:
        return {"words": [{"word": w, "count": c} for w, c in shown], "respondents": len(values)}
    return {
        "words": [{"word": w, "count": c, "status": "approved"} for w, c in shown],
        "hidden": [{"word": w, "count": counts.get(w, 0)} for w in hidden],
        "respondents": len(values),
    }


def ranking_result(values: Iterable[list[str]]) -> dict[str, Any]:
    values = list(values)
    n = len(values)
    return {
        "options": [
            {
                "id": o,
                "mean_rank": round(sum(v.index(o) + 1 for v in values) / n, 2) if n else None,
                "first": sum(v[0] == o for v in values),
                "first_percent": pct(sum(v[0] == o for v in values), n),
            }
            for o in RANG
        ],
        "respondents": n,
    }


def matrix_result(values: Iterable[dict[str, str]]) -> dict[str, Any]:
    values = list(values)
    items = []
    for item in ITEMS:
        counts = Counter(v[item] for v in values if item in v)
        n = sum(counts.values())
        items.append(
            {
                "id": item,
                "n": n,
                "counts": {r: counts[r] for r in RATINGS},
                "percents": {r: pct(counts[r], n) for r in RATINGS},
            }
        )
    return {"items": items, "ratings": RATINGS, "respondents": len(values)}


def scale_summary(lo: int, hi: int, positions: Iterable[int]) -> dict[str, Any]:
    s = sorted(positions)
    n = len(s)
    hist = Counter(s)
    return {
        "histogram": [{"value": v, "count": hist[v]} for v in range(lo, hi + 1)],
        "n": n,
        "mean": round(sum(s) / n, 2) if n else None,
        "median": (s[(n - 1) // 2] + s[n // 2]) / 2 if n else None,
    }


# ------------------------------------------------------------------------------ the room


class Room:
    """The screens and phones of the live session; control actions are checked on all."""

    def __init__(
        self,
        server: Server,
        code: str,
        control: Screen,
        projector: Screen,  # noqa: F811
        phones: list[Phone],
    ):
        self.server, self.code = server, code
        self.control, self.projector, self.phones = control, projector, phones
        self.version = control.state["version"]
        self.since = 0  # index into control.results where this server process began
        #: the phones' choices, drawn in the order of the steps
        self.rng = random.Random(20240611)
        #: what a step leaves for the ones after it (by its variable's name)
        self.kept: dict[str, Any] = {}
        self.stopped: str | None = None

    def run(self, step: Callable[[Room], None]) -> None:
        """A step of the workshop, unless one before it failed (then it is skipped)."""
        if self.stopped is not None:
            pytest.skip(f"the workshop stopped at {self.stopped}, which this step goes on from")
        try:
            step(self)
        except BaseException:
            self.stopped = step.__name__
            raise

    @property
    def screens(self) -> list[Any]:
        return [self.control, self.projector, *self.phones]

    def marks(self) -> list[tuple[Any, int]]:
        return [(c, len(c.states)) for c in self.screens if c.connected]

    def act(
        self,
        event: str,
        payload: dict[str, Any] | None = None,
        check: Callable[[dict[str, Any]], Any] | None = None,
    ) -> int:
        """A control action: every connected screen gets the new, higher version."""
        marks = self.marks()
        version = self.control.control(event, payload)["version"]
        assert version > self.version, (event, payload, version, self.version)
        self.version = version
        for conn, mark in marks:
            state = conn.wait_state(
                lambda s, v=version: s["version"] == v,
                since=mark,
                what=f"state v{version} after {event}",
            )
            if check is not None:
                assert check(state), (conn, event, state)
        return version

    def call(self, event: str, payload: Any = None) -> dict[str, Any]:
        """A control event's ack, retried (bounded) while rate limited."""
        return self.control.call_retrying(event, payload, timeout=5)

    def refused(self, event: str, payload: Any, code: str) -> None:
        ack = self.call(event, payload)
        assert ack["ok"] is False and ack["error"]["code"] == code, (event, payload, ack)

    def snapshot(self) -> dict[str, Any]:
        ack = self.call("snapshot")
        assert ack["ok"] is True
        return ack["state"]  # type: ignore[no-any-return]

    def moderate(self, activity: str, entry: str, action: str) -> None:
        ack = self.control.control(
            "moderate", {"activity": activity, "entry": entry, "action": action}
        )
        assert ack == {"ok": True, "version": self.version}, ack

    def answer_all(self, activity: str, plan: dict[int, tuple[Any, Any]]) -> dict[int, Any]:
        """The planned phones answer at the same time; each ack is a fresh commit of the
        planned stored value. Returns {phone: client_id}."""
        acks = in_parallel(
            lambda i: (i, self.phones[i].respond(activity, plan[i][0])), plan, workers=len(plan)
        )
        ids = {}
        for i, ack in acks:
            assert ack["ok"] is True and ack["duplicate"] is False, (i, activity, ack)
            assert ack["value"] == plan[i][1], (i, activity, ack)
            ids[i] = ack["client_id"]
        return ids

    def result(self, activity: str, rev: int, respondents: int) -> dict[str, Any]:
        """The control screen's ``results`` of ``activity`` at exactly ``rev`` (revs start
        again with a new server process: only messages since ``self.since`` count)."""

        def mine() -> list[dict[str, Any]]:
            return [r for r in self.control.results[self.since :] if r["activity"] == activity]

        msg = self.control.wait(
            lambda: next((r for r in mine() if r["rev"] == rev), None),
            what=f"results of {activity} with rev {rev}",
        )
        assert msg["respondents"] == respondents, msg
        revs = [r["rev"] for r in mine()]
        assert revs == sorted(revs), revs
        return msg["result"]  # type: ignore[no-any-return]


def refused(ack: dict[str, Any], code: str) -> None:
    assert ack["ok"] is False and ack["error"]["code"] == code, ack


def single_choice_and_reset(room: Room) -> None:
    """org: answered, reset, answered again."""
    control, projector, ps, rng = room.control, room.projector, room.phones, room.rng
    control.wait_counts({"connected": N, "participants": N, "answered": 0})
    # the log only holds facilitator actions; nothing happened yet
    assert control.state["log"] == [] and control.state["join_locked"] is False

    # ------------------------------------------------------------ org: answered, reset, again
    room.act("goto", {"activity": "org"}, check=lambda s: s["answering"] is True)
    org = {i: rng.choice(ORG) for i in range(N)}
    org_ids = room.answer_all("org", {i: (v, v) for i, v in org.items()})
    assert room.result("org", N, N) == choice_result(ORG, org.values())
    control.wait_counts({"connected": N, "participants": N, "answered": N})

    refused(ps[0].call("reset_activity", {"activity": "org", "confirm": "org"}), "forbidden")
    room.refused("reset_activity", {"activity": "org"}, "not_confirmed")
    room.refused("reset_activity", {"activity": "org", "confirm": "wolk"}, "not_confirmed")
    room.refused("reset_activity", {"activity": "start", "confirm": "start"}, "not_answerable")
    room.refused("reset_activity", {"activity": "nope", "confirm": "nope"}, "unknown_activity")
    assert room.snapshot()["counts"]["answered"] == N  # the refusals changed nothing
    room.act(
        "reset_activity",
        {"activity": "org", "confirm": "org"},
        check=lambda s: s["resets"] == {"org": 1} if "resets" in s else True,
    )
    for p in ps:  # every phone was told, in the room broadcast
        assert p.state["resets"] == {"org": 1} and p.state["answering"] is True
    assert room.result("org", N + 1, 0) == choice_result(ORG, [])
    control.wait_counts({"connected": N, "participants": N, "answered": 0})
    reset_log = room.snapshot()["log"][0]
    assert (reset_log["action"], reset_log["activity"], reset_log["detail"]) == (
        "reset",
        "org",
        {"removed": N},
    )
    # the phones' own answers are gone; a late retry of an old answer is not counted again
    for state in in_parallel(lambda p: p.call("snapshot")["state"], ps, workers=N):
        assert "org" not in state["answers"] and state["resets"] == {"org": 1}
    ack = ps[0].respond("org", org[0], client_id=org_ids[0])
    assert ack == {
        "ok": True,
        "activity": "org",
        "client_id": org_ids[0],
        "value": None,
        "duplicate": True,
    }
    # new answers count from zero
    org2 = {i: rng.choice(ORG) for i in range(0, N, 2)}
    room.answer_all("org", {i: (v, v) for i, v in org2.items()})
    org_final = choice_result(ORG, org2.values())
    assert room.result("org", N + 1 + len(org2), len(org2)) == org_final
    control.wait_counts({"connected": N, "participants": N, "answered": len(org2)})
    room.act("close_answering", check=lambda s: s["answering"] is False)
    assert projector.state["result"] == org_final


def word_cloud(room: Room) -> None:
    """wolk: a word cloud with a hidden word."""
    projector, rng = room.projector, room.rng
    # ------------------------------------------------------ wolk: word cloud, a hidden word
    room.act("goto", {"activity": "wolk"}, check=lambda s: s["timer"] is None)
    wolk: dict[int, tuple[Any, Any]] = {}
    for i in range(N):
        picked = rng.sample(WORDS, rng.randint(1, 3))
        stored: list[str] = []
        for _, word in picked:
            if word not in stored:
                stored.append(word)
        sent = [w for w, _ in picked]
        wolk[i] = (sent[0] if len(sent) == 1 and i % 2 else sent, stored)
    room.answer_all("wolk", wolk)
    changed = {i: (["Taal", "zorg"], ["taal", "zorg"]) for i in (3, 4, 5)}
    room.answer_all("wolk", changed)
    wolk.update(changed)
    wolk_values = [v for _, v in wolk.values()]
    assert room.result("wolk", N + 3, N) == cloud_result(wolk_values)

    room.act(
        "hide_word",
        {"activity": "wolk", "word": "taal", "hidden": True},
        check=lambda s: s["answering"] is True,
    )
    wolk_final = cloud_result(wolk_values, hidden=["taal"])
    assert room.result("wolk", N + 4, N) == wolk_final
    assert wolk_final["hidden"][0]["count"] >= 3
    room.refused("hide_word", {"activity": "wolk", "word": "", "hidden": True}, "bad_payload")
    room.refused("hide_word", {"activity": "rang", "word": "taal"}, "bad_payload")
    room.act("close_answering", check=lambda s: s["answering"] is False)
    snap = room.snapshot()
    assert snap["activity_states"]["wolk"] == {"status": "closed", "results_visible": True}
    assert snap["result"] == wolk_final
    log = [(e["action"], e["activity"], e["detail"]) for e in snap["log"][:2]]
    assert log == [("hide_word", "wolk", {"word": "taal"}), ("reset", "org", {"removed": N})]
    wolk_public = cloud_result(wolk_values, hidden=["taal"], public=True)
    assert projector.state["result"] == wolk_public  # after_close: shown, without "taal"
    room.kept.update(wolk=wolk, wolk_final=wolk_final, wolk_public=wolk_public)


def ranking(room: Room) -> None:
    """rang: a ranking."""
    projector, ps, rng = room.projector, room.phones, room.rng
    # ----------------------------------------------------------------------- rang: ranking
    room.act("goto", {"activity": "rang"}, check=lambda s: s["answering"] is True)
    for bad in (["a", "b", "c"], ["a", "b", "c", "c"], ["a", "b", "c", "e"], "a"):
        refused(ps[0].respond("rang", bad), "invalid_response")
    rang = {}
    for i in range(len(ps)):
        order = RANG[:]
        rng.shuffle(order)
        rang[i] = (order, order)
    room.answer_all("rang", rang)
    rang_values = [v for _, v in rang.values()]
    rang_final = ranking_result(rang_values)
    assert room.result("rang", len(ps), len(ps)) == rang_final
    room.act("close_answering", check=lambda s: s["answering"] is False)
    assert projector.state["result"] == rang_final


def matrix(room: Room) -> None:
    """blokken: a matrix."""
    projector, ps, rng = room.projector, room.phones, room.rng
    # -------------------------------------------------------------------- blokken: matrix
    room.act("goto", {"activity": "blokken"}, check=lambda s: s["answering"] is True)
    blokken = {}
    for i in range(len(ps)):
        items = rng.sample(ITEMS, rng.randint(1, 3))  # in any order; stored in programme order
        value = {item: rng.choice(RATINGS) for item in items}
        blokken[i] = (value, {item: value[item] for item in ITEMS if item in value})
    room.answer_all("blokken", blokken)
    again = {i: ({"z": "ok"}, {"z": "ok"}) for i in range(5)}  # five change their minds
    room.answer_all("blokken", again)
    blokken.update(again)
    blokken_final = matrix_result(v for _, v in blokken.values())
    assert room.result("blokken", len(ps) + 5, len(ps)) == blokken_final
    room.act("close_answering", check=lambda s: s["answering"] is False)
    assert projector.state["result"] == blokken_final


def scale_before_and_after(room: Room) -> None:
    """voor / na: a scale before and after, with a moderated why."""
    projector, ps, rng = room.projector, room.phones, room.rng
    # --------------------------------------------- voor / na: before and after, moderated why
    room.act("goto", {"activity": "voor"}, check=lambda s: s["answering"] is True)
    voor = {}
    for i in range(N):
        position = rng.randint(1, 5)
        why = f"Reden {i}" if i % 4 == 0 else None
        voor[i] = (
            {"position": position, **({"why": why} if why else {})},
            {"position": position, "why": why},
        )
    room.answer_all("voor", voor)
    voor_positions = [v["position"] for _, v in voor.values()]
    res = room.result("voor", N, N)
    assert {k: v for k, v in res.items() if k != "whys"} == {
        "min": 1,
        "max": 5,
        "step": 1,
        **scale_summary(1, 5, voor_positions),
    }
    whys = {w["text"]: w for w in res["whys"]}
    assert sorted(whys) == sorted(f"Reden {i}" for i in range(0, N, 4))
    assert {w["status"] for w in whys.values()} == {"pending"}
    room.moderate("voor", whys["Reden 0"]["id"], "approve")
    room.moderate("voor", whys["Reden 4"]["id"], "hide")
    room.act("close_answering", check=lambda s: s["answering"] is False)
    assert projector.state["result"]["whys"] == [{"id": whys["Reden 0"]["id"], "text": "Reden 0"}]
    room.act("goto", {"activity": "na"}, check=lambda s: s["answering"] is True)
    assert ps[0].state["activity"]["compare_with"] == "voor"
    na = {
        i: ({"position": p}, {"position": p, "why": None})
        for i, p in ((i, rng.randint(2, 5)) for i in range(0, N, 3))
    }
    room.answer_all("na", na)
    na_final = {
        "min": 1,
        "max": 5,
        "step": 1,
        **scale_summary(1, 5, [v["position"] for _, v in na.values()]),
        "whys": [],
        "before": scale_summary(1, 5, voor_positions),
    }
    assert room.result("na", len(na), len(na)) == na_final
    room.act("close_answering", check=lambda s: s["answering"] is False)


def open_text(room: Room) -> None:
    """mening: moderated open text."""
    projector, ps = room.projector, room.phones
    # ---------------------------------------------------------- mening: moderated open text
    room.act("goto", {"activity": "mening"}, check=lambda s: s["answering"] is True)
    mening = {
        i: (f"  Mening   van telefoon {i} ", f"Mening van telefoon {i}") for i in range(len(ps))
    }
    room.answer_all("mening", mening)
    entries = room.result("mening", len(ps), len(ps))["entries"]
    assert sorted(e["text"] for e in entries) == sorted(v for _, v in mening.values())
    assert {e["status"] for e in entries} == {"pending"}
    assert len({e["id"] for e in entries}) == len(entries)
    ids = {e["text"]: e["id"] for e in entries}
    approve = [f"Mening van telefoon {i}" for i in (7, 1, 30, 12, 22, 39)]
    hide = [f"Mening van telefoon {i}" for i in (3, 8)]
    for text in approve:
        room.moderate("mening", ids[text], "approve")
    for text in hide:
        room.moderate("mening", ids[text], "hide")
    status = {t: "approved" for t in approve} | {t: "hidden" for t in hide}
    mening_final = {
        "entries": [
            {"id": e["id"], "text": e["text"], "status": status.get(e["text"], "pending")}
            for e in entries
        ],
        "n": len(ps),
    }
    assert room.result("mening", len(ps) + len(approve) + len(hide), len(ps)) == mening_final
    room.act("show_results", check=lambda s: s["answering"] is True)
    mening_public = {
        "entries": [{"id": e["id"], "text": e["text"]} for e in entries if e["text"] in approve],
        "n": len(ps),
    }
    assert projector.state["result"] == mening_public
    assert len(mening_public["entries"]) == len(approve)
    room.act("close_answering", check=lambda s: s["answering"] is False)
    room.kept.update(mening_final=mening_final, mening_public=mening_public)


def qna(room: Room) -> None:
    """vragen: the moderated Q&A with votes."""
    projector, ps, rng = room.projector, room.phones, room.rng
    # --------------------------------------------------------- vragen: moderated Q&A, votes
    room.act(
        "goto",
        {"activity": "vragen"},
        check=lambda s: (
            s["answering"] is True
            and (
                "answers" not in s  # the phones' state: the (empty) public question list
                or s["questions"] == {"activity": "vragen", "rev": 0, "questions": []}
            )
        ),
    )
    askers = list(range(0, 40, 2))  # 20 phones ask at the same time
    acks = in_parallel(
        lambda i: (i, ps[i].ask("vragen", f"Vraag  van telefoon {i}?")), askers, workers=len(askers)
    )
    question: dict[int, str] = {}  # phone -> question id
    for i, ack in acks:
        assert ack["ok"] is True and ack["duplicate"] is False, ack
        assert ack["question"]["text"] == f"Vraag van telefoon {i}?"
        assert ack["question"]["status"] == "pending"
        question[i] = ack["question"]["id"]
    rev = len(askers)
    res = room.result("vragen", rev, len(askers))
    assert [q["id"] for q in res["questions"]] == sorted(question.values(), key=int)
    assert {q["status"] for q in res["questions"]} == {"pending"}
    for p in ps:  # nothing approved: the phones' list stays empty
        p.wait(
            lambda p=p: p.questions and p.questions[-1]["rev"] == rev,
            what="questions after the asks",
        )
        assert p.questions[-1] == {"activity": "vragen", "rev": rev, "questions": []}
    approved = askers[:12]
    hidden_q, pending_q = askers[12:14], askers[14:]
    for i in approved:
        room.moderate("vragen", question[i], "approve")
    for i in hidden_q:
        room.moderate("vragen", question[i], "hide")
    rev += len(approved) + len(hidden_q)
    refused(ps[1].upvote("vragen", question[pending_q[0]]), "unknown_question")
    refused(ps[1].upvote("vragen", question[hidden_q[0]]), "unknown_question")

    votes: dict[int, set[int]] = {
        i: set(rng.sample(approved, rng.randint(0, 6))) for i in range(len(ps))
    }
    unvote = {i: sorted(v)[0] for i, v in votes.items() if i % 5 == 0 and v}

    def vote(i: int) -> None:
        for q in sorted(votes[i]):
            ack = ps[i].upvote("vragen", question[q])
            assert ack["ok"] is True and ack["voted"] is True and ack["question"] == question[q]
        if i % 7 == 0 and votes[i]:  # a second vote by the same phone is not counted
            ack = ps[i].upvote("vragen", question[min(votes[i])])
            assert ack["ok"] is True and ack["voted"] is True, ack
        if i in unvote:  # and a vote can be taken back
            ack = ps[i].upvote("vragen", question[unvote[i]], vote=False)
            assert ack["ok"] is True and ack["voted"] is False, ack

    in_parallel(vote, range(len(ps)), workers=len(ps))
    rev += sum(len(v) for v in votes.values()) + len(unvote)
    for i, q in unvote.items():
        votes[i].discard(q)
    pinned, answered = approved[5], approved[0]
    room.moderate("vragen", question[pinned], "pin")
    room.moderate("vragen", question[answered], "answered")
    rev += 2
    count = Counter(q for v in votes.values() for q in v)

    def order(i: int) -> tuple[bool, int, int]:
        return (i != pinned, -count[i], int(question[i]))

    public = [
        {
            "id": question[i],
            "text": f"Vraag van telefoon {i}?",
            "votes": count[i],
            "pinned": i == pinned,
            "answered": i == answered,
        }
        for i in sorted(approved, key=order)
    ]
    status = (
        {i: "approved" for i in approved}
        | {i: "hidden" for i in hidden_q}
        | {i: "pending" for i in pending_q}
    )
    vragen_final = {
        "questions": [
            {
                "id": question[i],
                "text": f"Vraag van telefoon {i}?",
                "votes": count[i],
                "status": status[i],
                "pinned": i == pinned,
                "answered": i == answered,
            }
            for i in sorted(askers, key=order)
        ],
        "n": len(askers),
    }
    assert room.result("vragen", rev, len(askers)) == vragen_final
    for p in ps:  # every phone gets the approved list, ordered as on the screens
        p.wait(
            lambda p=p: p.questions and p.questions[-1]["rev"] == rev,
            what="questions after the votes",
        )
        assert p.questions[-1] == {"activity": "vragen", "rev": rev, "questions": public}
    room.act("show_results", check=lambda s: s["answering"] is True)
    assert projector.state["result"] == {"questions": public, "n": len(askers)}
    qna_own = {i: p.call("snapshot")["state"]["qna"] for i, p in enumerate(ps)}
    for i in range(len(ps)):
        mine = qna_own[i].get("vragen", {"asked": [], "voted": []})
        assert mine["asked"] == (
            [{"id": question[i], "text": f"Vraag van telefoon {i}?", "status": status[i]}]
            if i in question
            else []
        )
        assert sorted(mine["voted"], key=int) == sorted((question[q] for q in votes[i]), key=int)
    room.kept.update(
        approved=approved,
        askers=askers,
        count=count,
        public=public,
        qna_own=qna_own,
        question=question,
        votes=votes,
        vragen_final=vragen_final,
    )


def kill_and_restart(room: Room) -> None:
    """kill -9 and restart in the middle; the moderation is kept."""
    server, control, projector, ps = room.server, room.control, room.projector, room.phones
    approved = room.kept["approved"]
    askers = room.kept["askers"]
    count = room.kept["count"]
    mening_final = room.kept["mening_final"]
    mening_public = room.kept["mening_public"]
    public = room.kept["public"]
    qna_own = room.kept["qna_own"]
    question = room.kept["question"]
    votes = room.kept["votes"]
    vragen_final = room.kept["vragen_final"]
    wolk_final = room.kept["wolk_final"]
    wolk_public = room.kept["wolk_public"]
    # ------------------------------------------------ kill -9 and restart in the middle
    before = room.snapshot()
    assert before["current"] == "vragen" and before["result"] == vragen_final
    assert [e["action"] for e in before["log"]].count("moderate") == 2 + 8 + 16
    clients = [control, projector, *ps]
    marks_ = {id(c): (c.connects, len(c.states)) for c in clients}
    server.kill()
    for c in clients:
        c.wait(lambda c=c: not c.sio.connected and c.disconnects >= 1, what="the drop")
    room.since = len(control.results)
    server.restart()

    def snapshot_after(c: Any) -> dict[str, Any]:
        connects, states = marks_[id(c)]
        c.wait(
            lambda: c.connects > connects and len(c.states) > states,
            timeout=15,
            what="reconnect and snapshot",
        )
        return c.states[states]  # type: ignore[no-any-return]

    after = snapshot_after(control)
    volatile = ("counts", "server_time")
    assert {k: v for k, v in after.items() if k not in volatile} == {
        k: v for k, v in before.items() if k not in volatile
    }
    assert after["result"] == vragen_final and after["log"] == before["log"]
    assert snapshot_after(projector)["result"] == {"questions": public, "n": len(askers)}
    for i, p in enumerate(ps):
        snap = snapshot_after(p)
        assert snap["qna"] == qna_own[i], i
        assert snap["questions"]["questions"] == public
    control.wait_counts({"connected": len(ps), "participants": len(ps), "answered": len(askers)})
    # the one-vote rule holds across the restart; a new vote counts on top
    voter = next(i for i in range(len(ps)) if votes[i])
    ack = ps[voter].upvote("vragen", question[min(votes[voter])])
    assert ack["votes"] == count[min(votes[voter])], ack
    newcomer = next(i for i in range(len(ps)) if approved[1] not in votes[i])
    ack = ps[newcomer].upvote("vragen", question[approved[1]])
    assert ack["ok"] is True and ack["votes"] == count[approved[1]] + 1, ack
    count[approved[1]] += 1
    expected = {
        "questions": [
            dict(q, votes=count[int(q["text"].split()[-1][:-1])]) for q in vragen_final["questions"]
        ],
        "n": len(askers),
    }
    expected["questions"].sort(key=lambda q: (not q["pinned"], -q["votes"], int(q["id"])))
    control.wait(
        lambda: (control.results_for("vragen")[-1:] or [{}])[0].get("result") == expected,
        what="the votes after the restart",
    )
    # the word cloud keeps its hidden word, the open text its moderation
    room.version = after["version"]
    room.act("goto", {"activity": "wolk"}, check=lambda s: s["answering"] is False)
    assert control.state["result"] == wolk_final
    assert projector.state["result"] == wolk_public
    room.act("goto", {"activity": "mening"}, check=lambda s: s["answering"] is False)
    assert control.state["result"] == mening_final
    assert projector.state["result"] == mening_public


def paced_section(room: Room) -> None:
    """enquete: a paced section."""
    control, ps, rng = room.control, room.phones, room.rng
    # ------------------------------------------------------ enquete: a paced section
    room.act(
        "goto",
        {"activity": "e1"},
        check=lambda s: (
            "answers" not in s
            or (  # the phones' state
                s["paced"]["section"] == "enquete"
                and [a["id"] for a in s["paced"]["activities"]] == ["e1", "e2", "e3"]
            )
        ),
    )
    snap = room.snapshot()
    assert snap["section_counts"] == {"e1": 0, "e2": 0, "e3": 0}
    assert [snap["activity_states"][a]["status"] for a in ("e1", "e2", "e3")] == ["open"] * 3
    enquete = {}
    for i in range(len(ps)):
        steps = [
            ("e1", rng.choice(["ja", "nee"])),
            ("e2", {"position": rng.randint(0, 10)}),
            ("e3", f"Opmerking {i}"),
        ]
        rng.shuffle(steps)
        enquete[i] = steps[: rng.randint(0, 3)]  # in its own order, some stop early

    def fill(i: int) -> None:
        for activity, value in enquete[i]:
            ack = ps[i].respond(activity, value)
            assert ack["ok"] is True and ack["duplicate"] is False, (i, activity, ack)

    in_parallel(fill, range(len(ps)), workers=len(ps))
    given: dict[str, list[Any]] = {"e1": [], "e2": [], "e3": []}
    for steps in enquete.values():
        for activity, value in steps:
            given[activity].append(value)
    assert room.snapshot()["section_counts"] == {a: len(v) for a, v in given.items()}
    assert room.result("e1", len(given["e1"]), len(given["e1"])) == choice_result(
        ["ja", "nee"], given["e1"]
    )
    e2 = room.result("e2", len(given["e2"]), len(given["e2"]))
    assert e2 == {
        "min": 0,
        "max": 10,
        "step": 1,
        **scale_summary(0, 10, [v["position"] for v in given["e2"]]),
        "whys": [],
    }
    e3 = room.result("e3", len(given["e3"]), len(given["e3"]))
    assert sorted(e["text"] for e in e3["entries"]) == sorted(given["e3"])
    assert {e["status"] for e in e3["entries"]} <= {"approved"}  # e3 is not moderated
    control.wait_counts(
        {"connected": len(ps), "participants": len(ps), "answered": len(given["e1"])}
    )
    room.act("close_answering", check=lambda s: s["answering"] is False)
    snap = room.snapshot()
    assert [snap["activity_states"][a]["status"] for a in ("e1", "e2", "e3")] == ["closed"] * 3
    refused(ps[0].respond("e3", "te laat"), "closed")


def countdown_and_lock_joining(room: Room) -> None:
    """wolk again: a 5 s countdown closes it; joining locked meanwhile."""
    server, control, projector, ps, code = (
        room.server,
        room.control,
        room.projector,
        room.phones,
        room.code,
    )
    wolk = room.kept["wolk"]
    # ------------------------- wolk again: a 5 s countdown closes it; joining locked meanwhile
    room.act("goto", {"activity": "wolk"}, check=lambda s: s["answering"] is False)
    room.act("open_answering", check=lambda s: s["answering"] is True and s["timer"] is None)
    refused(ps[1].call("start_timer", {"seconds": 5}), "forbidden")
    for seconds in (4, 3601, True, "5", 5.5):
        room.refused("start_timer", {"seconds": seconds}, "bad_payload")
    room.act("start_timer", {}, check=lambda s: s["timer"]["seconds"] == 30)  # wolk's own
    room.act("stop_timer", check=lambda s: s["timer"] is None and s["answering"] is True)
    marks = room.marks()
    started = time.monotonic()
    timer_version = room.act(
        "start_timer",
        {"seconds": TIMER_SECONDS},
        check=lambda s: (
            s["timer"]["activity"] == "wolk"
            and s["answering"] is True
            and s["timer"]["seconds"] == TIMER_SECONDS
            and s["timer"]["auto_close"] is True
            and 4_000 <= s["timer"]["ends_at"] - s["server_time"] <= 5_000
        ),
    )
    ends_at = control.wait_state(lambda s: s["version"] == timer_version)["timer"]["ends_at"]
    # while it runs: two phones change their words, joining is locked and unlocked
    changed = {i: (["Zorg"], ["zorg"]) for i in (0, 1)}
    room.answer_all("wolk", changed)
    wolk.update(changed)
    wolk_values = [v for _, v in wolk.values()]
    refused(ps[1].call("lock_joining", {"locked": True}), "forbidden")
    room.act("lock_joining", {"locked": True})
    room.refused("lock_joining", {"locked": "ja"}, "bad_payload")
    r = requests.post(f"{server.url}/api/join/{code}", timeout=5)
    assert r.status_code == 403 and r.json()["error"]["code"] == "locked", r.text
    assert requests.get(f"{server.url}/j/{code}", timeout=5).status_code == 403
    assert room.snapshot()["join_locked"] is True
    # a phone that was in stays in, also over a new connection
    assert ps[39].reconnect()["answers"]["wolk"] == wolk[39][1]
    control.wait_counts({"connected": len(ps), "participants": len(ps), "answered": N})
    room.act("lock_joining", {"locked": False})
    assert room.snapshot()["join_locked"] is False
    ps.append(Phone(server, code, **FAST).connect())  # joining works again: a new phone

    # the countdown ends: answering closes by itself, every screen is told (one new version)
    closed = set()
    waits = [*marks, (ps[-1], 0)]
    for conn, mark in waits:
        left = max(0.2, started + TIMER_BOUND - time.monotonic())
        state = conn.wait_state(
            lambda s: s["answering"] is False,
            since=mark,
            timeout=left,
            what="answering closed by the timer",
        )
        assert state["timer"] is None and state["activity"]["id"] == "wolk"
        # closed by the server's own tick, on time: at most ~2 s after the countdown's end
        assert 0 <= state["server_time"] - ends_at <= 2_000, (state["server_time"], ends_at)
        closed.add(state["version"])
    assert len(closed) == 1 and min(closed) > timer_version, closed
    room.version = max(room.version, *closed)
    refused(ps[2].respond("wolk", ["te laat"]), "closed")
    snap = room.snapshot()
    assert snap["timer"] is None
    assert snap["activity_states"]["wolk"] == {"status": "closed", "results_visible": True}
    wolk_final = cloud_result(wolk_values, hidden=["taal"])
    assert snap["result"] == wolk_final
    assert room.result("wolk", len(changed), N) == wolk_final  # revs restart with the process
    log = [(e["action"], e["activity"], e["detail"]) for e in snap["log"][:6]]
    ended = ("timer_ended", "wolk", {"closed": True})
    started_5 = ("start_timer", "wolk", {"seconds": TIMER_SECONDS})
    assert sorted(map(repr, log)) == sorted(
        map(
            repr,
            [
                ended,
                ("unlock_joining", None, {}),
                ("lock_joining", None, {}),
                started_5,
                ("stop_timer", "wolk", {}),
                ("start_timer", "wolk", {"seconds": 30}),
            ],
        )
    )
    assert log.index(ended) < log.index(started_5)
    control.wait_counts({"connected": len(ps), "participants": len(ps), "answered": N})
    assert projector.state["results_visible"] is True
    assert projector.state["result"] == cloud_result(wolk_values, hidden=["taal"], public=True)
    server.assert_no_tracebacks()


def enter_room(server: Server) -> Room:
    """The live session: the workshop programme, a control and a projector screen and 40
    phones, connected."""
    live = create_live(server, WORKSHOP)
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"], **FAST).connect()
    projector = Screen(server, code, "projector", live["projector_key"], **FAST).connect()
    ps = phones(server, code, N, **FAST)
    return Room(server, code, control, projector, ps)


#: one step per kind (and the restart, the paced section and the countdown), in order: each goes
#: on where the one before it stopped, on the same live session (and the same random draws)
STEPS = [
    single_choice_and_reset,
    word_cloud,
    ranking,
    matrix,
    scale_before_and_after,
    open_text,
    qna,
    kill_and_restart,
    paced_section,
    countdown_and_lock_joining,
]


@pytest.fixture(scope="module")
def room(module_server: Server) -> Room:
    return enter_room(module_server)


@pytest.mark.parametrize("step", STEPS, ids=[s.__name__ for s in STEPS])
def test_workshop_kinds_with_many_phones(room: Room, step: Callable[[Room], None]) -> None:
    """One step of the workshop; when one fails, the ones after it are skipped (they need it)."""
    room.run(step)
