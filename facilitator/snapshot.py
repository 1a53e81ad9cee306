"""What each screen is sent: the state of a live session, shaped per screen.

Pure core. ``LiveState`` is the domain value ``store`` returns; the ``*_state`` functions build the
JSON-ready snapshots documented in docs/protocol.md (``state`` event), and ``activity_view`` the
public description of one activity (never presenter notes or reference internals a phone does not
need).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import kinds
from .programme import Activity, Programme

PENDING, OPEN, CLOSED = "pending", "open", "closed"


@dataclass(frozen=True)
class ActivityStatus:
    status: str = PENDING
    results_visible: bool = False
    hidden_words: tuple[str, ...] = ()
    approved_words: tuple[str, ...] = ()
    #: how often the facilitator deleted this activity's responses (phones drop older answers)
    resets: int = 0


@dataclass(frozen=True)
class Countdown:
    """A running timer: ``ends_at`` in seconds since the epoch."""

    activity: str
    ends_at: float
    seconds: int
    auto_close: bool = True


@dataclass(frozen=True)
class LiveState:
    id: int
    code: str
    programme: Programme
    version: int
    current: str | None
    control_key: str
    projector_key: str
    created_at: datetime
    ended_at: datetime | None = None
    join_locked: bool = False
    programme_file: str = ""
    statuses: dict[str, ActivityStatus] = field(default_factory=dict)
    timer: Countdown | None = None
    tables: int = 0
    breakdown_by: str | None = None
    breakdown_compare: tuple[str, ...] | None = None

    def status(self, activity_id: str) -> ActivityStatus:
        return self.statuses.get(activity_id, ActivityStatus())

    @property
    def current_activity(self) -> Activity | None:
        return self.programme.activity(self.current) if self.current else None

    @property
    def paced_section(self) -> str | None:
        """The section of the current activity, when participants move through it themselves."""
        activity = self.current_activity
        if activity is None:
            return None
        section = self.programme.section(activity.section_id)
        return section.id if section.paced else None

    @property
    def answering(self) -> bool:
        """Whether the current activity takes answers now."""
        return self.current is not None and self.status(self.current).status == OPEN


@dataclass(frozen=True)
class Links:
    participant_url: str
    projector_url: str
    control_url: str
    qr_url: str


def activity_view(programme: Programme, activity: Activity, role: str = "participant"
                  ) -> dict[str, Any]:
    """The description of an activity as a screen draws it: the common keys here, the kind's
    own from ``Kind.view``; ``role`` decides the extras (reference for control and projector,
    presenter notes for control)."""
    kind = kinds.of(activity)
    section = programme.section(activity.section_id)
    view: dict[str, Any] = {
        "id": activity.id,
        "kind": activity.kind,
        "section": {"id": section.id, "title": section.title},
        "title": activity.title,
        "prompt": activity.prompt,
        "placeholder": activity.placeholder,
        "optional": activity.optional,
    }
    own = kind.view(activity, role)
    follows = kind.view_follows
    view.update((k, v) for k, v in own.items() if k not in follows)
    view["timer"] = ({"seconds": activity.timer.seconds, "auto_close": activity.timer.auto_close}
                     if activity.timer else None)
    view.update((k, v) for k, v in own.items() if follows.get(k) == "timer")
    if role == "control":
        view["presenter_notes"] = activity.presenter_notes
    view.update((k, v) for k, v in own.items() if follows.get(k) == "presenter_notes")
    return view


def _common(live: LiveState, role: str, now: float) -> dict[str, Any]:
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
        "position": {"index": p.position(activity.id) if activity else None,
                     "total": len(p.activities)},
        "timer": None if t is None else {"activity": t.activity,
                                         "ends_at": int(t.ends_at * 1000),
                                         "seconds": t.seconds, "auto_close": t.auto_close},
        "server_time": int(now * 1000),
    }


def paced_view(live: LiveState) -> dict[str, Any] | None:
    """The activities of a paced section, for phones that move through it themselves."""
    sid = live.paced_section
    if sid is None:
        return None
    p = live.programme
    section = p.section(sid)
    return {"section": sid,
            "activities": [dict(activity_view(p, a), answering=live.status(a.id).status == OPEN)
                           for a in (p.activity(aid) for aid in section.activity_ids)
                           if a is not None]}


def participant_state(live: LiveState, answers: dict[str, Any] | None, now: float,
                      qna: dict[str, Any] | None = None) -> dict[str, Any]:
    """Snapshot for a phone; ``answers`` and ``qna`` are its own (None in room broadcasts)."""
    state = _common(live, "participant", now)
    state["answers"] = answers
    state["qna"] = qna
    state["paced"] = paced_view(live)
    state["free_text_warning"] = live.programme.free_text_warning
    state["privacy_notice"] = live.programme.privacy_notice
    return state


def projector_state(live: LiveState, links: Links, result: dict[str, Any] | None,
                    respondents: int, now: float) -> dict[str, Any]:
    """Snapshot for the projector; ``result`` is the projector's view (approved texts only)."""
    state = _common(live, "projector", now)
    visible = bool(live.current and live.status(live.current).results_visible)
    state["join"] = {"url": links.participant_url, "code": live.code, "qr": links.qr_url}
    state["results_visible"] = visible
    state["result"] = result if visible else None
    state["respondents"] = respondents
    return state


