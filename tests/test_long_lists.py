"""Long free-text lists (issue 16): the live screens' results are cut (``Tally.cut``) so that a
room of thousands writing at once does not send thousands of entries with every update. The
projector gets the newest approved entries and how many earlier ones it did not get; the control
screen the moderation queue (the oldest pending) and the newest approved and hidden entries,
with the count of each status. The exports list every entry."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from facilitator import live, store
from facilitator.aggregate import new_tally
from facilitator.export_service import build, write
from facilitator.live.cache import LISTED
from facilitator.programme import load_programme

ROOM = Path(__file__).resolve().parent / "programmes" / "room.yaml"
P = load_programme(ROOM)

# ten entries, keys 0..9, with these statuses
STATUS = {
    0: "pending",
    1: "approved",
    2: "approved",
    3: "hidden",
    4: "pending",
    5: "approved",
    6: "approved",
    7: "pending",
    8: "approved",
    9: "hidden",
}


def text_tally(cut: int | None) -> Any:
    tally = new_tally(P.activity("tekst_na"), lambda k: f"e{k}")
    tally.cut = cut
    for k, status in STATUS.items():
        tally.add(k, f"t{k}")
        tally.set_status(k, status)
    return tally


def scale_tally(cut: int | None) -> Any:
    tally = new_tally(P.activity("schaal"), lambda k: f"e{k}")
    tally.cut = cut
    for k, status in STATUS.items():
        tally.add(k, {"position": 1 + k % 5, "why": f"t{k}"})
        tally.set_status(k, status)
    tally.add(10, {"position": 3})  # no "why": never listed
    return tally


def ids(entries: list[dict[str, Any]]) -> list[str]:
    return [e["id"] for e in entries]


@pytest.mark.parametrize(
    ("cut", "projector", "unlisted"),
    [
        (None, ["e1", "e2", "e5", "e6", "e8"], None),
        (10, ["e1", "e2", "e5", "e6", "e8"], None),
        (5, ["e1", "e2", "e5", "e6", "e8"], None),
        (2, ["e6", "e8"], 3),
        (1, ["e8"], 4),
    ],
)
def test_the_projector_gets_the_newest_approved_entries(
    cut: int | None, projector: list[str], unlisted: int | None
) -> None:
    result = text_tally(cut).result("projector")
    assert ids(result["entries"]) == projector
    assert [e["text"] for e in result["entries"]] == [f"t{i[1:]}" for i in projector]
    assert result.get("unlisted") == unlisted
    assert "statuses" not in result and result["n"] == 10
    whys = scale_tally(cut).result("projector")
    assert ids(whys["whys"]) == projector and whys.get("whys_unlisted") == unlisted
    assert "whys_statuses" not in whys and whys["n"] == 11


@pytest.mark.parametrize(
    ("cut", "control", "unlisted"),
    [
        (None, [f"e{k}" for k in range(10)], None),
        (5, [f"e{k}" for k in range(10)], None),
        (3, ["e0", "e3", "e4", "e5", "e6", "e7", "e8", "e9"], 2),
        # the oldest 2 pending (0, 4), the newest 2 approved (6, 8) and hidden (3, 9)
        (2, ["e0", "e3", "e4", "e6", "e8", "e9"], 4),
        (1, ["e0", "e8", "e9"], 7),
    ],
)
def test_the_control_screen_gets_the_queue_and_the_newest(
    cut: int | None, control: list[str], unlisted: int | None
) -> None:
    counts = {"pending": 3, "approved": 5, "hidden": 2}
    result = text_tally(cut).result("control")
    assert ids(result["entries"]) == control
    assert [e["status"] for e in result["entries"]] == [STATUS[int(i[1:])] for i in control]
    assert result.get("unlisted") == unlisted
    assert result.get("statuses") == (counts if unlisted else None)
    whys = scale_tally(cut).result("control")
    assert ids(whys["whys"]) == control and whys.get("whys_unlisted") == unlisted
    assert whys.get("whys_statuses") == (counts if unlisted else None)


def test_the_wall_gets_at_most_a_hundred() -> None:
    tally = new_tally(P.activity("tekst_na"), lambda k: f"e{k}")
    tally.cut = LISTED
    for k in range(250):
        tally.add(k, f"t{k}")
        tally.set_status(k, "approved")
    projector, control = tally.result("projector"), tally.result("control")
    assert ids(projector["entries"]) == [f"e{k}" for k in range(150, 250)]
    assert projector["unlisted"] == 150
    assert ids(control["entries"]) == [f"e{k}" for k in range(50, 250)]
    assert control["unlisted"] == 50
    assert control["statuses"] == {"pending": 0, "approved": 250, "hidden": 0}


def test_live_results_are_cut_and_the_export_lists_every_entry(app) -> None:
    """230 phones answer the open text (moderation after: approved at once) and the scale with
    a why (moderation before: pending). The live results are cut at LISTED; approve_all
    approves the unlisted entries too; the JSON export lists all 230 of each."""
    n = 230
    with app.app_context():
        room = live.start(load_programme(ROOM), ROOM.name)
        live.goto(room, "tekst_na")
        pids = [store.create_participant(room.id)[0] for _ in range(n)]
        for i, pid in enumerate(pids):
            ack = live.respond(
                room,
                pid,
                {"activity": "tekst_na", "value": f"antwoord {i}", "client_id": f"tekst-{i:05d}"},
            )
            assert ack["ok"] is True
        room = live.goto(live.get(room.code), "schaal")
        for i, pid in enumerate(pids):
            value = {"position": 1 + i % 5, "why": f"omdat {i}"}
            assert (
                live.respond(
                    room,
                    pid,
                    {"activity": "schaal", "value": value, "client_id": f"schaal-{i:05d}"},
                )["ok"]
                is True
            )
        room = live.get(room.code)

        projector, respondents, _rev = live.result(room, "tekst_na", "projector")
        assert respondents == n and projector is not None
        assert [e["text"] for e in projector["entries"]] == [
            f"antwoord {i}" for i in range(n - 100, n)
        ]
        assert projector["unlisted"] == n - 100
        control = live.result(room, "tekst_na", "control")[0]
        assert control is not None
        assert [e["text"] for e in control["entries"]] == [
            f"antwoord {i}" for i in range(n - LISTED, n)
        ]
        assert control["unlisted"] == n - LISTED
        assert control["statuses"] == {"pending": 0, "approved": n, "hidden": 0}

        # the scale's whys all wait: the control screen gets the oldest 200 of the queue
        whys = live.result(room, "schaal", "control")[0]
        assert whys is not None and whys["n"] == n
        assert [e["text"] for e in whys["whys"]] == [f"omdat {i}" for i in range(LISTED)]
        assert whys["whys_statuses"] == {"pending": n, "approved": 0, "hidden": 0}
        assert whys["whys_unlisted"] == n - LISTED
        shown = live.result(room, "schaal", "projector")[0]
        assert shown is not None and shown["whys"] == [] and "whys_unlisted" not in shown
        live.approve_all(room, {"activity": "schaal"})
        shown = live.result(live.get(room.code), "schaal", "projector")[0]
        assert shown is not None
        assert [e["text"] for e in shown["whys"]] == [f"omdat {i}" for i in range(n - 100, n)]
        assert shown["whys_unlisted"] == n - 100

        out = io.BytesIO()
        write(build([room.code]), "json", out)
        doc = json.loads(out.getvalue())
    results = doc["results"]
    assert [e["text"] for e in results["tekst_na"]["result"]["entries"]] == [
        f"antwoord {i}" for i in range(n)
    ]
    assert "unlisted" not in results["tekst_na"]["result"]
    assert [e["text"] for e in results["schaal"]["result"]["whys"]] == [
        f"omdat {i}" for i in range(n)
    ]
