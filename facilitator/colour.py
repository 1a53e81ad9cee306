"""Colour contrast (WCAG 2.x), for a programme's accent colour on the screens.

Pure core: no imports beyond the standard library. A programme may set any accent colour; the
screens use it as it is only for decoration (a band, borders: WCAG asks no contrast of those),
and for text only in a version that has at least 4.5:1 against the background it is drawn on:
the accent itself when it already has, otherwise the accent mixed step by step towards black
(on a light background) or white (on a dark one), which keeps its hue recognisable.
"""

from __future__ import annotations

import re

_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")

#: WCAG AA for normal text, and for large text and graphics
AA_TEXT = 4.5
AA_LARGE = 3.0


def rgb(colour: str) -> tuple[int, int, int]:
    m = _HEX.match(colour)
    if not m:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    h = m.group(1)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def hex_colour(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in (r, g, b))


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.x definition), 0 for black to 1 for white."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """Contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(colour: str, other: str, t: float) -> str:
    """``colour`` moved a fraction ``t`` (0..1) of the way to ``other``."""
    (r1, g1, b1), (r2, g2, b2) = rgb(colour), rgb(other)
    return hex_colour(r1 + (r2 - r1) * t, g1 + (g2 - g1) * t, b1 + (b2 - b1) * t)


def readable(colour: str, background: str, minimum: float = AA_TEXT) -> str:
    """``colour`` itself if it has ``minimum`` contrast on ``background``; else the first mix
    towards black or white (whichever the background is further from) that has it."""
    colour = colour.lower()
    if contrast(colour, background) >= minimum:
        return colour
    target = "#000000" if luminance(background) > 0.18 else "#ffffff"
    for step in range(1, 21):
        candidate = mix(colour, target, step / 20)
        if contrast(candidate, background) >= minimum:
            return candidate
    return target
