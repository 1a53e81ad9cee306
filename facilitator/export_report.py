"""The printable report: one standalone HTML file in the programme's language (inline CSS and
SVG charts, no scripts, nothing fetched), from ``templates/export/report.html``; the PDF is
printed from the same HTML. Pure core (Jinja2 and Babel only).

The report shows what the projector showed: counts and percentages, the reference beside the
room, breakdowns with small groups suppressed, and only approved free texts and questions.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .export import (
    PALETTE,
    PATTERNS,
    REPORT_CSS,
    TEMPLATES,
    ActivityResult,
    Translator,
    activity_text,
    is_interim,
    number,
    pct,
    pick,
    svg_bars,
    svg_columns,
    svg_dots,
    svg_stacked,
)

if TYPE_CHECKING:
    from .export import Export

_envs: dict[str, Environment] = {}


def environment(lang: str) -> Environment:
    env = _envs.get(lang)
    if env is None:
        env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                          autoescape=select_autoescape(["html"]),
                          extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
        env.install_gettext_translations(Translator(lang).translations,  # type: ignore[attr-defined]
                                         newstyle=True)
        _envs[lang] = env
    return env


def long_date(dt: datetime, lang: str) -> str:
    from babel.dates import format_date

    try:
        return format_date(dt.date(), format="long", locale=lang)
    except Exception:  # an unknown locale: ISO
        return dt.date().isoformat()


def render_report(exp: Export) -> str:
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
    sessions = [{"code": s.live.code, "date": long_date(s.live.created_at, lang),
                 "participants": len(s.participants), "interim": is_interim(s.live)}
                for s in exp.sessions]
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


def _css() -> str:
    try:
        css = REPORT_CSS.read_text(encoding="utf-8")
    except OSError:
        css = ""
    return css.replace("</", "<\\/")


# --------------------------------------------------------------------------------- blocks


def _block(exp: Export, r: ActivityResult, index: int, tr: Translator) -> dict[str, Any]:
    a, lang = r.activity, exp.lang
    _ = tr.gettext
    res = r.result or {}
    block: dict[str, Any] = {
        "id": a.id, "kind": a.kind, "number": index,
        "title": pick(a.title, lang) if a.title and a.prompt else "",
        "text": pick(activity_text(a), lang),
        "respondents": r.respondents,
        "answered": _("%(n)s of %(total)s participants answered (%(percent)s).",
                      n=r.respondents, total=exp.participants,
                      percent=pct(100.0 * r.respondents / exp.participants
                                  if exp.participants else 0.0, lang))
        if a.kind != "qna" else
        _("%(n)s participants asked %(questions)s questions.", n=r.respondents,
          questions=res.get("n", 0)),
        "chart": None, "table": None, "facts": [], "reference": None, "breakdowns": [],
        "texts": [], "texts_title": "", "questions": [], "notes": None, "words": [],
        "texts_more": "", "questions_more": "",
        "placeholder": a.placeholder,
    }
    if exp.notes and a.presenter_notes:
        block["notes"] = pick(a.presenter_notes, lang)
    if r.result is None or r.respondents == 0 and a.kind != "qna":
        block["empty"] = True
        return block
    block["empty"] = False
    chart_id = f"chart-{a.id}"
    if a.kind in ("single_choice", "multi_choice"):
        _choice(exp, r, block, chart_id, tr)
    elif a.kind == "scale":
        _scale(exp, r, block, chart_id, tr)
    elif a.kind == "ranking":
        _ranking(exp, r, block, chart_id, tr)
    elif a.kind == "matrix":
        _matrix(exp, r, block, chart_id, tr)
    elif a.kind == "word_cloud":
        _words(exp, r, block, chart_id, tr)
    elif a.kind == "open_text":
        block["texts_title"] = _("Answers")
        block["texts"] = [e["text"] for e in res.get("entries", [])]
    elif a.kind == "qna":
        block["questions"] = [{"text": q["text"], "votes": q["votes"],
                               "answered": q["answered"]} for q in res.get("questions", [])]
    for key in ("texts", "questions"):
        total = len(block[key])
        if exp.max_texts and total > exp.max_texts:
            block[key] = block[key][:exp.max_texts]
            block[key + "_more"] = _("The first %(shown)s of %(total)s are shown here; the "
                                     "data files (responses.csv, the workbook) have all of "
                                     "them.", shown=exp.max_texts, total=total)
    _breakdowns(exp, r, block, tr)
    return block


def _choice(exp: Export, r: ActivityResult, block: dict[str, Any], chart_id: str,
            tr: Translator) -> None:
    a, res, lang = r.activity, r.result or {}, exp.lang
    _ = tr.gettext
    ref = a.reference
    labels = {o.id: pick(o.label, lang) for o in a.options}
    comparable = ref is not None and ref.unit != "count"
    head = [_("Option"), _("Count"), _("Percent")]
    if ref is not None:
        head.append(_("Reference"))
    rows = []
    bars = []
    for o in res["options"]:
        row = [labels.get(o["id"], o["id"]), str(o["count"]), pct(o["percent"], lang)]
        rv = ref.values.get(o["id"]) if ref is not None else None
        if ref is not None:
            row.append(_ref_value(rv, ref.unit, lang))
        rows.append(row)
        values: list[float | None] = [o["percent"]]
        texts = [f"{pct(o['percent'], lang)} ({o['count']})"]
        if comparable:
            values.append(rv)
            texts.append(_ref_value(rv, ref.unit, lang) if rv is not None  # type: ignore[union-attr]
                         else _("not given"))
        bars.append({"label": labels.get(o["id"], o["id"]), "values": values, "texts": texts})
    block["table"] = {"head": head, "rows": rows, "numeric": [1, 2, 3]}
    series = [(_("This session") if not exp.pooled else _("These sessions"), PALETTE[0],
               PATTERNS[0])]
    if comparable:
        assert ref is not None
        series.append((_("Reference") + f": {pick(ref.source_name, lang)}", PALETTE[1],
                       PATTERNS[1]))
    block["chart"] = Markup(svg_bars(chart_id, bars, title=block["text"], maximum=100,
                                     series=series))
    what = _("percent of respondents")
    block["facts"] = [(_("Respondents"), str(res["respondents"]))]
    if a.kind == "multi_choice":
        block["facts"].append((_("Choices"), str(res["votes"])))
        what = _("percent of respondents; several answers per person, so the total is more "
                 "than 100 %%")
    block["unit_note"] = what
    if ref is not None:
        bits = [pick(ref.title, lang) if ref.title else "", pick(ref.source_name, lang)]
        if ref.n:
            bits.append(f"n = {ref.n}")
        if ref.year:
            bits.append(str(ref.year))
        note = []
        if ref.unit == "percent_of_respondents":
            note.append(_("Reference in percent of its respondents."))
        elif ref.unit == "count":
            note.append(_("Reference in numbers of respondents, not percentages."))
        if a.kind == "single_choice" and not ref.sums_to_100:
            note.append(_("The reference does not add up to 100 %%."))
        if ref.notes:
            note.append(pick(ref.notes, lang))
        block["reference"] = {"caption": " \u00b7 ".join(b for b in bits if b),
                              "note": " ".join(note)}


def _ref_value(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return "\u2014"
    return number(float(value), lang) if unit == "count" else pct(float(value), lang)


def _scale(exp: Export, r: ActivityResult, block: dict[str, Any], chart_id: str,
           tr: Translator) -> None:
    a, res, lang = r.activity, r.result or {}, exp.lang
    _ = tr.gettext
    assert a.scale is not None
    sc = a.scale
    before = res.get("before")
    hist = res["histogram"]
    series = [(_("Now") if before else _("Count"), PALETTE[0], PATTERNS[0])]
    if before:
        series.insert(0, (_("Before"), PALETTE[1], PATTERNS[1]))
    columns = []
    for k, h in enumerate(hist):
        vals: list[float | None] = [h["count"]]
        if before:
            vals.insert(0, before["histogram"][k]["count"])
        columns.append((str(h["value"]), vals))
    markers = []
    if res["mean"] is not None:
        markers.append((_("Mean") + " " + number(res["mean"], lang),
                        (res["mean"] - sc.min) / sc.step))
    if res["median"] is not None:
        markers.append((_("Median") + " " + number(res["median"], lang),
                        (res["median"] - sc.min) / sc.step))
    ends = (f"{sc.min} = {pick(sc.left_label, lang)}", f"{sc.max} = {pick(sc.right_label, lang)}")
    block["chart"] = Markup(svg_columns(chart_id, columns, title=block["text"], series=series,
                                        markers=markers, ends=ends))
    block["facts"] = [(_("Respondents"), str(res["n"])), (_("Mean"), number(res["mean"], lang)),
                      (_("Median"), number(res["median"], lang))]
    if before:
        block["facts"] += [(_("Before: respondents"), str(before["n"])),
                           (_("Before: mean"), number(before["mean"], lang)),
                           (_("Before: median"), number(before["median"], lang))]
    if len(hist) <= 21:
        head = [_("Value"), _("Count")] if not before else [_("Value"), _("Before"), _("Now")]
        rows = []
        for k, h in enumerate(hist):
            row = [str(h["value"]), str(h["count"])]
            if before:
                row.insert(1, str(before["histogram"][k]["count"]))
            rows.append(row)
        block["table"] = {"head": head, "rows": rows, "numeric": [1, 2], "compact": True}
    whys = [w["text"] for w in res.get("whys", [])]
    if whys:
        block["texts_title"] = _("Why")
        block["texts"] = whys


def _ranking(exp: Export, r: ActivityResult, block: dict[str, Any], chart_id: str,
             tr: Translator) -> None:
    a, res, lang = r.activity, r.result or {}, exp.lang
    _ = tr.gettext
    labels = {o.id: pick(o.label, lang) for o in a.options}
    rows = [[labels.get(o["id"], o["id"]), number(o["mean_rank"], lang, 2), str(o["first"]),
             pct(o["first_percent"], lang)] for o in res["options"]]
    block["table"] = {"head": [_("Option"), _("Mean rank"), _("Ranked first"),
                               _("Ranked first (%%)")], "rows": rows, "numeric": [1, 2, 3]}
    ordered = sorted(res["options"], key=lambda o: (o["mean_rank"] is None,
                                                    o["mean_rank"] or 0))
    dots = [(labels.get(o["id"], o["id"]), o["mean_rank"], number(o["mean_rank"], lang, 2))
            for o in ordered]
    k = max(2, len(res["options"]))
    block["chart"] = Markup(svg_dots(chart_id, dots, title=block["text"], lo=1, hi=k,
                                     ends=(_("1 = first"), "")))
    block["facts"] = [(_("Respondents"), str(res["respondents"]))]
    block["unit_note"] = _("Mean rank: 1 means everyone ranked it first; lower is better.")


def _matrix(exp: Export, r: ActivityResult, block: dict[str, Any], chart_id: str,
            tr: Translator) -> None:
    a, res, lang = r.activity, r.result or {}, exp.lang
    _ = tr.gettext
    items = {i.id: pick(i.label, lang) for i in a.items}
    ratings = [(x.id, pick(x.label, lang), x.polarity or "neutral") for x in a.ratings]
    series = []
    for k, (_rid, label, _pol) in enumerate(ratings):
        series.append((label, PALETTE[k % len(PALETTE)], PATTERNS[k % len(PATTERNS)]))
    stacked = [(items.get(it["id"], it["id"]),
                [(it["percents"][rid], pct(it["percents"][rid], lang)) for rid, _l, _p in ratings])
               for it in res["items"]]
    block["chart"] = Markup(svg_stacked(chart_id, stacked, title=block["text"], series=series))
    rows = [[items.get(it["id"], it["id"]), str(it["n"])]
            + [f"{pct(it['percents'][rid], lang)} ({it['counts'][rid]})"
               for rid, _l, _p in ratings] for it in res["items"]]
    block["table"] = {"head": [_("Item"), "n"] + [label for _rid, label, _p in ratings],
                      "rows": rows, "numeric": list(range(1, 2 + len(ratings)))}
    block["facts"] = [(_("Respondents"), str(res["respondents"]))]
    block["unit_note"] = _("Percent of the answers for that item (count).")


def _words(exp: Export, r: ActivityResult, block: dict[str, Any], chart_id: str,
           tr: Translator) -> None:
    res, lang = r.result or {}, exp.lang
    _ = tr.gettext
    words = res.get("words", [])
    top = words[:15]
    if top:
        peak = max(w["count"] for w in top)
        block["chart"] = Markup(svg_bars(
            chart_id, [{"label": w["word"], "values": [w["count"]], "texts": [str(w["count"])]}
                       for w in top], title=block["text"], maximum=peak,
            series=[(_("Count"), PALETTE[0], PATTERNS[0])]))
    block["words"] = [(w["word"], w["count"]) for w in words]
    block["facts"] = [(_("Respondents"), str(res["respondents"])),
                      (_("Different words"), str(len(words)))]
    block["unit_note"] = _("How many participants gave each word; common words such as "
                           "\u201cde\u201d or \u201cthe\u201d are not counted.")
    del lang


def _breakdowns(exp: Export, r: ActivityResult, block: dict[str, Any], tr: Translator) -> None:
    a, lang = r.activity, exp.lang
    _ = tr.gettext
    small = _("fewer than %(n)s", n=exp.threshold)
    for dim in exp.dimensions:
        rows = r.breakdowns.get(dim["id"])
        if not rows or all(g["n"] == 0 for g in rows):
            continue
        label = pick(dim["label"], lang)
        out: dict[str, Any] = {"title": _("Breakdown: %(dimension)s", dimension=label), "rows": [],
                               "numeric": []}
        if a.kind in ("single_choice", "multi_choice"):
            opts = [(o.id, pick(o.label, lang)) for o in a.options]
            out["head"] = [label, "n"] + [lab for _i, lab in opts]
            for g in rows:
                res = g["result"]
                cells = [pick(g["label"], lang), small if g["suppressed"] else str(g["n"])]
                if res is not None:
                    by = {o["id"]: o for o in res["options"]}
                    cells += [f"{pct(by[i]['percent'], lang)} ({by[i]['count']})"
                              for i, _l in opts]
                else:
                    cells += [""] * len(opts)
                out["rows"].append(cells)
        elif a.kind == "scale":
            out["head"] = [label, "n", _("Mean"), _("Median")]
            for g in rows:
                res = g["result"]
                cells = [pick(g["label"], lang), small if g["suppressed"] else str(g["n"])]
                cells += [number(res["mean"], lang), number(res["median"], lang)] \
                    if res is not None else ["", ""]
                out["rows"].append(cells)
        elif a.kind == "ranking":
            opts = [(o.id, pick(o.label, lang)) for o in a.options]
            out["head"] = [label, "n"] + [lab for _i, lab in opts]
            for g in rows:
                res = g["result"]
                cells = [pick(g["label"], lang), small if g["suppressed"] else str(g["n"])]
                cells += [number(o["mean_rank"], lang, 2) for o in res["options"]] \
                    if res is not None else [""] * len(opts)
                out["rows"].append(cells)
            out["note"] = _("Mean rank per group (1 = first).")
        elif a.kind == "matrix":
            items = {i.id: pick(i.label, lang) for i in a.items}
            ratings = [(x.id, pick(x.label, lang)) for x in a.ratings]
            out["head"] = [label, _("Item"), "n"] + [lab for _i, lab in ratings]
            for g in rows:
                res = g["result"]
                glabel = pick(g["label"], lang)
                if res is None:
                    out["rows"].append([glabel, "", small if g["suppressed"] else str(g["n"])]
                                       + [""] * len(ratings))
                    continue
                for it in res["items"]:
                    out["rows"].append([glabel, items.get(it["id"], it["id"]), str(it["n"])]
                                       + [f"{pct(it['percents'][x], lang)} "
                                          f"({it['counts'][x]})" for x, _l in ratings])
        elif a.kind == "word_cloud":
            out["head"] = [label, "n", _("Most given words")]
            for g in rows:
                res = g["result"]
                words = ", ".join(f"{w['word']} ({w['count']})" for w in res["words"][:8]) \
                    if res is not None else ""
                out["rows"].append([pick(g["label"], lang),
                                    small if g["suppressed"] else str(g["n"]), words])
        else:
            continue
        out["numeric"] = list(range(1, len(out["head"])))
        block["breakdowns"].append(out)
