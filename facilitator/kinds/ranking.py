"""The ``ranking`` kind: every option once, in the participant's order."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any

from . import register
from .answers import FormError, InvalidResponse
from .base import Checks, Field, Form, Kind, option_views, words

if TYPE_CHECKING:  # pragma: no cover
    from ..aggregate import Tally
    from ..programme import Activity

MAX_RANKING_OPTIONS = 12


class Ranking(Kind):
    name = "ranking"
    label = words("Ranking", "Rangschikking")
    help = words("Participants put the options in order.",
                 "Deelnemers zetten de opties in volgorde.")
    breakdown = True
    fields = (
        Field("options", "options", words("Options", "Opties"),
              words(f"What participants put in order (2 to {MAX_RANKING_OPTIONS}), or the name "
                    "of an option set.",
                    f"Wat deelnemers rangschikken (2 tot {MAX_RANKING_OPTIONS}), of de naam van "
                    "een optieset."), required=True, min=2, max=MAX_RANKING_OPTIONS),
    )

    def validate(self, v: Checks, a: Mapping[str, Any], where: str) -> dict[str, Any]:
        return {"options": v.option_list(f"{where}.options", a.get("options"), v.option_sets,
                                         2, MAX_RANKING_OPTIONS)}

    def clean(self, activity: Activity, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidResponse("invalid_response", "value must be the list of option ids in "
                                  "your order")
        ids = activity.option_ids
        if sorted(value) != sorted(ids):
            missing = [i for i in ids if i not in value]
            unknown = [v for v in value if v not in ids]
            if unknown:
                raise InvalidResponse("invalid_response", f"'{unknown[0][:40]}' is not an "
                                      f"option of '{activity.id}'")
            if missing:
                raise InvalidResponse("invalid_response", f"'{missing[0]}' is missing: rank "
                                      "every option once")
            raise InvalidResponse("invalid_response", "an option is ranked more than once")
        return list(value)

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        from ..aggregate import RankingTally

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


register(Ranking())
