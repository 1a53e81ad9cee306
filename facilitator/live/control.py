"""The facilitator's controls: moving through the programme, opening and closing answering,
showing results, moderation, resets, the timer, locking joining, ending, the breakdown choice.
Each commits the change, then sends every screen its new state (``publish``)."""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import replace
from typing import Any

from .. import kinds, store
from ..aggregate import APPROVED, HIDDEN, QuestionBoard, Tally
from ..broadcast import coalescer, state_to_control, state_to_rooms, to_participant
from ..bus import bus
from ..snapshot import (
    CLOSED,
    OPEN,
    PENDING,
    ActivityStatus,
    Countdown,
    LiveState,
    groups,
)
from . import pooled
from .cache import cache
from .checks import LiveError, activity_of
from .lookup import get, remember
from .questions import question as question_of
from .state import control_snapshot, phones_state, projector_snapshot
from .sync import recount_elsewhere


def publish(live: LiveState) -> LiveState:
    """Remember a new state of the live session and send it to every screen (and process)."""
    live = remember(live)
    bus.publish({"t": "live", "code": live.code, "version": live.version})
    coalescer.counts_changed(live.code)  # "answered" follows the current activity
    state_to_rooms(
        live.code,
        phones_state(live),
        projector_snapshot(live),  # type: ignore[arg-type]
        control_snapshot(live),  # type: ignore[arg-type]
    )
    return live


def _change(
    live: LiveState,
    *,
    current: str | None = ...,  # type: ignore[assignment]
    statuses: dict[str, ActivityStatus] | None = None,
    join_locked: bool | None = None,
    timer: Countdown | None = ...,  # type: ignore[assignment]
    log: tuple[str, str | None, dict[str, Any]] | None = None,
    breakdown: tuple[str | None, tuple[str, ...] | None] | None = None,
    ended: bool | None = None,
    language: str | None = None,
) -> LiveState:
    with store.write_lock:
        new = store.update_live(
            live.id,
            current=current,
            statuses=statuses,
            join_locked=join_locked,
            timer=timer,
            breakdown=breakdown,
            ended=ended,
            language=language,
        )  # type: ignore[arg-type]
        if log is not None:
            store.log(live.id, *log)
    return publish(new)


def _moved(live: LiveState, activity_id: str, status: str) -> ActivityStatus:
    """The activity's status once opened or closed; its results appear on the projector at
    the moment the programme's ``show_results`` names ("live": on opening, "after_close")."""
    activity = live.programme.activity(activity_id)
    assert activity is not None
    st = live.status(activity_id)
    shows_at = live.programme.show_results_for(activity)
    visible = st.results_visible or (
        shows_at == "live" if status == OPEN else shows_at == "after_close"
    )
    return replace(st, status=status, results_visible=visible)


def _opened(live: LiveState, activity_id: str) -> ActivityStatus:
    return _moved(live, activity_id, OPEN)


def _closed(live: LiveState, activity_id: str) -> ActivityStatus:
    return _moved(live, activity_id, CLOSED)


def _left_behind(live: LiveState, target: str) -> dict[str, ActivityStatus]:
    """What closes when the facilitator goes to ``target``: the activity left, if its
    answering is open, unless the programme keeps it open (``keep_open``) or it is in a paced
    section that ``target`` is in too. Leaving a paced section closes its open activities
    (those without ``keep_open``)."""
    p = live.programme
    left = live.current_activity
    if left is None or left.id == target:
        return {}
    to = p.activity(target)
    assert to is not None
    section = p.section(left.section_id)
    if section.paced:
        if to.section_id == section.id:
            return {}
        candidates = [a for a in (p.activity(aid) for aid in section.activity_ids) if a]
    else:
        candidates = [left]
    return {
        a.id: _closed(live, a.id)
        for a in candidates
        if a.answerable and not a.keep_open and live.status(a.id).status == OPEN
    }


def goto(live: LiveState, activity_id: Any) -> LiveState:
    """Make an activity current; one that was never opened opens (in a paced section: all of
    the section's activities that were never opened). The activity left behind closes
    (``_left_behind``)."""
    live = get(live.code)
    if not isinstance(activity_id, str) or live.programme.activity(activity_id) is None:
        raise LiveError(
            "unknown_activity", f"no activity {str(activity_id)[:64]!r} in this programme"
        )
    activity = live.programme.activity(activity_id)
    assert activity is not None
    section = live.programme.section(activity.section_id)
    targets = section.activity_ids if section.paced else (activity_id,)
    statuses = _left_behind(live, activity_id)
    for aid in targets:
        a = live.programme.activity(aid)
        if a is not None and a.answerable and live.status(aid).status == PENDING:
            statuses[aid] = _opened(live, aid)
    timer: Countdown | None = ...  # type: ignore[assignment]
    if live.timer is not None and live.timer.activity != activity_id:
        timer = None  # a countdown belongs to the activity it was started for
    return _change(live, current=activity_id, statuses=statuses, timer=timer)


