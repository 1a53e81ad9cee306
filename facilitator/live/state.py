"""Every payload a screen is sent, built in one place: the ``state`` snapshot per screen, the
``results``, ``questions`` and ``counts`` messages, a breakdown. Their shapes are the typed dicts
in ``payloads.py`` (docs/protocol.md)."""

from __future__ import annotations

import time
from typing import Any

from .. import kinds, store
from ..aggregate import CONTROL, PROJECTOR
from ..broadcast import state_to
from ..programme import Activity
from ..snapshot import EARLIER, OPEN, TABLE, Links, LiveState, activity_view
from . import pooled, results
from .answers import own_view
from .lookup import find, links
from .payloads import (
    Breakdown,
    BreakdownChoice,
    CommonState,
    ControlState,
    Counts,
    OutlineItem,
    Paced,
    ParticipantState,
    ProjectorState,
    QuestionsPayload,
    ResultsPayload,
    State,
)

# ------------------------------------------------------------------------- every screen


def _common(live: LiveState, role: str, now: float) -> CommonState:
    p = live.programme
    activity = live.current_activity
    t = live.timer
    return {
        "version": live.version,
        "code": live.code,
        "title": p.title,
        "languages": list(p.languages),
        "activity": activity_view(p, activity, role) if activity else None,
        "answering": live.answering,
        "ended": live.ended_at is not None,
        "position": {
            "index": p.position(activity.id) if activity else None,
            "total": len(p.activities),
        },
        "timer": None
        if t is None
        else {
            "activity": t.activity,
            "ends_at": int(t.ends_at * 1000),
            "seconds": t.seconds,
            "auto_close": t.auto_close,
        },
        "server_time": int(now * 1000),
    }


# ------------------------------------------------------------------------------ phones


def paced_view(live: LiveState) -> Paced | None:
    """The activities of a paced section, for phones that move through it themselves."""
    sid = live.paced_section
    if sid is None:
        return None
    p = live.programme
    section = p.section(sid)
    return {
        "section": sid,
        "activities": [
            dict(activity_view(p, a), answering=live.status(a.id).status == OPEN)
            for a in (p.activity(aid) for aid in section.activity_ids)
            if a is not None
        ],
    }


def _participant_state(
    live: LiveState, answers: dict[str, Any] | None, asked: dict[str, Any] | None, now: float
) -> ParticipantState:
    """A phone's state; ``answers`` and ``asked`` (its questions and votes) are its own (None in
    room broadcasts)."""
    state: ParticipantState = {  # type: ignore[typeddict-item]  # the rest just below
        **_common(live, "participant", now),
        "answers": answers,
        kinds.OWN_QUESTIONS: asked,
        "paced": paced_view(live),
        "free_text_warning": live.programme.free_text_warning,
        "privacy_notice": live.programme.privacy_notice,
    }
    state["questions"] = questions_view(live)
    state["resets"] = {aid: st.resets for aid, st in live.statuses.items() if st.resets}
    state["tables"] = live.tables
    return state


def has_own(state: ParticipantState) -> bool:
    """Whether a phone's state holds anything of its own (answers, questions, votes): one that
    does not can be served the page every phone of the live session shares."""
    return bool(state["answers"]) or bool(state[kinds.OWN_QUESTIONS])


def participant_snapshot(live: LiveState, participant_id: int) -> ParticipantState:
    """One phone's state, with its own answers, questions and table."""
    with_questions = any(kinds.of(a).questions for a in live.programme.activities)
    answers, asked, table = own_view(participant_id, with_questions)
    state = _participant_state(live, answers, asked, time.time())
    state["table"] = table
    state["profile"] = _profile_views(live)
    # activities answered per table on screen: this phone's table's newest answer
    own: dict[str, Any] = {}
    if table is not None:
        from .answers import table_answer

        for aid in results.on_phones(live):
            activity = live.programme.activity(aid)
            if activity is not None and kinds.of(activity).per_table:
                own[aid] = table_answer(live, activity, table)
    state["table_answers"] = own
    return state


def phones_state(live: LiveState) -> ParticipantState:
    """The state for every phone of a live session at once (no one's own answers, no table)."""
    state = _participant_state(live, None, None, time.time())
    state["profile"] = _profile_views(live)
    return state


def _profile_views(live: LiveState) -> list[dict[str, Any]] | None:
    """The profile questions phones answer at join, when the programme asks for that."""
    if not live.programme.profile_at_join:
        return None
    return [activity_view(live.programme, a) for a in live.programme.profile_activities]


