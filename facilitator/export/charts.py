"""The report's SVG charts: horizontal bars, columns (histograms), 100 % stacked bars and dot
plots, drawn as plain SVG (no scripts, no ``<pattern>``: see ``Fills``). Pure core.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

# ---------------------------------------------------------------------------- SVG charts
# Okabe-Ito colours (safe for colour-blind readers); every series also has its own pattern so
# that a black-and-white print tells them apart, and every value is written beside its bar.

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PATTERNS = ("solid", "hatch", "dots", "cross", "lines", "open")
FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"'
_CHAR_W = 6.4  # average width of a character at 11 px, for wrapping labels


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _wrap(text: str, width: int, max_lines: int = 3) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, width - 1)].rstrip() + "\u2026"
    return lines


class Fills:
    """The series fills of one chart: a plain colour, or white with the series' pattern drawn
    as vector marks (diagonal, crossed or horizontal lines, dots on a 6-unit grid aligned to
    the chart, as a ``userSpaceOnUse`` pattern would be), cut to the shape by arithmetic.

    No SVG ``<pattern>``: headless Chromium prints every pattern fill very expensively (in
    the 5,000 x 40 benchmark's report the 66 patterned bars doubled the PDF's size, to 8 MB,
    and took about 2 of its 5 s to print); these marks are a few plain paths."""

    STEP = 6.0
    #: pattern -> (mark stroke width, the line families: "/" x+y = 6k, "\\" x-y = 6k,
    #: "-" y = 6k + 3)
    LINES = {"hatch": (2.0, ("/",)), "cross": (1.2, ("/", "\\")), "lines": (2.0, ("-",))}
    DOT = 1.6

    def __init__(self, chart_id: str):
        self.chart_id = chart_id

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        colour: str,
        pattern: str,
        stroke: str | None = None,
        stroke_width: float = 1.0,
    ) -> str:
        """A rectangle in the series' fill, outlined in ``stroke`` (default: its colour)."""
        edge = stroke or colour
        solid = pattern == "solid"
        out = (
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{colour if solid else "#fff"}" stroke="{edge}" '
            f'stroke-width="{stroke_width:g}"/>'
        )
        if solid:
            return out
        marks = self.marks(x, y, w, h, pattern)
        if not marks:
            return out
        if pattern == "dots":
            return out + f'<path d="{marks}" fill="{colour}"/>'
        width = self.LINES[pattern][0]
        return out + f'<path d="{marks}" fill="none" stroke="{colour}" stroke-width="{width:g}"/>'

    def marks(self, x: float, y: float, w: float, h: float, pattern: str) -> str:
        """The path data of a pattern's marks inside the rectangle (inset by 1, so that a
        line's end stays within the outline)."""
        step = self.STEP
        x0, y0, x1, y1 = x + 1, y + 1, x + w - 1, y + h - 1
        if x1 <= x0 or y1 <= y0:
            return ""
        parts: list[str] = []
        if pattern == "dots":
            r = self.DOT
            cx = math.ceil((x0 + r - 3) / step) * step + 3
            while cx + r <= x1:
                cy = math.ceil((y0 + r - 3) / step) * step + 3
                while cy + r <= y1:
                    parts.append(
                        f"M{cx - r:.1f},{cy:.1f}a{r:g},{r:g} 0 1,0 {2 * r:g},0"
                        f"a{r:g},{r:g} 0 1,0 {-2 * r:g},0"
                    )
                    cy += step
                cx += step
            return "".join(parts)
        for family in self.LINES.get(pattern, (0.0, ()))[1]:
            if family == "-":
                cy = math.ceil((y0 - 3) / step) * step + 3
                while cy <= y1:
                    parts.append(f"M{x0:.1f},{cy:.1f}H{x1:.1f}")
                    cy += step
            elif family == "/":  # x + y = c, from lower left to upper right
                c = math.ceil((x0 + y0) / step) * step
                while c <= x1 + y1:
                    xa, xb = max(x0, c - y1), min(x1, c - y0)
                    if xb > xa:
                        parts.append(f"M{xa:.1f},{c - xa:.1f}L{xb:.1f},{c - xb:.1f}")
                    c += step
            else:  # x - y = c
                c = math.ceil((x0 - y1) / step) * step
                while c <= x1 - y0:
                    xa, xb = max(x0, c + y0), min(x1, c + y1)
                    if xb > xa:
                        parts.append(f"M{xa:.1f},{xa - c:.1f}L{xb:.1f},{xb - c:.1f}")
                    c += step
        return "".join(parts)

    def render(self) -> str:
        return ""


