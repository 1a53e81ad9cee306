"""The JSON Schema of programme files, generated from the kinds' field descriptors.

Pure core. ``programme_schema()`` is the schema (draft 2020-12): the programme's top level here,
one ``$defs`` entry per kind from ``Kind.all_fields()``. Titles and descriptions are English;
the Dutch ones are under ``x-nl``. It is committed as docs/programme.schema.json (regenerate with
``flask --app app programmes schema > docs/programme.schema.json``; a test fails when the
committed file is stale) and served at ``/programme.schema.json`` for editors that read
``# yaml-language-server: $schema=...``.

The schema helps an editor; ``programme.load_programme`` stays the judge (it checks what a schema
cannot say: option ids in a reference, a compare_with that points back, a logo's file).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from . import kinds
from .kinds.base import SLUG_PATTERN, Field, Words
from .wordfilter import LISTS as WORD_LISTS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
LANGUAGE = r"^[a-z]{2}$"


def _about(label: Words, help_: Words | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"title": label["en"]}
    nl: dict[str, str] = {"title": label["nl"]}
    if help_:
        out["description"] = help_["en"]
        nl["description"] = help_["nl"]
    out["x-nl"] = nl
    return out


def _w(en: str, nl: str) -> Words:
    return {"en": en, "nl": nl}


def field_schema(field: Field) -> dict[str, Any]:
    """One field descriptor as a JSON Schema property."""
    out: dict[str, Any]
    t = field.type
    if t == "text":
        out = {"$ref": "#/$defs/text"}
        if field.multiline:
            out["x-multiline"] = True
    elif t == "string":
        out = {"type": "string"}
    elif t == "integer":
        out = {"type": "integer"}
        if field.min is not None:
            out["minimum"] = field.min
        if field.max is not None:
            out["maximum"] = field.max
    elif t == "boolean":
        out = {"type": "boolean"}
    elif t == "choice":
        out = {"enum": list(field.values)}
    elif t in ("id", "activity_id"):
        out = {"$ref": "#/$defs/id"}
    elif t == "notes":
        out = {"type": "object", "additionalProperties": {"type": "string"}}
    elif t == "options":
        item = "#/$defs/rating" if field.polarity else "#/$defs/option"
        array: dict[str, Any] = {"type": "array", "items": {"$ref": item}}
        if field.min is not None:
            array["minItems"] = field.min
        if field.max is not None:
            array["maxItems"] = field.max
        out = {
            "anyOf": [
                array,
                {
                    "type": "string",
                    "pattern": SLUG_PATTERN,
                    "title": "Option set",
                    "description": "the name of an option set",
                    "x-nl": {"title": "Optieset", "description": "de naam van een optieset"},
                },
            ]
        }
    elif t == "object" and field.keyed_by_options:
        out = {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"type": ["number", "null"]},
            "x-keys": "options",
        }
    elif t == "object":
        out = _object(field.fields) if field.fields else {"type": "object"}
    elif t == "list":
        out = {"type": "array", "items": _object(field.fields)}
    else:  # pragma: no cover (FIELD_TYPES)
        raise ValueError(f"field '{field.name}' has an unknown type {t!r}")
    if field.default is not None:
        out["default"] = field.default
    if field.example is not None:
        out["examples"] = [field.example]
    return {**_about(field.label, field.help), **out}


def _object(fields: tuple[Field, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": {f.name: field_schema(f) for f in fields},
        "additionalProperties": False,
    }
    required = [f.name for f in fields if f.required]
    if required:
        out["required"] = required
    return out


#: the common fields an activity's schema lists before the kind's own (the rest come after)
LEADING = ("id", "kind", "title", "prompt")


def kind_schema(kind: kinds.Kind) -> dict[str, Any]:
    """An activity of this kind: its common and own fields, ``kind`` fixed to its name. The
    properties are in the order an editor shows them: id, kind, title and question, the kind's
    own fields, then the common ones."""
    every = kind.all_fields()
    common = [f for f in every if f not in kind.fields]
    lead = [f for f in common if f.name in LEADING]
    out = _object((*lead, *kind.fields, *(f for f in common if f not in lead)))
    out["properties"]["kind"] = {**out["properties"]["kind"], "const": kind.name}
    del out["properties"]["kind"]["enum"]
    out["required"] = ["id", "kind", "prompt" if kind.answerable else "title"] + [
        f.name for f in kind.fields if f.required
    ]
    return {**_about(kind.label, kind.help), **out}


def _activity() -> dict[str, Any]:
    names = list(kinds.names())
    return {
        **_about(
            _w("Activity", "Activiteit"),
            _w(
                "One slide or question; its kind decides its fields.",
                "Eén dia of vraag; de soort bepaalt de velden.",
            ),
        ),
        "type": "object",
        "required": ["id", "kind"],
        "properties": {"kind": {"enum": names}},
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": n}}, "required": ["kind"]},
                "then": {"$ref": f"#/$defs/{n}"},
            }
            for n in names
        ],
    }


def _option(polarity: bool) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": {**_about(_w("Id", "Id")), "$ref": "#/$defs/id"},
        "description": {**_about(_w("Description", "Beschrijving")), "$ref": "#/$defs/text"},
        "placeholder": {**_about(_w("Provisional", "Voorlopig")), "type": "boolean"},
        "origin": {**_about(_w("Origin", "Herkomst")), "enum": list(kinds.base.ORIGINS)},
        "notes": _about(_w("Notes", "Notities")),
    }
    if polarity:
        props["polarity"] = {
            **_about(
                _w("Polarity", "Polariteit"),
                _w(
                    "How the projector colours this rating.",
                    "Hoe de projector deze beoordeling kleurt.",
                ),
            ),
            "enum": list(kinds.base.POLARITIES),
            "default": "neutral",
        }
    return {
        **_about(
            _w("Option", "Optie"),
            _w(
                "An id and a label per language (nl: ..., en: ...).",
                "Een id en een label per taal (nl: ..., en: ...).",
            ),
        ),
        "type": "object",
        "required": ["id"],
        "properties": props,
        "additionalProperties": {"type": "string", "minLength": 1},
        # its label is the object's own language keys (an editor shows them as a text)
        "x-labels": {"title": "Label", "x-nl": {"title": "Label"}},
    }


def _section() -> dict[str, Any]:
    return {
        **_about(
            _w("Section", "Onderdeel"),
            _w(
                "A part of the programme with its activities.",
                "Een deel van het programma met zijn activiteiten.",
            ),
        ),
        "type": "object",
        "required": ["id", "title", "activities"],
        "additionalProperties": False,
        "properties": {
            "id": {**_about(_w("Id", "Id")), "$ref": "#/$defs/id"},
            "title": {**_about(_w("Title", "Titel")), "$ref": "#/$defs/text"},
            "paced": {
                **_about(
                    _w("Own pace", "Eigen tempo"),
                    _w(
                        "Participants move through its activities themselves.",
                        "Deelnemers gaan zelf door de activiteiten.",
                    ),
                ),
                "type": "boolean",
                "default": False,
            },
            "notes": _about(_w("Notes", "Notities")),
            "activities": {
                **_about(_w("Activities", "Activiteiten")),
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/activity"},
            },
        },
    }


def _settings() -> dict[str, Any]:
    from .programme import MAX_RETENTION_DAYS

    return {
        **_about(
            _w("Settings", "Instellingen"),
            _w(
                "Defaults for every activity and the live session.",
                "Standaarden voor elke activiteit en de live sessie.",
            ),
        ),
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "show_results": {
                **_about(_w("Show results", "Resultaten tonen")),
                "enum": list(kinds.base.SHOW_RESULTS),
                "default": "after_close",
            },
            "privacy_threshold": {
                **_about(
                    _w("Privacy threshold", "Privacydrempel"),
                    _w(
                        "Smaller groups are not shown in breakdowns.",
                        "Kleinere groepen worden niet getoond in uitsplitsingen.",
                    ),
                ),
                "type": "integer",
                "minimum": 1,
                "maximum": 100,
                "default": 3,
            },
            "free_text_warning": {
                **_about(_w("Free text warning", "Waarschuwing bij vrije tekst")),
                "$ref": "#/$defs/text",
            },
            "moderation": {
                **_about(
                    _w("Moderation", "Moderatie"),
                    _w(
                        "Every free-text activity's default: before (waits for approval), "
                        "after (shown at once; the word filter holds some back) or none.",
                        "De standaard van elke activiteit met vrije tekst: before (wacht op "
                        "goedkeuring), after (meteen getoond; de woordfilter houdt er enkele "
                        "tegen) of none.",
                    ),
                ),
                "enum": list(kinds.base.MODERATIONS),
                "default": "before",
            },
            "word_filter": {
                **_about(
                    _w("Word filter", "Woordfilter"),
                    _w(
                        "With moderation after: entries with one of these words wait for approval.",
                        "Bij moderatie after: inzendingen met een van deze woorden wachten op "
                        "goedkeuring.",
                    ),
                ),
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "lists": {
                        **_about(_w("Built-in lists", "Ingebouwde lijsten")),
                        "type": "array",
                        "items": {"type": "string", "enum": list(WORD_LISTS)},
                        "uniqueItems": True,
                        "default": list(WORD_LISTS),
                    },
                    "add": {
                        **_about(
                            _w("Also hold back", "Ook tegenhouden"),
                            _w(
                                "One word or phrase per line.",
                                "Eén woord of uitdrukking per regel.",
                            ),
                        ),
                        "type": "array",
                        "items": {"type": "string", "minLength": 1, "maxLength": 100},
                        "x-words": True,
                    },
                    "allow": {
                        **_about(
                            _w("Let through", "Doorlaten"),
                            _w(
                                "One word or phrase per line.",
                                "Eén woord of uitdrukking per regel.",
                            ),
                        ),
                        "type": "array",
                        "items": {"type": "string", "minLength": 1, "maxLength": 100},
                        "x-words": True,
                    },
                },
            },
            "tables": {
                **_about(_w("Tables", "Tafels")),
                "type": "integer",
                "minimum": 0,
                "maximum": 200,
                "default": 0,
            },
            "profile_at_join": {
                **_about(_w("Profile at join", "Profiel bij deelname")),
                "type": "boolean",
                "default": False,
            },
            "privacy_notice": {
                **_about(_w("Privacy notice", "Privacyverklaring")),
                "$ref": "#/$defs/text",
            },
            "retention_days": {
                **_about(
                    _w("Retention (days)", "Bewaartermijn (dagen)"),
                    _w(
                        "Days after a live session ends that the server deletes it, with every "
                        "answer in it.",
                        "Dagen na het einde van een live sessie waarna de server ze verwijdert, "
                        "met alle antwoorden.",
                    ),
                ),
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_RETENTION_DAYS,
                "default": 90,
            },
        },
    }


def _programme() -> dict[str, Any]:
    from .programme import LOGO_TYPES, MAX_LOGO_BYTES

    text = {"$ref": "#/$defs/text"}
    logo_types = ", ".join(LOGO_TYPES)
    logo_kb = MAX_LOGO_BYTES // 1024
    return {
        **_about(_w("Programme", "Programma")),
        "type": "object",
        "required": ["id", "version", "languages", "default_language", "title", "sections"],
        "additionalProperties": False,
        "properties": {
            "id": {**_about(_w("Id", "Id")), "$ref": "#/$defs/id"},
            "version": {
                **_about(
                    _w("Version", "Versie"),
                    _w(
                        'A string: put quotes around it ("1.0").',
                        'Een tekst: zet er aanhalingstekens rond ("1.0").',
                    ),
                ),
                "type": "string",
                "minLength": 1,
            },
            "languages": {
                **_about(_w("Languages", "Talen")),
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"type": "string", "pattern": LANGUAGE},
            },
            "default_language": {
                **_about(_w("Default language", "Standaardtaal")),
                "type": "string",
                "pattern": LANGUAGE,
            },
            "title": {**_about(_w("Title", "Titel")), **text},
            "subtitle": {**_about(_w("Subtitle", "Ondertitel")), **text},
            "status": {
                **_about(_w("Status", "Status")),
                "enum": ["draft", "final"],
                "default": "final",
            },
            "credits": {
                **_about(_w("Credits", "Makers")),
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["role", "name"],
                    "additionalProperties": False,
                    "properties": {"role": {"type": "string"}, "name": {"type": "string"}},
                },
            },
            "settings": {"$ref": "#/$defs/settings"},
            "option_sets": {
                **_about(
                    _w("Option sets", "Optiesets"),
                    _w(
                        "Named lists of options that activities share.",
                        "Benoemde lijsten van opties die activiteiten delen.",
                    ),
                ),
                "type": "object",
                "propertyNames": {"pattern": SLUG_PATTERN},
                "additionalProperties": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": kinds.base.MAX_OPTIONS,
                    "items": {"$ref": "#/$defs/option"},
                },
            },
            "reference_sources": {
                **_about(
                    _w("Reference sources", "Referentiebronnen"),
                    _w(
                        "Published studies a reference cites.",
                        "Gepubliceerde studies waar een referentie naar verwijst.",
                    ),
                ),
                "type": "object",
                "propertyNames": {"pattern": SLUG_PATTERN},
                "additionalProperties": {
                    "type": "object",
                    "required": ["name"],
                    "additionalProperties": False,
                    "properties": {
                        "name": text,
                        "n": {"type": ["integer", "null"], "minimum": 1},
                        "year": {"type": ["integer", "null"], "minimum": 1900, "maximum": 2100},
                        "coverage": {},
                        "confirm_with": {},
                        "notes": {},
                    },
                },
            },
            "notes": _about(_w("Notes", "Notities")),
            "branding": {
                **_about(_w("Branding", "Huisstijl")),
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "logo": {
                        **_about(
                            _w("Logo", "Logo"),
                            _w(
                                "An image file next to the programme, or /static/...: "
                                f"{logo_types}, at most {logo_kb} KB.",
                                "Een afbeelding naast het programma, of /static/...: "
                                f"{logo_types}, hoogstens {logo_kb} KB.",
                            ),
                        ),
                        "type": "string",
                        "x-logo": True,
                    },
                    "accent": {
                        **_about(
                            _w("Accent colour", "Accentkleur"),
                            _w(
                                "Its contrast with white should be at least 4.5.",
                                "Het contrast met wit is best minstens 4,5.",
                            ),
                        ),
                        "type": "string",
                        "pattern": "^#[0-9a-fA-F]{6}$",
                        "format": "color",
                    },
                    "theme": {
                        **_about(_w("Projector theme", "Thema van de projector")),
                        "enum": ["light", "dark"],
                        "default": "light",
                    },
                },
            },
            "sections": {
                **_about(_w("Sections", "Onderdelen")),
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/section"},
            },
        },
    }


def programme_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {
        "id": {"type": "string", "pattern": SLUG_PATTERN},
        "text": {
            **_about(
                _w("Text", "Tekst"),
                _w(
                    "One entry per language of the programme: {nl: ..., en: ...}.",
                    "Eén tekst per taal van het programma: {nl: ..., en: ...}.",
                ),
            ),
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": LANGUAGE},
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        "option": _option(False),
        "rating": _option(True),
        "programme": _programme(),
        "settings": _settings(),
        "section": _section(),
        "activity": _activity(),
    }
    for kind in kinds.registered():
        defs[kind.name] = kind_schema(kind)
    return {
        "$schema": DRAFT,
        **_about(
            _w("Dialoogtafel programme", "Dialoogtafel-programma"),
            _w(
                "A workshop programme (sessions/*.yaml). Generated from the activity kinds "
                "(facilitator/kinds/); `flask --app app programmes check` is the judge.",
                "Een workshopprogramma (sessions/*.yaml). Gemaakt uit de soorten "
                "activiteiten (facilitator/kinds/); `flask --app app programmes check` "
                "beslist.",
            ),
        ),
        "type": "object",
        "required": ["programme"],
        "additionalProperties": False,
        "properties": {"programme": {"$ref": "#/$defs/programme"}},
        "$defs": defs,
    }


@cache
def schema_json() -> str:
    """The schema as docs/programme.schema.json holds it."""
    return json.dumps(programme_schema(), indent=2, ensure_ascii=False) + "\n"
