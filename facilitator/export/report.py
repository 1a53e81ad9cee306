"""The printable report: one standalone HTML file in the programme's language (inline CSS and
SVG charts, no scripts, nothing fetched), from ``templates/export/report.html``; the PDF is
printed from the same HTML. Pure core (Jinja2 and Babel only).

The report shows what the projector showed: counts and percentages, the reference beside the
room, breakdowns with small groups suppressed, and only approved free texts and questions.
What an activity's block shows depends on its kind (``Kind.report_block``,
``Kind.report_breakdown``), written through ``ActivityReport``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .. import kinds
from .charts import PALETTE, PATTERNS, svg_bars, svg_columns, svg_dots, svg_stacked
from .common import (
    REPORT_CSS,
    TEMPLATES,
    ActivityResult,
    Translator,
    activity_text,
    is_interim,
    number,
    pct,
    pick,
)
from .data import ExportData

if TYPE_CHECKING:
    from ..kinds.exporting import Series

_envs: dict[str, Environment] = {}


def environment(lang: str) -> Environment:
    env = _envs.get(lang)
    if env is None:
        env = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(["html"]),
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.install_gettext_translations(  # type: ignore[attr-defined]
            Translator(lang).translations,
            newstyle=True,
        )
        _envs[lang] = env
    return env


def long_date(dt: datetime, lang: str) -> str:
    from babel.dates import format_date

    try:
        return format_date(dt.date(), format="long", locale=lang)
    except Exception:  # an unknown locale: ISO
        return dt.date().isoformat()


def render_report(exp: ExportData) -> str:
    lang = exp.lang
    tr = Translator(lang)
    _ = tr.gettext
    p = exp.programme
    sections = []
    not_asked = []
    number_of = 0
    for section in p.sections:
        blocks = []
        for aid in section.activity_ids:
            r = exp.results.get(aid)
            if r is None:
                continue
            number_of += 1
            if r.status == "pending" and r.respondents == 0:
                not_asked.append({"id": aid, "text": pick(activity_text(r.activity), lang)})
                continue
            blocks.append(_block(exp, r, number_of, tr))
        if blocks:
            sections.append({"title": pick(section.title, lang), "blocks": blocks})
    sessions = [
        {
            "code": s.live.code,
            "date": long_date(s.live.created_at, lang),
            "participants": len(s.participants),
            "interim": is_interim(s.live),
        }
        for s in exp.sessions
    ]
    context = {
        "lang": lang,
        "title": pick(p.title, lang),
        "subtitle": pick(p.subtitle, lang) if p.subtitle else "",
        "programme": p,
        "credits": list(p.credits),
        "pooled": exp.pooled,
        "sessions": sessions,
        "codes": ", ".join(exp.codes),
        "date": long_date(exp.started_at, lang),
        "exported_at": exp.exported_at.strftime("%Y-%m-%d %H:%M"),
        "interim": exp.interim,
        "participants": exp.participants,
        "threshold": exp.threshold,
        "sections": sections,
        "not_asked": not_asked,
        "draft": p.status == "draft",
        "css": Markup(_css()),
    }
    del _
    return environment(lang).get_template("export/report.html").render(context)


def write_html(exp: ExportData, out: IO[bytes]) -> None:
    """The report as UTF-8 into ``out``."""
    out.write(render_report(exp).encode("utf-8"))


def _css() -> str:
    try:
        css = REPORT_CSS.read_text(encoding="utf-8")
    except OSError:
        css = ""
    return css.replace("</", "<\\/")


# --------------------------------------------------------------------------------- blocks


class ActivityReport:
    """The report's language, number formats and SVG charts for one activity's block
    (``kinds.exporting.Report``: what a kind fills its block with). Charts are titled with the
    activity's text and identified by ``chart-<activity id>``."""

    def __init__(self, exp: ExportData, tr: Translator, chart_id: str, title: str):
        self.lang = exp.lang
        self.pooled = exp.pooled
        self.translator = tr
        self.chart_id = chart_id
        self.title = title

    def gettext(self, message: str, **variables: Any) -> str:
        return self.translator.gettext(message, **variables)

    def pick(self, text: Any) -> str:
        return pick(text, self.lang)

    def number(self, value: float | None, digits: int = 1) -> str:
        return number(value, self.lang, digits)

    def pct(self, value: float | None) -> str:
        return pct(value, self.lang)

    @staticmethod
    def _styles(series: Sequence[Series]) -> list[tuple[str, str, str]]:
        return [
            (name, PALETTE[k % len(PALETTE)], PATTERNS[k % len(PATTERNS)]) for name, k in series
        ]

    def bars(
        self, rows: Sequence[dict[str, Any]], *, maximum: float, series: Sequence[Series]
    ) -> str:
        return Markup(
            svg_bars(
                self.chart_id, rows, title=self.title, maximum=maximum, series=self._styles(series)
            )
        )

    def columns(
        self,
        columns: Sequence[tuple[str, Sequence[float | None]]],
        *,
        series: Sequence[Series],
        markers: Sequence[tuple[str, float]] = (),
        ends: tuple[str, str] = ("", ""),
    ) -> str:
        return Markup(
            svg_columns(
                self.chart_id,
                columns,
                title=self.title,
                series=self._styles(series),
                markers=markers,
                ends=ends,
            )
        )

    def stacked(
        self, rows: Sequence[tuple[str, Sequence[tuple[float, str]]]], *, series: Sequence[Series]
    ) -> str:
        return Markup(
            svg_stacked(self.chart_id, rows, title=self.title, series=self._styles(series))
        )

    def dots(
        self,
        rows: Sequence[tuple[str, float | None, str]],
        *,
        lo: float,
        hi: float,
        ends: tuple[str, str] = ("", ""),
    ) -> str:
        return Markup(svg_dots(self.chart_id, rows, title=self.title, lo=lo, hi=hi, ends=ends))


