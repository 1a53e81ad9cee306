"""Use cases of a live session: start, join, respond, ask, and the facilitator's controls.

The only package that combines a write, a result and a broadcast, so that Socket.IO handlers,
HTTP views and the CLI stay thin and share the behaviour. Every failure is a ``LiveError`` with a
protocol error code and a message that says what was wrong. Callers use the names re-exported
here (``live.respond``, ``live.get``, ...). Nothing here tests a kind's name: it asks the kind
(``kinds.of(activity)``) for its capabilities.

Modules, one job each:

- ``cache``: ``LiveCache``, the in-process caches and their locks, one object per app
  (``app.extensions["dialoogtafel.live"]``, made by ``init_app``; ``live.cache()`` is the
  current app's, or outside an app context the served one's: tests and the bus's listener);
- ``checks``: ``LiveError`` and reading the fields requests share (activity, client id, table);
- ``lookup``: finding a live session by join code, starting one, its links;
- ``answers``: phones joining, connecting, answering (``respond``), choosing a table;
- ``access``: who may join (the join mode): table card keys and printed personal codes;
- ``questions``: ``ask`` and ``upvote``;
- ``control``: the facilitator's actions (goto/next, open/close, show results, moderation
  and approving all pending entries,
  hide words, reset, timer, lock joining, end, the breakdown choice, the language);
- ``sync``: the bus events for other server processes, and applying theirs (recount, resync);
- ``results``: reading a result, its respondents, its breakdown groups, the counts;
- ``pooled``: the room beside earlier rooms (earlier live sessions of the programme pooled, a
  breakdown dimension of its own);
- ``retention``: deleting a live session (typed confirmation), purging those whose retention
  ran out (a background task of the server), the record of deletions;
- ``payloads`` and ``state``: what the screens are sent, as typed dicts that mirror
  docs/protocol.md, and the one place that builds them.

In-process state (``LiveCache``; rebuilt from the database after a restart):
- the current ``LiveState`` per join code (a control action replaces it);
- one incremental ``Tally`` per activity (built once from the stored responses, then updated
  with every committed change while the writer still holds ``store.write_lock``, so it follows
  commit order), the breakdowns and the participants' segments;
- who is connected; the tokens of the participants who joined through this process, and (one
  process only) which of them have nothing of their own yet, so a phone's connect needs no
  query;
- the answers and the joins waiting for their group commit (``answers.GroupCommit``, one each).
With several server processes these caches are per process; ``sync`` keeps them in step.

Two locks, always taken in this order and never the other way round:
- ``store.write_lock`` serialises writers: commit, then update the caches. A writer may hold it
  for a long time (a write waiting for another process's SQLite lock);
- ``LiveCache.mem`` guards the contents of the result caches (tallies, revisions, segments,
  breakdowns) and is only ever held for in-memory work, never across a database call, a sleep
  or an emit. Screens read results under ``mem`` alone, so a waiting writer never stalls the
  control screen or the projector; only building a missing tally or breakdown from the
  database waits for ``write_lock`` (so that no commit falls between the recount and the
  cache).
(``LiveCache.lock`` guards the cached states and the connection counts; it is a leaf lock,
held for a dict operation only, never while taking another.)

Glossary (one word per concept; the wire protocol's field names follow it):
- **live session**: one run of a programme; a ``LiveState`` is always called ``live``.
- **dimension**: what results can be broken down by: ``"table"`` or a profile question's
  activity id (``live.breakdown_by``; the screens' ``dimensions``).
- **group**: one value of a dimension: a table number, an option of a profile question, or
  ``_none`` (not given).
- **segment**: a participant's group in each dimension (``LiveCache.segments``: participant id
  -> dimension -> group), from their table and their answers to profile questions.
- **breakdown**: an activity's result per group of one dimension (``LiveCache.breakdowns``:
  group -> tally; on the wire ``breakdown``). "Split" is not used.
"""

from __future__ import annotations

from typing import Any

from .. import store
from ..broadcast import coalescer
from ..bus import bus
from ..snapshot import LiveState
from .access import add_personal_codes, personal_code, personal_codes, spaced, table_key
from .answers import connected, join, participant_for, respond, set_table
from .cache import LiveCache, cache, install
from .checks import MAX_CLIENT_ID, LiveError, table_number
from .control import (
    QUESTION_ACTIONS,
    approve_all,
    end,
    goto,
    hand_holder,
    hide_word,
    moderate,
    publish,
    release_holder,
    reset_activity,
    set_answering,
    set_breakdown,
    set_join_locked,
    set_language,
    set_results_visible,
    spotlight,
    start_timer,
    step,
    stop_timer,
    tick,
)
from .lookup import (
    LiveSummary,
    find,
    get,
    links,
    normalise_code,
    screen_key,
    start,
    summaries,
    unknown,
)
from .questions import ask, upvote
from .results import counts, respondents, result
from .retention import delete, delete_after, deletions, purge, start_purging, vanished
from .state import (
    breakdown_view,
    control_snapshot,
    counts_payload,
    has_own,
    participant_snapshot,
    projector_snapshot,
    questions_payload,
    results_payloads,
    send_snapshot,
    snapshot_for,
    table_snapshot,
)
from .sync import apply_remote

__all__ = [
    "MAX_CLIENT_ID",
    "QUESTION_ACTIONS",
    "LiveCache",
    "LiveError",
    "LiveState",
    "LiveSummary",
    "apply_remote",
    "approve_all",
    "ask",
    "breakdown_view",
    "cache",
    "connected",
    "control_snapshot",
    "counts",
    "end",
    "find",
    "get",
    "goto",
    "hand_holder",
    "hide_word",
    "has_own",
    "init_app",
    "join",
    "links",
    "moderate",
    "normalise_code",
    "participant_for",
    "participant_snapshot",
    "projector_snapshot",
    "publish",
    "release_holder",
    "reset_activity",
    "reset_caches",
    "respond",
    "respondents",
    "result",
    "send_snapshot",
    "set_answering",
    "set_breakdown",
    "set_join_locked",
    "set_language",
    "set_results_visible",
    "set_table",
    "snapshot_for",
    "spotlight",
    "start",
    "start_timer",
    "summaries",
    "step",
    "stop_timer",
    "screen_key",
    "table_number",
    "table_snapshot",
    "tick",
    "upvote",
    "delete",
    "delete_after",
    "deletions",
    "purge",
    "start_purging",
    "unknown",
    "vanished",
    "add_personal_codes",
    "personal_code",
    "personal_codes",
    "spaced",
    "table_key",
]


def init_app(app: Any) -> None:
    """Give the app its caches, start the coalesced broadcaster and the bus for this app."""
    install(app)
    store._programmes.clear()
    coalescer.start(
        app,
        results_payloads,
        counts_payload,
        questions_payload,
        tick,
        app.config["BROADCAST_INTERVAL"],
        settle=1.0 if app.config.get("MESSAGE_QUEUE") else None,
    )
    bus.init_app(app, apply_remote)


def reset_caches() -> None:
    """Forget every in-process cache (tests; the CLI): the served app's and the programmes
    parsed per live session. (Each app has caches of its own: a new app starts empty.)"""
    cache().clear()
    store._programmes.clear()
