"""The registry of activity kinds: the only place that knows kind names.

``of(activity)`` / ``get(name)`` give the kind object; ``names()`` lists them in the order the
programme format documents them. See ``base.Kind`` for the interface, and
docs/architecture.md ("Adding a kind") for the files a kind is made of.

Kinds from outside this package: ``DIALOOGTAFEL_KINDS`` names modules to import after the
built-in ones (comma-separated, e.g. ``mykinds.thumbs``); each registers its kind as the built-in
modules do, and its ``Kind.assets`` folder holds its ``<name>.js`` (phone input and result
renderer) and ``<name>.html`` (no-JavaScript form), which the app serves and renders as it does
the built-in ones' files in static/js/kinds/ and templates/kinds/. The server, the command line
and the export jobs all import this registry, so they all know the same kinds.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Final

from .answers import FormError, InvalidResponse
from .base import Field, Kind

__all__ = [
    "Field",
    "FormError",
    "InvalidResponse",
    "Kind",
    "OWN_QUESTIONS",
    "get",
    "names",
    "of",
    "register",
    "registered",
]

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity

_REGISTRY: dict[str, Kind] = {}

#: the key of a phone's own questions and votes in its ``state`` (docs/protocol.md): the Q&A
#: kind's name, so it is spelled here, with the kinds, and nowhere else in the server
OWN_QUESTIONS: Final = "qna"


def register(kind: Kind) -> Kind:
    """Add a kind (a module's ``Kind`` instance); a second kind with the same name is an error."""
    if kind.name in _REGISTRY and type(_REGISTRY[kind.name]) is not type(kind):
        raise ValueError(f"kind '{kind.name}' is registered twice")
    _REGISTRY[kind.name] = kind
    return kind


def get(name: str) -> Kind | None:
    _load_extra()
    return _REGISTRY.get(name)


def of(activity: Activity) -> Kind:
    _load_extra()
    return _REGISTRY[activity.kind]


def names() -> tuple[str, ...]:
    _load_extra()
    return tuple(_REGISTRY)


def registered() -> tuple[Kind, ...]:
    """Every kind, in the order of ``names()``."""
    _load_extra()
    return tuple(_REGISTRY.values())


#: the built-in kinds' modules, in the order the programme format documents them (an import
#: statement would be re-sorted by the linter; this order is ``names()``)
BUILTIN = (
    "info",
    "single_choice",
    "multi_choice",
    "scale",
    "open_text",
    "word_cloud",
    "ranking",
    "matrix",
    "qna",
    "table_report",
)


def _load_builtin() -> None:
    for module in BUILTIN:
        importlib.import_module(f"{__name__}.{module}")  # each module registers its kind


def load_modules(modules: str) -> None:
    """Import the kind modules named in ``modules`` (comma-separated import paths); each
    registers its kind. A name that cannot be imported is an error that says which."""
    for module in (m.strip() for m in modules.split(",")):
        if not module:
            continue
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ImportError(
                f"DIALOOGTAFEL_KINDS: cannot import kind module '{module}': {exc}"
            ) from exc


_extra_loaded = False


def _load_extra() -> None:
    """The kinds ``DIALOOGTAFEL_KINDS`` names, imported when the registry is first asked (not
    while this package is imported: their modules may import the programme module, which
    imports this one)."""
    global _extra_loaded
    if not _extra_loaded:
        _extra_loaded = True
        load_modules(os.environ.get("DIALOOGTAFEL_KINDS", ""))


_load_builtin()
