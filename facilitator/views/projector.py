"""The projector screen (read-only) and the participant link's QR code."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import live
from ..qr import qr_svg
from . import error_page, grant, key_matches

bp = Blueprint("projector", __name__)


@bp.get("/projector/<code>")
def page(code: str):  # type: ignore[no-untyped-def]
    current = live.find(code)
    if current is None:
        return error_page(404, _("There is no session with code %(code)s.", code=code[:12]))
    key = request.args.get("key")
    if key is not None:
        if not key_matches(key, [current.projector_key, current.control_key]):
            return error_page(403, _("This projector link is not valid."))
        grant("projector", current.code)
        return redirect(url_for("projector.page", code=current.code))
    if not (session.get("facilitator") or current.code in session.get("projector", [])
            or current.code in session.get("control", [])):
        return error_page(403, _("Open the projector link of this session."))
    return render_template("projector/live.html", code=current.code,
                           state=live.projector_snapshot(current))


@bp.get("/projector/<code>/qr.svg")
def qr(code: str) -> Response:
    current = live.find(code)
    if current is None:
        return Response("unknown code", status=404, mimetype="text/plain")
    url = live.links(current).participant_url
    table = request.args.get("t", "")
    if table.isdigit() and 1 <= int(table) <= current.tables:
        url += f"?t={int(table)}"
    svg = qr_svg(url)
    resp = Response(svg, mimetype="image/svg+xml")
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp
