"""The ``open_text`` kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity


class OpenText(Kind):
    name = "open_text"
    moderates = "entries"

    def moderation_status(self, activity: Activity, value: Any) -> str:
        return "pending" if activity.moderated else "approved"


register(OpenText())
