"""The ``multi_choice`` kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity


class MultiChoice(Kind):
    name = "multi_choice"
    breakdown = True


register(MultiChoice())
