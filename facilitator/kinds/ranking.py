"""The ``ranking`` kind: every option once, in the participant's order."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from . import register
from .answers import FormError, InvalidResponse
from .base import Checks, Field, Form, Kind, option_views, words
from .tally import CONTROL, Label, Tally, percent

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity
    from .exporting import Cells, Report, Sheet, WordMarks

MAX_RANKING_OPTIONS = 12


class RankingTally(Tally):
    """ranking: the mean rank of each option and the share of first places."""

    def __init__(self, activity: Activity, label: Label = str):
        super().__init__(activity, label)
        self.rank_sums = dict.fromkeys(activity.option_ids, 0)
        self.firsts = dict.fromkeys(activity.option_ids, 0)

    def add(self, key: Hashable, value: Any) -> None:
        super().add(key, value)
        for rank, oid in enumerate(value, start=1):
            self.rank_sums[oid] += rank
        self.firsts[value[0]] += 1

    def remove(self, key: Hashable, value: Any) -> None:
        super().remove(key, value)
        for rank, oid in enumerate(value, start=1):
            self.rank_sums[oid] -= rank
        self.firsts[value[0]] -= 1

    def result(self, audience: str = CONTROL) -> dict[str, Any]:
        n = self.respondents
        return {
            "options": [
                {
                    "id": oid,
                    "mean_rank": round(self.rank_sums[oid] / n, 2) if n else None,
                    "first": self.firsts[oid],
                    "first_percent": percent(self.firsts[oid], n),
                }
                for oid in self.rank_sums
            ],
            "respondents": n,
        }


class Ranking(Kind):
    name = "ranking"
    label = words("Ranking", "Rangschikking")
    help = words(
        "Participants put the options in order.", "Deelnemers zetten de opties in volgorde."
    )
    breakdown = True
    fields = (
        Field(
            "options",
            "options",
            words("Options", "Opties"),
            words(
                f"What participants put in order (2 to {MAX_RANKING_OPTIONS}), or the name "
                "of an option set.",
                f"Wat deelnemers rangschikken (2 tot {MAX_RANKING_OPTIONS}), of de naam van "
                "een optieset.",
            ),
            required=True,
            min=2,
            max=MAX_RANKING_OPTIONS,
        ),
    )

    def validate(self, v: Checks, a: Mapping[str, Any], where: str) -> dict[str, Any]:
        return {
            "options": v.option_list(
                f"{where}.options", a.get("options"), v.option_sets, 2, MAX_RANKING_OPTIONS
            )
        }

    def clean(self, activity: Activity, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidResponse(
                "invalid_response", "value must be the list of option ids in your order"
            )
        ids = activity.option_ids
        if sorted(value) != sorted(ids):
            missing = [i for i in ids if i not in value]
            unknown = [v for v in value if v not in ids]
            if unknown:
                raise InvalidResponse(
                    "invalid_response", f"'{unknown[0][:40]}' is not an option of '{activity.id}'"
                )
            if missing:
                raise InvalidResponse(
                    "invalid_response", f"'{missing[0]}' is missing: rank every option once"
                )
            raise InvalidResponse("invalid_response", "an option is ranked more than once")
        return list(value)

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        return RankingTally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        return {"options": option_views(activity.options)}

    def form_value(self, activity: Activity, form: Form) -> Any:
        places: dict[str, int] = {}
        for option in activity.options:
            raw = form.get(f"rank:{option.id}", "")
            if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= len(activity.options):
                raise FormError("ranking_places")
            places[option.id] = int(raw)
        if sorted(places.values()) != list(range(1, len(activity.options) + 1)):
            raise FormError("ranking_places")
        return sorted(places, key=places.__getitem__)

    def sample_answers(self, activity: Activity, n: int) -> list[Any]:
        ids = [o.id for o in activity.options]
        return [ids[i % len(ids) :] + ids[: i % len(ids)] for i in range(n)] if ids else []

    # -- exports

    def tidy_cells(
        self, activity: Activity, value: Any, status: str | None, words: WordMarks
    ) -> Sequence[Cells]:
        """One row per ranked option, with its rank (1 = first)."""
        return [
            (None, oid, rank, None, None, None, None, None)
            for rank, oid in enumerate(value, start=1)
        ]

    def tidy_count(self, activity: Activity, value: Any) -> int:
        return len(value)

    def xlsx_sheet(
        self,
        sheet: Sheet,
        activity: Activity,
        result: dict[str, Any],
        control: dict[str, Any] | None,
    ) -> None:
        """Options with mean rank and how often ranked first; a bar chart of the mean ranks."""
        labels = {o.id: sheet.pick(o.label) for o in activity.options}
        sheet.line(["option_id", "label", "mean_rank", "first", "first_percent"], "head")
        first = sheet.row
        for o in result["options"]:
            sheet.line(
                [o["id"], labels.get(o["id"]), o["mean_rank"], o["first"], o["first_percent"]]
            )
        last = sheet.row - 1
        sheet.line(["respondents", None, result["respondents"]], "bold")
        sheet.line(["mean_rank: 1 = ranked first by everyone"], "muted")
        chart = sheet.chart("bar")
        chart.add_series(
            {
                "name": "mean rank",
                "categories": sheet.cells(first, 1, last, 1),
                "values": sheet.cells(first, 2, last, 2),
                "fill": {"color": sheet.colour(0)},
                "data_labels": {"value": True},
            }
        )
        chart.set_y_axis({"reverse": True})
        chart.set_x_axis({"min": 1, "max": max(1, len(result["options"]))})
        chart.set_size({"width": 620, "height": 90 + 34 * len(result["options"])})
        sheet.insert_chart(first - 1, 7, chart)

    def xlsx_breakdown(
        self, sheet: Sheet, activity: Activity, groups: list[dict[str, Any]], small: str
    ) -> None:
        """Per group: n and the mean rank of each option."""
        ids = [o.id for o in activity.options]
        sheet.line(["group", "n"] + [f"{oid} (mean rank)" for oid in ids], "head")
        for g in groups:
            res = g["result"]
            vals = [o["mean_rank"] for o in res["options"]] if res is not None else []
            sheet.line([sheet.pick(g["label"]), small if g["suppressed"] else g["n"]] + vals)

    def report_block(
        self, report: Report, activity: Activity, result: dict[str, Any], block: dict[str, Any]
    ) -> None:
        """The options' mean ranks as a table and a dot plot, best first."""
        _ = report.gettext
        labels = {o.id: report.pick(o.label) for o in activity.options}
        rows = [
            [
                labels.get(o["id"], o["id"]),
                report.number(o["mean_rank"], 2),
                str(o["first"]),
                report.pct(o["first_percent"]),
            ]
            for o in result["options"]
        ]
        block["table"] = {
            "head": [_("Option"), _("Mean rank"), _("Ranked first"), _("Ranked first (%%)")],
            "rows": rows,
            "numeric": [1, 2, 3],
        }
        ordered = sorted(
            result["options"], key=lambda o: (o["mean_rank"] is None, o["mean_rank"] or 0)
        )
        dots = [
            (labels.get(o["id"], o["id"]), o["mean_rank"], report.number(o["mean_rank"], 2))
            for o in ordered
        ]
        k = max(2, len(result["options"]))
        block["chart"] = report.dots(dots, lo=1, hi=k, ends=(_("1 = first"), ""))
        block["facts"] = [(_("Respondents"), str(result["respondents"]))]
        block["unit_note"] = _("Mean rank: 1 means everyone ranked it first; lower is better.")

    def report_breakdown(
        self,
        report: Report,
        activity: Activity,
        groups: list[dict[str, Any]],
        label: str,
        small: str,
    ) -> dict[str, Any] | None:
        """Per group: n and the mean rank of each option."""
        opts = [(o.id, report.pick(o.label)) for o in activity.options]
        rows = []
        for g in groups:
            res = g["result"]
            cells = [report.pick(g["label"]), small if g["suppressed"] else str(g["n"])]
            cells += (
                [report.number(o["mean_rank"], 2) for o in res["options"]]
                if res is not None
                else [""] * len(opts)
            )
            rows.append(cells)
        return {
            "head": [label, "n"] + [lab for _i, lab in opts],
            "rows": rows,
            "note": report.gettext("Mean rank per group (1 = first)."),
        }


register(Ranking())
