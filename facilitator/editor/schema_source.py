"""The JSON Schema of the programme format that the editor's forms are built from.

ONE place: ``programme_schema()``. For now it is written out here from sessions/README.md and
facilitator/programme.py; once the kinds are modules (issue 11) its body becomes the schema
generated from the kinds registry (docs/programme.schema.json). The browser walks
``properties`` (``static/js/editor.js``); it does not validate: the server does, with the
programme check's own code.

Conventions the form builder reads: ``title``/``description`` in English, the Dutch under
``x-nl: {title, description}``; a text in every language is ``{"$ref": "#/$defs/text"}``; an
option list ``{"$ref": "#/$defs/options"}`` (inline, or the name of an option set).
"""

from __future__ import annotations

from typing import Any

from ..kinds._choice import MAX_SEGMENT_LABEL, UNITS
from ..kinds.base import MAX_OPTIONS, MAX_TEXT_LENGTH, ORIGINS, POLARITIES, SHOW_RESULTS
from ..kinds.matrix import MAX_MATRIX_ITEMS, MAX_RATINGS
from ..kinds.ranking import MAX_RANKING_OPTIONS
from ..kinds.word_cloud import MAX_WORD_LENGTH, MAX_WORDS
from ..programme import STATUSES, THEMES

SLUG = "^[a-z0-9][a-z0-9_-]{0,63}$"


def _f(schema: dict[str, Any], en: str, nl: str, desc_en: str = "", desc_nl: str = ""
       ) -> dict[str, Any]:
    out = {**schema, "title": en, "x-nl": {"title": nl}}
    if desc_en:
        out["description"] = desc_en
        out["x-nl"]["description"] = desc_nl
    return out


TEXT = {"$ref": "#/$defs/text"}


def _text(en: str, nl: str, desc_en: str = "", desc_nl: str = "", **extra: Any) -> dict[str, Any]:
    return _f({**TEXT, **extra}, en, nl, desc_en, desc_nl)


def _options(lo: int, hi: int, en: str = "Options", nl: str = "Opties",
             polarity: bool = False) -> dict[str, Any]:
    ref = "#/$defs/rating" if polarity else "#/$defs/option"
    items: dict[str, Any] = {"type": "array", "items": {"$ref": ref}, "minItems": lo,
                             "maxItems": hi}
    if polarity:
        return _f(items, en, nl, f"{lo} to {hi}, written here.", f"{lo} tot {hi}, hier "
                  "geschreven.")
    return _f({"oneOf": [items, {"type": "string", "pattern": SLUG,
                                 "title": "Option set", "x-nl": {"title": "Optieset"}}]},
              en, nl, f"{lo} to {hi}, here or the name of an option set.",
              f"{lo} tot {hi}, hier of de naam van een optieset.")


def _common() -> dict[str, Any]:
    return {
        "id": _f({"type": "string", "pattern": SLUG, "maxLength": 64}, "Id", "Id",
                 "Lowercase letters, digits, - and _. Do not change once used.",
                 "Kleine letters, cijfers, - en _. Niet meer wijzigen na gebruik."),
        "title": _text("Title", "Titel", "Heading on the projector.", "Kop op de projector."),
        "prompt": _text("Question", "Vraag", "As participants read it.",
                        "Zoals deelnemers ze lezen."),
        "presenter_notes": _text("Presenter notes", "Notities voor de begeleider",
                                 "Only on the control screen.", "Alleen op het bedieningsscherm."),
        "show_results": _f({"type": "string", "enum": list(SHOW_RESULTS)},
                           "Show results", "Resultaten tonen",
                           "Overrides the programme's setting.",
                           "Overschrijft de instelling van het programma."),
        "timer": _f({"type": "object", "properties": {
            "seconds": _f({"type": "integer", "minimum": 5, "maximum": 3600, "default": 60},
                          "Seconds", "Seconden"),
            "auto_close": _f({"type": "boolean", "default": True}, "Close answering at zero",
                             "Antwoorden sluiten bij nul"),
        }, "required": ["seconds"]}, "Timer", "Timer"),
        "origin": _f({"type": "string", "enum": list(ORIGINS)}, "Origin", "Herkomst"),
        "optional": _f({"type": "boolean", "default": False}, "Optional (may be skipped)",
                       "Optioneel (mag overgeslagen worden)"),
        "placeholder": _f({"type": "boolean", "default": False}, "Provisional",
                          "Voorlopig", "Screens show a 'provisional' badge.",
                          "Schermen tonen een badge 'voorlopig'."),
        "confirm_with": _f({"type": "string", "maxLength": 200}, "Confirm with",
                           "Bevestigen met"),
    }


