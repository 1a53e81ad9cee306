"""Exports after the session: tidy CSV, codebook, XLSX, JSON, a printable HTML report, its PDF
and a ZIP of them all (docs/export.md documents the formats).

One job per module; the imports run one way, from the top of this list to the bottom. Nothing
here reads the database: ``facilitator/export_service.py`` gathers a live session's rows, and
``facilitator/export_job.py`` builds a download in a child process of the server.

- ``formats``: ``Export``, the one object that writes every format.
- ``bundle``: the ZIP of every format.
- ``xlsx``: the workbook (summary, one sheet per activity, responses, codebook).
- ``report``: the printable HTML report (``templates/export/report.html``).
- ``data``: ``Export``, the prepared data: activity results, tidy rows, CSV, codebook, JSON.
- ``charts``: the report's SVG charts.
- ``pdf``: printing the report with headless Chromium.
- ``common``: what they all share (formats, input rows, errors, number and text formats).

What differs between activity kinds is asked of the kind (``kinds.of(activity)``, the
``# -- exports`` methods of ``kinds.base.Kind``): no module here knows a kind's name.
This package module imports nothing, so that ``export_job`` starts without the others.
"""
