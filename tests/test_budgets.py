"""Budgets per participant, not per connection (issue 12, item 7): one participant on several
connections shares one event budget, and may have at most QUESTIONS_PER_PARTICIPANT questions,
PENDING_PER_PARTICIPANT of them waiting for moderation, in one Q&A activity (``limit_reached``).

Over a real server whose budget barely refills (EVENT_RATE 0.001 a second: one token in
1,000 s), so that every count is exact."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HERE
from tests.livesrv import Phone, Screen, create_live, running_server

pytestmark = pytest.mark.server

WORKSHOP = HERE / "programmes" / "workshop.yaml"
BURST = 40
ENV = {
    "DIALOOGTAFEL_EVENT_RATE": "0.001",
    "DIALOOGTAFEL_EVENT_BURST": str(BURST),
    "DIALOOGTAFEL_QUESTIONS_PER_PARTICIPANT": "10",
    "DIALOOGTAFEL_PENDING_PER_PARTICIPANT": "5",
    "DIALOOGTAFEL_FORM_BURST": "100",
}


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with running_server(tmp_path_factory.mktemp("budgets"), env=ENV) as server:
        yield server


def flood(conns: list[Any], event: str, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send the payloads spread over the connections at once (no waiting for acks between
    them); returns every ack."""
    acks: list[dict[str, Any]] = []
    done = threading.Event()
    lock = threading.Lock()

    def on_ack(*args: Any) -> None:
        with lock:
            acks.append(args[0] if args else {})
            if len(acks) == len(payloads):
                done.set()

    for i, payload in enumerate(payloads):
        conns[i % len(conns)].sio.emit(event, payload, callback=on_ack)
    assert done.wait(30), f"{len(acks)} of {len(payloads)} acks"
    return acks


def codes(acks: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for ack in acks:
        key = "ok" if ack.get("ok") else ack["error"]["code"]
        out[key] = out.get(key, 0) + 1
    return out


def test_one_participant_on_many_connections_shares_one_budget(srv) -> None:
    made = create_live(srv, WORKSHOP)
    code = made["code"]
    control = Screen(srv, code, "control", made["control_key"]).connect()
    control.control("goto", {"activity": "org"})
    flooder = Phone(srv, code).connect()
    # five more connections of the same participant (its token), each with a fresh socket
    conns = [flooder] + [Phone(srv, code, token=flooder.token).connect() for _ in range(5)]
    calm = Phone(srv, code).connect()

    payloads = [
        {"activity": "org", "value": ["school", "clb", "welzijn"][i % 3], "client_id": f"f-{i:06d}"}
        for i in range(6 * 15)
    ]
    acks = flood(conns, "respond", payloads)
    assert codes(acks) == {"ok": BURST, "rate_limited": 6 * 15 - BURST}
    # a new connection does not refill it
    fresh = Phone(srv, code, token=flooder.token).connect()
    assert (
        fresh.call("respond", {"activity": "org", "value": "clb", "client_id": "g" * 8})["error"][
            "code"
        ]
        == "rate_limited"
    )
    # another participant has a budget of its own, and so has the control screen
    assert calm.respond("org", "school")["ok"] is True
    assert control.call("snapshot")["ok"] is True
    counts = control.call("snapshot")["state"]["counts"]
    assert counts["participants"] == 2
    srv.assert_no_tracebacks()


def test_questions_and_pending_entries_are_capped_per_participant(srv) -> None:
    made = create_live(srv, WORKSHOP)
    code = made["code"]
    control = Screen(srv, code, "control", made["control_key"]).connect()
    control.control("goto", {"activity": "vrij"})  # not moderated
    asker = Phone(srv, code).connect()
    conns = [asker] + [Phone(srv, code, token=asker.token).connect() for _ in range(2)]
    acks = flood(
        conns,
        "ask",
        [{"activity": "vrij", "text": f"Vraag {i}?", "client_id": f"q-{i:06d}"} for i in range(25)],
    )
    assert codes(acks) == {"ok": 10, "limit_reached": 15}
    limited = next(a for a in acks if not a["ok"])
    assert limited["error"]["message"] == "you asked 10 questions in 'vrij', the most allowed"
    stored = next(a for a in acks if a["ok"])
    # a retry of a stored question is still acknowledged (its ack may have been lost)
    retry = asker.call(
        "ask",
        {"activity": "vrij", "text": stored["question"]["text"], "client_id": stored["client_id"]},
    )
    assert retry["ok"] is True and retry["duplicate"] is True
    # another participant may still ask
    other = Phone(srv, code).connect()
    assert other.ask("vrij", "Mag ik ook?")["ok"] is True
    board = control.call("snapshot")["state"]
    assert len(board["result"]["questions"]) == 11

    # moderated: at most 5 waiting; approving two makes room for two more
    control.control("goto", {"activity": "vragen"})
    waiting = Phone(srv, code).connect()
    twin = Phone(srv, code, token=waiting.token).connect()
    acks = flood(
        [waiting, twin],
        "ask",
        [{"activity": "vragen", "text": f"Open {i}?", "client_id": f"m-{i:06d}"} for i in range(8)],
    )
    assert codes(acks) == {"ok": 5, "limit_reached": 3}
    assert {a["error"]["message"] for a in acks if not a["ok"]} == {
        "you have 5 questions waiting for the facilitator in 'vragen'"
    }
    ids = [a["question"]["id"] for a in acks if a["ok"]]
    for qid in ids[:2]:
        control.control("moderate", {"activity": "vragen", "entry": qid, "action": "approve"})
    acks = flood(
        [waiting, twin],
        "ask",
        [{"activity": "vragen", "text": f"Nog {i}?", "client_id": f"n-{i:06d}"} for i in range(3)],
    )
    assert codes(acks) == {"ok": 2, "limit_reached": 1}
    srv.assert_no_tracebacks()


def test_the_answer_form_has_the_same_question_cap(srv, tmp_path: Path) -> None:
    """The phone page's form (no script) goes through the same ``ask``: the cap holds there
    too, shown as an error on the page."""
    import re

    import requests

    made = create_live(srv, WORKSHOP)
    code = made["code"]
    control = Screen(srv, code, "control", made["control_key"]).connect()
    control.control("goto", {"activity": "vrij"})
    http = requests.Session()
    outcomes = []
    for i in range(12):
        page = http.get(f"{srv.url}/j/{code}", timeout=5).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        nonce = re.search(r'name="form" value="([^"]+)"', page)
        assert token and nonce, page[:500]
        r = http.post(
            f"{srv.url}/j/{code}/answer",
            data={
                "csrf_token": token.group(1),
                "activity": "vrij",
                "form": nonce.group(1),
                "text": f"Formvraag {i}?",
            },
            timeout=5,
            allow_redirects=True,
        )
        shown = re.search(r'role="alert">.*?je stelde er het maximum', r.text) is not None
        outcomes.append((r.status_code, shown))
    board = control.call("snapshot")["state"]["result"]["questions"]
    assert len(board) == 10
    assert outcomes == [(200, False)] * 10 + [(200, True)] * 2
