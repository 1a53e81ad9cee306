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

from .programme import Activity, Programme

PENDING, OPEN, CLOSED = "pending", "open", "closed"


@dataclass(frozen=True)
class ActivityStatus:
    status: str = PENDING
    results_visible: bool = False


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

    def status(self, activity_id: str) -> ActivityStatus:
        return self.statuses.get(activity_id, ActivityStatus())

    @property
    def current_activity(self) -> Activity | None:
        return self.programme.activity(self.current) if self.current else None

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


def activity_view(programme: Programme, activity: Activity) -> dict[str, Any]:
    """The public description of an activity, as every screen draws it."""
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
    if activity.kind == "info":
        view["body"] = activity.body
        view["quotes"] = list(activity.quotes)
        view["links"] = list(activity.links)
    if activity.kind in ("single_choice", "multi_choice"):
        view["options"] = [{"id": o.id, "label": o.label, "description": o.description,
                            "placeholder": o.placeholder} for o in activity.options]
    if activity.kind == "multi_choice":
        view["max_choices"] = activity.max_choices
    if activity.kind == "scale" and activity.scale:
        s = activity.scale
        view["scale"] = {
            "min": s.min, "max": s.max, "step": s.step, "slider": s.slider,
            "left": s.left_label, "right": s.right_label, "mid": s.mid_label,
            "placeholder": s.placeholder,
            "why": ({"prompt": activity.why.prompt, "max_length": activity.why.max_length}
                    if activity.why else None),
        }
    if activity.kind == "open_text":
        view["max_length"] = activity.max_length
    return view


def _common(live: LiveState) -> dict[str, Any]:
    p = live.programme
    activity = live.current_activity
    return {
        "version": live.version,
        "code": live.code,
        "title": p.title,
        "languages": list(p.languages),
        "activity": activity_view(p, activity) if activity else None,
        "answering": live.answering,
        "ended": live.ended_at is not None,
        "position": {"index": p.position(activity.id) if activity else None,
                     "total": len(p.activities)},
    }


def participant_state(live: LiveState, answers: dict[str, Any] | None) -> dict[str, Any]:
    """Snapshot for a phone; ``answers`` are its own stored answers (None in room broadcasts)."""
    state = _common(live)
    state["answers"] = answers
    state["free_text_warning"] = live.programme.free_text_warning
    return state


def projector_state(live: LiveState, links: Links, result: dict[str, Any] | None,
                    respondents: int) -> dict[str, Any]:
    """Snapshot for the projector; ``result`` must already be None when results are hidden."""
    state = _common(live)
    visible = bool(live.current and live.status(live.current).results_visible)
    state["join"] = {"url": links.participant_url, "code": live.code, "qr": links.qr_url}
    state["results_visible"] = visible
    state["result"] = result if visible else None
    state["respondents"] = respondents
    return state


def control_state(live: LiveState, links: Links, result: dict[str, Any] | None,
                  counts: dict[str, int]) -> dict[str, Any]:
    """Snapshot for the control screen: the whole outline and the full result."""
    p = live.programme
    state = _common(live)
    state["programme"] = {
        "id": p.id, "version": p.version, "status": p.status,
        "sections": [{
            "id": s.id, "title": s.title,
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
    return state


def _outline_item(activity: Activity | None) -> dict[str, Any]:
    assert activity is not None
    return {"id": activity.id, "kind": activity.kind,
            "title": activity.title or activity.prompt,
            "optional": activity.optional, "placeholder": activity.placeholder,
            "answerable": activity.answerable}
