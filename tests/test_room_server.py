"""Issue 13 against the real server (python app.py, eventlet): moderation in a few actions,
answering that is never ambiguous, the live session's language.

tests/programmes/room.yaml. Every control action this file sends is counted (``Facilitator``),
so "40 phones x 3 words reach the projector with at most 3 facilitator actions" is an exact
count, and every expected result is a recount here of what the server acknowledged.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import requests

from tests.livesrv import ROOT, Phone, Screen, Server, create_live, in_parallel, phones

pytestmark = pytest.mark.server

ROOM = ROOT / "tests" / "programmes" / "room.yaml"
N = 40
VOCABULARY = ["armoede", "taal", "wachtlijsten", "schulden", "zorg", "tijd", "huisvesting"]


class Facilitator:
    """The control screen, counting the actions it sends."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.actions: list[str] = []

    def __call__(self, event: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        self.actions.append(event)
        return self.screen.control(event, payload)


def room(server: Server) -> tuple[dict[str, Any], Facilitator, Screen]:
    live = create_live(server, ROOM)
    ctl = Screen(server, live["code"], "control", live["control_key"]).connect()
    proj = Screen(server, live["code"], "projector", live["projector_key"]).connect()
    return live, Facilitator(ctl), proj


def three_words(i: int) -> list[str]:
    return [VOCABULARY[(i + k) % len(VOCABULARY)] for k in range(3)]


def cloud(counts: Counter[str]) -> list[dict[str, Any]]:
    """The projector's word list: most frequent first, ties alphabetical."""
    return [
        {"word": w, "count": c} for w, c in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))
    ]


def projector_words(proj: Screen, activity: str) -> list[dict[str, Any]] | None:
    results = proj.results_for(activity)
    if not results or results[-1]["result"] is None:
        return None
    return results[-1]["result"]["words"]  # type: ignore[no-any-return]


def test_forty_phones_three_words_reach_the_projector_in_three_actions(
    module_server: Server,
) -> None:
    live, facilitator, proj = room(module_server)
    room_phones = phones(module_server, live["code"], N)
    facilitator("goto", {"activity": "wolk"})  # 1: opens it; show_results: live shows it
    acks = in_parallel(lambda ip: ip[1].respond("wolk", three_words(ip[0])), enumerate(room_phones))
    assert all(a["ok"] for a in acks), [a for a in acks if not a["ok"]][:3]
    expected = Counter(w for i in range(N) for w in three_words(i))
    assert sum(expected.values()) == N * 3
    # moderation before: the control screen has 7 pending words, the projector none
    control_words = facilitator.screen.wait(
        lambda: (
            (r := facilitator.screen.results_for("wolk"))
            and r[-1]["result"]["respondents"] == N
            and r[-1]["result"]["words"]
        ),
        what="40 answers on the control screen",
    )
    assert {w["status"] for w in control_words} == {"pending"}
    assert len(control_words) == len(VOCABULARY)
    proj.wait(
        lambda: (r := proj.results_for("wolk")) and r[-1]["respondents"] == N,
        what="the 40 answers on the projector",
    )
    assert projector_words(proj, "wolk") == []
    ack = facilitator("approve_all", {"activity": "wolk"})  # 2
    assert ack["ok"] is True
    proj.wait(lambda: projector_words(proj, "wolk") == cloud(expected), what="the whole cloud")
    assert facilitator.actions == ["goto", "approve_all"]
    assert len(facilitator.actions) <= 3
    log = facilitator.screen.wait_state(
        lambda s: any(e["action"] == "approve_all" for e in s["log"])
    )
    entry = next(e for e in log["log"] if e["action"] == "approve_all")
    assert entry["activity"] == "wolk" and entry["detail"] == {"word": "7 words"}
    # a phone may not approve, nor may the projector
    assert room_phones[0].call("approve_all", {"activity": "wolk"})["error"]["code"] == "forbidden"
    assert proj.call("approve_all", {"activity": "wolk"})["error"]["code"] == "forbidden"


