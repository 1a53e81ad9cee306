"""The table_report kind in process: cleaning, the per-table tally (last edit wins), and its
exports: the CSV row per stored report with its edits, the XLSX sheet (a row per table) and the
report's section "Wat de tafels zeiden" / "What the tables said", table by table."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from facilitator import export_service as exports
from facilitator import kinds, live
from facilitator.activities import InvalidResponse, clean_response
from facilitator.programme import load_programme

TABLES = Path(__file__).resolve().parent / "programmes" / "tables.yaml"
PROGRAMME = load_programme(TABLES)
TERUG = PROGRAMME.activity("terug")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("tekst", "value must be an object"),
        ({"title": "T"}, "text must be text"),
        ({"title": "", "text": "x"}, "title is empty"),
        ({"title": "T", "text": "x", "picks": ["blok1", "blok2"]}, "2 options picked (at most 1)"),
        ({"title": "T", "text": "x", "picks": ["nee"]}, "'nee' is not an option of 'terug'"),
        ({"title": "T", "text": "x", "who": 1}, "unknown field 'who'"),
        ({"title": "T" * 81, "text": "x"}, "title is 81 characters long (at most 80)"),
    ],
)
def test_a_report_that_does_not_fit_says_what(value: Any, message: str) -> None:
    with pytest.raises(InvalidResponse) as err:
        clean_response(TERUG, value)
    assert err.value.code == "invalid_response" and message in err.value.message


def test_the_tally_shows_each_tables_newest_report() -> None:
    kind = kinds.of(TERUG)
    tally = kind.new_tally(TERUG)
    first, _ = kind.at_table(TERUG, {"title": "A", "text": "a", "picks": []}, 1, 11, tally, None)
    tally.add(11, first)
    later, _ = kind.at_table(TERUG, {"title": "B", "text": "b", "picks": []}, 1, 12, tally, None)
    tally.add(12, later)
    other, _ = kind.at_table(TERUG, {"title": "C", "text": "c", "picks": []}, 3, 13, tally, None)
    tally.add(13, other)
    res = tally.result()
    assert [(t["table"], t["title"], t["edits"]) for t in res["tables"]] == [
        (1, "B", 1),
        (3, "C", 0),
    ]
    assert res["respondents"] == 2 and tally.respondents == 2
    # the first phone edits again: its version is now the table's
    again, _ = kind.at_table(TERUG, {"title": "A2", "text": "a", "picks": []}, 1, 11, tally, None)
    tally.replace(11, first, again)
    assert [(t["title"], t["edits"]) for t in tally.result()["tables"]][0] == ("A2", 2)


@pytest.fixture
def room(tmp_path: Path):
    from facilitator import create_app
    from tests.inprocess import app_config

    app = create_app(app_config(tmp_path))
    with app.app_context():
        state = live.start(PROGRAMME, TABLES.name)
        seats = []
        for t in (1, 1, 2, 3):
            _s, pid, _token = live.join(state.code, t)
            seats.append((pid, t))
        state = live.goto(state, "terug")
        state = live.set_answering(state, True)
        for i, (pid, t) in enumerate(seats):
            ack = live.respond(
                state,
                pid,
                {
                    "activity": "terug",
                    "client_id": f"client-{i:04d}",
                    "value": {"title": f"Tafel {t}, lid {i}", "text": f"=Tekst {i}", "picks": []},
                },
            )
            assert ack["ok"] is True
        live.respond(
            state,
            seats[2][0],
            {
                "activity": "terug",
                "client_id": "client-edit",
                "value": {"title": "Tafel 2, herzien", "text": "Beter", "picks": ["blok1"]},
            },
        )
        live.set_answering(live.get(state.code), False)
        yield app, state.code
    live.reset_caches()


def export(app: Any, code: str, fmt: str, **kwargs: Any) -> bytes:
    with app.app_context():
        exp = exports.build([code], **kwargs)
        out = io.BytesIO()
        exports.write(exp, fmt, out)
        return out.getvalue()


def test_csv_has_a_row_per_stored_report_with_its_edits(room) -> None:
    import csv

    app, code = room
    rows = list(csv.DictReader(io.StringIO(export(app, code, "csv").decode("utf-8-sig"))))
    got = [
        (r["table"], r["value"], r["text"], r["option"], r["rank"], r["changes"])
        for r in rows
        if r["activity_id"] == "terug"
    ]
    assert got == [
        ("1", "Tafel 1, lid 0", "'=Tekst 0", "", "0", "0"),
        ("1", "Tafel 1, lid 1", "'=Tekst 1", "", "1", "0"),
        ("2", "Tafel 2, herzien", "Beter", "blok1", "1", "1"),
        ("3", "Tafel 3, lid 3", "'=Tekst 3", "", "0", "0"),
    ]


def test_xlsx_sheet_and_report_section_table_by_table(room) -> None:
    app, code = room
    wb = openpyxl.load_workbook(io.BytesIO(export(app, code, "xlsx")))
    name = next(n for n in wb.sheetnames if n.endswith("terug"))
    rows = [tuple(r) for r in wb[name].iter_rows(values_only=True)]
    head = rows.index(("table", "title", "text", "picks", "edits", "status"))
    assert rows[head + 1 : head + 4] == [
        (1, "Tafel 1, lid 1", "'=Tekst 1", "", 1, "approved"),
        (2, "Tafel 2, herzien", "Beter", "Bouwsteen 1", 1, "approved"),
        (3, "Tafel 3, lid 3", "'=Tekst 3", "", 0, "approved"),
    ]
    for lang, heading, table in (
        ("nl", "Wat de tafels zeiden", "Tafel"),
        ("en", "What the tables said", "Table"),
    ):
        html = export(app, code, "html", lang=lang).decode("utf-8")
        assert heading in html
        at = html.index(heading)
        section = html[at : at + 3000]
        order = [section.index(f"{table} {n}:") for n in (1, 2, 3)]
        assert order == sorted(order)
        assert "Tafel 2, herzien. Beter (Bouwsteen 1" in section or (
            "Tafel 2, herzien. Beter (Building block 1" in section
        )


def test_the_editor_preview_shows_sample_reports_one_per_table(tmp_path: Path) -> None:
    import yaml

    from facilitator import create_app
    from facilitator.editor import preview
    from tests.inprocess import app_config

    app = create_app(app_config(tmp_path))
    data = yaml.safe_load(TABLES.read_text())
    try:
        with app.app_context():
            state, problems = preview.start(data, "terug", TABLES.parent)
            assert problems == [] and state is not None
            shown = live.projector_snapshot(live.get(state.code))
            assert shown["results_visible"] is True and shown["tables"] == 4
            tables = shown["result"]["tables"]
            assert [(t["table"], t["text"]) for t in tables] == [
                (n, f"Voorbeeldsynthese van tafel {n}.") for n in (1, 2, 3, 4)
            ]
            assert [t["picks"] for t in tables] == [["blok1"], ["blok2"], ["blok3"], ["blok1"]]
    finally:
        live.reset_caches()


def test_the_no_script_form_sends_a_table_report(tmp_path: Path) -> None:
    import re

    from facilitator import create_app
    from tests.inprocess import app_config

    app = create_app(app_config(tmp_path))
    client = app.test_client()
    try:
        with app.app_context():
            state = live.start(PROGRAMME, TABLES.name)
            live.set_answering(live.goto(state, "terug"), True)
        code = state.code

        def form() -> tuple[str, dict[str, str]]:
            html = client.get(f"/j/{code}").get_data(as_text=True)
            return html, dict(
                re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html)
            )

        def send(fields: dict[str, str], **data: Any) -> Any:
            return client.post(
                f"/j/{code}/answer",
                data={**fields, **data},
                headers={"Sec-Fetch-Site": "same-origin"},
            )

        client.get(f"/j/{code}")  # joins at no table
        html, fields = form()
        assert 'name="title"' in html and 'name="picks" value="blok2"' in html
        send(fields, title="Samen", text="Meer tijd", picks=["blok2"])
        html, _ = form()
        assert "Dit beantwoordt elke tafel samen: kies eerst je tafel." in html  # no_table
        client.get(f"/j/{code}?t=4")  # the table card's link: now at table 4
        html, fields = form()
        assert send(fields, title="Samen", text="Meer tijd", picks=["blok2"]).status_code == 302
        with app.app_context():
            tables = live.result(live.get(code), "terug")[0]["tables"]
        assert [(t["table"], t["title"], t["picks"]) for t in tables] == [(4, "Samen", ["blok2"])]
        html, _ = form()
        assert "Samen: Meer tijd" in html
    finally:
        live.reset_caches()
