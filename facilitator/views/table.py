"""The screen of one dialogue table (``/table/<code>/<n>?key=...``): a tablet or phone on the
table shows the table's result beside the room's, how many of the table are connected and
answered, and for a per-table activity the table's own report. Read-only. Its key opens that
table's screen and no other (``live.screen_key``); the page refreshes its data from
``state.json`` with the same key."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from .. import live
from ..i18n import use_language
from ..qr import qr_svg
from . import error_page, get_live, key_matches

bp = Blueprint("table", __name__)


def _table(code: str, n: int) -> live.LiveState:
    """The live session, when ``key`` is this table's key; else 404 or 403."""
    current = get_live(code)
    key = request.args.get("key", "")
    if not 1 <= n <= current.tables:
        abort(make_response(error_page(404, _("This session has no table %(number)s.", number=n))))
    if not key or not key_matches(key, [live.screen_key(current, n)]):
        abort(make_response(error_page(403, _("This table link is not valid."))))
    return current


def table_url(current: live.LiveState, n: int) -> str:
    """The address of a table's screen, with its key."""
    base = live.links(current).participant_url.split("/j/")[0]
    return base + url_for("table.page", code=current.code, n=n, key=live.screen_key(current, n))


@bp.get("/table/<code>/<int:n>")
def page(code: str, n: int) -> str:
    """The table's screen, in the live session's language (a screen the table shares, like
    the projector; the page reloads itself when that language changes)."""
    current = _table(code, n)
    use_language(current.lang)
    return render_template(
        "table/live.html",
        code=current.code,
        table=n,
        key=request.args.get("key", ""),
        state=live.table_snapshot(current, n),
        join_url=f"{live.links(current).participant_url}?t={n}",
    )


@bp.get("/table/<code>/<int:n>/state.json")
def state(code: str, n: int) -> Response:
    current = _table(code, n)
    resp = jsonify(live.table_snapshot(live.get(current.code), n))
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/table/<code>/<int:n>/qr.svg")
def qr(code: str, n: int) -> Response:
    """The QR code of the table's screen (printed on the table's card)."""
    current = _table(code, n)
    resp = Response(qr_svg(table_url(current, n)), mimetype="image/svg+xml")
    resp.headers["Cache-Control"] = "no-store"
    return resp
