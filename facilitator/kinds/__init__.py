"""The registry of activity kinds: the only place that knows kind names.

``of(activity)`` / ``get(name)`` give the kind object; ``names()`` lists them in the order the
programme format documents them. See ``base.Kind`` for the interface.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .answers import FormError, InvalidResponse
from .base import Field, Kind

__all__ = ["Field", "FormError", "InvalidResponse", "Kind", "get", "names", "of", "register",
           "registered"]

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity

_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (a module's ``Kind`` instance); a second kind with the same name is an error."""
    if kind.name in _REGISTRY and type(_REGISTRY[kind.name]) is not type(kind):
        raise ValueError(f"kind '{kind.name}' is registered twice")
    _REGISTRY[kind.name] = kind
    return kind


def get(name: str) -> Kind | None:
    return _REGISTRY.get(name)


def of(activity: Activity) -> Kind:
    return _REGISTRY[activity.kind]


def names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def registered() -> tuple[Kind, ...]:
    """Every kind, in the order of ``names()``."""
    return tuple(_REGISTRY.values())


#: the built-in kinds' modules, in the order the programme format documents them (an import
#: statement would be re-sorted by the linter; this order is ``names()``)
BUILTIN = ("info", "single_choice", "multi_choice", "scale", "open_text", "word_cloud", "ranking",
           "matrix", "qna")


def _load_builtin() -> None:
    for module in BUILTIN:
        importlib.import_module(f"{__name__}.{module}")  # each module registers its kind


_load_builtin()
