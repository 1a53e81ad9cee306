"""Tables report back, against the real server (python app.py) with real Socket.IO clients.

Six tables of five phones (tests/programmes/tables.yaml): every table sends its report, one
member of table 2 edits it (reporter: any, the last edit wins and is counted); the projector's
grid payload and the JSON export hold the six reports with the right text and picks; the
facilitator spotlights a table and steps through them; a phone without a table is refused with
``no_table``. With ``reporter: one`` the first phone of a table holds the role, another phone of
that table is refused until the facilitator frees it; moderated reports reach the projector
only once approved.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.livesrv import Phone, Screen, Server, connect_all, create_live, in_parallel, wait_for

pytestmark = pytest.mark.server

TABLES = Path(__file__).resolve().parent / "programmes" / "tables.yaml"
N_TABLES, PER_TABLE = 6, 5

#: table -> (title, text, picks) as each table's first phone sends it
REPORTS = {
    t: (
        f"Tafel {t} besluit",
        f"Wat tafel {t} concludeerde, in een paar zinnen.",
        [f"blok{1 + t % 3}"],
    )
    for t in range(1, N_TABLES + 1)
}
EDIT = ("Tafel 2, herzien", "Een ander lid van tafel 2 paste de tekst aan.", ["blok3"])


def report(value: tuple[str, str, list[str]]) -> dict[str, Any]:
    return {"title": value[0], "text": value[1], "picks": value[2]}


def latest_projector(projector: Screen, activity: str) -> dict[str, Any] | None:
    found = [r for r in projector.results_for(activity) if r.get("result")]
    return max(found, key=lambda r: r["rev"]) if found else None


@pytest.fixture
def room(server: Server) -> dict[str, Any]:
    live = create_live(server, TABLES)
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"])
    projector = Screen(server, code, "projector", live["projector_key"])
    seated = [Phone(server, code) for _ in range(N_TABLES * PER_TABLE)]
    lonely = Phone(server, code)
    connect_all([control, projector, *seated, lonely])
    for i, p in enumerate(seated):
        ack = p.call("set_table", {"table": 1 + i // PER_TABLE})
        assert ack == {"ok": True, "table": 1 + i // PER_TABLE}, ack
    return {
        "live": live,
        "code": code,
        "control": control,
        "projector": projector,
        "phones": seated,
        "lonely": lonely,
        "server": server,
    }


def at_table(room: dict[str, Any], table: int, member: int = 0) -> Phone:
    return room["phones"][(table - 1) * PER_TABLE + member]  # type: ignore[no-any-return]


def test_six_tables_report_one_edits_grid_spotlight_and_export(room: dict[str, Any]) -> None:
    control, projector = room["control"], room["projector"]
    control.control("goto", {"activity": "terug"})
    control.control("open_answering")
    control.control("show_results")

    # the control screen sees every table's phones, all connected
    def table_counts() -> Any:
        counts = control.latest_counts() or {}
        return counts.get("tables")

    wait_for(
        lambda: (
            table_counts()
            == {str(t): {"connected": PER_TABLE, "joined": PER_TABLE} for t in range(1, 7)}
        ),
        what="per-table counts on the control screen",
    )

    # a phone without a table is told to choose one
    ack = room["lonely"].respond("terug", report(REPORTS[1]))
    assert ack["ok"] is False and ack["error"]["code"] == "no_table", ack

    acks = in_parallel(
        lambda t: at_table(room, t).respond("terug", report(REPORTS[t])), range(1, N_TABLES + 1)
    )
    for t, ack in zip(range(1, N_TABLES + 1), acks, strict=True):
        assert ack["ok"] is True, ack
        assert ack["value"]["table"] == t and ack["value"]["edits"] == 0
        assert ack["value"]["title"] == REPORTS[t][0]
    # a retry with the same client id (its ack got lost) counts once: a duplicate, whatever
    # the server stamped on the first one
    first = at_table(room, 6, 1).respond("terug", report(REPORTS[6]), client_id="retry-table-6")
    again = at_table(room, 6, 1).respond("terug", report(REPORTS[6]), client_id="retry-table-6")
    assert first["ok"] is True and first["duplicate"] is False and first["value"]["edits"] == 1
    assert again["ok"] is True and again["duplicate"] is True and again["value"] == first["value"]
    other = at_table(room, 6, 1).respond("terug", report(EDIT), client_id="retry-table-6")
    assert other["ok"] is False and other["error"]["code"] == "client_id_reused", other
    # another member of table 2 edits: the last edit wins and is counted
    ack = at_table(room, 2, 3).respond("terug", report(EDIT))
    assert ack["ok"] is True and ack["value"]["edits"] == 1, ack

    # every phone of table 2 hears its table's newest version (to edit that one), no other
    # table's phone does
    def heard(phone: Phone) -> list[Any]:
        with phone._cond:
            return [d for e, d in phone.events if e == "table_answer"]

    for member in range(PER_TABLE):
        got = wait_for(
            lambda m=member: [
                d for d in heard(at_table(room, 2, m)) if d["result"]["tables"][0]["edits"] == 1
            ],
            what=f"table 2's newest version on member {member}",
        )
        [entry] = got[-1]["result"]["tables"]
        assert (got[-1]["table"], entry["title"], entry["text"]) == (2, EDIT[0], EDIT[1])
    assert all(d["table"] == 3 for d in heard(at_table(room, 3, 1)))
    # and a phone that connects again gets it in its own snapshot
    snap = at_table(room, 2, 4).reconnect()
    [entry] = snap["table_answers"]["terug"]["tables"]
    assert (entry["table"], entry["title"], entry["edits"]) == (2, EDIT[0], 1)

    def grid_complete() -> dict[str, Any] | None:
        msg = latest_projector(projector, "terug")
        if msg is None or len(msg["result"]["tables"]) != N_TABLES:
            return None
        table2 = msg["result"]["tables"][1]
        return msg if table2["title"] == EDIT[0] else None

    msg = wait_for(grid_complete, what="the projector's grid with six reports")
    tables = msg["result"]["tables"]
    assert [t["table"] for t in tables] == [1, 2, 3, 4, 5, 6]
    for t in tables:
        want = EDIT if t["table"] == 2 else REPORTS[t["table"]]
        assert (t["title"], t["text"], t["picks"]) == (want[0], want[1], want[2])
        assert t["edits"] == (1 if t["table"] in (2, 6) else 0)
        assert "status" not in t  # the projector never sees moderation marks
    assert msg["respondents"] == N_TABLES
    picks = {p["id"]: p["count"] for p in msg["result"]["picks"]}
    # blok1: tables 3, 6; blok2: 1, 4; blok3: 5 and the edited 2
    assert picks == {"blok1": 2, "blok2": 2, "blok3": 2}

    # spotlight one table, step to the next, back to the grid
    control.control("spotlight", {"group": "3"})
    projector.wait_state(lambda s: s.get("spotlight") == "3")
    control.control("spotlight", {"group": 4})
    projector.wait_state(lambda s: s.get("spotlight") == "4")
    state = control.wait_state(lambda s: s.get("spotlight") == "4")
    assert state["tables"] == N_TABLES
    control.control("spotlight", {"group": None})
    projector.wait_state(lambda s: s.get("spotlight") is None and s["version"] > state["version"])
    bad = control.call_retrying("spotlight", {"group": "7"})
    assert bad["ok"] is False and bad["error"]["code"] == "bad_payload"
    assert "1..6" in bad["error"]["message"]
    refused = at_table(room, 1).call("spotlight", {"group": "1"})
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"

    # the JSON export holds the six reports, and each stored version with its edits
    control.control("close_answering")
    session = requests.Session()
    live = room["live"]
    code = room["code"]
    url = room["server"].url
    r = session.get(f"{url}/control/{code}?key={live['control_key']}", timeout=10)
    assert r.status_code == 200
    r = session.get(f"{url}/control/{code}/export.json", timeout=60)
    assert r.status_code == 200, r.text[:300]
    data = json.loads(r.content)
    exported = data["results"]["terug"]["result"]["tables"]
    assert [(t["table"], t["title"], t["text"], t["picks"], t["edits"]) for t in exported] == [
        (t, *(EDIT if t == 2 else REPORTS[t]), 1 if t in (2, 6) else 0) for t in range(1, 7)
    ]
    stored = [x for x in data["sessions"][0]["responses"] if x["activity"] == "terug"]
    assert len(stored) == N_TABLES + 2  # tables 2 and 6 have two phones' versions
    assert sorted((x["value"]["table"], x["value"]["edits"]) for x in stored) == [
        (1, 0),
        (2, 0),
        (2, 1),
        (3, 0),
        (4, 0),
        (5, 0),
        (6, 0),
        (6, 1),
    ]
    r = session.get(f"{url}/control/{code}/export.csv", timeout=60)
    assert r.status_code == 200
    lines = [ln for ln in r.content.decode("utf-8-sig").splitlines() if ",terug," in ln]
    assert len(lines) == N_TABLES + 2


def test_one_reporter_per_table_freed_by_the_facilitator_and_moderated(
    room: dict[str, Any],
) -> None:
    control, projector = room["control"], room["projector"]
    control.control("goto", {"activity": "een"})
    control.control("open_answering")
    control.control("show_results")
    first, second = at_table(room, 5, 0), at_table(room, 5, 1)
    ack = first.respond("een", {"title": "Eerste", "text": "De rapporteur van tafel 5."})
    assert ack["ok"] is True, ack
    state = control.wait_state(lambda s: s.get("holders") == [5])
    ack = second.respond("een", {"title": "Tweede", "text": "Een ander wil ook."})
    assert ack["ok"] is False and ack["error"]["code"] == "not_reporter", ack
    # the reporter edits its own report
    ack = first.respond("een", {"title": "Eerste, beter", "text": "De rapporteur past aan."})
    assert ack["ok"] is True and ack["value"]["edits"] == 1

    control.control("release_holder", {"activity": "een", "table": 5})
    control.wait_state(lambda s: s.get("holders") == [] and s["version"] > state["version"])
    ack = second.respond("een", {"title": "Tweede", "text": "Nu neemt deze telefoon over."})
    assert ack["ok"] is True and ack["value"]["edits"] == 2, ack
    control.wait_state(lambda s: s.get("holders") == [5])
    ack = first.respond("een", {"title": "Eerste", "text": "Niet meer de rapporteur."})
    assert ack["ok"] is False and ack["error"]["code"] == "not_reporter"

    # moderated: the control sees the report pending, the projector nothing until approved
    def control_tables() -> list[dict[str, Any]] | None:
        found = [r for r in control.results_for("een") if r.get("result")]
        if not found:
            return None
        tables: list[dict[str, Any]] = max(found, key=lambda r: r["rev"])["result"]["tables"]
        return tables if tables and tables[0]["title"] == "Tweede" else None

    tables = wait_for(control_tables, what="the pending report on the control screen")
    assert [(t["table"], t["status"]) for t in tables] == [(5, "pending")]
    msg = latest_projector(projector, "een")
    assert msg is None or msg["result"]["tables"] == []
    control.control("moderate", {"activity": "een", "entry": tables[0]["id"], "action": "approve"})

    def shown() -> Any:
        m = latest_projector(projector, "een")
        return m if m and m["result"]["tables"] else None

    msg = wait_for(shown, what="the approved report on the projector")
    assert [(t["table"], t["title"], t["edits"]) for t in msg["result"]["tables"]] == [
        (5, "Tweede", 2)
    ]

    # handing the role over: a phone that is refused asks for it, the control screen shows
    # that and hands it to that phone
    third = at_table(room, 5, 2)
    ack = third.respond("een", {"title": "Derde", "text": "Mag ik?"})
    assert ack["ok"] is False and ack["error"]["code"] == "not_reporter"
    state = control.wait_state(lambda s: s.get("role_requests") == [5])
    nobody = control.call_retrying("hand_holder", {"activity": "een", "table": 4})
    assert nobody["ok"] is False and nobody["error"]["code"] == "no_request"
    control.control("hand_holder", {"activity": "een", "table": 5})
    control.wait_state(lambda s: s.get("role_requests") == [] and s["version"] > state["version"])
    ack = third.respond("een", {"title": "Derde", "text": "Nu rapporteer ik."})
    assert ack["ok"] is True and ack["value"]["edits"] == 3, ack
    ack = second.respond("een", {"title": "Tweede", "text": "Niet meer."})
    assert ack["ok"] is False and ack["error"]["code"] == "not_reporter"

    # a reset deletes the reports and frees every role: the first phone may report again
    state = control.state
    control.control("reset_activity", {"activity": "een", "confirm": "een"})
    control.wait_state(lambda s: s.get("holders") == [] and s["version"] > state["version"])
    ack = first.respond("een", {"title": "Opnieuw", "text": "Na de reset."})
    assert ack["ok"] is True and ack["value"]["edits"] == 0, ack
    # the request from before the reset is gone with the roles
    assert control.wait_state(lambda s: s.get("holders") == [5])["role_requests"] == []


def screen_links(server: Server, live: dict[str, Any]) -> dict[int, str]:
    """Table -> its screen's address, from the printable table cards (as the facilitator gets
    them)."""
    import re

    session = requests.Session()
    code = live["code"]
    assert session.get(f"{server.url}/control/{code}?key={live['control_key']}").status_code == 200
    page = session.get(f"{server.url}/control/{code}/tables", timeout=10)
    assert page.status_code == 200
    found = re.findall(r'class="table-card-screen-url" href="([^"]+)"', page.text)
    assert len(found) == N_TABLES, found
    links = {}
    for url in found:
        m = re.search(r"/table/[A-Z0-9]+/(\d+)\?key=([0-9a-f]+)$", url.replace("&amp;", "&"))
        assert m is not None, url
        links[int(m.group(1))] = url.replace("&amp;", "&")
    # each card's screen QR code is served with the same key
    qr = re.findall(r'class="table-card-screen-qr" src="([^"]+)"', page.text)
    assert len(qr) == N_TABLES
    svg = session.get(f"{server.url}{qr[0].replace('&amp;', '&')}", timeout=10)
    assert svg.status_code == 200 and svg.headers["Content-Type"].startswith("image/svg+xml")
    return links


def test_a_table_screen_shows_its_result_beside_the_room_and_refuses_other_keys(
    server: Server,
) -> None:
    live = create_live(server, TABLES)
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"])
    four = [Phone(server, code) for _ in range(4)]
    two = [Phone(server, code) for _ in range(2)]
    connect_all([control, *four, *two])
    for p in four:
        assert p.call("set_table", {"table": 1})["ok"] is True
    for p in two:
        assert p.call("set_table", {"table": 2})["ok"] is True
    links = screen_links(server, live)

    def table_state(n: int, url: str | None = None) -> requests.Response:
        base, query = (url or links[n]).split("?")
        return requests.get(f"{base}/state.json?{query}", timeout=10)

    # the key of table 1 opens table 1 only; no key, a wrong key or no such table: refused
    assert requests.get(links[1], timeout=10).status_code == 200
    key1 = links[1].split("key=")[1]
    assert requests.get(links[2].split("?")[0] + f"?key={key1}", timeout=10).status_code == 403
    assert table_state(2, links[2].split("?")[0] + f"?key={key1}").status_code == 403
    assert requests.get(links[2].split("?")[0], timeout=10).status_code == 403
    assert requests.get(f"{server.url}/table/{code}/7?key={key1}", timeout=10).status_code == 404

    control.control("goto", {"activity": "kies"})
    control.control("open_answering")
    for i, p in enumerate(four):
        assert p.respond("kies", "rood" if i < 3 else "groen")["ok"] is True
    for p in two:
        assert p.respond("kies", "groen")["ok"] is True
    one = wait_for(
        lambda: (s := table_state(1).json())["answered"] == 4 and s,
        what="table 1 counts its four answers",
    )
    assert one["connected"] == 4 and one["joined"] == 4 and one["table"] == 1
    assert one["results_visible"] is False and one["result"] is None and one["room"] is None
    second = table_state(2).json()
    # two answers at table 2, below the threshold of 3: never a count
    assert second["answered"] is None and second["answered_suppressed"] is True
    assert second["threshold"] == 3

    control.control("show_results")
    one = wait_for(
        lambda: (s := table_state(1).json())["results_visible"] and s,
        what="results on table 1's screen",
    )
    assert {o["id"]: o["count"] for o in one["result"]["options"]} == {"rood": 3, "groen": 1}
    assert {o["id"]: o["count"] for o in one["room"]["options"]} == {"rood": 3, "groen": 3}
    assert one["room_respondents"] == 6
    second = table_state(2).json()
    assert second["result"] is None and second["answered"] is None
    assert {o["id"]: o["count"] for o in second["room"]["options"]} == {"rood": 3, "groen": 3}

    # a screen the table shares: drawn in the live session's language whatever its browser
    # asks for, and its state says which (its page reloads itself when that changes)
    english_browser = {"Accept-Language": "en"}
    assert table_state(1).json()["language"] == "nl"
    assert '<html lang="nl">' in requests.get(links[1], headers=english_browser, timeout=10).text
    control.control("set_language", {"language": "en"})
    assert table_state(1).json()["language"] == "en"
    dutch_browser = {"Accept-Language": "nl-BE,nl"}
    assert '<html lang="en">' in requests.get(links[1], headers=dutch_browser, timeout=10).text

    # a report per table: a table's screen sees its own report, not another table's, until
    # the room sees them all
    control.control("goto", {"activity": "terug"})
    control.control("open_answering")
    assert four[0].respond("terug", report(REPORTS[1]))["ok"] is True
    assert two[0].respond("terug", report(REPORTS[2]))["ok"] is True
    one = wait_for(
        lambda: (s := table_state(1).json())["own"] and s["own"]["tables"] and s,
        what="table 1's own report on its screen",
    )
    assert [(t["table"], t["title"]) for t in one["own"]["tables"]] == [(1, REPORTS[1][0])]
    assert one["room"] is None and REPORTS[2][0] not in json.dumps(one)
    control.control("show_results")
    one = wait_for(
        lambda: (s := table_state(1).json())["room"] and s, what="the room's reports on table 1"
    )
    assert [t["table"] for t in one["room"]["tables"]] == [1, 2]