def test_moderation_after_holds_back_only_words_of_the_filter(module_server: Server) -> None:
    live, facilitator, proj = room(module_server)
    room_phones = phones(module_server, live["code"], 10)
    facilitator("goto", {"activity": "wolk_na"})
    sent = [three_words(i) for i in range(10)]
    sent[3] = ["armoede", "klootzak", "taal"]  # the Dutch list
    sent[4] = ["Boterham"]  # added in the programme (settings.word_filter.add)
    sent[5] = ["kut", "zorg"]  # let through (settings.word_filter.allow)
    for phone, words in zip(room_phones, sent, strict=True):
        assert phone.respond("wolk_na", words)["ok"] is True
    counts = Counter(w.lower() for words in sent for w in words)
    shown = Counter({w: c for w, c in counts.items() if w not in ("klootzak", "boterham")})
    proj.wait(lambda: projector_words(proj, "wolk_na") == cloud(shown), what="the filtered cloud")
    control = facilitator.screen.wait(
        lambda: (
            (r := facilitator.screen.results_for("wolk_na"))
            and r[-1]["result"]["respondents"] == 10
            and r[-1]["result"]["words"]
        ),
        what="the 10 answers on the control screen",
    )
    assert {w["word"]: w["status"] for w in control if w["status"] == "pending"} == {
        "klootzak": "pending",
        "boterham": "pending",
    }
    # the facilitator hides a shown word: gone from the projector, the count stays on control
    facilitator("hide_word", {"activity": "wolk_na", "word": "zorg"})
    del shown["zorg"]
    proj.wait(lambda: projector_words(proj, "wolk_na") == cloud(shown), what="zorg hidden")
    assert facilitator.actions == ["goto", "hide_word"]

    # open text: only the entry with a listed word waits
    facilitator("goto", {"activity": "tekst_na"})
    texts = ["Meer tijd voor elkaar", "Wat een HUFTER was dat", "Een beurt om te spreken"]
    for phone, text in zip(room_phones, texts, strict=False):
        assert phone.respond("tekst_na", text)["ok"] is True
    proj.wait(
        lambda: (
            (r := proj.results_for("tekst_na"))
            and r[-1]["result"]
            and [e["text"] for e in r[-1]["result"]["entries"]] == [texts[0], texts[2]]
        ),
        what="the open texts without the held-back one",
    )
    entries = facilitator.screen.wait(
        lambda: (
            (r := facilitator.screen.results_for("tekst_na"))
            and len(r[-1]["result"]["entries"]) == 3
            and r[-1]["result"]["entries"]
        ),
    )
    assert [e["status"] for e in entries] == ["approved", "pending", "approved"]


def test_approve_all_of_one_participant(module_server: Server) -> None:
    live, facilitator, proj = room(module_server)
    one, other = Phone(module_server, live["code"]), Phone(module_server, live["code"])
    for phone in (one, other):  # tests/livesrv.py records only the common events
        phone.sio.on("own_question", lambda data, p=phone: p._record("own_question", data))
        phone.connect()
    facilitator("goto", {"activity": "vragen"})
    asked = [one.ask("vragen", f"Vraag {i} van een")["question"] for i in range(3)]
    theirs = other.ask("vragen", "Vraag van de ander")["question"]
    assert {q["status"] for q in asked + [theirs]} == {"pending"}
    ack = facilitator("approve_all", {"activity": "vragen", "entry": asked[1]["id"]})
    assert ack["ok"] is True
    board = facilitator.screen.wait(
        lambda: (
            (r := facilitator.screen.results_for("vragen"))
            and sum(q["status"] == "approved" for q in r[-1]["result"]["questions"]) == 3
            and r[-1]["result"]["questions"]
        ),
    )
    assert {q["id"]: q["status"] for q in board} == {
        **{q["id"]: "approved" for q in asked},
        theirs["id"]: "pending",
    }
    # the asker's phone hears each of its questions approved; the other phone hears nothing
    heard = one.wait(
        lambda: (
            len([d for e, d in one.events if e == "own_question"]) == 3
            and [d for e, d in one.events if e == "own_question"]
        )
    )
    assert sorted(d["question"]["id"] for d in heard) == sorted(q["id"] for q in asked)
    assert all(d["question"]["status"] == "approved" for d in heard)
    assert not [e for e, _d in other.events if e == "own_question"]
    # then everything pending at once
    facilitator("approve_all", {"activity": "vragen"})
    proj.wait(
        lambda: (
            (r := proj.results_for("vragen"))
            and r[-1]["result"]
            and len(r[-1]["result"]["questions"]) == 4
        )
    )
    # a word cloud has no participant's entries to approve
    bad = facilitator.screen.call("approve_all", {"activity": "wolk", "entry": "x"})
    assert bad["error"]["code"] == "bad_payload"
    assert facilitator.screen.call("approve_all", {"activity": "kies"})["error"]["code"] == (
        "bad_payload"
    )


