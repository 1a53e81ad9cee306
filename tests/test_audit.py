"""Issue 12, the outside audit's findings, each against the real server (app.py) or a real
process: a client id reused for another answer, ... (one test per finding; docs/reliability.md
lists them with what was observed)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.livesrv import MINI, Phone, Screen, create_live

pytestmark = pytest.mark.server


def _room(server: Any) -> tuple[dict[str, Any], Screen]:
    info = create_live(server, MINI)
    control = Screen(server, info["code"], "control", info["control_key"]).connect()
    return info, control


def test_a_reused_client_id_is_refused_not_acked_as_a_duplicate(module_server: Any) -> None:
    info, control = _room(module_server)
    phone = Phone(module_server, info["code"]).connect()
    control.control("goto", {"activity": "kies"})
    cid = uuid.uuid4().hex
    first = phone.respond("kies", "rood", cid)
    assert first == {
        "ok": True,
        "activity": "kies",
        "client_id": cid,
        "value": "rood",
        "duplicate": False,
    }
    # the same id, activity and value: a retry, acknowledged again and counted once
    assert phone.respond("kies", "rood", cid) == {**first, "duplicate": True}
    # the same id for another value of the same activity: refused, the answer stays "rood"
    other_value = phone.respond("kies", "groen", cid)
    assert other_value["ok"] is False and other_value["error"]["code"] == "client_id_reused"
    # the same id for another activity (answering open there too): refused, nothing stored
    control.control("goto", {"activity": "meer"})
    other_activity = phone.respond("meer", ["a"], cid)
    assert other_activity["ok"] is False, other_activity
    assert other_activity["error"]["code"] == "client_id_reused"
    assert phone.call("snapshot")["state"]["answers"] == {"kies": "rood"}
    # after answering closed, a retry of the first answer is still a duplicate; a reuse is not
    control.control("close_answering")
    assert phone.respond("kies", "rood", cid) == {**first, "duplicate": True}
    late = phone.respond("kies", "blauw", cid)
    assert late["ok"] is False and late["error"]["code"] == "client_id_reused"
    module_server.assert_no_tracebacks()
