"""The ``qna`` kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity


class Qna(Kind):
    name = "qna"
    questions = True
    moderates = "questions"


register(Qna())