def test_approve_all_whys_of_a_scale(module_server: Server) -> None:
    live, facilitator, proj = room(module_server)
    room_phones = phones(module_server, live["code"], 5)
    facilitator("goto", {"activity": "schaal"})
    answers = [
        {"position": 4, "why": "Goed overleg"},
        {"position": 2},
        {"position": 5, "why": "Snel geholpen"},
        {"position": 1, "why": "Te weinig tijd"},
        {"position": 3},
    ]
    for phone, value in zip(room_phones, answers, strict=True):
        assert phone.respond("schaal", value)["ok"] is True
    whys = facilitator.screen.wait(
        lambda: (
            (r := facilitator.screen.results_for("schaal"))
            and r[-1]["result"]["n"] == 5
            and r[-1]["result"]["whys"]
        ),
    )
    assert [w["status"] for w in whys] == ["pending"] * 3
    facilitator("approve_all", {"activity": "schaal"})
    shown = proj.wait(
        lambda: (
            (r := proj.results_for("schaal"))
            and r[-1]["result"]
            and len(r[-1]["result"]["whys"]) == 3
            and r[-1]["result"]["whys"]
        )
    )
    assert [w["text"] for w in shown] == ["Goed overleg", "Snel geholpen", "Te weinig tijd"]
    log = facilitator.screen.wait_state(
        lambda s: any(e["action"] == "approve_all" for e in s["log"])
    )["log"]
    assert next(e for e in log if e["action"] == "approve_all")["detail"] == {"approved": 3}
    assert facilitator.actions == ["goto", "approve_all"]


# ------------------------------------------------------------------------------ answering


def status_of(ctl: Screen, activity: str) -> str:
    return ctl.state["activity_states"][activity]["status"]  # type: ignore[no-any-return]


def test_leaving_an_activity_closes_its_answering(module_server: Server) -> None:
    live, facilitator, _proj = room(module_server)
    (phone,) = phones(module_server, live["code"], 1)
    ctl = facilitator.screen
    facilitator("goto", {"activity": "kies"})
    assert phone.respond("kies", "a")["ok"] is True
    facilitator("next")  # to "open"
    state = ctl.wait_state(lambda s: s["current"] == "open")
    assert state["activity_states"]["kies"]["status"] == "closed"
    assert state["activity_states"]["open"]["status"] == "open"
    # answering (or changing an answer to) the activity left behind: closed
    late = phone.respond("kies", "b")
    assert late["ok"] is False and late["error"]["code"] == "closed"
    assert phone.reconnect()["answers"]["kies"] == "a"
    # keep_open: the activity stays open when the facilitator moves on, and takes answers
    facilitator("next")  # to "eind" (info)
    state = ctl.wait_state(lambda s: s["current"] == "eind")
    assert state["activity_states"]["open"]["status"] == "open"
    assert phone.respond("open", "b")["ok"] is True
    # the facilitator can still close it by hand when it is current again
    facilitator("goto", {"activity": "open"})
    facilitator("close_answering")
    assert phone.respond("open", "a")["error"]["code"] == "closed"


def test_a_paced_section_stays_open_inside_and_closes_when_left(module_server: Server) -> None:
    live, facilitator, _proj = room(module_server)
    (phone,) = phones(module_server, live["code"], 1)
    ctl = facilitator.screen
    facilitator("goto", {"activity": "z1"})
    facilitator("goto", {"activity": "z2"})  # within the section: both stay open
    state = ctl.wait_state(lambda s: s["current"] == "z2")
    assert [state["activity_states"][a]["status"] for a in ("z1", "z2")] == ["open", "open"]
    assert phone.respond("z1", "a")["ok"] is True  # not current, open: taken
    facilitator("next")  # out of the section
    state = ctl.wait_state(lambda s: s["current"] == "dank")
    assert [state["activity_states"][a]["status"] for a in ("z1", "z2")] == ["closed", "closed"]
    assert phone.respond("z2", "b")["error"]["code"] == "closed"
    assert phone.respond("z1", "b")["error"]["code"] == "closed"


