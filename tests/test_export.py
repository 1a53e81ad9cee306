"""The pure export modules (facilitator/export/): no app, no database. Sessions are built from
plain rows, as ``export_service.py`` gathers them."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import namedtuple
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from facilitator.export.common import (
    ExportError,
    SessionData,
    is_interim,
    neutralise,
    number,
    pct,
)
from facilitator.export.data import poolable
from facilitator.export.formats import Export
from facilitator.programme import load_programme
from facilitator.snapshot import ActivityStatus, LiveState

HERE = Path(__file__).resolve().parent
WORKSHOP = load_programme(HERE / "programmes" / "workshop.yaml")
SEGMENTS = load_programme(HERE / "programmes" / "segments.yaml")
T0 = datetime(2026, 3, 5, 13, 30, 0)

Participant = namedtuple("Participant", "id joined_at table")
Response = namedtuple(
    "Response", "participant_id activity_id value status submitted_at changed_at changes"
)
Question = namedtuple(
    "Question", "id activity_id participant_id text status votes pinned answered created_at"
)


def state(programme, code="ABC234", statuses=None, tables=0, ended=None) -> LiveState:
    return LiveState(
        id=1,
        code=code,
        programme=programme,
        version=3,
        current=None,
        control_key="control-key-secret",
        projector_key="projector-key-secret",
        created_at=T0,
        ended_at=ended,
        statuses=statuses or {},
        tables=tables,
    )


def closed(*ids: str, **extra: Any) -> dict[str, ActivityStatus]:
    return {aid: ActivityStatus("closed", True, **extra) for aid in ids}


def session(programme, responses, participants=None, questions=(), **kwargs) -> SessionData:
    pids = sorted({r[0] for r in responses} | {q[2] for q in questions})
    if participants is None:
        participants = [Participant(pid, T0 + timedelta(seconds=pid), None) for pid in pids]
    rows = [
        Response(
            pid,
            aid,
            value,
            status,
            T0 + timedelta(minutes=k),
            T0 + timedelta(minutes=k, seconds=changes),
            changes,
        )
        for k, (pid, aid, value, status, changes) in enumerate(responses)
    ]
    qs = [Question(*q) for q in questions]
    return SessionData(state(programme, **kwargs), participants, rows, qs)


def r(pid, aid, value, status="approved", changes=0):
    return (pid, aid, value, status, changes)


def export(*sessions: SessionData, **kwargs: Any) -> Export:
    return Export(list(sessions), T0 + timedelta(hours=2), **kwargs)


def csv_rows(exp: Export, delimiter: str = ",") -> list[dict[str, str]]:
    out = io.BytesIO()
    exp.write_csv(out, delimiter)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(
        csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter)
    )


# ------------------------------------------------------------------------------ formatting


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+31 470", "'+31 470"),
        ("-5 graden", "'-5 graden"),
        ("@home", "'@home"),
        ("\tindent", "'\tindent"),
        ("\rreturn", "'\rreturn"),
        ("gewoon", "gewoon"),
        ("a=b", "a=b"),
        ("", ""),
        (42, 42),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralise(value, expected) -> None:
    assert neutralise(value) == expected


@pytest.mark.parametrize(
    ("value", "lang", "digits", "expected"),
    [
        (33.3, "nl", 1, "33,3"),
        (33.3, "en", 1, "33.3"),
        (50.0, "nl", 1, "50"),
        (2.5, "nl", 1, "2,5"),
        (1.33, "nl", 2, "1,33"),
        (2.0, "en", 2, "2"),
        (12, "nl", 1, "12"),
        (None, "nl", 1, "\u2014"),
        (-0.04, "en", 1, "0"),
    ],
)
def test_numbers_as_the_screens_write_them(value, lang, digits, expected) -> None:
    assert number(value, lang, digits) == expected


def test_percent_format() -> None:
    assert pct(45.9, "nl") == "45,9\u00a0%" and pct(45.9, "en") == "45.9%"


# ------------------------------------------------------------------------------ tidy rows


def workshop_session(**kwargs: Any) -> SessionData:
    return session(
        WORKSHOP,
        [
            r(1, "org", "school"),
            r(2, "org", "clb"),
            r(1, "wolk", ["armoede", "de", "taal"]),
            r(2, "wolk", ["armoede"]),
            r(1, "rang", ["b", "a", "d", "c"]),
            r(2, "blokken", {"z": "ok", "x": "moeilijk"}),
            r(1, "voor", {"position": 4, "why": '=HYPERLINK("x")'}, "pending", 2),
            r(2, "voor", {"position": 2, "why": None}),
            r(1, "mening", "-geen idee", "hidden"),
            r(2, "mening", "mooi", "approved"),
            r(2, "e1", "ja"),
        ],
        questions=[(7, "vrij", 2, "Wanneer?", "approved", 3, False, True, T0)],
        statuses=closed(
            "org", "wolk", "rang", "blokken", "voor", "mening", "vrij", "e1", hidden_words=()
        ),
        **kwargs,
    )


def test_tidy_rows_one_per_answer_per_kind() -> None:
    rows = csv_rows(export(workshop_session()))
    assert list(rows[0]) == [
        "live_code",
        "programme_id",
        "programme_version",
        "activity_id",
        "kind",
        "section_id",
        "participant",
        "table",
        "item",
        "option",
        "rank",
        "rating",
        "value",
        "text",
        "status",
        "votes",
        "submitted_at",
        "changed_at",
        "changes",
    ]
    got = [
        (
            x["activity_id"],
            x["participant"],
            x["item"],
            x["option"],
            x["rank"],
            x["rating"],
            x["value"],
            x["text"],
            x["status"],
            x["votes"],
        )
        for x in rows
    ]
    assert got == [
        ("org", "P0001", "", "school", "", "", "", "", "", ""),
        ("org", "P0002", "", "clb", "", "", "", "", "", ""),
        ("wolk", "P0001", "", "", "", "", "", "armoede", "approved", ""),
        ("wolk", "P0001", "", "", "", "", "", "de", "stop_word", ""),
        ("wolk", "P0001", "", "", "", "", "", "taal", "approved", ""),
        ("wolk", "P0002", "", "", "", "", "", "armoede", "approved", ""),
        ("rang", "P0001", "", "b", "1", "", "", "", "", ""),
        ("rang", "P0001", "", "a", "2", "", "", "", "", ""),
        ("rang", "P0001", "", "d", "3", "", "", "", "", ""),
        ("rang", "P0001", "", "c", "4", "", "", "", "", ""),
        ("blokken", "P0002", "x", "", "", "moeilijk", "", "", "", ""),
        ("blokken", "P0002", "z", "", "", "ok", "", "", "", ""),
        ("voor", "P0001", "", "", "", "", "4", '\'=HYPERLINK("x")', "pending", ""),
        ("voor", "P0002", "", "", "", "", "2", "", "", ""),
        ("mening", "P0001", "", "", "", "", "", "'-geen idee", "hidden", ""),
        ("mening", "P0002", "", "", "", "", "", "mooi", "approved", ""),
        ("vrij", "P0002", "", "", "", "", "", "Wanneer?", "approved", "3"),
        ("e1", "P0002", "", "ja", "", "", "", "", "", ""),
    ]
    voor = next(x for x in rows if x["activity_id"] == "voor")
    assert (voor["submitted_at"], voor["changed_at"], voor["changes"]) == (
        "2026-03-05T13:36:00Z",
        "2026-03-05T13:36:02Z",
        "2",
    )
    assert {x["live_code"] for x in rows} == {"ABC234"}


def test_semicolon_variant_is_the_same_table() -> None:
    exp = export(workshop_session())
    assert csv_rows(exp, ";") == csv_rows(exp)
    with pytest.raises(ExportError):
        exp.write_csv(io.BytesIO(), "\t")


@pytest.mark.parametrize("version", ["1", "2026-03, draft; b"])
def test_both_csv_variants_are_what_the_csv_module_writes(version: str) -> None:
    """The ";" variant is made from the "," lines where that is the same (no "," or ";" in
    a row): byte for byte what csv.writer writes, for texts with every character that
    matters to quoting, in one pass and in batches."""
    texts = [
        "gewoon",
        "een, twee",
        "een; twee",
        'zei "ja"',
        "regel\nregel",
        "a,b;c\r\nd",
        "=1+1",
        "-5, of; niet",
        "",
        " spatie ",
        "\u00e9\u00e9n \u2014 twee",
        ";",
        ",",
    ]
    responses = [r(k + 1, "mening", t) for k, t in enumerate(texts)]
    responses += [r(k + 1, "org", "school") for k in range(len(texts))]
    responses += [r(k + 1, "wolk", ["armoede", "taal"]) for k in range(3)]
    s = session(
        replace(WORKSHOP, version=version), responses, statuses=closed("mening", "org", "wolk")
    )
    exp = export(s)
    for delimiter in (",", ";"):
        want = io.StringIO()
        w = csv.writer(want, delimiter=delimiter, lineterminator="\r\n")
        w.writerow(exp.columns)
        t = exp.text_column
        for row in exp.tidy_rows():
            txt = row[t]
            if isinstance(txt, str) and txt.startswith(("=", "+", "-", "@", "\t", "\r")):
                row = row[:t] + ("'" + txt,) + row[t + 1 :]
            w.writerow(row)
        expected = b"\xef\xbb\xbf" + want.getvalue().encode("utf-8")
        alone = io.BytesIO()
        exp.write_csv(alone, delimiter)
        assert alone.getvalue() == expected, delimiter
    comma, semicolon = io.BytesIO(), io.BytesIO()
    exp.write_csv(comma, ",", also=(semicolon, ";"))
    alone = io.BytesIO()
    exp.write_csv(alone, ";")
    assert semicolon.getvalue() == alone.getvalue()
    small = io.BytesIO()
    from facilitator.export.data import CsvSink

    sink = CsvSink(exp, [(small, ";")])
    for row in exp.tidy_rows():  # batches of one: every row on its own
        sink.rows([row])
    assert small.getvalue() == alone.getvalue()


def test_pseudonyms_follow_join_order_never_ids_or_tokens() -> None:
    participants = [Participant(40, T0, 2), Participant(7, T0, None), Participant(12, T0, 1)]
    s = session(
        SEGMENTS,
        [r(12, "kies", "ja"), r(40, "kies", "nee"), r(12, "org", "clb")],
        participants=participants,
        tables=3,
        statuses=closed("kies"),
    )
    rows = csv_rows(export(s))
    kies = {x["participant"]: x for x in rows if x["activity_id"] == "kies"}
    assert set(kies) == {"P0001", "P0003"}  # 40 joined first, 12 third
    assert kies["P0003"]["segment_org"] == "clb" and kies["P0003"]["table"] == "1"
    assert kies["P0001"]["segment_org"] == "" and kies["P0001"]["table"] == "2"
    wide = [Participant(i, T0, None) for i in range(1, 10_001)]
    many = session(SEGMENTS, [r(10_000, "kies", "ja")], participants=wide)
    assert csv_rows(export(many))[0]["participant"] == "P10000"


def test_codebook_lists_columns_activities_and_labels() -> None:
    exp = export(workshop_session())
    out = io.BytesIO()
    exp.write_codebook(out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert [x["id"] for x in rows if x["entry"] == "column"] == exp.columns
    assert all(x["description"] for x in rows if x["entry"] == "column")
    org = next(x for x in rows if x["entry"] == "activity" and x["id"] == "org")
    assert (org["text_nl"], org["text_en"]) == ("Waar werk je?", "Where do you work?")
    assert "reference: Test study, n=40, 2024" in org["description"]
    welzijn = next(x for x in rows if x["entry"] == "option" and x["id"] == "welzijn")
    assert (welzijn["activity_id"], welzijn["text_nl"], welzijn["text_en"]) == (
        "org",
        "Welzijn",
        "Welfare",
    )
    assert any(
        x["entry"] == "rating" and x["id"] == "moeilijk" and x["description"] == "polarity negative"
        for x in rows
    )
    assert any(
        x["entry"] == "scale_end" and x["activity_id"] == "e2" and x["id"] == "10" for x in rows
    )


# ------------------------------------------------------------------------------- results


def test_results_are_the_projectors() -> None:
    exp = export(workshop_session())
    org = exp.results["org"].result
    assert org == {
        "options": [
            {"id": "school", "count": 1, "percent": 50.0},
            {"id": "clb", "count": 1, "percent": 50.0},
            {"id": "welzijn", "count": 0, "percent": 0.0},
        ],
        "respondents": 2,
        "votes": 2,
    }
    # projector: approved texts only; the control view keeps them all with their status
    assert exp.results["mening"].result["entries"] == [{"id": "P0002", "text": "mooi"}]
    assert [e["status"] for e in exp.results["mening"].control["entries"]] == ["hidden", "approved"]
    assert exp.results["voor"].result["whys"] == []
    assert exp.results["wolk"].result["words"] == [
        {"word": "armoede", "count": 2},
        {"word": "taal", "count": 1},
    ]
    na = exp.results["na"].result
    assert na["before"]["n"] == 2 and na["before"]["mean"] == 3.0  # compared with voor
    assert exp.results["vrij"].result["questions"][0]["votes"] == 3


def test_hidden_words_stay_hidden() -> None:
    s = workshop_session()
    st = dict(s.live.statuses)
    st["wolk"] = ActivityStatus("closed", True, hidden_words=("taal",))
    s = replace(s, live=replace(s.live, statuses=st))
    exp = export(s)
    assert [w["word"] for w in exp.results["wolk"].result["words"]] == ["armoede"]
    assert [x["status"] for x in csv_rows(exp) if x["text"] == "taal"] == ["hidden"]


# ---------------------------------------------------------------------------- privacy


def segments_session(**kwargs: Any) -> SessionData:
    """kies: school 4 (table 1), clb 2 (table 2): clb and table 2 are below the threshold."""
    participants = [Participant(i, T0, 1 if i <= 4 else 2) for i in range(1, 7)]
    responses = [r(i, "org", "school" if i <= 4 else "clb") for i in range(1, 7)]
    responses += [r(i, "kies", "ja" if i % 2 else "nee") for i in range(1, 7)]
    responses += [
        r(i, "schaal", {"position": i % 5 + 1, "why": f"uitleg-{i}"}) for i in range(1, 7)
    ]
    return session(
        SEGMENTS,
        responses,
        participants=participants,
        tables=3,
        statuses=closed("kies", "schaal"),
        **kwargs,
    )


def test_small_groups_are_suppressed_in_every_format() -> None:
    exp = export(segments_session())
    org = {g["id"]: g for g in exp.results["kies"].breakdowns["org"]}
    assert org["school"]["n"] == 4 and org["school"]["result"]["respondents"] == 4
    assert org["clb"] == {
        "id": "clb",
        "label": {"nl": "CLB", "en": "CLB"},
        "n": None,
        "suppressed": True,
        "result": None,
    }
    assert org["welzijn"]["n"] == 0
    # a profile question is never broken down by another profile question, by table it is
    assert set(exp.results["org"].breakdowns) == {"table"}
    # free texts never per group
    assert all("whys" not in (g["result"] or {}) for g in exp.results["schaal"].breakdowns["org"])
    # JSON
    out = io.BytesIO()
    exp.write_json(out)
    doc = json.loads(out.getvalue())
    groups = {g["id"]: g for g in doc["results"]["kies"]["breakdowns"]["org"]["groups"]}
    assert groups["clb"]["n"] is None and groups["clb"]["result"] is None
    # XLSX
    openpyxl = pytest.importorskip("openpyxl")
    out = io.BytesIO()
    exp.write_xlsx(out)
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    rows = [tuple(x) for x in wb["03 kies"].iter_rows(values_only=True)]
    clb = [x for x in rows if x[0] == "CLB"]
    assert clb and all(x[1] == "< 3" and set(x[2:]) == {None} for x in clb)
    # report
    html = exp.report_html()
    assert "fewer than 3" in html or "minder dan 3" in html
    # the tidy rows keep the data for the owner
    kies = [x for x in csv_rows(exp) if x["activity_id"] == "kies"]
    assert sorted(x["segment_org"] for x in kies) == ["clb", "clb"] + ["school"] * 4


def test_report_shows_only_approved_texts() -> None:
    html = export(workshop_session()).report_html()
    assert "mooi" in html and "geen idee" not in html and "HYPERLINK" not in html
    assert "Wanneer?" in html
    assert "<script" not in html and "default-src 'none'" in html
    assert "control-key-secret" not in html


def test_presenter_notes_only_when_asked() -> None:
    s = workshop_session()
    assert "Bespreek de nummer" not in export(s).report_html()
    assert "Bespreek de nummer" in export(s, notes=True).report_html()


def test_report_language_follows_the_programme() -> None:
    s = workshop_session()
    assert '<html lang="nl">' in export(s).report_html()
    english = export(s, lang="en").report_html()
    assert '<html lang="en">' in english and "Where do you work?" in english
    assert "Waar werk je?" not in english


# ---------------------------------------------------------------------------- interim


def test_interim_while_an_activity_is_open() -> None:
    open_ = {"org": ActivityStatus("open"), "wolk": ActivityStatus("closed")}
    assert is_interim(state(WORKSHOP, statuses=open_))
    assert not is_interim(state(WORKSHOP, statuses=closed("org", "wolk")))
    assert not is_interim(state(WORKSHOP, statuses=open_, ended=T0))
    assert not is_interim(state(WORKSHOP, statuses={"start": ActivityStatus("open")}))


def test_interim_is_marked_in_every_format() -> None:
    s = workshop_session()
    st = dict(s.live.statuses, e1=ActivityStatus("open"))
    exp = export(replace(s, live=replace(s.live, statuses=st)))
    assert exp.interim and exp.filename("csv").endswith("_interim.csv")
    out = io.BytesIO()
    exp.write_json(out)
    doc = json.loads(out.getvalue())
    assert doc["interim"] is True and doc["sessions"][0]["interim"] is True
    assert 'class="interim"' in exp.report_html()
    zipped = io.BytesIO()
    names, note = exp.write_zip(zipped)
    assert note and all("_interim/" in n for n in names)
    with zipfile.ZipFile(zipped) as zf:
        readme = zf.read(next(n for n in names if n.endswith("README.txt"))).decode()
    assert readme.count("INTERIM") == 1
    final = export(workshop_session())
    assert not final.interim and "interim" not in final.filename("zip")
    assert 'class="interim"' not in final.report_html()


# ------------------------------------------------------------------------------ pooling


def test_pooling_needs_the_same_programme() -> None:
    assert poolable([WORKSHOP, WORKSHOP]) == []
    assert poolable([WORKSHOP, SEGMENTS]) == ["different programmes: workshop and segments"]
    changed = replace(
        WORKSHOP,
        version="2",
        activities=tuple(
            replace(a, options=a.options[:2]) if a.id == "org" else a for a in WORKSHOP.activities
        ),
    )
    assert poolable([WORKSHOP, changed]) == ["activity org differs between versions 1 and 2"]
    with pytest.raises(ExportError):
        export(workshop_session(), segments_session())
    with pytest.raises(ExportError):
        export(workshop_session(), workshop_session())  # the same live session twice


def test_pooled_results_and_breakdown_by_session() -> None:
    a = segments_session()
    b = segments_session(code="XYZ789")
    exp = export(a, b)
    assert exp.pooled and exp.participants == 12
    assert exp.results["kies"].result["respondents"] == 12
    live = {g["id"]: g["n"] for g in exp.results["kies"].breakdowns["live"]}
    assert live == {"ABC234": 6, "XYZ789": 6}
    assert "table" not in exp.results["kies"].breakdowns
    org = {g["id"]: g["n"] for g in exp.results["kies"].breakdowns["org"]}
    assert org["clb"] == 4  # 2 + 2: no longer below the threshold once pooled
    rows = csv_rows(exp)
    assert {x["live_code"] for x in rows} == {"ABC234", "XYZ789"}
    assert exp.filename("zip") == "segments_pooled-2_2026-03-05.zip"


def test_xlsx_has_native_charts_and_a_streamed_responses_sheet() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    exp = export(workshop_session())
    out = io.BytesIO()
    exp.write_xlsx(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) >= 5
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    rows = [tuple(x) for x in wb["Responses"].iter_rows(values_only=True)]
    assert rows[0][:4] == ("live_code", "programme_id", "programme_version", "activity_id")
    assert len(rows) == 1 + len(csv_rows(exp))
    assert wb["Responses"].freeze_panes == "A2"
    assert wb["Responses"].auto_filter.ref == f"A1:S{len(rows)}"


def test_zip_workbook_is_the_workbook() -> None:
    """In the ZIP, the CSV files and the workbook's "Responses" are written in one pass: the
    same rows as the workbook made on its own."""
    openpyxl = pytest.importorskip("openpyxl")
    exp = export(workshop_session())
    alone = io.BytesIO()
    exp.write_xlsx(alone)
    zipped = io.BytesIO()
    names, _note = exp.write_zip(zipped)
    with zipfile.ZipFile(zipped) as zf:
        inner = zf.read(next(n for n in names if n.endswith(".xlsx")))
        semicolon = zf.read(next(n for n in names if n.endswith("responses_semicolon.csv")))
    books = [openpyxl.load_workbook(io.BytesIO(b)) for b in (alone.getvalue(), inner)]
    assert books[0].sheetnames == books[1].sheetnames
    for name in books[0].sheetnames:
        assert [tuple(r) for r in books[0][name].iter_rows(values_only=True)] == [
            tuple(r) for r in books[1][name].iter_rows(values_only=True)
        ], name
    assert semicolon.count(b"\r\n") == books[1]["Responses"].max_row


def test_report_charts_are_plain_vector_marks() -> None:
    """Patterned series (the reference, a matrix's ratings) are drawn as lines and dots, not
    SVG <pattern> fills (which headless Chromium prints slowly and large)."""
    html = export(workshop_session()).report_html()
    assert "<pattern" not in html and "url(#" not in html
    assert 'fill="none" stroke="#E69F00" stroke-width="2"' in html  # the reference's hatch


def test_json_names_the_logo_without_its_bytes() -> None:
    """A programme's logo is kept (base64) in the live session's copy of the programme; the
    JSON export names it (file, type, SHA-256) and leaves the bytes out."""
    from facilitator.programme import Branding

    logo = Branding(
        accent="#123456",
        logo="hogent.png",
        logo_type="image/png",
        logo_data="iVBORw0KGgo" * 200,
        logo_sha256="ab" * 32,
    )
    branded = replace(WORKSHOP, branding=logo)
    out = io.BytesIO()
    export(session(branded, [])).write_json(out)
    data = json.loads(out.getvalue())
    assert data["programme"]["branding"] == {
        "accent": "#123456",
        "theme": "light",
        "logo": "hogent.png",
        "logo_type": "image/png",
        "logo_sha256": "ab" * 32,
    }
    assert "iVBORw0KGgo" not in out.getvalue().decode()