def svg_bars(
    chart_id: str,
    rows: Sequence[dict[str, Any]],
    *,
    title: str,
    maximum: float,
    series: Sequence[tuple[str, str, str]],
    width: int = 680,
) -> str:
    """Horizontal bars: one group per row (``label`` and per series a ``values[i]`` with its
    ``texts[i]``); ``series``: (name, colour, pattern). A legend when there are several."""
    fills = Fills(chart_id)
    label_w, value_w = 240, 96
    bar_w = width - label_w - value_w - 12
    wrap = int(label_w / _CHAR_W)
    bar_h = 16 if len(series) == 1 else 13
    parts: list[str] = []
    y = 6
    if len(series) > 1:
        x = label_w
        for name, colour, pattern in series:
            parts.append(
                fills.rect(x, y, 14, 11, colour, pattern)
                + f'<text x="{x + 19}" y="{y + 10}">{_esc(name)}</text>'
            )
            x += 24 + int(len(name) * _CHAR_W) + 18
        y += 22
    scale = bar_w / maximum if maximum > 0 else 0
    for row in rows:
        lines = _wrap(str(row["label"]), wrap)
        block = max(len(lines) * 13, len(series) * (bar_h + 3)) + 8
        ty = y + 11
        parts.append(
            "".join(
                f'<text x="{label_w - 8}" y="{ty + 13 * k}" text-anchor="end">{_esc(line)}</text>'
                for k, line in enumerate(lines)
            )
        )
        by = y + 1
        for k, (_name, colour, pattern) in enumerate(series):
            v = row["values"][k]
            txt = row["texts"][k]
            if v is not None:
                w = max(0.0, float(v) * scale)
                parts.append(fills.rect(label_w, by, w, bar_h, colour, pattern))
                parts.append(
                    f'<text x="{label_w + w + 5:.1f}" y="{by + bar_h - 4}">{_esc(txt)}</text>'
                )
            else:
                parts.append(
                    f'<text x="{label_w + 5}" y="{by + bar_h - 4}" fill="#555">{_esc(txt)}</text>'
                )
            by += bar_h + 3
        y += block
    parts.insert(
        0,
        f'<line x1="{label_w}" y1="{28 if len(series) > 1 else 4}" x2="{label_w}" '
        f'y2="{y}" stroke="#333" stroke-width="1"/>',
    )
    return _svg(chart_id, width, y + 6, title, fills, parts)


def svg_columns(
    chart_id: str,
    columns: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    series: Sequence[tuple[str, str, str]],
    markers: Sequence[tuple[str, float]] = (),
    ends: tuple[str, str] = ("", ""),
    width: int = 680,
) -> str:
    """Vertical columns (a histogram): ``columns`` = (x label, counts per series); ``markers``
    (name, x position as a fractional column index) draw a dashed line (mean, median)."""
    fills = Fills(chart_id)
    left, right = 34, 10
    legend_h = 22 if len(series) > 1 else 0
    top = legend_h + 14 * len(markers) + 12  # marker labels sit in a band above the plot
    plot_h = 150
    n = max(1, len(columns))
    slot = (width - left - right) / n
    peak = max([v or 0 for _x, vs in columns for v in vs] + [1])
    parts: list[str] = []
    if len(series) > 1:
        x = left
        for name, colour, pattern in series:
            parts.append(
                fills.rect(x, 6, 14, 11, colour, pattern)
                + f'<text x="{x + 19}" y="16">{_esc(name)}</text>'
            )
            x += 24 + int(len(name) * _CHAR_W) + 18
    base = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#333"/>')
    every = max(1, round(n / 20))
    inner = slot * 0.8 / len(series)
    for i, (xl, values) in enumerate(columns):
        x0 = left + i * slot + slot * 0.1
        for k, (_name, colour, pattern) in enumerate(series):
            v = values[k] or 0
            h = plot_h * v / peak
            parts.append(fills.rect(x0 + k * inner, base - h, inner - 1, h, colour, pattern))
            if n <= 21:
                parts.append(
                    f'<text x="{x0 + k * inner + inner / 2:.1f}" '
                    f'y="{base - h - 3:.1f}" text-anchor="middle" font-size="10">'
                    f"{int(v)}</text>"
                )
        if i % every == 0:
            parts.append(
                f'<text x="{left + i * slot + slot / 2:.1f}" y="{base + 14}" '
                f'text-anchor="middle">{_esc(xl)}</text>'
            )
    for k, (name, pos) in enumerate(markers):
        mx = left + (pos + 0.5) * slot
        ly = legend_h + 12 + 14 * k
        dash = "5,3" if k else "2,2"
        anchor = "end" if mx > width * 0.7 else "start"
        tx = mx - 3 if anchor == "end" else mx + 3
        parts.append(
            f'<line x1="{mx:.1f}" y1="{ly - 9}" x2="{mx:.1f}" y2="{base}" '
            f'stroke="#000" stroke-width="1.5" stroke-dasharray="{dash}"/>'
            f'<text x="{tx:.1f}" y="{ly}" font-size="10" text-anchor="{anchor}">'
            f"{_esc(name)}</text>"
        )
    y = base + 30
    if any(ends):
        parts.append(
            f'<text x="{left}" y="{y - 2}" fill="#333">{_esc(ends[0])}</text>'
            f'<text x="{width - right}" y="{y - 2}" text-anchor="end" fill="#333">'
            f"{_esc(ends[1])}</text>"
        )
        y += 8
    return _svg(chart_id, width, y, title, fills, parts)


