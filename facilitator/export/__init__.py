"""Exports after the session: tidy CSV, codebook, XLSX, JSON, a printable HTML report, its PDF
and a ZIP of them all (docs/export.md documents the formats).

One job per module; the imports run one way, from the top of this list to the bottom:

- ``service``: gathers a live session from the database and writes the format asked for (the
  command line, and the child process of ``job``). Not pure.
- ``job``: the control screen's downloads, built in a child process
  (``python -m facilitator.export.job``) so that the server keeps serving. Not pure.
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
This package module imports nothing, so that ``job`` starts without the others.
"""
