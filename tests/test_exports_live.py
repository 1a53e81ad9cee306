"""Exports of real live sessions, built in-process over the Socket.IO test client: a workshop
with every kind (tests/programmes/workshop.yaml, 120 phones) and a room with segments and tables
(tests/programmes/segments.yaml, 90 phones). Every format is opened with a real reader (csv,
openpyxl, json, html.parser, pypdf) and its numbers are checked against what the projector
shows: ``live.result(..., PROJECTOR)`` and ``live.breakdown_view(..., PROJECTOR)``."""

from __future__ import annotations

import csv
import io
import json
import random
import statistics
import zipfile
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from facilitator import create_app, live, store
from facilitator import export_service as exports
from facilitator.aggregate import PROJECTOR, percent
from facilitator.export.common import number, pct
from facilitator.export.pdf import available as pdf_engine_available
from facilitator.extensions import socketio
from facilitator.programme import load_programme
from tests.inprocess import app_config

# a room of many phones answering every kind, exported in every format
pytestmark = pytest.mark.slow
openpyxl = pytest.importorskip("openpyxl")

HERE = Path(__file__).resolve().parent
WORKSHOP = HERE / "programmes" / "workshop.yaml"
SEGMENTS = HERE / "programmes" / "segments.yaml"
FORMULAS = ("=", "+", "-", "@", "\t", "\r")
needs_pdf = pytest.mark.skipif(
    not pdf_engine_available(),
    reason="no PDF engine: Chromium is not installed on this machine (apt-get install chromium)",
)


def ok(ack: dict[str, Any]) -> dict[str, Any]:
    assert ack["ok"] is True, ack
    return ack