def step(live: LiveState, delta: int) -> LiveState:
    """Next (+1) or previous (-1) activity; stays put at either end."""
    live = get(live.code)
    p = live.programme
    if live.current is None:
        target = 0 if delta > 0 else None
    else:
        i = p.position(live.current) + delta
        target = i if 0 <= i < len(p.activities) else None
    if target is None:
        return live
    return goto(live, p.activities[target].id)


def _current_answerable(live: LiveState) -> str:
    activity = live.current_activity
    if activity is None:
        raise LiveError("no_activity", "there is no current activity")
    if not activity.answerable:
        raise LiveError(
            "not_answerable", f"activity '{activity.id}' ({activity.kind}) takes no answers"
        )
    return activity.id


def set_answering(live: LiveState, open_: bool) -> LiveState:
    """Open or close answering for the current activity (a paced section: all of it)."""
    live = get(live.code)
    aid = _current_answerable(live)
    targets = [aid]
    if live.paced_section is not None:
        targets = [
            a
            for a in live.programme.section(live.paced_section).activity_ids
            if live.programme.activity(a).answerable  # type: ignore[union-attr]
        ]
    statuses = {a: (_opened(live, a) if open_ else _closed(live, a)) for a in targets}
    statuses = {a: st for a, st in statuses.items() if live.status(a) != st}
    if not statuses:
        return live
    timer: Countdown | None = ...  # type: ignore[assignment]
    if not open_ and live.timer is not None:
        timer = None
    return _change(live, statuses=statuses, timer=timer)


def set_results_visible(live: LiveState, visible: bool) -> LiveState:
    """Show or hide the current activity's results on the projector."""
    live = get(live.code)
    aid = _current_answerable(live)
    st = live.status(aid)
    if st.results_visible == visible:
        return live
    return _change(live, statuses={aid: replace(st, results_visible=visible)})


def set_join_locked(live: LiveState, locked: Any) -> LiveState:
    """Stop (or allow again) new phones joining."""
    if not isinstance(locked, bool):
        raise LiveError("bad_payload", "field 'locked' must be true or false")
    live = get(live.code)
    if live.join_locked == locked:
        return live
    return _change(
        live, join_locked=locked, log=("lock_joining" if locked else "unlock_joining", None, {})
    )


