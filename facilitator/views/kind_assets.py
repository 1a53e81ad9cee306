"""The files of kinds from outside the package (``DIALOOGTAFEL_KINDS``; see facilitator.kinds).

A built-in kind's phone module is ``static/js/kinds/<name>.js`` and its no-JavaScript form
``templates/kinds/<name>.html``. A kind whose ``Kind.assets`` names a folder keeps both there:
the app renders ``kinds/<name>.html`` from that folder and serves ``/static/js/kinds/<name>.js``
from it, so the screens' registry (static/js/kinds/index.js) loads it by name like any other.
Nothing is added when every kind is built in.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, abort, send_from_directory
from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader

from .. import kinds


def init_app(app: Flask) -> None:
    folders: dict[str, Path] = {k.name: Path(k.assets) for k in kinds.registered() if k.assets}
    if not folders:
        return
    loaders: list[BaseLoader] = [
        PrefixLoader({"kinds": FileSystemLoader([str(f) for f in folders.values()])})
    ]
    if app.jinja_loader is not None:
        loaders.insert(0, app.jinja_loader)
    app.jinja_loader = ChoiceLoader(loaders)  # type: ignore[assignment]

    def kind_module(name: str) -> Response:
        folder = folders.get(name)
        if folder is None:  # a built-in kind: the static file, as before
            return app.send_static_file(f"js/kinds/{name}.js")
        if not (folder / f"{name}.js").is_file():
            abort(404)
        return send_from_directory(folder, f"{name}.js", mimetype="text/javascript")

    # more specific than /static/<path:filename>, so it is matched first
    app.add_url_rule("/static/js/kinds/<name>.js", "kind_module", kind_module)
