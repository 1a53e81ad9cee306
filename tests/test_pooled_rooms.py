"""The room beside earlier rooms (live/pooled.py), in process: two earlier live sessions of the
same programme are pooled beside the current room's result on the control screen and the
projector (a breakdown dimension of its own, clearly headed), never on phones; a live session of
another version whose activity has other options is left out, one of another programme too; the
pooled numbers are the pooled export's own."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from facilitator import create_app, live
from facilitator import export_service as exports
from facilitator.live import retention
from facilitator.programme import load_programme, parse_programme
from tests.inprocess import app_config

HERE = Path(__file__).resolve().parent
TABLES = HERE / "programmes" / "tables.yaml"
MINI = HERE / "programmes" / "mini.yaml"


def run(code: str, votes: list[str]) -> None:
    """Phones of a live session vote on 'kies'."""
    state = live.goto(live.get(code), "kies")
    state = live.set_answering(state, True)
    for i, vote in enumerate(votes):
        _s, pid, _token = live.join(code)
        ack = live.respond(
            state, pid, {"activity": "kies", "client_id": f"client-{i:05d}", "value": vote}
        )
        assert ack["ok"] is True
    live.set_answering(live.get(code), False)


@pytest.fixture
def app(tmp_path: Path):
    app = create_app(app_config(tmp_path))
    yield app
    live.reset_caches()


def test_two_earlier_rooms_pooled_beside_this_room(app: Any) -> None:
    programme = load_programme(TABLES)
    data = yaml.safe_load(TABLES.read_text())
    data["programme"]["version"] = "2-other-options"
    data["programme"]["sections"][0]["activities"][0]["options"].append(
        {"id": "blauw", "nl": "Blauw", "en": "Blue"}
    )
    other_version = parse_programme(data, "other.yaml")
    with app.app_context():
        first = live.start(programme, TABLES.name)
        run(first.code, ["rood"] * 4 + ["groen"] * 1)
        time.sleep(0.002)  # creation times in order
        second = live.start(programme, TABLES.name)
        run(second.code, ["rood"] * 2 + ["groen"] * 3)
        time.sleep(0.002)
        changed = live.start(other_version, "other.yaml")
        run(changed.code, ["blauw"] * 9)
        elsewhere = live.start(load_programme(MINI), MINI.name)
        time.sleep(0.002)
        room = live.start(programme, TABLES.name)
        run(room.code, ["groen"] * 3)

        state = live.control_snapshot(live.get(room.code))
        earlier = next(d for d in state["dimensions"] if d["id"] == "_earlier")
        assert [s["code"] for s in earlier["sessions"]] == [first.code, second.code, changed.code]
        dates = ", ".join(x.created_at.strftime("%d-%m-%Y") for x in (first, second, changed))
        assert earlier["heading"]["en"] == (
            f"This room beside earlier sessions of this programme, pooled ({dates})"
        )
        live.set_breakdown(live.get(room.code), {"by": "_earlier"})
        live.set_results_visible(live.get(room.code), True)
        current = live.get(room.code)
        for audience in ("control", "projector"):
            view = live.breakdown_view(current, "kies", audience)
            assert view is not None and view["by"] == "_earlier"
            rows = {g["id"]: g for g in view["groups"]}
            assert list(rows) == ["room", "earlier"]
            assert rows["room"]["n"] == 3
            assert {o["id"]: o["count"] for o in rows["room"]["result"]["options"]} == {
                "rood": 0,
                "groen": 3,
            }
            # the two earlier rooms with the same options; not the other version, not mini
            assert rows["earlier"]["n"] == 10
            assert {o["id"]: o["count"] for o in rows["earlier"]["result"]["options"]} == {
                "rood": 6,
                "groen": 4,
            }
            assert rows["earlier"]["label"] == {
                "nl": "Eerdere sessies (2)",
                "en": "Earlier sessions (2)",
            }
        projector = live.projector_snapshot(current)
        assert projector["breakdown"]["groups"][1]["n"] == 10
        assert any(d["id"] == "_earlier" for d in projector["dimensions"])
        # phones never see it
        _s, pid, _t = live.join(room.code)
        phone = json.dumps(live.participant_snapshot(current, pid))
        assert "_earlier" not in phone and "Eerdere sessies" not in phone
        assert elsewhere.code not in json.dumps(state)

        # the same numbers as the pooled export of the two earlier rooms
        exp = exports.build([first.code, second.code])
        out = io.BytesIO()
        exports.write(exp, "json", out)
        pooled = json.loads(out.getvalue())["results"]["kies"]["result"]
        assert {o["id"]: o["count"] for o in pooled["options"]} == {"rood": 6, "groen": 4}
        assert pooled["respondents"] == 10

        # the first live session has no earlier one: no such dimension, and asking for it fails
        assert all(d["id"] != "_earlier" for d in live.control_snapshot(first)["dimensions"])
        with pytest.raises(live.LiveError) as err:
            live.set_breakdown(live.get(first.code), {"by": "_earlier"})
        assert err.value.code == "bad_payload"

        # a deleted earlier room leaves the comparison at once (no cached pool of it is kept)
        retention.delete(second.code, "test")
        view = live.breakdown_view(live.get(room.code), "kies", "control")
        assert view is not None
        rows = {g["id"]: g for g in view["groups"]}
        assert rows["earlier"]["n"] == 5
        assert {o["id"]: o["count"] for o in rows["earlier"]["result"]["options"]} == {
            "rood": 4,
            "groen": 1,
        }
        assert rows["earlier"]["label"] == {
            "nl": "Eerdere sessies (1)",
            "en": "Earlier sessions (1)",
        }
