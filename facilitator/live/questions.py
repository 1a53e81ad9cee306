"""Questions from the phones (an activity whose kind has ``questions``): ``ask`` and
``upvote``."""

from __future__ import annotations

from typing import Any

from flask import current_app

from .. import kinds, store
from ..activities import InvalidResponse, clean_question
from ..aggregate import APPROVED
from ..kinds.base import Kind
from ..programme import Activity
from ..snapshot import OPEN, LiveState
from .cache import cache
from .checks import LiveError, activity_of, client_id, reused
from .lookup import get
from .sync import recount_elsewhere


def question_limits() -> tuple[int, int]:
    """(questions, pending) one participant may have in one Q&A activity (the settings
    QUESTIONS_PER_PARTICIPANT, PENDING_PER_PARTICIPANT)."""
    config = current_app.config
    return int(config["QUESTIONS_PER_PARTICIPANT"]), int(config["PENDING_PER_PARTICIPANT"])


def takes_questions(kind: Kind) -> bool:
    return kind.questions


def ask(live: LiveState, participant_id: int, payload: Any) -> dict[str, Any]:
    """A participant's question; committed before the ack."""
    if not isinstance(payload, dict):
        raise LiveError("bad_payload", "ask expects an object {activity, text, client_id}")
    live = get(live.code)
    activity = activity_of(live, payload, takes_questions)
    cid = client_id(payload)
    try:
        text = clean_question(activity, payload.get("text"))
    except InvalidResponse as exc:
        raise LiveError(exc.code, exc.message) from None
    status = kinds.of(activity).moderation_status(activity, text)
    c = cache()
    with store.write_lock:
        live = get(live.code)
        use = store.submission_use(participant_id, cid, text)
        if use == "reused" or use not in ("new", activity.id):
            raise reused(cid)
        if live.status(activity.id).status != OPEN and use != activity.id:
            raise LiveError("closed", f"questions for '{activity.id}' are not open")
        board = c.board(live, activity.id)
        with c.lock:
            c.fresh.pop(participant_id, None)  # its snapshot will hold the question
        try:
            new, q = store.add_question(
                live.id, activity.id, participant_id, cid, text, status, question_limits()
            )
        except store.LimitReached as exc:
            what = (
                f"you have {exc.limit} questions waiting for the facilitator in '{activity.id}'"
                if exc.what == "pending"
                else f"you asked {exc.limit} questions in '{activity.id}', the most allowed"
            )
            raise LiveError("limit_reached", what) from None
        if q is None:
            raise reused(cid)
        if new:
            with c.mem:
                board.ask(q.id, participant_id, q.text, q.status)
                c.bump(live, activity.id)
    if new:
        recount_elsewhere(live, activity.id, questions=True)
    return {
        "ok": True,
        "activity": activity.id,
        "client_id": cid,
        "duplicate": not new,
        "question": {"id": str(q.id), "text": q.text, "status": q.status},
    }


def question(live: LiveState, activity: Activity, raw: Any) -> store.QuestionRow:
    """The stored question a payload names (an id, as a number or digits), in that activity."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        qid = raw
    elif isinstance(raw, str) and raw.isdigit() and len(raw) < 12:
        qid = int(raw)
    else:
        raise LiveError("bad_payload", "field 'question' must be a question id")
    found = store.get_question(live.id, qid)
    if found is None or found[0] != activity.id:
        raise LiveError("unknown_question", f"no question {qid} in '{activity.id}'")
    return found[1]


def upvote(live: LiveState, participant_id: int, payload: Any) -> dict[str, Any]:
    """Vote for an approved question (or take the vote back); one vote per participant."""
    if not isinstance(payload, dict):
        raise LiveError("bad_payload", "upvote expects an object {activity, question, vote}")
    live = get(live.code)
    activity = activity_of(live, payload, takes_questions)
    up = payload.get("vote", True)
    if not isinstance(up, bool):
        raise LiveError("bad_payload", "field 'vote' must be true or false")
    qid = question(live, activity, payload.get("question")).id
    c = cache()
    with store.write_lock:
        live = get(live.code)
        if live.status(activity.id).status != OPEN:
            raise LiveError("closed", f"voting for '{activity.id}' is not open")
        board = c.board(live, activity.id)
        with c.mem:
            shown = board.status(qid) == APPROVED
        if not shown:
            raise LiveError("unknown_question", f"question {qid} is not shown (not approved)")
        with c.lock:
            c.fresh.pop(participant_id, None)  # its snapshot will hold the vote
        changed, votes = store.vote(qid, participant_id, up)
        if changed:
            with c.mem:
                board.mark(qid, votes=votes)
                c.bump(live, activity.id)
    if changed:
        recount_elsewhere(live, activity.id, questions=True)
    return {"ok": True, "activity": activity.id, "question": str(qid), "votes": votes, "voted": up}