def control_state(live: LiveState, links: Links, result: dict[str, Any] | None,
                  counts: dict[str, int], now: float, log: list[dict[str, Any]],
                  section_counts: dict[str, int] | None) -> dict[str, Any]:
    """Snapshot for the control screen: the whole outline and the full result."""
    p = live.programme
    state = _common(live, "control", now)
    state["programme"] = {
        "id": p.id, "version": p.version, "status": p.status,
        "sections": [{
            "id": s.id, "title": s.title, "paced": s.paced,
            "activities": [_outline_item(p.activity(aid)) for aid in s.activity_ids
                           if p.activity(aid) is not None],
        } for s in p.sections],
    }
    state["current"] = live.current
    state["activity_states"] = {
        a.id: {"status": live.status(a.id).status,
               "results_visible": live.status(a.id).results_visible}
        for a in p.activities if a.answerable
    }
    state["results_visible"] = bool(live.current and live.status(live.current).results_visible)
    state["result"] = result
    state["counts"] = counts
    state["links"] = {"participant_url": links.participant_url,
                      "projector_url": links.projector_url,
                      "control_url": links.control_url}
    state["join_locked"] = live.join_locked
    state["log"] = log
    state["section_counts"] = section_counts
    return state


def _outline_item(activity: Activity | None) -> dict[str, Any]:
    assert activity is not None
    return {"id": activity.id, "kind": activity.kind,
            "title": activity.title or activity.prompt,
            "optional": activity.optional, "placeholder": activity.placeholder,
            "answerable": activity.answerable}


TABLE = "table"


def dimensions(live: LiveState) -> list[dict[str, Any]]:
    """What results can be broken down by: the tables (if any), then each profile question."""
    out: list[dict[str, Any]] = []
    if live.tables:
        out.append({"id": TABLE, "label": {"nl": "Tafel", "en": "Table"}})
    for a in live.programme.profile_activities:
        out.append({"id": a.id, "label": a.segment_label or a.title or a.prompt})
    return out


def groups(live: LiveState, dimension: str) -> list[tuple[str, Any]]:
    """The groups of a dimension, in display order: (group id, label)."""
    none = ("_none", {"nl": "Niet opgegeven", "en": "Not given"})
    if dimension == TABLE:
        return [(str(n), {"nl": f"Tafel {n}", "en": f"Table {n}"})
                for n in range(1, live.tables + 1)] + [none]
    activity = live.programme.activity(dimension)
    assert activity is not None
    return [(o.id, o.label) for o in activity.options] + [none]