def _moderation() -> dict[str, Any]:
    return _f({"type": "boolean"}, "Moderation", "Moderatie",
              "Entries wait for approval (default: the programme's setting).",
              "Inzendingen wachten op goedkeuring (standaard: de instelling van het programma).")


def _reference() -> dict[str, Any]:
    return _f({"type": "object", "properties": {
        "source": _f({"type": "string", "pattern": SLUG, "x-source": True}, "Source", "Bron",
                     "A key of the reference sources.", "Een sleutel van de referentiebronnen."),
        "title": _text("Caption", "Onderschrift"),
        "n": _f({"type": "integer", "minimum": 1}, "n (respondents)", "n (respondenten)"),
        "unit": _f({"type": "string", "enum": list(UNITS), "default": "percent_reported"},
                   "Unit", "Eenheid"),
        "values": _f({"type": "object", "additionalProperties": {"type": ["number", "null"]},
                      "x-keys": "options"}, "Figures per option", "Cijfers per optie",
                     "Empty: not reported.", "Leeg: niet gerapporteerd."),
        "sums_to_100": _f({"type": "boolean", "default": False}, "Sums to 100",
                          "Telt op tot 100"),
        "notes": _text("Caveats", "Kanttekeningen"),
    }, "required": ["source", "values", "sums_to_100"]}, "Reference baseline",
        "Referentie (gepubliceerd resultaat)")


def _kind(name: str, en: str, nl: str, props: dict[str, Any], required: list[str]
          ) -> dict[str, Any]:
    common = _common()
    order = ["id", "title", "prompt"]
    properties = {"kind": {"const": name}, **{k: common[k] for k in order}, **props,
                  **{k: v for k, v in common.items() if k not in order}}
    return _f({"type": "object", "properties": properties,
               "required": ["id", "kind", *required], "additionalProperties": False}, en, nl)


