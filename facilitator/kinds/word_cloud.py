"""The ``word_cloud`` kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity


class WordCloud(Kind):
    name = "word_cloud"
    breakdown = True
    moderates = "words"


register(WordCloud())
