"""Segments (profile questions), dialogue tables and results broken down by them, with the
privacy threshold; the printable table cards. tests/programmes/segments.yaml lists the ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from facilitator import live
from facilitator.aggregate import breakdown, new_tally
from facilitator.extensions import socketio
from facilitator.programme import load_programme

SEGMENTS = Path(__file__).resolve().parent / "programmes" / "segments.yaml"
P = load_programme(SEGMENTS)


@pytest.fixture
def seg(app):
    with app.app_context():
        return live.start(load_programme(SEGMENTS), SEGMENTS.name)


def phone(app, code: str, table: int | None = None):
    http = app.test_client()
    url = f"/j/{code}" + (f"?t={table}" if table else "")
    resp = http.get(url)
    assert resp.status_code in (200, 302), resp.status_code
    sock = socketio.test_client(
        app, flask_test_client=http, auth={"role": "participant", "code": code}
    )
    assert sock.is_connected()
    return sock


def control(app, seg):
    return socketio.test_client(
        app, auth={"role": "control", "code": seg.code, "key": seg.control_key}
    )


def ok(ack):
    assert ack["ok"] is True, ack
    return ack


def say(p, activity: str, value, tag: str):
    return ok(
        p.emit(
            "respond",
            {"activity": activity, "value": value, "client_id": f"{activity}-{tag}-0001"},
            callback=True,
        )
    )


# ------------------------------------------------------------------------- pure: breakdown


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        # group sizes -> (n, suppressed) per group; threshold 3
        ({"a": 3, "b": 2, "c": 0}, [(3, False), (None, True), (0, False)]),
        ({"a": 1, "b": 5, "c": 3}, [(None, True), (5, False), (3, False)]),
        ({"a": 0, "b": 0, "c": 0}, [(0, False), (0, False), (0, False)]),
    ],
)
def test_small_groups_are_suppressed(sizes, expected) -> None:
    activity = P.activity("kies")
    groups = {}
    key = 0
    for g, size in sizes.items():
        t = new_tally(activity)
        for _ in range(size):
            key += 1
            t.add(key, "ja")
        groups[g] = t
    rows = breakdown(groups, [("a", "A"), ("b", "B"), ("c", "C")], 3)
    assert [(r["n"], r["suppressed"]) for r in rows] == expected
    for row, (n, suppressed) in zip(rows, expected, strict=True):
        if suppressed or n == 0:
            assert row["result"] is None
        else:
            assert row["result"]["options"][0] == {"id": "ja", "count": n, "percent": 100.0}


# ------------------------------------------------------------------------ tables and joins


def test_table_from_the_qr_code_and_from_the_phone(app, seg) -> None:
    http = app.test_client()
    resp = http.get(f"/j/{seg.code}?t=2")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/j/{seg.code}")
    sock = socketio.test_client(
        app, flask_test_client=http, auth={"role": "participant", "code": seg.code}
    )
    state = ok(sock.emit("snapshot", {}, callback=True))["state"]
    assert (state["tables"], state["table"]) == (3, 2)
    assert [a["id"] for a in state["profile"]] == ["org", "regio"]
    assert ok(sock.emit("set_table", {"table": 3}, callback=True))["table"] == 3
    assert ok(sock.emit("snapshot", {}, callback=True))["state"]["table"] == 3
    for bad in (0, 4, "x", True):
        ack = sock.emit("set_table", {"table": bad}, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "bad_payload", bad
    # scanning another table's card moves the phone
    assert http.get(f"/j/{seg.code}?t=1").status_code == 302
    assert ok(sock.emit("snapshot", {}, callback=True))["state"]["table"] == 1
    assert app.test_client().get(f"/j/{seg.code}?t=9").status_code == 400


def test_profile_questions_are_answerable_at_join(app, seg) -> None:
    p = phone(app, seg.code)
    say(p, "org", "clb", "a")  # no activity is current or open yet
    say(p, "regio", "west", "a")
    ack = p.emit(
        "respond", {"activity": "kies", "value": "ja", "client_id": "kies-x-00001"}, callback=True
    )
    assert ack["error"]["code"] == "closed"


def test_table_cards_sheet(app, client, seg) -> None:
    assert client.get(f"/control/{seg.code}/tables").status_code == 403
    client.get(f"/control/{seg.code}?key={seg.control_key}")
    html = client.get(f"/control/{seg.code}/tables").get_data(as_text=True)
    assert len(re.findall(r'class="table-card"', html)) == 3
    assert f"/j/{seg.code}?t=3" in html
    qr = client.get(f"/projector/{seg.code}/qr.svg?t=2")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert qr.get_data() != client.get(f"/projector/{seg.code}/qr.svg").get_data()


# ------------------------------------------------------------------------------ breakdowns


def _room(app, seg):
    """9 phones: orgs school x4, clb x3, welzijn x2; tables 1 x4, 2 x3, 3 x1, none x1."""
    orgs = ["school"] * 4 + ["clb"] * 3 + ["welzijn"] * 2
    tables = [1, 1, 1, 1, 2, 2, 2, 3, None]
    phones = []
    for i, (org, table) in enumerate(zip(orgs, tables, strict=True)):
        p = phone(app, seg.code, table)
        say(p, "org", org, f"p{i}")
        phones.append(p)
    return phones


def test_breakdown_by_profile_and_by_table_live(app, seg) -> None:
    ctl = control(app, seg)
    phones = _room(app, seg)
    ok(ctl.emit("goto", {"activity": "kies"}, callback=True))
    answers = ["ja", "ja", "nee", "ja", "nee", "nee", "misschien", "ja", "ja"]
    for i, (p, a) in enumerate(zip(phones, answers, strict=True)):
        say(p, "kies", a, f"p{i}")
    ok(ctl.emit("set_breakdown", {"by": "org"}, callback=True))
    state = ok(ctl.emit("snapshot", {}, callback=True))["state"]
    assert [d["id"] for d in state["dimensions"]] == ["table", "org", "regio"]
    bd = state["breakdown"]
    assert bd["by"] == "org" and bd["threshold"] == 3
    rows = {r["id"]: r for r in bd["groups"]}
    assert list(rows) == ["school", "clb", "welzijn", "_none"]
    counts = {
        g: {o["id"]: o["count"] for o in rows[g]["result"]["options"]} for g in ("school", "clb")
    }
    assert counts == {
        "school": {"ja": 3, "nee": 1, "misschien": 0},
        "clb": {"ja": 0, "nee": 2, "misschien": 1},
    }
    assert rows["welzijn"] == {
        "id": "welzijn",
        "label": {"nl": "Welzijn", "en": "Welfare"},
        "n": None,
        "suppressed": True,
        "result": None,
    }
    assert rows["_none"]["n"] == 0
    # a new answer moves the breakdown incrementally; a changed profile answer moves groups
    say(phones[8], "org", "clb", "p8b")  # welzijn -> clb: welzijn has 1 left
    say(phones[8], "kies", "misschien", "p8b")
    bd = live.breakdown_view(live.get(seg.code), "kies")
    rows = {r["id"]: r for r in bd["groups"]}
    assert {o["id"]: o["count"] for o in rows["clb"]["result"]["options"]} == {
        "ja": 0,
        "nee": 2,
        "misschien": 2,
    }
    assert rows["clb"]["n"] == 4 and rows["welzijn"]["suppressed"] is True
    # by table
    ok(ctl.emit("set_breakdown", {"by": "table", "compare": ["1", "2"]}, callback=True))
    bd = live.breakdown_view(live.get(seg.code), "kies")
    rows = {r["id"]: r for r in bd["groups"]}
    assert list(rows) == ["1", "2", "3", "_none"] and bd["compare"] == ["1", "2"]
    assert {o["id"]: o["count"] for o in rows["1"]["result"]["options"]} == {
        "ja": 3,
        "nee": 1,
        "misschien": 0,
    }
    assert {o["id"]: o["count"] for o in rows["2"]["result"]["options"]} == {
        "ja": 0,
        "nee": 2,
        "misschien": 1,
    }
    assert rows["3"]["suppressed"] and rows["_none"]["suppressed"]
    # a phone changes table: the table breakdown follows
    ok(phones[7].emit("set_table", {"table": 2}, callback=True))
    rows = {r["id"]: r for r in live.breakdown_view(live.get(seg.code), "kies")["groups"]}
    assert rows["2"]["n"] == 4 and rows["3"]["n"] == 0


def test_breakdown_reaches_the_projector_only_with_results(app, seg) -> None:
    ctl = control(app, seg)
    proj = socketio.test_client(
        app, auth={"role": "projector", "code": seg.code, "key": seg.projector_key}
    )
    phones = _room(app, seg)
    ok(ctl.emit("goto", {"activity": "schaal"}, callback=True))
    for i, p in enumerate(phones):
        say(p, "schaal", {"position": 1 + i % 5, "why": f"reden {i}"}, f"p{i}")
    ok(ctl.emit("set_breakdown", {"by": "org"}, callback=True))
    state = ok(proj.emit("snapshot", {}, callback=True))["state"]
    assert state["breakdown"] is None  # results hidden
    ok(ctl.emit("show_results", {}, callback=True))
    state = ok(proj.emit("snapshot", {}, callback=True))["state"]
    rows = {r["id"]: r for r in state["breakdown"]["groups"]}
    assert rows["school"]["result"]["histogram"] == [
        {"value": 1, "count": 1},
        {"value": 2, "count": 1},
        {"value": 3, "count": 1},
        {"value": 4, "count": 1},
        {"value": 5, "count": 0},
    ]
    assert "whys" not in rows["school"]["result"]  # texts never per group
    assert len(state["result"]["whys"]) == 9


@pytest.mark.parametrize(
    "payload",
    [
        {"by": "nope"},
        {"by": "kies"},
        {"by": "org", "compare": ["school"]},
        {"by": "org", "compare": ["school", "school"]},
        {"by": "org", "compare": ["school", "x"]},
        {"by": None, "compare": ["school", "clb"]},
    ],
)
def test_bad_breakdowns_are_refused(app, seg, payload) -> None:
    ack = control(app, seg).emit("set_breakdown", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "bad_payload"


def test_no_breakdown_for_free_text(app, seg) -> None:
    ctl = control(app, seg)
    ok(ctl.emit("goto", {"activity": "tekst"}, callback=True))
    ok(ctl.emit("set_breakdown", {"by": "org"}, callback=True))
    assert ok(ctl.emit("snapshot", {}, callback=True))["state"]["breakdown"] is None


def test_profile_questions_are_never_crossed(app, seg) -> None:
    """Province x organisation can single someone out: no breakdown of a profile question by
    another one (by table it is allowed, with the threshold)."""
    ctl = control(app, seg)
    _room(app, seg)
    ok(ctl.emit("goto", {"activity": "org"}, callback=True))
    ok(ctl.emit("set_breakdown", {"by": "regio"}, callback=True))
    assert ok(ctl.emit("snapshot", {}, callback=True))["state"]["breakdown"] is None
    ok(ctl.emit("set_breakdown", {"by": "table"}, callback=True))
    rows = ok(ctl.emit("snapshot", {}, callback=True))["state"]["breakdown"]["groups"]
    assert [r["n"] for r in rows] == [4, 3, None, None]


def test_word_cloud_groups_follow_hidden_words(app, seg, tmp_path) -> None:
    """A word the facilitator hid is hidden in every group too; the choice is always in the
    state, also on a slide that cannot be broken down."""
    text = SEGMENTS.read_text().replace(
        "        - id: tekst\n",
        "        - id: wolk\n          kind: word_cloud\n"
        '          prompt: {nl: "Woorden?", en: "Words?"}\n        - id: tekst\n',
    )
    path = tmp_path / "cloud.yaml"
    path.write_text(text)
    with app.app_context():
        started = live.start(load_programme(path))
    ctl = control(app, started)
    phones = _room(app, started)
    ok(ctl.emit("goto", {"activity": "wolk"}, callback=True))
    ok(ctl.emit("set_breakdown", {"by": "org"}, callback=True))
    for i, p in enumerate(phones):
        say(p, "wolk", ["armoede", "naam"] if i < 4 else ["armoede"], f"p{i}")
    ok(ctl.emit("hide_word", {"activity": "wolk", "word": "naam", "hidden": True}, callback=True))
    bd = live.breakdown_view(live.get(started.code), "wolk", "projector")
    school = next(r for r in bd["groups"] if r["id"] == "school")
    assert school["result"]["words"] == [{"word": "armoede", "count": 4}]
    ok(ctl.emit("goto", {"activity": "tekst"}, callback=True))
    state = ok(ctl.emit("snapshot", {}, callback=True))["state"]
    assert state["breakdown"] is None
    assert state["breakdown_choice"] == {"by": "org", "compare": None}
