"""The projector screen (read-only), the participant link's QR code and the programme's logo."""

from __future__ import annotations

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from .. import live
from ..i18n import use_language
from ..programme import THEMES
from ..qr import qr_svg
from . import get_live
from .branding import brand_css, logo_url, projector_theme

bp = Blueprint("projector", __name__)


@bp.get("/projector/<code>")
def page(code: str):  # type: ignore[no-untyped-def]
    key = request.args.get("key")
    current = get_live(code, "projector", key=key)
    if key is not None:  # a projector link: remembered, then the address without its key
        theme = request.args.get("theme")
        return redirect(
            url_for("projector.page", code=current.code, theme=theme if theme in THEMES else None)
        )
    use_language(current.lang)
    branding = current.programme.branding
    g.frame_ancestors = "'self'"  # the control screen shows it as a preview
    return render_template(
        "projector/live.html",
        code=current.code,
        state=live.projector_snapshot(current),
        theme=projector_theme(branding),
        brand_css=brand_css(branding),
        logo=logo_url(current.code, branding),
    )


@bp.get("/projector/<code>/logo")
def logo(code: str) -> WerkzeugResponse:
    """The programme's logo, from the live session's own copy of the programme. Only image
    types get here (the programme check allows png, svg, jpeg and webp, checked by content);
    an SVG opened on its own is sandboxed: no scripts, nothing loaded."""
    current = get_live(
        code, missing=lambda _code: Response("no logo", status=404, mimetype="text/plain")
    )
    branding = current.programme.branding
    if branding is None or not branding.logo_data or not branding.logo_type:
        return Response("no logo", status=404, mimetype="text/plain")
    resp = Response(branding.logo_bytes, mimetype=branding.logo_type)
    resp.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'none'; sandbox"
    )
    resp.headers["Content-Disposition"] = "inline"
    resp.headers["Cache-Control"] = "public, max-age=86400"
    resp.set_etag(branding.logo_sha256 or "")
    return resp.make_conditional(request)


@bp.get("/projector/<code>/qr.svg")
def qr(code: str) -> Response:
    current = get_live(
        code, missing=lambda _code: Response("unknown code", status=404, mimetype="text/plain")
    )
    url = live.links(current).participant_url
    table = request.args.get("t", "")
    if table.isdigit() and 1 <= int(table) <= current.tables:
        url += f"?t={int(table)}"
    svg = qr_svg(url)
    resp = Response(svg, mimetype="image/svg+xml")
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


@bp.get("/projector/<code>/link/<activity_id>/<int:index>/qr.svg")
def link_qr(code: str, activity_id: str, index: int) -> Response:
    """A QR code of a slide's link (the programme's `links`), so the room can scan it from the
    wall. Only the programme's own addresses: nothing else can be made into a code here."""
    current = get_live(
        code, missing=lambda _code: Response("unknown code", status=404, mimetype="text/plain")
    )
    activity = current.programme.activity(activity_id)
    links = activity.links if activity is not None else ()
    if not 0 <= index < len(links):
        return Response("no such link", status=404, mimetype="text/plain")
    resp = Response(qr_svg(links[index]["url"]), mimetype="image/svg+xml")
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp
