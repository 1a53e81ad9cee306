"""The ``matrix`` kind: one rating per item (rows may be skipped)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any

from . import register
from .answers import FormError, InvalidResponse
from .base import POLARITIES, Checks, Field, Form, Kind, option_views, words

if TYPE_CHECKING:  # pragma: no cover
    from ..aggregate import Tally
    from ..programme import Activity

MAX_MATRIX_ITEMS = 20
MAX_RATINGS = 7


class Matrix(Kind):
    name = "matrix"
    label = words("Matrix", "Matrix")
    help = words("Participants rate each item on the same ratings.",
                 "Deelnemers beoordelen elk item op dezelfde schaal.")
    breakdown = True
    fields = (
        Field("items", "options", words("Items", "Items"),
              words(f"The rows participants rate (1 to {MAX_MATRIX_ITEMS}), or the name of an "
                    "option set.",
                    f"De rijen die deelnemers beoordelen (1 tot {MAX_MATRIX_ITEMS}), of de naam "
                    "van een optieset."), required=True, min=1, max=MAX_MATRIX_ITEMS,
              noun="items"),
        Field("ratings", "options", words("Ratings", "Beoordelingen"),
              words(f"The answers of each row (2 to {MAX_RATINGS}), each with a polarity "
                    f"({', '.join(POLARITIES)}).",
                    f"De antwoorden van elke rij (2 tot {MAX_RATINGS}), elk met een polariteit "
                    f"({', '.join(POLARITIES)})."), required=True, min=2, max=MAX_RATINGS,
              noun="ratings", polarity=True),
    )

    def validate(self, v: Checks, a: Mapping[str, Any], where: str) -> dict[str, Any]:
        return {
            "items": v.option_list(f"{where}.items", a.get("items"), v.option_sets, 1,
                                   MAX_MATRIX_ITEMS, noun="items"),
            "ratings": v.options(f"{where}.ratings", a.get("ratings"), 2, MAX_RATINGS,
                                 polarity=True, noun="ratings"),
        }

    def clean(self, activity: Activity, value: Any) -> dict[str, str]:
        if not isinstance(value, dict) or not value:
            raise InvalidResponse("invalid_response", "value must map items to ratings, at "
                                  "least one")
        items = [o.id for o in activity.items]
        ratings = {o.id for o in activity.ratings}
        out: dict[str, str] = {}
        for item, rating in value.items():
            if item not in items:
                raise InvalidResponse("invalid_response", f"'{str(item)[:40]}' is not an item "
                                      f"of '{activity.id}'")
            if not isinstance(rating, str) or rating not in ratings:
                raise InvalidResponse("invalid_response", f"'{str(rating)[:40]}' is not a "
                                      f"rating of '{activity.id}'")
        for item in items:  # programme order
            if item in value:
                out[item] = value[item]
        return out

    def new_tally(self, activity: Activity, label: Callable[[Hashable], str] = str) -> Tally:
        from ..aggregate import MatrixTally

        return MatrixTally(activity, label)

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        return {"items": option_views(activity.items),
                "ratings": [{"id": r.id, "label": r.label, "polarity": r.polarity or "neutral"}
                            for r in activity.ratings]}

    def form_value(self, activity: Activity, form: Form) -> Any:
        rated = {item.id: form.get(f"m:{item.id}", "") for item in activity.items
                 if form.get(f"m:{item.id}", "")}
        if not rated:
            raise FormError("empty")
        return rated


register(Matrix())
