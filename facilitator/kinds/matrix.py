"""The ``matrix`` kind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import register
from .base import Kind

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity


class Matrix(Kind):
    name = "matrix"
    breakdown = True


register(Matrix())
