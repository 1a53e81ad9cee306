"""What each screen is sent: the state of a live session, shaped per screen.

Pure core. ``LiveState`` is the domain value ``store`` returns; ``activity_view`` is the public
description of one activity (never presenter notes or reference internals a phone does not need),
``dimensions`` and ``groups`` what results can be broken down by. The whole ``state`` snapshots
(docs/protocol.md) are built in ``facilitator/live/state.py``.
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


def _options(options: Any) -> list[dict[str, Any]]:
    return [{"id": o.id, "label": o.label, "description": o.description,
             "placeholder": o.placeholder} for o in options]


def activity_view(programme: Programme, activity: Activity, role: str = "participant"
                  ) -> dict[str, Any]:
    """The description of an activity as a screen draws it; ``role`` decides the extras
    (reference for control and projector, presenter notes for control)."""
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
    if activity.kind in ("single_choice", "multi_choice", "ranking"):
        view["options"] = _options(activity.options)
    if activity.kind == "matrix":
        view["items"] = _options(activity.items)
        view["ratings"] = [{"id": r.id, "label": r.label, "polarity": r.polarity or "neutral"}
                           for r in activity.ratings]
    if activity.kind == "word_cloud":
        view["max_words"] = activity.max_words
        view["max_length"] = activity.max_length
    if activity.kind in ("open_text", "qna", "word_cloud", "scale"):
        view["moderated"] = activity.moderated
    view["timer"] = ({"seconds": activity.timer.seconds, "auto_close": activity.timer.auto_close}
                     if activity.timer else None)
    if role in ("control", "projector") and activity.kind in ("single_choice", "multi_choice"):
        ref = activity.reference
        view["reference"] = None if ref is None else {
            "title": ref.title, "source": ref.source_name, "n": ref.n, "year": ref.year,
            "unit": ref.unit, "values": dict(ref.values), "sums_to_100": ref.sums_to_100,
            "notes": ref.notes}
    if role == "control":
        view["presenter_notes"] = activity.presenter_notes
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
        view["compare_with"] = activity.compare_with
    if activity.kind in ("open_text", "qna"):
        view["max_length"] = activity.max_length
    return view


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