def svg_stacked(
    chart_id: str,
    rows: Sequence[tuple[str, Sequence[tuple[float, str]]]],
    *,
    title: str,
    series: Sequence[tuple[str, str, str]],
    width: int = 680,
) -> str:
    """100 % stacked bars: per row (label, [(percent, text) per series])."""
    fills = Fills(chart_id)
    label_w = 200
    bar_w = width - label_w - 12
    wrap = int(label_w / _CHAR_W)
    parts: list[str] = []
    x, y = 8, 6
    for name, colour, pattern in series:
        item_w = 24 + int(len(name) * _CHAR_W) + 16
        if x + item_w > width:
            x, y = 8, y + 18
        parts.append(
            fills.rect(x, y, 14, 11, colour, pattern)
            + f'<text x="{x + 19}" y="{y + 10}">{_esc(name)}</text>'
        )
        x += item_w
    y += 24
    for label, values in rows:
        lines = _wrap(label, wrap)
        block = max(len(lines) * 13, 22) + 8
        parts.append(
            "".join(
                f'<text x="{label_w - 8}" y="{y + 12 + 13 * k}" '
                f'text-anchor="end">{_esc(line)}</text>'
                for k, line in enumerate(lines)
            )
        )
        x0 = float(label_w)
        for k, (value, text) in enumerate(values):
            _name, colour, pattern = series[k]
            w = bar_w * (value or 0) / 100
            if w <= 0:
                continue
            parts.append(fills.rect(x0, y + 1, w, 20, colour, pattern, "#333", 0.6))
            if w > 34:
                dark = pattern == "solid" and colour in (
                    "#0072B2",
                    "#000000",
                    "#009E73",
                    "#D55E00",
                    "#CC79A7",
                )
                halo = "" if dark else ' stroke="#fff" stroke-width="2.5" paint-order="stroke"'
                ink = "#fff" if dark else "#000"
                parts.append(
                    f'<text x="{x0 + w / 2:.1f}" y="{y + 15}" text-anchor="middle" '
                    f'font-size="10" fill="{ink}"{halo}>{_esc(text)}</text>'
                )
            x0 += w
        y += block
    return _svg(chart_id, width, y + 4, title, fills, parts)


def svg_dots(
    chart_id: str,
    rows: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    lo: float,
    hi: float,
    ends: tuple[str, str] = ("", ""),
    width: int = 680,
) -> str:
    """A dot plot on an axis lo..hi (mean ranks): per row (label, value, text)."""
    fills = Fills(chart_id)
    label_w, value_w = 240, 90
    axis_w = width - label_w - value_w - 20
    wrap = int(label_w / _CHAR_W)
    parts: list[str] = []
    y = 26
    span = (hi - lo) or 1

    def xpos(v: float) -> float:
        return label_w + 10 + axis_w * (v - lo) / span

    for tick in range(int(lo), int(hi) + 1):
        parts.append(f'<text x="{xpos(tick):.1f}" y="14" text-anchor="middle">{tick}</text>')
    start = y
    for label, value, text in rows:
        lines = _wrap(label, wrap)
        block = max(len(lines) * 13, 18) + 8
        parts.append(
            "".join(
                f'<text x="{label_w - 8}" y="{y + 12 + 13 * k}" '
                f'text-anchor="end">{_esc(line)}</text>'
                for k, line in enumerate(lines)
            )
        )
        parts.append(
            f'<line x1="{xpos(lo):.1f}" y1="{y + 8}" x2="{xpos(hi):.1f}" '
            f'y2="{y + 8}" stroke="#bbb" stroke-dasharray="2,3"/>'
        )
        if value is not None:
            parts.append(
                f'<circle cx="{xpos(value):.1f}" cy="{y + 8}" r="6" fill="{PALETTE[0]}" '
                'stroke="#000"/>'
            )
        parts.append(f'<text x="{width - value_w}" y="{y + 12}">{_esc(text)}</text>')
        y += block
    for tick in range(int(lo), int(hi) + 1):
        parts.insert(
            0,
            f'<line x1="{xpos(tick):.1f}" y1="18" x2="{xpos(tick):.1f}" '
            f'y2="{y}" stroke="#e3e3e3"/>',
        )
    if any(ends):
        parts.append(
            f'<text x="{xpos(lo):.1f}" y="{y + 12}" fill="#333">{_esc(ends[0])}</text>'
            f'<text x="{xpos(hi):.1f}" y="{y + 12}" text-anchor="end" fill="#333">'
            f"{_esc(ends[1])}</text>"
        )
        y += 16
    del start
    return _svg(chart_id, width, y + 4, title, fills, parts)


def _svg(
    chart_id: str, width: int, height: float, title: str, fills: Fills, parts: Iterable[str]
) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" id="{chart_id}" '
        f'viewBox="0 0 {width} {height:.0f}" width="{width}" height="{height:.0f}" '
        f'role="img" aria-labelledby="{chart_id}-t" {FONT} font-size="11">'
        f'<title id="{chart_id}-t">{_esc(title)}</title>{fills.render()}'
        f"{''.join(parts)}</svg>"
    )
