"""The editor's preview: the activity being edited as a phone and the projector show it, drawn
by the real screens (no second renderer). A throw-away live session is started with only that
activity, sample answers (each kind's ``sample_answers``) are given through the same use cases
a phone uses, and the real participant and projector pages of that live session are shown in
the editor's frames.

Pure core (no Flask). Preview live sessions are marked by their programme file name
(``PREVIEW_FILE``), left out of the control screen's list, and deleted when the same editor
asks for a new preview or after an hour.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .. import kinds, live, store
from ..programme import parse_programme

PREVIEW_FILE = "(editor preview)"
MAX_AGE = timedelta(hours=1)
SAMPLE_PHONES = 4


def is_preview(code: str) -> bool:
    found = live.find(code)
    return found is not None and found.programme_file == PREVIEW_FILE


def start(
    data: Any, activity_id: str, base_dir: str | Path, previous: str | None = None
) -> tuple[Any, list[str]]:
    """A preview live session of one activity of ``data`` (the editor's programme), with
    sample answers; returns (live state or None, the programme check's problems)."""
    if previous and is_preview(previous):
        store.delete_live(previous, reason=None)
    _purge()
    prog = copy.deepcopy(data.get("programme")) if isinstance(data, dict) else None
    if not isinstance(prog, dict):
        return None, ["file: expected a programme"]
    activity = None
    for s in prog.get("sections") or []:
        for a in (s.get("activities") or []) if isinstance(s, dict) else []:
            if isinstance(a, dict) and a.get("id") == activity_id:
                activity = a
    if activity is None:
        return None, [f"activity '{activity_id}': not found"]
    activity.pop("compare_with", None)
    activity.pop("moderation", None)
    settings = dict(prog.get("settings") or {})
    settings["moderation"] = "none"  # samples are shown at once
    settings.pop("profile_at_join", None)
    prog["settings"] = settings
    prog["sections"] = [
        {"id": "preview", "title": prog.get("title") or {}, "activities": [activity]}
    ]
    from ..programme import ProgrammeError

    try:
        programme = parse_programme({"programme": prog}, "preview", base_dir)
    except ProgrammeError as exc:
        return None, exc.problems
    state = live.start(programme, PREVIEW_FILE, 0)
    act = programme.activities[0]
    state = live.goto(state, act.id)
    kind = kinds.of(act)
    samples = kind.sample_answers(act, SAMPLE_PHONES)
    for i, sample in enumerate(samples):
        _state, pid, _token = live.join(state.code)
        if kind.questions:
            live.ask(state, pid, {"activity": act.id, "client_id": f"preview-{i}", "text": sample})
        else:
            live.respond(
                state, pid, {"activity": act.id, "client_id": f"preview-{i}", "value": sample}
            )
    if samples:
        state = live.set_results_visible(state, True)
    return state, []


def _purge() -> None:
    cutoff = datetime.now(UTC).replace(tzinfo=None) - MAX_AGE
    for s in store.list_lives():
        created = s.created_at.replace(tzinfo=None) if s.created_at.tzinfo else s.created_at
        if created < cutoff and is_preview(s.code):
            store.delete_live(s.code, reason=None)
