"""The ``info`` kind: a slide (text, quotes, links) that takes no answers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import register
from .base import Checks, Field, Kind, shown, words

if TYPE_CHECKING:  # pragma: no cover
    from ..programme import Activity

URL = re.compile(r"^https?://[^\s<>\"]+$")


class Info(Kind):
    name = "info"
    label = words("Slide", "Dia")
    help = words(
        "Text, quotes and links on the screens; takes no answers.",
        "Tekst, citaten en links op de schermen; zonder antwoorden.",
    )
    answerable = False
    fields = (
        Field(
            "body",
            "text",
            words("Text", "Tekst"),
            words(
                "The slide's text (a blank line starts a paragraph).",
                "De tekst van de dia (een lege regel begint een alinea).",
            ),
            multiline=True,
        ),
        Field(
            "quotes",
            "list",
            words("Quotes", "Citaten"),
            words("Quotes shown on the slide.", "Citaten op de dia."),
            fields=(
                Field(
                    "text",
                    "text",
                    words("Quote", "Citaat"),
                    words("What was said.", "Wat er gezegd werd."),
                    required=True,
                    multiline=True,
                ),
                Field(
                    "attribution",
                    "text",
                    words("Who", "Wie"),
                    words("Who said it.", "Wie het zei."),
                ),
            ),
        ),
        Field(
            "links",
            "list",
            words("Links", "Links"),
            words("Web addresses shown on the slide.", "Webadressen op de dia."),
            fields=(
                Field(
                    "label",
                    "string",
                    words("Label", "Label"),
                    words("The link's text.", "De tekst van de link."),
                    required=True,
                ),
                Field(
                    "url",
                    "string",
                    words("Address", "Adres"),
                    words("An http:// or https:// address.", "Een http://- of https://-adres."),
                    required=True,
                ),
            ),
        ),
    )

    def validate(self, v: Checks, a: Mapping[str, Any], where: str) -> dict[str, Any]:
        return {
            "body": v.text(f"{where}.body", a.get("body"), required=False),
            "quotes": quotes(v, where, a.get("quotes")),
            "links": links(v, where, a.get("links")),
        }

    def view(self, activity: Activity, role: str) -> dict[str, Any]:
        return {
            "body": activity.body,
            "quotes": list(activity.quotes),
            "links": list(activity.links),
        }


def quotes(v: Checks, where: str, value: Any) -> tuple[dict[str, Any], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        v.fail(f"{where}.quotes", "expected a list of {text, attribution}")
        return ()
    out = []
    for i, q in enumerate(value):
        w = f"{where}.quotes[{i}]"
        m = v.mapping(w, q)
        if m is None:
            continue
        v.keys(w, m, {"text"}, {"attribution"})
        text = v.text(f"{w}.text", m.get("text"))
        attribution = v.text(f"{w}.attribution", m.get("attribution"), required=False)
        if text:
            out.append({"text": text, "attribution": attribution})
    return tuple(out)


def links(v: Checks, where: str, value: Any) -> tuple[dict[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        v.fail(f"{where}.links", "expected a list of {label, url}")
        return ()
    out = []
    for i, link in enumerate(value):
        w = f"{where}.links[{i}]"
        m = v.mapping(w, link)
        if m is None or not v.keys(w, m, {"label", "url"}, set()):
            continue
        label, url = m["label"], m["url"]
        if not isinstance(label, str) or not label.strip():
            v.fail(f"{w}.label", "expected a non-empty string")
        elif not isinstance(url, str) or not URL.match(url):
            v.fail(f"{w}.url", f"expected an http:// or https:// address, got {shown(url)}")
        else:
            out.append({"label": label, "url": url})
    return tuple(out)


register(Info())
