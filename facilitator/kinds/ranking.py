"""The ``ranking`` kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Cells, Report, Sheet, WordMarks


class Ranking(Kind):
    name = "ranking"
    breakdown = True

    # -- exports

    def tidy_cells(self, activity: Activity, value: Any, status: str | None,
                   words: WordMarks) -> Sequence[Cells]:
        """One row per ranked option, with its rank (1 = first)."""
        return [(None, oid, rank, None, None, None, None, None)
                for rank, oid in enumerate(value, start=1)]

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return len(value)

    def xlsx_sheet(self, sheet: Sheet, activity: Activity, result: dict[str, Any],
                   control: dict[str, Any] | None) -> None:
        """Options with mean rank and how often ranked first; a bar chart of the mean ranks."""
        labels = {o.id: sheet.pick(o.label) for o in activity.options}
        sheet.line(["option_id", "label", "mean_rank", "first", "first_percent"], "head")
        first = sheet.row
        for o in result["options"]:
            sheet.line([o["id"], labels.get(o["id"]), o["mean_rank"], o["first"],
                        o["first_percent"]])
        last = sheet.row - 1
        sheet.line(["respondents", None, result["respondents"]], "bold")
        sheet.line(["mean_rank: 1 = ranked first by everyone"], "muted")
        chart = sheet.chart("bar")
        chart.add_series({"name": "mean rank", "categories": sheet.cells(first, 1, last, 1),
                          "values": sheet.cells(first, 2, last, 2),
                          "fill": {"color": sheet.colour(0)}, "data_labels": {"value": True}})
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"min": 1, "max": max(1, len(result["options"]))})
        chart.set_size({"width": 620, "height": 90 + 34 * len(result["options"])})
        sheet.insert_chart(first - 1, 7, chart)

    def xlsx_breakdown(self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]],
                       small: str) -> None:
        """Per group: n and the mean rank of each option."""
        ids = [o.id for o in activity.options]
        sheet.line(["group", "n"] + [f"{oid} (mean rank)" for oid in ids], "head")
        for g in groups:
            res = g["result"]
            vals = [o["mean_rank"] for o in res["options"]] if res is not None else []
            sheet.line([sheet.pick(g["label"]), small if g["suppressed"] else g["n"]] + vals)

    def report_block(self, report: Report, activity: Activity, result: dict[str, Any],
                     block: dict[str, Any]) -> None:
        """The options' mean ranks as a table and a dot plot, best first."""
        _ = report.gettext
        labels = {o.id: report.pick(o.label) for o in activity.options}
        rows = [[labels.get(o["id"], o["id"]), report.number(o["mean_rank"], 2), str(o["first"]),
                 report.pct(o["first_percent"])] for o in result["options"]]
        block["table"] = {"head": [_("Option"), _("Mean rank"), _("Ranked first"),
                                   _("Ranked first (%%)")], "rows": rows, "numeric": [1, 2, 3]}
        ordered = sorted(result["options"], key=lambda o: (o["mean_rank"] is None,
                                                           o["mean_rank"] or 0))
        dots = [(labels.get(o["id"], o["id"]), o["mean_rank"], report.number(o["mean_rank"], 2))
                for o in ordered]
        k = max(2, len(result["options"]))
        block["chart"] = report.dots(dots, lo=1, hi=k, ends=(_("1 = first"), ""))
        block["facts"] = [(_("Respondents"), str(result["respondents"]))]
        block["unit_note"] = _("Mean rank: 1 means everyone ranked it first; lower is better.")

    def report_breakdown(self, report: Report, activity: Activity,
                         groups: list[dict[str, Any]], label: str,
                         small: str) -> dict[str, Any] | None:
        """Per group: n and the mean rank of each option."""
        opts = [(o.id, report.pick(o.label)) for o in activity.options]
        rows = []
        for g in groups:
            res = g["result"]
            cells = [report.pick(g["label"]), small if g["suppressed"] else str(g["n"])]
            cells += [report.number(o["mean_rank"], 2) for o in res["options"]] \
                if res is not None else [""] * len(opts)
            rows.append(cells)
        return {"head": [label, "n"] + [lab for _i, lab in opts], "rows": rows,
                "note": report.gettext("Mean rank per group (1 = first).")}


register(Ranking())
