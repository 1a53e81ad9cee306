"""The participant (phone) screen: find a live session by code, join it, answer.

The phone's page is complete without its script: it is rendered with the activity on screen and
its answer form, so that on a slow network a phone can answer as soon as the page itself has
arrived. ``POST /j/<code>/answer`` stores a form's answer through the same use case as the
Socket.IO ``respond`` (``live.respond``, with a client id, so a resent form counts once) and
redirects back to the page, which then shows the answer as saved. Once the page's module has
loaded, it takes over the screen and answers over Socket.IO (static/js/participant.js).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

from flask import (
    Blueprint,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from .. import kinds, live, schema
from ..editor.preview import PREVIEW_FILE
from ..kinds import FormError
from ..live import LiveError
from ..programme import Activity
from . import (
    check_csrf,
    csrf_token,
    get_live,
    is_facilitator,
    participant_id,
    rate_limited,
    too_many,
)
from .branding import brand_css, logo_url
from .inline import stylesheet

bp = Blueprint("participant", __name__)


@bp.get("/")
def home() -> str:
    return render_template("home.html", error=None, code="", facilitator=is_facilitator())


def unknown_code(code: str):  # type: ignore[no-untyped-def]
    """The start page again, with the code as typed and what was wrong (404)."""
    return render_template(
        "home.html",
        code=code[:20],
        facilitator=is_facilitator(),
        error=_(
            "There is no session with code %(code)s. Check the code on the screen.",
            code=live.normalise_code(code)[:12],
        ),
    ), 404


@bp.get("/join")
def join_form():  # type: ignore[no-untyped-def]
    raw = request.args.get("code", "")
    code = live.normalise_code(raw)
    if not code:
        return render_template(
            "home.html",
            error=_("Type the code shown on the screen."),
            code="",
            facilitator=is_facilitator(),
        ), 400
    get_live(code, missing=lambda _code: unknown_code(raw))
    return redirect(url_for("participant.page", code=code))


@bp.get("/j/<code>")
def page(code: str):  # type: ignore[no-untyped-def]
    current = get_live(code, missing=unknown_code)
    table = request.args.get("t")
    if current.code != code:
        return redirect(url_for("participant.page", code=current.code, t=table))
    pid = participant_id(current)
    if pid is None and rate_limited("join"):
        return too_many(
            _(
                "Too many people joined from this network in a short time. Wait a "
                "moment and reload the page."
            )
        )
    try:
        if pid is None:
            current, pid, token = live.join(current.code, table)
            session["p"] = {**session.get("p", {}), current.code: token}
            session.permanent = True
        elif table:
            live.set_table(current, pid, {"table": table})  # scanned another table's code
    except LiveError as exc:
        if exc.code == "bad_payload":
            message = _(
                "This table code is not valid. Scan the code on your table again, or "
                "ask the facilitator."
            )
            return render_template("errors/error.html", status=400, message=message), 400
        message = (
            _("Joining this session is closed.")
            if exc.code == "locked"
            else _("This session has ended.")
        )
        return render_template("errors/error.html", status=403, message=message), 403
    if table:
        # the table is remembered; keep the address without it, as after a plain join
        return redirect(url_for("participant.page", code=current.code))
    state = live.participant_snapshot(current, pid)
    error = session.pop("answer_error", None)
    if not (isinstance(error, list) and len(error) == 2 and error[1] in FORM_ERRORS):
        error = None
    branding = current.programme.branding
    if current.programme_file == PREVIEW_FILE:
        g.frame_ancestors = "'self'"  # the programme editor shows it as its phone preview
    return render_template(
        "participant/live.html",
        code=current.code,
        state=state,
        free_text_warning=current.programme.free_text_warning,
        first=first_paint(state),
        kind=kinds.get,
        css=stylesheet("base.css", "participant.css") + brand_css(branding),
        brand=bool(brand_css(branding)),
        logo=logo_url(current.code, branding, phone=True),
        form={
            "csrf": csrf_token(),
            "nonce": secrets.token_urlsafe(12),
            "error": error,
            "action": url_for("participant.answer", code=current.code),
        },
    )


#: errors a form answer can show on the page (the ``err_*`` strings of the page)
FORM_ERRORS = frozenset(
    {
        "closed",
        "invalid_response",
        "unknown_activity",
        "not_answerable",
        "bad_payload",
        "empty",
        "ranking_places",
        "form_rate_limited",
        "limit_reached",
    }
)
_NONCE = re.compile(r"^[A-Za-z0-9_-]{8,24}$")


@bp.post("/j/<code>/answer")
def answer(code: str):  # type: ignore[no-untyped-def]
    """An answer sent by the page's form (no script yet, or none at all): stored like a
    Socket.IO ``respond`` (or ``ask`` for a Q&A), then back to the page."""
    check_csrf()
    current = get_live(code, missing=unknown_code)
    back = redirect(url_for("participant.page", code=current.code))
    pid = participant_id(current)
    if pid is None:
        return back  # not (or no longer) a participant here: the page joins
    activity_id = request.form.get("activity", "")
    if rate_limited("form", f"{current.code}:{pid}"):
        session["answer_error"] = [activity_id[:64], "form_rate_limited"]
        return back
    try:
        activity = current.programme.activity(activity_id)
        if activity is None:
            raise FormError("unknown_activity")
        nonce = request.form.get("form", "")
        if not _NONCE.match(nonce):
            raise FormError("bad_payload")
        value = form_value(activity, request.form)
        # One id per rendered form and value: the same form sent twice (a double tap, a
        # reload that resends it) is counted once; another choice on the same form replaces
        # the first, as a second tap does on the live page.
        digest = hashlib.sha256(
            json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()[:16]
        payload = {"activity": activity.id, "client_id": f"form-{nonce}-{digest}"}
        if kinds.of(activity).questions:
            live.ask(current, pid, {**payload, "text": value})
        else:
            live.respond(current, pid, {**payload, "value": value})
    except FormError as exc:
        session["answer_error"] = [activity_id[:64], exc.code]
    except LiveError as exc:
        session["answer_error"] = [activity_id[:64], exc.code]
    return back


def form_value(activity: Activity, form: MultiDict[str, str]) -> Any:
    """The answer a form carries, in the shape the Socket.IO ``respond`` sends (the kind reads
    it: ``Kind.form_value``; cleaning and validation are the use case's: ``live.respond``)."""
    return kinds.of(activity).form_value(activity, form)


def first_paint(state: Mapping[str, Any]) -> dict[str, Any]:
    """What the page shows before its script runs, following the script's own choice
    (participant.js ``refresh``): the end, a profile question at join, the first unanswered
    activity of a paced section, the current activity, or waiting."""
    answers = state.get("answers") or {}
    if state.get("ended"):
        return {"screen": "ended"}
    for i, a in enumerate(state.get("profile") or []):
        if a["id"] not in answers:
            return {
                "screen": "activity",
                "activity": a,
                "answering": True,
                "profile": {"n": i + 1, "total": len(state["profile"])},
            }
    paced = state.get("paced")
    if paced and paced.get("activities"):
        items = paced["activities"]
        index = next(
            (i for i, a in enumerate(items) if _responds(a["kind"]) and a["id"] not in answers), 0
        )
        return {
            "screen": "activity",
            "activity": items[index],
            "answering": bool(items[index].get("answering")),
            "paced": {"n": index + 1, "total": len(items)},
        }
    if state.get("activity"):
        return {
            "screen": "activity",
            "activity": state["activity"],
            "answering": bool(state.get("answering")),
        }
    return {"screen": "waiting"}


def _responds(name: str) -> bool:
    """Whether a kind takes responses (not a slide, not questions)."""
    kind = kinds.get(name)
    return kind is not None and kind.answerable and not kind.questions


@bp.get("/programme.schema.json")
def programme_schema():  # type: ignore[no-untyped-def]
    """The JSON Schema of programme files (docs/programme.schema.json), for editors."""
    response = current_app.response_class(schema.schema_json(), mimetype="application/json")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.post("/api/join/<code>")
def api_join(code: str):  # type: ignore[no-untyped-def]
    """For non-browser clients: a participant token to pass as auth.token at connect."""
    if rate_limited("join"):
        return (
            jsonify(
                {
                    "ok": False,
                    "error": {
                        "code": "rate_limited",
                        "message": "too many joins from this address; retry later",
                    },
                }
            ),
            429,
            {"Retry-After": "30"},
        )
    try:
        current, _pid, token = live.join(code, request.args.get("t"))
    except LiveError as exc:
        status = {"unknown_code": 404, "bad_payload": 400}.get(exc.code, 403)
        return jsonify({"ok": False, "error": {"code": exc.code, "message": exc.message}}), status
    return jsonify({"ok": True, "code": current.code, "token": token})
