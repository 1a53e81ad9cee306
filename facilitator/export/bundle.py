"""The ZIP of every format: the report (HTML, and PDF when it could be printed), both CSV
variants, the codebook, the workbook, the JSON document and a README, each streamed into its
entry one after the other. Pure core (the PDF is printed by a job passed in).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO, Any

from .common import SCHEMA_VERSION, fast_deflate, iso, pick, zip_time
from .data import CsvSink, ExportData
from .report import render_report
from .xlsx import XlsxStream


def write_zip(
    exp: ExportData, out: IO[bytes], pdf: Callable[[str], Any] | None = None, pdf_missing: str = ""
) -> tuple[list[str], str]:
    """Every format in one ZIP, one after the other (each streamed into its entry).

    ``pdf(html)`` starts printing the report and returns a job with ``wait()`` (the PDF's
    path) and ``close()``; the other files are written while it prints. Without it, or
    when it fails, the ZIP's README says why there is no PDF. Returns (the names written,
    that reason or "")."""
    base = exp.basename()
    names: list[str] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:

        def entry(name: str, stored: bool = False, fast: bool = False) -> IO[bytes]:
            info = zipfile.ZipInfo(f"{base}/{name}", zip_time(exp.exported_at))
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            if fast:
                fast_deflate(info)
            info.external_attr = 0o644 << 16
            names.append(info.filename)
            return zf.open(info, "w")

        report = render_report(exp)
        job, pdf_note = None, ""
        if pdf is not None:
            try:
                job = pdf(report)
            except Exception as exc:  # the data matter more than the PDF: keep going
                pdf_note = f"The PDF report could not be made: {exc}"
        else:
            pdf_note = pdf_missing or "The PDF report was not made (no PDF engine)."
        try:
            with entry("report.html") as f:
                f.write(report.encode("utf-8"))
            del report
            # one pass over the tidy rows feeds both CSV files and the workbook's
            # "Responses" sheet; the semicolon CSV and the workbook wait in temporary
            # files for their turn in the ZIP (one entry is written at a time)
            with (
                tempfile.SpooledTemporaryFile(8 << 20) as semicolon,
                tempfile.TemporaryFile() as workbook,
            ):
                book = XlsxStream(exp, workbook)
                with entry("responses.csv", fast=True) as f:
                    sink = CsvSink(exp, [(f, ","), (semicolon, ";")])
                    for batch in exp.tidy_batches():
                        sink.rows(batch)
                        book.rows(batch)
                book.close()
                semicolon.seek(0)
                with entry("responses_semicolon.csv", fast=True) as f:
                    shutil.copyfileobj(semicolon, f, 1 << 20)
                with entry("codebook.csv") as f:
                    exp.write_codebook(f)
                workbook.seek(0)
                with entry(f"{base}.xlsx", stored=True) as f:
                    shutil.copyfileobj(workbook, f, 1 << 20)
            with entry(f"{base}.json", fast=True) as f:
                exp.write_json(f)
            if job is not None:
                try:
                    printed = job.wait()
                except Exception as exc:
                    pdf_note = f"The PDF report could not be made: {exc}"
                else:
                    with entry("report.pdf", stored=True) as f, open(printed, "rb") as pf:
                        shutil.copyfileobj(pf, f, 1 << 20)
        finally:
            if job is not None:
                job.close()
        with entry("README.txt") as f:
            f.write(readme(exp, names, pdf_note).encode("utf-8"))
    return names, pdf_note


def readme(exp: ExportData, names: list[str], pdf_note: str = "") -> str:
    """The ZIP's README.txt: what each file is, and why there is no PDF if there is none."""
    p = exp.programme
    lines = [
        f"Dialoogtafel export of {pick(p.title, exp.lang)}",
        f"programme {p.id} version {p.version}; live session(s) {', '.join(exp.codes)}",
        f"exported {iso(exp.exported_at)} (UTC); schema_version {SCHEMA_VERSION}",
        "",
    ]
    if exp.interim:
        lines += [
            "INTERIM: a live session was still running (an activity was open for "
            "answers) when this was exported. Numbers may still change.",
            "",
        ]
    lines += [
        "Files:",
        "  report.html, report.pdf       the printable report (what the projector showed)",
        "  responses.csv                 tidy responses, one row per answer (UTF-8, comma)",
        "  responses_semicolon.csv       the same with ';' for Excel in Flemish/Dutch settings",
        "  codebook.csv                  every column, activity, option and label",
        "  *.xlsx                        summary, one sheet per activity, responses, codebook",
        "  *.json                        everything, machine-readable (docs/export.md)",
        "",
        f"Breakdowns by segment or table hide groups of fewer than {exp.threshold} "
        "respondents. The tidy responses keep every answer: share them with care.",
    ]
    if pdf_note:
        lines += ["", pdf_note]
    return "\n".join(lines) + "\n"
