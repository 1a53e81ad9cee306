"""A phone's connect without queries (issue 16, the connect storm): a participant who joined
through this process is found in memory by its token, and while it has nothing of its own its
snapshot needs no query; once it answers, asks or votes, its snapshot is read from the database
again. A participant made elsewhere (another process, the CLI) is still found. In-process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from facilitator import live, store
from facilitator.extensions import socketio
from facilitator.programme import load_programme
from tests.inprocess import phone

WORKSHOP = Path(__file__).resolve().parent / "programmes" / "workshop.yaml"


@pytest.fixture
def workshop(app: Any) -> Any:
    with app.app_context():
        return live.start(load_programme(WORKSHOP), WORKSHOP.name)


def snapshot(sock: Any) -> dict[str, Any]:
    ack = sock.emit("snapshot", {}, callback=True)
    assert ack["ok"] is True, ack
    return ack["state"]  # type: ignore[no-any-return]


def test_a_fresh_phone_then_its_question_and_vote(app, workshop) -> None:
    code = workshop.code
    with app.app_context():
        live.goto(workshop, "vrij")
    asker, voter = phone(app, code), phone(app, code)
    with app.app_context():
        assert len(live.cache().fresh) == 2  # joined here, nothing of their own
    assert snapshot(asker)["qna"] == {} and snapshot(asker)["answers"] == {}
    ack = asker.emit(
        "ask",
        {"activity": "vrij", "text": "Wie beslist?", "client_id": "ask-0000001"},
        callback=True,
    )
    assert ack["ok"] is True, ack
    asked = snapshot(asker)["qna"]["vrij"]["asked"]
    assert [q["text"] for q in asked] == ["Wie beslist?"]
    ack = voter.emit(
        "upvote", {"activity": "vrij", "question": asked[0]["id"], "vote": True}, callback=True
    )
    assert ack["ok"] is True, ack
    assert snapshot(voter)["qna"]["vrij"]["voted"] == [asked[0]["id"]]
    with app.app_context():
        assert live.cache().fresh == {}


def test_a_participant_made_elsewhere_connects(app, workshop) -> None:
    with app.app_context():
        pid, token = store.create_participant(workshop.id)  # as another process would
        live.goto(workshop, "org")
        assert pid not in live.cache().fresh
        store.save_response(workshop.id, "org", pid, "else-0000001", "clb")
    sock = socketio.test_client(
        app, auth={"role": "participant", "code": workshop.code, "token": token}
    )
    assert sock.is_connected()
    [state] = [m["args"][0] for m in sock.get_received() if m["name"] == "state"]
    assert state["answers"] == {"org": "clb"}
