"""The exports of the choice kinds (``single_choice``, ``multi_choice``): their XLSX table and
chart, report block and breakdown tables, which differ only in a few words. Pure core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Report, Series, Sheet


def xlsx_sheet(sheet: Sheet, activity: Activity, result: dict[str, Any]) -> None:
    """Options with count, percent and the reference; a bar chart of the room's percentages
    beside the reference's."""
    ref = activity.reference
    labels = {o.id: sheet.pick(o.label) for o in activity.options}
    head = ["option_id", "label", "count", "percent"]
    if ref is not None:
        head += [f"reference ({ref.unit})"]
    sheet.line(head, "head")
    first = sheet.row
    for o in result["options"]:
        row = [o["id"], labels.get(o["id"], o["id"]), o["count"], o["percent"]]
        if ref is not None:
            row.append(ref.values.get(o["id"]))
        sheet.line(row)
    last = sheet.row - 1
    sheet.line(["respondents", None, result["respondents"]], "bold")
    sheet.line(["votes", None, result["votes"]], "bold")
    if ref is not None:
        sheet.line(
            [
                f"reference: {sheet.pick(ref.source_name)}"
                + (f", n = {ref.n}" if ref.n else "")
                + (f", {ref.year}" if ref.year else "")
                + ("" if ref.sums_to_100 else "; does not add up to 100")
            ],
            "muted",
        )
        if ref.notes:
            sheet.line([sheet.pick(ref.notes)], "muted")
    chart = sheet.chart("bar")
    chart.add_series(
        {
            "name": "room (%)",
            "categories": sheet.cells(first, 1, last, 1),
            "values": sheet.cells(first, 3, last, 3),
            "fill": {"color": sheet.colour(0)},
            "data_labels": {"value": True},
        }
    )
    if ref is not None and ref.unit != "count":
        chart.add_series(
            {
                "name": "reference (%)",
                "categories": sheet.cells(first, 1, last, 1),
                "values": sheet.cells(first, 4, last, 4),
                "pattern": {
                    "pattern": "wide_upward_diagonal",
                    "fg_color": sheet.colour(1),
                    "bg_color": "#FFFFFF",
                },
                "border": {"color": sheet.colour(1)},
                "data_labels": {"value": True},
            }
        )
    chart.set_title({"name": "percent of respondents", "name_font": {"size": 11}})
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"min": 0, "max": 100})
    chart.set_size({"width": 620, "height": 90 + 34 * len(result["options"])})
    sheet.insert_chart(first - 1, 7, chart)


def xlsx_breakdown(
    sheet: Sheet, activity: Activity, groups: list[dict[str, Any]], small: str
) -> None:
    """Per group: n, then the count and the percent of each option."""
    ids = [o.id for o in activity.options]
    sheet.line(
        ["group", "n"] + [f"{oid} (count)" for oid in ids] + [f"{oid} (%)" for oid in ids], "head"
    )
    for g in groups:
        res = g["result"]
        vals: list[Any] = []
        if res is not None:
            by = {o["id"]: o for o in res["options"]}
            vals = [by[i]["count"] for i in ids] + [by[i]["percent"] for i in ids]
        sheet.line([sheet.pick(g["label"]), small if g["suppressed"] else g["n"]] + vals)


def ref_value(report: Report, value: float | None, unit: str) -> str:
    """A reference's value as the report writes it: a number of people, or a percentage."""
    if value is None:
        return "\u2014"
    return report.number(float(value)) if unit == "count" else report.pct(float(value))


def report_block(
    report: Report,
    activity: Activity,
    result: dict[str, Any],
    block: dict[str, Any],
    *,
    several: bool,
) -> None:
    """The table of options, the bar chart (beside the reference's percentages), the facts and
    the reference's caption. ``several``: a participant may choose several options."""
    _ = report.gettext
    ref = activity.reference
    labels = {o.id: report.pick(o.label) for o in activity.options}
    comparable = ref is not None and ref.unit != "count"
    head = [_("Option"), _("Count"), _("Percent")]
    if ref is not None:
        head.append(_("Reference"))
    rows = []
    bars = []
    for o in result["options"]:
        row = [labels.get(o["id"], o["id"]), str(o["count"]), report.pct(o["percent"])]
        rv = ref.values.get(o["id"]) if ref is not None else None
        if ref is not None:
            row.append(ref_value(report, rv, ref.unit))
        rows.append(row)
        values: list[float | None] = [o["percent"]]
        texts = [f"{report.pct(o['percent'])} ({o['count']})"]
        if comparable:
            assert ref is not None
            values.append(rv)
            texts.append(ref_value(report, rv, ref.unit) if rv is not None else _("not given"))
        bars.append({"label": labels.get(o["id"], o["id"]), "values": values, "texts": texts})
    block["table"] = {"head": head, "rows": rows, "numeric": [1, 2, 3]}
    series: list[Series] = [(_("This session") if not report.pooled else _("These sessions"), 0)]
    if comparable:
        assert ref is not None
        series.append((_("Reference") + f": {report.pick(ref.source_name)}", 1))
    block["chart"] = report.bars(bars, maximum=100, series=series)
    what = _("percent of respondents")
    block["facts"] = [(_("Respondents"), str(result["respondents"]))]
    if several:
        block["facts"].append((_("Choices"), str(result["votes"])))
        what = _(
            "percent of respondents; several answers per person, so the total is more than 100 %%"
        )
    block["unit_note"] = what
    if ref is not None:
        bits = [report.pick(ref.title) if ref.title else "", report.pick(ref.source_name)]
        if ref.n:
            bits.append(f"n = {ref.n}")
        if ref.year:
            bits.append(str(ref.year))
        note = []
        if ref.unit == "percent_of_respondents":
            note.append(_("Reference in percent of its respondents."))
        elif ref.unit == "count":
            note.append(_("Reference in numbers of respondents, not percentages."))
        if not several and not ref.sums_to_100:
            note.append(_("The reference does not add up to 100 %%."))
        if ref.notes:
            note.append(report.pick(ref.notes))
        block["reference"] = {
            "caption": " \u00b7 ".join(b for b in bits if b),
            "note": " ".join(note),
        }


def report_breakdown(
    report: Report, activity: Activity, groups: list[dict[str, Any]], label: str, small: str
) -> dict[str, Any]:
    """Per group: n, then the percent (count) of each option."""
    opts = [(o.id, report.pick(o.label)) for o in activity.options]
    rows = []
    for g in groups:
        res = g["result"]
        cells = [report.pick(g["label"]), small if g["suppressed"] else str(g["n"])]
        if res is not None:
            by = {o["id"]: o for o in res["options"]}
            cells += [f"{report.pct(by[i]['percent'])} ({by[i]['count']})" for i, _l in opts]
        else:
            cells += [""] * len(opts)
        rows.append(cells)
    return {"head": [label, "n"] + [lab for _i, lab in opts], "rows": rows}
