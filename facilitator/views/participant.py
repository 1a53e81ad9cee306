"""The participant (phone) screen: find a live session by code, join it, answer."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import live, store
from ..live import LiveError
from . import rate_limited, too_many

bp = Blueprint("participant", __name__)


@bp.get("/")
def home() -> str:
    return render_template("home.html", error=None, code="",
                           facilitator=bool(session.get("facilitator")))


@bp.get("/join")
def join_form():  # type: ignore[no-untyped-def]
    raw = request.args.get("code", "")
    code = store.normalise_code(raw)
    if not code:
        return render_template("home.html", error=_("Type the code shown on the screen."),
                               code="", facilitator=bool(session.get("facilitator"))), 400
    if live.find(code) is None:
        return render_template(
            "home.html", code=raw[:20], facilitator=bool(session.get("facilitator")),
            error=_("There is no session with code %(code)s. Check the code on the screen.",
                    code=code[:12])), 404
    return redirect(url_for("participant.page", code=code))


@bp.get("/j/<code>")
def page(code: str):  # type: ignore[no-untyped-def]
    current = live.find(code)
    if current is None:
        return render_template(
            "home.html", code=code[:20], facilitator=bool(session.get("facilitator")),
            error=_("There is no session with code %(code)s. Check the code on the screen.",
                    code=store.normalise_code(code)[:12])), 404
    table = request.args.get("t")
    if current.code != code:
        return redirect(url_for("participant.page", code=current.code, t=table))
    tokens = dict(session.get("p", {}))
    pid = live.participant_for(current, tokens.get(current.code))
    if pid is None and rate_limited("join"):
        return too_many(_("Too many people joined from this network in a short time. Wait a "
                          "moment and reload the page."))
    try:
        if pid is None:
            current, pid, token = live.join(current.code, table)
            tokens[current.code] = token
            session["p"] = tokens
            session.permanent = True
        elif table:
            live.set_table(current, pid, {"table": table})  # scanned another table's code
    except LiveError as exc:
        if exc.code == "bad_payload":
            message = _("This table code is not valid. Scan the code on your table again, or "
                        "ask the facilitator.")
            return render_template("errors/error.html", status=400, message=message), 400
        message = (_("Joining this session is closed.") if exc.code == "locked"
                   else _("This session has ended."))
        return render_template("errors/error.html", status=403, message=message), 403
    if table:
        # the table is remembered; keep the address without it, as after a plain join
        return redirect(url_for("participant.page", code=current.code))
    state = live.participant_snapshot(current, pid)
    return render_template("participant/live.html", code=current.code, state=state,
                           free_text_warning=current.programme.free_text_warning)


@bp.post("/api/join/<code>")
def api_join(code: str):  # type: ignore[no-untyped-def]
    """For non-browser clients: a participant token to pass as auth.token at connect."""
    if rate_limited("join"):
        return jsonify({"ok": False, "error": {"code": "rate_limited", "message":
                        "too many joins from this address; retry later"}}), 429, \
            {"Retry-After": "30"}
    try:
        current, _pid, token = live.join(code, request.args.get("t"))
    except LiveError as exc:
        status = {"unknown_code": 404, "bad_payload": 400}.get(exc.code, 403)
        return jsonify({"ok": False, "error": {"code": exc.code, "message": exc.message}}), status
    return jsonify({"ok": True, "code": current.code, "token": token})