def _block(exp: ExportData, r: ActivityResult, index: int, tr: Translator) -> dict[str, Any]:
    a, lang = r.activity, exp.lang
    kind = kinds.of(a)
    _ = tr.gettext
    res = r.result or {}
    block: dict[str, Any] = {
        "id": a.id,
        "kind": a.kind,
        "number": index,
        "title": pick(a.title, lang) if a.title and a.prompt else "",
        "text": pick(activity_text(a), lang),
        "respondents": r.respondents,
        "answered": _(
            "%(n)s of %(total)s participants answered (%(percent)s).",
            n=r.respondents,
            total=exp.participants,
            percent=pct(
                100.0 * r.respondents / exp.participants if exp.participants else 0.0, lang
            ),
        )
        if not kind.questions
        else _(
            "%(n)s participants asked %(questions)s questions.",
            n=r.respondents,
            questions=res.get("n", 0),
        ),
        "questions_board": kind.questions,
        "chart": None,
        "table": None,
        "facts": [],
        "reference": None,
        "breakdowns": [],
        "texts": [],
        "texts_title": "",
        "questions": [],
        "notes": None,
        "words": [],
        "texts_more": "",
        "questions_more": "",
        "placeholder": a.placeholder,
    }
    if exp.notes and a.presenter_notes:
        block["notes"] = pick(a.presenter_notes, lang)
    if r.result is None or r.respondents == 0 and not kind.questions:
        block["empty"] = True
        return block
    block["empty"] = False
    kind.report_block(ActivityReport(exp, tr, f"chart-{a.id}", block["text"]), a, res, block)
    for key in ("texts", "questions"):
        total = len(block[key])
        if exp.max_texts and total > exp.max_texts:
            block[key] = block[key][: exp.max_texts]
            block[key + "_more"] = _(
                "The first %(shown)s of %(total)s are shown here; the "
                "data files (responses.csv, the workbook) have all of "
                "them.",
                shown=exp.max_texts,
                total=total,
            )
    _breakdowns(exp, r, block, tr)
    return block


def _breakdowns(exp: ExportData, r: ActivityResult, block: dict[str, Any], tr: Translator) -> None:
    a, lang = r.activity, exp.lang
    kind = kinds.of(a)
    report = ActivityReport(exp, tr, f"chart-{a.id}", block["text"])
    small = tr.gettext("fewer than %(n)s", n=exp.threshold)
    for dim in exp.dimensions:
        rows = r.breakdowns.get(dim["id"])
        if not rows or all(g["n"] == 0 for g in rows):
            continue
        label = pick(dim["label"], lang)
        table = kind.report_breakdown(report, a, rows, label, small)
        if table is None:
            continue
        out: dict[str, Any] = {
            "title": tr.gettext("Breakdown: %(dimension)s", dimension=label),
            **table,
        }
        out["numeric"] = list(range(1, len(out["head"])))
        block["breakdowns"].append(out)