def questions_payload(code: str, activity_id: str) -> QuestionsPayload | None:
    """The approved questions for the phones, while that Q&A is on their screens."""
    live = find(code)
    activity = live.programme.activity(activity_id) if live else None
    if (
        live is None
        or activity is None
        or not kinds.of(activity).questions
        or activity_id not in results.on_phones(live)
    ):
        return None
    res, _n, rev = results.result(live, activity_id, PROJECTOR)
    assert res is not None
    return {"activity": activity_id, "rev": rev, "questions": res["questions"]}


def questions_view(live: LiveState) -> QuestionsPayload | None:
    """The public question list of a Q&A the phones show now (a paced section: the first)."""
    for aid in sorted(results.on_phones(live), key=live.programme.position):
        activity = live.programme.activity(aid)
        if activity is not None and kinds.of(activity).questions:
            return questions_payload(live.code, aid)
    return None


# --------------------------------------------------------------------------- projector


def projector_snapshot(live: LiveState) -> ProjectorState:
    res, respondents = None, 0
    current = live.current_activity
    if current is not None and current.answerable:
        res, respondents, _ = results.result(live, current.id, PROJECTOR)
    link = links(live)
    visible = bool(live.current and live.status(live.current).results_visible)
    return {
        **_common(live, "projector", time.time()),
        "language": live.lang,
        # a QR code of the bare link only where the bare link joins: with table codes or
        # personal codes, phones join through what was printed for them
        "join": {
            "url": link.participant_url,
            "code": live.code,
            "qr": link.qr_url if live.join_mode == "open" else None,
            "mode": live.join_mode,
        },
        "results_visible": visible,
        "result": res if visible else None,
        "respondents": respondents,
        "breakdown": (
            breakdown_view(live, current.id, PROJECTOR) if current is not None and visible else None
        ),
        "breakdown_choice": breakdown_choice(live),
        "dimensions": pooled.dimensions(live),  # type: ignore[typeddict-item]
        "tables": live.tables,
        "spotlight": live.status(live.current).spotlight if live.current else None,
    }


# ----------------------------------------------------------------------------- control


def _outline_item(activity: Activity | None) -> OutlineItem:
    assert activity is not None
    return {
        "id": activity.id,
        "kind": activity.kind,
        "title": activity.title or activity.prompt,
        "optional": activity.optional,
        "placeholder": activity.placeholder,
        "answerable": activity.answerable,
        "keep_open": activity.keep_open,
    }


def control_snapshot(live: LiveState) -> ControlState:
    """The control screen's state: the whole outline and the full result."""
    p = live.programme
    res = None
    current = live.current_activity
    if current is not None and current.answerable:
        res = results.result(live, current.id)[0]
    section_counts = None
    if live.paced_section is not None:
        section_counts = {
            aid: results.respondents(live, aid)
            for aid in p.section(live.paced_section).activity_ids
            if p.activity(aid).answerable  # type: ignore[union-attr]
        }
    counts: Counts = results.counts(live)
    link: Links = links(live)
    return {
        **_common(live, "control", time.time()),
        "programme": {
            "id": p.id,
            "version": p.version,
            "status": p.status,
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "paced": s.paced,
                    "activities": [
                        _outline_item(p.activity(aid))
                        for aid in s.activity_ids
                        if p.activity(aid) is not None
                    ],
                }
                for s in p.sections
            ],
        },
        "language": live.lang,
        "current": live.current,
        "activity_states": {
            a.id: {
                "status": live.status(a.id).status,
                "results_visible": live.status(a.id).results_visible,
            }
            for a in p.activities
            if a.answerable
        },
        "accepting": [a.id for a in p.activities if live.status(a.id).status == OPEN],
        "results_visible": bool(live.current and live.status(live.current).results_visible),
        "result": res,
        "counts": counts,
        "links": {
            "participant_url": link.participant_url,
            "projector_url": link.projector_url,
            "control_url": link.control_url,
        },
        "join_locked": live.join_locked,
        "log": store.log_entries(live.id),
        "section_counts": section_counts,
        "breakdown": breakdown_view(live, current.id) if current is not None else None,
        "breakdown_choice": breakdown_choice(live),
        "dimensions": pooled.dimensions(live),  # type: ignore[typeddict-item]
        "tables": live.tables,
        "spotlight": live.status(live.current).spotlight if live.current else None,
        "holders": [t for t, _pid in live.status(live.current).holders] if live.current else [],
        "role_requests": role_requests(live),
    }


def role_requests(live: LiveState) -> list[int]:
    """Tables of the current activity where another phone asks for the role a phone holds."""
    from .cache import cache

    if live.current is None:
        return []
    held = dict(live.status(live.current).holders)
    c = cache()
    with c.lock:
        asked = [
            (table, pid)
            for (lid, aid, table), pid in c.role_requests.items()
            if lid == live.id and aid == live.current
        ]
    return sorted(t for t, pid in asked if t in held and held[t] != pid)


# ------------------------------------------------------------------------ a table's screen


