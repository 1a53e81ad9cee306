"""What a kind's export methods (the ``# -- exports`` block of ``Kind``) are given and give back.

Pure core: typing only. The export package (``facilitator/export/``) implements the two
protocols: ``Sheet`` is one worksheet of the XLSX workbook (``export/xlsx.py``), ``Report`` the
report's language, number formats and SVG charts for one activity (``export/report.py``). So a
kind never imports XlsxWriter, Jinja2 or the export package; it writes through these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

#: the answer cells of one tidy row (CSV, XLSX "Responses"), in the order of the columns
#: item, option, rank, rating, value, text, status, votes
Cells = tuple[Any, Any, Any, Any, Any, Any, Any, Any]

#: one codebook entry besides the activity's options, items and ratings:
#: (entry, id, label as a programme text, description)
CodebookEntry = tuple[str, str, Any, str]

#: a chart series of the report: (its name in the legend, its style: 0 is the room's own colour
#: and pattern, 1 the comparison's (a reference, "before"), 2... further series)
Series = tuple[str, int]


@dataclass(frozen=True)
class WordMarks:
    """The facilitator's word moderation of one activity over the exported live sessions."""

    hidden: frozenset[str] = frozenset()
    #: approved and not hidden
    approved: frozenset[str] = frozenset()


class Chart(Protocol):
    """A native XLSX chart (XlsxWriter's ``Chart``); the options are XlsxWriter's."""

    def add_series(self, options: dict[str, Any]) -> None: ...

    def set_title(self, options: dict[str, Any]) -> None: ...

    def set_x_axis(self, options: dict[str, Any]) -> None: ...

    def set_y_axis(self, options: dict[str, Any]) -> None: ...

    def set_size(self, options: dict[str, Any]) -> None: ...

    def set_legend(self, options: dict[str, Any]) -> None: ...


class Sheet(Protocol):
    """One worksheet of the XLSX export, written from top to bottom with a row cursor. A text
    never becomes a formula. Styles: "title", "bold", "head", "wrap", "pct", "num", "muted",
    "interim", "link"."""

    #: the export's language (labels are picked in it)
    lang: str
    #: the next row ``line`` writes
    row: int

    def line(self, values: Sequence[Any], style: str | None = None, col: int = 0) -> int:
        """Write ``values`` from column ``col`` of the next row; returns that row."""
        ...

    def put(self, row: int, col: int, value: Any, style: str | None = None) -> None:
        """Write one cell (None: blank)."""
        ...

    def skip(self, n: int = 1) -> None:
        """Leave ``n`` rows empty."""
        ...

    def set_column(self, first: int, last: int, width: float, style: str | None = None) -> None:
        """The width (and style) of columns ``first``..``last``."""
        ...

    def pick(self, text: Any) -> str:
        """A programme text in the export's language."""
        ...

    def colour(self, index: int) -> str:
        """The export palette's colour ``index`` (modulo its length), as ``#RRGGBB``."""
        ...

    def chart(self, kind: str, subtype: str | None = None) -> Chart:
        """A new chart of XlsxWriter's type ``kind`` (legend at the bottom, the house style)."""
        ...

    def cells(self, first_row: int, first_col: int, last_row: int, last_col: int) -> list[Any]:
        """A range of this sheet, for a chart series' ``categories`` or ``values``."""
        ...

    def insert_chart(self, row: int, col: int, chart: Chart) -> None:
        """Place ``chart`` with its top left corner at (``row``, ``col``)."""
        ...


class Report(Protocol):
    """The printable report, for one activity's block: its language, number formats and SVG
    charts (titled with the activity's text). Chart functions return markup that is safe to
    put in the page as is."""

    lang: str
    #: several live sessions are reported together
    pooled: bool

    def gettext(self, message: str, **variables: Any) -> str:
        """The report's own strings in its language; always %-formatted (a literal % is %%)."""
        ...

    def pick(self, text: Any) -> str:
        """A programme text in the report's language."""
        ...

    def number(self, value: float | None, digits: int = 1) -> str:
        """A number as the screens write it (decimal comma in Dutch; None: a dash)."""
        ...

    def pct(self, value: float | None) -> str:
        """A percentage as the screens write it."""
        ...

    def bars(
        self, rows: Sequence[dict[str, Any]], *, maximum: float, series: Sequence[Series]
    ) -> str:
        """Horizontal bars: per row ``label``, ``values[i]`` and ``texts[i]`` per series."""
        ...

    def columns(
        self,
        columns: Sequence[tuple[str, Sequence[float | None]]],
        *,
        series: Sequence[Series],
        markers: Sequence[tuple[str, float]] = (),
        ends: tuple[str, str] = ("", ""),
    ) -> str:
        """Vertical columns (a histogram) with dashed markers at fractional column positions."""
        ...

    def stacked(
        self, rows: Sequence[tuple[str, Sequence[tuple[float, str]]]], *, series: Sequence[Series]
    ) -> str:
        """100 % stacked bars: per row (label, [(percent, text) per series])."""
        ...

    def dots(
        self,
        rows: Sequence[tuple[str, float | None, str]],
        *,
        lo: float,
        hi: float,
        ends: tuple[str, str] = ("", ""),
    ) -> str:
        """A dot plot on the axis ``lo``..``hi``: per row (label, value, text)."""
        ...
