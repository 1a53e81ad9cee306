"""Questions from the phones (an activity whose kind has ``questions``): ``ask`` and
``upvote``."""

from __future__ import annotations

from typing import Any

from .. import kinds, store
from ..activities import InvalidResponse, clean_question
from ..aggregate import APPROVED, QuestionBoard
from ..kinds.base import Kind
from ..programme import Activity
from ..snapshot import OPEN, LiveState
from .cache import cache
from .checks import LiveError, activity_of, client_id
from .lookup import get
from .sync import recount_elsewhere


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
        if (
            live.status(activity.id).status != OPEN
            and store.submission_activity(participant_id, cid) != activity.id
        ):
            raise LiveError("closed", f"questions for '{activity.id}' are not open")
        board = c.tally(live, activity.id)
        assert isinstance(board, QuestionBoard)
        new, q = store.add_question(live.id, activity.id, participant_id, cid, text, status)
        if q is None:
            raise LiveError("bad_payload", "this client_id was already used for something else")
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
        board = c.tally(live, activity.id)
        assert isinstance(board, QuestionBoard)
        with c.mem:
            shown = board.status(qid) == APPROVED
        if not shown:
            raise LiveError("unknown_question", f"question {qid} is not shown (not approved)")
        changed, votes = store.vote(qid, participant_id, up)
        if changed:
            with c.mem:
                board.mark(qid, votes=votes)
                c.bump(live, activity.id)
    if changed:
        recount_elsewhere(live, activity.id, questions=True)
    return {"ok": True, "activity": activity.id, "question": str(qid), "votes": votes, "voted": up}