def table_snapshot(live: LiveState, table: int) -> dict[str, Any]:
    """What the screen of one dialogue table shows (``/table/<code>/<n>``): the current
    activity, the table's phones (connected, answered: fewer than the privacy threshold is
    never a count), the table's result beside the room's once the projector shows results
    (a group below the threshold: none), and for a per-table kind the table's own part."""
    current = live.current_activity
    k = live.programme.privacy_threshold
    seats = results.table_counts(live).get(str(table), {"connected": 0, "joined": 0})
    out: dict[str, Any] = {
        **_common(live, "table", time.time()),
        "language": live.lang,
        "table": table,
        "tables": live.tables,
        "threshold": k,
        "connected": seats["connected"],
        "joined": seats["joined"],
        "answered": None,
        "answered_suppressed": False,
        "results_visible": False,
        "result": None,
        "room": None,
        "room_respondents": None,
        "own": None,
    }
    if current is None or not current.answerable:
        return out
    kind = kinds.of(current)
    visible = live.status(current.id).results_visible
    out["results_visible"] = visible
    if kind.per_table:
        from .answers import table_answer

        out["own"] = table_answer(live, current, table)
        if out["own"] is not None:  # a moderated report that is not approved stays off
            out["own"]["tables"] = [
                {key: v for key, v in t.items() if key != "status"}
                for t in out["own"]["tables"]
                if t.get("status", "approved") == "approved"
            ]
        answered = 1 if out["own"] and out["own"]["tables"] else 0
        out["answered"] = answered
    elif kind.breakdown:
        rows = results.breakdown_groups(live, current.id, TABLE, PROJECTOR)
        row = next((r for r in rows if r["id"] == str(table)), None)
        if row is not None:
            out["answered"] = row["n"]
            out["answered_suppressed"] = row["suppressed"]
            if visible:
                res = row["result"]
                if res is not None:
                    res = {key: v for key, v in res.items() if key != "whys"}
                out["result"] = res
    if visible:
        room, n, _rev = results.result(live, current.id, PROJECTOR)
        out["room"] = room  # what the projector shows the room
        out["room_respondents"] = n
    return out


# ------------------------------------------------------------------------- any screen


def snapshot_for(role: str, live: LiveState, participant_id: int | None = None) -> State:
    if role == "participant":
        assert participant_id is not None
        return participant_snapshot(live, participant_id)
    if role == "projector":
        return projector_snapshot(live)
    return control_snapshot(live)


def send_snapshot(sid: str, role: str, live: LiveState, participant_id: int | None = None) -> None:
    state_to(sid, snapshot_for(role, live, participant_id))  # type: ignore[arg-type]


# ------------------------------------------------------------------ results, breakdowns


def breakdown_view(live: LiveState, activity_id: str, audience: str = CONTROL) -> Breakdown | None:
    """The current breakdown of an activity's result, small groups suppressed."""
    activity = live.programme.activity(activity_id)
    dimension = live.breakdown_by
    if activity is None or dimension is None or not kinds.of(activity).breakdown:
        return None
    if activity.profile and dimension not in (TABLE, EARLIER):
        # profile questions are quasi-identifiers: never cross one with another
        return None
    rows = results.breakdown_groups(live, activity_id, dimension, audience)
    for row in rows:  # free text never appears per group: it could name who wrote it
        if row["result"] is not None:
            row["result"].pop("whys", None)
    return {
        "by": dimension,
        "compare": list(live.breakdown_compare or []) or None,
        "threshold": live.programme.privacy_threshold,
        "groups": rows,
    }


def breakdown_choice(live: LiveState) -> BreakdownChoice:
    """What results are broken down by, also on a slide that cannot be broken down."""
    return {"by": live.breakdown_by, "compare": list(live.breakdown_compare or []) or None}


def results_payloads(code: str, activity_id: str) -> tuple[ResultsPayload, ResultsPayload] | None:
    """The ``results`` message for the control screen and the projector's copy."""
    live = find(code)
    activity = live.programme.activity(activity_id) if live else None
    if live is None or activity is None:
        return None
    res, respondents, rev = results.result(live, activity_id)
    control: ResultsPayload = {
        "activity": activity_id,
        "kind": activity.kind,
        "rev": rev,
        "respondents": respondents,
        "result": res,
        "breakdown": breakdown_view(live, activity_id),
    }
    visible = live.status(activity_id).results_visible
    public = results.result(live, activity_id, PROJECTOR)[0] if visible else None
    public_breakdown = breakdown_view(live, activity_id, PROJECTOR) if visible else None
    return control, {**control, "result": public, "breakdown": public_breakdown}


def counts_payload(code: str) -> Counts | None:
    live = find(code)
    return results.counts(live) if live else None