def programme_schema() -> dict[str, Any]:
    """The programme format as a JSON Schema (draft 2020-12), one ``$defs`` entry per kind."""
    option_props = {
        "id": _f({"type": "string", "pattern": SLUG}, "Id", "Id"),
        "nl": _f({"type": "string", "minLength": 1}, "Label (Dutch)", "Label (Nederlands)"),
        "en": _f({"type": "string", "minLength": 1}, "Label (English)", "Label (Engels)"),
        "description": _text("Description", "Beschrijving"),
        "placeholder": _f({"type": "boolean", "default": False}, "Provisional", "Voorlopig"),
    }
    kinds = {
        "info": _kind("info", "Slide", "Dia", {
            "body": _text("Body", "Tekst", "Light Markdown: **bold**, *italic*, - lists.",
                          "Lichte Markdown: **vet**, *cursief*, - lijsten.", **{"x-multiline": True}),  # noqa: E501
            "quotes": _f({"type": "array", "items": {"type": "object", "properties": {
                "text": _text("Quote", "Citaat"),
                "attribution": _text("Attribution (a function, not a name)",
                                     "Toeschrijving (een functie, geen naam)"),
            }, "required": ["text"]}}, "Quotes", "Citaten"),
            "links": _f({"type": "array", "items": {"type": "object", "properties": {
                "label": _f({"type": "string", "minLength": 1}, "Label", "Label"),
                "url": _f({"type": "string", "pattern": "^https?://"}, "Address", "Adres"),
            }, "required": ["label", "url"]}}, "Links (the first one as a QR code)",
                "Links (de eerste als QR-code)"),
        }, ["title"]),
        "single_choice": _kind("single_choice", "Pick one", "Eén keuze", {
            "options": _options(2, MAX_OPTIONS),
            "profile": _f({"type": "boolean", "default": False}, "Profile question",
                          "Profielvraag", "Results can be broken down by its answer.",
                          "Resultaten kunnen opgesplitst worden volgens het antwoord."),
            "segment_label": _text("Segment label", "Segmentlabel",
                                   "Short name of the breakdown (profile question only).",
                                   "Korte naam van de opsplitsing (alleen profielvraag).",
                                   maxLength=MAX_SEGMENT_LABEL),
            "reference": _reference(),
        }, ["prompt", "options"]),
        "multi_choice": _kind("multi_choice", "Pick several", "Meerdere keuzes", {
            "options": _options(2, MAX_OPTIONS),
            "max_choices": _f({"type": "integer", "minimum": 1, "maximum": MAX_OPTIONS},
                              "At most", "Hoogstens", "Empty: every option.",
                              "Leeg: alle opties."),
            "reference": _reference(),
        }, ["prompt", "options"]),
        "scale": _kind("scale", "Scale", "Schaal", {
            "scale": _f({"type": "object", "properties": {
                "min": _f({"type": "integer", "minimum": -1000, "maximum": 1000, "default": 1},
                          "Lowest", "Laagste"),
                "max": _f({"type": "integer", "minimum": -1000, "maximum": 1000, "default": 5},
                          "Highest", "Hoogste"),
                "step": _f({"type": "integer", "minimum": 1, "maximum": 1000, "default": 1},
                           "Step", "Stap"),
                "slider": _f({"type": "boolean", "default": False}, "Slider", "Schuifbalk"),
                "left_label": _text("Left pole", "Linkerpool"),
                "right_label": _text("Right pole", "Rechterpool"),
                "mid_label": _text("Middle", "Midden"),
                "placeholder": _f({"type": "boolean", "default": False},
                                  "Pole labels provisional", "Poollabels voorlopig"),
            }, "required": ["min", "max", "left_label", "right_label"]}, "Scale", "Schaal"),
            "why": _f({"type": "object", "properties": {
                "prompt": _text("Why question", "Waarom-vraag"),
                "max_length": _f({"type": "integer", "minimum": 1,
                                  "maximum": MAX_TEXT_LENGTH, "default": 280},
                                 "Characters", "Tekens"),
            }, "required": ["prompt"]}, "Why (a short explanation)", "Waarom (korte uitleg)"),
            "compare_with": _f({"type": "string", "pattern": SLUG}, "Compare with (an earlier "
                               "scale's id)", "Vergelijken met (id van een eerdere schaal)"),
            "moderation": _moderation(),
        }, ["prompt", "scale"]),
        "open_text": _kind("open_text", "Open question", "Open vraag", {
            "max_length": _f({"type": "integer", "minimum": 1, "maximum": MAX_TEXT_LENGTH,
                              "default": 280}, "Characters", "Tekens"),
            "moderation": _moderation(),
        }, ["prompt"]),
        "word_cloud": _kind("word_cloud", "Word cloud", "Woordwolk", {
            "max_words": _f({"type": "integer", "minimum": 1, "maximum": MAX_WORDS,
                             "default": 3}, "Words per person", "Woorden per persoon"),
            "max_length": _f({"type": "integer", "minimum": 1, "maximum": MAX_WORD_LENGTH,
                              "default": 30}, "Characters per word", "Tekens per woord"),
            "moderation": _moderation(),
        }, ["prompt"]),
        "ranking": _kind("ranking", "Ranking", "Rangschikking", {
            "options": _options(2, MAX_RANKING_OPTIONS),
        }, ["prompt", "options"]),
        "matrix": _kind("matrix", "Matrix", "Matrix", {
            "items": _options(1, MAX_MATRIX_ITEMS, "Items (rows)", "Items (rijen)"),
            "ratings": _options(2, MAX_RATINGS, "Ratings (columns)", "Beoordelingen (kolommen)",
                                polarity=True),
        }, ["prompt", "items", "ratings"]),
        "qna": _kind("qna", "Questions from the room", "Vragen uit de zaal", {
            "max_length": _f({"type": "integer", "minimum": 1, "maximum": MAX_TEXT_LENGTH,
                              "default": 280}, "Characters", "Tekens"),
            "moderation": _moderation(),
        }, ["prompt"]),
    }
    defs: dict[str, Any] = {
        "text": {"type": "object", "title": "Text", "x-nl": {"title": "Tekst"},
                 "description": "One non-empty string per language of the programme.",
                 "additionalProperties": {"type": "string", "minLength": 1}},
        "option": {"type": "object", "properties": {
            **option_props,
            "origin": _f({"type": "string", "enum": list(ORIGINS)}, "Origin", "Herkomst")},
            "required": ["id", "nl", "en"]},
        "rating": {"type": "object", "properties": {
            **option_props,
            "polarity": _f({"type": "string", "enum": list(POLARITIES), "default": "neutral"},
                           "Polarity", "Polariteit")}, "required": ["id", "nl", "en"]},
        **kinds,
        "activity": {"oneOf": [{"$ref": f"#/$defs/{k}"} for k in kinds]},
        "section": {"type": "object", "properties": {
            "id": _f({"type": "string", "pattern": SLUG}, "Id", "Id"),
            "title": _text("Title", "Titel"),
            "paced": _f({"type": "boolean", "default": False}, "At their own pace",
                        "In eigen tempo"),
            "activities": {"type": "array", "items": {"$ref": "#/$defs/activity"},
                           "minItems": 1},
        }, "required": ["id", "title", "activities"]},
        "source": {"type": "object", "properties": {
            "name": _text("Name", "Naam"),
            "n": _f({"type": "integer", "minimum": 1}, "n (respondents)", "n (respondenten)"),
            "year": _f({"type": ["integer", "null"], "minimum": 1900, "maximum": 2100},
                       "Year", "Jaar"),
            "coverage": _text("Coverage", "Bereik"),
            "confirm_with": _f({"type": "string"}, "Confirm with", "Bevestigen met"),
        }, "required": ["name"]},
    }
    programme = {"type": "object", "properties": {
        "id": _f({"type": "string", "pattern": SLUG}, "Id", "Id"),
        "version": _f({"type": "string", "minLength": 1}, "Version", "Versie"),
        "status": _f({"type": "string", "enum": list(STATUSES), "default": "final"},
                     "Status", "Status"),
        "languages": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]{2}$"}},
        "default_language": {"type": "string"},
        "title": _text("Title", "Titel"),
        "subtitle": _text("Subtitle", "Ondertitel"),
        "settings": _f({"type": "object", "properties": {
            "show_results": _f({"type": "string", "enum": list(SHOW_RESULTS),
                                "default": "after_close"}, "Show results",
                               "Resultaten tonen"),
            "privacy_threshold": _f({"type": "integer", "minimum": 1, "maximum": 100,
                                     "default": 3}, "Privacy threshold", "Privacydrempel"),
            "moderation": _f({"type": "boolean", "default": False}, "Moderation",
                             "Moderatie"),
            "free_text_warning": _text("Free-text warning", "Waarschuwing bij vrije tekst"),
            "privacy_notice": _text("Privacy notice", "Privacymelding"),
            "tables": _f({"type": "integer", "minimum": 0, "maximum": 200, "default": 0},
                         "Tables", "Tafels"),
            "profile_at_join": _f({"type": "boolean", "default": False},
                                  "Profile questions at joining", "Profielvragen bij aansluiten"),
        }}, "Settings", "Instellingen"),
        "branding": _f({"type": "object", "properties": {
            "logo": _f({"type": "string", "x-logo": True}, "Logo", "Logo",
                       "PNG, SVG, JPEG or WebP, at most 100 KB.",
                       "PNG, SVG, JPEG of WebP, hoogstens 100 KB."),
            "accent": _f({"type": "string", "pattern": "^#[0-9a-fA-F]{6}$", "format": "color"},
                         "Accent colour", "Accentkleur"),
            "theme": _f({"type": "string", "enum": list(THEMES), "default": "light"},
                        "Projector theme", "Thema van de projector"),
        }}, "Branding", "Huisstijl"),
        "option_sets": _f({"type": "object", "additionalProperties": {
            "type": "array", "items": {"$ref": "#/$defs/option"}, "minItems": 1,
            "maxItems": MAX_OPTIONS}}, "Option sets", "Optiesets"),
        "reference_sources": _f({"type": "object", "additionalProperties":
                                 {"$ref": "#/$defs/source"}}, "Reference sources",
                                "Referentiebronnen"),
        "credits": {"type": "array", "items": {"type": "object", "properties": {
            "role": {"type": "string"}, "name": {"type": "string"}}}},
        "sections": {"type": "array", "items": {"$ref": "#/$defs/section"}, "minItems": 1},
    }, "required": ["id", "version", "languages", "default_language", "title", "sections"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "/programme.schema.json",
        "title": "Dialoogtafel programme",
        "type": "object",
        "properties": {"programme": programme},
        "required": ["programme"],
        "$defs": defs,
    }
