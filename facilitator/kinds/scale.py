"""The ``scale`` kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity


class Scale(Kind):
    name = "scale"
    breakdown = True
    moderates = "entries"

    def moderation_status(self, activity: Activity, value: Any) -> str:
        if activity.moderated and isinstance(value, dict) and value.get("why"):
            return "pending"
        return "approved"


register(Scale())
