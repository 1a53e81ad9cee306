"""A full room of the Brugfiguren programme against the real server (python app.py, eventlet):
36 phones join at the six dialogue tables through the tables' links (``/api/join/<code>?t=N``),
answer the organisation icebreaker (a profile question), the role question with the HOGENT
reference and the building-block matrix; the control screen breaks the results down by
organisation and by table, compares two organisations and shows the results on the projector.
Every count is checked exactly, small groups (fewer than ``privacy_threshold: 3``) are suppressed,
the reference reaches the control screen and the projector but never the phones, and a phone that
changes its organisation mid-way moves the breakdown with it.

The room (phone index -> table, organisation, hardest role, matrix pattern) is written out in
``ROOM``; the expected results below were counted by hand from it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.livesrv import (
    BRUGFIGUREN,
    Phone,
    Screen,
    Server,
    connect_all,
    create_live,
    in_parallel,
)

pytestmark = pytest.mark.server

ORG = "ijsbreker_organisatie"
ROL = "rol_moeilijkst"
MATRIX = "bouwstenen_matrix"

ORGS = [
    "stadsdienst_onderwijs",
    "stadsdienst_welzijn",
    "ocmw",
    "vzw_armen",
    "huis_van_het_kind",
    "onderwijscentrum",
    "saamo",
    "clb",
    "school",
    "andere",
]
ROLES = [
    "aanspreekpunt",
    "draaischijf",
    "vertrouwensfiguur",
    "verbindend",
    "netwerker",
    "luis_in_de_pels",
]
BLOCKS = ["kennen", "visie", "rollen", "ouders", "communicatie", "randvoorwaarden"]
RATINGS = ["makkelijk", "uitdaging", "weet_niet"]
PROFILE_DIMENSIONS = [
    "ijsbreker_provincie",
    "ijsbreker_organisatie",
    "ijsbreker_gemeente",
    "ijsbreker_onderwijsniveau",
]

A, D, V, B, N, L = ROLES  # short names for the room below
WZ, HK = "stadsdienst_welzijn", "huis_van_het_kind"
P1 = {
    "kennen": "makkelijk",
    "visie": "uitdaging",
    "rollen": "uitdaging",
    "ouders": "weet_niet",
    "communicatie": "makkelijk",
    "randvoorwaarden": "uitdaging",
}  # every block
P2 = {"kennen": "uitdaging", "visie": "makkelijk"}
P3 = {"ouders": "makkelijk", "randvoorwaarden": "weet_niet", "rollen": "makkelijk"}

# phone -> (table or None, organisation or None, hardest role or None, matrix answer).
# Tables 1-4 and 6 have 6 phones, table 5 only 2 (suppressed), 4 phones join without a table.
# Organisations: school 9, clb 7, welzijn 6, ocmw 5, Huis van het Kind 4, SAAMO 2 (suppressed),
# no answer 3. Phone 25 (clb, table 5) does not answer the role question: 35 respondents.
ROOM: list[tuple[int | None, str | None, str | None, dict[str, str]]] = [
    (1, "school", L, P1),
    (1, "school", L, P1),
    (1, "school", D, P2),
    (1, "clb", L, P1),
    (1, "clb", B, P3),
    (1, "ocmw", A, P1),
    (2, "school", L, P2),
    (2, "school", V, P1),
    (2, "clb", D, P1),
    (2, WZ, L, P3),
    (2, WZ, N, P1),
    (2, HK, D, P2),
    (3, "school", L, P1),
    (3, "clb", L, P1),
    (3, "clb", A, P2),
    (3, "ocmw", B, P3),
    (3, "ocmw", L, P2),
    (3, "saamo", D, P1),
    (4, "school", B, P2),
    (4, WZ, L, P1),
    (4, WZ, V, P3),
    (4, HK, L, P1),
    (4, HK, A, P3),
    (4, None, D, P2),
    (5, "school", L, P1),
    (5, "clb", None, P1),
    (6, "school", D, P3),
    (6, "clb", L, P1),
    (6, WZ, B, P2),
    (6, "ocmw", L, P1),
    (6, HK, N, P1),
    (6, None, L, P3),
    (None, WZ, D, P1),
    (None, "ocmw", L, P2),
    (None, "saamo", V, P1),
    (None, None, A, P1),
]
MOVER = 6  # table 2, school, answered "luis in de pels": moves to SAAMO mid-way

ORG_COUNTS = {
    "stadsdienst_welzijn": 6,
    "ocmw": 5,
    "huis_van_het_kind": 4,
    "saamo": 2,
    "clb": 7,
    "school": 9,
}
ORG_RESPONDENTS = 33

# rol_moeilijkst, the whole room: counts in ROLES order
ROL_COUNTS = (4, 7, 3, 4, 2, 15)
ROL_RESPONDENTS = 35
ROL_PERCENTS = [11.4, 20.0, 8.6, 11.4, 5.7, 42.9]

# rol_moeilijkst by organisation: group -> (n, counts in ROLES order); "suppressed" or 0 (empty)
ROL_BY_ORG: dict[str, Any] = {
    "stadsdienst_onderwijs": 0,
    "stadsdienst_welzijn": (6, (0, 1, 1, 1, 1, 2)),
    "ocmw": (5, (1, 0, 0, 1, 0, 3)),
    "vzw_armen": 0,
    "huis_van_het_kind": (4, (1, 1, 0, 0, 1, 1)),
    "onderwijscentrum": 0,
    "saamo": "suppressed",  # 2 respondents
    "clb": (6, (1, 1, 0, 1, 0, 3)),  # 7 members, one did not answer
    "school": (9, (0, 2, 1, 1, 0, 5)),
    "andere": 0,
    "_none": (3, (1, 1, 0, 0, 0, 1)),
}
# after the mover went from school to SAAMO
ROL_BY_ORG_MOVED = {
    **ROL_BY_ORG,
    "saamo": (3, (0, 1, 1, 0, 0, 1)),
    "school": (8, (0, 2, 1, 1, 0, 4)),
}
# then the latecomer, phone 25 (clb, table 5), answers "netwerker"
LATE, LATE_ROLE = 25, N
ROL_COUNTS_LATE = (4, 7, 3, 4, 3, 15)
ROL_BY_ORG_LATE = {**ROL_BY_ORG_MOVED, "clb": (7, (1, 1, 0, 1, 1, 3))}
ROL_BY_TABLE: dict[str, Any] = {
    "1": (6, (1, 1, 0, 1, 0, 3)),
    "2": (6, (0, 2, 1, 0, 1, 2)),
    "3": (6, (1, 1, 0, 1, 0, 3)),
    "4": (6, (1, 1, 1, 1, 0, 2)),
    "5": "suppressed",  # 2 phones, 1 respondent
    "6": (6, (0, 1, 0, 1, 1, 3)),
    "_none": (4, (1, 1, 1, 0, 0, 1)),
}

# bouwstenen_matrix by table: group -> (n, {block: (makkelijk, uitdaging, weet_niet)})
MATRIX_BY_TABLE: dict[str, Any] = {
    "1": (
        6,
        {
            "kennen": (4, 1, 0),
            "visie": (1, 4, 0),
            "rollen": (1, 4, 0),
            "ouders": (1, 0, 4),
            "communicatie": (4, 0, 0),
            "randvoorwaarden": (0, 4, 1),
        },
    ),
    "2": (
        6,
        {
            "kennen": (3, 2, 0),
            "visie": (2, 3, 0),
            "rollen": (1, 3, 0),
            "ouders": (1, 0, 3),
            "communicatie": (3, 0, 0),
            "randvoorwaarden": (0, 3, 1),
        },
    ),
    "3": (
        6,
        {
            "kennen": (3, 2, 0),
            "visie": (2, 3, 0),
            "rollen": (1, 3, 0),
            "ouders": (1, 0, 3),
            "communicatie": (3, 0, 0),
            "randvoorwaarden": (0, 3, 1),
        },
    ),
    "4": (
        6,
        {
            "kennen": (2, 2, 0),
            "visie": (2, 2, 0),
            "rollen": (2, 2, 0),
            "ouders": (2, 0, 2),
            "communicatie": (2, 0, 0),
            "randvoorwaarden": (0, 2, 2),
        },
    ),
    "5": "suppressed",
    "6": (
        6,
        {
            "kennen": (3, 1, 0),
            "visie": (1, 3, 0),
            "rollen": (2, 3, 0),
            "ouders": (2, 0, 3),
            "communicatie": (3, 0, 0),
            "randvoorwaarden": (0, 3, 2),
        },
    ),
    "_none": (
        4,
        {
            "kennen": (3, 1, 0),
            "visie": (1, 3, 0),
            "rollen": (0, 3, 0),
            "ouders": (0, 0, 3),
            "communicatie": (3, 0, 0),
            "randvoorwaarden": (0, 3, 0),
        },
    ),
}
MATRIX_TOTAL = {
    "kennen": (20, 9, 0),
    "visie": (9, 20, 0),
    "rollen": (7, 20, 0),
    "ouders": (7, 0, 20),
    "communicatie": (20, 0, 0),
    "randvoorwaarden": (0, 20, 7),
}
MATRIX_TOTAL_PERCENTS = {
    "kennen": (69.0, 31.0, 0.0),
    "visie": (31.0, 69.0, 0.0),
    "rollen": (25.9, 74.1, 0.0),
    "ouders": (25.9, 0.0, 74.1),
    "communicatie": (100.0, 0.0, 0.0),
    "randvoorwaarden": (0.0, 74.1, 25.9),
}

# the organisation question itself by table (after the move): group -> (n, {org: count})
ORG_BY_TABLE: dict[str, Any] = {
    "1": (6, {"ocmw": 1, "clb": 2, "school": 3}),
    "2": (6, {"stadsdienst_welzijn": 2, "huis_van_het_kind": 1, "saamo": 1, "clb": 1, "school": 1}),
    "3": (6, {"ocmw": 2, "saamo": 1, "clb": 2, "school": 1}),
    "4": (5, {"stadsdienst_welzijn": 2, "huis_van_het_kind": 2, "school": 1}),
    "5": "suppressed",
    "6": (5, {"stadsdienst_welzijn": 1, "ocmw": 1, "huis_van_het_kind": 1, "clb": 1, "school": 1}),
    "_none": (3, {"stadsdienst_welzijn": 1, "ocmw": 1, "saamo": 1}),
}

HOGENT_REFERENCE = {
    "aanspreekpunt": 11.5,
    "draaischijf": 19,
    "vertrouwensfiguur": 9,
    "verbindend": 17,
    "netwerker": None,
    "luis_in_de_pels": 73,
}

TABLE_LABELS = [{"nl": f"Tafel {n}", "en": f"Table {n}"} for n in range(1, 7)]
NONE_LABEL = {"nl": "Niet opgegeven", "en": "Not given"}


# ----------------------------------------------------------------------------- helpers


def pct(part: int, whole: int) -> float:
    """The protocol's percentage: of the respondents (or of a matrix row's n), one decimal."""
    return round(100.0 * part / whole, 1) if whole else 0.0


def choice_result(counts: tuple[int, ...], n: int) -> dict[str, Any]:
    return {
        "options": [
            {"id": oid, "count": c, "percent": pct(c, n)}
            for oid, c in zip(ROLES, counts, strict=True)
        ],
        "respondents": n,
        "votes": n,
    }


def matrix_result(rows: dict[str, tuple[int, int, int]], n: int) -> dict[str, Any]:
    items = []
    for block in BLOCKS:
        counts = dict(zip(RATINGS, rows[block], strict=True))
        total = sum(counts.values())
        items.append(
            {
                "id": block,
                "n": total,
                "counts": counts,
                "percents": {r: pct(c, total) for r, c in counts.items()},
            }
        )
    return {"items": items, "ratings": RATINGS, "respondents": n}


def org_result(counts: dict[str, int], n: int) -> dict[str, Any]:
    return {
        "options": [
            {"id": o, "count": counts.get(o, 0), "percent": pct(counts.get(o, 0), n)} for o in ORGS
        ],
        "respondents": n,
        "votes": n,
    }


def expected_groups(
    spec: dict[str, Any], labels: dict[str, Any], result: Any
) -> list[dict[str, Any]]:
    """The breakdown's ``groups`` list as the protocol describes it, from a compact spec."""
    rows = []
    for gid, want in spec.items():
        row: dict[str, Any] = {"id": gid, "label": labels[gid]}
        if want == "suppressed":
            row.update(n=None, suppressed=True, result=None)
        elif want == 0:
            row.update(n=0, suppressed=False, result=None)
        else:
            n, counts = want
            row.update(n=n, suppressed=False, result=result(counts, n))
        rows.append(row)
    return rows


