"""The programme editor: programmes made and changed in the browser (issue 15).

- ``programmes``: the use cases (list, load, save with a version check, history, diff,
  restore, upload, duplicate, delete), on the programmes folder; no Flask.
- ``yamlio``: reading YAML safely (size, nesting, anchors, tags) and writing it back
  round-trip (comments and key order kept where nothing changed).
- ``preview``: the activity being edited, drawn by the real screens with sample answers.

The browser's forms are built from the programme format's JSON Schema that
``facilitator.schema`` generates from the kinds (``/programme.schema.json``).

Validation is never done here: every check is ``facilitator.programme.parse_programme``, the
code behind ``flask --app app programmes check``.
"""