def test_the_control_outline_says_which_activities_take_answers(module_server: Server) -> None:
    live, facilitator, _proj = room(module_server)
    facilitator("goto", {"activity": "kies"})
    state = facilitator.screen.wait_state(lambda s: s["current"] == "kies")
    outline = {
        a["id"]: a for section in state["programme"]["sections"] for a in section["activities"]
    }
    assert outline["open"]["keep_open"] is True and outline["kies"]["keep_open"] is False
    assert {aid for aid, st in state["activity_states"].items() if st["status"] == "open"} == {
        "kies"
    }
    assert state["accepting"] == ["kies"]


def test_a_retry_after_closing_is_still_acknowledged(module_server: Server) -> None:
    """Leaving closes answering, but an answer committed before keeps its ack on a retry."""
    live, facilitator, _proj = room(module_server)
    phone = Phone(module_server, live["code"]).connect()
    facilitator("goto", {"activity": "kies"})
    first = phone.respond("kies", "b", client_id="retry-after-close")
    facilitator("next")
    facilitator.screen.wait_state(lambda s: s["current"] == "open")
    again = phone.respond("kies", "b", client_id="retry-after-close")
    assert first["duplicate"] is False and again["ok"] is True and again["duplicate"] is True


# ------------------------------------------------------------------------------- language


def test_the_live_session_has_a_language_the_control_switches(module_server: Server) -> None:
    live, facilitator, proj = room(module_server)
    (phone,) = phones(module_server, live["code"], 1)
    assert facilitator.screen.state["language"] == "nl"  # the programme's default language
    assert proj.state["language"] == "nl"
    assert "language" not in phone.state  # phones keep their own choice
    bad = facilitator.screen.call("set_language", {"language": "fr"})
    assert bad["error"]["code"] == "bad_payload" and "nl, en" in bad["error"]["message"]
    assert phone.call("set_language", {"language": "en"})["error"]["code"] == "forbidden"
    assert proj.call("set_language", {"language": "en"})["error"]["code"] == "forbidden"

    facilitator("set_language", {"language": "en"})
    assert proj.wait_state(lambda s: s["language"] == "en")["language"] == "en"
    state = facilitator.screen.wait_state(lambda s: s["language"] == "en")
    assert state["log"][0]["action"] == "set_language"
    assert state["log"][0]["detail"] == {"language": "en"}

    # the pages are drawn in it, whatever the browser asks for
    web = requests.Session()
    english_browser = {"Accept-Language": "nl-BE,nl"}
    page = web.get(live["projector_url"], headers=english_browser, timeout=10)
    assert page.status_code == 200 and '<html lang="en">' in page.text
    page = web.get(live["control_url"], headers=english_browser, timeout=10)
    assert page.status_code == 200 and '<html lang="en">' in page.text
    # ... and so is the printable report (unless asked for another language), and the
    # printable table cards (for the participants); the exports page is the facilitator's
    # own, with its own switch
    report = web.get(f"{module_server.url}/control/{live['code']}/export.html", timeout=60)
    assert report.status_code == 200 and '<html lang="en">' in report.text
    cards = web.get(
        f"{module_server.url}/control/{live['code']}/tables", headers=english_browser, timeout=10
    )
    assert cards.status_code == 200 and '<html lang="en">' in cards.text
    exports = web.get(
        f"{module_server.url}/control/{live['code']}/exports", headers=english_browser, timeout=10
    )
    assert exports.status_code == 200 and '<html lang="nl">' in exports.text
    # a phone's page keeps the language its browser asks for
    phone_page = requests.get(live["participant_url"], headers=english_browser, timeout=10)
    assert '<html lang="nl">' in phone_page.text


def test_the_language_survives_a_restart(server: Server) -> None:
    live, facilitator, _proj = room(server)
    facilitator("set_language", {"language": "en"})
    server.close_clients()
    server.restart()
    ctl = Screen(server, live["code"], "control", live["control_key"]).connect()
    assert ctl.state["language"] == "en"