def join_at(server: Server, code: str, table: int | None) -> str:  # noqa: F811
    """POST /api/join/<code>?t=N (the table card's link) -> a participant token."""
    url = f"{server.url}/api/join/{code}" + (f"?t={table}" if table is not None else "")
    r = requests.post(url, timeout=5)
    assert r.status_code == 200, (r.status_code, r.text)
    body = r.json()
    assert body["ok"] is True and body["code"] == code, body
    return str(body["token"])


def act(
    control: Screen, others: list[Screen], event: str, payload: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A control action; returns the control's and the other screens' state of its version."""
    marks = [(s, len(s.states)) for s in [control, *others]]
    version = control.control(event, payload)["version"]
    states = [
        s.wait_state(
            lambda st, v=version: st["version"] == v,
            since=mark,
            what=f"state v{version} after {event} {payload}",
        )
        for s, mark in marks
    ]
    return states[0], states[1:]


def answer_all(phones: list[Phone], activity: str, plan: dict[int, Any]) -> None:
    acks = in_parallel(lambda i: (i, phones[i].respond(activity, plan[i])), plan, workers=12)
    for i, ack in acks:
        assert ack["ok"] is True and ack["duplicate"] is False, (i, activity, ack)
        assert ack["value"] == plan[i], (i, activity, ack)


# ------------------------------------------------------------------------------- the test


def brugfiguren_keeping_org_open(folder: Path) -> Path:
    """Brugfiguren with ``keep_open: true`` on the organisation question, so that a phone may
    still change its organisation after the facilitator moved on (issue 13: without it, leaving
    the question closes its answering)."""
    text = BRUGFIGUREN.read_text(encoding="utf-8")
    marker = f"        - id: {ORG}\n"
    assert text.count(marker) == 1
    path = folder / "brugfiguren.yaml"
    path.write_text(text.replace(marker, marker + "          keep_open: true\n"), encoding="utf-8")
    return path


def test_brugfiguren_room_breakdowns(server: Server, tmp_path: Path) -> None:  # noqa: F811
    live = create_live(server, brugfiguren_keeping_org_open(tmp_path))
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"]).connect()
    projector = Screen(server, code, "projector", live["projector_key"]).connect()
    assert control.state["tables"] == 6

    # ---- 36 phones join at their tables through the tables' links
    phones = [Phone(server, code, token=join_at(server, code, row[0])) for row in ROOM]
    connect_all(phones)
    for phone, (table, *_rest) in zip(phones, ROOM, strict=True):
        snap = phone.call("snapshot")["state"]
        assert (snap["tables"], snap["table"]) == (6, table)
    control.wait_counts({"connected": 36, "participants": 36, "answered": 0})

    dims = control.state["dimensions"]
    assert [d["id"] for d in dims] == ["table", *PROFILE_DIMENSIONS]
    assert dims[0]["label"] == {"nl": "Tafel", "en": "Table"}
    # the profile questions by their short segment labels, not their long prompts
    labels = {d["id"]: d["label"]["nl"] for d in dims[1:]}
    assert labels == {
        "ijsbreker_provincie": "Provincie",
        "ijsbreker_organisatie": "Organisatie",
        "ijsbreker_gemeente": "Soort gemeente",
        "ijsbreker_onderwijsniveau": "Onderwijsniveau",
    }

    # ---- the organisation icebreaker (a profile question); 3 phones skip it
    ctl_state, _ = act(control, [projector], "goto", {"activity": ORG})
    # a group's label is the option's label; _none is "not given"
    labels = {
        **{o["id"]: o["label"] for o in ctl_state["activity"]["options"]},
        "_none": NONE_LABEL,
    }
    assert list(labels) == [*ORGS, "_none"]
    answer_all(phones, ORG, {i: row[1] for i, row in enumerate(ROOM) if row[1] is not None})
    got = control.wait_results(ORG, ORG_RESPONDENTS)
    assert got["result"] == org_result(ORG_COUNTS, ORG_RESPONDENTS)
    assert got["respondents"] == ORG_RESPONDENTS and got["breakdown"] is None

    # ---- the role question with the HOGENT reference; phone 25 does not answer
    ctl_state, (pj_state,) = act(control, [projector], "goto", {"activity": ROL})
    assert ctl_state["activity_states"][ORG]["status"] == "open"  # keep_open: still open
    answer_all(phones, ROL, {i: row[2] for i, row in enumerate(ROOM) if row[2] is not None})
    got = control.wait_results(ROL, ROL_RESPONDENTS)
    assert got["result"] == choice_result(ROL_COUNTS, ROL_RESPONDENTS)
    assert [o["percent"] for o in got["result"]["options"]] == ROL_PERCENTS
    assert got["breakdown"] is None  # nothing chosen yet
    pj_got = projector.wait_results(ROL, ROL_RESPONDENTS)
    assert pj_got["result"] is None and pj_got["breakdown"] is None  # results hidden
    assert pj_got["respondents"] == ROL_RESPONDENTS

    # the reference: on the control screen and the projector, never on a phone
    for state in (ctl_state, pj_state):
        ref = state["activity"]["reference"]
        assert ref["values"] == HOGENT_REFERENCE
        assert ref["sums_to_100"] is False and ref["n"] == 51
        assert ref["title"] == {
            "nl": "Rollen brugfiguur (HOGENT-bevraging)",
            "en": "Roles of the bridge figure (HOGENT survey)",
        }
    for i, phone in enumerate(phones):
        state = phone.wait_state(
            lambda s: (s.get("activity") or {}).get("id") == ROL,
            what="the role question on the phone",
        )
        assert "reference" not in state["activity"], i
        assert "presenter_notes" not in state["activity"], i
        assert "HOGENT-bevraging" not in json.dumps(state, ensure_ascii=False), i
    snap = phones[0].call("snapshot")["state"]
    assert snap["activity"]["id"] == ROL and "reference" not in snap["activity"]

    # ---- broken down by organisation: small groups suppressed, _none for the 3 who skipped
    ctl_state, (pj_state,) = act(control, [projector], "set_breakdown", {"by": ORG})
    assert [g["id"] for g in ctl_state["breakdown"]["groups"]] == [*ORGS, "_none"]
    assert labels["saamo"] == {
        "nl": "SAAMO / onderwijsopbouwwerk",
        "en": "SAAMO / education community work",
    }
    by_org = {
        "by": ORG,
        "compare": None,
        "threshold": 3,
        "groups": expected_groups(ROL_BY_ORG, labels, choice_result),
    }
    assert ctl_state["breakdown"] == by_org
    assert ctl_state["breakdown_choice"] == {"by": ORG, "compare": None}
    assert ctl_state["result"] == choice_result(ROL_COUNTS, ROL_RESPONDENTS)
    # the projector knows the choice, but gets no breakdown while results are hidden
    assert pj_state["breakdown"] is None and pj_state["result"] is None
    assert pj_state["results_visible"] is False
    assert pj_state["breakdown_choice"] == {"by": ORG, "compare": None}

    # ---- broken down by table: table 5 (2 phones, 1 answer) suppressed, 4 without a table
    ctl_state, (pj_state,) = act(control, [projector], "set_breakdown", {"by": "table"})
    table_labels = {**{str(n): TABLE_LABELS[n - 1] for n in range(1, 7)}, "_none": NONE_LABEL}
    assert ctl_state["breakdown"] == {
        "by": "table",
        "compare": None,
        "threshold": 3,
        "groups": expected_groups(ROL_BY_TABLE, table_labels, choice_result),
    }
    assert pj_state["breakdown"] is None

    # ---- compare two organisations
    ctl_state, (pj_state,) = act(
        control, [projector], "set_breakdown", {"by": ORG, "compare": ["school", "clb"]}
    )
    compared = {**by_org, "compare": ["school", "clb"]}
    assert ctl_state["breakdown"] == compared
    assert pj_state["breakdown"] is None

    # ---- show results: now the projector gets the same breakdown (and the result)
    ctl_state, (pj_state,) = act(control, [projector], "show_results")
    assert pj_state["results_visible"] is True
    assert pj_state["result"] == ctl_state["result"] == choice_result(ROL_COUNTS, ROL_RESPONDENTS)
    assert pj_state["breakdown"] == ctl_state["breakdown"] == compared
    shown = {g["id"]: g for g in pj_state["breakdown"]["groups"]}
    assert (shown["school"]["n"], shown["clb"]["n"]) == (9, 6)
    assert pj_state["activity"]["reference"]["values"] == HOGENT_REFERENCE

    # ---- mid-way, a phone moves from school (9) to SAAMO (2): SAAMO becomes visible with 3
    ack = phones[MOVER].respond(ORG, "saamo")
    assert ack["ok"] is True and ack["value"] == "saamo" and ack["duplicate"] is False, ack
    moved = {**compared, "groups": expected_groups(ROL_BY_ORG_MOVED, labels, choice_result)}
    org_after = {**ORG_COUNTS, "school": 8, "saamo": 3}
    got = control.wait_results(ORG, ORG_RESPONDENTS + 1)  # the organisation question's own
    assert got["result"] == org_result(org_after, ORG_RESPONDENTS)
    assert got["breakdown"] is None  # a profile question is not crossed with another
    # the screens' snapshots of the current activity follow at once (no `results` of
    # rol_moeilijkst is pushed for it: see test_profile_change_is_pushed_to_the_screens)
    snap = control.call("snapshot")["state"]
    assert snap["current"] == ROL
    assert snap["breakdown"] == moved
    assert snap["result"] == choice_result(ROL_COUNTS, ROL_RESPONDENTS)  # totals unchanged
    assert projector.call("snapshot")["state"]["breakdown"] == moved
    # a latecomer (phone 25, clb, table 5) answers: the pushed `results` carry the new groups
    ack = phones[LATE].respond(ROL, LATE_ROLE)
    assert ack["ok"] is True and ack["duplicate"] is False, ack
    late = {**compared, "groups": expected_groups(ROL_BY_ORG_LATE, labels, choice_result)}
    for screen in (control, projector):
        got = screen.wait_results(ROL, ROL_RESPONDENTS + 1)
        assert got["respondents"] == ROL_RESPONDENTS + 1
        assert got["result"] == choice_result(ROL_COUNTS_LATE, ROL_RESPONDENTS + 1)
        assert got["breakdown"] == late, screen
    ctl_state, _ = act(control, [projector], "set_breakdown", {"by": "table"})
    rows = {g["id"]: g for g in ctl_state["breakdown"]["groups"]}
    assert rows["5"] == {
        "id": "5",
        "label": TABLE_LABELS[4],
        "n": None,
        "suppressed": True,
        "result": None,
    }  # now 2 respondents: still fewer than 3
    assert rows["2"]["n"] == 6  # moving organisation does not move table

    # ---- the matrix, broken down by table (chosen before the answers: `results` carry it)
    ctl_state, _ = act(control, [projector], "goto", {"activity": MATRIX})
    empty = ctl_state["breakdown"]
    assert empty["by"] == "table" and [g["n"] for g in empty["groups"]] == [0] * 7
    answer_all(phones, MATRIX, {i: row[3] for i, row in enumerate(ROOM)})
    got = control.wait_results(MATRIX, len(ROOM))
    assert got["result"] == matrix_result(MATRIX_TOTAL, len(ROOM))
    assert {
        i["id"]: tuple(i["percents"].values()) for i in got["result"]["items"]
    } == MATRIX_TOTAL_PERCENTS
    by_table = {
        "by": "table",
        "compare": None,
        "threshold": 3,
        "groups": expected_groups(MATRIX_BY_TABLE, table_labels, matrix_result),
    }
    assert got["breakdown"] == by_table
    assert control.call("snapshot")["state"]["breakdown"] == by_table
    pj_got = projector.wait_results(MATRIX, len(ROOM))
    assert pj_got["result"] is None and pj_got["breakdown"] is None  # not shown yet

    # ---- a profile question is never broken down by another one; by table it is
    act(control, [projector], "goto", {"activity": ORG})
    for other in ("ijsbreker_provincie", "ijsbreker_gemeente", ORG):
        ctl_state, _ = act(control, [projector], "set_breakdown", {"by": other})
        assert ctl_state["breakdown"] is None, other
        assert ctl_state["breakdown_choice"] == {"by": other, "compare": None}
        assert ctl_state["result"] == org_result(org_after, ORG_RESPONDENTS)
    ctl_state, _ = act(control, [projector], "set_breakdown", {"by": "table"})
    assert ctl_state["breakdown"] == {
        "by": "table",
        "compare": None,
        "threshold": 3,
        "groups": expected_groups(ORG_BY_TABLE, table_labels, org_result),
    }

    server.assert_no_tracebacks()


def test_profile_change_is_pushed_to_the_screens(server: Server, tmp_path: Path) -> None:  # noqa: F811
    """While results are broken down by organisation, a phone that changes its organisation
    reaches the screens without anything else happening: a `results` of the current activity
    with the new groups (as a changed table does)."""
    live = create_live(server, brugfiguren_keeping_org_open(tmp_path))
    code = live["code"]
    control = Screen(server, code, "control", live["control_key"]).connect()
    projector = Screen(server, code, "projector", live["projector_key"]).connect()
    phones = [Phone(server, code, token=join_at(server, code, 1)) for _ in range(5)]
    connect_all(phones)
    act(control, [projector], "goto", {"activity": ORG})
    answer_all(phones, ORG, {0: "school", 1: "school", 2: "school", 3: "clb", 4: "clb"})
    act(control, [projector], "goto", {"activity": ROL})
    answer_all(phones, ROL, {0: L, 1: D, 2: L, 3: L, 4: A})
    control.wait_results(ROL, 5)
    act(control, [projector], "set_breakdown", {"by": ORG})
    ctl_state, _ = act(control, [projector], "show_results")
    rows = {g["id"]: g for g in ctl_state["breakdown"]["groups"]}
    assert (rows["school"]["n"], rows["clb"]["n"]) == (3, None)

    marks = [(s, len(s.results)) for s in (control, projector)]
    assert phones[0].respond(ORG, "clb")["ok"] is True  # school 3 -> 2, clb 2 -> 3
    want = {"school": (None, True), "clb": (3, False)}
    snap = {
        g["id"]: (g["n"], g["suppressed"])
        for g in control.call("snapshot")["state"]["breakdown"]["groups"]
    }
    assert {k: snap[k] for k in want} == want  # the snapshot has it at once
    for screen, mark in marks:
        screen.wait(
            lambda s=screen, m=mark: any(
                r["activity"] == ROL
                and r.get("breakdown")
                and {
                    g["id"]: (g["n"], g["suppressed"])
                    for g in r["breakdown"]["groups"]
                    if g["id"] in want
                }
                == want
                for r in s.results[m:]
            ),
            timeout=3,
            what="a pushed `results` of rol_moeilijkst with the new groups",
        )