class Room:
    """A live session with phones, a control screen and what happened in it."""

    def __init__(self, app, programme: Path, tables: int | None = None):
        self.app = app
        with app.app_context():
            self.live = live.start(load_programme(programme), programme.name, tables)
        self.code = self.live.code
        self.ctl = socketio.test_client(
            app, auth={"role": "control", "code": self.code, "key": self.live.control_key}
        )
        self.phones: list[Any] = []
        self.tokens: list[str] = []
        self.n = 0
        self.texts: dict[str, list[str]] = defaultdict(list)  # activity -> texts sent

    def join(self, table: int | None = None):
        http = self.app.test_client()
        addr = f"10.77.{len(self.phones) // 200}.{len(self.phones) % 200 + 1}"
        url = f"/api/join/{self.code}" + (f"?t={table}" if table else "")
        resp = http.post(
            url, environ_base={"REMOTE_ADDR": addr}, headers={"User-Agent": "ExportTestPhone/1.0"}
        )
        token = resp.get_json()["token"]
        sock = socketio.test_client(
            self.app, auth={"role": "participant", "code": self.code, "token": token}
        )
        assert sock.is_connected()
        self.phones.append(sock)
        self.tokens.append(token)
        return sock

    def control(self, event: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        ack = self.ctl.emit(event, payload or {}, callback=True)
        if not ack["ok"] and ack["error"]["code"] == "rate_limited":
            # a facilitator clicking fast: another control screen (its own event allowance)
            self.ctl.disconnect()
            self.ctl = socketio.test_client(
                self.app, auth={"role": "control", "code": self.code, "key": self.live.control_key}
            )
            ack = self.ctl.emit(event, payload or {}, callback=True)
        return ok(ack)

    def say(self, phone, activity: str, value) -> dict[str, Any]:
        self.n += 1
        return ok(
            phone.emit(
                "respond",
                {"activity": activity, "value": value, "client_id": f"{activity}-{self.n:08d}"},
                callback=True,
            )
        )

    def ask(self, phone, activity: str, text: str) -> str:
        self.n += 1
        ack = ok(
            phone.emit(
                "ask",
                {"activity": activity, "text": text, "client_id": f"ask-{self.n:08d}"},
                callback=True,
            )
        )
        return ack["question"]["id"]

    def state(self):
        with self.app.app_context():
            return live.get(self.code)

    def result(self, activity: str):
        with self.app.app_context():
            return live.result(live.get(self.code), activity, PROJECTOR)[0]

    def control_result(self, activity: str):
        with self.app.app_context():
            return live.result(live.get(self.code), activity)[0]

    def entry_ids(self, activity: str) -> dict[str, str]:
        """text -> opaque entry id, from the control screen's result."""
        res = self.control_result(activity)
        entries = res.get("entries") or res.get("whys") or []
        return {e["text"]: e["id"] for e in entries}

    def export(self, fmt: str, **kwargs: Any) -> bytes:
        delimiter = kwargs.pop("delimiter", ",")
        with self.app.app_context():
            exp = exports.build([self.code], **kwargs)
            out = io.BytesIO()
            exports.write(exp, fmt, out, delimiter=delimiter)
            return out.getvalue()


WORDS = [
    "armoede",
    "taal",
    "wachtlijsten",
    "de",
    "het",
    "=som(a1)",
    "samenwerking",
    "tijd",
    "@mention",
    "vertrouwen",
    "school",
    "-min",
]


def build_workshop(app) -> Room:
    room = Room(app, WORKSHOP)
    rnd = random.Random(7)
    phones = [room.join() for _ in range(120)]
    room.control("goto", {"activity": "org"})
    for p in phones:
        room.say(p, "org", rnd.choice(["school", "school", "clb", "welzijn"]))
    room.control("close_answering")
    room.control("goto", {"activity": "wolk"})
    for p in phones[:110]:
        room.say(p, "wolk", rnd.sample(WORDS, rnd.randint(1, 3)))
    room.control("hide_word", {"activity": "wolk", "word": "tijd", "hidden": True})
    room.control("close_answering")
    room.control("goto", {"activity": "rang"})
    for p in phones[:100]:
        order = ["a", "b", "c", "d"]
        rnd.shuffle(order)
        room.say(p, "rang", order)
    room.control("close_answering")
    room.control("goto", {"activity": "blokken"})
    for p in phones[:105]:
        items = rnd.sample(["x", "y", "z"], rnd.randint(1, 3))
        room.say(p, "blokken", {i: rnd.choice(["ok", "moeilijk", "weetniet"]) for i in items})
    room.control("close_answering")
    room.control("goto", {"activity": "voor"})
    for i, p in enumerate(phones[:115]):
        why = f"reden-{i:03d}" if i % 4 == 0 else None
        room.say(p, "voor", {"position": rnd.randint(1, 5), "why": why})
        if why:
            room.texts["voor"].append(why)
    ids = room.entry_ids("voor")
    for k, text in enumerate(room.texts["voor"]):
        if k % 3 == 0:
            room.control("moderate", {"activity": "voor", "entry": ids[text], "action": "approve"})
        elif k % 3 == 1:
            room.control("moderate", {"activity": "voor", "entry": ids[text], "action": "hide"})
    room.control("close_answering")
    room.control("goto", {"activity": "na"})
    for p in phones[:112]:
        room.say(p, "na", {"position": rnd.randint(2, 5), "why": None})
    room.control("close_answering")
    room.control("goto", {"activity": "mening"})
    starts = ["", "=", "+", "-", "@"]
    for i, p in enumerate(phones[:90]):
        text = f'{starts[i % 5]}mening-{i:03d} met "quotes", komma; en <b>html</b>'
        room.say(p, "mening", text)
        if i % 10 == 0:  # a changed answer: counted once, changes = 1
            text = f"mening-{i:03d} herzien"
            room.say(p, "mening", text)
        room.texts["mening"].append(text)
    ids = room.entry_ids("mening")
    for i, text in enumerate(room.texts["mening"]):
        if i % 3 == 0:
            room.control(
                "moderate", {"activity": "mening", "entry": ids[text], "action": "approve"}
            )
        elif i % 3 == 1:
            room.control("moderate", {"activity": "mening", "entry": ids[text], "action": "hide"})
    room.control("close_answering")
    room.control("goto", {"activity": "vragen"})
    qids = [room.ask(phones[i], "vragen", f"vraag-{i:02d}?") for i in range(12)]
    for k, qid in enumerate(qids):
        if k % 3 != 2:
            room.control("moderate", {"activity": "vragen", "entry": qid, "action": "approve"})
        if k % 6 == 5:
            room.control("moderate", {"activity": "vragen", "entry": qid, "action": "hide"})
    room.control("moderate", {"activity": "vragen", "entry": qids[3], "action": "pin"})
    room.control("moderate", {"activity": "vragen", "entry": qids[0], "action": "answered"})
    for i, p in enumerate(phones[:60]):
        qid = qids[(i * 7) % 12]
        if (i * 7) % 12 % 3 != 2 and (i * 7) % 12 % 6 != 5:
            ok(
                p.emit(
                    "upvote",
                    {
                        "activity": "vragen",
                        "question": qid,
                        "vote": True,
                        "client_id": f"up-{i:06d}",
                    },
                    callback=True,
                )
            )
    room.control("close_answering")
    room.control("goto", {"activity": "vrij"})
    for i in range(5):
        room.ask(phones[20 + i], "vrij", f"vrije vraag {i}")
    room.control("close_answering")
    room.control("goto", {"activity": "e1"})  # a paced section: e1, e2, e3 open together
    for i, p in enumerate(phones):
        room.say(p, "e1", "ja" if i % 3 else "nee")
        room.say(p, "e2", {"position": i % 11, "why": None})
        if i % 2:
            room.say(p, "e3", f"tot slot {i}")
    room.control("close_answering")
    return room


def build_segments(app) -> Room:
    """90 phones. org: school 50, clb 36, welzijn 2, none 2. Tables 1: 40, 2: 45, 3: 2, none 3.
    One activity (tekst) is left open: the exports are interim."""
    room = Room(app, SEGMENTS)
    rnd = random.Random(11)
    orgs = ["school"] * 50 + ["clb"] * 36 + ["welzijn"] * 2 + [None] * 2
    tables = [1] * 40 + [2] * 45 + [3] * 2 + [None] * 3
    rnd.shuffle(orgs)
    phones = []
    for i in range(90):
        p = room.join(tables[i])
        if orgs[i]:
            room.say(p, "org", orgs[i])
        if i % 45:
            room.say(p, "regio", "oost" if i % 2 else "west")
        phones.append(p)
    room.control("goto", {"activity": "kies"})
    for p in phones:
        room.say(p, "kies", rnd.choice(["ja", "nee", "misschien"]))
    room.control("close_answering")
    room.control("goto", {"activity": "schaal"})
    for i, p in enumerate(phones[:80]):
        room.say(p, "schaal", {"position": rnd.randint(1, 5), "why": f"uitleg {i}"})
    room.control("close_answering")
    room.control("goto", {"activity": "blokken"})
    for p in phones[:85]:
        room.say(
            p, "blokken", {"x": rnd.choice(["ok", "moeilijk"]), "y": rnd.choice(["ok", "moeilijk"])}
        )
    room.control("close_answering")
    room.control("goto", {"activity": "tekst"})
    for i, p in enumerate(phones[:30]):
        room.say(p, "tekst", f"segment tekst {i}")
    return room  # tekst stays open


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    app = create_app(app_config(folder))
    yield app
    live.reset_caches()


@pytest.fixture(scope="module")
def workshop(app) -> Room:
    return build_workshop(app)


@pytest.fixture(scope="module")
def segments(app) -> Room:
    return build_segments(app)


# ------------------------------------------------------------------------------- readers


def read_csv(data: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    return list(
        csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    )


def unneutralise(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(FORMULAS):
        return text[1:]
    return text


def strip_ids(value: Any) -> Any:
    """Results with the ids of free-text entries left out (the screens use opaque ids, the
    exports pseudonyms)."""
    if isinstance(value, dict):
        return {k: strip_ids(v) for k, v in value.items() if not (k == "id" and "text" in value)}
    if isinstance(value, list):
        return [strip_ids(v) for v in value]
    return value


class Tables(HTMLParser):
    """Every <table> of each <article id="a-..."> of the report, as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.articles: dict[str, list[list[list[str]]]] = defaultdict(list)
        self.text: dict[str, list[str]] = defaultdict(list)
        self.current: str | None = None
        self.cell: list[str] | None = None
        self.row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article":
            self.current = (a.get("id") or "")[2:]
        elif tag == "table" and self.current:
            self.articles[self.current].append([])
        elif tag == "tr" and self.current:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "article":
            self.current = None
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None and self.current:
            self.articles[self.current][-1].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.current:
            self.text[self.current].append(data)


def report_tables(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


def sheet_rows(wb, name: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in wb[name].iter_rows(values_only=True)]


def block_after(rows: list[tuple[Any, ...]], first_header: str) -> list[tuple[Any, ...]]:
    """The rows of the table whose header row starts with ``first_header``, up to a blank or
    bold summary row (rows whose first cell is None end it)."""
    for i, r in enumerate(rows):
        if r and r[0] == first_header:
            out = []
            for row in rows[i + 1 :]:
                if row[0] is None or row[0] in ("respondents", "n", "votes", "questions"):
                    break
                out.append(row)
            return [rows[i]] + out
    raise AssertionError(f"no table headed {first_header}")


# --------------------------------------------------------------------- the workshop room


def test_json_results_equal_the_projector(workshop) -> None:
    doc = json.loads(workshop.export("json"))
    assert doc["schema_version"] == 1 and doc["type"] == "live_session"
    assert doc["interim"] is False
    [session] = doc["sessions"]
    assert session["code"] == workshop.code and session["participant_count"] == 120
    state = workshop.state()
    for activity in state.programme.activities:
        if not activity.answerable:
            continue
        mine = doc["results"][activity.id]
        projector = workshop.result(activity.id)
        assert strip_ids(mine["result"]) == strip_ids(projector), activity.id
    # responses: every stored answer, with its moderation status; pseudonyms by join order
    with workshop.app.app_context():
        assert len(session["responses"]) == len(store.export_responses(state.id))
    names = [p["participant"] for p in session["participants"]]
    assert names == [f"P{i:04d}" for i in range(1, 121)]
    mening = [r for r in session["responses"] if r["activity"] == "mening"]
    assert len(mening) == 90
    assert Counter(r["status"] for r in mening) == {"approved": 30, "hidden": 30, "pending": 30}
    assert sum(r["changes"] for r in mening) == 9
    assert {q["text"] for q in session["questions"]} >= {"vraag-00?", "vrije vraag 4"}
    assert any(e["action"] == "hide_word" for e in session["log"])


def test_csv_recount_equals_the_projector(workshop) -> None:
    rows = read_csv(workshop.export("csv"))
    semicolon = read_csv(workshop.export("csv", delimiter=";"), ";")
    assert semicolon == rows
    by: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        assert r["live_code"] == workshop.code and r["programme_id"] == "workshop"
        by[r["activity_id"]].append(r)
    state = workshop.state()
    for a in state.programme.activities:
        if not a.answerable:
            continue
        res = workshop.result(a.id)
        rs = by[a.id]
        people = {r["participant"] for r in rs}
        if a.kind in ("single_choice", "multi_choice"):
            counts = Counter(r["option"] for r in rs)
            assert res["respondents"] == len(people)
            for o in res["options"]:
                assert o["count"] == counts[o["id"]], (a.id, o)
                assert o["percent"] == percent(counts[o["id"]], len(people))
        elif a.kind == "scale":
            values = [int(r["value"]) for r in rs]
            assert res["n"] == len(values)
            assert {h["value"]: h["count"] for h in res["histogram"]} == {
                v: values.count(v) for v in a.scale.positions
            }
            assert res["mean"] == round(sum(values) / len(values), 2)
            assert res["median"] == statistics.median(values)
            approved = [unneutralise(r["text"]) for r in rs if r["status"] == "approved"]
            assert [w["text"] for w in res["whys"]] == approved
        elif a.kind == "ranking":
            for o in res["options"]:
                ranks = [int(r["rank"]) for r in rs if r["option"] == o["id"]]
                assert o["mean_rank"] == round(sum(ranks) / len(ranks), 2)
                assert o["first"] == ranks.count(1)
        elif a.kind == "matrix":
            for item in res["items"]:
                got = Counter(r["rating"] for r in rs if r["item"] == item["id"])
                assert item["counts"] == {k: got[k] for k in item["counts"]}
        elif a.kind == "word_cloud":
            shown = Counter(unneutralise(r["text"]) for r in rs if r["status"] == "approved")
            assert {w["word"]: w["count"] for w in res["words"]} == dict(shown)
            assert {r["status"] for r in rs} == {"approved", "hidden", "stop_word"}
        elif a.kind == "open_text":
            approved = [unneutralise(r["text"]) for r in rs if r["status"] == "approved"]
            assert [e["text"] for e in res["entries"]] == approved
            assert len(rs) == res["n"]
        elif a.kind == "qna":
            public = {q["text"]: q["votes"] for q in res["questions"]}
            mine = {r["text"]: int(r["votes"]) for r in rs if r["status"] == "approved"}
            assert public == mine


def test_csv_cells_are_neutralised(workshop) -> None:
    rows = read_csv(workshop.export("csv"))
    texts = [r["text"] for r in rows if r["text"]]
    assert texts
    assert not [t for t in texts if t.startswith(FORMULAS)]
    for start in ("'=", "'+", "'-", "'@"):
        assert any(t.startswith(start + "mening-") for t in texts), start
    assert "'@mention" in texts


def test_xlsx_equals_the_projector(workshop) -> None:
    data = workshop.export("xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[0] == "Summary" and wb.sheetnames[-2:] == ["Responses", "Codebook"]
    # the tidy responses sheet holds the same rows as the CSV
    csv_rows = read_csv(workshop.export("csv"))
    sheet = sheet_rows(wb, "Responses")
    header = list(sheet[0])
    assert header == list(csv_rows[0].keys())
    assert len(sheet) - 1 == len(csv_rows)
    for got, want in zip(sheet[1:], csv_rows, strict=True):
        assert ["" if v is None else str(v) for v in got] == list(want.values())
    summary = sheet_rows(wb, "Summary")
    table = block_after(summary, "#")
    respondents = {r[2]: r[5] for r in table[1:]}
    state = workshop.state()
    for pos, a in enumerate(state.programme.activities, start=1):
        if not a.answerable:
            continue
        res = workshop.result(a.id)
        rows = sheet_rows(wb, f"{pos:02d} {a.id}")
        if a.kind in ("single_choice", "multi_choice"):
            block = block_after(rows, "option_id")
            got = {r[0]: (r[2], r[3]) for r in block[1:]}
            assert got == {o["id"]: (o["count"], o["percent"]) for o in res["options"]}
            assert respondents[a.id] == res["respondents"]
            if a.reference is not None:
                assert block[0][4].startswith("reference")
                assert {r[0]: r[4] for r in block[1:]} == dict(a.reference.values)
        elif a.kind == "scale":
            block = block_after(rows, "value")
            assert [(r[0], r[1]) for r in block[1:]] == [
                (h["value"], h["count"]) for h in res["histogram"]
            ]
            stats = {r[0]: r[1] for r in rows if r[0] in ("mean", "median", "n")}
            assert stats == {"n": res["n"], "mean": res["mean"], "median": res["median"]}
            if a.compare_with:
                assert [r[2] for r in block[1:]] == [h["count"] for h in res["before"]["histogram"]]
        elif a.kind == "ranking":
            block = block_after(rows, "option_id")
            assert [(r[0], r[2], r[3], r[4]) for r in block[1:]] == [
                (o["id"], o["mean_rank"], o["first"], o["first_percent"]) for o in res["options"]
            ]
        elif a.kind == "matrix":
            block = block_after(rows, "item_id")
            ratings = [x.id for x in a.ratings]
            for r, item in zip(block[1:], res["items"], strict=True):
                assert r[0] == item["id"] and r[2] == item["n"]
                assert list(r[3 : 3 + len(ratings)]) == [item["counts"][x] for x in ratings]
                assert list(r[3 + len(ratings) : 3 + 2 * len(ratings)]) == [
                    item["percents"][x] for x in ratings
                ]
        elif a.kind == "word_cloud":
            block = block_after(rows, "word")
            assert [(unneutralise(r[0]), r[1]) for r in block[1:]] == [
                (w["word"], w["count"]) for w in res["words"]
            ]
        elif a.kind == "qna":
            block = block_after(rows, "question")
            approved = [(r[0], r[1]) for r in block[1:] if r[2] == "approved"]
            assert approved == [(q["text"], q["votes"]) for q in res["questions"]]
    # formula injection: no string cell anywhere starts like a formula
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and v.startswith(FORMULAS)), (ws.title, v)


def test_report_shows_what_the_projector_showed(workshop) -> None:
    html = workshop.export("html").decode("utf-8")
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    t = report_tables(html)
    state = workshop.state()
    for a in state.programme.activities:
        if not a.answerable:
            continue
        res = workshop.result(a.id)
        tables = t.articles[a.id]
        text = " ".join("".join(t.text[a.id]).split())
        if a.kind in ("single_choice", "multi_choice"):
            rows = tables[0][1:]
            assert [(r[1], r[2]) for r in rows] == [
                (str(o["count"]), pct(o["percent"], "nl")) for o in res["options"]
            ]
        elif a.kind == "scale":
            assert number(res["mean"], "nl") in text and number(res["median"], "nl") in text
            assert [r[-1] for r in tables[0][1:]] == [str(h["count"]) for h in res["histogram"]]
        elif a.kind == "ranking":
            assert [r[1] for r in tables[0][1:]] == [
                number(o["mean_rank"], "nl", 2) for o in res["options"]
            ]
        elif a.kind == "matrix":
            for r, item in zip(tables[0][1:], res["items"], strict=True):
                assert r[1] == str(item["n"])
        elif a.kind == "word_cloud":
            for w in res["words"]:
                assert f"{w['word']} ({w['count']})" in text
            assert "tijd (" not in text  # a hidden word
        elif a.kind == "qna":
            rows = tables[0][1:]
            assert [(r[0], r[1]) for r in rows] == [
                (q["text"], str(q["votes"])) for q in res["questions"]
            ]
    # only approved texts: the hidden and pending ones are not in the report
    approved = [e["text"] for e in workshop.result("mening")["entries"]]
    assert approved and all(
        x in html or x.replace('"', "&#34;") in html or x.replace('"', "&quot;") in html
        for x in [a.replace("<", "&lt;").replace(">", "&gt;") for a in approved]
    )
    everything = [e for e in workshop.control_result("mening")["entries"]]
    for e in everything:
        marker = e["text"].split(" ")[0].lstrip("=+-@")
        assert (marker in html) == (e["status"] == "approved"), e
    for e in workshop.control_result("voor")["whys"]:
        assert (e["text"] in html) == (e["status"] == "approved"), e
    for q in workshop.control_result("vragen")["questions"]:
        assert (q["text"] in html) == (q["status"] == "approved"), q
    assert 'class="interim"' not in html


@pytest.mark.browser
@needs_pdf
def test_pdf_numbers_and_texts(workshop) -> None:
    pypdf = pytest.importorskip("pypdf")
    data = workshop.export("pdf")
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    text = " ".join(p.extract_text() for p in reader.pages)
    flat = " ".join(text.replace("\u00a0", " ").split())
    assert workshop.code in flat
    for aid in ("org", "e1"):
        for o in workshop.result(aid)["options"]:
            assert pct(o["percent"], "nl").replace("\u00a0", " ") in flat, (aid, o)
    for aid in ("voor", "na", "e2"):
        assert number(workshop.result(aid)["mean"], "nl") in flat
    for e in workshop.control_result("mening")["entries"]:
        marker = e["text"].split(" ")[0].lstrip("=+-@")
        assert (marker in flat) == (e["status"] == "approved"), e


def test_no_tokens_addresses_or_user_agents_in_any_export(workshop) -> None:
    blobs = {fmt: workshop.export(fmt) for fmt in ("csv", "json", "html", "xlsx", "zip")}
    texts = []
    for fmt, blob in blobs.items():
        if fmt in ("xlsx", "zip"):
            with zipfile.ZipFile(io.BytesIO(blob)) as zf:
                for name in zf.namelist():
                    inner = zf.read(name)
                    if name.endswith(".xlsx"):
                        with zipfile.ZipFile(io.BytesIO(inner)) as x:
                            texts += [x.read(n) for n in x.namelist()]
                    else:
                        texts.append(inner)
        else:
            texts.append(blob)
    for token in workshop.tokens[:25]:
        for blob in texts:
            assert token.encode() not in blob
            assert store.hash_token(token).encode() not in blob
    for blob in texts:
        assert b"10.77." not in blob and b"ExportTestPhone" not in blob
        assert workshop.live.control_key.encode() not in blob
        assert workshop.live.projector_key.encode() not in blob


@pytest.mark.browser
def test_zip_holds_every_format_and_each_opens(workshop, tmp_path: Path) -> None:
    result = workshop.app.test_cli_runner().invoke(
        args=["live", "export", workshop.code, "--format", "zip", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    [path] = list(tmp_path.glob("*.zip"))
    assert path.name.startswith(f"workshop_{workshop.code}_") and "interim" not in path.name
    with zipfile.ZipFile(path) as zf:
        names = {n.split("/", 1)[1]: n for n in zf.namelist()}
        for need in (
            "report.html",
            "responses.csv",
            "responses_semicolon.csv",
            "codebook.csv",
            "README.txt",
        ):
            assert need in names, names
        rows = read_csv(zf.read(names["responses.csv"]))
        assert len(rows) > 1000
        codebook = read_csv(zf.read(names["codebook.csv"]))
        assert {r["id"] for r in codebook if r["entry"] == "column"} == set(rows[0])
        assert any(
            r["entry"] == "option" and r["id"] == "welzijn" and r["text_en"] == "Welfare"
            for r in codebook
        )
        [xlsx] = [n for n in names if n.endswith(".xlsx")]
        wb = openpyxl.load_workbook(io.BytesIO(zf.read(names[xlsx])), read_only=True)
        assert "Responses" in wb.sheetnames
        [js] = [n for n in names if n.endswith(".json")]
        assert json.loads(zf.read(names[js]))["sessions"][0]["code"] == workshop.code
        if pdf_engine_available():
            assert zf.read(names["report.pdf"]).startswith(b"%PDF")
        else:
            assert "report.pdf" not in names
            assert b"Chromium" in zf.read(names["README.txt"])


# ---------------------------------------------------------------- segments and privacy


DIMENSIONS = ("table", "org", "regio")


def test_breakdowns_equal_the_projector_and_suppress_small_groups(segments) -> None:
    doc = json.loads(segments.export("json"))
    assert doc["interim"] is True and doc["sessions"][0]["interim"] is True
    assert [d["id"] for d in doc["dimensions"]] == list(DIMENSIONS)
    for dim in DIMENSIONS:
        segments.control("set_breakdown", {"by": dim})
        state = segments.state()
        for aid in ("kies", "schaal", "blokken", "org", "regio"):
            view = None
            with segments.app.app_context():
                view = live.breakdown_view(state, aid, PROJECTOR)
            mine = doc["results"][aid]["breakdowns"].get(dim)
            if view is None:
                assert mine is None, (aid, dim)
                continue
            assert mine["threshold"] == 3
            assert mine["groups"] == view["groups"], (aid, dim)
    rows = {g["id"]: g for g in doc["results"]["kies"]["breakdowns"]["org"]["groups"]}
    assert rows["welzijn"] == {
        "id": "welzijn",
        "label": {"nl": "Welzijn", "en": "Welfare"},
        "n": None,
        "suppressed": True,
        "result": None,
    }
    assert rows["_none"]["suppressed"] is True
    tables = {g["id"]: g for g in doc["results"]["kies"]["breakdowns"]["table"]["groups"]}
    assert tables["3"]["suppressed"] and tables["_none"]["n"] == 3  # 3 is not fewer than 3
    assert tables["1"]["n"] == 40 and tables["2"]["n"] == 45
    # the tidy rows keep the data of small groups for the owner
    csv_rows = read_csv(segments.export("csv"))
    welzijn = [r for r in csv_rows if r["activity_id"] == "kies" and r["segment_org"] == "welzijn"]
    assert len(welzijn) == 2
    assert Counter(r["table"] for r in csv_rows if r["activity_id"] == "kies") == {
        "1": 40,
        "2": 45,
        "3": 2,
        "": 3,
    }


def test_small_groups_are_suppressed_in_xlsx_and_report(segments) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(segments.export("xlsx")))
    rows = sheet_rows(wb, "03 kies")
    start = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("breakdown by org"))
    block = rows[start + 1 : start + 6]
    by = {r[0]: r for r in block}
    assert by["Welzijn"][1] == "< 3" and set(by["Welzijn"][2:]) == {None}
    doc = json.loads(segments.export("json"))
    school = next(
        g for g in doc["results"]["kies"]["breakdowns"]["org"]["groups"] if g["id"] == "school"
    )
    assert by["School"][1] == school["n"]
    assert list(by["School"][2:5]) == [o["count"] for o in school["result"]["options"]]
    html = segments.export("html").decode("utf-8")
    t = report_tables(html)
    org_table = next(tb for tb in t.articles["kies"] if tb[0][0] in ("Waar werk je?", "Org"))
    welzijn = next(r for r in org_table if r[0] == "Welzijn")
    assert welzijn[1].endswith("3") and welzijn[2:] == ["", "", ""]
    school_row = next(r for r in org_table if r[0] == "School")
    assert school_row[1] == str(school["n"])
    # a profile question is broken down by table only, never by another profile question
    assert all(tb[0][0] not in ("Welke regio?",) for tb in t.articles["org"][1:])


def test_interim_exports_are_marked(segments, tmp_path: Path) -> None:
    html = segments.export("html").decode("utf-8")
    assert 'class="interim"' in html
    wb = openpyxl.load_workbook(io.BytesIO(segments.export("xlsx")))
    assert any("INTERIM" in str(v) for r in sheet_rows(wb, "Summary") for v in r if v)
    result = segments.app.test_cli_runner().invoke(
        args=["live", "export", segments.code, "--format", "csv", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0 and "interim" in result.output
    [path] = list(tmp_path.glob("*.csv"))
    assert path.name.endswith("_interim.csv")


def test_pooled_export(app, segments) -> None:
    other = Room(app, SEGMENTS)
    for i in range(12):
        p = other.join(1 + i % 2)
        other.say(p, "org", "school" if i % 2 else "clb")
    other.control("goto", {"activity": "kies"})
    for i, p in enumerate(other.phones):
        other.say(p, "kies", "ja" if i < 8 else "nee")
    other.control("close_answering")
    result = app.test_cli_runner().invoke(
        args=["live", "export-pooled", segments.code, other.code, "--format", "json", "-o", "-"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["type"] == "pooled" and len(doc["sessions"]) == 2
    a, b = segments.result("kies"), other.result("kies")
    pooled = doc["results"]["kies"]["result"]
    assert pooled["respondents"] == a["respondents"] + b["respondents"]
    for o in pooled["options"]:
        want = sum(x["count"] for r in (a, b) for x in r["options"] if x["id"] == o["id"])
        assert o["count"] == want
    by_live = {g["id"]: g for g in doc["results"]["kies"]["breakdowns"]["live"]["groups"]}
    assert by_live[other.code]["n"] == 12 and by_live[segments.code]["n"] == 90
    assert "table" not in doc["results"]["kies"]["breakdowns"]
    with app.app_context():
        exp = exports.build([segments.code, other.code])
        out = io.BytesIO()
        exports.write(exp, "csv", out)
    rows = read_csv(out.getvalue())
    assert Counter(r["live_code"] for r in rows if r["activity_id"] == "kies") == {
        segments.code: 90,
        other.code: 12,
    }
    refused = app.test_cli_runner().invoke(
        args=["live", "export-pooled", segments.code, segments.code]
    )
    assert refused.exit_code != 0


@pytest.mark.browser
def test_download_routes(app, segments) -> None:
    client = app.test_client()
    assert client.get(f"/control/{segments.code}/exports").status_code == 403
    assert client.get(f"/control/{segments.code}/export.csv").status_code == 403
    client.get(f"/control/{segments.code}?key={segments.live.control_key}")
    page = client.get(f"/control/{segments.code}/exports")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for fmt in ("zip", "xlsx", "csv", "json", "html"):
        assert f"/control/{segments.code}/export.{fmt}" in body
    for fmt, mime in (
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("json", "application/json"),
        ("html", "text/html"),
        ("zip", "application/zip"),
    ):
        resp = client.get(f"/control/{segments.code}/export.{fmt}")
        assert resp.status_code == 200 and resp.mimetype == mime
        disposition = resp.headers["Content-Disposition"]
        assert (
            disposition.startswith("attachment;")
            and f"segments_{segments.code}_" in disposition
            and disposition.endswith(f'_interim.{fmt}"')
        )
        assert (
            resp.headers["Cache-Control"].startswith("no-store")
            or "no-store" in resp.headers["Cache-Control"]
        )
    semi = client.get(f"/control/{segments.code}/export.csv?delimiter=semicolon")
    assert read_csv(semi.data, ";")[0]["live_code"] == segments.code
    assert client.get(f"/control/{segments.code}/codebook.csv").status_code == 200
    view = client.get(f"/control/{segments.code}/export.html?view=1")
    assert view.headers["Content-Disposition"].startswith("inline")
    assert "script-src" not in view.headers["Content-Security-Policy"]
    assert client.get(f"/control/{segments.code}/export.exe").status_code == 404


def test_pdf_route_says_clearly_when_chromium_is_missing(app, segments) -> None:
    client = app.test_client()
    client.get(f"/control/{segments.code}?key={segments.live.control_key}")
    app.config["CHROMIUM"] = "/nonexistent/chromium"
    try:
        resp = client.get(f"/control/{segments.code}/export.pdf")
        assert resp.status_code == 503 and "Chromium" in resp.get_data(as_text=True)
        page = client.get(f"/control/{segments.code}/exports").get_data(as_text=True)
        assert f"/control/{segments.code}/export.pdf" not in page
        zipped = client.get(f"/control/{segments.code}/export.zip")
        with zipfile.ZipFile(io.BytesIO(zipped.data)) as zf:
            assert not [n for n in zf.namelist() if n.endswith(".pdf")]
        result = app.test_cli_runner().invoke(
            args=["live", "export", segments.code, "--format", "pdf", "-o", "/tmp/x.pdf"]
        )
        assert result.exit_code != 0 and "Chromium" in result.output
    finally:
        app.config.pop("CHROMIUM", None)
