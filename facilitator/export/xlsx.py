"""The XLSX export: a summary sheet, one sheet per activity (counts, percentages, the reference,
breakdowns with the privacy threshold, texts, a native chart), the tidy responses and the
codebook. Pure core (XlsxWriter only). What an activity's sheet shows depends on its kind:
``Sheet`` is what the kind writes it with (``Kind.xlsx_sheet``, ``Kind.xlsx_breakdown``).

The "Responses" sheet can hold hundreds of thousands of rows; XlsxWriter spends about 10 us per
cell, far too slow for 5,000 participants x 40 activities. So XlsxWriter writes everything else
(with an empty "Responses" sheet that only has its header, frozen pane, column widths and
filter), and then the workbook is copied into the output with that one sheet part replaced by
XML written straight from batches of ``ExportData.tidy_rows()`` (inline strings; a few hundred
thousand rows per second, constant memory). ``XlsxStream`` takes the batches one by one, so
that the ZIP feeds the CSV files and the workbook in one pass over the rows.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

import xlsxwriter  # type: ignore[import-untyped]

from .. import kinds
from .charts import PALETTE
from .common import (
    FORMULA_START,
    ActivityResult,
    activity_text,
    fast_deflate,
    is_interim,
    iso,
    neutralise,
    pick,
    xml_safe,
)
from .data import HEAD_COLUMNS, ExportData

if TYPE_CHECKING:
    from ..kinds.exporting import Chart

SUMMARY, RESPONSES, CODEBOOK = "Summary", "Responses", "Codebook"
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s


class Sheet:
    """A worksheet with a cursor and helpers that never let a string become a formula
    (``kinds.exporting.Sheet``: what a kind writes its part of an activity's sheet with)."""

    def __init__(self, wb: Any, ws: Any, fmt: dict[str, Any], lang: str):
        self.wb, self.ws, self.fmt = wb, ws, fmt
        self.lang = lang
        self.row = 0

    def put(self, row: int, col: int, value: Any, style: str | None = None) -> None:
        f = self.fmt.get(style) if style else None
        if value is None:
            if f is not None:
                self.ws.write_blank(row, col, None, f)
            return
        if isinstance(value, bool):
            self.ws.write_boolean(row, col, value, f)
        elif isinstance(value, int | float):
            self.ws.write_number(row, col, value, f)
        else:
            self.ws.write_string(row, col, neutralise(xml_safe(str(value))), f)

    def line(self, values: Sequence[Any], style: str | None = None, col: int = 0) -> int:
        r = self.row
        for i, v in enumerate(values):
            self.put(r, col + i, v, style)
        self.row += 1
        return r

    def skip(self, n: int = 1) -> None:
        self.row += n

    def set_column(self, first: int, last: int, width: float, style: str | None = None) -> None:
        if style is None:
            self.ws.set_column(first, last, width)
        else:
            self.ws.set_column(first, last, width, self.fmt[style])

    def pick(self, text: Any) -> str:
        return pick(text, self.lang)

    def colour(self, index: int) -> str:
        return PALETTE[index % len(PALETTE)]

    def chart(self, kind: str, subtype: str | None = None) -> Chart:
        spec = {"type": kind}
        if subtype:
            spec["subtype"] = subtype
        chart = self.wb.add_chart(spec)
        chart.set_legend({"position": "bottom"})
        chart.set_style(2)
        return chart  # type: ignore[no-any-return]

    def cells(self, first_row: int, first_col: int, last_row: int, last_col: int) -> list[Any]:
        return [self.ws.name, first_row, first_col, last_row, last_col]

    def insert_chart(self, row: int, col: int, chart: Chart) -> None:
        self.ws.insert_chart(row, col, chart)


def _formats(wb: Any) -> dict[str, Any]:
    return {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "bold": wb.add_format({"bold": True}),
        "head": wb.add_format({"bold": True, "bottom": 1, "bg_color": "#E8EEF4"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "pct": wb.add_format({"num_format": "0.0"}),
        "num": wb.add_format({"num_format": "0.00"}),
        "muted": wb.add_format({"italic": True, "font_color": "#555555"}),
        "interim": wb.add_format({"bold": True, "font_color": "#B00000"}),
        "link": wb.add_format({"font_color": "#0563C1", "underline": 1}),
    }


def sheet_names(exp: ExportData) -> dict[str, str]:
    """Activity id -> its sheet's name ("07 rol_moeilijkst", at most 31 characters)."""
    names: dict[str, str] = {}
    taken = {SUMMARY.lower(), RESPONSES.lower(), CODEBOOK.lower()}
    for pos, a in enumerate(exp.programme.activities, start=1):
        if a.id not in exp.results:
            continue
        name = re.sub(r"[\[\]:*?/\\]", "_", f"{pos:02d} {a.id}")[:31]
        base, k = name, 2
        while name.lower() in taken:
            name = f"{base[:28]}~{k}"
            k += 1
        taken.add(name.lower())
        names[a.id] = name
    return names


def write_xlsx(exp: ExportData, out: IO[bytes]) -> None:
    book = XlsxStream(exp, out)
    for batch in exp.tidy_batches():
        book.rows(batch)
    book.close()


class XlsxStream:
    """The workbook written into ``out`` with its "Responses" rows fed in batches (``rows``),
    so that a ZIP writes them in the same pass over the tidy rows as the CSV files; ``close``
    finishes it. Everything but those rows is made by XlsxWriter first (in memory), then
    copied into ``out`` part by part, with the "Responses" part streamed in its place."""

    def __init__(self, exp: ExportData, out: IO[bytes]):
        buf = io.BytesIO()
        head_style = _workbook(exp, buf)
        buf.seek(0)
        self._zin = zipfile.ZipFile(buf)
        self._zout = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        part = _sheet_part(self._zin, RESPONSES)
        self._after = []
        infos = self._zin.infolist()
        at = next(i for i, info in enumerate(infos) if info.filename == part)
        for info in infos[:at]:
            self._copy(info)
        self._after = infos[at + 1 :]
        new = zipfile.ZipInfo(part, infos[at].date_time)
        new.compress_type = zipfile.ZIP_DEFLATED
        fast_deflate(new)
        self._part = self._zout.open(new, "w")
        self._xml = ResponsesXml(exp, head_style, exp.tidy_count())
        self._part.write(self._xml.head())

    def _copy(self, info: zipfile.ZipInfo) -> None:
        self._zout.writestr(info, self._zin.read(info.filename), compresslevel=6)

    def rows(self, batch: list[tuple[Any, ...]]) -> None:
        self._part.write(self._xml.rows(batch))

    def close(self) -> None:
        self._part.write(self._xml.tail())
        self._part.close()
        for info in self._after:
            self._copy(info)
        self._zout.close()
        self._zin.close()


def _workbook(exp: ExportData, buf: IO[bytes]) -> int:
    """Every sheet but the rows of "Responses" (only its header, frozen pane and filter);
    returns the header's cell style."""
    wb = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    wb.set_properties(
        {
            "title": pick(exp.programme.title, exp.lang),
            "subject": f"{exp.programme.id} {', '.join(exp.codes)}",
            "comments": "Dialoogtafel export" + (" (interim)" if exp.interim else ""),
        }
    )
    fmt = _formats(wb)
    names = sheet_names(exp)
    _summary(exp, Sheet(wb, wb.add_worksheet(SUMMARY), fmt, exp.lang), names)
    for aid, name in names.items():
        _activity_sheet(exp, Sheet(wb, wb.add_worksheet(name), fmt, exp.lang), exp.results[aid])
    columns = exp.columns
    responses = wb.add_worksheet(RESPONSES)
    for i, col in enumerate(columns):
        responses.write_string(0, i, col, fmt["head"])
    responses.freeze_panes(1, 0)
    count = exp.tidy_count()
    responses.autofilter(0, 0, max(count, 1), len(columns) - 1)
    codebook = Sheet(wb, wb.add_worksheet(CODEBOOK), fmt, exp.lang)
    for i, row in enumerate(exp.codebook_rows()):
        codebook.line(row, "head" if i == 0 else None)
    codebook.ws.set_column(0, 4, 16)
    codebook.ws.set_column(5, 5 + len(exp.programme.languages), 50)
    codebook.ws.freeze_panes(1, 0)
    wb.close()
    return int(fmt["head"].xf_index)


# ------------------------------------------------------------------------------- summary


def _summary(exp: ExportData, s: Sheet, names: dict[str, str]) -> None:
    p, lang = exp.programme, exp.lang
    s.ws.set_column(0, 0, 22)
    s.ws.set_column(1, 1, 14)
    s.ws.set_column(2, 3, 18)
    s.ws.set_column(4, 4, 60)
    s.ws.set_column(5, 8, 14)
    s.line([pick(p.title, lang)], "title")
    if p.subtitle:
        s.line([pick(p.subtitle, lang)], "muted")
    if exp.interim:
        s.line(
            [
                "INTERIM: a live session was still running when this was exported; numbers "
                "may still change."
            ],
            "interim",
        )
    s.skip()
    facts: list[tuple[str, Any]] = [
        ("programme", p.id),
        ("programme_version", p.version),
        ("programme_status", p.status),
        ("live_sessions", ", ".join(exp.codes)),
        ("started_at", iso(exp.started_at)),
        ("exported_at", iso(exp.exported_at)),
        ("state", "interim" if exp.interim else "final"),
        ("participants", exp.participants),
        ("privacy_threshold", exp.threshold),
    ]
    if not exp.pooled:
        facts.insert(6, ("ended_at", iso(exp.sessions[0].live.ended_at)))
        facts.append(("tables", exp.sessions[0].live.tables))
    for k, v in facts:
        s.put(s.row, 0, k, "bold")
        s.put(s.row, 1, v)
        s.skip()
    s.skip()
    if exp.pooled:
        s.line(["live_code", "started_at", "ended_at", "participants", "state"], "head")
        for sess in exp.sessions:
            s.line(
                [
                    sess.live.code,
                    iso(sess.live.created_at),
                    iso(sess.live.ended_at),
                    len(sess.participants),
                    "interim" if is_interim(sess.live) else "final",
                ]
            )
        s.skip()
    s.line(
        [
            "#",
            "section_id",
            "activity_id",
            "kind",
            "prompt",
            "respondents",
            "response_rate_percent",
            "status",
            "sheet",
        ],
        "head",
    )
    for pos, a in enumerate(p.activities, start=1):
        r = exp.results.get(a.id)
        if r is None:
            continue
        rate = round(100.0 * r.respondents / exp.participants, 1) if exp.participants else 0.0
        row = s.line(
            [
                pos,
                a.section_id,
                a.id,
                a.kind,
                pick(activity_text(a), lang),
                r.respondents,
                rate,
                r.status,
            ]
        )
        s.ws.write_url(row, 8, f"internal:'{names[a.id]}'!A1", fmt_link(s), names[a.id])
    s.ws.freeze_panes(0, 0)


def fmt_link(s: Sheet) -> Any:
    return s.fmt["link"]


# ------------------------------------------------------------------------------ activity


def _activity_sheet(exp: ExportData, s: Sheet, r: ActivityResult) -> None:
    a, lang = r.activity, exp.lang
    s.ws.set_column(0, 0, 28)
    s.ws.set_column(1, 1, 34)
    s.ws.set_column(2, 12, 12)
    s.line([f"{a.id}: {pick(activity_text(a), lang)}"], "title")
    s.line([f"kind {a.kind}; section {a.section_id}; status {r.status}"], "muted")
    rate = round(100.0 * r.respondents / exp.participants, 1) if exp.participants else 0.0
    s.put(s.row, 0, "respondents", "bold")
    s.put(s.row, 1, r.respondents)
    s.skip()
    s.put(s.row, 0, "participants", "bold")
    s.put(s.row, 1, exp.participants)
    s.skip()
    s.put(s.row, 0, "response_rate_percent", "bold")
    s.put(s.row, 1, rate, "pct")
    s.skip()
    if exp.interim:
        s.line(["INTERIM: the live session was still running."], "interim")
    s.skip()
    kind = kinds.of(a)
    if r.result is not None:
        kind.xlsx_sheet(s, a, r.result, r.control)
    for dim in exp.dimensions:
        rows = r.breakdowns.get(dim["id"])
        if rows is None:
            continue
        s.skip()
        s.line(
            [
                f"breakdown by {dim['id']} ({pick(dim['label'], lang)}): groups of fewer "
                f"than {exp.threshold} respondents are suppressed"
            ],
            "bold",
        )
        kind.xlsx_breakdown(s, a, rows, f"< {exp.threshold}")


# ----------------------------------------------------------------------- responses sheet


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


class ResponsesXml:
    """The "Responses" worksheet part: ``head()``, then ``rows(batch)`` for every batch of
    tidy rows, then ``tail()``."""

    def __init__(self, exp: ExportData, head_style: int, count: int):
        self.columns = columns = exp.columns
        self.letters = [column_letter(i) for i in range(len(columns))]
        self.head_style = head_style
        self.count = count
        # The first columns (live session, programme, activity, kind, section; then
        # participant, table, segments) repeat from row to row: their cells are built once as
        # a template with the row number left as "\x00" (a character XML text never holds),
        # then filled in.
        self.fixed = len(HEAD_COLUMNS) - 2  # live_code .. section_id
        self.person_end = len(HEAD_COLUMNS) + len(exp.profile_ids)
        self.t = exp.text_column
        self.plain = {columns.index("submitted_at"), columns.index("changed_at")}
        self.cache: dict[Any, str] = {}
        self.heads: dict[tuple[Any, ...], str] = {}
        self.people: dict[tuple[Any, ...], str] = {}
        self.rn = 1

    def head(self) -> bytes:
        columns, letters = self.columns, self.letters
        widths = {
            "activity_id": 22,
            "kind": 14,
            "section_id": 16,
            "text": 50,
            "submitted_at": 21,
            "changed_at": 21,
        }
        cols = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{widths.get(c, 12)}" customWidth="1"/>'
            for i, c in enumerate(columns)
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_NS}" xmlns:r="{_NS_R}">'
            f'<dimension ref="A1:{letters[-1]}{self.count + 1}"/>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>'
            '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f"<cols>{cols}</cols><sheetData>"
            '<row r="1">'
            + "".join(
                f'<c r="{letters[i]}1" s="{self.head_style}" t="inlineStr"><is><t>'
                f"{_escape(c)}</t></is></c>"
                for i, c in enumerate(columns)
            )
            + "</row>"
        ).encode()

    def _fragment(self, v: Any) -> str:
        """A cell's XML after ``<c r="X1"``, for a value that repeats (ids, numbers)."""
        frag = self.cache.get(v)
        if frag is None:
            if isinstance(v, str):
                frag = f' t="inlineStr"><is><t>{_escape(xml_safe(v))}</t></is></c>'
            else:
                frag = f"><v>{v}</v></c>"
            self.cache[v] = frag
        return frag

    def _cell(self, i: int, v: Any) -> str:
        return f'<c r="{self.letters[i]}\x00"{self._fragment(v)}'

    def _template(self, values: tuple[Any, ...], offset: int) -> str:
        return "".join(self._cell(offset + k, v) for k, v in enumerate(values) if v is not None)

    def rows(self, batch: list[tuple[Any, ...]]) -> bytes:
        fixed, person_end, t, plain = self.fixed, self.person_end, self.t, self.plain
        heads, people, cache = self.heads, self.people, self.cache
        # '<c r="X\x00"' per column: the row number goes in last, for the whole row at once
        starts = [f'<c r="{letter}\x00"' for letter in self.letters]
        tail = range(person_end, len(self.columns))
        out: list[str] = []
        rn = self.rn
        for row in batch:
            rn += 1
            head = row[:fixed]
            head_xml = heads.get(head)
            if head_xml is None:
                head_xml = heads[head] = self._template(head, 0)
            person = row[fixed:person_end]
            person_xml = people.get(person)
            if person_xml is None:
                person_xml = people[person] = self._template(person, fixed)
            parts = [head_xml, person_xml]
            for i in tail:
                v = row[i]
                if v is None:
                    continue
                if i == t:
                    v = xml_safe(v)
                    if v.startswith(FORMULA_START):
                        v = "'" + v
                    parts.append(
                        f'{starts[i]} t="inlineStr"><is><t xml:space="preserve">'
                        f"{_escape(v)}</t></is></c>"
                    )
                elif i in plain:
                    parts.append(f'{starts[i]} t="inlineStr"><is><t>{v}</t></is></c>')
                else:
                    frag = cache.get(v)
                    if frag is None:
                        frag = self._fragment(v)
                    parts.append(starts[i] + frag)
            rs = str(rn)
            out.append(f'<row r="{rs}">' + "".join(parts).replace("\x00", rs) + "</row>")
        self.rn = rn
        return "".join(out).encode()

    def tail(self) -> bytes:
        return (
            f'</sheetData><autoFilter ref="A1:{self.letters[-1]}{max(self.count, 1) + 1}"/>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>'
        ).encode()


def _sheet_part(zin: zipfile.ZipFile, name: str) -> str:
    """The part name (xl/worksheets/sheetN.xml) of the worksheet called ``name``."""
    workbook = zin.read("xl/workbook.xml").decode()
    m = re.search(r'<sheet name="' + re.escape(name) + r'" sheetId="\d+" r:id="(rId\d+)"', workbook)
    assert m, f"no sheet {name} in the workbook"
    rels = zin.read("xl/_rels/workbook.xml.rels").decode()
    t = re.search(r'<Relationship Id="' + m.group(1) + r'" Type="[^"]+" Target="([^"]+)"', rels)
    assert t, f"no relationship for sheet {name}"
    return "xl/" + t.group(1).lstrip("/").removeprefix("xl/")