def set_language(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """The live session's language: projector, control screen and report switch to it (phones
    keep their own choice)."""
    live = get(live.code)
    language = payload.get("language")
    languages = live.programme.languages
    if not isinstance(language, str) or language not in languages:
        raise LiveError(
            "bad_payload",
            f"field 'language' must be one of the programme's languages: {', '.join(languages)}",
        )
    if language == live.lang:
        return live
    return _change(live, language=language, log=("set_language", None, {"language": language}))


def end(live: LiveState, payload: dict[str, Any] | None = None) -> LiveState:
    """End the live session: every activity closes, nobody joins any more, exports are final.
    ``{"ended": false}`` reopens it (answering stays closed until opened again)."""
    live = get(live.code)
    ended = (payload or {}).get("ended", True)
    if not isinstance(ended, bool):
        raise LiveError("bad_payload", "field 'ended' must be true or false")
    if (live.ended_at is not None) == ended:
        return live
    statuses = (
        {aid: _closed(live, aid) for aid, st in live.statuses.items() if st.status == OPEN}
        if ended
        else {}
    )
    return _change(
        live,
        statuses=statuses,
        ended=ended,
        timer=None if ended else ...,  # type: ignore[arg-type]  # ...: unchanged
        log=("end" if ended else "reopen", None, {}),
    )


# ---------------------------------------------------------------------------- moderation


def _entry_key(tally: Tally, entry: Any) -> Hashable:
    """The participant behind an opaque entry id of a text or 'why' list."""
    key = tally.entry_key(entry)
    if key is not None:
        return key
    raise LiveError("unknown_entry", f"no entry {str(entry)[:20]!r} in '{tally.activity.id}'")


QUESTION_ACTIONS: dict[str, dict[str, Any]] = {
    "approve": {"status": APPROVED},
    "hide": {"status": HIDDEN},
    "pin": {"pinned": True},
    "unpin": {"pinned": False},
    "answered": {"answered": True},
    "unanswered": {"answered": False},
}


def moderate(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Approve or hide a free-text entry; for Q&A also pin and mark answered."""
    live = get(live.code)
    activity = activity_of(live, payload, lambda k: k.moderates in ("entries", "questions"))
    action = payload.get("action")
    allowed: dict[str, dict[str, Any]] = (
        QUESTION_ACTIONS
        if kinds.of(activity).moderates == "questions"
        else {"approve": {}, "hide": {}}
    )
    if not isinstance(action, str) or action not in allowed:
        raise LiveError("bad_payload", f"field 'action' must be one of: {', '.join(allowed)}")
    c = cache()
    with store.write_lock:
        own: tuple[int, dict[str, Any]] | None = None
        if kinds.of(activity).questions:
            board = c.board(live, activity.id)
            question = question_of(live, activity, payload.get("entry"))
            qid = question.id
            marks = QUESTION_ACTIONS[action]
            store.mark_question(qid, **marks)
            with c.mem:
                board.mark(qid, **marks)
            detail: dict[str, Any] = {"question": qid, "action": action}
            if "status" in marks:  # the asker's phone hears whether it is shown
                own = (
                    question.participant_id,
                    {
                        "activity": activity.id,
                        "question": {
                            "id": str(qid),
                            "text": question.text,
                            "status": marks["status"],
                        },
                    },
                )
        else:
            tally = c.tally(live, activity.id)
            with c.mem:
                key = _entry_key(tally, payload.get("entry"))
            status = APPROVED if action == "approve" else HIDDEN
            store.set_response_status(live.id, activity.id, int(key), status)  # type: ignore[call-overload]
            with c.mem:
                tally.set_status(key, status)
            detail = {"entry": payload.get("entry"), "action": action}
        store.log(live.id, "moderate", activity.id, detail)
        with c.mem:
            c.bump(live, activity.id)
    recount_elsewhere(live, activity.id, questions=kinds.of(activity).questions)
    if own is not None:
        to_participant(live.code, own[0], "own_question", own[1])
    state_to_control(live.code, control_snapshot(live))  # its log has a new entry
    return live


def spotlight(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Show one group of the current activity's result full screen on the projector (a
    table's card: ``{group: "3"}``), or none (``{group: null}``)."""
    live = get(live.code)
    aid = _current_answerable(live)
    group = payload.get("group")
    if group is not None:
        if isinstance(group, int) and not isinstance(group, bool):
            group = str(group)
        names = [g for g, _label in groups(live, "table")] if live.tables else []
        if not isinstance(group, str) or group not in names or group == "_none":
            raise LiveError(
                "bad_payload",
                f"field 'group' must be a table (1..{live.tables}) or null, "
                f"got {str(group)[:20]!r}",
            )
    st = live.status(aid)
    if st.spotlight == group:
        return live
    return _change(live, statuses={aid: replace(st, spotlight=group)})


def release_holder(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Free a table's role (its reporter) for an activity: the next phone of that table that
    answers takes it over, with the table's report so far."""
    live = get(live.code)
    activity = activity_of(live, payload, lambda k: k.per_table)
    table = payload.get("table")
    if isinstance(table, bool) or not isinstance(table, int) or not 1 <= table <= live.tables:
        raise LiveError("bad_payload", f"field 'table' must be a table (1..{live.tables})")
    st = live.status(activity.id)
    holders = dict(st.holders)
    c = cache()
    with c.lock:  # whoever sends next takes it: a request for it is moot
        c.role_requests.pop((live.id, activity.id, table), None)
    if holders.pop(table, None) is None:
        return live
    return _change(
        live,
        statuses={activity.id: replace(st, holders=tuple(sorted(holders.items())))},
        log=("release_holder", activity.id, {"table": table}),
    )


def hand_holder(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Hand a table's role (its reporter) to the phone of that table that asked for it last
    (it was refused with ``not_reporter``); that phone sends the table's report from now on."""
    live = get(live.code)
    activity = activity_of(live, payload, lambda k: k.per_table)
    table = payload.get("table")
    if isinstance(table, bool) or not isinstance(table, int) or not 1 <= table <= live.tables:
        raise LiveError("bad_payload", f"field 'table' must be a table (1..{live.tables})")
    c = cache()
    with c.lock:
        pid = c.role_requests.pop((live.id, activity.id, table), None)
    if pid is None:
        raise LiveError("no_request", f"no phone of table {table} asked for the role")
    st = live.status(activity.id)
    holders = dict(st.holders)
    holders[table] = pid
    return _change(
        live,
        statuses={activity.id: replace(st, holders=tuple(sorted(holders.items())))},
        log=("hand_holder", activity.id, {"table": table}),
    )


def approve_all(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Approve every pending entry of an activity at once (texts, "why"s, questions, words),
    or with ``entry`` every pending entry of the participant who wrote that one."""
    live = get(live.code)
    activity = activity_of(live, payload, lambda k: k.moderates is not None)
    kind = kinds.of(activity)
    entry = payload.get("entry")
    if entry is not None and (not isinstance(entry, str | int) or isinstance(entry, bool)):
        raise LiveError("bad_payload", "field 'entry' must be the id of an entry")
    c = cache()
    if kind.moderates == "words":
        if entry is not None:
            raise LiveError(
                "bad_payload",
                f"'{activity.id}' is a word cloud: its words are approved one by one or all at "
                "once, not per participant",
            )
        with store.write_lock:
            tally = c.tally(live, activity.id)
            with c.mem:
                pending = [str(w) for w in tally.pending()]
        if not pending:
            return live
        return _words_marked(live, activity.id, pending, hidden=False, log="approve_all")
    own: list[tuple[int, dict[str, Any]]] = []
    with store.write_lock:
        if kind.questions:
            board = c.board(live, activity.id)
            with c.mem:
                asker = None
                if entry is not None:
                    q = board.questions.get(_question_key(board, entry))
                    asker = q["asker"] if q else None
                waiting = [(qid, board.questions[qid]) for qid in board.pending()]
                chosen = [(qid, q) for qid, q in waiting if asker is None or q["asker"] == asker]
            store.approve_questions([int(qid) for qid, _q in chosen])  # type: ignore[call-overload]
            with c.mem:
                for qid, _q in chosen:
                    board.mark(qid, status=APPROVED)
            own = [
                (
                    int(q["asker"]),
                    {
                        "activity": activity.id,
                        "question": {"id": str(qid), "text": q["text"], "status": APPROVED},
                    },
                )
                for qid, q in chosen
            ]
            n = len(chosen)
        else:
            tally = c.tally(live, activity.id)
            with c.mem:
                keys = [_entry_key(tally, entry)] if entry is not None else list(tally.pending())
            pids = [int(k) for k in keys]  # type: ignore[call-overload]  # participant ids
            n = store.approve_responses(live.id, activity.id, pids)
            with c.mem:
                still = set(tally.pending())
                for k in keys:
                    if k in still:
                        tally.set_status(k, APPROVED)
        detail: dict[str, Any] = {"approved": n}
        if entry is not None:
            detail["entry"] = str(entry)
        store.log(live.id, "approve_all", activity.id, detail)
        with c.mem:
            c.bump(live, activity.id)
    recount_elsewhere(live, activity.id, questions=kind.questions)
    for pid, message in own:
        to_participant(live.code, pid, "own_question", message)
    state_to_control(live.code, control_snapshot(live))  # its log has a new entry
    return live


def _question_key(board: QuestionBoard, entry: Any) -> Hashable:
    for qid in board.questions:
        if board.label(qid) == str(entry) or str(qid) == str(entry):
            return qid
    raise LiveError("unknown_question", f"no question {str(entry)[:20]!r} in this activity")


def hide_word(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Leave words out of a word cloud (hidden) or show them (approve them when moderated):
    ``word`` for one, ``words`` for several at once ("approve all")."""
    live = get(live.code)
    activity = activity_of(live, payload, lambda k: k.moderates == "words")
    hidden = payload.get("hidden", True)
    words = payload.get("words", [payload.get("word")] if "word" in payload else None)
    if (
        not isinstance(words, list)
        or not 1 <= len(words) <= 500
        or not all(isinstance(w, str) and 0 < len(w) <= 200 for w in words)
    ):
        raise LiveError(
            "bad_payload",
            "field 'word' must be the word as shown (or 'words' a list of 1 to 500 of them)",
        )
    if not isinstance(hidden, bool):
        raise LiveError("bad_payload", "field 'hidden' must be true or false")
    return _words_marked(live, activity.id, words, hidden)


def _words_marked(
    live: LiveState, activity_id: str, words: list[str], hidden: bool, log: str | None = None
) -> LiveState:
    """Hide words of a word cloud, or approve them (and show them again)."""
    activity = live.programme.activity(activity_id)
    assert activity is not None
    st = live.status(activity.id)
    hidden_words = set(st.hidden_words)
    approved = set(st.approved_words)
    for word in words:
        if hidden:
            hidden_words.add(word)
            approved.discard(word)
        else:
            hidden_words.discard(word)
            approved.add(word)
    word = words[0] if len(words) == 1 else f"{len(words)} words"
    action = log or ("hide_word" if hidden else "show_word")
    new_status = replace(
        st, hidden_words=tuple(sorted(hidden_words)), approved_words=tuple(sorted(approved))
    )
    c = cache()
    with store.write_lock:
        tally = c.tally(live, activity.id)
        with c.mem:
            tally.mark_words(hidden_words, approved)
            for (lid, aid, _dimension), by_group in c.breakdowns.items():
                if lid == live.id and aid == activity.id:
                    for group in by_group.values():
                        group.mark_words(hidden_words, approved)
            c.bump(live, activity.id)
    recount_elsewhere(live, activity.id)
    return _change(
        live,
        statuses={activity.id: new_status},
        log=(action, activity.id, {"word": word}),
    )


def reset_activity(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Delete every response of an activity, after the facilitator confirmed it."""
    live = get(live.code)
    activity = activity_of(live, payload)
    if not activity.answerable:
        raise LiveError("not_answerable", f"activity '{activity.id}' has no responses")
    if payload.get("confirm") != activity.id:
        raise LiveError("not_confirmed", f"to reset, send confirm = '{activity.id}'")
    c = cache()
    with store.write_lock:
        removed = store.reset_activity(live.id, activity.id)
        with c.mem:
            c.drop(live.id, activity.id)
            c.bump(live, activity.id)
    st = live.status(activity.id)
    recount_elsewhere(live, activity.id, questions=kinds.of(activity).questions)
    with c.lock:  # the roles go: so do the requests for them
        for key in [k for k in c.role_requests if k[0] == live.id and k[1] == activity.id]:
            del c.role_requests[key]
    return _change(
        live,
        statuses={activity.id: replace(st, resets=st.resets + 1, holders=())},  # roles go too
        log=("reset", activity.id, {"removed": removed}),
    )


# --------------------------------------------------------------------------------- timer


def start_timer(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """A countdown for the current activity; at zero answering closes if ``auto_close``."""
    live = get(live.code)
    activity = live.current_activity
    if activity is None:
        raise LiveError("no_activity", "there is no current activity")
    default = activity.timer.seconds if activity.timer else 60
    seconds = payload.get("seconds", default)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 5 <= seconds <= 3600:
        raise LiveError("bad_payload", "field 'seconds' must be a whole number from 5 to 3600")
    auto_close = activity.timer.auto_close if activity.timer else True
    countdown = Countdown(activity.id, time.time() + seconds, seconds, auto_close)
    return _change(live, timer=countdown, log=("start_timer", activity.id, {"seconds": seconds}))


def stop_timer(live: LiveState, payload: dict[str, Any] | None = None) -> LiveState:
    live = get(live.code)
    if live.timer is None:
        return live
    return _change(live, timer=None, log=("stop_timer", live.timer.activity, {}))


def tick() -> None:
    """Called by the broadcaster's loop: end countdowns that reached zero."""
    now = time.time()
    c = cache()
    with c.lock:
        due = [live for live in c.lives.values() if live.timer and live.timer.ends_at <= now]
    for live in due:
        fresh = get(live.code)
        t = fresh.timer
        if t is None or t.ends_at > now:
            continue
        activity = fresh.programme.activity(t.activity)
        statuses = {}
        if (
            t.auto_close
            and activity is not None
            and activity.answerable
            and fresh.status(t.activity).status == OPEN
        ):
            statuses[t.activity] = _closed(fresh, t.activity)
        _change(
            fresh,
            timer=None,
            statuses=statuses,
            log=("timer_ended", t.activity, {"closed": bool(statuses)}),
        )


# ----------------------------------------------------------------------------- breakdown


def set_breakdown(live: LiveState, payload: dict[str, Any]) -> LiveState:
    """Break results down by a dimension (or not), optionally comparing two of its groups."""
    live = get(live.code)
    by, compare = payload.get("by"), payload.get("compare")
    dims = pooled.dimensions(live)
    if by is not None and (not isinstance(by, str) or by not in {d["id"] for d in dims}):
        raise LiveError(
            "bad_payload",
            f"cannot break results down by {str(by)[:64]!r} "
            f"(possible: {', '.join(d['id'] for d in dims) or 'none'})",
        )
    if compare is not None:
        ids = {g for g, _label in pooled.groups_of(live, by, live.current)} if by else set()
        if not (
            isinstance(compare, list)
            and len(compare) == 2
            and len(set(map(str, compare))) == 2
            and all(isinstance(c, str) and c in ids for c in compare)
        ):
            raise LiveError(
                "bad_payload", "compare must name two different groups of the breakdown"
            )
    return _change(live, breakdown=(by, tuple(compare) if compare else None))
