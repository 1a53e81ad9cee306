"""``Export``: one object that writes every format of an export (the data formats from
``ExportData``, the workbook, the report and the ZIP from their modules). Pure core.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from .bundle import write_zip
from .data import ExportData
from .report import render_report, write_html
from .xlsx import write_xlsx


class Export(ExportData):
    """The export of one live session, or several of the same programme (pooled), in every
    format (see ``ExportData`` for the arguments)."""

    def write_xlsx(self, out: IO[bytes]) -> None:
        """The workbook (``xlsx.py``)."""
        write_xlsx(self, out)

    def report_html(self) -> str:
        """The printable report as one standalone HTML page (``report.py``)."""
        return render_report(self)

    def write_html(self, out: IO[bytes]) -> None:
        """The report as UTF-8 into ``out``."""
        write_html(self, out)

    def write_zip(
        self, out: IO[bytes], pdf: Callable[[str], Any] | None = None, pdf_missing: str = ""
    ) -> tuple[list[str], str]:
        """Every format in one ZIP (``bundle.write_zip``): returns (the names written, why
        there is no PDF or "")."""
        return write_zip(self, out, pdf, pdf_missing)
